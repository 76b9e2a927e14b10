"""Intent before sorting: small talk opens no ticket, info questions are 私事 with an answer."""

from __future__ import annotations

import pytest

import nlp
from nlp.intent import CHAT, NOT_A_REQUEST, QUESTION, REQUEST


@pytest.mark.parametrize(("text", "category"), [
    ("您好！", "greeting"), ("在吗？", "greeting"), ("晚安", "greeting"),
    ("谢谢你们！", "thanks"), ("辛苦了，点个赞", "thanks"),
    ("好嘞", "ack"), ("OK", "ack"), ("嗯嗯 收到", "ack"),
    ("转人工", "staff"), ("你是真人还是AI啊", "bot"), ("[微笑]", "emoji"), ("👍👍", "emoji"),
])
def test_small_talk_is_no_request(text: str, category: str) -> None:
    result = nlp.classify(text)
    assert (result.intent, result.chat, result.kind) == (CHAT, category, NOT_A_REQUEST)


def test_thanks_for_something_resolved_is_small_talk_unless_more_is_asked() -> None:
    assert nlp.classify("谢谢社区，楼道灯已经修好了").intent == CHAT
    assert nlp.classify("谢谢，不过楼道灯还没修好").intent == REQUEST


@pytest.mark.parametrize("text", ["灯坏了", "没水了", "有人打架", "救命", "你好，楼道灯坏了", "在吗 电梯困人了"])
def test_every_short_real_request_is_a_request(text: str) -> None:
    assert nlp.classify(text).intent == REQUEST


@pytest.mark.parametrize(("text", "answer"), [
    ("居住证怎么办理", "居住证"), ("低保怎么申请", "低保"), ("老年证在哪办，要带什么", "老年证"),
    ("請問疫苗在哪打", "疫苗"),
])
def test_information_questions_are_private_and_answered(text: str, answer: str) -> None:
    result = nlp.classify(text)
    assert result.intent == QUESTION and result.kind == "私事"
    assert result.answer is not None and result.answer.name == answer


@pytest.mark.parametrize("text", ["养老金怎么还没到账", "欠薪怎么维权", "什么时候来电啊，停了一天了"])
def test_a_question_that_asks_someone_to_act_is_a_request(text: str) -> None:
    assert nlp.classify(text).intent == REQUEST


@pytest.mark.parametrize("text", ["路口红绿灯全灭了 正是早高峰", "积水都没过膝盖了", "大树被风刮倒了 砸在车上",
                                  "回家发现门被撬了", "孩子被锁在车里了", "有人倒在地上没有呼吸了"])
def test_hazard_classes_are_urgent(text: str) -> None:
    assert nlp.classify(text).urgent


def test_a_hazard_without_its_exposure_is_maybe_urgent() -> None:
    result = nlp.classify("小区门口的井盖没了")
    assert not result.urgent and result.maybe_urgent
    assert not nlp.classify("去年小区门口的井盖没了").maybe_urgent
