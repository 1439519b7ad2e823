# Sourced by the bench scripts: CPU time of processes, read from /proc.

# utime+stime of the given pids, in clock ticks (getconf CLK_TCK a second); a pid gone counts 0
cpu_ticks() {
  local sum=0 pid
  for pid in "$@"; do
    [ -r "/proc/$pid/stat" ] && sum=$((sum + $(awk '{print $14 + $15}' "/proc/$pid/stat")))
  done
  echo $sum
}
