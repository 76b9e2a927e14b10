"""Party-mass service centres (党群服务中心/站): places on the red map residents can walk to."""
from __future__ import annotations

from sqlmodel import Field, SQLModel


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
