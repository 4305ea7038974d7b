#!/usr/bin/env bash
# The live-feed benchmark: publish-to-feed latency with many connected heads. A generated
# catalog on SQLite; CLIENTS live-feed connections to /store/v1/events (channel web); then a
# product of web is unpublished and published CHANGES times, INTERVAL_MS apart, through the
# admin API. Reports p50/p99 from sending each admin request to each client reading its event.
#
#   Benchmarks/feed.sh                                  # 1000 clients, 100 changes, 200 ms apart
#   CLIENTS=1000 CHANGES=200 INTERVAL_MS=50 Benchmarks/feed.sh     # a heavier publishing rate
#
# The open-files limit must allow the connections on both ends (the script raises it).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=Benchmarks/lib.sh
source Benchmarks/lib.sh

clients=${CLIENTS:-1000}
changes=${CHANGES:-100}
interval=${INTERVAL_MS:-200}
catalog=${CATALOG:-200}
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

build_release
database="sqlite://$work/feed.sqlite"
"$torso" demo --database "$database" --products "$catalog" >"$work/demo.log" 2>&1 || { cat "$work/demo.log" >&2; exit 1; }
tail -n 1 "$work/demo.log"
key=$("$torso" keys create --database "$database" --name "bench feed" --scopes all)
publishable=$("$torso" keys create-publishable --database "$database" --channel web --name "bench feed")
start_server "$database" "$work/server.log"
echo "== feed: $clients clients, $changes changes, $interval ms apart"
"$bench" feed --url "http://127.0.0.1:$port" --key "$key" --publishable-key "$publishable" \
    --clients "$clients" --changes "$changes" --interval-ms "$interval" &
wait $! || { echo "!! the benchmark failed; server log tail:" >&2; tail -n 20 "$work/server.log" >&2; exit 1; }
