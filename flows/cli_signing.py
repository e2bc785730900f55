"""`reexport dev-pki`, `reexport sign`, `reexport verify` (../shared/spec/cli.md)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from flows.files import data_home, write_atomic


def _read(path: Path, command: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as e:
        typer.echo(f"{command}: cannot read {path}: {e.strerror}", err=True)
        raise typer.Exit(2)


def _quiet_libraries() -> None:
    """pyHanko logs every failed path search with a traceback; the report says it in one line."""
    import logging

    for name in ("pyhanko", "pyhanko_certvalidator"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


def dev_pki(
    crl_url: str = typer.Option("http://127.0.0.1:8000/pki", help="Base URL written into certificates' CRL distribution points."),
) -> None:
    """Create the development PKI under $REEXPORT_HOME/pki (root, intermediate, the head's
    PKCS#12 signing key with a generated password, a TSA key, CRLs) and configure signing to use it.
    Refuses to overwrite an existing one.

    Example: REEXPORT_HOME=var reexport dev-pki
    """
    from signing.config import pki_dir
    from signing.pki import PkiExists, create_dev_pki

    directory = pki_dir(data_home())
    try:
        config = create_dev_pki(directory, base_url=crl_url.rstrip("/"))
    except PkiExists as e:
        typer.echo(f"dev-pki: {e}", err=True)
        raise typer.Exit(1)
    typer.echo(f"Development PKI written to {directory} (configuration {config.name}; key passwords in "
               f"{directory / 'secrets'}, readable by you only). Not for production use.", err=True)


def sign(
    source: Path = typer.Argument(..., help="PDF to sign."),
    target: Path = typer.Argument(..., help="Where to write the signed PDF."),
) -> None:
    """Sign a PDF with the configured key: PAdES (B-T when a timestamp authority is configured,
    else B-B; REEXPORT_PADES_LEVEL=B-LT or B-LTA for long-term), a visible stamp on the last page,
    a certification signature. The signed file is verified before it is written.

    The key: $REEXPORT_HOME/pki/config.json from `reexport dev-pki`, or REEXPORT_SIGNER_PKCS12 with
    the password in REEXPORT_SIGNER_PASSWORD or the file REEXPORT_SIGNER_PASSWORD_FILE.

    Example: reexport sign permit.pdf permit.signed.pdf
    """
    from signing.config import load_config
    from signing.errors import SigningError
    from signing.signer import PadesSigner
    from signing.trust import validation_context
    from signing.verify import verify_pdf

    _quiet_libraries()
    data = _read(source, "sign")
    try:
        config = load_config(data_home())
        signer = PadesSigner(config)
        signed = signer.sign(data)
    except (SigningError, ValueError) as e:
        typer.echo(f"sign: {e}", err=True)
        raise typer.Exit(1)
    report = verify_pdf(signed, validation_context(config))
    if not report.ok:
        typer.echo(f"sign: the signed file does not verify, not written: {report.as_dict()}", err=True)
        raise typer.Exit(1)
    write_atomic(target, signed)
    typer.echo(f"Signed {target} ({signer.level}) by {signer.signer_name}, certificate {signer.certificate_serial}.",
               err=True)


def verify(
    file: Path = typer.Argument(..., help="Signed PDF."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON on stdout."),
) -> None:
    """Validate every signature in a PDF against the configured trust roots and revocation data;
    print signer, signing time, timestamp, integrity, trust, PAdES level and whether the document
    was changed after signing. Exit 0 only when every signature is valid and trusted.

    Example: reexport verify var/cabinets/123456789012/KZ-RP-2026-00001.pdf
    """
    from signing.config import load_config
    from signing.trust import validation_context
    from signing.verify import verify_pdf

    _quiet_libraries()
    data = _read(file, "verify")
    report = verify_pdf(data, validation_context(load_config(data_home())))
    if as_json:
        sys.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        _print_report(file, report)
    raise typer.Exit(0 if report.ok else 1)


def _print_report(file: Path, report) -> None:
    out = sys.stdout
    if report.error:
        out.write(f"{file}: {report.error}\n")
    for i, s in enumerate(report.signatures, 1):
        yes = lambda v: "yes" if v else "NO"  # noqa: E731
        out.write(
            f"Signature {i} ({s.field}, {s.kind}):\n"
            f"  signer:            {s.signer} (certificate {s.certificate_serial})\n"
            f"  signing time:      {s.signing_time or '-'}\n"
            f"  timestamp:         {s.timestamp or 'none'}"
            f"{'' if s.timestamp_ok is None else (' (valid)' if s.timestamp_ok else ' (INVALID)')}\n"
            f"  integrity:         {'intact' if s.intact and s.valid else 'BROKEN'}\n"
            f"  trusted:           {yes(s.trusted)}{'' if s.trusted else f' ({s.trust_problem})'}\n"
            f"  PAdES level:       {s.pades_level}\n"
            f"  modified after:    {'YES (' + s.modification + ')' if s.modified_after_signing else 'no'}\n"
            f"  verdict:           {'VALID' if s.ok else 'INVALID'}\n")
    out.write(f"{file}: {'all signatures valid and trusted' if report.ok else 'NOT VALID'}\n")
