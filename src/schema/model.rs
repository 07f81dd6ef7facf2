//! The validated schema: what `apigen.toml` means once every check has passed.
//!
//! Nothing downstream of the checker ever sees an invalid schema: every name here is a
//! valid identifier, every reference resolves, every default fits its field. Field and
//! resource order is the order of the file.

pub use super::kind::Scalar;

/// A whole, validated `apigen.toml`.
#[derive(Debug, Clone, PartialEq)]
pub struct Schema {
    pub api: Api,
    pub auth: Option<Auth>,
    /// In file order.
    pub resources: Vec<Resource>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// Crate and binary name, snake_case.
    pub name: String,
    pub database: Database,
    /// Prefix of every resource route, starting with `/` and without a trailing `/`
    /// (`"/api"` by default; `""` when the schema says `"/"`).
    pub base_path: String,
    /// The API's license, an SPDX expression (`"MIT"`, `"Apache-2.0 OR MIT"`): the
    /// generated Cargo.toml's `license` and the OpenAPI document's `info.license`.
    /// [`DEFAULT_LICENSE`] when the schema names none.
    pub license: String,
    /// `swagger_ui`: the generated crate's `swagger-ui` feature is on by default, and
    /// `/docs` serves Swagger UI (compiled in) without `--features swagger-ui`.
    pub swagger_ui: bool,
    /// `brotli`: the `brotli` feature is on by default, and answers are compressed with
    /// brotli as well as gzip.
    pub brotli: bool,
}

/// The license of an API whose schema names none: all rights reserved, which is what
/// code without a license is, said in SPDX's form for a license of one's own.
pub const DEFAULT_LICENSE: &str = "LicenseRef-Proprietary";

/// The production database: the schema's `database`, and `apigen new --db`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Database {
    Sqlite,
    Postgres,
    Mysql,
}

impl Database {
    pub fn as_str(self) -> &'static str {
        match self {
            Database::Sqlite => "sqlite",
            Database::Postgres => "postgres",
            Database::Mysql => "mysql",
        }
    }
}

/// The table of `[auth]`'s login sessions: a row per login, which a token names and a
/// logout deletes. No resource or join table may take its name, nor a resource the name
/// of its entity module, [`SESSIONS_MODULE`].
pub const SESSIONS_TABLE: &str = "auth_sessions";
/// The entity module of [`SESSIONS_TABLE`].
pub const SESSIONS_MODULE: &str = "auth_session";

#[derive(Debug, Clone, PartialEq)]
pub struct Auth {
    /// From least to most privileged; never empty.
    pub roles: Vec<String>,
    /// How long an access token is valid.
    pub token_ttl_minutes: u32,
    /// How long a login session lasts without a refresh: each refresh starts it again.
    pub refresh_ttl_days: u32,
    /// `registration = "open"` (the default): anyone may `POST /auth/register`.
    /// Closed, there is no such route and users are created by `create-user`.
    pub registration_open: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    /// PascalCase singular, as written (`Product`).
    pub name: String,
    /// URL segment and table name (`products`): the schema's `plural` or the default.
    pub plural: String,
    pub timestamps: bool,
    pub soft_delete: bool,
    /// Name of the belongs_to-User field that owns a row, for `owner` access.
    pub owner: Option<String>,
    /// The resource's name before a rename (`renamed_from`): its table is renamed, not
    /// dropped and created.
    pub renamed_from: Option<String>,
    /// Seconds a public read may be cached (`cache`): an `ETag` and `Cache-Control`.
    pub cache: Option<u32>,
    pub access: Access,
    /// In file order.
    pub fields: Vec<Field>,
}

/// The rule of every operation, shortcuts already resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Access {
    pub list: Rule,
    pub get: Rule,
    pub create: Rule,
    pub update: Rule,
    pub delete: Rule,
    /// The operations `access` does not name, in [`Access::OPERATIONS`] order: their rule
    /// is the default (with `[auth]`, the last role: denied by default).
    pub defaulted: Vec<&'static str>,
}

impl Access {
    /// Every operation, in the order of the fields.
    pub const OPERATIONS: [&'static str; 5] = ["list", "get", "create", "update", "delete"];

    /// `rule` for every operation, each one the default.
    pub fn all(rule: Rule) -> Access {
        Access {
            list: rule.clone(),
            get: rule.clone(),
            create: rule.clone(),
            update: rule.clone(),
            delete: rule,
            defaulted: Access::OPERATIONS.to_vec(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rule {
    Public,
    Authenticated,
    Owner,
    /// A role name from `[auth] roles`; admits that role and every later one.
    Role(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// As written in the schema: the JSON key and the column name.
    pub name: String,
    pub ty: FieldType,
    pub optional: bool,
    pub unique: bool,
    pub index: bool,
    pub default: Option<DefaultValue>,
    pub min: Option<Number>,
    pub max: Option<Number>,
    pub min_length: Option<u32>,
    pub max_length: Option<u32>,
    /// A decimal's places and digits (`scale`, `precision`).
    pub digits: Option<Digits>,
    pub pattern: Option<String>,
    pub format: Option<Format>,
    pub readonly: bool,
    pub private: bool,
    /// The least role that may set the field (`writable`): a caller below it may send
    /// only the value the field holds, or would hold, anyway. `None`: any caller the
    /// operation admits.
    pub writable: Option<String>,
    pub doc: Option<String>,
    /// The field's name before a rename (`renamed_from`): its column is renamed, not
    /// dropped and added.
    pub renamed_from: Option<String>,
}

impl Field {
    /// A field a client must send on create: neither optional nor defaulted.
    pub fn required(&self) -> bool {
        !self.optional && self.default.is_none()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum FieldType {
    /// One value of a type of [`Scalar::ALL`], whose row says everything about it.
    Scalar(Scalar),
    /// Lower-case values, in file order, at least one.
    Enum(Vec<String>),
    BelongsTo {
        resource: String,
        on_delete: OnDelete,
    },
    ManyToMany {
        resource: String,
    },
}

impl FieldType {
    /// The name used in the schema (`"belongs_to"`, `"bigint"`, ...).
    pub fn keyword(&self) -> &'static str {
        match self {
            FieldType::Scalar(scalar) => scalar.keyword(),
            FieldType::Enum(_) => "enum",
            FieldType::BelongsTo { .. } => "belongs_to",
            FieldType::ManyToMany { .. } => "many_to_many",
        }
    }

    /// The scalar type, if the field is one.
    pub fn scalar(&self) -> Option<Scalar> {
        match self {
            FieldType::Scalar(scalar) => Some(*scalar),
            _ => None,
        }
    }

    /// The field is of scalar type `scalar`.
    pub fn is(&self, scalar: Scalar) -> bool {
        self.scalar() == Some(scalar)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnDelete {
    Cascade,
    Restrict,
    SetNull,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Email,
    Url,
}

/// The digits a decimal field keeps: `scale` places after the point, and at most
/// `precision` digits in all when the schema gives one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Digits {
    pub precision: Option<u32>,
    pub scale: u32,
}

impl Digits {
    /// The most digits before the point, if limited.
    pub fn whole(self) -> Option<u32> {
        self.precision.map(|p| p - self.scale)
    }
}

/// A numeric bound, kept as written so that decimals lose nothing.
#[derive(Debug, Clone, PartialEq)]
pub enum Number {
    Int(i64),
    Float(f64),
}

impl Number {
    /// The number as a float (exact for integers up to 2^53).
    pub fn as_f64(&self) -> f64 {
        match self {
            Number::Int(i) => *i as f64,
            Number::Float(f) => *f,
        }
    }
}

/// A field's default, already checked against the field's type and rules.
#[derive(Debug, Clone, PartialEq)]
pub enum DefaultValue {
    Bool(bool),
    Int(i64),
    Float(f64),
    /// string, text, enum, uuid, date, datetime; and decimal, kept as its decimal text.
    Text(String),
}
