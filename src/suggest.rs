//! "Did you mean …?": the one way the tool suggests a name for one it does not know: a
//! misspelt key, policy, status, candidate or person. Suggestions must be close enough to
//! be likely typos, and deterministic (ties broken by the name itself).

/// The known name closest to `name` by edit distance (transpositions count one), when it
/// is close enough to be a likely typo: within two edits, or a quarter of its length.
#[must_use]
pub fn closest<'k>(name: &str, known: &[&'k str]) -> Option<&'k str> {
    let length = name.chars().count();
    known
        .iter()
        .filter_map(|&k| {
            let allowed = 2.max(k.len() / 4);
            // The distance is at least the difference in length, and computing it costs
            // the product of the lengths: a cell of a megabyte compared with every
            // column name took a second. Skip a name that is too far by length alone.
            if k.chars().count().abs_diff(length) > allowed {
                return None;
            }
            let distance = strsim::damerau_levenshtein(k, name);
            (distance <= allowed).then_some((distance, k))
        })
        .min()
        .map(|(_, k)| k)
}

/// Up to `limit` of `candidates` that resemble `needle` (case-insensitive, Jaro-Winkler
/// similarity of at least 0.85), most similar first, each once. For free text such as
/// people's names and addresses, where edit distance is too strict.
#[must_use]
pub fn similar<'c>(
    needle: &str,
    candidates: impl IntoIterator<Item = &'c str>,
    limit: usize,
) -> Vec<&'c str> {
    let needle = needle.to_lowercase();
    let mut scored: Vec<(u32, &str)> = candidates
        .into_iter()
        .filter_map(|candidate| {
            let score = strsim::jaro_winkler(&needle, &candidate.to_lowercase());
            // Scores as integers keep the ordering total and deterministic.
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            (score >= 0.85).then_some(((score * 1_000_000.0) as u32, candidate))
        })
        .collect();
    scored.sort_unstable_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    let mut out: Vec<&str> = Vec::new();
    for (_, candidate) in scored {
        if !out.contains(&candidate) {
            out.push(candidate);
        }
        if out.len() == limit {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_too_far_by_length_alone_are_not_compared() {
        let long = "x".repeat(1 << 20);
        assert_eq!(
            closest("owner_email", &[&long, "owner_mail"]),
            Some("owner_mail")
        );
        assert_eq!(closest(&long, &["owner_email"]), None);
        // As far by length as allowed (a quarter of 16): still compared.
        assert_eq!(
            closest("abcdefghijkl", &["abcdefghijklmnop"]),
            Some("abcdefghijklmnop")
        );
        assert_eq!(closest("abcdefghijk", &["abcdefghijklmnop"]), None);
    }

    #[test]
    fn typos_are_caught_and_strangers_are_not() {
        let known = ["openstack", "openstack-bylaws", "auc-2016"];
        assert_eq!(closest("opnstack", &known), Some("openstack"));
        assert_eq!(closest("auc-2061", &known), Some("auc-2016"));
        assert_eq!(closest("kubernetes", &known), None);
    }

    #[test]
    fn similar_names_rank_best_first_and_once() {
        let people = ["Zofia Farouk", "zofia farouk", "Sofia Faruk", "Ines Quill"];
        assert_eq!(
            similar("zofia farouq", people, 5),
            ["Zofia Farouk", "zofia farouk", "Sofia Faruk"]
        );
        assert_eq!(similar("zofia farouq", people, 1), ["Zofia Farouk"]);
    }
}
