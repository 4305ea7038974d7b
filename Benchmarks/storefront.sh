#!/usr/bin/env bash
# Storefront read path on a generated catalog: start-up, memory, product-detail reads against
# the server's own /health and against a bare Hummingbird server serving the same bytes
# (`torso-bench bare-server`; same run, same wrk settings), a searched, filtered, sorted, faceted
# listing, category pages (one URL, and a random one of every category, sort and page), the
# category tree, and publish-to-visible latency.
#
#   Benchmarks/storefront.sh [PRODUCTS]          (default 100000; needs wrk: apt-get install wrk)
#
# Environment: TORSO_BIN (a torso binary: no build), DURATION (wrk seconds, default 10), ROUNDS (turns of Torso and
# the bare server for the ratios, default 3), KEEP_DB=1 keeps the generated database in
# /tmp/torso-bench-storefront.sqlite for the next run (generation takes a few minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
products=${1:-100000}
duration=${DURATION:-10}
port=${PORT:-18080}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
# shellcheck source=Benchmarks/generated-catalog.sh
source Benchmarks/generated-catalog.sh
admin=$($torso keys create --database "sqlite://$db" --name bench --scopes all)
pk=$($torso keys create-publishable --database "sqlite://$db" --channel web)

echo "== start-up"
start=$(date +%s.%N)
$torso serve --database "sqlite://$db" --port "$port" --log-level warning > "$work/server.log" 2>&1 &
server=$!
until curl -sf "http://127.0.0.1:$port/health" >/dev/null; do sleep 0.02; done
ready=$(date +%s.%N)
printf "start-up to serving: %.2f s\n" "$(echo "$ready - $start" | bc)"

echo "== sample product paths"
cursor=""
for _ in $(seq 1 40); do
    page=$(curl -s -H "Authorization: Bearer $pk" "http://127.0.0.1:$port/store/v1/products?limit=100&sort=name${cursor:+&cursor=$cursor}")
    echo "$page" | python3 -c 'import json,sys; [print("/store/v1/products/" + p["slug"]) for p in json.load(sys.stdin)["data"]]' >> "$work/paths"
    cursor=$(echo "$page" | python3 -c 'import json,sys; print(json.load(sys.stdin)["next_cursor"] or "")')
    [ -z "$cursor" ] && break
done
echo "$(wc -l < "$work/paths") product paths"

wrk_run() { wrk -t2 -c64 -d"${duration}s" --latency "$@" 2>&1; }
figures() { awk '/Requests\/sec/ {rps=$2} /^ +99%/ {p99=$2} END {printf "%s req/s, p99 %s", rps, p99}'; }

echo "== product detail, first reads (random product of $(wc -l < "$work/paths"), publishable key, 10 s)"
# A detail body is rendered on its first read (the document comes from the database) and kept.
PATHS_FILE="$work/paths" PK="$pk" wrk -t2 -c64 -d10s --latency -s Benchmarks/storefront/random-product.lua "http://127.0.0.1:$port" 2>&1 | figures; echo
echo "== baseline: a bare Hummingbird server serving the same bytes (torso-bench bare-server), same wrk settings"
bench=${BENCH_BIN:-$(dirname "$torso")/torso-bench}
if [ ! -x "$bench" ]; then
    swift build -c release --product torso-bench 2>&1 | grep -E "error|Build" || true
    bench=.build/release/torso-bench
fi
curl -s "http://127.0.0.1:$port/health" > "$work/health.body"
curl -s -H "Authorization: Bearer $pk" "http://127.0.0.1:$port$(head -n 1 "$work/paths")" > "$work/detail.body"
"$bench" bare-server --port "$((port + 1))" --health "$work/health.body" --detail "$work/detail.body" > "$work/bare.log" 2>&1 &
bare=$!
until curl -sf "http://127.0.0.1:$((port + 1))/health" >/dev/null; do sleep 0.05; done
# This machine's throughput drifts by a fifth from one run to the next: Torso and the bare server
# take turns, ROUNDS times, and the ratio reported is the median of the rounds' ratios.
rounds=${ROUNDS:-3}
rps() { awk '/Requests\/sec/ {print $2}' "$1"; }
for round in $(seq 1 "$rounds"); do
    wrk_run "http://127.0.0.1:$port/health" > "$work/health.$round"
    wrk_run "http://127.0.0.1:$((port + 1))/health" > "$work/bare-health.$round"
    PATHS_FILE="$work/paths" PK="$pk" wrk_run -s Benchmarks/storefront/random-product.lua "http://127.0.0.1:$port" > "$work/detail.$round"
    PATHS_FILE="$work/paths" PK="$pk" wrk_run -s Benchmarks/storefront/random-product.lua "http://127.0.0.1:$((port + 1))" > "$work/bare-detail.$round"
    echo "round $round: /health $(figures < "$work/health.$round") (bare $(figures < "$work/bare-health.$round"));" \
        "detail $(figures < "$work/detail.$round") (bare $(figures < "$work/bare-detail.$round"))"
    echo "$(rps "$work/health.$round") $(rps "$work/bare-health.$round") $(rps "$work/detail.$round") $(rps "$work/bare-detail.$round")" >> "$work/rounds"
done
kill "$bare"; wait "$bare" 2>/dev/null || true
echo "bare server: $(wc -c < "$work/health.body")-byte /health, $(wc -c < "$work/detail.body")-byte detail"
python3 - "$work/rounds" <<'PY'
import statistics, sys
rows = [list(map(float, line.split())) for line in open(sys.argv[1])]
health = [r[0] / r[1] for r in rows]
detail = [r[2] / r[3] for r in rows]
print("Torso / bare, median of %d rounds: /health %.2f (%s), product detail %.2f (%s)" % (
    len(rows), statistics.median(health), " ".join("%.2f" % x for x in health),
    statistics.median(detail), " ".join("%.2f" % x for x in detail)))
print("median req/s: Torso /health %.0f, bare /health %.0f, Torso detail %.0f, bare detail %.0f" % tuple(
    statistics.median(r[i] for r in rows) for i in range(4)))
PY
echo "== listing: q=classic, filter.material=cotton, sort=price, in_stock, limit=20, with facets"
PK="$pk" wrk_run -s Benchmarks/storefront/with-key.lua \
    "http://127.0.0.1:$port/store/v1/products?q=classic&filter.material=cotton&in_stock=true&sort=price&limit=20" > "$work/list"
figures < "$work/list"; echo
echo "== listing without a search term: filter.size=m, sort=-price, limit=20"
PK="$pk" wrk_run -s Benchmarks/storefront/with-key.lua \
    "http://127.0.0.1:$port/store/v1/products?filter.size=m&sort=-price&limit=20" > "$work/list2"
figures < "$work/list2"; echo
echo "== category page, one URL: category=apparel (with its sub-categories), sort=price, limit=20, with facets"
PK="$pk" wrk_run -s Benchmarks/storefront/with-key.lua \
    "http://127.0.0.1:$port/store/v1/products?category=apparel&sort=price&limit=20" > "$work/category"
figures < "$work/category"; echo
echo "== the same without the category: sort=price, limit=20, with facets"
PK="$pk" wrk_run -s Benchmarks/storefront/with-key.lua \
    "http://127.0.0.1:$port/store/v1/products?sort=price&limit=20" > "$work/all"
figures < "$work/all"; echo
echo "== the category tree with product counts: /store/v1/categories"
PK="$pk" wrk_run -s Benchmarks/storefront/with-key.lua "http://127.0.0.1:$port/store/v1/categories" > "$work/tree"
figures < "$work/tree"; echo
python3 Benchmarks/storefront/category_paths.py "http://127.0.0.1:$port" "$pk" > "$work/category-paths"
echo "== category pages: a random one of $(wc -l < "$work/category-paths") (every category, 4 sorts, pages 1-3 by cursor)"
PATHS_FILE="$work/category-paths" PK="$pk" wrk_run -s Benchmarks/storefront/random-product.lua "http://127.0.0.1:$port" > "$work/categories"
figures < "$work/categories"; echo
echo "== resident memory while serving"
grep VmRSS "/proc/$server/status"
echo "== publish-to-visible (20 products)"
python3 Benchmarks/storefront/publish_latency.py "http://127.0.0.1:$port" "$admin" "$pk" 20
