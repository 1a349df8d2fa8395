#!/usr/bin/env bash
# A throwaway PostGIS for the test suite: `start` prints the URL tests read from
# DATELINE_TEST_PG_URL, `stop` shuts it down and removes its data folder.
# Runs as root (CI containers): the server itself runs as the postgres user, which initdb requires.
set -euo pipefail

PORT="${DATELINE_PG_PORT:-55432}"
DB=dateline_test
STATE="${DATELINE_PG_STATE:-/tmp/dateline-postgis}"   # holds the path of the data folder between start and stop
PGBIN="${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}"

as_postgres() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

install() {
    if [ ! -x "$PGBIN/initdb" ] || ! ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql-15-postgis-3 >/dev/null
        PGBIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
    fi
}

start() {
    install
    if [ -f "$STATE" ] && as_postgres "$PGBIN/pg_ctl" -D "$(cat "$STATE")" status >/dev/null 2>&1; then
        echo "postgresql+psycopg://postgres@127.0.0.1:$PORT/$DB"
        return
    fi
    local data
    data="$(mktemp -d /tmp/dateline-pg.XXXXXX)"
    chown postgres: "$data" 2>/dev/null || true
    echo "$data" > "$STATE"
    as_postgres "$PGBIN/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --no-locale >/dev/null
    # fsync off: the cluster is thrown away, and it makes the suite several times faster.
    as_postgres "$PGBIN/pg_ctl" -D "$data" -l "$data/server.log" -w \
        -o "-p $PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$data -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        start >/dev/null
    as_postgres "$PGBIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -qAt -c "CREATE DATABASE $DB" >/dev/null
    as_postgres "$PGBIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d "$DB" -qAt -c "CREATE EXTENSION postgis" >/dev/null
    echo "postgresql+psycopg://postgres@127.0.0.1:$PORT/$DB"
}

stop() {
    [ -f "$STATE" ] || return 0
    local data
    data="$(cat "$STATE")"
    as_postgres "$PGBIN/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$data" "$STATE"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
