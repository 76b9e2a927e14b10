"""Party members and the claiming queue: 任务 (paged with 更多), 认领, 进展, 完成, 放弃, 我的任务.

Only approved members of the ticket's community may claim; only the claimer may report on
a claim. Each change is one conditional transition (models.tasks) plus its audit row, and
the resident hears of claim, progress and completion through a queued push.
"""
from __future__ import annotations

from sqlmodel import select

from handlers.masking import mask_name, mask_text
from handlers.parsing import numbered
from handlers.pushes import push_to
from handlers.talk.actions import contact_for_claimer
from handlers.texts import requests as request_texts
from handlers.texts import tasks as texts
from handlers.texts import talk as talk_texts
from handlers.types import Context, Incoming, Reply
from models import members, points
from models.clock import local_text
from models.members import MemberProfile, MemberStatus
from models.org import OrgUnit
from models.tasks import claims_of, open_tasks, ticket_for_update, transition
from models.tickets import Ticket, TicketEvent, TicketStatus


async def member_or_refusal(ctx: Context) -> MemberProfile | Reply:
    """The approved member's profile, or the one-sentence reason they may not act."""
    profile = await members.profile_of(ctx.session, ctx.user.id)
    if profile is None:
        return Reply(texts.NOT_MEMBER)
    if profile.status == MemberStatus.approved:
        return profile
    return Reply(texts.PENDING_MEMBER if profile.status == MemberStatus.pending else texts.REJECTED_MEMBER)


async def list_tasks(msg: Incoming, ctx: Context, args: str) -> Reply:
    return await _page(ctx, 0)


async def more_tasks(msg: Incoming, ctx: Context, args: str) -> Reply:
    stored = await ctx.redis.get(_page_key(ctx))
    return await _page(ctx, int(stored) if stored else 0)


def _page_key(ctx: Context) -> str:
    return ctx.keys("tasks_page", ctx.user.openid)


async def _page(ctx: Context, page: int) -> Reply:
    profile = await member_or_refusal(ctx)
    if isinstance(profile, Reply):
        return profile
    size = ctx.settings.task_page_size
    tasks = await open_tasks(ctx.session, profile.grid_id, profile.community_id, page * size, size + 1)
    if not tasks:
        return Reply(texts.NO_MORE if page else texts.NO_TASKS)
    await ctx.redis.set(_page_key(ctx), page + 1, ex=ctx.settings.dialog_ttl_s)
    grid_ids = {ticket.grid_id for ticket in tasks if ticket.grid_id}
    grids = {unit.id: unit.name for unit in (await ctx.session.exec(
        select(OrgUnit).where(OrgUnit.id.in_(grid_ids)))).all()}  # one query, not one per line
    lines = [texts.TASKS_HEADER.format(page=page + 1)]
    lines += [_task_line(ticket, grids.get(ticket.grid_id, texts.NO_GRID)) for ticket in tasks[:size]]
    lines.append(texts.TASKS_FOOTER if len(tasks) > size else texts.TASKS_LAST_FOOTER)
    return Reply("\n".join(lines))


def _task_line(ticket: Ticket, where: str) -> str:
    return texts.TASK_LINE.format(id=ticket.id, urgent=texts.URGENT_MARK if ticket.urgent else "",
                                  where=where, text=short(ticket.text))


async def where_of(ctx: Context, ticket: Ticket) -> str:
    grid = await ctx.session.get(OrgUnit, ticket.grid_id) if ticket.grid_id else None
    return grid.name if grid else texts.NO_GRID


def short(text: str, limit: int = 16) -> str:
    """The start of a resident's text, phone numbers masked, short enough for one phone line."""
    text = mask_text(" ".join(text.split()))
    return text if len(text) <= limit else text[:limit] + "…"


def status_name(status: str) -> str:
    return request_texts.STATUS_NAMES.get(TicketStatus(status), status)


async def claim(msg: Incoming, ctx: Context, args: str) -> Reply:
    parsed = numbered(args)
    if parsed is None:
        return Reply(texts.USAGE["认领"])
    found = await _member_and_ticket(ctx, parsed[0])
    if isinstance(found, Reply):
        return found
    profile, ticket = found
    if ticket.community_id != profile.community_id and ticket.community_id is not None:
        community = await ctx.session.get(OrgUnit, ticket.community_id)
        return Reply(texts.OTHER_COMMUNITY.format(id=ticket.id, community=community.name))
    if ticket.status != TicketStatus.queued or ticket.community_id is None:
        return _not_claimable(ctx, ticket)
    values = {"claimed_by": ctx.user.id, "claimed_at": ctx.now, "last_progress_at": ctx.now}
    event = await transition(ctx.session, ticket, "claimed", ctx.user.id, to_status=TicketStatus.claimed,
                             note=f"党员{mask_name(profile.name)}", expect={"claimed_by": None}, values=values)
    if event is None:  # someone else's UPDATE got there first
        return _not_claimable(ctx, await ticket_for_update(ctx.session, ticket.id))
    await _tell_resident(ctx, ticket, event, texts.PUSH_CLAIMED.format(id=ticket.id, member=mask_name(profile.name)))
    contact = await contact_for_claimer(ctx.session, ticket, ctx.user.id, ctx.now)
    return Reply(texts.CLAIMED.format(id=ticket.id, text=short(ticket.text, 40), where=await where_of(ctx, ticket))
                 + "\n" + contact)


async def _member_and_ticket(ctx: Context, ticket_id: int) -> tuple[MemberProfile, Ticket] | Reply:
    """The sender's approved membership and the ticket as stored now; else the refusal to send."""
    profile = await member_or_refusal(ctx)
    if isinstance(profile, Reply):
        return profile
    ticket = await ticket_for_update(ctx.session, ticket_id)
    if ticket is None:
        return Reply(texts.NO_TASK.format(id=ticket_id))
    return profile, ticket


def _not_claimable(ctx: Context, ticket: Ticket) -> Reply:
    if ticket.status == TicketStatus.claimed:
        same = ticket.claimed_by == ctx.user.id
        return Reply((texts.YOU_HAVE_IT if same else texts.ALREADY_CLAIMED).format(id=ticket.id))
    return Reply(texts.NOT_CLAIMABLE.format(id=ticket.id, status=status_name(ticket.status)))


async def _tell_resident(ctx: Context, ticket: Ticket, event: TicketEvent, body: str) -> None:
    await push_to(ctx.session, ticket.user_id, f"ticket:{ticket.id}:event:{event.id}", body, ticket.id,
                  title="诉求办理进度")


async def _my_claim(ctx: Context, args: str, word: str) -> tuple[Ticket, str, MemberProfile] | Reply:
    """The claimed ticket named in `args` when it is the sender's, with the note; else the refusal."""
    parsed = numbered(args)
    if parsed is None or not parsed[1]:
        return Reply(texts.USAGE[word])
    found = await _member_and_ticket(ctx, parsed[0])
    if isinstance(found, Reply):
        return found
    profile, ticket = found
    if ticket.status == TicketStatus.claimed and ticket.claimed_by != ctx.user.id:
        return Reply(texts.NOT_YOURS.format(id=ticket.id))
    if ticket.status != TicketStatus.claimed:
        return Reply(texts.NOT_ACTIVE.format(id=ticket.id, status=status_name(ticket.status)))
    return ticket, parsed[1][:300], profile


async def _moved(ctx: Context, ticket_id: int) -> Reply:
    """The claim changed under us (expired by the scheduler, or a second message): say how it stands."""
    ticket = await ticket_for_update(ctx.session, ticket_id)
    return Reply(texts.NOT_ACTIVE.format(id=ticket_id, status=status_name(ticket.status)))


async def progress(msg: Incoming, ctx: Context, args: str) -> Reply:
    found = await _my_claim(ctx, args, "进展")
    if isinstance(found, Reply):
        return found
    ticket, note, _ = found
    event = await transition(ctx.session, ticket, "progress", ctx.user.id, to_status=None, note=note,
                             expect={"claimed_by": ctx.user.id}, values={"last_progress_at": ctx.now})
    if event is None:
        return await _moved(ctx, ticket.id)
    await _tell_resident(ctx, ticket, event, texts.PUSH_PROGRESS.format(id=ticket.id, note=note))
    return Reply(texts.PROGRESS_SAVED.format(id=ticket.id))


async def finish(msg: Incoming, ctx: Context, args: str) -> Reply:
    found = await _my_claim(ctx, args, "完成")
    if isinstance(found, Reply):
        return found
    ticket, note, profile = found
    event = await transition(ctx.session, ticket, "done", ctx.user.id, to_status=TicketStatus.done, note=note,
                             expect={"claimed_by": ctx.user.id}, values={"last_progress_at": ctx.now})
    if event is None:
        return await _moved(ctx, ticket.id)
    earned = ctx.settings.points_per_task
    await points.award(ctx.session, user_id=ctx.user.id, ticket_id=ticket.id, reason="done", points=earned,
                       grid_id=profile.grid_id, community_id=profile.community_id, now=ctx.now)
    await _tell_resident(ctx, ticket, event, texts.PUSH_DONE.format(id=ticket.id, note=note))
    return Reply(texts.DONE_SAVED.format(id=ticket.id, points=earned))


async def give_up(msg: Incoming, ctx: Context, args: str) -> Reply:
    found = await _my_claim(ctx, args, "放弃")
    if isinstance(found, Reply):
        return found
    ticket, note, _ = found
    event = await transition(ctx.session, ticket, "released", ctx.user.id, to_status=TicketStatus.queued,
                             note=note, expect={"claimed_by": ctx.user.id},
                             values={"claimed_by": None, "claimed_at": None})
    if event is None:
        return await _moved(ctx, ticket.id)
    await _tell_resident(ctx, ticket, event, talk_texts.PUSH_RELEASED.format(id=ticket.id))
    return Reply(texts.RELEASED.format(id=ticket.id))


async def my_tasks(msg: Incoming, ctx: Context, args: str) -> Reply:
    profile = await member_or_refusal(ctx)
    if isinstance(profile, Reply):
        return profile
    tickets = await claims_of(ctx.session, ctx.user.id)
    if not tickets:
        return Reply(texts.MY_NONE)
    lines = [texts.MY_HEADER]
    lines += [texts.MY_LINE.format(id=t.id, since=local_text(t.claimed_at), text=short(t.text)) for t in tickets]
    lines.append(texts.MY_FOOTER)
    return Reply("\n".join(lines))
