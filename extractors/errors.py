"""Why an input was refused, in words a clerk can act on."""
from __future__ import annotations


class Rejected(Exception):
    """An input that cannot be processed. `code` is for machines, `message` for people."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message
