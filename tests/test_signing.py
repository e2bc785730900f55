"""PAdES signatures made with the development PKI, validated by pyHanko and by poppler's pdfsig (NSS)."""
from __future__ import annotations

import dataclasses
import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from conftest import sample_permit
from signing import pki
from signing.errors import BadKeyPassword, NoSigningKey, SignerCertificateInvalid
from signing.render import render_permit
from signing.signer import PadesSigner
from signing.trust import validation_context
from signing.tsa import LocalTsaServer
from signing.verify import verify_pdf


@pytest.fixture(scope="module")
def permit_pdf() -> bytes:
    return render_permit(sample_permit())


@pytest.fixture(scope="module")
def signed_bb(signing_config, permit_pdf) -> bytes:
    return PadesSigner(dataclasses.replace(signing_config, tsa_url=None)).sign(permit_pdf)


@pytest.fixture(scope="module")
def signed_bt(signing_config, permit_pdf) -> bytes:
    """B-T with the timestamp fetched over HTTP from the local RFC 3161 server on 127.0.0.1."""
    with LocalTsaServer(signing_config.local_tsa) as tsa:
        return PadesSigner(dataclasses.replace(signing_config, tsa_url=tsa.url)).sign(permit_pdf)


def flip_signed_byte(pdf: bytes) -> bytes:
    """Change one byte of page content inside the signed range."""
    data = bytearray(pdf)
    at = data.index(b"stream", data.index(b"/FlateDecode")) + 20
    data[at] ^= 0x01
    return bytes(data)


def test_b_b_signature_is_valid_trusted_and_untouched(signing_config, signed_bb):
    report = verify_pdf(signed_bb, validation_context(signing_config))
    assert report.ok, report.as_dict()
    (sig,) = report.signatures
    assert sig.pades_level == "B-B" and sig.timestamp is None
    assert sig.kind == "certification"
    assert sig.signer == pki.HEAD_NAME


def test_b_t_signature_carries_a_trusted_timestamp(signing_config, signed_bt):
    report = verify_pdf(signed_bt, validation_context(signing_config))
    assert report.ok, report.as_dict()
    (sig,) = report.signatures
    assert sig.pades_level == "B-T"
    assert sig.timestamp_ok is True
    stamped = dt.datetime.fromisoformat(sig.timestamp)
    assert abs(stamped - dt.datetime.now(dt.timezone.utc)) < dt.timedelta(minutes=5)


@pytest.mark.parametrize("level", ["B-LT", "B-LTA"])
def test_long_term_levels_embed_revocation_data(signing_config, permit_pdf, level):
    signer = PadesSigner(dataclasses.replace(signing_config, tsa_url="local", level=level))
    signed = signer.sign(permit_pdf)
    assert "/DSS" in pikepdf.open(io.BytesIO(signed)).Root
    report = verify_pdf(signed, validation_context(signing_config))
    assert report.ok, report.as_dict()
    assert report.signatures[0].pades_level == level


def test_visible_stamp_names_signer_time_and_serial_in_kazakh_and_russian(signing_config, signed_bt):
    pdf = pikepdf.open(io.BytesIO(signed_bt))
    field = next(a for a in pdf.pages[-1].Annots if a.get("/FT") == "/Sig")
    x1, y1, x2, y2 = (float(v) for v in field.Rect)
    assert x2 - x1 > 100 and y2 - y1 > 30  # visible, not a zero-size widget
    # Flatten the stamp into the page so that its text can be read back like any printed text.
    pdf.flatten_annotations("all")
    out = io.BytesIO()
    pdf.save(out)
    with pdfplumber.open(io.BytesIO(out.getvalue())) as doc:
        text = doc.pages[-1].extract_text()
    serial = PadesSigner(dataclasses.replace(signing_config, tsa_url=None)).certificate_serial
    for expected in ("ЭЦҚ қойылды / Подписано ЭЦП", pki.HEAD_NAME, "Уақыты / Время: 20", serial):
        assert expected in text, expected


def test_one_flipped_byte_breaks_the_signature(signing_config, signed_bt):
    report = verify_pdf(flip_signed_byte(signed_bt), validation_context(signing_config))
    assert not report.ok
    assert not (report.signatures[0].intact and report.signatures[0].valid)


def test_an_appended_change_is_reported_as_modified(signing_config, signed_bt):
    writer = IncrementalPdfFileWriter(io.BytesIO(signed_bt))
    forged = writer.add_object(generic.StreamObject(stream_data=b"BT /F1 18 Tf 100 400 Td (VALID UNTIL 2099) Tj ET"))
    writer.add_stream_to_page(0, forged)
    out = io.BytesIO()
    writer.write(out)
    report = verify_pdf(out.getvalue(), validation_context(signing_config))
    sig = report.signatures[0]
    assert sig.intact and sig.valid  # the signed revision itself is still intact
    assert sig.modified_after_signing
    assert not report.ok


def test_resaving_with_pikepdf_invalidates(signing_config, signed_bt):
    pdf = pikepdf.open(io.BytesIO(signed_bt))
    out = io.BytesIO()
    pdf.save(out)
    assert not verify_pdf(out.getvalue(), validation_context(signing_config)).ok


def test_unsigned_and_damaged_files_are_not_valid(signing_config, permit_pdf):
    assert verify_pdf(permit_pdf, validation_context(signing_config)).error == "the PDF has no signatures"
    assert not verify_pdf(b"%PDF-1.7\ngarbage", validation_context(signing_config)).ok


def test_signature_from_another_pki_is_not_trusted(tmp_path, signing_config, permit_pdf):
    pki.create_dev_pki(tmp_path / "pki")
    from signing.config import load_config

    foreign = load_config(tmp_path, env={})
    signed = PadesSigner(dataclasses.replace(foreign, tsa_url=None)).sign(permit_pdf)
    report = verify_pdf(signed, validation_context(signing_config))
    assert report.signatures[0].intact and not report.signatures[0].trusted
    assert not report.ok


def _p12_with(tmp_path: Path, home: Path, issued: pki.Issued) -> Path:
    inter = pki.load_ca(home / "pki", "intermediate")
    path = tmp_path / "head.p12"
    path.write_bytes(pki.signer_pkcs12(issued, [inter.cert], b"pw"))
    return path


def test_expired_signer_certificate_refuses_to_sign(tmp_path, pki_home, signing_config):
    inter = pki.load_ca(pki_home / "pki", "intermediate")
    now = dt.datetime.now(dt.timezone.utc)
    expired = pki.make_signer(inter, now, "http://127.0.0.1/pki", not_before=now - dt.timedelta(days=400), days=30)
    (tmp_path / "pw").write_bytes(b"pw")
    config = dataclasses.replace(signing_config, pkcs12=_p12_with(tmp_path, pki_home, expired),
                                 password_file=tmp_path / "pw", tsa_url=None)
    with pytest.raises(SignerCertificateInvalid, match="cannot be used"):
        PadesSigner(config)


def test_revoked_signer_certificate_refuses_to_sign(tmp_path_factory, tmp_path):
    home = tmp_path_factory.mktemp("revoking")
    pki.create_dev_pki(home / "pki")
    from signing.config import load_config

    config = load_config(home, env={})
    PadesSigner(dataclasses.replace(config, tsa_url=None))  # fine before revocation
    head = pki.x509.load_pem_x509_certificate((home / "pki" / "signer.pem").read_bytes())
    pki.revoke(home / "pki", [head.serial_number])
    with pytest.raises(SignerCertificateInvalid, match="revoked"):
        PadesSigner(dataclasses.replace(config, tsa_url=None))


def test_wrong_password_is_a_clear_error_without_key_material(tmp_path, signing_config, monkeypatch):
    monkeypatch.setenv("REEXPORT_SIGNER_PASSWORD", "not-the-password")
    with pytest.raises(BadKeyPassword) as err:
        PadesSigner(signing_config)
    message = str(err.value)
    assert "wrong password" in message
    real = signing_config.password_file.read_text()
    assert real not in message and "not-the-password" not in message and "PRIVATE" not in message
    assert err.value.__cause__ is None  # the cryptography error is not chained into logs


def test_no_key_configured_names_dev_pki(tmp_path):
    from signing.config import load_config

    with pytest.raises(NoSigningKey, match="reexport dev-pki"):
        PadesSigner(load_config(tmp_path, env={}))


def test_dev_pki_keeps_secrets_private_and_refuses_to_overwrite(pki_home):
    directory = pki_home / "pki"
    for secret in ("secrets/signer.pass", "secrets/ca.pass", "signer.p12", "root.key.pem", "tsa.key.pem"):
        assert (directory / secret).stat().st_mode & 0o077 == 0, secret
    root_key = serialization.load_pem_private_key(
        (directory / "root.key.pem").read_bytes(), (directory / "secrets/ca.pass").read_bytes())
    assert root_key.key_size == 2048
    with pytest.raises(pki.PkiExists):
        pki.create_dev_pki(directory)


# --- an independent validator: poppler's pdfsig over NSS --------------------------------------

pytestmark_pdfsig = pytest.mark.skipif(shutil.which("pdfsig") is None, reason="poppler-utils not installed")


def _pdfsig(path: Path, *args: str) -> str:
    run = subprocess.run(["pdfsig", *args, str(path)], capture_output=True, text=True, timeout=60)
    return run.stdout + run.stderr


@pytestmark_pdfsig
def test_pdfsig_agrees_valid_and_digest_mismatch(tmp_path, signed_bt):
    good = tmp_path / "good.pdf"
    good.write_bytes(signed_bt)
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(flip_signed_byte(signed_bt))
    assert "Signature is Valid" in _pdfsig(good, "-nocert")
    assert "Digest Mismatch" in _pdfsig(bad, "-nocert")


@pytestmark_pdfsig
def test_nss_trusts_the_development_chain(tmp_path, pki_home, signed_bt):
    nss = tmp_path / "nss"
    nss.mkdir()
    subprocess.run(["certutil", "-N", "-d", f"sql:{nss}", "--empty-password"], check=True, capture_output=True)
    subprocess.run(["certutil", "-A", "-d", f"sql:{nss}", "-n", "reexport-dev-root", "-t", "CT,C,C",
                    "-i", str(pki_home / "pki" / "root.pem")], check=True, capture_output=True)
    path = tmp_path / "signed.pdf"
    path.write_bytes(signed_bt)
    out = _pdfsig(path, "-nssdir", f"sql:{nss}", "-no-ocsp")
    assert "Signature is Valid" in out
    assert "Certificate is Trusted" in out, out
