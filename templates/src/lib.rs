// {{ header }}
// Do not edit: put your code in src/hooks/.
pub mod app;
{% if plan.auth.is_some() %}¶
pub mod auth;
{% endif %}¶
pub mod cli;
pub mod config;
pub mod datetime;
pub mod db;
{% if plan.needs_decimal %}¶
pub mod decimal;
{% endif %}¶
pub mod entities;
pub mod error;
pub mod extract;
pub mod hooks;
pub mod middleware;
pub mod migrations;
pub mod models;
pub mod openapi;
pub mod patch;
pub mod prelude;
pub mod query;
pub mod routes;
pub mod shutdown;
pub mod validation;
