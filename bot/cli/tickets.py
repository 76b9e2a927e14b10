"""`linli tickets add`: staff log a resident's phone call, walk-in or home visit (代录) as a request.

The CLI door over handlers.intake.actions: a refusal prints its sentence and exits 2.
"""
from __future__ import annotations

import argparse

from sqlmodel.ext.asyncio.session import AsyncSession

from handlers.intake.actions import CHANNELS, log_request
from handlers.masking import mask_phone
from handlers.types import Refusal
from models.clock import utcnow


def register(commands: argparse._SubParsersAction) -> None:
    from bot.cli.queue import _in_session
    tickets = commands.add_parser("tickets", help="requests logged by staff").add_subparsers(
        dest="tickets_command", required=True)
    add = tickets.add_parser("add", help="log a request for a resident (found or created by phone number)")
    add.add_argument("--phone", required=True, help="the resident's mobile number")
    add.add_argument("--text", required=True, help="the request in the resident's words")
    add.add_argument("--channel", required=True, choices=CHANNELS, help="how it reached us")
    add.set_defaults(run=_in_session(_add))


async def _add(session: AsyncSession, args: argparse.Namespace) -> int:
    try:
        logged = await log_request(session, None, args.phone, args.text, args.channel, args.settings, utcnow())
    except Refusal as refusal:
        print(f"error: {refusal.sentence}")
        return 2
    ticket = logged.ticket
    who = f"{mask_phone(logged.resident.phone)}{'（新登记）' if logged.new_resident else ''}"
    print(f"已登记诉求 {ticket.id}（{ticket.department}·{ticket.topic}·{ticket.kind}，{ticket.status}）居民 {who}")
    return 0
