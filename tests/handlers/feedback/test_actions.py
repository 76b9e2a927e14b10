"""评价 and 需要帮助 as actions with a real session: the rating range, ownership, and Refusal codes."""
from __future__ import annotations

import pytest

from handlers.feedback import actions
from handlers.tasks import actions as tasks
from handlers.types import Refusal
from models.clock import utcnow
from models.tickets import TicketStatus
from tests.queue_support import act, events, member, profile, submitted, ticket, user

RESIDENT = "o_res_fb_actions"


async def _done_task(storage, settings) -> int:
    task = await submitted(storage, RESIDENT)
    await member(storage, "o_fb_doer")
    doer = await profile(storage, "o_fb_doer")
    await act(storage, tasks.claim, doer, task, utcnow())
    await act(storage, tasks.finish, doer, task, "好了", utcnow(), settings)
    return task


@pytest.mark.parametrize("score", [0, 6, 10, 152, -1, 4.5, "5", None, True])
def test_a_rating_is_a_whole_number_from_one_to_five(score):
    with pytest.raises(Refusal) as refused:
        actions.rating_of(score)
    assert refused.value.code == "invalid"


async def test_out_of_range_scores_store_nothing(seeded, settings):
    task = await _done_task(seeded, settings)
    resident = await user(seeded, RESIDENT)
    for score in (10, 0, 6):
        with pytest.raises(Refusal) as refused:
            await act(seeded, actions.rate, resident, task, score, "", utcnow(), settings)
        assert refused.value.code == "invalid"
    stored = await ticket(seeded, task)
    assert stored.rating is None and stored.status == TicketStatus.done


async def test_rate_closes_or_reopens_once_and_only_for_the_writer(seeded, settings):
    task = await _done_task(seeded, settings)
    resident, stranger = await user(seeded, RESIDENT), await user(seeded, "o_fb_stranger")
    with pytest.raises(Refusal) as refused:
        await act(seeded, actions.rate, stranger, task, 5, "", utcnow(), settings)
    assert refused.value.code == "not_found"
    rated = await act(seeded, actions.rate, resident, task, 2, "灯还是  不亮", utcnow(), settings)
    assert rated.reopened and rated.rating == 2
    stored = await ticket(seeded, task)
    assert stored.status == TicketStatus.triage and stored.rating_note == "灯还是 不亮"
    with pytest.raises(Refusal) as refused:
        await act(seeded, actions.rate, resident, task, 5, "", utcnow(), settings)
    assert refused.value.code == "conflict"
    assert [e.action for e in await events(seeded, task)][-1] == "reopened"


async def test_help_only_for_an_advised_request_of_ones_own(seeded):
    advised = await submitted(seeded, RESIDENT, "我家水管漏水了")
    resident, stranger = await user(seeded, RESIDENT), await user(seeded, "o_fb_stranger2")
    assert (await ticket(seeded, advised)).status == TicketStatus.advised
    with pytest.raises(Refusal) as refused:
        await act(seeded, actions.ask_for_help, stranger, advised, utcnow())
    assert refused.value.code == "not_found"
    asked = await act(seeded, actions.ask_for_help, resident, advised, utcnow())
    assert asked.id == advised and (await ticket(seeded, advised)).status != TicketStatus.advised
    with pytest.raises(Refusal) as refused:
        await act(seeded, actions.ask_for_help, resident, advised, utcnow())
    assert refused.value.code == "conflict"
