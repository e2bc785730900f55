"""Which document each page belongs to, of what type, and in which language."""
from __future__ import annotations

import re

from extractors.text import Row

TITLES = {
    "contract": re.compile(r"\b(?:контракт|договор(?:\s+поставки)?|внешнеторговый\s+контракт|contract|sales\s+contract|supply\s+agreement|"
                           r"келісімшарт|жеткізу\s+шарты)\b", re.I),
    "end_use_guarantee": re.compile(r"(?:гарантийн\w+\s+обязательств\w*|сертификат\w*\s+конечного\s+пользовател\w*|end[\s-]?use(?:r)?\s+"
                                    r"(?:guarantee|certificate|statement|undertaking)|кепілдік\s+міндеттеме|соңғы\s+пайдалану\s+туралы)", re.I),
    "application": re.compile(r"(?:заявлени\w+\s+на\s+(?:выдачу\s+)?разрешени|application\s+for\s+(?:a\s+)?(?:permit|licen[cs]e)|"
                              r"рұқсат\s+алуға\s+өтініш)", re.I),
    "info_form": re.compile(r"(?:информационн\w+\s+(?:форм|лист)|information\s+form|ақпараттық\s+нысан)", re.I),
}
BODY_HINTS = {
    "contract": re.compile(r"продав|покупат|seller|buyer|сатушы|сатып\s+алушы|предмет\s+контракта|subject\s+of", re.I),
    "end_use_guarantee": re.compile(r"hereby\s+certif|настоящим\s+гарантир|не\s+будут\s+реэкспорт|not\s+be\s+re-?export|"
                                    r"қайта\s+экспортта|конечн\w+\s+пользовател|end[\s-]?user|осы\s+арқылы", re.I),
}
KK_LETTERS = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")


def page_title_type(rows: list[Row]) -> str | None:
    """A document type named in a page's heading (its first rows), if any."""
    head = "\n".join(r.text for r in rows[:8])
    best = None
    for kind, rx in TITLES.items():
        m = rx.search(head)
        if m and (best is None or m.start() < best[1]):
            best = (kind, m.start())
    # A contract's own title can be quoted inside a guarantee's heading; the guarantee title wins there.
    if best and best[0] == "contract" and TITLES["end_use_guarantee"].search("\n".join(r.text for r in rows[:4])):
        return "end_use_guarantee"
    return best[0] if best else None


def body_type(text: str) -> tuple[str, float]:
    scores = {k: len(rx.findall(text)) for k, rx in BODY_HINTS.items()}
    kind = max(scores, key=scores.get)
    total = sum(scores.values())
    if total == 0:
        return "other", 0.4
    return kind, 0.5 + 0.4 * scores[kind] / total


def split_documents(pages: list[list[Row]]) -> list[tuple[list[int], str, float]]:
    """[(page indexes, doc_type, confidence)]: a new document starts where a page's heading names a different type."""
    docs: list[tuple[list[int], str, float]] = []
    for i, rows in enumerate(pages):
        kind = page_title_type(rows)
        if docs and (kind is None or kind == docs[-1][1]):
            docs[-1][0].append(i)
            continue
        if kind is None:
            kind, conf = body_type("\n".join(r.text for r in rows))
        else:
            conf = 0.95
        docs.append(([i], kind, conf))
    return docs


def language(text: str) -> str:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return "ru"
    cyr = sum(1 for c in letters if "\u0400" <= c <= "\u04ff")
    lat = len(letters) - cyr
    kk = sum(1 for c in letters if c in KK_LETTERS)
    if cyr > lat:
        return "kk" if kk / max(cyr, 1) > 0.012 else "ru"
    return "en"
