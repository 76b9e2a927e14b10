"""SQLModel tables, one module per area, with the queries over them next to them.

Importing this package registers every table on `SQLModel.metadata` (alembic and tests rely on it).
"""
from models.org import OrgUnit, OrgLevel
from models.users import User, UserRole, Role
from models.tickets import Ticket, TicketEvent, TicketStatus
from models.outbound import OutboundMessage
from models.centres import ServiceCentre
from models.rooms import Room, RoomBooking
from models.media import TicketPhoto
from models.callbacks import CallbackUrl
from models.members import MemberProfile
from models.projects import CoopUnit, Project, ProjectClaim
from models.points import PointEntry
import models.tasks  # noqa: F401  (the queue's partial indexes on ticket)
from models.staff import StaffAccount
from models.notices import Notice
from models.subscriptions import Subscription, SubscriptionChoice
from models.corrections import TicketCorrection
from models.departments import Department

__all__ = [
    "OrgUnit", "OrgLevel", "User", "UserRole", "Role",
    "Ticket", "TicketEvent", "TicketStatus", "OutboundMessage", "ServiceCentre", "Room", "RoomBooking", "TicketPhoto",
    "StaffAccount", "CallbackUrl",
    "Notice", "Subscription", "SubscriptionChoice",
    "MemberProfile", "CoopUnit", "Project", "ProjectClaim", "PointEntry", "TicketCorrection",
    "Department",
]
