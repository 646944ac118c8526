//! `electorate completions SHELL`: a completion script, made from the command definitions
//! so it never falls behind them.

use std::io::Write;

use clap::{Args, CommandFactory};
use clap_complete::Shell;

use crate::cli::{Cli, Outcome};

/// Print a shell completion script.
///
/// Install it where your shell looks for completions, for example:
///   electorate completions bash > ~/.local/share/bash-completion/completions/electorate
///   electorate completions zsh > ~/.zfunc/_electorate     (with fpath+=~/.zfunc)
///   electorate completions fish > ~/.config/fish/completions/electorate.fish
///   electorate completions powershell >> $PROFILE
///   electorate completions elvish >> ~/.config/elvish/rc.elv
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: Shell,
}

pub(super) fn run(args: &CompletionsArgs) -> anyhow::Result<Outcome> {
    let mut script = Vec::new();
    write_completions(args.shell, &mut script);
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(&script)?;
    stdout.flush()?;
    Ok(Outcome::Clean)
}

/// The completion script for `shell`.
pub(super) fn write_completions(shell: Shell, out: &mut dyn Write) {
    let mut command = Cli::command();
    clap_complete::generate(shell, &mut command, "electorate", out);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn script(shell: Shell) -> String {
        let mut out = Vec::new();
        write_completions(shell, &mut out);
        String::from_utf8(out).unwrap()
    }

    /// Every subcommand, nested ones included, by name.
    fn subcommands() -> Vec<String> {
        let command = Cli::command();
        let mut names = Vec::new();
        for sub in command.get_subcommands() {
            names.push(sub.get_name().to_owned());
            names.extend(sub.get_subcommands().map(|s| s.get_name().to_owned()));
        }
        names
    }

    #[test]
    fn every_shell_completes_every_subcommand() {
        let names = subcommands();
        assert!(names.iter().any(|n| n == "roll") && names.iter().any(|n| n == "man"));
        for shell in [
            Shell::Bash,
            Shell::Zsh,
            Shell::Fish,
            Shell::PowerShell,
            Shell::Elvish,
        ] {
            let script = script(shell);
            for name in &names {
                assert!(
                    script.contains(name.as_str()),
                    "{shell}: no {name} in\n{script}"
                );
            }
        }
    }

    #[test]
    fn bash_completes_flags_and_their_values() {
        let bash = script(Shell::Bash);
        assert!(bash.contains("complete -F _electorate"), "{bash}");
        for word in [
            "--election",
            "--color",
            "schulze",
            "ranked-pairs",
            "powershell",
        ] {
            assert!(bash.contains(word), "no {word}");
        }
    }
}
