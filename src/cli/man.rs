//! `electorate man`: the manual page, in roff, made from the command definitions. One
//! page holds everything: the program's synopsis and options, then a section per
//! subcommand (`ELECTORATE ROLL`, `ELECTORATE POLICY LIST`, ...) with its synopsis,
//! description and options as subsections.

use std::io::{self, Write};

use clap::{Args, CommandFactory};

use crate::cli::{Cli, Outcome};

/// Print the manual page (roff) on standard output.
///
/// Read it with `electorate man | man -l -`, or install it:
///   electorate man > ~/.local/share/man/man1/electorate.1
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct ManArgs {}

pub(super) fn run(_args: &ManArgs) -> anyhow::Result<Outcome> {
    let mut page = Vec::new();
    write_man(&mut page)?;
    let mut stdout = io::stdout().lock();
    stdout.write_all(&page)?;
    stdout.flush()?;
    Ok(Outcome::Clean)
}

/// The whole manual page.
///
/// # Errors
/// Writing failed.
pub(super) fn write_man(out: &mut dyn Write) -> io::Result<()> {
    let mut command = Cli::command();
    command.build();
    let man = clap_mangen::Man::new(command.clone());
    let mut page = Vec::new();
    man.render_title(&mut page)?;
    man.render_name_section(&mut page)?;
    man.render_synopsis_section(&mut page)?;
    man.render_description_section(&mut page)?;
    man.render_options_section(&mut page)?;
    man.render_subcommands_section(&mut page)?;
    for sub in command.get_subcommands() {
        write_subcommand(sub, &mut page)?;
    }
    man.render_version_section(&mut page)?;
    // Each piece clap_mangen renders opens with the same two lines defining the
    // apostrophe string; the page needs them once, first.
    let page = String::from_utf8_lossy(&page);
    let mut seen = std::collections::HashSet::new();
    for line in page.lines() {
        let preamble = line.starts_with(".ie \\n(.g .ds Aq") || line.starts_with(".el .ds Aq");
        if preamble && !seen.insert(line.to_owned()) {
            continue;
        }
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// A subcommand's section, then its own subcommands' sections.
fn write_subcommand(command: &clap::Command, out: &mut dyn Write) -> io::Result<()> {
    if command.is_hide_set() {
        return Ok(());
    }
    let name = command
        .get_bin_name()
        .unwrap_or_else(|| command.get_name())
        .to_uppercase();
    writeln!(out, ".SH \"{name}\"")?;
    let man = clap_mangen::Man::new(command.clone());
    let mut body = Vec::new();
    man.render_synopsis_section(&mut body)?;
    man.render_description_section(&mut body)?;
    if command.get_arguments().any(|arg| !arg.is_hide_set()) {
        man.render_options_section(&mut body)?;
    }
    if command.has_subcommands() {
        man.render_subcommands_section(&mut body)?;
    }
    if command.get_after_long_help().is_some() || command.get_after_help().is_some() {
        man.render_extra_section(&mut body)?;
    }
    // The subcommand's own sections become subsections of its section.
    let body = String::from_utf8_lossy(&body)
        .lines()
        .map(|line| match line.strip_prefix(".SH ") {
            Some("EXTRA") => ".SS EXAMPLES".to_owned(),
            Some(heading) => format!(".SS {heading}"),
            None => line.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    writeln!(out, "{body}")?;
    for sub in command.get_subcommands() {
        write_subcommand(sub, out)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page() -> String {
        let mut out = Vec::new();
        write_man(&mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn the_page_has_a_section_per_subcommand() {
        let page = page();
        let headings: Vec<&str> = page
            .lines()
            .filter_map(|line| line.strip_prefix(".SH "))
            .collect();
        let mut expected = vec![
            "NAME".to_owned(),
            "SYNOPSIS".to_owned(),
            "DESCRIPTION".to_owned(),
        ];
        let mut command = Cli::command();
        command.build();
        fn walk(command: &clap::Command, into: &mut Vec<String>) {
            for sub in command.get_subcommands() {
                into.push(format!(
                    "\"{}\"",
                    sub.get_bin_name().unwrap_or_default().to_uppercase()
                ));
                walk(sub, into);
            }
        }
        let mut sections = Vec::new();
        walk(&command, &mut sections);
        assert!(sections.contains(&"\"ELECTORATE ROLL\"".to_owned()));
        assert!(sections.contains(&"\"ELECTORATE POLICY LIST\"".to_owned()));
        for section in &sections {
            assert!(
                headings.contains(&section.as_str()),
                "no {section} in {headings:?}"
            );
        }
        expected.retain(|h| !headings.contains(&h.as_str()));
        assert!(expected.is_empty(), "missing {expected:?}");
    }

    #[test]
    fn the_page_is_roff_with_a_title_and_no_stray_headings() {
        let page = page();
        let first = page
            .lines()
            .find(|line| !line.starts_with(".ie") && !line.starts_with(".el"));
        assert!(
            first.is_some_and(|line| line.starts_with(".TH electorate 1")),
            "{first:?}"
        );
        assert_eq!(page.matches(".el .ds Aq").count(), 1, "the preamble once");
        for line in page.lines() {
            // Every heading is a macro with its argument: nothing a roff reader would take
            // for text, and no empty heading.
            if let Some(rest) = line
                .strip_prefix(".SH")
                .or_else(|| line.strip_prefix(".SS"))
            {
                assert!(rest.starts_with(' ') && rest.trim().len() > 1, "{line:?}");
            }
        }
        // The long help's examples made it in, as text.
        assert!(page.contains("electorate roll \\-\\-election examples/newton\\-tc/election.toml"));
        // Options of subcommands are there, escaped for roff.
        assert!(page.contains("\\-\\-tie\\-seed"));
    }
}
