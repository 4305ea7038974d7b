# Shared by the benchmark scripts: release build, a throwaway `torso serve`, fresh SQLite and
# PostgreSQL databases, cleanup on exit (failure or Ctrl-C included). Source it after `cd` to
# the repository root; it sets $root, $work, $torso and $bench.
#
# PostgreSQL: with $TORSO_BENCH_POSTGRES a fresh database is created on that server and dropped
# afterwards; without it a throwaway server is started on port $pg_port (set it before
# sourcing, default 55433; $BENCH_PG_PORT overrides) with scripts/postgres.sh and stopped.
# shellcheck shell=bash

root=$(pwd)
work=$(mktemp -d /tmp/torso-bench.XXXXXX)
server_pids=()
bench_pid=""
own_postgres=""
pg_database=""
pg_admin_url=""
pg_port=${BENCH_PG_PORT:-${pg_port:-55433}}

# Stops every server started with start_server.
stop_servers() {
    for pid in "${server_pids[@]}"; do
        if kill -0 "$pid" 2>/dev/null; then
            kill -TERM "$pid" 2>/dev/null || true
            for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
            kill -KILL "$pid" 2>/dev/null || true
            wait "$pid" 2>/dev/null || true
        fi
    done
    server_pids=()
}

stop_bench() {
    if [ -n "$bench_pid" ] && kill -0 "$bench_pid" 2>/dev/null; then
        kill -TERM "$bench_pid" 2>/dev/null || true
        wait "$bench_pid" 2>/dev/null || true
    fi
    bench_pid=""
}

bench_cleanup() {
    local status=$?
    stop_bench
    stop_servers
    if [ -n "$pg_database" ] && [ -n "$pg_admin_url" ]; then
        psql -q -X "$pg_admin_url" -c "DROP DATABASE IF EXISTS $pg_database WITH (FORCE)" >/dev/null 2>&1 || true
    fi
    if [ -n "$own_postgres" ]; then
        "$root/scripts/postgres.sh" stop "$pg_port" >/dev/null 2>&1 || true
    fi
    rm -rf "$work"
    exit "$status"
}
trap bench_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Builds torso and torso-bench in release mode; sets $torso and $bench. With TORSO_BIN (a
# torso binary) and optionally BENCH_BIN it builds nothing and uses those: to compare two builds
# of torso in one sitting with the same load generator.
build_release() {
    if [ -n "${TORSO_BIN:-}" ]; then
        torso=$TORSO_BIN
        bench=${BENCH_BIN:-$(dirname "$TORSO_BIN")/torso-bench}
        echo "== using $torso and $bench (no build)"
        return 0
    fi
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
    local bin
    bin=$(swift build -c release --show-bin-path)
    torso="$bin/torso"
    bench="$bin/torso-bench"
}

# start_server DATABASE LOG [ARGS…]: starts `torso serve` on a free port and sets $port.
start_server() {
    local database=$1 log=$2
    shift 2
    # Benchmarks measure throughput without the store API's rate limits, unless RATE_LIMITED=1.
    local limits=(--no-rate-limits)
    if [ "${RATE_LIMITED:-0}" = 1 ]; then limits=(); fi
    "$torso" serve --database "$database" --port 0 --log-level info ${limits[@]+"${limits[@]}"} "$@" >"$log" 2>&1 &
    local pid=$!
    server_pids+=("$pid")
    port=""
    for _ in $(seq 1 300); do
        port=$(sed -n 's/.*Torso listening on http:\/\/[^:]*:\([0-9]*\).*/\1/p' "$log" | head -n 1)
        [ -n "$port" ] && return 0
        kill -0 "$pid" 2>/dev/null || { echo "torso serve exited:" >&2; cat "$log" >&2; return 1; }
        sleep 0.1
    done
    echo "torso serve did not start within 30 s:" >&2
    cat "$log" >&2
    return 1
}

# run_bench NAME COMMAND…: runs the load generator, prints its report, stops the servers and
# adds its `RESULT` line to $work/summary as `NAME key=value…`. On failure it shows the server
# log's tail (the server log is $work/NAME-server.log) and returns the exit status.
run_bench() {
    local name=$1 status=0
    shift
    # In the background with `wait`, so that a signal interrupts the wait at once and the
    # trap stops everything (bash runs traps only after a foreground command ends).
    "$@" >"$work/$name.out" 2>&1 &
    bench_pid=$!
    wait "$bench_pid" || status=$?
    bench_pid=""
    cat "$work/$name.out"
    stop_servers
    grep '^RESULT ' "$work/$name.out" | sed "s/^RESULT /$name /" >>"$work/summary"
    if [ "$status" -ne 0 ]; then
        echo "!! $name: the benchmark failed (exit $status); server log tail:" >&2
        tail -n 20 "$work/$name-server.log" >&2
    fi
    return "$status"
}

# for_each_backend FUNCTION: calls `FUNCTION NAME DATABASE_URL` for each backend in $backends
# (sqlite, postgres) on a fresh database; returns 1 if any call failed.
for_each_backend() {
    local run=$1 failed=0 backend pg_url
    : >"$work/summary"
    for backend in $backends; do
        case "$backend" in
        sqlite)
            "$run" sqlite "sqlite://$work/bench.sqlite" || failed=1
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
            "$run" postgres "$pg_url" || failed=1
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
    return "$failed"
}

# result_field KEY FIELDS: the value of KEY in a summary line's `key=value…` fields.
result_field() {
    # A leading space, so p50_ms does not match complete_p50_ms.
    echo " $2" | sed -n "s/.* $1=\([^ ]*\).*/\1/p"
}
