//! The schema checker: every bad schema in fixtures/invalid/ is rejected with the exact
//! text snapshotted in snapshots/, and the valid fixtures come out as the right model.

use std::path::Path;

use apigen::schema::{
    self, Access, Database, DefaultValue, Diagnostic, FieldType, Format, OnDelete, Resource, Rule,
    Scalar, Schema,
};

fn parse_ok(source: &str) -> Schema {
    match schema::parse("apigen.toml", source) {
        Ok(schema) => schema,
        Err(diags) => panic!(
            "expected a valid schema:\n{}",
            schema::render_diagnostics("apigen.toml", source, &diags, false)
        ),
    }
}

fn parse_err(source: &str) -> (Vec<Diagnostic>, String) {
    match schema::parse("apigen.toml", source) {
        Ok(schema) => panic!("expected errors, got {schema:#?}"),
        Err(diags) => {
            let text = schema::render_diagnostics("apigen.toml", source, &diags, false);
            (diags, text)
        }
    }
}

fn fixture(name: &str) -> Schema {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name);
    let source = std::fs::read_to_string(&path).expect("fixture exists");
    parse_ok(&source)
}

fn resource<'s>(schema: &'s Schema, name: &str) -> &'s Resource {
    schema
        .resources
        .iter()
        .find(|r| r.name == name)
        .unwrap_or_else(|| panic!("no resource {name}"))
}

fn field_names(resource: &Resource) -> Vec<&str> {
    resource.fields.iter().map(|f| f.name.as_str()).collect()
}

// ---- invalid fixtures: snapshots ------------------------------------------------------

#[test]
fn invalid_fixtures_are_rejected_with_these_errors() {
    insta::glob!("../fixtures/invalid", "*.toml", |path| {
        let source = std::fs::read_to_string(path).expect("fixture is readable");
        let file_name = path
            .file_name()
            .and_then(|n| n.to_str())
            .expect("UTF-8 file name");
        assert!(
            source.starts_with('#'),
            "{file_name} must start with a comment saying what is wrong"
        );
        let diags = match schema::parse(file_name, &source) {
            Ok(_) => panic!("{file_name} should be rejected"),
            Err(diags) => diags,
        };
        for diag in &diags {
            assert!(
                diag.help.is_some(),
                "{file_name}: no help for {:?}",
                diag.message
            );
            assert!(
                diag.span.end <= source.len(),
                "{file_name}: span out of the file"
            );
        }
        let rendered = schema::render_diagnostics(file_name, &source, &diags, false);
        insta::with_settings!({
            snapshot_path => "../snapshots",
            prepend_module_to_snapshot => true,
            omit_expression => true,
        }, {
            insta::assert_snapshot!(rendered);
        });
    });
}

// ---- valid fixtures ---------------------------------------------------------------------

#[test]
fn minimal_fixture() {
    let schema = fixture("minimal.toml");
    assert_eq!(schema.api.name, "notes");
    assert_eq!(schema.api.database, Database::Sqlite);
    assert_eq!(schema.api.base_path, "/api");
    assert_eq!(schema.auth, None);
    let note = resource(&schema, "Note");
    assert_eq!(note.plural, "notes");
    assert!(note.timestamps);
    assert!(!note.soft_delete);
    assert_eq!(note.access, Access::all(Rule::Public));
    assert_eq!(field_names(note), ["title", "body"]);
    assert_eq!(note.fields[0].max_length, Some(200));
    assert!(note.fields[1].optional);
    assert_eq!(note.fields[1].ty, FieldType::Scalar(Scalar::Text));
}

#[test]
fn blog_fixture() {
    let schema = fixture("blog.toml");
    assert_eq!(schema.api.base_path, "/v1");
    let names: Vec<&str> = schema.resources.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["Author", "Tag", "Post", "Comment"]);
    assert!(!resource(&schema, "Tag").timestamps);
    let post = resource(&schema, "Post");
    assert_eq!(
        field_names(post),
        [
            "title",
            "slug",
            "body",
            "status",
            "published_at",
            "author",
            "tags",
            "rating"
        ]
    );
    assert_eq!(
        post.fields[6].ty,
        FieldType::ManyToMany {
            resource: "Tag".into()
        }
    );
    assert_eq!(
        post.fields[3].default,
        Some(DefaultValue::Text("draft".into()))
    );
    let comment = resource(&schema, "Comment");
    assert!(comment.soft_delete);
    let keyword = comment
        .fields
        .iter()
        .find(|f| f.name == "match")
        .expect("match");
    assert_eq!(keyword.default, Some(DefaultValue::Bool(false)));
    assert_eq!(apigen::names::rust_ident(&keyword.name), "r#match");
}

#[test]
fn shop_fixture() {
    let schema = fixture("shop.toml");
    assert_eq!(schema.api.database, Database::Postgres);
    let product = resource(&schema, "Product");
    let ty = product
        .fields
        .iter()
        .find(|f| f.name == "type")
        .expect("type");
    match &ty.ty {
        FieldType::Enum(values) => assert_eq!(values, &["books", "games", "tools"]),
        other => panic!("type should be an enum, is {other:?}"),
    }
    assert_eq!(product.fields[0].name, "name");
    assert!(product.fields[0].index);
    let price = product
        .fields
        .iter()
        .find(|f| f.name == "price")
        .expect("price");
    assert_eq!(price.min, Some(schema::Number::Int(0)));
    let weight = product
        .fields
        .iter()
        .find(|f| f.name == "weight")
        .expect("weight");
    assert_eq!(weight.max, Some(schema::Number::Float(1000.0)));
    assert!(resource(&schema, "Order").soft_delete);
    let category = resource(&schema, "Category");
    assert_eq!(category.plural, "categories");
    assert_eq!(
        category.fields[1].ty,
        FieldType::BelongsTo {
            resource: "Category".into(),
            on_delete: OnDelete::SetNull
        }
    );
    let customer = resource(&schema, "Customer");
    assert_eq!(customer.fields[0].format, Some(Format::Email));
    let order = resource(&schema, "Order");
    assert_eq!(
        order.fields[1].ty,
        FieldType::BelongsTo {
            resource: "Product".into(),
            on_delete: OnDelete::Restrict
        }
    );
}

// ---- positions ------------------------------------------------------------------------

#[test]
fn errors_point_at_the_offending_text() {
    let source = "\
[api]
name = \"shop\"

[resources.Product.fields]
name = { type = \"strng\" }
";
    let (diags, text) = parse_err(source);
    assert_eq!(diags.len(), 1, "{text}");
    assert!(text.contains("--> apigen.toml:5:17\n"), "{text}");
    assert!(
        text.contains(
            "5 | name = { type = \"strng\" }\n  |                 ^^^^^^^ not a field type\n"
        ),
        "{text}"
    );
    assert!(text.contains("did you mean `string`?"), "{text}");
    assert_eq!(diags[0].line_col(source), (5, 17));
}

#[test]
fn columns_count_characters_not_bytes() {
    let source = "\
[api]
name = \"shop\"

[resources.Product.fields]
name = { type = \"string\", doc = \"Élan vital\", max_len = 3 }
";
    let (diags, text) = parse_err(source);
    assert_eq!(diags.len(), 1, "{text}");
    // `É` takes two bytes: `max_len` is at byte 47 of the line but is its 47th character.
    assert!(text.contains("--> apigen.toml:5:47\n"), "{text}");
    assert!(text.contains("did you mean `max_length`?"), "{text}");
}

#[test]
fn several_errors_are_reported_together() {
    let source = "\
[api]
name = \"Shop\"
database = \"oracle\"

[resources.product.fields]
price = { type = \"decimal\", min = 10, max = 1 }
";
    let (diags, text) = parse_err(source);
    let messages: Vec<&str> = diags.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "API name `Shop` is not a snake_case identifier",
            "unknown database `oracle`",
            "resource name `product` is not PascalCase",
            "`min` (10) is greater than `max` (1)",
        ],
        "{text}"
    );
    assert!(text.ends_with("error: could not accept apigen.toml because of 4 previous errors\n"));
    assert!(text.contains("--> apigen.toml:2:8\n"), "{text}");
    assert!(text.contains("--> apigen.toml:6:35\n"), "{text}");
}

#[test]
fn a_broken_resource_causes_no_follow_up_errors() {
    let source = "\
[api]
name = \"shop\"

[resources.Category]
fields = \"name\"

[resources.Product.fields]
category = { type = \"belongs_to\", resource = \"Category\" }
";
    let (diags, text) = parse_err(source);
    assert_eq!(diags.len(), 1, "{text}");
    assert_eq!(diags[0].message, "`fields` must be a table, not a string");
}

// ---- what the checker accepts and fills in -------------------------------------------

#[test]
fn rust_keywords_are_valid_field_names() {
    let schema = parse_ok(
        "\
[api]
name = \"kw\"

[resources.Thing.fields]
type = \"string\"
ref = \"int\"
match = \"bool\"
gen = \"text?\"
async = { type = \"enum\", values = [\"yes\", \"no\"] }
",
    );
    let thing = resource(&schema, "Thing");
    assert_eq!(field_names(thing), ["type", "ref", "match", "gen", "async"]);
}

#[test]
fn non_raw_keywords_are_rejected_as_field_names() {
    for name in ["self", "Self", "super", "crate"] {
        let source =
            format!("[api]\nname = \"kw\"\n[resources.Thing.fields]\n{name} = \"string\"\n");
        let (diags, text) = parse_err(&source);
        assert_eq!(diags.len(), 1, "{text}");
        assert!(
            diags[0].message.contains("cannot be a Rust identifier"),
            "{text}"
        );
    }
}

const AUTH_SCHEMA: &str = "\
[api]
name = \"shop\"
base_path = \"/\"

[auth]
roles = [\"customer\", \"staff\", \"admin\"]

[resources.Order]
owner = \"customer\"
access = { read = \"staff\", get = \"owner\", write = \"authenticated\", delete = \"admin\" }

[resources.Order.fields]
customer = { type = \"belongs_to\", resource = \"User\" }
total = \"decimal\"

[resources.Product.fields]
name = \"string\"

[resources.User]
access = { read = \"authenticated\" }

[resources.User.fields]
nickname = \"string?\"
";

#[test]
fn auth_adds_the_built_in_user_first() {
    let schema = parse_ok(AUTH_SCHEMA);
    let auth = schema.auth.as_ref().expect("auth");
    assert_eq!(auth.roles, ["customer", "staff", "admin"]);
    assert_eq!(
        auth.token_ttl_minutes, 15,
        "access tokens are short by default"
    );
    assert_eq!(auth.refresh_ttl_days, 30);
    assert_eq!(schema.api.base_path, "");
    let names: Vec<&str> = schema.resources.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["User", "Order", "Product"]);
    let user = &schema.resources[0];
    assert_eq!(user.plural, "users");
    assert_eq!(field_names(user), ["email", "password", "role", "nickname"]);
    let email = &user.fields[0];
    assert!(email.unique);
    assert_eq!(email.format, Some(Format::Email));
    assert_eq!(email.max_length, Some(254));
    let password = &user.fields[1];
    assert!(password.private);
    assert_eq!(
        (password.min_length, password.max_length),
        (Some(8), Some(128))
    );
    let role = &user.fields[2];
    assert_eq!(
        role.ty,
        FieldType::Enum(vec!["customer".into(), "staff".into(), "admin".into()])
    );
    assert_eq!(role.default, Some(DefaultValue::Text("customer".into())));
    assert!(user.fields[3].optional);
}

#[test]
fn access_defaults_and_shortcuts_are_resolved() {
    let schema = parse_ok(AUTH_SCHEMA);
    let role = |r: &str| Rule::Role(r.into());
    let order = resource(&schema, "Order");
    assert_eq!(order.owner.as_deref(), Some("customer"));
    assert_eq!(
        order.access,
        Access {
            list: role("staff"),
            get: Rule::Owner,
            create: Rule::Authenticated,
            update: Rule::Authenticated,
            delete: role("admin"),
            defaulted: vec![],
        }
    );
    // Denied by default: a resource without `access` is the last role's alone.
    assert_eq!(
        resource(&schema, "Product").access,
        Access::all(role("admin"))
    );
    assert_eq!(
        resource(&schema, "User").access,
        Access {
            list: Rule::Authenticated,
            get: Rule::Authenticated,
            create: role("admin"),
            update: role("admin"),
            delete: role("admin"),
            defaulted: vec!["create", "update", "delete"],
        }
    );
}

#[test]
fn an_operation_access_does_not_name_needs_the_last_role() {
    let schema = parse_ok(
        "[api]\nname = \"a\"\n[auth]\nroles = [\"member\", \"staff\", \"boss\"]\n\
         [resources.Note]\naccess = { read = \"public\", create = \"member\" }\n\
         [resources.Note.fields]\ntitle = \"string\"\n",
    );
    let note = resource(&schema, "Note");
    let boss = Rule::Role("boss".into());
    assert_eq!(
        note.access,
        Access {
            list: Rule::Public,
            get: Rule::Public,
            create: Rule::Role("member".into()),
            update: boss.clone(),
            delete: boss,
            defaulted: vec!["update", "delete"],
        }
    );
}

#[test]
fn user_without_a_table_gets_last_role_access() {
    let schema = parse_ok(
        "[api]\nname = \"a\"\n[auth]\nroles = [\"member\"]\ntoken_ttl_minutes = 60\nrefresh_ttl_days = 7\n",
    );
    let user = &schema.resources[0];
    assert_eq!(schema.resources.len(), 1);
    assert_eq!(user.access, Access::all(Rule::Role("member".into())));
    let ttls = schema
        .auth
        .map(|a| (a.token_ttl_minutes, a.refresh_ttl_days));
    assert_eq!(ttls, Some((60, 7)));
}

#[test]
fn user_reference_needs_auth() {
    let (diags, text) = parse_err(
        "[api]\nname = \"a\"\n[resources.Post.fields]\nauthor = { type = \"belongs_to\", resource = \"User\" }\n",
    );
    assert_eq!(diags.len(), 1, "{text}");
    assert!(text.contains("add `[auth]`"), "{text}");
}

#[test]
fn defaults_are_normalised() {
    let schema = parse_ok(
        "\
[api]
name = \"d\"
base_path = \"/api/v2/\"

[resources.Item.fields]
price = { type = \"decimal\", default = 9.5 }
cost = { type = \"decimal\", default = \"0.10\" }
ratio = { type = \"float\", default = 1 }
day = { type = \"date\", default = 2024-02-29 }
at = { type = \"datetime\", default = \"2024-02-29T10:00:00Z\" }
",
    );
    assert_eq!(schema.api.base_path, "/api/v2");
    let item = resource(&schema, "Item");
    let defaults: Vec<_> = item.fields.iter().map(|f| f.default.clone()).collect();
    assert_eq!(
        defaults,
        [
            Some(DefaultValue::Text("9.5".into())),
            Some(DefaultValue::Text("0.10".into())),
            Some(DefaultValue::Float(1.0)),
            Some(DefaultValue::Text("2024-02-29".into())),
            Some(DefaultValue::Text("2024-02-29T10:00:00Z".into())),
        ]
    );
}

#[test]
fn optional_links_and_optional_self_references_are_not_cycles() {
    // A required self-reference is a cycle (fixtures/invalid/required_self_reference.toml).
    parse_ok(
        "\
[api]
name = \"c\"

[resources.Employee.fields]
manager = { type = \"belongs_to\", resource = \"Employee\", optional = true }
team = { type = \"belongs_to\", resource = \"Team\" }

[resources.Team.fields]
lead = { type = \"belongs_to\", resource = \"Employee\", optional = true }
",
    );
}

#[test]
fn license_is_an_spdx_expression_and_proprietary_by_default() {
    let with = |license: &str| {
        format!(
            "[api]\nname = \"shop\"\nlicense = {license:?}\n\n[resources.Note.fields]\ntitle = \"string\"\n"
        )
    };
    let none = "[api]\nname = \"shop\"\n\n[resources.Note.fields]\ntitle = \"string\"\n";
    assert_eq!(parse_ok(none).api.license, "LicenseRef-Proprietary");
    for good in [
        "MIT",
        "Apache-2.0 OR MIT",
        "(MIT AND BSD-3-Clause) OR Apache-2.0",
        "GPL-2.0-or-later WITH Classpath-exception-2.0",
        "GPL-3.0+",
        "LicenseRef-Acme.1",
    ] {
        assert_eq!(parse_ok(&with(good)).api.license, good);
    }
    for bad in [
        "",
        " MIT",
        "MIT OR",
        "OR MIT",
        "MIT Apache-2.0",
        "(MIT",
        "MIT/X11",
    ] {
        let (diagnostics, _) = parse_err(&with(bad));
        assert_eq!(diagnostics.len(), 1, "{bad:?}");
        assert!(diagnostics[0].message.contains("SPDX"), "{bad:?}");
    }
}

#[test]
fn email_and_url_defaults_are_checked_as_the_api_checks_values() {
    let with = |format: &str, default: &str| {
        format!(
            "[api]\nname = \"shop\"\n\n[resources.Note.fields]\nlink = {{ type = \"string\", format = \"{format}\", default = {default:?} }}\n"
        )
    };
    for good in ["ada@example.com", "ada.lovelace+shop@mail.example.co.uk"] {
        parse_ok(&with("email", good));
    }
    // Each of these the generated API answers 422, so no default may be one.
    for bad in ["ada@exa_mple.com", "ada@-example.com", "ada@example..com"] {
        let (diagnostics, _) = parse_err(&with("email", bad));
        assert!(diagnostics[0].message.contains("not an email"), "{bad}");
    }
    for good in [
        "https://example.com/a?b#c",
        "http://user@example.com:8080/x",
        "http://[::1]/",
    ] {
        parse_ok(&with("url", good));
    }
    for bad in [
        "HTTPS://example.com",
        "https://exa_mple.com",
        "https://example.com:port",
    ] {
        let (diagnostics, _) = parse_err(&with("url", bad));
        assert!(!diagnostics.is_empty(), "{bad}");
    }
}
