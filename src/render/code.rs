//! Rust expressions and statements of the plan's values, written where a template cannot
//! say them in a line: a value of any field type, a checker's call, a list field's kind,
//! a field's `#[schema(...)]`.

use crate::names;
use crate::plan::{
    Body, Bound, Broken, Check, FieldPlan, FilterKind, LeftOut, ResourcePlan, Sample, SchemaRule,
    TestValue, Value, WritableTest,
};
use crate::schema::Rule;

/// `value` as a Rust expression of its type.
pub(crate) fn value(value: &Value) -> String {
    match value {
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(Bound::Int(i)) => format!("{i}.0"),
        Value::Float(Bound::Float(f)) => format!("{f:?}"),
        Value::Decimal(text) => names::decimal_literal(text),
        Value::Text(text) => format!("{}.to_owned()", names::rust_string_literal(text)),
        Value::JsonText(text) => {
            format!(
                "Json::String({}.to_owned())",
                names::rust_string_literal(text)
            )
        }
        Value::Variant(type_name, variant) => format!("{type_name}::{variant}"),
        Value::Form(scalar, text) => match scalar.text_form() {
            Some(form) => (form.rust)(text),
            None => format!("{}.to_owned()", names::rust_string_literal(text)),
        },
    }
}

/// A field's default as its `default_<field>()` returns it: in `Some` where optional.
pub(crate) fn default_body(field: &FieldPlan) -> Option<String> {
    let value = value(field.default.as_ref()?);
    Some(if field.optional {
        format!("Some({value})")
    } else {
        value
    })
}

/// `expr`, converted where the entity's type differs from the request's.
fn converted(field: &FieldPlan, expr: String) -> String {
    let differs = field.entity_type != field.rust_type;
    match (differs, field.optional) {
        (false, _) => expr,
        (true, false) => format!("{expr}.into()"),
        (true, true) => format!("{expr}.map(Into::into)"),
    }
}

/// The row's value of `field`, as the response holds it: a decimal with a `scale` shows
/// its places (`"5.00"`).
pub(crate) fn response_value(field: &FieldPlan) -> String {
    let row = format!("row.{}", field.ident);
    match (field.scale, field.optional) {
        (None, _) => converted(field, row),
        (Some(scale), false) => format!("{row}.with_scale({scale})"),
        (Some(scale), true) => format!("{row}.map(|value| value.with_scale({scale}))"),
    }
}

/// The request's value of `field`, as the row holds it.
pub(crate) fn request_value(field: &FieldPlan) -> String {
    converted(field, format!("self.{}", field.ident))
}

/// The default of `field`, as the row holds it.
pub(crate) fn default_value(field: &FieldPlan) -> String {
    converted(field, format!("{}()", field.default_fn))
}

/// The checker's statement for `check` of field `name`, `errors` and `value` in scope.
pub(crate) fn check(check: &Check, name: &str) -> String {
    let key = names::rust_string_literal(name);
    match check {
        Check::MinLength(min) => format!("errors.min_length({key}, value, {min});"),
        Check::MaxLength(max) => format!("errors.max_length({key}, value, {max});"),
        Check::Min(bound) => format!("errors.min({key}, value, {});", value(bound)),
        Check::Max(bound) => format!("errors.max({key}, value, {});", value(bound)),
        Check::Digits { scale, whole } => {
            let whole = whole.map_or("None".to_string(), |w| format!("Some({w})"));
            format!("errors.digits({key}, value, {scale}, {whole});")
        }
        Check::Pattern(regex) => format!("errors.pattern({key}, value, &{regex});"),
        Check::Email => format!("errors.email({key}, value);"),
        Check::Url => format!("errors.url({key}, value);"),
    }
}

/// What the valid bodies of the tests send for `field` of `resource`, as an expression
/// `json!` accepts, over `n` (a number no other row of the test uses) and `app`.
pub(crate) fn sample(field: &FieldPlan, resource: &ResourcePlan) -> String {
    let sized = |function: &str, lengths: &Option<(usize, usize)>, usual: &str| match lengths {
        Some((min, max)) => format!("{function}(n, {min}, {max})"),
        None => usual.to_string(),
    };
    match &field.sample {
        Sample::Str(text) => names::rust_string_literal(text),
        Sample::Float(f) => format!("{f:?}"),
        Sample::Bool(b) => b.to_string(),
        Sample::Null => "json!(null)".to_string(),
        Sample::Kind(expr) => expr.to_string(),
        Sample::Email(lengths) => {
            sized("sized_email", lengths, r#"format!("user{n}@example.com")"#)
        }
        Sample::Url(lengths) => sized(
            "sized_url",
            lengths,
            r#"format!("https://example.com/{n}")"#,
        ),
        Sample::Text { name, min, max } => {
            format!(
                "sized_text({}, n, {min}, {max})",
                names::rust_string_literal(name)
            )
        }
        Sample::Int { low, span } => {
            // No test makes a billion rows: a wider span needs no modulo.
            let wide = *span > 1_000_000_000;
            let offset = if wide {
                "n as i64".to_string()
            } else {
                format!("n as i64 % {span}")
            };
            let low_text = names::int_literal(*low);
            match low {
                _ if *span == 1 => low_text,
                0 => offset,
                _ if !wide => format!("{low_text} + ({offset})"),
                _ => format!("{low_text} + {offset}"),
            }
        }
        Sample::Decimal { low, span, places } => {
            let zeros = match places {
                0 => String::new(),
                places => format!(".{}", "0".repeat(*places)),
            };
            let low = names::int_literal(i128::from(*low));
            format!("format!(\"{{}}{zeros}\", {low} + (n as i64 % {span}))")
        }
        Sample::Choices(_) => format!("app.next_of({})", resource.samples_const(field)),
        Sample::Parent { .. } => field.ident.clone(),
    }
}

/// A value of `field` that differs from call to call (over `n`, or `app` for pattern
/// samples), for the tests of who may set it: where [`FieldPlan::varies`].
pub(crate) fn varying_sample(field: &FieldPlan, resource: &ResourcePlan) -> String {
    match (&field.sample, &field.enum_plan) {
        (sample, _) if sample.uses_n() => self::sample(field, resource),
        (Sample::Choices(_), _) => self::sample(field, resource),
        (_, Some(e)) => {
            let values: Vec<&str> = e.variants.iter().map(|(_, v)| v.as_str()).collect();
            let choices = names::rust_string_literal(&values.join("\n"));
            format!("pick({choices}, n as usize)")
        }
        _ => "n.is_multiple_of(2)".to_string(),
    }
}

/// A value a test sends to break a rule, as an expression of a `Value`.
pub(crate) fn test_value(value: &TestValue) -> String {
    match value {
        TestValue::Broken(broken) => format!("json!({})", self::broken(broken)),
        TestValue::Kind(expr) => expr.to_string(),
    }
}

/// A broken value as a literal `json!` takes.
fn broken(value: &Broken) -> String {
    match value {
        Broken::Chars(count) => format!("chars({count})"),
        Broken::Int(i) => names::int_literal(*i),
        Broken::Float(f) => format!("{f:?}"),
        Broken::Str(text) => names::rust_string_literal(text),
    }
}

/// What a response shows for a field left out of a body, as an expression of a `Value`.
pub(crate) fn left_out(left_out: &LeftOut) -> String {
    match left_out {
        LeftOut::Default(json) => format!("json!({json})"),
        LeftOut::Null => "Value::Null".to_string(),
    }
}

/// A call of the sample function a test of who may set a field draws new values from.
pub(crate) fn sample_call(test: &WritableTest) -> String {
    let arg = if test.sample_by_app {
        "&app"
    } else {
        "common::unique()"
    };
    format!("common::{}({arg})", test.sample_fn)
}

/// An access rule as the generated `access::Rule` names it: `Rule::Public`,
/// `Rule::Role(UserRole::Staff)`.
pub(crate) fn rule(rule: &Rule) -> String {
    match rule {
        Rule::Public => "Rule::Public".to_string(),
        Rule::Authenticated => "Rule::Authenticated".to_string(),
        Rule::Owner => "Rule::Owner".to_string(),
        Rule::Role(role) => format!("Rule::Role(UserRole::{})", names::pascal_case(role)),
    }
}

/// A list field's `query::Kind` as generated code names it, in the list fields of the
/// routes and in the list tests: `Kind::Decimal`, or an enum with its values in their
/// declared order (the order it sorts in), `Kind::Enum(&["low", "high"])`.
pub(crate) fn filter_kind(kind: &FilterKind) -> String {
    match kind {
        FilterKind::Enum(values) => {
            let values: Vec<String> = values
                .iter()
                .map(|v| names::rust_string_literal(v))
                .collect();
            format!("Kind::Enum(&[{}])", values.join(", "))
        }
        FilterKind::Of(filter) => format!("Kind::{}", filter.variant),
    }
}

/// The `#[schema(...)]` of `field` in a response or a body, if it needs one.
pub(crate) fn schema_attr(field: &FieldPlan, body: Body) -> Option<String> {
    if field.readonly && body != Body::Response {
        return Some("#[schema(ignore)]".to_string());
    }
    // A request's decimal is its text or a JSON number (the document says both).
    if field.is_decimal() && body != Body::Response {
        let schema = if field.optional {
            "optional_request_schema"
        } else {
            "request_schema"
        };
        return Some(format!("#[schema(schema_with = crate::decimal::{schema})]"));
    }
    let (value_type, format) = field.schema_value_type();
    let mut items = Vec::new();
    let aliased = value_type != field.rust_type;
    if aliased || body == Body::Patch {
        let value_type = if field.optional {
            format!("Option<{value_type}>")
        } else {
            value_type
        };
        items.push(format!("value_type = {value_type}"));
    }
    if let Some(format) = format {
        items.push(format!("format = {format}"));
    }
    // The form of a type that has no format of its own (a time of day).
    if let Some(pattern) = field.scalar.and_then(|scalar| scalar.spec().json.pattern) {
        items.push(format!("pattern = {}", names::rust_string_literal(pattern)));
    }
    if body != Body::Response {
        items.extend(field.schema_rules.iter().map(rule_attr));
    }
    (!items.is_empty()).then(|| attribute("schema", &items, 4))
}

/// `#[name(a, b)]` for a line at column `indent`, or, where that line would pass
/// rustfmt's width (rustfmt leaves an attribute as it is written), one item a line.
fn attribute(name: &str, items: &[String], indent: usize) -> String {
    let line = format!("#[{name}({})]", items.join(", "));
    if indent + line.chars().count() <= crate::layout::MAX_WIDTH {
        return line;
    }
    let pad = " ".repeat(indent);
    let items: String = items
        .iter()
        .map(|item| format!("{pad}    {item},\n"))
        .collect();
    format!("#[{name}(\n{items}{pad})]")
}

fn rule_attr(rule: &SchemaRule) -> String {
    match rule {
        SchemaRule::MinLength(n) => format!("min_length = {n}"),
        SchemaRule::MaxLength(n) => format!("max_length = {n}"),
        SchemaRule::Minimum(n) => format!("minimum = {}", number(n)),
        SchemaRule::Maximum(n) => format!("maximum = {}", number(n)),
        SchemaRule::Pattern(p) => format!("pattern = {}", names::rust_string_literal(p)),
        // utoipa knows `email`; any other format goes as written.
        SchemaRule::Format("email") => "format = Email".to_string(),
        SchemaRule::Format(f) => format!("format = {f:?}"),
    }
}

fn number(n: &Bound) -> String {
    match n {
        // utoipa takes an unsuffixed literal for an `i32`.
        Bound::Int(i) if i32::try_from(*i).is_err() => format!("{i}i64"),
        Bound::Int(i) => i.to_string(),
        Bound::Float(f) => format!("{f:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Scalar;

    #[test]
    fn an_attribute_that_would_pass_the_width_is_written_one_item_a_line() {
        let short = ["min_length = 1".to_string(), "max_length = 9".to_string()];
        assert_eq!(
            attribute("schema", &short, 4),
            "#[schema(min_length = 1, max_length = 9)]"
        );
        let long = [
            "value_type = Option<String>".to_string(),
            "min_length = 11".to_string(),
            "max_length = 117".to_string(),
            "pattern = \"^(foo|bar)-[0-9]+$\"".to_string(),
        ];
        let written = attribute("schema", &long, 4);
        assert_eq!(
            written,
            "#[schema(\n        value_type = Option<String>,\n        min_length = 11,\n        \
             max_length = 117,\n        pattern = \"^(foo|bar)-[0-9]+$\",\n    )]"
        );
        assert!(written.lines().all(|line| line.len() + 4 <= 100));
    }

    #[test]
    fn values_are_written_as_expressions_of_their_type() {
        let cases = [
            (Value::Bool(true), "true"),
            (Value::Int(-3), "-3"),
            (Value::Float(Bound::Int(5)), "5.0"),
            (Value::Float(Bound::Float(0.25)), "0.25"),
            (Value::Decimal("-12.50".into()), "Decimal::new(-1250, 2)"),
            (
                Value::Decimal("123456789012345678901".into()),
                "Decimal::from_i128_with_scale(123456789012345678901, 0)",
            ),
            (
                Value::Text("say \"hi\"".into()),
                r#""say \"hi\"".to_owned()"#,
            ),
            (
                Value::JsonText("x".into()),
                r#"Json::String("x".to_owned())"#,
            ),
            (
                Value::Variant("OrderStatus".into(), "Pending".into()),
                "OrderStatus::Pending",
            ),
            (
                Value::Form(Scalar::Time, "09:05:07".into()),
                "TimeOfDay::from_hms(9, 5, 7)",
            ),
        ];
        for (given, written) in cases {
            assert_eq!(value(&given), written, "{given:?}");
        }
    }

    #[test]
    fn each_check_is_one_call_on_errors() {
        let name = "unit_price";
        let min = Check::Min(Value::Decimal("0.5".into()));
        assert_eq!(
            check(&min, name),
            r#"errors.min("unit_price", value, Decimal::new(5, 1));"#
        );
        let digits = Check::Digits {
            scale: 2,
            whole: None,
        };
        let written = check(&digits, name);
        assert_eq!(written, r#"errors.digits("unit_price", value, 2, None);"#);
        let pattern = check(&Check::Pattern("SKU_REGEX".into()), "sku");
        assert_eq!(pattern, r#"errors.pattern("sku", value, &SKU_REGEX);"#);
        assert_eq!(
            check(&Check::Email, "a\"b"),
            r#"errors.email("a\"b", value);"#
        );
    }
}
