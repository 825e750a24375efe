"""Errors that reach the user as one line naming the file (and line)."""
from __future__ import annotations


class VnplanError(Exception):
    """Base class: ``str(err)`` is the one-line message the CLI prints."""


class InputError(VnplanError):
    """A source document that cannot be read or parsed.

    >>> str(InputError("plan.txt", "file is empty", line=None))
    'plan.txt: file is empty'
    >>> str(InputError("plan.txt", "no document number ('Số: …')", line=3))
    "plan.txt:3: no document number ('Số: …')"
    """

    def __init__(self, path: str, message: str, line: int | None = None):
        self.path, self.message, self.line = path, message, line
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {message}")


class QueryError(VnplanError):
    """A query that cannot be run (unknown name, bad parameter, update refused …)."""


class StoreError(VnplanError):
    """A store or graph file that cannot be opened or written."""
