#!/usr/bin/env bash
# Run every fuzz target in turn: fuzz/run_all.sh SECONDS_EACH [libFuzzer options...]
#
# One target at a time (the fuzzers are single-threaded and machines are shared). Each
# target's log goes to fuzz/logs/TARGET.log; a summary line per target (executions,
# seconds, executions per second, new findings) is printed as it ends and written to
# fuzz/logs/summary.txt. RUNS=1000000 stops each target after that many executions
# instead. CI does not run this.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if [ $# -lt 1 ]; then
  echo "usage: $0 SECONDS_EACH [libFuzzer options...]" >&2
  exit 2
fi
seconds=$1
shift
cd "$here"
[ -d corpus ] || ./seed.sh
mkdir -p logs
cargo +nightly fuzz build --sanitizer "${SANITIZER:-none}" || exit 1
: > logs/summary.txt
for target in $(cargo +nightly fuzz list); do
  start=$(date +%s)
  touch "logs/$target.start"
  ./run.sh "$target" "$seconds" "$@" > "logs/$target.log" 2>&1
  status=$?
  took=$(( $(date +%s) - start ))
  runs=$(grep -oE 'stat::number_of_executed_units: +[0-9]+' "logs/$target.log" | awk '{print $2}')
  rate=$(grep -oE 'stat::average_exec_per_sec: +[0-9]+' "logs/$target.log" | awk '{print $2}')
  # Only this run's findings: artifacts of earlier runs stay until removed.
  findings=$(find "artifacts/$target" -type f -newer "logs/$target.start" 2>/dev/null | wc -l)
  rm -f "logs/$target.start"
  line="$target: ${runs:-?} executions in ${took}s (${rate:-?}/s), exit $status, $findings new artifact(s)"
  echo "$line" | tee -a logs/summary.txt
done
