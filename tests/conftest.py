"""Shared fixtures: the sample plan built once per session, as a graph file and as a store."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph_build.build import build_documents, build_file
from graph_build.cli import main

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "samples" / "hanoi-2023-101-KH-UBND.txt"
OPENINGS = ROOT / "tests" / "data" / "openings"


def cli(*args: str, expect: int | None = 0):
    """Run ``vnplan ARGS`` in-process; assert the exit code unless *expect* is None."""
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    if expect is not None:
        assert result.exit_code == expect, (result.exit_code, result.output)
    return result


def query_rows(name: str, *where: str, params: dict[str, str] | None = None) -> list[dict]:
    args = ["query", name, *where, "--format", "json"]
    for k, v in (params or {}).items():
        args += ["--param", f"{k}={v}"]
    return json.loads(cli(*args).stdout)


@pytest.fixture(scope="session")
def sample_plan():
    return build_file(SAMPLE)


def _build_sample(tmp_path_factory, **target: Path) -> Path:
    (kind, path), = target.items()
    report = build_documents([SAMPLE], **{kind: tmp_path_factory.mktemp(kind) / path})
    assert report.failed == 0
    return Path(report.outputs[0])


@pytest.fixture(scope="session")
def sample_ttl(tmp_path_factory) -> Path:
    return _build_sample(tmp_path_factory, out=Path("sample.ttl"))


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory) -> Path:
    return _build_sample(tmp_path_factory, store=Path("store"))
