#!/usr/bin/env bash
# Ingress A/B: IngressLoad against two builds of ccbridge in turn, in the prod profile on this
# machine's RabbitMQ, Redis and PostgreSQL, so that a change is measured beside the build before it
# under the same conditions. Each round starts each jar fresh, warms it with one untimed run, purges
# the ingress queues, then measures one run while reading CPU per process from /proc.
#
#   bench/ab-ingress.sh OLD.jar NEW.jar [rounds=2] [concurrency=96] [seconds=30]
#
# Prints one line per measured run: build, events/s, p99, errors by status (503s), and CPU ms per request for ccbridge,
# RabbitMQ, Redis, PostgreSQL (all its processes: the event fate journal writes there) and the
# generator. Needs rabbitmqctl on the PATH for the purge, and psql to delete the runs' fate rows.
set -euo pipefail
old=$1 new=$2 rounds=${3:-2} concurrency=${4:-96} seconds=${5:-30}
here=$(cd "$(dirname "$0")" && pwd)
secret=whsec_YmVuY2gtc2VjcmV0LWJlbmNoLXNlY3JldA==
admin=bench-admin-token
hz=$(getconf CLK_TCK)

# shellcheck source=bench/common.sh
. "$here/common.sh"

run_one() { # label jar
  local label=$1 jar=$2 out pid rabbit redis pg t0 t1 r0 r1 d0 d1 p0 p1 g
  SPRING_PROFILES_ACTIVE=prod CCBRIDGE_DEMO_SECRET=$secret CCBRIDGE_ADMIN_TOKEN=$admin \
    DATABASE_URL=jdbc:postgresql://127.0.0.1:5432/test java -jar "$jar" >"/tmp/ab-ingress-$label.log" 2>&1 &
  pid=$!
  wait_ready "/tmp/ab-ingress-$label.log"
  java "$here/IngressLoad.java" --duration 40 --warmup 5 --concurrency "$concurrency" \
    --admin-token $admin --secret $secret >/dev/null || true   # warm-up: its figures do not count
  for q in ccbridge.voice.interactions ccbridge.digital.interactions; do
    rabbitmqctl -q purge_queue "$q" >/dev/null 2>&1 || true
  done
  rabbit=$(pgrep -f beam.smp | head -1) redis=$(pgrep -x redis-server | head -1)
  out=$(mktemp)
  java "$here/IngressLoad.java" --duration "$seconds" --warmup 5 --concurrency "$concurrency" \
    --admin-token $admin --secret $secret >"$out" &
  g=$!
  sleep 6
  pg=$(pgrep -x postgres | tr '\n' ' ')
  # shellcheck disable=SC2086
  t0=$(cpu_ticks $pid) r0=$(cpu_ticks "$rabbit") d0=$(cpu_ticks "$redis") p0=$(cpu_ticks $pg)
  local started=$(date +%s%N)
  sleep $((seconds - 2))
  # shellcheck disable=SC2086
  t1=$(cpu_ticks $pid) r1=$(cpu_ticks "$rabbit") d1=$(cpu_ticks "$redis") p1=$(cpu_ticks $pg)
  local elapsed=$(( ($(date +%s%N) - started) / 1000000 ))
  wait $g || true
  kill $pid; wait $pid 2>/dev/null || true
  local requests eps p99 gen recon
  requests=$(awk -F': ' '/^requests \(measured\)/{print $2}' "$out")
  eps=$(awk -F': ' '/^accepted events\/s/{print $2}' "$out")
  p99=$(sed -n 's/.*p99 \([0-9.]*\).*/\1/p' "$out")
  gen=$(sed -n 's/generator CPU: \([0-9.]*\) cores.*/\1/p' "$out")
  recon=$(sed -n 's/.*-> \(.*\)$/\1/p' "$out")
  errors=$(sed -n 's/^errors by status: \(.*\), connection errors.*/\1/p' "$out")
  # requests per ms of the sampled window, from the measured rate
  awk -v label="$label" -v eps="$eps" -v p99="$p99" -v req="$requests" -v secs="$seconds" \
      -v t="$((t1 - t0))" -v r="$((r1 - r0))" -v d="$((d1 - d0))" -v p="$((p1 - p0))" -v hz="$hz" -v ms="$elapsed" -v gen="$gen" \
      -v recon="$recon" -v errors="$errors" 'BEGIN {
        rate = req / secs; n = rate * ms / 1000;
        printf "%-4s events/s %6d  p99 %6.1f ms  errors %s  CPU ms/request: ccbridge %.3f  rabbitmq %.3f  redis %.3f  postgres %.3f  generator %.3f  (%s)\n",
          label, eps, p99, errors, t * 1000 / hz / n, r * 1000 / hz / n, d * 1000 / hz / n, p * 1000 / hz / n, gen * 1000 / rate, recon }'
  rm -f "$out"
  # the runs' fate rows (a build with the journal writes one per accepted event)
  psql -h 127.0.0.1 -U postgres -d test -q -c "DELETE FROM ccbridge_event_fate WHERE event_id LIKE 'bench\_%'" \
    >/dev/null 2>&1 || true
}

for round in $(seq 1 "$rounds"); do
  run_one old "$old"
  run_one new "$new"
done
