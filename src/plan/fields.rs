//! One field's plan: its Rust, SQL and JSON shapes, its rules as validation calls, and the
//! example values its generated tests send.

use std::collections::HashMap;

use crate::names;
use crate::schema::{
    DefaultValue, Field, FieldType, Format, Number, OnDelete, Resource, Scalar, Schema,
};

use super::auth::WritablePlan;
use super::samples;
use super::tables::{Column, ColumnType};

/// How many distinct values the tests of a unique pattern field may need, for each row of
/// its resource a test's row makes: a list test makes 25 rows, an access test about 20.
const UNIQUE_SAMPLES: usize = 30;
/// The most distinct values one unique pattern field gets.
const MAX_UNIQUE_SAMPLES: usize = 960;

#[derive(Debug, Clone)]
pub struct FieldPlan {
    /// JSON key and column (`price`, `category_id` for a belongs_to `category`).
    pub name: String,
    /// The Rust field (`price`, `r#type`, `category_id`).
    pub ident: String,
    /// snake_case of `name`, for function names (`type`, `category_id`).
    pub snake: String,
    /// The field's rule checker (`check_price`).
    pub check_fn: String,
    /// The function giving its default (`default_stock`).
    pub default_fn: String,
    /// Type in requests and responses, without `Option` (`String`, `Decimal`, `ProductType`).
    pub rust_type: String,
    /// The scalar type of the field (`None` for an enum and a belongs_to).
    pub scalar: Option<Scalar>,
    /// Type in the entity, without `Option` (`DbDecimal` for decimals, `DbDateTime` for
    /// datetimes, else `rust_type`).
    pub entity_type: String,
    /// How a checker receives the value (`&str`, `&i32`).
    pub check_arg_type: String,
    pub optional: bool,
    /// Has a default: may be omitted on create.
    pub has_default: bool,
    pub readonly: bool,
    pub private: bool,
    pub unique: bool,
    /// A plain index (`index = true`).
    pub index: bool,
    /// A decimal's `scale`: every answer shows that many places at least.
    pub scale: Option<u32>,
    /// The `#[sea_orm(...)]` arguments of the entity field: a key, and its value where
    /// it has one (`column_type`, `"Text"`).
    pub entity_attrs: Vec<(&'static str, Option<String>)>,
    /// The field's column in the database.
    pub column: Column,
    /// The default, a value of `rust_type`.
    pub default: Option<Value>,
    /// The default as the JSON a response shows, where it reads back exactly.
    pub default_json: Option<String>,
    /// The rules of the checker, one call each (`errors.max_length("email", value, 254);`).
    pub checks: Vec<Check>,
    /// The pattern's `const` and `static` declarations, formatted as rustfmt would.
    pub pattern: Option<PatternPlan>,
    pub relation: Option<RelationPlan>,
    pub enum_plan: Option<EnumPlan>,
    /// `/// doc` text, one line, if the schema has one.
    pub doc: Option<String>,
    /// What the tests send.
    pub sample: Sample,
    /// A valid value as JSON text, for docs (`"BK-0001"`, `42`).
    pub example: String,
    /// The schema type for docs (`string`, `belongs_to Category`).
    pub type_label: String,
    /// Every rule in words, for docs (`required, unique, at most 120 characters`).
    pub rules_text: String,
    /// Values that break exactly one rule: (rule code, value).
    pub violations: Vec<(String, Broken)>,
    /// email, password or role of the built-in User.
    pub builtin: bool,
    /// The row's owner: the caller, unless a role that may write it names another user.
    pub owner: bool,
    /// Who may set the field, when not every caller the operation admits may
    /// (`writable`; the owner field's is the last role unless the schema names one).
    pub writable: Option<WritablePlan>,
    /// The rules a body's schema states, in the OpenAPI document.
    pub schema_rules: Vec<SchemaRule>,
}

/// One rule of a field's schema: `maxLength`, `pattern`, `format`...
#[derive(Debug, Clone, PartialEq)]
pub enum SchemaRule {
    MinLength(u32),
    MaxLength(u32),
    Minimum(Bound),
    Maximum(Bound),
    Pattern(String),
    Format(&'static str),
}

/// A value generated code writes as a Rust expression: a default, a bound. The render
/// step writes it (`render::value`).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Bool(bool),
    Int(i64),
    /// An `f64` from the number the schema wrote (a whole one is written `5.0`).
    Float(Bound),
    /// A `Decimal` from its text (`-12.50`), every digit kept.
    Decimal(String),
    /// An owned `String`.
    Text(String),
    /// A JSON string (sea-orm's `Json::String`).
    JsonText(String),
    /// A variant of a generated enum: its type and its variant (`OrderStatus`, `Pending`).
    Variant(String, String),
    /// A value of a type written as text (a date), from the text.
    Form(Scalar, String),
}

/// A rule a field's checker applies to the value (`errors.min(..)` in `check_<field>`),
/// in the order it applies them.
#[derive(Debug, Clone, PartialEq)]
pub enum Check {
    MinLength(u32),
    MaxLength(u32),
    /// A bound as a value of the field's type.
    Min(Value),
    Max(Value),
    /// A decimal's places, and the digits it may have before the point.
    Digits {
        scale: u32,
        whole: Option<u32>,
    },
    /// The `static` holding the compiled pattern (`SKU_REGEX`).
    Pattern(String),
    Email,
    Url,
}

/// A `minimum` or `maximum` as the schema wrote it: a whole number or a float.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Bound {
    Int(i64),
    Float(f64),
}

impl From<&Number> for Bound {
    fn from(number: &Number) -> Self {
        match number {
            Number::Int(i) => Bound::Int(*i),
            Number::Float(f) => Bound::Float(*f),
        }
    }
}

impl FieldPlan {
    /// serde would not derive the JSON key from the Rust field (`userId` for `user_id`; a
    /// raw `r#type` serde handles by itself): the field needs `#[serde(rename)]`.
    pub fn renamed(&self) -> bool {
        self.ident.trim_start_matches("r#") != self.name
    }

    /// The snake_case name of the resource a belongs_to field points at (`create_author`).
    pub fn relation_module(&self) -> &str {
        self.relation
            .as_ref()
            .map_or("", |r| names::unraw(&r.target_module))
    }

    /// Type in requests and responses, with `Option` when optional.
    pub fn full_type(&self) -> String {
        optional_type(&self.rust_type, self.optional)
    }

    pub fn full_entity_type(&self) -> String {
        optional_type(&self.entity_type, self.optional)
    }

    /// Left out of a PUT, it keeps its value: a private field (the caller never sees it),
    /// the owner, or a `writable` one (a caller who may not set it can send the rest).
    pub fn kept_when_left_out(&self) -> bool {
        !self.readonly && (self.private || self.writable.is_some())
    }

    /// Its doc in a request body: the schema's `doc`, and who may set it when not every
    /// caller may.
    pub fn body_doc(&self) -> Option<String> {
        let Some(writable) = &self.writable else {
            return self.doc.clone();
        };
        let who = writable.who();
        let rule = if self.owner {
            format!(
                "the owner: the caller when a create leaves it out; only {who} may name another user"
            )
        } else {
            format!("only {who} may set it")
        };
        Some(match &self.doc {
            Some(doc) => format!("{doc}; {rule}."),
            None => {
                let mut rule = rule;
                rule[..1].make_ascii_uppercase();
                format!("{rule}.")
            }
        })
    }

    pub fn is_decimal(&self) -> bool {
        self.scalar == Some(Scalar::Decimal)
    }

    pub fn is_datetime(&self) -> bool {
        self.scalar == Some(Scalar::DateTime)
    }

    /// A client must send it on create.
    pub fn required(&self) -> bool {
        !self.optional && !self.has_default
    }
}

fn optional_type(inner: &str, optional: bool) -> String {
    if optional {
        format!("Option<{inner}>")
    } else {
        inner.to_string()
    }
}

/// A field's pattern: the source as a `const`, compiled once into a `static`.
#[derive(Debug, Clone)]
pub struct PatternPlan {
    /// `SKU_PATTERN`: the source.
    pub constant: String,
    /// `SKU_REGEX`: the compiled pattern.
    pub regex: String,
    /// The pattern as the schema wrote it.
    pub source: String,
}

fn pattern_plan(snake: &str, pattern: &str) -> PatternPlan {
    let upper = snake.to_ascii_uppercase();
    PatternPlan {
        constant: format!("{upper}_PATTERN"),
        regex: format!("{upper}_REGEX"),
        source: pattern.to_string(),
    }
}

#[derive(Debug, Clone)]
pub struct RelationPlan {
    /// The variant of the entity's relation enum (`Category`).
    pub relation_enum: String,
    /// The relation's field in the entity (`category`).
    pub ident: String,
    /// The column (`category_id`).
    pub column: String,
    /// `super::category::Entity`, or `Entity` for a self-reference.
    pub target_entity: String,
    pub self_ref: bool,
    pub target_table: String,
    pub target_module: String,
    /// The parent's routes module (`categories`), whose `readable` rows a child may join.
    pub target_routes: String,
    /// The parent is the built-in User: any user may be named (an assignee, say), so
    /// only that the user exists is checked.
    pub target_is_user: bool,
    /// `SetNull`, `Cascade`, `Restrict`: a `ForeignKeyAction` variant.
    pub on_delete: &'static str,
    /// `products_category_id_fkey`.
    pub constraint: String,
    /// The column's Rust field in the entity (`category_id`).
    pub column_ident: String,
    pub optional: bool,
    /// The parent is soft-deleted: a deleted one takes no new children.
    pub target_soft_delete: bool,
}

impl RelationPlan {
    /// The parent entity as the routes file names it (`category::Entity`).
    pub fn target_entity_in_routes(&self) -> String {
        format!("{}::Entity", self.target_module)
    }

    /// `super::category::Entity`, in an `Option` when the link is optional.
    pub fn target_type(&self) -> String {
        optional_type(&self.target_entity, self.optional)
    }
}

#[derive(Debug, Clone)]
pub struct EnumPlan {
    /// `ProductType`.
    pub type_name: String,
    /// (Rust variant, string value).
    pub variants: Vec<(String, String)>,
    /// The longest value, in characters: the column's size.
    pub column_len: usize,
}

impl EnumPlan {
    /// The variant of the first value.
    pub fn first_variant(&self) -> &str {
        self.variants
            .first()
            .map_or("", |(variant, _)| variant.as_str())
    }

    /// The variant of the last value.
    pub fn last_variant(&self) -> &str {
        self.variants
            .last()
            .map_or("", |(variant, _)| variant.as_str())
    }
}

/// What a generated test sends for a field: one value, or values that differ with `n`, a
/// number no other row of the test uses. `render::sample` writes it as an expression
/// `json!` accepts.
#[derive(Debug, Clone, PartialEq)]
pub enum Sample {
    /// The same string on every row (an enum's value, a decimal's text).
    Str(String),
    Float(f64),
    Bool(bool),
    /// `null`: a many_to_many field, which bodies do not carry.
    Null,
    /// The sample of the field's type, from its row in the kind table (over `n`).
    Kind(&'static str),
    /// `user{n}@example.com`, or an address sized to the lengths (min, max).
    Email(Option<(usize, usize)>),
    /// `https://example.com/{n}`, or a URL sized to the lengths.
    Url(Option<(usize, usize)>),
    /// Text from the field's name, distinct per `n`, sized to the lengths.
    Text {
        name: String,
        min: usize,
        max: usize,
    },
    /// The whole number `low + n % span` (`low` alone where `span` is 1).
    Int {
        low: i128,
        span: i128,
    },
    /// A unique decimal's text: `low + n % span` with `places` zeros after the point.
    Decimal {
        low: i64,
        span: i64,
        places: usize,
    },
    /// Distinct strings matching the field's pattern (index with `n`).
    Choices(Vec<String>),
    /// The id of a parent row the test creates first (its module and table).
    Parent {
        module: String,
    },
}

/// A value a generated test sends to break a rule; `render::broken` writes it.
#[derive(Debug, Clone, PartialEq)]
pub enum Broken {
    /// A string of that many characters (the tests' `chars(n)`).
    Chars(u64),
    Int(i128),
    Float(f64),
    Str(String),
}

impl Sample {
    /// The value differs with `n` (a unique number of the call).
    pub fn uses_n(&self) -> bool {
        match self {
            Sample::Str(_) | Sample::Float(_) | Sample::Bool(_) | Sample::Null => false,
            Sample::Kind(expr) => expr
                .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .any(|token| token == "n"),
            Sample::Email(_) | Sample::Url(_) | Sample::Text { .. } => true,
            Sample::Int { span, .. } => *span != 1,
            Sample::Decimal { .. } => true,
            Sample::Choices(_) | Sample::Parent { .. } => false,
        }
    }

    /// A scalar sample of the valid bodies (not pattern choices, nor a parent's id).
    pub fn is_value(&self) -> bool {
        !matches!(self, Sample::Choices(_) | Sample::Parent { .. })
    }
}

pub fn plan_field(schema: &Schema, resource: &Resource, field: &Field) -> FieldPlan {
    let snake = names::snake_case(&field.name);
    let (name, ident) = match field.ty {
        FieldType::BelongsTo { .. } => {
            let column = format!("{}_id", field.name);
            (column, format!("{}_id", names::stem(&snake)))
        }
        _ => (field.name.clone(), names::rust_ident(&field.name)),
    };
    let enum_plan = enum_plan(resource, field);
    let rust_type = rust_type(field, enum_plan.as_ref());
    let entity_type = match field.ty.scalar().and_then(|s| s.spec().entity_type) {
        Some(entity_type) => entity_type.to_string(),
        None => rust_type.clone(),
    };
    let is_text = matches!(
        field.ty,
        FieldType::Scalar(Scalar::String) | FieldType::Scalar(Scalar::Text)
    );
    let pattern = field.pattern.as_ref().map(|p| pattern_plan(&snake, p));
    let relation = relation_plan(schema, resource, field, &snake, &name);
    let mut plan = FieldPlan {
        check_fn: format!("check_{snake}"),
        default_fn: format!("default_{snake}"),
        check_arg_type: if is_text {
            "&str".to_string()
        } else {
            format!("&{rust_type}")
        },
        optional: field.optional,
        has_default: field.default.is_some(),
        readonly: field.readonly,
        private: field.private,
        unique: field.unique,
        index: field.index,
        scale: field.digits.map(|d| d.scale),
        entity_attrs: entity_attrs(field, &name, &ident),
        column: Column::of_field(
            field,
            enum_plan.as_ref().map(|e| e.column_len),
            relation.as_ref().map_or("", |r| r.target_table.as_str()),
        )
        // many_to_many fields have no column, and are never planned as fields.
        .unwrap_or_else(|| Column::new(&name, ColumnType::BIG_INTEGER)),
        default: field
            .default
            .as_ref()
            .map(|d| default_value(field, d, enum_plan.as_ref())),
        default_json: field.default.as_ref().and_then(|d| default_json(field, d)),
        checks: Vec::new(),
        doc: field.doc.as_ref().map(|d| d.replace(['\n', '\r'], " ")),
        sample: sample(schema, resource, field),
        example: example(field),
        type_label: type_label(field),
        rules_text: rules_text(field),
        violations: Vec::new(),
        builtin: false,
        owner: false,
        writable: schema
            .auth
            .as_ref()
            .zip(field.writable.as_deref())
            .map(|(auth, role)| WritablePlan::new(auth, role)),
        schema_rules: Vec::new(),
        relation,
        enum_plan,
        pattern,
        rust_type,
        scalar: field.ty.scalar(),
        entity_type,
        snake: names::stem(&names::snake_case(&name)).to_string(),
        name,
        ident,
    };
    plan.checks = checks(field, &plan);
    plan.violations = violations(field);
    plan.schema_rules = schema_rules(field);
    plan
}

/// The rules of `field` an OpenAPI schema states (a decimal's bounds do not fit its
/// string schema: its checks still apply).
fn schema_rules(field: &Field) -> Vec<SchemaRule> {
    let mut rules = Vec::new();
    if let Some(min) = field.min_length {
        rules.push(SchemaRule::MinLength(min));
    }
    let max_length = match field.ty {
        FieldType::Scalar(Scalar::String) => Some(field.max_length.unwrap_or(255)),
        _ => field.max_length,
    };
    if let Some(max) = max_length {
        rules.push(SchemaRule::MaxLength(max));
    }
    let numeric = matches!(
        field.ty,
        FieldType::Scalar(Scalar::Int)
            | FieldType::Scalar(Scalar::BigInt)
            | FieldType::Scalar(Scalar::Float)
    );
    if let (true, Some(min)) = (numeric, &field.min) {
        rules.push(SchemaRule::Minimum(min.into()));
    }
    if let (true, Some(max)) = (numeric, &field.max) {
        rules.push(SchemaRule::Maximum(max.into()));
    }
    if let Some(pattern) = &field.pattern {
        rules.push(SchemaRule::Pattern(pattern.clone()));
    }
    match field.format {
        Some(Format::Email) => rules.push(SchemaRule::Format("email")),
        Some(Format::Url) => rules.push(SchemaRule::Format("uri")),
        None => {}
    }
    rules
}

fn rust_type(field: &Field, enum_plan: Option<&EnumPlan>) -> String {
    match &field.ty {
        FieldType::Scalar(scalar) => scalar.spec().rust_type.to_string(),
        FieldType::BelongsTo { .. } | FieldType::ManyToMany { .. } => "i64".to_string(),
        FieldType::Enum(_) => enum_plan.map(|e| e.type_name.clone()).unwrap_or_default(),
    }
}

fn enum_plan(resource: &Resource, field: &Field) -> Option<EnumPlan> {
    let FieldType::Enum(values) = &field.ty else {
        return None;
    };
    Some(EnumPlan {
        type_name: names::enum_type(&resource.name, &field.name),
        variants: values
            .iter()
            .map(|v| (names::pascal_case(v), v.clone()))
            .collect(),
        column_len: values
            .iter()
            .map(|v| v.chars().count())
            .max()
            .unwrap_or(1)
            .max(32),
    })
}

fn entity_attrs(field: &Field, name: &str, ident: &str) -> Vec<(&'static str, Option<String>)> {
    let mut attrs = Vec::new();
    // sea-orm names a column after its field through heck's snake_case, which drops a
    // trailing `_` (`where_` would be queried as `where`): name it whenever that differs.
    if heck::ToSnakeCase::to_snake_case(ident.trim_start_matches("r#")) != name {
        attrs.push(("column_name", Some(name.to_string())));
    }
    // The unique index is the migration's: the attribute only gives the entity
    // `find_by_<field>` helpers, and for a raw identifier (`r#ref`) sea-orm 2.0's
    // `#[sea_orm::model]` names its column `RRef`, which does not exist.
    if field.unique && !ident.starts_with("r#") {
        attrs.push(("unique", None));
    }
    if let Some(column) = field.ty.scalar().and_then(|s| s.spec().entity_column) {
        attrs.push(("column_type", Some(column.to_string())));
    }
    attrs
}

fn default_value(field: &Field, default: &DefaultValue, enum_plan: Option<&EnumPlan>) -> Value {
    match (&field.ty, default) {
        (FieldType::Enum(_), DefaultValue::Text(t)) => {
            let type_name = enum_plan.map(|e| e.type_name.clone()).unwrap_or_default();
            Value::Variant(type_name, names::pascal_case(t))
        }
        (FieldType::Scalar(Scalar::Decimal), DefaultValue::Text(t)) => Value::Decimal(t.clone()),
        (FieldType::Scalar(Scalar::Decimal), DefaultValue::Int(i)) => Value::Decimal(i.to_string()),
        (FieldType::Scalar(Scalar::Decimal), DefaultValue::Float(f)) => {
            Value::Decimal(f.to_string())
        }
        (FieldType::Scalar(Scalar::Float), DefaultValue::Int(i)) => Value::Float(Bound::Int(*i)),
        (_, DefaultValue::Float(f)) => Value::Float(Bound::Float(*f)),
        (FieldType::Scalar(Scalar::Json), DefaultValue::Text(t)) => Value::JsonText(t.clone()),
        (FieldType::Scalar(scalar), DefaultValue::Text(t)) if scalar.text_form().is_some() => {
            Value::Form(*scalar, t.clone())
        }
        (_, DefaultValue::Bool(b)) => Value::Bool(*b),
        (_, DefaultValue::Int(i)) => Value::Int(*i),
        (_, DefaultValue::Text(t)) => Value::Text(t.clone()),
    }
}

/// The `Relation` variant of a belongs_to field: its PascalCase name, but `SelfParent`
/// for `self_` (sea-orm would make `Self` of `Self_` too).
fn relation_enum(snake: &str) -> String {
    match names::pascal_case(snake) {
        variant if variant == "Self" => "SelfParent".to_string(),
        variant => variant,
    }
}

fn relation_plan(
    schema: &Schema,
    resource: &Resource,
    field: &Field,
    snake: &str,
    column: &str,
) -> Option<RelationPlan> {
    let FieldType::BelongsTo {
        resource: target,
        on_delete,
    } = &field.ty
    else {
        return None;
    };
    let self_ref = target == &resource.name;
    let target_module = names::rust_ident(target);
    let target_resource = schema.resources.iter().find(|r| &r.name == target);
    let target_table = target_resource.map_or_else(
        || names::plural(&names::snake_case(target)),
        |r| r.plural.clone(),
    );
    let target_is_user = schema.auth.is_some() && target == super::auth::USER;
    Some(RelationPlan {
        target_routes: names::rust_ident(&target_table),
        target_is_user,
        relation_enum: relation_enum(snake),
        // `self_` cannot be `r#self`, nor stay `self_` (sea-orm derives `set_self__option`).
        ident: match names::stem(snake) {
            stem @ ("self" | "super" | "crate") => format!("{stem}_parent"),
            stem => names::rust_ident(stem),
        },
        column: column.to_string(),
        target_entity: if self_ref {
            "Entity".to_string()
        } else {
            format!("super::{target_module}::Entity")
        },
        self_ref,
        target_table,
        target_module,
        on_delete: match on_delete {
            OnDelete::Cascade => "Cascade",
            OnDelete::Restrict => "Restrict",
            OnDelete::SetNull => "SetNull",
        },
        constraint: names::sql_name(format!("{}_{column}_fkey", resource.plural)),
        column_ident: format!("{}_id", names::stem(snake)),
        optional: field.optional,
        target_soft_delete: target_resource.is_some_and(|r| r.soft_delete),
    })
}

/// A number bound as a value of the field's type.
fn bound(field: &Field, number: &Number) -> Value {
    match (&field.ty, number) {
        (FieldType::Scalar(Scalar::Decimal), Number::Int(i)) => Value::Decimal(i.to_string()),
        (FieldType::Scalar(Scalar::Decimal), Number::Float(f)) => Value::Decimal(f.to_string()),
        (FieldType::Scalar(Scalar::Float), number) => Value::Float(Bound::from(number)),
        (_, Number::Int(i)) => Value::Int(*i),
        (_, Number::Float(f)) => Value::Int(f.trunc() as i64),
    }
}

fn checks(field: &Field, plan: &FieldPlan) -> Vec<Check> {
    let mut checks = Vec::new();
    if let Some(min) = field.min_length {
        checks.push(Check::MinLength(min));
    }
    let max_length = match field.ty {
        FieldType::Scalar(Scalar::String) => Some(field.max_length.unwrap_or(255)),
        _ => field.max_length,
    };
    if let Some(max) = max_length {
        checks.push(Check::MaxLength(max));
    }
    if let Some(min) = &field.min {
        checks.push(Check::Min(bound(field, min)));
    }
    if let Some(max) = &field.max {
        checks.push(Check::Max(bound(field, max)));
    }
    if let Some(digits) = field.digits {
        checks.push(Check::Digits {
            scale: digits.scale,
            whole: digits.whole(),
        });
    }
    if let Some(pattern) = &plan.pattern {
        checks.push(Check::Pattern(pattern.regex.clone()));
    }
    match field.format {
        Some(Format::Email) => checks.push(Check::Email),
        Some(Format::Url) => checks.push(Check::Url),
        None => {}
    }
    checks
}

/// The most rows of `resource` that one row of any resource makes in the tests: a test
/// body creates a parent for each required belongs_to (the owner aside), and so on up.
/// (Two required belongs_to of a child to this resource, say, make two of its rows.)
fn rows_per_row(schema: &Schema, resource: &Resource) -> usize {
    /// The paths from `from` up to `to` along required belongs_to, each resource counted
    /// once (`known`); a cycle counts nothing more.
    fn paths<'a>(
        schema: &'a Schema,
        from: &'a Resource,
        to: &str,
        known: &mut HashMap<&'a str, usize>,
    ) -> usize {
        if let Some(count) = known.get(from.name.as_str()) {
            return *count;
        }
        known.insert(&from.name, 0);
        let mut count = usize::from(from.name == to);
        for f in &from.fields {
            let FieldType::BelongsTo { resource, .. } = &f.ty else {
                continue;
            };
            if f.optional || from.owner.as_deref() == Some(f.name.as_str()) {
                continue;
            }
            if let Some(parent) = schema.resources.iter().find(|r| &r.name == resource) {
                count = count.saturating_add(paths(schema, parent, to, known));
            }
        }
        known.insert(&from.name, count);
        count
    }
    let mut known = HashMap::new();
    let most = schema
        .resources
        .iter()
        .map(|from| paths(schema, from, &resource.name, &mut known));
    most.max().unwrap_or(1).max(1)
}

/// The test value of a field: valid, and distinct per `n` where the field is unique.
fn sample(schema: &Schema, resource: &Resource, field: &Field) -> Sample {
    let min_len = field.min_length.unwrap_or(0) as usize;
    let max_len = field.max_length.map_or(255, |m| m as usize);
    match &field.ty {
        FieldType::Scalar(Scalar::String) | FieldType::Scalar(Scalar::Text) => {
            if let Some(pattern) = &field.pattern {
                let count = if field.unique {
                    (UNIQUE_SAMPLES * rows_per_row(schema, resource)).min(MAX_UNIQUE_SAMPLES)
                } else {
                    1
                };
                return Sample::Choices(samples::pattern_samples(pattern, count, min_len, max_len));
            }
            // The usual address is 17 to 24 characters: other lengths get one sized to fit.
            let fits = |shortest: usize, longest: usize| min_len <= shortest && longest <= max_len;
            let sized = Some((min_len, max_len));
            match field.format {
                Some(Format::Email) => Sample::Email(sized.filter(|_| !fits(17, 24))),
                Some(Format::Url) => Sample::Url(sized.filter(|_| !fits(21, 28))),
                None => Sample::Text {
                    name: field.name.clone(),
                    min: min_len,
                    max: max_len,
                },
            }
        }
        FieldType::Scalar(Scalar::Int) | FieldType::Scalar(Scalar::BigInt) => {
            // Distinct values where the bounds leave room, without leaving them.
            let (low, high) = int_range(field);
            Sample::Int {
                low,
                span: high - low + 1,
            }
        }
        FieldType::Scalar(Scalar::Float) => Sample::Float(float_sample(field)),
        FieldType::Scalar(Scalar::Decimal) if field.unique => unique_decimal_sample(field),
        FieldType::Scalar(Scalar::Decimal) => Sample::Str(decimal_sample(field)),
        FieldType::Scalar(Scalar::Bool) => Sample::Bool(match &field.default {
            Some(DefaultValue::Bool(b)) => !b,
            _ => true,
        }),
        FieldType::Scalar(scalar) => Sample::Kind(scalar.spec().sample),
        FieldType::Enum(values) => {
            // The last value: differs from a default, which is usually the first.
            Sample::Str(values.last().cloned().unwrap_or_default())
        }
        FieldType::BelongsTo { resource, .. } => Sample::Parent {
            module: names::snake_case(resource),
        },
        FieldType::ManyToMany { .. } => Sample::Null,
    }
}

/// The whole numbers an int or bigint field accepts: its bounds within its type's, and
/// without a lower bound, from 1 (or 1000 below the upper bound, where that is lower).
fn int_range(field: &Field) -> (i128, i128) {
    let (type_min, type_max) = int_type_range(field);
    let high = number_high(field)
        .map_or(type_max, i128::from)
        .min(type_max);
    let low = match number_low(field) {
        Some(low) => i128::from(low).max(type_min),
        None if high >= 1000 => 1,
        None => (high - 1000).max(type_min),
    };
    (low, high)
}

fn int_type_range(field: &Field) -> (i128, i128) {
    match field.ty {
        FieldType::Scalar(Scalar::Int) => (i128::from(i32::MIN), i128::from(i32::MAX)),
        _ => (i128::from(i64::MIN), i128::from(i64::MAX)),
    }
}

/// Whether `value` is within the field's `min` and `max`.
fn within_bounds(field: &Field, value: f64) -> bool {
    field.min.as_ref().is_none_or(|min| value >= min.as_f64())
        && field.max.as_ref().is_none_or(|max| value <= max.as_f64())
}

/// A bound as text: `0`, `0.01`, `-1.5` (never an exponent).
fn bound_text(number: &Number) -> String {
    match number {
        Number::Int(i) => i.to_string(),
        Number::Float(f) => f.to_string(),
    }
}

/// A float the field accepts: its lowest whole number and a half (`1.5`, `-999.5` above a
/// minimum of -1000) where the bounds allow it, else a bound itself (they are inclusive).
fn float_sample(field: &Field) -> f64 {
    let low = number_low(field).unwrap_or(1);
    let usual = low as f64 + 0.5;
    if within_bounds(field, usual) {
        return usual;
    }
    let bound = field.min.as_ref().or(field.max.as_ref());
    bound.map_or(1.5, Number::as_f64)
}

/// A decimal the field accepts, as its text: `<low>.25` or `<low>` where the bounds allow
/// it, else a bound itself.
fn decimal_sample(field: &Field) -> String {
    // With `precision` equal to `scale`, every value is below 1.
    let one = field
        .digits
        .and_then(|d| d.whole())
        .map_or(1, |w| i64::from(w > 0));
    let low = number_low(field).unwrap_or(one);
    // With a `scale`, its places exactly (as answered), ending in a zero where it has
    // any: the tests send it without, and see the zero filled in.
    let fraction = match field.digits.map(|d| d.scale as usize) {
        Some(0) => String::new(),
        Some(1) => ".0".to_string(),
        Some(scale) => format!(".5{}", "0".repeat(scale - 1)),
        None => ".25".to_string(),
    };
    let usual = match number_high(field) {
        Some(high) if high <= low && field.digits.is_none() => format!("{low}"),
        _ => format!("{low}{fraction}"),
    };
    if usual.parse::<f64>().is_ok_and(|v| within_bounds(field, v)) {
        return usual;
    }
    let bound = field.min.as_ref().or(field.max.as_ref());
    let text = bound.map_or(usual, bound_text);
    match field.digits {
        Some(digits) => with_places(&text, digits.scale as usize),
        None => text,
    }
}

/// A unique decimal: a whole number per row where the bounds and digits leave room (with
/// the field's places, all zeros), as text.
fn unique_decimal_sample(field: &Field) -> Sample {
    let whole_limit = field
        .digits
        .and_then(|d| d.whole())
        .map_or(i64::MAX, |w| 10_i64.saturating_pow(w).saturating_sub(1));
    let low = number_low(field).unwrap_or(1).max(-whole_limit);
    let high = number_high(field)
        .unwrap_or(i64::MAX)
        .min(whole_limit)
        .min(low.saturating_add(1_000_000_000));
    if high <= low {
        return Sample::Str(decimal_sample(field));
    }
    Sample::Decimal {
        low,
        span: high - low + 1,
        places: field.digits.map_or(0, |d| d.scale as usize),
    }
}

/// A decimal's text with `places` digits after the point, as a field with that `scale`
/// answers it (the checker has made sure a bound or default has no more but zeros): `5`
/// with 2 is `5.00`, `0.5` is `0.50`, `2.500` with 1 is `2.5`.
fn with_places(text: &str, places: usize) -> String {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let fraction = fraction.trim_end_matches('0');
    if places == 0 {
        return whole.to_string();
    }
    format!("{whole}.{fraction:0<places$}")
}

/// The smallest whole number the field accepts (rounded up), if bounded below.
fn number_low(field: &Field) -> Option<i64> {
    field.min.as_ref().map(|n| match n {
        Number::Int(i) => *i,
        Number::Float(f) => f.ceil() as i64,
    })
}

fn number_high(field: &Field) -> Option<i64> {
    field.max.as_ref().map(|n| match n {
        Number::Int(i) => *i,
        Number::Float(f) => f.floor() as i64,
    })
}

/// Values that break one rule each.
fn violations(field: &Field) -> Vec<(String, Broken)> {
    let mut out = Vec::new();
    let mut push = |code: &str, value: Broken| out.push((code.to_string(), value));
    if let Some(min) = field.min_length.filter(|m| *m > 0) {
        push("min_length", Broken::Chars(u64::from(min - 1)));
    }
    let max_length = match field.ty {
        FieldType::Scalar(Scalar::String) => Some(field.max_length.unwrap_or(255)),
        _ => field.max_length,
    };
    if let Some(max) = max_length {
        push("max_length", Broken::Chars(u64::from(max) + 1));
    }
    let decimal = matches!(field.ty, FieldType::Scalar(Scalar::Decimal));
    let float = matches!(field.ty, FieldType::Scalar(Scalar::Float));
    // A bound at the edge of its type has no value beyond it of that type: sending one
    // breaks the type (`invalid`), not the bound.
    let int = matches!(
        field.ty,
        FieldType::Scalar(Scalar::Int) | FieldType::Scalar(Scalar::BigInt)
    );
    let (type_min, type_max) = int_type_range(field);
    let beyond =
        |n: &Number, edge: i128| int && matches!(n, Number::Int(i) if i128::from(*i) == edge);
    if let Some(min) = field.min.as_ref().filter(|min| !beyond(min, type_min))
        && let Some(value) = below(min, decimal, float)
    {
        push("min", value);
    }
    if let Some(max) = field.max.as_ref().filter(|max| !beyond(max, type_max))
        && let Some(value) = above(max, decimal, float)
    {
        push("max", value);
    }
    if let Some(digits) = field.digits {
        // One place more than the field keeps, and as many digits before the point as
        // `precision` allows plus one: each only where the bounds take it.
        let sample = decimal_sample(field);
        let places = sample.split_once('.').map_or(0, |(_, f)| f.len());
        let padding = "0".repeat((digits.scale as usize).saturating_sub(places));
        let point = if places == 0 { "." } else { "" };
        let finer = format!("{sample}{point}{padding}1");
        if finer.parse::<f64>().is_ok_and(|v| within_bounds(field, v)) {
            push("scale", Broken::Str(finer));
        }
        if let Some(whole) = digits.whole() {
            let wider = format!("1{}", "0".repeat(whole as usize));
            if wider.parse::<f64>().is_ok_and(|v| within_bounds(field, v)) {
                push("precision", Broken::Str(wider));
            }
        }
    }
    if let Some(pattern) = &field.pattern
        && let Some(bad) = samples::pattern_violation(pattern)
    {
        push("pattern", Broken::Str(bad));
    }
    match field.format {
        Some(Format::Email) => push("email", Broken::Str("not-an-email".to_string())),
        Some(Format::Url) => push("url", Broken::Str("not a url".to_string())),
        None => {}
    }
    if let FieldType::Enum(_) = field.ty {
        push("invalid", Broken::Str("not_a_value".to_string()));
    }
    out
}

fn below(number: &Number, decimal: bool, float: bool) -> Option<Broken> {
    if float {
        return float_beyond(number, -0.5, f64::next_down);
    }
    Some(match number {
        Number::Int(i) if decimal => Broken::Str(i.saturating_sub(1).to_string()),
        Number::Int(i) => Broken::Int(i128::from(*i) - 1),
        Number::Float(f) if decimal => Broken::Str(format!("{:?}", f - 0.5)),
        Number::Float(f) => Broken::Float(f - 0.5),
    })
}

fn above(number: &Number, decimal: bool, float: bool) -> Option<Broken> {
    if float {
        return float_beyond(number, 0.5, f64::next_up);
    }
    Some(match number {
        Number::Int(i) if decimal => Broken::Str(i.saturating_add(1).to_string()),
        Number::Int(i) => Broken::Int(i128::from(*i) + 1),
        Number::Float(f) if decimal => Broken::Str(format!("{:?}", f + 0.5)),
        Number::Float(f) => Broken::Float(f + 0.5),
    })
}

/// A float past a bound: half a unit past it where that is a different `f64` (the
/// readable choice), else the next `f64` (a bound beyond 2^53 in size), and none past the
/// largest finite `f64`, which JSON cannot carry.
fn float_beyond(number: &Number, half: f64, next: fn(f64) -> f64) -> Option<Broken> {
    let bound = number.as_f64();
    let readable = bound + half;
    let value = if readable != bound {
        readable
    } else {
        next(bound)
    };
    value.is_finite().then_some(Broken::Float(value))
}

/// A valid value of the field as JSON text, for documentation.
fn example(field: &Field) -> String {
    let min_len = field.min_length.unwrap_or(0) as usize;
    let max_len = field.max_length.map_or(255, |m| m as usize);
    let quoted = |s: &str| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""));
    match &field.ty {
        FieldType::Scalar(Scalar::String) | FieldType::Scalar(Scalar::Text) => {
            if let Some(pattern) = &field.pattern {
                let found = samples::pattern_samples(pattern, 1, min_len, max_len);
                return quoted(found.first().map(String::as_str).unwrap_or_default());
            }
            // The usual address where it fits the lengths, else one sized to them.
            let length = |usual: &str| usual.len().clamp(min_len, max_len.max(min_len));
            match field.format {
                Some(Format::Email) => match length("ada@example.com") {
                    15 => quoted("ada@example.com"),
                    n => quoted(&format!("{}@x.io", "a".repeat(n.saturating_sub(5).max(1)))),
                },
                Some(Format::Url) => match length("https://example.com") {
                    19 => quoted("https://example.com"),
                    n if n <= 12 => quoted("https://x.io"),
                    n => quoted(&format!("https://x.io/{}", "p".repeat(n - 13))),
                },
                None => {
                    let mut text = String::from("Example");
                    while text.chars().count() < min_len {
                        text.push('x');
                    }
                    quoted(&text.chars().take(max_len.max(1)).collect::<String>())
                }
            }
        }
        FieldType::Scalar(Scalar::Int) | FieldType::Scalar(Scalar::BigInt) => {
            int_range(field).0.to_string()
        }
        FieldType::Scalar(Scalar::Float) => format!("{:?}", float_sample(field)),
        FieldType::Scalar(Scalar::Decimal) => quoted(&decimal_sample(field)),
        FieldType::Scalar(scalar) => scalar.spec().example.to_string(),
        FieldType::Enum(values) => quoted(values.first().map(String::as_str).unwrap_or_default()),
        FieldType::BelongsTo { .. } | FieldType::ManyToMany { .. } => "1".to_string(),
    }
}

fn type_label(field: &Field) -> String {
    match &field.ty {
        FieldType::Enum(values) => format!("enum: {}", values.join(", ")),
        FieldType::BelongsTo { resource, .. } => format!("id of a {resource}"),
        FieldType::ManyToMany { resource } => format!("ids of {resource}"),
        other => other.keyword().to_string(),
    }
}

fn rules_text(field: &Field) -> String {
    let mut rules: Vec<String> = Vec::new();
    if field.readonly {
        rules.push("read-only (set by the server or a hook)".to_string());
    } else if field.required() {
        rules.push("required".to_string());
    } else if field.optional {
        rules.push("optional".to_string());
    }
    if let Some(default) = &field.default {
        let text = match default {
            DefaultValue::Bool(b) => b.to_string(),
            DefaultValue::Int(i) => i.to_string(),
            DefaultValue::Float(f) => f.to_string(),
            DefaultValue::Text(t) => format!("`{t}`"),
        };
        rules.push(format!("default {text}"));
    }
    if field.unique {
        rules.push("unique".to_string());
    }
    if field.private {
        rules.push("never returned".to_string());
    }
    let number = |n: &Number| match n {
        Number::Int(i) => i.to_string(),
        Number::Float(f) => f.to_string(),
    };
    if let Some(min) = &field.min {
        rules.push(format!("at least {}", number(min)));
    }
    if let Some(max) = &field.max {
        rules.push(format!("at most {}", number(max)));
    }
    if let Some(digits) = field.digits {
        let places = if digits.scale == 1 { "place" } else { "places" };
        rules.push(format!("{} decimal {places}", digits.scale));
        match digits.whole() {
            Some(0) => rules.push("less than 1 in size".to_string()),
            Some(whole) => {
                let digit = if whole == 1 { "digit" } else { "digits" };
                rules.push(format!("at most {whole} {digit} before the point"));
            }
            None => {}
        }
    }
    let characters = |n: u32| if n == 1 { "character" } else { "characters" };
    if let Some(min) = field.min_length {
        rules.push(format!("at least {min} {}", characters(min)));
    }
    match (field.max_length, &field.ty) {
        (Some(max), _) => rules.push(format!("at most {max} {}", characters(max))),
        (None, FieldType::Scalar(Scalar::String)) => {
            rules.push("at most 255 characters".to_string())
        }
        _ => {}
    }
    if let Some(pattern) = &field.pattern {
        rules.push(format!("matches `{}`", pattern.replace('|', "\\|")));
    }
    match field.format {
        Some(Format::Email) => rules.push("an email address".to_string()),
        Some(Format::Url) => rules.push("an http(s) URL".to_string()),
        None => {}
    }
    if let FieldType::BelongsTo { on_delete, .. } = &field.ty {
        rules.push(
            match on_delete {
                OnDelete::Cascade => "deleted with its parent",
                OnDelete::Restrict => "its parent cannot be deleted while referenced",
                OnDelete::SetNull => "cleared when its parent is deleted",
            }
            .to_string(),
        );
    }
    if let Some(doc) = &field.doc {
        rules.push(doc.replace('|', "\\|"));
    }
    rules.join(", ")
}

/// The JSON a response shows for a default, for the types where it is exact.
fn default_json(field: &Field, default: &DefaultValue) -> Option<String> {
    let quoted = |t: &str| names::rust_string_literal(t);
    match (&field.ty, default) {
        (_, DefaultValue::Bool(b)) => Some(b.to_string()),
        (
            FieldType::Scalar(Scalar::Int) | FieldType::Scalar(Scalar::BigInt),
            DefaultValue::Int(i),
        ) => Some(names::int_literal(i128::from(*i))),
        (FieldType::Scalar(Scalar::Float), DefaultValue::Int(i)) => Some(format!("{i}.0")),
        (FieldType::Scalar(Scalar::Float), DefaultValue::Float(f)) => Some(format!("{f:?}")),
        // A `scale` shows its places: `0.5` is answered `0.500` with `scale = 3`.
        (FieldType::Scalar(Scalar::Decimal), DefaultValue::Text(t)) => Some(quoted(
            &field
                .digits
                .map_or_else(|| t.clone(), |d| with_places(t, d.scale as usize)),
        )),
        (FieldType::Scalar(Scalar::Decimal), DefaultValue::Int(i)) => {
            Some(quoted(&field.digits.map_or_else(
                || i.to_string(),
                |d| with_places(&i.to_string(), d.scale as usize),
            )))
        }
        (
            FieldType::Scalar(Scalar::String)
            | FieldType::Scalar(Scalar::Text)
            | FieldType::Enum(_),
            DefaultValue::Text(t),
        ) => Some(quoted(t)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_unique_pattern_field_gets_values_for_every_path_that_makes_its_rows() {
        let source = r#"
[api]
name = "shelf"

[resources.Book.fields]
code = { type = "string", unique = true, pattern = "^[a-z]+$" }

[resources.Loan.fields]
lent = { type = "belongs_to", resource = "Book" }
returned = { type = "belongs_to", resource = "Book" }
spare = { type = "belongs_to", resource = "Book", optional = true }

[resources.Reminder.fields]
loan = { type = "belongs_to", resource = "Loan" }
"#;
        let schema = crate::schema::parse("apigen.toml", source).expect("a valid schema");
        let count = |name: &str| {
            let resource = schema.resources.iter().find(|r| r.name == name);
            resource.map(|r| rows_per_row(&schema, r))
        };
        // A reminder's body makes a loan, whose body makes two books (the optional
        // parent is left out of test bodies).
        assert_eq!(count("Book"), Some(2));
        assert_eq!(count("Loan"), Some(1));
        let book = schema.resources.iter().find(|r| r.name == "Book");
        let code = book.and_then(|b| b.fields.iter().find(|f| f.name == "code"));
        let samples = match (book, code) {
            (Some(book), Some(code)) => sample(&schema, book, code),
            _ => Sample::Null,
        };
        let Sample::Choices(values) = samples else {
            panic!("a unique pattern field samples choices");
        };
        assert_eq!(values.len(), 2 * UNIQUE_SAMPLES);
        let distinct: std::collections::HashSet<&String> = values.iter().collect();
        assert_eq!(distinct.len(), values.len());
    }

    #[test]
    fn a_float_bound_is_broken_by_a_different_f64_or_not_at_all() {
        let source = r#"
[api]
name = "lab"

[resources.Reading.fields]
small = { type = "float", min = 0, max = 5 }
huge = { type = "float", min = -1e300, max = 1e300 }
edge = { type = "float", min = -1.7976931348623157e308, max = 1.7976931348623157e308 }
"#;
        let schema = crate::schema::parse("apigen.toml", source).expect("a valid schema");
        let fields = &schema.resources[0].fields;
        let broken = |name: &str| {
            let field = fields.iter().find(|f| f.name == name).expect("the field");
            violations(field)
        };
        let parse = |found: &[(String, Broken)], code: &str| {
            let value = found.iter().find(|(c, _)| c == code).map(|(_, v)| v);
            value.map(|v| match v {
                Broken::Float(f) => *f,
                other => panic!("a float: {other:?}"),
            })
        };
        let small = broken("small");
        assert_eq!(parse(&small, "min"), Some(-0.5));
        assert_eq!(parse(&small, "max"), Some(5.5));
        // Half a unit is lost at 1e300: the next f64 past the bound breaks it.
        let huge = broken("huge");
        assert!(parse(&huge, "min").is_some_and(|v| v < -1e300));
        assert!(parse(&huge, "max").is_some_and(|v| v > 1e300));
        // Nothing JSON carries lies past the largest f64.
        assert_eq!(broken("edge"), Vec::new());
    }
}
