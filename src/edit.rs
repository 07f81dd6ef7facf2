//! Edits of `apigen.toml` made by `apigen add`: the document is edited in place, so every
//! comment, blank line and the order of what the user wrote stay as they were.

use toml_edit::{DocumentMut, InlineTable, Item, Table, value};

use crate::names;
use crate::schema::kind::DefaultForm;
use crate::schema::{FIELD_TYPES, Scalar, suggest_name};

/// The field types a field spec may name: all but `enum`, whose values need the file.
fn spec_types() -> Vec<&'static str> {
    FIELD_TYPES
        .iter()
        .copied()
        .filter(|t| *t != "enum")
        .collect()
}

/// One field from the command line: `name:type[?][:Resource][:unique][=default]`.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldSpec {
    pub name: String,
    pub ty: String,
    pub optional: bool,
    pub unique: bool,
    /// The target of a belongs_to or many_to_many.
    pub resource: Option<String>,
    /// The `default`, as the TOML value apigen.toml gets.
    pub default: Option<SpecDefault>,
}

/// A default from the command line, typed for its field: the schema checker then
/// checks it as any default (range, length, pattern, format).
#[derive(Debug, Clone, PartialEq)]
pub enum SpecDefault {
    Bool(bool),
    Int(i64),
    Float(f64),
    Text(String),
}

impl SpecDefault {
    fn to_value(&self) -> toml_edit::Value {
        match self {
            SpecDefault::Bool(b) => (*b).into(),
            SpecDefault::Int(i) => (*i).into(),
            SpecDefault::Float(f) => (*f).into(),
            SpecDefault::Text(t) => t.as_str().into(),
        }
    }
}

impl FieldSpec {
    /// Parses `rating:int?`, `sku:string:unique`, `post:belongs_to:Post`,
    /// `parent:belongs_to?:Category`, `priority:int=3`, `status:string=draft`; the error
    /// says what is wrong and what to write. Everything after the first `=` is the
    /// default (it may hold `:`, as a date-time does).
    pub fn parse(spec: &str) -> Result<FieldSpec, String> {
        let (head, default) = match spec.split_once('=') {
            Some((head, default)) => (head, Some(default)),
            None => (spec, None),
        };
        let mut parts = head.split(':');
        let name = parts.next().unwrap_or_default().to_string();
        let Some(raw_type) = parts.next().filter(|t| !t.is_empty()) else {
            return Err(format!(
                "`{spec}` has no type: write `{name}:TYPE`, e.g. `{name}:string` or `{name}:int?`"
            ));
        };
        if !names::is_identifier(&name) {
            return Err(format!(
                "`{name}` is not a field name: use letters, digits and `_`, starting with a letter"
            ));
        }
        let optional = raw_type.ends_with('?') || head.ends_with('?');
        let ty = raw_type.trim_end_matches('?').to_string();
        let types = spec_types();
        if !types.contains(&ty.as_str()) {
            let hint = match suggest_name(&ty, &types) {
                Some(near) => format!("did you mean `{near}`? "),
                None => String::new(),
            };
            return Err(format!(
                "`{ty}` (in `{spec}`) is not a field type: {hint}types are {} \
                 (an enum needs its values: write it in apigen.toml)",
                types.join(", ")
            ));
        }
        let mut spec_field = FieldSpec {
            name,
            ty,
            optional,
            unique: false,
            resource: None,
            default: None,
        };
        for part in parts {
            let part = part.trim_end_matches('?');
            match part {
                "unique" => spec_field.unique = true,
                "" => {}
                target if spec_field.is_relation() && spec_field.resource.is_none() => {
                    spec_field.resource = Some(target.to_string());
                }
                other => {
                    return Err(format!(
                        "`{other}` (in `{spec}`) is not understood: after the type, write \
                         `:unique`, or the target resource of a relation (`post:belongs_to:Post`)"
                    ));
                }
            }
        }
        if spec_field.is_relation() && spec_field.resource.is_none() {
            return Err(format!(
                "`{spec}` needs the resource it points at: `{}:{}:Resource`",
                spec_field.name, spec_field.ty
            ));
        }
        if let Some(text) = default {
            spec_field.default = Some(spec_field.typed_default(text, spec)?);
        }
        Ok(spec_field)
    }

    /// The default written after `=`, as the TOML value its type takes. One pair of
    /// quotes around it is dropped (`status:string=""` is the empty string).
    fn typed_default(&self, text: &str, spec: &str) -> Result<SpecDefault, String> {
        let text = text
            .strip_prefix('"')
            .and_then(|t| t.strip_suffix('"'))
            .unwrap_or(text);
        let name = &self.name;
        let ty = self.ty.as_str();
        let wrong = |what: &str, example: &str| {
            format!("`{text}` (in `{spec}`) is not {what}: write e.g. `{name}:{ty}={example}`")
        };
        let form = Scalar::parse(ty).map(|scalar| scalar.spec().default);
        match form {
            Some(DefaultForm::Bool) => match text {
                "true" => Ok(SpecDefault::Bool(true)),
                "false" => Ok(SpecDefault::Bool(false)),
                _ => Err(format!(
                    "`{text}` (in `{spec}`) is not a boolean: write `{name}:bool=true` or \
                     `{name}:bool=false`"
                )),
            },
            Some(DefaultForm::Int) => text
                .parse()
                .map(SpecDefault::Int)
                .map_err(|_| wrong("a whole number", "0")),
            Some(DefaultForm::Float) => match (text.parse::<i64>(), text.parse::<f64>()) {
                (Ok(i), _) => Ok(SpecDefault::Int(i)),
                (_, Ok(f)) if f.is_finite() => Ok(SpecDefault::Float(f)),
                _ => Err(wrong("a number", "0.5")),
            },
            // Exact: a whole number as a TOML integer, anything else as its text (the
            // checker says if it is no decimal).
            Some(DefaultForm::Decimal) => Ok(text
                .parse()
                .map_or_else(|_| SpecDefault::Text(text.to_string()), SpecDefault::Int)),
            Some(DefaultForm::Text | DefaultForm::Form(_)) => {
                Ok(SpecDefault::Text(text.to_string()))
            }
            Some(DefaultForm::None) => Err(format!(
                "a {ty} field takes no default (in `{spec}`): make it optional, `{name}:{ty}?`"
            )),
            _ => Err(format!(
                "a {ty} field takes no default (in `{spec}`): remove `={text}`"
            )),
        }
    }

    fn is_relation(&self) -> bool {
        self.ty == "belongs_to" || self.ty == "many_to_many"
    }

    /// For a required field without a default, which a table that may have rows cannot
    /// take: the same spec with a default that works for its type
    /// (`priority:int=0`), or `None` where no default can fill the rows (a relation, json).
    pub fn with_example_default(&self) -> Option<String> {
        let spec = Scalar::parse(&self.ty)?.spec();
        let example = match spec.default {
            DefaultForm::None => return None,
            // The empty string, quoted; any other text as it is.
            DefaultForm::Text => spec.toml_example,
            _ => spec.toml_example.trim_matches('"'),
        };
        let unique = if self.unique { ":unique" } else { "" };
        Some(format!("{}:{}{unique}={example}", self.name, self.ty))
    }

    /// Required, without a default: it must be sent on create.
    pub fn is_required(&self) -> bool {
        !self.optional && self.default.is_none()
    }

    /// The field's value in the schema: the `"TYPE?"` shorthand where it is enough.
    fn to_item(&self) -> Item {
        if !self.unique && self.resource.is_none() && self.default.is_none() {
            let mark = if self.optional { "?" } else { "" };
            return value(format!("{}{mark}", self.ty));
        }
        let mut table = InlineTable::new();
        table.insert("type", self.ty.as_str().into());
        if let Some(resource) = &self.resource {
            table.insert("resource", resource.as_str().into());
        }
        if self.optional {
            table.insert("optional", true.into());
        }
        if self.unique {
            table.insert("unique", true.into());
        }
        if let Some(default) = &self.default {
            table.insert("default", default.to_value());
        }
        value(table)
    }
}

/// The operations an `access` map takes, shortcuts included.
const ACCESS_OPERATIONS: &[&str] = &["list", "get", "create", "update", "delete", "read", "write"];

/// `--access read=public,write=staff`: (operation, rule) pairs in the order given. The
/// rules themselves are checked with the rest of the schema.
pub fn parse_access(text: &str) -> Result<Vec<(String, String)>, String> {
    let mut pairs: Vec<(String, String)> = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let Some((operation, rule)) = part.split_once('=') else {
            return Err(format!(
                "`{part}` in --access is not OPERATION=RULE: write e.g. `--access read=public,write=staff`"
            ));
        };
        let (operation, rule) = (operation.trim(), rule.trim().trim_matches('"'));
        if !ACCESS_OPERATIONS.contains(&operation) {
            let near = suggest_name(operation, ACCESS_OPERATIONS)
                .map(|n| format!("did you mean `{n}`? "))
                .unwrap_or_default();
            return Err(format!(
                "`{operation}` in --access is not an operation: {near}operations are {}",
                ACCESS_OPERATIONS.join(", ")
            ));
        }
        if pairs.iter().any(|(o, _)| o == operation) {
            return Err(format!("--access names `{operation}` twice"));
        }
        pairs.push((operation.to_string(), rule.to_string()));
    }
    if pairs.is_empty() {
        return Err("--access is empty: write e.g. `--access read=public,write=staff`".into());
    }
    Ok(pairs)
}

/// The roles of the schema's `[auth]`, least privileged first; `None` without `[auth]`.
pub fn auth_roles(source: &str) -> Option<Vec<String>> {
    let doc = parse(source).ok()?;
    let roles = doc.get("auth")?.get("roles")?.as_array()?;
    Some(
        roles
            .iter()
            .filter_map(|r| r.as_str().map(str::to_string))
            .collect(),
    )
}

/// The schema's text with a new resource, its `access` (when given) and its fields,
/// added at the end.
pub fn add_resource(
    source: &str,
    name: &str,
    fields: &[FieldSpec],
    access: &[(String, String)],
) -> Result<String, String> {
    let mut doc = parse(source)?;
    if !names::is_pascal_ident(name) {
        return Err(format!(
            "`{name}` is not a resource name: use PascalCase and the singular, e.g. `BlogPost`"
        ));
    }
    if let Some(existing) = resources(&doc)
        .into_iter()
        .find(|r| names::snake_case(r) == names::snake_case(name))
    {
        return Err(format!(
            "the schema already has a resource `{existing}`: add fields to it with \
             `apigen add field {existing} NAME:TYPE`"
        ));
    }
    if fields.is_empty() {
        return Err(format!(
            "a resource needs at least one field: `apigen add resource {name} title:string`"
        ));
    }
    let resources_table = doc
        .entry("resources")
        .or_insert_with(|| {
            let mut table = Table::new();
            table.set_implicit(true);
            Item::Table(table)
        })
        .as_table_mut()
        .ok_or("`resources` in the schema is not a table")?;
    let mut resource = Table::new();
    resource.set_implicit(access.is_empty());
    if !access.is_empty() {
        let mut rules = InlineTable::new();
        for (operation, rule) in access {
            rules.insert(operation, rule.as_str().into());
        }
        resource.insert("access", value(rules));
    }
    let mut field_table = Table::new();
    for field in fields {
        field_table.insert(&field.name, field.to_item());
    }
    resource.insert("fields", Item::Table(field_table));
    resources_table.insert(name, Item::Table(resource));
    Ok(doc.to_string())
}

/// The schema's text with new fields appended to a resource's `fields`.
pub fn add_fields(source: &str, resource: &str, fields: &[FieldSpec]) -> Result<String, String> {
    let mut doc = parse(source)?;
    let known = resources(&doc);
    if !known.iter().any(|r| r == resource) {
        let hint = match suggest_name(
            resource,
            &known.iter().map(String::as_str).collect::<Vec<_>>(),
        ) {
            Some(near) => format!("did you mean `{near}`? "),
            None => String::new(),
        };
        return Err(format!(
            "the schema has no resource `{resource}`: {hint}create it with \
             `apigen add resource {resource} NAME:TYPE`"
        ));
    }
    let fields_item = doc["resources"][resource]
        .as_table_mut()
        .map(|table| {
            table
                .entry("fields")
                .or_insert_with(|| Item::Table(Table::new()))
        })
        .ok_or_else(|| format!("[resources.{resource}] is not a table"))?;
    let fields_table = fields_item
        .as_table_like_mut()
        .ok_or_else(|| format!("[resources.{resource}.fields] is not a table"))?;
    for field in fields {
        let taken = fields_table
            .iter()
            .any(|(key, _)| names::snake_case(key) == names::snake_case(&field.name));
        if taken {
            return Err(format!(
                "resource `{resource}` already has a field `{}`",
                field.name
            ));
        }
        fields_table.insert(&field.name, field.to_item());
    }
    Ok(doc.to_string())
}

fn parse(source: &str) -> Result<DocumentMut, String> {
    source.parse().map_err(|e| {
        format!("apigen.toml is not valid TOML ({e}); fix it, then run apigen add again")
    })
}

/// The names of the resources the schema declares, in file order.
fn resources(doc: &DocumentMut) -> Vec<String> {
    doc.get("resources")
        .and_then(Item::as_table_like)
        .map(|table| table.iter().map(|(key, _)| key.to_string()).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn specs(list: &[&str]) -> Vec<FieldSpec> {
        list.iter().map(|s| FieldSpec::parse(s).unwrap()).collect()
    }

    #[test]
    fn field_specs() {
        let spec = FieldSpec::parse("post:belongs_to:Post").unwrap();
        assert_eq!(spec.resource.as_deref(), Some("Post"));
        assert!(!spec.optional);
        let spec = FieldSpec::parse("rating:int?").unwrap();
        assert!(spec.optional && spec.ty == "int");
        let spec = FieldSpec::parse("sku:string:unique").unwrap();
        assert!(spec.unique);
        let spec = FieldSpec::parse("parent:belongs_to?:Category").unwrap();
        assert!(spec.optional);
        let err = FieldSpec::parse("title:strng").unwrap_err();
        assert!(err.contains("did you mean `string`"), "{err}");
        assert!(FieldSpec::parse("title").unwrap_err().contains("no type"));
        assert!(
            FieldSpec::parse("post:belongs_to")
                .unwrap_err()
                .contains("Resource")
        );
        assert!(FieldSpec::parse("9lives:int").is_err());
    }

    #[test]
    fn field_specs_with_defaults_are_typed_for_their_field() {
        let cases = [
            (
                "priority:int=3",
                "priority = { type = \"int\", default = 3 }",
            ),
            ("big:bigint=-7", "big = { type = \"bigint\", default = -7 }"),
            (
                "status:string=draft",
                "status = { type = \"string\", default = \"draft\" }",
            ),
            (
                "note:text=\"\"",
                "note = { type = \"text\", default = \"\" }",
            ),
            ("note:text=", "note = { type = \"text\", default = \"\" }"),
            (
                "price:decimal=0",
                "price = { type = \"decimal\", default = 0 }",
            ),
            (
                "price:decimal=19.99",
                "price = { type = \"decimal\", default = \"19.99\" }",
            ),
            (
                "ratio:float=0.5",
                "ratio = { type = \"float\", default = 0.5 }",
            ),
            ("ratio:float=2", "ratio = { type = \"float\", default = 2 }"),
            (
                "active:bool=true",
                "active = { type = \"bool\", default = true }",
            ),
            (
                "due:date=2024-12-31",
                "due = { type = \"date\", default = \"2024-12-31\" }",
            ),
            (
                "at:datetime=2024-01-31T12:00:00Z",
                "at = { type = \"datetime\", default = \"2024-01-31T12:00:00Z\" }",
            ),
            (
                "id2:uuid=67e55044-10b1-426f-9247-bb680e5fe0c8",
                "id2 = { type = \"uuid\", default = \"67e55044-10b1-426f-9247-bb680e5fe0c8\" }",
            ),
            (
                "code:string:unique=a=b",
                "code = { type = \"string\", unique = true, default = \"a=b\" }",
            ),
            (
                "rank:int?=1",
                "rank = { type = \"int\", optional = true, default = 1 }",
            ),
        ];
        let source = "[api]\nname = \"shop\"\n\n[resources.Product.fields]\nname = \"string\"\n";
        for (spec, line) in cases {
            let out = add_fields(source, "Product", &specs(&[spec])).unwrap();
            assert!(
                out.ends_with(&format!("name = \"string\"\n{line}\n")),
                "{spec}: {out}"
            );
            crate::schema::parse("apigen.toml", &out)
                .unwrap_or_else(|e| panic!("{spec}: {out}\n{e:?}"));
        }
        for (spec, expected) in [
            ("n:int=abc", "is not a whole number: write e.g. `n:int=0`"),
            ("n:int=1.5", "is not a whole number"),
            ("b:bool=yes", "write `b:bool=true` or `b:bool=false`"),
            ("f:float=x", "is not a number"),
            ("j:json=1", "a json field takes no default"),
            ("p:belongs_to:Post=1", "takes no default"),
        ] {
            let err = FieldSpec::parse(spec).unwrap_err();
            assert!(err.contains(expected), "{spec}: {err}");
        }
    }

    #[test]
    fn the_suggested_default_of_a_required_spec_parses() {
        for ty in [
            "int", "bigint", "float", "decimal", "bool", "string", "text", "uuid", "date",
            "datetime",
        ] {
            let spec = FieldSpec::parse(&format!("f:{ty}")).unwrap();
            assert!(spec.is_required());
            let suggested = spec.with_example_default().unwrap();
            let with_default = FieldSpec::parse(&suggested).unwrap();
            assert!(!with_default.is_required(), "{suggested}");
            let source =
                "[api]\nname = \"shop\"\n\n[resources.Product.fields]\nname = \"string\"\n";
            let out = add_fields(source, "Product", &[with_default]).unwrap();
            crate::schema::parse("apigen.toml", &out)
                .unwrap_or_else(|e| panic!("{suggested}: {out}\n{e:?}"));
        }
        assert_eq!(
            FieldSpec::parse("f:json").unwrap().with_example_default(),
            None
        );
    }

    #[test]
    fn adding_a_resource_keeps_every_comment_and_the_order() {
        let source = "# my shop\n[api]\nname = \"shop\" # the name\n\n# products\n[resources.Product.fields]\nname = \"string\" # short\n";
        let out = add_resource(
            source,
            "Comment",
            &specs(&["body:text", "post:belongs_to:Product", "rating:int?"]),
            &[],
        )
        .unwrap();
        assert!(out.starts_with(source), "{out}");
        assert!(out.contains("[resources.Comment.fields]\nbody = \"text\"\npost = { type = \"belongs_to\", resource = \"Product\" }\nrating = \"int?\"\n"), "{out}");
    }

    #[test]
    fn adding_fields_appends_to_the_resource() {
        let source = "[api]\nname = \"shop\"\n\n[resources.Product.fields]\nname = \"string\"\n\n[resources.Tag.fields]\nlabel = \"string\"\n";
        let out = add_fields(
            source,
            "Product",
            &specs(&["price:decimal", "sku:string:unique"]),
        )
        .unwrap();
        assert!(out.contains("name = \"string\"\nprice = \"decimal\"\nsku = { type = \"string\", unique = true }\n"), "{out}");
        assert!(out.ends_with("[resources.Tag.fields]\nlabel = \"string\"\n"));
        let err = add_fields(source, "Product", &specs(&["Name:int"])).unwrap_err();
        assert!(err.contains("already has a field"), "{err}");
        let err = add_fields(source, "Prodcut", &specs(&["x:int"])).unwrap_err();
        assert!(err.contains("did you mean `Product`"), "{err}");
    }

    #[test]
    fn an_existing_resource_is_refused() {
        let source = "[api]\nname = \"shop\"\n[resources.Product.fields]\nname = \"string\"\n";
        let err = add_resource(source, "Product", &specs(&["x:int"]), &[]).unwrap_err();
        assert!(err.contains("apigen add field Product"), "{err}");
    }

    #[test]
    fn access_is_written_before_the_fields() {
        let source = "[api]\nname = \"shop\"\n[auth]\nroles = [\"member\", \"staff\"]\n";
        let access = parse_access("read=public, write=staff").unwrap();
        let out = add_resource(source, "Note", &specs(&["title:string"]), &access).unwrap();
        assert!(
            out.ends_with("[resources.Note]\naccess = { read = \"public\", write = \"staff\" }\n\n[resources.Note.fields]\ntitle = \"string\"\n"),
            "{out}"
        );
        assert_eq!(
            auth_roles(source),
            Some(vec!["member".to_string(), "staff".to_string()])
        );
        assert_eq!(auth_roles("[api]\nname = \"shop\"\n"), None);
    }

    #[test]
    fn bad_access_flags_are_refused_with_the_form() {
        for (flag, says) in [
            ("read", "not OPERATION=RULE"),
            ("reed=public", "did you mean `read`?"),
            ("read=public,read=staff", "twice"),
            (" , ", "empty"),
        ] {
            let err = parse_access(flag).unwrap_err();
            assert!(err.contains(says), "{flag}: {err}");
        }
    }
}
