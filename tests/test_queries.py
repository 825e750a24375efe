"""The first five catalogue queries through the CLI, on the sample; the whole catalogue on every
local engine; parameters that cannot change a query's meaning; updates refused."""
from __future__ import annotations

from collections import Counter

import pytest

from graph_build.catalogue import load_catalogue, run_query

from .conftest import cli, query_rows

FIVE = ("documents", "tasks", "legal-documents", "agencies", "feedback")


def test_documents(sample_ttl):
    (row,) = query_rows("documents", "--graph", sample_ttl)
    assert row == {
        "document": "https://w3id.org/vnplan/id/legal/kh/2023/101/ubnd-ha-noi", "type": "Kế hoạch",
        "number": "101", "code": "KH-UBND", "id_local": "101/KH-UBND", "date": "2023-03-23", "place": "Hà Nội",
        "issuer": "Ủy ban nhân dân thành phố Hà Nội", "title": "Tổ chức hoạt động thông tin đối ngoại năm 2023"}


def test_tasks(sample_ttl):
    rows = query_rows("tasks", "--graph", sample_ttl)
    assert Counter(r["group"] for r in rows) == {"I": 11, "II": 5, "III": 9, "IV": 6, "V": 2, "VI": 3,
                                                 "VII": 4, "VIII": 4, "IX": 1, "X": 4}
    groups = [r["group"] for r in rows]
    assert sorted(set(groups), key=groups.index) == ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
    by = {(r["group"], r["no"]): r for r in rows}
    assert by[("III", 1)]["content"].endswith("“Dịch thuật tin, bài tiêu biểu về các sự kiện chính trị, "
                                              "văn hóa, xã hội của Trung ương và Thành phố”.")
    i8 = by[("I", 8)]
    assert (i8["timeline"], i8["start"], i8["end"], i8["lead"]) == (
        "Trong năm 2023", "2023-01-01", "2023-12-31", "Sở Thông tin và Truyền thông")
    assert i8["coordinators"] == "Ban Tuyên giáo Thành ủy Hà Nội | Các Sở, Ban, ngành Thành phố | Các cơ quan, đơn vị liên quan"
    assert by[("I", 9)]["timeline"] == "Quý III/2023" and by[("I", 9)]["start"] == "2023-07-01"
    assert by[("VII", 4)]["coordinators"] == ("Sở Ngoại vụ | Sở Thông tin và Truyền thông | "
                                             "Trung tâm Xúc tiến Đầu tư, Thương mại, Du lịch thành phố Hà Nội")
    assert by[("VI", 2)]["coordinators"] == "" and by[("VI", 2)]["timeline"] == "Thường xuyên"
    assert by[("VII", 1)]["timeline"] == "Hàng quý"
    assert by[("X", 1)]["lead"] == "Công an thành phố Hà Nội"
    assert all(r["content"] and r["lead"] for r in rows)


def test_legal_documents(sample_ttl):
    rows = {r["doc"].removeprefix("https://w3id.org/vnplan/id/legal/"): r
            for r in query_rows("legal-documents", "--graph", sample_ttl)}
    assert set(rows) == {"nd/2015/72/cp", "tt/2016/22/btttt", "cv/2022/5740/btttt-ttdn", "qd/2021/8/ubnd-ha-noi",
                         "kh/2019/146/ubnd-ha-noi", "qd/2022/1079/ttg", "ct/2021/28/ttg", "qd/2020/1191/ttg",
                         "nq/2018/36/tw", "qd/2021/1160/ttg", "ttr/2023/101/stttt-ha-noi"}
    decree = rows["nd/2015/72/cp"]
    assert decree == {"doc": decree["doc"], "type": "Nghị định", "number": "72", "year": 2015, "code": "NĐ-CP",
                      "date": "2015-09-07", "issuer": "Chính phủ", "relation": "based_on", "citations": 1}
    assert [k for k, r in rows.items() if r["relation"] == "based_on"] == \
        ["cv/2022/5740/btttt-ttdn", "nd/2015/72/cp", "tt/2016/22/btttt"]
    assert rows["qd/2020/1191/ttg"]["year"] == 2020  # from the date: the number carries no year
    assert rows["nq/2018/36/tw"]["issuer"] == "Ban Chấp hành Trung ương Đảng"
    assert rows["qd/2021/8/ubnd-ha-noi"]["issuer"] == "Ủy ban nhân dân thành phố Hà Nội"


def test_agencies(sample_ttl):
    listed = query_rows("agencies", "--graph", sample_ttl)
    # labels repeat across restructurings (Sở Tài chính before and after 1 March 2025): key by IRI
    rows = {r["label"]: r for r in listed if r["agency"].rsplit("/", 1)[1][-5:] != "-2025"}
    stttt = rows["Sở Thông tin và Truyền thông"]
    assert (stttt["leads"], stttt["kind"], stttt["parent"]) == (9, "Sở", "Ủy ban nhân dân thành phố Hà Nội")
    assert stttt["coordinates"] == 2  # VII.4 (column) and X.1 (column and text)
    assert "Sở TT&TT" in stttt["aliases"].split(" | ")
    assert rows["Trung tâm Báo chí Thủ đô Hà Nội"]["parent"] == "Sở Thông tin và Truyền thông"
    assert rows["Sở Ngoại vụ"]["leads"] == 5
    assert not any("liên quan" in label for label in rows)  # placeholders are not agencies
    assert sum(r["leads"] for r in listed) == 49


def test_feedback(sample_ttl):
    rows = query_rows("feedback", "--graph", sample_ttl)
    assert len(rows) == 48 and [r["no"] for r in rows] == list(range(1, 49))
    assert rows[0] == {"no": 1, "agency": "Ban Tuyên giáo Thành ủy Hà Nội", "letter": "1390-CV/BTGTU",
                       "date": "2023-03-02", "position": "agrees-with-comments", "accepted": True,
                       "plan": "Kế hoạch 101/KH-UBND",
                       "document": "https://w3id.org/vnplan/id/legal/kh/2023/101/ubnd-ha-noi"}
    assert rows[47]["agency"] == "Ủy ban nhân dân quận Hai Bà Trưng" and rows[47]["accepted"] is False
    assert sum(r["accepted"] for r in rows) == 9


@pytest.mark.parametrize("name", sorted(load_catalogue()))
def test_same_rows_on_every_local_engine(name, sample_ttl, sample_store):
    params = load_catalogue()[name].example_params()
    oxi = run_query(name, params, graph=sample_ttl).rows
    assert oxi, name
    assert oxi == run_query(name, params, graph=sample_ttl, engine="rdflib").rows
    assert oxi == run_query(name, params, store=sample_store).rows


NASTY = ['"} ; DROP ALL', "'; DROP ALL ; #", 'a\nb\n} } INSERT DATA { <a> <b> <c> }', "x\" } UNION { ?s ?p ?o } #",
         "\\u0022 \\\" ' \"\"\" <http://e/x> ?s $o {} #"]


@pytest.mark.parametrize("value", NASTY)
def test_a_parameter_value_is_only_ever_a_string(value, sample_ttl, sample_store, tmp_path):
    echo = tmp_path / "echo.rq"
    echo.write_text("# title: echo\n# param: v: string — anything\nSELECT ?echo WHERE { BIND(STR(?v) AS ?echo) }\n")
    for where in ({"graph": sample_ttl}, {"store": sample_store}, {"graph": sample_ttl, "engine": "rdflib"}):
        assert run_query(str(echo), {"v": value}, **where).rows == [{"echo": value}], where
    assert query_rows("search", "--store", sample_store, params={"text": value}) == []
    assert len(query_rows("tasks", "--store", sample_store)) == 49  # nothing was dropped


def test_an_iri_parameter_must_be_an_iri(sample_ttl):
    for bad in ("https://e/x> } ; DROP ALL ; <y", "not an iri", "http://e/a b"):
        r = cli("query", "trace", "--graph", sample_ttl, "-p", f"task={bad}", expect=2)
        assert "is not a valid iri" in r.stderr and r.stderr.count("\n") == 1


def test_every_query_has_a_complete_header():
    for q in load_catalogue().values():
        assert q.title and q.description and q.example and q.returns, q.name
        assert q.text.splitlines()[0].startswith("# title:")


def test_output_formats(sample_ttl):
    csv = cli("query", "feedback", "--graph", sample_ttl, "--format", "csv").stdout.splitlines()
    assert csv[0] == "no,agency,letter,date,position,accepted,plan,document" and len(csv) == 49
    tsv = cli("query", "documents", "--graph", sample_ttl, "--format", "tsv").stdout.splitlines()
    assert tsv[1].split("\t")[4] == "101/KH-UBND"
    md = cli("query", "documents", "--graph", sample_ttl, "--format", "md").stdout.splitlines()
    assert md[0].startswith("| document | type |") and len(md) == 3
    table = cli("query", "documents", "--graph", sample_ttl).stdout
    assert "101/KH-UBND" in table


def test_queries_lists_the_catalogue():
    out = cli("queries").stdout
    for name in FIVE:
        assert name in out
    assert "Comments on the draft" in out


def test_own_query_file_and_update_refused(sample_ttl, tmp_path):
    q = tmp_path / "count.rq"
    q.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?t a <https://w3id.org/vnplan/ontology#Task> }")
    assert query_rows(str(q), "--graph", sample_ttl) == [{"n": 49}]
    u = tmp_path / "drop.rq"
    u.write_text("DROP ALL")
    r = cli("query", u, "--graph", sample_ttl, expect=2)
    assert "only reads" in r.stderr and "Traceback" not in r.output


def test_unknown_query_is_one_clear_line(sample_ttl):
    r = cli("query", "nope", "--graph", sample_ttl, expect=2)
    assert r.stderr.count("\n") == 1 and "vnplan queries" in r.stderr


def test_ask_and_bad_inputs_are_clean(sample_ttl, sample_store, tmp_path):
    ask = tmp_path / "ask.rq"
    ask.write_text("ASK { ?s ?p ?o }")
    for where in (("--graph", sample_ttl), ("--store", sample_store), ("--graph", sample_ttl, "--engine", "rdflib")):
        assert query_rows(str(ask), *where) == [{"ask": True}]
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .")
    for engine in ("oxigraph", "rdflib"):
        r = cli("query", "tasks", "--graph", bad, "--engine", engine, expect=2)
        assert r.stderr.startswith(f"vnplan: error: {bad}: not valid .ttl") and r.stderr.count("\n") == 1
    r = cli("query", tmp_path / "missing.rq", "--graph", sample_ttl, expect=2)
    assert "missing.rq: no such query file" in r.stderr


def test_an_update_is_refused_without_being_run(sample_ttl, tmp_path):
    """LOAD would fetch a URL if it were run: the refusal comes from parsing alone."""
    import http.server
    import threading
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        load = tmp_path / "load.rq"
        load.write_text(f"LOAD <http://127.0.0.1:{server.server_port}/x.ttl>")
        r = cli("query", load, "--graph", sample_ttl, expect=2)
        assert "only reads" in r.stderr
    finally:
        server.shutdown()
    assert hits == []


def test_queries_never_write_to_the_store(sample_store, tmp_path):
    plain_dir = tmp_path / "not-a-store"
    plain_dir.mkdir()
    r = cli("query", "tasks", "--store", plain_dir, expect=2)
    assert "no store here" in r.stderr and list(plain_dir.iterdir()) == []
    before = sorted(p.name for p in sample_store.iterdir())
    assert len(query_rows("tasks", "--store", sample_store)) == 49
    assert sorted(p.name for p in sample_store.iterdir()) == before
