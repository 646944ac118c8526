//! A policy file: either a policy whose ids are unique and whose rolls name statuses it
//! has, or every problem located (line and column) and short.
#![no_main]

use electorate::model::Code;
use electorate::policy::{PolicyError, PolicyOrigin, load_str};
use electorate_fuzz::{check_problems, text};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(text) = text(data) else { return };
    match load_str(
        "input.toml",
        text,
        PolicyOrigin::File("input.toml".to_owned()),
    ) {
        Ok(policy) => {
            let mut ids = std::collections::HashSet::new();
            for status in &policy.statuses {
                assert!(ids.insert(status.id.as_str()), "status {} twice", status.id);
            }
            let mut rolls = std::collections::HashSet::new();
            for roll in &policy.rolls {
                assert!(rolls.insert(roll.id.as_str()), "roll {} twice", roll.id);
                assert!(roll.statuses.iter().all(|&i| i < policy.statuses.len()));
            }
        }
        Err(PolicyError::Invalid { file, problems }) => {
            assert_eq!(file, "input.toml");
            assert!(!problems.is_empty(), "invalid, and no problem says why");
            check_problems(&problems, "input.toml", data, &[]);
            for problem in &problems {
                assert!(
                    problem.column.is_some() || problem.code == Code::ProblemsNotListed,
                    "no column: {problem}"
                );
            }
        }
        Err(other) => panic!("a policy text cannot be {other:?}"),
    }
});
