//! The scalar field types (every type but `enum` and the relations) and everything apigen
//! knows about each, in one row per type: [`Scalar::spec`]. The checker, the plan, the
//! migrations, the OpenAPI writer and the generated list filters read these rows; a new
//! type is a new variant and its row here, plus the generated crate's own code for its
//! values where the database driver needs one.

use super::values;

/// A scalar field type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scalar {
    String,
    Text,
    Int,
    BigInt,
    Float,
    Decimal,
    Bool,
    Uuid,
    Date,
    DateTime,
    Time,
    Json,
}

/// Everything about one scalar type.
#[derive(Debug)]
pub struct Spec {
    /// The name in the schema (`"datetime"`).
    pub keyword: &'static str,
    /// The keys of a field table that apply to this type beyond those of every scalar
    /// (`min`, `max_length`, ...).
    pub keys: &'static [&'static str],
    /// Every database compares its values alike: it may be `unique` or `index`ed.
    pub comparable: bool,
    /// How a `default` is written, and whether the type takes one.
    pub default: DefaultForm,
    /// The Rust type of requests and responses (`DateTimeUtc`).
    pub rust_type: &'static str,
    /// Where a model file brings [`Spec::rust_type`] from, when it is not in scope.
    pub import: Import,
    /// The entity's type, where it differs from the requests' (`DbDateTime`): values are
    /// converted with `Into` both ways.
    pub entity_type: Option<&'static str>,
    /// The entity's `column_type`, where SeaORM's default for the Rust type is not the
    /// column (`Text` for a `String`).
    pub entity_column: Option<&'static str>,
    /// utoipa's `value_type` and `format`, where utoipa cannot see through the type.
    pub value_type: Option<(&'static str, Option<&'static str>)>,
    /// The JSON schema of a value: type, format, pattern.
    pub json: Json,
    /// The column as the state file names it (`timestamp`), and how a migration declares it.
    pub column: &'static str,
    pub declared: Declared,
    /// The list filter of a column of this type.
    pub filter: &'static Filter,
    /// A value in a JSON body, for the generated README and docs.
    pub example: &'static str,
    /// What a generated test sends for a field of this type (`n` numbers the row).
    pub sample: &'static str,
    /// A JSON value of the right shape that is no value of this type, for the test that the
    /// error names the form (`"2024-02-30"`).
    pub malformed: Option<&'static str>,
    /// A value of the wrong JSON type, for the test that it is refused.
    pub wrong_type: Option<&'static str>,
    /// A default, as TOML, for examples in messages.
    pub toml_example: &'static str,
    /// Bytes of a MySQL row (a `varchar` is counted by its length instead).
    pub mysql_bytes: u32,
    /// The value a `down` migration fills rows with when the column becomes required again
    /// and has no default: a typed value (import, expression, methods) or a SQL default.
    pub restoring: Restoring,
}

/// How a default of a type is written in the schema.
#[derive(Debug, Clone, Copy)]
pub enum DefaultForm {
    /// The type takes no default.
    None,
    Bool,
    Int,
    Float,
    Decimal,
    /// Any string (string, text).
    Text,
    /// A string in a fixed form, or the matching TOML literal.
    Form(&'static TextForm),
}

/// A default written as text of a given form (a uuid, a date...).
#[derive(Debug)]
pub struct TextForm {
    /// The text is of the form.
    pub valid: fn(&str) -> bool,
    /// A value of the form that some database would keep differently (year 0).
    pub outside: fn(&str) -> bool,
    /// A TOML date or time literal may stand for it.
    pub toml_literal: bool,
    /// `"a date"`.
    pub what: &'static str,
    /// How to write one.
    pub help: &'static str,
    /// What [`TextForm::outside`] refuses, and how to stay inside.
    pub outside_label: &'static str,
    pub outside_help: &'static str,
    /// The default as a Rust expression of [`Spec::rust_type`].
    pub rust: fn(&str) -> String,
    /// The default as a value a migration fills rows with: import, expression, methods.
    pub fill: fn(&str) -> (&'static str, String, &'static [&'static str]),
}

/// How a generated file brings a value type into scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Import {
    /// In scope: `String`, `i32`.
    None,
    /// Its path (`crate::datetime::TimeOfDay`), which the generated `src/prelude.rs`
    /// re-exports for every route and model file.
    Prelude(&'static str),
    /// Its path, which each model file that uses it names itself: the prelude's name is
    /// another type's (sea-orm's `Json` value, axum's `Json` body).
    Named(&'static str),
}

impl Import {
    /// The path and the type's name, for one that is imported.
    pub fn path(self) -> Option<(&'static str, &'static str)> {
        match self {
            Import::None => None,
            Import::Prelude(path) | Import::Named(path) => path.rsplit_once("::"),
        }
    }
}

/// A JSON schema of a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Json {
    /// `"string"`, `"integer"`...; `None` for any JSON value.
    pub ty: Option<&'static str>,
    pub format: Option<&'static str>,
    /// A pattern every value matches, where the type's form has no format of its own.
    pub pattern: Option<&'static str>,
}

const fn json(ty: &'static str, format: Option<&'static str>) -> Json {
    Json {
        ty: Some(ty),
        format,
        pattern: None,
    }
}

/// How a migration declares a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Declared {
    /// A function of `sea_orm_migration::schema` (`integer`, `integer_null`).
    Schema(&'static str),
    /// A helper of the generated `kit` that takes the backend: the type differs between
    /// databases (`kit::timestamp`).
    Kit(&'static str),
}

/// What a `down` migration fills rows with when a column becomes required again.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Restoring {
    /// A typed value: import, expression, methods of a chain on it.
    Typed(&'static str, &'static str, &'static [&'static str]),
    Text(&'static str),
    Int(i64),
    Float(f64),
    Bool(bool),
}

/// A list filter: the operators a column of the type takes, as the generated
/// `query::Kind` names them.
#[derive(Debug, PartialEq, Eq)]
pub struct Filter {
    /// The generated `query::Kind` variant (`DateTime`).
    pub variant: &'static str,
    /// In the plan's descriptions (`datetime`).
    pub label: &'static str,
    /// The same list as the generated `Kind::operators`.
    pub operators: &'static [&'static str],
    /// The schema of a filter's value in the OpenAPI document.
    pub value: Json,
    /// A list may sort by it.
    pub sortable: bool,
    /// What the generated README adds about its values (`a date means its midnight UTC`).
    pub note: Option<&'static str>,
}

const ORDERED: &[&str] = &["eq", "ne", "gt", "gte", "lt", "lte", "in"];
/// Ordered, but an `in` list of floats or instants would compare inexactly.
const ORDERED_NOT_IN: &[&str] = &["eq", "ne", "gt", "gte", "lt", "lte"];

pub const TEXT_FILTER: Filter = Filter {
    variant: "Text",
    label: "text",
    operators: &["eq", "ne", "contains", "in"],
    value: json("string", None),
    sortable: true,
    note: None,
};
pub const INTEGER_FILTER: Filter = Filter {
    variant: "Integer",
    label: "integer",
    operators: ORDERED,
    value: json("integer", Some("int64")),
    sortable: true,
    note: None,
};
const FLOAT_FILTER: Filter = Filter {
    variant: "Float",
    label: "float",
    operators: ORDERED_NOT_IN,
    value: json("number", Some("double")),
    sortable: true,
    note: None,
};
const DECIMAL_FILTER: Filter = Filter {
    variant: "Decimal",
    label: "decimal",
    operators: ORDERED,
    value: json("string", None),
    sortable: true,
    note: None,
};
const BOOL_FILTER: Filter = Filter {
    variant: "Bool",
    label: "bool",
    operators: &["eq", "ne"],
    value: json("boolean", None),
    sortable: true,
    note: None,
};
const UUID_FILTER: Filter = Filter {
    variant: "Uuid",
    label: "uuid",
    operators: &["eq", "ne", "in"],
    value: json("string", Some("uuid")),
    sortable: true,
    note: None,
};
const DATE_FILTER: Filter = Filter {
    variant: "Date",
    label: "date",
    operators: ORDERED,
    value: json("string", Some("date")),
    sortable: true,
    note: None,
};
pub const DATETIME_FILTER: Filter = Filter {
    variant: "DateTime",
    label: "datetime",
    operators: ORDERED_NOT_IN,
    value: json("string", Some("date-time")),
    sortable: true,
    note: Some("a date means its midnight UTC"),
};
const TIME_FILTER: Filter = Filter {
    variant: "Time",
    label: "time",
    operators: ORDERED,
    value: TIME_JSON,
    sortable: true,
    note: None,
};
const JSON_FILTER: Filter = Filter {
    variant: "Json",
    label: "json",
    operators: &[],
    value: json("string", None),
    sortable: false,
    note: None,
};

/// A time of day: `HH:MM:SS`, 00:00:00 to 23:59:59, whole seconds.
const TIME_JSON: Json = Json {
    ty: Some("string"),
    format: None,
    pattern: Some("^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$"),
};

const UUID_FORM: TextForm = TextForm {
    valid: values::is_uuid,
    outside: |_| false,
    toml_literal: false,
    what: "a UUID",
    help: "write 8-4-4-4-12 hex digits, e.g. `\"67e55044-10b1-426f-9247-bb680e5fe0c8\"`",
    outside_label: "",
    outside_help: "",
    rust: |text| format!("Uuid::from_u128(0x{})", text.replace('-', "")),
    fill: |text| {
        let value = format!("Uuid::from_u128(0x{})", text.replace('-', ""));
        ("Uuid", value, &[])
    },
};

const DATE_FORM: TextForm = TextForm {
    valid: values::is_date,
    outside: |text| text.starts_with("0000"),
    toml_literal: true,
    what: "a date",
    help: "write `YYYY-MM-DD`, e.g. `\"2024-01-31\"`",
    outside_label: "outside the years 0001 to 9999",
    outside_help: "write a date between the years 0001 and 9999 (in UTC), not on a leap second",
    rust: |text| {
        let args = values::date_args(text);
        format!("Date::from_ymd_opt({args}).unwrap_or_default()")
    },
    // An `Option`, which the migration's `Into<Value>` takes as it is.
    fill: |text| {
        let value = format!("Date::from_ymd_opt({})", values::date_args(text));
        ("Date", value, &[])
    },
};

const DATETIME_FORM: TextForm = TextForm {
    valid: values::is_datetime,
    outside: |text| {
        let leap_second = text.get(17..19) == Some("60");
        leap_second || !values::DATETIME_SECONDS.contains(&values::datetime_instant(text).0)
    },
    toml_literal: true,
    what: "an RFC 3339 date-time",
    help: "write a date, a time and a time zone, e.g. `\"2024-01-31T12:00:00Z\"`",
    outside_label: "outside the years 0001 to 9999",
    outside_help: "write a date between the years 0001 and 9999 (in UTC), not on a leap second",
    rust: |text| {
        let (seconds, nanos) = values::datetime_instant(text);
        format!("DateTimeUtc::from_timestamp({seconds}, {nanos}).unwrap_or_default()")
    },
    // Sent with its offset, as the API's `DbDateTime` sends it.
    fill: |text| {
        let (seconds, nanos) = values::datetime_instant(text);
        let value = format!("DateTimeUtc::from_timestamp({seconds}, {nanos})");
        (
            "DateTimeUtc",
            value,
            &[".unwrap_or_default()", ".fixed_offset()"],
        )
    },
};

/// A time of day as the API takes one: `HH:MM:SS`, 00:00:00 to 23:59:59, whole seconds
/// (every database keeps those alike; a fraction or a leap second would not).
fn time_of_day(text: &str) -> [u32; 3] {
    values::clock(text, 59).unwrap_or_default()
}

const TIME_FORM: TextForm = TextForm {
    valid: |text| values::clock(text, 59).is_some(),
    outside: |_| false,
    toml_literal: true,
    what: "a time of day",
    help: "write `HH:MM:SS` from 00:00:00 to 23:59:59, e.g. `\"09:30:00\"`",
    outside_label: "",
    outside_help: "",
    rust: |text| {
        let [hour, minute, second] = time_of_day(text);
        format!("TimeOfDay::from_hms({hour}, {minute}, {second})")
    },
    fill: |text| {
        let [hour, minute, second] = time_of_day(text);
        let value = format!("Time::from_hms_opt({hour}, {minute}, {second})");
        ("Time", value, &[])
    },
};

impl Scalar {
    /// Every scalar type, in the order help texts list them.
    pub const ALL: [Scalar; 12] = [
        Scalar::String,
        Scalar::Text,
        Scalar::Int,
        Scalar::BigInt,
        Scalar::Float,
        Scalar::Decimal,
        Scalar::Bool,
        Scalar::Uuid,
        Scalar::Date,
        Scalar::DateTime,
        Scalar::Time,
        Scalar::Json,
    ];

    /// The type named `keyword` in the schema.
    pub fn parse(keyword: &str) -> Option<Scalar> {
        Scalar::ALL.into_iter().find(|s| s.keyword() == keyword)
    }

    pub fn keyword(self) -> &'static str {
        self.spec().keyword
    }

    /// The type whose column the state file names `column`.
    pub fn of_column(column: &str) -> Option<Scalar> {
        Scalar::ALL.into_iter().find(|s| s.spec().column == column)
    }

    pub fn is_number(self) -> bool {
        matches!(
            self,
            Scalar::Int | Scalar::BigInt | Scalar::Float | Scalar::Decimal
        )
    }

    pub fn is_integer(self) -> bool {
        matches!(self, Scalar::Int | Scalar::BigInt)
    }

    /// A type whose value is text of any form (string, text).
    pub fn is_text(self) -> bool {
        matches!(self, Scalar::String | Scalar::Text)
    }

    /// The form of a default written as text (uuid, date, datetime, time).
    pub fn text_form(self) -> Option<&'static TextForm> {
        match self.spec().default {
            DefaultForm::Form(form) => Some(form),
            _ => None,
        }
    }

    /// Everything about the type.
    pub fn spec(self) -> &'static Spec {
        &SPECS[self as usize]
    }
}

/// The row of each type, in the order of [`Scalar`]'s variants.
static SPECS: [Spec; 12] = [
    Spec {
        keyword: "string",
        keys: &["min_length", "max_length", "pattern", "format"],
        comparable: true,
        default: DefaultForm::Text,
        rust_type: "String",
        import: Import::None,
        entity_type: None,
        entity_column: None,
        value_type: None,
        json: json("string", None),
        column: "string",
        declared: Declared::Schema("string_len"),
        filter: &TEXT_FILTER,
        example: "",
        sample: "",
        malformed: None,
        wrong_type: Some("json!(42)"),
        toml_example: "\"\"",
        mysql_bytes: 0,
        restoring: Restoring::Text(""),
    },
    Spec {
        keyword: "text",
        keys: &["min_length", "max_length"],
        comparable: true,
        default: DefaultForm::Text,
        rust_type: "String",
        import: Import::None,
        entity_type: None,
        entity_column: Some("Text"),
        value_type: None,
        json: json("string", None),
        column: "text",
        declared: Declared::Kit("text"),
        filter: &TEXT_FILTER,
        example: "",
        sample: "",
        malformed: None,
        wrong_type: Some("json!(42)"),
        toml_example: "\"\"",
        mysql_bytes: 12,
        restoring: Restoring::Text(""),
    },
    Spec {
        keyword: "int",
        keys: &["min", "max"],
        comparable: true,
        default: DefaultForm::Int,
        rust_type: "i32",
        import: Import::None,
        entity_type: None,
        entity_column: None,
        value_type: None,
        json: json("integer", Some("int32")),
        column: "integer",
        declared: Declared::Schema("integer"),
        filter: &INTEGER_FILTER,
        example: "",
        sample: "",
        malformed: None,
        wrong_type: Some("json!(true)"),
        toml_example: "0",
        mysql_bytes: 4,
        restoring: Restoring::Int(0),
    },
    Spec {
        keyword: "bigint",
        keys: &["min", "max"],
        comparable: true,
        default: DefaultForm::Int,
        rust_type: "i64",
        import: Import::None,
        entity_type: None,
        entity_column: None,
        value_type: None,
        json: json("integer", Some("int64")),
        column: "bigint",
        declared: Declared::Schema("big_integer"),
        filter: &INTEGER_FILTER,
        example: "",
        sample: "",
        malformed: None,
        wrong_type: Some("json!(true)"),
        toml_example: "0",
        mysql_bytes: 8,
        restoring: Restoring::Int(0),
    },
    Spec {
        keyword: "float",
        keys: &["min", "max"],
        comparable: true,
        default: DefaultForm::Float,
        rust_type: "f64",
        import: Import::None,
        entity_type: None,
        entity_column: None,
        value_type: None,
        json: json("number", Some("double")),
        column: "double",
        declared: Declared::Schema("double"),
        filter: &FLOAT_FILTER,
        example: "",
        sample: "",
        malformed: None,
        wrong_type: Some("json!(true)"),
        toml_example: "0.0",
        mysql_bytes: 8,
        restoring: Restoring::Float(0.0),
    },
    Spec {
        keyword: "decimal",
        keys: &["min", "max", "precision", "scale"],
        comparable: true,
        default: DefaultForm::Decimal,
        rust_type: "Decimal",
        import: Import::Prelude("sea_orm::prelude::Decimal"),
        entity_type: Some("DbDecimal"),
        entity_column: None,
        value_type: None,
        json: json("string", None),
        column: "decimal",
        declared: Declared::Kit("exact_decimal"),
        filter: &DECIMAL_FILTER,
        example: "",
        sample: "",
        malformed: None,
        wrong_type: Some("json!(true)"),
        toml_example: "0",
        mysql_bytes: 0,
        // Bound as a decimal: PostgreSQL does not take text for `numeric`.
        restoring: Restoring::Typed("Decimal", "Decimal::ZERO", &[]),
    },
    Spec {
        keyword: "bool",
        keys: &[],
        comparable: true,
        default: DefaultForm::Bool,
        rust_type: "bool",
        import: Import::None,
        entity_type: None,
        entity_column: None,
        value_type: None,
        json: json("boolean", None),
        column: "boolean",
        declared: Declared::Schema("boolean"),
        filter: &BOOL_FILTER,
        example: "true",
        sample: "",
        malformed: None,
        wrong_type: Some("json!(\"yes\")"),
        toml_example: "false",
        mysql_bytes: 1,
        restoring: Restoring::Bool(false),
    },
    Spec {
        keyword: "uuid",
        keys: &[],
        comparable: true,
        default: DefaultForm::Form(&UUID_FORM),
        rust_type: "Uuid",
        import: Import::Prelude("sea_orm::prelude::Uuid"),
        entity_type: None,
        entity_column: None,
        value_type: None,
        json: json("string", Some("uuid")),
        column: "uuid",
        declared: Declared::Schema("uuid"),
        filter: &UUID_FILTER,
        example: "\"00000000-0000-4000-8000-000000000001\"",
        sample: "format!(\"00000000-0000-4000-8000-{n:012}\")",
        malformed: Some("json!(\"67e55044-10b1-426f-9247-bb680e5fe0cg\")"),
        wrong_type: Some("json!(42)"),
        toml_example: "\"00000000-0000-0000-0000-000000000000\"",
        mysql_bytes: 16,
        restoring: Restoring::Typed("Uuid", "Uuid::nil()", &[]),
    },
    Spec {
        keyword: "date",
        keys: &[],
        comparable: true,
        default: DefaultForm::Form(&DATE_FORM),
        rust_type: "Date",
        import: Import::Prelude("sea_orm::prelude::Date"),
        entity_type: None,
        entity_column: None,
        value_type: None,
        json: json("string", Some("date")),
        column: "date",
        declared: Declared::Schema("date"),
        filter: &DATE_FILTER,
        example: "\"2024-01-15\"",
        sample: "format!(\"2024-01-{:02}\", 1 + n % 28)",
        malformed: Some("json!(\"2024-02-30\")"),
        wrong_type: Some("json!(42)"),
        toml_example: "\"2024-01-01\"",
        mysql_bytes: 3,
        restoring: Restoring::Typed("Date", "Date::from_ymd_opt(1970, 1, 1)", &[]),
    },
    Spec {
        keyword: "datetime",
        keys: &[],
        comparable: true,
        default: DefaultForm::Form(&DATETIME_FORM),
        rust_type: "DateTimeUtc",
        import: Import::Prelude("sea_orm::prelude::DateTimeUtc"),
        entity_type: Some("DbDateTime"),
        entity_column: None,
        value_type: Some(("String", Some("DateTime"))),
        json: json("string", Some("date-time")),
        column: "timestamp",
        declared: Declared::Kit("timestamp"),
        filter: &DATETIME_FILTER,
        example: "\"2024-01-15T10:00:00Z\"",
        // Past 2038 and to the microsecond: what a database must keep exactly.
        sample: "format!(\"2099-12-31T10:{:02}:00.123456Z\", n % 60)",
        malformed: Some("json!(\"2024-02-30T10:00:00Z\")"),
        wrong_type: Some("json!(42)"),
        toml_example: "\"2024-01-01T00:00:00Z\"",
        mysql_bytes: 8,
        restoring: Restoring::Typed(
            "DateTimeUtc",
            "DateTimeUtc::from_timestamp(0, 0)",
            &[".unwrap_or_default()", ".fixed_offset()"],
        ),
    },
    Spec {
        keyword: "time",
        keys: &[],
        comparable: true,
        default: DefaultForm::Form(&TIME_FORM),
        rust_type: "TimeOfDay",
        import: Import::Prelude("crate::datetime::TimeOfDay"),
        entity_type: Some("Time"),
        entity_column: None,
        value_type: Some(("String", None)),
        json: TIME_JSON,
        column: "time",
        declared: Declared::Schema("time"),
        filter: &TIME_FILTER,
        example: "\"09:30:00\"",
        sample: "format!(\"{:02}:{:02}:{:02}\", n / 3600 % 24, n / 60 % 60, n % 60)",
        malformed: Some("json!(\"24:00:00\")"),
        wrong_type: Some("json!(42)"),
        toml_example: "\"00:00:00\"",
        mysql_bytes: 3,
        restoring: Restoring::Typed("Time", "Time::from_hms_opt(0, 0, 0)", &[]),
    },
    Spec {
        keyword: "json",
        keys: &[],
        comparable: false,
        default: DefaultForm::None,
        rust_type: "Json",
        import: Import::Named("sea_orm::prelude::Json"),
        entity_type: None,
        entity_column: Some("JsonBinary"),
        value_type: Some(("Value", None)),
        json: Json {
            ty: None,
            format: None,
            pattern: None,
        },
        column: "json",
        declared: Declared::Schema("json_binary"),
        filter: &JSON_FILTER,
        example: "{\"key\": \"value\"}",
        sample: "json!({ \"n\": n })",
        malformed: None,
        wrong_type: None,
        toml_example: "\"\"",
        mysql_bytes: 12,
        restoring: Restoring::Typed("Json", "Json::Null", &[]),
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_keyword_and_column_names_one_type() {
        for scalar in Scalar::ALL {
            assert_eq!(Scalar::ALL[scalar as usize], scalar);
            assert_eq!(Scalar::parse(scalar.keyword()), Some(scalar));
            assert_eq!(Scalar::of_column(scalar.spec().column), Some(scalar));
        }
    }

    /// The generated `TimeOfDay` reads exactly what the document's pattern says, and
    /// its messages name the pattern it was given.
    #[test]
    fn the_time_pattern_is_the_one_the_generated_code_checks() {
        let datetime = include_str!("../../templates/fixed/src/datetime.rs");
        let pattern = TIME_JSON.pattern.unwrap_or_default();
        let declared = format!("pub const TIME_OF_DAY_PATTERN: &str = \"{pattern}\";");
        assert!(datetime.contains(&declared), "{declared}");
        let regex = regex::Regex::new(pattern).unwrap();
        for text in [
            "00:00:00",
            "23:59:59",
            "24:00:00",
            "09:30:00.5",
            "9:30:00",
            "23:59:60",
        ] {
            assert_eq!(regex.is_match(text), (TIME_FORM.valid)(text), "{text}");
        }
    }

    #[test]
    fn a_time_default_is_a_whole_second_of_one_day() {
        let DefaultForm::Form(form) = Scalar::Time.spec().default else {
            panic!("time takes a default");
        };
        for good in ["00:00:00", "09:30:00", "23:59:59"] {
            assert!((form.valid)(good), "{good}");
        }
        for bad in [
            "24:00:00",
            "9:30:00",
            "09:30",
            "09:30:00.5",
            "23:59:60",
            "09:60:00",
        ] {
            assert!(!(form.valid)(bad), "{bad}");
        }
        assert_eq!((form.rust)("09:05:07"), "TimeOfDay::from_hms(9, 5, 7)");
    }
}
