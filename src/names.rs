//! Name conversions shared by the schema checker and the generator.
//!
//! Pure functions on ASCII identifiers: case conversion, English plurals and Rust keyword
//! handling. Every identifier that lands in generated Rust source goes through
//! [`rust_ident`], and the schema checker rejects the few names it cannot make valid.

/// Converts a name to snake_case: `userId` -> `user_id`, `HTTPServer` -> `http_server`,
/// `OrderItem` -> `order_item`. Characters other than ASCII letters and digits become `_`,
/// and no two `_` follow each other.
///
/// Not heck's: heck drops a trailing `_` (`type_` -> `type`), and this name is a column's
/// and a module's in projects that exist; `type_` stays `type_`.
pub fn snake_case(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            push_separator(&mut out);
            continue;
        }
        if c.is_ascii_uppercase() && i > 0 && starts_new_word(chars[i - 1], chars.get(i + 1)) {
            push_separator(&mut out);
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// Whether an upper-case letter after `prev` (and before `next`) begins a new word:
/// after a lower-case letter or digit (`userId`), or as the last capital of an acronym
/// followed by a lower-case letter (`HTTPServer`).
fn starts_new_word(prev: char, next: Option<&char>) -> bool {
    prev.is_ascii_lowercase()
        || prev.is_ascii_digit()
        || (prev.is_ascii_uppercase() && next.is_some_and(|n| n.is_ascii_lowercase()))
}

/// Pushes `_` unless the name is empty so far or already ends with one.
fn push_separator(out: &mut String) {
    if !out.is_empty() && !out.ends_with('_') {
        out.push('_');
    }
}

/// A snake_case name made of `parts` joined by `_`, with no `__` where a part began or
/// ended with one (`owner_` and `may`: `owner_may`): rustc's `non_snake_case` lint
/// refuses a doubled `_` in a function's name.
pub fn join_snake(parts: &[&str]) -> String {
    let joined = parts.join("_");
    let mut out = String::with_capacity(joined.len());
    for c in joined.chars() {
        if !(c == '_' && out.ends_with('_')) {
            out.push(c);
        }
    }
    out
}

/// The name of the type of an enum field's values, in Rust and in the OpenAPI document:
/// the resource's and the field's (`Order`, `status`: `OrderStatus`), with `Value` after
/// a field named like one of the resource's own types (`Item`, `page`: `ItemPageValue`,
/// since `ItemPage` is a page of items).
pub fn enum_type(resource: &str, field: &str) -> String {
    const OWN_TYPES: [&str; 4] = ["Page", "Hooks", "ListQuery", "IncludeQuery"];
    let field = pascal_case(&snake_case(field));
    if OWN_TYPES.contains(&field.as_str()) {
        format!("{resource}{field}Value")
    } else {
        format!("{resource}{field}")
    }
}

/// The variant of an entity's `Column` enum for the snake_case column `name`, as sea-orm
/// derives it: PascalCase, and `Self_` for `Self`, which no variant may be named
/// (a field `self_`).
pub fn column_variant(name: &str) -> String {
    match pascal_case(name) {
        variant if variant == "Self" => "Self_".to_string(),
        variant => variant,
    }
}

/// Converts a snake_case name to PascalCase: `order_item` -> `OrderItem`, through heck
/// (sea-orm's choice too). Its input is snake_case everywhere but in a suggestion for a
/// relation's resource, where heck's reading of `userID` as `UserId` is as good.
pub fn pascal_case(s: &str) -> String {
    heck::ToUpperCamelCase::to_upper_camel_case(s)
}

/// Words whose plural does not follow the regular rules (singular, plural).
const IRREGULAR_PLURALS: &[(&str, &str)] = &[
    ("person", "people"),
    ("child", "children"),
    ("man", "men"),
    ("woman", "women"),
    ("mouse", "mice"),
    ("goose", "geese"),
    ("foot", "feet"),
    ("tooth", "teeth"),
    ("ox", "oxen"),
    ("leaf", "leaves"),
    ("knife", "knives"),
    ("life", "lives"),
    ("wife", "wives"),
    ("half", "halves"),
    ("shelf", "shelves"),
    ("wolf", "wolves"),
    ("hero", "heroes"),
    ("potato", "potatoes"),
    ("tomato", "tomatoes"),
    ("analysis", "analyses"),
    ("crisis", "crises"),
    ("criterion", "criteria"),
    ("datum", "data"),
];

/// Words that are the same in the singular and the plural.
const UNCOUNTABLE: &[&str] = &[
    "news",
    "series",
    "species",
    "sheep",
    "fish",
    "deer",
    "data",
    "metadata",
    "information",
    "equipment",
    "feedback",
];

/// English plural of a snake_case name, inflecting its last word only:
/// `category` -> `categories`, `order_item` -> `order_items`, `person` -> `people`.
pub fn plural(snake: &str) -> String {
    let (prefix, last) = match snake.rfind('_') {
        Some(i) => snake.split_at(i + 1),
        None => ("", snake),
    };
    format!("{prefix}{}", plural_word(last))
}

/// Lower-case words with their article, by the sound they start with: `an order`,
/// `an hour`, but `a user`, `a unit`, `a one-off`, `a product`.
pub fn with_article(words: &str) -> String {
    let starts = |starts: &[&str]| starts.iter().any(|start| words.starts_with(start));
    let sounds_like_you = starts(&["us", "uni", "uti", "eu", "ewe", "one", "once"]);
    let silent_h = starts(&["hour", "honest", "honor", "honour", "heir"]);
    let vowel = words.starts_with(['a', 'e', 'i', 'o', 'u']) && !sounds_like_you;
    let article = if vowel || silent_h { "an" } else { "a" };
    format!("{article} {words}")
}

/// Plural of one lower-case word.
fn plural_word(word: &str) -> String {
    if word.is_empty() || UNCOUNTABLE.contains(&word) {
        return word.to_string();
    }
    if let Some((_, plural)) = IRREGULAR_PLURALS.iter().find(|(one, _)| *one == word) {
        return (*plural).to_string();
    }
    let consonant = |c: char| c.is_ascii_alphabetic() && !"aeiou".contains(c);
    if let Some(stem) = word
        .strip_suffix('y')
        .filter(|stem| stem.ends_with(consonant))
    {
        return format!("{stem}ies");
    }
    let sibilant = ["s", "x", "z", "ch", "sh"]
        .iter()
        .any(|end| word.ends_with(end));
    if sibilant {
        format!("{word}es")
    } else {
        format!("{word}s")
    }
}

/// Strict and reserved keywords of Rust, edition 2024.
const RUST_KEYWORDS: &[&str] = &[
    // strict
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", // reserved for future use
    "abstract", "become", "box", "do", "final", "macro", "override", "priv", "try", "typeof",
    "unsized", "virtual", "yield",
];

/// Whether `s` is a strict or reserved keyword of Rust 2024 (`type`, `gen`, `async`, ...).
pub fn is_rust_keyword(s: &str) -> bool {
    RUST_KEYWORDS.contains(&s)
}

/// A snake_case field name without the `_` that dodges a keyword (`type_` → `type`), for
/// the names built by adding to it (`type_id`, not `type__id`, which Rust's
/// `non_snake_case` lint refuses).
pub fn stem(snake: &str) -> &str {
    match snake.trim_end_matches('_') {
        "" => snake,
        stem => stem,
    }
}

/// The snake_case Rust identifier for a schema name, raw-escaped when it is a keyword
/// (`type` -> `r#type`, `gen` -> `r#gen`).
///
/// `self`, `Self`, `super`, `crate` and `_` cannot be raw identifiers; the schema checker
/// rejects them, so they never reach this function.
pub fn rust_ident(s: &str) -> String {
    let ident = snake_case(s);
    if is_rust_keyword(&ident) {
        format!("r#{ident}")
    } else {
        ident
    }
}

/// An identifier without its raw prefix (`r#type` -> `type`): for file names, and for
/// names built from it (`create_type`).
pub fn unraw(ident: &str) -> &str {
    ident.strip_prefix("r#").unwrap_or(ident)
}

/// The order rustfmt (edition 2024) gives names inside a `use` group and `use` paths:
/// "version sorting", raw prefixes ignored, `_` before every other character, runs of
/// digits compared as numbers (`a_b`, `a2`, `a10`, `aB`, `ab`).
pub fn use_order(a: &str, b: &str) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    let (a, b) = (unraw(a).as_bytes(), unraw(b).as_bytes());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        let (x, y) = (a[i], b[j]);
        if x.is_ascii_digit() && y.is_ascii_digit() {
            let end_a = i + a[i..].iter().take_while(|c| c.is_ascii_digit()).count();
            let end_b = j + b[j..].iter().take_while(|c| c.is_ascii_digit()).count();
            let (da, db) = (trim_zeros(&a[i..end_a]), trim_zeros(&b[j..end_b]));
            let by_value = da.len().cmp(&db.len()).then_with(|| da.cmp(db));
            if by_value != Ordering::Equal {
                return by_value;
            }
            (i, j) = (end_a, end_b);
            continue;
        }
        let rank = |c: u8| if c == b'_' { (0, 0) } else { (1, c) };
        match rank(x).cmp(&rank(y)) {
            Ordering::Equal => (i, j) = (i + 1, j + 1),
            other => return other,
        }
    }
    (a.len() - i).cmp(&(b.len() - j))
}

fn trim_zeros(digits: &[u8]) -> &[u8] {
    let zeros = digits.iter().take_while(|d| **d == b'0').count();
    &digits[zeros.min(digits.len().saturating_sub(1))..]
}

/// The order rustfmt gives `mod` declarations: by bytes, raw prefixes ignored.
pub fn mod_order(a: &str, b: &str) -> std::cmp::Ordering {
    unraw(a).cmp(unraw(b))
}

/// A Rust integer literal of `value` that needs no type from its context: suffixed
/// `_i64` past the range of `i32` (an unsuffixed literal in `json!` is an `i32`).
pub fn int_literal(value: i128) -> String {
    if i32::try_from(value).is_ok() {
        value.to_string()
    } else {
        format!("{value}_i64")
    }
}

/// `Decimal::new(mantissa, scale)` for a decimal text like `-12.50`, every digit kept:
/// a mantissa past an i64 (`1e20`) is written `Decimal::from_i128_with_scale(..)`. The
/// checker has refused what no decimal holds (`values::decimal_beyond`).
pub fn decimal_literal(text: &str) -> String {
    let (int_part, frac_part) = text.split_once('.').unwrap_or((text, ""));
    let digits = format!("{int_part}{frac_part}");
    let scale = frac_part.len();
    match digits.parse::<i64>() {
        Ok(mantissa) => format!("Decimal::new({mantissa}, {scale})"),
        Err(_) => {
            let mantissa: i128 = digits.parse().unwrap_or(0);
            format!("Decimal::from_i128_with_scale({mantissa}, {scale})")
        }
    }
}

/// The longest name PostgreSQL keeps whole (63 bytes; longer ones are cut, and two cut
/// names can clash); MySQL refuses names over 64.
pub const SQL_NAME_MAX: usize = 63;

/// An index or constraint name every database keeps whole: `name` when it fits in
/// [`SQL_NAME_MAX`] bytes, else its first 54 bytes, `_` and 8 hex digits of a hash of the
/// whole name (FNV-1a), so that two long names stay distinct and the same name always
/// comes out the same.
pub fn sql_name(name: String) -> String {
    if name.len() <= SQL_NAME_MAX {
        return name;
    }
    let hash = name.bytes().fold(0x811c_9dc5_u32, |hash, byte| {
        (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)
    });
    // Names are ASCII: any byte is a character boundary.
    format!("{}_{hash:08x}", &name[..SQL_NAME_MAX - 9])
}

/// Crates that a generated crate names by path, or that Rust itself provides: a generated
/// crate may not take their name, nor may one of its modules (a resource's `utoipa` module
/// would hide the crate from the file that declares it).
const RESERVED_CRATE_NAMES: &[&str] = &[
    "std",
    "core",
    "alloc",
    "axum",
    "tokio",
    "serde",
    "serde_json",
    "serde_path_to_error",
    "serde_urlencoded",
    "sea_orm",
    "sea_orm_migration",
    "sea_query_sqlx",
    "sqlx",
    "tracing",
    "tracing_log",
    "tracing_subscriber",
    "dotenvy",
    "regex",
    "argon2",
    "jsonwebtoken",
    "getrandom",
    "utoipa",
    "utoipa_swagger_ui",
    "tower",
    "tower_http",
    "tower_service",
    "hyper",
    "hyper_util",
    "uuid",
    "libc",
    "async_trait",
    "test",
];

/// Whether a generated crate named `s` would clash with a crate it uses (`serde`, `test`).
pub fn is_reserved_crate_name(s: &str) -> bool {
    RESERVED_CRATE_NAMES.contains(&s)
}

/// Whether `s` is an identifier of the schema: an ASCII letter, then ASCII letters,
/// digits and `_`.
pub fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// `^[a-z][a-z0-9_]*$`: API names, plurals, enum values, roles.
pub fn is_lower_ident(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// `^[A-Z][A-Za-z0-9]*$`: resource names.
pub fn is_pascal_ident(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_uppercase()) && s.chars().all(|c| c.is_ascii_alphanumeric())
}

/// A Rust string literal holding `s` exactly: every string from the schema that lands in
/// generated Rust source goes through here (`{:?}` escapes quotes, backslashes and
/// control characters the way the Rust lexer reads them back).
pub fn rust_string_literal(s: &str) -> String {
    format!("{s:?}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_column_named_self_is_the_variant_sea_orm_derives() {
        assert_eq!(super::column_variant("self_"), "Self_");
        assert_eq!(super::column_variant("created_at"), "CreatedAt");
        assert_eq!(super::column_variant("type"), "Type");
    }

    use super::*;

    #[test]
    fn the_article_goes_by_the_first_sound() {
        for (words, with) in [
            ("user", "a user"),
            ("order", "an order"),
            ("unit price", "a unit price"),
            ("umbrella", "an umbrella"),
            ("hour log", "an hour log"),
            ("house", "a house"),
            ("one off", "a one off"),
            ("item", "an item"),
            ("product", "a product"),
        ] {
            assert_eq!(with_article(words), with);
        }
    }

    #[test]
    fn snake_case_splits_words() {
        assert_eq!(snake_case("userId"), "user_id");
        assert_eq!(snake_case("HTTPServer"), "http_server");
        assert_eq!(snake_case("OrderItem"), "order_item");
        assert_eq!(snake_case("already_snake"), "already_snake");
        assert_eq!(snake_case("Orderitem"), "orderitem");
        assert_eq!(snake_case("ABC"), "abc");
        assert_eq!(snake_case("md5Hash"), "md5_hash");
        assert_eq!(snake_case("Version2Beta"), "version2_beta");
        assert_eq!(snake_case("first-name"), "first_name");
        assert_eq!(snake_case("a__b"), "a_b");
        assert_eq!(snake_case("Self"), "self");
    }

    #[test]
    fn pascal_case_joins_words() {
        assert_eq!(pascal_case("order_item"), "OrderItem");
        assert_eq!(pascal_case("user"), "User");
        assert_eq!(pascal_case("OrderItem"), "OrderItem");
        assert_eq!(pascal_case("http_server"), "HttpServer");
        assert_eq!(pascal_case("a__b_"), "AB");
        assert_eq!(
            join_snake(&["only_owner_", "may_set", "x_"]),
            "only_owner_may_set_x_"
        );
        assert_eq!(
            snake_case("type_"),
            "type_",
            "a column name projects already have"
        );
    }

    #[test]
    fn plural_follows_english_rules() {
        let cases = [
            ("category", "categories"),
            ("box", "boxes"),
            ("bus", "buses"),
            ("church", "churches"),
            ("dish", "dishes"),
            ("key", "keys"),
            ("day", "days"),
            ("person", "people"),
            ("child", "children"),
            ("man", "men"),
            ("order_item", "order_items"),
            ("status", "statuses"),
            ("news", "news"),
            ("sales_person", "sales_people"),
            ("product_category", "product_categories"),
            ("human", "humans"),
            ("note", "notes"),
        ];
        for (one, many) in cases {
            assert_eq!(plural(one), many, "plural of {one}");
        }
    }

    #[test]
    fn keywords_of_edition_2024() {
        for kw in [
            "type", "gen", "async", "await", "dyn", "try", "box", "yield", "Self",
        ] {
            assert!(is_rust_keyword(kw), "{kw}");
        }
        for not_kw in ["name", "union", "types", "Type", "generate"] {
            assert!(!is_rust_keyword(not_kw), "{not_kw}");
        }
    }

    #[test]
    fn rust_ident_escapes_keywords() {
        assert_eq!(rust_ident("type"), "r#type");
        assert_eq!(rust_ident("gen"), "r#gen");
        assert_eq!(rust_ident("match"), "r#match");
        assert_eq!(rust_ident("userId"), "user_id");
        assert_eq!(rust_ident("Type"), "r#type");
        assert_eq!(rust_ident("title"), "title");
    }

    #[test]
    fn a_stem_drops_the_underscore_that_dodges_a_keyword() {
        assert_eq!(stem("type_"), "type");
        assert_eq!(stem("extern__"), "extern");
        assert_eq!(stem("author"), "author");
        assert_eq!(stem("a_b"), "a_b");
        assert_eq!(stem("_"), "_");
    }

    #[test]
    fn use_order_is_rustfmt_version_sorting() {
        // What `rustfmt --edition 2024` makes of `use crate::{...}` with these names.
        let sorted = [
            "Ab", "B", "a", "a_b", "a_c", "a2", "a10", "aB", "ab", "abc", "b", "r#move", "x_1",
            "x_a", "x1", "zeta",
        ];
        let mut names = sorted.to_vec();
        names.reverse();
        names.sort_by(|a, b| use_order(a, b));
        assert_eq!(names, sorted);
    }

    #[test]
    fn mod_order_is_by_bytes_without_raw_prefixes() {
        let sorted = [
            "a", "a10", "a2", "a_10", "a_2", "a_b", "ab", "abc", "r#move", "x1", "x_1",
        ];
        let mut names = sorted.to_vec();
        names.reverse();
        names.sort_by(|a, b| mod_order(a, b));
        assert_eq!(names, sorted);
    }

    #[test]
    fn long_sql_names_are_cut_to_63_bytes_and_stay_distinct() {
        assert_eq!(sql_name("posts_slug_key".into()), "posts_slug_key");
        let long = format!("{}_author_id_fkey", "a".repeat(60));
        let other = format!("{}_editor_id_fkey", "a".repeat(60));
        let (cut, other_cut) = (sql_name(long.clone()), sql_name(other));
        assert_eq!(cut.len(), 63);
        assert!(cut.starts_with(&"a".repeat(54)));
        assert_ne!(cut, other_cut);
        assert_eq!(cut, sql_name(long));
    }

    #[test]
    fn reserved_crate_names() {
        assert!(is_reserved_crate_name("serde"));
        assert!(is_reserved_crate_name("test"));
        assert!(!is_reserved_crate_name("shop"));
    }

    #[test]
    fn rust_string_literals_escape_what_the_lexer_needs() {
        assert_eq!(rust_string_literal("plain"), "\"plain\"");
        assert_eq!(rust_string_literal("a\"b\\c"), "\"a\\\"b\\\\c\"");
        assert_eq!(rust_string_literal("line\nbreak"), "\"line\\nbreak\"");
        assert_eq!(rust_string_literal("^[a-z]+$"), "\"^[a-z]+$\"");
    }

    #[test]
    fn identifiers() {
        assert!(is_identifier("a"));
        assert!(is_identifier("userId"));
        assert!(is_identifier("order_item2"));
        assert!(!is_identifier(""));
        assert!(!is_identifier("_"));
        assert!(!is_identifier("_x"));
        assert!(!is_identifier("2x"));
        assert!(!is_identifier("first-name"));
        assert!(!is_identifier("café"));
    }
}
