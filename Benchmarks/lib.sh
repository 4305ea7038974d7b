# Shared by the benchmark scripts: release build, a throwaway `torso serve`, cleanup on exit.
# Source it after `cd` to the repository root; it sets $root, $work, $torso and $bench.
# shellcheck shell=bash

root=$(pwd)
work=$(mktemp -d /tmp/torso-bench.XXXXXX)
server_pids=()

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

bench_cleanup() {
    local status=$?
    stop_servers
    rm -rf "$work"
    exit "$status"
}
trap bench_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Builds torso and torso-bench in release mode; sets $torso and $bench.
build_release() {
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
    "$torso" serve --database "$database" --port 0 --log-level info "$@" >"$log" 2>&1 &
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
