//! A Gerrit and member directory on loopback, for the fetch tests and benchmark: it
//! answers `/changes/` queries (`project:`, `mergedafter:`, `mergedbefore:`, `n`,
//! `start`, Gerrit's order by last update, `)]}'`, `_more_changes`) and member lookups,
//! from fictional data (example.org), and injects faults on the requests they target.
//! Every request is logged. Requests are bounded: the server answers what it is asked and
//! stops when dropped.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// One change as the server holds it.
#[derive(Debug, Clone)]
pub(crate) struct Change {
    pub number: u64,
    pub project: String,
    /// `YYYY-MM-DD HH:MM:SS`.
    pub submitted: String,
    pub updated: String,
    pub branch: String,
    pub owner: (u64, String, String, String),
    pub co_authors: Vec<(String, String)>,
    /// The ChangeInfo JSON, without `_more_changes`.
    pub json: String,
}

impl Change {
    pub(crate) fn new(
        number: u64,
        project: &str,
        branch: &str,
        submitted: &str,
        owner: (u64, &str, &str, &str),
        co_authors: &[(&str, &str)],
    ) -> Self {
        let mut message = format!("Change {number}\n\nSome work.\n\n");
        for (name, email) in co_authors {
            message.push_str(&format!("Co-Authored-By: {name} <{email}>\n"));
        }
        message.push_str(&format!("Change-Id: I{number:040x}\n"));
        let revision = format!("{:040x}", number * 7919);
        let value = serde_json::json!({
            "_number": number,
            "id": format!("{}~{branch}~I{number:040x}", project.replace('/', "%2F")),
            "project": project,
            "branch": branch,
            "change_id": format!("I{number:040x}"),
            "subject": format!("Change {number}"),
            "status": "MERGED",
            "created": format!("{}.000000000", submitted),
            "updated": format!("{}.000000000", submitted),
            "submitted": format!("{}.000000000", submitted),
            "owner": {"_account_id": owner.0, "name": owner.1, "email": owner.2, "username": owner.3},
            "current_revision": revision,
            "revisions": {revision.clone(): {"_number": 1, "commit": {"subject": format!("Change {number}"), "message": message}}},
        });
        Self {
            number,
            project: project.to_owned(),
            submitted: submitted.to_owned(),
            updated: format!("{submitted}.000000000"),
            branch: branch.to_owned(),
            owner: (
                owner.0,
                owner.1.to_owned(),
                owner.2.to_owned(),
                owner.3.to_owned(),
            ),
            co_authors: co_authors
                .iter()
                .map(|(n, e)| ((*n).to_owned(), (*e).to_owned()))
                .collect(),
            json: value.to_string(),
        }
    }

    /// The same change with a later `updated` (a comment after the merge).
    pub(crate) fn touched(&self, updated: &str) -> Self {
        let mut value: serde_json::Value = serde_json::from_str(&self.json).unwrap();
        value["updated"] = serde_json::Value::from(format!("{updated}.000000000"));
        Self {
            updated: format!("{updated}.000000000"),
            json: value.to_string(),
            ..self.clone()
        }
    }
}

/// What a faulty answer does.
#[derive(Debug, Clone)]
pub(crate) enum Fault {
    /// Answer with this status, `Retry-After` and body instead.
    Status(u16, Option<String>, String),
    /// Close the connection without reading the request: the client sees a reset.
    Reset,
    /// Announce the whole body, send half of it, close.
    Truncate,
    /// A 200 whose JSON is cut short (no length to notice it by).
    Malformed,
    /// Say nothing for this long, then close.
    Hang(Duration),
    /// Answer normally, then move this change to the front of Gerrit's order (as a
    /// comment on it would), so the next pages repeat a change.
    MoveToFront(u64),
}

/// A fault on the requests it targets, so many times (`usize::MAX`: always).
#[derive(Debug, Clone)]
pub(crate) struct Rule {
    /// A substring of the decoded request target (`project:x/a`, `start=3`,
    /// `email==jane@example.org`); every part must be there.
    pub matching: Vec<String>,
    pub fault: Fault,
    pub times: usize,
}

impl Rule {
    pub(crate) fn new(matching: &[&str], fault: Fault, times: usize) -> Self {
        Self {
            matching: matching.iter().map(|m| (*m).to_owned()).collect(),
            fault,
            times,
        }
    }
}

/// The data and faults, shared with the serving threads.
#[derive(Debug, Default)]
pub(crate) struct State {
    /// By project, in Gerrit's order (updated last first).
    pub changes: BTreeMap<String, Vec<Change>>,
    /// Address to member directory `data` entries (JSON objects).
    pub members: BTreeMap<String, Vec<String>>,
    pub rules: Vec<Rule>,
    /// Decoded request targets, in order.
    pub log: Vec<String>,
    /// `Authorization` headers seen.
    pub authorizations: Vec<String>,
    /// When set, `/a/` requests need this `Authorization` header.
    pub require_authorization: Option<String>,
    /// Delay before each answer.
    pub delay: Duration,
}

impl State {
    pub(crate) fn add(&mut self, change: Change) {
        let list = self.changes.entry(change.project.clone()).or_default();
        list.retain(|c| c.number != change.number);
        list.push(change);
        list.sort_by(|a, b| b.updated.cmp(&a.updated).then(b.number.cmp(&a.number)));
    }

    pub(crate) fn add_repo(&mut self, project: &str) {
        self.changes.entry(project.to_owned()).or_default();
    }
}

pub(crate) struct Server {
    pub url: String,
    pub state: Arc<Mutex<State>>,
    stop: Arc<AtomicBool>,
    accept: Option<JoinHandle<()>>,
}

impl Server {
    pub(crate) fn start(state: State) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let url = format!("http://{}", listener.local_addr().unwrap());
        let state = Arc::new(Mutex::new(state));
        let stop = Arc::new(AtomicBool::new(false));
        let accept = {
            let state = Arc::clone(&state);
            let stop = Arc::clone(&stop);
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let state = Arc::clone(&state);
                    std::thread::spawn(move || serve(stream, &state));
                }
            })
        };
        Self {
            url,
            state,
            stop,
            accept: Some(accept),
        }
    }

    pub(crate) fn with<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        f(&mut self.state.lock().unwrap())
    }

    pub(crate) fn requests(&self) -> usize {
        self.with(|s| s.log.len())
    }

    pub(crate) fn clear_log(&self) {
        self.with(|s| {
            s.log.clear();
            s.authorizations.clear();
        });
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.url.trim_start_matches("http://"));
        if let Some(accept) = self.accept.take() {
            let _ = accept.join();
        }
    }
}

fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                match u8::from_str_radix(hex, 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 3;
                        continue;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b'+' => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn params(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (decode(k), decode(v)),
            None => (decode(p), String::new()),
        })
        .collect()
}

fn respond(stream: &mut TcpStream, status: u16, headers: &[(&str, String)], body: &[u8]) {
    let mut head = format!(
        "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\nContent-Type: application/json\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(body);
    let _ = stream.flush();
    let _ = stream.shutdown(Shutdown::Write);
    // Let the client read everything before the socket goes.
    let mut sink = [0u8; 256];
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    while matches!(stream.read(&mut sink), Ok(n) if n > 0) {}
}

fn serve(mut stream: TcpStream, state: &Mutex<State>) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    // Peek at the request: a reset is made by closing with it still unread.
    let mut buffer = vec![0u8; 16 * 1024];
    let mut seen = 0;
    loop {
        let Ok(n) = stream.peek(&mut buffer) else {
            return;
        };
        if n == 0 {
            return;
        }
        if buffer[..n].windows(4).any(|w| w == b"\r\n\r\n") || n == buffer.len() || n == seen {
            seen = n;
            break;
        }
        seen = n;
        std::thread::sleep(Duration::from_millis(1));
    }
    let head = String::from_utf8_lossy(&buffer[..seen]).into_owned();
    let target = head
        .lines()
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .unwrap_or("/")
        .to_owned();
    let authorization = head.lines().find_map(|l| {
        let (name, value) = l.split_once(':')?;
        name.eq_ignore_ascii_case("authorization")
            .then(|| value.trim().to_owned())
    });
    let decoded = decode(&target);
    let (fault, delay) = {
        let mut s = state.lock().unwrap();
        s.log.push(decoded.clone());
        if let Some(a) = &authorization {
            s.authorizations.push(a.clone());
        }
        let mut fault = None;
        for rule in &mut s.rules {
            if rule.times > 0 && rule.matching.iter().all(|m| decoded.contains(m.as_str())) {
                if rule.times != usize::MAX {
                    rule.times -= 1;
                }
                fault = Some(rule.fault.clone());
                break;
            }
        }
        (fault, s.delay)
    };
    if let Some(Fault::Reset) = fault {
        drop(stream);
        return;
    }
    let _ = stream.read(&mut buffer[..seen]);
    if !delay.is_zero() {
        std::thread::sleep(delay);
    }
    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
    let params = params(query);
    let (status, body) = {
        let s = state.lock().unwrap();
        if path.starts_with("/a/") && s.require_authorization.as_ref() != authorization.as_ref() {
            (401, b"Unauthorized".to_vec())
        } else if path.ends_with("/changes/") {
            changes_page(&s, &params)
        } else if path == "/api/public/v1/members" {
            members_answer(&s, &params)
        } else {
            (404, b"Not found".to_vec())
        }
    };
    match fault {
        None => respond(&mut stream, status, &[], &body),
        Some(Fault::Status(code, retry_after, text)) => {
            let headers: Vec<(&str, String)> = retry_after
                .map(|r| ("Retry-After", r))
                .into_iter()
                .collect();
            respond(&mut stream, code, &headers, text.as_bytes());
        }
        Some(Fault::Truncate) => {
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&body[..body.len() / 2]);
            let _ = stream.flush();
        }
        Some(Fault::Malformed) => {
            let cut = &body[..body.len().min(40)];
            let head = "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n";
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(cut);
            let _ = stream.flush();
            let _ = stream.shutdown(Shutdown::Both);
        }
        Some(Fault::Hang(duration)) => {
            std::thread::sleep(duration);
        }
        Some(Fault::MoveToFront(number)) => {
            respond(&mut stream, status, &[], &body);
            let mut s = state.lock().unwrap();
            let found = s
                .changes
                .values()
                .flat_map(|list| list.iter())
                .find(|c| c.number == number)
                .cloned();
            if let Some(change) = found {
                s.add(change.touched("2030-01-01 00:00:00"));
            }
        }
        Some(Fault::Reset) => {}
    }
}

fn changes_page(s: &State, params: &[(String, String)]) -> (u16, Vec<u8>) {
    let get = |key: &str| {
        params
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    };
    let q = get("q").unwrap_or("");
    let mut project = None;
    let mut after = "0000-00-00";
    let mut before = "9999-99-99";
    for token in q.split_whitespace() {
        if let Some(p) = token.strip_prefix("project:") {
            project = Some(p);
        } else if let Some(d) = token.strip_prefix("mergedafter:") {
            after = d;
        } else if let Some(d) = token.strip_prefix("mergedbefore:") {
            before = d;
        }
    }
    let n: usize = get("n").and_then(|v| v.parse().ok()).unwrap_or(500);
    let start: usize = get("start")
        .or_else(|| get("S"))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let Some(list) = project.and_then(|p| s.changes.get(p)) else {
        return (200, b")]}'\n[]\n".to_vec());
    };
    // Gerrit's days are inclusive at midnight: a change on the `before` day after
    // 00:00:00 is not included.
    let matching: Vec<&Change> = list
        .iter()
        .filter(|c| {
            &c.submitted[..10] >= after
                && (&c.submitted[..10] < before
                    || c.submitted[11..] == *"00:00:00" && &c.submitted[..10] == before)
        })
        .collect();
    let page: Vec<&Change> = matching.iter().skip(start).take(n).copied().collect();
    let more = start + page.len() < matching.len();
    let mut body = String::from(")]}'\n[");
    for (i, change) in page.iter().enumerate() {
        if i > 0 {
            body.push(',');
        }
        if more && i + 1 == page.len() {
            body.push_str(&change.json[..change.json.len() - 1]);
            body.push_str(",\"_more_changes\":true}");
        } else {
            body.push_str(&change.json);
        }
    }
    body.push_str("]\n");
    (200, body.into_bytes())
}

fn members_answer(s: &State, params: &[(String, String)]) -> (u16, Vec<u8>) {
    let filters: Vec<&str> = params
        .iter()
        .filter(|(k, _)| k == "filter[]")
        .map(|(_, v)| v.as_str())
        .collect();
    let expand = params
        .iter()
        .any(|(k, v)| k == "expand" && v == "all_affiliations,all_affiliations.organization");
    let individual = filters.contains(&"membership_type==Individual");
    let email = filters.iter().find_map(|f| f.strip_prefix("email=="));
    let (Some(email), true, true) = (email, individual, expand) else {
        return (400, b"{\"message\": \"bad filter\"}".to_vec());
    };
    let data = s.members.get(email).cloned().unwrap_or_default();
    let body = format!(
        "{{\"total\":{},\"per_page\":10,\"current_page\":1,\"last_page\":1,\"data\":[{}]}}",
        data.len(),
        data.join(",")
    );
    (200, body.into_bytes())
}

/// People of the fictional instance: (account id, name, email, username).
pub(crate) fn person(i: usize) -> (u64, String, String, String) {
    const FIRST: [&str; 12] = [
        "Ada", "Bram", "Cleo", "Dario", "Esme", "Farid", "Greta", "Hugo", "Ines", "Jonas", "Kira",
        "Lior",
    ];
    const LAST: [&str; 10] = [
        "Arden", "Brook", "Calloway", "Dunmore", "Ellery", "Fenwick", "Garrow", "Hollis", "Ivers",
        "Jarrow",
    ];
    let first = FIRST[i % FIRST.len()];
    let last = LAST[(i / FIRST.len()) % LAST.len()];
    let n = i / (FIRST.len() * LAST.len());
    let suffix = if n == 0 { String::new() } else { n.to_string() };
    let user = format!(
        "{}{}{suffix}",
        first.to_lowercase(),
        &last[..1].to_lowercase()
    );
    (
        1000 + i as u64,
        format!("{first} {last}"),
        format!(
            "{}.{}{suffix}@example.org",
            first.to_lowercase(),
            last.to_lowercase()
        ),
        user,
    )
}

/// A deterministic instance: `per_repo` merged changes in each repository, spread over
/// 2015-03-01 .. 2016-03-10 (both sides of a 2015-03-04 .. 2016-03-04 window), owners
/// among `people`, a co-author on every fifth change, some on stable branches.
pub(crate) fn generate(state: &mut State, repos: &[&str], per_repo: usize, people: usize) {
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        seed ^= seed >> 12;
        seed ^= seed << 25;
        seed ^= seed >> 27;
        seed.wrapping_mul(0x2545_F491_4F6C_DD1D)
    };
    let start = chrono::NaiveDate::from_ymd_opt(2015, 3, 1).unwrap();
    let mut number = 100_000;
    for repo in repos {
        state.add_repo(repo);
        let mut list = Vec::with_capacity(per_repo);
        for _ in 0..per_repo {
            number += 1;
            let day = start + chrono::Days::new(next() % 376);
            let seconds = next() % 86_400;
            let submitted = format!(
                "{} {:02}:{:02}:{:02}",
                day.format("%Y-%m-%d"),
                seconds / 3600,
                seconds / 60 % 60,
                seconds % 60
            );
            let owner = person((next() % people as u64) as usize);
            let co = person((next() % people as u64) as usize);
            let co_authors: Vec<(&str, &str)> = if number % 5 == 0 {
                vec![(co.1.as_str(), co.2.as_str())]
            } else {
                Vec::new()
            };
            let branch = if number % 11 == 0 {
                "stable/liberty"
            } else {
                "master"
            };
            list.push(Change::new(
                number,
                repo,
                branch,
                &submitted,
                (owner.0, &owner.1, &owner.2, &owner.3),
                &co_authors,
            ));
        }
        list.sort_by(|a, b| b.updated.cmp(&a.updated).then(b.number.cmp(&a.number)));
        state.changes.insert((*repo).to_owned(), list);
    }
}

/// A member directory `data` entry.
pub(crate) fn member(id: u64, name: &str, affiliations: &[(&str, bool)]) -> String {
    let (first, last) = name.split_once(' ').unwrap_or((name, ""));
    let affiliations: Vec<serde_json::Value> = affiliations
        .iter()
        .map(|(org, current)| {
            serde_json::json!({"is_current": current, "organization": {"name": org}})
        })
        .collect();
    serde_json::json!({
        "id": id,
        "first_name": first,
        "last_name": last,
        "membership_type": "Individual",
        "all_affiliations": affiliations,
    })
    .to_string()
}
