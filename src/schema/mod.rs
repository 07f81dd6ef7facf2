//! `apigen.toml` in, validated [`Schema`] or diagnostics out.
//!
//! Two steps, one module each: [`parse`](self::parse()) reads the TOML into a spanned
//! document (`raw`), checking its shape; `check` turns that document into the model,
//! checking its meaning. Both collect every problem they can find, each with the span
//! of the offending text, and [`render_diagnostics`] prints them the way rustc does.

mod check;
mod diagnostic;
pub mod kind;
pub mod model;
mod parse;
mod raw;
mod suggest;
pub(crate) mod values;

pub use check::names::RESERVED_TYPES;
pub use diagnostic::{Diagnostic, line_col, render_diagnostics};
pub use model::*;
pub use parse::FIELD_TYPES;

/// Parses and checks the text of a schema. `file_name` names the file in messages.
///
/// Either the schema is valid and comes back as the model, or every problem found
/// comes back, in source order.
pub fn parse(file_name: &str, source: &str) -> Result<Schema, Vec<Diagnostic>> {
    let (raw, diags) = parse::parse_document(source).map_err(|diag| vec![diag])?;
    check::check(file_name, &raw, diags).map_err(|mut diags| {
        diags.sort_by_key(|d| (d.span.start, d.span.end));
        diags
    })
}

/// The candidate a mistyped name most likely meant, for "did you mean" hints elsewhere.
pub fn suggest_name<'a>(input: &str, candidates: &[&'a str]) -> Option<&'a str> {
    suggest::closest(input, candidates.iter().copied())
}
