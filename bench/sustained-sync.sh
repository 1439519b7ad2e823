#!/usr/bin/env bash
# Ingress and record sync together: SyncLoad posts signed webhooks at a fixed rate while the same
# ccbridge syncs them to the fake Salesforce (20 ms). Every 10 s it prints the depth of the
# contact-center queues; a rate is sustained when the depth stays flat. At the end it prints CPU
# per record for each process, over the whole paced window.
#
#   bench/sustained-sync.sh CHECKOUT RATE [minutes=5] [consumers=64] [extra ccbridge args...]
#
# Needs rabbitmqctl on the PATH. The checkout must have been built (mvn -q package -DskipTests).
set -euo pipefail
dir=$1 rate=$2 minutes=${3:-5} consumers=${4:-64}
shift $(( $# < 4 ? $# : 4 ))
here=$(cd "$(dirname "$0")" && pwd)
secret=whsec_YmVuY2gtc2VjcmV0LWJlbmNoLXNlY3JldA==
hz=$(getconf CLK_TCK)
records=$((rate * 60 * minutes))

# shellcheck source=bench/common.sh
. "$here/common.sh"

depth() {
  rabbitmqctl -q list_queues name messages 2>/dev/null \
    | awk '/ccbridge.(voice|digital).interactions/ {sum += $2} END {print sum + 0}'
}

config=$(java "$here/SyncLoad.java" --print-config)
(cd "$dir" && SPRING_PROFILES_ACTIVE=prod CCBRIDGE_DEMO_SECRET=$secret \
  DATABASE_URL=jdbc:postgresql://127.0.0.1:5432/test \
  exec java -jar target/ccbridge-0.1.0-SNAPSHOT.jar $config --ccbridge.sync.enabled=true \
  --ccbridge.sync.consumers="$consumers" "$@") >/tmp/sustained-sync.log 2>&1 &
pid=$!
wait_ready /tmp/sustained-sync.log
out=$(mktemp)
java -Dsun.net.httpserver.nodelay=true "$here/SyncLoad.java" --secret $secret --records "$records" \
  --rate "$rate" --senders 64 --mode both --timeout $((minutes * 60 + 600)) >"$out" &
loader=$!
sleep 3
rabbit=$(pgrep -f beam.smp | head -1) redis=$(pgrep -x redis-server | head -1)
postgres=$(pgrep -x postgres | tr '\n' ' ') fake=$(pgrep -f "SyncLoad.java --secret" | head -1)
t0=$(cpu_ticks $pid) r0=$(cpu_ticks $rabbit) d0=$(cpu_ticks $redis) p0=$(cpu_ticks $postgres) f0=$(cpu_ticks $fake)
w0=$(curl -sf localhost:18090/bench/written || echo 0)
start=$(date +%s)
echo "rate $rate/s for $minutes min, $consumers consumers: queue depth every 10 s"
while [ $(( $(date +%s) - start )) -lt $((minutes * 60 - 5)) ]; do
  sleep 10
  written=$(curl -sf localhost:18090/bench/written || echo "$records")
  printf '%4ds depth %6d written %8s\n' $(( $(date +%s) - start )) "$(depth)" "$written"
  # the fake stops once it has seen every record: sample before that
  [ "$written" -ge $((records * 97 / 100)) ] && break
done
t1=$(cpu_ticks $pid) r1=$(cpu_ticks $rabbit) d1=$(cpu_ticks $redis) p1=$(cpu_ticks $postgres) f1=$(cpu_ticks $fake)
w1=$(curl -sf localhost:18090/bench/written || echo 0)
awk -v n="$((w1 - w0))" -v t="$((t1 - t0))" -v r="$((r1 - r0))" -v d="$((d1 - d0))" -v p="$((p1 - p0))" \
    -v f="$((f1 - f0))" -v hz="$hz" -v secs="$(( $(date +%s) - start ))" 'BEGIN {
      ms = 1000 / hz / n;
      printf "written in the window: %d (%.0f/s); CPU ms/record: ccbridge %.2f  rabbitmq %.2f  redis %.2f  postgres %.2f  generator+fake %.2f  total %.2f\n",
        n, n / secs, t * ms, r * ms, d * ms, p * ms, f * ms, (t + r + d + p + f) * ms }'
wait $loader || true
grep -E "posted|reconciled" "$out"
kill $pid; wait $pid 2>/dev/null || true
rm -f "$out"
