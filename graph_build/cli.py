"""The ``vnplan`` command: each command parses options, calls one library function, prints."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__
from .errors import VnplanError


def _fail(err: Exception, code: int = 2) -> None:
    click.echo(f"vnplan: error: {err}", err=True)
    sys.exit(code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="vnplan")
def main() -> None:
    """Turn Vietnamese government plans into a knowledge graph you can query."""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", "out", type=click.Path(path_type=Path),
              help="Graph file to write (.ttl, .nt, .nq, .trig, .jsonld).")
@click.option("--store", type=click.Path(path_type=Path), help="Embedded store directory to load.")
@click.option("--authority", type=click.Path(path_type=Path), help="Agency authority file (TOML).")
@click.option("--strict", is_flag=True, help="Exit 1 when any warning is raised.")
@click.option("-q", "--quiet", is_flag=True, help="Print only errors.")
def build(paths, out, store, authority, strict, quiet):
    """Build documents (files or directories) into a graph file and/or the embedded store.

    With neither -o nor --store, the default store (.vnplan/store, or $VNPLAN_STORE) is loaded.
    """
    from .build import build_documents
    from .engine import DEFAULT_STORE
    if not out and not store:
        store = DEFAULT_STORE
    try:
        report = build_documents(paths, out=out, store=store, registry=authority)
    except VnplanError as err:
        _fail(err)
    for d in report.documents:
        if d.error:
            click.echo(f"error: {d.error}", err=True)
        elif not quiet:
            for w in d.warnings:
                click.echo(f"warning: {w}", err=True)
    if not quiet and report.outputs:
        from .formats import render
        t = report.totals()
        cols = ["documents", "tasks", "agencies", "legal_documents", "citations", "feedback", "triples",
                "warnings", "errors"]
        click.echo(render(cols, [t], "table", title="vnplan build"))
        for o in report.outputs:
            click.echo(f"wrote {o}")
    if report.failed or (strict and report.warnings):
        sys.exit(1)


@main.command()
@click.argument("name")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE", help="Query parameter (repeatable).")
@click.option("--graph", type=click.Path(path_type=Path), help="Graph file to query (loaded in memory).")
@click.option("--store", type=click.Path(path_type=Path), help="Embedded store directory (default .vnplan/store).")
@click.option("--engine", type=click.Choice(["oxigraph", "rdflib"]), default="oxigraph", show_default=True)
@click.option("-f", "--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json", "md"]), default="table",
              show_default=True)
def query(name, params, graph, store, engine, fmt):
    """Run a catalogue query by NAME (see 'vnplan queries') or a .rq FILE."""
    from .catalogue import run_query
    from .formats import render
    given = {}
    for p in params:
        if "=" not in p:
            _fail(VnplanError(f"--param {p!r}: write NAME=VALUE"))
        k, v = p.split("=", 1)
        given[k] = v
    try:
        result = run_query(name, given, graph=graph, store=store, engine=engine)
    except VnplanError as err:
        _fail(err)
    click.echo(render(result.columns, result.rows, fmt))


@main.command()
def queries():
    """List the query catalogue."""
    from .catalogue import load_catalogue
    from .formats import render
    rows = [{"name": q.name, "title": q.title, "params": ", ".join(f"{p.name}:{p.type}" for p in q.params)}
            for q in load_catalogue().values()]
    click.echo(render(["name", "title", "params"], rows, "table"))


@main.command()
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
