"""Where graphs live and how queries run — the only package that imports pyoxigraph and
SPARQLWrapper: the embedded store and in-memory engines (:mod:`.local`), SPARQL endpoints
(:mod:`.remote`), and a local Oxigraph server (:mod:`.server`). Parameters are bound the same
way on every engine (:mod:`.bindings`).
"""
from .bindings import with_values
from .local import (DEFAULT_STORE, Engine, RdflibEngine, Result, file_format, from_ox, is_update, open_store,
                    plain, replace_graphs, to_ox, write_graph_file)

__all__ = ["DEFAULT_STORE", "Engine", "RdflibEngine", "Result", "file_format", "from_ox", "is_update",
           "open_store", "plain", "replace_graphs", "to_ox", "with_values", "write_graph_file"]
