#!/usr/bin/env bash
# Fuzzes a demo server with schemathesis (from PyPI) against its own /openapi.json: the admin
# API with a secret key, then the store API with a publishable key, each for a bounded time.
# Fails on any 5xx and on any answer that does not match the document.
#
#   scripts/fuzz.sh                 # 90 s per API (FUZZ_SECONDS), on a new SQLite file
#   FUZZ_SEED=123 scripts/fuzz.sh   # replays a run's seed (printed in its summary)
#
# Uses the debug build in .build (run `swift build` first; TORSO_BIN overrides the binary).
set -euo pipefail
cd "$(dirname "$0")/.."

torso=${TORSO_BIN:-.build/debug/torso}
seconds=${FUZZ_SECONDS:-90}
work=$(mktemp -d /tmp/torso-fuzz.XXXXXX)
# shellcheck source=scripts/demo-server.sh
source scripts/demo-server.sh

command -v st >/dev/null 2>&1 || pip install --quiet "schemathesis==4.32.5" >/dev/null
st=$(command -v st)

# Without rate limits, so the fuzzer reaches the handlers (the limits have their own tests).
start_demo_server "sqlite://$work/demo.sqlite" --no-rate-limits
url="http://127.0.0.1:$port"
publishable=$(curl -sf -X POST -H "Authorization: Bearer $key" "$url/admin/v1/keys" -d '{"name":"fuzz","kind":"publishable","channel":"web"}' \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["secret"])')

# Streams never end, and revoking keys would end the run: both are left out.
fuzz() {
    local name=$1 credential=$2 paths=$3
    echo "-- $name: $paths for ${seconds}s"
    local log="$work/$name.log" status=0
    "$st" run "$url/openapi.json" -H "Authorization: Bearer $credential" --include-path-regex "$paths" \
        --exclude-path-regex '/events$' --exclude-path-regex '^/admin/v1/keys/' \
        --checks not_a_server_error,response_schema_conformance --phases fuzzing --max-time "$seconds" --workers 2 \
        ${FUZZ_SEED:+--seed "$FUZZ_SEED"} --report-dir "$work/reports" >"$log" 2>&1 || status=$?
    if [ "$status" -ne 0 ]; then
        # The failures (with a curl line to reproduce each) come before the summary.
        sed -n '/FAILURES/,/SUMMARY/p' "$log" | grep -vE '^\s*$' | head -n 120
    fi
    grep -vE '^\s*$' "$log" | tail -n 25
    return "$status"
}
failed=0
fuzz admin "$key" '^/admin/' || failed=1
fuzz store "$publishable" '^/store/' || failed=1
if ! kill -0 "$server" 2>/dev/null; then echo "the server died"; tail -n 30 "$work/server.log"; exit 1; fi
exit "$failed"
