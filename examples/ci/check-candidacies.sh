#!/bin/sh
# Check the candidacies of an open election, as a CI job on a clone of the election
# repository runs it (for example from a Zuul job's run playbook, or a tox environment):
#
#   examples/ci/check-candidacies.sh election.toml candidates/2026.2
#
# It first validates every input of the election (exit 1 on a broken input), then checks
# every file of the candidates tree: named by an address, in the directory of a team or
# roll that holds an election, for a candidate the policy's candidacy rule accepts (exit 1
# on any finding). The report lists each election: leaderless, no poll needed, or poll.
# `ELECTORATE` names the binary when it is not on the PATH.
set -eu

if [ "$#" -ne 2 ]; then
    echo "usage: $0 ELECTION.toml CANDIDATES_DIR" >&2
    exit 2
fi
election=$1
candidates=$2
electorate=${ELECTORATE:-electorate}

"$electorate" check --election "$election"
"$electorate" candidacy --election "$election" --dir "$candidates"
