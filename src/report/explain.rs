//! `explain` rendered as text for a person and as JSON for scripts (contract in
//! `docs/outputs.md`).

use std::fmt::Write;

use serde::Serialize;

use crate::identity::{Link, Record};
use crate::ingest::inputs::Bundle;
use crate::model::{Placement, describe_duration, format_instant};
use crate::policy::evaluate::{Dates, Engine};
use crate::report::roll::evidence_reference;
use crate::roll::Decision;
use crate::roll::explain::Explanation;

#[derive(Debug, Serialize)]
pub struct ExplainJson {
    pub person: String,
    pub name: Option<String>,
    pub email: Option<String>,
    pub account_ids: Vec<u64>,
    pub usernames: Vec<String>,
    pub emails: Vec<String>,
    pub member_id: Option<String>,
    pub membership_checked: bool,
    pub merged_because: Vec<String>,
    pub extra_atcs: Vec<ExtraAtcJson>,
    pub changes: Vec<ChangeJson>,
    /// Contributions other than changes: meetings attended, roster and metrics rows.
    pub activities: Vec<ActivityJson>,
    pub statuses: Vec<StatusJson>,
    pub not_earned: Vec<MissJson>,
    pub rolls: Vec<RollJson>,
}

#[derive(Debug, Serialize)]
pub struct ExtraAtcJson {
    pub team: String,
    pub expires_in: String,
    pub listed_at: String,
}

#[derive(Debug, Serialize)]
pub struct ChangeJson {
    pub source: String,
    pub change: Option<String>,
    pub repo: String,
    pub branch: String,
    pub merged_at: Option<String>,
    pub role: &'static str,
    pub decisions: Vec<DecisionJson>,
}

#[derive(Debug, Serialize)]
pub struct ActivityJson {
    /// `meeting`, `roster` or `auc-metric`.
    pub kind: &'static str,
    pub what: String,
    pub at: Option<String>,
    pub source: String,
}

#[derive(Debug, Serialize)]
pub struct DecisionJson {
    pub criterion: String,
    pub code: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct StatusJson {
    pub status: String,
    pub criterion: String,
    pub team: Option<String>,
    pub qualifying_changes: u32,
    pub first_change: Option<String>,
    pub last_change: Option<String>,
    pub extra_atc_expires: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct MissJson {
    pub criterion: String,
    pub code: &'static str,
    pub team: Option<String>,
    pub detail: String,
}

#[derive(Debug, Serialize)]
pub struct RollJson {
    pub roll: String,
    pub on_roll: bool,
    pub code: &'static str,
}

fn placement_detail(placement: Option<Placement>) -> Option<String> {
    match placement {
        Some(Placement::Before(delta)) => Some(format!(
            "{} before the window start",
            describe_duration(delta)
        )),
        Some(Placement::After(delta)) if delta.is_zero() => {
            Some("exactly at the window end, which is outside".to_owned())
        }
        Some(Placement::After(delta)) => {
            Some(format!("{} after the window end", describe_duration(delta)))
        }
        _ => None,
    }
}

/// The structured explanation.
#[must_use]
pub fn to_json(
    engine: &Engine<'_>,
    bundle: &Bundle,
    dates: &Dates,
    explanation: &Explanation,
) -> ExplainJson {
    let person = explanation.person;
    let profile = &engine.profiles[person.index()];
    let log = &bundle.log;
    let team_name = |t: Option<crate::ingest::governance::TeamIdx>| {
        t.map(|t| bundle.governance.team(t).name.clone())
    };
    let record_name = |r: &Record| match *r {
        Record::Account(a) => {
            let account = &log.accounts[a.index()];
            match account.gerrit_id {
                Some(id) => format!("account {id}"),
                None => format!(
                    "account {}",
                    account
                        .emails
                        .first()
                        .map_or("?", |e| log.symbols.resolve(*e))
                ),
            }
        }
        Record::ExtraAtc(e) => format!(
            "extra-ATC entry at {}",
            bundle
                .sources
                .locate(bundle.governance.extra_atcs[e].origin)
        ),
        Record::Member(m) => format!(
            "member {}",
            bundle
                .members
                .as_ref()
                .and_then(|ms| ms.members.get(m))
                .map_or("?", |m| m.id.as_str())
        ),
        Record::Declared(d) => format!(
            "the identity file entry at {}",
            bundle
                .declared
                .get(d)
                .map_or_else(String::new, |p| bundle.sources.locate(p.origin))
        ),
        Record::Nick(n) => format!(
            "IRC nick {}",
            bundle.activities.nicks.get(n).map_or("?", String::as_str)
        ),
        Record::Roster(r) => format!(
            "roster row {}",
            bundle
                .activities
                .roster
                .get(r)
                .map_or_else(String::new, |e| bundle.sources.locate(e.origin))
        ),
        Record::Metric(m) => format!(
            "AUC metrics row {}",
            bundle
                .activities
                .metrics
                .get(m)
                .map_or_else(String::new, |e| bundle.sources.locate(e.origin))
        ),
    };
    // A member record joined to one account says nothing worth a line (membership is shown
    // on its own); a member record joining several records is why they are one person.
    let mut merged_because: Vec<String> = Vec::new();
    let mut via_member: Vec<(&String, Vec<&Record>)> = Vec::new();
    for (a, b, link) in &explanation.links {
        match link {
            Link::SharedEmail(email) => {
                merged_because.push(format!(
                    "{} and {} share {email}",
                    record_name(a),
                    record_name(b)
                ));
            }
            Link::SharedHandle(handle) => {
                merged_because.push(format!(
                    "{} and {} share {handle}",
                    record_name(a),
                    record_name(b)
                ));
            }
            Link::SameMember(id) => {
                let other = if matches!(a, Record::Member(_)) { b } else { a };
                match via_member.iter_mut().find(|(m, _)| *m == id) {
                    Some((_, others)) => others.push(other),
                    None => via_member.push((id, vec![other])),
                }
            }
        }
    }
    for (id, others) in via_member {
        if others.len() > 1 {
            let names: Vec<String> = others.into_iter().map(record_name).collect();
            merged_because.push(format!(
                "{} all have addresses of member {id}",
                names.join(", ")
            ));
        }
    }
    let extra_atcs = explanation
        .records
        .iter()
        .filter_map(|r| match r {
            Record::ExtraAtc(e) => bundle.governance.extra_atcs.get(*e),
            _ => None,
        })
        .map(|e| ExtraAtcJson {
            team: bundle.governance.team(e.team).name.clone(),
            expires_in: e.expires_in.to_string(),
            listed_at: bundle.sources.locate(e.origin),
        })
        .collect();
    let activities = activities_of(bundle, &explanation.records);
    let changes = explanation
        .changes
        .iter()
        .map(|verdict| {
            let change = &log.changes[verdict.change as usize];
            let owner = engine.people.of_account(change.owner) == person;
            ChangeJson {
                source: bundle.sources.locate(change.origin),
                change: change.label(log),
                repo: log.symbols.resolve(change.repo).to_owned(),
                branch: log.symbols.resolve(change.branch).to_owned(),
                merged_at: change.merged_at.map(format_instant),
                role: if owner { "owner" } else { "credited" },
                decisions: verdict
                    .dispositions
                    .iter()
                    .map(|(ci, d)| DecisionJson {
                        criterion: engine.criteria[*ci].id.to_owned(),
                        code: d.code.code,
                        detail: placement_detail(d.placement).or_else(|| {
                            (d.code.code == "change-not-merged")
                                .then(|| {
                                    change
                                        .status
                                        .map(|s| format!("status {}", log.symbols.resolve(s)))
                                })
                                .flatten()
                        }),
                    })
                    .collect(),
            }
        })
        .collect();
    let statuses = explanation
        .grants
        .iter()
        .map(|g| StatusJson {
            status: engine.policy.statuses[g.status].id.clone(),
            criterion: engine.criteria[g.criterion].id.to_owned(),
            team: team_name(g.team),
            qualifying_changes: g.count,
            first_change: g
                .first
                .map(|(t, c)| format!("{} {}", format_instant(t), evidence_reference(bundle, c))),
            last_change: g
                .last
                .map(|(t, c)| format!("{} {}", format_instant(t), evidence_reference(bundle, c))),
            extra_atc_expires: g
                .extra_atc
                .and_then(|e| engine.extra_atc_expiry(e))
                .map(|m| m.to_string()),
        })
        .collect();
    let not_earned = explanation
        .misses
        .iter()
        .map(|m| {
            let criterion = &engine.criteria[m.criterion];
            let detail = match m
                .extra_atc
                .and_then(|e| bundle.governance.extra_atcs.get(e))
            {
                Some(extra) => {
                    let checked = match criterion.rule {
                        crate::policy::Rule::ExtraAtc(rule) => {
                            engine.expiry_checked_at(rule.expiry, dates)
                        }
                        _ => None,
                    };
                    match checked {
                        Some(at) => format!(
                            "expires in {}: not valid from {}, checked at {}",
                            extra.expires_in,
                            format_instant(extra.expires_in.first_instant()),
                            format_instant(at)
                        ),
                        None => format!("listed at {}", bundle.sources.locate(extra.origin)),
                    }
                }
                None => m.detail.clone().unwrap_or_else(|| {
                    format!(
                        "{} qualifying contribution{} counted",
                        m.count,
                        if m.count == 1 { "" } else { "s" }
                    )
                }),
            };
            MissJson {
                criterion: criterion.id.to_owned(),
                code: m.code.code,
                team: team_name(m.team),
                detail,
            }
        })
        .collect();
    let rolls = explanation
        .rolls
        .iter()
        .map(|v| RollJson {
            roll: v.roll.clone(),
            on_roll: matches!(v.decision, Decision::On(_)),
            code: Explanation::code_for(&v.decision).code,
        })
        .collect();
    ExplainJson {
        person: profile.key.clone(),
        name: profile.name.clone(),
        email: profile.email.clone(),
        account_ids: profile.account_ids.clone(),
        usernames: profile.usernames.clone(),
        emails: engine.people.person(person).emails.clone(),
        member_id: profile
            .member
            .and_then(|m| bundle.members.as_ref().and_then(|ms| ms.members.get(m)))
            .map(|m| m.id.clone()),
        membership_checked: explanation.membership_checked,
        merged_because,
        extra_atcs,
        changes,
        activities,
        statuses,
        not_earned,
        rolls,
    }
}

/// Meetings attended, roster rows and metrics rows behind a person's records, by time.
fn activities_of(bundle: &Bundle, records: &[Record]) -> Vec<ActivityJson> {
    let a = &bundle.activities;
    let mut out: Vec<(Option<crate::model::Instant>, ActivityJson)> = Vec::new();
    for record in records {
        match *record {
            Record::Nick(n) => {
                for attendance in a.attendance.iter().filter(|x| x.nick as usize == n) {
                    let Some(meeting) = a.meetings.get(attendance.meeting as usize) else {
                        continue;
                    };
                    out.push((
                        Some(meeting.at),
                        ActivityJson {
                            kind: "meeting",
                            what: format!(
                                "{} as {}, {} lines said",
                                meeting.series,
                                a.nicks.get(n).map_or("?", String::as_str),
                                attendance.lines
                            ),
                            at: Some(format_instant(meeting.at)),
                            source: bundle.sources.locate(attendance.origin),
                        },
                    ));
                }
            }
            Record::Roster(r) => {
                if let Some(entry) = a.roster.get(r) {
                    let evidence = entry
                        .evidence
                        .as_deref()
                        .map(|e| format!(": {e}"))
                        .unwrap_or_default();
                    out.push((
                        Some(entry.at),
                        ActivityJson {
                            kind: "roster",
                            what: format!("{}{evidence}", entry.role),
                            at: Some(format_instant(entry.at)),
                            source: bundle.sources.locate(entry.origin),
                        },
                    ));
                }
            }
            Record::Metric(m) => {
                if let Some(entry) = a.metrics.get(m) {
                    let expires = entry
                        .expires
                        .map(|e| format!(", expires {}", format_instant(e)))
                        .unwrap_or_default();
                    out.push((
                        entry.expires,
                        ActivityJson {
                            kind: "auc-metric",
                            what: format!("{} {}{expires}", entry.identifier, entry.value),
                            at: None,
                            source: bundle.sources.locate(entry.origin),
                        },
                    ));
                }
            }
            _ => {}
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.source.cmp(&b.1.source)));
    out.into_iter().map(|(_, activity)| activity).collect()
}

/// The explanation for a person to read.
#[must_use]
pub fn to_text(json: &ExplainJson, explanation: &Explanation) -> String {
    let mut out = String::new();
    let name = json.name.as_deref().unwrap_or("(no name)");
    let email = json.email.as_deref().unwrap_or("no address");
    let _ = writeln!(out, "{name} <{email}>  [{}]", json.person);
    if !json.account_ids.is_empty() {
        let ids: Vec<String> = json.account_ids.iter().map(u64::to_string).collect();
        let _ = writeln!(out, "  Gerrit accounts: {}", ids.join(", "));
    }
    if !json.usernames.is_empty() {
        let _ = writeln!(out, "  usernames: {}", json.usernames.join(", "));
    }
    let _ = writeln!(out, "  addresses: {}", json.emails.join(", "));
    for reason in &json.merged_because {
        let _ = writeln!(out, "  one person because {reason}");
    }
    match (&json.member_id, json.membership_checked) {
        (Some(id), _) => {
            let _ = writeln!(out, "  Foundation member {id}");
        }
        (None, true) => {
            let _ = writeln!(out, "  not on the membership list");
        }
        (None, false) => {
            let _ = writeln!(out, "  membership not checked (no members file)");
        }
    }
    for extra in &json.extra_atcs {
        let _ = writeln!(
            out,
            "  extra-ATC for {}, expires in {} ({})",
            extra.team, extra.expires_in, extra.listed_at
        );
    }

    if json.changes.is_empty() {
        let _ = writeln!(out, "\nchanges: none");
    } else {
        let _ = writeln!(out, "\nchanges ({}):", json.changes.len());
    }
    for change in &json.changes {
        let label = change
            .change
            .as_deref()
            .map(|c| format!(" change {c}"))
            .unwrap_or_default();
        let merged = change
            .merged_at
            .as_deref()
            .map_or_else(|| "not merged".to_owned(), |m| format!("merged {m}"));
        let role = if change.role == "owner" {
            ""
        } else {
            " (credited, not owner)"
        };
        let _ = writeln!(
            out,
            "  {}{label}: {} {}, {merged}{role}",
            change.source, change.repo, change.branch
        );
        for d in &change.decisions {
            let detail = d
                .detail
                .as_deref()
                .map(|x| format!(" ({x})"))
                .unwrap_or_default();
            let _ = writeln!(out, "      {}: {}{detail}", d.criterion, d.code);
        }
    }

    if !json.activities.is_empty() {
        let _ = writeln!(out, "\nother contributions ({}):", json.activities.len());
        for activity in &json.activities {
            let at = activity
                .at
                .as_deref()
                .map(|a| format!(" {a}"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  {}:{at} {} {}",
                activity.source, activity.kind, activity.what
            );
        }
    }

    let _ = writeln!(out, "\nstatuses:");
    if json.statuses.is_empty() {
        let _ = writeln!(out, "  none");
    }
    for s in &json.statuses {
        let team = s
            .team
            .as_deref()
            .map(|t| format!(" in {t}"))
            .unwrap_or_default();
        let evidence = match (&s.extra_atc_expires, &s.first_change) {
            (Some(month), _) => format!("valid, expires in {month}"),
            (None, Some(first)) => format!(
                "{} qualifying contribution{}, first {first}, last {}",
                s.qualifying_changes,
                if s.qualifying_changes == 1 { "" } else { "s" },
                s.last_change.as_deref().unwrap_or("")
            ),
            (None, None) => String::new(),
        };
        let _ = writeln!(out, "  {}{team} by {}: {evidence}", s.status, s.criterion);
    }
    for m in &json.not_earned {
        let team = m
            .team
            .as_deref()
            .map(|t| format!(" in {t}"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  not earned{team} by {}: {} ({})",
            m.criterion, m.code, m.detail
        );
    }

    let _ = writeln!(out, "\nrolls:");
    let (shown, dull) = explanation.notable_rolls();
    let width = shown.iter().map(|v| v.roll.len()).max().unwrap_or(0);
    for verdict in shown {
        let code = Explanation::code_for(&verdict.decision).code;
        let mark = if matches!(verdict.decision, Decision::On(_)) {
            "on "
        } else {
            "off"
        };
        let _ = writeln!(out, "  {mark} {:width$}  {code}", verdict.roll);
    }
    if dull > 0 {
        let _ = writeln!(
            out,
            "  off {dull} other team roll{}: excluded-no-status",
            if dull == 1 { "" } else { "s" }
        );
    }
    out
}
