"""The values crossing into and out of the intake writer: plain, immutable, no ORM objects.

They carry exactly what `handlers/requests.py` puts into a `Ticket` and what
`models.users.get_or_create_user` and `models.outbound.enqueue` write today.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class TicketValues:
    """A new ticket as the classifier and the routing decided it (user id and times come from the intake)."""
    text: str
    department: str
    topic: str
    kind: str
    urgent: bool
    confidence: float
    places: str
    why: str
    status: str
    grid_id: int | None
    community_id: int | None
    source_msg_id: str | None  # WeChat's MsgId: the unique column that keeps a retry from a second ticket


@dataclass(frozen=True, slots=True)
class PushValues:
    """One outbound row queued with the intake; `for_ticket` links it to the new ticket."""
    key: str
    openid: str
    kind: str
    body: str
    title: str = ""
    for_ticket: bool = False


@dataclass(frozen=True, slots=True)
class Intake:
    """One message's writes: the user touched (created on first contact), then optionally its ticket
    with the `created` audit row, and pushes (only when the ticket is new)."""
    openid: str
    now: datetime
    ticket: TicketValues | None = None
    pushes: tuple[PushValues, ...] = ()


@dataclass(frozen=True, slots=True)
class UserRow:
    id: int
    name: str | None
    phone: str | None
    grid_id: int | None
    subscribed: bool


@dataclass(frozen=True, slots=True)
class TicketRow:
    """What a reply needs of the stored ticket (for a duplicate: of the ticket stored before)."""
    id: int
    status: str
    department: str
    topic: str
    kind: str
    urgent: bool


@dataclass(frozen=True, slots=True)
class Stored:
    """The intake after its COMMIT. `duplicate`: the ticket's source was stored before (a retry)."""
    user: UserRow
    ticket: TicketRow | None = None
    duplicate: bool = False
    push_ids: list[int] = field(default_factory=list)  # rows to put on the outbound stream now
