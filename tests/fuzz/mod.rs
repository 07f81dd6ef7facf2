//! The schema fuzzer: a seeded generator of valid `apigen.toml` files that covers the
//! whole schema language. The same seed always gives the same schema, so any failure
//! is reproduced from its seed alone (`APIGEN_FUZZ_SEED=N`, see the README).
//!
//! Every schema it makes must be accepted by `apigen validate`: a refusal is a bug of
//! the fuzzer (it made an invalid schema) or of the checker (it refused a valid one).
//! Names that clash once case-converted are not made here; `clashing_variant` makes
//! them on purpose, for the checker to refuse.
#![allow(dead_code, reason = "each suite uses part of the fuzzer")]

use std::collections::BTreeSet;
use std::fmt::Write;

// What apigen derives from a name, so that the fuzzer knows the tables it makes.
use apigen::names::{pascal_case as pascal, plural, snake_case as snake};

/// SplitMix64: small, seeded, and the same on every platform.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x5DEE_CE66_D1CE_4E5B)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        let span = (hi - lo) as u64 + 1;
        lo + (self.next_u64() % span) as i64
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next_u64() % items.len() as u64) as usize]
    }

    /// One of `words`.
    pub fn word<'a>(&mut self, words: &[&'a str]) -> &'a str {
        words[(self.next_u64() % words.len() as u64) as usize]
    }
}

/// Rust keywords of every edition (strict, reserved, 2024's `gen`) and weak ones, in
/// lower case: every one is a valid field name, escaped as `r#name` where it must be.
/// `self`, `super` and `crate` cannot be raw identifiers; the checker refuses them.
pub const RUST_KEYWORDS: &[&str] = &[
    "as",
    "async",
    "await",
    "break",
    "const",
    "continue",
    "dyn",
    "else",
    "enum",
    "extern",
    "false",
    "fn",
    "for",
    "gen",
    "if",
    "impl",
    "in",
    "let",
    "loop",
    "match",
    "mod",
    "move",
    "mut",
    "pub",
    "ref",
    "return",
    "static",
    "struct",
    "trait",
    "true",
    "type",
    "unsafe",
    "use",
    "where",
    "while",
    "abstract",
    "become",
    "box",
    "do",
    "final",
    "macro",
    "override",
    "priv",
    "try",
    "typeof",
    "unsized",
    "virtual",
    "yield",
    "union",
    "macro_rules",
    "raw",
    "safe",
    "default",
];

/// SQL reserved words, and words the generated code and its queries use themselves.
pub const SQL_WORDS: &[&str] = &[
    "order",
    "group",
    "select",
    "where",
    "user",
    "limit",
    "offset",
    "references",
    "table",
    "from",
    "key",
    "index",
    "primary",
    "check",
    "column",
    "desc",
    "asc",
    "count",
    "value",
    "values",
    "sort",
    "page",
    "per_page",
    "include",
    "after",
    "filter",
    "fields",
    "data",
    "links",
    "total",
    "errors",
    "status",
    "name",
    "level",
    "session",
    "password",
    "email",
    "role",
    "token",
    "state",
    "position",
    "time",
    "date",
    "interval",
    "number",
    "size",
    "result",
    "row",
    "rows",
    "range",
    "end",
    "begin",
    "case",
    "null",
    "not",
    "and",
    "or",
];

/// Ordinary words for building longer names.
const WORDS: &[&str] = &[
    "borrower",
    "email",
    "address",
    "line",
    "book",
    "loan",
    "due",
    "note",
    "patient",
    "visit",
    "doctor",
    "price",
    "total",
    "amount",
    "label",
    "task",
    "project",
    "comment",
    "owner",
    "assignee",
    "workspace",
    "sku",
    "code",
    "title",
    "body",
    "rating",
    "count",
    "score",
    "color",
    "weight",
    "height",
    "width",
    "start",
    "finish",
    "shelf",
    "branch",
    "member",
    "invoice",
    "payment",
    "reference",
    "external",
    "internal",
    "primary",
    "second",
];

/// Resource names: PascalCase keywords of Rust and SQL, and ordinary ones.
const RESOURCE_WORDS: &[&str] = &[
    "Order",
    "Group",
    "Select",
    "Where",
    "Limit",
    "Offset",
    "Reference",
    "Type",
    "Match",
    "Fn",
    "Async",
    "Await",
    "Dyn",
    "Gen",
    "Impl",
    "Loop",
    "Move",
    "Ref",
    "Static",
    "Struct",
    "Trait",
    "Unsafe",
    "Use",
    "While",
    "Yield",
    "Abstract",
    "Become",
    "Do",
    "Final",
    "Macro",
    "Override",
    "Priv",
    "Try",
    "Typeof",
    "Unsized",
    "Virtual",
    "Union",
    "Table",
    "Key",
    "Index",
    "Default",
    "Check",
    "Count",
    "Sort",
    "Link",
    "Item",
    "Book",
    "Loan",
    "Patient",
    "Visit",
    "Invoice",
    "Task",
    "Label",
    "Comment",
    "Person",
    "Child",
    "Status",
    "Box",
    "Bus",
    "News",
    "Datum",
    "Category",
    "Session",
    "Token",
    "Event",
    "Sheep",
    "Address",
    "Filter",
];

/// Resource names the checker refuses besides its reserved types
/// (`apigen::schema::RESERVED_TYPES`): names whose module or plural is one of the
/// crate's modules, and the built-in User.
const REFUSED_RESOURCES: &[&str] = &[
    "Op",
    "User",
    "Route",
    "Test",
    "Health",
    "Common",
    "Main",
    "Lib",
    "Mod",
    "Cli",
    "Db",
    "Hook",
    "Auth",
    "Prelude",
    "Extract",
    "Validation",
    "Pagination",
    "Shutdown",
    "Openapi",
    "AuthSession",
];

/// Module names of the generated crate: no plural may be one.
const REFUSED_PLURALS: &[&str] = &[
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
    "users",
    "auth_session",
    "auth_sessions",
];

/// A `pattern` with a witness: a value of any length in `min..=max` that matches it.
struct Pattern {
    regex: &'static str,
    min: u32,
    max: u32,
    /// Enough distinct values for a unique field.
    rich: bool,
    witness: fn(u32) -> String,
}

const PATTERNS: &[Pattern] = &[
    Pattern {
        regex: "^[a-z0-9_-]+$",
        min: 1,
        max: u32::MAX,
        rich: true,
        witness: |n| "a".repeat(n as usize),
    },
    Pattern {
        regex: "^[A-Z0-9-]{4,32}$",
        min: 4,
        max: 32,
        rich: true,
        witness: |n| "B".repeat(n as usize),
    },
    Pattern {
        regex: "[a-z]+",
        min: 1,
        max: u32::MAX,
        rich: true,
        witness: |n| "z".repeat(n as usize),
    },
    Pattern {
        regex: "^\\d{3}-\\d{4}$",
        min: 8,
        max: 8,
        rich: true,
        witness: |_| "555-0123".to_string(),
    },
    Pattern {
        regex: "^(foo|bar)-[0-9]+$",
        min: 5,
        max: u32::MAX,
        rich: true,
        witness: |n| format!("foo-{}", "7".repeat(n as usize - 4)),
    },
    Pattern {
        regex: "^[a-z0-9]+(-[a-z0-9]+)*$",
        min: 1,
        max: u32::MAX,
        rich: true,
        witness: |n| "k".repeat(n as usize),
    },
    Pattern {
        regex: "^[A-Za-z ]*$",
        min: 0,
        max: u32::MAX,
        rich: true,
        witness: |n| "Q".repeat(n as usize),
    },
    Pattern {
        regex: "^(yes|no)$",
        min: 2,
        max: 3,
        rich: false,
        witness: |n| if n == 2 { "no" } else { "yes" }.to_string(),
    },
];

/// Enum values with odd spellings (each a lower-case identifier).
const ENUM_VALUES: &[&str] = &[
    "a",
    "b",
    "z",
    "draft",
    "in_progress",
    "done",
    "type",
    "match",
    "none",
    "null",
    "true",
    "false",
    "some",
    "ok",
    "err",
    "v2",
    "x1",
    "abc_def_ghi_jkl_mno_pqr",
    "default",
    "self_made",
    "order",
    "select",
    "high",
    "low",
    "urgent",
    "gen",
    "async",
    "r2d2",
    "en_us",
];

/// One line of documentation with characters that need escaping somewhere.
const DOCS: &[&str] = &[
    "Plain words.",
    "A \"quoted\" word and a back\\slash",
    "Ünïcödé, emoji 🚀 and a */ comment end",
    "Braces {like} this, <b>tags</b> & ampersands",
    "Percent %s and dollar $1 and hash #1",
];

pub struct Options {
    /// Resources besides the built-in User.
    pub resources: usize,
    /// Largest number of fields per resource.
    pub max_fields: usize,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            resources: 4,
            max_fields: 7,
        }
    }
}

/// What the fuzzer knows of a resource while it writes the schema.
struct Res {
    name: String,
    plural: String,
}

/// A name folded as the checker folds it: lower case, without `_`.
fn folded(s: &str) -> String {
    s.chars()
        .filter(|c| *c != '_')
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// A lower-case name of `len` characters or so, from words (snake_case).
fn long_snake(rng: &mut Rng, len: usize) -> String {
    let mut name = rng.pick(WORDS).to_string();
    while name.len() < len {
        name.push('_');
        name.push_str(rng.word(WORDS));
    }
    name.truncate(len.max(1));
    name.trim_end_matches('_').to_string()
}

fn camel(snake: &str) -> String {
    let pascal = pascal(snake);
    let mut chars = pascal.chars();
    chars
        .next()
        .map(|f| f.to_ascii_lowercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

/// A TOML basic string holding `s`.
fn quoted(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

pub struct Fuzzed {
    pub seed: u64,
    pub source: String,
    /// `[auth] roles`, least privileged first; empty without `[auth]`.
    pub roles: Vec<String>,
    /// `[api] name`: the crate and its binary.
    pub api: String,
    /// The prefix of every route (`/api`, or empty).
    pub base_path: String,
}

/// `source` as MySQL can create it (apigen refuses the rest at `validate`): a `string`
/// longer than 500 characters becomes `text` (or, with a pattern or a format, 500 long),
/// and a `text` field loses an index, and a default MySQL cannot give it (it becomes
/// optional instead). No random number
/// is drawn: the other databases' schemas of a seed stay as they were.
fn within_mysql_limits(source: &str) -> String {
    use toml_edit::{DocumentMut, Item, Value};
    let mut doc: DocumentMut = source.parse().expect("the fuzzer writes TOML");
    let Some(resources) = doc.get_mut("resources").and_then(Item::as_table_like_mut) else {
        return source.to_string();
    };
    for (_, resource) in resources.iter_mut() {
        let Some(fields) = resource.get_mut("fields").and_then(Item::as_table_like_mut) else {
            continue;
        };
        for (_, field) in fields.iter_mut() {
            let Some(table) = field.as_value_mut().and_then(Value::as_inline_table_mut) else {
                continue;
            };
            let ty = table
                .get("type")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let length = table.get("max_length").and_then(Value::as_integer);
            if ty == "string" && length.is_some_and(|n| n > 500) {
                if table.contains_key("pattern") || table.contains_key("format") {
                    table.insert("max_length", 500.into());
                } else {
                    table.insert("type", "text".into());
                }
            }
            if table.get("type").and_then(Value::as_str) == Some("text") {
                table.remove("unique");
                table.remove("index");
                // Without its default, a field some callers may not set must be optional.
                if table.remove("default").is_some() {
                    table.insert("optional", true.into());
                }
            }
        }
    }
    doc.to_string()
}

/// The schema of `seed`.
pub fn schema(seed: u64, options: &Options) -> Fuzzed {
    let mut rng = Rng::new(seed);
    let mut out = String::new();
    let api_len = *rng.pick(&[3usize, 8, 20, 40, 60]);
    let mut api = format!("fz{seed}_{}", long_snake(&mut rng, api_len));
    api.truncate(60);
    let api = api.trim_end_matches('_').to_string();
    let database = *rng.pick(&["sqlite", "postgres", "mysql"]);
    writeln!(
        out,
        "# Fuzzed schema, seed {seed}\n[api]\nname = {}",
        quoted(&api)
    )
    .unwrap();
    writeln!(out, "database = {}", quoted(database)).unwrap();
    let base_path = *rng.pick(&["", "/api", "/", "/v1", "/api/v2", "/x_y-z/Q9"]);
    if !base_path.is_empty() {
        writeln!(out, "base_path = {}", quoted(base_path)).unwrap();
    }
    // The optional features, from a stream of their own: the rest of a seed's schema
    // stays as it was before they came.
    let mut features = Rng::new(seed ^ 0x5eed_f0a7);
    for key in ["swagger_ui", "brotli"] {
        if let Some(on) = features.pick(&[None, Some(true), Some(false)]) {
            writeln!(out, "{key} = {on}").unwrap();
        }
    }
    let auth = rng.chance(50);
    let mut roles: Vec<String> = Vec::new();
    if auth {
        let pool = [
            "member",
            "staff",
            "admin",
            "reader",
            "editor",
            "owner_",
            "x",
            "super_admin_of_everything",
        ];
        let count = rng.range(1, 4) as usize;
        while roles.len() < count {
            let role = rng.pick(&pool).to_string();
            if !roles.contains(&role) {
                roles.push(role);
            }
        }
        let list: Vec<String> = roles.iter().map(|r| quoted(r)).collect();
        writeln!(out, "\n[auth]\nroles = [{}]", list.join(", ")).unwrap();
        if rng.chance(30) {
            writeln!(out, "token_ttl_minutes = {}", rng.range(1, 10_000)).unwrap();
        }
        // Drawn apart from the main stream, so each seed keeps the rest of its schema.
        let mut side = Rng::new(seed ^ 0x7e61_5712);
        if side.chance(40) {
            let setting = side.word(&["open", "closed", "closed"]);
            writeln!(out, "registration = {}", quoted(setting)).unwrap();
        }
        if side.chance(30) {
            writeln!(out, "refresh_ttl_days = {}", side.range(1, 3650)).unwrap();
        }
    }

    // Names first, so that relations may point forwards as well as backwards.
    let mut resources: Vec<Res> = Vec::new();
    let mut taken_names = BTreeSet::new();
    let mut taken_plurals: BTreeSet<String> = BTreeSet::new();
    taken_plurals.insert("users".into());
    while resources.len() < options.resources {
        let name = match rng.range(0, 3) {
            0 | 1 => rng.pick(RESOURCE_WORDS).to_string(),
            2 => {
                let len = *rng.pick(&[12usize, 30, 45, 60]);
                let mut name = pascal(&long_snake(&mut rng, len));
                name.truncate(60);
                name
            }
            _ => format!("{}{}", rng.pick(RESOURCE_WORDS), rng.pick(RESOURCE_WORDS)),
        };
        let mut plural = plural(&snake(&name));
        // A table name over 63 bytes is refused (PostgreSQL would cut it): such a
        // resource names a shorter plural of its own.
        if plural.len() > 63 {
            plural = format!("{}s", plural[..50].trim_end_matches('_'));
        }
        if REFUSED_RESOURCES.contains(&name.as_str())
            || apigen::schema::RESERVED_TYPES.contains(&name.as_str())
            || REFUSED_PLURALS.contains(&plural.as_str())
            || REFUSED_PLURALS.contains(&snake(&name).as_str())
            || apigen::names::is_reserved_crate_name(&snake(&name))
            || apigen::names::is_reserved_crate_name(&plural)
            || !taken_names.insert(folded(&name))
            || taken_plurals.contains(&plural)
            || taken_names.contains(&folded(&plural))
        {
            continue;
        }
        taken_plurals.insert(plural.clone());
        resources.push(Res { name, plural });
    }

    let mut join_tables: BTreeSet<String> = BTreeSet::new();
    for index in 0..resources.len() {
        write_resource(
            &mut rng,
            &mut out,
            &resources,
            index,
            &roles,
            &mut join_tables,
            &taken_plurals,
            options,
        );
    }
    if auth && rng.chance(40) {
        writeln!(out, "\n[resources.User]").unwrap();
        write_access(&mut rng, &mut out, &roles, false, false);
        writeln!(out, "\n[resources.User.fields]").unwrap();
        writeln!(
            out,
            "display_name = {{ type = \"string\", max_length = 80, optional = true }}"
        )
        .unwrap();
        if rng.chance(50) {
            writeln!(
                out,
                "type = {{ type = \"enum\", values = [\"person\", \"bot\"], default = \"person\" }}"
            )
            .unwrap();
        }
    }
    if database == "mysql" {
        out = within_mysql_limits(&out);
    }
    Fuzzed {
        seed,
        source: out,
        roles,
        api,
        base_path: match base_path {
            "" => "/api".to_string(),
            path => path.trim_end_matches('/').to_string(),
        },
    }
}

#[allow(clippy::too_many_arguments)]
fn write_resource(
    rng: &mut Rng,
    out: &mut String,
    resources: &[Res],
    index: usize,
    roles: &[String],
    join_tables: &mut BTreeSet<String>,
    plurals: &BTreeSet<String>,
    options: &Options,
) {
    let name = resources[index].name.clone();
    let auth = !roles.is_empty();
    writeln!(out, "\n[resources.{name}]").unwrap();
    let timestamps = rng.chance(75);
    if !timestamps {
        writeln!(out, "timestamps = false").unwrap();
    }
    if rng.chance(25) {
        writeln!(out, "soft_delete = true").unwrap();
    }
    let own = &resources[index].plural;
    if rng.chance(15) || *own != plural(&snake(&name)) {
        writeln!(out, "plural = {}", quoted(own)).unwrap();
    }
    // With auth, a required belongs_to User may own the row.
    let owner_field = (auth && rng.chance(50)).then(|| {
        let candidates = [
            "owner",
            "author",
            "createdBy",
            "assignee",
            "borrower_of_the_loan_record",
        ];
        rng.pick(&candidates).to_string()
    });
    if let Some(field) = &owner_field {
        writeln!(out, "owner = {}", quoted(field)).unwrap();
    }
    let mut public_reads = !auth;
    if auth {
        public_reads = write_access(rng, out, roles, owner_field.is_some(), true);
    }
    if public_reads && rng.chance(25) {
        writeln!(out, "cache = {}", rng.range(1, 31_536_000)).unwrap();
    }

    writeln!(out, "\n[resources.{name}.fields]").unwrap();
    let mut taken: BTreeSet<String> = [
        "id",
        "createdat",
        "updatedat",
        "deletedat",
        "self",
        "super",
        "crate",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let mut lines = Vec::new();
    if let Some(field) = &owner_field {
        taken.insert(folded(field));
        taken.insert(folded(&format!("{}_id", snake(field))));
        // An optional owner lets a row outlive its owner's account.
        let rest = if rng.chance(30) {
            "optional = true, on_delete = \"set_null\""
        } else {
            "on_delete = \"cascade\""
        };
        let line = format!("{{ type = \"belongs_to\", resource = \"User\", {rest} }}");
        lines.push(format!(
            "{field} = {}",
            writable(&name, field, line, roles, true)
        ));
    }
    let count = rng.range(1, options.max_fields as i64) as usize;
    let mut scalars = 0;
    let mut attempts = 0;
    while lines.len() < count + owner_field.is_some() as usize && attempts < 200 {
        attempts += 1;
        let field_name = field_name(rng);
        let column = folded(&format!("{}_id", snake(&field_name)));
        if taken.contains(&folded(&field_name)) {
            continue;
        }
        let kind = rng.range(0, 20);
        let line = match kind {
            0..=13 => scalar_field(rng),
            14..=16 => {
                // belongs_to: backwards may be required; self or forwards must be optional.
                if taken.contains(&column) {
                    continue;
                }
                let target = rng.range(0, resources.len() as i64) as usize;
                let target_name = if target == resources.len() && auth {
                    "User".to_string()
                } else {
                    resources[target.min(resources.len() - 1)].name.clone()
                };
                let backwards = target < index || target_name == "User";
                let optional = !backwards || rng.chance(40);
                let on_delete = if optional {
                    *rng.pick(&["restrict", "cascade", "set_null", ""])
                } else {
                    *rng.pick(&["restrict", "cascade", ""])
                };
                let mut parts = vec![
                    format!("type = \"belongs_to\""),
                    format!("resource = {}", quoted(&target_name)),
                ];
                if optional {
                    parts.push("optional = true".into());
                }
                if !on_delete.is_empty() {
                    parts.push(format!("on_delete = {}", quoted(on_delete)));
                }
                if rng.chance(15) {
                    parts.push("unique = true".into());
                } else if rng.chance(15) {
                    parts.push("index = true".into());
                }
                if rng.chance(10) {
                    parts.push(format!("doc = {}", quoted(rng.word(DOCS))));
                }
                taken.insert(column);
                format!("{{ {} }}", parts.join(", "))
            }
            _ => {
                let target = rng.range(0, resources.len() as i64 - 1) as usize;
                let table = format!("{}_{}", snake(&name), snake(&field_name));
                if table.len() > 63 || plurals.contains(&table) || !join_tables.insert(table) {
                    continue;
                }
                format!(
                    "{{ type = \"many_to_many\", resource = {} }}",
                    quoted(&resources[target].name)
                )
            }
        };
        if kind <= 13 {
            scalars += 1;
        }
        let line = if auth && kind <= 16 {
            writable(&name, &field_name, line, roles, false)
        } else {
            line
        };
        taken.insert(folded(&field_name));
        lines.push(format!("{field_name} = {line}"));
    }
    if scalars == 0 && lines.iter().all(|l| l.contains("many_to_many")) {
        lines.push("fallback = \"string\"".to_string());
    }
    for line in lines {
        writeln!(out, "{line}").unwrap();
    }
}

/// `line`, a field's inline table, now and then with `writable` naming a role. A draw of
/// its own (seeded by the resource and field names), so that the rest of the schema is
/// what the seed gave before `writable` existed. A required field gets the first role
/// only: a higher one could leave a create that admits lower roles with no valid body,
/// which the checker refuses. The owner is never required of a body: it is the caller.
fn writable(resource: &str, field: &str, line: String, roles: &[String], owner: bool) -> String {
    let seed = format!("{resource}.{field}")
        .bytes()
        .fold(0xCBF2_9CE4_8422_2325_u64, |hash, byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01B3)
        });
    let mut rng = Rng::new(seed);
    // A shorthand (`"int?"`) has no table to add a key to.
    let table = line.starts_with('{');
    if roles.is_empty() || !table || line.contains("readonly = true") || !rng.chance(20) {
        return line;
    }
    let may_leave_out = line.contains("optional = true") || line.contains("default = ");
    // A unique field's default is taken by each row of a caller who may not set it: the
    // checker refuses a writer above whoever may create, so it goes to the lowest role.
    let one_default = line.contains("unique = true") && line.contains("default = ");
    let role = if (may_leave_out || owner) && !one_default {
        rng.pick(roles)
    } else {
        &roles[0]
    };
    let body = line.trim_end_matches('}').trim_end();
    format!("{body}, writable = {} }}", quoted(role))
}

/// A field name: a keyword (or one with the `_` a user adds to dodge it: `self_`,
/// `type_`), an SQL word, a camelCase or long snake_case name.
fn field_name(rng: &mut Rng) -> String {
    match rng.range(0, 5) {
        0 => {
            let keyword = rng.pick(RUST_KEYWORDS).to_string();
            if rng.chance(30) {
                keyword + "_"
            } else {
                keyword
            }
        }
        1 => rng.pick(SQL_WORDS).to_string(),
        2 => {
            let len = *rng.pick(&[6usize, 14, 24]);
            camel(&long_snake(rng, len))
        }
        3 => {
            let len = *rng.pick(&[1usize, 2, 10, 30, 47, 60]);
            long_snake(rng, len)
        }
        _ => rng.pick(WORDS).to_string(),
    }
}

/// `access = {...}` with rules for some operations; whether list and get are public.
fn write_access(
    rng: &mut Rng,
    out: &mut String,
    roles: &[String],
    owner: bool,
    allow_owner: bool,
) -> bool {
    if roles.is_empty() || rng.chance(15) {
        return false;
    }
    let mut rules: Vec<String> = vec!["public".into(), "authenticated".into()];
    rules.extend(roles.iter().cloned());
    if owner && allow_owner {
        rules.push("owner".into());
    }
    let mut entries = Vec::new();
    let mut list = None;
    let mut get = None;
    for op in ["read", "write", "list", "get", "create", "update", "delete"] {
        if rng.chance(45) {
            let mut rule = rng.pick(&rules).clone();
            // A row's owner is the user who creates it: no public or owner create.
            let creates = op == "create" || op == "write";
            if creates && (rule == "owner" || (owner && rule == "public")) {
                rule = "authenticated".into();
            }
            if rule == "public" && !["read", "list", "get"].contains(&op) && rng.chance(50) {
                rule = roles[roles.len() - 1].clone();
            }
            match op {
                "read" => {
                    list.get_or_insert(rule.clone());
                    get.get_or_insert(rule.clone());
                }
                "list" => list = Some(rule.clone()),
                "get" => get = Some(rule.clone()),
                _ => {}
            }
            entries.push(format!("{op} = {}", quoted(&rule)));
        }
    }
    if entries.is_empty() {
        return false;
    }
    writeln!(out, "access = {{ {} }}", entries.join(", ")).unwrap();
    list.as_deref() == Some("public") || get.as_deref() == Some("public")
}

/// The inline table of a scalar field, with rules that agree with each other.
fn scalar_field(rng: &mut Rng) -> String {
    let ty = *rng.pick(&[
        "string", "string", "string", "text", "int", "bigint", "float", "decimal", "bool", "uuid",
        "date", "datetime", "time", "json", "enum",
    ]);
    let optional = rng.chance(35);
    // The shorthand, sometimes.
    if ty != "enum" && rng.chance(20) {
        return quoted(&format!("{ty}{}", if optional { "?" } else { "" }));
    }
    let mut parts = vec![format!("type = {}", quoted(ty))];
    if optional {
        parts.push("optional = true".into());
    }
    let with_default = ty != "json" && rng.chance(35);
    let mut default = None;
    match ty {
        "string" | "text" => {
            let pattern = (ty == "string" && rng.chance(40)).then(|| rng.pick(PATTERNS));
            let format = (ty == "string" && pattern.is_none() && rng.chance(25))
                .then(|| *rng.pick(&["email", "url"]));
            let (lo, hi) = pattern.map_or((0, u32::MAX), |p| (p.min, p.max));
            let floor = match format {
                Some("email") => 6,
                Some(_) => 12,
                None => lo,
            };
            let cap = if ty == "string" { 255 } else { 100_000 };
            let mut min_length = None;
            let mut max_length = None;
            if rng.chance(40) {
                let v = rng.range(floor as i64, (floor as i64 + 10).min(hi as i64)) as u32;
                min_length = Some(v);
            }
            if rng.chance(50) {
                let from = min_length.unwrap_or(floor).max(1);
                let top = if ty == "string" && rng.chance(10) {
                    65_535
                } else {
                    (from as i64 + 300).min(hi as i64).min(cap as i64 * 100)
                };
                let mut v = rng.range(from as i64, top.max(from as i64)) as u32;
                if rng.chance(15) {
                    v = from; // min = max
                }
                if format == Some("url") {
                    v = v.max(40);
                }
                max_length = Some(v);
            }
            if pattern.is_none_or(|p| p.rich) && rng.chance(25) {
                parts.push(if rng.chance(50) {
                    "unique = true".into()
                } else {
                    "index = true".into()
                });
            }
            if let Some(p) = pattern {
                parts.push(format!("pattern = {}", quoted(p.regex)));
            }
            if let Some(f) = format {
                parts.push(format!("format = {}", quoted(f)));
            }
            if let Some(v) = min_length {
                parts.push(format!("min_length = {v}"));
            }
            if let Some(v) = max_length {
                parts.push(format!("max_length = {v}"));
            }
            if with_default {
                let lo = min_length.unwrap_or(lo.max(if format.is_some() { floor } else { 0 }));
                let hi = max_length
                    .unwrap_or(if ty == "string" { 255 } else { 1000 })
                    .min(hi)
                    .min(lo + 20);
                let len = rng.range(lo as i64, hi.max(lo) as i64) as u32;
                let value = match (pattern, format) {
                    (Some(p), _) => (p.witness)(len.max(p.min)),
                    (_, Some("email")) => {
                        format!("{}@x.io", "d".repeat(len.saturating_sub(5).max(1) as usize))
                    }
                    (_, Some(_)) => format!(
                        "https://example.com/{}",
                        "p".repeat(len.saturating_sub(20) as usize)
                    ),
                    _ => "w".repeat(len as usize),
                };
                default = Some(quoted(&value));
            }
        }
        "int" | "bigint" => {
            let span: i64 = if ty == "int" {
                i32::MAX as i64
            } else {
                i64::MAX
            };
            let (mut lo, mut hi) = (-span - 1, span);
            if rng.chance(40) {
                lo = *rng.pick(&[0, 1, -5, -span - 1, 100]);
                parts.push(format!("min = {lo}"));
            }
            if rng.chance(40) {
                hi = *rng.pick(&[lo, lo + 1, lo.saturating_add(1000), span]);
                parts.push(format!("max = {hi}"));
            }
            if ty == "int" && rng.chance(10) {
                parts.push("unique = true".into());
            }
            if with_default {
                default = Some(lo.max(hi.min(rng.range(-3, 3))).to_string());
            }
        }
        "float" => {
            let (mut lo, mut hi) = (f64::MIN, f64::MAX);
            if rng.chance(40) {
                lo = *rng.pick(&[0.0, -1.5, 0.25, -1e9]);
                parts.push(format!("min = {lo:?}"));
            }
            if rng.chance(40) {
                hi = *rng.pick(&[lo, lo + 0.5, 1e6_f64.max(lo)]);
                parts.push(format!("max = {hi:?}"));
            }
            if with_default {
                default = Some(format!("{:?}", lo.max(hi.min(0.5))));
            }
        }
        "decimal" => {
            let (mut lo, mut hi) = (None, None);
            if rng.chance(50) {
                lo = Some(*rng.pick(&["0", "-100", "0.01", "1"]));
                parts.push(format!("min = {}", lo.unwrap()));
            }
            if rng.chance(40) {
                let candidates = ["100000", "1", "99999999.99"];
                let v = *rng.pick(&candidates);
                let v = if lo == Some("0.01") || lo == Some("1") {
                    if v == "1" && lo == Some("1") {
                        "1"
                    } else {
                        "100000"
                    }
                } else {
                    v
                };
                hi = Some(v);
                parts.push(format!("max = {v}"));
            }
            // Places and digits, chosen by the bounds (no random number is drawn, so the
            // schemas of every seed stay as they were): money from a bound of 0.01, a
            // precision from the widest bound, whole numbers between 1 and 1.
            match (lo, hi) {
                (Some("1"), Some("1")) => parts.push("precision = 3".to_string()),
                (_, Some("99999999.99")) => parts.push("precision = 10, scale = 2".to_string()),
                (Some("0.01"), _) => parts.push("scale = 2".to_string()),
                _ => {}
            }
            if with_default {
                let value = lo.unwrap_or("0");
                default = Some(if rng.chance(50) {
                    quoted(value)
                } else {
                    value.to_string()
                });
            }
        }
        "bool" => {
            if with_default {
                default = Some(rng.pick(&["true", "false"]).to_string());
            }
        }
        "uuid" => {
            if rng.chance(25) {
                parts.push("unique = true".into());
            }
            if with_default {
                default = Some(quoted("67e55044-10b1-426f-9247-bb680e5fe0c8"));
            }
        }
        "date" => {
            if with_default {
                default = Some(
                    rng.pick(&["\"2024-02-29\"", "1999-12-31", "\"0001-01-01\""])
                        .to_string(),
                );
            }
        }
        "datetime" => {
            if with_default {
                default = Some(
                    rng.pick(&[
                        "\"2024-01-31T12:00:00Z\"",
                        "2030-06-01T08:30:00Z",
                        "\"1970-01-01T00:00:00.5Z\"",
                    ])
                    .to_string(),
                );
            }
        }
        "time" => {
            if rng.chance(20) {
                parts.push("unique = true".into());
            }
            if with_default {
                default = Some(
                    rng.pick(&["\"09:30:00\"", "00:00:00", "\"23:59:59\""])
                        .to_string(),
                );
            }
        }
        "json" => {}
        _ => {
            let count = rng.range(1, 6) as usize;
            let mut values: Vec<&str> = Vec::new();
            let mut variants = BTreeSet::new();
            while values.len() < count {
                let v = *rng.pick(ENUM_VALUES);
                if variants.insert(pascal(v)) {
                    values.push(v);
                }
            }
            let list: Vec<String> = values.iter().map(|v| quoted(v)).collect();
            parts.push(format!("values = [{}]", list.join(", ")));
            if with_default {
                default = Some(quoted(rng.word(&values)));
            }
        }
    }
    if let Some(value) = &default {
        parts.push(format!("default = {value}"));
    }
    // Not unique: every row would get the same server-set value.
    let unique = parts.iter().any(|p| p == "unique = true");
    if ty != "json" && !unique && (default.is_some() || optional) && rng.chance(15) {
        parts.push("readonly = true".into());
    } else if rng.chance(10) {
        parts.push("private = true".into());
    }
    if rng.chance(15) {
        parts.push(format!("doc = {}", quoted(rng.word(DOCS))));
    }
    format!("{{ {} }}", parts.join(", "))
}

/// A copy of `schema` with one more field whose name clashes with an existing one once
/// case-converted (`fooBar` next to `foo_bar`): the checker must refuse it.
pub fn clashing_variant(source: &str) -> Option<String> {
    let mut lines: Vec<String> = source.lines().map(str::to_string).collect();
    let at = lines.iter().position(|l| l.ends_with(".fields]"))?;
    let field = lines.get(at + 1)?.split(" = ").next()?.to_string();
    let twin = if field.contains('_') {
        camel(&field)
    } else if field.chars().any(|c| c.is_ascii_uppercase()) {
        snake(&field)
    } else {
        field.to_ascii_uppercase()
    };
    lines.insert(at + 1, format!("{twin} = \"string?\""));
    Some(lines.join("\n") + "\n")
}
