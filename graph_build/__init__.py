"""vnplan: Vietnamese government plans as a knowledge graph.

The pipeline runs read → segment → extract → resolve → emit → store/query;
:func:`graph_build.build.build_documents` runs it end to end.
"""
__version__ = "0.1.0"
