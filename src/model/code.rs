//! Stable codes: one for every decision the engine and the rolls make, every verdict on a
//! candidacy or an extra-ATC application, and every kind of problem in the inputs. Scripts
//! match on them, `explain` shows them, tests assert them, and `docs/codes.md` is generated
//! from this list (a test keeps the two equal). A code never changes meaning; a new meaning
//! gets a new code.
//!
//! A status earned is shown with the id of the policy criterion that earned it, which is
//! policy data, not a code; policies may not use a code's text as a criterion id.

use std::fmt;

/// What a code classifies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CodeKind {
    /// How a contribution fared against a criterion.
    Contribution,
    /// Why a status was not earned.
    Status,
    /// Why a person is on or off a roll.
    Roll,
    /// Whether a candidate may stand.
    Candidacy,
    /// The TC chair's review of an extra-ATC application.
    Application,
    /// A problem in the inputs or the configuration.
    Problem,
}

impl CodeKind {
    /// Every kind, in documentation order.
    pub const ALL: [Self; 6] = [
        Self::Contribution,
        Self::Status,
        Self::Roll,
        Self::Candidacy,
        Self::Application,
        Self::Problem,
    ];

    /// The heading of the kind's section in `docs/codes.md`.
    #[must_use]
    pub fn title(self) -> &'static str {
        match self {
            Self::Contribution => "Contributions",
            Self::Status => "Statuses not earned",
            Self::Roll => "Rolls",
            Self::Candidacy => "Candidacies",
            Self::Application => "Extra-ATC applications",
            Self::Problem => "Problems in the inputs",
        }
    }
}

macro_rules! codes {
    ($($variant:ident = $text:literal, $kind:ident: $summary:literal;)*) => {
        /// A stable, documented code (see the module documentation).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $(
                #[doc = $summary]
                $variant,
            )*
        }

        impl Code {
            /// Every code, in documentation order.
            pub const ALL: &[Self] = &[$(Self::$variant),*];

            /// The code as scripts see it: kebab-case.
            #[must_use]
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $text,)*
                }
            }

            /// What the code means.
            #[must_use]
            pub fn summary(self) -> &'static str {
                match self {
                    $(Self::$variant => $summary,)*
                }
            }

            #[must_use]
            pub fn kind(self) -> CodeKind {
                match self {
                    $(Self::$variant => CodeKind::$kind,)*
                }
            }
        }
    };
}

codes! {
    ChangeQualifies = "change-qualifies", Contribution:
        "The change counts for the criterion: merged, in a selected repository and branch, inside the window, credited to this person.";
    ChangeNotMerged = "change-not-merged", Contribution:
        "The change's status is not MERGED (abandoned or still open).";
    ChangeRepoNotGoverned = "change-repo-not-governed", Contribution:
        "The repository is not listed in the governance files given (for a criterion with `repos = \"governed\"`).";
    ChangeRepoNotSelected = "change-repo-not-selected", Contribution:
        "The repository matches none of the criterion's repository patterns (for example, not one of the ops repositories an AUC criterion counts).";
    ChangeRepoRetired = "change-repo-retired", Contribution:
        "The repository is listed in legacy.yaml with a retired-on date before the window start.";
    ChangeBeforeWindow = "change-before-window", Contribution:
        "The change merged before the window opened.";
    ChangeAfterWindow = "change-after-window", Contribution:
        "The change merged at or after the window end (the end instant itself is outside).";
    ChangeBranchExcluded = "change-branch-excluded", Contribution:
        "The change's branch is not one the criterion selects (the stable roll takes `stable/*` only).";
    ChangeNotCredited = "change-not-credited", Contribution:
        "The person took part in the change in a role the criterion does not credit (a co-author or reviewer where only owners count).";
    ChangeDroppedDuplicate = "change-dropped-duplicate-account", Contribution:
        "Reference compatibility: the first change of an account found to duplicate another is dropped, as the reference tooling does.";
    BelowMinCount = "below-min-count", Status:
        "The person has qualifying contributions, but fewer than the criterion's min_count.";
    BelowThreshold = "below-threshold", Status:
        "The person took part in meetings the criterion counts, but not enough: too few meetings, too small a share of them, or too few lines said.";
    MetricExpired = "auc-metric-expired", Status:
        "The Foundation's AUC metrics list the person, but the recognition expired before the check date.";
    ExtraAtcExpired = "extra-atc-expired", Status:
        "The extra-ATC entry has expired: the check date is on or after the first day of its expires-in month.";
    ExtraAtcIgnored = "extra-atc-ignored-compat", Status:
        "Reference compatibility: an extra-AC the reference tooling does not read (listed on a TC repository, which it reads as `extra_acs`; or under a key it no longer reads) is ignored.";
    ExcludedNoStatus = "excluded-no-status", Roll:
        "The person holds none of the statuses the roll is made of (for a team roll: none earned in that team).";
    ExcludedNotMember = "excluded-not-member", Roll:
        "The person holds a qualifying status but none of their addresses is on the membership list.";
    ExcludedNoEmail = "excluded-no-email", Roll:
        "The person holds a qualifying status but no e-mail address is known to send a ballot to.";
    ExcludedNoFullName = "excluded-no-full-name", Roll:
        "Reference compatibility: an account without a full name is left off, as the reference tooling does.";
    MembershipNotChecked = "membership-not-checked", Roll:
        "No membership list was given, so nobody was checked against one.";
    OnRoll = "on-roll", Roll:
        "The person is on the roll; the statuses and the criteria that earned them follow.";
    CandidateNotFound = "candidate-not-found", Candidacy:
        "Nobody in the inputs matches the candidate as given (an address, account id, username or name).";
    CandidateAmbiguous = "candidate-ambiguous", Candidacy:
        "Several people match the candidate as given; name them by address or account id.";
    CandidateMember = "candidate-member", Candidacy:
        "The candidate is on the membership list, which is all the roll's candidacy rule (`candidates = \"members\"`) asks.";
    CandidateNotMember = "candidate-not-member", Candidacy:
        "The roll's candidacy rule asks for a Foundation member, and none of the candidate's addresses is on the membership list.";
    CandidateMembershipUnknown = "candidate-membership-unknown", Candidacy:
        "The roll's candidacy rule asks for a Foundation member, but the election gives no membership list to check against.";
    CandidateHoldsStatus = "candidate-holds-status", Candidacy:
        "The candidate holds one of the statuses the roll's candidacy rule names (earned in the team, for a team roll) and passes the roll's membership check.";
    CandidateNoElection = "candidate-no-election", Candidacy:
        "The roll elects nobody: its candidacy rule is `candidates = \"none\"`, or the team's leadership type holds no election for it (a team with distributed leadership elects no PTL).";
    CandidateFileNotAddress = "candidate-file-not-address", Candidacy:
        "A file of the candidates tree is not named by an e-mail address (`candidates/<release>/<Team_Dir>/<email>`).";
    CandidateUnknownTeam = "candidate-unknown-team", Candidacy:
        "A directory of the candidates tree names no project team and no election-wide roll of the policy (`TC`).";
    CandidateFileMisplaced = "candidate-file-misplaced", Candidacy:
        "A file of the candidates tree sits directly in the release directory, outside any team directory.";
    ApplicationOk = "application-ok", Application:
        "Nothing stands in the way of the application.";
    ApplicationAlreadyAtc = "application-already-atc", Application:
        "The applicant already qualifies in that team by code, so an entry would be redundant.";
    ApplicationAlreadyListed = "application-already-listed", Application:
        "An extra-ATC entry for this address and team already exists.";
    ApplicationNotMember = "application-not-member", Application:
        "The applicant is not on the membership list, so the status would not give a vote.";
    ApplicationUnknownTeam = "application-unknown-team", Application:
        "No team, SIG or TC of that name is in the governance files.";
    ApplicationBadEmail = "application-bad-email", Application:
        "The address is not an e-mail address.";
    ApplicationBadExpiry = "application-bad-expiry", Application:
        "`expires-in` is not a month such as \"February 2017\".";
    ApplicationExpiresBeforeElection = "application-expires-before-election", Application:
        "The entry would already have expired at the window end.";
    ApplicationExpiresTooLate = "application-expires-too-late", Application:
        "The entry would last more than 13 months after the window end.";
    InputEmpty = "input-empty", Problem:
        "The file is empty where records were expected.";
    InputNotUtf8 = "input-not-utf8", Problem:
        "The file, or a field of it, is not valid UTF-8.";
    InputMissing = "input-missing", Problem:
        "The election names no file of a kind the rules need (no governance projects file, no membership list), so what depends on it is not checked.";
    HeaderMissingColumn = "header-missing-column", Problem:
        "A CSV header lacks a required column.";
    HeaderDuplicateColumn = "header-duplicate-column", Problem:
        "A CSV header names one column twice.";
    HeaderUnknownColumn = "header-unknown-column", Problem:
        "A CSV header has columns the reader does not use; they are ignored.";
    RowMalformed = "row-malformed", Problem:
        "A record's structure is broken: a CSV row that does not parse, a line that is not JSON, a JSON value that is not a change.";
    ChangeDuplicate = "change-duplicate", Problem:
        "A change was read more than once (a file listed twice, repeated rows, overlapping pages, two exports of the same changes); it is counted once, and the warning names where each copy is.";
    ChangeConflict = "change-conflict", Problem:
        "Two records of one change (same number in the same repository, or same Change-Id on the same branch) disagree about its branch, owner, status or merge time; the error names both (with `--skip-bad-rows` the later record is left out).";
    RecordNotAChange = "record-not-a-change", Problem:
        "A record holds no change to count (a Gerrit stream event other than change-merged); it is skipped.";
    FieldMissing = "field-missing", Problem:
        "A required field of a record is empty or absent.";
    FieldInvalid = "field-invalid", Problem:
        "A field's value does not parse: a timestamp, a number, a month, a nick count.";
    FieldTooLong = "field-too-long", Problem:
        "A field is longer than any real one (1,000 bytes, 254 for an e-mail address); its record is left out.";
    InputTooLarge = "input-too-large", Problem:
        "A file is past one of the limits of docs/outputs.md (\"Limits\"): YAML nested deeper than 64 levels or making more than 200,000 nodes, more than 10,000 people at one meeting. It is not read further.";
    ProblemsNotListed = "problems-not-listed", Problem:
        "A file has more than 1,000 problems: the first 1,000 are listed, and this one counts the rest.";
    AddressInvalid = "address-invalid", Problem:
        "A field that must hold an e-mail address holds something else.";
    AddressCaseVariant = "address-case-variant", Problem:
        "Two spellings of an address differ only in the case of ASCII letters; they are compared as one address, so they are one person (the warning names where each spelling is, to check that they are one mailbox).";
    CoAuthorUnusable = "co-author-unusable", Problem:
        "A Co-Authored-By value names no e-mail address, so nobody can be credited.";
    MergeTimeApproximate = "merge-time-approximate", Problem:
        "A `gerrit query` change has no SUBM approval, so its merge time is taken from `lastUpdated`, which a later comment moves.";
    RepoListedTwice = "repo-listed-twice", Problem:
        "A repository is listed twice in the governance files; the first listing is used.";
    ExtraAcsSpelling = "extra-acs-spelling", Problem:
        "A TC repository lists extra-ACs under `extra_acs` (the spelling the reference tooling reads there); it is read as `extra-acs`.";
    ExtraAtcInvalid = "extra-atc-invalid", Problem:
        "An extra-ATC entry lacks a name, an address or an `expires-in` month, or one of them does not parse; it is left out.";
    ExtraAtcListedTwice = "extra-atc-listed-twice", Problem:
        "One address is listed twice among the extra-ATC entries of one team.";
    ExtraAtcExpiredListed = "extra-atc-expired-listed", Problem:
        "An extra-ATC entry is still listed although its `expires-in` month began on or before the date checked.";
    ExtraAtcExpiring = "extra-atc-expiring", Problem:
        "An extra-ATC entry expires within the period looked ahead (`review --expiring`): a reminder to renew or remove it.";
    YamlInvalid = "yaml-invalid", Problem:
        "A governance file is not valid YAML.";
    YamlDuplicateKey = "yaml-duplicate-key", Problem:
        "A YAML mapping repeats a key; the last value is used, as PyYAML does.";
    ConfigInvalid = "config-invalid", Problem:
        "A configuration file (election, policy, identity, governance) is not valid TOML or YAML.";
    ConfigUnknownKey = "config-unknown-key", Problem:
        "A configuration file has a key the reader does not know (often a typo; the closest known key is suggested).";
    ConfigMissingKey = "config-missing-key", Problem:
        "A configuration file lacks a required key.";
    ConfigInvalidValue = "config-invalid-value", Problem:
        "A configuration value has the wrong type, is out of range, or is not one of the allowed choices.";
    ConfigDuplicateId = "config-duplicate-id", Problem:
        "Two entries of a configuration file share an id that must be unique.";
    IdentityConflict = "identity-conflict", Problem:
        "The identity file gives one address, account, nick or handle to two people.";
    MeetingSummaryInvalid = "meeting-summary-invalid", Problem:
        "A MeetBot summary's file name or content is not what MeetBot writes.";
    GitUnreadable = "git-unreadable", Problem:
        "A commit of a git input cannot be read.";
    RollNameCollision = "roll-name-collision", Problem:
        "Two rolls would be written to one file name (teams `Nova` and `NOVA`, or a team roll and a policy roll of the same name).";
}

impl Code {
    /// The code with this text.
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|c| c.as_str() == text)
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_kebab_case_and_grouped_by_kind() {
        for (i, code) in Code::ALL.iter().enumerate() {
            let text = code.as_str();
            assert!(
                text.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{text} is not kebab-case"
            );
            assert!(
                Code::ALL[i + 1..]
                    .iter()
                    .all(|other| other.as_str() != text),
                "{text} is duplicated"
            );
            assert_eq!(Code::parse(text), Some(*code));
            assert!(
                code.summary().ends_with('.'),
                "{text}'s summary is a sentence"
            );
        }
        let kinds: Vec<CodeKind> = Code::ALL.iter().map(|c| c.kind()).collect();
        assert!(
            kinds.windows(2).all(|w| w[0] <= w[1]),
            "codes are listed kind by kind, in documentation order"
        );
    }
}
