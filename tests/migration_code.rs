//! The migrations apigen writes for schema changes: each parses, imports only what it uses
//! (the generated project's CI runs clippy with `-D warnings`), binds no local it does not
//! read, and is left as it is by rustfmt.

mod support;

use std::collections::BTreeMap;

use support::rustfmt;
use syn::visit::Visit;

/// Every kind of step: (what, schema before, schema after). `{base}` is replaced by
/// [`BASE`]'s resources.
const CHANGES: &[(&str, &str, &str)] = &[
    (
        "add an optional int column: a column helper, no backend",
        "{base}",
        "{base}stars = \"int?\"\n",
    ),
    (
        "add an optional text column: the backend, neither DbBackend nor a column helper",
        "{base}",
        "{base}summary = \"text?\"\n",
    ),
    (
        "add a required column with a default",
        "{base}",
        "{base}rank = { type = \"int\", default = 3 }\n",
    ),
    (
        "add optional decimal, datetime and uuid columns",
        "{base}",
        "{base}price = \"decimal?\"\nseen_at = \"datetime?\"\nref = \"uuid?\"\n",
    ),
    (
        "a column named `backend`",
        "{base}",
        "{base}backend = \"string?\"\n",
    ),
    ("drop an int column", "{base}views = \"int?\"\n", "{base}"),
    (
        "drop a text column: its `down` adds it back with the backend",
        "{base}notes = \"text?\"\n",
        "{base}",
    ),
    (
        "rename a column",
        "{base}views = \"int?\"\n",
        "{base}hits = { type = \"int\", optional = true, renamed_from = \"views\" }\n",
    ),
    (
        "optional to required with a default: the SQLite rebuild branch",
        "{base}views = \"int?\"\n",
        "{base}views = { type = \"int\", default = 0 }\n",
    ),
    (
        "optional to required with a default of each type that has no database default: typed fills",
        "{base}price = \"decimal?\"\nref = \"uuid?\"\nday = \"date?\"\nseen_at = \"datetime?\"\nopens = \"time?\"\n",
        "{base}price = { type = \"decimal\", default = \"19.99\" }\nref = { type = \"uuid\", default = \"67e55044-10b1-426f-9247-bb680e5fe0c8\" }\nday = { type = \"date\", default = \"2024-01-31\" }\nseen_at = { type = \"datetime\", default = \"2024-01-31T12:00:00Z\" }\nopens = { type = \"time\", default = \"09:30:00\" }\n",
    ),
    (
        "optional to required, one decimal",
        "{base}price = \"decimal?\"\n",
        "{base}price = { type = \"decimal\", default = 0 }\n",
    ),
    (
        "new required fields with defaults that have no database default: added, filled, made required",
        "{base}",
        "{base}price = { type = \"decimal\", default = \"19.99\" }\nref = { type = \"uuid\", default = \"67e55044-10b1-426f-9247-bb680e5fe0c8\" }\nday = { type = \"date\", default = \"2024-01-31\" }\nseen_at = { type = \"datetime\", default = \"2024-01-31T12:00:00Z\" }\nopens = { type = \"time\", default = \"09:30:00\" }\n",
    ),
    (
        "required decimal to optional: the down fills with a decimal",
        "{base}price = { type = \"decimal\", default = 1 }\n",
        "{base}price = \"decimal?\"\n",
    ),
    (
        "required time to optional: the down fills with a time of day",
        "{base}opens = { type = \"time\", default = 09:30:00 }\n",
        "{base}opens = \"time?\"\n",
    ),
    (
        "required to optional",
        "{base}views = { type = \"int\", default = 0 }\n",
        "{base}views = \"int?\"\n",
    ),
    (
        "a default changes",
        "{base}views = { type = \"int\", default = 0 }\n",
        "{base}views = { type = \"int\", default = 1 }\n",
    ),
    (
        "a shorter max_length cuts values",
        "{base}code = { type = \"string\", max_length = 20, optional = true }\n",
        "{base}code = { type = \"string\", max_length = 10, optional = true }\n",
    ),
    (
        "enum values removed and added",
        "{base}state = { type = \"enum\", values = [\"a\", \"b\"], default = \"a\" }\n",
        "{base}state = { type = \"enum\", values = [\"a\", \"c\"], default = \"a\" }\n",
    ),
    (
        "an enum value longer than the column widens it",
        "{base}state = { type = \"enum\", values = [\"a\"], optional = true }\n",
        "{base}state = { type = \"enum\", values = [\"a\", \"a_value_longer_than_thirty_two_chars\"], optional = true }\n",
    ),
    (
        "a new optional belongs_to: index and foreign key, rebuilt on SQLite",
        "{base}",
        "{base}author = { type = \"belongs_to\", resource = \"Author\", optional = true, on_delete = \"set_null\" }\n",
    ),
    (
        "a belongs_to dropped",
        "{base}author = { type = \"belongs_to\", resource = \"Author\", optional = true, on_delete = \"set_null\" }\n",
        "{base}",
    ),
];

/// The resources every change starts from; a change appends to `Post`'s fields.
const BASE: &str = "[api]\nname = \"t\"\n\n[resources.Author.fields]\nname = \"string\"\n\n[resources.Post.fields]\ntitle = { type = \"string\", max_length = 100, index = true }\n";

/// Whole schemas that the `{base}` form cannot say.
fn whole_schema_changes() -> Vec<(&'static str, String, String)> {
    let tag = "\n[resources.Tag.fields]\nlabel = { type = \"string\", unique = true }\n";
    let plain_tag = "\n[resources.Tag]\ntimestamps = false\n\n[resources.Tag.fields]\nlabel = { type = \"string\", unique = true }\n";
    let note =
        "\n[resources.Note]\ntimestamps = false\n\n[resources.Note.fields]\nbody = \"text\"\n";
    vec![
        (
            "create a table with a unique index and no backend-dependent column",
            BASE.to_string(),
            format!("{BASE}{plain_tag}"),
        ),
        ("create a table", BASE.to_string(), format!("{BASE}{tag}")),
        (
            "create a table whose only column is text",
            BASE.to_string(),
            format!("{BASE}{note}"),
        ),
        ("drop a table", format!("{BASE}{tag}"), BASE.to_string()),
        (
            "rename a table",
            format!("{BASE}{tag}"),
            format!(
                "{BASE}{}",
                tag.replace(
                    "[resources.Tag.fields]",
                    "[resources.Label]\nrenamed_from = \"Tag\"\n\n[resources.Label.fields]"
                )
            ),
        ),
        (
            "drop an index",
            BASE.to_string(),
            BASE.replace(", index = true", ""),
        ),
        (
            "a many_to_many link table",
            BASE.to_string(),
            format!("{BASE}tags = {{ type = \"many_to_many\", resource = \"Author\" }}\n"),
        ),
        (
            "a table named backends",
            BASE.to_string(),
            format!(
                "{BASE}\n[resources.Backend]\ntimestamps = false\n\n[resources.Backend.fields]\nport = \"int\"\n"
            ),
        ),
    ]
}

fn all_changes() -> Vec<(String, String, String)> {
    let mut changes: Vec<(String, String, String)> = CHANGES
        .iter()
        .map(|(what, before, after)| {
            (
                what.to_string(),
                before.replace("{base}", BASE),
                after.replace("{base}", BASE),
            )
        })
        .collect();
    changes.extend(
        whole_schema_changes()
            .into_iter()
            .map(|(what, before, after)| (what.to_string(), before, after)),
    );
    changes.push((
        "add a unique index".to_string(),
        BASE.to_string(),
        BASE.replace("index = true", "unique = true"),
    ));
    changes
}

/// The migration apigen writes when the schema goes from `before` to `after`.
fn migration(before: &str, after: &str) -> (String, String) {
    let parse = |source: &str| {
        apigen::schema::parse("apigen.toml", source).unwrap_or_else(|d| panic!("{source}\n{d:?}"))
    };
    let (_, first) =
        apigen::render_with_state(&parse(before), &apigen::migrate::State::empty(), &|_, _| {
            None
        })
        .unwrap_or_else(|e| panic!("{e}"));
    let (files, evolution) = apigen::render_with_state(&parse(after), &first.state, &|_, _| None)
        .unwrap_or_else(|e| panic!("{e}"));
    let [m] = evolution.migrations.as_slice() else {
        panic!(
            "one migration expected, got {:?}",
            evolution.migrations.len()
        );
    };
    let path = format!("src/migrations/{}.rs", m.module);
    let file = files.get(&path).expect("the migration is rendered");
    (path, file.contents.clone())
}

/// Each identifier outside the `use` items, with how often it occurs.
#[derive(Default)]
struct Idents(BTreeMap<String, usize>);

impl<'ast> Visit<'ast> for Idents {
    fn visit_ident(&mut self, ident: &'ast syn::Ident) {
        *self.0.entry(ident.to_string()).or_default() += 1;
    }

    fn visit_item_use(&mut self, _: &'ast syn::ItemUse) {}
}

fn count(block: impl FnOnce(&mut Idents)) -> Idents {
    let mut idents = Idents::default();
    block(&mut idents);
    idents
}

/// What each glob import brings that a migration may use.
fn glob_names(path: &str) -> &'static [&'static str] {
    match path {
        "sea_orm_migration::prelude" => &[
            "DbErr",
            "SchemaManager",
            "MigrationTrait",
            "DeriveMigrationName",
            "Table",
            "Index",
            "ForeignKey",
            "ForeignKeyAction",
        ],
        "sea_orm_migration::schema" => &[
            "big_pk_auto",
            "big_integer",
            "big_integer_null",
            "string_len",
            "string_len_null",
            "integer",
            "integer_null",
            "double",
            "double_null",
            "boolean",
            "boolean_null",
            "uuid",
            "uuid_null",
            "date",
            "date_null",
            "json_binary",
            "json_binary_null",
        ],
        other => panic!("a glob import this test does not know: {other}::*"),
    }
}

/// Every name a `use` tree imports: (path, name), `*` for a glob.
fn imported(tree: &syn::UseTree, prefix: &str, out: &mut Vec<(String, String)>) {
    let join = |name: &str| {
        if prefix.is_empty() {
            name.to_string()
        } else {
            format!("{prefix}::{name}")
        }
    };
    match tree {
        syn::UseTree::Path(p) => imported(&p.tree, &join(&p.ident.to_string()), out),
        syn::UseTree::Name(n) => out.push((prefix.to_string(), n.ident.to_string())),
        syn::UseTree::Rename(r) => out.push((prefix.to_string(), r.rename.to_string())),
        syn::UseTree::Glob(_) => out.push((prefix.to_string(), "*".to_string())),
        syn::UseTree::Group(g) => g.items.iter().for_each(|t| imported(t, prefix, out)),
    }
}

/// The problems of one migration's source: unused imports, unused locals.
fn problems(source: &str) -> Vec<String> {
    let file = syn::parse_file(source).unwrap_or_else(|e| panic!("does not parse: {e}"));
    let used = count(|v| v.visit_file(&file));
    let mut problems = Vec::new();
    // A `manager` parameter its body never names is an unused variable under -D warnings.
    for function in ["up", "down"] {
        let head = format!("async fn {function}(&self, manager: &SchemaManager)");
        if let Some(start) = source.find(&head) {
            let body = &source[start + head.len()..];
            let body = &body[..body.find("\n    }\n").unwrap_or(body.len())];
            if !body.contains("manager") {
                problems.push(format!("`{function}` never uses its `manager`"));
            }
        }
    }
    for item in &file.items {
        if let syn::Item::Use(u) = item {
            let mut names = Vec::new();
            imported(&u.tree, "", &mut names);
            for (path, name) in names {
                let is_used = if name == "*" {
                    glob_names(&path).iter().any(|n| used.0.contains_key(*n))
                } else {
                    used.0.contains_key(&name)
                };
                if !is_used {
                    problems.push(format!("unused import {path}::{name}"));
                }
            }
        }
    }
    // Every local (a `let` or a parameter) of every function is read.
    let mut functions: Vec<(String, &syn::Signature, &syn::Block)> = Vec::new();
    for item in &file.items {
        match item {
            syn::Item::Fn(f) => functions.push((f.sig.ident.to_string(), &f.sig, &f.block)),
            syn::Item::Impl(i) => {
                for item in &i.items {
                    if let syn::ImplItem::Fn(f) = item {
                        functions.push((f.sig.ident.to_string(), &f.sig, &f.block));
                    }
                }
            }
            _ => {}
        }
    }
    for (name, sig, block) in functions {
        let uses = count(|v| v.visit_block(block));
        let mut locals: Vec<(String, usize)> = Vec::new();
        for input in &sig.inputs {
            if let syn::FnArg::Typed(t) = input
                && let syn::Pat::Ident(p) = &*t.pat
            {
                locals.push((p.ident.to_string(), 0));
            }
        }
        for stmt in &block.stmts {
            if let syn::Stmt::Local(local) = stmt {
                let pat = match &local.pat {
                    syn::Pat::Type(t) => &*t.pat,
                    other => other,
                };
                if let syn::Pat::Ident(p) = pat {
                    locals.push((p.ident.to_string(), 1));
                }
            }
        }
        for (local, bindings) in locals {
            let reads = uses.0.get(&local).copied().unwrap_or(0) - bindings;
            if reads == 0 && !local.starts_with('_') {
                problems.push(format!("`{local}` is never read in fn {name}"));
            }
        }
    }
    problems
}

#[test]
fn every_migration_imports_only_what_it_uses_and_is_rustfmt_clean() {
    let mut failures = Vec::new();
    let changes = all_changes();
    for (what, before, after) in &changes {
        let (path, source) = migration(before, after);
        let found = problems(&source);
        if !found.is_empty() {
            failures.push(format!("{what} ({path}): {}\n{source}", found.join("; ")));
        }
        let formatted = rustfmt(&source);
        if formatted != source {
            let diff = similar_lines(&source, &formatted);
            failures.push(format!("{what} ({path}): not rustfmt-clean:\n{diff}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} migrations:\n\n{}",
        failures.len(),
        changes.len(),
        failures.join("\n\n")
    );
}

/// The lines of `a` and `b` that differ, for the failure message.
fn similar_lines(a: &str, b: &str) -> String {
    let mut out = String::new();
    for (x, y) in a.lines().zip(b.lines()) {
        if x != y {
            out.push_str(&format!("- {x}\n+ {y}\n"));
        }
    }
    out
}

/// The checker itself: a migration with an unused import, an unused glob and an unread
/// `backend` is caught.
#[test]
fn the_check_catches_unused_imports_and_locals() {
    let source = "use sea_orm::DbBackend;\nuse sea_orm_migration::prelude::*;\nuse sea_orm_migration::schema::*;\n\nuse super::kit;\n\nfn up(manager: &SchemaManager) -> Result<(), DbErr> {\n    let backend = manager.get_database_backend();\n    kit::drop_column(manager, \"notes\", \"backend\");\n    Ok(())\n}\n";
    assert_eq!(
        problems(source),
        [
            "unused import sea_orm::DbBackend",
            "unused import sea_orm_migration::schema::*",
            "`backend` is never read in fn up"
        ]
    );
}

#[test]
fn new_tables_that_refer_to_each_other_get_their_keys_once_both_exist() {
    let source = "[api]\nname = \"cyc\"\ndatabase = \"postgres\"\n\n\
        [resources.Team.fields]\nname = \"string\"\n\
        captain = { type = \"belongs_to\", resource = \"Player\", optional = true }\n\n\
        [resources.Player.fields]\nname = \"string\"\n\
        team = { type = \"belongs_to\", resource = \"Team\", optional = true }\n";
    let schema = apigen::schema::parse("apigen.toml", source).unwrap();
    let (files, evolution) =
        apigen::render_with_state(&schema, &apigen::migrate::State::empty(), &|_, _| None).unwrap();
    let modules: Vec<&str> = evolution
        .migrations
        .iter()
        .map(|m| m.module.as_str())
        .collect();
    assert_eq!(
        modules,
        [
            "m0001_create_teams",
            "m0002_create_players",
            "m0003_foreign_keys_teams"
        ]
    );
    let text = |module: &str| {
        let path = format!("src/migrations/{module}.rs");
        files.get(&path).unwrap().contents.clone()
    };
    // PostgreSQL and MySQL refuse a foreign key to a table that does not exist yet.
    assert!(!text("m0001_create_teams").contains(".to(\"players\""));
    assert!(text("m0002_create_players").contains(".to(\"teams\""));
    assert!(text("m0003_foreign_keys_teams").contains("\"teams_captain_id_fkey\""));
    for module in modules {
        assert!(problems(&text(module)).is_empty(), "{module}");
    }
}

#[test]
fn a_migration_that_only_removes_enum_values_has_no_unused_manager() {
    let before = "[api]\nname = \"e\"\n\n[resources.Note.fields]\ntitle = \"string\"\n\
        state = { type = \"enum\", values = [\"a\", \"b\"], optional = true }\n";
    let after = before.replace("[\"a\", \"b\"]", "[\"a\"]");
    let (path, text) = migration(before, &after);
    assert!(path.ends_with("_values_notes.rs"), "{path}");
    assert!(
        text.contains("async fn down(&self, _manager: &SchemaManager)"),
        "{text}"
    );
    assert_eq!(problems(&text), Vec::<String>::new());
}
