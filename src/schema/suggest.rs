//! Near-miss suggestions ("did you mean ...?") by edit distance.

/// The candidate closest to `input`, if it is close enough to be what the user meant.
///
/// Case is ignored; a candidate is close when its edit distance (with transpositions)
/// is at most a third of the input's length (at least 1, or 2 for longer words), or
/// when one is a prefix of the other (`max_len` -> `max_length`).
pub fn closest<'a, I>(input: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let lower = input.to_ascii_lowercase();
    let limit = (lower.chars().count() / 3).max(if lower.len() > 4 { 2 } else { 1 });
    candidates
        .into_iter()
        .filter_map(|candidate| {
            let other = candidate.to_ascii_lowercase();
            let distance = edit_distance(&lower, &other);
            let prefix = lower.len() >= 3
                && other.len() >= 3
                && (other.starts_with(&lower) || lower.starts_with(&other));
            (distance <= limit || prefix).then_some((distance, candidate))
        })
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

/// Optimal string alignment distance: insertions, deletions, substitutions and swaps of
/// two neighbouring characters each cost 1.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let width = b.len() + 1;
    let mut table = vec![0usize; (a.len() + 1) * width];
    for i in 0..=a.len() {
        for j in 0..=b.len() {
            table[i * width + j] = if i == 0 || j == 0 {
                i + j
            } else {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                let mut best = (table[(i - 1) * width + j] + 1)
                    .min(table[i * width + j - 1] + 1)
                    .min(table[(i - 1) * width + j - 1] + cost);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    best = best.min(table[(i - 2) * width + j - 2] + 1);
                }
                best
            };
        }
    }
    table[a.len() * width + b.len()]
}

/// "did you mean `x`? " when there is a near miss, else "".
pub fn did_you_mean<'a, I>(input: &str, candidates: I) -> String
where
    I: IntoIterator<Item = &'a str>,
{
    match closest(input, candidates) {
        Some(candidate) => format!("did you mean `{candidate}`? "),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("strng", "string"), 1);
        assert_eq!(edit_distance("nmae", "name"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn suggestions() {
        let keys = ["max_length", "min_length", "max", "min", "type"];
        assert_eq!(closest("max_len", keys), Some("max_length"));
        assert_eq!(closest("tpye", keys), Some("type"));
        assert_eq!(closest("MAX", keys), Some("max"));
        assert_eq!(closest("colour", keys), None);
        assert_eq!(closest("strng", ["string", "text"]), Some("string"));
        assert_eq!(closest("x", ["string", "text"]), None);
    }
}
