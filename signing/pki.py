"""The development PKI: root → intermediate → the head's signing certificate and a TSA.

Generated at set-up under `<data dir>/pki/`, never committed. The profile follows what
strict validators (NSS, as in Acrobat and poppler's pdfsig) demand of a signing chain:
CA certificates with critical basicConstraints and keyUsage keyCertSign/cRLSign, key
identifiers on every certificate, a leaf with digitalSignature + nonRepudiation and an
extended key usage that includes emailProtection (NSS checks signers under the
"email signer" usage) and documentSigning (RFC 9336), a TSA with a critical
timeStamping-only EKU. Revocation data: a CRL from each CA.

Secrets (key passwords) are written to files readable by the owner only; they are never
printed.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier

DOCUMENT_SIGNING = ObjectIdentifier("1.3.6.1.5.5.7.3.36")
CONFIG_NAME = "config.json"

HEAD_NAME = "Әбдірахманов Қайрат Серікұлы"
ORGANISATION = "Өнеркәсіпті дамыту комитеті / Комитет индустриального развития"


class PkiExists(Exception):
    """`reexport dev-pki` never overwrites a PKI: keys issued from it may be in use."""


@dataclass(frozen=True)
class Issued:
    cert: x509.Certificate
    key: rsa.RSAPrivateKey


def _name(common: str, *, serial_number: str | None = None, unit: str | None = None) -> x509.Name:
    attrs = [x509.NameAttribute(NameOID.COUNTRY_NAME, "KZ"),
             x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANISATION)]
    if unit:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, unit))
    attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, common))
    if serial_number:
        attrs.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, serial_number))
    return x509.Name(attrs)


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _builder(subject: x509.Name, issuer: Issued | None, key: rsa.RSAPrivateKey,
             not_before: dt.datetime, not_after: dt.datetime) -> x509.CertificateBuilder:
    b = (x509.CertificateBuilder()
         .subject_name(subject)
         .issuer_name(issuer.cert.subject if issuer else subject)
         .public_key(key.public_key())
         .serial_number(x509.random_serial_number())
         .not_valid_before(not_before)
         .not_valid_after(not_after)
         .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False))
    signer_key = issuer.key if issuer else key
    b = b.add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(signer_key.public_key()), critical=False)
    return b


def _ca_usage() -> x509.KeyUsage:
    return x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                         data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
                         encipher_only=False, decipher_only=False)


def _signing_usage() -> x509.KeyUsage:
    return x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                         data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
                         encipher_only=False, decipher_only=False)


def _crl_point(base_url: str, issuer: str) -> x509.CRLDistributionPoints:
    return x509.CRLDistributionPoints([x509.DistributionPoint(
        full_name=[x509.UniformResourceIdentifier(f"{base_url}/{issuer}.crl")],
        relative_name=None, reasons=None, crl_issuer=None)])


def make_root(now: dt.datetime) -> Issued:
    key = _key()
    cert = (_builder(_name("reexport development root CA"), None, key, now, now + dt.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=1), critical=True)
            .add_extension(_ca_usage(), critical=True)
            .sign(key, hashes.SHA256()))
    return Issued(cert, key)


def make_intermediate(root: Issued, now: dt.datetime, base_url: str) -> Issued:
    key = _key()
    cert = (_builder(_name("reexport development issuing CA"), root, key, now, now + dt.timedelta(days=1825))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(_ca_usage(), critical=True)
            .add_extension(_crl_point(base_url, "root"), critical=False)
            .sign(root.key, hashes.SHA256()))
    return Issued(cert, key)


def make_signer(issuer: Issued, now: dt.datetime, base_url: str, *, name: str = HEAD_NAME,
                not_before: dt.datetime | None = None, days: int = 730) -> Issued:
    """The head's signing certificate (as NCA issues for RSA: a personal certificate with an IIN)."""
    key = _key()
    start = not_before or now
    cert = (_builder(_name(name, serial_number="IIN700101300123", unit="Басшылық / Руководство"),
                     issuer, key, start, start + dt.timedelta(days=days))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(_signing_usage(), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION, DOCUMENT_SIGNING]),
                           critical=False)
            .add_extension(_crl_point(base_url, "intermediate"), critical=False)
            .sign(issuer.key, hashes.SHA256()))
    return Issued(cert, key)


def make_tsa(issuer: Issued, now: dt.datetime, base_url: str) -> Issued:
    key = _key()
    usage = x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                          data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
                          encipher_only=False, decipher_only=False)
    cert = (_builder(_name("reexport development TSA"), issuer, key, now, now + dt.timedelta(days=1825))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(usage, critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
            .add_extension(_crl_point(base_url, "intermediate"), critical=False)
            .sign(issuer.key, hashes.SHA256()))
    return Issued(cert, key)


def make_crl(issuer: Issued, revoked_serials: list[int], now: dt.datetime) -> x509.CertificateRevocationList:
    b = (x509.CertificateRevocationListBuilder()
         .issuer_name(issuer.cert.subject)
         .last_update(now)
         .next_update(now + dt.timedelta(days=365))
         .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()), critical=False)
         .add_extension(x509.CRLNumber(int(now.timestamp())), critical=False))
    for serial in revoked_serials:
        b = b.add_revoked_certificate(x509.RevokedCertificateBuilder().serial_number(serial)
                                      .revocation_date(now).build())
    return b.sign(issuer.key, hashes.SHA256())


def _write_secret(path: Path, data: bytes) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)


def _password() -> bytes:
    return secrets.token_urlsafe(24).encode()


def _pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def _encrypted_key(key: rsa.RSAPrivateKey, password: bytes) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.BestAvailableEncryption(password))


def signer_pkcs12(signer: Issued, chain: list[x509.Certificate], password: bytes) -> bytes:
    return pkcs12.serialize_key_and_certificates(
        b"head", signer.key, signer.cert, chain, serialization.BestAvailableEncryption(password))


def create_dev_pki(directory: Path, *, base_url: str = "http://127.0.0.1:8000/pki",
                   now: dt.datetime | None = None) -> Path:
    """Write a fresh development PKI into `directory` and return its config file.

    Refuses (PkiExists) when a PKI is already there.
    """
    if (directory / CONFIG_NAME).exists() or (directory / "root.pem").exists():
        raise PkiExists(f"a PKI already exists in {directory}; move it away first to make a new one")
    now = (now or dt.datetime.now(dt.timezone.utc)).replace(microsecond=0) - dt.timedelta(minutes=5)
    directory.mkdir(parents=True, exist_ok=True)
    root = make_root(now)
    inter = make_intermediate(root, now, base_url)
    head = make_signer(inter, now, base_url)
    tsa = make_tsa(inter, now, base_url)

    ca_pass, signer_pass, tsa_pass = _password(), _password(), _password()
    _write_secret(directory / "secrets" / "ca.pass", ca_pass)
    _write_secret(directory / "secrets" / "signer.pass", signer_pass)
    _write_secret(directory / "secrets" / "tsa.pass", tsa_pass)
    _write_secret(directory / "root.key.pem", _encrypted_key(root.key, ca_pass))
    _write_secret(directory / "intermediate.key.pem", _encrypted_key(inter.key, ca_pass))
    _write_secret(directory / "tsa.key.pem", _encrypted_key(tsa.key, tsa_pass))
    _write_secret(directory / "signer.p12", signer_pkcs12(head, [inter.cert, root.cert], signer_pass))
    for name, issued in (("root", root), ("intermediate", inter), ("signer", head), ("tsa", tsa)):
        (directory / f"{name}.pem").write_bytes(_pem(issued.cert))
    (directory / "root.crl").write_bytes(make_crl(root, [], now).public_bytes(serialization.Encoding.DER))
    (directory / "intermediate.crl").write_bytes(make_crl(inter, [], now).public_bytes(serialization.Encoding.DER))

    config = {
        "signer_pkcs12": "signer.p12",
        "signer_password_file": "secrets/signer.pass",
        "trust_roots": ["root.pem"],
        "other_certs": ["intermediate.pem"],
        "crls": ["root.crl", "intermediate.crl"],
        "tsa": {"cert": "tsa.pem", "key": "tsa.key.pem", "password_file": "secrets/tsa.pass",
                "chain": ["intermediate.pem"]},
        "crl_base_url": base_url,
    }
    path = directory / CONFIG_NAME
    path.write_text(json.dumps(config, indent=2) + "\n")
    return path


def load_ca(directory: Path, name: str) -> Issued:
    """Load a CA of the development PKI (to revoke or issue more: tests and operators)."""
    password = (directory / "secrets" / "ca.pass").read_bytes()
    key = serialization.load_pem_private_key((directory / f"{name}.key.pem").read_bytes(), password)
    cert = x509.load_pem_x509_certificate((directory / f"{name}.pem").read_bytes())
    return Issued(cert, key)  # type: ignore[arg-type]


def revoke(directory: Path, serials: list[int], now: dt.datetime | None = None) -> None:
    """Add certificates issued by the intermediate CA to its CRL (rewritten atomically)."""
    now = now or dt.datetime.now(dt.timezone.utc)
    inter = load_ca(directory, "intermediate")
    path = directory / "intermediate.crl"
    old = x509.load_der_x509_crl(path.read_bytes())
    known = [r.serial_number for r in old]
    crl = make_crl(inter, sorted(set(known + serials)), now)
    tmp = path.with_suffix(".crl.tmp")
    tmp.write_bytes(crl.public_bytes(serialization.Encoding.DER))
    os.replace(tmp, path)
