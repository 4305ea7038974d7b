#!/usr/bin/env bash
# The webhook benchmark: how fast `torso serve` delivers webhooks to a local receiver, on SQLite
# and then on PostgreSQL. See Benchmarks/README.md ("Webhooks").
#
#   Benchmarks/webhooks.sh                        # both backends, 5000 queued + 2000 live events
#   EVENTS=5000 LIVE_EVENTS=2000 CLIENTS=8 Benchmarks/webhooks.sh
#   BACKENDS=sqlite Benchmarks/webhooks.sh        # only one backend (sqlite or postgres)
#   TORSO_BENCH_POSTGRES=postgres://postgres@127.0.0.1:55432/postgres Benchmarks/webhooks.sh
#
# Each backend gets a fresh database and a key with every scope; `torso serve` runs with
# --allow-private-webhooks (the receiver is on 127.0.0.1) and --webhook-retry-base 600 (so
# the closed receiver's first failure pauses the webhook while the backlog is built).
# `torso-bench webhooks` runs the receiver, makes the events (product PATCHes through the
# admin API) and measures. PostgreSQL: with $TORSO_BENCH_POSTGRES, a fresh database is
# created on that server and dropped afterwards; without it, a throwaway server is started on
# port $BENCH_PG_PORT (55434) with scripts/postgres.sh and stopped afterwards. Everything
# started here is stopped on exit, failure or Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
clients=${CLIENTS:-8}
events=${EVENTS:-5000}
live_events=${LIVE_EVENTS:-2000}
backends=${BACKENDS:-"sqlite postgres"}
pg_port=55434
# shellcheck source=Benchmarks/lib.sh
source Benchmarks/lib.sh

# Runs the benchmark against one database URL; prints the benchmark's report.
run_backend() {
    local name=$1 database=$2 key
    echo
    echo "== $name: $database"
    # Functions called from `||` run without `set -e`: check each step. (`keys create` migrates.)
    key=$("$torso" keys create --database "$database" --name "bench $name" --scopes all) || return 1
    start_server "$database" "$work/$name-server.log" --allow-private-webhooks --webhook-retry-base 600 || return 1
    run_bench "$name" "$bench" webhooks --url "http://127.0.0.1:$port" --key "$key" --clients "$clients" \
        --events "$events" --live-events "$live_events"
}

build_release
failed=0
for_each_backend run_backend || failed=1

echo
echo "== webhooks: $events queued deliveries drained, then $live_events live events; $clients clients making events"
while read -r name fields; do
    printf '%-9s %8s deliveries/s (drain)   live: %s events/s made, lag p50 %s ms  p90 %s ms  p99 %s ms   repeats %s\n' "$name" \
        "$(result_field deliveries_per_second "$fields")" "$(result_field live_events_per_second "$fields")" \
        "$(result_field lag_p50_ms "$fields")" "$(result_field lag_p90_ms "$fields")" "$(result_field lag_p99_ms "$fields")" \
        "$(result_field repeats "$fields")"
done <"$work/summary"
exit "$failed"
