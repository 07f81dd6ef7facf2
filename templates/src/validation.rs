// {{ header }}
// Do not edit: change the field rules in apigen.toml instead.
use std::fmt::Display;

{% if plan.needs_regex %}¶
use regex::Regex;
{% endif %}¶
{% if plan.needs_digits %}¶
use sea_orm::prelude::Decimal;
{% endif %}¶
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::ToSchema;

use crate::error::ApiError;

/// Why one field or query parameter of a request was refused.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct FieldError {
    /// The field (`price`, `items.0.sku`) or the query parameter (`price.gte`).
    pub field: String,
    /// What kind of rule: `required`, `max_length`, `invalid_parameter`...
    pub code: &'static str,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            code,
            message: message.into(),
        }
    }
}

/// Collects every rule a request breaks, so that one answer lists them all.
#[derive(Debug, Default)]
pub struct Errors {
    errors: Vec<FieldError>,
}

impl Errors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: &str, code: &'static str, message: String) {
        self.errors.push(FieldError::new(field, code, message));
    }

    /// `Ok` when no rule was broken, otherwise a 422 listing them.
    pub fn finish(self) -> Result<(), ApiError> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError::invalid(self.errors))
        }
    }

    pub fn not_null(&mut self, field: &str, is_null: bool) {
        if is_null {
            self.add(field, "required", "must not be null".to_owned());
        }
    }

    pub fn min_length(&mut self, field: &str, value: &str, min: usize) {
        if value.chars().count() < min {
            let message = format!("must be at least {min} {} long", characters(min));
            self.add(field, "min_length", message);
        }
    }

    pub fn max_length(&mut self, field: &str, value: &str, max: usize) {
        if value.chars().count() > max {
            let message = format!("must be at most {max} {} long", characters(max));
            self.add(field, "max_length", message);
        }
    }

    pub fn min<T: PartialOrd + Display>(&mut self, field: &str, value: &T, min: T) {
        if *value < min {
            self.add(field, "min", format!("must be at least {min}"));
        }
    }

    pub fn max<T: PartialOrd + Display>(&mut self, field: &str, value: &T, max: T) {
        if *value > max {
            self.add(field, "max", format!("must be at most {max}"));
        }
    }
{% if plan.needs_digits %}¶

    /// A decimal with at most `scale` places (trailing zeros aside), and at most `whole`
    /// digits before the point when the field has a `precision`.
    pub fn digits(&mut self, field: &str, value: &Decimal, scale: u32, whole: Option<u32>) {
        if value.normalize().scale() > scale {
            let places = if scale == 1 { "place" } else { "places" };
            self.add(
                field,
                "scale",
                format!("must have at most {scale} decimal {places}"),
            );
        }
        if let Some(whole) = whole {
            let limit = Decimal::from_i128_with_scale(10_i128.pow(whole), 0);
            if value.abs() >= limit {
                let message = match whole {
                    0 => "must be less than 1 in size".to_owned(),
                    _ => format!("must have at most {whole} digits before the decimal point"),
                };
                self.add(field, "precision", message);
            }
        }
    }
{% endif %}¶
{% if plan.needs_regex %}¶

    pub fn pattern(&mut self, field: &str, value: &str, pattern: &Regex) {
        if !pattern.is_match(value) {
            let source = pattern.as_str();
            let source = source.strip_prefix("^(?:").unwrap_or(source);
            let source = source.strip_suffix(")$").unwrap_or(source);
            let message = format!("must match the pattern {source}");
            self.add(field, "pattern", message);
        }
    }
{% endif %}¶

    pub fn email(&mut self, field: &str, value: &str) {
        if !is_email(value) {
            self.add(field, "email", "must be an email address".to_owned());
        }
    }

    pub fn url(&mut self, field: &str, value: &str) {
        if !is_url(value) {
            self.add(field, "url", "must be an http or https URL".to_owned());
        }
    }
}
{% if plan.needs_regex %}¶

/// Compiles a `pattern` of apigen.toml so that it matches whole values only;
/// apigen checked that it compiles when it wrote this crate.
pub fn compile_pattern(source: &str) -> Regex {
    match Regex::new(&format!("^(?:{source})$")) {
        Ok(regex) => regex,
        Err(err) => panic!("the pattern {source:?} from apigen.toml does not compile: {err}"),
    }
}
{% endif %}¶

/// A read-only field of a request body: set by the server, so sending it
/// at all is an error that names the field.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReadOnly;

pub const READ_ONLY: &str = "is read-only: it is set by the server";

impl<'de> Deserialize<'de> for ReadOnly {
    fn deserialize<D: Deserializer<'de>>(_: D) -> Result<Self, D::Error> {
        Err(serde::de::Error::custom(READ_ONLY))
    }
}

fn characters(count: usize) -> &'static str {
    if count == 1 {
        "character"
    } else {
        "characters"
    }
}

/// `local@domain.tld`: no spaces, one `@`, and a domain of dot-separated labels.
pub fn is_email(value: &str) -> bool {
    let Some((local, domain)) = value.split_once('@') else {
        return false;
    };
    let plain = |part: &str| !part.is_empty() && !part.contains(char::is_whitespace);
    plain(local) && !domain.contains('@') && is_domain(domain) && domain.contains('.')
}

/// An absolute `http` or `https` URL with a host.
pub fn is_url(value: &str) -> bool {
    let rest = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"));
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

fn is_domain(value: &str) -> bool {
    let label = |label: &str| {
        !label.is_empty()
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| c.is_alphanumeric() || c == '-')
    };
    value.len() <= 253 && value.split('.').all(label)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert!(is_email("ada@example.com"));
        assert!(is_email("ada.lovelace+shop@mail.example.co.uk"));
        assert!(!is_email("ada@example"));
        assert!(!is_email("ada example.com"));
        assert!(!is_email("@example.com"));
        assert!(!is_email("ada@@example.com"));
        assert!(!is_email("ada@exa mple.com"));
        assert!(!is_email("ada@.example.com"));
    }

    #[test]
    fn urls() {
        assert!(is_url("https://example.com"));
        assert!(is_url("http://localhost:3000/path?q=1#top"));
        assert!(is_url("https://user@example.com/"));
        assert!(!is_url("ftp://example.com"));
        assert!(!is_url("https://"));
        assert!(!is_url("example.com"));
        assert!(!is_url("https://exa mple.com"));
        assert!(!is_url("https://example..com"));
    }
}
