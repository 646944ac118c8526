//! People the election officials declared in the identity file, with every address,
//! account, username, IRC nick and GitHub handle they use.

use crate::model::Origin;

/// One declared person.
#[derive(Debug, Clone, Default)]
pub struct Declared {
    pub name: Option<String>,
    pub emails: Vec<String>,
    pub gerrit_ids: Vec<u64>,
    pub usernames: Vec<String>,
    /// Normalised as MeetBot attendance is.
    pub irc: Vec<String>,
    pub github: Vec<String>,
    pub origin: Origin,
}

impl Declared {
    /// The identity keys this person claims, namespaced (`email:`, `gerrit:`, `user:`,
    /// `irc:`, `github:`), addresses lower-cased.
    #[must_use]
    pub fn keys(&self) -> Vec<String> {
        let mut keys = Vec::new();
        keys.extend(
            self.emails
                .iter()
                .map(|e| format!("email:{}", e.to_ascii_lowercase())),
        );
        keys.extend(self.gerrit_ids.iter().map(|id| format!("gerrit:{id}")));
        keys.extend(
            self.usernames
                .iter()
                .map(|u| format!("user:{}", u.to_lowercase())),
        );
        keys.extend(self.irc.iter().map(|n| format!("irc:{n}")));
        keys.extend(
            self.github
                .iter()
                .map(|g| format!("github:{}", g.to_lowercase())),
        );
        keys
    }
}
