//! Rows for a generated API, derived from its apigen.toml: each field's rules read from
//! the schema, valid values for them, the order parents come in, and one JSON request on
//! loopback. The sequence fuzzer and the differential test write rows with them.
#![allow(dead_code, reason = "each suite uses part of the rows")]

pub mod differential;

use apigen::names::{plural, snake_case};
use apigen::plan::samples::pattern_samples;
use serde_json::{Value as Json, json};
use toml_edit::{DocumentMut, Item, Value};

use crate::support::http_with;

/// A field's type, from its shorthand or its table.
pub fn field_type(item: &Item) -> String {
    match item {
        Item::Value(Value::String(s)) => s.value().trim_end_matches('?').to_string(),
        Item::Value(Value::InlineTable(t)) => t
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
        _ => String::new(),
    }
}

pub fn is_scalar(ty: &str) -> bool {
    !matches!(ty, "belongs_to" | "many_to_many" | "")
}

/// A field as apigen.toml declares it, with what writing a valid value needs.
pub struct FieldDef {
    pub name: String,
    pub ty: String,
    pub optional: bool,
    pub default: bool,
    pub min: Option<String>,
    pub max: Option<String>,
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    /// A decimal's `scale` and `precision` (a precision alone means `scale = 0`).
    pub scale: Option<usize>,
    pub precision: Option<usize>,
    pub format: Option<String>,
    pub pattern: Option<String>,
    pub values: Vec<String>,
    pub unique: bool,
    pub readonly: bool,
    pub private: bool,
    /// The resource a belongs_to points at.
    pub target: Option<String>,
}

impl FieldDef {
    /// Its key in bodies and answers.
    pub fn key(&self) -> String {
        if self.ty == "belongs_to" {
            format!("{}_id", self.name)
        } else {
            self.name.clone()
        }
    }
}

pub struct ResourceDef {
    pub name: String,
    pub plural: String,
    pub owner: Option<String>,
    pub fields: Vec<FieldDef>,
}

pub fn text_of(v: &Value) -> Option<String> {
    v.as_integer()
        .map(|i| i.to_string())
        .or_else(|| v.as_float().map(|f| f.to_string()))
        .or_else(|| v.as_str().map(str::to_string))
}

pub fn field_def(name: &str, item: &Item) -> FieldDef {
    let mut def = FieldDef {
        name: name.to_string(),
        ty: field_type(item),
        optional: false,
        default: false,
        min: None,
        max: None,
        min_length: None,
        max_length: None,
        scale: None,
        precision: None,
        format: None,
        pattern: None,
        values: Vec::new(),
        unique: false,
        readonly: false,
        private: false,
        target: None,
    };
    match item {
        Item::Value(Value::String(s)) => def.optional = s.value().ends_with('?'),
        Item::Value(Value::InlineTable(t)) => {
            let flag = |key: &str| t.get(key).and_then(Value::as_bool) == Some(true);
            let number = |key: &str| {
                t.get(key)
                    .and_then(Value::as_integer)
                    .map(|i| i.max(0) as usize)
            };
            def.optional = flag("optional");
            def.unique = flag("unique");
            def.readonly = flag("readonly");
            def.private = flag("private");
            def.default = t.get("default").is_some();
            def.min = t.get("min").and_then(text_of);
            def.max = t.get("max").and_then(text_of);
            def.min_length = number("min_length");
            def.max_length = number("max_length");
            def.precision = number("precision");
            def.scale = number("scale").or(def.precision.map(|_| 0));
            def.format = t.get("format").and_then(Value::as_str).map(str::to_string);
            def.pattern = t.get("pattern").and_then(Value::as_str).map(str::to_string);
            def.target = t
                .get("resource")
                .and_then(Value::as_str)
                .map(str::to_string);
            def.values = t
                .get("values")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default();
        }
        _ => {}
    }
    def
}

/// The resources of apigen.toml (User aside), as writing rows needs them.
pub fn resource_defs(doc: &DocumentMut) -> Vec<ResourceDef> {
    let Some(table) = doc.get("resources").and_then(Item::as_table) else {
        return Vec::new();
    };
    table
        .iter()
        .filter(|(name, _)| *name != "User")
        .map(|(name, item)| ResourceDef {
            name: name.to_string(),
            plural: item
                .get("plural")
                .and_then(Item::as_str)
                .map(str::to_string)
                .unwrap_or_else(|| plural(&snake_case(name))),
            owner: item.get("owner").and_then(Item::as_str).map(str::to_string),
            fields: item
                .get("fields")
                .and_then(Item::as_table)
                .map(|t| t.iter().map(|(k, v)| field_def(k, v)).collect())
                .unwrap_or_default(),
        })
        .collect()
}

/// The resources in an order where every required parent comes before its children.
pub fn creation_order(defs: &[ResourceDef]) -> Vec<&ResourceDef> {
    let mut order: Vec<&ResourceDef> = Vec::new();
    while order.len() < defs.len() {
        let before = order.len();
        for def in defs {
            if order.iter().any(|d| d.name == def.name) {
                continue;
            }
            let ready = def.fields.iter().all(|f| {
                f.ty != "belongs_to"
                    || f.optional
                    || f.target.as_deref().is_none_or(|t| {
                        t == "User" || t == def.name || order.iter().any(|d| d.name == t)
                    })
            });
            if ready {
                order.push(def);
            }
        }
        if order.len() == before {
            // A cycle of required parents (the fuzzer makes none): the rest as declared.
            for def in defs {
                if !order.iter().any(|d| d.name == def.name) {
                    order.push(def);
                }
            }
        }
    }
    order
}

/// The body keys `POST <base>/<plural>` takes, from the project's openapi.json.
pub fn create_keys(openapi: &Json, base_path: &str, plural: &str) -> Vec<String> {
    let path = format!("{base_path}/{plural}");
    let reference = openapi["paths"][&path]["post"]["requestBody"]["content"]["application/json"]
        ["schema"]["$ref"]
        .as_str()
        .unwrap_or_else(|| panic!("openapi.json has no POST {path} with a body schema"));
    let name = reference.rsplit('/').next().unwrap();
    openapi["components"]["schemas"][name]["properties"]
        .as_object()
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default()
}

/// `n` written with the letters a to z, shortest first: distinct names for distinct `n`.
pub fn letters(mut n: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'a' + (n % 26) as u8);
        n /= 26;
        if n == 0 {
            break;
        }
        n -= 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap()
}

/// `start` made exactly `len` characters long: cut, or filled with a run of letters.
pub fn sized(start: &str, len: usize) -> String {
    let mut text: String = start.chars().take(len).collect();
    let filler = "-abcdefghijklmnopqrstuvwxyz";
    while text.chars().count() < len {
        let missing = len - text.chars().count();
        text.extend(filler.chars().take(missing));
    }
    text
}

/// A valid value of field `f` for the `n`-th row of a checkpoint, distinct for each
/// `k` where the field is unique; None to leave the key out (its default applies).
pub fn value_for(f: &FieldDef, n: usize, k: usize) -> Option<Json> {
    if f.optional && n == 1 {
        return Some(Json::Null);
    }
    if f.default && n == 2 {
        return None;
    }
    let float = |s: &Option<String>| s.as_deref().and_then(|v| v.parse::<f64>().ok());
    Some(match f.ty.as_str() {
        "string" | "text" => {
            let cap = if f.ty == "string" { 255 } else { 1000 };
            let floor = match f.format.as_deref() {
                Some("email") => 6,
                Some("url") => 12,
                _ => 1,
            };
            let lo = f.min_length.unwrap_or(floor).max(floor);
            let hi = f.max_length.unwrap_or(cap).max(lo);
            // Short, middling and as long as allowed (up to 300): a narrower column cuts
            // the long ones.
            let len = [lo.max(8), 40, 300][n % 3].clamp(lo, hi);
            if let Some(pattern) = &f.pattern {
                // The k-th of k + 1 distinct matches, as short as the rules allow.
                let found = pattern_samples(pattern, k + 1, lo, hi);
                let text = found.get(k).or(found.last()).unwrap_or_else(|| {
                    panic!("no string of {lo} to {hi} characters matches {pattern}")
                });
                return Some(json!(text));
            }
            match f.format.as_deref() {
                Some("email") => {
                    let len = len.min(60).max(lo);
                    json!(format!(
                        "{}@x.io",
                        sized(&format!("u{}", letters(k)), len.saturating_sub(5))
                    ))
                }
                Some("url") => json!(format!(
                    "https://x.io/{}",
                    sized(&format!("p{}", letters(k)), len.saturating_sub(13).max(1))
                )),
                _ => json!(sized(&format!("{}é ", letters(k)), len)),
            }
        }
        "int" | "bigint" => {
            let span: i128 = if f.ty == "int" {
                i32::MAX as i128
            } else {
                i64::MAX as i128
            };
            let lo = f.min.as_deref().map_or(-span - 1, |v| v.parse().unwrap());
            let hi = f.max.as_deref().map_or(span, |v| v.parse().unwrap());
            let base: i128 = [k as i128, 1000 + k as i128 * 7, -(k as i128) - 3][n % 3];
            json!((lo + (base - lo).rem_euclid(hi - lo + 1)) as i64)
        }
        "float" => {
            let (lo, hi) = (
                float(&f.min).unwrap_or(f64::MIN),
                float(&f.max).unwrap_or(f64::MAX),
            );
            let v = [0.5, -1.5, 1234.25, 0.25][(n + k) % 4];
            json!(if v < lo || v > hi {
                lo.max(f64::MIN)
            } else {
                v
            })
        }
        "decimal" => {
            let candidates = ["12.50", "0.01", "99999.99", "42", "-7.125"];
            let fits = |text: &str| {
                let v: f64 = text.parse().unwrap();
                let unsigned = text.trim_start_matches('-');
                let (whole, places) = unsigned.split_once('.').unwrap_or((unsigned, ""));
                let places = places.trim_end_matches('0').len();
                let whole = whole.trim_start_matches('0').len();
                float(&f.min).is_none_or(|lo| v >= lo)
                    && float(&f.max).is_none_or(|hi| v <= hi)
                    && f.scale.is_none_or(|scale| places <= scale)
                    && f.precision
                        .is_none_or(|p| whole <= p - f.scale.unwrap_or(0))
            };
            let v = candidates[(n + k) % candidates.len()];
            let v = if fits(v) {
                v.to_string()
            } else {
                f.min.clone().or(f.max.clone()).unwrap_or("0".into())
            };
            json!(v)
        }
        "bool" => json!((n + k).is_multiple_of(2)),
        "uuid" => json!(format!("{:08x}-0000-4000-8000-{:012x}", n, k)),
        "date" => json!(format!(
            "{}-{:02}-{:02}",
            2000 + k % 80,
            1 + n % 12,
            1 + k % 28
        )),
        "datetime" => json!(format!(
            "{}-{:02}-{:02}T{:02}:{:02}:07.25Z",
            2001 + k % 80,
            1 + n % 12,
            1 + k % 28,
            n * 5 % 24,
            k % 60
        )),
        "time" => json!(format!(
            "{:02}:{:02}:{:02}",
            (n * 7 + k) % 24,
            k % 60,
            n % 60
        )),
        "json" => json!({ "k": k, "text": "é \"quoted\"", "list": [1, 2.5, null, true] }),
        "enum" => json!(f.values[k % f.values.len()]),
        other => panic!("no value for a field of type {other}"),
    })
}

/// One HTTP/1.1 request on loopback with a bearer token; the status and the JSON body.
pub fn call(
    port: u16,
    method: &str,
    path: &str,
    body: Option<&Json>,
    token: Option<&str>,
) -> (u16, Json) {
    let bearer = token.map(|t| format!("Bearer {t}"));
    let headers: Vec<(&str, &str)> = bearer
        .as_deref()
        .map(|bearer| ("Authorization", bearer))
        .into_iter()
        .collect();
    let body = body.map(Json::to_string);
    let (status, text) = http_with(port, method, path, &headers, body.as_deref());
    let json = serde_json::from_str(&text).unwrap_or_else(|_| Json::String(text));
    (status, json)
}
