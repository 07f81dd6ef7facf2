//! JSON text laid out exactly as `serde_json::to_string_pretty` lays it out (two spaces a
//! level, `"key": value`, `[]` and `{}` when empty), written piece by piece.
//!
//! `openapi.json` is megabytes, mostly the same query parameters repeated on every route
//! that lists a resource: written this way, a repeated part is made once, as text, and
//! copied ([`Pretty::splice`]), where a `serde_json::Value` tree would hold, copy and
//! serialize it again on every route.

use std::fmt::Write;

use serde_json::Value;

pub struct Pretty {
    out: String,
    depth: usize,
    /// Nothing written yet in the innermost open object or array.
    first: bool,
}

impl Pretty {
    pub fn new() -> Pretty {
        Pretty::at(0)
    }

    /// A writer for elements that go `depth` levels down in another one's text, after
    /// others: each starts with its comma, which [`Pretty::splice`] drops where needed.
    pub fn at(depth: usize) -> Pretty {
        Pretty {
            out: String::new(),
            depth,
            first: false,
        }
    }

    /// How many objects and arrays are open.
    pub fn depth(&self) -> usize {
        self.depth
    }

    pub fn finish(self) -> String {
        self.out
    }

    /// `{` or `[`.
    pub fn open(&mut self, bracket: char) {
        self.out.push(bracket);
        self.depth += 1;
        self.first = true;
    }

    /// `}` or `]`.
    pub fn close(&mut self, bracket: char) {
        self.depth -= 1;
        if !self.first {
            self.new_line();
        }
        self.out.push(bracket);
        self.first = false;
    }

    /// Starts an entry of an object: its value comes next.
    pub fn key(&mut self, key: &str) {
        self.item();
        self.string(key);
        self.out.push_str(": ");
    }

    /// Starts an element of an array: its value comes next.
    pub fn item(&mut self) {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
        self.new_line();
    }

    pub fn value(&mut self, value: &Value) {
        match value {
            Value::Object(map) => {
                self.open('{');
                for (key, value) in map {
                    self.key(key);
                    self.value(value);
                }
                self.close('}');
            }
            Value::Array(items) => {
                self.open('[');
                for item in items {
                    self.item();
                    self.value(item);
                }
                self.close(']');
            }
            Value::String(text) => self.string(text),
            Value::Number(n) => write!(self.out, "{n}").unwrap_or_default(),
            Value::Bool(b) => self.out.push_str(if *b { "true" } else { "false" }),
            Value::Null => self.out.push_str("null"),
        }
    }

    pub fn string(&mut self, text: &str) {
        if text
            .chars()
            .any(|c| c == '"' || c == '\\' || c.is_ascii_control())
        {
            // Rare: serde_json's own escapes.
            let quoted = serde_json::to_string(text).unwrap_or_default();
            self.out.push_str(&quoted);
        } else {
            self.out.push('"');
            self.out.push_str(text);
            self.out.push('"');
        }
    }

    /// Appends elements written by [`Pretty::at`] at this writer's depth, each started
    /// with [`Pretty::item`].
    pub fn splice(&mut self, items: &str) {
        if items.is_empty() {
            return;
        }
        // The part was written as if elements came before it: the comma goes when none did.
        let items = if self.first {
            items.strip_prefix(',').unwrap_or(items)
        } else {
            items
        };
        self.out.push_str(items);
        self.first = false;
    }

    fn new_line(&mut self) {
        self.out.push('\n');
        for _ in 0..self.depth {
            self.out.push_str("  ");
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn writes_what_serde_json_writes() {
        let value = json!({
            "a": [1, -2, 2.5, 1e300, true, null, "x\"y\\z\n\u{1}é", [], {}],
            "b": { "c": { "d": [] } },
            "": "",
        });
        let mut json = Pretty::new();
        json.value(&value);
        assert_eq!(json.finish(), serde_json::to_string_pretty(&value).unwrap());
    }

    #[test]
    fn spliced_elements_are_laid_out_in_place() {
        let value = json!({ "list": [{ "a": 1 }, { "b": [2] }, 3] });
        let mut part = Pretty::at(2);
        part.item();
        part.value(&json!({ "b": [2] }));
        part.item();
        part.value(&json!(3));
        let part = part.finish();
        for before in [true, false] {
            let mut json = Pretty::new();
            json.open('{');
            json.key("list");
            json.open('[');
            let expected = if before {
                json.item();
                json.value(&json!({ "a": 1 }));
                value.clone()
            } else {
                json!({ "list": [{ "b": [2] }, 3] })
            };
            json.splice(&part);
            json.close(']');
            json.close('}');
            assert_eq!(
                json.finish(),
                serde_json::to_string_pretty(&expected).unwrap()
            );
        }
    }
}
