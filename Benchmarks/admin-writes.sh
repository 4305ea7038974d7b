#!/usr/bin/env bash
# The admin-write benchmark: products with 3 variants created through the admin API by
# concurrent clients, on SQLite and then on PostgreSQL. See Benchmarks/README.md.
#
#   Benchmarks/admin-writes.sh                    # both backends, 8 clients, 4000 products
#   CLIENTS=8 PRODUCTS=4000 WARMUP=200 Benchmarks/admin-writes.sh
#   BACKENDS=sqlite Benchmarks/admin-writes.sh    # only one backend (sqlite or postgres)
#   TORSO_BENCH_POSTGRES=postgres://postgres@127.0.0.1:55432/postgres Benchmarks/admin-writes.sh
#
# PostgreSQL: with $TORSO_BENCH_POSTGRES, a fresh database is created on that server and
# dropped afterwards; without it, a throwaway server is started on port $BENCH_PG_PORT
# (55433) with scripts/postgres.sh and stopped afterwards. Everything started here is
# stopped on exit, failure or Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
clients=${CLIENTS:-8}
products=${PRODUCTS:-4000}
warmup=${WARMUP:-200}
backends=${BACKENDS:-"sqlite postgres"}
pg_port=55433
# shellcheck source=Benchmarks/lib.sh
source Benchmarks/lib.sh

# Runs the benchmark against one database URL; prints the benchmark's report.
run_backend() {
    local name=$1 database=$2 key
    echo
    echo "== $name: $database"
    # Functions called from `||` run without `set -e`: check each step.
    key=$("$torso" keys create --database "$database" --name "bench $name" --scopes all) || return 1
    start_server "$database" "$work/$name-server.log" || return 1
    run_bench "$name" "$bench" admin-writes --url "http://127.0.0.1:$port" --key "$key" \
        --clients "$clients" --products "$products" --warmup "$warmup"
}

build_release
failed=0
for_each_backend run_backend || failed=1

echo
echo "== admin writes: products with 3 variants, $clients clients, $products products after $warmup warm-up"
while read -r name fields; do
    printf '%-9s %8s products/s   p50 %s ms   p90 %s ms   p99 %s ms   errors %s\n' "$name" \
        "$(result_field products_per_second "$fields")" "$(result_field p50_ms "$fields")" "$(result_field p90_ms "$fields")" \
        "$(result_field p99_ms "$fields")" "$(result_field errors "$fields")"
done <"$work/summary"
exit "$failed"
