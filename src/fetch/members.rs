//! `fetch members`: the Foundation member directory's answer for every address a roll
//! would hold, and the members CSV `roll` reads, built from those answers.
//!
//! The addresses are those of everybody the election's policy puts on any roll when no
//! membership list is given (every address of each such person, since a membership record
//! may carry any of them). Each is asked as the reference tooling's `lookup_member` does:
//! `GET /api/public/v1/members?filter[]=email==ADDRESS&filter[]=membership_type==Individual
//! &expand=all_affiliations,all_affiliations.organization`. Each answer's `data` is cached
//! in its own file (`cache/<sha256 of the address>.json`), so a second run asks only for
//! addresses it has no answer for (`refresh` asks again for all).
//!
//! `members.csv` has one row per member found: `member_id`, `name` (first and last
//! name), `email` (the addresses that found the member, `;`-separated) and
//! `affiliations` (the names of the organisations of the member's current affiliations,
//! trimmed, unique, sorted, `;`-separated; a `;` inside a name becomes `,` so that `;`
//! always separates), rows sorted by member id.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::fetch::changes::to_json;
use crate::fetch::dir::{MANIFEST, OutDir, Staged, tool};
use crate::fetch::http::{Server, Transport, encode};
use crate::fetch::retry::{self, Retry};
use crate::fetch::scope::ElectionFile;
use crate::fetch::{Error, Progress, sha256};
use crate::identity::People;
use crate::model::{Compat, Election, Instant, format_instant};
use crate::policy::{Engine, Policy};

/// The manifest's `kind` for a fetch of member directory answers.
pub const KIND: &str = "member-directory";
/// The Foundation's member directory.
pub const DEFAULT_SERVER: &str = "https://openstackid-resources.openstack.org";
/// Its public members endpoint.
pub const ENDPOINT: &str = "/api/public/v1/members";
/// The members CSV, in the fetch directory.
pub const MEMBERS_CSV: &str = "members.csv";

/// The query, with `ADDRESS` for the address looked up.
pub const QUERY: &str = "filter[]=email==ADDRESS&filter[]=membership_type==Individual&expand=all_affiliations,all_affiliations.organization";

/// The URL that looks up one address.
#[must_use]
pub fn lookup_url(base: &str, address: &str) -> String {
    format!(
        "{base}{ENDPOINT}?filter%5B%5D={}&filter%5B%5D={}&expand={}",
        encode(&format!("email=={address}")),
        encode("membership_type==Individual"),
        encode("all_affiliations,all_affiliations.organization")
    )
}

/// Every address of everybody on some roll of the election when no membership list is
/// given, folded as the roll folds them, sorted and unique.
#[must_use]
pub fn addresses(election: &Election, policy: &Policy, compat: Compat) -> Vec<String> {
    let people = People::resolve(election, compat);
    let engine = Engine::new(policy, election, &people);
    let evaluation = engine.evaluate(&election.dates);
    let rolls = crate::roll::build_selected(&engine, &evaluation, &|_| true);
    let on_rolls: BTreeSet<_> = rolls
        .iter()
        .flat_map(|roll| roll.voters.iter().map(|voter| voter.person))
        .collect();
    let addresses: BTreeSet<String> = on_rolls
        .into_iter()
        .flat_map(|person| people.person(person).emails.iter().cloned())
        .collect();
    addresses.into_iter().collect()
}

/// Parse one answer of the member directory: its `data`, each entry an object with an
/// `id`.
///
/// # Errors
/// Not such an answer; the message says what was found.
pub fn parse_answer(body: &[u8]) -> Result<Vec<Map<String, Value>>, String> {
    let value: Value = serde_json::from_slice(body).map_err(|err| {
        format!(
            "invalid JSON at line {} column {}: {}, expected the member directory's answer",
            err.line(),
            err.column(),
            crate::ingest::gerrit_rest::strip_position(&err)
        )
    })?;
    let Some(data) = value.get("data").and_then(Value::as_array) else {
        return Err("no \"data\" list, expected the member directory's answer".to_owned());
    };
    let mut members = Vec::with_capacity(data.len());
    for (index, entry) in data.iter().enumerate() {
        let Some(member) = entry.as_object().filter(|m| member_id(m).is_some()) else {
            return Err(format!(
                "data item {} has no id, expected a member with its id",
                index + 1
            ));
        };
        members.push(member.clone());
    }
    Ok(members)
}

fn member_id(member: &Map<String, Value>) -> Option<String> {
    match member.get("id")? {
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        _ => None,
    }
}

fn text_field<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    value
        .get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// The organisations of a member's current affiliations.
fn current_affiliations(member: &Map<String, Value>) -> BTreeSet<String> {
    member
        .get("all_affiliations")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|a| a.get("is_current").and_then(Value::as_bool) == Some(true))
        .filter_map(|a| a.get("organization").and_then(|o| text_field(o, "name")))
        .map(|name| name.replace(';', ","))
        .collect()
}

/// One address's cached answer, as its file holds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cached {
    pub email: String,
    pub data: Vec<Map<String, Value>>,
}

/// One lookup, as the manifest and the journal record it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LookupRecord {
    pub email: String,
    pub path: String,
    /// Ids of the members found (none: not an Individual Member).
    pub members: Vec<String>,
    pub sha256: String,
    pub fetched_at: String,
}

/// A file and its digest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileRecord {
    pub path: String,
    pub bytes: u64,
    pub sha256: String,
}

/// `fetch-manifest.json` of a fetch of member directory answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub tool: String,
    pub kind: String,
    pub server: String,
    pub fetched_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub election: Option<ElectionFile>,
    pub query: String,
    pub complete: bool,
    pub addresses: u64,
    pub members: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub members_csv: Option<FileRecord>,
    /// Every cached answer in the directory, sorted by address.
    pub lookups: Vec<LookupRecord>,
}

/// What to look up and how.
#[derive(Debug, Clone)]
pub struct Settings {
    pub server: Server,
    pub election: Option<ElectionFile>,
    /// Sorted and unique.
    pub addresses: Vec<String>,
    pub jobs: usize,
    pub retry: Retry,
    pub now: Instant,
    /// Ask again for addresses already answered.
    pub refresh: bool,
}

/// What a run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub addresses: usize,
    /// Addresses asked this run.
    pub looked_up: usize,
    /// Addresses answered from the cache.
    pub cached: usize,
    /// Members in `members.csv`.
    pub members: usize,
    pub requests: u64,
    pub csv: PathBuf,
}

/// The cache file of an address, relative to the fetch directory.
#[must_use]
pub fn cache_path(address: &str) -> String {
    format!("cache/{}.json", &sha256(address.as_bytes())[..32])
}

struct Done {
    record: LookupRecord,
    data: Vec<Map<String, Value>>,
    staged: Option<Staged>,
    requests: u32,
}

/// Look up `settings.addresses` and write `members.csv` into `out`.
///
/// # Errors
/// The directory cannot be used, a cache file was changed or is not electorate's, or a
/// lookup could not be made (answers already had are kept and recorded).
pub fn fetch(
    out: &Path,
    settings: &Settings,
    transport: &dyn Transport,
    progress: &dyn Progress,
) -> Result<Summary, Error> {
    let (mut dir, previous) = OutDir::open(out, KIND)?;
    let mut history: BTreeMap<String, Vec<LookupRecord>> = BTreeMap::new();
    let mut csv_record = None;
    if let Some(manifest) = previous.manifest {
        let manifest: Manifest = serde_json::from_value(manifest).map_err(|err| {
            Error::Input(format!(
                "{}: cannot be read ({err}), expected a manifest of a fetch of members",
                dir.path(MANIFEST).display()
            ))
        })?;
        if manifest.server != settings.server.base() {
            return Err(Error::OtherServer {
                dir: out.display().to_string(),
                found: manifest.server,
                wanted: settings.server.base().to_owned(),
            });
        }
        csv_record = manifest.members_csv;
        for record in manifest.lookups {
            history
                .entry(record.email.clone())
                .or_default()
                .push(record);
        }
    } else {
        let initial = manifest(settings, false, 0, None, Vec::new());
        dir.write(MANIFEST, &to_json(&initial))?;
    }
    for entry in previous.journal {
        if let Ok(record) = serde_json::from_value::<LookupRecord>(entry) {
            history
                .entry(record.email.clone())
                .or_default()
                .push(record);
        }
    }
    let csv_path = dir.path(MEMBERS_CSV);
    if csv_record.is_none() && csv_path.exists() {
        return Err(Error::Foreign {
            path: csv_path.display().to_string(),
        });
    }
    let mut tasks = VecDeque::new();
    for address in &settings.addresses {
        let records = history.get(address).cloned().unwrap_or_default();
        let path = dir.path(&cache_path(address));
        if records.is_empty() && path.exists() {
            return Err(Error::Foreign {
                path: path.display().to_string(),
            });
        }
        tasks.push_back((address.clone(), records));
    }
    progress.planned(tasks.len());

    let tasks = Mutex::new(tasks);
    let stop = AtomicBool::new(false);
    let (send, receive) = mpsc::channel::<Result<Done, Error>>();
    let mut summary = Summary {
        addresses: settings.addresses.len(),
        csv: csv_path,
        ..Summary::default()
    };
    let mut answers: BTreeMap<String, Vec<Map<String, Value>>> = BTreeMap::new();
    let mut first_error = None;
    let dir_ref = &dir;
    std::thread::scope(|scope| {
        for _ in 0..settings.jobs.max(1) {
            let send = send.clone();
            let tasks = &tasks;
            let stop = &stop;
            scope.spawn(move || {
                while !stop.load(Ordering::SeqCst) {
                    let Some((address, records)) =
                        tasks.lock().ok().and_then(|mut t| t.pop_front())
                    else {
                        break;
                    };
                    progress.started(&address);
                    let result =
                        look_up(dir_ref, settings, transport, progress, &address, &records);
                    if result.is_err() {
                        stop.store(true, Ordering::SeqCst);
                    }
                    if send.send(result).is_err() {
                        break;
                    }
                }
            });
        }
        drop(send);
        for result in &receive {
            let recorded = result.and_then(|done| {
                if let Some(staged) = done.staged {
                    let value = serde_json::to_value(&done.record).map_err(|err| Error::Io {
                        path: done.record.path.clone(),
                        source: err.into(),
                    })?;
                    dir_ref.journal(&value)?;
                    dir_ref.publish(staged)?;
                    summary.looked_up += 1;
                    summary.requests += u64::from(done.requests);
                } else {
                    summary.cached += 1;
                }
                progress.finished(&done.record.email, 0);
                answers.insert(done.record.email.clone(), done.data);
                history
                    .entry(done.record.email.clone())
                    .or_default()
                    .push(done.record);
                Ok(())
            });
            if let Err(err) = recorded {
                stop.store(true, Ordering::SeqCst);
                first_error.get_or_insert(err);
            }
        }
    });
    let lookups: Vec<LookupRecord> = history
        .values()
        .filter_map(|records| records.last().cloned())
        .collect();
    if let Some(err) = first_error {
        let manifest = manifest(settings, false, 0, csv_record, lookups);
        dir.commit_manifest(&to_json(&manifest))?;
        return Err(err);
    }
    let (csv, members) = members_csv(&answers).map_err(|err| Error::Io {
        path: summary.csv.display().to_string(),
        source: err,
    })?;
    summary.members = members;
    dir.write(MEMBERS_CSV, &csv)?;
    let record = FileRecord {
        path: MEMBERS_CSV.to_owned(),
        bytes: csv.len() as u64,
        sha256: sha256(&csv),
    };
    let manifest = manifest(settings, true, members as u64, Some(record), lookups);
    dir.commit_manifest(&to_json(&manifest))?;
    Ok(summary)
}

fn look_up(
    dir: &OutDir,
    settings: &Settings,
    transport: &dyn Transport,
    progress: &dyn Progress,
    address: &str,
    records: &[LookupRecord],
) -> Result<Done, Error> {
    let path = cache_path(address);
    let file = dir.path(&path);
    if !records.is_empty() {
        match std::fs::read(&file) {
            Ok(bytes) => {
                let digest = sha256(&bytes);
                let Some(record) = records.iter().rev().find(|r| r.sha256 == digest) else {
                    return Err(Error::Modified {
                        path: file.display().to_string(),
                    });
                };
                if !settings.refresh {
                    let cached: Cached = serde_json::from_slice(&bytes)
                        .ok()
                        .filter(|c: &Cached| c.email == address)
                        .ok_or_else(|| Error::Modified {
                            path: file.display().to_string(),
                        })?;
                    return Ok(Done {
                        record: record.clone(),
                        data: cached.data,
                        staged: None,
                        requests: 0,
                    });
                }
            }
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
            Err(err) => {
                return Err(Error::Io {
                    path: file.display().to_string(),
                    source: err,
                });
            }
        }
    }
    let url = lookup_url(settings.server.base(), address);
    let on_retry = |r: &retry::Retrying| progress.retrying(address, r);
    let (data, requests) = retry::get(transport, &url, &settings.retry, &on_retry, parse_answer)
        .map_err(|gave_up| Error::Request {
            server: settings.server.base().to_owned(),
            what: format!("the member lookup of \"{address}\""),
            gave_up,
        })?;
    let cached = Cached {
        email: address.to_owned(),
        data,
    };
    let bytes = to_json(&cached);
    let staged = dir.stage(&path, &bytes)?;
    Ok(Done {
        record: LookupRecord {
            email: address.to_owned(),
            path,
            members: cached.data.iter().filter_map(member_id).collect(),
            sha256: sha256(&bytes),
            fetched_at: format_instant(settings.now),
        },
        data: cached.data,
        staged: Some(staged),
        requests,
    })
}

#[derive(Default)]
struct Row {
    name: String,
    emails: BTreeSet<String>,
    affiliations: BTreeSet<String>,
}

/// The members CSV of a set of answers, and the number of members in it.
///
/// # Errors
/// Only if the CSV writer fails (it writes to memory).
pub fn members_csv(
    answers: &BTreeMap<String, Vec<Map<String, Value>>>,
) -> std::io::Result<(Vec<u8>, usize)> {
    // Numeric ids in numeric order: shorter first, then by their digits.
    let mut rows: BTreeMap<(usize, String), Row> = BTreeMap::new();
    for (address, members) in answers {
        for member in members {
            let Some(id) = member_id(member) else {
                continue;
            };
            let row = rows.entry((id.len(), id)).or_default();
            if row.name.is_empty() {
                let value = Value::Object(member.clone());
                let name: Vec<&str> = ["first_name", "last_name"]
                    .iter()
                    .filter_map(|key| text_field(&value, key))
                    .collect();
                row.name = name.join(" ");
            }
            row.emails.insert(address.clone());
            row.affiliations.extend(current_affiliations(member));
        }
    }
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    writer.write_record(["member_id", "name", "email", "affiliations"])?;
    for ((_, id), row) in &rows {
        let emails = row.emails.iter().cloned().collect::<Vec<_>>().join(";");
        let affiliations = row
            .affiliations
            .iter()
            .cloned()
            .collect::<Vec<_>>()
            .join(";");
        writer.write_record([id.as_str(), &row.name, &emails, &affiliations])?;
    }
    let bytes = writer
        .into_inner()
        .map_err(csv::IntoInnerError::into_error)?;
    Ok((bytes, rows.len()))
}

fn manifest(
    settings: &Settings,
    complete: bool,
    members: u64,
    members_csv: Option<FileRecord>,
    lookups: Vec<LookupRecord>,
) -> Manifest {
    Manifest {
        tool: tool(),
        kind: KIND.to_owned(),
        server: settings.server.base().to_owned(),
        fetched_at: format_instant(settings.now),
        election: settings.election.clone(),
        query: format!("{ENDPOINT}?{QUERY}"),
        complete,
        addresses: settings.addresses.len() as u64,
        members,
        members_csv,
        lookups,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lookup_url_has_the_reference_query_shape() {
        assert_eq!(
            lookup_url("https://members.example.org", "jane+x@example.org"),
            "https://members.example.org/api/public/v1/members?filter%5B%5D=email%3D%3Djane%2Bx%40example.org&filter%5B%5D=membership_type%3D%3DIndividual&expand=all_affiliations%2Call_affiliations.organization"
        );
    }

    #[test]
    fn answers_are_checked() {
        assert_eq!(parse_answer(br#"{"total": 0, "data": []}"#).unwrap(), []);
        assert_eq!(
            parse_answer(br#"{"total": 0}"#).unwrap_err(),
            "no \"data\" list, expected the member directory's answer"
        );
        assert_eq!(
            parse_answer(br#"{"data": [{"first_name": "Jane"}]}"#).unwrap_err(),
            "data item 1 has no id, expected a member with its id"
        );
        assert_eq!(
            parse_answer(b"{\"data\": [").unwrap_err(),
            "invalid JSON at line 1 column 10: EOF while parsing a list, expected the member directory's answer"
        );
    }

    #[test]
    fn the_csv_groups_addresses_by_member_with_current_affiliations() {
        let answer = |text: &str| parse_answer(text.as_bytes()).unwrap();
        let mut answers = BTreeMap::new();
        answers.insert(
            "jane@example.org".to_owned(),
            answer(
                r#"{"data": [{"id": 120, "first_name": " Jane ", "last_name": "Doe, Jr.",
                "all_affiliations": [
                    {"is_current": true, "organization": {"name": "Example Org "}},
                    {"is_current": false, "organization": {"name": "Old Corp"}},
                    {"is_current": true, "organization": {"name": "Acme; Labs"}}]}]}"#,
            ),
        );
        answers.insert(
            "jd@example.net".to_owned(),
            answer(r#"{"data": [{"id": 120, "first_name": "Jane", "last_name": "Doe, Jr."}]}"#),
        );
        answers.insert("nobody@example.org".to_owned(), Vec::new());
        answers.insert(
            "bo@example.org".to_owned(),
            answer(r#"{"data": [{"id": 9, "first_name": "Bo"}]}"#),
        );
        let (csv, members) = members_csv(&answers).unwrap();
        assert_eq!(members, 2);
        assert_eq!(
            String::from_utf8(csv).unwrap(),
            "member_id,name,email,affiliations\n9,Bo,bo@example.org,\n120,\"Jane Doe, Jr.\",jane@example.org;jd@example.net,\"Acme, Labs;Example Org\"\n"
        );
    }
}
