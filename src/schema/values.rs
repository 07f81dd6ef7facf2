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
    let (clock_text, fraction) = match text.split_once('.') {
        Some((clock_text, fraction)) => (clock_text, Some(fraction)),
        None => (text, None),
    };
    if fraction.is_some_and(|f| f.is_empty() || !f.chars().all(|c| c.is_ascii_digit())) {
        return false;
    }
    clock(clock_text, 60).is_some()
}

/// The hour, minute and second of an `HH:MM:SS` from 00:00:00 to 23:59:`last_second`
/// (60 where a leap second may be written).
pub fn clock(text: &str, last_second: u32) -> Option<[u32; 3]> {
    let parts: Vec<&str> = text.split(':').collect();
    let [hour, minute, second] = parts.as_slice() else {
        return None;
    };
    let part = |text: &str, max: u32| two_digits_at_most(text, max).then(|| digits(text))?;
    Some([
        part(hour, 23)?,
        part(minute, 59)?,
        part(second, last_second)?,
    ])
}

/// The arguments of `Date::from_ymd_opt` for a `YYYY-MM-DD` the checker accepted:
/// `2024, 1, 31`.
pub fn date_args(text: &str) -> String {
    let mut parts = text.split('-').map(|p| p.trim_start_matches('0'));
    let (y, m, d) = (parts.next(), parts.next(), parts.next());
    format!(
        "{}, {}, {}",
        y.filter(|s| !s.is_empty()).unwrap_or("0"),
        m.filter(|s| !s.is_empty()).unwrap_or("1"),
        d.filter(|s| !s.is_empty()).unwrap_or("1")
    )
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

/// The instant of an RFC 3339 date-time [`is_datetime`] accepted, as seconds since
/// 1970-01-01 UTC and nanoseconds (to the microsecond, as every database keeps it), its
/// offset applied: `2024-01-31T12:00:00+02:00` is 10:00 UTC.
pub fn datetime_instant(text: &str) -> (i64, u32) {
    let number = |range: std::ops::Range<usize>| -> i64 {
        text.get(range).and_then(|s| s.parse().ok()).unwrap_or(0)
    };
    let (year, month, day) = (number(0..4), number(5..7), number(8..10));
    let (hour, minute, second) = (number(11..13), number(14..16), number(17..19));
    let rest = text.get(19..).unwrap_or_default();
    let zone_start = rest.find(['Z', 'z', '+', '-']).unwrap_or(rest.len());
    let (fraction, zone) = rest.split_at(zone_start);
    let micros: String = fraction.trim_start_matches('.').chars().take(6).collect();
    let nanos = format!("{micros:0<6}").parse::<u32>().unwrap_or(0) * 1000;
    let offset = match zone.as_bytes().first() {
        Some(sign @ (b'+' | b'-')) => {
            let hours: i64 = zone.get(1..3).and_then(|h| h.parse().ok()).unwrap_or(0);
            let minutes: i64 = zone.get(4..6).and_then(|m| m.parse().ok()).unwrap_or(0);
            let offset = hours * 3600 + minutes * 60;
            if *sign == b'-' { -offset } else { offset }
        }
        _ => 0,
    };
    let local = days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second;
    (local - offset, nanos)
}

/// The first and the last second (since 1970-01-01 UTC) of the years 0001 to 9999: the
/// instants every database keeps the same way.
pub const DATETIME_SECONDS: std::ops::RangeInclusive<i64> = -62_135_596_800..=253_402_300_799;

/// Days from 1970-01-01 to a proleptic Gregorian date.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The largest decimal a generated API keeps exactly, on every database (without its
/// point: a decimal is at most these digits, with at most [`MAX_DECIMAL_PLACES`] of them
/// after the point).
pub const MAX_DECIMAL: &str = "79228162514264337593543950335";

/// The most places after the point a generated API's decimals keep.
pub const MAX_DECIMAL_PLACES: usize = 28;

/// The digits of the plain decimal `text` (as [`is_decimal`] takes it) that count: those
/// before the point (leading zeros aside) and the places after it (trailing zeros aside).
pub fn decimal_digits(text: &str) -> (usize, usize) {
    let unsigned = text.trim_start_matches('-');
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    (
        whole.trim_start_matches('0').len(),
        fraction.trim_end_matches('0').len(),
    )
}

/// Why the plain decimal `text` (as [`is_decimal`] takes it) is more than a generated API
/// keeps exactly, if it is: more than 28 places, or more digits than the largest decimal.
/// The API refuses such values in requests; a schema may not name them.
pub fn decimal_beyond(text: &str) -> Option<String> {
    let unsigned = text.trim_start_matches('-');
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    if fraction.len() > MAX_DECIMAL_PLACES {
        return Some(format!(
            "has {} places after the point, and a decimal keeps at most {MAX_DECIMAL_PLACES}",
            fraction.len()
        ));
    }
    let digits = format!("{whole}{fraction}");
    let digits = digits.trim_start_matches('0');
    let longer = digits.len() > MAX_DECIMAL.len();
    if longer || digits.len() == MAX_DECIMAL.len() && digits > MAX_DECIMAL {
        return Some(format!(
            "has more digits than a decimal keeps (at most {MAX_DECIMAL}, point aside)"
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_digits_count_what_a_scale_and_a_precision_limit() {
        assert_eq!(decimal_digits("12.50"), (2, 1));
        assert_eq!(decimal_digits("-0.001"), (0, 3));
        assert_eq!(decimal_digits("00100"), (3, 0));
        assert_eq!(decimal_digits("9.000"), (1, 0));
    }

    #[test]
    fn a_datetime_default_keeps_its_offset_and_its_microseconds() {
        assert_eq!(datetime_instant("1970-01-01T00:00:00Z"), (0, 0));
        assert_eq!(
            datetime_instant("2024-01-31T12:00:00+02:00").0,
            1_706_695_200
        );
        assert_eq!(datetime_instant("2024-01-31T10:00:00Z").0, 1_706_695_200);
        assert_eq!(
            datetime_instant("2024-01-31T08:30:00-01:30").0,
            1_706_695_200
        );
        assert_eq!(
            datetime_instant("1970-01-01T00:00:01.1234567Z"),
            (1, 123_456_000)
        );
        assert_eq!(
            datetime_instant("0001-01-01T00:00:00Z").0,
            *DATETIME_SECONDS.start()
        );
        assert_eq!(
            datetime_instant("9999-12-31T23:59:59Z").0,
            *DATETIME_SECONDS.end()
        );
    }

    #[test]
    fn decimals_past_28_places_or_the_largest_value_are_beyond() {
        assert_eq!(decimal_beyond("12.50"), None);
        assert_eq!(decimal_beyond("100000000000000000000"), None);
        assert_eq!(decimal_beyond(&format!("0.{}", "1".repeat(28))), None);
        assert_eq!(decimal_beyond(MAX_DECIMAL), None);
        assert_eq!(decimal_beyond(&format!("-{MAX_DECIMAL}")), None);
        assert_eq!(decimal_beyond("7922816251426433759354395033.5"), None);
        assert!(decimal_beyond(&format!("0.{}", "1".repeat(29))).is_some());
        assert!(decimal_beyond("79228162514264337593543950336").is_some());
        assert!(decimal_beyond("792281625142643375935439503350").is_some());
        assert!(decimal_beyond("7922816251426433759354395033.6").is_some());
    }

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
