"""Party-mass service centres (党群服务中心/站): places on the red map residents can walk to."""
from __future__ import annotations

import math

from sqlmodel import Field, SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession


class ServiceCentre(SQLModel, table=True):
    """A centre with its address, WGS-84 coordinates, opening hours and services (、-separated)."""

    __tablename__ = "service_centre"
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=64)
    name: str = Field(max_length=100)
    address: str = Field(max_length=200)
    lat: float
    lng: float
    hours: str = Field(default="", max_length=100)
    phone: str = Field(default="", max_length=30)
    services: str = Field(default="", max_length=300)
    unit_id: int | None = Field(default=None, foreign_key="org_unit.id", index=True)


EARTH_RADIUS_M = 6_371_000


def distance_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance (haversine): accurate to metres at a district's scale."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    half_dphi, half_dlmb = math.radians(lat2 - lat1) / 2, math.radians(lng2 - lng1) / 2
    a = math.sin(half_dphi) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(half_dlmb) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


async def nearest(session: AsyncSession, lat: float, lng: float, limit: int = 3) -> list[tuple[ServiceCentre, float]]:
    """The `limit` centres closest to a point, with their distance in metres.

    A district has tens to a few hundred centres: ranking them all in Python over three
    columns is simpler than a spatial index and fast enough (bench/bench_api.py).
    """
    points = (await session.exec(select(ServiceCentre.id, ServiceCentre.lat, ServiceCentre.lng))).all()
    ranked = sorted((distance_m(lat, lng, c_lat, c_lng), c_id) for c_id, c_lat, c_lng in points)[:limit]
    rows = {c.id: c for c in (await session.exec(select(ServiceCentre).where(
        ServiceCentre.id.in_([c_id for _, c_id in ranked])))).all()}
    return [(rows[c_id], metres) for metres, c_id in ranked if c_id in rows]
