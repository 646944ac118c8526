//! `electorate digest`: a roll voters can check without it being published.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

use crate::cli::settings::Format;
use crate::cli::{Outcome, read};
use crate::digest::{MIN_SECRET_BYTES, parse_code, roll_digest, roll_entry};
use crate::publish::{self, DirOptions, Output};
use crate::report::digest::{self as render, CheckResult, DigestReport, Written};

/// Write a publishable digest of a roll, or check an address against one.
///
/// Rolls hold addresses and stay private. `electorate digest ROLL --secret-file FILE
/// --label TEXT --out DIR` writes, for each roll (a roll file, or every roll of a roll
/// directory), `<roll>.digest.txt`, to publish: one keyed digest per voter, sorted; and
/// `<roll>.codes.csv`, private: each voter's check code, for the officials to send them
/// (with the ballot invitation). The secret (at least 16 bytes, kept by the officials)
/// derives the codes; the label (the election's name) keeps two elections' lists apart.
///
/// A voter checks with `electorate digest --check ADDRESS --code CODE LIST`: exit 0 when
/// the address is on the published list, 1 when it is not. Without the code nobody can
/// test an address against the list, however well they guess addresses. The design and
/// its threat model are in docs/digest.md.
///
/// Examples:
///   head -c 32 /dev/urandom > secret
///   electorate digest rolls/tc.txt --secret-file secret --label "Newton TC" --out published
///   electorate digest --check kenji.okonkwo@example.org --code 1a2b-... \
///       published/tc.digest.txt
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct DigestArgs {
    /// A roll file or roll directory to digest; with --check, the published list.
    #[arg(value_name = "ROLL|LIST")]
    pub input: PathBuf,

    /// The file holding the election secret (never on the command line).
    #[arg(
        long,
        value_name = "FILE",
        required_unless_present = "check",
        conflicts_with = "check"
    )]
    pub secret_file: Option<PathBuf>,

    /// The election's name, part of every code and entry (such as "2026.2 TC").
    #[arg(
        long,
        value_name = "TEXT",
        required_unless_present = "check",
        conflicts_with = "check"
    )]
    pub label: Option<String>,

    /// Where to write the lists and the codes.
    #[arg(
        long,
        short = 'o',
        value_name = "DIR",
        required_unless_present = "check",
        conflicts_with = "check"
    )]
    pub out: Option<PathBuf>,

    /// Check this address against the published list given as LIST.
    #[arg(long, value_name = "ADDRESS", requires = "code")]
    pub check: Option<String>,

    /// The voter's check code, as the officials sent it.
    #[arg(long, value_name = "CODE", requires = "check")]
    pub code: Option<String>,

    /// Text lines, or JSON for scripts.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

pub(super) fn run(args: &DigestArgs) -> anyhow::Result<Outcome> {
    let mut stdout = std::io::stdout().lock();
    if let (Some(address), Some(code)) = (&args.check, &args.code) {
        let code = parse_code(code).map_err(|e| anyhow::anyhow!("--code: {e}"))?;
        let list = read::published_digest(&args.input)?;
        let entry = roll_entry(&code, &list.label, &list.roll, address);
        let result = CheckResult {
            list: args.input.display().to_string(),
            on_list: list.entries.contains(&entry),
            label: list.label,
            roll: list.roll,
            address: address.clone(),
        };
        match args.format {
            Format::Json => render::write_check_json(&result, &mut stdout)?,
            Format::Table | Format::Csv => render::write_check_text(&result, &mut stdout)?,
        }
        stdout.flush()?;
        return Ok(if result.on_list {
            Outcome::Clean
        } else {
            Outcome::Problems
        });
    }
    let (Some(secret_file), Some(label), Some(out)) = (&args.secret_file, &args.label, &args.out)
    else {
        anyhow::bail!("digest needs --secret-file, --label and --out, or --check and --code");
    };
    let secret = std::fs::read(secret_file)
        .with_context(|| format!("cannot read the secret file {}", secret_file.display()))?;
    // A text editor's final newline is not part of the secret.
    let secret = secret
        .strip_suffix(b"\r\n")
        .or_else(|| secret.strip_suffix(b"\n"))
        .unwrap_or(&secret);
    if secret.len() < MIN_SECRET_BYTES {
        anyhow::bail!(
            "the secret file {} holds {} bytes, expected at least {MIN_SECRET_BYTES}\nhint: head -c 32 /dev/urandom > {}",
            secret_file.display(),
            secret.len(),
            secret_file.display()
        );
    }
    if label.trim().is_empty() {
        anyhow::bail!("--label \"\" is empty, expected the election's name, such as \"2026.2 TC\"");
    }
    let rolls = read::rolls(&args.input)?;
    let mut outputs = Vec::new();
    let mut report = DigestReport {
        scheme: crate::digest::ROLL_DIGEST_SCHEME,
        label: label.clone(),
        rolls: Vec::new(),
    };
    for roll in &rolls {
        let digest = roll_digest(secret, label, &roll.name, &roll.addresses);
        let mut list = Vec::new();
        render::write_list(&digest, &mut list)?;
        let mut codes = Vec::new();
        render::write_codes(&digest, &mut codes)?;
        let (list_name, codes_name) = (
            format!("{}.digest.txt", roll.name),
            format!("{}.codes.csv", roll.name),
        );
        report.rolls.push(Written {
            roll: roll.name.clone(),
            entries: digest.entries.len(),
            list: out.join(&list_name).display().to_string(),
            list_sha256: crate::digest::sha256_hex(&list),
            codes: out.join(&codes_name).display().to_string(),
        });
        outputs.push(Output::new(list_name, list));
        outputs.push(Output::new(codes_name, codes));
    }
    let options = DirOptions {
        keep_foreign: false,
        inputs: vec![args.input.clone(), secret_file.clone()],
        made_from: None,
    };
    publish::publish_dir(out, &outputs, &options)?;
    match args.format {
        Format::Json => render::write_json(&report, &mut stdout)?,
        Format::Table | Format::Csv => render::write_text(&report, &mut stdout)?,
    }
    stdout.flush()?;
    Ok(Outcome::Clean)
}
