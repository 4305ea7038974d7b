#!/usr/bin/env bash
# The import benchmark: a CSV of PRODUCTS T-shirts with three size variants each (Torso's
# product CSV) uploaded to POST /admin/v1/imports, on SQLite and then on PostgreSQL; in the
# same run and on the same server, the admin API's products per call (torso-bench
# admin-writes) as the ratio's base. Then, on SQLite, the server's peak RSS for a file ten
# times smaller, so that flat memory shows. See Benchmarks/README.md.
#
#   Benchmarks/import.sh                          # 100,000 products (300,000 rows), both backends
#   PRODUCTS=20000 BACKENDS=sqlite Benchmarks/import.sh
set -euo pipefail
cd "$(dirname "$0")/.."
products=${PRODUCTS:-100000}
api_products=${API_PRODUCTS:-2000}
backends=${BACKENDS:-"sqlite postgres"}
pg_port=55433
# shellcheck source=Benchmarks/lib.sh
source Benchmarks/lib.sh

# The peak resident memory of the last server started, in MiB.
peak_rss() {
    awk '/VmHWM/ { printf "%d", $2 / 1024 }' "/proc/${server_pids[-1]}/status"
}

# Imports PRODUCTS products into a fresh server on DATABASE; prints the figures.
run_backend() {
    local name=$1 database=$2 key api rows
    echo
    echo "== $name: $database"
    key=$("$torso" keys create --database "$database" --name "bench $name" --scopes all) || return 1
    start_server "$database" "$work/$name-server.log" --imports-dir "$work/imports" || return 1
    "$bench" admin-writes --url "http://127.0.0.1:$port" --key "$key" --clients 8 --products "$api_products" --warmup 100 \
        >"$work/$name-api.out" 2>&1 || { cat "$work/$name-api.out"; return 1; }
    api=$(sed -n 's/^RESULT products_per_second=\([0-9.]*\).*/\1/p' "$work/$name-api.out")
    "$bench" import --url "http://127.0.0.1:$port" --key "$key" --products "$products" --file "$work/$name.csv" \
        >"$work/$name-import.out" 2>&1 || { cat "$work/$name-import.out"; tail -n 20 "$work/$name-server.log"; return 1; }
    cat "$work/$name-import.out"
    rows=$(sed -n 's/^RESULT rows_per_second=\([0-9]*\).*/\1/p' "$work/$name-import.out")
    echo "RESULT $name import_rows_per_second=$rows api_products_per_second=$api api_rows_per_second=$(awk "BEGIN { printf \"%.0f\", $api * 3 }") ratio=$(awk "BEGIN { printf \"%.1f\", $rows / ($api * 3) }") peak_rss_mib=$(peak_rss)" | tee -a "$work/summary"
    stop_servers
}

build_release
: >"$work/summary"
failed=0
for_each_backend run_backend || failed=1
if [[ " $backends " == *" sqlite "* ]]; then
    echo
    echo "== memory: the same import with a file ten times smaller (SQLite)"
    small=$((products / 10))
    key=$("$torso" keys create --database "sqlite://$work/small.sqlite" --name small --scopes all)
    start_server "sqlite://$work/small.sqlite" "$work/small-server.log" --imports-dir "$work/imports"
    "$bench" import --url "http://127.0.0.1:$port" --key "$key" --products "$small" --file "$work/small.csv" >"$work/small.out" 2>&1 \
        || { cat "$work/small.out"; failed=1; }
    echo "RESULT small products=$small peak_rss_mib=$(peak_rss)" | tee -a "$work/summary"
    stop_servers
fi
echo
echo "== summary"
cat "$work/summary"
exit "$failed"
