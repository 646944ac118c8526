//! The longest values a record may hold. The readers refuse longer ones with their
//! location (`ingest::limits` lists every limit), so no name, identifier or address the
//! model stores is longer, and no report repeats a hostile megabyte.

/// The longest e-mail address, in bytes: the most an SMTP path may hold (RFC 5321).
pub const MAX_ADDRESS_BYTES: usize = 254;

/// The longest name, team, repository, branch, id, username, nick, role or comment, in
/// bytes.
pub const MAX_FIELD_BYTES: usize = 1_000;

/// The largest TOML file (election, identity, policy), in bytes (4 MiB). Its tree costs
/// about fifty times its size, and an identity file declaring every OpenStack contributor
/// with three addresses each would be under 1 MiB.
pub const MAX_TOML_BYTES: usize = 4 << 20;
