#!/usr/bin/env bash
# The server's CPU time per request (user + system, from /proc), for a product detail, /health and
# a searched listing on the demo catalog: steadier than requests per second on a shared machine,
# since another process's load changes the rate more than the work per request.
#
#   Benchmarks/cpu-per-request.sh TORSO_BINARY [PORT]     (needs wrk)
set -euo pipefail
bin=$1; port=${2:-18110}
$bin serve --demo --port $port --database sqlite::memory: --log-level warning > /tmp/cpuper-$port.log 2>&1 &
pid=$!
until curl -sf http://127.0.0.1:$port/health >/dev/null; do sleep 0.1; done
sk=$(grep -oE "sk_[A-Za-z0-9]+" /tmp/cpuper-$port.log | head -1)
pk=$(curl -s -H "Authorization: Bearer $sk" -X POST http://127.0.0.1:$port/admin/v1/keys -d '{"name":"b","kind":"publishable","channel":"web"}' | python3 -c "import json,sys; print(json.load(sys.stdin)['secret'])")
url="http://127.0.0.1:$port/store/v1/products/classic-tee-1"
cat > /tmp/hdr-$port.lua <<LUA
wrk.headers["Authorization"] = "Bearer $pk"
LUA
wrk -t2 -c64 -d3s -s /tmp/hdr-$port.lua $url > /dev/null
for path in "/store/v1/products/classic-tee-1" "/health" "/store/v1/products?q=tee&sort=price&limit=20"; do
  t0=$(awk '{print $14+$15}' /proc/$pid/stat)
  out=$(wrk -t2 -c64 -d8s -s /tmp/hdr-$port.lua "http://127.0.0.1:$port$path")
  t1=$(awk '{print $14+$15}' /proc/$pid/stat)
  req=$(echo "$out" | awk '/requests in/ {print $1}')
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  python3 -c "import sys; t=($t1-$t0)/100.0; print('%-50s %8s req/s  %6.2f us CPU/request' % ('$path', '$rps', t/int('$req')*1e6))"
done
kill $pid; wait $pid 2>/dev/null || true
