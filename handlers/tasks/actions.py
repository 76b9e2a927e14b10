"""The claiming queue's operations, once for every door: list, claim, progress, finish, give up, my tasks.

Each takes the acting member's approved profile (from `handlers.audience.approved_member`),
the ticket number and what the member wrote; it changes the ticket with one conditional
UPDATE that returns what the reply needs, writes the audit row and queues the resident's
push in the same transaction, and returns a typed result or raises `Refusal`. Only members
of the ticket's community may claim it; only the claimer may report on a claim.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from config.settings import Settings
from handlers.masking import mask_name
from handlers.pushes import push_to
from handlers.talk.actions import contact_for_claimer
from handlers.texts import talk as talk_texts
from handlers.texts import tasks as texts
from handlers.ticket_text import status_name
from handlers.types import Refusal
from models import points
from models.members import MemberProfile
from models.org_index import org_index
from models.tasks import Moved, QueueRow, TicketState, claims_of, move, open_tasks, ticket_for_update, ticket_state
from models.tickets import Ticket, TicketStatus

MAX_NOTE = 300


@dataclass(frozen=True)
class TaskLine:
    id: int
    urgent: bool
    where: str
    text: str


@dataclass(frozen=True)
class Claimed:
    """`contact`: the resident's phone and address, shown to the claimer only (the view is audited)."""

    id: int
    text: str
    where: str
    contact: str


@dataclass(frozen=True)
class Reported:
    """A progress note, a completion (with the points it earned) or a release, as stored."""

    id: int
    note: str
    points: int = 0


async def list_tasks(session: AsyncSession, member: MemberProfile, offset: int, limit: int) -> list[TaskLine]:
    """Queued tasks the member may claim: their grid's first, then the rest of their community."""
    rows = await open_tasks(session, member.grid_id, member.community_id, offset, limit)
    names = (await org_index(session)).names
    return [TaskLine(row.id, row.urgent, _where(names, row), row.text) for row in rows]


def _where(names: dict[int, str], row: QueueRow) -> str:
    return names.get(row.grid_id, texts.NO_GRID) if row.grid_id else texts.NO_GRID


async def my_tasks(session: AsyncSession, member: MemberProfile) -> list[Ticket]:
    return await claims_of(session, member.user_id)


async def claim(session: AsyncSession, member: MemberProfile, ticket_id: int, now: datetime) -> Claimed:
    """Read first, then the conditional UPDATE: of many members racing, the losers that see the
    claim already made refuse without writing, so they never queue for SQLite's write lock."""
    seen = await ticket_state(session, ticket_id)
    refusal = await _why_not_claimable(session, member, ticket_id, seen)
    if refusal is not None:
        raise refusal
    moved = await move(session, ticket_id, "claimed", member.user_id, from_status=TicketStatus.queued, at=now,
                       to_status=TicketStatus.claimed, note=f"党员{mask_name(member.name)}",
                       expect={"claimed_by": None, "community_id": member.community_id},
                       values={"claimed_by": member.user_id, "claimed_at": now, "last_progress_at": now})
    if moved is None:  # someone else's UPDATE got there first
        seen = await ticket_state(session, ticket_id)
        raise await _why_not_claimable(session, member, ticket_id, seen) or Refusal(
            "conflict", texts.ALREADY_CLAIMED.format(id=ticket_id))
    await _tell_resident(session, ticket_id, seen.user_id, moved,
                         texts.PUSH_CLAIMED.format(id=ticket_id, member=mask_name(member.name)))
    names = (await org_index(session)).names
    return Claimed(ticket_id, seen.text, names.get(seen.grid_id, texts.NO_GRID) if seen.grid_id else texts.NO_GRID,
                   await contact_for_claimer(session, ticket_id, member.user_id, now))


async def _why_not_claimable(session: AsyncSession, member: MemberProfile, ticket_id: int,
                             ticket: TicketState | None) -> Refusal | None:
    if ticket is None:
        return Refusal("not_found", texts.NO_TASK.format(id=ticket_id))
    if ticket.community_id is not None and ticket.community_id != member.community_id:
        community = (await org_index(session)).names.get(ticket.community_id, "")
        return Refusal("forbidden", texts.OTHER_COMMUNITY.format(id=ticket.id, community=community))
    if ticket.status == TicketStatus.claimed:
        mine = ticket.claimed_by == member.user_id
        return Refusal("conflict", (texts.YOU_HAVE_IT if mine else texts.ALREADY_CLAIMED).format(id=ticket.id))
    if ticket.status != TicketStatus.queued or ticket.community_id is None:
        return Refusal("conflict", texts.NOT_CLAIMABLE.format(id=ticket.id, status=status_name(ticket.status)))
    return None


async def progress(session: AsyncSession, member: MemberProfile, ticket_id: int, note: str,
                   now: datetime) -> Reported:
    note = _note(note, "进展")
    moved = await _on_my_claim(session, member, ticket_id, "progress", note, now, None, {"last_progress_at": now})
    await _tell_resident(session, ticket_id, moved.row.user_id, moved,
                         texts.PUSH_PROGRESS.format(id=ticket_id, note=note))
    return Reported(ticket_id, note)


async def finish(session: AsyncSession, member: MemberProfile, ticket_id: int, note: str, now: datetime,
                 settings: Settings) -> Reported:
    note = _note(note, "完成")
    moved = await _on_my_claim(session, member, ticket_id, "done", note, now, TicketStatus.done,
                               {"last_progress_at": now})
    earned = settings.points_per_task
    await points.award(session, user_id=member.user_id, ticket_id=ticket_id, reason="done", points=earned,
                       grid_id=member.grid_id, community_id=member.community_id, now=now)
    await _tell_resident(session, ticket_id, moved.row.user_id, moved, texts.PUSH_DONE.format(id=ticket_id, note=note))
    return Reported(ticket_id, note, earned)


async def give_up(session: AsyncSession, member: MemberProfile, ticket_id: int, note: str,
                  now: datetime) -> Reported:
    note = _note(note, "放弃")
    moved = await _on_my_claim(session, member, ticket_id, "released", note, now, TicketStatus.queued,
                               {"claimed_by": None, "claimed_at": None})
    await _tell_resident(session, ticket_id, moved.row.user_id, moved, talk_texts.PUSH_RELEASED.format(id=ticket_id))
    return Reported(ticket_id, note)


def _note(note: str, word: str) -> str:
    """A member's note, required: the resident reads it (and a release needs its reason)."""
    note = " ".join(note.split())[:MAX_NOTE]
    if not note:
        raise Refusal("invalid", texts.USAGE[word])
    return note


async def _on_my_claim(session: AsyncSession, member: MemberProfile, ticket_id: int, action: str, note: str,
                       now: datetime, to_status: str | None, values: dict) -> Moved:
    """Change a ticket the member holds the claim on; else the Refusal saying how it stands."""
    moved = await move(session, ticket_id, action, member.user_id, from_status=TicketStatus.claimed, at=now,
                       to_status=to_status, note=note, expect={"claimed_by": member.user_id}, values=values,
                       returning=("user_id",))
    if moved is not None:
        return moved
    ticket = await ticket_for_update(session, ticket_id)
    if ticket is None:
        raise Refusal("not_found", texts.NO_TASK.format(id=ticket_id))
    if ticket.status == TicketStatus.claimed:
        raise Refusal("conflict", texts.NOT_YOURS.format(id=ticket.id))  # a member, but the claim is another's
    raise Refusal("conflict", texts.NOT_ACTIVE.format(id=ticket.id, status=status_name(ticket.status)))


async def _tell_resident(session: AsyncSession, ticket_id: int, resident_id: int, moved: Moved, body: str) -> None:
    await push_to(session, resident_id, f"ticket:{ticket_id}:event:{moved.event_id}", body, ticket_id,
                  title="诉求办理进度")
