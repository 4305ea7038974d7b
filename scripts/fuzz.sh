#!/usr/bin/env bash
# Fuzzes a demo server with schemathesis (from PyPI) against its own /openapi.json: the admin
# API with a secret key, then the store API with a publishable key, each for a bounded time.
# Fails on any 5xx and on any answer that does not match the document.
#
#   scripts/fuzz.sh                 # 90 s per API (FUZZ_SECONDS), on a new SQLite file
#
# Uses the debug build in .build (run `swift build` first; TORSO_BIN overrides the binary).
set -euo pipefail
cd "$(dirname "$0")/.."

torso=${TORSO_BIN:-.build/debug/torso}
seconds=${FUZZ_SECONDS:-90}
work=$(mktemp -d /tmp/torso-fuzz.XXXXXX)
server=""
cleanup() {
    if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then
        kill -TERM "$server" 2>/dev/null || true
        for _ in $(seq 1 50); do kill -0 "$server" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$server" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

command -v st >/dev/null 2>&1 || pip install --quiet "schemathesis==4.32.5" >/dev/null
st=$(command -v st)

# Without rate limits, so the fuzzer reaches the handlers (the limits have their own tests).
"$torso" serve --demo --no-rate-limits --port 0 --database "sqlite://$work/demo.sqlite" > "$work/server.log" 2>&1 &
server=$!
port=""
for _ in $(seq 1 300); do
    port=$(grep -oE "listening on http://127\.0\.0\.1:[0-9]+" "$work/server.log" | grep -oE "[0-9]+$" | head -1 || true)
    [ -n "$port" ] && break
    kill -0 "$server" 2>/dev/null || { cat "$work/server.log"; exit 1; }
    sleep 0.1
done
[ -n "$port" ] || { echo "the server did not start"; cat "$work/server.log"; exit 1; }
url="http://127.0.0.1:$port"
key=$(grep -oE "sk_[A-Za-z0-9]+" "$work/server.log" | head -1)
publishable=$(curl -sf -X POST -H "Authorization: Bearer $key" "$url/admin/v1/keys" -d '{"name":"fuzz","kind":"publishable","channel":"web"}' \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["secret"])')

# Streams never end, and revoking keys would end the run: both are left out.
fuzz() {
    local name=$1 credential=$2 paths=$3
    echo "-- $name: $paths for ${seconds}s"
    "$st" run "$url/openapi.json" -H "Authorization: Bearer $credential" --include-path-regex "$paths" \
        --exclude-path-regex '/events$' --exclude-path-regex '^/admin/v1/keys/' \
        --checks not_a_server_error,response_schema_conformance --phases fuzzing --max-time "$seconds" --workers 2 \
        --report-dir "$work/reports" 2>&1 | grep -vE '^\s*$' | tail -n 25
    return "${PIPESTATUS[0]}"
}
failed=0
fuzz admin "$key" '^/admin/' || failed=1
fuzz store "$publishable" '^/store/' || failed=1
if ! kill -0 "$server" 2>/dev/null; then echo "the server died"; tail -n 30 "$work/server.log"; exit 1; fi
exit "$failed"
