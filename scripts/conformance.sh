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
# shellcheck source=scripts/demo-server.sh
source scripts/demo-server.sh

python3 -c "import jsonschema, referencing" 2>/dev/null || pip install --quiet jsonschema rfc3339-validator >/dev/null

start_demo_server "$database"
echo "checking http://127.0.0.1:$port ($database)"
python3 scripts/api-conformance.py --url "http://127.0.0.1:$port" --admin-key "$key"
