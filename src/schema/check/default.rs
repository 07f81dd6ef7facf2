//! A field's `default`: it must have the field's type and keep the field's own rules.
//! Only the rules that are themselves valid are passed in, so a broken rule gives one
//! error, not a second one about the default.

use regex::Regex;

use super::Checker;
use super::field::{Kind, greater, show};
use crate::schema::diagnostic::Diagnostic;
use crate::schema::kind::{DefaultForm, TextForm};
use crate::schema::model::{DefaultValue, Digits, Format, Scalar};
use crate::schema::raw::{RawNumber, RawValue, Spanned};
use crate::schema::{suggest, values};

/// The rules of a field that a default must keep; only those that are themselves valid.
pub(super) struct Rules<'r> {
    pub kind: Kind,
    pub min: Option<RawNumber>,
    pub max: Option<RawNumber>,
    pub min_length: Option<u32>,
    pub max_length: Option<u32>,
    /// The pattern as written and the regex matching a whole value.
    pub pattern: Option<(&'r str, &'r Regex)>,
    pub format: Option<Format>,
    pub values: Option<&'r [String]>,
    pub digits: Option<Digits>,
}

/// Why a default is wrong.
struct Problem {
    message: String,
    label: String,
    help: String,
}

impl Problem {
    fn new(message: String, label: impl Into<String>, help: impl Into<String>) -> Problem {
        Problem {
            message,
            label: label.into(),
            help: help.into(),
        }
    }
}

type Checked = Result<DefaultValue, Problem>;

impl Checker<'_> {
    /// Checks the default of `field` (`Resource.name`) against its type and rules.
    pub(super) fn default_value(
        &mut self,
        field: &str,
        value: &Spanned<RawValue>,
        rules: &Rules,
    ) -> Option<DefaultValue> {
        let form = match rules.kind {
            Kind::Scalar(scalar) => scalar.spec().default,
            Kind::Enum => {
                return self.reported(enum_default(field, &value.value, rules), value);
            }
            // `default` does not apply to these; already reported.
            Kind::BelongsTo | Kind::ManyToMany => return None,
        };
        let checked = match form {
            DefaultForm::Bool => bool_default(field, &value.value),
            DefaultForm::Int => int_default(field, &value.value, rules),
            DefaultForm::Float => float_default(field, &value.value, rules),
            DefaultForm::Decimal => decimal_default(field, &value.value, rules),
            DefaultForm::Text => text_default(field, &value.value, rules),
            DefaultForm::Form(form) => form_default(field, &value.value, form),
            // `default` does not apply; already reported.
            DefaultForm::None => return None,
        };
        self.reported(checked, value)
    }

    /// The default, or its problem reported.
    fn reported(&mut self, checked: Checked, value: &Spanned<RawValue>) -> Option<DefaultValue> {
        match checked {
            Ok(default) => Some(default),
            Err(problem) => {
                self.report(
                    Diagnostic::new(problem.message, value.span.clone())
                        .with_label(problem.label)
                        .with_help(problem.help),
                );
                None
            }
        }
    }
}

/// "a string", "an integer", ... for a default as written.
fn found(value: &RawValue) -> &'static str {
    match value {
        RawValue::Bool(_) => "a boolean",
        RawValue::Int(_) => "an integer",
        RawValue::Float(_) => "a float",
        RawValue::String(_) => "a string",
        RawValue::Datetime(_) => "a date-time",
        RawValue::Other(kind) => kind,
    }
}

/// The default has the wrong TOML type.
fn mismatch(field: &str, value: &RawValue, expected: &str, help: String) -> Problem {
    Problem::new(
        format!(
            "default of `{field}` must be {expected}, not {}",
            found(value)
        ),
        format!("expected {expected}"),
        help,
    )
}

/// A quoted number, if the text is one.
fn quoted_number(value: &RawValue) -> Option<&str> {
    match value {
        RawValue::String(text) if text.trim().parse::<f64>().is_ok() => Some(text.trim()),
        _ => None,
    }
}

fn bool_default(field: &str, value: &RawValue) -> Checked {
    match value {
        RawValue::Bool(b) => Ok(DefaultValue::Bool(*b)),
        RawValue::String(text) if text == "true" || text == "false" => Err(mismatch(
            field,
            value,
            "a boolean",
            format!("remove the quotes: `default = {text}`"),
        )),
        _ => Err(mismatch(
            field,
            value,
            "a boolean",
            "write `default = true` or `default = false`".to_string(),
        )),
    }
}

fn int_default(field: &str, value: &RawValue, rules: &Rules) -> Checked {
    let n = match value {
        RawValue::Int(n) => *n,
        RawValue::Float(f) => {
            return Err(mismatch(
                field,
                value,
                "a whole number",
                format!(
                    "`{}` fields hold integers: write `default = {}`",
                    rules.kind.name(),
                    f.trunc()
                ),
            ));
        }
        _ => {
            let help = match quoted_number(value) {
                Some(text) => format!("remove the quotes: `default = {text}`"),
                None => "write a whole number, e.g. `default = 0`".to_string(),
            };
            return Err(mismatch(field, value, "an integer", help));
        }
    };
    if rules.kind == Kind::Scalar(Scalar::Int) && i32::try_from(n).is_err() {
        return Err(Problem::new(
            format!("default {n} does not fit a 32-bit `int`"),
            "out of range",
            "use `type = \"bigint\"` for larger numbers",
        ));
    }
    within_bounds(RawNumber::Int(n), rules)?;
    Ok(DefaultValue::Int(n))
}

fn float_default(field: &str, value: &RawValue, rules: &Rules) -> Checked {
    let n = match value {
        RawValue::Int(n) => RawNumber::Int(*n),
        RawValue::Float(f) => RawNumber::Float(*f),
        _ => {
            let help = match quoted_number(value) {
                Some(text) => format!("remove the quotes: `default = {text}`"),
                None => "write a number, e.g. `default = 0.0`".to_string(),
            };
            return Err(mismatch(field, value, "a number", help));
        }
    };
    finite(n)?;
    within_bounds(n, rules)?;
    Ok(DefaultValue::Float(n.as_f64()))
}

/// A decimal default may be an integer, a float or a string of decimal text; it is kept
/// as that text.
fn decimal_default(field: &str, value: &RawValue, rules: &Rules) -> Checked {
    let text = match value {
        RawValue::Int(n) => n.to_string(),
        RawValue::Float(f) => {
            finite(RawNumber::Float(*f))?;
            f.to_string()
        }
        RawValue::String(text) if values::is_decimal(text) => text.clone(),
        RawValue::String(text) => {
            return Err(Problem::new(
                format!("default `{text}` of `{field}` is not a decimal number"),
                "not a decimal",
                "write digits with an optional `.` and fraction, e.g. `default = \"19.99\"`",
            ));
        }
        _ => {
            return Err(mismatch(
                field,
                value,
                "a number",
                "write e.g. `default = 0` or `default = \"19.99\"`".to_string(),
            ));
        }
    };
    if let Some(beyond) = values::decimal_beyond(&text) {
        return Err(Problem::new(
            format!("default `{text}` of `{field}` {beyond}"),
            "not kept exactly",
            "write a decimal a request could send: at most 28 places, and no more than \
             79228162514264337593543950335 in size",
        ));
    }
    if let Some(digits) = rules.digits {
        let (whole, places) = values::decimal_digits(&text);
        if places > digits.scale as usize {
            return Err(Problem::new(
                format!(
                    "default `{text}` of `{field}` has {places} places, and `scale` is {}",
                    digits.scale
                ),
                "more places than the field keeps",
                format!(
                    "write a default with at most {} places, or raise `scale`",
                    digits.scale
                ),
            ));
        }
        if let Some(most) = digits.whole().filter(|most| whole > *most as usize) {
            return Err(Problem::new(
                format!(
                    "default `{text}` of `{field}` has {whole} digits before the point, and \
                     `precision` leaves {most}"
                ),
                "more digits than the field keeps",
                "write a smaller default, or raise `precision`",
            ));
        }
    }
    if let Ok(n) = text.parse::<f64>() {
        within_bounds(RawNumber::Float(n), rules)?;
    }
    Ok(DefaultValue::Text(text))
}

fn finite(n: RawNumber) -> Result<(), Problem> {
    if n.as_f64().is_finite() {
        Ok(())
    } else {
        Err(Problem::new(
            "default must be a finite number".to_string(),
            "not finite",
            "write a number such as `0` or `1.5`",
        ))
    }
}

/// The default is within `min` and `max`.
fn within_bounds(n: RawNumber, rules: &Rules) -> Result<(), Problem> {
    if let Some(min) = rules.min.filter(|&min| greater(min, n)) {
        return Err(Problem::new(
            format!("default {} is below `min` ({})", show(n), show(min)),
            "below the minimum",
            format!("use a default of at least {}, or lower `min`", show(min)),
        ));
    }
    if let Some(max) = rules.max.filter(|&max| greater(n, max)) {
        return Err(Problem::new(
            format!("default {} is above `max` ({})", show(n), show(max)),
            "above the maximum",
            format!("use a default of at most {}, or raise `max`", show(max)),
        ));
    }
    Ok(())
}

/// The text of a default that must be a string; a clear message otherwise.
fn expect_text<'v>(field: &str, value: &'v RawValue) -> Result<&'v str, Problem> {
    match value {
        RawValue::String(text) => Ok(text),
        RawValue::Int(n) => Err(mismatch(
            field,
            value,
            "a string",
            format!("put it in quotes: `default = \"{n}\"`"),
        )),
        RawValue::Datetime(text) => Err(mismatch(
            field,
            value,
            "a string",
            format!("put it in quotes: `default = \"{text}\"`"),
        )),
        _ => Err(mismatch(
            field,
            value,
            "a string",
            "put the value in quotes: `default = \"...\"`".to_string(),
        )),
    }
}

fn text_default(field: &str, value: &RawValue, rules: &Rules) -> Checked {
    let text = expect_text(field, value)?;
    check_length(text, rules)?;
    check_pattern(text, rules)?;
    check_format(text, rules)?;
    Ok(DefaultValue::Text(text.to_string()))
}

fn check_length(text: &str, rules: &Rules) -> Result<(), Problem> {
    let length = text.chars().count();
    let label = format!("{length} characters");
    if let Some(min) = rules.min_length.filter(|&min| length < min as usize) {
        return Err(Problem::new(
            format!("default `{text}` is shorter than `min_length` ({min})"),
            label,
            format!("use a default of at least {min} characters, or lower `min_length`"),
        ));
    }
    let default_max = (rules.kind == Kind::Scalar(Scalar::String)).then_some(255);
    let max = rules.max_length.or(default_max);
    if let Some(max) = max.filter(|&max| length > max as usize) {
        let what = if rules.max_length.is_some() {
            format!("`max_length` ({max})")
        } else {
            format!("the default `max_length` of a string ({max})")
        };
        return Err(Problem::new(
            format!("default is longer than {what}"),
            label,
            format!("use a default of at most {max} characters, or raise `max_length`"),
        ));
    }
    Ok(())
}

fn check_pattern(text: &str, rules: &Rules) -> Result<(), Problem> {
    match rules.pattern {
        Some((pattern, regex)) if !regex.is_match(text) => Err(Problem::new(
            format!("default `{text}` does not match `pattern`"),
            format!("does not match `{pattern}`"),
            "change the default so that the whole value matches the pattern",
        )),
        _ => Ok(()),
    }
}

fn check_format(text: &str, rules: &Rules) -> Result<(), Problem> {
    match rules.format {
        Some(Format::Email) if !values::is_email(text) => Err(Problem::new(
            format!("default `{text}` is not an email address"),
            "not an email address",
            "use an address like `name@example.com`, or remove the default",
        )),
        Some(Format::Url) if !values::is_url(text) => Err(Problem::new(
            format!("default `{text}` is not a URL"),
            "not a URL",
            "use an absolute http(s) URL like `https://example.com`, or remove the default",
        )),
        _ => Ok(()),
    }
}

fn enum_default(field: &str, value: &RawValue, rules: &Rules) -> Checked {
    let text = expect_text(field, value)?;
    if let Some(values) = rules
        .values
        .filter(|values| !values.iter().any(|v| v == text))
    {
        let near = suggest::did_you_mean(text, values.iter().map(String::as_str));
        return Err(Problem::new(
            format!("default `{text}` is not one of the `values` of `{field}`"),
            "not in `values`",
            format!("{near}Values: {}", values.join(", ")),
        ));
    }
    Ok(DefaultValue::Text(text.to_string()))
}

/// uuid, date, datetime and time defaults: strings (or TOML date and time literals) in
/// the form of their type.
fn form_default(field: &str, value: &RawValue, form: &TextForm) -> Checked {
    let text = match value {
        RawValue::Datetime(text) if form.toml_literal => text.as_str(),
        _ => expect_text(field, value)?,
    };
    if !(form.valid)(text) {
        let what = form.what;
        return Err(Problem::new(
            format!("default `{text}` is not {what}"),
            format!("not {what}"),
            form.help,
        ));
    }
    if (form.outside)(text) {
        return Err(Problem::new(
            format!("default `{text}` is outside what every database keeps the same way"),
            form.outside_label,
            form.outside_help,
        ));
    }
    Ok(DefaultValue::Text(text.to_string()))
}
