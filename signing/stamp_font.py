"""The stamp's font, cut down once: Latin, Cyrillic (with the Kazakh letters), punctuation, no
OpenType layout tables.

pyHanko subsets the stamp font on every signature with fontTools, and with a full Noto Sans most
of that time goes into decompiling GSUB/GPOS tables it then throws away (about 300 ms of a
500 ms signature, measured). Subsetting from this small font costs a few milliseconds.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from functools import lru_cache
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

# Noto Sans has 1000 units per em: fonts with 2048 (DejaVu, Liberation) come out with doubled
# letter spacing in pyHanko's stamps.
SOURCE = Path("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf")
UNICODES = [*range(0x20, 0x7F), *range(0xA0, 0x180), *range(0x400, 0x530), *range(0x2010, 0x2060), 0x2116, 0x20B8]


@lru_cache(maxsize=1)
def stamp_font_path(source: Path = SOURCE) -> str:
    """Path of the cut-down font, made once per machine (named by the source's hash) and reused."""
    digest = hashlib.sha256(source.read_bytes()).hexdigest()[:16]
    target = Path(tempfile.gettempdir()) / f"reexport-stamp-font-{digest}.ttf"
    if not target.exists():
        font = TTFont(str(source))
        options = subset.Options()
        options.layout_features = []
        options.drop_tables += ["GSUB", "GPOS", "GDEF"]
        options.hinting = False
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=UNICODES)
        subsetter.subset(font)
        fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".part")
        os.close(fd)
        font.save(tmp)
        os.replace(tmp, target)  # another process may have raced us here: same bytes
    return str(target)
