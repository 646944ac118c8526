//! Reproducing the reference tooling (openstack/election's `owners.py`, and before it
//! openstack-infra/system-config's `tools/owners.py`) to audit a past roll.
//!
//! The reference changed over the years, so one mode cannot audit both a 2016 and a 2025
//! roll: `reference@YYYY-MM-DD` replays it as it was on that date, each behaviour switched on
//! the date its change landed (the table, with every commit, is in `docs/compat.md`), and
//! plain `reference` replays it as it is now. Each behaviour that separates it from this
//! tool's own rules is a switch here, so the stages that differ (identity, policy, rolls)
//! ask for the behaviour, never for the mode.

use std::fmt;

use chrono::NaiveDate;

use crate::model::{EmailFolding, TeamKind};

/// Which rules a run follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompatMode {
    /// This tool's own rules.
    None,
    /// The reference tooling as it was on a date.
    Reference(NaiveDate),
    /// The reference tooling as it is now (its newest behaviour).
    ReferenceNow,
}

/// The behaviours a run follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Compat {
    pub mode: CompatMode,
    /// How addresses are compared.
    pub folding: EmailFolding,
    /// Only an account's first-seen (preferred) address identifies it.
    pub first_address_only: bool,
    /// Account ids and usernames (and declared handles) merge records into one person.
    pub merge_by_handles: bool,
    /// A membership record merges the accounts whose addresses it lists into one person.
    /// Without it, membership is looked up by address.
    pub merge_through_members: bool,
    /// The first change of an account found to duplicate an earlier one is dropped.
    pub drop_duplicate_first_change: bool,
    /// Extra-ATC entries expire (their `expires-in` is checked).
    pub check_extra_atc_expiry: bool,
    /// People without a full name are left off rolls.
    pub require_full_name: bool,
    /// Rolls that take members only are checked against the membership list.
    pub check_membership: bool,
    /// The address on a roll has its domain lower-cased, as the reference wrote it until
    /// 2021.
    pub fold_roll_domain: bool,
    /// The date-dependent readings of the governance files (see [`Compat::counts_repo`]
    /// and [`Compat::reads_extra_atc`]); `None` for this tool's rules (everything counts).
    pub as_of: Option<NaiveDate>,
}

/// The dates the reference's behaviours changed on (landed on master), as `docs/compat.md`
/// tables them with their commits.
mod landed {
    use chrono::NaiveDate;

    const fn day(year: i32, month: u32, day: u32) -> NaiveDate {
        match NaiveDate::from_ymd_opt(year, month, day) {
            Some(date) => date,
            None => NaiveDate::MIN,
        }
    }

    /// system-config fb3e765: owners checked against the Foundation's members.
    pub(super) const MEMBERSHIP: NaiveDate = day(2017, 8, 4);
    /// system-config b2ad9b4: retired deliverables of legacy.yaml counted.
    pub(super) const LEGACY: NaiveDate = day(2017, 11, 1);
    /// election e963ab6: SIG repositories counted for the TC roll.
    pub(super) const SIG_REPOS: NaiveDate = day(2019, 11, 21);
    /// election aa64673: SIG repositories' extra-ATCs read.
    pub(super) const SIG_EXTRA_ATCS: NaiveDate = day(2020, 10, 13);
    /// election cfd2cd6: preferred addresses only; a duplicate's first change dropped;
    /// roll addresses as Gerrit stores them.
    pub(super) const PREFERRED_ADDRESS: NaiveDate = day(2021, 4, 7);
    /// election 7b1887c: only the `extra-acs` key read.
    pub(super) const EXTRA_ACS_KEY: NaiveDate = day(2023, 9, 7);
    /// election b34651b: TC repositories counted (their extra-ACs read as `extra_acs`,
    /// which governance never writes).
    pub(super) const TC_REPOS: NaiveDate = day(2025, 5, 12);
}

impl Compat {
    /// This tool's own rules: one person, one vote; expiry checked; every extra-AC read.
    pub const NONE: Self = Self {
        mode: CompatMode::None,
        folding: EmailFolding::Whole,
        first_address_only: false,
        merge_by_handles: true,
        merge_through_members: true,
        drop_duplicate_first_change: false,
        check_extra_atc_expiry: true,
        require_full_name: false,
        check_membership: true,
        fold_roll_domain: false,
        as_of: None,
    };

    /// The reference tooling as it was on `date`.
    #[must_use]
    pub fn reference_at(date: NaiveDate) -> Self {
        let preferred = date >= landed::PREFERRED_ADDRESS;
        Self {
            mode: CompatMode::Reference(date),
            folding: EmailFolding::DomainOnly,
            first_address_only: preferred,
            merge_by_handles: false,
            merge_through_members: false,
            drop_duplicate_first_change: preferred,
            check_extra_atc_expiry: false,
            require_full_name: true,
            check_membership: date >= landed::MEMBERSHIP,
            fold_roll_domain: !preferred,
            as_of: Some(date),
        }
    }

    /// The reference tooling as it is now.
    #[must_use]
    pub fn reference() -> Self {
        Self {
            mode: CompatMode::ReferenceNow,
            ..Self::reference_at(NaiveDate::MAX)
        }
    }

    /// Whether this is the tool's own rule set.
    #[must_use]
    pub fn is_none(&self) -> bool {
        self.mode == CompatMode::None
    }

    /// Whether a repository of a team of this kind (retired or not) counts as governed.
    #[must_use]
    pub fn counts_repo(&self, kind: TeamKind, retired: bool) -> bool {
        let Some(date) = self.as_of else {
            return true;
        };
        match kind {
            TeamKind::Project if !retired => true,
            TeamKind::Project | TeamKind::Retired => date >= landed::LEGACY,
            TeamKind::Sig => date >= landed::SIG_REPOS,
            TeamKind::TechnicalCommittee => date >= landed::TC_REPOS,
        }
    }

    /// Whether an extra-ATC entry of a team of this kind, listed under `key`
    /// (`extra-atcs`, `extra-acs` or `extra_acs`), is read.
    #[must_use]
    pub fn reads_extra_atc(&self, kind: TeamKind, key: &str) -> bool {
        let Some(date) = self.as_of else {
            return true;
        };
        let key_read = if date >= landed::EXTRA_ACS_KEY {
            "extra-acs"
        } else {
            "extra-atcs"
        };
        match kind {
            TeamKind::Project => key == key_read,
            TeamKind::Sig => date >= landed::SIG_EXTRA_ATCS && key == key_read,
            // The TC's extra-ACs are read as `extra_acs`, which governance never writes; a
            // retired team has none.
            TeamKind::TechnicalCommittee | TeamKind::Retired => false,
        }
    }

    /// Parse `none`, `reference` or `reference@YYYY-MM-DD`.
    ///
    /// # Errors
    /// A message saying what was expected.
    pub fn parse(text: &str) -> Result<Self, String> {
        match text {
            "none" => Ok(Self::NONE),
            "reference" => Ok(Self::reference()),
            other => {
                let date = other
                    .strip_prefix("reference@")
                    .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
                date.map(Self::reference_at).ok_or_else(|| {
                    format!(
                        "\"{other}\" is not a compatibility mode, expected none, reference or reference@YYYY-MM-DD"
                    )
                })
            }
        }
    }
}

impl fmt::Display for Compat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.mode {
            CompatMode::None => f.write_str("none"),
            CompatMode::ReferenceNow => f.write_str("reference"),
            CompatMode::Reference(date) => write!(f, "reference@{}", date.format("%Y-%m-%d")),
        }
    }
}

impl Default for Compat {
    fn default() -> Self {
        Self::NONE
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(date: &str) -> Compat {
        Compat::parse(&format!("reference@{date}")).unwrap()
    }

    #[test]
    fn modes_parse_and_print() {
        assert_eq!(Compat::parse("none"), Ok(Compat::NONE));
        assert_eq!(Compat::parse("reference").unwrap().to_string(), "reference");
        assert_eq!(at("2016-03-15").to_string(), "reference@2016-03-15");
        assert_eq!(
            Compat::parse("reference@2016-13-01").unwrap_err(),
            "\"reference@2016-13-01\" is not a compatibility mode, expected none, reference or reference@YYYY-MM-DD"
        );
    }

    #[test]
    fn behaviours_switch_on_the_day_their_change_landed() {
        assert!(!at("2017-08-03").check_membership);
        assert!(at("2017-08-04").check_membership);
        assert!(at("2021-04-06").fold_roll_domain);
        assert!(!at("2021-04-07").fold_roll_domain);
        assert!(at("2021-04-07").drop_duplicate_first_change);
        assert!(!at("2019-11-20").counts_repo(TeamKind::Sig, false));
        assert!(at("2019-11-21").counts_repo(TeamKind::Sig, false));
        assert!(!at("2025-05-11").counts_repo(TeamKind::TechnicalCommittee, false));
        assert!(at("2025-05-12").counts_repo(TeamKind::TechnicalCommittee, false));
        assert!(!at("2017-10-31").counts_repo(TeamKind::Project, true));
        assert!(at("2017-11-01").counts_repo(TeamKind::Project, true));
        assert!(at("2023-09-06").reads_extra_atc(TeamKind::Project, "extra-atcs"));
        assert!(!at("2023-09-06").reads_extra_atc(TeamKind::Project, "extra-acs"));
        assert!(!at("2023-09-07").reads_extra_atc(TeamKind::Project, "extra-atcs"));
        assert!(at("2023-09-07").reads_extra_atc(TeamKind::Project, "extra-acs"));
        assert!(!at("2020-10-12").reads_extra_atc(TeamKind::Sig, "extra-atcs"));
        assert!(at("2020-10-13").reads_extra_atc(TeamKind::Sig, "extra-atcs"));
        let now = Compat::reference();
        assert!(!now.reads_extra_atc(TeamKind::TechnicalCommittee, "extra-acs"));
        assert!(!now.reads_extra_atc(TeamKind::Project, "extra-atcs"));
        assert!(Compat::NONE.reads_extra_atc(TeamKind::TechnicalCommittee, "extra_acs"));
    }
}
