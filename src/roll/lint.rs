//! Governance lint: what the governance repository's CI should refuse, found in the
//! governance files alone. The readers already report what they meet (malformed
//! `expires-in` months, repeated YAML keys, a repository listed twice); this adds what
//! needs the whole set: extra-ATC entries still listed after they expired, one address
//! listed twice in a team, and teams whose roll files would collide.

use std::collections::BTreeMap;

use crate::model::{Code, Governance, Instant, Problem, Sources, format_instant};
use crate::policy::Policy;
use crate::roll::team_name_collisions;

/// The findings about governance files at instant `at`, in file and line order (the
/// readers' problems are not repeated here).
#[must_use]
pub fn lint_governance(
    policy: &Policy,
    governance: &Governance,
    sources: &Sources,
    at: Instant,
) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut seen: BTreeMap<(usize, String), u32> = BTreeMap::new();
    for entry in &governance.extra_atcs {
        let file = sources.name(entry.origin.file);
        let line = u64::from(entry.origin.position);
        let team = &governance.team(entry.team).name;
        let from = entry.expires_in.first_instant();
        if from <= at {
            problems.push(
                Problem::error(
                    Code::ExtraAtcExpiredListed,
                    file,
                    format!(
                        "extra-ATC entry of {} ({}) for {team} expired in {}: not valid from {}, checked at {}; remove it, or renew it with a later expires-in",
                        entry.name,
                        entry.email,
                        entry.expires_in,
                        format_instant(from),
                        format_instant(at)
                    ),
                )
                .at_line(line)
                .at_column(u64::from(entry.column))
                .in_field("expires-in"),
            );
        }
        let key = (entry.team.index(), entry.email.to_lowercase());
        match seen.get(&key) {
            Some(first) => problems.push(
                Problem::error(
                    Code::ExtraAtcListedTwice,
                    file,
                    format!(
                        "address \"{}\" is listed again among the extra-ATCs of {team} (first at line {first}), expected one entry per address and team",
                        entry.email
                    ),
                )
                .at_line(line)
                .at_column(u64::from(entry.column))
                .in_field("email"),
            ),
            None => {
                seen.insert(key, entry.origin.position);
            }
        }
    }
    problems.extend(team_name_collisions(policy, governance, sources));
    problems.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
    problems
}
