"""The public contract other packages rely on."""

from nlp import Classification, Place, classify, load


def test_contract_fields() -> None:
    load()
    result = classify("3号楼2单元楼道灯坏了")
    assert isinstance(result, Classification)
    assert result.department == "城乡建设"
    assert result.topic == "楼道照明"
    assert result.kind == "小事"
    assert result.urgent is False
    assert result.places == (Place("building", "楼3"), Place("unit", "2单元"))
    assert result.building() == "楼3"
    assert 0.0 <= result.confidence <= 1.0
    assert result.why and "楼道灯" in result.tokens
