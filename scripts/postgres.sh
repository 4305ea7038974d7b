#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server on loopback for tests and benchmarks.
#   scripts/postgres.sh start [PORT]   # prints the URL: postgres://postgres@127.0.0.1:PORT/postgres
#   scripts/postgres.sh stop [PORT]
# Installs Debian's postgresql package when initdb is missing. PostgreSQL refuses to run as
# root, so the server runs as the `postgres` user (created if needed).
set -euo pipefail
command=${1:-start}
port=${2:-55432}
dir=/tmp/torso-pg-$port

pgbin() {
    local bin
    bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
        echo "installing postgresql…" >&2
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) >&2
        bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    fi
    echo "$bin"
}

as_postgres() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$command" in
start)
    bin=$(pgbin)
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    if [ -f "$dir/data/postmaster.pid" ]; then
        as_postgres "$bin/pg_ctl" -D "$dir/data" stop -m fast >/dev/null 2>&1 || true
    fi
    rm -rf "$dir" && mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    as_postgres "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=on" start >/dev/null
    echo "postgres://postgres@127.0.0.1:$port/postgres"
    ;;
stop)
    bin=$(pgbin)
    [ -d "$dir/data" ] && as_postgres "$bin/pg_ctl" -D "$dir/data" stop -m fast >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
*)
    echo "usage: $0 start|stop [PORT]" >&2
    exit 2
    ;;
esac
