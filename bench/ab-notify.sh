#!/usr/bin/env bash
# Notification accepts, A/B: NotifyLoad's post phase against two builds of ccbridge in turn, in the
# prod profile on this machine's Redis and PostgreSQL, relay off. For each build and round: a
# warm-up, then POST /notifications at each sender count, then (when the build has it)
# POST /notifications:batch; each phase prints NotifyLoad's line and CPU ms per accepted
# notification for ccbridge, Redis, PostgreSQL (all its processes) and the generator.
#
#   bench/ab-notify.sh OLD_CHECKOUT NEW_CHECKOUT [rounds=1] [notifications=20000] [senders="16 64 128"]
#
# BATCH (500) items per batch request and BATCH_SENDERS (4) for the batch phase, BATCH_COUNT
# (100000) notifications in it. CLIENT=raw posts single requests with NotifyLoad's lean
# hand-written HTTP/1.1 client instead of the JDK's. ONLY=old or ONLY=new measures one build. The bench's rows are
# deleted afterwards: PENDING notifications left in a shared database would be sent by the next
# relay that polls it, a test suite's included.
set -euo pipefail
old=$1 new=$2 rounds=${3:-1} count=${4:-20000} senders=${5:-"16 64 128"}
BATCH=${BATCH:-500} BATCH_SENDERS=${BATCH_SENDERS:-4} BATCH_COUNT=${BATCH_COUNT:-100000}
here=$(cd "$(dirname "$0")" && pwd)
hz=$(getconf CLK_TCK)

# shellcheck source=bench/common.sh
. "$here/common.sh"

trap delete_bench_notifications EXIT

children_ms() { # CPU of this shell's finished children (the generators), in ms; into $children
  local file
  file=$(mktemp)
  times >"$file" # in this shell: a command substitution's subshell would count only its own children
  children=$(tail -1 "$file" | awk '{ n = 0; for (i = 1; i <= 2; i++) { split($i, a, "m"); n += a[1] * 60000 + a[2] * 1000 } printf "%d", n }')
  rm -f "$file"
}

phase() { # label pid loader-args...
  local label=$1 pid=$2 out redis postgres t0 d0 p0 g0 t1 d1 p1 g1 accepted children
  shift 2
  redis=$(pgrep -x redis-server | head -1) postgres=$(pgrep -x postgres | tr '\n' ' ')
  out=$(mktemp)
  t0=$(cpu_ticks "$pid") d0=$(cpu_ticks "$redis") p0=$(cpu_ticks $postgres)
  children_ms; g0=$children
  java "$here/NotifyLoad.java" "$@" >"$out" 2>&1 || true
  t1=$(cpu_ticks "$pid") d1=$(cpu_ticks "$redis") p1=$(cpu_ticks $postgres)
  children_ms; g1=$children
  accepted=$(sed -n 's/.* \([0-9]*\) accepted (.*/\1/p' "$out" | head -1)
  sed "s|^|$label  |" "$out" | grep -v "^$label  $" || true
  awk -v label="$label" -v n="${accepted:-0}" -v t="$((t1 - t0))" -v d="$((d1 - d0))" -v p="$((p1 - p0))" \
      -v g="$((g1 - g0))" -v hz="$hz" 'BEGIN {
        if (n == 0) { exit }
        ms = 1000 / hz / n;
        printf "%s  CPU ms/notification: ccbridge %.2f  redis %.2f  postgres %.2f  generator %.2f  total %.2f  (%d accepted)\n",
          label, t * ms, d * ms, p * ms, g / n, (t + d + p) * ms + g / n, n }'
  rm -f "$out"
}

run_build() { # label checkout
  local label=$1 dir=$2 pid run s
  delete_bench_notifications
  (cd "$dir" && SPRING_PROFILES_ACTIVE=prod CCBRIDGE_DEMO_SECRET=whsec_YmVuY2gtc2VjcmV0LWJlbmNoLXNlY3JldA== \
    DATABASE_URL=jdbc:postgresql://127.0.0.1:5432/test \
    exec java -jar target/ccbridge-0.1.0-SNAPSHOT.jar $(java "$here/NotifyLoad.java" --print-config) \
    --ccbridge.notify.relay.enabled=false) >"/tmp/ab-notify-$label.log" 2>&1 &
  pid=$!
  wait_ready "/tmp/ab-notify-$label.log"
  run="w$label$RANDOM"
  java "$here/NotifyLoad.java" --mode post --notifications 3000 --senders 16 --run "$run" >/dev/null 2>&1 || true
  for s in $senders; do
    phase "$label single/$s" "$pid" --mode post --client "${CLIENT:-jdk}" --notifications "$count" --senders "$s" \
      --run "s$s$label$RANDOM"
  done
  if grep -q "notifications:batch" "$dir/src/main/java/org/ccbridge/notify/NotificationController.java"; then
    phase "$label batch/$BATCH_SENDERS" "$pid" --mode post --batch "$BATCH" --notifications "$BATCH_COUNT" \
      --senders "$BATCH_SENDERS" --run "b$label$RANDOM"
  fi
  kill "$pid"; wait "$pid" 2>/dev/null || true
  delete_bench_notifications
}

for _ in $(seq 1 "$rounds"); do
  [ "${ONLY:-}" = new ] || run_build old "$old"
  [ "${ONLY:-}" = old ] || run_build new "$new"
done
