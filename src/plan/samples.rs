//! Example values for the generated tests: values that satisfy a field's rules, and values
//! that break exactly one of them.
//!
//! The hard case is `pattern`: the tests need strings that match an arbitrary regular
//! expression, and distinct ones for a unique field. [`pattern_samples`] walks the parsed
//! expression and builds matching strings, each one checked against the real regex.

use regex::Regex;
use regex_syntax::hir::{Class, Hir, HirKind};

/// Characters tried first in a class: readable output (`ABCD`, not `----`).
const PREFERRED: &str = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/// Most characters of one class considered: enough variety, bounded work.
const CLASS_LIMIT: usize = 64;

/// Up to `count` distinct strings matching `pattern` as a whole, with a length (in characters) within
/// `min_len..=max_len`. Fewer (maybe none) when the pattern allows fewer or is too unusual.
pub fn pattern_samples(pattern: &str, count: usize, min_len: usize, max_len: usize) -> Vec<String> {
    let whole = format!("^(?:{pattern})$");
    let (Ok(regex), Ok(hir)) = (Regex::new(&whole), regex_syntax::parse(pattern)) else {
        return Vec::new();
    };
    let node = Node::new(&hir);
    let mut found: Vec<String> = Vec::new();
    // Each repetition first as few times as it may, then longer, until the strings are
    // long enough for `min_len` (a `+` under `min_length = 3` needs three of its class).
    let shortest = node.shortest() as usize;
    let reach = min_len.saturating_sub(shortest) as u32;
    let stretches = (0..=16).chain(reach.saturating_sub(2)..=reach.saturating_add(16));
    for stretch in stretches {
        for variant in 0..(count as u64 * 20 + 20) {
            let mut state = variant;
            let mut out = String::new();
            node.emit(&mut state, stretch, &mut out);
            let len = out.chars().count();
            if len >= min_len && len <= max_len && regex.is_match(&out) && !found.contains(&out) {
                found.push(out);
                if found.len() == count {
                    return found;
                }
            }
        }
    }
    found
}

/// A string that does not match `pattern` as a whole, from a short list of usual suspects.
pub fn pattern_violation(pattern: &str) -> Option<String> {
    let regex = Regex::new(&format!("^(?:{pattern})$")).ok()?;
    ["!", "~ not a match ~", "", " ", "0", "a", "A"]
        .into_iter()
        .find(|candidate| !regex.is_match(candidate))
        .map(str::to_string)
}

/// The parsed expression as [`Node::emit`] walks it, built once per pattern: each class
/// already reduced to its characters, which every variant picks from.
enum Node {
    Literal(String),
    Class(Vec<char>),
    /// The sub-expression, the fewest and the most times it may be repeated.
    Repeat(Box<Node>, u32, Option<u32>),
    Concat(Vec<Node>),
    Alternation(Vec<Node>),
}

impl Node {
    fn new(hir: &Hir) -> Node {
        match hir.kind() {
            HirKind::Empty | HirKind::Look(_) => Node::Concat(Vec::new()),
            HirKind::Literal(literal) => {
                Node::Literal(String::from_utf8_lossy(&literal.0).into_owned())
            }
            HirKind::Class(class) => Node::Class(class_chars(class)),
            HirKind::Repetition(repetition) => Node::Repeat(
                Box::new(Node::new(&repetition.sub)),
                repetition.min,
                repetition.max,
            ),
            HirKind::Capture(capture) => Node::new(&capture.sub),
            HirKind::Concat(parts) => Node::Concat(parts.iter().map(Node::new).collect()),
            HirKind::Alternation(branches) => {
                Node::Alternation(branches.iter().map(Node::new).collect())
            }
        }
    }

    /// The fewest characters the node emits (with no stretch).
    fn shortest(&self) -> u32 {
        match self {
            Node::Literal(text) => text.chars().count() as u32,
            Node::Class(_) => 1,
            Node::Repeat(sub, min, max) => sub.shortest() * Node::times(*min, *max, 0),
            Node::Concat(parts) => parts.iter().map(Node::shortest).sum(),
            Node::Alternation(branches) => branches.iter().map(Node::shortest).min().unwrap_or(0),
        }
    }

    /// How many times a repetition runs: at least once where it may, plus `stretch`,
    /// within its bounds.
    fn times(min: u32, max: Option<u32>, stretch: u32) -> u32 {
        let times = min.max(1).saturating_add(stretch);
        max.map_or(times, |max| times.min(max))
    }

    /// Appends the variant `state` selects (each choice consumes part of it) to `out`,
    /// each repetition run `stretch` more times than its fewest.
    fn emit(&self, state: &mut u64, stretch: u32, out: &mut String) {
        match self {
            Node::Literal(text) => out.push_str(text),
            Node::Class(chars) => {
                if !chars.is_empty() {
                    let size = chars.len() as u64;
                    out.push(chars[(*state % size) as usize]);
                    *state /= size;
                }
            }
            Node::Repeat(sub, min, max) => {
                for _ in 0..Node::times(*min, *max, stretch) {
                    sub.emit(state, stretch, out);
                }
            }
            Node::Concat(parts) => {
                for part in parts {
                    part.emit(state, stretch, out);
                }
            }
            Node::Alternation(branches) => {
                let size = branches.len() as u64;
                let branch = &branches[(*state % size) as usize];
                *state /= size;
                branch.emit(state, stretch, out);
            }
        }
    }
}

/// The characters of a class, readable ones first, at most [`CLASS_LIMIT`].
fn class_chars(class: &Class) -> Vec<char> {
    let mut all: Vec<char> = Vec::new();
    match class {
        Class::Unicode(unicode) => {
            for range in unicode.iter() {
                for c in range.start()..=range.end() {
                    all.push(c);
                    if all.len() >= 4096 {
                        break;
                    }
                }
            }
        }
        Class::Bytes(bytes) => {
            for range in bytes.iter() {
                for b in range.start()..=range.end() {
                    if b.is_ascii() {
                        all.push(char::from(b));
                    }
                }
            }
        }
    }
    let mut chars: Vec<char> = PREFERRED.chars().filter(|c| all.contains(c)).collect();
    chars.extend(
        all.iter()
            .filter(|c| !c.is_control() && !c.is_whitespace() && !PREFERRED.contains(**c)),
    );
    chars.truncate(CLASS_LIMIT);
    chars
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_match_and_are_distinct() {
        let samples = pattern_samples("^[A-Z0-9-]{4,32}$", 30, 0, 100);
        assert_eq!(samples.len(), 30);
        let regex = Regex::new("^[A-Z0-9-]{4,32}$").unwrap();
        assert!(samples.iter().all(|s| regex.is_match(s)));
        assert_eq!(samples[0], "AAAA");
    }

    #[test]
    fn alternations_and_groups() {
        let samples = pattern_samples("^[a-z0-9]+(-[a-z0-9]+)*$", 30, 0, 100);
        assert_eq!(samples.len(), 30);
        let samples = pattern_samples("^(red|green|blue)$", 5, 0, 100);
        assert_eq!(samples, vec!["red", "green", "blue"]);
    }

    #[test]
    fn length_bounds_are_respected() {
        assert_eq!(pattern_samples("^[a-z]{5,}$", 1, 5, 10), vec!["aaaaa"]);
        assert!(pattern_samples("^[a-z]{2}$", 3, 5, 10).is_empty());
    }

    #[test]
    fn repetitions_grow_to_reach_a_minimum_length() {
        // A unique `pattern = "^[a-z0-9_-]+$"` with `min_length = 3`.
        let samples = pattern_samples("^[a-z0-9_-]+$", 30, 3, 255);
        assert_eq!(samples.len(), 30);
        assert!(
            samples.iter().all(|s| s.chars().count() >= 3),
            "{samples:?}"
        );
        let long = pattern_samples("^[A-Z]+-[0-9]{2}$", 5, 40, 45);
        assert_eq!(long.len(), 5, "{long:?}");
        assert!(long.iter().all(|s| (40..=45).contains(&s.chars().count())));
    }

    #[test]
    fn violations_do_not_match() {
        assert_eq!(pattern_violation("^[A-Z]+$").as_deref(), Some("!"));
        assert_eq!(pattern_violation(".*"), None);
    }
}
