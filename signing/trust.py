"""Trust roots, intermediate certificates and revocation data as pyHanko validation contexts."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from pyhanko.keys import load_certs_from_pemder
from pyhanko_certvalidator import ValidationContext

from signing.config import SigningConfig


def _certs(paths: tuple[Path, ...]) -> list[asn1_x509.Certificate]:
    return list(load_certs_from_pemder([str(p) for p in paths])) if paths else []


def validation_context(config: SigningConfig, *, extra_certs: list[asn1_x509.Certificate] = (),
                       moment: dt.datetime | None = None) -> ValidationContext:
    """Validate against the configured roots only, offline: there is no network here, and a
    signature that only checks out by fetching something is not checked.

    With CRLs configured, revocation checking is hard-fail: a certificate with no revocation
    answer is not valid. Without any, soft-fail (a foreign CA's certificate may name a CRL we
    cannot reach).
    """
    crls = [p.read_bytes() for p in config.crls]
    return ValidationContext(
        trust_roots=_certs(config.trust_roots),
        other_certs=[*_certs(config.other_certs), *extra_certs],
        crls=crls,
        allow_fetching=False,
        revocation_mode="hard-fail" if crls else "soft-fail",
        moment=moment,
    )
