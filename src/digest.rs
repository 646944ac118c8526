//! SHA-256 digests written as lower-case hex: the one spelling of a digest in every
//! manifest, ledger, tie-break draw and message; and the keyed digests of a publishable
//! roll (see `docs/digest.md` for the design and its threat model).

use hmac::{KeyInit, Mac};
use sha2::{Digest, Sha256};

/// Lower-case hex of any bytes.
#[must_use]
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &byte in bytes {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    out
}

/// SHA-256 of bytes in memory, as lower-case hex.
#[must_use]
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// The version of the roll digest scheme, named in every published list.
pub const ROLL_DIGEST_SCHEME: &str = "electorate-roll-digest-v1";

/// The fewest bytes an election secret may have.
pub const MIN_SECRET_BYTES: usize = 16;

type HmacSha256 = hmac::Hmac<Sha256>;

fn hmac(key: &[u8], parts: &[&str]) -> [u8; 32] {
    let mut mac =
        <HmacSha256 as KeyInit>::new_from_slice(key).expect("HMAC takes a key of any length");
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            mac.update(b"\n");
        }
        mac.update(part.as_bytes());
    }
    mac.finalize().into_bytes().into()
}

/// How an address is compared by the roll digest: trimmed and lower-cased, as a voter
/// may type it.
#[must_use]
pub fn digest_address(address: &str) -> String {
    address.trim().to_lowercase()
}

/// A voter's check code: the first 16 bytes of HMAC-SHA-256 keyed with the election
/// secret over `SCHEME "\n" "code" "\n" LABEL "\n" ROLL "\n" ADDRESS`. Sent to the voter
/// privately; without it nobody can test an address against the published list.
#[must_use]
pub fn voter_code(secret: &[u8], label: &str, roll: &str, address: &str) -> [u8; 16] {
    let full = hmac(
        secret,
        &[
            ROLL_DIGEST_SCHEME,
            "code",
            label,
            roll,
            &digest_address(address),
        ],
    );
    let mut code = [0u8; 16];
    code.copy_from_slice(&full[..16]);
    code
}

/// A published entry: HMAC-SHA-256 keyed with the voter's code over
/// `SCHEME "\n" "entry" "\n" LABEL "\n" ROLL "\n" ADDRESS`, as lower-case hex.
#[must_use]
pub fn roll_entry(code: &[u8; 16], label: &str, roll: &str, address: &str) -> String {
    hex(&hmac(
        code,
        &[
            ROLL_DIGEST_SCHEME,
            "entry",
            label,
            roll,
            &digest_address(address),
        ],
    ))
}

/// A code as a voter reads it: 32 hex digits in eight groups of four.
#[must_use]
pub fn format_code(code: &[u8; 16]) -> String {
    let digits = hex(code);
    let groups: Vec<&str> = (0..8).map(|i| &digits[i * 4..i * 4 + 4]).collect();
    groups.join("-")
}

/// A code as a voter may type it: 32 hex digits, any case, hyphens and spaces ignored.
///
/// # Errors
/// Not 32 hex digits.
pub fn parse_code(text: &str) -> Result<[u8; 16], String> {
    let digits: Vec<u8> = text.bytes().filter(|b| !matches!(b, b'-' | b' ')).collect();
    let expected = || {
        "expected the 32 hex digits of the code the officials sent, such as 1a2b-3c4d-5e6f-7a8b-9c0d-1e2f-3a4b-5c6d".to_owned()
    };
    if digits.len() != 32 {
        return Err(format!(
            "the code has {} hex digits, {}",
            digits.len(),
            expected()
        ));
    }
    let mut code = [0u8; 16];
    for (i, pair) in digits.chunks(2).enumerate() {
        let text = std::str::from_utf8(pair).map_err(|_| expected())?;
        code[i] = u8::from_str_radix(text, 16)
            .map_err(|_| format!("the code holds {text:?}, {}", expected()))?;
    }
    Ok(code)
}

/// A roll's publishable digest and the codes that go with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RollDigest {
    pub label: String,
    pub roll: String,
    /// One entry per voter, sorted (so the order says nothing about the roll's).
    pub entries: Vec<String>,
    /// Each voter's address with their code, in the roll's order: private.
    pub codes: Vec<(String, String)>,
}

/// The digest of a roll's addresses under an election secret and label.
#[must_use]
pub fn roll_digest(secret: &[u8], label: &str, roll: &str, addresses: &[String]) -> RollDigest {
    let mut entries = Vec::with_capacity(addresses.len());
    let mut codes = Vec::with_capacity(addresses.len());
    for address in addresses {
        let code = voter_code(secret, label, roll, address);
        entries.push(roll_entry(&code, label, roll, address));
        codes.push((address.clone(), format_code(&code)));
    }
    entries.sort_unstable();
    RollDigest {
        label: label.to_owned(),
        roll: roll.to_owned(),
        entries,
        codes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_matches_rfc_4231() {
        // RFC 4231, test case 2: key "Jefe", data "what do ya want for nothing?".
        assert_eq!(
            hex(&hmac(b"Jefe", &["what do ya want for nothing?"])),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn a_voter_with_their_code_finds_their_entry_and_nobody_else_can() {
        let secret = b"a secret of at least sixteen bytes";
        let roll = vec!["Ann@Example.org".to_owned(), "bo@example.org".to_owned()];
        let digest = roll_digest(secret, "2026.2", "tc", &roll);
        assert_eq!(digest.entries.len(), 2);
        assert!(digest.entries.windows(2).all(|w| w[0] < w[1]));
        let (address, code) = &digest.codes[0];
        assert_eq!(address, "Ann@Example.org");
        let code = parse_code(&code.to_uppercase()).unwrap();
        let typed = roll_entry(&code, "2026.2", "tc", " ann@example.org ");
        assert!(
            digest.entries.contains(&typed),
            "case and spaces do not matter"
        );
        assert!(
            !digest
                .entries
                .contains(&roll_entry(&code, "2026.2", "tc", "bo@example.org"))
        );
        assert!(
            !digest
                .entries
                .contains(&roll_entry(&code, "2026.1", "tc", "ann@example.org"))
        );
        let other = roll_digest(b"another secret of sixteen bytes", "2026.2", "tc", &roll);
        assert!(other.entries.iter().all(|e| !digest.entries.contains(e)));
        assert_eq!(format_code(&code).len(), 39);
        assert_eq!(
            parse_code("12").unwrap_err(),
            "the code has 2 hex digits, expected the 32 hex digits of the code the officials sent, such as 1a2b-3c4d-5e6f-7a8b-9c0d-1e2f-3a4b-5c6d"
        );
    }

    #[test]
    fn digests_are_lower_case_hex() {
        assert_eq!(hex(&[0x00, 0x0f, 0xa5, 0xff]), "000fa5ff");
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
