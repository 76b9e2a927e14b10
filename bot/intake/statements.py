"""The intake's SQL, built once per dialect from the SQLModel tables, and one message's steps.

`steps()` is written once for both drivers: a generator that yields each statement with
its values and receives the row it returned (or None), so the SQLite thread and the
asyncpg connection run the very same sequence without an ORM in between. On PostgreSQL
the user upsert, the ticket and its audit row are one statement (data-modifying CTEs):
one round trip per message instead of three.
"""
from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql
from sqlalchemy.sql.schema import ScalarElementColumnDefault

from bot.intake.records import Intake, PushValues, Stored, TicketRow, UserRow
from models.outbound import OutboundMessage
from models.tickets import Ticket, TicketEvent
from models.users import User

_USER_COLUMNS = ("openid", "subscribed", "subscribed_at", "created_at", "last_message_at")
_USER_RETURNS = ("id", "name", "phone", "grid_id", "subscribed")
_EVENT_COLUMNS = ("ticket_id", "actor_id", "action", "from_status", "to_status", "note", "at")
_PUSH_COLUMNS = ("idempotency_key", "openid", "kind", "title", "body", "ticket_id", "created_at", "next_attempt_at")
_TICKET_ROW = ("id", "status", "department", "topic", "kind", "urgent")


@dataclass(frozen=True)
class Statements:
    dialect: str
    user: str
    ticket: str
    ticket_by_source: str
    event: str
    push: str
    intake: str | None  # user + ticket + audit row in one statement, where the dialect allows
    ticket_columns: tuple[str, ...]
    ticket_defaults: dict[str, object]
    push_defaults: dict[str, object]


@lru_cache(maxsize=2)
def statements_for(dialect: str) -> Statements:
    """`dialect`: "sqlite" or "postgresql" (the same SQL; only the placeholders differ)."""
    ticket_columns = tuple(c.name for c in Ticket.__table__.columns if c.name != "id")
    push_columns = _PUSH_COLUMNS + tuple(_defaulted(OutboundMessage.__table__, _PUSH_COLUMNS))
    return Statements(
        dialect=dialect,
        user=_user_upsert(dialect),
        ticket=(f"INSERT INTO ticket ({', '.join(ticket_columns)}) VALUES ({_marks(dialect, len(ticket_columns))}) "
                "ON CONFLICT (source_msg_id) DO NOTHING RETURNING id"),
        ticket_by_source=f"SELECT {', '.join(_TICKET_ROW)} FROM ticket WHERE source_msg_id = {_marks(dialect, 1)}",
        event=(f"INSERT INTO ticket_event ({', '.join(_EVENT_COLUMNS)}) "
               f"VALUES ({_marks(dialect, len(_EVENT_COLUMNS))})"),
        push=(f"INSERT INTO outbound_message ({', '.join(push_columns)}) VALUES ({_marks(dialect, len(push_columns))}) "
              "ON CONFLICT (idempotency_key) DO NOTHING RETURNING id"),
        intake=_intake_cte(ticket_columns) if dialect == "postgresql" else None,
        ticket_columns=ticket_columns,
        ticket_defaults=_defaulted(Ticket.__table__, ()),
        push_defaults=_defaulted(OutboundMessage.__table__, _PUSH_COLUMNS),
    )


def _intake_cte(ticket_columns: tuple[str, ...]) -> str:
    """PostgreSQL: the ticket takes its user id from the upsert; the audit row exists only if the
    ticket was inserted (not a duplicate). Parameters: the user's five, then the ticket's columns
    but `user_id`, each cast to its column's type (a parameter in a SELECT list has none)."""
    own = [name for name in ticket_columns if name != "user_id"]
    types = {c.name: c.type.compile(dialect=postgresql.dialect()) for c in Ticket.__table__.columns}
    first = len(_USER_COLUMNS) + 1
    casts = ", ".join(f"${n}::{types[name]}" for n, name in enumerate(own, start=first))
    return (f"WITH u AS ({_user_upsert('postgresql')}), "
            f"t AS (INSERT INTO ticket (user_id, {', '.join(own)}) SELECT u.id, {casts} FROM u "
            "ON CONFLICT (source_msg_id) DO NOTHING RETURNING id, user_id, status, topic, created_at), "
            f"e AS (INSERT INTO ticket_event ({', '.join(_EVENT_COLUMNS)}) "
            "SELECT t.id, t.user_id, 'created', NULL, t.status, t.topic, t.created_at FROM t) "
            f"SELECT {', '.join('u.' + name for name in _USER_RETURNS)}, t.id FROM u LEFT JOIN t ON true")


def _user_upsert(dialect: str) -> str:
    return (f"INSERT INTO app_user ({', '.join(_USER_COLUMNS)}) VALUES ({_marks(dialect, len(_USER_COLUMNS))}) "
            "ON CONFLICT (openid) DO UPDATE SET last_message_at = excluded.last_message_at "
            f"RETURNING {', '.join(_USER_RETURNS)}")


def _marks(dialect: str, count: int) -> str:
    return ", ".join("?" * count) if dialect == "sqlite" else ", ".join(f"${n}" for n in range(1, count + 1))


def _defaulted(table: Table, given: tuple[str, ...]) -> dict[str, object]:
    """Every other column with its model default (None for nullable ones): a new column with a
    scalar default needs no change here."""
    values: dict[str, object] = {}
    for column in table.columns:
        if column.name == "id" or column.name in given:
            continue
        default = column.default
        values[column.name] = default.arg if isinstance(default, ScalarElementColumnDefault) else None
    return values


Step = tuple[str, tuple]
Steps = Generator[Step, tuple | None, Stored]


def steps(sql: Statements, intake: Intake) -> Steps:
    """One message's statements in order; the caller sends back each statement's row."""
    when = _moment(sql, intake.now)
    touch = (intake.openid, True, when, when, when)
    values = intake.ticket
    if values is None:
        return Stored(_user((yield sql.user, touch)))
    row = {**sql.ticket_defaults, "text": values.text, "department": values.department,
           "topic": values.topic, "kind": values.kind, "urgent": values.urgent, "confidence": values.confidence,
           "places": values.places, "why": values.why, "status": str(values.status), "grid_id": values.grid_id,
           "community_id": values.community_id, "source_msg_id": values.source_msg_id,
           "created_at": when, "updated_at": when}
    if sql.intake:
        both = yield sql.intake, touch + tuple(row[name] for name in sql.ticket_columns if name != "user_id")
        user, ticket_id = _user(both[:5]), both[5]
    else:
        user = _user((yield sql.user, touch))
        row["user_id"] = user.id
        inserted = yield sql.ticket, tuple(row[name] for name in sql.ticket_columns)
        ticket_id = inserted[0] if inserted else None
        if ticket_id is not None:
            yield sql.event, (ticket_id, user.id, "created", None, str(values.status), values.topic, when)
    if ticket_id is None:  # stored before, by an earlier group or earlier in this one
        found = yield sql.ticket_by_source, (values.source_msg_id,)
        return Stored(user, TicketRow(*found[:5], bool(found[5])), duplicate=True)
    ticket = TicketRow(ticket_id, str(values.status), values.department, values.topic, values.kind, values.urgent)
    push_ids = []
    for push in intake.pushes:
        pushed = yield sql.push, _push_values(sql, push, ticket.id, when)
        if pushed is not None:
            push_ids.append(pushed[0])
    return Stored(user, ticket, push_ids=push_ids)


def _user(row: tuple) -> UserRow:
    return UserRow(row[0], row[1], row[2], row[3], bool(row[4]))


def _push_values(sql: Statements, push: PushValues, ticket_id: int, when: object) -> tuple:
    return (push.key, push.openid, push.kind, push.title, push.body, ticket_id if push.for_ticket else None,
            when, when, *sql.push_defaults.values())


def _moment(sql: Statements, now: datetime) -> object:
    """SQLite keeps what SQLAlchemy writes for an aware UTC datetime: the UTC wall time as text."""
    utc = now.astimezone(UTC)
    return utc.strftime("%Y-%m-%d %H:%M:%S.%f") if sql.dialect == "sqlite" else utc
