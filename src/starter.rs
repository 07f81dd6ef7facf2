//! What `apigen new` starts a project with: the starter schema, the questions asked on a
//! terminal, and the user-owned `.env` and `.gitignore`.

use std::path::Path;

use dialoguer::{Confirm, Input, Select};

use crate::Failure;
use crate::edit::{self, FieldSpec};
use crate::names;
use crate::schema::{Database, Scalar, Schema};

/// Field types offered by the questions (relations need a second resource: edit the file).
fn scalar_types() -> Vec<&'static str> {
    Scalar::ALL.into_iter().map(Scalar::keyword).collect()
}

const DATABASES: &[&str] = &["sqlite", "postgres", "mysql"];

/// A crate name for a project folder: `My Shop` becomes `my_shop`, `2fa` becomes `api_2fa`.
pub fn crate_name_for(dir: &Path) -> String {
    let raw = dir
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut name = String::new();
    for c in raw.chars() {
        if c.is_ascii_alphanumeric() {
            name.push(c.to_ascii_lowercase());
        } else if !name.ends_with('_') {
            name.push('_');
        }
    }
    let name = name.trim_matches('_').to_string();
    match name.chars().next() {
        None => "api".to_string(),
        Some(first) if !first.is_ascii_alphabetic() => format!("api_{name}"),
        Some(_) if names::is_rust_keyword(&name) => format!("{name}_api"),
        Some(_) => name,
    }
}

/// The starter schema: one resource, a few fields, comments that teach the syntax.
pub fn schema(name: &str, database: &str) -> String {
    format!(
        r#"# apigen.toml: the single source of truth of this API. Edit it, then run `apigen generate`.
[api]
name = "{name}"
database = "{database}"   # sqlite | postgres | mysql: the production engine
# swagger_ui = true     # Swagger UI at /docs, compiled in (a longer first build)
# brotli = true         # brotli beside gzip

[resources.Task]
# plural = "tasks"      # URL segment and table name
# timestamps = true     # created_at, updated_at

[resources.Task.fields]
title = {{ type = "string", min_length = 1, max_length = 200 }}
done = {{ type = "bool", default = false }}
due = "date?"           # "TYPE?" is an optional field
"#
    )
}

/// Asks for the project's name, database, and first resource with its fields.
pub fn ask(
    default_name: &str,
    db: Option<crate::schema::Database>,
) -> Result<String, dialoguer::Error> {
    let name: String = Input::new()
        .with_prompt("API name (snake_case)")
        .default(default_name.to_string())
        .validate_with(|input: &String| {
            check_pattern(input, names::is_lower_ident, "use snake_case, like my_shop")
        })
        .interact_text()?;
    let database = match db {
        Some(db) => db.as_str(),
        None => {
            let choice = Select::new()
                .with_prompt("Production database (SQLite always works locally)")
                .items(DATABASES)
                .default(0)
                .interact()?;
            DATABASES[choice]
        }
    };
    let resource: String = Input::new()
        .with_prompt("First resource (PascalCase, singular)")
        .default("Task".to_string())
        .validate_with(|input: &String| {
            check_pattern(
                input,
                names::is_pascal_ident,
                "use PascalCase, like BlogPost",
            )
        })
        .interact_text()?;
    let fields = ask_fields()?;
    let text = format!(
        "# apigen.toml: the single source of truth of this API. Edit it, then run `apigen generate`.\n\
         [api]\nname = \"{name}\"\ndatabase = \"{database}\"\n"
    );
    // The questions allow only valid names and types, so the edit cannot fail.
    Ok(edit::add_resource(&text, &resource, &fields, &[]).unwrap_or(text))
}

/// Asks who may read (list, get) and who may write (create, update, delete) a new
/// resource, each from the rules that need no owner field; the last role is the default,
/// as it is for what `access` does not name.
pub fn ask_access(
    resource: &str,
    roles: &[String],
) -> Result<Vec<(String, String)>, dialoguer::Error> {
    let rules: Vec<&str> = ["public", "authenticated"]
        .into_iter()
        .chain(roles.iter().map(String::as_str))
        .collect();
    let last = rules.len() - 1;
    let mut access = Vec::new();
    for (shortcut, what) in [
        ("read", "list and get"),
        ("write", "create, update and delete"),
    ] {
        let choice = Select::new()
            .with_prompt(format!(
                "Who may {what} {resource} rows? (a role admits every role after it)"
            ))
            .items(&rules)
            .default(last)
            .interact()?;
        access.push((shortcut.to_string(), rules[choice].to_string()));
    }
    Ok(access)
}

/// Asks for fields one by one (name, type, optional) until an empty name.
pub fn ask_fields() -> Result<Vec<FieldSpec>, dialoguer::Error> {
    let mut fields = Vec::new();
    loop {
        let name: String = Input::new()
            .with_prompt("Field name (empty to finish)")
            .allow_empty(true)
            .validate_with(|input: &String| {
                if input.is_empty() {
                    Ok(())
                } else {
                    check_pattern(input, names::is_identifier, "use letters, digits and _")
                }
            })
            .interact_text()?;
        if name.is_empty() {
            return Ok(fields);
        }
        let choice = Select::new()
            .with_prompt(format!("Type of `{name}`"))
            .items(scalar_types())
            .default(0)
            .interact()?;
        let optional = Confirm::new()
            .with_prompt("Optional?")
            .default(false)
            .interact()?;
        let unique = Confirm::new()
            .with_prompt("Unique?")
            .default(false)
            .interact()?;
        fields.push(FieldSpec {
            name,
            ty: scalar_types()[choice].to_string(),
            optional,
            unique,
            resource: None,
            default: None,
        });
    }
}

fn check_pattern(input: &str, ok: fn(&str) -> bool, hint: &str) -> Result<(), String> {
    if ok(input) {
        Ok(())
    } else {
        Err(hint.to_string())
    }
}

/// Sets `[api] database` in a schema's text, keeping every comment and the layout.
pub fn set_database(source: &str, database: &str) -> Result<String, Failure> {
    let mut doc: toml_edit::DocumentMut = source
        .parse()
        .map_err(|e| Failure::Schema(format!("error: the schema is not valid TOML: {e}")))?;
    let Some(api) = doc.get_mut("api").and_then(|item| item.as_table_like_mut()) else {
        return Err(Failure::Schema(
            "error: the schema has no [api] table to set the database in".to_string(),
        ));
    };
    api.insert("database", toml_edit::value(database));
    Ok(doc.to_string())
}

/// The default local database: a SQLite file named after the API, created on first run.
pub fn sqlite_url(schema: &Schema) -> String {
    format!("sqlite://{}.db?mode=rwc", schema.api.name)
}

/// 32 random bytes as 64 hex digits, from the operating system's generator.
fn random_secret() -> std::io::Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(std::io::Error::other)?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// `.env`: what `cargo run` needs, with the other settings shown commented out. With
/// `[auth]`, a fresh random `JWT_SECRET`, so the API runs with zero configuration.
pub fn dot_env(schema: &Schema) -> std::io::Result<String> {
    let production = match schema.api.database {
        Database::Sqlite => String::new(),
        Database::Postgres => format!(
            "# In production, point at PostgreSQL instead:\n# DATABASE_URL=postgres://user:password@localhost:5432/{}\n",
            schema.api.name
        ),
        Database::Mysql => format!(
            "# In production, point at MySQL instead:\n# DATABASE_URL=mysql://user:password@localhost:3306/{}\n",
            schema.api.name
        ),
    };
    let secret = match schema.auth {
        Some(_) => format!(
            "# Signs the login tokens: keep it secret, and at least 32 bytes long.\nJWT_SECRET={}\n",
            random_secret()?
        ),
        None => String::new(),
    };
    Ok(format!(
        "# Local settings, read at start-up. Not committed (see .gitignore).\nDATABASE_URL={}\n{secret}{production}# HOST=127.0.0.1\n# PORT=3000\n# RUST_LOG=info\n",
        sqlite_url(schema)
    ))
}

pub fn gitignore(schema: &Schema) -> String {
    format!(
        "/target\n.env\n{name}.db\n{name}.db-shm\n{name}.db-wal\n",
        name = schema.api.name
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crate_names_are_valid_identifiers() {
        assert_eq!(crate_name_for(Path::new("/tmp/My Shop")), "my_shop");
        assert_eq!(crate_name_for(Path::new("2fa")), "api_2fa");
        assert_eq!(crate_name_for(Path::new("---")), "api");
        assert_eq!(crate_name_for(Path::new("type")), "type_api");
    }

    #[test]
    fn the_starter_schema_is_valid() {
        let text = schema("todo", "sqlite");
        let schema = crate::schema::parse("apigen.toml", &text).expect("starter must be valid");
        assert_eq!(schema.api.name, "todo");
        assert_eq!(schema.resources[0].name, "Task");
    }

    #[test]
    fn set_database_keeps_comments() {
        let text = "# mine\n[api]\nname = \"x\" # the name\ndatabase = \"sqlite\"\n";
        let out = set_database(text, "postgres").unwrap();
        assert!(out.contains("# mine"));
        assert!(out.contains("# the name"));
        assert!(out.contains("database = \"postgres\""));
    }
}
