"""Where the signing key, trust roots, revocation data and timestamp authority come from.

Read from `<data dir>/pki/config.json` (written by `reexport dev-pki`) and overridden by
the environment; key passwords only from an environment variable or a file.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from signing.errors import NoSigningKey
from signing.pki import CONFIG_NAME

LEVELS = ("B-B", "B-T", "B-LT", "B-LTA")


@dataclass(frozen=True)
class TsaKey:
    """A timestamp authority's key, for the local TSA the service runs itself."""

    cert: Path
    key: Path
    password_file: Path
    chain: tuple[Path, ...] = ()


@dataclass(frozen=True)
class SigningConfig:
    pkcs12: Path | None
    password_env: str | None = field(default=None, repr=False)  # the variable's name, never the secret
    password_file: Path | None = None
    trust_roots: tuple[Path, ...] = ()
    other_certs: tuple[Path, ...] = ()
    crls: tuple[Path, ...] = ()
    tsa_url: str | None = None  # None: no TSA (B-B); "local": the in-process development TSA; else an RFC 3161 URL
    local_tsa: TsaKey | None = None
    level: str = "B-T"

    def password(self) -> bytes:
        if self.password_env and os.environ.get(self.password_env):
            return os.environ[self.password_env].encode()
        if self.password_file:
            return self.password_file.read_bytes().strip()
        raise NoSigningKey("no password: set REEXPORT_SIGNER_PASSWORD or REEXPORT_SIGNER_PASSWORD_FILE")

    @property
    def effective_level(self) -> str:
        """B-T (and above) needs a timestamp authority; without one the signature is B-B."""
        return self.level if self.tsa_url else "B-B"


def pki_dir(home: Path) -> Path:
    return home / "pki"


def load_config(home: Path | None = None, env: dict[str, str] | None = None) -> SigningConfig:
    """The signing settings of the data directory `home` (REEXPORT_HOME), environment first."""
    env = dict(os.environ if env is None else env)
    home = home or Path(env.get("REEXPORT_HOME", "var"))
    base = pki_dir(home)
    cfg_path = base / CONFIG_NAME
    cfg = json.loads(cfg_path.read_text()) if cfg_path.exists() else {}

    def rel(p: str | None) -> Path | None:
        return None if p is None else (base / p if not os.path.isabs(p) else Path(p))

    def paths(key: str, env_key: str) -> tuple[Path, ...]:
        if env.get(env_key):
            return tuple(Path(p) for p in env[env_key].split(os.pathsep) if p)
        return tuple(rel(p) for p in cfg.get(key, []))  # type: ignore[misc]

    tsa = cfg.get("tsa")
    local_tsa = TsaKey(rel(tsa["cert"]), rel(tsa["key"]), rel(tsa["password_file"]),  # type: ignore[arg-type]
                       tuple(rel(p) for p in tsa.get("chain", []))) if tsa else None  # type: ignore[misc]
    tsa_url = env.get("REEXPORT_TSA_URL", "local" if local_tsa else "")
    level = env.get("REEXPORT_PADES_LEVEL", "B-T").upper()
    if level not in LEVELS:
        raise ValueError(f"REEXPORT_PADES_LEVEL must be one of {', '.join(LEVELS)}, not {level!r}")
    pkcs12 = Path(env["REEXPORT_SIGNER_PKCS12"]) if env.get("REEXPORT_SIGNER_PKCS12") else rel(cfg.get("signer_pkcs12"))
    pw_file = (Path(env["REEXPORT_SIGNER_PASSWORD_FILE"]) if env.get("REEXPORT_SIGNER_PASSWORD_FILE")
               else rel(cfg.get("signer_password_file")))
    return SigningConfig(
        pkcs12=pkcs12,
        password_env="REEXPORT_SIGNER_PASSWORD",
        password_file=pw_file,
        trust_roots=paths("trust_roots", "REEXPORT_TRUST_ROOTS"),
        other_certs=paths("other_certs", "REEXPORT_OTHER_CERTS"),
        crls=paths("crls", "REEXPORT_CRLS"),
        tsa_url=tsa_url or None,
        local_tsa=local_tsa,
        level=level,
    )
