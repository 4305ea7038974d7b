#!/usr/bin/env bash
# The checkout benchmark: full storefront checkouts (create a cart, add two lines, set email,
# address and shipping method, complete with the test payment provider) by concurrent
# clients, on SQLite and then on PostgreSQL. See Benchmarks/README.md.
#
#   Benchmarks/checkout.sh                        # both backends, 8 clients, 3000 orders
#   CLIENTS=8 ORDERS=3000 WARMUP=200 Benchmarks/checkout.sh
#   BACKENDS=sqlite Benchmarks/checkout.sh        # only one backend (sqlite or postgres)
#   TORSO_BENCH_POSTGRES=postgres://postgres@127.0.0.1:55432/postgres Benchmarks/checkout.sh
#
# Each backend gets a fresh database with a generated catalog (`torso demo --products
# $CATALOG`, 200 by default), a secret key and a publishable key of the `web` channel.
# PostgreSQL: with $TORSO_BENCH_POSTGRES, a fresh database is created on that server and
# dropped afterwards; without it, a throwaway server is started on port $BENCH_PG_PORT
# (55433) with scripts/postgres.sh and stopped afterwards. Everything started here is
# stopped on exit, failure or Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
clients=${CLIENTS:-8}
orders=${ORDERS:-3000}
warmup=${WARMUP:-200}
catalog=${CATALOG:-200}
backends=${BACKENDS:-"sqlite postgres"}
pg_port=55433
# shellcheck source=Benchmarks/lib.sh
source Benchmarks/lib.sh

# Runs the benchmark against one database URL; prints the benchmark's report.
run_backend() {
    local name=$1 database=$2 key publishable
    echo
    echo "== $name: $database"
    # Functions called from `||` run without `set -e`: check each step.
    "$torso" demo --database "$database" --products "$catalog" >"$work/$name-demo.log" 2>&1 \
        || { cat "$work/$name-demo.log" >&2; return 1; }
    tail -n 1 "$work/$name-demo.log"
    key=$("$torso" keys create --database "$database" --name "bench $name" --scopes all) || return 1
    publishable=$("$torso" keys create-publishable --database "$database" --channel web --name "bench $name") || return 1
    start_server "$database" "$work/$name-server.log" || return 1
    run_bench "$name" "$bench" checkout --url "http://127.0.0.1:$port" --key "$key" --publishable-key "$publishable" \
        --clients "$clients" --orders "$orders" --warmup "$warmup"
}

build_release
failed=0
for_each_backend run_backend || failed=1

echo
echo "== checkout: create cart, 2 lines, address and shipping, complete; $clients clients, $orders orders after $warmup warm-up"
while read -r name fields; do
    printf '%-9s %8s orders/s   order p50 %s ms  p99 %s ms   complete p50 %s ms  p99 %s ms   errors %s\n' "$name" \
        "$(result_field orders_per_second "$fields")" "$(result_field p50_ms "$fields")" "$(result_field p99_ms "$fields")" \
        "$(result_field complete_p50_ms "$fields")" "$(result_field complete_p99_ms "$fields")" "$(result_field errors "$fields")"
done <"$work/summary"
exit "$failed"
