"""Normalisation: what the resident typed becomes one simplified, half-width form."""

from nlp.normalize import MAX_CHARS, Normalizer, truncate

norm = Normalizer({"电体": "电梯", "燃汽": "燃气", "燃汽灶": "燃气灶"})


def test_traditional_to_simplified() -> None:
    assert norm("樓道燈壞了") == "楼道灯坏了"
    assert norm("電梯壞了三天沒人修") == "电梯坏了三天没人修"


def test_full_width_digits_letters_and_punctuation() -> None:
    assert norm("３号楼Ｂ座，５０１室！") == "3号楼B座,501室!"


def test_meaningful_emoji_become_words_and_others_vanish() -> None:
    assert norm("着火了🔥🔥") == "着火了火火"
    assert norm("谢谢😊👍🏻") == "谢谢"
    assert norm("👨‍👩‍👧电梯坏了") == "电梯坏了"


def test_control_characters_and_whitespace() -> None:
    assert norm("  电梯\u200b坏了\n\n\t好几天 ") == "电梯坏了 好几天"


def test_typos_longest_first_after_conversion() -> None:
    assert norm("電体又坏了") == "电梯又坏了"
    assert norm("燃汽灶打不着") == "燃气灶打不着"


def test_truncation_keeps_whole_sentences_and_bounds_length() -> None:
    text = "楼道灯坏了。" * 200
    out = norm(text)
    assert len(out) <= MAX_CHARS
    assert out.endswith("。")
    assert truncate("短", 10) == "短"
    assert len(truncate("没" * 1000, 50)) == 50


def test_huge_input_is_cheap_and_bounded() -> None:
    assert len(norm("垃圾" * 1_000_000)) <= MAX_CHARS
