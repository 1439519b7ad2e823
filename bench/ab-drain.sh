#!/usr/bin/env bash
# Outbox drain, A/B: the relay of two builds of ccbridge in turn sends the same kind of backlog to
# NotifyLoad's fake provider (20 ms a call), in the prod profile on this machine's Redis and
# PostgreSQL. For each build and round: the NEW build, relay off, accepts the backlog through
# POST /notifications:batch (the schema is the same for both); then the build under test starts
# with the relay on and drains it while the fake reconciles. Prints NotifyLoad's drain lines and
# CPU ms per notification for ccbridge, PostgreSQL (all its processes) and the fake, over the
# notifications sent between ccbridge reporting ready and the last delivery.
#
#   bench/ab-drain.sh OLD_CHECKOUT NEW_CHECKOUT [rounds=1] [notifications=30000]
#
# OLD_ARGS and NEW_ARGS add ccbridge arguments to one build (e.g. the old relay's concurrency);
# ONLY=old or ONLY=new measures one build. The bench's rows are deleted afterwards.
set -euo pipefail
old=$1 new=$2 rounds=${3:-1} count=${4:-30000}
here=$(cd "$(dirname "$0")" && pwd)
hz=$(getconf CLK_TCK)

# shellcheck source=bench/common.sh
. "$here/common.sh"

pid='' fake=''
cleanup() {
  [ -z "$pid" ] || kill "$pid" 2>/dev/null || true
  [ -z "$fake" ] || kill "$fake" 2>/dev/null || true
  delete_bench_notifications
}
trap cleanup EXIT

start_ccbridge() { # label checkout args...; sets $pid once ready
  local label=$1 dir=$2
  shift 2
  (cd "$dir" && SPRING_PROFILES_ACTIVE=prod CCBRIDGE_DEMO_SECRET=whsec_YmVuY2gtc2VjcmV0LWJlbmNoLXNlY3JldA== \
    DATABASE_URL=jdbc:postgresql://127.0.0.1:5432/test \
    exec java -jar target/ccbridge-0.1.0-SNAPSHOT.jar $(java "$here/NotifyLoad.java" --print-config) "$@") \
    >"/tmp/ab-drain-$label.log" 2>&1 &
  pid=$!
  wait_ready "/tmp/ab-drain-$label.log"
}

stop_ccbridge() {
  kill "$pid"; wait "$pid" 2>/dev/null || true
  pid=''
}

sent() { # the run's notifications SENT so far
  psql -h 127.0.0.1 -U postgres -d test -Atq -c "SELECT COUNT(*) FROM ccbridge_outbox o JOIN ccbridge_notifications n \
    ON n.id = o.notification_id WHERE n.customer_id LIKE '$1-%' AND o.status = 'SENT'"
}

drain_with() { # label checkout args...
  local label=$1 dir=$2 run out postgres t0 p0 f0 t1 p1 f1 s0 s1 delivered backlog
  shift 2
  cleanup
  run="d$label$RANDOM"
  start_ccbridge fill "$new" --ccbridge.notify.relay.enabled=false
  # a cold JVM's first Redis calls may time out: warm up, then post the backlog; a second pass
  # with the same keys accepts what the first could not (the others are replays)
  java "$here/NotifyLoad.java" --mode post --notifications 2000 --senders 8 --run "w$run" >/dev/null 2>&1 || true
  for _ in 1 2 3 4 5; do
    java "$here/NotifyLoad.java" --mode post --batch 500 --senders 4 --notifications "$count" --duplicates 0 \
      --run "$run" >/dev/null 2>&1 || true
    [ "$(psql -h 127.0.0.1 -U postgres -d test -Atq -c "SELECT COUNT(*) FROM ccbridge_notifications \
      WHERE customer_id LIKE '$run-%'")" -lt "$count" ] || break
  done
  stop_ccbridge
  # the warm-up's rows go, so that the relay sends the backlog only
  psql -h 127.0.0.1 -U postgres -d test -q \
    -c "DELETE FROM ccbridge_outbox WHERE notification_id IN (SELECT id FROM ccbridge_notifications WHERE customer_id LIKE 'w$run-%')" \
    -c "DELETE FROM ccbridge_notifications WHERE customer_id LIKE 'w$run-%'" >/dev/null
  # keys a cold Redis left claimed but unanswered stay refused for a while: the backlog may fall
  # short of the run's count, and the fake waits for the backlog, not the count
  backlog=$(psql -h 127.0.0.1 -U postgres -d test -Atq -c "SELECT COUNT(*) FROM ccbridge_outbox o \
    JOIN ccbridge_notifications n ON n.id = o.notification_id WHERE n.client = 'bench' AND o.status = 'PENDING'")
  echo "$label: backlog of $backlog PENDING"
  out=$(mktemp)
  java "$here/NotifyLoad.java" --mode drain --notifications "$backlog" --run "$run" >"$out" 2>&1 &
  fake=$!
  sleep 1
  start_ccbridge "$label" "$dir" --ccbridge.notify.relay.enabled=true "$@"
  postgres=$(pgrep -x postgres | tr '\n' ' ')
  # the relay starts before the HTTP side reports ready: CPU is counted per notification sent
  # between the two readings, not per notification of the run
  s0=$(sent "$run")
  t0=$(cpu_ticks "$pid") p0=$(cpu_ticks $postgres) f0=$(cpu_ticks "$fake")
  # the fake exits once every notification of the run was delivered (or at its timeout). Once a
  # second, the count sent so far: CPU is also read as the drain passes 20 % and 80 % of the run,
  # where both builds are warm (a relay that starts earlier warms up before "once ready")
  local f polls=0 n steady=()
  while kill -0 "$fake" 2>/dev/null; do
    t1=$(cpu_ticks "$pid") p1=$(cpu_ticks $postgres) f=$(cpu_ticks "$fake")
    [ "$f" = 0 ] || f1=$f # 0 once it has exited
    if [ $((polls % 5)) = 0 ] && [ "${#steady[@]}" -lt 8 ]; then
      n=$(sent "$run")
      if { [ "${#steady[@]}" = 0 ] && [ "$n" -ge $((backlog / 5)) ]; } ||
         { [ "${#steady[@]}" = 4 ] && [ "$n" -ge $((backlog * 4 / 5)) ]; }; then
        steady+=("$n" "$(cpu_ticks "$pid")" "$(cpu_ticks $postgres)" "$(cpu_ticks "$fake")")
      fi
    fi
    polls=$((polls + 1))
    sleep 0.2
  done
  s1=$(sent "$run")
  wait "$fake" || true
  fake=''
  stop_ccbridge
  sed "s|^|$label  |" "$out"
  delivered=$((s1 - s0))
  awk -v label="$label" -v n="${delivered:-0}" -v t="$((t1 - t0))" -v p="$((p1 - p0))" -v f="$((f1 - f0))" \
      -v hz="$hz" 'BEGIN {
        if (n == 0) { exit }
        ms = 1000 / hz / n;
        printf "%s  CPU ms/notification (once ready): ccbridge %.2f  postgres %.2f  fake %.2f  total %.2f  (%d sent meanwhile)\n",
          label, t * ms, p * ms, f * ms, (t + p + f) * ms, n }'
  if [ "${#steady[@]}" = 8 ]; then
    awk -v label="$label" -v n="$((steady[4] - steady[0]))" -v t="$((steady[5] - steady[1]))" \
        -v p="$((steady[6] - steady[2]))" -v f="$((steady[7] - steady[3]))" -v hz="$hz" 'BEGIN {
          ms = 1000 / hz / n;
          printf "%s  CPU ms/notification (20-80 %%): ccbridge %.2f  postgres %.2f  fake %.2f  total %.2f  (%d sent meanwhile)\n",
            label, t * ms, p * ms, f * ms, (t + p + f) * ms, n }'
  fi
  rm -f "$out"
  cleanup
}

read -r -a old_args <<<"${OLD_ARGS:-}"
read -r -a new_args <<<"${NEW_ARGS:-}"
for _ in $(seq 1 "$rounds"); do
  [ "${ONLY:-}" = new ] || drain_with old "$old" "${old_args[@]}"
  [ "${ONLY:-}" = old ] || drain_with new "$new" "${new_args[@]}"
done
