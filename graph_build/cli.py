"""The ``vnplan`` command: each command parses options, calls one library function, prints."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from . import __version__
from .errors import VnplanError


class _Progress:
    """Build progress on stderr: a bar on a terminal; elsewhere, for batches, a line every 50
    documents and one per output."""

    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()
        self.bar = None

    def __call__(self, what: str, done: int, total: int) -> None:
        verb, _, target = what.partition(" ")
        if self.tty:
            if self.bar is None:
                from rich.progress import Progress
                self.bar = Progress(transient=True)
                self.bar.start()
                self.task = self.bar.add_task("building", total=total)
            self.bar.update(self.task, completed=done, description=f"{verb} {Path(target).name}"[:60])
        elif verb != "read" and total > 1:
            click.echo(f"{'writing' if verb == 'write' else 'storing in'} {target} …", err=True)
        elif total >= 100 and done and done % 50 == 0:
            click.echo(f"read {done}/{total} documents …", err=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


def _fail(err: Exception, code: int = 2) -> None:
    click.echo(f"vnplan: error: {err}", err=True)
    sys.exit(code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="vnplan")
def main() -> None:
    """Turn Vietnamese government plans into a knowledge graph you can query."""


@main.command(short_help="Build plans into a graph file and/or the store.")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path, readable=False))
@click.option("-o", "--output", "out", type=click.Path(path_type=Path),
              help="Graph file to write (.ttl, .nt, .nq, .trig, .jsonld).")
@click.option("--store", type=click.Path(path_type=Path), help="Embedded store directory to load.")
@click.option("--authority", type=click.Path(path_type=Path), help="Agency authority file (TOML).")
@click.option("--strict", is_flag=True, help="Exit 1 when any warning is raised.")
@click.option("--max-size", type=float, default=None, metavar="MB",
              help="Refuse files larger than this (default 25 MB, or $VNPLAN_MAX_MB).")
@click.option("-j", "--jobs", type=int, default=1, show_default=True,
              help="Read documents in this many processes (0: one per core).")
@click.option("-q", "--quiet", is_flag=True, help="Print only errors.")
def build(paths, out, store, authority, strict, max_size, jobs, quiet):
    """Build documents (files or directories) into a graph file and/or the embedded store.

    With neither -o nor --store, the default store (.vnplan/store, or $VNPLAN_STORE) is loaded.
    """
    from .build import build_documents
    from .engine import DEFAULT_STORE
    if not out and not store:
        store = DEFAULT_STORE
    bar = None if quiet else _Progress()
    try:
        report = build_documents(paths, out=out, store=store, registry=authority, progress=bar,
                                 max_bytes=int(max_size * 1024 * 1024) if max_size else None,
                                 jobs=jobs if jobs > 0 else (os.cpu_count() or 1))
    except VnplanError as err:
        _fail(err)
    finally:
        if bar:
            bar.close()
    for d in report.documents:
        if d.error:
            click.echo(f"error: {d.error}", err=True)
            continue
        for e in d.row_errors:
            click.echo(f"error: {e}", err=True)
        if not quiet:
            for w in d.warnings:
                click.echo(f"warning: {w}", err=True)
    if not quiet and len(report.documents) > 1:
        from .formats import render
        per_doc = [{"file": Path(d.path).name, "document": d.document.rsplit("/legal/", 1)[-1] if d.document else "",
                    "tasks": d.counts.get("tasks", ""), "citations": d.counts.get("citations", ""),
                    "agencies": d.counts.get("agencies", ""), "warnings": len(d.warnings),
                    "status": "not built" if d.error else f"{len(d.row_errors)} row errors" if d.row_errors else "built"}
                   for d in report.documents]
        click.echo(render(list(per_doc[0]), per_doc, "table", title="documents"))
    if not quiet and report.outputs:
        from .formats import render
        t = report.totals()
        cols = ["documents", "tasks", "agencies", "legal_documents", "citations", "feedback", "triples",
                "warnings", "errors"]
        click.echo(render(cols, [t], "table", title="vnplan build"))
        for o in report.outputs:
            click.echo(f"wrote {o}")
    if report.failed or report.row_errors or (strict and report.warnings):
        sys.exit(1)


def _endpoint_options(writes: bool = False):
    """--endpoint and how to reach it: credentials, timeout, POST; for writing, the update/store URLs."""
    def wrap(f):
        opts = [
            click.option("--endpoint", metavar="URL", help="A SPARQL endpoint's query URL, e.g. http://127.0.0.1:7878/query."),
            click.option("--user", help="User name for the endpoint."),
            click.option("--password", envvar="VNPLAN_PASSWORD", help="Password (or set $VNPLAN_PASSWORD)."),
            click.option("--auth", type=click.Choice(["basic", "digest"]), default="basic", show_default=True,
                         help="HTTP authentication scheme."),
            click.option("--timeout", type=float, default=None,
                         help=("Seconds each request to the endpoint may take, in all (default 60)." if writes else
                               "Seconds a query may run, in all (default: no limit locally, 60 on an endpoint).")),
        ]
        if writes:
            opts += [click.option("--update-url", help="SPARQL Update URL (derived for Oxigraph, Fuseki, Virtuoso)."),
                     click.option("--store-url", help="Graph Store Protocol URL (derived for Oxigraph, Fuseki, Virtuoso).")]
        else:
            opts.append(click.option("--post", is_flag=True, help="Send queries by POST (long ones always are)."))
        for o in reversed(opts):
            f = o(f)
        return f
    return wrap


def _endpoint(kw: dict):
    """An ``Endpoint`` from the options, or None when --endpoint is not given (``kw["timeout"]``
    stays for a local engine)."""
    url = kw.pop("endpoint", None)
    conn = {k: kw.pop(k, None) for k in ("user", "password", "auth", "post", "update_url", "store_url")}
    conn["timeout"] = kw.get("timeout")
    if not url:
        return None
    from .engine.remote import Endpoint
    return Endpoint(url, update_url=conn["update_url"], store_url=conn["store_url"], user=conn["user"],
                    password=conn["password"], auth=conn["auth"] or "basic", timeout=conn["timeout"] or 60.0,
                    post=bool(conn["post"]))


def _params(params) -> dict[str, str]:
    given = {}
    for p in params:
        if "=" not in p:
            _fail(VnplanError(f"--param {p!r}: write NAME=VALUE"))
        k, v = p.split("=", 1)
        given[k] = v
    return given


@main.command(short_help="Run a catalogue query or a .rq file.")
@click.argument("name")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE", help="Query parameter (repeatable).")
@click.option("--graph", type=click.Path(path_type=Path), help="Graph file to query (loaded in memory).")
@click.option("--store", type=click.Path(path_type=Path), help="Embedded store directory (default .vnplan/store).")
@_endpoint_options()
@click.option("--engine", type=click.Choice(["oxigraph", "rdflib"]), default="oxigraph", show_default=True,
              help="Engine for a graph file.")
@click.option("-f", "--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json", "md"]), default="table",
              show_default=True)
def query(name, params, graph, store, engine, fmt, **kw):
    """Run a catalogue query by NAME (see 'vnplan queries') or a .rq FILE, on the embedded store
    (default), a graph file, or a SPARQL endpoint."""
    from .catalogue import run_query
    from .formats import render
    try:
        result = run_query(name, _params(params), graph=graph, store=store, engine=engine, endpoint=_endpoint(kw),
                           timeout=kw.get("timeout"))
    except VnplanError as err:
        _fail(err)
    click.echo(render(result.columns, result.rows, fmt))


@main.command(short_help="Trace a task back to its legal basis.")
@click.argument("task")
@click.option("--graph", type=click.Path(path_type=Path), help="Graph file (loaded in memory).")
@click.option("--store", type=click.Path(path_type=Path), help="Embedded store directory (default .vnplan/store).")
@_endpoint_options()
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def trace(task, graph, store, fmt, **kw):
    """Trace TASK back to its legal basis. TASK is an IRI, a reference such as I.8, or words of the
    task's text (case and diacritics ignored; several matches are listed, not guessed)."""
    import json
    from .catalogue import open_engine
    from .trace import AmbiguousTask, trace_json, trace_task, trace_text
    try:
        result = trace_task(task, open_engine(graph, store, endpoint=_endpoint(kw), timeout=kw.get("timeout")))
    except AmbiguousTask as err:
        click.echo(f"vnplan: error: {len(err.matches)} tasks match {task!r}; give the IRI of one:", err=True)
        for m in err.matches:
            short = m.content if len(m.content) <= 70 else m.content[:70].rsplit(" ", 1)[0] + " …"
            click.echo(f"  {m.ref:<7} {m.plan}  {short}\n          {m.task}", err=True)
        sys.exit(2)
    except VnplanError as err:
        _fail(err)
    if fmt == "json":
        click.echo(json.dumps(trace_json(result), ensure_ascii=False, indent=2))
    else:
        click.echo(trace_text(result))


@main.command(short_help="Coordination, citation networks: metrics, page, Gephi.")
@click.option("--kind", type=click.Choice(["coordination", "co-assignment", "bipartite", "citation"]),
              default="coordination", show_default=True, help="Which network.")
@click.option("--graph", type=click.Path(path_type=Path), help="Graph file (loaded in memory).")
@click.option("--store", type=click.Path(path_type=Path), help="Embedded store directory (default .vnplan/store).")
@_endpoint_options()
@click.option("--html", "html_out", type=click.Path(path_type=Path), help="Write the interactive page (works offline).")
@click.option("--gexf", type=click.Path(path_type=Path), help="Write GEXF (Gephi) with labels, kinds, weights, metrics.")
@click.option("--graphml", type=click.Path(path_type=Path), help="Write GraphML with the same attributes.")
@click.option("--metrics", "metrics_out", type=click.Path(path_type=Path), help="Write the metrics table as CSV.")
@click.option("--size-by", type=click.Choice(["pagerank", "betweenness", "degree", "weighted_degree"]),
              default="pagerank", show_default=True, help="Node size on the page.")
@click.option("--top", type=int, default=15, show_default=True, help="Rows of the metrics table to print (0: all).")
@click.option("--within", metavar="PLAN", help="Only the plans this names: a number (101/KH-UBND), title words or an IRI.")
def network(kind, graph, store, html_out, gexf, graphml, metrics_out, size_by, top, within, **kw):
    """Build a network from the graph, print its metrics, and write the page and Gephi files.

    coordination: lead agency → coordinating agency, weighted by shared tasks; co-assignment: its
    undirected projection; bipartite: agencies and tasks; citation: plans, sections, tasks and
    instruments → legal documents. Placeholders are drawn (hidden until shown) but left out of
    the metrics.
    """
    from .catalogue import open_engine
    from .formats import render
    from .network import actors, build_network, metrics, write_gexf, write_graphml, write_metrics_csv
    try:
        net = build_network(kind, open_engine(graph, store, endpoint=_endpoint(kw), timeout=kw.get("timeout")), within)
        if net.graph.number_of_nodes() == 0:
            raise VnplanError(f"no plan matches --within {within!r}; 'vnplan query documents' lists them" if within
                              else "the graph has no tasks or citations to draw; build a plan first")
        rows = metrics(net)
        if metrics_out:
            write_metrics_csv(rows, metrics_out)
        if gexf:
            write_gexf(net, gexf)
        if graphml:
            write_graphml(net, graphml)
        if html_out:
            from .viz import network_page
            network_page(net, size_by=size_by).write(html_out)
    except VnplanError as err:
        _fail(err)
    g = actors(net.graph)
    click.echo(f"{net.title}\n{g.number_of_nodes()} nodes, {g.number_of_edges()} links "
               f"({net.graph.number_of_nodes() - g.number_of_nodes()} placeholder nodes left out of the metrics)")
    cols = ["label", "kind", "degree", "weighted_degree", *(["weighted_in", "weighted_out"] if g.is_directed() else []),
            "betweenness", "pagerank", "community", "broker"]
    shown = rows if top == 0 else rows[:top]
    click.echo(render(cols, [{c: r[c] for c in cols} for r in shown], "table"))
    if top and len(rows) > top:
        click.echo(f"… {len(rows) - top} more (--top 0 for all, --metrics FILE.csv to save)")
    for path in (html_out, gexf, graphml, metrics_out):
        if path:
            click.echo(f"wrote {path}")


@main.command(short_help="Report data-quality problems in the built plans.")
@click.option("--graph", type=click.Path(path_type=Path), help="Graph file (loaded in memory).")
@click.option("--store", type=click.Path(path_type=Path), help="Embedded store directory (default .vnplan/store).")
@_endpoint_options()
@click.option("-f", "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def check(graph, store, fmt, **kw):
    """Data-quality report over the built documents: numbers that disagree, impossible or
    contradicting dates, rows that could not be read, agencies not in the authority file.
    Exit 0 when there is nothing to report, 1 when there is."""
    import json
    from .catalogue import open_engine
    from .formats import render
    from .quality import check_quality
    try:
        report = check_quality(open_engine(graph, store, endpoint=_endpoint(kw), timeout=kw.get("timeout")))
    except VnplanError as err:
        _fail(err)
    if fmt == "json":
        click.echo(json.dumps({"by_kind": report.by_kind, "problems": list(report.rows)}, ensure_ascii=False, indent=2))
    elif not report.rows:
        click.echo("nothing to report")
    else:
        click.echo(render(["kind", "count"], [{"kind": k, "count": n} for k, n in report.by_kind.items()], "table",
                          title="problems by kind"))
        click.echo(render(["plan", "line", "kind", "message"], list(report.rows), "table", title="problems"))
    if report.rows:
        sys.exit(1)


@main.command(short_help="Load a built graph into a SPARQL endpoint.")
@click.option("--graph", type=click.Path(path_type=Path), help="Graph file to push (.trig or .nq keep one graph per document).")
@click.option("--store", type=click.Path(path_type=Path), help="Local store directory to push (not the server's: see --store-url).")
@click.option("--graph-iri", help="Named graph for a triple file (.ttl, .nt) that has none.")
@_endpoint_options(writes=True)
@click.option("-q", "--quiet", is_flag=True, help="Print only errors.")
def push(graph, store, graph_iri, quiet, **kw):
    """Load a built graph into a SPARQL endpoint, one named graph per document; pushing again
    replaces those graphs, never duplicates them."""
    from .engine.local import named_graphs
    from .engine.remote import push_graphs
    try:
        ep = _endpoint(kw)
        if ep is None:
            raise VnplanError("give --endpoint URL (the endpoint's SPARQL query URL)")
        if (graph is None) == (store is None):
            raise VnplanError("give --graph FILE or --store DIR to push")
        default = graph_iri or (f"https://w3id.org/vnplan/graph/file/{Path(graph).stem}" if graph else None)
        graphs = named_graphs(graph=graph, store=store, default_name=default)
        if not graphs:
            raise VnplanError(f"{graph or store}: nothing to push (no triples)")
        echo = None if quiet else (lambda p: click.echo(f"{p.graph}: {p.triples} triples ({p.via}, {p.seconds:.1f} s)"))
        done = push_graphs(graphs, ep, progress=echo)
    except VnplanError as err:
        _fail(err)
    if not quiet:
        click.echo(f"pushed {len(done)} graphs, {sum(p.triples for p in done)} triples to {ep.query_url}")


@main.command(short_help="Serve the graph as a read-only SPARQL endpoint.")
@click.option("--graph", type=click.Path(path_type=Path), help="Graph file to serve.")
@click.option("--store", type=click.Path(path_type=Path), help="Embedded store directory to serve (default .vnplan/store).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=int, default=7878, show_default=True, help="Port to listen on.")
@click.option("--timeout", type=int, help="Seconds a query may run (whole seconds).")
def serve(graph, store, host, port, timeout):
    """Serve the graph read-only as a SPARQL endpoint (Oxigraph) with its query page, until Ctrl-C.

    Give --graph FILE or --store DIR (default .vnplan/store); --graph wins if both are given."""
    from .engine import DEFAULT_STORE
    from .engine.server import serve_forever, start_server
    try:
        server = start_server(graph=graph, store=None if graph else (store or DEFAULT_STORE), host=host,
                              port=port, timeout_s=timeout)
    except VnplanError as err:
        _fail(err)
    click.echo(f"SPARQL endpoint: {server.query_url} (read-only)")
    click.echo(f"Query page:      {server.base_url}/")
    click.echo(f"Try:             vnplan query tasks --endpoint {server.query_url}")
    click.echo("Ctrl-C to stop.")
    serve_forever(server)


@main.command(short_help="List the query catalogue, or show one query.")
@click.argument("name", required=False)
def queries(name):
    """List the query catalogue, or show one query's header (what it answers, parameters, example)."""
    from .catalogue import find_query, load_catalogue
    from .formats import render
    if name:
        try:
            q = find_query(name)
        except VnplanError as err:
            _fail(err)
        click.echo(f"{q.name}: {q.title}\n\n{q.description}\n")
        for p in q.params:
            click.echo(f"  --param {p.name}=…  ({p.type}{', default ' + p.default if p.default else ''}) {p.doc}")
        click.echo(f"\nexample: {q.example}\nreturns: {q.returns}\nfile:    {q.path}")
        return
    rows = [{"name": q.name, "title": q.title, "params": ", ".join(f"{p.name}:{p.type}" for p in q.params)}
            for q in load_catalogue().values()]
    click.echo(render(["name", "title", "params"], rows, "table"))


@main.command(short_help="Check a graph against the SHACL shapes.")
@click.option("--graph", type=click.Path(path_type=Path), help="Graph file to validate.")
@click.option("--store", type=click.Path(path_type=Path), help="Embedded store directory (default .vnplan/store).")
@click.option("-v", "--verbose", is_flag=True, help="Print the full SHACL report.")
def validate(graph, store, verbose):
    """Check a graph against the SHACL shapes: exit 0 conforms, 1 does not, 2 error."""
    from .engine import DEFAULT_STORE
    from .validate import load_for_validation, validate_graph
    try:
        data = load_for_validation(graph, None if graph else (store or DEFAULT_STORE))
        if len(data) == 0:
            raise VnplanError(f"{graph or store or DEFAULT_STORE}: the graph is empty; nothing to validate")
        result = validate_graph(data)
    except VnplanError as err:
        _fail(err)
    if result.conforms:
        click.echo(f"conforms: {len(data)} triples checked against ontology/shapes.ttl")
        return
    click.echo(f"does not conform: {result.violations} violations", err=True)
    if verbose:
        click.echo(result.text, err=True)
    else:
        for focus, message in result.problems[:20]:
            click.echo(f"  {focus}: {message}", err=True)
        if len(result.problems) > 20:
            click.echo(f"  … and {len(result.problems) - 20} more (use -v for the full report)", err=True)
    sys.exit(1)


if __name__ == "__main__":  # pragma: no cover
    main()
