//! "did you mean" hints for misspelled keys.

/// The candidate closest to `typo`, if it is close enough to be a plausible
/// misspelling: a case difference, at most a third of the candidate's letters
/// off (but always one), or a prefix of at least three letters (`meth`).
pub(crate) fn closest<'a>(typo: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let lower = typo.to_ascii_lowercase();
    candidates
        .iter()
        .filter_map(|&candidate| {
            let distance = levenshtein(&lower, candidate);
            let plausible = distance <= (candidate.len() / 3).max(1)
                || (lower.len() >= 3 && candidate.starts_with(&lower));
            plausible.then_some((distance, candidate))
        })
        .min_by_key(|&(distance, _)| distance)
        .map(|(_, candidate)| candidate)
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        current[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEYS: &[&str] = &["path", "method", "response", "mchid"];

    #[test]
    fn distances() {
        assert_eq!(levenshtein("", ""), 0);
        assert_eq!(levenshtein("methd", "method"), 1);
        assert_eq!(levenshtein("kitten", "sitting"), 3);
        assert_eq!(levenshtein("abc", ""), 3);
    }

    #[test]
    fn suggestions() {
        assert_eq!(closest("methd", KEYS), Some("method"));
        assert_eq!(closest("Method", KEYS), Some("method"));
        assert_eq!(closest("pth", KEYS), Some("path"));
        assert_eq!(closest("respons", KEYS), Some("response"));
        assert_eq!(closest("resp", KEYS), Some("response"));
        assert_eq!(closest("mchd", KEYS), Some("mchid"));
        assert_eq!(closest("url", KEYS), None);
        assert_eq!(closest("timeout", KEYS), None);
        assert_eq!(closest("x", KEYS), None);
    }
}
