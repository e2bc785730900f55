"""Errors of the signing layer, each with a message an operator can act on."""


class SigningError(Exception):
    """Base class: the document was not signed."""


class NoSigningKey(SigningError):
    def __init__(self, detail: str = ""):
        super().__init__("no signing key is configured" + (f" ({detail})" if detail else "")
                         + "; create the development PKI with `reexport dev-pki`, or set REEXPORT_SIGNER_PKCS12 and "
                         "REEXPORT_SIGNER_PASSWORD_FILE to the head's key")


class BadKeyPassword(SigningError):
    def __init__(self, path: str):
        super().__init__(f"the signing key {path} could not be opened: wrong password or not a PKCS#12 file")


class SignerCertificateInvalid(SigningError):
    """The signer's own certificate is expired, not yet valid, revoked or not trusted: refuse to sign."""


class TimestampUnavailable(SigningError):
    pass
