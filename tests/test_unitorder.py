"""The learned order of evidence-unit candidates (answer/unitorder.py), on hand-made candidates: the fitted
weights must prefer the unit that holds the question's words to one that merely ranks first by fusion, keep
the fused order between equals, and lift a unit that states the asked kind of value."""
from __future__ import annotations

from piaqa.answer.unitorder import WEIGHTS, features, reorder
from piaqa.records import Unit
from piaqa.search.unitsearch import UnitHit

RRF_K = 60  # unitsearch's fusion constant: the first of two rankings scores 2 / 61


def _hit(i: int, text: str, place: int, dense: float, coverage: float, lexical: float) -> UnitHit:
    unit = Unit(i, "d.txt", "倉敷市", ("III",), "", "具体的な方法", 10 + i, 10 + i, text)
    return UnitHit(unit, 2 / (RRF_K + place), dense, coverage, lexical)


def test_features_are_relative_to_the_best_candidate():
    hits = [_hit(0, "委託先の監査を行う", 1, 0.82, 0.2, 4.0), _hit(1, "年1回以上監査する", 2, 0.80, 0.6, 8.0)]
    rows = features(hits, "frequency")
    assert len(rows[0]) == len(WEIGHTS)
    assert rows[0][0] == 1.0 and rows[1][0] == 0.5  # 1 / place
    assert rows[1][4] == 1.0 and rows[0][4] == 0.5  # BM25 over the best candidate's
    assert rows[1][6] == 0.0 and round(rows[0][6], 6) == -0.4  # coverage below the best candidate's
    assert rows[1][8:10] == [1.0, 0.0] and rows[0][8:10] == [0.0, 1.0]  # states a frequency / asked but absent
    assert rows[0][10] == rows[1][10] == 0.0  # no previous answer: nothing is near it
    assert rows[0][11] == rows[1][11] == 0.0  # no section place given
    assert features([], None) == []


def test_a_unit_holding_the_question_beats_the_fused_first():
    first = _hit(0, "情報セキュリティ研修を実施する。", 1, 0.812, 0.12, 3.0)
    holder = _hit(1, "指摘事項については優先順位をつけて改善する。", 3, 0.807, 0.54, 9.0)
    assert reorder([first, _hit(2, "その他", 2, 0.81, 0.1, 2.0), holder], None)[0] is holder


def test_equal_candidates_keep_the_fused_order():
    a, b = _hit(0, "同じ長さの文です", 1, 0.8, 0.3, 5.0), _hit(1, "同じ長さの文です", 1, 0.8, 0.3, 5.0)
    assert reorder([a, b], None) == [a, b]


def test_stating_the_asked_kind_lifts_a_unit():
    above = [_hit(i, f"上位の文{i}", i + 1, 0.80, 0.4, 5.0) for i in range(3)]
    plain = _hit(3, "委託先に報告させる", 4, 0.80, 0.4, 5.0)  # 4th and 5th: close, as candidates deeper down are
    stating = _hit(4, "委託先に毎月報告させる", 5, 0.80, 0.4, 5.0)
    hits = [*above, plain, stating]

    def before(order: list[UnitHit]) -> bool:
        return order.index(stating) < order.index(plain)

    assert not before(reorder(hits, None))
    assert before(reorder(hits, "frequency"))


def test_a_unit_in_the_section_the_previous_answer_stood_on_is_lifted_between_close_candidates():
    """A follow-up's candidates: of two alike, the one in the previous answer's section (a file's own 3. 使用 row,
    not another file's) comes first; in another document the section's name alone lifts nothing."""
    from piaqa.understand.query import Near

    def hit(i: int, path: tuple[str, ...], doc: str = "d.txt") -> UnitHit:
        return UnitHit(Unit(i, doc, "高知市", path, "", "具体的な管理方法", 10 + i, 10 + i, "ユーザIDを失効させる"),
                       2 / (RRF_K + 1 + i), 0.80, 0.4, 5.0)

    other_file = hit(0, ("III", "(2) 本人確認情報ファイル", "3. 特定個人情報の使用"))
    own_file = hit(1, ("III", "(1) 住民基本台帳ファイル", "3. 特定個人情報の使用"))
    near = Near("d.txt", "III > (1) 住民基本台帳ファイル > 3. 特定個人情報の使用")
    assert [r[10] for r in features([other_file, own_file], None, near)] == [0.0, 1.0]
    assert reorder([other_file, own_file], None) == [other_file, own_file]
    assert reorder([other_file, own_file], None, near) == [own_file, other_file]
    elsewhere = Near("e.txt", near.path)
    assert reorder([other_file, own_file], None, elsewhere) == [other_file, own_file]


def test_a_unit_in_the_section_that_matches_the_question_best_is_lifted_between_close_candidates():
    """Of two alike candidates third and fourth in the fused order, the one whose section (its chunk) is the
    question's best by cosine comes first; the same two with no section places keep the fused order."""
    def hit(i: int, section: float) -> UnitHit:
        unit = Unit(i, "d.txt", "高知市", ("II", "6. 特定個人情報の保管・消去"), "", "", 10 + i, 10 + i, "焼却処理を行う")
        return UnitHit(unit, 2 / (RRF_K + 3 + i), 0.80, 0.4, 5.0, section)

    above = [_hit(10 + i, f"上位の文{i}", i + 1, 0.80, 0.4, 5.0) for i in range(2)]
    plain, placed = hit(0, 1 / 6), hit(1, 1.0)
    assert [r[11] for r in features([*above, plain, placed], None)][2:] == [1 / 6, 1.0]
    order = reorder([*above, plain, placed], None)
    assert order.index(placed) < order.index(plain)
    order = reorder([*above, hit(0, 0.0), hit(1, 0.0)], None)
    assert [h.unit.id for h in order][2:] == [0, 1]
