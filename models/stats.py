"""The dashboard's numbers, as SQL that runs unchanged on SQLite and PostgreSQL.

The three rates 12345 hotlines are judged by, for requests created in a period (私事 are
answered by the bot at once, so they are left out):
- 响应率: answered by someone other than the resident (claim, reassignment, 督办, closing …)
  within the response limit (shorter for urgent requests);
- 解决率: done or closed;
- 满意率: rated 4 or 5, among the rated ones.
Date arithmetic differs between the two databases; `_SecondsBetween` and `_LocalDay`
compile to each dialect, so every aggregate still happens in the database.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Integer, String, case, func
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.departments import Department, department_label
from models.org import OrgUnit
from models.access import Scope
from models.tickets import Ticket, TicketEvent, TicketStatus
from models.triage import visible
from models.users import User

RESOLVED = (TicketStatus.done, TicketStatus.closed)
SATISFIED_RATING = 4


class _SecondsBetween(FunctionElement):
    type = Integer()
    inherit_cache = True


@compiles(_SecondsBetween, "sqlite")
def _seconds_sqlite(element, compiler, **kw) -> str:
    start, end = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"CAST((julianday({end}) - julianday({start})) * 86400 AS INTEGER)"


@compiles(_SecondsBetween, "postgresql")
def _seconds_postgres(element, compiler, **kw) -> str:
    start, end = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"CAST(EXTRACT(EPOCH FROM ({end} - {start})) AS INTEGER)"


class _LocalDay(FunctionElement):
    """A stored UTC moment as its China-time day, 'YYYY-MM-DD' (a string on both databases)."""

    type = String()
    inherit_cache = True  # the pattern is a class attribute, so it is part of the cache key
    sqlite_pattern, postgres_pattern = "%Y-%m-%d", "YYYY-MM-DD"


class _LocalMonth(_LocalDay):
    inherit_cache = True
    sqlite_pattern, postgres_pattern = "%Y-%m", "YYYY-MM"


@compiles(_LocalDay, "sqlite")
def _bucket_sqlite(element, compiler, **kw) -> str:
    [moment] = element.clauses
    return f"strftime('{element.sqlite_pattern}', {compiler.process(moment, **kw)}, '+8 hours')"


@compiles(_LocalDay, "postgresql")
def _bucket_postgres(element, compiler, **kw) -> str:
    [moment] = element.clauses
    return f"to_char({compiler.process(moment, **kw)} AT TIME ZONE 'Asia/Shanghai', '{element.postgres_pattern}')"


@dataclass(frozen=True)
class Period:
    start: datetime
    end: datetime

    @property
    def bucket(self) -> str:
        return "month" if self.end - self.start > timedelta(days=92) else "day"


@dataclass(frozen=True)
class Rates:
    unit_id: int | None
    name: str
    total: int
    responded: int
    resolved: int
    rated: int
    satisfied: int

    @property
    def response_rate(self) -> float | None:
        return self.responded / self.total if self.total else None

    @property
    def resolution_rate(self) -> float | None:
        return self.resolved / self.total if self.total else None

    @property
    def satisfaction_rate(self) -> float | None:
        return self.satisfied / self.rated if self.rated else None


def _first_response():
    """Each ticket's first event by someone other than its resident (the system does not count)."""
    return (select(TicketEvent.ticket_id, func.min(TicketEvent.at).label("first_at"))
            .join(Ticket, Ticket.id == TicketEvent.ticket_id)
            .where(TicketEvent.actor_id.is_not(None), TicketEvent.actor_id != Ticket.user_id,
                   TicketEvent.action != "created")
            .group_by(TicketEvent.ticket_id).subquery())


async def rates(session: AsyncSession, scope: Scope, period: Period, by: str, limit_s: int,
                urgent_limit_s: int) -> list[Rates]:
    """Rates per grid (`by="grid"`), community or department (大事), plus a last row for the whole scope."""
    first = _first_response()
    in_time = case((Ticket.urgent, urgent_limit_s), else_=limit_s)
    responded = case((first.c.first_at.is_not(None)
                      & (_SecondsBetween(Ticket.created_at, first.c.first_at) <= in_time), 1), else_=0)
    columns = (func.count(Ticket.id), func.sum(responded),
               func.sum(case((Ticket.status.in_(RESOLVED), 1), else_=0)), func.count(Ticket.rating),
               func.sum(case((Ticket.rating >= SATISFIED_RATING, 1), else_=0)))
    group = {"grid": Ticket.grid_id, "community": Ticket.community_id, "department": Ticket.department_id}[by]
    base = (select(group, *columns).outerjoin(first, first.c.ticket_id == Ticket.id)
            .where(visible(scope), Ticket.created_at >= period.start, Ticket.created_at < period.end,
                   Ticket.kind != "私事"))
    rows = (await session.exec(base.group_by(group))).all()
    names = await (_department_names(session) if by == "department" else _unit_names(session))
    nowhere = "非大事" if by == "department" else "未定位"
    result = [Rates(row[0], names.get(row[0], nowhere), *(int(v or 0) for v in row[1:])) for row in rows]
    result.sort(key=lambda r: (r.unit_id is None, r.name))
    total = Rates(None, "合计", *(sum(getattr(r, f) for r in result)
                                 for f in ("total", "responded", "resolved", "rated", "satisfied")))
    return [*result, total]


async def _unit_names(session: AsyncSession) -> dict[int, str]:
    return {unit.id: unit.name for unit in (await session.exec(select(OrgUnit))).all()}


async def _department_names(session: AsyncSession) -> dict[int, str]:
    return {d.id: await department_label(session, d) for d in (await session.exec(select(Department))).all()}


async def counts_over_time(session: AsyncSession, scope: Scope, period: Period,
                           by: str) -> list[tuple[str, str, int]]:
    """(day or month, category or 三事 kind, requests) for requests created in the period."""
    key = Ticket.kind if by == "kind" else Ticket.department
    bucket = (_LocalMonth if period.bucket == "month" else _LocalDay)(Ticket.created_at)
    query = (select(bucket, key, func.count(Ticket.id))
             .where(visible(scope), Ticket.created_at >= period.start, Ticket.created_at < period.end)
             .group_by(bucket, key).order_by(bucket, key))
    return [(str(day), str(name), int(n)) for day, name, n in (await session.exec(query)).all()]


async def overdue(session: AsyncSession, scope: Scope, now: datetime, *, unclaimed: dict[bool, int],
                  no_progress: dict[bool, int], limit: int = 200) -> list[Ticket]:
    """Open tasks past their limit: nobody claimed them, or the claimer reported no progress.

    `unclaimed` / `no_progress` map urgent (True/False) to a limit in minutes.
    """
    def late(column, limits: dict[bool, int], urgent: bool):
        return (Ticket.urgent == urgent) & (column < now - timedelta(minutes=limits[urgent]))

    progress = func.coalesce(Ticket.last_progress_at, Ticket.claimed_at)
    waiting = (Ticket.status.in_((TicketStatus.queued, TicketStatus.triage))
               & (late(Ticket.created_at, unclaimed, True) | late(Ticket.created_at, unclaimed, False)))
    stalled = ((Ticket.status == TicketStatus.claimed)
               & (late(progress, no_progress, True) | late(progress, no_progress, False)))
    query = (select(Ticket).where(visible(scope), waiting | stalled)
             .order_by(Ticket.urgent.desc(), Ticket.created_at).limit(limit))
    return list((await session.exec(query)).all())


@dataclass(frozen=True)
class MemberScore:
    user_id: int
    name: str
    finished: int
    rated: int
    satisfied: int
    average_rating: float | None


async def member_ranking(session: AsyncSession, scope: Scope, period: Period, limit: int = 20) -> list[MemberScore]:
    """Members by tasks they finished in the period, then by satisfied ratings."""
    finished = func.count(func.distinct(Ticket.id))
    satisfied = func.sum(case((Ticket.rating >= SATISFIED_RATING, 1), else_=0))
    query = (select(User.id, User.name, finished, func.count(Ticket.rating), satisfied, func.avg(Ticket.rating))
             .select_from(TicketEvent).join(Ticket, Ticket.id == TicketEvent.ticket_id)
             .join(User, User.id == TicketEvent.actor_id)
             .where(TicketEvent.action == "done", TicketEvent.at >= period.start, TicketEvent.at < period.end,
                    visible(scope))
             .group_by(User.id, User.name).order_by(finished.desc(), satisfied.desc(), User.id).limit(limit))
    return [MemberScore(uid, name or f"党员{uid}", int(n), int(rated), int(good or 0),
                        float(avg) if avg is not None else None)
            for uid, name, n, rated, good, avg in (await session.exec(query)).all()]
