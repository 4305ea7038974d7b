#!/usr/bin/env bash
# Starts `torso serve --demo` on a fresh database and checks every answer of a walk over every
# operation of its /openapi.json against the document's schemas (scripts/api-conformance.py).
#
#   scripts/conformance.sh [DATABASE_URL]     default: a new SQLite file under /tmp
#
# Uses the debug build in .build (run `swift build` first; TORSO_BIN overrides the binary).
# Exits non-zero on any mismatch or any operation the walk could not reach.
set -euo pipefail
cd "$(dirname "$0")/.."

torso=${TORSO_BIN:-.build/debug/torso}
work=$(mktemp -d /tmp/torso-conformance.XXXXXX)
database=${1:-sqlite://$work/demo.sqlite}
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

python3 -c "import jsonschema, referencing" 2>/dev/null || pip install --quiet jsonschema rfc3339-validator >/dev/null

"$torso" serve --demo --port 0 --database "$database" > "$work/server.log" 2>&1 &
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
echo "checking http://127.0.0.1:$port ($database)"
python3 scripts/api-conformance.py --url "http://127.0.0.1:$port" --admin-key "$key"
