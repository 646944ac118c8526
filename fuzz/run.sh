#!/usr/bin/env bash
# Run one fuzz target: fuzz/run.sh TARGET SECONDS [libFuzzer options...]
#
# Needs a nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz --locked`). Seeds
# the corpus from the project's fixtures on first use (seed.sh). Stops after SECONDS, or
# after RUNS executions when RUNS is set (RUNS=1000000 fuzz/run.sh changes_csv 3600).
# Crashes land in fuzz/artifacts/TARGET/; reproduce one with
#   cargo +nightly fuzz run -s none TARGET fuzz/artifacts/TARGET/crash-...
# The build has debug assertions and overflow checks; no sanitizer (the crate forbids
# unsafe code), which triples the speed; SANITIZER=address brings it back.
# CI does not run this.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if [ $# -lt 2 ]; then
  echo "usage: $0 TARGET SECONDS [libFuzzer options...]" >&2
  exit 2
fi
target=$1
seconds=$2
shift 2
cd "$here"
[ -d "corpus/$target" ] || ./seed.sh
case $target in
  changes_csv | members_csv | roster_csv | auc_metrics_csv | applications_csv) dict=csv ;;
  gerrit_rest | gerrit_query) dict=json ;;
  governance_*) dict=yaml ;;
  identity_toml | election_toml | policy_toml) dict=toml ;;
  ballot*) dict=ballots ;;
  *) dict= ;;
esac
options=(
  "-max_total_time=$seconds"
  # Room for fields past their limits (1,000 bytes) without slowing every run.
  -max_len=16384
  # A run that takes seconds is a finding (something quadratic), not a wait.
  -timeout=10
  -rss_limit_mb=2048
  -print_final_stats=1
)
[ -n "${RUNS:-}" ] && options+=("-runs=$RUNS")
[ -n "$dict" ] && options+=("-dict=dict/$dict.dict")
exec cargo +nightly fuzz run --sanitizer "${SANITIZER:-none}" "$target" "corpus/$target" \
  -- "${options[@]}" "$@"
