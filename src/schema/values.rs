//! Validators for the text forms of field values: the same rules the generated API
//! applies to requests, used here on defaults.

/// `8-4-4-4-12` hexadecimal digits (any case).
pub fn is_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    let lengths = [8, 4, 4, 4, 12];
    groups.len() == lengths.len()
        && groups
            .iter()
            .zip(lengths)
            .all(|(group, len)| group.len() == len && group.chars().all(|c| c.is_ascii_hexdigit()))
}

/// A calendar date `YYYY-MM-DD` that exists (leap years included).
pub fn is_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return false;
    }
    let (Some(year), Some(month), Some(day)) = (
        digits(&text[0..4]),
        digits(&text[5..7]),
        digits(&text[8..10]),
    ) else {
        return false;
    };
    (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month)
}

/// An RFC 3339 date-time with a time zone: `2024-05-01T12:30:00Z`,
/// `2024-05-01 12:30:00.5+02:00`.
pub fn is_datetime(text: &str) -> bool {
    if text.len() < 20 || !text.is_char_boundary(10) || !is_date(&text[..10]) {
        return false;
    }
    let separator = text.as_bytes()[10];
    if !matches!(separator, b'T' | b't' | b' ') {
        return false;
    }
    let rest = &text[11..];
    let zone_start = rest.find(['Z', 'z', '+', '-']).unwrap_or(rest.len());
    let (time, zone) = rest.split_at(zone_start);
    is_time(time) && is_zone(zone)
}

/// `HH:MM:SS` with an optional fraction.
fn is_time(text: &str) -> bool {
    let (clock, fraction) = match text.split_once('.') {
        Some((clock, fraction)) => (clock, Some(fraction)),
        None => (text, None),
    };
    if fraction.is_some_and(|f| f.is_empty() || !f.chars().all(|c| c.is_ascii_digit())) {
        return false;
    }
    let parts: Vec<&str> = clock.split(':').collect();
    let [hour, minute, second] = parts.as_slice() else {
        return false;
    };
    two_digits_at_most(hour, 23) && two_digits_at_most(minute, 59) && two_digits_at_most(second, 60)
}

/// `Z` or `+HH:MM` / `-HH:MM`.
fn is_zone(text: &str) -> bool {
    if text.eq_ignore_ascii_case("z") {
        return true;
    }
    let Some(offset) = text.strip_prefix(['+', '-']) else {
        return false;
    };
    match offset.split_once(':') {
        Some((hours, minutes)) => two_digits_at_most(hours, 23) && two_digits_at_most(minutes, 59),
        None => false,
    }
}

fn two_digits_at_most(text: &str, max: u32) -> bool {
    text.len() == 2 && digits(text).is_some_and(|n| n <= max)
}

/// The value of a string of ASCII digits only.
fn digits(text: &str) -> Option<u32> {
    if text.is_empty() || !text.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// An email address as the generated API checks one (`is_email` of the generated
/// `validation.rs`, templates/src/validation.rs: the two keep the same rules, so that a
/// `default` the checker takes is one the API takes): a local part and a domain of
/// labels, at least two, without whitespace.
pub fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    let plain = |part: &str| !part.is_empty() && !part.contains(char::is_whitespace);
    plain(local) && !domain.contains('@') && is_domain(domain) && domain.contains('.')
}

/// An absolute `http` or `https` URL with a host, as the generated API checks one
/// (`is_url` of the generated `validation.rs`).
pub fn is_url(text: &str) -> bool {
    let rest = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"));
    let Some(rest) = rest else {
        return false;
    };
    if rest.contains(char::is_whitespace) {
        return false;
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit('@').next().unwrap_or_default();
    let host = match host_port.rsplit_once(':') {
        Some((host, port)) if port.chars().all(|c| c.is_ascii_digit()) => host,
        _ => host_port,
    };
    is_domain(host) || host.starts_with('[') && host.ends_with(']')
}

/// Labels of letters, digits and `-`, not at either end, separated by dots.
fn is_domain(text: &str) -> bool {
    let label = |label: &str| {
        !label.is_empty()
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| c.is_alphanumeric() || c == '-')
    };
    text.len() <= 253 && text.split('.').all(label)
}

/// A plain decimal number: optional `-`, digits, optionally `.` and digits
/// (`12`, `-0.50`). No exponent, no underscores.
pub fn is_decimal(text: &str) -> bool {
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (unsigned, None),
    };
    let all_digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    all_digits(whole) && fraction.is_none_or(all_digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids() {
        assert!(is_uuid("67e55044-10b1-426f-9247-bb680e5fe0c8"));
        assert!(!is_uuid("67e55044-10b1-426f-9247-bb680e5fe0c"));
        assert!(!is_uuid("67e55044x10b1-426f-9247-bb680e5fe0c8"));
        assert!(!is_uuid("not-a-uuid"));
    }

    #[test]
    fn dates() {
        assert!(is_date("2024-02-29"));
        assert!(!is_date("2023-02-29"));
        assert!(!is_date("2024-13-01"));
        assert!(!is_date("2024-1-01"));
        assert!(!is_date("01/02/2024"));
    }

    #[test]
    fn datetimes() {
        assert!(is_datetime("2024-05-01T12:30:00Z"));
        assert!(is_datetime("2024-05-01 12:30:00.125+02:00"));
        assert!(is_datetime("2024-05-01t12:30:00-05:30"));
        assert!(!is_datetime("2024-05-01T12:30:00"));
        assert!(!is_datetime("2024-05-01T25:30:00Z"));
        assert!(!is_datetime("2024-05-01"));
        assert!(!is_datetime("yesterday at noon, UTC"));
    }

    #[test]
    fn emails_and_urls() {
        assert!(is_email("a@example.com"));
        assert!(!is_email("a@example"));
        assert!(!is_email("a example.com"));
        assert!(!is_email("@example.com"));
        assert!(is_url("https://example.com/x?y=1"));
        assert!(is_url("http://localhost:3000"));
        assert!(!is_url("example.com"));
        assert!(!is_url("https://"));
        assert!(!is_url("ftp://example.com"));
    }

    #[test]
    fn decimals() {
        assert!(is_decimal("12"));
        assert!(is_decimal("-0.50"));
        assert!(!is_decimal("1e3"));
        assert!(!is_decimal("1."));
        assert!(!is_decimal(".5"));
        assert!(!is_decimal("abc"));
    }
}
