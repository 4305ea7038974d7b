#!/usr/bin/env bash
# Back-office page render times on a generated catalog: a signed-in owner asks each page
# ROUNDS times in a row (one connection, as a browser would) and the server's answer time is
# reported per page as median and p95 in milliseconds, with the first dashboard after start-up
# (which reads every product's completeness once) on its own line.
#
#   Benchmarks/back-office.sh [PRODUCTS]        (default 100000)
#
# Environment: TORSO_BIN (a torso binary: no build), ROUNDS (default 50), KEEP_DB=1 keeps the
# generated database in /tmp/torso-bench-storefront-PRODUCTS.sqlite (shared with storefront.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
products=${1:-100000}
rounds=${ROUNDS:-50}
port=${PORT:-18090}
# shellcheck source=Benchmarks/generated-catalog.sh
source Benchmarks/generated-catalog.sh
key=$($torso keys create --database "sqlite://$db" --name bench-pages --scopes all)
email="pages-$RANDOM$RANDOM@bench.example"
password=$($torso users create --database "sqlite://$db" --email "$email" --name "Page bench" --role owner --generate-password \
    | sed -n 's/.*password: \([^ ]*\).*/\1/p')

echo "== start-up"
$torso serve --database "sqlite://$db" --port "$port" --log-level warning --no-rate-limits > "$work/server.log" 2>&1 &
server=$!
until curl -sf "http://127.0.0.1:$port/health" >/dev/null; do sleep 0.1; done
base="http://127.0.0.1:$port"
curl -s -o /dev/null -c "$work/jar" --data-urlencode "email=$email" --data-urlencode "password=$password" "$base/admin/sign-in"
grep -q torso_session "$work/jar" || { echo "sign-in failed" >&2; exit 1; }
product=$(curl -s -H "Authorization: Bearer $key" "$base/admin/v1/products?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"][0]["id"])')
type=$(curl -s -H "Authorization: Bearer $key" "$base/admin/v1/product-types?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"][0]["code"])')

first=$(curl -s -o /dev/null -b "$work/jar" -w "%{time_total}" "$base/admin")
printf "first dashboard after start-up: %.0f ms\n" "$(echo "$first * 1000" | bc)"
# The heat map's figures are read over every product once, in the background; then the
# dashboard is measured as people see it from then on.
figures_start=$(date +%s.%N)
for _ in $(seq 1 600); do
    curl -s -b "$work/jar" "$base/admin" | grep -q heat-pending || break
    sleep 0.2
done
printf "completeness figures ready after: %.1f s\n" "$(echo "$(date +%s.%N) - $figures_start" | bc)"

# page NAME PATH: ROUNDS requests on one connection after one to warm; prints median and p95.
page() {
    local name=$1 path=$2 urls=()
    # One -o per URL: curl pairs them in order.
    for _ in $(seq 1 "$rounds"); do urls+=(-o /dev/null "$base$path"); done
    curl -s -o /dev/null -b "$work/jar" "$base$path"
    status=$(curl -s -o /dev/null -b "$work/jar" -w "%{http_code}" "$base$path")
    [ "$status" = 200 ] || { echo "$name: $path answered $status" >&2; return 1; }
    curl -s -b "$work/jar" -w "%{time_total}\n" "${urls[@]}" | python3 -c '
import sys
times = sorted(float(line) * 1000 for line in sys.stdin if line.strip())
median, p95 = times[len(times) // 2], times[min(len(times) - 1, int(len(times) * 0.95))]
name = sys.argv[1]
print(f"{name:<34} median {median:6.1f} ms   p95 {p95:6.1f} ms")
print(f"RESULT page={name} median_ms={median:.1f} p95_ms={p95:.1f}", file=sys.stderr)
' "$name" 2>>"$work/summary"
}

echo "== pages ($products products, $rounds requests each)"
page dashboard /admin
page products /admin/products
page products-next-page "/admin/products?after=$(curl -s -b "$work/jar" "$base/admin/products" | sed -n 's/.*after=\([^"&]*\)".*/\1/p' | head -n 1)"
page products-search "/admin/products?q=classic"
page products-by-type "/admin/products?type=$type"
page products-live-on-web "/admin/products?publication=live:web"
page products-not-live-on-voice "/admin/products?publication=not_live:voice"
page products-out-of-stock "/admin/products?stock=out"
page products-incomplete-web-de "/admin/products?completeness=incomplete:web:de-DE"
page product-editor "/admin/products/$product"
page categories /admin/categories
page stock /admin/stock
page stock-below-3 "/admin/stock?below=3"
page settings /admin/settings
page webhooks /admin/webhooks
page orders /admin/orders
page imports /admin/imports
page people /admin/users
page keys /admin/keys
page audit /admin/audit
echo
echo "== summary"
cat "$work/summary"
