"""The certified-copy rule (RULES.md, "Certified copies"): every page of a paper
copy carries the applicant's signature and, where the applicant has one, the
seal; a bound copy needs this only on the last page of each document."""
from __future__ import annotations

from dataclasses import dataclass, field

MESSAGES = {
    "signature": {"ru": "нет подписи", "kk": "қолы жоқ", "en": "no signature"},
    "seal": {"ru": "нет печати", "kk": "мөрі жоқ", "en": "no seal"},
}


@dataclass(frozen=True)
class PageMarks:
    page: int
    signature: bool
    seal: bool


@dataclass
class Failure:
    page: int
    missing: list[str] = field(default_factory=list)  # "signature", "seal"

    def text(self, lang: str = "ru") -> str:
        what = ", ".join(MESSAGES[m][lang] for m in self.missing)
        label = {"ru": "стр.", "kk": "бет", "en": "page"}[lang]
        return f"{label} {self.page}: {what}"


def pages_to_certify(documents: list[list[int]], bound: bool) -> list[int]:
    """Which pages must carry the marks: all of them, or the last of each document when bound."""
    if bound:
        return [pages[-1] for pages in documents if pages]
    return [p for pages in documents for p in pages]


def certification_failures(documents: list[list[int]], marks: dict[int, PageMarks], has_seal: bool,
                           bound: bool = False) -> list[Failure]:
    """Pages that fail certification, and what each lacks. A page with no reading counts as lacking both."""
    out = []
    for p in pages_to_certify(documents, bound):
        m = marks.get(p, PageMarks(p, False, False))
        missing = []
        if not m.signature:
            missing.append("signature")
        if has_seal and not m.seal:
            missing.append("seal")
        if missing:
            out.append(Failure(p, missing))
    return out


def from_result(result: dict, has_seal: bool, bound: bool = False) -> list[Failure]:
    """The rule applied to an extraction result (the contract's `documents` and `pages`)."""
    documents = [d["pages"] for d in result.get("documents", [])]
    covered = {p for pages in documents for p in pages}
    # Pages no document claims still belong to the copy: each is checked on its own.
    documents += [[p["page"]] for p in result.get("pages", []) if p["page"] not in covered]
    marks = {p["page"]: PageMarks(p["page"], p["signature"]["present"], p["seal"]["present"]) for p in result.get("pages", [])}
    return certification_failures(documents, marks, has_seal, bound)
