//! Names: of the API crate, of resources, of plurals and of fields.

use std::sync::LazyLock;

use super::{Checker, USER};
use crate::names as naming;
use crate::schema::diagnostic::Diagnostic;
use crate::schema::kind::Import;
use crate::schema::model::{SESSIONS_MODULE, SESSIONS_TABLE, Scalar};
use crate::schema::raw::{RawResource, RawSchema, Span};

/// Type names of SeaORM and of the generated crate that a resource may not take: these,
/// and the types of field values ([`reserved_types`]).
const RESERVED: &[&str] = &[
    "Model",
    "Entity",
    "Column",
    "ActiveModel",
    "Relation",
    "PrimaryKey",
    "Related",
    "ActiveModelBehavior",
    "Migration",
    "Migrator",
    "App",
    "AppState",
    "Config",
    "Error",
    "ApiError",
    "Page",
    "Self",
    "Option",
    "Result",
    "String",
    "Vec",
    "Box",
    // Types the generated files import next to a resource's own types.
    "Created",
    "Hooks",
    "Errors",
    "FieldError",
    "Patch",
    "ReadOnly",
    "Json",
    "Id",
    "Query",
    "PageParams",
    "Date",
    "DateTimeUtc",
    "Decimal",
    "DbDecimal",
    "Uuid",
    "Regex",
    // What a route file defines for itself: its OpenAPI part, and with access rules the
    // extractor of an admitted caller.
    "Api",
    "Allowed",
    // A model file with a pattern names `std::sync::LazyLock` for its compiled regexes.
    "LazyLock",
    "Router",
    "State",
    "StatusCode",
    "Value",
    // What src/prelude.rs brings into every route and model file (a resource's own
    // type of the same name would hide it there; a test holds this list to the
    // template). `UserRole` is there with [auth] only, which reserves it then.
    "Access",
    "ActiveModelTrait",
    "Admitted",
    "ApiResult",
    "Caller",
    "ColumnTrait",
    "ConnectionTrait",
    "DatabaseConnection",
    "DatabaseTransaction",
    "Deserialize",
    "EntityTrait",
    "Field",
    "Guarded",
    "Includes",
    "IntoActiveModel",
    "IntoParams",
    "Kind",
    "LinkIds",
    "ListParams",
    "ListQuery",
    "OpenApi",
    "PageLinks",
    "Parameter",
    "ParameterIn",
    "QueryFilter",
    "QueryOrder",
    "QuerySelect",
    "QueryTrait",
    "Rule",
    "Select",
    "SelectStatement",
    "Serialize",
    "Set",
    "ToSchema",
    "TransactionTrait",
    // Rust's prelude (edition 2024): a resource type of the same name would hide the
    // trait or type the generated code uses by its bare name (`impl Fn()`, `From`).
    "AsMut",
    "AsRef",
    "AsyncFn",
    "AsyncFnMut",
    "AsyncFnOnce",
    "Clone",
    "Copy",
    "Default",
    "DoubleEndedIterator",
    "Drop",
    "Eq",
    "Err",
    "ExactSizeIterator",
    "Extend",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "FromIterator",
    "Future",
    "Into",
    "IntoFuture",
    "IntoIterator",
    "Iterator",
    "None",
    "Ok",
    "Ord",
    "PartialEq",
    "PartialOrd",
    "Send",
    "Sized",
    "Some",
    "Sync",
    "ToOwned",
    "ToString",
    "TryFrom",
    "TryInto",
    "Unpin",
];

/// Every type name a resource may not take: [`RESERVED`], and the type of each scalar
/// field type's values that a model file imports by name next to the resource's own
/// types (`Date`, `TimeOfDay`).
pub static RESERVED_TYPES: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    let imported = (Scalar::ALL.into_iter().map(Scalar::spec))
        .filter(|spec| spec.import != Import::None)
        .map(|spec| spec.rust_type);
    let mut all: Vec<&str> = RESERVED.iter().copied().chain(imported).collect();
    all.sort_unstable();
    all.dedup();
    all
});

/// The schemas every OpenAPI document holds, whatever the resources.
const FIXED_SCHEMAS: &[(&str, &str)] = &[
    ("Problem", "the error answer"),
    ("FieldError", "an error's field"),
    ("PageLinks", "the links of a page"),
    ("Login", "the login body"),
    ("LoggedIn", "the login answer"),
];

/// The schemas of the built-in User (with `[auth]`).
fn user_schemas() -> Vec<(String, &'static str)> {
    [
        ("User", "the built-in User"),
        ("UserPage", "a page of users"),
        ("PatchUser", "the PATCH body of User"),
        ("ReplaceUser", "the PUT body of User"),
        ("RegisterUser", "the register body"),
        ("UserRole", "the roles of `[auth]`"),
        ("Refresh", "the refresh body"),
        ("AuthSession", "a login session"),
        ("AuthSessionList", "the list of login sessions"),
        ("ChangePassword", "the password change body"),
    ]
    .into_iter()
    .map(|(name, what)| (name.to_string(), what))
    .collect()
}

/// Modules of the generated crate: no resource module or plural may take these names.
const RESERVED_MODULES: &[&str] = &[
    "app",
    "cli",
    "config",
    "db",
    "error",
    "extract",
    "validation",
    "pagination",
    "query",
    "openapi",
    "shutdown",
    "entities",
    "models",
    "routes",
    "hooks",
    "migrations",
    "lib",
    "main",
    "health",
    "prelude",
    "common",
    "tests",
    "auth",
    "mod",
    "decimal",
    "patch",
    // The access operations' module, which src/prelude.rs brings into route files.
    "op",
    SESSIONS_MODULE,
];

/// Names that cannot be Rust identifiers, not even raw ones.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Columns every table gets from the server.
const SERVER_COLUMNS: &[&str] = &["id", "created_at", "updated_at", "deleted_at"];

pub use crate::names::{is_lower_ident, is_pascal_ident};

/// A lower-case name (role, enum value) whose PascalCase Rust variant would be a keyword
/// (`self` -> `Self`).
pub fn is_unusable_in_rust(s: &str) -> bool {
    naming::is_rust_keyword(&naming::pascal_case(s))
}

/// A name folded for clash detection: lower case, without `_`.
pub fn folded(s: &str) -> String {
    s.chars()
        .filter(|c| *c != '_')
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The help for a name that should be a lower-case identifier.
pub fn lower_ident_help(s: &str) -> String {
    let fixed = naming::snake_case(s);
    let rule = "use lower-case letters, digits and `_`, starting with a letter";
    if is_lower_ident(&fixed) {
        format!("{rule}: `{fixed}`")
    } else {
        rule.to_string()
    }
}

impl Checker<'_> {
    /// Two schemas of the OpenAPI document under one name, which would leave one of them
    /// out of the document: a resource `ProductPage` next to `Product`'s page,
    /// `CreateProduct` next to its create body, `ProductType` next to the values of
    /// `Product`'s enum field `type`, a resource `Problem` next to the error answer.
    pub(super) fn schema_name_clashes(&mut self, raw: &RawSchema) {
        let mut claimed: Vec<(String, String)> = FIXED_SCHEMAS
            .iter()
            .map(|(name, what)| (name.to_string(), what.to_string()))
            .collect();
        let user_declared = raw.resources.iter().any(|r| r.name.value == USER);
        if self.auth && !user_declared {
            claimed.extend(user_schemas().into_iter().map(|(n, w)| (n, w.to_string())));
        }
        for resource in raw.resources.iter().filter(|r| !r.broken) {
            let name = &resource.name.value;
            let span = &resource.name.span;
            let mut own: Vec<(String, String, &Span)> = if self.auth && name == USER {
                user_schemas()
                    .into_iter()
                    .map(|(schema, what)| (schema, what.to_string(), span))
                    .collect()
            } else {
                vec![
                    (name.clone(), format!("the resource `{name}`"), span),
                    (format!("{name}Page"), format!("a page of `{name}`"), span),
                    (
                        format!("Create{name}"),
                        format!("the create body of `{name}`"),
                        span,
                    ),
                    (
                        format!("Patch{name}"),
                        format!("the PATCH body of `{name}`"),
                        span,
                    ),
                    (
                        format!("Replace{name}"),
                        format!("the PUT body of `{name}` (with a private field)"),
                        span,
                    ),
                ]
            };
            for field in &resource.fields {
                if field.ty.as_ref().is_some_and(|ty| ty.value == "enum") {
                    let field_name = &field.name.value;
                    let enum_type = naming::enum_type(name, field_name);
                    // The model file imports it by name, which would hide the crate's own.
                    if RESERVED_TYPES.contains(&enum_type.as_str()) {
                        self.bad_name(
                            format!(
                                "the values of `{name}.{field_name}` would be the type \
                                 `{enum_type}`, which the generated code uses"
                            ),
                            &field.name.span,
                            "a type name that is taken",
                            format!(
                                "rename the field (an enum field's type is the resource's \
                                 name and the field's: `{name}` and `{field_name}` make \
                                 `{enum_type}`)"
                            ),
                        );
                        continue;
                    }
                    own.push((
                        enum_type,
                        format!("the values of `{name}.{field_name}`"),
                        &field.name.span,
                    ));
                }
            }
            // One error per resource: its first clash.
            let mut reported = false;
            for (schema, what, span) in own {
                match claimed.iter().find(|(other, _)| *other == schema) {
                    Some(_) if reported => {}
                    Some((_, first)) => {
                        reported = true;
                        let message = format!(
                            "`{schema}` would name two schemas of the OpenAPI document: \
                             {first} and {what}"
                        );
                        self.report(
                            Diagnostic::new(message, span.clone())
                                .with_label("a schema name already taken")
                                .with_help(
                                    "rename the resource (or the enum field): a resource may \
                                     not take another's type names (`Create<Name>`, \
                                     `Patch<Name>`, `<Name>Page`, `<Name><EnumField>`) nor \
                                     `Problem`, `FieldError`, `PageLinks`, `Login`, `LoggedIn`",
                                ),
                        );
                    }
                    None => claimed.push((schema, what)),
                }
            }
        }
    }

    /// Reports a problem with a name.
    fn bad_name(&mut self, message: String, span: &Span, label: &str, help: String) {
        self.report(
            Diagnostic::new(message, span.clone())
                .with_label(label.to_string())
                .with_help(help),
        );
    }

    /// `[api] name`: a snake_case identifier, not a keyword or a crate the generated
    /// code uses.
    pub(super) fn api_name(&mut self, name: &str, span: &Span) -> Option<String> {
        let problem = if !is_lower_ident(name) {
            Some((
                format!("API name `{name}` is not a snake_case identifier"),
                "not snake_case",
                lower_ident_help(name),
            ))
        } else if naming::is_rust_keyword(name) {
            Some((
                format!("API name `{name}` is a Rust keyword"),
                "a keyword",
                format!("a crate cannot be named after a keyword; try `{name}_api`"),
            ))
        } else if naming::is_reserved_crate_name(name) {
            Some((
                format!("API name `{name}` clashes with a crate the generated code uses"),
                "already a crate name",
                format!("pick a name of your own, e.g. `{name}_api`"),
            ))
        } else {
            None
        };
        match problem {
            Some((message, label, help)) => {
                self.bad_name(message, span, label, help);
                None
            }
            None => Some(name.to_string()),
        }
    }

    /// A resource name: PascalCase, not a reserved type or module, `User` only with
    /// `[auth]`. Reports at most one problem; true when the name is fine.
    pub(super) fn resource_name(&mut self, raw: &RawResource) -> bool {
        let name = raw.name.value.as_str();
        let span = &raw.name.span;
        let snake = naming::snake_case(name);
        let problem = if !is_pascal_ident(name) {
            let fixed = naming::pascal_case(&naming::snake_case(name));
            let help = if is_pascal_ident(&fixed) {
                format!("write it in PascalCase: `{fixed}`")
            } else {
                "use letters and digits, starting with an upper-case letter".to_string()
            };
            Some((
                format!("resource name `{name}` is not PascalCase"),
                "not PascalCase",
                help,
            ))
        } else if name == USER && !self.auth {
            Some((
                "`[resources.User]` needs an [auth] table".to_string(),
                "User is the built-in resource of [auth]",
                "add `[auth]` with `roles = [\"user\", \"admin\"]` to get users with \
                 login, or rename this resource (e.g. `Member`)"
                    .to_string(),
            ))
        } else if RESERVED_TYPES.contains(&name) || NOT_RAW.contains(&snake.as_str()) {
            Some((
                format!("resource name `{name}` is reserved"),
                "used by SeaORM or the generated crate",
                format!("choose a more specific name, e.g. `{name}Entry`"),
            ))
        } else if RESERVED_MODULES.contains(&snake.as_str()) {
            Some((
                format!("resource `{name}` clashes with the generated module `{snake}`"),
                "a module of the generated crate",
                format!("choose a more specific name, e.g. `{name}Entry`"),
            ))
        } else if naming::is_reserved_crate_name(&snake) {
            Some((
                format!(
                    "resource `{name}` would make a module `{snake}`, the name of a crate the generated code uses"
                ),
                "already a crate name",
                format!("choose a more specific name, e.g. `{name}Entry`"),
            ))
        } else {
            None
        };
        match problem {
            Some((message, label, help)) => {
                self.bad_name(message, span, label, help);
                false
            }
            None => true,
        }
    }

    /// An explicit `plural`: a snake_case identifier, not a reserved module.
    pub(super) fn plural_name(&mut self, plural: &str, span: &Span) -> bool {
        let problem = if !is_lower_ident(plural) {
            Some((
                format!("plural `{plural}` is not a snake_case identifier"),
                "not snake_case",
                lower_ident_help(plural),
            ))
        } else if RESERVED_MODULES.contains(&plural)
            || NOT_RAW.contains(&plural)
            || naming::is_reserved_crate_name(plural)
        {
            Some((
                format!("plural `{plural}` clashes with the generated module `{plural}`"),
                "a module of the generated crate",
                "choose another plural".to_string(),
            ))
        } else if plural == "users" && !self.auth {
            Some((
                "plural `users` is reserved for the built-in User".to_string(),
                "the table of [auth] users, should you add [auth]",
                "choose another plural, e.g. `members`".to_string(),
            ))
        } else if plural == SESSIONS_TABLE {
            Some((
                format!("plural `{SESSIONS_TABLE}` is reserved for the login sessions of [auth]"),
                "the table of [auth]'s login sessions",
                "choose another plural".to_string(),
            ))
        } else {
            None
        };
        match problem {
            Some((message, label, help)) => {
                self.bad_name(message, span, label, help);
                false
            }
            None => true,
        }
    }

    /// The default plural of a resource whose name is fine: it may still hit a module.
    pub(super) fn default_plural_name(&mut self, raw: &RawResource, plural: &str) -> bool {
        let label = if RESERVED_MODULES.contains(&plural) {
            "a module of the generated crate"
        } else if naming::is_reserved_crate_name(plural) {
            "the name of a crate the generated code uses"
        } else if plural == "users" && raw.name.value != USER {
            "the table of the built-in User"
        } else if plural == SESSIONS_TABLE {
            "the table of [auth]'s login sessions"
        } else {
            return true;
        };
        let name = &raw.name.value;
        self.bad_name(
            format!("the plural of `{name}`, `{plural}`, is a reserved name"),
            &raw.name.span,
            label,
            format!(
                "set another table and URL name with `plural = \"...\"` in \
                 [resources.{name}], or rename the resource"
            ),
        );
        false
    }

    /// A field name: an identifier, not a server column, not a non-raw keyword.
    pub(super) fn field_name(&mut self, resource: &str, name: &str, span: &Span) -> bool {
        let snake = naming::snake_case(name);
        let problem = if !naming::is_identifier(name) {
            let fixed = naming::snake_case(name);
            let help = if naming::is_identifier(&fixed) {
                format!("use letters, digits and `_`, starting with a letter: `{fixed}`")
            } else {
                "use letters, digits and `_`, starting with a letter".to_string()
            };
            Some((
                format!("field name `{name}` is not an identifier"),
                "not an identifier",
                help,
            ))
        } else if SERVER_COLUMNS.contains(&snake.as_str()) {
            Some((
                format!("field name `{name}` is reserved"),
                "a column the server manages",
                server_column_help(&snake, resource),
            ))
        } else if NOT_RAW.contains(&name) || NOT_RAW.contains(&snake.as_str()) {
            Some((
                format!("field name `{name}` cannot be a Rust identifier"),
                "not even as a raw identifier",
                format!("rename the field, e.g. `{snake}_ref`"),
            ))
        } else {
            None
        };
        match problem {
            Some((message, label, help)) => {
                self.bad_name(message, span, label, help);
                false
            }
            None => true,
        }
    }
}

/// Why a server-managed column cannot be a field, and what to do.
fn server_column_help(column: &str, resource: &str) -> String {
    match column {
        "id" => format!(
            "every {resource} already has an `id` primary key; rename the field, \
             e.g. `code` or `external_id`"
        ),
        "deleted_at" => {
            "the server sets `deleted_at` for `soft_delete = true`; rename the field".to_string()
        }
        _ => format!(
            "the server sets `{column}` when `timestamps = true` (the default); \
             rename the field"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_shapes() {
        assert!(is_lower_ident("shop_api2"));
        assert!(!is_lower_ident("Shop"));
        assert!(!is_lower_ident("2shop"));
        assert!(is_pascal_ident("OrderItem"));
        assert!(!is_pascal_ident("order_item"));
        assert!(!is_pascal_ident("Order_Item"));
        assert_eq!(folded("Order_Item"), "orderitem");
    }

    /// A resource named like a type the prelude brings into its route file would hide
    /// it there (`Kind`: `Kind::Text` names the resource), and a resource module named
    /// like a module it brings (`op`) would too: each is reserved.
    #[test]
    fn every_name_the_prelude_brings_is_reserved() {
        let prelude = include_str!("../../../templates/src/prelude.rs");
        let mut names = Vec::new();
        for item in prelude.split("pub use ").skip(1) {
            let item = item.split(';').next().unwrap_or_default();
            let list = match item.split_once('{') {
                Some((_, list)) => list.trim_end_matches('}').to_string(),
                None => item.rsplit("::").next().unwrap_or_default().to_string(),
            };
            names.extend(list.split(',').map(|n| n.trim().to_string()));
        }
        names.retain(|n| !n.is_empty() && n != "self");
        assert!(names.len() > 40, "the prelude's names: {names:?}");
        for name in names {
            if name.starts_with(|c: char| c.is_ascii_uppercase()) && name != "UserRole" {
                assert!(
                    RESERVED_TYPES.contains(&name.as_str()),
                    "{name} is not reserved"
                );
            }
        }
        // A model file's own imports by name (`use std::sync::LazyLock;`).
        for template in [
            include_str!("../../../templates/src/models/resource.rs"),
            include_str!("../../../templates/src/models/user.rs"),
        ] {
            let literal = template
                .lines()
                .filter(|l| l.starts_with("use ") && !l.contains('{'));
            for line in literal {
                let name = line
                    .trim_end_matches(';')
                    .rsplit("::")
                    .next()
                    .unwrap_or_default();
                // `crate::auth::Password` is the User model's alone, and no resource's
                // model shares its file.
                if name.starts_with(|c: char| c.is_ascii_uppercase()) && name != "Password" {
                    assert!(RESERVED_TYPES.contains(&name), "{name} is not reserved");
                }
            }
        }
        for module in ["extract", "op"] {
            assert!(
                RESERVED_MODULES.contains(&module),
                "{module} is not reserved"
            );
        }
    }
}
