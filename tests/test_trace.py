"""vnplan trace on the sample: every path from a task to a legal basis, with its evidence."""
from __future__ import annotations

import json

import pytest

from graph_build.build import build_documents

from .conftest import ROOT, cli

PLAN = "https://w3id.org/vnplan/id/legal/kh/2023/101/ubnd-ha-noi"
LEGAL = "https://w3id.org/vnplan/id/legal/"
BASES = [("based-on", LEGAL + "cv/2022/5740/btttt-ttdn"), ("based-on", LEGAL + "nd/2015/72/cp"),
         ("based-on", LEGAL + "tt/2016/22/btttt")]


def steps(*args):
    return json.loads(cli("trace", *args, "--format", "json").stdout)


def test_trace_i8_cites_qd_1160_and_rests_on_the_plans_three_bases(sample_ttl):
    got = steps("I.8", "--graph", sample_ttl)
    assert [(s["step"], s["relation"], s["document"]) for s in got] == [
        (1, "cites", LEGAL + "qd/2021/1160/ttg"), *[(3, r, d) for r, d in BASES],
        # past the plan: the Ministry's letter rests on the decree and the circular (curated, with its page)
        (4, "based-on", LEGAL + "nd/2015/72/cp"), (4, "based-on", LEGAL + "tt/2016/22/btttt")]
    beyond = got[4]
    assert beyond["via"] == LEGAL + "cv/2022/5740/btttt-ttdn" and beyond["source"]["lines"] == []
    assert beyond["source"]["url"].startswith("https://thuviennhadat.vn/vbpl/cong-van-5740-btttt-ttdn-2022")
    direct = got[0]
    assert direct["task"] == PLAN + "/task/I.8" and direct["document_label"] == "Quyết định 1160/QĐ-TTg"
    assert direct["evidence"] == "Quyết định số 1160/QĐ-TTg ngày 13/7/2021 của Thủ tướng Chính phủ"
    assert direct["source"] == {"document": PLAN, "label": "Kế hoạch 101/KH-UBND", "lines": [203, 203]}
    assert set(direct) == {"task", "task_ref", "step", "relation", "document", "document_label", "via", "via_label",
                           "evidence", "source"}
    assert got[2]["evidence"].startswith("Nghị định số 72/2015/NĐ-CP ngày 07/9/2015 của Chính phủ")


@pytest.mark.parametrize("task, relation, document, line, sentence_ends", [
    ("I.5", "approves", "qd/2022/1079/ttg", 72, "phê duyệt Đề án truyền thông về quyền con người ở Việt Nam"),
    ("I.10", "issues", "qd/2021/8/ubnd-ha-noi", 60, "(được ban hành tại Quyết định số 08/2021/QĐ-UBND ngày "
                                                    "15/7/2021 của UBND Thành phố)"),
    ("VI.3", "implements", "ct/2021/28/ttg", 78, "về việc tăng cường thực hiện Cuộc vận động “Người Việt Nam ưu "
                                                 "tiên dùng hàng Việt Nam”"),
])
def test_named_instruments_reach_their_enacting_documents(sample_store, task, relation, document, line, sentence_ends):
    got = steps(task, "--store", sample_store)
    via = [s for s in got if s["step"] == 2]
    assert [(s["relation"], s["document"], s["source"]["lines"]) for s in via] == [(relation, LEGAL + document,
                                                                                     [line, line])]
    assert via[0]["evidence"].endswith(sentence_ends) and via[0]["via_label"]
    assert [(s["relation"], s["document"]) for s in got if s["step"] == 3] == BASES
    assert not any(s["step"] == 1 for s in got)  # the row itself cites nothing


def test_text_output_reads_as_a_citation_trail(sample_ttl):
    out = cli("trace", "I.5", "--graph", sample_ttl).stdout
    assert out.startswith("Task I.5 of Kế hoạch 101/KH-UBND\n")
    assert ("2. Through a named instrument the task names\n"
            "   → Quyết định 1079/QĐ-TTg approves “Đề án truyền thông về quyền con người ở Việt Nam”\n"
            "     “Quyết định số 1079/QĐ-TTg ngày 14/9/2022 của Thủ tướng Chính phủ phê duyệt Đề án truyền thông về "
            "quyền con người ở Việt Nam”\n"
            "     Kế hoạch 101/KH-UBND, line 72\n") in out
    assert "3. Legal bases of Kế hoạch 101/KH-UBND\n   → Công văn 5740/BTTTT-TTĐN" in out


def test_task_by_iri_or_words_and_ambiguity_listed_not_guessed(sample_ttl):
    by_iri = steps(PLAN + "/task/I.8", "--graph", sample_ttl)
    assert by_iri == steps("I.8", "--graph", sample_ttl)
    by_words = steps("Quy che quan ly, van hanh", "--graph", sample_ttl)  # diacritics left out
    assert {s["task_ref"] for s in by_words} == {"I.10"}
    r = cli("trace", "tuyên truyền", "--graph", sample_ttl, expect=2)
    lines = r.stderr.splitlines()
    assert lines[0] == "vnplan: error: 15 tasks match 'tuyên truyền'; give the IRI of one:"
    assert sum(PLAN + "/task/" in line for line in lines) == 15
    r = cli("trace", "IX.9", "--graph", sample_ttl, expect=2)
    assert r.stderr.startswith("vnplan: error: no task matches 'IX.9'") and r.stderr.count("\n") == 1


def test_chains_among_legal_documents_when_the_graph_knows_them(tmp_path):
    """Step 4: a plan whose task cites an earlier plan reaches that plan's own legal basis."""
    out = tmp_path / "two.trig"
    build_documents([ROOT / "tests/data/tiny-plan.txt", ROOT / "tests/data/tiny-followup.txt"], out=out)
    got = steps("https://w3id.org/vnplan/id/legal/kh/2025/12/ubnd-ha-noi/task/I.1", "--graph", out)
    earlier = LEGAL + "kh/2024/7/ubnd-ha-noi"
    assert [(s["step"], s["document"], s["via"]) for s in got] == [
        (1, earlier, None), (3, LEGAL + "tt/2016/22/btttt", None), (4, LEGAL + "nd/2015/72/cp", earlier)]
    assert got[2]["source"] == {"document": earlier, "label": "Kế hoạch 7/KH-UBND", "lines": [8, 8]}
