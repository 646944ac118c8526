//! One GET, and what can go wrong with it. The fetchers ask a [`Transport`] for an
//! [`Answer`] (status, `Retry-After`, body) and never see the HTTP library, so tests and
//! benchmarks point them at a server on loopback through the same code path a real fetch
//! takes. [`Http`] is the transport over `ureq` (rustls, so a fresh machine builds it
//! without a system TLS library), with timeouts on connecting and on every read.
//!
//! Credentials live here and nowhere else: they become an `Authorization` header and are
//! never formatted, logged or written (their `Debug` says where they came from, not what
//! they are).

use std::fmt;
use std::io;
use std::path::Path;
use std::time::Duration;

use base64::Engine as _;

/// A server's answer to one GET.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    /// The `Retry-After` header, as sent.
    pub retry_after: Option<String>,
    pub body: Vec<u8>,
}

/// Why a GET got no answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// Worth trying again: a timeout, a refused or reset connection, a body cut short.
    Transient(String),
    /// Trying again cannot help: a malformed URL, an unknown host, a TLS failure.
    Fatal(String),
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Transient(message) | Self::Fatal(message) => f.write_str(message),
        }
    }
}

/// Something that can GET a URL.
pub trait Transport: Sync {
    /// Fetch `url` (absolute), whole.
    ///
    /// # Errors
    /// No answer could be had; see [`Failure`].
    fn get(&self, url: &str) -> Result<Answer, Failure>;
}

/// Where credentials came from, for the summary and the manifest (never the secret).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CredentialSource {
    Netrc,
    Environment,
}

/// A user name and password for HTTP basic authentication.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    login: String,
    password: String,
    pub source: CredentialSource,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("source", &self.source)
            .finish_non_exhaustive()
    }
}

/// The environment variable that may hold `LOGIN:PASSWORD` for the Gerrit server.
pub const CREDENTIALS_VARIABLE: &str = "ELECTORATE_GERRIT_CREDENTIALS";

impl Credentials {
    #[must_use]
    pub fn new(login: &str, password: &str, source: CredentialSource) -> Self {
        Self {
            login: login.to_owned(),
            password: password.to_owned(),
            source,
        }
    }

    fn header(&self) -> String {
        let pair = format!("{}:{}", self.login, self.password);
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(pair)
        )
    }

    /// Credentials for `host`: from the environment variable's value when it is set
    /// (`LOGIN:PASSWORD`), else from the netrc file's `machine HOST` (or `default`) entry.
    ///
    /// # Errors
    /// The variable is set but has no `:`, or the netrc file exists and cannot be read.
    /// The messages never quote a secret.
    pub fn find(
        host: &str,
        variable: Option<&str>,
        netrc: Option<&Path>,
    ) -> Result<Option<Self>, String> {
        if let Some(value) = variable {
            let Some((login, password)) = value.split_once(':') else {
                return Err(format!(
                    "{CREDENTIALS_VARIABLE} has no \":\", expected LOGIN:PASSWORD (the value is not shown)"
                ));
            };
            return Ok(Some(Self::new(
                login,
                password,
                CredentialSource::Environment,
            )));
        }
        let Some(path) = netrc else {
            return Ok(None);
        };
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(err) => return Err(format!("cannot read {}: {err}", path.display())),
        };
        Ok(netrc_entry(&text, host)
            .map(|(login, password)| Self::new(&login, &password, CredentialSource::Netrc)))
    }
}

/// The login and password of `host` in a netrc file: its `machine` entry, else `default`.
/// `macdef` bodies (up to a blank line) and `account` tokens are skipped.
#[must_use]
pub fn netrc_entry(text: &str, host: &str) -> Option<(String, String)> {
    #[derive(PartialEq)]
    enum Entry {
        None,
        Host,
        Other,
        Default,
    }
    let mut found: Option<(String, String)> = None;
    let mut default: Option<(String, String)> = None;
    let mut entry = Entry::None;
    let mut login = String::new();
    let mut password = String::new();
    let finish = |entry: &Entry,
                  login: &mut String,
                  password: &mut String,
                  found: &mut Option<(String, String)>,
                  default: &mut Option<(String, String)>| {
        let pair = (std::mem::take(login), std::mem::take(password));
        match entry {
            Entry::Host if found.is_none() => *found = Some(pair),
            Entry::Default if default.is_none() => *default = Some(pair),
            _ => {}
        }
    };
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let mut tokens = line.split_whitespace();
        while let Some(token) = tokens.next() {
            match token {
                "machine" => {
                    finish(&entry, &mut login, &mut password, &mut found, &mut default);
                    entry = if tokens.next() == Some(host) {
                        Entry::Host
                    } else {
                        Entry::Other
                    };
                }
                "default" => {
                    finish(&entry, &mut login, &mut password, &mut found, &mut default);
                    entry = Entry::Default;
                }
                "login" => tokens.next().unwrap_or("").clone_into(&mut login),
                "password" => tokens.next().unwrap_or("").clone_into(&mut password),
                "account" => {
                    tokens.next();
                }
                "macdef" => {
                    finish(&entry, &mut login, &mut password, &mut found, &mut default);
                    entry = Entry::None;
                    for body in lines.by_ref() {
                        if body.trim().is_empty() {
                            break;
                        }
                    }
                    break;
                }
                _ => {}
            }
        }
    }
    finish(&entry, &mut login, &mut password, &mut found, &mut default);
    found.or(default)
}

/// Timeouts of the HTTP client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    pub connect: Duration,
    /// For each read of the answer: a server that goes silent this long is given up on
    /// (and the request tried again).
    pub read: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self {
            connect: Duration::from_secs(10),
            read: Duration::from_secs(60),
        }
    }
}

/// The largest answer accepted: a page of 500 changes with commit messages is a few MB.
const MAX_BODY: u64 = 512 << 20;

/// The HTTP client: `ureq` over rustls.
pub struct Http {
    agent: ureq::Agent,
    authorization: Option<String>,
}

impl fmt::Debug for Http {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Http")
            .field("authenticated", &self.authorization.is_some())
            .finish_non_exhaustive()
    }
}

impl Http {
    #[must_use]
    pub fn new(timeouts: Timeouts, credentials: Option<&Credentials>) -> Self {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_connect(Some(timeouts.connect))
            .timeout_per_read(Some(timeouts.read))
            .timeout_recv_response(Some(timeouts.read))
            .user_agent(concat!("electorate/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        Self {
            agent,
            authorization: credentials.map(Credentials::header),
        }
    }
}

impl Transport for Http {
    fn get(&self, url: &str) -> Result<Answer, Failure> {
        let mut request = self.agent.get(url).header("Accept", "application/json");
        if let Some(authorization) = &self.authorization {
            request = request.header("Authorization", authorization);
        }
        let mut response = request.call().map_err(|err| classify(&err))?;
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = response
            .body_mut()
            .with_config()
            .limit(MAX_BODY)
            .read_to_vec()
            .map_err(|err| classify(&err))?;
        Ok(Answer {
            status,
            retry_after,
            body,
        })
    }
}

fn classify(err: &ureq::Error) -> Failure {
    match err {
        ureq::Error::Timeout(which) => Failure::Transient(format!("timed out ({which})")),
        ureq::Error::Io(io) => Failure::Transient(describe_io(io)),
        ureq::Error::Protocol(_) | ureq::Error::ConnectionFailed => {
            Failure::Transient(err.to_string())
        }
        _ => Failure::Fatal(err.to_string()),
    }
}

fn describe_io(err: &io::Error) -> String {
    match err.kind() {
        io::ErrorKind::ConnectionReset => "connection reset by the server".to_owned(),
        io::ErrorKind::ConnectionRefused => "connection refused".to_owned(),
        io::ErrorKind::ConnectionAborted => "connection aborted".to_owned(),
        io::ErrorKind::UnexpectedEof => "the answer was cut short".to_owned(),
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => "timed out".to_owned(),
        _ => err.to_string(),
    }
}

/// A server address: `http(s)://host[:port][/path]`, kept without its trailing `/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Server {
    base: String,
    host: String,
}

impl Server {
    /// Check a server address.
    ///
    /// # Errors
    /// Not an `http` or `https` URL with a host, or carrying a query or credentials.
    pub fn parse(text: &str) -> Result<Self, String> {
        let expected = "expected an http or https URL such as \"https://review.opendev.org\"";
        let trimmed = text.trim().trim_end_matches('/');
        let Some((scheme, rest)) = trimmed.split_once("://") else {
            return Err(format!("server \"{text}\" has no scheme, {expected}"));
        };
        if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
            return Err(format!(
                "server \"{text}\" is not an http or https URL, {expected}"
            ));
        }
        let authority = rest.split('/').next().unwrap_or("");
        if authority.contains('@') {
            return Err(format!(
                "server \"{scheme}://...\" carries credentials in its address; put them in ~/.netrc or {CREDENTIALS_VARIABLE} instead"
            ));
        }
        if rest.contains('?') || rest.contains('#') {
            return Err(format!(
                "server \"{text}\" has a query or fragment, {expected}"
            ));
        }
        let host = match authority.strip_prefix('[') {
            Some(v6) => v6.split(']').next().unwrap_or(""),
            None => authority.split(':').next().unwrap_or(""),
        };
        if host.is_empty() {
            return Err(format!("server \"{text}\" has no host, {expected}"));
        }
        Ok(Self {
            base: trimmed.to_owned(),
            host: host.to_ascii_lowercase(),
        })
    }

    /// The address without a trailing `/`.
    #[must_use]
    pub fn base(&self) -> &str {
        &self.base
    }

    /// The host name, lower-cased (what a netrc `machine` names).
    #[must_use]
    pub fn host(&self) -> &str {
        &self.host
    }
}

impl fmt::Display for Server {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.base)
    }
}

/// Percent-encode a query-string value (everything but RFC 3986's unreserved characters).
#[must_use]
pub fn encode(value: &str) -> String {
    const SET: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    percent_encoding::utf8_percent_encode(value, SET).to_string()
}

/// A short, one-line excerpt of an answer's body for an error message.
#[must_use]
pub fn excerpt(body: &[u8]) -> String {
    const LIMIT: usize = 160;
    let text = String::from_utf8_lossy(body);
    let flat: String = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .map(|c| if c == '"' { '\'' } else { c })
        .collect();
    if flat.chars().count() > LIMIT {
        let cut: String = flat.chars().take(LIMIT).collect();
        format!("{cut}...")
    } else {
        flat
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn netrc_picks_the_machine_then_the_default() {
        let text = "machine other.example.org login o password p1\n\
                    macdef init\n  machine review.example.org login macro password nope\n\n\
                    machine review.example.org\n  login jane\n  account x password s3cret\n\
                    default login anon password guest\n";
        assert_eq!(
            netrc_entry(text, "review.example.org"),
            Some(("jane".to_owned(), "s3cret".to_owned()))
        );
        assert_eq!(
            netrc_entry(text, "unknown.example.org"),
            Some(("anon".to_owned(), "guest".to_owned()))
        );
        assert_eq!(netrc_entry("machine a login b password c", "z"), None);
    }

    #[test]
    fn credentials_never_show_their_secret() {
        let credentials = Credentials::find("h", Some("jane:pa55word"), None)
            .unwrap()
            .unwrap();
        let shown = format!(
            "{credentials:?} {:?}",
            Http::new(Timeouts::default(), Some(&credentials))
        );
        assert!(
            !shown.contains("pa55word") && !shown.contains("jane"),
            "{shown}"
        );
        assert_eq!(credentials.source, CredentialSource::Environment);
        let err = Credentials::find("h", Some("no-colon-secret"), None).unwrap_err();
        assert_eq!(
            err,
            "ELECTORATE_GERRIT_CREDENTIALS has no \":\", expected LOGIN:PASSWORD (the value is not shown)"
        );
        assert!(!err.contains("no-colon-secret"));
    }

    #[test]
    fn servers_are_checked() {
        let server = Server::parse("https://Review.Example.org/gerrit/").unwrap();
        assert_eq!(server.base(), "https://Review.Example.org/gerrit");
        assert_eq!(server.host(), "review.example.org");
        assert_eq!(
            Server::parse("http://127.0.0.1:8080").unwrap().host(),
            "127.0.0.1"
        );
        assert_eq!(
            Server::parse("review.example.org").unwrap_err(),
            "server \"review.example.org\" has no scheme, expected an http or https URL such as \"https://review.opendev.org\""
        );
        assert_eq!(
            Server::parse("https://jane:secret@review.example.org").unwrap_err(),
            "server \"https://...\" carries credentials in its address; put them in ~/.netrc or ELECTORATE_GERRIT_CREDENTIALS instead"
        );
    }

    #[test]
    fn values_are_percent_encoded_and_excerpts_are_short() {
        assert_eq!(
            encode("status:merged project:a/b"),
            "status%3Amerged%20project%3Aa%2Fb"
        );
        assert_eq!(
            encode("email==j+x@example.org"),
            "email%3D%3Dj%2Bx%40example.org"
        );
        assert_eq!(excerpt(b"Not  found:\n \"x\""), "Not found: 'x'");
        assert_eq!(excerpt(&[b'a'; 200]).len(), 163);
    }
}
