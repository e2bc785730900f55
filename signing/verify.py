"""Validating every signature in a PDF: integrity, trust, timestamp, changes made after signing."""
from __future__ import annotations

import datetime as dt
import io
from dataclasses import asdict, dataclass, field

from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

# Changes after a signature that do not alter what was signed: revocation data (DSS) and
# document timestamps, i.e. what B-LT and B-LTA add.
HARMLESS = (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES)


@dataclass
class SignatureReport:
    field: str
    kind: str  # certification | approval | document timestamp
    signer: str
    certificate_serial: str
    signing_time: str | None
    timestamp: str | None
    intact: bool
    valid: bool
    trusted: bool
    trust_problem: str | None
    timestamp_ok: bool | None
    modified_after_signing: bool
    modification: str
    pades_level: str

    @property
    def ok(self) -> bool:
        return (self.intact and self.valid and self.trusted and not self.modified_after_signing
                and self.timestamp_ok is not False)


@dataclass
class VerificationReport:
    signatures: list[SignatureReport] = field(default_factory=list)
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and bool(self.signatures) and all(s.ok for s in self.signatures)

    def as_dict(self) -> dict:
        return {"ok": self.ok, "error": self.error,
                "signatures": [{**asdict(s), "ok": s.ok} for s in self.signatures]}


def _iso(t: dt.datetime | None) -> str | None:
    return t.isoformat() if t else None


def _modified(status) -> tuple[bool, str]:
    level = status.modification_level
    if status.coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return False, "none"
    if level is None or status.coverage < SignatureCoverageLevel.ENTIRE_REVISION:
        return True, "unclear coverage"
    return (level not in HARMLESS or status.docmdp_ok is False), level.name.lower()


def _level(has_timestamp: bool, has_dss: bool, has_doc_ts: bool) -> str:
    if not has_timestamp:
        return "B-B"
    if has_dss and has_doc_ts:
        return "B-LTA"
    return "B-LT" if has_dss else "B-T"


def verify_pdf(data: bytes, context: ValidationContext) -> VerificationReport:
    """Validate each signature of `data` against `context` (trust roots and revocation data)."""
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        sigs = list(reader.embedded_signatures)
    except Exception as e:  # a damaged file is a report, not a crash
        return VerificationReport(error=f"not a readable PDF: {e}")
    if not sigs:
        return VerificationReport(error="the PDF has no signatures")
    has_dss = "/DSS" in reader.root
    has_doc_ts = any(s.sig_object_type == "/DocTimeStamp" for s in sigs)
    report = VerificationReport()
    for sig in sigs:
        try:
            report.signatures.append(_one(sig, context, has_dss, has_doc_ts))
        except Exception as e:
            report.signatures.append(SignatureReport(
                field=sig.field_name, kind="unknown", signer="", certificate_serial="", signing_time=None,
                timestamp=None, intact=False, valid=False, trusted=False, trust_problem=f"{type(e).__name__}: {e}",
                timestamp_ok=None, modified_after_signing=True, modification="unreadable", pades_level="-"))
    return report


def _one(sig, context: ValidationContext, has_dss: bool, has_doc_ts: bool) -> SignatureReport:
    cert = sig.signer_cert
    common = dict(field=sig.field_name, signer=cert.subject.native.get("common_name", cert.subject.human_friendly),
                  certificate_serial=format(cert.serial_number, "X"))
    if sig.sig_object_type == "/DocTimeStamp":
        status = validate_pdf_timestamp(sig, validation_context=context)
        modified, what = _modified(status)
        return SignatureReport(**common, kind="document timestamp", signing_time=_iso(status.timestamp),
                               timestamp=_iso(status.timestamp), intact=status.intact, valid=status.valid,
                               trusted=status.trusted, trust_problem=_problem(status), timestamp_ok=None,
                               modified_after_signing=modified, modification=what, pades_level="LTA timestamp")
    status = validate_pdf_signature(sig, signer_validation_context=context, ts_validation_context=context)
    ts = status.timestamp_validity
    modified, what = _modified(status)
    return SignatureReport(
        **common,
        kind="certification" if sig.docmdp_level is not None else "approval",
        signing_time=_iso(status.signer_reported_dt),
        timestamp=_iso(ts.timestamp) if ts else None,
        intact=status.intact, valid=status.valid, trusted=status.trusted, trust_problem=_problem(status),
        timestamp_ok=(ts.intact and ts.valid and ts.trusted) if ts else None,
        modified_after_signing=modified, modification=what,
        pades_level=_level(ts is not None, has_dss, has_doc_ts),
    )


def _problem(status) -> str | None:
    indic = status.trust_problem_indic
    return indic.name if indic is not None else None
