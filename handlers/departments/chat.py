"""The chat grammar over the department actions: 签收, 退回, 答复, 部门待办, 转派, 待转派.
The router answers a Refusal with its sentence."""
from __future__ import annotations

from handlers.departments import actions
from handlers.departments.actions import OpenItem
from handlers.parsing import numbered
from handlers.ticket_text import short
from handlers.texts import alerts as alert_texts
from handlers.texts import departments as texts
from handlers.types import Context, Incoming, Refusal, Reply
from models.clock import local_text
from models.tickets import Ticket

COMPLEX_WORDS = ("复杂", "疑难")


async def sign(msg: Incoming, ctx: Context, args: str) -> Reply:
    """签收 12 [复杂]: a liaison signs for a 大事; a grid head or staff for an urgent alert."""
    parsed = numbered(args)
    if parsed is None or (parsed[1] and parsed[1] not in COMPLEX_WORDS):
        return Reply(texts.USAGE["签收"])
    ticket_id, rest = parsed
    done = await actions.sign(ctx.session, ctx.user, ticket_id, bool(rest), ctx.settings, ctx.now)
    if done is None:
        return Reply(alert_texts.SIGNED.format(id=ticket_id))
    return Reply(texts.ACKNOWLEDGED.format(id=ticket_id, department=done.department, due=local_text(done.due)))


async def send_back(msg: Incoming, ctx: Context, args: str) -> Reply:
    ticket_id, reason = _number_and_text(args, "退回")
    done = await actions.send_back(ctx.session, ctx.user, ticket_id, reason, ctx.now)
    return Reply(texts.RETURNED.format(id=done.ticket.id))


async def answer(msg: Incoming, ctx: Context, args: str) -> Reply:
    ticket_id, text = _number_and_text(args, "答复")
    done = await actions.answer(ctx.session, ctx.user, ticket_id, text, ctx.now)
    return Reply(texts.ANSWERED.format(id=done.ticket.id))


async def redispatch(msg: Incoming, ctx: Context, args: str) -> Reply:
    ticket_id, department = _number_and_text(args, "转派")
    done = await actions.redispatch(ctx.session, ctx.user, ticket_id, department, ctx.settings, ctx.now)
    return Reply(texts.REDISPATCHED.format(id=done.ticket.id, department=done.department))


def _number_and_text(args: str, word: str) -> tuple[int, str]:
    """`12 内容`: both required; else the command's usage line."""
    parsed = numbered(args)
    if parsed is None or not parsed[1]:
        raise Refusal("invalid", texts.USAGE[word])
    return parsed


async def open_items(msg: Incoming, ctx: Context, args: str) -> Reply:
    return Reply(_items_text(await actions.open_items(ctx.session, ctx.user, ctx.settings)))


async def waiting(msg: Incoming, ctx: Context, args: str) -> Reply:
    return Reply(_waiting_text(await actions.waiting_for_dispatch(ctx.session, ctx.user)))


def _items_text(found: tuple[str, list[OpenItem]]) -> str:
    label, items = found
    if not items:
        return texts.LIST_NONE
    lines = [texts.LIST_HEADER.format(department=label)]
    lines += [texts.LIST_LINE.format(id=item.ticket.id, urgent=_urgent(item.ticket),
                                     status=texts.STATUS.get(item.ticket.status, ""),
                                     due=local_text(item.due) if item.due else "", text=short(item.ticket.text))
              for item in items]
    lines.append(texts.LIST_FOOTER)
    return "\n".join(lines)


def _waiting_text(tickets: list[Ticket]) -> str:
    if not tickets:
        return texts.WAITING_NONE
    lines = [texts.WAITING_HEADER]
    lines += [texts.WAITING_LINE.format(id=t.id, urgent=_urgent(t), text=short(t.text),
                                        why=f"（{t.department}）") for t in tickets]
    return "\n".join(lines)


def _urgent(ticket: Ticket) -> str:
    return texts.URGENT_MARK if ticket.urgent else ""

