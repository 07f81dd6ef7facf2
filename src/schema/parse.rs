//! TOML text -> spanned document.
//!
//! This step knows the shape of `apigen.toml`: which tables and keys exist and what kind
//! of TOML value each one holds. It reports syntax errors, unknown keys, values of the
//! wrong kind and missing required keys, and keeps going to find as many as it can.
//! What the values mean is the checker's job.

use std::sync::LazyLock;

use toml_edit::{Document, Item, TableLike, Value};

use super::diagnostic::Diagnostic;
use super::kind::Scalar;
use super::raw::{
    KeyUse, RawAccess, RawApi, RawAuth, RawField, RawNumber, RawResource, RawSchema, RawValue,
    Span, Spanned,
};
use super::suggest;

/// Keys of `[api]`.
pub const API_KEYS: &[&str] = &[
    "name",
    "database",
    "base_path",
    "license",
    "swagger_ui",
    "brotli",
];
/// Keys of `[auth]`.
pub const AUTH_KEYS: &[&str] = &[
    "roles",
    "token_ttl_minutes",
    "refresh_ttl_days",
    "registration",
];
/// Keys of `[resources.<Name>]`.
pub const RESOURCE_KEYS: &[&str] = &[
    "plural",
    "timestamps",
    "soft_delete",
    "owner",
    "access",
    "fields",
    "renamed_from",
    "cache",
];
/// Keys of a field table.
pub const FIELD_KEYS: &[&str] = &[
    "type",
    "optional",
    "unique",
    "index",
    "default",
    "min",
    "max",
    "min_length",
    "max_length",
    "precision",
    "scale",
    "pattern",
    "format",
    "values",
    "resource",
    "on_delete",
    "readonly",
    "private",
    "writable",
    "doc",
    "renamed_from",
];
/// Keys of an `access` table.
pub const ACCESS_KEYS: &[&str] = &["list", "get", "create", "update", "delete", "read", "write"];
/// Every field type, in the order help texts list them: the scalar types, then the rest.
pub static FIELD_TYPES: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    let scalars = Scalar::ALL.into_iter().map(Scalar::keyword);
    scalars
        .chain(["enum", "belongs_to", "many_to_many"])
        .collect()
});

/// Parses the TOML text into the spanned document.
///
/// A TOML syntax error stops everything (`Err`); otherwise the document comes back with
/// the shape problems found on the way (possibly none).
pub fn parse_document(source: &str) -> Result<(RawSchema, Vec<Diagnostic>), Diagnostic> {
    let document = Document::parse(source).map_err(|error| syntax_error(source, &error))?;
    let mut parser = Parser::default();
    let raw = parser.root(&document);
    Ok((raw, parser.diags))
}

/// Turns toml_edit's error into a diagnostic: its description as the message, what it
/// expected as the help.
fn syntax_error(source: &str, error: &toml_edit::TomlError) -> Diagnostic {
    let span = error.span().unwrap_or(0..0);
    let text = error.message();
    let (description, expected) = match text.split_once(", expected ") {
        Some((description, expected)) => (description, Some(expected)),
        None => (text, None),
    };
    if description == "duplicate key" {
        let key = source.get(span.clone()).unwrap_or("").trim();
        return Diagnostic::new(format!("TOML syntax error: duplicate key `{key}`"), span)
            .with_label("defined a second time here")
            .with_help(
                "a key or table may appear only once in its table: \
                 merge the two definitions or rename one",
            );
    }
    let help = match expected {
        Some("`,`") if description.contains("missing comma") => {
            "expected `,` here; if an inline table `{ ... }` is open above, close it with `}`"
                .to_string()
        }
        Some(expected) => format!("expected {expected} here; see https://toml.io for the syntax"),
        None => "fix the TOML syntax; see https://toml.io".to_string(),
    };
    Diagnostic::new(format!("TOML syntax error: {description}"), span)
        .with_label(description.to_string())
        .with_help(help)
}

/// One key = value of a table, with its spans.
struct Entry<'a> {
    name: &'a str,
    key_span: Span,
    value_span: Span,
    item: &'a Item,
}

impl Entry<'_> {
    fn key_use(&self) -> KeyUse {
        KeyUse {
            name: self.name.to_string(),
            key_span: self.key_span.clone(),
            value_span: self.value_span.clone(),
        }
    }

    fn spanned<T>(&self, value: T) -> Spanned<T> {
        Spanned::new(value, self.value_span.clone())
    }
}

/// The entries of a table, in file order.
fn entries(table: &dyn TableLike) -> Vec<Entry<'_>> {
    table
        .iter()
        .map(|(name, item)| {
            let key_span = table.key(name).and_then(|k| k.span()).unwrap_or(0..0);
            let value_span = item.span().unwrap_or_else(|| key_span.clone());
            Entry {
                name,
                key_span,
                value_span,
                item,
            }
        })
        .collect()
}

/// What kind of TOML value a key needs.
#[derive(Clone, Copy)]
enum Expected {
    String,
    Bool,
    Integer,
    Number,
    StringArray,
}

impl Expected {
    fn noun(self) -> &'static str {
        match self {
            Expected::String => "a string",
            Expected::Bool => "a boolean",
            Expected::Integer => "an integer",
            Expected::Number => "a number",
            Expected::StringArray => "an array of strings",
        }
    }
}

/// "a string", "an integer", ... for the value found.
fn found(item: &Item) -> &'static str {
    match item {
        Item::None => "nothing",
        Item::Value(value) => match value {
            Value::String(_) => "a string",
            Value::Integer(_) => "an integer",
            Value::Float(_) => "a float",
            Value::Boolean(_) => "a boolean",
            Value::Datetime(_) => "a date-time",
            Value::Array(_) => "an array",
            Value::InlineTable(_) => "a table",
        },
        Item::Table(_) => "a table",
        Item::ArrayOfTables(_) => "an array of tables",
    }
}

#[derive(Default)]
struct Parser {
    diags: Vec<Diagnostic>,
}

impl Parser {
    fn report(&mut self, diag: Diagnostic) {
        self.diags.push(diag);
    }

    // ---- the document ---------------------------------------------------------------

    fn root(&mut self, document: &Document<&str>) -> RawSchema {
        let mut raw = RawSchema::default();
        for entry in entries(document.as_table()) {
            match entry.name {
                "api" => {
                    if let Some(table) = self.table(&entry, "[api]", "name = \"my_api\"") {
                        raw.api = Some(self.api(table, entry.value_span.clone()));
                    }
                }
                "auth" => {
                    if let Some(table) =
                        self.table(&entry, "[auth]", "roles = [\"user\", \"admin\"]")
                    {
                        raw.auth = Some(self.auth(table, entry.value_span.clone()));
                    }
                }
                "resources" => match entry.item.as_table_like() {
                    Some(table) => raw.resources = self.resources(table),
                    None => {
                        self.report(
                            Diagnostic::new(
                                format!("`resources` must be a table, not {}", found(entry.item)),
                                entry.value_span.clone(),
                            )
                            .with_label("expected a table")
                            .with_help(
                                "declare each resource as a table: `[resources.Note]` and its \
                                 fields under `[resources.Note.fields]`",
                            ),
                        );
                    }
                },
                _ => self.unknown_top_level(&entry),
            }
        }
        raw
    }

    fn unknown_top_level(&mut self, entry: &Entry) {
        let tables = ["api", "auth", "resources"];
        let is_table = entry.item.is_table_like();
        let message = if is_table {
            format!("unknown table `[{}]`", entry.name)
        } else {
            format!("unknown top-level key `{}`", entry.name)
        };
        let overview = "the tables of apigen.toml are [api], [auth] and [resources.<Name>]";
        let help = if let Some(near) = suggest::closest(entry.name, tables) {
            format!("did you mean `[{near}]`? The tables are [api], [auth] and [resources.<Name>]")
        } else if !is_table && API_KEYS.contains(&entry.name) {
            format!("`{}` belongs in the [api] table: move it there", entry.name)
        } else if !is_table && AUTH_KEYS.contains(&entry.name) {
            format!(
                "`{}` belongs in the [auth] table: move it there",
                entry.name
            )
        } else {
            overview.to_string()
        };
        self.report(
            Diagnostic::new(message, entry.key_span.clone())
                .with_label("unknown")
                .with_help(help),
        );
    }

    fn api(&mut self, table: &dyn TableLike, span: Span) -> RawApi {
        let mut api = RawApi {
            span,
            name: None,
            database: None,
            base_path: None,
            license: None,
            swagger_ui: None,
            brotli: None,
            broken: false,
        };
        for entry in entries(table) {
            let before = self.diags.len();
            match entry.name {
                "name" => api.name = self.string(&entry),
                "database" => api.database = self.string(&entry),
                "base_path" => api.base_path = self.string(&entry),
                "license" => api.license = self.string(&entry),
                "swagger_ui" => api.swagger_ui = self.boolean(&entry),
                "brotli" => api.brotli = self.boolean(&entry),
                _ => self.unknown_key(&entry, "[api]", API_KEYS, None),
            }
            api.broken |= self.diags.len() > before;
        }
        api
    }

    fn auth(&mut self, table: &dyn TableLike, span: Span) -> RawAuth {
        let mut auth = RawAuth {
            span,
            roles: None,
            token_ttl_minutes: None,
            refresh_ttl_days: None,
            registration: None,
            broken: false,
        };
        for entry in entries(table) {
            let before = self.diags.len();
            match entry.name {
                "roles" => auth.roles = self.string_array(&entry),
                "token_ttl_minutes" => auth.token_ttl_minutes = self.integer(&entry, "15"),
                "refresh_ttl_days" => auth.refresh_ttl_days = self.integer(&entry, "30"),
                "registration" => auth.registration = self.string(&entry),
                _ => self.unknown_key(&entry, "[auth]", AUTH_KEYS, None),
            }
            auth.broken |= self.diags.len() > before;
        }
        auth
    }

    // ---- resources ------------------------------------------------------------------

    fn resources(&mut self, table: &dyn TableLike) -> Vec<RawResource> {
        entries(table)
            .iter()
            .map(|entry| self.resource(entry))
            .collect()
    }

    fn resource(&mut self, entry: &Entry) -> RawResource {
        let name = entry.name;
        let mut resource = RawResource {
            name: Spanned::new(name.to_string(), entry.key_span.clone()),
            plural: None,
            timestamps: None,
            soft_delete: None,
            owner: None,
            renamed_from: None,
            cache: None,
            access: None,
            keys: Vec::new(),
            fields: Vec::new(),
            has_fields_table: false,
            broken: false,
        };
        let Some(table) = entry.item.as_table_like() else {
            resource.broken = true;
            self.report(
                Diagnostic::new(
                    format!(
                        "resource `{name}` must be a table, not {}",
                        found(entry.item)
                    ),
                    entry.value_span.clone(),
                )
                .with_label("expected a table")
                .with_help(format!(
                    "write `[resources.{name}]` for its settings and \
                     `[resources.{name}.fields]` for its fields"
                )),
            );
            return resource;
        };
        for entry in entries(table) {
            let before = self.diags.len();
            match entry.name {
                "plural" => resource.plural = self.string(&entry),
                "timestamps" => resource.timestamps = self.boolean(&entry),
                "soft_delete" => resource.soft_delete = self.boolean(&entry),
                "owner" => resource.owner = self.string(&entry),
                "renamed_from" => resource.renamed_from = self.string(&entry),
                "cache" => resource.cache = self.integer(&entry, "60"),
                "access" => resource.access = self.access(&entry, name),
                "fields" => {
                    resource.has_fields_table = true;
                    if !self.fields(&entry, &mut resource) {
                        resource.broken = true;
                    }
                    continue;
                }
                _ => {
                    let context = format!("resource `{name}`");
                    let hint = looks_like_field(entry.item).then(|| {
                        format!(
                            "fields go in the `[resources.{name}.fields]` table: \
                             move `{}` there",
                            entry.name
                        )
                    });
                    self.unknown_key(&entry, &context, RESOURCE_KEYS, hint);
                }
            }
            if self.diags.len() > before {
                resource.broken = true;
            } else if RESOURCE_KEYS.contains(&entry.name) {
                resource.keys.push(entry.key_use());
            }
        }
        resource
    }

    fn access(&mut self, entry: &Entry, resource: &str) -> Option<RawAccess> {
        let example = "access = { read = \"public\", write = \"authenticated\" }";
        let table = self.table(entry, "`access`", example)?;
        let mut rules = Vec::new();
        for rule in entries(table) {
            if !ACCESS_KEYS.contains(&rule.name) {
                let context = format!("the access of `{resource}`");
                self.unknown_key(&rule, &context, ACCESS_KEYS, None);
                continue;
            }
            if let Some(value) = self.string(&rule) {
                rules.push((Spanned::new(rule.name.to_string(), rule.key_span), value));
            }
        }
        Some(RawAccess {
            key_span: entry.key_span.clone(),
            rules,
        })
    }

    // ---- fields ---------------------------------------------------------------------

    /// Reads the fields table into `resource`; false when it is not a table.
    fn fields(&mut self, entry: &Entry, resource: &mut RawResource) -> bool {
        let name = resource.name.value.clone();
        let example = format!("[resources.{name}.fields]");
        let Some(table) = self.table(entry, "`fields`", &example) else {
            return false;
        };
        for field in entries(table) {
            let raw = self.field(&field, &name);
            resource.fields.push(raw);
        }
        true
    }

    /// Reads one field. A field that cannot be read is kept, marked broken, so that its
    /// name still counts.
    fn field(&mut self, entry: &Entry, resource: &str) -> RawField {
        let name = Spanned::new(entry.name.to_string(), entry.key_span.clone());
        let mut field = RawField::new(name, entry.value_span.clone());
        if let Some(text) = entry.item.as_str() {
            field.shorthand = true;
            let (ty, optional) = match text.strip_suffix('?') {
                Some(ty) => (ty, true),
                None => (text, false),
            };
            field.ty = Some(entry.spanned(ty.to_string()));
            if optional {
                field.optional = Some(entry.spanned(true));
            }
            return field;
        }
        let Some(table) = entry.item.as_table_like() else {
            self.report(
                Diagnostic::new(
                    format!(
                        "field `{resource}.{}` must be a type name or a table, not {}",
                        entry.name,
                        found(entry.item)
                    ),
                    entry.value_span.clone(),
                )
                .with_label("expected a string or a table")
                .with_help(format!(
                    "write `{0} = \"string\"` or `{0} = {{ type = \"string\", ... }}`",
                    entry.name
                )),
            );
            field.broken = true;
            return field;
        };
        for key in entries(table) {
            self.field_key(&key, &mut field, resource);
        }
        if field.ty.is_none() && !field.broken {
            field.broken = true;
            self.report(
                Diagnostic::new(
                    format!("field `{resource}.{}` has no `type`", entry.name),
                    entry.value_span.clone(),
                )
                .with_label("`type` missing")
                .with_help(format!(
                    "add a type, e.g. `type = \"string\"`; field types: {}",
                    FIELD_TYPES.join(", ")
                )),
            );
        }
        field
    }

    /// Reads one key of a field table into `field`.
    fn field_key(&mut self, entry: &Entry, field: &mut RawField, resource: &str) {
        let before = self.diags.len();
        match entry.name {
            "type" => field.ty = self.string(entry),
            "optional" => field.optional = self.boolean(entry),
            "unique" => field.unique = self.boolean(entry),
            "index" => field.index = self.boolean(entry),
            "readonly" => field.readonly = self.boolean(entry),
            "private" => field.private = self.boolean(entry),
            "writable" => field.writable = self.string(entry),
            "default" => field.default = self.raw_value(entry),
            "min" => field.min = self.number(entry),
            "max" => field.max = self.number(entry),
            "min_length" => field.min_length = self.integer(entry, "1"),
            "max_length" => field.max_length = self.integer(entry, "200"),
            "precision" => field.precision = self.integer(entry, "12"),
            "scale" => field.scale = self.integer(entry, "2"),
            "pattern" => field.pattern = self.string(entry),
            "format" => field.format = self.string(entry),
            "values" => field.values = self.string_array(entry),
            "resource" => field.resource = self.string(entry),
            "on_delete" => field.on_delete = self.string(entry),
            "doc" => field.doc = self.string(entry),
            "renamed_from" => field.renamed_from = self.string(entry),
            _ => {
                let context = format!("field `{resource}.{}`", field.name.value);
                self.unknown_key(entry, &context, FIELD_KEYS, None);
            }
        }
        if self.diags.len() > before {
            field.broken = true;
        } else if entry.name != "type" {
            field.keys.push(entry.key_use());
        }
    }

    // ---- values ---------------------------------------------------------------------

    /// A table or inline table; otherwise reports that `what` must be a table.
    fn table<'a>(
        &mut self,
        entry: &Entry<'a>,
        what: &str,
        example: &str,
    ) -> Option<&'a dyn TableLike> {
        if let Some(table) = entry.item.as_table_like() {
            return Some(table);
        }
        self.report(
            Diagnostic::new(
                format!("{what} must be a table, not {}", found(entry.item)),
                entry.value_span.clone(),
            )
            .with_label("expected a table")
            .with_help(format!("write it as a table, e.g. `{example}`")),
        );
        None
    }

    fn string(&mut self, entry: &Entry) -> Option<Spanned<String>> {
        match entry.item.as_str() {
            Some(text) => Some(entry.spanned(text.to_string())),
            None => self.wrong_type(entry, Expected::String, None),
        }
    }

    fn boolean(&mut self, entry: &Entry) -> Option<Spanned<bool>> {
        match entry.item.as_bool() {
            Some(value) => Some(entry.spanned(value)),
            None => self.wrong_type(entry, Expected::Bool, None),
        }
    }

    fn integer(&mut self, entry: &Entry, example: &str) -> Option<Spanned<i64>> {
        match entry.item.as_integer() {
            Some(value) => Some(entry.spanned(value)),
            None => self.wrong_type(entry, Expected::Integer, Some(example)),
        }
    }

    fn number(&mut self, entry: &Entry) -> Option<Spanned<RawNumber>> {
        if let Some(value) = entry.item.as_integer() {
            return Some(entry.spanned(RawNumber::Int(value)));
        }
        match entry.item.as_float() {
            Some(value) => Some(entry.spanned(RawNumber::Float(value))),
            None => self.wrong_type(entry, Expected::Number, Some("0")),
        }
    }

    fn string_array(&mut self, entry: &Entry) -> Option<Spanned<Vec<Spanned<String>>>> {
        let Some(array) = entry.item.as_array() else {
            return self.wrong_type(entry, Expected::StringArray, None);
        };
        let mut strings = Vec::new();
        let mut ok = true;
        for element in array.iter() {
            let span = element.span().unwrap_or_else(|| entry.value_span.clone());
            match element.as_str() {
                Some(text) => strings.push(Spanned::new(text.to_string(), span)),
                None => {
                    ok = false;
                    self.report(
                        Diagnostic::new(
                            format!("`{}` must contain only strings", entry.name),
                            span,
                        )
                        .with_label(format!("{}, not a string", element.type_name()))
                        .with_help("put every element in quotes, e.g. `[\"a\", \"b\"]`"),
                    );
                }
            }
        }
        ok.then(|| entry.spanned(strings))
    }

    fn raw_value(&mut self, entry: &Entry) -> Option<Spanned<RawValue>> {
        let value = match entry.item {
            Item::Value(Value::Boolean(b)) => RawValue::Bool(*b.value()),
            Item::Value(Value::Integer(i)) => RawValue::Int(*i.value()),
            Item::Value(Value::Float(f)) => RawValue::Float(*f.value()),
            Item::Value(Value::String(s)) => RawValue::String(s.value().clone()),
            Item::Value(Value::Datetime(d)) => RawValue::Datetime(d.value().to_string()),
            other => RawValue::Other(found(other)),
        };
        Some(entry.spanned(value))
    }

    // ---- reports --------------------------------------------------------------------

    /// Reports a value of the wrong kind; always `None`.
    fn wrong_type<T>(
        &mut self,
        entry: &Entry,
        expected: Expected,
        example: Option<&str>,
    ) -> Option<T> {
        let key = entry.name;
        let help = wrong_type_help(entry, expected, example.unwrap_or("0"));
        self.report(
            Diagnostic::new(
                format!(
                    "`{key}` must be {}, not {}",
                    expected.noun(),
                    found(entry.item)
                ),
                entry.value_span.clone(),
            )
            .with_label(format!("expected {}", expected.noun()))
            .with_help(help),
        );
        None
    }

    /// Reports a key that the table does not have, with a near miss when there is one.
    fn unknown_key(&mut self, entry: &Entry, context: &str, known: &[&str], hint: Option<String>) {
        let help = match (suggest::closest(entry.name, known.iter().copied()), hint) {
            (Some(near), _) => format!("did you mean `{near}`?"),
            (None, Some(hint)) => hint,
            (None, None) => format!("the keys of {context} are: {}", known.join(", ")),
        };
        self.report(
            Diagnostic::new(
                format!("unknown key `{}` in {context}", entry.name),
                entry.key_span.clone(),
            )
            .with_label("unknown key")
            .with_help(help),
        );
    }
}

/// What to write instead of a value of the wrong kind.
fn wrong_type_help(entry: &Entry, expected: Expected, example: &str) -> String {
    let key = entry.name;
    let text = entry.item.as_str();
    match expected {
        Expected::Bool => match text {
            Some(t @ ("true" | "false")) => format!("remove the quotes: `{key} = {t}`"),
            _ => format!("write `{key} = true` or `{key} = false`"),
        },
        Expected::Integer | Expected::Number => {
            if let Some(t) = text.filter(|t| t.trim().parse::<f64>().is_ok()) {
                format!("remove the quotes: `{key} = {}`", t.trim())
            } else if let Some(f) = entry
                .item
                .as_float()
                .filter(|_| matches!(expected, Expected::Integer))
            {
                format!("write a whole number, e.g. `{key} = {}`", f.trunc())
            } else {
                format!("write a number without quotes, e.g. `{key} = {example}`")
            }
        }
        Expected::String => format!("put the value in quotes, e.g. `{key} = \"...\"`"),
        Expected::StringArray => match text {
            Some(t) => format!("write a list: `{key} = [\"{t}\"]`"),
            None => format!("write a list of strings, e.g. `{key} = [\"a\", \"b\"]`"),
        },
    }
}

/// Whether a value found among a resource's settings looks like a field definition
/// (`title = "string"` or `title = { type = ... }`) put in the wrong table.
fn looks_like_field(item: &Item) -> bool {
    if let Some(text) = item.as_str() {
        let ty = text.strip_suffix('?').unwrap_or(text);
        return FIELD_TYPES.contains(&ty);
    }
    item.as_table_like().is_some_and(|t| t.contains_key("type"))
}
