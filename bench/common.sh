# Sourced by the bench scripts: CPU time of processes (read from /proc), waiting for ccbridge to be
# ready, and the bench rows' cleanup.

# utime+stime of the given pids, in clock ticks (getconf CLK_TCK a second); a pid gone counts 0
cpu_ticks() {
  local sum=0 pid
  for pid in "$@"; do
    [ -r "/proc/$pid/stat" ] && sum=$((sum + $(awk '{print $14 + $15}' "/proc/$pid/stat")))
  done
  echo $sum
}

# Waits until ccbridge on :8080 reports ready, at most 90 s; otherwise stops the script, naming the
# log to read (the first argument)
wait_ready() {
  for _ in $(seq 1 180); do
    curl -sf localhost:8080/actuator/health/readiness >/dev/null 2>&1 && return
    sleep 0.5
  done
  echo "ccbridge did not get ready; see ${1:-its log}" >&2
  exit 1
}

# Deletes the bench client's notifications, outbox rows, ledger and dedup windows: PENDING
# notifications left in a shared database would be sent by the next relay that polls it, a test
# suite's included.
delete_bench_notifications() {
  psql -h 127.0.0.1 -U postgres -d test -q \
    -c "DELETE FROM ccbridge_notification_ledger WHERE client = 'bench'" \
    -c "DELETE FROM ccbridge_notification_windows WHERE client = 'bench'" \
    -c "DELETE FROM ccbridge_outbox WHERE notification_id IN (SELECT id FROM ccbridge_notifications WHERE client = 'bench')" \
    -c "DELETE FROM ccbridge_notifications WHERE client = 'bench'" >/dev/null 2>&1 || true
}
