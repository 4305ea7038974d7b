#!/usr/bin/env bash
# The inventory-sync benchmark: an ERP sends ROWS absolute counts (`set`) in one call to
# POST /admin/v1/inventory/adjustments, ROUNDS times, on a generated catalog on SQLite.
# Reports each call's time, how long after the answer the storefront shows the new
# availability, and how long after sending a live-feed client reads the stock.changed.
#
#   Benchmarks/inventory.sh                        # 10,000 rows, 5 rounds, 3,500 products
#   ROWS=10000 ROUNDS=5 CATALOG=3500 Benchmarks/inventory.sh
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=Benchmarks/lib.sh
source Benchmarks/lib.sh

rows=${ROWS:-10000}
rounds=${ROUNDS:-5}
catalog=${CATALOG:-3500}

build_release
database="sqlite://$work/inventory.sqlite"
"$torso" demo --database "$database" --products "$catalog" >"$work/demo.log" 2>&1 || { cat "$work/demo.log" >&2; exit 1; }
tail -n 1 "$work/demo.log"
key=$("$torso" keys create --database "$database" --name "bench inventory" --scopes all)
publishable=$("$torso" keys create-publishable --database "$database" --channel web --name "bench inventory")
start_server "$database" "$work/server.log"
echo "== inventory sync: $rows rows per call, $rounds rounds, SQLite"
"$bench" inventory-sync --url "http://127.0.0.1:$port" --key "$key" --publishable-key "$publishable" \
    --rows "$rows" --rounds "$rounds" &
wait $! || { echo "!! the benchmark failed; server log tail:" >&2; tail -n 20 "$work/server.log" >&2; exit 1; }
