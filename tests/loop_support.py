"""Building blocks for the 大事 and emergency tests: departments and their liaisons in real storage."""
from __future__ import annotations

from bot.storage import Storage
from handlers.departments.actions import add_department, grant_department_role
from models.db import transaction
from models.users import Role, User, get_or_create_user


async def department(storage: Storage, name: str = "城乡建设", street: str | None = None) -> int:
    async with transaction(storage.sessions) as session:
        return (await add_department(session, name, street)).id


async def liaison(storage: Storage, openid: str, name: str = "城乡建设", role: Role = Role.department) -> int:
    async with transaction(storage.sessions) as session:
        user = await get_or_create_user(session, openid)
        await grant_department_role(session, user, role, name)
        return user.id


async def with_phone(storage: Storage, openid: str, phone: str = "13812345678") -> None:
    async with transaction(storage.sessions) as session:
        user = await get_or_create_user(session, openid)
        row = await session.get(User, user.id)
        row.phone = phone
        session.add(row)


def number_of(reply: str) -> int:
    return int(reply.split("编号 ")[1].split("（")[0])
