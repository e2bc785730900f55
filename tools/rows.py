"""Print the rows (cells split by '   ') the extractor sees on each page: python tools/rows.py FILE"""
import sys
from pathlib import Path

from extractors.inputs import open_input
from extractors.readpage import PageJob, init_worker, read_page
from extractors.settings import ExtractSettings
from extractors.text import group_rows

init_worker()
s = ExtractSettings()
inp = open_input(Path(sys.argv[1]), s)
for i in range(inp.page_count):
    r = read_page(PageJob(sys.argv[1], inp.kind, i, s))
    print(f"--- page {i + 1} ({r.text_source}, rotation {r.rotation}, skew {r.skew_deg})")
    for row in group_rows(i + 1, r.words):
        print(row.text)
