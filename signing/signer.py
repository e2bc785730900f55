"""Signing a PDF: the interface, and the PAdES implementation with pyHanko.

The interface is small on purpose. The provider's head signs with a key from Kazakhstan's
National Certification Authority; for RSA keys (PKCS#12) pyHanko does the job here, but
GOST 34.10 keys are out of pyHanko's reach: a GOST signer would be another
`DocumentSigner` that calls an external signing service (e.g. NCALayer or a KalkanCrypt
server) and returns the signed bytes. Nothing else in the service needs to change.
"""
from __future__ import annotations

import asyncio
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from cryptography.hazmat.primitives.serialization import pkcs12
from pyhanko.pdf_utils import text
from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko_certvalidator.util import get_pyca_cryptography_hash
from pyhanko.sign.signers.pdf_cms import SimpleSigner
from pyhanko.sign.timestamps.api import TimeStamper
from pyhanko.keys.internal import translate_pyca_cryptography_cert_to_asn1, translate_pyca_cryptography_key_to_asn1
from pyhanko.stamp import TextStampStyle
from pyhanko_certvalidator import CertificateValidator, ValidationContext
from pyhanko_certvalidator.errors import PathBuildingError, PathValidationError, ValidationError
from pyhanko_certvalidator.registry import SimpleCertificateStore

from signing.config import SigningConfig
from signing.errors import BadKeyPassword, NoSigningKey, SignerCertificateInvalid, SigningError
from signing.stamp_font import stamp_font_path
from signing.trust import validation_context
from signing.tsa import timestamper_for

FIELD_NAME = "HeadSignature"
STAMP_TEXT = (
    "ЭЦҚ қойылды / Подписано ЭЦП\n"
    "%(signer)s\n"
    "Уақыты / Время: %(ts)s\n"
    "Сертификат №: %(serial)s"
)


@dataclass(frozen=True)
class StampBox:
    """Where the visible stamp goes: page index (-1: last) and box in PDF points, bottom-left origin."""

    page: int = -1
    box: tuple[float, float, float, float] = (300.0, 36.0, 559.0, 100.0)


class DocumentSigner(Protocol):
    signer_name: str
    certificate_serial: str

    def sign(self, pdf: bytes, stamp: StampBox = StampBox()) -> bytes:
        """Return the signed PDF (the input plus an incremental update holding the signature)."""
        ...


class CachedKeySigner(SimpleSigner):
    """SimpleSigner re-parses the private key for every signature (about 60% of B-B's cost);
    this one keeps the parsed key."""

    def __init__(self, *, pyca_key: RSAPrivateKey, **kwargs):
        super().__init__(**kwargs)
        self._pyca_key = pyca_key

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
        if isinstance(self._pyca_key, RSAPrivateKey) and mechanism["algorithm"].native in (
                "rsassa_pkcs1v15", "sha256_rsa", "sha384_rsa", "sha512_rsa"):
            return self._pyca_key.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))
        return super().sign_raw(data, digest_algorithm)


def load_pkcs12_signer(path: Path, password: bytes) -> CachedKeySigner:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise NoSigningKey(f"{path} does not exist") from None
    try:
        key, cert, chain = pkcs12.load_key_and_certificates(data, password)
    except ValueError:
        raise BadKeyPassword(str(path)) from None  # the cause may quote key material: dropped
    if key is None or cert is None:
        raise BadKeyPassword(str(path))
    registry = SimpleCertificateStore()
    registry.register_multiple([translate_pyca_cryptography_cert_to_asn1(c) for c in chain])
    return CachedKeySigner(pyca_key=key, signing_cert=translate_pyca_cryptography_cert_to_asn1(cert),
                           signing_key=translate_pyca_cryptography_key_to_asn1(key), cert_registry=registry)


def check_signer_certificate(cert: asn1_x509.Certificate, intermediates: list[asn1_x509.Certificate],
                             context: ValidationContext) -> None:
    """Refuse to sign with a certificate that is expired, not yet valid, revoked or untrusted."""
    validator = CertificateValidator(cert, intermediate_certs=intermediates, validation_context=context)
    try:
        asyncio.run(validator.async_validate_usage({"non_repudiation"}))
    except (PathBuildingError, PathValidationError, ValidationError) as e:
        raise SignerCertificateInvalid(f"the signing certificate cannot be used: {e}") from None


def serial_hex(cert: asn1_x509.Certificate) -> str:
    return format(cert.serial_number, "X")


class PadesSigner:
    """PAdES baseline signatures with a visible stamp and a certification (DocMDP) signature.

    Level B-B without a timestamp authority, B-T with one; B-LT embeds revocation data,
    B-LTA adds a document timestamp. The key is loaded once and kept for every signature.
    """

    def __init__(self, config: SigningConfig, *, timestamper: TimeStamper | None = None,
                 now: dt.datetime | None = None):
        if config.pkcs12 is None:
            raise NoSigningKey()
        self.config = config
        self._signer = load_pkcs12_signer(config.pkcs12, config.password())
        self._context = validation_context(config, extra_certs=list(self._signer.cert_registry), moment=now)
        check_signer_certificate(self._signer.signing_cert, list(self._signer.cert_registry), self._context)
        self._timestamper = timestamper if timestamper is not None else timestamper_for(config)
        self.level = config.level if self._timestamper is not None else "B-B"
        if self.level in ("B-LT", "B-LTA") and not config.crls:
            raise SigningError(f"{self.level} needs revocation data (CRLs) in the configuration")
        self.signer_name = self._signer.signing_cert.subject.native.get("common_name", "")
        self.certificate_serial = serial_hex(self._signer.signing_cert)
        self._style = TextStampStyle(
            stamp_text=STAMP_TEXT,
            text_box_style=text.TextBoxStyle(font=GlyphAccumulatorFactory(stamp_font_path()), font_size=7, leading=9),
            timestamp_format="%Y-%m-%d %H:%M:%S %Z",
            border_width=1,
        )

    def _metadata(self) -> signers.PdfSignatureMetadata:
        lt = self.level in ("B-LT", "B-LTA")
        return signers.PdfSignatureMetadata(
            field_name=FIELD_NAME,
            subfilter=fields.SigSeedSubFilter.PADES,
            certify=True,
            docmdp_permissions=fields.MDPPerm.NO_CHANGES,
            reason="Рұқсатқа қол қою / Подписание документа",
            location="Астана",
            embed_validation_info=lt,
            use_pades_lta=self.level == "B-LTA",
            validation_context=self._context if lt else None,
        )

    def sign(self, pdf: bytes, stamp: StampBox = StampBox()) -> bytes:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        page = stamp.page if stamp.page >= 0 else int(writer.root["/Pages"]["/Count"]) + stamp.page
        spec = fields.SigFieldSpec(FIELD_NAME, on_page=page, box=stamp.box)
        pdf_signer = signers.PdfSigner(self._metadata(), signer=self._signer, timestamper=self._timestamper,
                                       stamp_style=self._style, new_field_spec=spec)
        out = io.BytesIO()
        try:
            pdf_signer.sign_pdf(writer, output=out, appearance_text_params={"serial": self.certificate_serial})
        except SigningError:
            raise
        except Exception as e:  # pyHanko's own errors: keep the message, never the key
            raise SigningError(f"signing failed: {type(e).__name__}: {e}") from None
        return out.getvalue()
