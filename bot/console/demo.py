"""Demo activity for `linli staff demo --activity` and the browser tests: a month of requests.

Residents' texts go through the real classifier; members are registered and approved
through the members area; every state change is a `record_event` row, dated back over
the last weeks so the dashboard has something to show. Runs once: a second call finds
the demo tickets (source ids "demo:…") and adds nothing. It also gives each seeded centre
bookable rooms, and keeps open claims inside the 督办 limits, so a first `linli supervise`
leaves the demo as it is.
"""
from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

import nlp
from bot.storage import Storage
from models import members
from models.clock import utcnow
from models.db import transaction
from models.centres import ServiceCentre
from models.org import OrgLevel, OrgUnit
from models.rooms import Room
from models.tickets import Ticket, TicketStatus, record_event
from models.users import User

TEXTS = (
    "{b}号楼楼道灯坏了好几天了", "{b}号楼门口垃圾堆了三天没人清运", "小区里电动车乱停堵住消防通道",
    "{b}号楼电梯又停了，老人上下楼很困难", "楼上装修噪音太大，晚上十点还在施工", "{b}号楼下水道堵了，污水冒出来",
    "小区绿化带被人种菜了", "想咨询一下退休职工医保怎么办理", "家里老人独居，希望社区能定期探望",
    "{b}号楼外墙瓷砖脱落，很危险", "小区健身器材坏了需要维修", "孩子上学的入学证明去哪里开",
    "楼道里堆满杂物，有消防隐患", "{b}号楼屋顶漏水，家里墙面都湿了", "想报名社区的书法兴趣班",
    "小区门口的路灯不亮，晚上很黑", "物业费涨价没有公示", "有人在小区里遛狗不牵绳",
)
MEMBER_NAMES = ("张建国", "李秀英", "王志强", "刘美华", "陈伟", "杨桂兰", "赵磊", "黄丽")
REQUESTS, RESIDENTS_PER_GRID, DAYS = 140, 12, 30
PROGRESS_WITHIN_HOURS = 3
ROOMS = (("党员活动室", 30, "投影仪、会议桌"), ("多功能厅", 80, "音响、舞台"), ("议事室", 12, "白板"))


async def demo_activity(storage: Storage, seed: int = 7, requests: int = REQUESTS) -> int:
    """Add the demo month; the number of tickets created (0 when it was there already)."""
    rng = random.Random(seed)
    async with transaction(storage.sessions) as session:
        await _rooms(session)
        if (await session.exec(select(Ticket.id).where(Ticket.source_msg_id.like("demo:%")))).first():
            return 0
        grids = list((await session.exec(select(OrgUnit).where(OrgUnit.level == OrgLevel.grid)
                                          .order_by(OrgUnit.code))).all())
        residents = await _residents(session, grids)
        helpers = await _members(session, grids)
        now = utcnow()
        for number in range(requests):
            await _request(session, rng, number, rng.choice(residents), helpers, now)
    return requests


async def _residents(session: AsyncSession, grids: list[OrgUnit]) -> list[User]:
    people = [User(openid=f"demo_resident_{grid.code}_{i}", grid_id=grid.id, subscribed_at=utcnow())
              for grid in grids for i in range(RESIDENTS_PER_GRID)]
    session.add_all(people)
    await session.flush()
    return people


async def _members(session: AsyncSession, grids: list[OrgUnit]) -> dict[int, list[User]]:
    """Two approved members per grid, registered with the grid's community."""
    by_grid: dict[int, list[User]] = {}
    for index, name in enumerate(MEMBER_NAMES):
        grid = grids[index % len(grids)]
        user = User(openid=f"demo_member_{index}", grid_id=grid.id, subscribed_at=utcnow())
        session.add(user)
        await session.flush()
        profile = await members.apply(session, user, grid.parent_id, name, f"1390000{index:04d}",
                                      list(members.MemberKind)[index % 4], grid.id)
        await members.decide(session, profile, True, None)
        by_grid.setdefault(grid.id, []).append(user)
    return by_grid


async def _request(session: AsyncSession, rng: random.Random, number: int, resident: User,
                   helpers: dict[int, list[User]], now: datetime) -> None:
    text = rng.choice(TEXTS).format(b=rng.randint(1, 24))
    found = nlp.classify(text)
    age = timedelta(days=DAYS * rng.random() ** 0.8)  # a few more in recent days
    created = now - age
    status = {"大事": TicketStatus.forwarded, "私事": TicketStatus.advised}.get(found.kind, TicketStatus.queued)
    ticket = Ticket(user_id=resident.id, text=text, department=found.department, topic=found.topic,
                    kind=found.kind, urgent=found.urgent, confidence=found.confidence, why="; ".join(found.why),
                    places=",".join(p.value for p in found.places), status=status, grid_id=resident.grid_id,
                    community_id=(await session.get(OrgUnit, resident.grid_id)).parent_id,
                    source_msg_id=f"demo:{number}", created_at=created, updated_at=created)
    session.add(ticket)
    await session.flush()
    _at(record_event(session, ticket, "created", resident.id, note=found.topic), created)
    if status == TicketStatus.queued:
        await _handle(session, rng, ticket, rng.choice(helpers[resident.grid_id]), created, now)


async def _handle(session: AsyncSession, rng: random.Random, ticket: Ticket, member: User,
                  created: datetime, now: datetime) -> None:
    """Most small matters are claimed (some late), most claims finished, most finished rated."""
    claimed = created + timedelta(hours=rng.choice((0.5, 1, 2, 4, 8, 20, 30, 50)))
    if claimed > now or rng.random() < 0.12:
        return
    ticket.claimed_by, ticket.claimed_at, ticket.last_progress_at = member.id, claimed, claimed
    _at(record_event(session, ticket, "claimed", member.id, TicketStatus.claimed), claimed)
    done = claimed + timedelta(hours=rng.uniform(2, 40))
    if done > now or rng.random() < 0.15:
        _recent_progress(session, rng, ticket, member, claimed, now)
        return
    _at(record_event(session, ticket, "done", member.id, TicketStatus.done, "已处理"), done)
    rated = done + timedelta(hours=rng.uniform(1, 20))
    if rated > now or rng.random() < 0.2:
        return
    ticket.rating, ticket.closed_at = rng.choice((5, 5, 5, 4, 4, 3, 2)), rated
    _at(record_event(session, ticket, "rated", ticket.user_id, TicketStatus.closed, f"{ticket.rating} 分"), rated)


def _recent_progress(session: AsyncSession, rng: random.Random, ticket: Ticket, member: User,
                     claimed: datetime, now: datetime) -> None:
    """A claim still open has news from the last few hours (inside even the urgent claim limit of
    6 hours), so the first `linli supervise` after `make run` has nothing to take back."""
    reported = now - timedelta(hours=rng.uniform(0.5, PROGRESS_WITHIN_HOURS))
    if reported <= claimed:
        return
    ticket.last_progress_at = reported
    _at(record_event(session, ticket, "progress", member.id, note="已联系居民，正在处理"), reported)


async def _rooms(session: AsyncSession) -> int:
    """Bookable rooms in every seeded centre that has none, so 预约 in chat and the API has somewhere to book."""
    added = 0
    for centre in (await session.exec(select(ServiceCentre).order_by(ServiceCentre.id))).all():
        if (await session.exec(select(Room.id).where(Room.centre_id == centre.id))).first():
            continue
        session.add_all(Room(centre_id=centre.id, name=name, capacity=capacity, facilities=facilities)
                        for name, capacity, facilities in ROOMS)
        added += len(ROOMS)
    return added


def _at(event, moment: datetime) -> None:
    event.at = moment
