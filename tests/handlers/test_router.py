"""The route table: which command a text reaches, who may use it (the audience filter in
`route()`), and which commands 帮助 shows to which role."""
from __future__ import annotations

from sqlmodel import select

from handlers import notices, points, projects, queue, requests, router, tasks
from handlers.types import Context, Incoming
from models.clock import utcnow
from models.db import transaction
from models.members import MemberStatus
from models.tickets import Ticket
from models.users import Role, get_or_create_user
from tests.queue_support import member, role


def test_longer_words_win_and_the_table_is_sorted_once():
    cases = {"认领项目 3": projects.claim_seat, "认领 3": tasks.claim, "认领3": tasks.claim,
             "我的任务": tasks.my_tasks, "任务": tasks.list_tasks, "积分排行": points.ranking,
             "积分": points.my_points, "通知状态 3": notices.status, "通知 阳光社区 标题|正文": notices.compose,
             "待分派": queue.waiting, "分派 12 阳光第一网格": queue.assign, "查询12": requests.status}
    for text, handler in cases.items():
        command, _ = router.match_command(text)
        assert command.handler is handler, text
    assert router.match_command("认领了吗") is None  # a word must end at a space, a digit or the text
    lengths = [len(word) for word, _ in router.by_word()]
    assert lengths == sorted(lengths, reverse=True)
    assert {command for _, command in router.by_word()} == set(router.COMMANDS)


async def _ask(storage, settings, openid: str, text: str) -> str:
    async with transaction(storage.sessions) as session:
        user = await get_or_create_user(session, openid)
        ctx = Context(session=session, redis=storage.redis, keys=storage.keys, settings=settings, user=user,
                      now=utcnow())
        return (await router.route(Incoming(openid=openid, type="text", content=text), ctx)).text


def _shown(help_text: str) -> set[str]:
    return {line.split("：")[0].lstrip("· ").split(" ")[0] for line in help_text.splitlines() if line.startswith("·")}


async def test_help_shows_each_role_its_commands(seeded, settings):
    await member(seeded, "o_rt_member")
    await role(seeded, "o_rt_head", Role.grid_head, "S01-C01-G01")
    await role(seeded, "o_rt_staff", Role.staff, "S01-C01")
    resident = _shown(await _ask(seeded, settings, "o_rt_resident", "帮助"))
    member_sees = _shown(await _ask(seeded, settings, "o_rt_member", "帮助"))
    head = _shown(await _ask(seeded, settings, "o_rt_head", "帮助"))
    staff = _shown(await _ask(seeded, settings, "o_rt_staff", "帮助"))
    assert {"查询", "评价", "报到", "订阅"} <= resident and not resident & {"任务", "认领", "待分派", "审核", "通知"}
    assert {"任务", "认领", "完成", "积分"} <= member_sees and not member_sees & {"待分派", "审核"}
    assert {"待分派", "分派"} <= head and not head & {"任务", "审核", "通知"}
    assert {"待分派", "审核", "通过", "通知", "发布项目"} <= staff


async def test_the_audience_is_enforced_before_the_handler(seeded, settings):
    await member(seeded, "o_rt_pending", status=MemberStatus.pending)
    assert "先报到" in await _ask(seeded, settings, "o_rt_nobody", "任务")
    assert "审核中" in await _ask(seeded, settings, "o_rt_pending", "认领 1")
    assert "网格长" in await _ask(seeded, settings, "o_rt_nobody", "待分派")
    assert "工作人员" in await _ask(seeded, settings, "o_rt_nobody", "审核")
    assert "发布通知" in await _ask(seeded, settings, "o_rt_nobody", "通知 阳光社区 标题|正文")
    assert "没有待确认" in await _ask(seeded, settings, "o_rt_nobody", "确认")  # the draft is the check
    async with seeded.sessions() as session:  # refused commands never became requests
        assert (await session.exec(select(Ticket))).all() == []
