#!/usr/bin/env bash
# Record-sync A/B: SyncLoad's backlog drain against two builds of ccbridge in turn, in the prod
# profile on this machine's RabbitMQ, Redis and PostgreSQL, with the fake Salesforce answering
# every call after 20 ms. For each build and round: post a backlog with sync switched off, then
# start the build with sync on and measure the drain, reading CPU per process from /proc between
# the moment the service is ready and the last record's write.
#
#   bench/ab-sync.sh OLD_CHECKOUT NEW_CHECKOUT [rounds=2] [records=10000] [consumers=32] [extra ccbridge args...]
#
# OLD_ARGS and NEW_ARGS add ccbridge arguments for one build only (say, its own consumer count
# when the two builds consume differently).
#
# Each checkout must have been built (mvn -q package -DskipTests); its jar runs from the checkout,
# so that it loads the routes/ folder it was built with.
#
# Prints per run: records/s (20-80 % of all records, warm-up included), the reconciliation, and
# CPU ms per record after the warm-up for ccbridge, RabbitMQ, Redis, PostgreSQL (all its
# processes) and the fake.
set -euo pipefail
old=$1 new=$2 rounds=${3:-2} records=${4:-10000} consumers=${5:-32}
shift $(( $# < 5 ? $# : 5 ))
extra=("$@")
JAVA_EXTRA=${JAVA_EXTRA:-}   # e.g. an -agentpath for a profiler
# CPU is sampled from the moment the fake has seen WARMUP records (default a third of them): the
# first seconds of a fresh JVM are mostly its JIT compiler, not the sync path
WARMUP=${WARMUP:-$((records / 3))}
here=$(cd "$(dirname "$0")" && pwd)
secret=whsec_YmVuY2gtc2VjcmV0LWJlbmNoLXNlY3JldA==
hz=$(getconf CLK_TCK)
fake=http://127.0.0.1:18090

# shellcheck source=bench/common.sh
. "$here/common.sh"

start_ccbridge() { # log checkout args...
  local log=$1 dir=$2 config
  shift 2
  config=$(java "$here/SyncLoad.java" --print-config)
  (cd "$dir" && SPRING_PROFILES_ACTIVE=prod CCBRIDGE_DEMO_SECRET=$secret \
    DATABASE_URL=jdbc:postgresql://127.0.0.1:5432/test \
    exec java $JAVA_EXTRA -jar target/ccbridge-0.1.0-SNAPSHOT.jar $config "$@") >"$log" 2>&1 &
  echo $!
}

run_one() { # label jar [build's own args...]
  local label=$1 jar=$2 run pid loader out
  shift 2
  local own=("$@") count=(--ccbridge.sync.consumers="$consumers") arg
  for arg in "${own[@]}"; do # a build's own consumer count replaces the common one
    [[ $arg == --ccbridge.sync.consumers=* ]] && count=()
  done
  run="ab$label$RANDOM"
  pid=$(start_ccbridge "/tmp/ab-sync-$label-post.log" "$jar" --ccbridge.sync.enabled=false)
  wait_ready
  java "$here/SyncLoad.java" --secret $secret --records "$records" --mode post --run "$run" | sed "s/^/$label  /"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  # fresh statistics for the state table, as autovacuum keeps them where it runs (it is off on the
  # developers' machine): without any, PostgreSQL reads a 200-key IN list by scanning every row
  psql -h 127.0.0.1 -U postgres -d test -qc "ANALYZE ccbridge_sync_records" 2>/dev/null || true

  out=$(mktemp)
  java -Dsun.net.httpserver.nodelay=true "$here/SyncLoad.java" --records "$records" --mode drain --run "$run" >"$out" &
  loader=$!
  sleep 2
  pid=$(start_ccbridge "/tmp/ab-sync-$label-drain.log" "$jar" --ccbridge.sync.enabled=true \
    "${count[@]}" "${extra[@]}" "${own[@]}")
  wait_ready
  local rabbit redis postgres fakepid w0 w1 t0 r0 d0 p0 f0 t1 r1 d1 p1 f1
  rabbit=$(pgrep -f beam.smp | head -1) redis=$(pgrep -x redis-server | head -1)
  postgres=$(pgrep -x postgres | tr '\n' ' ')
  fakepid=$(pgrep -f "SyncLoad.java --records" | head -1)
  while true; do
    w0=$(curl -sf $fake/bench/written || echo 0)
    [ "$w0" -ge "$WARMUP" ] && break
    sleep 0.1
  done
  t0=$(cpu_ticks "$pid") r0=$(cpu_ticks "$rabbit") d0=$(cpu_ticks "$redis") p0=$(cpu_ticks $postgres) f0=$(cpu_ticks "$fakepid")
  while true; do
    w1=$(curl -sf $fake/bench/written || echo "$records")
    [ "$w1" -ge "$records" ] && break
    sleep 0.2
  done
  t1=$(cpu_ticks "$pid") r1=$(cpu_ticks "$rabbit") d1=$(cpu_ticks "$redis") p1=$(cpu_ticks $postgres) f1=$(cpu_ticks "$fakepid")
  wait "$loader" || true
  # the changes that left the batch stages, by reason (builds with the batched lane)
  curl -sf localhost:8080/actuator/prometheus | grep '^ccbridge_sync_batch_alone_total' | sed "s/^/$label  /" || true
  kill "$pid"; wait "$pid" 2>/dev/null || true
  local rate recon
  rate=$(sed -n 's/^applied: \([0-9]*\) records\/s between.*/\1/p' "$out")
  recon=$(grep -E "reconciled" "$out" | head -1)
  grep -E "^fake CRM:" "$out" | sed "s/^/$label  /" || true
  awk -v label="$label" -v rate="$rate" -v n="$((w1 - w0))" -v t="$((t1 - t0))" -v r="$((r1 - r0))" \
      -v d="$((d1 - d0))" -v p="$((p1 - p0))" -v f="$((f1 - f0))" -v hz="$hz" -v recon="$recon" 'BEGIN {
        ms = 1000 / hz / n;
        printf "%-4s records/s %5d  CPU ms/record: ccbridge %.2f  rabbitmq %.2f  redis %.2f  postgres %.2f  fake %.2f  total %.2f  (%d records sampled; %s)\n",
          label, rate, t * ms, r * ms, d * ms, p * ms, f * ms, (t + r + d + p + f) * ms, n, recon }'
  rm -f "$out"
}

for round in $(seq 1 "$rounds"); do
  # shellcheck disable=SC2086 # the per-build arguments are meant to be split into words
  [ "${ONLY:-}" = new ] || run_one old "$old" ${OLD_ARGS:-}   # ONLY=old or ONLY=new measures one build
  # shellcheck disable=SC2086
  [ "${ONLY:-}" = old ] || run_one new "$new" ${NEW_ARGS:-}
done
