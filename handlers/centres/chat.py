"""The red map in chat: a LOCATION message (or 服务中心) finds the nearest party-mass service centres."""
from __future__ import annotations

from handlers.texts import centres as texts
from handlers.types import Context, Incoming, Reply
from models.centres import ServiceCentre, nearest

NEARBY_COUNT = 3


async def nearby(msg: Incoming, ctx: Context, args: str) -> Reply:
    """Answer a location with the nearest centres; any other message asks for the location."""
    if msg.latitude is None or msg.longitude is None:
        return Reply(texts.ASK_LOCATION)
    ranked = await nearest(ctx.session, msg.latitude, msg.longitude, NEARBY_COUNT)
    if not ranked:
        return Reply(texts.NONE_YET)
    lines = [texts.NEARBY_HEADER]
    lines += [centre_text(n, centre, metres) for n, (centre, metres) in enumerate(ranked, start=1)]
    lines.append(texts.NEARBY_FOOTER)
    return Reply("\n".join(lines))


def centre_text(n: int, centre: ServiceCentre, metres: float) -> str:
    text = texts.CENTRE.format(n=n, name=centre.name, distance=distance_text(metres), address=centre.address,
                               hours=centre.hours or texts.UNKNOWN_HOURS, phone=centre.phone or "12345")
    return text + ("\n" + texts.SERVICES.format(services=centre.services) if centre.services else "")


def distance_text(metres: float) -> str:
    if metres < 1000:
        return texts.METRES.format(m=max(10, round(metres / 10) * 10))
    return texts.KILOMETRES.format(km=metres / 1000)
