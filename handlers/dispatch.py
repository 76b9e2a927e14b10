"""Grid heads in chat: 待分派 lists requests with no grid yet (or reopened), 分派 12 网格 queues one."""
from __future__ import annotations

from handlers.parsing import numbered
from handlers.tasks import short, status_name
from handlers.texts import tasks as texts
from handlers.types import Context, Incoming, Reply
from models import access
from models.org import OrgLevel, OrgUnit, community_of, find_unit
from models.tasks import ticket_for_update, transition, triage_list
from models.tickets import TicketStatus
from models.users import Role


async def waiting(msg: Incoming, ctx: Context, args: str) -> Reply:
    units = await access.units_of(ctx.session, ctx.user.id, Role.grid_head)
    if not units:
        return Reply(texts.GRID_HEAD_ONLY)
    communities = [await _community_id(ctx, unit) for unit in units]
    tickets = await triage_list(ctx.session, communities)
    if not tickets:
        return Reply(texts.TRIAGE_NONE)
    lines = [texts.TRIAGE_HEADER]
    lines += [texts.TRIAGE_LINE.format(id=t.id, urgent=texts.URGENT_MARK if t.urgent else "", text=short(t.text))
              for t in tickets]
    return Reply("\n".join(lines))


async def _community_id(ctx: Context, unit_id: int | None) -> int | None:
    """The community a grant covers; a grant above communities (street, district) sees all."""
    if unit_id is None:
        return None
    unit = await ctx.session.get(OrgUnit, unit_id)
    if unit.level in (OrgLevel.district, OrgLevel.street):
        return None
    community = await community_of(ctx.session, unit_id)
    return community.id if community else None


async def assign(msg: Incoming, ctx: Context, args: str) -> Reply:
    parsed = numbered(args)
    if parsed is None or not parsed[1]:
        return Reply(texts.USAGE["分派"])
    if not await access.units_of(ctx.session, ctx.user.id, Role.grid_head):
        return Reply(texts.GRID_HEAD_ONLY)
    ticket = await ticket_for_update(ctx.session, parsed[0])
    if ticket is None:
        return Reply(texts.NO_TASK.format(id=parsed[0]))
    if ticket.status != TicketStatus.triage:
        return Reply(texts.NOT_IN_TRIAGE.format(id=ticket.id, status=status_name(ticket.status)))
    if ticket.community_id is not None and not await _heads_in(ctx, ticket.community_id):
        return Reply(texts.NO_TASK.format(id=ticket.id))  # another community's: not even its existence
    grid = await find_unit(ctx.session, parsed[1], OrgLevel.grid)
    if grid is None:
        return Reply(texts.OUT_OF_SCOPE.format(name=parsed[1]))
    if not await access.holds(ctx.session, ctx.user.id, Role.grid_head, grid.id):
        return Reply(texts.OUT_OF_SCOPE.format(name=grid.name))
    community = await community_of(ctx.session, grid.id)
    event = await transition(ctx.session, ticket, "reassigned", ctx.user.id, to_status=TicketStatus.queued,
                             note=grid.name, values={"grid_id": grid.id, "community_id": community.id,
                                                     "escalation_level": 0})
    if event is None:
        return Reply(texts.NOT_IN_TRIAGE.format(id=ticket.id, status=status_name(TicketStatus.queued)))
    return Reply(texts.ASSIGNED.format(id=ticket.id, grid=grid.name))


async def _heads_in(ctx: Context, community_id: int) -> bool:
    """True when the sender is grid head of the community, of a grid in it, or of a unit above it."""
    if await access.holds(ctx.session, ctx.user.id, Role.grid_head, community_id):
        return True
    for unit_id in await access.units_of(ctx.session, ctx.user.id, Role.grid_head):
        community = await community_of(ctx.session, unit_id) if unit_id else None
        if community is not None and community.id == community_id:
            return True
    return False
