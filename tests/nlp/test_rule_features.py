"""Every rule feature, on small rule files written for the test."""

from collections.abc import Callable

from nlp.engine import Engine

TOPICS = """
topics:
  楼道照明:
    department: 城乡建设
    kind: 小事
    keywords:
      楼道灯: 4
      灯 不亮: 3
      灯: 1
      开关 坏: 2
  垃圾清运:
    department: 环境保护
    kind: 小事
    keywords:
      垃圾: 4
      垃圾桶: 4
  供电:
    department: 城乡建设
    kind: 大事
    keywords:
      停电: 4
  火灾:
    department: 公共安全
    kind: 大事
    negatable: true
    keywords:
      着火: 6
  求助:
    department: 公共安全
    kind: 小事
    keywords:
      老人|我妈 不接|打不通: 5
  就业:
    department: 劳动和社会保障
    kind: 私事
    keywords:
      找工作: 4
"""
KINDS = """
other_kind: 私事
kind_rules:
  - id: whole-estate
    kind: 大事
    topics: [楼道照明]
    any: [整个小区]
  - id: own-flat
    kind: 私事
    topics: [楼道照明, 供电]
    any: [我家]
    none: [楼道]
  - id: anything-with-job-fair
    kind: 小事
    any: [招聘会]
  - id: emergency-needs-services
    kind: 大事
    urgent: true
    topics: [求助]
"""
URGENCY = """
urgency:
  window: 6
  cues:
    着火: 1
    老人|我妈 不接|打不通: 1
    救命: 1
  negations_before: [没有, 万一, 经常]
  negations_after: [过, 的话]
  past_markers: [前两天]
  present_markers: [现在, 还在]
  habitual: [天天]
  hyperbole: [要疯了]
  emotive: [救命]
  resolved: [已经灭了, 没事了]
"""
EXTRA = """
classes:
  人: [老人, 孩子]
  没反应: [叫不醒, 没声音]
topics:
  紧急:
    department: 公共安全
    keywords:
      $人 $没反应: 9
typos:
  楼到灯: 楼道灯
estates: [翠湖]
"""


def make(engine_for: Callable[..., Engine]) -> Engine:
    return engine_for({"topics.yaml": TOPICS, "kinds.yaml": KINDS, "urgency.yaml": URGENCY, "extra.yaml": EXTRA})


def test_weights_pick_the_topic_and_department(engine_for: Callable[..., Engine]) -> None:
    result = make(engine_for).classify("楼道灯不亮了")
    assert (result.topic, result.department, result.kind) == ("楼道照明", "城乡建设", "小事")
    assert any("楼道灯+4" in line and "topics.yaml" in line for line in result.why)


def test_combination_needs_all_words(engine_for: Callable[..., Engine]) -> None:
    engine = make(engine_for)
    assert "灯 不亮+3" in engine.classify("灯一直不亮").why[0]
    assert "灯 不亮" not in engine.classify("灯很亮").why[0]


def test_alternatives_in_a_part(engine_for: Callable[..., Engine]) -> None:
    engine = make(engine_for)
    assert engine.classify("我妈电话打不通").topic == "求助"
    assert engine.classify("老人电话一直不接").topic == "求助"
    assert engine.classify("电话打不通").topic == "其他"


def test_single_character_word_must_be_a_whole_token(engine_for: Callable[..., Engine]) -> None:
    engine = make(engine_for)
    assert engine.classify("门口的灯").topic == "楼道照明"
    assert engine.classify("挂了个灯笼").topic == "其他"


def test_words_must_align_with_a_token_boundary(engine_for: Callable[..., Engine]) -> None:
    # 停电 sits across 暂停 / 电梯 and must not fire.
    assert make(engine_for).classify("暂停电梯运行").topic == "其他"


def test_a_word_inside_a_longer_matched_word_counts_once(engine_for: Callable[..., Engine]) -> None:
    result = make(engine_for).classify("垃圾桶满了")
    assert result.why[0].startswith("topic 垃圾清运=4 ")


def test_no_keyword_means_other_and_other_kind(engine_for: Callable[..., Engine]) -> None:
    result = make(engine_for).classify("你好")
    assert (result.topic, result.department, result.kind, result.urgent) == ("其他", "其他", "私事", False)
    assert result.confidence < 0.5


def test_kind_rules_first_match_wins_with_topics_any_none(engine_for: Callable[..., Engine]) -> None:
    engine = make(engine_for)
    assert engine.classify("整个小区的楼道灯都坏了").kind == "大事"
    assert engine.classify("我家停电了").kind == "私事"
    assert engine.classify("我家门口楼道灯坏了").kind == "小事"  # none: 楼道
    assert engine.classify("停电了").kind == "大事"  # the topic's usual kind
    assert engine.classify("想找工作 有招聘会吗").kind == "小事"  # a rule without topics
    assert any("rule own-flat" in line for line in engine.classify("我家停电了").why)


def test_urgency_cue_and_negation_before(engine_for: Callable[..., Engine]) -> None:
    engine = make(engine_for)
    assert engine.classify("三楼着火了").urgent
    for text in ["没有着火", "万一着火怎么办", "电梯经常着火"]:
        result = engine.classify(text)
        assert not result.urgent, text
        assert any("cancelled by" in line for line in result.why)


def test_negation_after_and_question_words(engine_for: Callable[..., Engine]) -> None:
    engine = make(engine_for)
    assert not engine.classify("以前着火过").urgent
    assert not engine.classify("着火的话往哪跑").urgent
    assert engine.classify("是不是着火了").urgent
    assert engine.classify("有没有人管，着火了").urgent


def test_negation_stays_in_its_clause(engine_for: Callable[..., Engine]) -> None:
    engine = make(engine_for)
    assert engine.classify("没有人管，着火了").urgent
    assert engine.classify("没有着火，但是我妈电话打不通").urgent


def test_negatable_topic_ignores_denied_keywords(engine_for: Callable[..., Engine]) -> None:
    assert make(engine_for).classify("没有着火，楼道灯坏了").topic == "楼道照明"


def test_typos_and_known_estates(engine_for: Callable[..., Engine]) -> None:
    result = make(engine_for).classify("翠湖小区三栋楼到灯坏了")
    assert result.topic == "楼道照明"
    assert [p.value for p in result.places] == ["翠湖", "楼3"]
    assert result.building() == "楼3"


def test_rule_words_become_jieba_words(engine_for: Callable[..., Engine]) -> None:
    engine = make(engine_for)
    assert "找工作" in engine.classify("想找工作").tokens


def test_dictionary_file_words(engine_for: Callable[..., Engine]) -> None:
    engine = engine_for({"topics.yaml": TOPICS, "dict.txt": "# comment\n红色网格 100 n\n"})
    assert "红色网格" in engine.classify("红色网格的活动").tokens


def test_confidence_reflects_the_margin(engine_for: Callable[..., Engine]) -> None:
    engine = make(engine_for)
    clear = engine.classify("楼道灯不亮").confidence
    torn = engine.classify("楼道灯旁边的垃圾桶").confidence
    assert 0 <= torn < clear <= 1


def test_word_classes_expand_in_keywords(engine_for: Callable[..., Engine]) -> None:
    engine = make(engine_for)
    assert engine.classify("家里老人叫不醒").topic == "紧急"
    assert engine.classify("孩子没声音了").topic == "紧急"
    assert engine.classify("孩子要上学").topic == "其他"


def test_past_marker_cancels_anywhere_earlier_in_the_clause(engine_for: Callable[..., Engine]) -> None:
    engine = make(engine_for)
    assert not engine.classify("前两天三楼楼道里着火了").urgent
    assert engine.classify("前两天说过要修，现在着火了").urgent


def test_past_marker_opening_a_sentence_holds_until_a_present_marker(engine_for: Callable[..., Engine]) -> None:
    engine = make(engine_for)
    assert not engine.classify("前两天楼下办活动，我妈去了，回来说着火了").urgent
    assert engine.classify("前两天楼下办活动，我妈去了，还在着火").urgent
    assert engine.classify("前两天楼下办活动。着火了").urgent  # a new sentence is now


def test_habitual_marker_cancels_unless_something_is_happening_now(engine_for: Callable[..., Engine]) -> None:
    engine = make(engine_for)
    assert not engine.classify("对面天天着火，烦").urgent
    assert engine.classify("对面天天着火，现在又开始了").urgent


def test_hyperbole_cancels_cry_words_but_not_dangers(engine_for: Callable[..., Engine]) -> None:
    engine = make(engine_for)
    assert engine.classify("救命 快来人").urgent
    result = engine.classify("救命 这电梯再坏我就要疯了")
    assert not result.urgent
    assert "not urgent: 救命 cancelled by 要疯了" in result.why
    assert engine.classify("救命 着火了 我要疯了").urgent


def test_verb_with_particle_counts_as_the_verb(engine_for: Callable[..., Engine]) -> None:
    assert "开关 坏+2" in make(engine_for).classify("开关坏了").why[0]


def test_resolution_later_in_the_message_cancels(engine_for: Callable[..., Engine]) -> None:
    engine = make(engine_for)
    result = engine.classify("刚才厨房着火了，后来用灭火器扑了一下，已经灭了")
    assert not result.urgent
    assert "not urgent: 着火 cancelled by 已经灭了" in result.why
    assert engine.classify("已经灭了一次，现在又着火了").urgent


def test_a_word_counts_once_per_topic_however_many_lists_hold_it(engine_for: Callable[..., Engine]) -> None:
    topics = TOPICS.replace("      垃圾桶: 4\n", "      垃圾桶: 4\n      垃圾|垃圾站|废品: 3\n      垃圾 臭: 2\n")
    engine = engine_for({"topics.yaml": topics})
    assert engine.classify("垃圾").why[0].startswith("topic 垃圾清运=4 ")
    assert engine.classify("垃圾站").why[0].startswith("topic 垃圾清运=3 ")  # 垃圾 lies inside 垃圾站
    assert engine.classify("垃圾好臭").why[0].startswith("topic 垃圾清运=6 ")  # combinations add


def test_numbers_match_whole_tokens_only(engine_for: Callable[..., Engine]) -> None:
    topics = TOPICS + "  治安:\n    department: 公共安全\n    keywords:\n      110: 4\n"
    engine = engine_for({"topics.yaml": topics})
    assert engine.classify("快打110").topic == "治安"
    assert engine.classify("9栋1102停电了").topic == "供电"


def test_kind_rule_limited_to_emergencies(engine_for: Callable[..., Engine]) -> None:
    engine = make(engine_for)
    now = engine.classify("我妈电话一直打不通")
    assert (now.urgent, now.kind) == (True, "大事")
    assert "rule emergency-needs-services" in " ".join(now.why)
    before = engine.classify("前两天我妈电话打不通")
    assert (before.urgent, before.kind) == (False, "小事")
