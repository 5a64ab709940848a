# Sourced by .ci/run and benchmarks/load/run.sh: a PostgreSQL cluster of our own
# on 127.0.0.1 (any free port, its own data folder, run as the postgres user),
# installed from Debian packages when missing and removed on exit.
#   start_postgres DBNAME...   sets PGPORT and creates the databases
#   postgres_url DBNAME        prints the SQLAlchemy URL of one of them

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

start_postgres() {
  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
  PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  PGDATA=$(mktemp -d /tmp/passerelle-pg.XXXXXX)
  PGPORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres: "$PGDATA"
    as_pg() { runuser -u postgres -- "$@"; }
  else
    as_pg() { "$@"; }
  fi
  trap stop_postgres EXIT
  as_pg "$PGBIN/initdb" -D "$PGDATA" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
  as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w \
    -o "-p $PGPORT -k $PGDATA -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off" start >/dev/null
  for name in "$@"; do
    as_pg "$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres "$name"
  done
}

postgres_url() { echo "postgresql+psycopg://postgres@127.0.0.1:$PGPORT/$1"; }

stop_postgres() {
  if [ -n "${PGDATA:-}" ]; then
    as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$PGDATA"
  fi
}
