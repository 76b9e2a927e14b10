"""The red map and room booking over HTTP: nearest first, slots never double-booked, cancel frees."""
from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from sqlmodel import select

from models.centres import ServiceCentre
from models.clock import CHINA
from models.db import transaction
from models.rooms import Room, RoomBooking
from tests.bot.api.conftest import bearer, login


async def _room(storage) -> int:
    async with transaction(storage.sessions) as session:
        centre = (await session.exec(select(ServiceCentre).where(ServiceCentre.code == "CTR-C02"))).one()
        room = Room(centre_id=centre.id, name="活动室一", capacity=20, facilities="投影")
        session.add(room)
        await session.flush()
        return room.id


def _slot(days: int, hour: int, hours: int = 2) -> dict[str, str]:
    """A slot `days` ahead, moved off Sunday: CTR-C02 opens 周一至周六 9:00-18:00."""
    start = (datetime.now(CHINA) + timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)
    start += timedelta(days=1) if days > 0 and start.weekday() == 6 else timedelta()
    return {"starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=hours)).isoformat()}


async def test_centres_near_a_point_are_ordered_by_distance(client):
    token = await login(client, "o_map")
    near = await (await client.get("/api/v1/centres", headers=bearer(token),
                                   params={"lat": "29.5395", "lng": "106.5815"})).json()
    assert [c["code"] for c in near["items"]] == ["CTR-C02", "CTR-C01"]
    assert near["items"][0]["distance_m"] < 100 < 1000 < near["items"][1]["distance_m"] < 1500
    assert "党员活动" in near["items"][0]["services"]
    everything = await (await client.get("/api/v1/centres", headers=bearer(token))).json()
    assert {c["distance_m"] for c in everything["items"]} == {None}
    half = await client.get("/api/v1/centres", headers=bearer(token), params={"lat": "29.5"})
    assert half.status == 422 and "经度" in (await half.json())["error"]["message"]
    off_earth = await client.get("/api/v1/centres", headers=bearer(token), params={"lat": "91", "lng": "0"})
    assert off_earth.status == 422


async def test_book_see_refuse_overlap_and_cancel(client, seeded):
    room_id = await _room(seeded)
    alice, bob = await login(client, "o_alice"), await login(client, "o_bob")
    centre_id = (await (await client.get("/api/v1/centres", headers=bearer(alice))).json())["items"][1]["id"]
    rooms = await (await client.get(f"/api/v1/centres/{centre_id}/rooms", headers=bearer(alice))).json()
    assert [room["id"] for room in rooms["items"]] == [room_id]

    booked = await client.post(f"/api/v1/rooms/{room_id}/bookings", headers=bearer(alice),
                               json={**_slot(1, 14), "purpose": "党小组学习"})
    body = await booked.json()
    assert booked.status == 201 and "预约成功" in body["message"] and body["booking"]["mine"] is True
    clash = await client.post(f"/api/v1/rooms/{room_id}/bookings", headers=bearer(bob),
                              json={**_slot(1, 15), "purpose": "读书会"})
    assert clash.status == 409 and (await clash.json())["error"]["code"] == "slot_taken"

    day = (datetime.now(CHINA) + timedelta(days=1)).date().isoformat()
    seen = await (await client.get(f"/api/v1/rooms/{room_id}/bookings", headers=bearer(bob),
                                   params={"day": day})).json()
    assert [(b["purpose"], b["mine"]) for b in seen["items"]] == [("已预约", False)]  # her purpose is hers
    own = await (await client.get(f"/api/v1/rooms/{room_id}/bookings", headers=bearer(alice),
                                  params={"day": day})).json()
    assert [(b["purpose"], b["mine"]) for b in own["items"]] == [("党小组学习", True)]

    not_hers = await client.delete(f"/api/v1/bookings/{body['booking']['id']}", headers=bearer(bob))
    assert not_hers.status == 404
    cancelled = await client.delete(f"/api/v1/bookings/{body['booking']['id']}", headers=bearer(alice))
    assert cancelled.status == 200 and (await cancelled.json())["booking"]["status"] == "cancelled"
    twice = await client.delete(f"/api/v1/bookings/{body['booking']['id']}", headers=bearer(alice))
    assert twice.status == 409
    retry = await client.post(f"/api/v1/rooms/{room_id}/bookings", headers=bearer(bob),
                              json={**_slot(1, 15), "purpose": "读书会"})
    assert retry.status == 201
    mine = await (await client.get("/api/v1/bookings/mine", headers=bearer(alice))).json()
    assert [b["status"] for b in mine["items"]] == ["cancelled"]


async def test_bad_slots_are_refused(client, seeded):
    room_id = await _room(seeded)
    token = await login(client, "o_slots")
    past = _slot(-1, 10)
    reversed_slot = {"starts_at": _slot(2, 12)["ends_at"], "ends_at": _slot(2, 12)["starts_at"]}
    for slot, words in ((past, "过去"), (reversed_slot, "晚于"), (_slot(1, 8, hours=12), "最多预约"),
                        (_slot(400, 10), "天以内"),
                        ({"starts_at": "9999-12-31T23:00:00-12:00", "ends_at": "9999-12-31T23:30:00-12:00"}, "")):
        response = await client.post(f"/api/v1/rooms/{room_id}/bookings", headers=bearer(token),
                                     json={**slot, "purpose": "活动"})
        assert response.status == 422 and words in (await response.json())["error"]["message"]
    for slot in (_slot(1, 23, hours=3), _slot(1, 7)):  # 23:00-02:00 and 7:00-9:00: the centre is closed
        response = await client.post(f"/api/v1/rooms/{room_id}/bookings", headers=bearer(token),
                                     json={**slot, "purpose": "活动"})
        assert response.status == 422 and "开放时间" in (await response.json())["error"]["message"]
    missing = await client.post("/api/v1/rooms/99999/bookings", headers=bearer(token),
                                json={**_slot(1, 10), "purpose": "活动"})
    assert missing.status == 404


async def test_concurrent_requests_for_one_slot_book_it_once(client, seeded):
    room_id = await _room(seeded)
    tokens = [await login(client, f"o_racer{n}") for n in range(6)]
    slot = _slot(3, 9)
    responses = await asyncio.gather(*(client.post(f"/api/v1/rooms/{room_id}/bookings", headers=bearer(token),
                                                   json={**slot, "purpose": "志愿者培训"}) for token in tokens))
    assert sorted(response.status for response in responses) == [201] + [409] * 5
    async with seeded.sessions() as session:
        assert len((await session.exec(select(RoomBooking))).all()) == 1
