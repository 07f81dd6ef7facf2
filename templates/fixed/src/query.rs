// Do not edit: change apigen.toml instead.
//! The query string of every list route: paging, sorting, filters and `include`.
//!
//! - `?page=2&per_page=50` (page from 1; per_page 20 by default, at most 100), or
//!   `?after=<id>` for deep pages: a cursor whose cost does not grow with depth.
//!   `?total=false` skips the count of a numbered page: one statement instead of two.
//! - `?sort=-created_at,name`: any scalar field, `-` for descending; `id` always ends
//!   the order, so that pages never overlap.
//! - `?name=..` (equals), `?name.ne=..`, `?name.contains=..` (case-insensitive),
//!   `?price.gte=..` `.gt` `.lte` `.lt`, `?status.in=a,b`, `?bio.null=true`; which
//!   operator fits which type is in [`Kind::operators`].
//! - `?include=author,tags`: embeds related rows.
//!
//! Each value is parsed by its field's type and bound as a parameter: nothing a
//! client sends is pasted into SQL text. Anything not understood answers 400
//! naming the parameter.
use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};
use std::fmt;

use axum::extract::{FromRequestParts, OriginalUri};
use axum::http::request::Parts;
use sea_orm::prelude::{ChronoDate, DateTimeWithTimeZone, Uuid};
use sea_orm::sea_query::{Expr, Func, LikeExpr, NullOrdering};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, DbBackend, EntityTrait, Iterable};
use sea_orm::{ModelTrait, Order, PaginatorTrait, PrimaryKeyToColumn, QueryFilter, QueryOrder};
use sea_orm::{QuerySelect, Select, Value};
use serde::Serialize;
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn, ParameterStyle};
use utoipa::openapi::schema::{ArrayBuilder, ArrayItems, KnownFormat, ObjectBuilder};
use utoipa::openapi::schema::{SchemaFormat, SchemaType, Type};
use utoipa::openapi::{Ref, RefOr, Required, Schema};
use utoipa::{PartialSchema, ToSchema};

use crate::datetime::{DbDateTime, TIME_OF_DAY_PATTERN, TimeOfDay, checked, checked_date};
use crate::error::{ApiError, ApiResult};
use crate::extract::parse_decimal;

pub const DEFAULT_PER_PAGE: u64 = 20;
pub const MAX_PER_PAGE: u64 = 100;
/// Keeps the row offset far inside what every database accepts.
pub const MAX_PAGE: u64 = 1_000_000_000;
/// The parameters of every list that are not filters. A field of the same name is
/// filtered for equality with `<name>.eq`, as any field may be.
const LIST_PARAMETERS: [&str; 6] = ["page", "per_page", "after", "total", "sort", "include"];

/// The collation src/db.rs registers on SQLite: decimals kept as text, compared as numbers.
pub const DECIMAL_COLLATION: &str = "decimal";

/// The most values an `.in` filter takes.
pub const MAX_IN_VALUES: usize = 100;

/// A field's type, as far as filters and sorting care.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Text,
    Integer,
    Float,
    Decimal,
    Bool,
    Date,
    DateTime,
    /// A time of day, `HH:MM:SS`.
    Time,
    Uuid,
    /// One of these values.
    Enum(&'static [&'static str]),
    /// Only `.null` filters it, and it does not sort.
    Json,
}

/// A filter operator: the part of the parameter after the field's name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Gt,
    Gte,
    Lt,
    Lte,
    In,
    Contains,
    Null,
}

impl Op {
    const ALL: [Op; 9] = [
        Op::Eq,
        Op::Ne,
        Op::Gt,
        Op::Gte,
        Op::Lt,
        Op::Lte,
        Op::In,
        Op::Contains,
        Op::Null,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Op::Eq => "eq",
            Op::Ne => "ne",
            Op::Gt => "gt",
            Op::Gte => "gte",
            Op::Lt => "lt",
            Op::Lte => "lte",
            Op::In => "in",
            Op::Contains => "contains",
            Op::Null => "null",
        }
    }

    fn parse(name: &str) -> Option<Op> {
        Op::ALL.into_iter().find(|op| op.name() == name)
    }
}

impl Kind {
    /// The operators a field of this kind takes; an optional field takes `null` too.
    pub fn operators(self) -> &'static [Op] {
        use Op::*;
        match self {
            Kind::Text => &[Eq, Ne, Contains, In],
            Kind::Integer | Kind::Decimal | Kind::Date | Kind::Time => {
                &[Eq, Ne, Gt, Gte, Lt, Lte, In]
            }
            Kind::Float | Kind::DateTime => &[Eq, Ne, Gt, Gte, Lt, Lte],
            Kind::Bool => &[Eq, Ne],
            Kind::Uuid | Kind::Enum(_) => &[Eq, Ne, In],
            Kind::Json => &[],
        }
    }

    fn sortable(self) -> bool {
        self != Kind::Json
    }

    /// What a value must look like, for messages.
    fn expected(self) -> String {
        match self {
            Kind::Text | Kind::Json => "text".to_owned(),
            Kind::Integer => "an integer".to_owned(),
            Kind::Float | Kind::Decimal => "a number".to_owned(),
            Kind::Bool => "true or false".to_owned(),
            Kind::Date => "a date (YYYY-MM-DD)".to_owned(),
            Kind::Time => "a time of day (HH:MM:SS)".to_owned(),
            Kind::DateTime => "an RFC 3339 date-time or a date (YYYY-MM-DD)".to_owned(),
            Kind::Uuid => "a UUID".to_owned(),
            Kind::Enum(values) => format!("one of {}", values.join(", ")),
        }
    }

    /// `raw` as a bound value of this kind, or what it should have been.
    fn value(self, raw: &str, backend: DbBackend) -> Result<Value, String> {
        let wrong = || format!("must be {}, not {raw:?}", self.expected());
        let value = match self {
            Kind::Text | Kind::Json if raw.contains('\0') => {
                return Err("must not contain a NUL character".to_owned());
            }
            Kind::Text | Kind::Json => Value::from(raw.to_owned()),
            Kind::Integer => Value::from(raw.parse::<i64>().map_err(|_| wrong())?),
            Kind::Float => Value::from(finite(raw).ok_or_else(wrong)?),
            // SQLite keeps decimals as text: they compare as numbers through a cast.
            Kind::Decimal => {
                let decimal = parse_decimal(raw)?;
                if backend == DbBackend::Sqlite {
                    Value::from(decimal.to_string())
                } else {
                    Value::from(decimal)
                }
            }
            Kind::Bool => Value::from(boolean(raw).ok_or_else(wrong)?),
            Kind::Date => Value::from(checked_date(date(raw).ok_or_else(wrong)?)?),
            Kind::DateTime => Value::from(DbDateTime(checked(date_time(raw).ok_or_else(wrong)?)?)),
            Kind::Time => Value::from(TimeOfDay::parse(raw).ok_or_else(wrong)?),
            Kind::Uuid => Value::from(Uuid::parse_str(raw).map_err(|_| wrong())?),
            Kind::Enum(values) if values.contains(&raw) => Value::from(raw.to_owned()),
            Kind::Enum(_) => return Err(wrong()),
        };
        Ok(value)
    }
}

fn finite(raw: &str) -> Option<f64> {
    raw.parse::<f64>().ok().filter(|value| value.is_finite())
}

fn date(raw: &str) -> Option<ChronoDate> {
    ChronoDate::parse_from_str(raw, "%Y-%m-%d").ok()
}

/// An RFC 3339 date-time, or a date meaning its midnight UTC.
fn date_time(raw: &str) -> Option<sea_orm::prelude::DateTimeUtc> {
    if let Ok(value) = DateTimeWithTimeZone::parse_from_rfc3339(raw) {
        return Some(value.to_utc());
    }
    let midnight = date(raw)?.and_hms_opt(0, 0, 0)?;
    Some(midnight.and_utc())
}

/// A field a list can filter and sort on. Private fields are never listed here.
#[derive(Clone, Copy, Debug)]
pub struct Field<C: 'static> {
    pub name: &'static str,
    pub column: C,
    pub kind: Kind,
    pub optional: bool,
}

impl<C: ColumnTrait> Field<C> {
    pub const fn required(name: &'static str, column: C, kind: Kind) -> Self {
        Self {
            name,
            column,
            kind,
            optional: false,
        }
    }

    pub const fn optional(name: &'static str, column: C, kind: Kind) -> Self {
        Self {
            name,
            column,
            kind,
            optional: true,
        }
    }

    /// The column as filters and sorting compare it, the same way on every database:
    /// decimals kept as text compare as numbers, exactly (SQLite through the collation
    /// src/db.rs registers, MySQL through a cast wide enough for every decimal).
    fn expr(&self, backend: DbBackend) -> Expr {
        let column = self.column.into_expr();
        match (self.kind, backend) {
            (Kind::Decimal, DbBackend::Sqlite) => {
                // `?` is the column here: SQLite's placeholder.
                Expr::cust_with_expr(format!("? COLLATE {DECIMAL_COLLATION}"), column)
            }
            (Kind::Decimal, DbBackend::MySql) => {
                Expr::expr(Func::cast_as(column, "DECIMAL(65, 30)"))
            }
            _ => column,
        }
    }

    /// The column as sorting orders it: [`Field::expr`]; an enum's values in the order the
    /// schema declares them; text by code point, as SQLite and MySQL's binary collation
    /// sort it (PostgreSQL's own collation would follow a locale). Only sorting: text
    /// filters test equality, which no collation changes, and keep the column's index.
    fn sort_expr(&self, backend: DbBackend) -> Expr {
        use sea_orm::sea_query::{CaseStatement, ExprTrait};

        let column = self.column.into_expr();
        match (self.kind, backend) {
            (Kind::Enum(values), _) => {
                let mut case = CaseStatement::new();
                for (rank, value) in values.iter().enumerate() {
                    case = case.case(ExprTrait::eq(column.clone(), *value), rank as i32);
                }
                case.into()
            }
            (Kind::Text, DbBackend::Postgres) => Expr::cust_with_expr(r#"$1 COLLATE "C""#, column),
            _ => self.expr(backend),
        }
    }

    fn takes(&self, op: Op) -> bool {
        self.kind.operators().contains(&op) || op == Op::Null && self.optional
    }

    /// The condition of `?<name>.<op>=<raw>`.
    fn condition(&self, op: Op, raw: &str, backend: DbBackend) -> Result<Condition, String> {
        use sea_orm::sea_query::ExprTrait;

        let column = self.expr(backend);
        let value = |raw: &str| self.kind.value(raw, backend);
        let expr = match op {
            Op::Eq => ExprTrait::eq(column, value(raw)?),
            Op::Ne if self.optional => {
                let other = ExprTrait::ne(column.clone(), value(raw)?);
                return Ok(Condition::any().add(other).add(column.is_null()));
            }
            Op::Ne => ExprTrait::ne(column, value(raw)?),
            Op::Gt => column.gt(value(raw)?),
            Op::Gte => column.gte(value(raw)?),
            Op::Lt => column.lt(value(raw)?),
            Op::Lte => column.lte(value(raw)?),
            Op::In => {
                let values: Vec<&str> = raw.split(',').collect();
                if values.len() > MAX_IN_VALUES {
                    return Err(format!("takes at most {MAX_IN_VALUES} values"));
                }
                let values = values
                    .into_iter()
                    .map(value)
                    .collect::<Result<Vec<_>, _>>()?;
                column.is_in(values)
            }
            Op::Contains if raw.contains('\0') => {
                return Err("must not contain a NUL character".to_owned());
            }
            Op::Contains => {
                let pattern = format!("%{}%", escape_like(&raw.to_ascii_lowercase()));
                let column = self.column.into_expr();
                ascii_folded(column, backend).like(LikeExpr::new(pattern).escape('\\'))
            }
            Op::Null => match boolean(raw) {
                Some(true) => column.is_null(),
                Some(false) => column.is_not_null(),
                None => return Err(format!("must be true or false, not {raw:?}")),
            },
        };
        Ok(Condition::all().add(expr))
    }
}

/// `raw` matched literally by LIKE: its `%`, `_` and `\` escaped with `\`.
/// `column` with the letters A to Z lower-cased and every other character as it is: the
/// one case rule `.contains` follows on every database (a database's own `LOWER` follows
/// its version of Unicode, or its locale, or only ASCII).
fn ascii_folded(column: Expr, backend: DbBackend) -> Expr {
    const UPPER: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    match backend {
        // SQLite's LIKE already ignores the case of A to Z, and of nothing else.
        DbBackend::Sqlite => column,
        DbBackend::Postgres => Expr::cust_with_expr(
            "translate($1, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')",
            column,
        ),
        _ => UPPER.chars().fold(column, |folded, upper| {
            let lower = upper.to_ascii_lowercase().to_string();
            Expr::expr(Func::cust("REPLACE").args([folded, upper.to_string().into(), lower.into()]))
        }),
    }
}

fn escape_like(raw: &str) -> String {
    let mut escaped = String::with_capacity(raw.len());
    for c in raw.chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

/// The query string of a list request, and the path it was sent to (for the links).
#[derive(Clone, Debug)]
pub struct ListParams {
    path: String,
    pairs: Vec<(String, String)>,
}

impl<S: Send + Sync> FromRequestParts<S> for ListParams {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let uri = match parts.extensions.get::<OriginalUri>() {
            Some(OriginalUri(original)) => original,
            None => &parts.uri,
        };
        let query = uri.query().unwrap_or_default();
        if !decodes_to_utf8(query) {
            let detail = "the query string is not UTF-8 once percent-decoded";
            return Err(ApiError::bad_request(detail));
        }
        let pairs = serde_urlencoded::from_str(query)
            .map_err(|err| ApiError::bad_request(format!("malformed query string: {err}")))?;
        Ok(Self {
            path: uri.path().to_owned(),
            pairs,
        })
    }
}

/// Whether `query` percent-decodes to UTF-8: the decoder would otherwise put U+FFFD in
/// place of the bad bytes and search for that.
fn decodes_to_utf8(query: &str) -> bool {
    let bytes = query.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3);
        let hex = hex.and_then(|hex| str::from_utf8(hex).ok());
        let escaped = hex.and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match (bytes[i], escaped) {
            (b'%', Some(byte)) => {
                decoded.push(byte);
                i += 3;
            }
            (byte, _) => {
                decoded.push(byte);
                i += 1;
            }
        }
    }
    str::from_utf8(&decoded).is_ok()
}

/// Which page a list answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Paging {
    /// `?page=`, from 1.
    Page(u64),
    /// `?after=<id>`: the rows after that id, in the order of `id` (or `-id`).
    After(Option<i64>),
}

/// A list request, parsed and checked against the fields of its resource.
#[derive(Debug)]
pub struct ListQuery<C: 'static> {
    params: ListParams,
    paging: Paging,
    per_page: u64,
    /// Whether a numbered page counts the matching rows (`?total=false` does not).
    counted: bool,
    id: &'static Field<C>,
    order: Vec<(&'static Field<C>, Order)>,
    condition: Condition,
    backend: DbBackend,
    include: Includes,
}

/// The relations `?include=` asks for.
#[derive(Clone, Debug, Default)]
pub struct Includes(Vec<&'static str>);

impl Includes {
    pub fn has(&self, name: &str) -> bool {
        self.0.contains(&name)
    }
}

/// A bad parameter: 400 naming it.
fn bad(param: &str, message: impl fmt::Display) -> ApiError {
    ApiError::bad_parameter(param, message.to_string())
}

impl ListParams {
    /// The `?include=` of a route that reads one row: nothing else is a parameter there.
    pub fn includes_only(self, includes: &[&'static str]) -> ApiResult<Includes> {
        let mut include = Includes::default();
        for (key, raw) in &self.pairs {
            if key != "include" {
                return Err(bad(
                    key,
                    "is not a parameter of this route: it only takes include",
                ));
            }
            include = includes_of(raw, includes)?;
        }
        Ok(include)
    }

    /// Checks every parameter against `fields` (the first is `id`) and the relations a
    /// list can `include`.
    pub fn parse<C: ColumnTrait>(
        self,
        backend: DbBackend,
        fields: &'static [Field<C>],
        includes: &[&'static str],
    ) -> ApiResult<ListQuery<C>> {
        let Some(id) = fields.iter().find(|field| field.name == "id") else {
            return Err(ApiError::internal("a list without an id field"));
        };
        let mut page = None;
        let mut after = None;
        let mut per_page = DEFAULT_PER_PAGE;
        let mut total = None;
        let mut sort = None;
        let mut include = Includes::default();
        let mut condition = Condition::all();
        for (key, raw) in &self.pairs {
            match key.as_str() {
                "page" => page = Some(page_number(raw)?),
                "per_page" => per_page = page_size(raw)?,
                "after" => after = Some(cursor(raw)?),
                "total" => {
                    let counted = boolean(raw).ok_or_else(|| bad("total", "must be true or false"));
                    total = Some(counted?);
                }
                "sort" => sort = Some(raw.as_str()),
                "include" => include = includes_of(raw, includes)?,
                _ => condition = condition.add(filter(key, raw, fields, backend)?),
            }
        }
        let order = match sort {
            Some(sort) => sort_order(sort, fields, id)?,
            None => vec![(id, Order::Asc)],
        };
        let paging = match (page, after) {
            (Some(_), Some(_)) => return Err(bad("after", "cannot be combined with page")),
            (Some(page), None) => Paging::Page(page),
            (None, Some(after)) => {
                if order.len() != 1 {
                    let message = "pages by id: sort must be id or -id, or page with page=";
                    return Err(bad("after", message));
                }
                Paging::After(after)
            }
            (None, None) => Paging::Page(1),
        };
        if let (Paging::After(_), Some(true)) = (paging, total) {
            let message = "a cursor page is never counted: page with page= to count";
            return Err(bad("total", message));
        }
        Ok(ListQuery {
            params: self,
            paging,
            per_page,
            counted: total.unwrap_or(true),
            id,
            order,
            condition,
            backend,
            include,
        })
    }
}

fn page_number(raw: &str) -> ApiResult<u64> {
    match raw.parse::<u64>() {
        Ok(page) if (1..=MAX_PAGE).contains(&page) => Ok(page),
        _ => Err(bad("page", format!("must be from 1 to {MAX_PAGE}"))),
    }
}

/// per_page: a whole number from 1 (an `int64`, as the document says); above 100 it is
/// 100, as the answer's `per_page` shows.
fn page_size(raw: &str) -> ApiResult<u64> {
    match raw.parse::<i64>().map(u64::try_from) {
        Ok(Ok(per_page)) if per_page > 0 => Ok(per_page.min(MAX_PER_PAGE)),
        _ => Err(bad("per_page", "must be a whole number, 1 or more")),
    }
}

/// `true` or `false`: a boolean filter's value, `.null`'s and `total`'s.
fn boolean(raw: &str) -> Option<bool> {
    match raw {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

/// `after=`: an id, or empty for the first page.
fn cursor(raw: &str) -> ApiResult<Option<i64>> {
    if raw.is_empty() {
        return Ok(None);
    }
    raw.parse().map(Some).map_err(|_| {
        bad(
            "after",
            "must be the id of the last row of the previous page",
        )
    })
}

fn includes_of(raw: &str, includes: &[&'static str]) -> ApiResult<Includes> {
    let mut chosen = Vec::new();
    for name in raw.split(',').filter(|name| !name.is_empty()) {
        match includes.iter().find(|include| **include == name) {
            Some(include) if !chosen.contains(include) => chosen.push(*include),
            Some(_) => return Err(bad("include", format!("names {name} twice"))),
            None if includes.is_empty() => {
                return Err(bad("include", "this list has no relations to include"));
            }
            None => {
                let message = format!("{name} is not one of {}", includes.join(", "));
                return Err(bad("include", message));
            }
        }
    }
    Ok(Includes(chosen))
}

fn field_named<C>(fields: &'static [Field<C>], name: &str) -> Option<&'static Field<C>> {
    fields.iter().find(|field| field.name == name)
}

/// `sort=-created_at,name`, with `id` appended when it is not there.
fn sort_order<C: ColumnTrait>(
    sort: &str,
    fields: &'static [Field<C>],
    id: &'static Field<C>,
) -> ApiResult<Vec<(&'static Field<C>, Order)>> {
    let mut order: Vec<(&'static Field<C>, Order)> = Vec::new();
    for key in sort.split(',') {
        let (name, direction) = match key.strip_prefix('-') {
            Some(name) => (name, Order::Desc),
            None => (key, Order::Asc),
        };
        let Some(field) = field_named(fields, name).filter(|field| field.kind.sortable()) else {
            let names = sortable_names(fields);
            return Err(bad("sort", format!("{name:?} is not one of {names}")));
        };
        if order.iter().any(|(seen, _)| seen.name == field.name) {
            return Err(bad("sort", format!("names {name} twice")));
        }
        order.push((field, direction));
    }
    if !order.iter().any(|(field, _)| field.name == id.name) {
        order.push((id, Order::Asc));
    }
    Ok(order)
}

fn sortable_names<C>(fields: &[Field<C>]) -> String {
    let names: Vec<&str> = fields
        .iter()
        .filter(|field| field.kind.sortable())
        .map(|field| field.name)
        .collect();
    names.join(", ")
}

/// The condition of one filter parameter, `<field>` or `<field>.<op>`.
fn filter<C: ColumnTrait>(
    key: &str,
    raw: &str,
    fields: &'static [Field<C>],
    backend: DbBackend,
) -> ApiResult<Condition> {
    let (name, op) = match key.rsplit_once('.') {
        Some((name, op)) => (name, Op::parse(op)),
        None => (key, Some(Op::Eq)),
    };
    let Some(field) = field_named(fields, name) else {
        let message = "is not a filter of this list: filter on a field, with an operator \
                       such as .contains, .gte, .in or .null; page with page, per_page \
                       or after; sort with sort";
        return Err(bad(key, message));
    };
    let Some(op) = op.filter(|op| field.takes(*op)) else {
        let mut ops: Vec<&str> = field.kind.operators().iter().map(|op| op.name()).collect();
        if field.optional {
            ops.push(Op::Null.name());
        }
        let message = match ops.is_empty() {
            true => format!("{name} cannot be filtered"),
            false => format!("{name} takes the operators {}", ops.join(", ")),
        };
        return Err(bad(key, message));
    };
    field
        .condition(op, raw, backend)
        .map_err(|message| bad(key, message))
}

/// The links of a page, to follow as they are.
#[derive(Clone, Debug, Default, Serialize, ToSchema)]
pub struct PageLinks {
    /// The first page.
    pub first: String,
    /// The page before, if any; never on a cursor page.
    pub prev: Option<String>,
    /// The page after, if there are more rows.
    pub next: Option<String>,
    /// The last page; never on a cursor page, nor with `?total=false`.
    pub last: Option<String>,
}

/// A page of rows, as every list answers it: the rows, where the others are, and how
/// many there are on a numbered page. One type for every resource: its schema in the
/// OpenAPI document is named after its rows' (`OrderPage`), which say what it is
/// ([`Paged`]).
#[derive(Clone, Debug, Serialize)]
pub struct Page<T> {
    pub data: Vec<T>,
    /// The page number; `null` on a cursor page (`?after=`).
    pub page: Option<u64>,
    pub per_page: u64,
    /// The rows matching the filters, on all pages; `null` on a cursor page and with
    /// `?total=false`.
    pub total: Option<u64>,
    pub links: PageLinks,
}

impl<T> Page<T> {
    /// The same page with each row converted.
    pub fn map<U>(self, convert: impl FnMut(T) -> U) -> Page<U> {
        Page {
            data: self.data.into_iter().map(convert).collect(),
            page: self.page,
            per_page: self.per_page,
            total: self.total,
            links: self.links,
        }
    }
}

/// A resource's response type, as the OpenAPI document describes a [`Page`] of it.
pub trait Paged: ToSchema {
    /// The resource in the plural, as words: `order items`.
    const PLURAL: &'static str;
    /// Its list's path: `/api/order_items`.
    const LIST_PATH: &'static str;
    /// Whether lists nested under other resources answer its pages too.
    const NESTED: bool = true;
}

/// [`Page::page`] and [`Page::total`] in the document, as their doc comments say.
const PAGE_NUMBER: &str = "The page number; `null` on a cursor page (`?after=`).";
const TOTAL: &str =
    "The rows matching the filters, on all pages; `null` on a cursor page and with `?total=false`.";

impl<T: Paged> PartialSchema for Page<T> {
    fn schema() -> RefOr<Schema> {
        let (plural, path) = (T::PLURAL, T::LIST_PATH);
        let description = match T::NESTED {
            true => format!(
                "A page of {plural}: what `GET {path}` and the lists nested under other \
                 resources answer."
            ),
            false => format!("A page of {plural}: what `GET {path}` answers."),
        };
        let count = |description: Option<&str>| {
            let types = match description {
                Some(_) => SchemaType::from_iter([Type::Integer, Type::Null]),
                None => SchemaType::new(Type::Integer),
            };
            ObjectBuilder::new()
                .schema_type(types)
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
                .minimum(Some(0))
                .description(description)
        };
        let rows = ArrayBuilder::new().items(RefOr::Ref(Ref::from_schema_name(T::name())));
        let links = RefOr::Ref(Ref::from_schema_name(PageLinks::name()));
        ObjectBuilder::new()
            .description(Some(description))
            .property("data", rows)
            .required("data")
            .property("page", count(Some(PAGE_NUMBER)))
            .property("per_page", count(None))
            .required("per_page")
            .property("total", count(Some(TOTAL)))
            .property("links", links)
            .required("links")
            .into()
    }
}

impl<T: Paged> ToSchema for Page<T> {
    fn name() -> Cow<'static, str> {
        Cow::Owned(format!("{}Page", T::name()))
    }

    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        schemas.push((T::name().into_owned(), T::schema()));
        T::schemas(schemas);
        schemas.push((
            PageLinks::name().into_owned(),
            <PageLinks as PartialSchema>::schema(),
        ));
    }
}

impl<C: ColumnTrait> ListQuery<C> {
    /// The relations `?include=` asks for.
    pub fn include(&self) -> &Includes {
        &self.include
    }

    /// The page of `select`'s rows this query asks for.
    pub async fn fetch<E, D>(&self, db: &D, select: Select<E>) -> ApiResult<Page<E::Model>>
    where
        E: EntityTrait<Column = C>,
        E::Model: ModelTrait<Entity = E> + Sync,
        D: ConnectionTrait,
    {
        let mut select = select.filter(self.condition.clone());
        for (field, order) in &self.order {
            let expr = field.sort_expr(self.backend);
            select = match (field.optional, order) {
                (false, _) => select.order_by(expr, order.clone()),
                // NULLs last going up and first going down, on every database.
                (true, Order::Desc) => {
                    select.order_by_with_nulls(expr, Order::Desc, NullOrdering::First)
                }
                (true, _) => select.order_by_with_nulls(expr, order.clone(), NullOrdering::Last),
            };
        }
        match self.paging {
            Paging::Page(page) if self.counted => self.fetch_page(db, select, page).await,
            Paging::Page(page) => self.fetch_uncounted(db, select, page).await,
            Paging::After(after) => self.fetch_after(db, select, after).await,
        }
    }

    async fn fetch_page<E, D>(
        &self,
        db: &D,
        select: Select<E>,
        page: u64,
    ) -> ApiResult<Page<E::Model>>
    where
        E: EntityTrait<Column = C>,
        E::Model: Sync,
        D: ConnectionTrait,
    {
        let paginator = select.paginate(db, self.per_page);
        let total = paginator.num_items().await?;
        let rows = paginator.fetch_page(page - 1).await?;
        let last = total.div_ceil(self.per_page).max(1);
        let links = PageLinks {
            first: self.link("page", 1),
            prev: (page > 1).then(|| self.link("page", (page - 1).min(last))),
            next: (page < last).then(|| self.link("page", page + 1)),
            last: Some(self.link("page", last)),
        };
        Ok(Page {
            data: rows,
            page: Some(page),
            per_page: self.per_page,
            total: Some(total),
            links,
        })
    }

    /// A numbered page without the count: one row more than the page says whether
    /// there is a next one.
    async fn fetch_uncounted<E, D>(
        &self,
        db: &D,
        select: Select<E>,
        page: u64,
    ) -> ApiResult<Page<E::Model>>
    where
        E: EntityTrait<Column = C>,
        D: ConnectionTrait,
    {
        let offset = (page - 1) * self.per_page;
        let select = select.offset(offset).limit(self.per_page + 1);
        let mut rows = select.all(db).await?;
        let more = rows.len() as u64 > self.per_page;
        rows.truncate(self.per_page as usize);
        let links = PageLinks {
            first: self.link("page", 1),
            prev: (page > 1).then(|| self.link("page", page - 1)),
            next: more.then(|| self.link("page", page + 1)),
            last: None,
        };
        Ok(Page {
            data: rows,
            page: Some(page),
            per_page: self.per_page,
            total: None,
            links,
        })
    }

    async fn fetch_after<E, D>(
        &self,
        db: &D,
        select: Select<E>,
        after: Option<i64>,
    ) -> ApiResult<Page<E::Model>>
    where
        E: EntityTrait<Column = C>,
        E::Model: ModelTrait<Entity = E>,
        D: ConnectionTrait,
    {
        let descending = matches!(self.order.first(), Some((_, Order::Desc)));
        let id = self.id.column;
        let select = match (after, descending) {
            (None, _) => select,
            (Some(after), false) => select.filter(id.gt(after)),
            (Some(after), true) => select.filter(id.lt(after)),
        };
        let mut rows = select.limit(self.per_page + 1).all(db).await?;
        let more = rows.len() as u64 > self.per_page;
        rows.truncate(self.per_page as usize);
        let next = match rows.last().map(|row| row.get(id)) {
            Some(Value::BigInt(Some(last))) if more => Some(self.link("after", last)),
            _ => None,
        };
        let links = PageLinks {
            first: self.link("after", ""),
            prev: None,
            next,
            last: None,
        };
        Ok(Page {
            data: rows,
            page: None,
            per_page: self.per_page,
            total: None,
            links,
        })
    }

    /// This request's path and query, with `key` (page or after) set to `value`.
    fn link(&self, key: &str, value: impl fmt::Display) -> String {
        let paging = ["page", "after", "per_page"];
        let mut pairs: Vec<(String, String)> = self
            .params
            .pairs
            .iter()
            .filter(|(name, _)| !paging.contains(&name.as_str()))
            .cloned()
            .collect();
        pairs.push((key.to_owned(), value.to_string()));
        pairs.push(("per_page".to_owned(), self.per_page.to_string()));
        let query = serde_urlencoded::to_string(&pairs).unwrap_or_default();
        format!("{}?{query}", self.params.path)
    }
}

/// The rows of `select` whose id is in `ids`, converted and keyed by id: one query,
/// however many ids. `select` decides which rows may be read at all.
pub async fn by_id<E, T>(
    db: &impl ConnectionTrait,
    select: Select<E>,
    ids: impl IntoIterator<Item = i64>,
    convert: impl Fn(E::Model) -> T,
) -> ApiResult<HashMap<i64, T>>
where
    E: EntityTrait,
{
    let ids: BTreeSet<i64> = ids.into_iter().collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let Some(key) = E::PrimaryKey::iter().next() else {
        return Err(ApiError::internal("an entity without a primary key"));
    };
    let id = key.into_column();
    let rows = select.filter(id.is_in(ids)).all(db).await?;
    let mut found = HashMap::with_capacity(rows.len());
    for row in rows {
        if let Value::BigInt(Some(key)) = row.get(id) {
            found.insert(key, convert(row));
        }
    }
    Ok(found)
}

/// The query parameters of a list, for the OpenAPI document: built from the same
/// fields that parse them, so that the two cannot disagree.
pub fn list_parameters<C>(fields: &[Field<C>], includes: &[&str]) -> Vec<Parameter> {
    let mut parameters = vec![
        parameter("page", "The page, from 1", page_schema()),
        parameter(
            "per_page",
            "Rows per page: 20 by default; above 100, 100",
            positive(),
        ),
        parameter(
            "after",
            "A cursor page: the rows after this id (in the order of `id`, or `-id`)",
            schema(Type::Integer, Some(KnownFormat::Int64)),
        ),
        parameter(
            "total",
            "Whether a numbered page counts the matching rows (`total`, `links.last`): \
             true by default; false skips the count",
            schema(Type::Boolean, None),
        ),
        parameter(
            "sort",
            "Fields to sort on, comma-separated, `-` for descending; `id` always ends the order",
            schema(Type::String, None),
        ),
    ];
    if !includes.is_empty() {
        parameters.push(include_parameter(includes));
    }
    for field in fields {
        for op in field.kind.operators() {
            parameters.push(filter_parameter(field, *op));
        }
        if field.optional {
            parameters.push(filter_parameter(field, Op::Null));
        }
    }
    parameters
}

/// `?include=`: the relations to embed, comma-separated.
pub fn include_parameter(includes: &[&str]) -> Parameter {
    let description = format!(
        "Relations to embed, comma-separated: {}",
        includes.join(", ")
    );
    parameter("include", &description, schema(Type::String, None))
}

fn filter_parameter<C>(field: &Field<C>, op: Op) -> Parameter {
    let (name, description) = match op {
        // A field named like a list parameter (a field `sort`) filters as `sort.eq`.
        Op::Eq if LIST_PARAMETERS.contains(&field.name) => (
            format!("{}.eq", field.name),
            format!("{} equals", field.name),
        ),
        Op::Eq => (field.name.to_owned(), format!("{} equals", field.name)),
        Op::Ne => (
            format!("{}.ne", field.name),
            format!("{} differs from", field.name),
        ),
        Op::Gt => (
            format!("{}.gt", field.name),
            format!("{} is above", field.name),
        ),
        Op::Gte => (
            format!("{}.gte", field.name),
            format!("{} is at least", field.name),
        ),
        Op::Lt => (
            format!("{}.lt", field.name),
            format!("{} is below", field.name),
        ),
        Op::Lte => (
            format!("{}.lte", field.name),
            format!("{} is at most", field.name),
        ),
        Op::In => (
            format!("{}.in", field.name),
            format!("{} is one of, comma-separated", field.name),
        ),
        Op::Contains => (
            format!("{}.contains", field.name),
            format!("{} contains, ignoring case", field.name),
        ),
        Op::Null => (
            format!("{}.null", field.name),
            format!("{} is null (true) or not (false)", field.name),
        ),
    };
    let value = match op {
        Op::Null => schema(Type::Boolean, None),
        Op::In => return list_parameter(&name, &description, in_item_schema(field.kind)),
        Op::Contains => schema(Type::String, None),
        _ => value_schema(field.kind),
    };
    parameter(&name, &description, value)
}

/// One value of an `.in` list: text may hold no comma, which separates the values.
fn in_item_schema(kind: Kind) -> Schema {
    match kind {
        Kind::Text | Kind::Json => Schema::Object(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .pattern(Some("^[^,]*$"))
                .build(),
        ),
        other => value_schema(other),
    }
}

/// The schema of one value of a field of this kind.
fn value_schema(kind: Kind) -> Schema {
    match kind {
        Kind::Text | Kind::Json => schema(Type::String, None),
        Kind::Integer => schema(Type::Integer, Some(KnownFormat::Int64)),
        Kind::Float => schema(Type::Number, Some(KnownFormat::Double)),
        Kind::Decimal => schema(Type::String, None),
        Kind::Bool => schema(Type::Boolean, None),
        Kind::Date => schema(Type::String, Some(KnownFormat::Date)),
        Kind::DateTime => schema(Type::String, Some(KnownFormat::DateTime)),
        Kind::Time => Schema::Object(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .pattern(Some(TIME_OF_DAY_PATTERN))
                .build(),
        ),
        Kind::Uuid => schema(Type::String, Some(KnownFormat::Uuid)),
        Kind::Enum(values) => Schema::Object(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .enum_values(Some(values.iter().copied()))
                .build(),
        ),
    }
}

fn schema(kind: Type, format: Option<KnownFormat>) -> Schema {
    let format = format.map(SchemaFormat::KnownFormat);
    Schema::Object(
        ObjectBuilder::new()
            .schema_type(kind)
            .format(format)
            .build(),
    )
}

/// A whole number from 1.
/// A page number: from 1 to [`MAX_PAGE`].
fn page_schema() -> Schema {
    let format = Some(SchemaFormat::KnownFormat(KnownFormat::Int64));
    let builder = ObjectBuilder::new()
        .schema_type(Type::Integer)
        .format(format)
        .minimum(Some(1))
        .maximum(Some(MAX_PAGE));
    Schema::Object(builder.build())
}

fn positive() -> Schema {
    let format = Some(SchemaFormat::KnownFormat(KnownFormat::Int64));
    let builder = ObjectBuilder::new()
        .schema_type(Type::Integer)
        .format(format);
    Schema::Object(builder.minimum(Some(1)).build())
}

/// A comma-separated list (`?status.in=a,b`): form style, not exploded, 1 to
/// [`MAX_IN_VALUES`] values.
fn list_parameter(name: &str, description: &str, items: Schema) -> Parameter {
    let array = ArrayBuilder::new()
        .items(ArrayItems::RefOrSchema(Box::new(RefOr::T(items))))
        .min_items(Some(1))
        .max_items(Some(MAX_IN_VALUES));
    let mut parameter = parameter(name, description, Schema::Array(array.build()));
    parameter.style = Some(ParameterStyle::Form);
    parameter.explode = Some(false);
    parameter
}

fn parameter(name: &str, description: &str, schema: Schema) -> Parameter {
    ParameterBuilder::new()
        .name(name)
        .parameter_in(ParameterIn::Query)
        .required(Required::False)
        .description(Some(description))
        .schema(Some(schema))
        .build()
}
