#!/usr/bin/env bash
# Fill fuzz/corpus/TARGET/ with the project's fixtures and examples of each input kind
# (and the hand-written seeds in fuzz/seeds/ for kinds the project has no file of).
# The corpora are generated, and not committed: run this before fuzzing, or let run.sh.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
corpus="$here/corpus"

seed() { # seed TARGET FILE...: copy each file into the target's corpus
  local target=$1
  shift
  mkdir -p "$corpus/$target"
  for file in "$@"; do
    [ -f "$file" ] && cp "$file" "$corpus/$target/$(echo "${file#"$root"/}" | tr '/' '_')"
  done
  return 0
}

cd "$root"
seed changes_csv examples/*/gerrit/changes.csv fixtures/bad/changes.csv
seed gerrit_rest examples/newton-tc/gerrit/glance-rest.json
seed gerrit_query "$here"/seeds/gerrit_query/*
for target in governance_projects governance_legacy governance_sigs governance_tc_repos; do
  seed "$target" examples/*/governance/*.yaml fixtures/bad/projects.yaml
done
seed members_csv examples/*/members.csv fixtures/bad/members.csv
seed meetbot examples/ops-recognition/meetbot/*.txt
seed roster_csv examples/ops-recognition/rosters/*.csv
seed auc_metrics_csv examples/ops-recognition/auc-metrics.csv
seed identity_toml examples/ops-recognition/people.toml
seed election_toml examples/*/election.toml fixtures/bad/election.toml
seed policy_toml policies/*.toml
seed applications_csv fixtures/applications.csv
ballots=$(find fixtures/ballots -type f ! -name '*.json' | sort)
for target in ballots_civs ballots_elekto ballots_civs_upload ballots_blt ballots_preflib \
  ballots_csv ballots_toml ballots_detected; do
  # shellcheck disable=SC2086
  seed "$target" $ballots
done
mkdir -p "$corpus/ballot_candidates"
for pair in "elekto-candidates.csv elekto.csv" "upload-candidates.csv civs-upload.txt" \
  "elekto-candidates.csv cumulative.csv"; do
  set -- $pair
  { cat "fixtures/ballots/$1"; printf '\0'; cat "fixtures/ballots/$2"; } \
    > "$corpus/ballot_candidates/$1+$2"
done
echo "corpora in $corpus: $(find "$corpus" -type f | wc -l) files"
