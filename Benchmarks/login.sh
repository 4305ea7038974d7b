#!/usr/bin/env bash
# The login-flood benchmark: a script sends RATE login attempts a second against one account
# from one address for SECONDS, while READERS clients read the storefront; the server runs with
# its standard rate limits. Reports how many attempts reached a password check, and the
# storefront's latency alone and under the flood, measured in the same run. Then, on a server
# without rate limits, compares registration answers and times for new and taken e-mails.
#
#   Benchmarks/login.sh                           # 1,000 attempts/s for 10 s, 8 readers
#   RATE=1000 SECONDS_PER_PHASE=10 READERS=8 Benchmarks/login.sh
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=Benchmarks/lib.sh
source Benchmarks/lib.sh

rate=${RATE:-1000}
phase=${SECONDS_PER_PHASE:-10}
readers=${READERS:-8}

build_release
database="sqlite://$work/login.sqlite"
"$torso" demo --database "$database" >"$work/demo.log" 2>&1 || { cat "$work/demo.log" >&2; exit 1; }
publishable=$("$torso" keys create-publishable --database "$database" --channel web --name "bench login")

echo "== login flood: $rate attempts/s against one account for ${phase}s, $readers storefront readers; standard rate limits"
RATE_LIMITED=1 start_server "$database" "$work/limited.log"
"$bench" login-flood --url "http://127.0.0.1:$port" --publishable-key "$publishable" --rate "$rate" --seconds "$phase" --readers "$readers" &
wait $! || { echo "!! the benchmark failed; server log tail:" >&2; tail -n 20 "$work/limited.log" >&2; exit 1; }
stop_servers

echo
echo "== registration: new and taken e-mails, no rate limits"
start_server "$database" "$work/open.log"
"$bench" registration-timing --url "http://127.0.0.1:$port" --publishable-key "$publishable" &
wait $! || { echo "!! the benchmark failed; server log tail:" >&2; tail -n 20 "$work/open.log" >&2; exit 1; }
