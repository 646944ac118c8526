//! Reproducing the reference tooling (openstack/election's `owners.py`) to audit a past
//! roll. Each behaviour that separates it from this tool's own rules is a switch here, so
//! the stages that differ (identity, policy, rolls) ask for the behaviour, never for the
//! mode.

use crate::model::EmailFolding;

/// The behaviours a run follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Compat {
    /// `none` for this tool's rules, `reference` for the reference tooling's.
    pub label: &'static str,
    /// How addresses are compared.
    pub folding: EmailFolding,
    /// Only an account's first-seen address identifies it, and no other handle (account
    /// id, username) merges two accounts.
    pub first_address_only: bool,
    /// A membership record merges the accounts whose addresses it lists into one person.
    /// Without it, membership is looked up by address.
    pub merge_through_members: bool,
    /// The first change of an account found to duplicate an earlier one is dropped.
    pub drop_duplicate_first_change: bool,
    /// Extra-ATC entries expire (their `expires-in` is checked).
    pub check_extra_atc_expiry: bool,
    /// Extra-ACs listed on TC repositories are read.
    pub read_tc_extra_acs: bool,
    /// People without a full name are left off rolls.
    pub require_full_name: bool,
}

impl Compat {
    /// This tool's own rules: one person, one vote; expiry checked; every extra-AC read.
    pub const NONE: Self = Self {
        label: "none",
        folding: EmailFolding::Whole,
        first_address_only: false,
        merge_through_members: true,
        drop_duplicate_first_change: false,
        check_extra_atc_expiry: true,
        read_tc_extra_acs: true,
        require_full_name: false,
    };

    /// `owners.py` as published: addresses folded by domain only, the first change of a
    /// newly found duplicate account dropped, no merging through the membership list,
    /// extra-ATC expiry never checked, extra-ACs on TC repositories ignored, accounts
    /// without a full name left off.
    pub const REFERENCE: Self = Self {
        label: "reference",
        folding: EmailFolding::DomainOnly,
        first_address_only: true,
        merge_through_members: false,
        drop_duplicate_first_change: true,
        check_extra_atc_expiry: false,
        read_tc_extra_acs: false,
        require_full_name: true,
    };

    /// Whether this is the tool's own rule set.
    #[must_use]
    pub fn is_none(&self) -> bool {
        *self == Self::NONE
    }
}

impl Default for Compat {
    fn default() -> Self {
        Self::NONE
    }
}
