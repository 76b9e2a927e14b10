"""Staff correct how a request was sorted: department, 三事 kind, urgency.

An action (DESIGN.md "Doors and actions"): the console calls it, and so could any other
door. Staff over the ticket's place may correct it; the change is one conditional update
(nobody else changed those fields since the page was read), one audit row in the ticket's
history and one `ticket_correction` row that `linli tickets export-labels` turns into
labelled data for `linli nlp learn`.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from sqlmodel.ext.asyncio.session import AsyncSession

from handlers.masking import mask_text
from handlers.texts import console as texts
from handlers.types import Refusal
from models.access import holds, units_of
from models.corrections import TicketCorrection, corrected_tickets
from models.clock import utcnow
from models.tasks import ticket_for_update, move
from models.tickets import Ticket
from models.users import Role
from nlp.rules import DEPARTMENTS, KINDS

LABEL_COLUMNS = ("text", "department", "topic", "kind", "urgent", "places")


@dataclass(frozen=True)
class Labels:
    department: str
    kind: str
    urgent: bool


async def correct(session: AsyncSession, actor_id: int, ticket_id: int, labels: Labels,
                  seen: Labels | None = None) -> int:
    """Set the ticket's labels; `seen`: what the corrector was shown (default: what is stored now).
    Returns the audit row's id."""
    if labels.department not in DEPARTMENTS or labels.kind not in KINDS:
        raise Refusal("invalid", texts.CORRECTION_UNKNOWN_LABEL)
    ticket = await ticket_for_update(session, ticket_id)
    if ticket is None:
        raise Refusal("not_found", texts.NOT_FOUND.format(id=ticket_id))
    if not await _may_correct(session, actor_id, ticket):
        raise Refusal("forbidden", texts.CORRECTION_STAFF_ONLY)
    before = Labels(ticket.department, ticket.kind, ticket.urgent)
    if seen is not None and seen != before:
        raise Refusal("conflict", texts.CHANGED_MEANWHILE.format(id=ticket_id))
    if labels == before:
        raise Refusal("invalid", texts.CORRECTION_NOTHING)
    now = utcnow()
    moved = await move(session, ticket_id, "corrected", actor_id, from_status=ticket.status, at=now,
                       note=_note(before, labels),
                       expect={"department": before.department, "kind": before.kind, "urgent": before.urgent},
                       values={"department": labels.department, "kind": labels.kind, "urgent": labels.urgent})
    if moved is None:
        raise Refusal("conflict", texts.CHANGED_MEANWHILE.format(id=ticket_id))
    session.add(TicketCorrection(ticket_id=ticket.id, actor_id=actor_id, at=now,
                                 department_before=before.department, department=labels.department,
                                 kind_before=before.kind, kind=labels.kind,
                                 urgent_before=before.urgent, urgent=labels.urgent))
    return moved.event_id


async def _may_correct(session: AsyncSession, actor_id: int, ticket: Ticket) -> bool:
    unit = ticket.grid_id or ticket.community_id
    if unit is None:  # not yet placed: any staff may sort it, as grid heads anywhere may triage it
        return bool(await units_of(session, actor_id, Role.staff))
    return await holds(session, actor_id, Role.staff, unit)


def _note(before: Labels, after: Labels) -> str:
    yes_no = {True: texts.URGENT_YES, False: texts.URGENT_NO}
    changes = [texts.CORRECTION_PART.format(field=field, old=old, new=new) for field, old, new in (
        (texts.FIELD_DEPARTMENT, before.department, after.department), (texts.FIELD_KIND, before.kind, after.kind),
        (texts.FIELD_URGENT, yes_no[before.urgent], yes_no[after.urgent])) if old != new]
    return "；".join(changes)


async def labelled_csv(session: AsyncSession, where=None) -> str:
    """Corrected requests (matching the SQL condition `where`) in the tests/data format, for `linli nlp learn`.

    The topic is kept only where the department stayed what the classifier said (a topic
    belongs to one department); phone numbers are masked, the rest of the text is as written.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(LABEL_COLUMNS)
    for ticket, first_department in await corrected_tickets(session, where):
        topic = ticket.topic if ticket.department == first_department else ""
        writer.writerow((mask_text(ticket.text), ticket.department, topic, ticket.kind, int(ticket.urgent),
                         ticket.places.replace(",", ";")))
    return buffer.getvalue()
