//! Spanned document -> validated [`Schema`].
//!
//! Every rule of the schema language lives here or in the submodules: names, field types
//! and their keys, defaults, references between resources, access rules. All problems
//! are collected; a part that is already known to be broken is not checked further, so
//! one mistake gives one error.

mod access;
mod default;
mod field;
mod graph;
mod mysql;
pub(crate) mod names;

use super::diagnostic::Diagnostic;
use super::model::{Access, Api, Auth, DEFAULT_LICENSE, Database, Resource, Rule, Schema};
use super::raw::{RawApi, RawAuth, RawResource, RawSchema, Span};
use super::suggest;
use crate::names as naming;

/// The name of the resource that `[auth]` brings.
pub const USER: &str = "User";
/// The default `token_ttl_minutes`: access tokens are short, a refresh renews them.
const DEFAULT_TOKEN_TTL: u32 = 15;
/// The default `refresh_ttl_days`.
const DEFAULT_REFRESH_TTL: u32 = 30;
/// The longest `refresh_ttl_days`: ten years.
const MAX_REFRESH_TTL: u32 = 3650;

/// Routes every API serves at the root whatever `base_path` says, which no plural may take
/// when `base_path = "/"` (`health` is taken anyway, as a module of the generated crate).
const ROOT_ROUTES: [&str; 2] = ["ready", "docs"];
/// The databases `[api] database` accepts.
const DATABASES: &[&str] = &["sqlite", "postgres", "mysql"];
/// The longest `cache` of a resource: a year.
const MAX_CACHE_SECONDS: u32 = 365 * 24 * 60 * 60;

/// Checks the spanned document; `diags` are the problems the parser already found.
pub fn check(
    file_name: &str,
    raw: &RawSchema,
    diags: Vec<Diagnostic>,
) -> Result<Schema, Vec<Diagnostic>> {
    let mut checker = Checker::new(file_name, raw, diags);
    let api = checker.api(raw.api.as_ref());
    let auth = raw.auth.as_ref().and_then(|auth| checker.auth(auth));
    let resources = checker.resources(raw);
    if let (Some(api), Some(resources)) = (&api, &resources) {
        checker.root_route_clashes(api, resources, raw);
        if api.database == Database::Mysql {
            checker.mysql_limits(resources, raw);
        }
    }
    let nothing_else_wrong = checker.diags.is_empty();
    if raw.resources.is_empty() && raw.auth.is_none() && nothing_else_wrong {
        checker.no_resources(raw);
    }
    match (api, resources) {
        (Some(api), Some(resources)) if checker.diags.is_empty() => Ok(Schema {
            api,
            auth,
            resources,
        }),
        _ if checker.diags.is_empty() => Err(vec![
            Diagnostic::new(
                "internal error: the schema was rejected without a reason",
                0..0,
            )
            .with_help("please report this bug with your apigen.toml"),
        ]),
        _ => Err(checker.diags),
    }
}

/// The checker's state: what it found so far and what it knows about the whole schema.
pub(super) struct Checker<'a> {
    file_name: &'a str,
    diags: Vec<Diagnostic>,
    /// Whether an `[auth]` table is present, valid or not.
    auth: bool,
    /// The valid roles, least privileged first; `None` without `[auth]` or when its
    /// roles are broken (then role names are not checked, to avoid follow-up errors).
    roles: Option<Vec<String>>,
    /// Every resource name a reference may use: those declared, and `User` with `[auth]`.
    resource_names: Vec<String>,
}

impl<'a> Checker<'a> {
    fn new(file_name: &'a str, raw: &RawSchema, diags: Vec<Diagnostic>) -> Checker<'a> {
        let mut resource_names: Vec<String> =
            raw.resources.iter().map(|r| r.name.value.clone()).collect();
        if raw.auth.is_some() && !resource_names.iter().any(|n| n == USER) {
            resource_names.push(USER.to_string());
        }
        Checker {
            file_name,
            diags,
            auth: raw.auth.is_some(),
            roles: None,
            resource_names,
        }
    }

    pub(super) fn report(&mut self, diag: Diagnostic) {
        self.diags.push(diag);
    }

    // ---- [api] ----------------------------------------------------------------------

    fn api(&mut self, raw: Option<&RawApi>) -> Option<Api> {
        let Some(raw) = raw else {
            self.report(
                Diagnostic::new(format!("{} has no [api] table", self.file_name), 0..0)
                    .with_label("expected [api] in this file")
                    .with_help(
                        "add an [api] table with the crate name: `[api]` then `name = \"my_api\"`",
                    ),
            );
            return None;
        };
        let name = match &raw.name {
            Some(name) => self.api_name(&name.value, &name.span),
            None if raw.broken => None,
            None => {
                self.report(
                    Diagnostic::new("[api] has no `name`", raw.span.clone())
                        .with_label("`name` missing")
                        .with_help(
                            "add the crate and binary name, a snake_case identifier: \
                             `name = \"my_api\"`",
                        ),
                );
                None
            }
        };
        let database = match &raw.database {
            Some(database) => self.database(&database.value, &database.span),
            None => Some(Database::Sqlite),
        };
        let base_path = match &raw.base_path {
            Some(path) => self.base_path(&path.value, &path.span),
            None => Some("/api".to_string()),
        };
        let license = match &raw.license {
            Some(license) => self.license(&license.value, &license.span),
            None => Some(DEFAULT_LICENSE.to_string()),
        };
        Some(Api {
            name: name?,
            database: database?,
            base_path: base_path?,
            license: license?,
            swagger_ui: raw.swagger_ui.as_ref().is_some_and(|on| on.value),
            brotli: raw.brotli.as_ref().is_some_and(|on| on.value),
        })
    }

    fn database(&mut self, value: &str, span: &Span) -> Option<Database> {
        match value {
            "sqlite" => Some(Database::Sqlite),
            "postgres" => Some(Database::Postgres),
            "mysql" => Some(Database::Mysql),
            _ => {
                let near = suggest::did_you_mean(value, DATABASES.iter().copied());
                self.report(
                    Diagnostic::new(format!("unknown database `{value}`"), span.clone())
                        .with_label("not a supported database")
                        .with_help(format!("{near}Databases: sqlite, postgres, mysql")),
                );
                None
            }
        }
    }

    /// Checks `license`: an SPDX license expression, by its form (ids, `LicenseRef-` ids,
    /// `AND`, `OR`, `WITH` and parentheses); whether an id is on SPDX's list is not checked.
    fn license(&mut self, value: &str, span: &Span) -> Option<String> {
        let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '+');
        let words = value.split([' ', '(', ')']).filter(|word| !word.is_empty());
        let mut expects_id = true;
        let mut well_formed = value.trim() == value && !value.is_empty();
        for word in words {
            let operator = matches!(word, "AND" | "OR" | "WITH");
            well_formed &= operator != expects_id && (operator || word.chars().all(allowed));
            expects_id = operator;
        }
        well_formed &= !expects_id && value.matches('(').count() == value.matches(')').count();
        if well_formed {
            return Some(value.to_string());
        }
        self.report(
            Diagnostic::new(
                format!("`license` is not an SPDX license expression: `{value}`"),
                span.clone(),
            )
            .with_label("not an SPDX expression")
            .with_help(
                "write an SPDX id such as `\"MIT\"` or `\"Apache-2.0 OR MIT\"`, or \
                 `\"LicenseRef-Proprietary\"` (the default) for code that is not open",
            ),
        );
        None
    }

    /// Checks and normalises `base_path`: a leading `/`, no trailing `/`.
    fn base_path(&mut self, value: &str, span: &Span) -> Option<String> {
        let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '/' | '_' | '-');
        let problem = if !value.starts_with('/') {
            Some((
                "`base_path` must start with `/`",
                format!("write `base_path = \"/{}\"`", value.trim_start_matches('/')),
            ))
        } else if let Some(bad) = value.chars().find(|c| !allowed(*c)) {
            Some((
                "`base_path` may contain only letters, digits, `/`, `_` and `-`",
                format!("remove `{bad}`; a base path looks like `/api` or `/api/v1`"),
            ))
        } else if value.trim_end_matches('/').contains("//") {
            Some((
                "`base_path` has an empty segment (`//`)",
                format!(
                    "write it with single slashes: `{}`",
                    collapse_slashes(value)
                ),
            ))
        } else {
            None
        };
        match problem {
            Some((message, help)) => {
                self.report(
                    Diagnostic::new(message, span.clone())
                        .with_label("invalid base path")
                        .with_help(help),
                );
                None
            }
            None => Some(value.trim_end_matches('/').to_string()),
        }
    }

    // ---- [auth] ---------------------------------------------------------------------

    fn auth(&mut self, raw: &RawAuth) -> Option<Auth> {
        let roles = self.roles(raw);
        self.roles = roles.clone();
        let ttl = match &raw.token_ttl_minutes {
            None => Some(DEFAULT_TOKEN_TTL),
            Some(ttl) => match u32::try_from(ttl.value) {
                Ok(minutes) if minutes > 0 => Some(minutes),
                _ => {
                    self.report(
                        Diagnostic::new(
                            format!(
                                "`token_ttl_minutes` must be a positive number of minutes, not {}",
                                ttl.value
                            ),
                            ttl.span.clone(),
                        )
                        .with_label("out of range")
                        .with_help("use a whole number of minutes from 1 up, e.g. `60`"),
                    );
                    None
                }
            },
        };
        let refresh_days = match &raw.refresh_ttl_days {
            None => Some(DEFAULT_REFRESH_TTL),
            Some(days) => match u32::try_from(days.value) {
                Ok(days) if (1..=MAX_REFRESH_TTL).contains(&days) => Some(days),
                _ => {
                    self.report(
                        Diagnostic::new(
                            format!(
                                "`refresh_ttl_days` must be a number of days from 1 to \
                                 {MAX_REFRESH_TTL}, not {}",
                                days.value
                            ),
                            days.span.clone(),
                        )
                        .with_label("out of range")
                        .with_help(
                            "a login session not refreshed for this many days ends; use a \
                             whole number such as `30`",
                        ),
                    );
                    None
                }
            },
        };
        let registration_open = match &raw.registration {
            None => Some(true),
            Some(value) => match value.value.as_str() {
                "open" => Some(true),
                "closed" => Some(false),
                other => {
                    self.report(
                        Diagnostic::new(
                            format!("`registration` is \"open\" or \"closed\", not \"{other}\""),
                            value.span.clone(),
                        )
                        .with_label("not a registration setting")
                        .with_help(
                            "`registration = \"closed\"` removes `POST /auth/register` (an \
                             admin creates users, with the binary's `create-user`); \
                             \"open\", the default, lets anyone register with the first role",
                        ),
                    );
                    None
                }
            },
        };
        Some(Auth {
            roles: roles?,
            token_ttl_minutes: ttl?,
            refresh_ttl_days: refresh_days?,
            registration_open: registration_open?,
        })
    }

    fn roles(&mut self, raw: &RawAuth) -> Option<Vec<String>> {
        let example = "`roles = [\"user\", \"admin\"]`, least to most privileged";
        let Some(roles) = &raw.roles else {
            if !raw.broken {
                self.report(
                    Diagnostic::new("[auth] has no `roles`", raw.span.clone())
                        .with_label("`roles` missing")
                        .with_help(format!("add the roles of your users: {example}")),
                );
            }
            return None;
        };
        if roles.value.is_empty() {
            self.report(
                Diagnostic::new("`roles` is empty", roles.span.clone())
                    .with_label("no roles")
                    .with_help(format!("list at least one role: {example}")),
            );
            return None;
        }
        let mut ok = true;
        let mut seen: Vec<&str> = Vec::new();
        for role in &roles.value {
            ok &= self.role(&role.value, &role.span, &seen);
            seen.push(&role.value);
        }
        ok.then(|| roles.value.iter().map(|r| r.value.clone()).collect())
    }

    /// Checks one role name; `seen` are the roles before it.
    fn role(&mut self, role: &str, span: &Span, seen: &[&str]) -> bool {
        let problem = if !names::is_lower_ident(role) {
            Some((
                format!("role `{role}` is not a lower-case identifier"),
                names::lower_ident_help(role),
            ))
        } else if access::RULE_WORDS.contains(&role) {
            Some((
                format!("`{role}` cannot be a role: it is an access rule"),
                format!(
                    "access rules are public, authenticated and owner; name the role \
                     differently, e.g. `{role}_role`"
                ),
            ))
        } else if seen.contains(&role) {
            Some((
                format!("duplicate role `{role}`"),
                "list each role once".to_string(),
            ))
        } else if names::is_unusable_in_rust(role) {
            Some((
                format!("role `{role}` cannot be used in the generated Rust code"),
                format!(
                    "`{role}` is reserved in Rust; name the role differently, e.g. `{role}_role`"
                ),
            ))
        } else {
            None
        };
        match problem {
            Some((message, help)) => {
                self.report(
                    Diagnostic::new(message, span.clone())
                        .with_label("invalid role")
                        .with_help(help),
                );
                false
            }
            None => true,
        }
    }

    // ---- resources ------------------------------------------------------------------

    /// Checks every resource, then what lies between them. With `[auth]`, the built-in
    /// User comes first.
    fn resources(&mut self, raw: &RawSchema) -> Option<Vec<Resource>> {
        let mut resources = Vec::new();
        if self.auth {
            let table = raw.resources.iter().find(|r| r.name.value == USER);
            resources.push(self.user(table));
        }
        for resource in &raw.resources {
            if self.auth && resource.name.value == USER {
                continue;
            }
            resources.push(self.resource(resource));
        }
        self.resource_clashes(raw);
        self.schema_name_clashes(raw);
        self.join_table_clashes(raw);
        self.required_cycles(raw);
        resources.into_iter().collect()
    }

    fn resource(&mut self, raw: &RawResource) -> Option<Resource> {
        let name_ok = self.resource_name(raw);
        let plural = self.plural(raw, name_ok);
        if !raw.broken && raw.fields.is_empty() && raw.name.value != USER {
            let name = &raw.name.value;
            let help = if raw.has_fields_table {
                format!("add at least one field under `[resources.{name}.fields]`")
            } else {
                format!(
                    "add its fields in a `[resources.{name}.fields]` table, \
                     e.g. `title = \"string\"`"
                )
            };
            self.report(
                Diagnostic::new(
                    format!("resource `{name}` has no fields"),
                    raw.name.span.clone(),
                )
                .with_label("no fields")
                .with_help(help),
            );
        }
        let fields = self.fields(raw, &[]);
        let owner = self.owner(raw);
        let access = self.access(raw, false, owner.as_ref().and_then(|o| o.as_deref()));
        let cache = self.cache(raw, access.as_ref());
        if let (Some(fields), Some(access), Some(owner)) = (&fields, &access, &owner) {
            self.writable_on_create(raw, fields, &access.create, owner.as_deref());
        }
        if !name_ok {
            return None;
        }
        Some(Resource {
            name: raw.name.value.clone(),
            plural: plural?,
            timestamps: raw.timestamps.as_ref().is_none_or(|t| t.value),
            soft_delete: raw.soft_delete.as_ref().is_some_and(|s| s.value),
            owner: owner?,
            renamed_from: raw.renamed_from.as_ref().map(|r| r.value.clone()),
            cache: cache?,
            access: access?,
            fields: fields?,
        })
    }

    /// `cache = SECONDS`: from 1 second to a year, on a resource that some reader may
    /// read without credentials (only public reads are cached).
    fn cache(&mut self, raw: &RawResource, access: Option<&Access>) -> Option<Option<u32>> {
        let Some(cache) = &raw.cache else {
            return Some(None);
        };
        let seconds = match u32::try_from(cache.value) {
            Ok(seconds) if (1..=MAX_CACHE_SECONDS).contains(&seconds) => seconds,
            _ => {
                self.report(
                    Diagnostic::new(
                        format!(
                            "`cache` must be a number of seconds from 1 to {MAX_CACHE_SECONDS}, not {}",
                            cache.value
                        ),
                        cache.span.clone(),
                    )
                    .with_label("out of range")
                    .with_help("write how long a public read may be cached, e.g. `cache = 60`"),
                );
                return None;
            }
        };
        let public = |access: &Access| access.list == Rule::Public || access.get == Rule::Public;
        if self.auth && access.is_some_and(|access| !public(access)) {
            let name = &raw.name.value;
            self.report(
                Diagnostic::new(
                    format!("`cache` on `{name}`, whose reads are not public"),
                    cache.span.clone(),
                )
                .with_label("nothing to cache")
                .with_help(format!(
                    "only answers to anonymous reads are cached: make `list` or `get` of \
                     `{name}` public, or remove `cache`"
                )),
            );
            return None;
        }
        Some(Some(seconds))
    }

    /// The plural of a resource: its `plural`, checked, or the default (checked only
    /// when the name itself is fine, so that one bad name gives one error).
    fn plural(&mut self, raw: &RawResource, name_ok: bool) -> Option<String> {
        match &raw.plural {
            Some(plural) => self
                .plural_name(&plural.value, &plural.span)
                .then(|| plural.value.clone()),
            None => {
                let plural = default_plural(&raw.name.value);
                (!name_ok || self.default_plural_name(raw, &plural)).then_some(plural)
            }
        }
    }

    /// The schema declares nothing to serve.
    fn no_resources(&mut self, raw: &RawSchema) {
        let span = raw.api.as_ref().map_or(0..0, |api| api.span.clone());
        self.report(
            Diagnostic::new("the schema declares no resources", span)
                .with_label("nothing to serve")
                .with_help(
                    "add a resource with at least one field: `[resources.Note.fields]` \
                     then `title = \"string\"`",
                ),
        );
    }

    /// With `base_path = "/"`, a resource's routes begin at the root, where `/ready` and
    /// `/docs` are served already: a plural of `ready` or `docs` would lose its list.
    fn root_route_clashes(&mut self, api: &Api, resources: &[Resource], raw: &RawSchema) {
        if !api.base_path.is_empty() {
            return;
        }
        for resource in resources {
            let plural = resource.plural.as_str();
            if !ROOT_ROUTES.contains(&plural) {
                continue;
            }
            let Some(declared) = raw.resources.iter().find(|r| r.name.value == resource.name)
            else {
                continue;
            };
            let span = declared
                .plural
                .as_ref()
                .map_or(&declared.name.span, |p| &p.span);
            self.report(
                Diagnostic::new(
                    format!(
                        "with `base_path = \"/\"`, the routes of `{}` would be `/{plural}`, \
                         which the API serves already",
                        resource.name
                    ),
                    span.clone(),
                )
                .with_label("a route of its own")
                .with_help(format!(
                    "set another `plural` (`plural = \"{plural}_items\"`) or a `base_path` \
                     such as `\"/api\"`; `/health`, `/ready`, `/openapi.json` and `/docs` \
                     are always at the root"
                )),
            );
        }
    }

    /// Two resources with the same name after case folding, or the same plural.
    fn resource_clashes(&mut self, raw: &RawSchema) {
        let mut seen: Vec<Claimed> = Vec::new();
        if self.auth && !raw.resources.iter().any(|r| r.name.value == USER) {
            seen.push(Claimed::new(USER, "users".to_string()));
        }
        for resource in &raw.resources {
            let name = resource.name.value.as_str();
            let (plural, plural_span) = match &resource.plural {
                Some(p) if !(self.auth && name == USER) => (p.value.clone(), p.span.clone()),
                _ => (self.final_plural(name), resource.name.span.clone()),
            };
            let this = Claimed::new(name, plural);
            if let Some(other) = seen.iter().find(|other| other.same_name(&this)) {
                let other = &other.name;
                self.report(
                    Diagnostic::new(
                        format!("resource `{name}` clashes with resource `{other}`"),
                        resource.name.span.clone(),
                    )
                    .with_label(format!("same name as `{other}` ignoring case and `_`"))
                    .with_help(
                        "resources become Rust modules, tables and URLs, where these names \
                         collide: rename one of them",
                    ),
                );
            } else if let Some(other) = seen.iter().find(|other| other.plural == this.plural) {
                let help = if resource.plural.is_some() {
                    "give one of them another `plural`".to_string()
                } else {
                    format!("set another table name with `plural = \"...\"` in [resources.{name}]")
                };
                self.report(
                    Diagnostic::new(
                        format!(
                            "resources `{}` and `{name}` have the same plural `{}`",
                            other.name, this.plural
                        ),
                        plural_span,
                    )
                    .with_label("table and URL already used")
                    .with_help(help),
                );
            }
            seen.push(this);
        }
    }

    /// A many_to_many field's join table (`<owner>_<field>`) must not take the table or the
    /// module of a resource, or of another join table.
    fn join_table_clashes(&mut self, raw: &RawSchema) {
        let mut taken: Vec<(String, String)> = Vec::new();
        for resource in &raw.resources {
            let name = resource.name.value.as_str();
            let plural = match &resource.plural {
                Some(p) => p.value.clone(),
                None => self.final_plural(name),
            };
            if plural.len() > naming::SQL_NAME_MAX {
                let span = resource
                    .plural
                    .as_ref()
                    .map_or(&resource.name.span, |p| &p.span);
                self.report(
                    Diagnostic::new(
                        format!(
                            "the table `{plural}` of resource `{name}` is {} characters long; \
                             databases keep {} at most",
                            plural.len(),
                            naming::SQL_NAME_MAX
                        ),
                        span.clone(),
                    )
                    .with_label("a table name too long for PostgreSQL and MySQL")
                    .with_help(format!(
                        "set a shorter `plural = \"...\"` in [resources.{name}] (it names the table and the URL)"
                    )),
                );
            }
            taken.push((plural, format!("the table of resource `{name}`")));
            taken.push((
                naming::snake_case(name),
                format!("the module of resource `{name}`"),
            ));
        }
        for resource in &raw.resources {
            for field in &resource.fields {
                let is_link = field.ty.as_ref().is_some_and(|t| t.value == "many_to_many");
                if !is_link || field.broken {
                    continue;
                }
                let table = format!(
                    "{}_{}",
                    naming::snake_case(&resource.name.value),
                    naming::snake_case(&field.name.value)
                );
                if table.len() > naming::SQL_NAME_MAX {
                    self.report(
                        Diagnostic::new(
                            format!(
                                "the join table `{table}` of this many_to_many field is {} \
                                 characters long; databases keep {} at most",
                                table.len(),
                                naming::SQL_NAME_MAX
                            ),
                            field.name.span.clone(),
                        )
                        .with_label("a table name too long for PostgreSQL and MySQL")
                        .with_help(
                            "shorten this field's name (the join table is `<resource>_<field>`)",
                        ),
                    );
                }
                if let Some((_, owner)) = taken.iter().find(|(name, _)| *name == table) {
                    let owner = owner.clone();
                    self.report(
                        Diagnostic::new(
                            format!("the join table `{table}` of this many_to_many field is already {owner}"),
                            field.name.span.clone(),
                        )
                        .with_label("its join table's name is taken")
                        .with_help("rename this field, or the resource whose name it takes"),
                    );
                }
                taken.push((
                    table,
                    "the join table of another many_to_many field".to_string(),
                ));
            }
        }
    }

    /// The plural a resource called `name` ends up with when it sets none.
    fn final_plural(&self, name: &str) -> String {
        if self.auth && name == USER {
            "users".to_string()
        } else {
            default_plural(name)
        }
    }
}

/// The names a resource takes: its own (compared after case folding) and its plural.
struct Claimed {
    name: String,
    snake: String,
    folded: String,
    plural: String,
}

impl Claimed {
    fn new(name: &str, plural: String) -> Claimed {
        Claimed {
            name: name.to_string(),
            snake: naming::snake_case(name),
            folded: names::folded(name),
            plural,
        }
    }

    /// Same name once snake_cased, or once lower-cased without `_`.
    fn same_name(&self, other: &Claimed) -> bool {
        self.snake == other.snake || self.folded == other.folded
    }
}

/// The default plural of a resource name: `OrderItem` -> `order_items`.
pub(super) fn default_plural(name: &str) -> String {
    naming::plural(&naming::snake_case(name))
}

/// `//a///b` -> `/a/b`.
fn collapse_slashes(path: &str) -> String {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    format!("/{}", segments.join("/"))
}

/// Access of a resource when `[auth]` is absent.
pub(super) fn public_access() -> Access {
    Access::all(Rule::Public)
}
