"""Bad input: each bad file gets its one-line error (file, and line where it makes sense), the
exit code is not zero, and the good files of the same batch are still built."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from graph_build.vocab import VNP

from .conftest import SAMPLE, cli

LINES = SAMPLE.read_text(encoding="utf-8").split("\n")
# TCVN3 (ABC) and VNI bytes of "Ủy ban nhân dân thành phố Hà Nội / Kế hoạch và các nhiệm vụ của các
# sở", as they look when read as Windows-1252
TCVN3 = "Uû ban nh©n d©n thµnh phè Hµ Néi\nKÕ ho¹ch vµ c¸c nhiÖm vô cña c¸c së\n".encode("cp1252")
VNI = "UÛy ban nhaân daân thaønh phoá Haø Noäi\nKeá hoaïch vaø caùc nhieäm vuï cuûa caùc sôû\n".encode("cp1252")


def sample_with(**lines: str) -> str:
    """The sample with some lines replaced: ``sample_with(L230="...")``."""
    out = list(LINES)
    for key, text in lines.items():
        out[int(key[1:]) - 1] = text
    return "\n".join(out)


BAD = {  # file name -> (bytes, the error it must give)
    "empty.txt": (b"", "empty.txt: file is empty"),
    "blank.txt": (b"\n  \n\t\n", "blank.txt: file is empty"),
    "binary.txt": (bytes(range(256)) * 8, "binary.txt:1: binary data, not text"),
    "nul.txt": ("Số: 1/KH-UBND\n\x00\x01\x02".encode(), "nul.txt:2: binary data, not text"),
    "latin1.txt": ("Số: 1/KH-UBND\nNội dung\n".encode("utf-8") + "café\n".encode("latin-1"),
                   "latin1.txt:3: not UTF-8 text (save the file as UTF-8)"),
    "renamed-pdf.txt": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "renamed-pdf.txt: this is a PDF file named as text; rename it to .pdf"),
    "utf16.txt": ("\n".join(LINES[:40]).encode("utf-16"), "utf16.txt: file is UTF-16 text; save it as UTF-8"),
    "utf16-no-bom.txt": ("\n".join(LINES[:40]).encode("utf-16-le"), "utf16-no-bom.txt: file is UTF-16 text"),
    "tcvn3.txt": (TCVN3, "tcvn3.txt: text in the legacy TCVN3 (ABC) Vietnamese encoding, not Unicode"),
    "vni.txt": (VNI, "vni.txt: text in the legacy VNI Vietnamese encoding, not Unicode"),
    "no-header.txt": ("Một văn bản không có số hiệu.\nChỉ có vài dòng.\n".encode(), "no-header.txt"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_each_bad_file_gets_its_one_line_error(name, tmp_path):
    data, expected = BAD[name]
    f = tmp_path / name
    f.write_bytes(data)
    r = cli("build", f, "-o", tmp_path / "out.ttl", expect=1)
    assert r.stderr.startswith(f"error: {tmp_path}/{expected}"), r.stderr
    assert r.stderr.count("\n") == 1 and "Traceback" not in r.output
    assert not (tmp_path / "out.ttl").exists()  # nothing written when nothing was built


def test_a_file_cut_off_in_the_appendix_builds_what_is_there(tmp_path):
    cut = tmp_path / "cut.txt"
    cut.write_text("\n".join(LINES[:229]) + "\n2\tChương trình tuyên truyền quản", encoding="utf-8")
    r = cli("build", cut, "-o", tmp_path / "cut.ttl", expect=1)
    assert r.stderr == (f"error: {cut}:230: the file ends in the middle of the appendix, at task IV.2 (2 of 5 cells): "
                        "it seems cut off; the tasks before it are built, get the whole file\n")
    g = Graph().parse(tmp_path / "cut.ttl")
    assert len(set(g.subjects(RDF.type, VNP.Task))) == 26  # I.1-11, II.1-5, III.1-9, IV.1
    assert "file-cut-off" in {str(k) for k in g.objects(None, VNP.noteKind)}


def test_rows_with_missing_or_extra_cells(tmp_path):
    f = tmp_path / "rows.txt"
    f.write_text(sample_with(L230="2\tChương trình tuyên truyền\tTrong năm 2023",  # lead and coordinators lost
                             L231=LINES[230] + "\tô thừa\tmột ô nữa"), encoding="utf-8")
    r = cli("build", f, "-o", tmp_path / "rows.ttl", expect=1)
    assert r.stderr.splitlines() == [
        f"error: {f}:230: task IV.2 has 3 of 5 cells and no lead agency; the row is left out",
        f"error: {f}:231: task IV.3 has 7 cells for 5 columns; the extra cells were left out: ô thừa | một ô nữa"]
    g = Graph().parse(tmp_path / "rows.ttl")
    tasks = {str(t).rsplit("/", 1)[1] for t in g.subjects(RDF.type, VNP.Task)}
    assert len(tasks) == 48 and "IV.2" not in tasks and "IV.3" in tasks
    assert {str(k) for k in g.objects(None, VNP.noteKind)} >= {"row-left-out", "cells-left-out"}
    assert "Sở Du lịch" in r.stdout or "errors" in r.stdout  # the summary is still printed


def test_impossible_dates_are_warnings_unless_strict(tmp_path):
    f = tmp_path / "dates.txt"
    row = LINES[229].split("\t")
    row[2] = "Quý V/2023"
    f.write_text(sample_with(L230="\t".join(row), L72=LINES[71].replace("ngày 14/9/2022", "ngày 31/02/2022")),
                 encoding="utf-8")
    r = cli("build", f, "-o", tmp_path / "d.ttl")
    assert f"warning: {f}:230: impossible quarter in 'Quý V/2023'" in r.stderr
    assert f"warning: {f}:72: 1079/QĐ-TTg: impossible-date" in r.stderr
    assert len(set(Graph().parse(tmp_path / "d.ttl").subjects(RDF.type, VNP.Task))) == 49  # nothing lost
    cli("build", f, "-o", tmp_path / "d2.ttl", "--strict", expect=1)


def test_a_huge_file_is_refused_before_it_is_read(tmp_path):
    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as fh:
        fh.truncate(100 * 1024 * 1024)  # 100 MB (sparse: costs no disk)
    r = cli("build", huge, "-o", tmp_path / "h.ttl", expect=1)
    assert r.stderr == (f"error: {huge}: file is 100 MB, more than the 25 MB a plan may take; is it the right file? "
                        "(raise the limit with --max-size MB)\n")
    r = cli("build", huge, "-o", tmp_path / "h.ttl", "--max-size", "200", expect=1)
    assert "huge.txt:1: binary data, not text" in r.stderr  # read this time: all zero bytes


def test_paths_that_do_not_exist_or_cannot_be_read(tmp_path):
    r = cli("build", tmp_path / "nope.txt", "-o", tmp_path / "o.ttl", expect=1)
    assert r.stderr == f"error: {tmp_path}/nope.txt: no such file\n"
    r = cli("build", SAMPLE / "x.txt", "-o", tmp_path / "o.ttl", expect=1)
    assert r.stderr == f"error: {SAMPLE}/x.txt: cannot read the file (Not a directory)\n"


@pytest.mark.skipif(not shutil.which("setpriv"), reason="needs setpriv to drop root")
def test_a_file_that_may_not_be_read():
    import tempfile
    where = Path(tempfile.mkdtemp(prefix="vnplan-perm-"))  # outside pytest's private tmp, for nobody
    where.chmod(0o777)
    secret = where / "secret.txt"
    shutil.copy(SAMPLE, secret)
    secret.chmod(0o000)
    out = where / "o.ttl"
    cmd = [str(Path(sys.executable).parent / "vnplan"), "build", str(secret), "-o", str(out)]
    if os.geteuid() == 0:  # root reads everything: run as nobody
        cmd = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *cmd]
    try:
        r = subprocess.run(cmd, capture_output=True, text=True)
    finally:
        shutil.rmtree(where)
    assert r.returncode == 1 and r.stderr == f"error: {secret}: permission denied: vnplan may not read this file\n"


def test_a_directory_mixing_all_of_these(tmp_path):
    mixed = tmp_path / "mixed"
    mixed.mkdir()
    for name, (data, _) in BAD.items():
        (mixed / name).write_bytes(data)
    shutil.copy(SAMPLE, mixed / "good.txt")
    (mixed / "cut.txt").write_text("\n".join(LINES[:229]) + "\n2\tChương trình", encoding="utf-8")
    store = tmp_path / "store"
    r = cli("build", mixed, "--store", store, expect=1)
    errors = [line for line in r.stderr.splitlines() if line.startswith("error: ")]
    # one line per bad file, and one for cut.txt (the same plan as good.txt, cut off)
    assert len(errors) == len(BAD) + 1
    assert all(str(mixed) in e for e in errors)
    # cut.txt and good.txt are the same plan: the whole one is built, the cut one is reported
    assert f"error: {mixed}/cut.txt: same document as {mixed}/good.txt, which is built instead" in r.stderr
    from .conftest import query_rows
    assert [d["id_local"] for d in query_rows("documents", "--store", store)] == ["101/KH-UBND"]
    assert len(query_rows("tasks", "--store", store)) == 49


def test_warnings_never_stop_a_build(tmp_path):
    f = tmp_path / "unknown-agency.txt"
    row = LINES[229].split("\t")
    row[3] = "Sở Không Tồn Tại"
    f.write_text(sample_with(L230="\t".join(row)), encoding="utf-8")
    r = cli("build", f, "-o", tmp_path / "u.ttl")
    assert "warning:" in r.stderr and "Sở Không Tồn Tại" in r.stderr
    g = Graph().parse(tmp_path / "u.ttl")
    assert any(g.triples((None, VNP.unresolved, None)))
    assert URIRef("https://w3id.org/vnplan/id/legal/kh/2023/101/ubnd-ha-noi/task/IV.2") in set(g.subjects(RDF.type, VNP.Task))


def test_a_file_cut_off_before_or_at_its_appendix(tmp_path):
    at_title = tmp_path / "at-title.txt"
    at_title.write_text("\n".join(LINES[:192]), encoding="utf-8")  # the appendix title and header, no row
    r = cli("build", at_title, "-o", tmp_path / "a.ttl", expect=1)
    assert r.stderr == (f"error: {at_title}:186: the appendix (line 186) has no task rows: the file seems cut off; "
                        "get the whole file\n")
    before = tmp_path / "before.txt"
    before.write_text("\n".join(LINES[:120]), encoding="utf-8")  # after "(Phụ lục … kèm theo)" on line 98
    r = cli("build", before, "-o", tmp_path / "b.ttl")  # a warning: a plan may announce what it does not ship
    assert r.stderr == (f"warning: {before}:120: the text announces an appendix of tasks (line 98) that the file "
                        "does not have: is it cut off?\n")
    cli("build", before, "-o", tmp_path / "b.ttl", "--strict", expect=1)
