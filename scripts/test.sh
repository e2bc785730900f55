#!/usr/bin/env bash
# The whole test suite. Installs what is missing first (same idempotent steps
# as set-up), so that it also runs on a fresh clone.
set -euo pipefail
cd "$(dirname "$0")/.."
SETUP_ONLY=1 bash scripts/setup.sh
set +e
.venv/bin/python -m pytest "$@"
rc=$?
set -e
# pytest's 5 means no test ran: a failure here, not a pass.
exit $rc
