#!/bin/sh
# bench/checkin-durability-1m.sh [OUTDIR], from the repository root after the packaging and bench build.
# 1 M seeded devices on SQLite; the same server jar with lazy check-in commits and without (no boot id: all durable), in turn.
set -u
root=${CKB_ROOT:-/tmp/ckb}/m1; out=${1:-/tmp/ckb/m1-out}; rm -rf "$root" "$out"; mkdir -p "$root" "$out"; chmod 700 "$root"
printf '{"revealLimits":"1000000/minute","registrationLimits":"1000000/minute"}\n' > "$root/config.json"
log() { printf '%s  %s | %s\n' "$(date -u +%H:%M:%S)" "$*" "$(uptime)" | tee -a "$out/steps.log"; }
start() { # start MODE
  opt=""; [ "$1" = durable ] && opt="-Dcastellan.db.bootIdFile=/nonexistent"
  java -Xmx2g $opt -jar packaging/target/castellan-server.jar serve --data "$root/a" --listen 127.0.0.1:0 --config "$root/config.json" > "$root/out" 2> "$root/log" &
  pid=$!
  until grep -q 'listening on' "$root/out" 2>/dev/null; do kill -0 $pid || exit 1; sleep 0.5; done
  url=$(sed -n 's/.*listening on \(https:[^ ]*\).*/\1/p' "$root/out" | head -1)
  fp=$(sed -n 's/.*fingerprint: \([0-9a-f]\{64\}\).*/\1/p' "$root/out" | head -1)
}
stop() { kill $pid; while kill -0 $pid 2>/dev/null; do sleep 0.5; done; }
log "first start"; start lazy; stop
log "seed"; java -Xmx2g -jar bench/target/fleet-simulator.jar seed --data "$root/a" --devices 1000000 --history 1 --audit register --real-every 100 --batch 5000 > "$out/seed.txt" 2>&1
log "seeded"
mix="check-in=92,rotation=4,reveal=1,audit=1,list-first=0.5,list-deep=0.5,scoped-first=0.5,scoped-deep=0.5"
for round in 1 2; do
  for mode in durable lazy; do
    log "round $round $mode"; start $mode
    common="--server $url --fingerprint $fp --token-file $root/a/initial-admin-token --fleet $root/a/fleet-simulator.json --watch server=$pid"
    java -Xmx1g -jar bench/target/fleet-simulator.jar load $common --rate 280 --threads 64 --seconds 30 --warmup 10 --mix "$mix" \
      --connections keep-alive --ceiling-seconds 0 --thread-dumps $pid --label "$mode-$round-open280" --output "$out/$mode-$round-open280.json" > "$out/$mode-$round-open280.txt" 2>&1
    java -Xmx1g -jar bench/target/fleet-simulator.jar load $common --closed --threads 16 --seconds 15 --warmup 5 --mix check-in=1 \
      --connections keep-alive --ceiling-seconds 8 --label "$mode-$round-closed" --output "$out/$mode-$round-closed.json" > "$out/$mode-$round-closed.txt" 2>&1
    stop
    grep "writes in" "$root/log" | tail -1 >> "$out/$mode-$round-closed.txt"
  done
done
log "done"; du -sh "$root"; rm -rf "$root"
