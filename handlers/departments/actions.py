"""Door-neutral actions on 大事: departments, liaisons, 签收, 退回, 答复, 转派 and the liaison's list.

Each takes a session, the acting user and typed arguments, and returns a typed result or
raises `Refusal`. Every change is one conditional UPDATE plus its audit row
(`models.tasks.move`, from the status the case was read in and with its department unchanged),
with the pushes it causes queued in the same transaction under idempotent keys.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from config.settings import Settings
from handlers.alerts import actions as alerts
from handlers.departments.deadlines import answer_limit, due_at
from handlers.masking import mask_text
from handlers.permission import require_anywhere
from handlers.pushes import push_to
from handlers.texts import departments as texts
from handlers.texts.requests import STATUS_NAMES
from handlers.types import Refusal
from models import access
from models.clock import local_text
from models.departments import (Department, department_for, department_label, departments_named,
                                departments_of, people_of, street_of_ticket, street_staff)
from models.org import OrgLevel, find_unit
from models.tasks import move, ticket_for_update
from models.tickets import Ticket, TicketStatus
from models.users import Role, User, UserRole

CASE_STATUSES = (TicketStatus.forwarded, TicketStatus.acknowledged)
LIST_LIMIT = 20


@dataclass(frozen=True)
class CaseChange:
    """A 大事 after an action: the ticket as it is now, the audit row's id, the department's label,
    the next due time."""

    ticket: Ticket
    event_id: int
    department: str
    due: datetime | None = None


@dataclass(frozen=True)
class OpenItem:
    ticket: Ticket
    due: datetime | None


async def add_department(session: AsyncSession, name: str, street: str | None) -> Department:
    name = name.strip()
    if not 2 <= len(name) <= 32:
        raise Refusal("invalid", texts.BAD_NAME)
    unit = await find_unit(session, street, OrgLevel.street) if street else None
    if street and unit is None:
        raise Refusal("not_found", texts.UNKNOWN_STREET.format(name=street))
    if any(d.unit_id == (unit.id if unit else None) for d in await departments_named(session, name)):
        raise Refusal("conflict", texts.DEPARTMENT_EXISTS.format(name=name))
    department = Department(name=name, unit_id=unit.id if unit else None)
    session.add(department)
    await session.flush()
    return department


async def find_department(session: AsyncSession, text: str) -> Department:
    """“城乡建设”, or “城乡建设/幸福街道” when several streets have one."""
    name, _, street = text.strip().partition("/")
    found = await departments_named(session, name.strip())
    if street:
        unit = await find_unit(session, street.strip(), OrgLevel.street)
        found = [d for d in found if unit is not None and d.unit_id == unit.id]
    if len(found) == 1:
        return found[0]
    if found:
        raise Refusal("invalid", texts.AMBIGUOUS_DEPARTMENT.format(name=name))
    raise Refusal("not_found", texts.UNKNOWN_DEPARTMENT.format(name=text, names=await _names(session)))


async def grant_department_role(session: AsyncSession, user: User, role: Role, department_text: str,
                                revoke: bool = False) -> tuple[bool, Department]:
    """Make the user a liaison (or head) of a department; (False, …) when nothing changed."""
    department = await find_department(session, department_text)
    query = select(UserRole).where(UserRole.user_id == user.id, UserRole.role == role,
                                   UserRole.department_id == department.id)
    existing = (await session.exec(query)).all()
    if revoke:
        for row in existing:
            await session.delete(row)
        return bool(existing), department
    if existing:
        return False, department
    session.add(UserRole(user_id=user.id, role=role, unit_id=department.unit_id, department_id=department.id))
    await session.flush()
    return True, department


async def place_at_intake(session: AsyncSession, ticket: Ticket) -> None:
    """Before a 大事 is stored: its department (by category and street) and the start of its clocks."""
    department = await department_for(session, ticket.department, ticket.community_id)
    ticket.department_id = department.id if department else None
    ticket.forwarded_at = ticket.created_at


async def announce(session: AsyncSession, ticket: Ticket, settings: Settings, key: str) -> None:
    """Tell the department's liaisons of a 大事 forwarded to them (new, or re-dispatched)."""
    if ticket.department_id is None:
        return
    department = await session.get(Department, ticket.department_id)
    body = texts.PUSH_NEW.format(department=await department_label(session, department), id=ticket.id,
                                 urgent=texts.URGENT_MARK if ticket.urgent else "",
                                 text=mask_text(ticket.text[:60]), due=local_text(due_at(ticket, settings)))
    for liaison in await people_of(session, department.id, Role.department):
        await push_to(session, liaison.id, f"{key}:liaison:{liaison.id}", body, ticket.id, title="新诉求待签收")


async def sign(session: AsyncSession, actor: User, ticket_id: int, complex_case: bool, settings: Settings,
               now: datetime) -> CaseChange | None:
    """签收: a liaison signs for a 大事 of their department; a grid head or staff for an urgent
    alert (then None). A liaison is answered as a liaison unless they may sign the alert."""
    ticket = await _ticket(session, ticket_id)
    mine = await departments_of(session, actor.id)
    if ticket.department_id in mine or (mine and not await alerts.may_sign(session, actor, ticket)):
        return await acknowledge(session, actor, ticket_id, complex_case, settings, now)
    await alerts.acknowledge_alert(session, actor, ticket_id, now)
    return None


async def acknowledge(session: AsyncSession, actor: User, ticket_id: int, complex_case: bool,
                      settings: Settings, now: datetime) -> CaseChange:
    """签收: the department has it; the answer is due 7 (complex: 15) days after forwarding."""
    ticket = await _my_case(session, actor, ticket_id, (TicketStatus.forwarded,))
    event_id = await _move(session, ticket, "acknowledged", actor.id, now, to_status=TicketStatus.acknowledged,
                           note="情况复杂" if complex_case else "",
                           values={"acknowledged_at": now, "complex": complex_case, "escalation_level": 0})
    label = await _label(session, ticket)
    due = ticket.forwarded_at + answer_limit(complex_case, settings)
    await push_to(session, ticket.user_id, f"ticket:{ticket.id}:event:{event_id}", texts.PUSH_ACKNOWLEDGED.format(
        id=ticket.id, department=label, due=local_text(due)), ticket.id, title="诉求办理进度")
    return CaseChange(ticket, event_id, label, due)


async def send_back(session: AsyncSession, actor: User, ticket_id: int, reason: str, now: datetime) -> CaseChange:
    """退回: not this department's; the street staff are told and re-dispatch it (转派)."""
    ticket = await _my_case(session, actor, ticket_id, CASE_STATUSES)
    label = await _label(session, ticket)
    event_id = await _move(session, ticket, "returned", actor.id, now, to_status=TicketStatus.returned,
                           note=reason[:300], values={"escalation_level": 0})
    body = texts.PUSH_RETURNED.format(department=label, id=ticket.id, reason=reason[:100],
                                      text=mask_text(ticket.text[:60]))
    for person in await street_staff(session, ticket):
        await push_to(session, person.id, f"ticket:{ticket.id}:event:{event_id}:staff:{person.id}", body,
                      ticket.id, title="部门退回")
    return CaseChange(ticket, event_id, label)


async def answer(session: AsyncSession, actor: User, ticket_id: int, text: str, now: datetime) -> CaseChange:
    """答复: the department's answer goes to the resident, who rates it (评价)."""
    ticket = await _my_case(session, actor, ticket_id, CASE_STATUSES)
    event_id = await _move(session, ticket, "answered", actor.id, now, to_status=TicketStatus.done, note=text[:500],
                           values={"acknowledged_at": ticket.acknowledged_at or now, "last_progress_at": now})
    label = await _label(session, ticket)
    await push_to(session, ticket.user_id, f"ticket:{ticket.id}:event:{event_id}", texts.PUSH_ANSWERED.format(
        department=label, id=ticket.id, answer=text[:300]), ticket.id, title="诉求答复")
    return CaseChange(ticket, event_id, label)


async def redispatch(session: AsyncSession, actor: User, ticket_id: int, department_name: str,
                     settings: Settings, now: datetime) -> CaseChange:
    """转派: street staff send a 大事 (returned, or with no department yet) to a department."""
    ticket = await _ticket(session, ticket_id)
    if not await access.holds(session, actor.id, Role.staff, await street_of_ticket(session, ticket)):
        raise Refusal("forbidden", texts.NOT_STREET_STAFF.format(id=ticket.id))
    if ticket.status not in (TicketStatus.returned, *CASE_STATUSES):
        raise _wrong_state(ticket)
    department = await department_for(session, department_name.strip(), ticket.community_id)
    if department is None:
        raise Refusal("not_found", texts.UNKNOWN_DEPARTMENT.format(name=department_name,
                                                                   names=await _names(session)))
    event_id = await _move(session, ticket, "forwarded", actor.id, now, to_status=TicketStatus.forwarded,
                           note=await department_label(session, department),
                           values={"department_id": department.id, "department": department.name, "forwarded_at": now,
                                   "acknowledged_at": None, "complex": False, "escalation_level": 0})
    await announce(session, ticket, settings, f"ticket:{ticket.id}:event:{event_id}")
    return CaseChange(ticket, event_id, await department_label(session, department), due_at(ticket, settings))


async def open_items(session: AsyncSession, actor: User, settings: Settings) -> tuple[str, list[OpenItem]]:
    """The liaison's list: what their departments must sign for or answer, most urgent first."""
    mine = await departments_of(session, actor.id)
    if not mine:
        raise Refusal("forbidden", texts.NOT_LIAISON)
    query = (select(Ticket).where(Ticket.department_id.in_(mine), Ticket.status.in_(CASE_STATUSES))
             .order_by(Ticket.urgent.desc(), Ticket.forwarded_at, Ticket.id).limit(LIST_LIMIT))
    labels = [await department_label(session, await session.get(Department, d)) for d in mine]
    return "、".join(labels), [OpenItem(t, due_at(t, settings)) for t in (await session.exec(query)).all()]


async def waiting_for_dispatch(session: AsyncSession, actor: User) -> list[Ticket]:
    """大事 the street staff must (re-)dispatch: sent back, or with no department for their category."""
    await require_anywhere(session, actor, Role.staff, texts.STAFF_ONLY)
    query = (select(Ticket).where(or_(Ticket.status == TicketStatus.returned,
                                      (Ticket.status == TicketStatus.forwarded) & Ticket.department_id.is_(None)))
             .order_by(Ticket.urgent.desc(), Ticket.updated_at, Ticket.id).limit(LIST_LIMIT * 5))
    tickets = (await session.exec(query)).all()
    mine = [t for t in tickets if await access.holds(session, actor.id, Role.staff, await street_of_ticket(session, t))]
    return mine[:LIST_LIMIT]


async def _ticket(session: AsyncSession, ticket_id: int) -> Ticket:
    ticket = await ticket_for_update(session, ticket_id)
    if ticket is None:
        raise Refusal("not_found", texts.NOT_FOUND.format(id=ticket_id))
    return ticket


async def _my_case(session: AsyncSession, actor: User, ticket_id: int, statuses: tuple[str, ...]) -> Ticket:
    """The ticket when it is a 大事 of the actor's department in one of `statuses`; else the refusal."""
    mine = await departments_of(session, actor.id)
    if not mine:
        raise Refusal("forbidden", texts.NOT_LIAISON)
    ticket = await _ticket(session, ticket_id)
    if ticket.department_id is None and ticket.status not in (*CASE_STATUSES, TicketStatus.returned):
        raise Refusal("conflict", texts.NOT_A_DEPARTMENT_CASE.format(id=ticket.id))
    if ticket.department_id not in mine:
        raise Refusal("forbidden", texts.NOT_YOUR_DEPARTMENT.format(id=ticket.id))
    if ticket.status not in statuses:
        raise _wrong_state(ticket)
    return ticket


def _wrong_state(ticket: Ticket) -> Refusal:
    status = STATUS_NAMES.get(TicketStatus(ticket.status), ticket.status)
    return Refusal("conflict", texts.WRONG_STATE.format(id=ticket.id, status=status))


async def _move(session: AsyncSession, ticket: Ticket, action: str, actor_id: int, now: datetime, *,
                to_status: str, note: str = "", values: dict) -> int:
    """Change the case if nobody did since it was read (same status, same department); the audit
    row's id. `ticket` is read again, so what follows (pushes, the result) sees the case as it is now."""
    moved = await move(session, ticket.id, action, actor_id, from_status=ticket.status, at=now, to_status=to_status,
                       note=note, expect={"department_id": ticket.department_id}, values=values)
    if moved is None:
        raise Refusal("conflict", texts.CHANGED_MEANWHILE.format(id=ticket.id))
    await session.refresh(ticket)
    return moved.event_id


async def _label(session: AsyncSession, ticket: Ticket) -> str:
    return await department_label(session, await session.get(Department, ticket.department_id))


async def _names(session: AsyncSession) -> str:
    names = sorted({d.name for d in (await session.exec(select(Department))).all()})
    return "、".join(names) or "（暂无）"

