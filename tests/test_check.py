"""vnplan check: the data-quality report over a corpus, each problem with its document and line."""
from __future__ import annotations

import json

from .conftest import OPENINGS, SAMPLE, cli

LINES = SAMPLE.read_text(encoding="utf-8").split("\n")


def test_check_reports_the_known_inconsistencies(tmp_path):
    flawed = LINES.copy()
    flawed[2] = "Số: 7 /KH-UBND"                                       # another plan, same flaws
    assert "72/2015/NĐ-CP ngày 07/9/2015" in flawed[9]
    flawed[9] = flawed[9].replace("72/2015/NĐ-CP ngày 07/9/2015", "72/2015/NĐ-CP ngày 07/9/2016")  # year ≠ number's
    row = flawed[229].split("\t")
    row[2], row[3] = "Quý V/2023", "Sở Không Tồn Tại"                   # impossible quarter, unknown agency
    flawed[229] = "\t".join(row)
    flawed[230] = "3\tChương trình\tTrong năm 2023"                     # a row without its lead
    (tmp_path / "flawed.txt").write_text("\n".join(flawed), encoding="utf-8")
    store = tmp_path / "store"
    cli("build", SAMPLE, OPENINGS, tmp_path / "flawed.txt", "--store", store, expect=1)
    r = cli("check", "--store", store, "--format", "json", expect=1)
    report = json.loads(r.stdout)
    got = {(p["plan"], p["kind"], p["line"]) for p in report["problems"]}
    assert got == {
        ("Kế hoạch 101/KH-UBND", "number-mismatch", 186),     # the appendix says 104/KH-UBND
        ("Kế hoạch 7/KH-UBND", "number-mismatch", 186),
        ("Kế hoạch 7/KH-UBND", "date-contradicts-number-year", 10),
        ("Kế hoạch 7/KH-UBND", "timeline", 230),
        ("Kế hoạch 7/KH-UBND", "unresolved-agency", 230),
        ("Kế hoạch 7/KH-UBND", "row-left-out", 231),
        # "7/KH-UBND" is the sample under another number: same issuer, date and title
        ("Kế hoạch 101/KH-UBND", "possible-duplicate", 1),
        ("Kế hoạch 7/KH-UBND", "possible-duplicate", 1),
    }  # the five openings have no inconsistency: no date contradicts its number's year
    by = {p["kind"]: p for p in report["problems"] if p["plan"] == "Kế hoạch 7/KH-UBND"}
    assert by["date-contradicts-number-year"]["message"] == (
        "72/2015/NĐ-CP: date-contradicts-number-year: number says 2015, date says 2016-09-07")
    assert by["unresolved-agency"]["message"] == "agency not in the authority file: Sở Không Tồn Tại"
    assert by["timeline"]["printed"] == "Quý V/2023"
    assert report["by_kind"]["number-mismatch"] == 2
    table = cli("check", "--store", store, expect=1).stdout
    assert "problems by kind" in table and "row-left-out" in table


def test_check_on_a_clean_graph_says_so(tmp_path):
    out = tmp_path / "o.ttl"
    cli("build", OPENINGS / "hatinh_2018_44_kh_ubnd.txt", "-o", out)
    assert cli("check", "--graph", out).stdout == "nothing to report\n"


def test_check_finds_one_plan_under_two_numbers(tmp_path):
    twin = tmp_path / "twin.txt"
    twin.write_text("\n".join(LINES).replace("Số: 101 /KH-UBND", "Số: 110 /KH-UBND"), encoding="utf-8")  # a typo
    store = tmp_path / "store"
    cli("build", SAMPLE, twin, "--store", store, "-q")
    report = json.loads(cli("check", "--store", store, "--format", "json", expect=1).stdout)
    dups = sorted((p["plan"], p["expected"].rsplit("/", 3)[-2]) for p in report["problems"] if p["kind"] == "possible-duplicate")
    assert dups == [("Kế hoạch 101/KH-UBND", "110"), ("Kế hoạch 110/KH-UBND", "101")]
