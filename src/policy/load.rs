//! Loading and validating policy files. Two phases: the shape (keys, types, allowed
//! values; every unknown key named with a suggestion), then the meaning (unique ids, rolls
//! naming statuses that exist, codes that do not collide with the engine's). Every
//! problem of both phases is reported at once, each with its line and column.

use std::fmt;
use std::io::Read;
use std::path::Path;

use toml::Spanned;

use crate::digest::sha256_hex;
use crate::keywords;
use crate::located_toml::{Keys, Keyword, Table, Walker};
use crate::model::{Code, MAX_TOML_BYTES, Problem, excerpt};
use crate::policy::pattern::Pattern;
use crate::policy::{
    BranchSelector, Candidates, CodeChangeRule, CreditRule, Criterion, CriterionKind, ExpiryCheck,
    ExtraAtcRule, MeetingAggregate, MeetingRule, MetricRule, Per, Policy, PolicyOrigin,
    RepoSelector, RollDef, RosterRule, Rule, Scope, Share, Status, WindowRule,
};

/// Why a policy could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicyError {
    /// No such shipped policy; the message suggests one.
    Unknown(String),
    /// The file could not be read.
    Unreadable(String),
    /// The file has problems; all of them, located.
    Invalid {
        file: String,
        problems: Vec<Problem>,
    },
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Unknown(message) | Self::Unreadable(message) => f.write_str(message),
            Self::Invalid { file, problems } => {
                write!(
                    f,
                    "policy {file} has {} problem{}:",
                    problems.len(),
                    if problems.len() == 1 { "" } else { "s" }
                )?;
                for problem in problems {
                    write!(f, "\n  {problem}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for PolicyError {}

/// Load a policy file.
///
/// # Errors
/// Unreadable, or invalid (with every problem).
pub fn load_file(path: &Path) -> Result<Policy, PolicyError> {
    let display = path.display().to_string();
    let unreadable = |err: std::io::Error| {
        PolicyError::Unreadable(format!("cannot read policy {display}: {err}"))
    };
    let mut text = String::new();
    // One byte more than a policy may have, to tell one that is too large.
    std::fs::File::open(path)
        .and_then(|file| {
            file.take(MAX_TOML_BYTES as u64 + 1)
                .read_to_string(&mut text)
        })
        .map_err(unreadable)?;
    if text.len() > MAX_TOML_BYTES {
        return Err(PolicyError::Unreadable(format!(
            "policy {display} is larger than {MAX_TOML_BYTES} bytes, expected at most 4 MiB"
        )));
    }
    load_str(&display, &text, PolicyOrigin::File(display.clone()))
}

/// Load a policy from its text; `file` names it in messages.
///
/// # Errors
/// Every problem found, located.
pub fn load_str(file: &str, text: &str, origin: PolicyOrigin) -> Result<Policy, PolicyError> {
    let mut w = Walker::new(file, text);
    let policy = w
        .parse()
        .and_then(|root| read_policy(&mut w, &root, text, origin));
    let mut problems: Vec<Problem> = w.diagnostics.all().to_vec();
    problems.sort_by_key(|p| (p.line, p.column));
    match policy {
        Some(policy) if problems.is_empty() => Ok(policy),
        _ => Err(PolicyError::Invalid {
            file: file.to_owned(),
            problems,
        }),
    }
}

fn read_policy(
    w: &mut Walker<'_>,
    root: &Spanned<Table<'_>>,
    text: &str,
    origin: PolicyOrigin,
) -> Option<Policy> {
    let mut keys = Keys::new(root.get_ref(), "the policy file");
    let header = match keys.get("policy") {
        Some(v) => w.table(v, "policy").map(|t| Spanned::new(v.span(), t)),
        None => {
            w.error(
                Code::ConfigMissingKey,
                root.span(),
                "the policy file has no \"policy\", expected a [policy] table with a name",
            );
            None
        }
    };
    let status_value = keys.get("status");
    let roll_value = keys.get("roll");
    w.unknown_keys(&keys);
    let mut name = None;
    let mut title = None;
    let mut description = None;
    let mut source = None;
    if let Some(header) = &header {
        let mut t = Keys::new(header.get_ref(), "[policy]");
        match t.get("name") {
            Some(v) => name = w.string(v, "policy.name"),
            None => w.error(
                Code::ConfigMissingKey,
                header.span(),
                "[policy] has no \"name\", expected a name such as \"openstack\"",
            ),
        }
        title = t.get("title").and_then(|v| w.string(v, "policy.title"));
        description = t
            .get("description")
            .and_then(|v| w.string(v, "policy.description"));
        source = t.get("source").and_then(|v| w.string(v, "policy.source"));
        w.unknown_keys(&t);
    }

    let mut statuses: Vec<Spanned<Status>> = Vec::new();
    let status_tables = match status_value {
        Some(v) => w.tables(v, "status"),
        None => {
            w.error(
                Code::ConfigMissingKey,
                root.span(),
                "the policy has no [[status]], expected at least one status",
            );
            Vec::new()
        }
    };
    for st in &status_tables {
        if let Some(status) = read_status(w, st) {
            statuses.push(Spanned::new(st.span(), status));
        }
    }

    let mut rolls = Vec::new();
    let roll_tables = match roll_value {
        Some(v) => w.tables(v, "roll"),
        None => {
            w.error(
                Code::ConfigMissingKey,
                root.span(),
                "the policy has no [[roll]], expected at least one roll",
            );
            Vec::new()
        }
    };
    let status_ids: Vec<&str> = statuses.iter().map(|s| s.get_ref().id.as_str()).collect();
    // A roll naming a status that exists but did not validate is not a second problem.
    let declared: Vec<String> = status_tables
        .iter()
        .filter_map(|st| match st.get_ref().get("id").map(Spanned::get_ref) {
            Some(toml::de::DeValue::String(id)) => Some(id.to_string()),
            _ => None,
        })
        .collect();
    for rt in &roll_tables {
        if let Some(roll) = read_roll(w, rt, &status_ids, &declared) {
            rolls.push(Spanned::new(rt.span(), roll));
        }
    }
    check_unique(
        w,
        statuses.iter().map(|s| (s.get_ref().id.as_str(), s.span())),
        "status",
    );
    check_unique(
        w,
        rolls.iter().map(|r| (r.get_ref().id.as_str(), r.span())),
        "roll",
    );
    let criterion_ids: Vec<(&str, std::ops::Range<usize>)> = statuses
        .iter()
        .flat_map(|s| {
            s.get_ref()
                .criteria
                .iter()
                .map(move |c| (c.id.as_str(), s.span()))
        })
        .collect();
    check_unique(w, criterion_ids.iter().cloned(), "criterion");

    let name = name?;
    Some(Policy {
        title: title.unwrap_or_else(|| name.clone()),
        name,
        description,
        source,
        statuses: statuses.into_iter().map(Spanned::into_inner).collect(),
        rolls: rolls.into_iter().map(Spanned::into_inner).collect(),
        origin,
        sha256: sha256_hex(text.as_bytes()),
    })
}

fn check_unique<'a>(
    w: &mut Walker<'_>,
    ids: impl Iterator<Item = (&'a str, std::ops::Range<usize>)>,
    what: &str,
) {
    let mut seen: rustc_hash::FxHashMap<&str, (u64, u64)> = rustc_hash::FxHashMap::default();
    for (id, span) in ids {
        let here = w.locate(span.clone());
        if let Some((line, _)) = seen.get(id) {
            w.error(
                Code::ConfigDuplicateId,
                span,
                format!(
                    "{what} id {} is used twice (first at line {line}), expected unique ids",
                    excerpt(id)
                ),
            );
        } else {
            seen.insert(id, here);
        }
    }
}

/// Ids are kebab-case: they become file names and, for criteria, the code shown when a
/// status is earned.
fn read_id(
    w: &mut Walker<'_>,
    keys: &mut Keys<'_, '_>,
    span: std::ops::Range<usize>,
    path: &str,
) -> Option<String> {
    let Some(value) = keys.get("id") else {
        w.error(
            Code::ConfigMissingKey,
            span,
            format!("{path} has no \"id\", expected a kebab-case id such as \"atc\""),
        );
        return None;
    };
    let id = w.string(value, &format!("{path}.id"))?;
    let valid = !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !id.starts_with('-')
        && !id.ends_with('-');
    if !valid {
        w.field_error(
            value.span(),
            &format!("{path}.id"),
            format!(
                "{} is not a kebab-case id, expected lower-case letters, digits and single hyphens",
                excerpt(&id)
            ),
        );
        return None;
    }
    Some(id)
}

fn read_status(w: &mut Walker<'_>, st: &Spanned<&Table<'_>>) -> Option<Status> {
    let mut t = Keys::new(st.get_ref(), "[[status]]");
    let id = read_id(w, &mut t, st.span(), "status");
    let path = format!("status {}", excerpt(id.as_deref().unwrap_or("?")));
    let title = t.get("title").and_then(|v| w.string(v, "status.title"));
    let scope = match t.get("scope") {
        None => Some(Scope::Global),
        Some(v) => w.keyword::<Scope>(v, "status.scope"),
    };
    let criteria_tables = match t.get("criterion") {
        Some(v) => w.tables(v, "status.criterion"),
        None => {
            w.error(
                Code::ConfigMissingKey,
                st.span(),
                format!("{path} has no [[status.criterion]], expected at least one way to earn it"),
            );
            Vec::new()
        }
    };
    w.unknown_keys(&t);
    let mut criteria = Vec::new();
    let mut ok = true;
    for ct in &criteria_tables {
        match read_criterion(w, ct) {
            Some(c) => criteria.push(c),
            None => ok = false,
        }
    }
    let id = id?;
    let scope = scope?;
    if !ok || criteria.is_empty() {
        return None;
    }
    Some(Status {
        title: title.unwrap_or_else(|| id.clone()),
        id,
        scope,
        criteria,
    })
}

fn read_criterion(w: &mut Walker<'_>, ct: &Spanned<&Table<'_>>) -> Option<Criterion> {
    let mut t = Keys::new(ct.get_ref(), "a criterion");
    let id = read_id(w, &mut t, ct.span(), "criterion");
    if let Some(id) = &id
        && Code::parse(id).is_some()
    {
        w.field_error(
            ct.get_ref().get("id").map_or(ct.span(), Spanned::span),
            "criterion.id",
            format!(
                "{} is an engine decision code, expected a criterion id of its own",
                excerpt(id)
            ),
        );
    }
    let Some(kind_value) = t.get("kind") else {
        let kinds: Vec<&str> = CriterionKind::KEYWORDS.iter().map(|(n, _)| *n).collect();
        w.error(
            Code::ConfigMissingKey,
            ct.span(),
            format!(
                "criterion has no \"kind\", expected one of {}",
                kinds.join(", ")
            ),
        );
        return None;
    };
    let kind = w.keyword::<CriterionKind>(kind_value, "criterion.kind")?;
    // Every field is read before any failure returns, so all problems show.
    let rule = match kind {
        CriterionKind::CodeChange => {
            t = Keys::new(ct.get_ref(), "a code-change criterion");
            t.get("id");
            t.get("kind");
            read_code_change(w, &mut t).map(Rule::CodeChange)
        }
        CriterionKind::Meetings => {
            t = Keys::new(ct.get_ref(), "a meeting-attendance criterion");
            t.get("id");
            t.get("kind");
            read_meetings(w, &mut t, ct.span()).map(Rule::Meetings)
        }
        CriterionKind::Roster => {
            t = Keys::new(ct.get_ref(), "a roster criterion");
            t.get("id");
            t.get("kind");
            let roles = read_patterns(
                w,
                &mut t,
                ct.span(),
                "roles",
                "criteria or roles such as [\"user-group-organiser\"]",
            );
            let window = read_window(w, &mut t);
            let min_count = read_count(w, &mut t, "min_count", 1);
            (|| {
                Some(Rule::Roster(RosterRule {
                    roles: roles?,
                    window: window?,
                    min_count: min_count?,
                }))
            })()
        }
        CriterionKind::AucMetric => {
            t = Keys::new(ct.get_ref(), "an auc-metric criterion");
            t.get("id");
            t.get("kind");
            let identifiers = read_patterns(
                w,
                &mut t,
                ct.span(),
                "identifiers",
                "metric identifiers such as [\"TRACK_CHAIR\"]",
            );
            let expiry = read_expiry(w, &mut t);
            (|| {
                Some(Rule::AucMetric(MetricRule {
                    identifiers: identifiers?,
                    expiry: expiry?,
                }))
            })()
        }
        CriterionKind::ExtraAtc => {
            t = Keys::new(ct.get_ref(), "an extra-atc criterion");
            t.get("id");
            t.get("kind");
            read_expiry(w, &mut t).map(|expiry| Rule::ExtraAtc(ExtraAtcRule { expiry }))
        }
    };
    w.unknown_keys(&t);
    Some(Criterion {
        id: id?,
        rule: rule?,
    })
}

fn read_expiry(w: &mut Walker<'_>, t: &mut Keys<'_, '_>) -> Option<ExpiryCheck> {
    match t.get("expiry") {
        None => Some(ExpiryCheck::WindowEnd),
        Some(v) => w.keyword::<ExpiryCheck>(v, "criterion.expiry"),
    }
}

/// A required, non-empty array of name patterns.
fn read_patterns(
    w: &mut Walker<'_>,
    t: &mut Keys<'_, '_>,
    span: std::ops::Range<usize>,
    key: &'static str,
    expected: &str,
) -> Option<Vec<Pattern>> {
    let field = format!("criterion.{key}");
    let Some(v) = t.get(key) else {
        w.error(
            Code::ConfigMissingKey,
            span,
            format!("criterion has no \"{key}\", expected {expected}"),
        );
        return None;
    };
    match w.strings(v, &field) {
        Some(list) if !list.is_empty() => {
            Some(list.iter().map(|p| Pattern::new(p.get_ref())).collect())
        }
        Some(_) => {
            w.field_error(v.span(), &field, format!("is empty, expected {expected}"));
            None
        }
        None => None,
    }
}

/// `window = "election"` (the default) or `{ days = N }`.
fn read_window(w: &mut Walker<'_>, t: &mut Keys<'_, '_>) -> Option<WindowRule> {
    let Some(v) = t.get("window") else {
        return Some(WindowRule::Election);
    };
    match v.get_ref() {
        toml::de::DeValue::String(s) if s == "election" => Some(WindowRule::Election),
        toml::de::DeValue::Table(inner) => {
            let mut inner = Keys::new(inner, "criterion.window");
            let days = inner.get("days");
            w.unknown_keys(&inner);
            match days {
                Some(d) => w
                    .unsigned(d, "criterion.window.days", 1..=36_500)
                    .map(|days| WindowRule::Trailing {
                        days: u32::try_from(days).unwrap_or(u32::MAX),
                    }),
                None => {
                    w.field_error(v.span(), "criterion.window", "expected { days = N }");
                    None
                }
            }
        }
        _ => {
            w.field_error(
                v.span(),
                "criterion.window",
                "expected \"election\" or { days = N }",
            );
            None
        }
    }
}

/// An optional whole-number threshold with a default.
fn read_count(
    w: &mut Walker<'_>,
    t: &mut Keys<'_, '_>,
    key: &'static str,
    default: u32,
) -> Option<u32> {
    match t.get(key) {
        None => Some(default),
        Some(v) => w
            .unsigned(v, &format!("criterion.{key}"), 0..=1_000_000_000)
            .map(|n| u32::try_from(n).unwrap_or(u32::MAX)),
    }
}

fn read_meetings(
    w: &mut Walker<'_>,
    t: &mut Keys<'_, '_>,
    span: std::ops::Range<usize>,
) -> Option<MeetingRule> {
    let meetings = match t.get("meetings") {
        None => Some(None),
        Some(v) if matches!(v.get_ref(), toml::de::DeValue::String(s) if s == "any") => Some(None),
        Some(_) => read_patterns(
            w,
            t,
            span,
            "meetings",
            "\"any\" or meeting ids such as [\"ops_meetups_team\"]",
        )
        .map(Some),
    };
    let window = read_window(w, t);
    let min_meetings = read_count(w, t, "min_meetings", 1);
    let min_lines = read_count(w, t, "min_lines", 0);
    let min_share = match t.get("min_share") {
        None => Some(None),
        Some(v) => {
            w.number_text(v, "criterion.min_share")
                .and_then(|text| match parse_share(&text) {
                    Some(share) => Some(Some(share)),
                    None => {
                        w.field_error(
                            v.span(),
                            "criterion.min_share",
                            format!(
                                "{text} is not a share, expected a number from 0 to 1 such as 0.25"
                            ),
                        );
                        None
                    }
                })
        }
    };
    let per = match t.get("per") {
        None => Some(MeetingAggregate::Series),
        Some(v) => w.keyword::<MeetingAggregate>(v, "criterion.per"),
    };
    Some(MeetingRule {
        meetings: meetings?,
        window: window?,
        min_meetings: min_meetings?,
        min_share: min_share?,
        min_lines: min_lines?,
        per: per?,
    })
}

/// `0.25` → 25/100, exactly: shares are compared without floating point.
fn parse_share(text: &str) -> Option<Share> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if whole.is_empty() && fraction.is_empty()
        || fraction.len() > 9
        || !fraction.chars().all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let whole: u64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let denominator = 10u64.pow(u32::try_from(fraction.len()).ok()?);
    let numerator = whole * denominator
        + if fraction.is_empty() {
            0
        } else {
            fraction.parse::<u64>().ok()?
        };
    (numerator <= denominator).then_some(Share {
        numerator,
        denominator,
    })
}

/// `repos = "governed"` or `branches = "any"` (the word), or an array of patterns.
fn read_selector(
    w: &mut Walker<'_>,
    v: &crate::located_toml::Value<'_>,
    field: &str,
    word: &str,
    example: &str,
) -> Option<Option<Vec<Pattern>>> {
    match v.get_ref() {
        toml::de::DeValue::String(s) if s == word => Some(None),
        toml::de::DeValue::Array(_) => match w.strings(v, field) {
            Some(list) if !list.is_empty() => Some(Some(
                list.iter().map(|p| Pattern::new(p.get_ref())).collect(),
            )),
            _ => {
                w.field_error(
                    v.span(),
                    field,
                    format!("expected \"{word}\" or a non-empty array of {example}"),
                );
                None
            }
        },
        _ => {
            w.field_error(
                v.span(),
                field,
                format!("expected \"{word}\" or an array of {example}"),
            );
            None
        }
    }
}

fn read_code_change(w: &mut Walker<'_>, t: &mut Keys<'_, '_>) -> Option<CodeChangeRule> {
    let repos = match t.get("repos") {
        None => Some(RepoSelector::Governed),
        Some(v) => read_selector(
            w,
            v,
            "criterion.repos",
            "governed",
            "repository patterns such as [\"openstack/osops-*\"]",
        )
        .map(|patterns| patterns.map_or(RepoSelector::Governed, RepoSelector::Matching)),
    };
    let branches = match t.get("branches") {
        None => Some(BranchSelector::Any),
        Some(v) => read_selector(
            w,
            v,
            "criterion.branches",
            "any",
            "branch patterns such as [\"stable/*\"]",
        )
        .map(|patterns| patterns.map_or(BranchSelector::Any, BranchSelector::Matching)),
    };
    let credit = match t.get("credit") {
        None => Some(vec![CreditRule::Owner]),
        Some(v) => read_credit(w, v),
    };
    let window = read_window(w, t);
    let min_count = match (read_count(w, t, "min_count", 1), t.get("min_count")) {
        (Some(0), Some(v)) => {
            w.field_error(
                v.span(),
                "criterion.min_count",
                "0 is out of range, expected a whole number from 1",
            );
            None
        }
        (count, _) => count,
    };
    Some(CodeChangeRule {
        repos: repos?,
        branches: branches?,
        credit: credit?,
        window: window?,
        min_count: min_count?,
    })
}

/// A credit: `"owner"`, `"co-author"`, or `{ reviewer = "LABEL", values = [VOTES] }`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CreditWord {
    Owner,
    CoAuthor,
}

keywords!(CreditWord {
    "owner" => CreditWord::Owner,
    "co-author" => CreditWord::CoAuthor,
});

fn read_credit(w: &mut Walker<'_>, v: &crate::located_toml::Value<'_>) -> Option<Vec<CreditRule>> {
    let toml::de::DeValue::Array(items) = v.get_ref() else {
        w.field_error(
            v.span(),
            "criterion.credit",
            "expected an array such as [\"owner\", \"co-author\"]",
        );
        return None;
    };
    let mut out = Vec::new();
    let mut ok = true;
    for item in &**items {
        match item.get_ref() {
            toml::de::DeValue::String(s) => {
                match CreditWord::KEYWORDS
                    .iter()
                    .find(|(name, _)| *name == s.as_ref())
                {
                    Some((_, CreditWord::Owner)) => out.push(CreditRule::Owner),
                    Some((_, CreditWord::CoAuthor)) => out.push(CreditRule::CoAuthor),
                    None => {
                        let hint = crate::suggest::closest(s, &["owner", "co-author", "reviewer"])
                            .map(|c| format!(" (did you mean \"{c}\"?)"))
                            .unwrap_or_default();
                        w.field_error(
                            item.span(),
                            "criterion.credit",
                            format!("{} is not a credit, expected \"owner\", \"co-author\" or {{ reviewer = \"Code-Review\", values = [2, -2] }}{hint}", excerpt(s)),
                        );
                        ok = false;
                    }
                }
            }
            toml::de::DeValue::Table(table) => {
                let mut t = Keys::new(table, "a reviewer credit");
                let label = t
                    .get("reviewer")
                    .and_then(|l| w.string(l, "criterion.credit.reviewer"));
                let values: Option<Vec<i8>> = t.get("values").and_then(|vals| {
                    let toml::de::DeValue::Array(list) = vals.get_ref() else {
                        w.field_error(
                            vals.span(),
                            "criterion.credit.values",
                            "expected an array of votes such as [2, -2]",
                        );
                        return None;
                    };
                    let mut votes = Vec::new();
                    for vote in &**list {
                        match w
                            .integer(vote, "criterion.credit.values")
                            .and_then(|n| i8::try_from(n).ok())
                        {
                            Some(n) => votes.push(n),
                            None => return None,
                        }
                    }
                    Some(votes)
                });
                w.unknown_keys(&t);
                match (label, values) {
                    (Some(label), Some(values)) if !values.is_empty() => {
                        out.push(CreditRule::Reviewer { label, values });
                    }
                    _ => {
                        w.field_error(
                            item.span(),
                            "criterion.credit",
                            "a reviewer credit needs reviewer = \"LABEL\" and values = [VOTES]",
                        );
                        ok = false;
                    }
                }
            }
            other => {
                w.field_error(
                    item.span(),
                    "criterion.credit",
                    format!(
                        "found {}, expected \"owner\", \"co-author\" or a reviewer table",
                        other.type_str()
                    ),
                );
                ok = false;
            }
        }
    }
    if out.is_empty() && ok {
        w.field_error(
            v.span(),
            "criterion.credit",
            "is empty, expected at least one of \"owner\", \"co-author\", a reviewer table",
        );
        ok = false;
    }
    ok.then_some(out)
}

fn read_roll(
    w: &mut Walker<'_>,
    rt: &Spanned<&Table<'_>>,
    status_ids: &[&str],
    declared: &[String],
) -> Option<RollDef> {
    let mut t = Keys::new(rt.get_ref(), "[[roll]]");
    let id = read_id(w, &mut t, rt.span(), "roll");
    let title = t.get("title").and_then(|v| w.string(v, "roll.title"));
    let per = match t.get("per") {
        None => Some(Per::Election),
        Some(v) => w.keyword::<Per>(v, "roll.per"),
    };
    let members_only = match t.get("members_only") {
        None => Some(true),
        Some(v) => w.boolean(v, "roll.members_only"),
    };
    let mut statuses = Vec::new();
    let mut ok = true;
    let leadership = match t.get("leadership") {
        None => None,
        Some(v) if per != Some(Per::Team) => {
            if per.is_some() {
                w.field_error(
                    v.span(),
                    "roll.leadership",
                    "applies to per-team rolls only, expected per = \"team\" or no leadership key",
                );
            }
            ok = false;
            None
        }
        Some(v) => match w.strings(v, "roll.leadership") {
            Some(kinds) if kinds.is_empty() => {
                w.field_error(
                    v.span(),
                    "roll.leadership",
                    "is empty, expected the leadership types of the teams that get this roll, such as [\"ptl\"]",
                );
                ok = false;
                None
            }
            Some(kinds) => Some(kinds.into_iter().map(Spanned::into_inner).collect()),
            None => {
                ok = false;
                None
            }
        },
    };
    match t.get("statuses") {
        None => {
            w.error(
                Code::ConfigMissingKey,
                rt.span(),
                "roll has no \"statuses\", expected the ids of the statuses that vote in it",
            );
            ok = false;
        }
        Some(v) => {
            for s in w.strings(v, "roll.statuses").unwrap_or_default() {
                match status_ids.iter().position(|id| *id == s.get_ref()) {
                    Some(i) => statuses.push(i),
                    None if declared.iter().any(|d| d == s.get_ref()) => ok = false,
                    None => {
                        let hint = crate::suggest::closest(s.get_ref(), status_ids)
                            .map(|c| format!(" (did you mean \"{c}\"?)"))
                            .unwrap_or_default();
                        w.field_error(
                            s.span(),
                            "roll.statuses",
                            format!(
                                "no status {} in this policy, expected one of {}{hint}",
                                excerpt(s.get_ref()),
                                status_ids.join(", ")
                            ),
                        );
                        ok = false;
                    }
                }
            }
            if statuses.is_empty() && ok {
                w.field_error(
                    v.span(),
                    "roll.statuses",
                    "is empty, expected at least one status id",
                );
                ok = false;
            }
        }
    }
    let candidates = read_candidates(w, &mut t, status_ids, declared);
    w.unknown_keys(&t);
    let id = id?;
    if !ok {
        return None;
    }
    Some(RollDef {
        candidates: candidates?,
        title: title.unwrap_or_else(|| id.clone()),
        id,
        statuses,
        per: per?,
        members_only: members_only?,
        leadership,
    })
}

/// The words `candidates` takes besides a list of statuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CandidatesWord {
    Members,
    Roll,
    Nobody,
}

keywords!(CandidatesWord {
    "members" => CandidatesWord::Members,
    "roll" => CandidatesWord::Roll,
    "none" => CandidatesWord::Nobody,
});

/// `candidates = "members" | "roll" | "none" | ["status", ...]`; `"roll"` when absent.
fn read_candidates(
    w: &mut Walker<'_>,
    t: &mut Keys<'_, '_>,
    status_ids: &[&str],
    declared: &[String],
) -> Option<Candidates> {
    const EXPECTED: &str =
        "\"members\", \"roll\", \"none\" or a list of status ids such as [\"atc\"]";
    let Some(v) = t.get("candidates") else {
        return Some(Candidates::Roll);
    };
    match v.get_ref() {
        toml::de::DeValue::String(_) => {
            w.keyword::<CandidatesWord>(v, "roll.candidates")
                .map(|word| match word {
                    CandidatesWord::Members => Candidates::Members,
                    CandidatesWord::Roll => Candidates::Roll,
                    CandidatesWord::Nobody => Candidates::Nobody,
                })
        }
        toml::de::DeValue::Array(_) => {
            let listed = w.strings(v, "roll.candidates")?;
            if listed.is_empty() {
                w.field_error(
                    v.span(),
                    "roll.candidates",
                    format!("is empty, expected {EXPECTED}"),
                );
                return None;
            }
            let mut statuses = Vec::new();
            let mut ok = true;
            for s in listed {
                match status_ids.iter().position(|id| *id == s.get_ref()) {
                    Some(i) => statuses.push(i),
                    None if declared.iter().any(|d| d == s.get_ref()) => ok = false,
                    None => {
                        let hint = crate::suggest::closest(s.get_ref(), status_ids)
                            .map(|c| format!(" (did you mean \"{c}\"?)"))
                            .unwrap_or_default();
                        w.field_error(
                            s.span(),
                            "roll.candidates",
                            format!(
                                "no status \"{}\" in this policy, expected one of {}{hint}",
                                s.get_ref(),
                                status_ids.join(", ")
                            ),
                        );
                        ok = false;
                    }
                }
            }
            statuses.sort_unstable();
            statuses.dedup();
            ok.then_some(Candidates::Statuses(statuses))
        }
        other => {
            w.field_error(
                v.span(),
                "roll.candidates",
                format!("found {}, expected {EXPECTED}", other.type_str()),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str) -> Vec<String> {
        match load_str("p.toml", text, PolicyOrigin::File("p.toml".into())) {
            Ok(_) => Vec::new(),
            Err(PolicyError::Invalid { problems, .. }) => {
                problems.iter().map(ToString::to_string).collect()
            }
            Err(other) => vec![other.to_string()],
        }
    }

    const MINIMAL: &str = r#"
[policy]
name = "mini"

[[status]]
id = "atc"
scope = "team"

[[status.criterion]]
id = "atc-merged-change"
kind = "code-change"

[[roll]]
id = "tc"
statuses = ["atc"]
"#;

    #[test]
    fn defaults_fill_a_minimal_policy() {
        let p = load_str("p.toml", MINIMAL, PolicyOrigin::Builtin).unwrap();
        let Rule::CodeChange(rule) = &p.statuses[0].criteria[0].rule else {
            panic!()
        };
        assert!(matches!(rule.repos, RepoSelector::Governed));
        assert!(matches!(rule.branches, BranchSelector::Any));
        assert_eq!(rule.credit, [CreditRule::Owner]);
        assert_eq!(rule.window, WindowRule::Election);
        assert_eq!(rule.min_count, 1);
        assert!(p.rolls[0].members_only);
        assert_eq!(p.title, "mini");
    }

    #[test]
    fn every_problem_is_reported_at_once_with_its_place() {
        let text = r#"
[policy]
name = "bad"
titel = "x"

[[status]]
id = "atc"
scope = "teams"

[[status.criterion]]
id = "Merged"
kind = "code-change"
branchs = ["stable/*"]
window = { days = 0 }
credit = ["owner", "reviewers"]

[[status]]
id = "atc"

[[status.criterion]]
id = "on-roll"
kind = "extra-atc"

[[roll]]
id = "tc"
statuses = ["act"]
"#;
        assert_eq!(
            problems(text),
            [
                "p.toml:4:1: unknown key \"titel\" in [policy], did you mean \"title\"?",
                "p.toml:8:9: field status.scope: \"teams\" is not one of \"team\", \"global\" (did you mean \"team\"?)",
                "p.toml:11:6: field criterion.id: \"Merged\" is not a kebab-case id, expected lower-case letters, digits and single hyphens",
                "p.toml:13:1: unknown key \"branchs\" in a code-change criterion, did you mean \"branches\"?",
                "p.toml:14:19: field criterion.window.days: 0 is out of range, expected a whole number from 1 to 36500",
                "p.toml:15:20: field criterion.credit: \"reviewers\" is not a credit, expected \"owner\", \"co-author\" or { reviewer = \"Code-Review\", values = [2, -2] } (did you mean \"reviewer\"?)",
                "p.toml:21:6: field criterion.id: \"on-roll\" is an engine decision code, expected a criterion id of its own",
                "p.toml:26:13: field roll.statuses: no status \"act\" in this policy, expected one of atc (did you mean \"atc\"?)",
            ]
        );
    }

    #[test]
    fn operator_criteria_are_validated_too() {
        let text = r#"
[policy]
name = "ops"

[[status]]
id = "auc"

[[status.criterion]]
id = "wg"
kind = "meeting-attendance"
min_share = 1.5
per = "each"
meetings = []

[[status.criterion]]
id = "organisers"
kind = "roster"
window = { weeks = 26 }

[[status.criterion]]
id = "metrics"
kind = "auc-metric"
identifiers = ["*"]
expiry = "whenever"

[[status.criterion]]
id = "moderators"
kind = "rooster"

[[roll]]
id = "uc"
statuses = ["auc"]
"#;
        assert_eq!(
            problems(text),
            [
                "p.toml:11:13: field criterion.min_share: 1.5 is not a share, expected a number from 0 to 1 such as 0.25",
                "p.toml:12:7: field criterion.per: \"each\" is not one of \"series\", \"all\"",
                "p.toml:13:12: field criterion.meetings: is empty, expected \"any\" or meeting ids such as [\"ops_meetups_team\"]",
                "p.toml:15:1: criterion has no \"roles\", expected criteria or roles such as [\"user-group-organiser\"]",
                "p.toml:18:10: field criterion.window: expected { days = N }",
                "p.toml:18:12: unknown key \"weeks\" in criterion.window, expected one of days",
                "p.toml:24:10: field criterion.expiry: \"whenever\" is not one of \"window-end\", \"as-of\", \"never\"",
                "p.toml:28:8: field criterion.kind: \"rooster\" is not one of \"code-change\", \"extra-atc\", \"meeting-attendance\", \"roster\", \"auc-metric\" (did you mean \"roster\"?)",
            ]
        );
    }

    #[test]
    fn shares_are_exact() {
        assert_eq!(
            parse_share("0.25"),
            Some(Share {
                numerator: 25,
                denominator: 100
            })
        );
        assert_eq!(
            parse_share("1"),
            Some(Share {
                numerator: 1,
                denominator: 1
            })
        );
        assert_eq!(
            parse_share(".5"),
            Some(Share {
                numerator: 5,
                denominator: 10
            })
        );
        assert_eq!(parse_share("1.01"), None);
        assert_eq!(parse_share("-0.1"), None);
        assert!(
            Share {
                numerator: 25,
                denominator: 100
            }
            .reached(2, 8)
        );
        assert!(
            !Share {
                numerator: 25,
                denominator: 100
            }
            .reached(1, 5)
        );
        assert!(
            !Share {
                numerator: 0,
                denominator: 1
            }
            .reached(0, 0),
            "no meetings held: no share reached"
        );
    }

    #[test]
    fn duplicate_ids_are_named_with_the_first_place() {
        let text = format!("{MINIMAL}\n[[roll]]\nid = \"tc\"\nstatuses = [\"atc\"]\n");
        assert_eq!(
            problems(&text),
            ["p.toml:17:1: roll id \"tc\" is used twice (first at line 13), expected unique ids"]
        );
    }

    #[test]
    fn leadership_applies_to_team_rolls() {
        let text = format!(
            "{MINIMAL}\n[[roll]]\nid = \"ptl\"\nper = \"team\"\nstatuses = [\"atc\"]\nleadership = [\"ptl\"]\n"
        );
        let policy = load_str("p.toml", &text, PolicyOrigin::Builtin).unwrap();
        assert_eq!(policy.rolls[1].leadership, Some(vec!["ptl".to_owned()]));
        assert_eq!(policy.rolls[0].leadership, None);
        let text = format!(
            "{MINIMAL}leadership = [\"ptl\"]\n\n[[roll]]\nid = \"ptl\"\nper = \"team\"\nstatuses = [\"atc\"]\nleadership = []\n"
        );
        assert_eq!(
            problems(&text),
            [
                "p.toml:16:14: field roll.leadership: applies to per-team rolls only, expected per = \"team\" or no leadership key",
                "p.toml:22:14: field roll.leadership: is empty, expected the leadership types of the teams that get this roll, such as [\"ptl\"]",
            ]
        );
    }

    #[test]
    fn candidacy_rules_are_read_and_checked() {
        let p = load_str("p.toml", MINIMAL, PolicyOrigin::Builtin).unwrap();
        assert_eq!(p.rolls[0].candidates, Candidates::Roll, "the default");
        for (value, expected) in [
            ("\"members\"", Candidates::Members),
            ("\"none\"", Candidates::Nobody),
            ("[\"atc\", \"atc\"]", Candidates::Statuses(vec![0])),
        ] {
            let text = format!("{MINIMAL}candidates = {value}\n");
            let p = load_str("p.toml", &text, PolicyOrigin::Builtin).unwrap();
            assert_eq!(p.rolls[0].candidates, expected, "{value}");
        }
        for (value, expected) in [
            (
                "\"member\"",
                "p.toml:16:14: field roll.candidates: \"member\" is not one of \"members\", \"roll\", \"none\" (did you mean \"members\"?)",
            ),
            (
                "[\"act\"]",
                "p.toml:16:15: field roll.candidates: no status \"act\" in this policy, expected one of atc (did you mean \"atc\"?)",
            ),
            (
                "[]",
                "p.toml:16:14: field roll.candidates: is empty, expected \"members\", \"roll\", \"none\" or a list of status ids such as [\"atc\"]",
            ),
            (
                "true",
                "p.toml:16:14: field roll.candidates: found boolean, expected \"members\", \"roll\", \"none\" or a list of status ids such as [\"atc\"]",
            ),
        ] {
            let text = format!("{MINIMAL}candidates = {value}\n");
            assert_eq!(problems(&text), [expected], "{value}");
        }
    }

    #[test]
    fn toml_syntax_errors_are_located() {
        let found = problems("[policy\nname = 1\n");
        assert_eq!(found.len(), 1);
        assert!(found[0].starts_with("p.toml:1:"), "{found:?}");
    }
}
