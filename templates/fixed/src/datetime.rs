// Do not edit: change apigen.toml instead.
use std::fmt;

use sea_orm::prelude::{ChronoDate, ChronoTime, DateTimeUtc};
use sea_orm::sea_query::value::prelude::chrono::{Datelike, SubsecRound, Timelike};
use sea_orm::sea_query::{ArrayType, ColumnType, Nullable, ValueType, ValueTypeErr};
use sea_orm::{ColIdx, QueryResult, TryGetError, TryGetable, Value};

/// A point in time as the database stores it, in UTC, to the microsecond.
///
/// Requests and responses use `DateTimeUtc`; the entities use this type so that a
/// value reaches every database whole: the MySQL driver would send a `DateTimeUtc`
/// as a MySQL `TIMESTAMP`, which ends in 2038 (MariaDB stores NULL past it). This
/// type is sent as a date and time with its offset, which PostgreSQL keeps as
/// `timestamp with time zone`, MySQL as `datetime(6)` and SQLite as RFC 3339 text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DbDateTime(pub DateTimeUtc);

impl DbDateTime {
    /// Now, to the microsecond, as every database keeps it.
    pub fn now() -> Self {
        Self(sea_orm::prelude::ChronoUtc::now().trunc_subsecs(6))
    }
}

/// The years every database stores and orders the same way.
const YEARS: std::ops::RangeInclusive<i32> = 1..=9999;

const OUT_OF_RANGE: &str = "must be between the years 0001 and 9999";

/// A date-time as a body sends it, refused where one database would keep it differently
/// from another: outside the years 0001 to 9999 (in UTC), or on a leap second. Text
/// that is no date-time at all is left to its type's own error.
pub fn exact_date_time(text: &str) -> Result<(), &'static str> {
    match text.parse::<DateTimeUtc>() {
        Ok(value) => checked(value).map(drop),
        Err(_) => Ok(()),
    }
}

/// `value`, or why no database takes it the same way.
pub fn checked(value: DateTimeUtc) -> Result<DateTimeUtc, &'static str> {
    if !YEARS.contains(&value.year()) {
        return Err(OUT_OF_RANGE);
    }
    if value.nanosecond() >= 1_000_000_000 {
        return Err("must not be a leap second (a 60th second)");
    }
    Ok(value)
}

/// A date as a body sends it, refused outside the years 0001 to 9999.
pub fn exact_date(text: &str) -> Result<(), &'static str> {
    match text.parse::<ChronoDate>() {
        Ok(date) => checked_date(date).map(drop),
        Err(_) => Ok(()),
    }
}

/// `date`, or why no database takes it the same way.
pub fn checked_date(date: ChronoDate) -> Result<ChronoDate, &'static str> {
    if YEARS.contains(&date.year()) {
        Ok(date)
    } else {
        Err(OUT_OF_RANGE)
    }
}

/// A time of day as requests and responses hold it: `HH:MM:SS`, from 00:00:00 to
/// 23:59:59, in whole seconds, the form every database keeps alike (MySQL's `time`
/// would round a fraction away, and no database keeps a leap second). The entity holds
/// it as `Time`, which PostgreSQL and MySQL store as `time` and SQLite as text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TimeOfDay(ChronoTime);

/// The JSON schema's pattern of a [`TimeOfDay`].
pub const TIME_OF_DAY_PATTERN: &str = "^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$";

/// What a [`TimeOfDay`] looks like, for messages.
pub const TIME_OF_DAY_FORM: &str = "a time of day, HH:MM:SS, such as 14:30:00";

/// What a value of each type written as text of a pattern looks like, by its JSON
/// schema's pattern: a 422 names the form a field's value must have.
pub const FORMS_BY_PATTERN: &[(&str, &str)] = &[(TIME_OF_DAY_PATTERN, TIME_OF_DAY_FORM)];

impl TimeOfDay {
    /// `hour:minute:second`, or midnight where that is no time of day.
    pub fn from_hms(hour: u32, minute: u32, second: u32) -> Self {
        Self(ChronoTime::from_hms_opt(hour, minute, second).unwrap_or_default())
    }

    /// `text` in the form `HH:MM:SS`, or `None`.
    pub fn parse(text: &str) -> Option<Self> {
        let bytes = text.as_bytes();
        if bytes.len() != 8 || bytes[2] != b':' || bytes[5] != b':' {
            return None;
        }
        let part = |at: usize| -> Option<u32> {
            let digits = text.get(at..at + 2)?;
            if !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            digits.parse().ok()
        };
        // `from_hms_opt` refuses hour 24, minute 60 and second 60.
        ChronoTime::from_hms_opt(part(0)?, part(3)?, part(6)?).map(Self)
    }
}

impl fmt::Display for TimeOfDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%H:%M:%S"))
    }
}

impl serde::Serialize for TimeOfDay {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for TimeOfDay {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;

        impl serde::de::Visitor<'_> for Visitor {
            type Value = TimeOfDay;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(TIME_OF_DAY_FORM)
            }

            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<TimeOfDay, E> {
                TimeOfDay::parse(text)
                    .ok_or_else(|| E::invalid_value(serde::de::Unexpected::Str(text), &self))
            }
        }

        deserializer.deserialize_str(Visitor)
    }
}

/// A time the database holds, to the second (a fraction written by another program is
/// cut).
impl From<ChronoTime> for TimeOfDay {
    fn from(value: ChronoTime) -> Self {
        Self(value.trunc_subsecs(0))
    }
}

impl From<TimeOfDay> for ChronoTime {
    fn from(value: TimeOfDay) -> Self {
        value.0
    }
}

impl From<TimeOfDay> for Value {
    fn from(value: TimeOfDay) -> Self {
        Value::ChronoTime(Some(value.0))
    }
}

impl From<DateTimeUtc> for DbDateTime {
    fn from(value: DateTimeUtc) -> Self {
        Self(value)
    }
}

impl From<DbDateTime> for DateTimeUtc {
    fn from(value: DbDateTime) -> Self {
        value.0
    }
}

/// Cut to the microsecond, the precision every database keeps, so that no database
/// rounds what another truncates.
impl From<DbDateTime> for Value {
    fn from(value: DbDateTime) -> Self {
        let value = value.0.trunc_subsecs(6);
        Value::ChronoDateTimeWithTimeZone(Some(value.fixed_offset()))
    }
}

impl TryGetable for DbDateTime {
    fn try_get_by<I: ColIdx>(res: &QueryResult, index: I) -> Result<Self, TryGetError> {
        DateTimeUtc::try_get_by(res, index).map(Self)
    }
}

impl ValueType for DbDateTime {
    fn try_from(value: Value) -> Result<Self, ValueTypeErr> {
        match value {
            Value::ChronoDateTimeUtc(Some(value)) => Ok(Self(value)),
            Value::ChronoDateTimeWithTimeZone(Some(value)) => Ok(Self(value.to_utc())),
            _ => Err(ValueTypeErr),
        }
    }

    fn type_name() -> String {
        "DbDateTime".to_owned()
    }

    fn array_type() -> ArrayType {
        ArrayType::ChronoDateTimeWithTimeZone
    }

    fn column_type() -> ColumnType {
        ColumnType::TimestampWithTimeZone
    }
}

impl Nullable for DbDateTime {
    fn null() -> Value {
        Value::ChronoDateTimeWithTimeZone(None)
    }
}

impl sea_orm::IntoActiveValue<DbDateTime> for DbDateTime {
    fn into_active_value(self) -> sea_orm::ActiveValue<DbDateTime> {
        sea_orm::ActiveValue::Set(self)
    }
}
