# Sourced by scripts/conformance.sh and scripts/fuzz.sh: starts `torso serve --demo` on a
# free port and stops it (and removes $work) on exit.
#   start_demo_server DATABASE_URL [ARGUMENTS…]   sets $server, $port, $key (the demo admin key)
# Needs $torso (the binary) and $work (a temporary folder).
server=""
stop_demo_server() {
    if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then
        kill -TERM "$server" 2>/dev/null || true
        for _ in $(seq 1 50); do kill -0 "$server" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$server" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap stop_demo_server EXIT

start_demo_server() {
    local database=$1
    shift
    "$torso" serve --demo "$@" --port 0 --database "$database" --imports-dir "$work/imports" > "$work/server.log" 2>&1 &
    server=$!
    port=""
    for _ in $(seq 1 300); do
        port=$(grep -oE "listening on http://127\.0\.0\.1:[0-9]+" "$work/server.log" | grep -oE "[0-9]+$" | head -1 || true)
        [ -n "$port" ] && break
        kill -0 "$server" 2>/dev/null || { cat "$work/server.log"; exit 1; }
        sleep 0.1
    done
    [ -n "$port" ] || { echo "the server did not start"; cat "$work/server.log"; exit 1; }
    key=$(grep -oE "sk_[A-Za-z0-9]+" "$work/server.log" | head -1)
}
