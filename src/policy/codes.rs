//! Stable decision codes. Every eligibility decision the engine makes carries one of these
//! (or, for a status earned, the id of the policy criterion that earned it), so `explain`
//! can show it, scripts can match on it, and tests can assert it. Codes are kebab-case and
//! never change meaning; `docs/codes.md` documents each under its own heading.

/// A decision code and what it means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Code {
    pub code: &'static str,
    pub summary: &'static str,
}

macro_rules! codes {
    ($($name:ident = $code:literal : $summary:literal;)*) => {
        $(
            #[doc = $summary]
            pub const $name: Code = Code { code: $code, summary: $summary };
        )*
        /// Every engine code, in documentation order.
        pub const ALL: &[Code] = &[$($name),*];
    };
}

codes! {
    CHANGE_QUALIFIES = "change-qualifies":
        "The change counts for the criterion: merged, in a selected repository and branch, inside the window, credited to this person.";
    CHANGE_NOT_MERGED = "change-not-merged":
        "The change's status is not MERGED (abandoned or still open).";
    CHANGE_REPO_NOT_GOVERNED = "change-repo-not-governed":
        "The repository is not listed in the governance files given (for a criterion with `repos = \"governed\"`).";
    CHANGE_REPO_NOT_SELECTED = "change-repo-not-selected":
        "The repository matches none of the criterion's repository patterns (for example, not one of the ops repositories an AUC criterion counts).";
    CHANGE_REPO_RETIRED = "change-repo-retired":
        "The repository is listed in legacy.yaml with a retired-on date before the window start.";
    CHANGE_BEFORE_WINDOW = "change-before-window":
        "The change merged before the window opened.";
    CHANGE_AFTER_WINDOW = "change-after-window":
        "The change merged at or after the window end (the end instant itself is outside).";
    CHANGE_BRANCH_EXCLUDED = "change-branch-excluded":
        "The change's branch is not one the criterion selects (the stable roll takes `stable/*` only).";
    CHANGE_NOT_CREDITED = "change-not-credited":
        "The person took part in the change in a role the criterion does not credit (a co-author or reviewer where only owners count).";
    CHANGE_DROPPED_DUPLICATE = "change-dropped-duplicate-account":
        "Reference compatibility: the first change of an account found to duplicate another is dropped, as the reference tooling does.";
    BELOW_MIN_COUNT = "below-min-count":
        "The person has qualifying contributions, but fewer than the criterion's min_count.";
    BELOW_THRESHOLD = "below-threshold":
        "The person took part in meetings the criterion counts, but not enough: too few meetings, too small a share of them, or too few lines said.";
    METRIC_EXPIRED = "auc-metric-expired":
        "The Foundation's AUC metrics list the person, but the recognition expired before the check date.";
    EXTRA_ATC_EXPIRED = "extra-atc-expired":
        "The extra-ATC entry has expired: the check date is on or after the first day of its expires-in month.";
    EXTRA_ATC_IGNORED = "extra-atc-ignored-compat":
        "Reference compatibility: an extra-AC listed on a TC repository is ignored, as the reference tooling does (it reads `extra_acs`).";
    EXCLUDED_NO_STATUS = "excluded-no-status":
        "The person holds none of the statuses the roll is made of (for a team roll: none earned in that team).";
    EXCLUDED_NOT_MEMBER = "excluded-not-member":
        "The person holds a qualifying status but none of their addresses is on the membership list.";
    EXCLUDED_NO_EMAIL = "excluded-no-email":
        "The person holds a qualifying status but no e-mail address is known to send a ballot to.";
    EXCLUDED_NO_FULL_NAME = "excluded-no-full-name":
        "Reference compatibility: an account without a full name is left off, as the reference tooling does.";
    MEMBERSHIP_NOT_CHECKED = "membership-not-checked":
        "No membership list was given, so nobody was checked against one.";
    ON_ROLL = "on-roll":
        "The person is on the roll; the statuses and the criteria that earned them follow.";
}

/// Look up a code by its text.
#[must_use]
pub fn find(code: &str) -> Option<Code> {
    ALL.iter().copied().find(|c| c.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_kebab_case_and_documented() {
        let docs = include_str!("../../docs/codes.md");
        for (i, code) in ALL.iter().enumerate() {
            assert!(
                code.code
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-'),
                "{} is not kebab-case",
                code.code
            );
            assert!(
                ALL[i + 1..].iter().all(|other| other.code != code.code),
                "{} is duplicated",
                code.code
            );
            assert!(
                docs.contains(&format!("## `{}`", code.code)),
                "{} is not documented in docs/codes.md",
                code.code
            );
        }
    }
}
