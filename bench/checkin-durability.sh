#!/bin/sh
# bench/checkin-durability.sh lazy|durable OUT  (from the repository root, after `mvn -B -o -q -pl packaging,bench -am package -DskipTests`)
# 500 devices registered over HTTPS, a closed loop of kept-alive check-ins, then the /healthz ceiling.
# durable = the same jar with -Dcastellan.db.bootIdFile=/nonexistent: no boot id, so every commit is FULL (as before lazy commits).
# EXTRA_OPTS adds JVM options to the server (e.g. a JFR recording); CEIL the ceiling phases' seconds (8).
set -eu
mode=$1; out=$2
root=${CKB_ROOT:-/tmp/ckb}/$mode; rm -rf "$root"; mkdir -p "$root"; chmod 700 "$root"
printf '{"revealLimits":"1000000/minute","registrationLimits":"1000000/minute"}\n' > "$root/config.json"
opt="${EXTRA_OPTS:-}"; [ "$mode" = durable ] && opt="$opt -Dcastellan.db.bootIdFile=/nonexistent"
java -Xmx1g $opt -jar packaging/target/castellan-server.jar serve --data "$root/d" --listen 127.0.0.1:0 --config "$root/config.json" > "$root/out" 2> "$root/log" &
pid=$!
until grep -q 'listening on' "$root/out" 2>/dev/null; do sleep 0.3; done
url=$(sed -n 's/.*listening on \(https:[^ ]*\).*/\1/p' "$root/out" | head -1)
fp=$(sed -n 's/.*fingerprint: \([0-9a-f]\{64\}\).*/\1/p' "$root/out" | head -1)
java -Xmx1g -jar bench/target/fleet-simulator.jar load --server "$url" --fingerprint "$fp" --token-file "$root/d/initial-admin-token" \
  --register 500 --closed --threads 16 --seconds 15 --warmup 5 --mix check-in=1 --connections keep-alive \
  --ceiling-seconds ${CEIL:-8} --label "$mode" --watch server=$pid --output "$out.json" > "$out.txt" 2>&1 || echo "load exit $?" >> "$out.txt"
kill $pid; wait $pid 2>/dev/null || true
grep -i "batch\|writes in" "$root/log" | tail -2 >> "$out.txt" || true
