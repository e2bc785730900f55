#!/usr/bin/env bash
# One-command set-up: Debian packages, the virtual environment, the package,
# then the main job on sample_docs/. Safe to re-run: each step checks first.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"

APT_PACKAGES=(
  tesseract-ocr tesseract-ocr-rus tesseract-ocr-kaz tesseract-ocr-eng tesseract-ocr-osd
  poppler-utils qpdf ghostscript
  fonts-dejavu-core fonts-dejavu-extra fonts-liberation2 fonts-noto-core
  chromium libnss3-tools
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "==> apt-get install ${missing[*]}"
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PY="${PYTHON:-python3}"
if [[ ! -x .venv/bin/python ]]; then
  echo "==> creating .venv"
  "$PY" -m venv .venv
fi
# Reinstall only when the dependency list changed.
stamp=".venv/.reexport-installed"
want="$(cat pyproject.toml constraints.txt | sha256sum | cut -d' ' -f1)"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$want" ]]; then
  echo "==> pip install -e .[test,bench] (versions pinned by constraints.txt)"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -c constraints.txt -e ".[test,bench]"
  echo "$want" > "$stamp"
fi

# The development PKI (never committed): made once per data directory.
if [[ ! -f "${REEXPORT_HOME:-var}/pki/config.json" ]]; then
  echo "==> reexport dev-pki (development signing keys under ${REEXPORT_HOME:-var}/pki/)"
  .venv/bin/reexport dev-pki
fi

if [[ "${SETUP_ONLY:-}" == 1 ]]; then
  exit 0
fi

echo "==> extracting sample_docs/ into ${REEXPORT_HOME:-var}/results/"
exec .venv/bin/reexport extract sample_docs --out "${REEXPORT_HOME:-var}/results"
