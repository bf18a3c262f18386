#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the store's tests (Debian's postgresql; initdb refuses root, so the server
# runs as the `postgres` user in a temporary directory, on a free port, trusting local connections).
#   eval "$(.ci/postgres.sh start)"   # prints: export TEST_DATABASE_URL=…; export KOTA_PG_DIR=…
#   .ci/postgres.sh stop "$KOTA_PG_DIR"
set -euo pipefail

bin_dir() {
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
  [ -n "$dir" ] && [ -x "$dir/initdb" ] || { echo "postgres.sh: no PostgreSQL server under /usr/lib/postgresql (apt-get install postgresql)" >&2; exit 1; }
  echo "$dir"
}

as_postgres() {
  if [ "$(id -u)" -ne 0 ]; then "$@"; return; fi
  # runuser lives in sbin, which a minimal PATH may leave out.
  local runuser
  runuser="$(command -v runuser || ls /usr/sbin/runuser /sbin/runuser 2>/dev/null | head -1)"
  [ -n "$runuser" ] || { echo "postgres.sh: runuser not found (util-linux)" >&2; exit 1; }
  "$runuser" -u postgres -- "$@"
}

case "${1:-}" in
  start)
    BIN="$(bin_dir)"
    DIR="$(mktemp -d /tmp/kota-pg-XXXXXX)"
    [ "$(id -u)" -eq 0 ] && chown postgres "$DIR"
    PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    as_postgres "$BIN/initdb" -D "$DIR/data" -A trust -U kota >"$DIR/initdb.log" 2>&1 || { cat "$DIR/initdb.log" >&2; exit 1; }
    as_postgres "$BIN/pg_ctl" -D "$DIR/data" -w -l "$DIR/log" \
      -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null \
      || { cat "$DIR/log" >&2; exit 1; }
    echo "export TEST_DATABASE_URL=postgres://kota@127.0.0.1:$PORT/postgres"
    echo "export KOTA_PG_DIR=$DIR"
    ;;
  stop)
    DIR="${2:?usage: postgres.sh stop DIR}"
    BIN="$(bin_dir)"
    as_postgres "$BIN/pg_ctl" -D "$DIR/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$DIR"
    ;;
  *)
    echo "usage: $0 start | stop DIR" >&2
    exit 2
    ;;
esac
