#!/usr/bin/env bash
# The webhook benchmark: how fast `torso serve` delivers webhooks to a local receiver, on SQLite
# and then on PostgreSQL. See Benchmarks/README.md ("Webhooks").
#
#   Benchmarks/webhooks.sh                        # both backends, 5000 queued + 2000 live events
#   EVENTS=5000 LIVE_EVENTS=2000 CLIENTS=8 Benchmarks/webhooks.sh
#   BACKENDS=sqlite Benchmarks/webhooks.sh        # only one backend (sqlite or postgres)
#   TORSO_BENCH_POSTGRES=postgres://postgres@127.0.0.1:55432/postgres Benchmarks/webhooks.sh
#
# Each backend gets a fresh database and a key with every scope; `torso serve` runs with
# --allow-private-webhooks (the receiver is on 127.0.0.1) and --webhook-retry-base 600 (so
# the closed receiver's first failure pauses the webhook while the backlog is built).
# `torso-bench webhooks` runs the receiver, makes the events (product PATCHes through the
# admin API) and measures. PostgreSQL: with $TORSO_BENCH_POSTGRES, a fresh database is
# created on that server and dropped afterwards; without it, a throwaway server is started on
# port $BENCH_PG_PORT (55434) with scripts/postgres.sh and stopped afterwards. Everything
# started here is stopped on exit, failure or Ctrl-C.
set -euo pipefail

cd "$(dirname "$0")/.."
root=$(pwd)
clients=${CLIENTS:-8}
events=${EVENTS:-5000}
live_events=${LIVE_EVENTS:-2000}
backends=${BACKENDS:-"sqlite postgres"}
pg_port=${BENCH_PG_PORT:-55434}

work=$(mktemp -d /tmp/torso-bench.XXXXXX)
server_pid=""
bench_pid=""
own_postgres=""
pg_database=""
pg_admin_url=""

stop_bench() {
    if [ -n "$bench_pid" ] && kill -0 "$bench_pid" 2>/dev/null; then
        kill -TERM "$bench_pid" 2>/dev/null || true
        wait "$bench_pid" 2>/dev/null || true
    fi
    bench_pid=""
}

stop_server() {
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
        kill -TERM "$server_pid" 2>/dev/null || true
        for _ in $(seq 1 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    server_pid=""
}

cleanup() {
    local status=$?
    stop_bench
    stop_server
    if [ -n "$pg_database" ] && [ -n "$pg_admin_url" ]; then
        psql -q -X "$pg_admin_url" -c "DROP DATABASE IF EXISTS $pg_database WITH (FORCE)" >/dev/null 2>&1 || true
    fi
    if [ -n "$own_postgres" ]; then
        "$root/scripts/postgres.sh" stop "$pg_port" >/dev/null 2>&1 || true
    fi
    rm -rf "$work"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "== building release (torso, torso-bench)"
# `swift build` honours only the last --product it is given: build each on its own.
for product in torso torso-bench; do
    if swift build -c release --product "$product" >"$work/build.log" 2>&1; then
        tail -n 1 "$work/build.log"
    else
        tail -n 40 "$work/build.log" >&2
        exit 1
    fi
done
bin=$(swift build -c release --show-bin-path)
torso="$bin/torso"
bench="$bin/torso-bench"

# Starts `torso serve` on a free port (port 0, read back from the log) and sets $port.
start_server() {
    local database=$1 log=$2
    "$torso" serve --database "$database" --port 0 --log-level info --allow-private-webhooks --webhook-retry-base 600 >"$log" 2>&1 &
    server_pid=$!
    port=""
    for _ in $(seq 1 300); do
        port=$(sed -n 's/.*Torso listening on http:\/\/[^:]*:\([0-9]*\).*/\1/p' "$log" | head -n 1)
        [ -n "$port" ] && return 0
        kill -0 "$server_pid" 2>/dev/null || { echo "torso serve exited:" >&2; cat "$log" >&2; return 1; }
        sleep 0.1
    done
    echo "torso serve did not start within 30 s:" >&2
    cat "$log" >&2
    return 1
}

# Runs the benchmark against one database URL; prints the benchmark's report.
run_backend() {
    local name=$1 database=$2
    echo
    echo "== $name: $database"
    local key
    # Functions called from `||` run without `set -e`: check each step. (`keys create` migrates.)
    key=$("$torso" keys create --database "$database" --name "bench $name" --scopes all) || return 1
    start_server "$database" "$work/$name-server.log" || return 1
    local status=0
    # In the background with `wait`, so that a signal interrupts the wait at once and the
    # trap stops everything (bash runs traps only after a foreground command ends).
    "$bench" webhooks --url "http://127.0.0.1:$port" --key "$key" --clients "$clients" \
        --events "$events" --live-events "$live_events" >"$work/$name.out" 2>&1 &
    bench_pid=$!
    wait "$bench_pid" || status=$?
    bench_pid=""
    cat "$work/$name.out"
    stop_server
    grep '^RESULT ' "$work/$name.out" | sed "s/^RESULT /$name /" >>"$work/summary"
    if [ "$status" -ne 0 ]; then
        echo "!! $name: the benchmark failed (exit $status); server log tail:" >&2
        tail -n 20 "$work/$name-server.log" >&2
    fi
    return "$status"
}

failed=0
: >"$work/summary"
for backend in $backends; do
    case "$backend" in
    sqlite)
        run_backend sqlite "sqlite://$work/bench.sqlite" || failed=1
        ;;
    postgres)
        if [ -n "${TORSO_BENCH_POSTGRES:-}" ]; then
            pg_admin_url=$TORSO_BENCH_POSTGRES
        else
            echo
            echo "== starting PostgreSQL on port $pg_port"
            own_postgres=yes
            pg_admin_url=$("$root/scripts/postgres.sh" start "$pg_port")
        fi
        command -v psql >/dev/null || { echo "psql is needed to create the benchmark database" >&2; exit 1; }
        pg_database="torso_bench_$(date +%s)_$$"
        psql -q -X "$pg_admin_url" -c "CREATE DATABASE $pg_database" >/dev/null
        # The same server, the new database: replace the path of the admin URL.
        pg_url=$(echo "$pg_admin_url" | sed -E "s#^(postgres(ql)?://[^/]*)(/[^?]*)?#\1/$pg_database#")
        run_backend postgres "$pg_url" || failed=1
        psql -q -X "$pg_admin_url" -c "DROP DATABASE IF EXISTS $pg_database WITH (FORCE)" >/dev/null || true
        pg_database=""
        if [ -n "$own_postgres" ]; then
            "$root/scripts/postgres.sh" stop "$pg_port" >/dev/null
            own_postgres=""
        fi
        ;;
    *)
        echo "unknown backend '$backend' (use sqlite or postgres)" >&2
        exit 2
        ;;
    esac
done

echo
echo "== webhooks: $events queued deliveries drained, then $live_events live events; $clients clients making events"
while read -r name fields; do
    field() { echo " $fields" | sed -n "s/.* $1=\([^ ]*\).*/\1/p"; }
    printf '%-9s %8s deliveries/s (drain)   live: %s events/s made, lag p50 %s ms  p90 %s ms  p99 %s ms   repeats %s\n' "$name" \
        "$(field deliveries_per_second)" "$(field live_events_per_second)" "$(field lag_p50_ms)" "$(field lag_p90_ms)" "$(field lag_p99_ms)" "$(field repeats)"
done <"$work/summary"
exit "$failed"
