"""Submitting requests with photos, listing them with a cursor, one with its history, someone else's."""
from __future__ import annotations

from aiohttp import FormData
from sqlmodel import select

from models.media import TicketPhoto
from models.tickets import Ticket
from tests.bot.api.conftest import bearer, login
from tests.helpers import count

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 300
WEBP = b"RIFF\x00\x00\x00\x00WEBPVP8 " + b"\x00" * 100


def form(text: str, *photos: tuple[bytes, str, str]) -> FormData:
    data = FormData(default_to_multipart=True)
    data.add_field("text", text)
    for content, name, content_type in photos:
        data.add_field("photos", content, filename=name, content_type=content_type)
    return data


async def test_submit_with_photos_makes_one_ticket_and_stores_the_photos(client, seeded, settings):
    token = await login(client, "o_sub")
    response = await client.post("/api/v1/requests", headers=bearer(token), data=form(
        "阳光花园3号楼楼道灯坏了", (PNG, "a.png", "image/png"), (JPEG, "b.jpg", "image/jpeg"),
        (WEBP, "c.webp", "image/webp")))
    body = await response.json()
    assert response.status == 201, body
    ticket = body["ticket"]
    assert ticket["status"] == "queued" and ticket["grid_id"] is not None
    assert "已收到您的诉求" in body["message"] and f"编号 {ticket['id']}" in body["message"]
    assert len(ticket["photos"]) == 3
    async with seeded.sessions() as session:
        photos = (await session.exec(select(TicketPhoto).order_by(TicketPhoto.id))).all()
    assert [p.mime for p in photos] == ["image/png", "image/jpeg", "image/webp"]
    assert (settings.media_root / photos[0].path).read_bytes() == PNG
    shown = await client.get(ticket["photos"][1], headers=bearer(token))
    assert shown.status == 200 and await shown.read() == JPEG and shown.content_type == "image/jpeg"


async def test_a_retried_submission_with_the_same_key_makes_no_second_ticket(client, seeded):
    token = await login(client, "o_retry")
    headers = {**bearer(token), "Idempotency-Key": "k-1"}
    first = await (await client.post("/api/v1/requests", headers=headers, data=form("小区门口垃圾没人清",
                                                                                       (PNG, "a.png", "image/png")))).json()
    second = await (await client.post("/api/v1/requests", headers=headers, data=form("小区门口垃圾没人清",
                                                                                        (PNG, "a.png", "image/png")))).json()
    assert first["ticket"]["id"] == second["ticket"]["id"]
    assert await count(seeded, Ticket) == 1 and await count(seeded, TicketPhoto) == 1


async def test_bad_photos_are_refused_and_nothing_is_stored(client, seeded, settings):
    token = await login(client, "o_badphoto")
    cases = [
        (form("路灯坏了", (b"\xff\xd8\xff" + b"\x00" * 200_001, "big.jpg", "image/jpeg")), 413, "photo_too_large", "第 1 张"),
        (form("路灯坏了", (PNG, "a.png", "image/png"), (b"GIF89a" + b"\x00" * 50, "b.jpg", "image/jpeg")),
         415, "photo_type", "第 2 张"),
        (form("路灯坏了", (b"#!/bin/sh\nrm -rf /", "x.png", "image/png")), 415, "photo_type", "JPEG"),
        (form("路灯坏了", *[(PNG, f"{n}.png", "image/png") for n in range(4)]), 422, "too_many_photos", "最多上传 3 张"),
        (form("   ", (PNG, "a.png", "image/png")), 422, "text_required", "文字描述"),
    ]
    for data, status, code, words in cases:
        response = await client.post("/api/v1/requests", headers=bearer(token), data=data)
        error = (await response.json())["error"]
        assert (response.status, error["code"]) == (status, code) and words in error["message"], error
    as_urlencoded = await client.post("/api/v1/requests", headers=bearer(token), data={"text": "路灯坏了"})
    assert as_urlencoded.status == 400 and "multipart" in (await as_urlencoded.json())["error"]["message"]
    assert await count(seeded, Ticket) == 0 and await count(seeded, TicketPhoto) == 0
    assert not (settings.media_root / "tickets").exists()


async def test_text_alone_can_come_as_json(client, seeded):
    token = await login(client, "o_json")
    response = await client.post("/api/v1/requests", headers=bearer(token), json={"text": "翠竹苑9号楼下水道堵了"})
    assert response.status == 201 and (await response.json())["ticket"]["photos"] == []
    assert await count(seeded, Ticket) == 1


async def test_no_token_cannot_submit(client, seeded):
    response = await client.post("/api/v1/requests", data=form("路灯坏了"))
    assert response.status == 401 and await count(seeded, Ticket) == 0


async def test_my_requests_page_by_cursor_newest_first(client):
    token = await login(client, "o_pages")
    ids = []
    for n in range(5):
        response = await client.post("/api/v1/requests", headers=bearer(token), data=form(f"{n + 1}号楼门口有垃圾"))
        ids.append((await response.json())["ticket"]["id"])
    seen, cursor = [], None
    while True:
        params = {"limit": "2", **({"cursor": cursor} if cursor else {})}
        page = await (await client.get("/api/v1/requests", headers=bearer(token), params=params)).json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == ids[::-1]
    bad = await client.get("/api/v1/requests", headers=bearer(token), params={"cursor": "%%%"})
    assert bad.status == 400 and (await bad.json())["error"]["code"] == "bad_cursor"
    too_many = await client.get("/api/v1/requests", headers=bearer(token), params={"limit": "500"})
    assert too_many.status == 422 and (await too_many.json())["error"]["fields"] == ["limit"]


async def test_detail_shows_history_and_hides_someone_elses_ticket(client):
    mine, other = await login(client, "o_owner"), await login(client, "o_nosy")
    created = await (await client.post("/api/v1/requests", headers=bearer(mine), data=form(
        "和平里14号楼电梯坏了", (PNG, "a.png", "image/png")))).json()
    ticket_id = created["ticket"]["id"]
    detail = await (await client.get(f"/api/v1/requests/{ticket_id}", headers=bearer(mine))).json()
    assert [event["action_name"] for event in detail["history"]] == ["已登记"]
    assert detail["text"] == "和平里14号楼电梯坏了"
    for path in (f"/api/v1/requests/{ticket_id}", created["ticket"]["photos"][0]):
        response = await client.get(path, headers=bearer(other))
        assert response.status == 404 and "没有找到" in (await response.json())["error"]["message"]
    missing = await client.get("/api/v1/requests/999999", headers=bearer(mine))
    assert missing.status == 404


async def test_rating_someone_elses_or_an_unfinished_request_is_refused(client, seeded):
    mine, other = await login(client, "o_rater"), await login(client, "o_rater2")
    created = await (await client.post("/api/v1/requests", headers=bearer(mine), data=form("8号楼路灯不亮"))).json()
    ticket_id = created["ticket"]["id"]
    others = await client.post(f"/api/v1/requests/{ticket_id}/rating", headers=bearer(other), json={"score": 5})
    assert others.status == 404
    early = await client.post(f"/api/v1/requests/{ticket_id}/rating", headers=bearer(mine), json={"score": 5})
    assert early.status in (409, 501)
    for score in (9, 10, 0):
        out_of_range = await client.post(f"/api/v1/requests/{ticket_id}/rating", headers=bearer(mine), json={"score": score})
        assert out_of_range.status == 422 and "1到5分" in (await out_of_range.json())["error"]["message"]
    async with seeded.sessions() as session:
        assert (await session.get(Ticket, ticket_id)).rating is None


async def test_a_member_elsewhere_cannot_read_a_ticket_but_one_over_its_place_can(client, seeded):
    from models.access import grant
    from models.db import transaction
    from models.org import find_unit
    from models.users import Role, get_or_create_user

    resident = await login(client, "o_api_owner")
    created = await (await client.post("/api/v1/requests", headers=bearer(resident), data=form(
        "和平里14号楼电梯坏了，电话13812345678"))).json()
    ticket_id = created["ticket"]["id"]
    far, near = await login(client, "o_api_far"), await login(client, "o_api_near")
    async with transaction(seeded.sessions) as session:
        await grant(session, (await get_or_create_user(session, "o_api_far")).id, Role.member,
                    (await find_unit(session, "S01-C01")).id)
        await grant(session, (await get_or_create_user(session, "o_api_near")).id, Role.member,
                    (await find_unit(session, "S01-C02")).id)
    assert (await client.get(f"/api/v1/requests/{ticket_id}", headers=bearer(far))).status == 404
    seen = await client.get(f"/api/v1/requests/{ticket_id}", headers=bearer(near))
    assert seen.status == 200
    assert "138****5678" in (await seen.json())["text"]  # the resident's number is theirs alone
    own = await (await client.get(f"/api/v1/requests/{ticket_id}", headers=bearer(resident))).json()
    assert "13812345678" in own["text"]


async def test_a_form_over_the_total_size_is_refused_however_it_is_sent(client, seeded, settings):
    from bot.api.photos import form_cap

    token = await login(client, "o_bigform")
    oversized = b"x" * (form_cap(settings) + 1)
    ignored_part = form("路灯坏了", (PNG, "a.png", "image/png"))
    ignored_part.add_field("padding", oversized, filename="pad.bin", content_type="application/octet-stream")
    boundary = "linliboundary"
    chunked = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\n".encode() + oversized
               + f"\r\n--{boundary}--\r\n".encode())

    async def trickle():  # no Content-Length: the cap must hold while reading
        for start in range(0, len(chunked), 65536):
            yield chunked[start:start + 65536]

    sent = [await client.post("/api/v1/requests", headers=bearer(token), data=ignored_part),
            await client.post("/api/v1/requests", data=trickle(),
                              headers={**bearer(token), "Content-Type": f"multipart/form-data; boundary={boundary}"})]
    for response in sent:
        assert response.status == 413 and (await response.json())["error"]["code"] == "too_large"
    assert await count(seeded, Ticket) == 0 and await count(seeded, TicketPhoto) == 0
