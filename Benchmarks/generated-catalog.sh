# Shared by the benchmarks on a generated catalog (storefront.sh, back-office.sh): the database
# file for PRODUCTS products in /tmp (kept with KEEP_DB=1, generated when missing), a work
# directory, the server's cleanup on exit, and the torso binary (TORSO_BIN, or a release build).
# Source it after `cd` to the repository root with $products set; it sets $db, $work and $torso
# and stops $server (when set) on exit.
# shellcheck shell=bash

db=/tmp/torso-bench-storefront-$products.sqlite
work=$(mktemp -d)
server=""
cleanup() {
    [ -n "$server" ] && kill "$server" 2>/dev/null || true
    [ -n "$server" ] && wait "$server" 2>/dev/null || true
    rm -rf "$work"
    [ "${KEEP_DB:-0}" = 1 ] || rm -f "$db" "$db-wal" "$db-shm"
}
trap cleanup EXIT

if [ -n "${TORSO_BIN:-}" ]; then
    torso=$TORSO_BIN          # compare builds: TORSO_BIN=/path/to/torso
else
    echo "== release build"
    swift build -c release --product torso 2>&1 | grep -E "error|Compiling torso|Build" || true
    torso=.build/release/torso
fi

if [ ! -f "$db" ]; then
    echo "== generating $products products (3 variants each, 2 locales, 4 channels)"
    /usr/bin/time -f "generated in %e s, peak RSS %M KB" "$torso" demo --products "$products" --database "sqlite://$db" 2>&1 | tail -n 2
fi
