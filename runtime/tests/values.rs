//! The values the fixed code reads and writes exactly: dates and times, decimals, JSON
//! numbers and the three states of a PATCH field.

use std::cmp::Ordering;

use apigen_runtime::datetime::{
    DbDateTime, TIME_OF_DAY_FORM, TimeOfDay, checked, exact_date, exact_date_time,
};
use apigen_runtime::decimal::{DbDecimal, compare_text};
use apigen_runtime::extract::{MAX_DECIMAL, NumberText, parse_decimal};
use apigen_runtime::patch::Patch;
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::prelude::{ChronoTime, DateTimeUtc, Decimal};
use sea_orm::sea_query::value::prelude::chrono::Timelike;

#[test]
fn a_date_time_every_database_keeps_alike_is_taken_and_the_rest_refused() {
    assert_eq!(exact_date_time("2026-12-06T10:00:00Z"), Ok(()));
    assert_eq!(exact_date_time("2026-12-06T10:00:00+09:00"), Ok(()));
    let years = Err("must be between the years 0001 and 9999");
    assert_eq!(exact_date_time("+10000-01-01T00:00:00Z"), years);
    // Year 1 at 00:30 in +01:00 is year 0 in UTC.
    assert_eq!(exact_date_time("0001-01-01T00:30:00+01:00"), years);
    assert!(
        exact_date_time("2016-12-31T23:59:60Z").is_err(),
        "a leap second"
    );
    // Text that is no date-time is its type's error, not this one.
    assert_eq!(exact_date_time("yesterday"), Ok(()));
    assert_eq!(exact_date("9999-12-31"), Ok(()));
    assert_eq!(exact_date("0000-12-31"), years);
    let now = DbDateTime::now();
    assert_eq!(
        now.0.nanosecond() % 1_000,
        0,
        "now is cut to the microsecond"
    );
    let value: DateTimeUtc = "2026-12-06T10:00:00.123456Z".parse().expect("a date-time");
    assert_eq!(checked(value), Ok(value));
}

#[test]
fn a_time_of_day_is_whole_seconds_of_one_day_and_nothing_else() {
    for text in ["00:00:00", "09:05:07", "23:59:59"] {
        let time: TimeOfDay = serde_json::from_value(serde_json::json!(text)).expect(text);
        assert_eq!(
            serde_json::to_value(time).expect("a time"),
            serde_json::json!(text)
        );
    }
    // A leap second, a 24th hour, a fraction, a missing part, a zone: no database keeps
    // them alike, or they are no time of day.
    for text in [
        "23:59:60",
        "24:00:00",
        "09:60:00",
        "09:30:00.5",
        "09:30",
        "9:30:00",
        "09:30:00Z",
        "+9:30:00",
        "0a:30:00",
        "",
    ] {
        let refused = serde_json::from_value::<TimeOfDay>(serde_json::json!(text));
        let message = refused.expect_err(text).to_string();
        assert!(message.contains(TIME_OF_DAY_FORM), "{text}: {message}");
    }
    assert!(serde_json::from_value::<TimeOfDay>(serde_json::json!(930)).is_err());
    assert_eq!(
        TimeOfDay::from_hms(9, 30, 0),
        TimeOfDay::parse("09:30:00").expect("a time")
    );
    assert_eq!(TimeOfDay::from_hms(24, 0, 0), TimeOfDay::from_hms(0, 0, 0));
    assert!(TimeOfDay::parse("08:00:00") < TimeOfDay::parse("21:00:00"));
    // A fraction another program wrote is cut, never rounded up to the next second.
    let stored = ChronoTime::from_hms_micro_opt(9, 30, 0, 999_999).expect("a time");
    assert_eq!(TimeOfDay::from(stored).to_string(), "09:30:00");
    let back: ChronoTime = TimeOfDay::from_hms(9, 30, 0).into();
    assert_eq!(back, ChronoTime::from_hms_opt(9, 30, 0).expect("a time"));
}

#[test]
fn a_decimal_with_a_scale_is_padded_and_never_rounded() {
    let decimal = |text: &str| text.parse::<Decimal>().expect("a decimal");
    let scaled = |text: &str, scale| DbDecimal(decimal(text)).with_scale(scale).to_string();
    assert_eq!(scaled("5", 2), "5.00");
    assert_eq!(scaled("5.000", 2), "5.00");
    assert_eq!(scaled("0", 3), "0.000");
    // A row written before the field had its scale keeps its places.
    assert_eq!(scaled("1.2345", 2), "1.2345");
}

#[test]
fn decimals_kept_as_text_sort_as_numbers_and_other_text_after_them() {
    assert_eq!(compare_text("10", "9.5"), Ordering::Greater);
    assert_eq!(compare_text("-1", "0.001"), Ordering::Less);
    assert_eq!(compare_text("1.0", "1"), Ordering::Equal);
    assert_eq!(compare_text("abc", "99999"), Ordering::Greater);
    assert_eq!(compare_text("abc", "abd"), Ordering::Less);
}

#[test]
fn a_decimal_is_read_digit_for_digit_and_refused_past_what_it_holds() {
    let read = |text: &str| parse_decimal(text).map(|d| d.to_string());
    assert_eq!(read("9.99").as_deref(), Ok("9.99"));
    assert_eq!(read("1.10").as_deref(), Ok("1.10"));
    assert_eq!(read("2.5e3").as_deref(), Ok("2500"));
    assert_eq!(read("-0.000").as_deref(), Ok("0"));
    assert_eq!(read("0.1").as_deref(), Ok("0.1"), "no float in between");
    assert_eq!(read(MAX_DECIMAL).as_deref(), Ok(MAX_DECIMAL));
    let past = format!("{MAX_DECIMAL}0");
    assert!(read(&past).is_err_and(|e| e.contains("must be between")));
    assert!(read("1e29").is_err());
    let places = format!("0.{}1", "0".repeat(28));
    assert!(read(&places).is_err_and(|e| e.contains("at most 28 places")));
    assert!(read("9,99").is_err_and(|e| e.contains("must be a decimal number")));
    assert!(read("1.").is_err());
}

#[test]
fn a_json_number_is_written_plain_as_postgresql_writes_it() {
    let plain = |text: &str| NumberText::parse(text).and_then(|n| n.plain(20));
    assert_eq!(plain("1e2").as_deref(), Some("100"));
    assert_eq!(plain("1.5e-2").as_deref(), Some("0.015"));
    assert_eq!(plain("100e-2").as_deref(), Some("1.00"));
    assert_eq!(plain("-0.0").as_deref(), Some("0.0"));
    assert_eq!(plain("1e40"), None, "longer than the limit");
    assert!(NumberText::parse("--1").is_none());
    assert!(NumberText::parse("1e").is_none());
}

#[derive(serde::Deserialize)]
struct Body {
    #[serde(default)]
    title: Patch<String>,
}

#[test]
fn a_patch_field_is_absent_null_or_a_value_and_writes_accordingly() {
    let read = |json: &str| serde_json::from_str::<Body>(json).expect("a body").title;
    assert_eq!(read("{}"), Patch::Absent);
    assert_eq!(read(r#"{"title": null}"#), Patch::Null);
    assert_eq!(read(r#"{"title": "x"}"#), Patch::Value("x".to_owned()));

    let mut column = Set(Some("kept".to_owned()));
    read("{}").apply_optional(&mut column);
    assert_eq!(column, Set(Some("kept".to_owned())));
    read(r#"{"title": null}"#).apply_optional(&mut column);
    assert_eq!(column, Set(None));

    let mut required = NotSet;
    read(r#"{"title": null}"#).apply(&mut required);
    assert_eq!(required, NotSet, "null never clears a required column");
    read(r#"{"title": "y"}"#).apply(&mut required);
    assert_eq!(required, Set("y".to_owned()));
}
