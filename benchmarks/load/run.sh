#!/usr/bin/env bash
# make load: a throwaway PostgreSQL on 127.0.0.1 (or LOAD_DATABASE_URL, an empty
# database), migrated and loaded with the benchmark data set; gunicorn with 4 workers
# on a free local port; Locust headless, 50 users (one more each second) for 2
# minutes. Exits non-zero when a page's p95 is above 300 ms or when any request failed.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PY:-.venv/bin/python}
BIN=$(dirname "$PY")
USERS=${LOAD_USERS:-50}
DURATION=${LOAD_DURATION:-2m}
WORK=$(mktemp -d /tmp/passerelle-load.XXXXXX)

# shellcheck source=scripts/throwaway-postgres.sh
source scripts/throwaway-postgres.sh
cleanup() {
  if [ -n "${GUNICORN_PID:-}" ]; then kill "$GUNICORN_PID" 2>/dev/null || true; wait "$GUNICORN_PID" 2>/dev/null || true; fi
  stop_postgres
  rm -rf "$WORK"
}
if [ -n "${LOAD_DATABASE_URL:-}" ]; then
  export MATCHING_DATABASE_URL=$LOAD_DATABASE_URL
else
  start_postgres passerelle_load
  export MATCHING_DATABASE_URL=$(postgres_url passerelle_load)
fi
trap cleanup EXIT

# Development settings (plain-HTTP cookies on 127.0.0.1), no debugger under gunicorn.
export MATCHING_INSTANCE_PATH=$WORK/instance OMP_NUM_THREADS=1
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
export MATCHING_BASE_URL=http://127.0.0.1:$PORT
mkdir -p "$MATCHING_INSTANCE_PATH"

echo "== Migrating and loading the benchmark data set =="
"$BIN/flask" --app matching db upgrade >/dev/null 2>&1
"$PY" -m benchmarks.load.prepare "$WORK/data.json"

echo "== gunicorn, 4 workers, 127.0.0.1:$PORT =="
mkdir -p "$WORK/ready"
LOAD_READY_DIR=$WORK/ready LOAD_BIND=127.0.0.1:$PORT "$BIN/gunicorn" -c benchmarks/load/gunicorn_conf.py 'matching:create_app()' &
GUNICORN_PID=$!
# each worker warms up (candidate pool, templates) and says when it is ready
for _ in $(seq 1 300); do
  if [ "$(ls "$WORK/ready" | wc -l)" -ge 4 ]; then break; fi
  if ! kill -0 "$GUNICORN_PID" 2>/dev/null; then echo "gunicorn stopped"; exit 1; fi
  sleep 1
done
curl -fsS "http://127.0.0.1:$PORT/sante" >/dev/null

echo "== Locust: $USERS users for $DURATION =="
LOAD_DATA=$WORK/data.json "$BIN/locust" -f benchmarks/load/locustfile.py --headless \
  --host "http://127.0.0.1:$PORT" -u "$USERS" -r "${LOAD_SPAWN_RATE:-1}" -t "$DURATION" \
  --only-summary --loglevel WARNING --stop-timeout 10
