#!/usr/bin/env bash
# The scale-out mode on one machine, end to end (README, "Scale-out"):
# PostgreSQL from Debian on 127.0.0.1, a Prefect server on it, a process work pool with two
# workers, the case store on PostgreSQL, one intake (`reexport run --work-pool`), then N generated
# files dropped into its inbox by bench.service, which checks that none is lost or processed twice.
#
#   bash scripts/scale_out_demo.sh [FILES]        (default 20; run as root, after scripts/setup.sh)
#
# The database password is generated into $DEMO/pg.password (0600) and passed in the environment
# only; it is never printed. Everything started here is stopped on exit.
set -euo pipefail
# Job control: background jobs get their own process group and keep SIGINT (a script's background
# jobs ignore it otherwise, and Prefect's server and workers turn SIGTERM into SIGINT to stop).
set -m
cd "$(dirname "$0")/.."
FILES=${1:-20}
DEMO=${REEXPORT_DEMO_DIR:-$PWD/var/scale-out}
API_PORT=${REEXPORT_DEMO_API_PORT:-4310}
PY=$PWD/.venv/bin/python
mkdir -p "$DEMO/logs"

# 1. PostgreSQL from Debian, its default cluster on 127.0.0.1:5432.
command -v pg_lsclusters >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql
read -r PG_VERSION PG_CLUSTER < <(pg_lsclusters --no-header | awk 'NR==1 {print $1, $2}')
PG_PORT=$(pg_lsclusters --no-header | awk 'NR==1 {print $3}')
pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" start 2>/dev/null || true
if [ ! -s "$DEMO/pg.password" ]; then
  (umask 077; "$PY" -c 'import secrets; print(secrets.token_urlsafe(24))' > "$DEMO/pg.password")
fi
PG_PASSWORD=$(cat "$DEMO/pg.password")
psql_admin() { su postgres -c "psql -p $PG_PORT -v ON_ERROR_STOP=1 -qAt $*"; }
if [ -z "$(psql_admin "-c \"SELECT 1 FROM pg_roles WHERE rolname='reexport'\"")" ]; then
  psql_admin "-c \"CREATE ROLE reexport LOGIN\""
fi
# The password goes through psql's stdin, not its command line (visible in ps).
printf "ALTER ROLE reexport PASSWORD '%s';\n" "$PG_PASSWORD" | su postgres -c "psql -p $PG_PORT -v ON_ERROR_STOP=1 -q"
# A demo starts clean: fresh databases and data directory (the same seed's files would otherwise
# be recorded as duplicates of the previous demo's).
for db in reexport_prefect reexport_cases; do
  su postgres -c "dropdb -p $PG_PORT --if-exists $db && createdb -p $PG_PORT -O reexport $db"
done
rm -rf "$DEMO/home"

export REEXPORT_HOME=$DEMO/home
export PREFECT_API_URL=http://127.0.0.1:$API_PORT/api
export REEXPORT_DB_URL=postgresql+psycopg://reexport:$PG_PASSWORD@127.0.0.1:$PG_PORT/reexport_cases
export PREFECT_HOME=$REEXPORT_HOME/prefect PREFECT_SERVER_ANALYTICS_ENABLED=false PREFECT_SERVER_UI_ENABLED=false
mkdir -p "$REEXPORT_HOME"
PIDS=()
# Workers first, the server last: a worker whose server is gone retries instead of stopping.
stop_group() {  # SIGTERM to the job's process group, SIGKILL after 30 s
  kill -TERM -- "-$1" 2>/dev/null || return 0
  for _ in $(seq 1 60); do kill -0 -- "-$1" 2>/dev/null || return 0; sleep 0.5; done
  kill -KILL -- "-$1" 2>/dev/null || true
}
cleanup() { for ((i=${#PIDS[@]}-1; i>=0; i--)); do stop_group "${PIDS[i]}"; done; }
trap cleanup EXIT

# 2. The Prefect server on PostgreSQL.
PREFECT_API_DATABASE_CONNECTION_URL=postgresql+asyncpg://reexport:$PG_PASSWORD@127.0.0.1:$PG_PORT/reexport_prefect \
  "$PY" -m prefect server start --host 127.0.0.1 --port "$API_PORT" > "$DEMO/logs/prefect-server.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 120); do curl -sf "$PREFECT_API_URL/health" >/dev/null && break; sleep 0.5; done
curl -sf "$PREFECT_API_URL/health" >/dev/null || { echo "Prefect server did not start: $DEMO/logs/prefect-server.log" >&2; exit 1; }

# 3. The pool and its deployments; two workers, one OCR process each (two cores).
.venv/bin/reexport deploy --pool reexport
for w in w1 w2; do
  REEXPORT_WORKERS=1 .venv/bin/reexport worker --pool reexport --limit 1 --name "$w" > "$DEMO/logs/worker-$w.log" 2>&1 &
  PIDS+=($!)
done

# 4. Intake + benchmark: bench.service starts `reexport run --work-pool reexport`, drops the
#    files, waits for every result, checks the ledger and the events for duplicates.
"$PY" -m bench.service --files "$FILES" --seed "${REEXPORT_DEMO_SEED:-41}" --work-pool reexport \
  --runs-at-once 2 --workers 1 --keep "$REEXPORT_HOME"
