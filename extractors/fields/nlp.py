"""spaCy blank pipelines with rule components (no statistical models exist here).

- `legal_entities`: a custom component marking organisation names by their legal
  form (ТОО «…», «…» ЖШС, … LLC, … GmbH) as ORG entities;
- `commitments`: a Matcher for the two undertakings of an end-use guarantee,
  on token prefixes so that inflection and OCR slips in endings still match.

spaCy ships no Kazakh tokenizer, so Kazakh text goes through the
multi-language ("xx") pipeline, which splits on the same punctuation.
"""
from __future__ import annotations

import re
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

_Q_OPEN, _Q_CLOSE = "«\"“„'", "»\"”'"
# (with the Latin look-alikes OCR produces: "TOO «…»")
_FORMS_CYR = r"ТОО|АО|ООО|ЗАО|ПАО|ОАО|ИП|ГП|РГП|ГКП|ЖШС|АҚ|ЖАҚ|МКК|РМК|ФГУП|ГУП|TOO|OOO|AO|AK"
_FORMS_LAT = (r"LLC|L\.L\.C\.|LLP|Ltd\.?|Limited|GmbH|AG|S\.A\.E\.|S\.A\.|SA|A\.S\.|A\.Ş\.|AŞ|d\.o\.o\.|Sdn\.?\s+Bhd\.?|"
              r"Pvt\.?\s+Ltd\.?|JSC|Inc\.?|Corp\.?|Corporation|FZE|FZCO|FZ-LLC|PLC|B\.V\.|S\.p\.A\.|SpA|S\.r\.l\.|"
              r"Co\.,?\s*Ltd\.?|Company|K\.K\.|s\.r\.o\.|Sp\.\s*z\s*o\.o\.")
ORG_PATTERNS = [
    # ТОО «Альфа Технолоджис», АО "Семей Машзавод"
    re.compile(rf"(?:{_FORMS_CYR}|{_FORMS_LAT})\s*[{_Q_OPEN}][^{_Q_CLOSE}\n]{{2,80}}[{_Q_CLOSE}]"),
    # «Альфа Технолоджис» ЖШС
    re.compile(rf"[{_Q_OPEN}][^{_Q_CLOSE}\n]{{2,80}}[{_Q_CLOSE}]\s*(?:{_FORMS_CYR}|{_FORMS_LAT})(?![\w])"),
    # Gulf Trade Solutions LLC, Anka Savunma Sanayi A.S., Balkan Industrial d.o.o.
    # (a date's month before a name on the next line is not part of it)
    re.compile(rf"(?!(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|The|And|Of)[a-z]*\b)[A-Z][\w&'’.\-]*\s+"
               rf"(?:[A-Z0-9&][\w&'’.\-]*\s+){{0,6}}(?:{_FORMS_LAT})(?![\w])"),
]


@Language.component("legal_entities")
def legal_entities(doc: Doc) -> Doc:
    spans = []
    for rx in ORG_PATTERNS:
        for m in rx.finditer(doc.text):
            span = doc.char_span(m.start(), m.end(), label="ORG", alignment_mode="expand")
            if span is not None:
                spans.append(span)
    doc.ents = filter_spans(list(doc.ents) + spans)
    return doc


def _prefixes(*words: str) -> list[dict]:
    return [{"LOWER": {"REGEX": f"^{w}"}} for w in words]


GAP = {"OP": "{0,6}"}  # up to six tokens between the key words

COMMITMENT_PATTERNS = {
    "END_USE": [
        # использовать товары только в заявленных целях / only for the declared purpose / тек мәлімделген мақсатта
        _prefixes("использ") + [GAP] + _prefixes("(только|исключительно)") + [GAP] + _prefixes("(заявлен|указан|декларир)") + _prefixes("цел"),
        _prefixes("(use|used|using)") + [GAP] + _prefixes("(only|solely|exclusively)") + [GAP] + _prefixes("(declared|stated|specified|intended)") + _prefixes("(purpose|end)"),
        _prefixes("тек") + _prefixes("(мәлімделген|көрсетілген)") + _prefixes("мақсат") + [GAP] + _prefixes("пайдалан"),
    ],
    "NO_REEXPORT": [
        # не будут реэкспортированы / will not be re-exported / қайта экспортталмайды
        # ("не" read with Latin letters as "He" is still "не")
        _prefixes("(не|he$)") + [GAP] + _prefixes("(ре-?экспорт|реэкспорт|переда|перепрода)"),
        _prefixes("(not|never)") + [{"OP": "{0,3}"}] + _prefixes("(re-?export|re|transfer|resold)"),
        _prefixes("қайта") + _prefixes("экспортта(лмайды|уға\\s*жол\\s*берілмейді|мау)"),
        _prefixes("қайта") + _prefixes("экспортта") + [GAP] + _prefixes("(болмайды|жол\\s*берілмейді|тыйым)"),
    ],
}


@lru_cache(maxsize=4)
def pipeline(lang: str) -> Language:
    nlp = spacy.blank("xx" if lang == "kk" else lang)
    nlp.add_pipe("legal_entities")
    return nlp


@lru_cache(maxsize=4)
def _commitment_matcher(lang: str) -> Matcher:
    m = Matcher(pipeline(lang).vocab)
    for key, patterns in COMMITMENT_PATTERNS.items():
        m.add(key, patterns)
    return m


_LAT_FORMS_TO_CYR = {"TOO": "ТОО", "OOO": "ООО", "AO": "АО", "AK": "АҚ"}


def _cyrillic_form(name: str) -> str:
    """'TOO «Степь Оптикс»' read with Latin letters in its legal form: the form is Cyrillic."""
    head, _, rest = name.partition(" ")
    if head in _LAT_FORMS_TO_CYR and any("\u0400" <= c <= "\u04ff" for c in rest):
        return _LAT_FORMS_TO_CYR[head] + " " + rest
    return name


def organisations(text: str, lang: str) -> list[tuple[int, int, str]]:
    doc = pipeline(lang)(text)
    return [(e.start_char, e.end_char, _cyrillic_form(e.text)) for e in doc.ents if e.label_ == "ORG"]


def commitments(text: str, lang: str) -> dict[str, tuple[int, int]]:
    """Which undertakings the text makes, with the character span of the first mention."""
    nlp = pipeline(lang)
    doc = nlp.make_doc(text)
    found: dict[str, tuple[int, int]] = {}
    for match_id, start, end in _commitment_matcher(lang)(doc):
        key = nlp.vocab.strings[match_id]
        span: Span = doc[start:end]
        if key not in found:
            found[key] = (span.start_char, span.end_char)
    return found
