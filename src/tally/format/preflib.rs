//! `PrefLib`'s order formats: `.soc` (strict complete orders), `.soi` (strict incomplete),
//! `.toc` (complete with ties), `.toi` (incomplete with ties).
//!
//! The current layout (2022 on) opens with `# KEY: value` header lines, among them
//! `# DATA TYPE: soi`, `# NUMBER ALTERNATIVES: 4`, `# NUMBER VOTERS: 475`,
//! `# ALTERNATIVE NAME 1: ...` and `# TITLE: ...`; then each line is `count: order`, the
//! order listing alternative numbers best first, separated by commas, with tied
//! alternatives in braces: `12: 3,{1,2},4`. Alternatives missing from an incomplete
//! order are unranked.
//!
//! The older layout is tolerated: a line with the number of alternatives, one
//! `number,name` line per alternative, a `voters,sum,unique` line, then `count,order`
//! lines.
//!
//! Checks: every alternative has a name; strict types (`soc`, `soi`) have no braces;
//! complete types (`soc`, `toc`) rank every alternative; the counts add up to
//! `NUMBER VOTERS` when the header gives it.

use std::collections::BTreeMap;

use crate::tally::ballot::{
    BallotOrigin, BallotSet, Ballots, Candidate, CandidateIndex, Candidates, RankedBallots,
    RankingBuilder,
};
use crate::tally::error::{Location, ParseError, ParseProblem, excerpt};
use crate::tally::format::limits::{check_field, check_name};
use crate::tally::format::{
    InputFormat, candidate_list_error, numbered_lines, parse_whole, push_error,
};

/// What the data type promises about each order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct DataType {
    name: &'static str,
    ties: bool,
    complete: bool,
}

impl DataType {
    fn from_name(name: &str) -> Option<Self> {
        let (name, ties, complete) = match name.trim().to_ascii_lowercase().as_str() {
            "soc" => ("soc", false, true),
            "soi" => ("soi", false, false),
            "toc" => ("toc", true, true),
            "toi" => ("toi", true, false),
            _ => return None,
        };
        Some(Self {
            name,
            ties,
            complete,
        })
    }
}

/// Read a `PrefLib` file (either layout).
///
/// # Errors
/// Missing or repeated alternative names, a bad count or order, a tie in a strict file,
/// an incomplete order in a complete file, counts that do not add up.
pub(super) fn read(file: &str, text: &str) -> Result<BallotSet, ParseError> {
    let first = numbered_lines(text).find(|(_, line)| !line.trim().is_empty());
    match first {
        None => Err(ParseError::new(
            Location::file(file),
            ParseProblem::Empty {
                expected: "\"# KEY: value\" header lines, then \"count: order\" lines".to_owned(),
            },
        )),
        Some((_, line)) if line.trim_start().starts_with('#') => read_current(file, text),
        Some(_) => read_older(file, text),
    }
}

fn extension_type(file: &str) -> Option<DataType> {
    std::path::Path::new(file)
        .extension()
        .and_then(|extension| extension.to_str())
        .and_then(DataType::from_name)
}

fn read_current(file: &str, text: &str) -> Result<BallotSet, ParseError> {
    let mut names: BTreeMap<usize, (u32, String)> = BTreeMap::new();
    let mut declared_count: Option<(u32, usize)> = None;
    let mut declared_voters: Option<(u32, u64)> = None;
    let mut data_type = None;
    let mut title = None;
    let mut data = Vec::new();
    for (line, raw) in numbered_lines(text) {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            continue;
        }
        let Some(header) = trimmed.strip_prefix('#') else {
            data.push((line, trimmed));
            continue;
        };
        if !data.is_empty() {
            continue;
        }
        let Some((key, value)) = header.split_once(':') else {
            continue;
        };
        let (key, value) = (key.trim().to_ascii_uppercase(), value.trim());
        let number = |what: &'static str| {
            parse_whole(value).ok_or_else(|| {
                ParseError::new(
                    Location::line(file, line),
                    ParseProblem::Invalid {
                        what,
                        found: value.to_owned(),
                        expected: "a whole number".to_owned(),
                    },
                )
            })
        };
        if let Some(position) = key.strip_prefix("ALTERNATIVE NAME") {
            let position = parse_whole(position.trim())
                .and_then(|position| usize::try_from(position).ok())
                .filter(|position| *position >= 1)
                .ok_or_else(|| {
                    ParseError::new(
                        Location::line(file, line),
                        ParseProblem::Invalid {
                            what: "alternative number",
                            found: position.trim().to_owned(),
                            expected: "\"# ALTERNATIVE NAME N: name\" with N from 1".to_owned(),
                        },
                    )
                })?;
            check_name(|| Location::line(file, line), "alternative name", value)?;
            names.insert(position, (line, value.to_owned()));
        } else if key == "NUMBER ALTERNATIVES" {
            let count = usize::try_from(number("number of alternatives")?).unwrap_or(usize::MAX);
            declared_count = Some((line, count));
        } else if key == "NUMBER VOTERS" {
            declared_voters = Some((line, number("number of voters")?));
        } else if key == "DATA TYPE" {
            data_type = Some(DataType::from_name(value).ok_or_else(|| {
                ParseError::new(
                    Location::line(file, line),
                    ParseProblem::Invalid {
                        what: "data type",
                        found: value.to_owned(),
                        expected: "soc, soi, toc or toi".to_owned(),
                    },
                )
            })?);
        } else if key == "TITLE" && !value.is_empty() {
            check_field(|| Location::line(file, line), "title", value)?;
            title = Some(value.to_owned());
        }
    }
    let count = match declared_count {
        Some((_, count)) => count,
        None => names.keys().next_back().copied().unwrap_or(0),
    };
    if count > CandidateIndex::MAX_CANDIDATES {
        return Err(ParseError::new(
            Location::line(file, declared_count.map_or(1, |(line, _)| line)),
            ParseProblem::TooManyCandidates {
                count,
                max: CandidateIndex::MAX_CANDIDATES,
            },
        ));
    }
    if let Some((&position, &(line, _))) = names.iter().find(|(position, _)| **position > count) {
        return Err(ParseError::new(
            Location::line(file, line),
            ParseProblem::Invalid {
                what: "alternative number",
                found: position.to_string(),
                expected: format!("at most {count}, the number of alternatives"),
            },
        ));
    }
    let mut list = Vec::with_capacity(count);
    for position in 1..=count {
        let Some((_, name)) = names.remove(&position) else {
            return Err(ParseError::new(
                Location::file(file),
                ParseProblem::Unexpected {
                    found: format!("no name for alternative {position}"),
                    expected: format!("a line \"# ALTERNATIVE NAME {position}: ...\""),
                },
            ));
        };
        list.push(Candidate {
            name,
            id: Some(position.to_string()),
            affiliation: None,
            withdrawn: false,
        });
    }
    let candidates =
        Candidates::new(list).map_err(|error| candidate_list_error(Location::file(file), error))?;
    let data_type = data_type
        .or_else(|| extension_type(file))
        .unwrap_or(DataType {
            name: "toi",
            ties: true,
            complete: false,
        });
    let ballots = read_orders(file, &data, &candidates, data_type, ':')?;
    if let Some((line, voters)) = declared_voters
        && voters != ballots.total_weight()
    {
        return Err(ParseError::new(
            Location::line(file, line),
            ParseProblem::Unexpected {
                found: format!("\"NUMBER VOTERS: {voters}\""),
                expected: format!("the sum of the counts, {}", ballots.total_weight()),
            },
        ));
    }
    Ok(BallotSet {
        file: file.to_owned(),
        format: InputFormat::Preflib,
        title,
        seats: None,
        candidates,
        ballots: Ballots::Ranked(ballots),
    })
}

fn read_older(file: &str, text: &str) -> Result<BallotSet, ParseError> {
    let mut lines = numbered_lines(text)
        .map(|(line, raw)| (line, raw.trim()))
        .filter(|(_, raw)| !raw.is_empty());
    let unexpected = |line: u32, found: &str, expected: &str| {
        ParseError::new(
            Location::line(file, line),
            ParseProblem::Unexpected {
                found: excerpt(found),
                expected: expected.to_owned(),
            },
        )
    };
    let (line, first) = lines.next().unwrap_or((1, ""));
    let count = parse_whole(first)
        .and_then(|count| usize::try_from(count).ok())
        .filter(|count| *count <= CandidateIndex::MAX_CANDIDATES)
        .ok_or_else(|| {
            unexpected(
                line,
                first,
                "the number of alternatives (older PrefLib layout)",
            )
        })?;
    let mut list = Vec::with_capacity(count);
    for position in 1..=count {
        let (line, text) = lines.next().unwrap_or((line, ""));
        let expected = format!("\"{position},NAME\"");
        let (number, name) = text
            .split_once(',')
            .ok_or_else(|| unexpected(line, text, &expected))?;
        if parse_whole(number.trim()) != u64::try_from(position).ok() {
            return Err(unexpected(line, text, &expected));
        }
        check_name(
            || Location::line(file, line),
            "alternative name",
            name.trim(),
        )?;
        list.push(Candidate {
            name: name.trim().to_owned(),
            id: Some(position.to_string()),
            affiliation: None,
            withdrawn: false,
        });
    }
    let candidates =
        Candidates::new(list).map_err(|error| candidate_list_error(Location::file(file), error))?;
    let (totals_line, totals) = lines.next().unwrap_or((line, ""));
    let voters = totals
        .split(',')
        .next()
        .and_then(|voters| parse_whole(voters.trim()))
        .ok_or_else(|| unexpected(totals_line, totals, "\"VOTERS,SUM,UNIQUE\""))?;
    let data: Vec<(u32, &str)> = lines.collect();
    let data_type = extension_type(file).unwrap_or(DataType {
        name: "toi",
        ties: true,
        complete: false,
    });
    let ballots = read_orders(file, &data, &candidates, data_type, ',')?;
    if voters != ballots.total_weight() {
        return Err(ParseError::new(
            Location::line(file, totals_line),
            ParseProblem::Unexpected {
                found: format!("{voters} voters"),
                expected: format!("the sum of the counts, {}", ballots.total_weight()),
            },
        ));
    }
    Ok(BallotSet {
        file: file.to_owned(),
        format: InputFormat::Preflib,
        title: None,
        seats: None,
        candidates,
        ballots: Ballots::Ranked(ballots),
    })
}

fn read_orders(
    file: &str,
    data: &[(u32, &str)],
    candidates: &Candidates,
    data_type: DataType,
    separator: char,
) -> Result<RankedBallots, ParseError> {
    let count = candidates.len();
    let mut ballots = RankedBallots::new();
    let mut builder = RankingBuilder::new(count);
    for &(line, text) in data {
        let Some((count_text, order)) = text.split_once(separator) else {
            return Err(ParseError::new(
                Location::line(file, line),
                ParseProblem::Unexpected {
                    found: excerpt(text),
                    expected: format!(
                        "\"count{separator} order\", e.g. \"12{separator} 3,{{1,2}},4\""
                    ),
                },
            ));
        };
        let weight = parse_whole(count_text.trim()).ok_or_else(|| {
            ParseError::new(
                Location::line(file, line),
                ParseProblem::Invalid {
                    what: "count",
                    found: count_text.trim().to_owned(),
                    expected: "a whole number of voters before the order".to_owned(),
                },
            )
        })?;
        read_order(file, line, order, candidates, data_type, &mut builder)?;
        ballots
            .push(weight, &builder, None, BallotOrigin { line })
            .map_err(|error| push_error(file, line, error))?;
    }
    Ok(ballots)
}

/// Parse `3,{1,2},4` into `builder`.
fn read_order(
    file: &str,
    line: u32,
    order: &str,
    candidates: &Candidates,
    data_type: DataType,
    builder: &mut RankingBuilder,
) -> Result<(), ParseError> {
    builder.clear();
    let count = candidates.len();
    let problem = |found: String, expected: String| {
        ParseError::new(
            Location::line(file, line),
            ParseProblem::Unexpected { found, expected },
        )
    };
    let mut in_braces = false;
    let mut first_in_tier = true;
    let mut number = String::new();
    let mut ranked = 0usize;
    let mut finish = |number: &mut String, builder: &mut RankingBuilder, new_tier: bool| {
        if number.is_empty() {
            return Ok(());
        }
        let candidate = parse_whole(number)
            .and_then(|n| usize::try_from(n).ok())
            .filter(|n| (1..=count).contains(n))
            .and_then(|n| CandidateIndex::new(n - 1))
            .ok_or_else(|| {
                ParseError::new(
                    Location::line(file, line),
                    ParseProblem::UnknownCandidate {
                        found: number.clone(),
                        expected: format!("an alternative number from 1 to {count}"),
                    },
                )
            })?;
        builder.push(candidate, new_tier).map_err(|_| {
            ParseError::new(
                Location::line(file, line),
                ParseProblem::RankedTwice {
                    name: candidates.name(candidate).to_owned(),
                },
            )
        })?;
        ranked += 1;
        number.clear();
        Ok(())
    };
    for character in order.chars() {
        match character {
            '0'..='9' => number.push(character),
            ',' => {
                finish(&mut number, builder, !in_braces || first_in_tier)?;
                if in_braces {
                    first_in_tier = false;
                }
            }
            '{' if !in_braces && number.is_empty() => {
                if !data_type.ties {
                    return Err(ParseError::new(
                        Location::line(file, line),
                        ParseProblem::MixedFormats {
                            found: "a tie in braces".to_owned(),
                            format: strict_description(data_type),
                            expected: "strict orders without braces".to_owned(),
                        },
                    ));
                }
                in_braces = true;
                first_in_tier = true;
            }
            '}' if in_braces => {
                let was_empty = first_in_tier && number.is_empty();
                finish(&mut number, builder, first_in_tier)?;
                if was_empty {
                    return Err(problem(
                        "empty braces".to_owned(),
                        "at least one alternative between { and }".to_owned(),
                    ));
                }
                in_braces = false;
            }
            c if c.is_whitespace() => {}
            other => {
                return Err(problem(
                    format!("{other:?} in the order {}", excerpt(order.trim())),
                    "alternative numbers separated by commas, ties in braces".to_owned(),
                ));
            }
        }
    }
    if in_braces {
        return Err(problem(
            "an unclosed {".to_owned(),
            "a } closing every tie".to_owned(),
        ));
    }
    finish(&mut number, builder, true)?;
    if data_type.complete && ranked != count {
        return Err(problem(
            format!("an order of {ranked} of the {count} alternatives"),
            format!(
                "a complete order, as the data type {:?} says",
                data_type.name
            ),
        ));
    }
    Ok(())
}

fn strict_description(data_type: DataType) -> &'static str {
    if data_type.complete {
        "a PrefLib .soc file (strict complete orders)"
    } else {
        "a PrefLib .soi file (strict incomplete orders)"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "# FILE NAME: 00001-00000001.toi\n# TITLE: Example\n# DATA TYPE: toi\n# NUMBER ALTERNATIVES: 4\n# NUMBER VOTERS: 6\n# ALTERNATIVE NAME 1: Alice\n# ALTERNATIVE NAME 2: Bob\n# ALTERNATIVE NAME 3: Carol\n# ALTERNATIVE NAME 4: Dan\n";

    fn tiers(set: &BallotSet, position: usize) -> (u64, Vec<Vec<usize>>) {
        let Ballots::Ranked(ballots) = &set.ballots else {
            panic!("ranked")
        };
        let ballot = ballots.get(position).unwrap();
        (
            ballot.weight,
            ballot
                .ranking
                .tiers()
                .map(|tier| tier.iter().map(|c| c.index()).collect())
                .collect(),
        )
    }

    fn strict_header(data_type: &str) -> String {
        HEADER
            .replace("toi", data_type)
            .replace("VOTERS: 6", "VOTERS: 1")
    }

    fn error(file: &str, text: &str) -> String {
        read(file, text).unwrap_err().to_string()
    }

    #[test]
    fn current_layout_with_ties() {
        let set = read(
            "e.toi",
            &format!("{HEADER}3: 3,{{1,2}},4\n2: 2\n1: {{4, 3}}\n"),
        )
        .unwrap();
        assert_eq!(set.title.as_deref(), Some("Example"));
        assert_eq!(set.candidates.name_at(2), "Carol");
        assert_eq!(tiers(&set, 0), (3, vec![vec![2], vec![0, 1], vec![3]]));
        assert_eq!(tiers(&set, 1), (2, vec![vec![1]]));
        assert_eq!(tiers(&set, 2), (1, vec![vec![3, 2]]));
        assert_eq!(tiers(&set, 2).1.len(), 1);
        assert_eq!(set.ballots.headers()[2].origin.line, 12);
    }

    #[test]
    fn older_layout() {
        let set = read(
            "e.soc",
            "3\n1,Alice\n2,Bob\n3,Carol\n5,5,2\n4,1,2,3\n1,3,2,1\n",
        )
        .unwrap();
        assert_eq!(set.candidates.name_at(1), "Bob");
        assert_eq!(tiers(&set, 1), (1, vec![vec![2], vec![1], vec![0]]));
    }

    #[test]
    fn bad_files() {
        assert_eq!(
            error("e.toi", &format!("{HEADER}6: 1,5\n")),
            "e.toi:10: unknown candidate \"5\", expected an alternative number from 1 to 4"
        );
        assert_eq!(
            error("e.toi", &format!("{HEADER}6: 1,1\n")),
            "e.toi:10: candidate \"Alice\" is ranked twice, expected each candidate at most once per ballot"
        );
        assert_eq!(
            error("e.toi", &format!("{HEADER}5: 1,2\n")),
            "e.toi:5: found \"NUMBER VOTERS: 6\", expected the sum of the counts, 5"
        );
        assert_eq!(
            error("e.toi", &format!("{HEADER}6 1,2\n")),
            "e.toi:10: found \"6 1,2\", expected \"count: order\", e.g. \"12: 3,{1,2},4\""
        );
        assert_eq!(
            error("e.toi", &format!("{HEADER}x: 1,2\n")),
            "e.toi:10: count \"x\" is not valid, expected a whole number of voters before the order"
        );
        assert_eq!(
            error("e.soi", &(strict_header("soi") + "1: {1,2}\n")),
            "e.soi:10: a tie in braces, but this file was read as a PrefLib .soi file (strict incomplete orders): expected strict orders without braces"
        );
        assert_eq!(
            error("e.toc", &(strict_header("toc") + "1: {1,2},3\n")),
            "e.toc:10: found an order of 3 of the 4 alternatives, expected a complete order, as the data type \"toc\" says"
        );
        assert_eq!(
            error(
                "e.toi",
                "# NUMBER ALTERNATIVES: 2\n# ALTERNATIVE NAME 1: A\n1: 1\n"
            ),
            "e.toi: found no name for alternative 2, expected a line \"# ALTERNATIVE NAME 2: ...\""
        );
        assert_eq!(
            error("e.toi", ""),
            "e.toi: the file is empty, expected \"# KEY: value\" header lines, then \"count: order\" lines"
        );
    }
}
