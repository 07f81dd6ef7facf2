//! The files apigen writes into every generated crate unchanged, as one crate.
//!
//! Each module below is a file of `templates/fixed/src/`, at the path it has in a generated
//! crate; apigen writes it there verbatim (src/render.rs, `FIXED`), with its header before the
//! note on its first line. Edit these files here: `cargo test --test runtime_crate` in the
//! repository root formats, lints and tests this crate, and the snapshots show the change
//! in every fixture.
//!
//! The fixed files use three modules apigen writes per schema (`error`, `validation` and
//! `config`): this crate holds them as apigen renders them for `fixtures/minimal.toml`
//! (`src/minimal/`), and the same test fails when they differ from a fresh rendering.

#[path = "../../templates/fixed/src/datetime.rs"]
pub mod datetime;
#[path = "../../templates/fixed/src/decimal.rs"]
pub mod decimal;
#[path = "../../templates/fixed/src/extract.rs"]
pub mod extract;
#[path = "../../templates/fixed/src/middleware.rs"]
pub mod middleware;
#[path = "../../templates/fixed/src/patch.rs"]
pub mod patch;
#[path = "../../templates/fixed/src/query.rs"]
pub mod query;
#[path = "../../templates/fixed/src/shutdown.rs"]
pub mod shutdown;

pub mod migrations;

#[path = "minimal/config.rs"]
pub mod config;
#[path = "minimal/error.rs"]
pub mod error;
#[path = "minimal/validation.rs"]
pub mod validation;
