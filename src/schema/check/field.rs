//! One field: its type, the keys that apply to it and its rules; and the clashes
//! between the fields of a resource.

use regex::Regex;

use super::default::Rules;
use super::names::{folded, is_lower_ident, is_unusable_in_rust, lower_ident_help};
use super::{Checker, USER};
use crate::names as naming;
use crate::schema::diagnostic::Diagnostic;
use crate::schema::kind::DefaultForm;
use crate::schema::model::{Digits, Field, FieldType, Format, Number, OnDelete, Scalar};
use crate::schema::parse::FIELD_TYPES;
use crate::schema::raw::{RawField, RawNumber, RawResource, Span, Spanned};
use crate::schema::suggest;
use crate::schema::values;

/// The type of a field, without its parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Scalar(Scalar),
    Enum,
    BelongsTo,
    ManyToMany,
}

impl Kind {
    fn parse(name: &str) -> Option<Kind> {
        Some(match name {
            "enum" => Kind::Enum,
            "belongs_to" => Kind::BelongsTo,
            "many_to_many" => Kind::ManyToMany,
            _ => Kind::Scalar(Scalar::parse(name)?),
        })
    }

    pub(super) fn name(self) -> &'static str {
        match self {
            Kind::Scalar(scalar) => scalar.keyword(),
            Kind::Enum => "enum",
            Kind::BelongsTo => "belongs_to",
            Kind::ManyToMany => "many_to_many",
        }
    }

    fn is_relation(self) -> bool {
        matches!(self, Kind::BelongsTo | Kind::ManyToMany)
    }

    fn is_number(self) -> bool {
        matches!(self, Kind::Scalar(scalar) if scalar.is_number())
    }

    pub(super) fn is_integer(self) -> bool {
        matches!(self, Kind::Scalar(scalar) if scalar.is_integer())
    }

    /// The keys only some scalar types take that apply to this one.
    fn takes(self, key: &str) -> bool {
        matches!(self, Kind::Scalar(scalar) if scalar.spec().keys.contains(&key))
    }

    /// Takes a `default`.
    fn takes_default(self) -> bool {
        match self {
            Kind::Scalar(scalar) => !matches!(scalar.spec().default, DefaultForm::None),
            Kind::Enum => true,
            Kind::BelongsTo | Kind::ManyToMany => false,
        }
    }
}

/// Names people use for the field types, and the type they mean.
const TYPE_ALIASES: &[(&str, &str)] = &[
    ("integer", "int"),
    ("i32", "int"),
    ("i64", "bigint"),
    ("long", "bigint"),
    ("boolean", "bool"),
    ("str", "string"),
    ("varchar", "string"),
    ("double", "float"),
    ("f64", "float"),
    ("number", "decimal"),
    ("money", "decimal"),
    ("timestamp", "datetime"),
    ("reference", "belongs_to"),
    ("foreign_key", "belongs_to"),
    ("has_many", "many_to_many"),
];

/// Names people use for the `on_delete` actions, and the action they mean.
const ON_DELETE_ALIASES: &[(&str, &str)] = &[
    ("nullify", "set_null"),
    ("null", "set_null"),
    ("set null", "set_null"),
    ("delete", "cascade"),
    ("no_action", "restrict"),
    ("no action", "restrict"),
];

/// Whether a key of a field table applies to a field of `kind`.
fn applies(key: &str, kind: Kind) -> bool {
    match key {
        "optional" => kind != Kind::ManyToMany,
        "unique" | "index" => match kind {
            Kind::Scalar(scalar) => scalar.spec().comparable,
            Kind::ManyToMany => false,
            Kind::Enum | Kind::BelongsTo => true,
        },
        "default" => kind.takes_default(),
        "readonly" | "private" => !kind.is_relation(),
        "writable" => kind != Kind::ManyToMany,
        "min" | "max" | "precision" | "scale" | "min_length" | "max_length" | "pattern"
        | "format" => kind.takes(key),
        "values" => kind == Kind::Enum,
        "resource" => kind.is_relation(),
        "on_delete" => kind == Kind::BelongsTo,
        _ => true,
    }
}

/// What to do about a key on a field it does not apply to.
fn inapplicable_help(key: &str, kind: Kind) -> String {
    match (key, kind) {
        ("min" | "max", Kind::Scalar(Scalar::String) | Kind::Scalar(Scalar::Text)) => {
            format!("to bound the length of text, use `{key}_length`")
        }
        (
            "precision" | "scale",
            Kind::Scalar(Scalar::Float) | Kind::Scalar(Scalar::Int) | Kind::Scalar(Scalar::BigInt),
        ) => format!(
            "a fixed number of places belongs to exact numbers: use `type = \"decimal\"`, \
             or remove `{key}`"
        ),
        ("min_length" | "max_length", k) if k.is_number() => {
            format!("to bound a number, use `{}`", &key[..3])
        }
        ("optional", Kind::ManyToMany) => {
            "a many_to_many field is a list that may be empty: remove `optional`".to_string()
        }
        ("default", Kind::Scalar(Scalar::Json)) => {
            "a json field takes no default: remove `default` (make the field optional instead)"
                .to_string()
        }
        ("unique" | "index", Kind::Scalar(Scalar::Json)) => {
            format!("JSON values cannot be compared in every database: remove `{key}`")
        }
        ("unique" | "index", Kind::Scalar(scalar)) if !scalar.spec().comparable => format!(
            "`{}` values cannot be compared in every database: remove `{key}`",
            scalar.keyword()
        ),
        ("pattern" | "format", Kind::Scalar(Scalar::Text)) => {
            format!("`{key}` applies to `string` fields: use `type = \"string\"` or remove it")
        }
        ("values", _) => "`values` lists the choices of an `enum` field: \
                          use `type = \"enum\"` or remove `values`"
            .to_string(),
        ("resource" | "on_delete", _) => format!(
            "`{key}` belongs to a relation (`type = \"belongs_to\"`): remove it from this field"
        ),
        _ => format!("remove `{key}`; it applies to {}", applies_to(key)),
    }
}

/// The fields a key applies to, in words.
fn applies_to(key: &str) -> String {
    // A key of some scalar types only: the types whose row takes it.
    let takers: Vec<&str> = (Scalar::ALL.into_iter())
        .filter(|scalar| scalar.spec().keys.contains(&key))
        .map(Scalar::keyword)
        .collect();
    if let [first @ .., last] = takers.as_slice() {
        return match first {
            [] => format!("{last} fields"),
            _ => format!("{} and {last} fields", first.join(", ")),
        };
    }
    let text = match key {
        "optional" => "every field but many_to_many",
        "unique" | "index" => "scalar fields and belongs_to",
        "default" | "readonly" | "private" => "scalar fields",
        "values" => "enum fields",
        "resource" => "belongs_to and many_to_many fields",
        "writable" => "every field but many_to_many (its links follow the update rule)",
        "on_delete" => "belongs_to fields",
        _ => "every field",
    };
    text.to_string()
}

/// Marks `ok` false when a check failed, and gives its value or a neutral one.
fn track<T: Default>(ok: &mut bool, checked: Option<T>) -> T {
    if checked.is_none() {
        *ok = false;
    }
    checked.unwrap_or_default()
}

/// The flag `key` if it applies and is set.
fn flag(raw: &Option<Spanned<bool>>, key: &str, kind: Kind) -> bool {
    applies(key, kind) && raw.as_ref().is_some_and(|f| f.value)
}

/// The value of `key` if it applies to the field.
fn get<'r, T>(raw: &'r Option<Spanned<T>>, key: &str, kind: Kind) -> Option<&'r Spanned<T>> {
    raw.as_ref().filter(|_| applies(key, kind))
}

/// `Resource.field`, for messages.
pub(super) fn qualified(resource: &str, raw: &RawField) -> String {
    format!("{resource}.{}", raw.name.value)
}

impl Checker<'_> {
    /// Checks the fields of a resource; `builtins` are names the resource already has.
    pub(super) fn fields(&mut self, raw: &RawResource, builtins: &[&str]) -> Option<Vec<Field>> {
        let mut fields = Vec::new();
        let mut ok = true;
        for field in &raw.fields {
            match self.field(&raw.name.value, field) {
                Some(field) => fields.push(field),
                None => ok = false,
            }
        }
        ok &= self.field_clashes(raw, builtins);
        ok.then_some(fields)
    }

    fn field(&mut self, resource: &str, raw: &RawField) -> Option<Field> {
        let mut ok = self.field_name(resource, &raw.name.value, &raw.name.span);
        let kind = self.kind(raw)?;
        ok &= self.inapplicable_keys(resource, raw, kind);
        let ty = self.field_type(resource, raw, kind);
        let (min_length, max_length) = track(&mut ok, self.lengths(raw, kind));
        let (min, max) = track(&mut ok, self.bounds(raw, kind));
        let digits = track(&mut ok, self.digits(raw, kind));
        let pattern = track(&mut ok, self.pattern(raw, kind));
        let format = track(&mut ok, self.format(raw, kind));
        let doc = track(&mut ok, self.doc(raw));
        let writable = track(&mut ok, self.writable(resource, raw, kind));
        let values = match &ty {
            Some(FieldType::Enum(values)) => Some(values.as_slice()),
            _ => None,
        };
        let rules = Rules {
            kind,
            min,
            max,
            min_length,
            max_length,
            pattern: pattern.as_ref().map(|(text, regex)| (text.as_str(), regex)),
            format,
            values,
            digits,
        };
        let default = match get(&raw.default, "default", kind) {
            Some(value) => Some(self.default_value(&qualified(resource, raw), value, &rules)?),
            None => None,
        };
        if !ok || raw.broken {
            return None;
        }
        Some(Field {
            name: raw.name.value.clone(),
            ty: ty?,
            optional: flag(&raw.optional, "optional", kind),
            unique: flag(&raw.unique, "unique", kind),
            index: flag(&raw.index, "index", kind),
            default,
            min: min.map(number),
            max: max.map(number),
            min_length,
            max_length,
            digits,
            pattern: pattern.map(|(text, _)| text),
            format,
            readonly: flag(&raw.readonly, "readonly", kind),
            private: flag(&raw.private, "private", kind),
            writable,
            doc,
            renamed_from: raw.renamed_from.as_ref().map(|r| r.value.clone()),
        })
    }

    /// The field's type; reports an unknown one.
    fn kind(&mut self, raw: &RawField) -> Option<Kind> {
        let ty = raw.ty.as_ref()?;
        if let Some(kind) = Kind::parse(&ty.value) {
            return Some(kind);
        }
        let optional_in_table = ty.value.strip_suffix('?').and_then(Kind::parse);
        let diag = match optional_in_table {
            Some(kind) if !raw.shorthand => Diagnostic::new(
                format!("`{}` is shorthand syntax, not a type", ty.value),
                ty.span.clone(),
            )
            .with_label("`?` only works in the shorthand form")
            .with_help(format!(
                "in a table write `type = \"{}\", optional = true`",
                kind.name()
            )),
            _ => {
                let alias = TYPE_ALIASES
                    .iter()
                    .find(|(alias, _)| ty.value.eq_ignore_ascii_case(alias))
                    .map(|(_, ty)| *ty);
                let near =
                    alias.or_else(|| suggest::closest(&ty.value, FIELD_TYPES.iter().copied()));
                let did_you_mean = near.map_or(String::new(), |n| format!("did you mean `{n}`? "));
                Diagnostic::new(
                    format!("unknown field type `{}`", ty.value),
                    ty.span.clone(),
                )
                .with_label("not a field type")
                .with_help(format!(
                    "{did_you_mean}Field types: {}",
                    FIELD_TYPES.join(", ")
                ))
            }
        };
        self.report(diag);
        None
    }

    /// Reports every key set on a field it does not apply to.
    fn inapplicable_keys(&mut self, resource: &str, raw: &RawField, kind: Kind) -> bool {
        let mut ok = true;
        for key in &raw.keys {
            if applies(&key.name, kind) {
                continue;
            }
            ok = false;
            self.report(
                Diagnostic::new(
                    format!(
                        "`{}` does not apply to `{}` fields ({})",
                        key.name,
                        kind.name(),
                        qualified(resource, raw)
                    ),
                    key.key_span.clone(),
                )
                .with_label(format!("not for `{}`", kind.name()))
                .with_help(inapplicable_help(&key.name, kind)),
            );
        }
        ok
    }

    /// The full type: enum values, relation targets.
    fn field_type(&mut self, resource: &str, raw: &RawField, kind: Kind) -> Option<FieldType> {
        if raw.shorthand && matches!(kind, Kind::Enum | Kind::BelongsTo | Kind::ManyToMany) {
            self.shorthand_needs_table(raw, kind);
            return None;
        }
        Some(match kind {
            Kind::Scalar(scalar) => FieldType::Scalar(scalar),
            Kind::Enum => FieldType::Enum(self.enum_values(resource, raw)?),
            Kind::BelongsTo => {
                let target = self.target(resource, raw, kind);
                let on_delete = self.on_delete(resource, raw);
                FieldType::BelongsTo {
                    resource: target?,
                    on_delete: on_delete?,
                }
            }
            Kind::ManyToMany => FieldType::ManyToMany {
                resource: self.target(resource, raw, kind)?,
            },
        })
    }

    /// `"enum"`, `"belongs_to"` or `"many_to_many"` as shorthand: they need more keys.
    fn shorthand_needs_table(&mut self, raw: &RawField, kind: Kind) {
        let name = &raw.name.value;
        let (needs, example) = match kind {
            Kind::Enum => (
                "`values`",
                format!("{name} = {{ type = \"enum\", values = [\"a\", \"b\"] }}"),
            ),
            _ => (
                "a `resource`",
                format!(
                    "{name} = {{ type = \"{}\", resource = \"{}\" }}",
                    kind.name(),
                    self.guess_resource(name)
                ),
            ),
        };
        self.report(
            Diagnostic::new(
                format!(
                    "`{}` fields need {needs}, so they cannot be written as shorthand",
                    kind.name()
                ),
                raw.span.clone(),
            )
            .with_label(format!("needs {needs}"))
            .with_help(format!("write it as a table: `{example}`")),
        );
    }

    /// The resource a relation field probably points at, for examples.
    fn guess_resource(&self, field: &str) -> String {
        let pascal = naming::pascal_case(field);
        let singular = pascal.strip_suffix('s').unwrap_or(&pascal);
        let candidates = self.resource_names.iter().map(String::as_str);
        match suggest::closest(singular, candidates) {
            Some(near) => near.to_string(),
            None => "<Resource>".to_string(),
        }
    }

    fn enum_values(&mut self, resource: &str, raw: &RawField) -> Option<Vec<String>> {
        let Some(values) = &raw.values else {
            if !raw.broken {
                self.report(
                    Diagnostic::new(
                        format!("enum field `{}` has no `values`", qualified(resource, raw)),
                        raw.span.clone(),
                    )
                    .with_label("`values` missing")
                    .with_help("list the allowed values: `values = [\"draft\", \"published\"]`"),
                );
            }
            return None;
        };
        if values.value.is_empty() {
            self.report(
                Diagnostic::new("`values` of an enum is empty", values.span.clone())
                    .with_label("no values")
                    .with_help(
                        "list at least one value, e.g. `values = [\"draft\", \"published\"]`",
                    ),
            );
            return None;
        }
        let mut ok = true;
        let mut seen: Vec<&Spanned<String>> = Vec::new();
        for value in &values.value {
            ok &= self.enum_value(value, &seen);
            seen.push(value);
        }
        ok.then(|| values.value.iter().map(|v| v.value.clone()).collect())
    }

    /// One enum value: a lower-case identifier, unique, a valid Rust variant.
    fn enum_value(&mut self, value: &Spanned<String>, seen: &[&Spanned<String>]) -> bool {
        let text = value.value.as_str();
        let variant = naming::pascal_case(text);
        let problem = if !is_lower_ident(text) {
            Some((
                format!("enum value `{text}` is not a lower-case identifier"),
                lower_ident_help(text),
            ))
        } else if seen.iter().any(|s| s.value == text) {
            Some((
                format!("duplicate enum value `{text}`"),
                "list each value once".to_string(),
            ))
        } else if let Some(twin) = seen
            .iter()
            .find(|s| naming::pascal_case(&s.value) == variant)
        {
            Some((
                format!("enum values `{}` and `{text}` are too alike", twin.value),
                format!("both become the Rust variant `{variant}`; rename one"),
            ))
        } else if is_unusable_in_rust(text) {
            Some((
                format!("enum value `{text}` cannot be used in the generated Rust code"),
                format!("`{text}` is reserved in Rust; choose another value"),
            ))
        } else {
            None
        };
        match problem {
            Some((message, help)) => {
                self.report(
                    Diagnostic::new(message, value.span.clone())
                        .with_label("invalid value")
                        .with_help(help),
                );
                false
            }
            None => true,
        }
    }

    /// The resource a relation points at; it must exist.
    fn target(&mut self, resource: &str, raw: &RawField, kind: Kind) -> Option<String> {
        let Some(target) = &raw.resource else {
            if !raw.broken {
                let name = &raw.name.value;
                let example = format!(
                    "{name} = {{ type = \"{}\", resource = \"{}\" }}",
                    kind.name(),
                    self.guess_resource(name)
                );
                self.report(
                    Diagnostic::new(
                        format!(
                            "{} field `{}` has no `resource`",
                            kind.name(),
                            qualified(resource, raw)
                        ),
                        raw.span.clone(),
                    )
                    .with_label("`resource` missing")
                    .with_help(format!("name the resource it points at: `{example}`")),
                );
            }
            return None;
        };
        let name = target.value.as_str();
        if self.resource_names.iter().any(|n| n == name) {
            return Some(name.to_string());
        }
        let help = if name == USER {
            "`User` is the built-in resource of [auth]: add `[auth]` with \
             `roles = [\"user\", \"admin\"]`, or point at one of your resources"
                .to_string()
        } else {
            let candidates = self.resource_names.iter().map(String::as_str);
            match suggest::closest(name, candidates) {
                Some(near) => format!("did you mean `{near}`?"),
                None if self.resource_names.is_empty() => {
                    format!("declare it with `[resources.{name}]`")
                }
                None => format!(
                    "declare it with `[resources.{name}]`, or use one of: {}",
                    self.resource_names.join(", ")
                ),
            }
        };
        self.report(
            Diagnostic::new(
                format!("resource `{name}` does not exist"),
                target.span.clone(),
            )
            .with_label("no such resource")
            .with_help(help),
        );
        None
    }

    fn on_delete(&mut self, resource: &str, raw: &RawField) -> Option<OnDelete> {
        let Some(value) = &raw.on_delete else {
            return Some(OnDelete::Restrict);
        };
        let on_delete = match value.value.as_str() {
            "cascade" => OnDelete::Cascade,
            "restrict" => OnDelete::Restrict,
            "set_null" => OnDelete::SetNull,
            other => {
                let near = match ON_DELETE_ALIASES.iter().find(|(alias, _)| *alias == other) {
                    Some((_, action)) => format!("did you mean `{action}`? "),
                    None => suggest::did_you_mean(other, ["cascade", "restrict", "set_null"]),
                };
                self.report(
                    Diagnostic::new(
                        format!("unknown `on_delete` action `{other}`"),
                        value.span.clone(),
                    )
                    .with_label("not an action")
                    .with_help(format!(
                        "{near}Actions: cascade, restrict (the default), set_null"
                    )),
                );
                return None;
            }
        };
        if on_delete == OnDelete::SetNull && !raw.is_optional() && !raw.broken {
            self.report(
                Diagnostic::new(
                    format!(
                        "`on_delete = \"set_null\"` needs an optional field, and `{}` is required",
                        qualified(resource, raw)
                    ),
                    value.span.clone(),
                )
                .with_label("cannot set a required field to null")
                .with_help(
                    "add `optional = true`, or use `on_delete = \"cascade\"` or `\"restrict\"`",
                ),
            );
            return None;
        }
        Some(on_delete)
    }

    /// `min_length` and `max_length`, checked alone and together.
    fn lengths(&mut self, raw: &RawField, kind: Kind) -> Option<(Option<u32>, Option<u32>)> {
        let min = get(&raw.min_length, "min_length", kind);
        let max = get(&raw.max_length, "max_length", kind);
        let min_value = match min {
            Some(min) => Some(self.length("min_length", min, kind)?),
            None => None,
        };
        let max_value = match max {
            Some(max) => Some(self.length("max_length", max, kind)?),
            None => None,
        };
        let default_max =
            (kind == Kind::Scalar(Scalar::String) && max_value.is_none()).then_some(255);
        if let (Some(low), Some(high), Some(min)) = (min_value, max_value.or(default_max), min)
            && low > high
        {
            let max_name = if max_value.is_some() {
                "`max_length`"
            } else {
                "the default `max_length` of a string"
            };
            self.report(
                Diagnostic::new(
                    format!("`min_length` ({low}) is greater than {max_name} ({high})"),
                    min.span.clone(),
                )
                .with_label("no value could satisfy both")
                .with_help(if max_value.is_some() {
                    "lower `min_length` or raise `max_length`".to_string()
                } else {
                    format!("set `max_length` to at least {low}, or use `type = \"text\"`")
                }),
            );
            return None;
        }
        Some((min_value, max_value))
    }

    /// A decimal's `precision` and `scale`: places from 0 to 28, digits from 1 to 28, and
    /// no more places than digits. A precision alone keeps no places, as in SQL.
    fn digits(&mut self, raw: &RawField, kind: Kind) -> Option<Option<Digits>> {
        let precision = get(&raw.precision, "precision", kind);
        let scale = get(&raw.scale, "scale", kind);
        if precision.is_none() && scale.is_none() {
            return Some(None);
        }
        let mut ok = true;
        let places = values::MAX_DECIMAL_PLACES as i64;
        for (key, value, low) in [("precision", precision, 1), ("scale", scale, 0)] {
            if let Some(value) = value.filter(|v| !(low..=places).contains(&v.value)) {
                self.report(
                    Diagnostic::new(
                        format!("`{key}` ({}) must be from {low} to {places}", value.value),
                        value.span.clone(),
                    )
                    .with_label("not kept on every database")
                    .with_help(format!(
                        "a decimal keeps at most {places} digits: write `{key}` from {low} to \
                         {places} (for money, `scale = 2`)"
                    )),
                );
                ok = false;
            }
        }
        if !ok {
            return None;
        }
        let precision = precision.map(|p| p.value as u32);
        if let (Some(digits), Some(places)) = (precision, scale)
            && places.value as u32 > digits
        {
            self.report(
                Diagnostic::new(
                    format!(
                        "`scale` ({}) is greater than `precision` ({digits})",
                        places.value
                    ),
                    places.span.clone(),
                )
                .with_label("the places are digits of the precision")
                .with_help(format!(
                    "raise `precision` to at least {}, or lower `scale`",
                    places.value
                )),
            );
            return None;
        }
        let digits = Digits {
            precision,
            scale: scale.map_or(0, |s| s.value as u32),
        };
        for (key, bound) in [("min", &raw.min), ("max", &raw.max)] {
            let Some(bound) = bound else { continue };
            let text = match bound.value {
                RawNumber::Int(i) => i.to_string(),
                RawNumber::Float(f) if f.is_finite() => f.to_string(),
                // Reported as a bound already.
                RawNumber::Float(_) => continue,
            };
            let (whole, places) = values::decimal_digits(&text);
            let problem = if places > digits.scale as usize {
                Some(format!("{places} places, and `scale` is {}", digits.scale))
            } else {
                digits
                    .whole()
                    .filter(|most| whole > *most as usize)
                    .map(|most| {
                        format!("{whole} digits before the point, and `precision` leaves {most}")
                    })
            };
            if let Some(problem) = problem {
                self.report(
                    Diagnostic::new(
                        format!("`{key}` ({text}) has {problem}"),
                        bound.span.clone(),
                    )
                    .with_label("not a value the field keeps")
                    .with_help(format!(
                        "write `{key}` with the places and digits the field keeps, or \
                             change `scale` or `precision`"
                    )),
                );
                ok = false;
            }
        }
        ok.then_some(Some(digits))
    }

    /// One length: a whole number of characters, not negative; a max at least 1.
    fn length(&mut self, key: &str, value: &Spanned<i64>, kind: Kind) -> Option<u32> {
        let n = value.value;
        let problem = if n < 0 {
            Some((
                format!("`{key}` cannot be negative"),
                "a length is a number of characters: use 0 or more".to_string(),
            ))
        } else if key == "max_length" && n == 0 {
            Some((
                "`max_length` cannot be 0".to_string(),
                "use at least 1, or remove `max_length`".to_string(),
            ))
        } else if kind == Kind::Scalar(Scalar::String) && n > 65535 {
            Some((
                format!("`{key}` of a string cannot exceed 65535"),
                "use `type = \"text\"` for long text".to_string(),
            ))
        } else if u32::try_from(n).is_err() {
            Some((
                format!("`{key}` is too large"),
                "use a smaller length".to_string(),
            ))
        } else {
            None
        };
        match problem {
            Some((message, help)) => {
                self.report(
                    Diagnostic::new(message, value.span.clone())
                        .with_label("invalid length")
                        .with_help(help),
                );
                None
            }
            None => u32::try_from(n).ok(),
        }
    }

    /// `min` and `max`, checked alone and together.
    fn bounds(
        &mut self,
        raw: &RawField,
        kind: Kind,
    ) -> Option<(Option<RawNumber>, Option<RawNumber>)> {
        let min = get(&raw.min, "min", kind);
        let max = get(&raw.max, "max", kind);
        let min_ok = min.is_none_or(|m| self.bound("min", m, kind));
        let max_ok = max.is_none_or(|m| self.bound("max", m, kind));
        if !(min_ok && max_ok) {
            return None;
        }
        let crossed = min
            .zip(max)
            .filter(|(low, high)| greater(low.value, high.value));
        if let Some((low, high)) = crossed {
            self.report(
                Diagnostic::new(
                    format!(
                        "`min` ({}) is greater than `max` ({})",
                        show(low.value),
                        show(high.value)
                    ),
                    low.span.clone(),
                )
                .with_label("no value could satisfy both")
                .with_help("lower `min` or raise `max`"),
            );
            return None;
        }
        Some((min.map(|m| m.value), max.map(|m| m.value)))
    }

    /// One bound: finite, whole for integers, within 32 bits for `int`.
    fn bound(&mut self, key: &str, value: &Spanned<RawNumber>, kind: Kind) -> bool {
        let problem = match value.value {
            RawNumber::Float(f) if !f.is_finite() => Some((
                format!("`{key}` must be a finite number"),
                "write a number such as `0` or `100.5`".to_string(),
            )),
            RawNumber::Float(f) if kind.is_integer() => Some((
                format!(
                    "`{key}` of an `{}` field must be a whole number",
                    kind.name()
                ),
                format!("write `{key} = {}`", f.trunc()),
            )),
            RawNumber::Int(i) if kind == Kind::Scalar(Scalar::Int) && i32::try_from(i).is_err() => {
                Some((
                    format!("`{key}` ({i}) does not fit a 32-bit `int`"),
                    "use `type = \"bigint\"` for larger numbers".to_string(),
                ))
            }
            number if kind == Kind::Scalar(Scalar::Decimal) => {
                let text = match number {
                    RawNumber::Int(i) => i.to_string(),
                    RawNumber::Float(f) => f.to_string(),
                };
                values::decimal_beyond(&text).map(|beyond| {
                    (
                        format!("`{key}` ({text}) {beyond}"),
                        format!(
                            "write a bound a decimal keeps: at most 28 places, and no more \
                             than {} in size",
                            values::MAX_DECIMAL
                        ),
                    )
                })
            }
            _ => None,
        };
        match problem {
            Some((message, help)) => {
                self.report(
                    Diagnostic::new(message, value.span.clone())
                        .with_label("invalid bound")
                        .with_help(help),
                );
                false
            }
            None => true,
        }
    }

    /// The pattern and the regex that matches a whole value against it.
    fn pattern(&mut self, raw: &RawField, kind: Kind) -> Option<Option<(String, Regex)>> {
        let Some(pattern) = get(&raw.pattern, "pattern", kind) else {
            return Some(None);
        };
        let whole = Regex::new(&pattern.value)
            .and_then(|_| Regex::new(&format!("^(?:{})$", pattern.value)));
        match whole {
            Ok(regex) => Some(Some((pattern.value.clone(), regex))),
            Err(error) => {
                self.report(
                    Diagnostic::new(
                        "invalid regular expression in `pattern`",
                        pattern.span.clone(),
                    )
                    .with_label("does not compile")
                    .with_help(format!(
                        "{}; fix the regular expression (Rust `regex` crate syntax)",
                        regex_error_summary(&error)
                    )),
                );
                None
            }
        }
    }

    fn format(&mut self, raw: &RawField, kind: Kind) -> Option<Option<Format>> {
        let Some(format) = get(&raw.format, "format", kind) else {
            return Some(None);
        };
        match format.value.as_str() {
            "email" => Some(Some(Format::Email)),
            "url" => Some(Some(Format::Url)),
            other => {
                let near = suggest::did_you_mean(other, ["email", "url"]);
                self.report(
                    Diagnostic::new(format!("unknown format `{other}`"), format.span.clone())
                        .with_label("not a format")
                        .with_help(format!("{near}Formats: email, url")),
                );
                None
            }
        }
    }

    fn doc(&mut self, raw: &RawField) -> Option<Option<String>> {
        let Some(doc) = &raw.doc else {
            return Some(None);
        };
        if doc.value.contains(['\n', '\r']) {
            self.report(
                Diagnostic::new("`doc` must be one line", doc.span.clone())
                    .with_label("contains a line break")
                    .with_help(
                        "keep `doc` to one line; it becomes the field's OpenAPI description",
                    ),
            );
            return None;
        }
        Some(Some(doc.value.clone()))
    }

    /// `writable = "ROLE"`: a role of `[auth]`, on a field a request may set.
    fn writable(&mut self, resource: &str, raw: &RawField, kind: Kind) -> Option<Option<String>> {
        let Some(role) = get(&raw.writable, "writable", kind) else {
            return Some(None);
        };
        let field = qualified(resource, raw);
        if !self.auth {
            self.report(
                Diagnostic::new(
                    format!("`writable` on `{field}` needs an [auth] table"),
                    role.span.clone(),
                )
                .with_label("without [auth] there are no roles")
                .with_help(
                    "add `[auth]` with `roles = [\"user\", \"admin\"]`, or remove `writable`",
                ),
            );
            return None;
        }
        if flag(&raw.readonly, "readonly", kind) {
            self.report(
                Diagnostic::new(
                    format!("`{field}` is both `readonly` and `writable`"),
                    role.span.clone(),
                )
                .with_label("a readonly field is never set by a request")
                .with_help(
                    "keep `readonly` (only the server and hooks set the field) or `writable` \
                     (the roles from this one up set it), not both",
                ),
            );
            return None;
        }
        // Broken roles are reported already: do not guess.
        let roles = self.roles.clone()?;
        if roles.contains(&role.value) {
            return Some(Some(role.value.clone()));
        }
        let near = suggest::did_you_mean(&role.value, roles.iter().map(String::as_str));
        self.report(
            Diagnostic::new(
                format!(
                    "`writable` of `{field}` names `{}`, which is not a role",
                    role.value
                ),
                role.span.clone(),
            )
            .with_label("not a role of [auth]")
            .with_help(format!(
                "{near}`writable` names the least role that may set the field: one of {}",
                roles.join(", ")
            )),
        );
        None
    }

    /// Two fields of a resource whose names clash in Rust or SQL, or a field that takes
    /// the column of a belongs_to field, or a built-in name. True when none clash.
    fn field_clashes(&mut self, raw: &RawResource, builtins: &[&str]) -> bool {
        let mut ok = true;
        let mut taken: Vec<Taken> = builtins.iter().map(|b| Taken::builtin(b)).collect();
        for field in &raw.fields {
            let this = Taken::of(field);
            if let Some(clash) = taken.iter().find_map(|other| other.clash(&this)) {
                ok = false;
                self.report(clash_diagnostic(&raw.name.value, field, &clash));
            }
            taken.push(this);
        }
        ok
    }
}

/// The names a field takes: its own and, for belongs_to, its column.
struct Taken {
    name: String,
    snake: String,
    folded: String,
    column: Option<String>,
    builtin: bool,
}

/// Why a field clashes with an earlier one.
enum Clash {
    SameName(String),
    Column { relation: String, column: String },
    ColumnOfThis { other: String, column: String },
    Builtin(String),
}

impl Taken {
    fn builtin(name: &str) -> Taken {
        Taken {
            name: name.to_string(),
            snake: name.to_string(),
            folded: folded(name),
            column: None,
            builtin: true,
        }
    }

    fn of(field: &RawField) -> Taken {
        let snake = naming::snake_case(&field.name.value);
        let is_belongs_to = field.ty.as_ref().is_some_and(|t| t.value == "belongs_to");
        Taken {
            name: field.name.value.clone(),
            column: is_belongs_to.then(|| format!("{snake}_id")),
            folded: folded(&field.name.value),
            snake,
            builtin: false,
        }
    }

    /// How `later` clashes with `self`, if it does.
    fn clash(&self, later: &Taken) -> Option<Clash> {
        if self.snake == later.snake || self.folded == later.folded {
            return Some(if self.builtin {
                Clash::Builtin(self.name.clone())
            } else {
                Clash::SameName(self.name.clone())
            });
        }
        if let Some(column) = self.column.as_ref().filter(|c| **c == later.snake) {
            return Some(Clash::Column {
                relation: self.name.clone(),
                column: column.clone(),
            });
        }
        if let Some(column) = later.column.as_ref().filter(|c| **c == self.snake) {
            return Some(Clash::ColumnOfThis {
                other: self.name.clone(),
                column: column.clone(),
            });
        }
        None
    }
}

fn clash_diagnostic(resource: &str, field: &RawField, clash: &Clash) -> Diagnostic {
    let name = &field.name.value;
    let span = field.name.span.clone();
    match clash {
        Clash::SameName(other) => {
            let snake = naming::snake_case(name);
            let why = if naming::snake_case(other) == snake {
                format!("both become `{snake}` in Rust and SQL")
            } else {
                "they differ only in case or `_`".to_string()
            };
            Diagnostic::new(
                format!("field `{resource}.{name}` clashes with `{other}`"),
                span,
            )
            .with_label(format!("same name as `{other}`"))
            .with_help(format!("{why}: rename one of them"))
        }
        Clash::Column { relation, column } => Diagnostic::new(
            format!("field `{resource}.{name}` clashes with the column of `{relation}`"),
            span,
        )
        .with_label(format!("`{relation}` is stored in the column `{column}`"))
        .with_help(format!(
            "rename `{name}`, or rename the belongs_to field `{relation}`"
        )),
        Clash::ColumnOfThis { other, column } => Diagnostic::new(
            format!("the column of belongs_to field `{resource}.{name}` clashes with `{other}`"),
            span,
        )
        .with_label(format!("stored in the column `{column}`"))
        .with_help(format!("rename `{name}` or `{other}`")),
        Clash::Builtin(other) => {
            Diagnostic::new(format!("`{name}` is a built-in field of {resource}"), span)
                .with_label(format!("same name as the built-in `{other}`"))
                .with_help(
                    "the built-in User already has email, password and role: \
             remove this field or rename it",
                )
        }
    }
}

/// The last line of a regex error, without its `error: ` prefix.
fn regex_error_summary(error: &regex::Error) -> String {
    let text = error.to_string();
    let last = text
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("");
    last.trim().trim_start_matches("error: ").to_string()
}

/// Whether `a > b`, exactly for two integers.
pub(super) fn greater(a: RawNumber, b: RawNumber) -> bool {
    match (a, b) {
        (RawNumber::Int(a), RawNumber::Int(b)) => a > b,
        _ => a.as_f64() > b.as_f64(),
    }
}

/// A number as the schema would write it.
pub(super) fn show(n: RawNumber) -> String {
    match n {
        RawNumber::Int(i) => i.to_string(),
        RawNumber::Float(f) => format!("{f:?}"),
    }
}

fn number(n: RawNumber) -> Number {
    match n {
        RawNumber::Int(i) => Number::Int(i),
        RawNumber::Float(f) => Number::Float(f),
    }
}

/// Spans of a field that other checks point at.
pub(super) fn type_span(raw: &RawField) -> Span {
    raw.ty.as_ref().map_or(raw.span.clone(), |t| t.span.clone())
}
