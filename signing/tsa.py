"""Timestamp authorities: the local development TSA (in-process, or an RFC 3161 server on
127.0.0.1) and an HTTP client that keeps one connection for all requests.

pyHanko's DummyTimeStamper does the RFC 3161 work (it is pyHanko's own test TSA); this
module gives it a key from the development PKI and an HTTP front.
"""
from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests
from asn1crypto import cms, core, keys, tsp, x509 as asn1_x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from pyhanko.sign import general
from pyhanko.sign.general import simple_cms_attribute
from pyhanko_certvalidator.util import get_pyca_cryptography_hash
from pyhanko.sign.timestamps.api import TimeStamper
from pyhanko.sign.timestamps.common_utils import TimestampRequestError, set_tsp_headers
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

from signing.config import SigningConfig, TsaKey
from signing.errors import TimestampUnavailable

TSA_CONTENT_TYPE = "application/timestamp-reply"


class CachedKeyTimeStamper(DummyTimeStamper):
    """DummyTimeStamper parses its private key for every token (36 ms of a 100 ms B-T signature,
    measured); this one keeps the parsed key. Overrides pyHanko's `_sign_tst_info` (same steps)."""

    def __init__(self, *, pyca_key: RSAPrivateKey, **kwargs):
        super().__init__(**kwargs)
        self._pyca_key = pyca_key

    def _sign_tst_info(self, tst_info_data: bytes, md_algorithm: str, dt):
        digest = hashes.Hash(get_pyca_cryptography_hash(md_algorithm))
        digest.update(tst_info_data)
        signed_attrs = cms.CMSAttributes([
            simple_cms_attribute("content_type", "tst_info"),
            simple_cms_attribute("signing_time", cms.Time({"utc_time": core.UTCTime(dt)})),
            simple_cms_attribute("signing_certificate", general.as_signing_certificate(self.tsa_cert)),
            simple_cms_attribute("message_digest", digest.finalize()),
        ])
        signature = self._pyca_key.sign(signed_attrs.dump(), PKCS1v15(),
                                        get_pyca_cryptography_hash(md_algorithm.upper()))
        return signature, signed_attrs


def local_timestamper(key: TsaKey) -> DummyTimeStamper:
    """The development TSA as an in-process timestamper."""
    password = key.password_file.read_bytes().strip()
    pyca_key = serialization.load_pem_private_key(key.key.read_bytes(), password)
    der_key = pyca_key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                     serialization.NoEncryption())
    cert = asn1_x509.Certificate.load(_der_cert(key.cert.read_bytes()))
    chain = [asn1_x509.Certificate.load(_der_cert(p.read_bytes())) for p in key.chain]
    return CachedKeyTimeStamper(pyca_key=pyca_key, tsa_cert=cert, tsa_key=keys.PrivateKeyInfo.load(der_key),
                                certs_to_embed=chain)


def _der_cert(data: bytes) -> bytes:
    from cryptography import x509
    return x509.load_pem_x509_certificate(data).public_bytes(serialization.Encoding.DER)


class SessionHTTPTimeStamper(TimeStamper):
    """RFC 3161 over HTTP with one shared session: a new connection per timestamp costs more
    than the timestamp itself on loopback."""

    def __init__(self, url: str, timeout: float = 10):
        super().__init__()
        self.url = url
        self.timeout = timeout
        self._session = requests.Session()

    async def async_request_tsa_response(self, req: tsp.TimeStampReq) -> tsp.TimeStampResp:
        try:
            res = self._session.post(self.url, req.dump(), headers=set_tsp_headers({}), timeout=self.timeout)
        except OSError as e:
            raise TimestampRequestError(f"timestamp authority {self.url} did not answer: {e}") from e
        if res.status_code != 200 or res.headers.get("Content-Type") != TSA_CONTENT_TYPE:
            raise TimestampRequestError(f"timestamp authority {self.url} answered {res.status_code}")
        return tsp.TimeStampResp.load(res.content)


def timestamper_for(config: SigningConfig, cache: dict | None = None) -> TimeStamper | None:
    """The timestamper the configuration names, or None (B-B)."""
    if not config.tsa_url:
        return None
    if config.tsa_url == "local":
        if config.local_tsa is None:
            raise TimestampUnavailable("REEXPORT_TSA_URL=local but the PKI has no TSA key")
        return local_timestamper(config.local_tsa)
    return SessionHTTPTimeStamper(config.tsa_url)


class _Handler(BaseHTTPRequestHandler):
    stamper: DummyTimeStamper

    def do_POST(self):  # noqa: N802 (http.server's naming)
        length = int(self.headers.get("Content-Length") or 0)
        try:
            req = tsp.TimeStampReq.load(self.rfile.read(length))
            body = self.stamper.request_tsa_response(req).dump()
        except Exception:  # a malformed request gets a rejection, never a crash of the server
            body = tsp.TimeStampResp({"status": tsp.PKIStatusInfo({"status": "rejection"})}).dump()
        self.send_response(200)
        self.send_header("Content-Type", TSA_CONTENT_TYPE)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):  # requests are not worth a line each on stderr
        pass


class LocalTsaServer:
    """The development TSA on 127.0.0.1 (port 0: any free port), in a daemon thread."""

    def __init__(self, key: TsaKey, host: str = "127.0.0.1", port: int = 0):
        handler = type("Handler", (_Handler,), {"stamper": local_timestamper(key)})
        self._server = ThreadingHTTPServer((host, port), handler)
        self._thread = threading.Thread(target=self._server.serve_forever, name="local-tsa", daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/tsa"

    def __enter__(self) -> "LocalTsaServer":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()
