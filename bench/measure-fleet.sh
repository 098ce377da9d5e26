#!/bin/sh
# The measurements behind docs/performance.md "The fleet simulator at a million devices" (issue 11):
#   bench/measure-fleet.sh sqlite|postgresql DEVICES HISTORY OUTDIR [AUDIT]
# (AUDIT: the seed's --audit, full by default: registration, each escrow and commit)
# from the repository root, after `mvn -B -o -q -pl packaging,bench -am package -DskipTests`.
# Everything lives under $FLEET_ROOT (default /tmp/fleet-BACKEND), which is deleted at the end
# (FLEET_KEEP=1 keeps it). On postgresql a throwaway cluster is made there by initdb, durable
# (fsync on, synchronous_commit on: what an operator runs), on port $FLEET_PG_PORT (55432), and two
# server nodes share it for the scale-out figure. Knobs: FLEET_SECONDS (60: each load phase),
# FLEET_RATE (280), FLEET_THREADS (16, closed loops).
set -eu
backend=$1; devices=$2; history=$3; out=$4; audit=${5:-full}
root=${FLEET_ROOT:-/tmp/fleet-$backend}
seconds=${FLEET_SECONDS:-60}
rate=${FLEET_RATE:-280}
threads=${FLEET_THREADS:-16}
port=${FLEET_PG_PORT:-55432}
jar=packaging/target/castellan-server.jar
sim=bench/fleet-simulator
mkdir -p "$out"
rm -rf "$root"; mkdir -p "$root"; chmod 700 "$root"
printf '{"revealLimits":"1000000/minute","registrationLimits":"1000000/minute"}\n' > "$root/config.json"
log() { printf '%s  %s | %s\n' "$(date -u +%H:%M:%S)" "$*" "$(uptime)" | tee -a "$out/steps.log"; }

dbargs=""
pg() { runuser -u postgres -- "/usr/lib/postgresql/15/bin/$@"; }
if [ "$backend" = postgresql ]; then
  chmod 711 "$root"; mkdir -p "$root/pg"; chown postgres: "$root/pg"
  head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$root/pgpass"; chmod 600 "$root/pgpass"
  cp "$root/pgpass" "$root/pg/pwfile"; chown postgres: "$root/pg/pwfile"
  pg initdb -D "$root/pg/data" -U castellan --pwfile="$root/pg/pwfile" -A scram-sha-256 -E UTF8 --locale=C >/dev/null
  pg pg_ctl -D "$root/pg/data" -l "$root/pg/log" -o "-p $port -k $root/pg -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=512MB" -w start >/dev/null
  PGPASSWORD=$(cat "$root/pgpass") psql -X -q -h 127.0.0.1 -p "$port" -U castellan -d postgres -c "CREATE DATABASE castellan"
  dbargs="--database postgresql://127.0.0.1:$port/castellan?user=castellan --database-password-file $root/pgpass"
fi
cleanup() {
  for f in "$root"/*.pid; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null || true; done
  [ "$backend" = postgresql ] && pg pg_ctl -D "$root/pg/data" -m fast stop >/dev/null 2>&1 || true
  [ "${FLEET_KEEP:-0}" = 1 ] || rm -rf "$root"
}
trap cleanup EXIT

# start NAME: a server node on DIR $root/NAME, its URL and fingerprint in $root/NAME.url / .fp
start() {
  java -Xmx2g -jar "$jar" serve --data "$root/$1" --listen 127.0.0.1:0 --config "$root/config.json" $dbargs \
    > "$root/$1.out" 2> "$root/$1.log" &
  echo $! > "$root/$1.pid"
  i=0
  until grep -q 'listening on' "$root/$1.out" 2>/dev/null; do
    i=$((i+1)); [ $i -lt 1200 ] || { echo "server $1 did not start"; cat "$root/$1.log"; exit 1; }
    kill -0 "$(cat "$root/$1.pid")" || { echo "server $1 exited"; cat "$root/$1.log"; exit 1; }
    sleep 0.5
  done
  sed -n 's/.*listening on \(https:[^ ]*\).*/\1/p' "$root/$1.out" | head -1 > "$root/$1.url"
  sed -n 's/.*fingerprint: \([0-9a-f]\{64\}\).*/\1/p' "$root/$1.out" | head -1 > "$root/$1.fp"
}
stop() { kill "$(cat "$root/$1.pid")"; while kill -0 "$(cat "$root/$1.pid")" 2>/dev/null; do sleep 0.5; done; rm -f "$root/$1.pid"; }
tables() {
  if [ "$backend" = postgresql ]; then
    PGPASSWORD=$(cat "$root/pgpass") psql -X -q -A -t -F ' ' -h 127.0.0.1 -p "$port" -U castellan -d castellan -c \
      "SELECT relname, pg_total_relation_size(c.oid) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY 2 DESC"
  else
    sqlite3 "$root/a/castellan.db" "SELECT m.tbl_name, SUM(d.pgsize) FROM dbstat d JOIN sqlite_master m ON m.name = d.name GROUP BY m.tbl_name ORDER BY 2 DESC"
  fi
}
size() {
  if [ "$backend" = postgresql ]; then
    PGPASSWORD=$(cat "$root/pgpass") psql -X -q -A -t -h 127.0.0.1 -p "$port" -U castellan -d castellan -c "SELECT pg_database_size('castellan')"
  else
    du -cb "$root/a/castellan.db"* | tail -1 | cut -f1
  fi
}

log "first start (schema, vault, anchor)"; start a; stop a
log "empty database: $(size) bytes"; size > "$out/size-empty.txt"
log "seed $devices devices, history $history"
$sim seed --data "$root/a" $dbargs --devices "$devices" --history "$history" --audit "$audit" --real-every 100 --batch 5000 > "$out/seed.txt"
cat "$out/seed.txt"
size > "$out/size-seeded.txt"; tables > "$out/tables-seeded.txt"; log "seeded database: $(cat "$out/size-seeded.txt") bytes"
log "start on the seeded database"; start a
url=$(cat "$root/a.url"); fp=$(cat "$root/a.fp")
spid=$(cat "$root/a.pid")
watch="--watch server=$spid"
[ "$backend" = postgresql ] && watch="$watch,postgres=$(head -1 "$root/pg/data/postmaster.pid")"
common="--ceiling-seconds ${FLEET_CEILING_SECONDS:-10} --server $url --fingerprint $fp --token-file $root/a/initial-admin-token --fleet $root/a/fleet-simulator.json"
mix="check-in=92,rotation=4,reveal=1,audit=1,list-first=0.5,list-deep=0.5,scoped-first=0.5,scoped-deep=0.5"

log "open loop ${rate}/s keep-alive, mixed"
$sim load $common --rate "$rate" --threads 64 --seconds "$seconds" --mix "$mix" --connections keep-alive $watch \
  --warmup 15 --thread-dumps "$spid" --label open-keepalive --output "$out/open-keepalive.json" || true
log "open loop ${rate}/s fresh connections, mixed"
$sim load $common --rate "$rate" --threads 64 --seconds "$seconds" --mix "$mix" --connections fresh $watch \
  --label open-fresh --output "$out/open-fresh.json" || true
if [ -n "${FLEET_RATE2:-}" ]; then
  log "open loop ${FLEET_RATE2}/s keep-alive, mixed (below saturation)"
  $sim load $common --rate "$FLEET_RATE2" --threads 64 --seconds "$seconds" --mix "$mix" --connections keep-alive $watch \
    --label open-keepalive-low --output "$out/open-keepalive-low.json" || true
fi
log "closed loop: check-ins, keep-alive (ratio to /healthz keep-alive)"
$sim load $common --closed --threads "$threads" --seconds 20 --warmup 5 --mix check-in=1 --connections keep-alive $watch \
  --label closed-checkin-keepalive --output "$out/closed-checkin-keepalive.json" || true
log "closed loop: check-ins, fresh (ratio to /healthz Connection: close)"
$sim load $common --closed --threads "$threads" --seconds 20 --warmup 5 --mix check-in=1 --connections fresh $watch \
  --label closed-checkin-fresh --output "$out/closed-checkin-fresh.json" || true
log "closed loop: durable escrows (escrow + commit)"
$sim load $common --closed --threads "$threads" --seconds 20 --warmup 5 --mix rotation=1 --connections keep-alive $watch \
  --label closed-rotation --output "$out/closed-rotation.json" || true

if [ "$backend" = postgresql ]; then
  log "second node on the same database"
  # What an operator copies to a new node: the keys and certificate, not the node's own audit witness nor the token.
  cp -a "$root/a" "$root/b"; rm -f "$root/b/audit/head" "$root/b"/initial-admin-token* "$root/b/fleet-simulator.json"
  start b
  bpid=$(cat "$root/b.pid")
  two="--ceiling-seconds ${FLEET_CEILING_SECONDS:-10} --server $url,$(cat "$root/b.url") --fingerprint $fp --token-file $root/a/initial-admin-token --fleet $root/a/fleet-simulator.json"
  for nodes in one two; do
    if [ $nodes = one ]; then c=$common; w="--watch server-a=$spid,server-b=$bpid,postgres=$(head -1 "$root/pg/data/postmaster.pid")"; else c=$two; fi
    log "closed loop, check-ins + rotations, $nodes node(s)"
    $sim load $c --closed --threads "$threads" --seconds 20 --warmup 10 --mix check-in=80,rotation=20 $w \
      --label "closed-mixed-$nodes-node" --output "$out/closed-mixed-$nodes-node.json" || true
  done
  stop b
fi
stop a
size > "$out/size-after.txt"; tables > "$out/tables-after.txt"; log "after the runs: $(cat "$out/size-after.txt") bytes"
log "done"
