//! Trying a GET again, politely: exponential backoff with jitter after a timeout, a
//! refused or reset connection, a body cut short, a 5xx or an answer that does not parse
//! (a proxy that cut a body without saying so); `429 Too Many Requests` waits what its
//! `Retry-After` asks. Other 4xx answers are final: asking again cannot change them.
//! When it gives up, [`GaveUp`] says what the last attempt met and after how many.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::time::Duration;

use crate::fetch::http::{Answer, Failure, Transport, excerpt};

/// How hard to try.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retry {
    /// Attempts in all, the first included.
    pub attempts: u32,
    /// The wait before the second attempt; it doubles after each failure.
    pub base: Duration,
    /// The longest backoff between two attempts.
    pub cap: Duration,
    /// The longest `Retry-After` honoured; a server asking for more is given up on.
    pub max_retry_after: Duration,
}

impl Default for Retry {
    fn default() -> Self {
        Self {
            attempts: 6,
            base: Duration::from_millis(500),
            cap: Duration::from_secs(30),
            max_retry_after: Duration::from_secs(600),
        }
    }
}

/// One attempt failed and another follows after `wait`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Retrying {
    /// The attempt that failed (1-based).
    pub attempt: u32,
    pub of: u32,
    pub wait: Duration,
    pub reason: String,
}

/// Why a request was given up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GaveUp {
    /// The server answered with a status that is not success.
    Status {
        status: u16,
        excerpt: String,
        attempts: u32,
    },
    /// No answer: timeouts, resets, refused connections, bodies cut short.
    Network { message: String, attempts: u32 },
    /// A successful status with a body that is not what was asked for.
    Malformed {
        message: String,
        excerpt: String,
        attempts: u32,
    },
}

impl GaveUp {
    /// Attempts made.
    #[must_use]
    pub fn attempts(&self) -> u32 {
        match self {
            Self::Status { attempts, .. }
            | Self::Network { attempts, .. }
            | Self::Malformed { attempts, .. } => *attempts,
        }
    }
}

impl std::fmt::Display for GaveUp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let after = |attempts: u32| {
            if attempts == 1 {
                String::new()
            } else {
                format!(" (after {attempts} attempts)")
            }
        };
        match self {
            Self::Status {
                status,
                excerpt,
                attempts,
            } => write!(
                f,
                "answered {}{}: \"{excerpt}\"",
                status_line(*status),
                after(*attempts)
            ),
            Self::Network { message, attempts } => {
                write!(f, "gave no answer{}: {message}", after(*attempts))
            }
            Self::Malformed {
                message,
                excerpt,
                attempts,
            } => write!(
                f,
                "answered with a body that is not what was expected{}: {message}: \"{excerpt}\"",
                after(*attempts)
            ),
        }
    }
}

/// `404 Not Found`, `503 Service Unavailable`, ...
#[must_use]
pub fn status_line(status: u16) -> String {
    let reason = match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        408 => "Request Timeout",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "",
    };
    if reason.is_empty() {
        status.to_string()
    } else {
        format!("{status} {reason}")
    }
}

fn retryable_status(status: u16) -> bool {
    status == 408 || status == 429 || (500..600).contains(&status)
}

/// Seconds, or an HTTP date (then the wait is its distance from now).
fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let now = chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now());
    Some(
        (at.with_timezone(&chrono::Utc) - now)
            .to_std()
            .unwrap_or(Duration::ZERO),
    )
}

/// Backoff with "equal jitter": half the exponential delay, plus a random part of the
/// other half, so that clients that failed together do not come back together.
struct Backoff {
    state: u64,
}

impl Backoff {
    fn new() -> Self {
        let seed = RandomState::new().build_hasher().finish() | 1;
        Self { state: seed }
    }

    fn next_random(&mut self) -> u64 {
        // xorshift64*
        self.state ^= self.state >> 12;
        self.state ^= self.state << 25;
        self.state ^= self.state >> 27;
        self.state.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn delay(&mut self, retry: &Retry, failed_attempt: u32) -> Duration {
        let exponent = failed_attempt.saturating_sub(1).min(20);
        let full = retry.base.saturating_mul(1 << exponent).min(retry.cap);
        let half = full / 2;
        let nanos = u64::try_from(half.as_nanos()).unwrap_or(u64::MAX);
        let extra = if nanos == 0 {
            0
        } else {
            self.next_random() % nanos
        };
        half + Duration::from_nanos(extra)
    }
}

/// GET `url` and parse the answer, trying again as the module says. Returns the parsed
/// value and the number of requests made.
///
/// # Errors
/// The last attempt's failure when attempts run out, or at once for a final status or a
/// fatal transport failure.
pub fn get<T>(
    transport: &dyn Transport,
    url: &str,
    retry: &Retry,
    on_retry: &dyn Fn(&Retrying),
    parse: impl Fn(&[u8]) -> Result<T, String>,
) -> Result<(T, u32), GaveUp> {
    let mut backoff = Backoff::new();
    let attempts = retry.attempts.max(1);
    let mut attempt = 0;
    loop {
        attempt += 1;
        let (failure, wait) = match transport.get(url) {
            Ok(Answer { status, body, .. }) if (200..300).contains(&status) => match parse(&body) {
                Ok(value) => return Ok((value, attempt)),
                Err(message) => (
                    GaveUp::Malformed {
                        message,
                        excerpt: excerpt(&body),
                        attempts: attempt,
                    },
                    None,
                ),
            },
            Ok(Answer {
                status,
                retry_after,
                body,
            }) => {
                let gave_up = GaveUp::Status {
                    status,
                    excerpt: excerpt(&body),
                    attempts: attempt,
                };
                if !retryable_status(status) {
                    return Err(gave_up);
                }
                let asked = retry_after.as_deref().and_then(parse_retry_after);
                if let Some(asked) = asked
                    && asked > retry.max_retry_after
                {
                    return Err(gave_up);
                }
                (gave_up, asked)
            }
            Err(Failure::Fatal(message)) => {
                return Err(GaveUp::Network {
                    message,
                    attempts: attempt,
                });
            }
            Err(Failure::Transient(message)) => (
                GaveUp::Network {
                    message,
                    attempts: attempt,
                },
                None,
            ),
        };
        if attempt >= attempts {
            return Err(failure);
        }
        let wait = wait.unwrap_or_else(|| backoff.delay(retry, attempt));
        on_retry(&Retrying {
            attempt,
            of: attempts,
            wait,
            reason: match &failure {
                GaveUp::Status { status, .. } => status_line(*status),
                GaveUp::Network { message, .. } => message.clone(),
                GaveUp::Malformed { message, .. } => message.clone(),
            },
        });
        std::thread::sleep(wait);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    /// Answers from a script, one per request.
    struct Script(Mutex<Vec<Result<Answer, Failure>>>);

    impl Transport for Script {
        fn get(&self, _url: &str) -> Result<Answer, Failure> {
            self.0.lock().unwrap().remove(0)
        }
    }

    fn answer(status: u16, retry_after: Option<&str>, body: &str) -> Result<Answer, Failure> {
        Ok(Answer {
            status,
            retry_after: retry_after.map(str::to_owned),
            body: body.as_bytes().to_vec(),
        })
    }

    fn quick() -> Retry {
        Retry {
            attempts: 3,
            base: Duration::from_millis(1),
            cap: Duration::from_millis(4),
            max_retry_after: Duration::from_secs(5),
        }
    }

    fn number(body: &[u8]) -> Result<u32, String> {
        std::str::from_utf8(body)
            .ok()
            .and_then(|t| t.parse().ok())
            .ok_or_else(|| "not a number".to_owned())
    }

    #[test]
    fn transient_failures_are_retried_until_success() {
        let script = Script(Mutex::new(vec![
            answer(503, None, "busy"),
            Err(Failure::Transient("connection reset by the server".into())),
            answer(200, None, "7"),
        ]));
        let seen = Mutex::new(Vec::new());
        let got = get(
            &script,
            "u",
            &quick(),
            &|r| seen.lock().unwrap().push(r.reason.clone()),
            number,
        );
        assert_eq!(got, Ok((7, 3)));
        assert_eq!(
            *seen.lock().unwrap(),
            ["503 Service Unavailable", "connection reset by the server"]
        );
    }

    #[test]
    fn final_statuses_and_exhaustion_are_reported() {
        let script = Script(Mutex::new(vec![answer(404, None, "Not found: x")]));
        let err = get(&script, "u", &quick(), &|_| {}, number).unwrap_err();
        assert_eq!(err.to_string(), "answered 404 Not Found: \"Not found: x\"");
        let script = Script(Mutex::new(vec![
            answer(200, None, "x"),
            answer(200, None, "y"),
            answer(200, None, "z"),
        ]));
        let err = get(&script, "u", &quick(), &|_| {}, number).unwrap_err();
        assert_eq!(
            err.to_string(),
            "answered with a body that is not what was expected (after 3 attempts): not a number: \"z\""
        );
        let script = Script(Mutex::new(vec![answer(429, Some("3600"), "slow down")]));
        let err = get(&script, "u", &quick(), &|_| {}, number).unwrap_err();
        assert_eq!(
            err.attempts(),
            1,
            "a wait longer than allowed is not waited"
        );
    }

    #[test]
    fn retry_after_is_honoured_and_backoff_grows_within_its_cap() {
        let script = Script(Mutex::new(vec![
            answer(429, Some("0"), ""),
            answer(200, None, "1"),
        ]));
        let waits = Mutex::new(Vec::new());
        get(
            &script,
            "u",
            &quick(),
            &|r| waits.lock().unwrap().push(r.wait),
            number,
        )
        .unwrap();
        assert_eq!(*waits.lock().unwrap(), [Duration::ZERO]);
        assert_eq!(parse_retry_after(" 12 "), Some(Duration::from_secs(12)));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO),
            "a date in the past means now"
        );
        let retry = Retry {
            base: Duration::from_millis(100),
            cap: Duration::from_millis(1000),
            ..quick()
        };
        let mut backoff = Backoff::new();
        for (attempt, full) in [(1, 100), (2, 200), (3, 400), (4, 800), (5, 1000), (9, 1000)] {
            let d = backoff.delay(&retry, attempt);
            let full = Duration::from_millis(full);
            assert!(d >= full / 2 && d <= full, "attempt {attempt}: {d:?}");
        }
    }
}
