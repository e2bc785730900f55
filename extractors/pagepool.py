"""The pool of OCR processes, apart from the extractors so that a process can start it before it
imports them (the flows' run process does: its workers load while it loads the rest)."""
from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from typing import Callable


def page_pool(workers: int, initializer: Callable[[], None]) -> ProcessPoolExecutor:
    """One page at a time per process, one process per core by default. Started fresh
    (forkserver), not forked from a process that may hold library threads and locks (pdfium,
    BLAS): a forked child can hang on them."""
    return ProcessPoolExecutor(max_workers=workers, initializer=initializer,
                               mp_context=multiprocessing.get_context("forkserver"))
