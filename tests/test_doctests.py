"""The examples in docstrings are specifications too: run them."""
from __future__ import annotations

import doctest
import importlib

import pytest


@pytest.mark.parametrize("module", ["models.outgoing", "flows.workdays", "flows.clocks", "web.fields", "extractors.tessapi"])
def test_docstring_examples(module):
    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0 and result.failed == 0
