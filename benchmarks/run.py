"""Measure vnplan on synthetic corpora of N plans (benchmarks/generate_corpus.py) and write
benchmarks/RESULTS.md and benchmarks/results.json. Run with `make bench` (or
`python benchmarks/run.py --sizes 10 100 1000`). Nothing here is a test: figures are measured, and
the targets of the issue are checked and reported, not asserted.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate_corpus import generate  # noqa: E402

VNPLAN = str(Path(sys.executable).parent / "vnplan")
MEASURE = ("import resource, subprocess, sys, time; t = time.perf_counter(); r = subprocess.run(sys.argv[1:], "
           "stdout=subprocess.DEVNULL); print(time.perf_counter() - t, "
           "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.returncode)")


def timed_command(*args: str) -> tuple[float, float, int]:
    """(seconds, peak memory of the command and its children in MB, exit code)."""
    out = subprocess.run([sys.executable, "-c", MEASURE, *args], capture_output=True, text=True, check=True).stdout
    secs, kb, code = out.split()
    return float(secs), int(kb) / 1024, int(code)


SLOW_MS = 5000  # a query slower than this in its warm-up is measured once more, not five times


def median_ms(fn, runs: int = 5) -> float:
    t = time.perf_counter()
    fn()  # warm-up
    if (time.perf_counter() - t) * 1000 > SLOW_MS:
        runs = 1
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def once_ms(fn) -> float:
    """One timed run, no warm-up: for a query already known to take seconds."""
    t = time.perf_counter()
    fn()
    return (time.perf_counter() - t) * 1000


def direct(store, texts: list[str]):
    """The same query texts (the lookups of agency and document parameters, then the query) run
    on pyoxigraph itself, solutions read but not converted."""
    def run():
        for text in texts:
            res = store.query(text, use_default_graph_as_union=True)
            out = [tuple(s) for s in res] if hasattr(res, "variables") else [bool(res)]
        run.rows = len(out)
        return out
    return run


def lookup_texts(q, params: dict) -> list[str]:
    from rdflib import Literal

    from graph_build.catalogue import LOOKUPS
    from graph_build.engine.bindings import with_values
    from graph_build.vntext import fold
    values = {p.name: params.get(p.name, p.default) for p in q.params}
    return [with_values(LOOKUPS[p.type], {"words": Literal(fold(values[p.name]))})
            for p in q.params if p.type in LOOKUPS and values[p.name] != "*" and not values[p.name].startswith("http")]


RDFLIB_TIMEOUT = 60.0  # seconds before an rdflib query is given up (counted as 60 s: a lower bound)


def _rdflib_child(nq: Path, work: list, conn) -> None:
    """In a child process: load *nq* into rdflib's in-memory store once, then time each query
    (a warm-up, then the median of 3 runs unless the warm-up took over 5 s) and send its rows."""
    from graph_build.catalogue import find_query
    from graph_build.engine.local import RdflibEngine
    t = time.perf_counter()
    rd = RdflibEngine.from_graph_file(nq)
    conn.send(("loaded", time.perf_counter() - t))
    for name, _text, params in work:
        q = find_query(name)
        t = time.perf_counter()
        rows = rd.query(q.text, q.bindings(params, rd)).rows
        warm = (time.perf_counter() - t) * 1000
        ms = warm if warm > SLOW_MS else median_ms(lambda: rd.query(q.text, q.bindings(params, rd)), runs=3)
        conn.send((name, ms, rows))


def bench_rdflib(nq: Path, work: list) -> tuple[dict, float]:
    """``({query: (ms, rows)}, load seconds)``; a query still running after RDFLIB_TIMEOUT s is
    given up (``(None, None)``): its process is killed and a new one goes on with the rest."""
    import multiprocessing as mp
    ctx = mp.get_context("fork")
    timed: dict = {}
    load_s = None
    pending = list(work)
    while pending:
        parent, child = ctx.Pipe()
        proc = ctx.Process(target=_rdflib_child, args=(nq, pending, child), daemon=True)
        proc.start()
        _, secs = parent.recv()
        load_s = load_s or secs
        while pending:
            if not parent.poll(RDFLIB_TIMEOUT):
                timed[pending.pop(0)[0]] = (None, None)
                proc.kill()
                break
            name, ms, rows = parent.recv()
            timed[name] = (ms, rows)
            pending.pop(0)
        proc.join()
    return timed, load_s


def bench_queries(store_dir: Path, with_rdflib: bool, with_server: bool) -> dict:
    from graph_build.catalogue import load_catalogue, open_engine
    from graph_build.engine.bindings import with_values
    from graph_build.trace import trace_task
    eng = open_engine(store=store_dir)
    out: dict = {"queries": {}}
    first_task = eng.query("SELECT ?t WHERE { ?t a <https://w3id.org/vnplan/ontology#Task> } ORDER BY ?t LIMIT 1").rows[0]["t"]
    first_plan = first_task.split("/task/")[0]
    out["plan"] = first_plan
    for name, q in load_catalogue().items():
        params = q.example_params()
        if name == "trace":
            params = {"task": first_task}
        bindings = q.bindings(params, eng)
        row = {"vnplan_ms": median_ms(lambda: eng.query(q.text, q.bindings(params, eng)))}
        texts = lookup_texts(q, params) + [with_values(q.text, bindings)]
        slow = row["vnplan_ms"] > SLOW_MS
        measure = direct(eng.store, texts)
        row["direct_ms"] = (once_ms if slow else median_ms)(measure)
        row["runs"] = 1 if slow else 5
        row["rows"] = measure.rows
        row["overhead"] = row["vnplan_ms"] / row["direct_ms"] if row["direct_ms"] else None
        if any(p.name == "within" for p in q.params):  # the same query on one plan of the corpus
            scoped = {**params, "within": first_plan}
            row["scoped_ms"] = median_ms(lambda: eng.query(q.text, q.bindings(scoped, eng)))
            measure = direct(eng.store, [with_values(q.text, q.bindings(scoped, eng))])
            row["scoped_direct_ms"] = median_ms(measure)
            row["scoped_rows"] = measure.rows
        out["queries"][name] = row
    out["trace_ms"] = median_ms(lambda: trace_task(first_task, eng))
    if with_rdflib:
        import pyoxigraph as ox
        nq = Path(tempfile.mkdtemp()) / "corpus.nq"
        ox.serialize(eng.store, str(nq), format=ox.RdfFormat.N_QUADS)
        work = []
        for name, q in load_catalogue().items():
            params = {"task": first_task} if name == "trace" else q.example_params()
            work.append((name, q.text, params))
        timed, load_s = bench_rdflib(nq, work)
        out["rdflib_load_s"] = load_s
        out["rdflib_timeout_s"] = RDFLIB_TIMEOUT
        ratios = []
        for name, q in load_catalogue().items():
            ms, rows = timed[name]
            row = out["queries"][name]
            if rows is None:  # gave up: the ratio counts the time limit, a lower bound
                row.update(rdflib_ms=None, rdflib_same_rows=None)
                ratios.append(RDFLIB_TIMEOUT * 1000 / row["vnplan_ms"])
                continue
            params = {"task": first_task} if name == "trace" else q.example_params()
            same = rows == eng.query(q.text, q.bindings(params, eng)).rows
            row.update(rdflib_ms=ms, rdflib_same_rows=same)
            ratios.append(ms / row["vnplan_ms"])
        out["rdflib_geomean_ratio"] = math.exp(sum(map(math.log, ratios)) / len(ratios))
    if with_server:
        from graph_build.engine.remote import Endpoint
        from graph_build.engine.server import start_server
        with start_server(store=store_dir) as srv:
            ep = open_engine(endpoint=Endpoint(srv.query_url, timeout=600))
            for name, q in load_catalogue().items():
                params = {"task": first_task} if name == "trace" else q.example_params()
                slow = out["queries"][name]["vnplan_ms"] > SLOW_MS
                out["queries"][name]["server_ms"] = (once_ms if slow else median_ms)(
                    lambda: ep.query(q.text, q.bindings(params, ep)))
    return out


def run(sizes: list[int], seed: int, jobs: int, rdflib_at: int = 100, merge: bool = False) -> dict:
    work = Path(tempfile.mkdtemp(prefix="vnplan-bench-"))
    results: dict = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                                 "platform": platform.platform(),
                                 "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)},
                     "seed": seed, "sizes": {}}
    earlier = Path(__file__).resolve().parent / "results.json"
    if merge and earlier.is_file():  # measure some sizes again, keep the others
        results["sizes"] = json.loads(earlier.read_text(encoding="utf-8"))["sizes"]
    secs, mb, _ = timed_command(VNPLAN, "build", str(ROOT / "data/samples/hanoi-2023-101-KH-UBND.txt"),
                                "-o", str(work / "sample.ttl"), "-q")
    results["sample_build_s"] = secs
    for n in sizes:
        corpus = work / f"corpus-{n}"
        files = generate(n, corpus, seed)
        size_mb = sum(f.stat().st_size for f in files) / 2**20
        entry: dict = {"documents": n, "input_mb": size_mb}
        for label, extra in (("serial", []), (f"jobs{jobs}", ["--jobs", str(jobs)])):
            store = work / f"store-{n}-{label}"
            secs, mb, code = timed_command(VNPLAN, "build", str(corpus), "--store", str(store), "-q", *extra)
            entry[label] = {"seconds": secs, "docs_per_s": n / secs, "mb_per_s": size_mb / secs, "peak_mb": mb,
                            "exit": code}
        store = work / f"store-{n}-jobs{jobs}"
        import pyoxigraph as ox
        st = ox.Store.read_only(str(store))
        entry["triples"] = len(st)
        entry["triples_per_doc"] = len(st) / n
        del st
        entry.update(bench_queries(store, with_rdflib=(n == rdflib_at), with_server=True))
        results["sizes"][str(n)] = entry
        results["sizes"] = dict(sorted(results["sizes"].items(), key=lambda kv: int(kv[0])))
        write_results(results, jobs)  # after each size: a long run stopped early keeps what it measured
        print(f"N={n}: built in {entry[f'jobs{jobs}']['seconds']:.1f} s with --jobs {jobs}", file=sys.stderr)
    return results


def targets(r: dict, jobs: int) -> list[tuple[str, str, bool | None]]:
    out = []
    big = r["sizes"].get("1000")
    small = r["sizes"].get("100")
    if big:
        b = big[f"jobs{jobs}"]
        out.append(("1,000 plans built with --jobs 2 in at most 60 s", f"{b['seconds']:.1f} s", b["seconds"] <= 60))
        out.append(("peak memory at most 1.5 GB", f"{b['peak_mb']:.0f} MB", b["peak_mb"] <= 1536))
        if small:
            ratio = b["seconds"] / small[f"jobs{jobs}"]["seconds"]
            out.append(("10× the documents costs at most 11× the time (100 → 1,000)", f"{ratio:.1f}×", ratio <= 11))
        over = sorted(((v["vnplan_ms"], k) for k, v in big["queries"].items() if v["vnplan_ms"] > 500), reverse=True)
        within = len(big["queries"]) - len(over)
        out.append(("every catalogue query at most 500 ms median (1,000 plans), as its example runs: the whole corpus",
                    f"{within} of {len(big['queries'])} within; over: "
                    + (", ".join(f"{k} {ms / 1000:.1f} s" for ms, k in over) or "none"), not over))
        scoped = {k: v.get("scoped_ms", v["vnplan_ms"]) for k, v in big["queries"].items()}
        over = sorted(((ms, k) for k, ms in scoped.items() if ms > 500), reverse=True)
        out.append(("the same, with the queries that take a plan scope (`within`) run on one plan",
                    f"{len(scoped) - len(over)} of {len(scoped)} within; over: "
                    + (", ".join(f"{k} {ms / 1000:.1f} s" for ms, k in over) or "none"), not over))
        out.append(("vnplan trace at most 100 ms (1,000 plans)", f"{big['trace_ms']:.0f} ms", big["trace_ms"] <= 100))
        worst = max((v["overhead"], k) for k, v in big["queries"].items() if v["overhead"])
        out.append(("vnplan's query path within 1.3× of pyoxigraph (1,000 plans)", f"worst {worst[0]:.2f}× ({worst[1]})",
                    worst[0] <= 1.3))
    if small and "rdflib_geomean_ratio" in small:
        same = all(v.get("rdflib_same_rows") is not False for v in small["queries"].values())
        gave_up = [k for k, v in small["queries"].items() if v.get("rdflib_same_rows") is None]
        out.append(("catalogue ≥10× faster than rdflib in memory (100 plans, geometric mean), same rows",
                    f"{small['rdflib_geomean_ratio']:.1f}×, same rows: {same}"
                    + (f" (rdflib given up after {small['rdflib_timeout_s']} s on {', '.join(gave_up)}: ratio a lower bound, "
                       "rows not compared)" if gave_up else ""), small["rdflib_geomean_ratio"] >= 10 and same))
    out.append(("vnplan build of the sample under 1.5 s", f"{r['sample_build_s']:.2f} s", r["sample_build_s"] < 1.5))
    return out


def write_results(r: dict, jobs: int) -> None:
    here = Path(__file__).resolve().parent
    (here / "results.json").write_text(json.dumps(r, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    m = r["machine"]
    lines = ["# vnplan benchmark results", "",
             f"Machine: {m['cpus']} CPUs, {m['memory_gb']} GB, Python {m['python']}, {m['platform']}. "
             f"Corpora: `benchmarks/generate_corpus.py` (seed {r['seed']}), sizes measured: "
             f"{', '.join(r['sizes'])}. Command: `make bench` (all of 10, 100 and 1,000, about 20 minutes; "
             f"`.venv/bin/python benchmarks/run.py --sizes 100 --merge` measures one size again and keeps the "
             f"others).", "",
             "## Targets", "", "| target | measured | met |", "|---|---|---|"]
    for what, value, ok in targets(r, jobs):
        lines.append(f"| {what} | {value} | {'yes' if ok else 'NO'} |")
    lines += ["", "How to read the tables: *vnplan ms* is `run_query` through vnplan's own path (parameters "
              "resolved and bound, rows converted to Python values), median of 5 runs after a warm-up (1 run "
              "when the warm-up took over 5 s: see *runs*); *pyoxigraph ms* runs the same query texts "
              "(the lookup of an agency or document parameter, then the query) on `pyoxigraph.Store.query` "
              "over the same store, reading the solutions without converting them; *overhead* is their ratio. "
              "*one plan* runs the queries that take a `within` scope on the plan of the first task. "
              "`vnplan trace` is the library call `trace_task` (the CLI adds Python's start-up, about 0.4 s)."]
    for n, e in r["sizes"].items():
        lines += ["", f"## {n} plans ({e['input_mb']:.1f} MB of text, {e['triples']:,} triples, "
                      f"{e['triples_per_doc']:.0f} per plan)", "",
                  "| build | seconds | plans/s | MB/s | peak MB |", "|---|---|---|---|---|"]
        for label in ("serial", f"jobs{jobs}"):
            b = e[label]
            lines.append(f"| {label} | {b['seconds']:.1f} | {b['docs_per_s']:.1f} | {b['mb_per_s']:.2f} | {b['peak_mb']:.0f} |")
        cols = ["query", "rows", "runs", "vnplan ms", "pyoxigraph ms", "overhead", "Oxigraph server ms",
                "one plan: rows", "one plan: vnplan ms", "one plan: pyoxigraph ms"]
        has_rd = any("rdflib_ms" in v for v in e["queries"].values())
        if has_rd:
            cols += ["rdflib ms", "rdflib / vnplan", "same rows"]
        lines += ["", "| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
        for name, v in e["queries"].items():
            cells = [name, str(v["rows"]), str(v.get("runs", 5)), f"{v['vnplan_ms']:.1f}", f"{v['direct_ms']:.1f}",
                     f"{v['overhead']:.2f}" if v["overhead"] else "", f"{v.get('server_ms', float('nan')):.1f}",
                     str(v.get("scoped_rows", "")), f"{v['scoped_ms']:.1f}" if "scoped_ms" in v else "",
                     f"{v['scoped_direct_ms']:.1f}" if "scoped_direct_ms" in v else ""]
            if has_rd and v.get("rdflib_ms") is None:
                cells += [f"> {e['rdflib_timeout_s'] * 1000:.0f} (given up)",
                          f"> {e['rdflib_timeout_s'] * 1000 / v['vnplan_ms']:.1f}", "not compared"]
            elif has_rd:
                cells += [f"{v['rdflib_ms']:.0f}", f"{v['rdflib_ms'] / v['vnplan_ms']:.1f}", str(v["rdflib_same_rows"])]
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
        lines.append(f"`vnplan trace` (library call, first task): {e['trace_ms']:.1f} ms median.")
        if "rdflib_load_s" in e:
            lines.append(f"rdflib in memory: loading the corpus took {e['rdflib_load_s']:.1f} s (excluded from the ratios); "
                         f"geometric mean of the per-query ratios {e['rdflib_geomean_ratio']:.1f}×.")
    (here / "RESULTS.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--rdflib-at", type=int, default=100, help="the size compared with rdflib in memory")
    ap.add_argument("--rdflib-timeout", type=float, default=RDFLIB_TIMEOUT, help="seconds before an rdflib query is given up")
    ap.add_argument("--merge", action="store_true", help="keep the other sizes of results.json")
    a = ap.parse_args()
    RDFLIB_TIMEOUT = a.rdflib_timeout
    res = run(a.sizes, a.seed, a.jobs, a.rdflib_at, a.merge)
    write_results(res, a.jobs)
    print("wrote benchmarks/RESULTS.md and benchmarks/results.json", file=sys.stderr)
