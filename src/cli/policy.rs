//! `electorate policy list | show | check | init`.

use std::io::Write;
use std::path::PathBuf;

use anyhow::bail;
use clap::Subcommand;

use crate::cli::Outcome;
use crate::cli::terminal::Terminal;
use crate::policy::{self, BUILTINS};

/// Inspect, check and start policies.
#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// List the shipped policies.
    List,
    /// Print a shipped policy's TOML (or a policy file's, after checking it).
    Show {
        /// A shipped policy name or a policy file.
        #[arg(value_name = "NAME|FILE")]
        policy: String,
    },
    /// Validate a policy file and list every problem with its line and column (exit 1 if any).
    Check {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Write a new policy file to start from, a copy of a shipped one.
    Init {
        /// Where to write it; refuses to overwrite.
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// The shipped policy to copy.
        #[arg(long, default_value = policy::DEFAULT_POLICY)]
        from: String,
    },
}

pub(super) fn run(command: &PolicyCommand, terminal: &Terminal) -> anyhow::Result<Outcome> {
    let mut stdout = std::io::stdout().lock();
    match command {
        PolicyCommand::List => {
            let policies = BUILTINS
                .iter()
                .map(|b| policy::builtin(b.name))
                .collect::<Result<Vec<_>, _>>()?;
            crate::report::policy::write_list(&policies, &terminal.out, &mut stdout)?;
        }
        PolicyCommand::Show { policy: name } => match BUILTINS.iter().find(|b| b.name == name) {
            Some(b) => write!(stdout, "{}", b.text)?,
            None => {
                let loaded = policy::resolve(name)?;
                if let policy::PolicyOrigin::File(path) = &loaded.origin {
                    write!(stdout, "{}", std::fs::read_to_string(path)?)?;
                }
            }
        },
        PolicyCommand::Check { file } => match policy::load_file(file) {
            Ok(p) => writeln!(
                stdout,
                "{}: policy \"{}\" is valid ({} statuses, {} rolls)",
                file.display(),
                p.name,
                p.statuses.len(),
                p.rolls.len()
            )?,
            Err(policy::PolicyError::Invalid { problems, .. }) => {
                for problem in &problems {
                    writeln!(stdout, "error: {problem}")?;
                }
                return Ok(Outcome::Problems);
            }
            Err(other) => return Err(other.into()),
        },
        PolicyCommand::Init { file, from } => {
            let Some(b) = BUILTINS.iter().find(|b| b.name == from) else {
                policy::builtin(from)?;
                bail!("no shipped policy named \"{from}\"");
            };
            if std::fs::symlink_metadata(file).is_ok() {
                bail!(
                    "{} already exists; refusing to overwrite it",
                    file.display()
                );
            }
            let stem = file
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or("my-policy");
            let text = b.text.replacen(
                &format!("name = \"{}\"", b.name),
                &format!("name = \"{stem}\""),
                1,
            );
            crate::publish::publish_file(file, text.as_bytes(), &|_| false, "a policy")?;
            writeln!(
                stdout,
                "wrote {} (a copy of \"{}\"); edit it, then run `electorate policy check {}`",
                file.display(),
                b.name,
                file.display()
            )?;
        }
    }
    stdout.flush()?;
    Ok(Outcome::Clean)
}
