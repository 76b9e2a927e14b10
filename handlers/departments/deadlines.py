"""The department's clocks, after 12345 practice: 签收 within hours, 答复 within days of forwarding.

One rule for the liaison's list, the scheduler's 督办 ladder and the sentences that name a
due time, so they can never disagree.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from config.settings import Settings
from models.tickets import Ticket, TicketStatus

TOP_RUNG = 3  # 1: the department's liaisons, 2: its heads, 3: the street staff


def ack_limit(urgent: bool, settings: Settings) -> timedelta:
    return timedelta(hours=settings.department_ack_urgent_hours if urgent else settings.department_ack_hours)


def answer_limit(complex_case: bool, settings: Settings) -> timedelta:
    return timedelta(days=settings.department_answer_complex_days if complex_case
                     else settings.department_answer_days)


def due_at(ticket: Ticket, settings: Settings) -> datetime | None:
    """When the department's current step is due: 签收 while forwarded, 答复 once signed for."""
    if ticket.forwarded_at is None or ticket.department_id is None:
        return None
    if ticket.status == TicketStatus.forwarded:
        return ticket.forwarded_at + ack_limit(ticket.urgent, settings)
    if ticket.status == TicketStatus.acknowledged:
        return ticket.forwarded_at + answer_limit(ticket.complex, settings)
    return None


def rung_due(ticket: Ticket, settings: Settings, now: datetime) -> int:
    """The 督办 rung the ticket should be on now: 0 in time, then one rung per 签收 limit overdue."""
    due = due_at(ticket, settings)
    if due is None or now < due:
        return 0
    return min(TOP_RUNG, 1 + int((now - due) / ack_limit(ticket.urgent, settings)))
