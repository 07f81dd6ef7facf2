//! `crate::migrations::kit`, where generated migrations find it.

#[path = "../../../templates/fixed/src/migrations/kit.rs"]
pub mod kit;
