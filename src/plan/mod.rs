//! The plan: every name, type and rule the templates need, computed once from the
//! validated schema. Templates loop over it; they compute nothing themselves.

mod auth;
mod fields;
mod lists;
mod openapi;
pub mod samples;
pub mod tables;
mod test_cases;

use std::collections::BTreeSet;

pub use auth::{AccessPlan, AuthPlan, OwnerPlan, RulePlan, WritablePlan};
pub use fields::{Bound, Broken, Check, SchemaRule, Value};
pub use fields::{EnumPlan, FieldPlan, PatternPlan, RelationPlan, Sample};
pub use lists::{ChildListPlan, FilterKind, IncludePlan, LinkPlan, ListFieldPlan};
pub use openapi::{Body, Operation, Response};
pub use test_cases::{LeftOut, TestValue, WritableTest};

use crate::names;
use crate::schema::Scalar;
use crate::schema::kind::Import;
use crate::schema::{Database, FieldType, OnDelete, Resource, Rule, Schema};

use tables::{Column, ColumnType, IndexKind, Reference, Table};

/// Everything needed to render one generated project.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Crate, binary and library name (`shop`).
    pub crate_name: String,
    /// The schema's production engine.
    pub database: Database,
    /// Cargo features on by default: always `sqlite`, plus the production engine's,
    /// `swagger-ui` and `brotli` when the schema asks for them.
    pub default_features: Vec<&'static str>,
    /// Prefix of every resource route (`/api`, or `""`).
    pub base_path: String,
    /// The SPDX expression of the API's license (Cargo.toml's `license`).
    pub license: String,
    /// The local database used with no configuration.
    pub sqlite_url: String,
    /// Some field a request sets has a `pattern`: the crate needs `regex`.
    pub needs_regex: bool,
    /// Some field is a decimal: the crate needs the exact-decimal column type.
    pub needs_decimal: bool,
    /// Some decimal field has a `scale`: the rule checker that counts its digits.
    pub needs_digits: bool,
    /// In schema order.
    pub resources: Vec<ResourcePlan>,
    /// Indexes into `resources`, referenced tables before the tables referencing them.
    pub migration_order: Vec<usize>,
    /// The join tables of many_to_many fields.
    pub join_tables: Vec<JoinTablePlan>,
    /// `[auth]`: users, tokens and access rules.
    pub auth: Option<AuthPlan>,
}

#[derive(Debug, Clone)]
pub struct ResourcePlan {
    /// PascalCase singular (`Product`): also the response type's name.
    pub name: String,
    /// Its name before a declared rename (`renamed_from`).
    pub renamed_from: Option<String>,
    /// snake_case singular as a Rust identifier: the module of its entity, model and
    /// hooks (`product`, `r#type`).
    pub module: String,
    /// Table name and URL segment (`products`): also the routes module.
    pub plural: String,
    /// `products` as a Rust module identifier (escaped if a keyword).
    pub routes_module: String,
    /// Human words for docs and messages (`order item`).
    pub words: String,
    pub create_type: String,
    pub replace_type: String,
    pub patch_type: String,
    pub hooks_type: String,
    pub timestamps: bool,
    pub soft_delete: bool,
    /// Seconds an anonymous list answer may be cached (`cache`, and `list` is public).
    pub cache_list: Option<u32>,
    /// Seconds an anonymous read of one row may be cached (`cache`, and `get` is public).
    pub cache_get: Option<u32>,
    /// Columns in schema order (many_to_many fields are not columns).
    pub fields: Vec<FieldPlan>,
    pub enums: Vec<EnumPlan>,
    /// `m0003_create_products`.
    /// Some field a request sets has a `pattern` (its model checks it with a regex).
    pub has_pattern: bool,
    /// The built-in User of `[auth]`, with routes and models of its own.
    pub is_user: bool,
    /// Who may call each route, with `[auth]`.
    pub access: Option<AccessPlan>,
    /// The belongs_to User field that owns a row, set from the caller's token.
    pub owner: Option<OwnerPlan>,
    /// What `?include=` embeds: belongs_to parents, then many_to_many links.
    pub includes: Vec<IncludePlan>,
    /// The routes of its many_to_many fields.
    pub links: Vec<LinkPlan>,
    /// Its lists under each parent (`/authors/{id}/posts`).
    pub child_lists: Vec<ChildListPlan>,
    /// Other resources' routes embed or link its rows: it exposes `readable`.
    pub readable: bool,
    /// Some resource lists its rows under this one's (`/authors/{id}/posts`).
    pub is_parent: bool,
    /// Its routes as the OpenAPI document describes them, computed once every resource is
    /// planned: the handlers' `#[utoipa::path]` and `openapi.json` both read them.
    pub operations: Vec<Operation>,
}

impl ResourcePlan {
    /// snake_case singular, for file names and names built from it (`create_type`).
    pub fn snake(&self) -> &str {
        names::unraw(&self.module)
    }

    /// Fields a request body may carry.
    pub fn input_fields(&self) -> impl Iterator<Item = &FieldPlan> {
        self.fields.iter().filter(|f| !f.readonly && !f.owner)
    }

    /// A request body may carry some field (a resource may have none: only its owner
    /// and its many_to_many links).
    pub fn has_input_fields(&self) -> bool {
        self.input_fields().next().is_some()
    }

    /// A request may set some field: an input field or the owner.
    pub fn has_request_fields(&self) -> bool {
        self.request_fields().next().is_some()
    }

    /// Fields a request body names: the input fields, the owner, and the read-only ones
    /// (refused with a clear error).
    pub fn body_fields(&self) -> impl Iterator<Item = &FieldPlan> {
        self.fields.iter()
    }

    /// Fields a request may set: the input fields and the owner.
    pub fn request_fields(&self) -> impl Iterator<Item = &FieldPlan> {
        self.fields.iter().filter(|f| !f.readonly)
    }

    /// A request body names some field (a resource may have none but its owner and links).
    pub fn has_body_fields(&self) -> bool {
        self.body_fields().next().is_some()
    }

    /// The fields of the built-in User besides email, password and role.
    pub fn extra_fields(&self) -> impl Iterator<Item = &FieldPlan> {
        self.fields.iter().filter(|f| !f.builtin)
    }

    /// Some access rule of the resource names a role: its code needs `UserRole`.
    pub fn access_names_a_role(&self) -> bool {
        self.access.as_ref().is_some_and(AccessPlan::names_a_role)
    }

    /// belongs_to fields a request sets, whose parents the routes check.
    pub fn checked_relations(&self) -> impl Iterator<Item = &RelationPlan> {
        self.input_fields().filter_map(|f| f.relation.as_ref())
    }

    pub fn has_checked_relations(&self) -> bool {
        self.checked_relations().next().is_some()
    }

    /// A caller reads only their own rows (and the last role all of them): the resource
    /// has an owner, and its `list` or `get` rule is `owner`.
    pub fn reads_scoped_to_owner(&self) -> bool {
        let owner_rule = |a: &AccessPlan| a.list.word == "owner" || a.get.word == "owner";
        self.owner.is_some() && self.access.as_ref().is_some_and(owner_rule)
    }

    /// A parent check reads through the parent's rules for the caller: some checked
    /// relation points at a resource other than User, under `[auth]`.
    pub fn checks_parent_reads(&self) -> bool {
        self.access.is_some() && self.checked_relations().any(|rel| !rel.target_is_user)
    }

    /// Fields every response carries.
    pub fn output_fields(&self) -> impl Iterator<Item = &FieldPlan> {
        self.fields.iter().filter(|f| !f.private)
    }

    pub fn relations(&self) -> impl Iterator<Item = &RelationPlan> {
        self.fields.iter().filter_map(|f| f.relation.as_ref())
    }

    pub fn unique_fields(&self) -> impl Iterator<Item = &FieldPlan> {
        self.fields.iter().filter(|f| f.unique)
    }
}

/// The join table of a many_to_many field: `post_tags (post_id, tag_id)`.
#[derive(Debug, Clone)]
pub struct JoinTablePlan {
    /// The many_to_many field (`tags`).
    pub field: String,
    pub table: String,
    pub module: String,
    pub left_table: String,
    pub left_column: String,
    pub left_module: String,
    pub right_table: String,
    pub right_column: String,
    pub right_module: String,
}

impl Plan {
    /// Plans a validated schema; an error names what this version cannot generate yet.
    pub fn build(schema: &Schema) -> Result<Plan, String> {
        let resources: Vec<ResourcePlan> = schema
            .resources
            .iter()
            .map(|resource| plan_resource(schema, resource))
            .collect();
        let migration_order = migration_order(schema);
        let mut join_tables = Vec::new();
        for resource in &schema.resources {
            for field in &resource.fields {
                if let FieldType::ManyToMany { resource: target } = &field.ty {
                    join_tables.push(plan_join_table(schema, resource, &field.name, target));
                }
            }
        }
        let database = schema.api.database;
        let mut default_features = vec!["sqlite"];
        match database {
            Database::Postgres => default_features.push("postgres"),
            Database::Mysql => default_features.push("mysql"),
            Database::Sqlite => {}
        }
        if schema.api.swagger_ui {
            default_features.push("swagger-ui");
        }
        if schema.api.brotli {
            default_features.push("brotli");
        }
        let mut plan = Plan {
            crate_name: schema.api.name.clone(),
            database,
            default_features,
            base_path: schema.api.base_path.clone(),
            license: schema.api.license.clone(),
            sqlite_url: format!("sqlite://{}.db?mode=rwc", schema.api.name),
            needs_regex: resources.iter().any(|r| r.has_pattern),
            needs_decimal: resources
                .iter()
                .flat_map(|r| &r.fields)
                .any(|f| f.is_decimal()),
            needs_digits: resources
                .iter()
                .flat_map(|r| &r.fields)
                .any(|f| f.scale.is_some()),
            resources,
            migration_order,
            join_tables,
            auth: schema.auth.as_ref().map(AuthPlan::new),
        };
        lists::plan_relations(&mut plan);
        let operations: Vec<Vec<Operation>> =
            plan.resources.iter().map(|r| plan.operations(r)).collect();
        for (r, operations) in plan.resources.iter_mut().zip(operations) {
            r.operations = operations;
        }
        Ok(plan)
    }

    /// The version of apigen that generates the project (its CI installs the same one).
    pub fn apigen_version(&self) -> &'static str {
        env!("CARGO_PKG_VERSION")
    }

    /// The package apigen is published as (`apigen-cli`; its binary is `apigen`). The name
    /// `apigen` on the registry is another project's: never install that.
    pub fn apigen_package(&self) -> &'static str {
        env!("CARGO_PKG_NAME")
    }

    /// The feature of the database server the deployment files run (the image's build,
    /// compose's `db`, CI's service): `mysql` for a mysql schema, else `postgres`, a sqlite
    /// schema included (SQLite is the local default, not a production server).
    pub fn server_feature(&self) -> &'static str {
        if self.on_mysql() { "mysql" } else { "postgres" }
    }

    /// The schema's database is MySQL (or MariaDB): so is the server the deployment
    /// files run.
    pub fn on_mysql(&self) -> bool {
        self.database == Database::Mysql
    }

    /// The schema's database is PostgreSQL.
    pub fn on_postgres(&self) -> bool {
        self.database == Database::Postgres
    }

    /// Resources in the order their tables are created.
    pub fn resources_in_migration_order(&self) -> impl Iterator<Item = &ResourcePlan> {
        self.migration_order.iter().map(|&i| &self.resources[i])
    }

    /// The database this schema describes: each resource's table after the tables it
    /// references, then the join tables.
    pub fn tables(&self) -> Vec<Table> {
        let mut tables = Vec::new();
        for r in self.resources_in_migration_order() {
            let mut columns: Vec<Column> = r.fields.iter().map(|f| f.column.clone()).collect();
            if r.timestamps {
                // Indexed: `sort=-created_at` (newest first) is the order lists ask for most.
                columns.push(Column {
                    index: IndexKind::Plain,
                    ..Column::new("created_at", ColumnType::TIMESTAMP)
                });
                columns.push(Column::new("updated_at", ColumnType::TIMESTAMP));
            }
            if r.soft_delete {
                let mut deleted_at = Column::new("deleted_at", ColumnType::TIMESTAMP);
                deleted_at.null = true;
                columns.push(deleted_at);
            }
            tables.push(Table {
                name: r.plural.clone(),
                primary_key: None,
                columns,
                renamed_from: r.renamed_from.clone(),
            });
        }
        if self.auth.is_some() {
            tables.push(sessions_table());
        }
        for j in &self.join_tables {
            let key = |column: &str, table: &str, index: IndexKind| Column {
                index,
                references: Some(Reference {
                    table: table.to_string(),
                    on_delete: OnDelete::Cascade,
                }),
                ..Column::new(column, ColumnType::BIG_INTEGER)
            };
            tables.push(Table {
                name: j.table.clone(),
                primary_key: Some((j.left_column.clone(), j.right_column.clone())),
                columns: vec![
                    key(&j.left_column, &j.left_table, IndexKind::None),
                    key(&j.right_column, &j.right_table, IndexKind::Plain),
                ],
                renamed_from: None,
            });
        }
        tables
    }
}

/// The login sessions of `[auth]`: each belongs to a user (and goes with them), is found
/// by the hash of its refresh token (or of the one spent before it), and ends when it is
/// not refreshed in time.
fn sessions_table() -> Table {
    /// A SHA-256 in hex.
    const HASH_LENGTH: u32 = 64;

    let user_id = Column {
        index: IndexKind::Plain,
        references: Some(Reference {
            table: "users".to_string(),
            on_delete: OnDelete::Cascade,
        }),
        ..Column::new("user_id", ColumnType::BIG_INTEGER)
    };
    Table {
        name: auth::SESSIONS_TABLE.to_string(),
        primary_key: None,
        columns: vec![
            user_id,
            Column {
                index: IndexKind::Unique,
                ..Column::new("refresh_hash", ColumnType::String(HASH_LENGTH))
            },
            Column {
                null: true,
                index: IndexKind::Plain,
                ..Column::new("previous_hash", ColumnType::String(HASH_LENGTH))
            },
            Column::new("created_at", ColumnType::TIMESTAMP),
            Column::new("refreshed_at", ColumnType::TIMESTAMP),
            Column::new("expires_at", ColumnType::TIMESTAMP),
        ],
        renamed_from: None,
    }
}

fn plan_resource(schema: &Schema, resource: &Resource) -> ResourcePlan {
    let module = names::rust_ident(&resource.name);
    let fields: Vec<FieldPlan> = resource
        .fields
        .iter()
        .filter(|f| !matches!(f.ty, FieldType::ManyToMany { .. }))
        .map(|field| fields::plan_field(schema, resource, field))
        .collect();
    let enums = fields.iter().filter_map(|f| f.enum_plan.clone()).collect();
    let mut plan = ResourcePlan {
        name: resource.name.clone(),
        renamed_from: resource.renamed_from.clone(),
        words: names::unraw(&module).replace('_', " "),
        routes_module: names::rust_ident(&resource.plural),
        create_type: format!("Create{}", resource.name),
        replace_type: format!("Replace{}", resource.name),
        patch_type: format!("Patch{}", resource.name),
        hooks_type: format!("{}Hooks", resource.name),
        plural: resource.plural.clone(),
        timestamps: resource.timestamps,
        soft_delete: resource.soft_delete,
        cache_list: resource
            .cache
            .filter(|_| schema.auth.is_none() || resource.access.list == Rule::Public),
        cache_get: resource
            .cache
            .filter(|_| schema.auth.is_none() || resource.access.get == Rule::Public),
        // A readonly field's pattern is never checked: the server sets it.
        has_pattern: fields.iter().any(|f| f.pattern.is_some() && !f.readonly),
        fields,
        enums,
        module,
        is_user: false,
        access: schema
            .auth
            .is_some()
            .then(|| AccessPlan::new(&resource.access)),
        owner: resource.owner.as_deref().map(|field| {
            let optional = resource
                .fields
                .iter()
                .any(|f| f.name == field && f.optional);
            OwnerPlan::new(field, optional)
        }),
        includes: Vec::new(),
        links: Vec::new(),
        child_lists: Vec::new(),
        readable: false,
        is_parent: false,
        operations: Vec::new(),
    };
    if let (Some(owner), Some(auth)) = (&plan.owner, &schema.auth) {
        let last = auth.roles.last().map_or("", String::as_str);
        for field in plan.fields.iter_mut().filter(|f| f.name == owner.column) {
            field.owner = true;
            if field.writable.is_none() {
                field.writable = Some(WritablePlan::new(auth, last));
            }
        }
    }
    if schema.auth.is_some() && resource.name == auth::USER {
        auth::shape_user(resource, &mut plan);
    }
    plan
}

/// Resource indexes, each after every resource it references (self-references aside).
/// The checker has rejected cycles of required references; an optional reference in a
/// cycle is broken by keeping schema order.
fn migration_order(schema: &Schema) -> Vec<usize> {
    let count = schema.resources.len();
    let depends_on = |i: usize| -> Vec<usize> {
        schema.resources[i]
            .fields
            .iter()
            .filter_map(|f| match &f.ty {
                FieldType::BelongsTo { resource, .. } => {
                    schema.resources.iter().position(|r| &r.name == resource)
                }
                _ => None,
            })
            .filter(|&j| j != i)
            .collect()
    };
    let mut done: BTreeSet<usize> = BTreeSet::new();
    let mut order = Vec::with_capacity(count);
    while order.len() < count {
        let ready = (0..count)
            .find(|i| !done.contains(i) && depends_on(*i).iter().all(|d| done.contains(d)))
            // A cycle through optional references: take the first remaining in schema order.
            .or_else(|| (0..count).find(|i| !done.contains(i)));
        let Some(next) = ready else { break };
        done.insert(next);
        order.push(next);
    }
    order
}

fn plan_join_table(schema: &Schema, owner: &Resource, field: &str, target: &str) -> JoinTablePlan {
    let owner_module = names::snake_case(&owner.name);
    let target_resource = schema.resources.iter().find(|r| r.name == target);
    let right_table = target_resource.map_or_else(
        || names::plural(&names::snake_case(target)),
        |r| r.plural.clone(),
    );
    let target_module = names::snake_case(target);
    let table = format!("{}_{}", owner_module, names::snake_case(field));
    let mut right_column = format!("{target_module}_id");
    if right_column == format!("{owner_module}_id") {
        right_column = format!("related_{target_module}_id");
    }
    JoinTablePlan {
        field: field.to_string(),
        module: table.clone(),
        left_table: owner.plural.clone(),
        left_column: format!("{owner_module}_id"),
        left_module: names::rust_ident(&owner.name),
        right_table,
        right_column,
        right_module: names::rust_ident(target),
        table,
    }
}

impl Plan {
    /// The error answers `crate::error::responses` declares: every shared one, but 401
    /// and 403 only where there are accounts.
    pub fn shared_problems(&self) -> Vec<openapi::SharedProblem> {
        let auth = self.auth.is_some();
        openapi::SHARED_PROBLEMS
            .into_iter()
            .filter(|p| auth || !matches!(p.status, 401 | 403))
            .collect()
    }

    /// What a driver's unique-violation message may name, and the field it means:
    /// `table.column` (SQLite) and the index name (PostgreSQL).
    pub fn unique_tokens(&self) -> Vec<(String, String)> {
        let mut tokens = Vec::new();
        for r in &self.resources {
            for f in r.unique_fields() {
                tokens.push((format!("{}.{}", r.plural, f.name), f.name.clone()));
                if let Some(key) = f.column.index_name(&r.plural) {
                    tokens.push((key, f.name.clone()));
                }
            }
        }
        tokens
    }

    /// Every foreign key: (constraint, table, column).
    pub fn foreign_keys(&self) -> Vec<(String, String, String)> {
        let mut keys = Vec::new();
        for r in &self.resources {
            for relation in r.relations() {
                keys.push((
                    relation.constraint.clone(),
                    r.plural.clone(),
                    relation.column.clone(),
                ));
            }
        }
        for j in &self.join_tables {
            for column in [&j.left_column, &j.right_column] {
                keys.push((
                    names::sql_name(format!("{}_{column}_fkey", j.table)),
                    j.table.clone(),
                    column.clone(),
                ));
            }
        }
        keys
    }
}

/// An index of a table: unique ones back `unique = true`, plain ones `index = true` and
/// every foreign key column.
#[derive(Debug, Clone)]
pub struct IndexPlan {
    pub name: String,
    pub column: String,
    pub unique: bool,
}

impl ResourcePlan {
    pub fn has_relations(&self) -> bool {
        self.relations().next().is_some()
    }

    /// `crate::entities::{category, product}`: this resource's entity and the parents'
    /// its route file names (a parent check names only User's entity: others are read
    /// through `readable`), and its links' targets. (A link's table is named where it is
    /// used, as `link_table`: its module joins two names.)
    fn route_entities(&self) -> Use {
        let mut modules: Vec<String> = vec![self.module.clone()];
        let users = self.checked_relations().filter(|r| r.target_is_user);
        modules.extend(users.map(|r| r.target_module.clone()));
        for link in self.includes.iter().filter_map(|i| i.link.as_ref()) {
            modules.push(link.target_module.clone());
        }
        Use::new("crate::entities", modules)
    }

    pub fn has_decimal(&self) -> bool {
        self.fields.iter().any(|f| f.is_decimal())
    }

    /// Its entity has a `DbDateTime`: a datetime field, or the timestamps.
    pub fn has_datetime(&self) -> bool {
        self.timestamps || self.soft_delete || self.fields.iter().any(|f| f.is_datetime())
    }

    /// In field order: `{table}_{column}_key` for unique, `{table}_{column}_idx` otherwise.
    pub fn indexes(&self) -> Vec<IndexPlan> {
        self.fields
            .iter()
            .filter(|f| f.unique || f.index || f.relation.is_some())
            .map(|f| IndexPlan {
                name: format!(
                    "{}_{}_{}",
                    self.plural,
                    f.name,
                    if f.unique { "key" } else { "idx" }
                ),
                column: f.name.clone(),
                unique: f.unique,
            })
            .collect()
    }
}

impl Plan {
    /// The resource the README's curl example creates: the first one a client can create
    /// without a parent row.
    fn example_resource(&self) -> &ResourcePlan {
        self.resources
            .iter()
            .find(|r| r.relations().all(|rel| rel.optional))
            .unwrap_or(&self.resources[0])
    }

    pub fn example_plural(&self) -> &str {
        &self.example_resource().plural
    }

    /// A create body of the example resource with its required fields, as one-line JSON.
    pub fn example_body(&self) -> String {
        self.body_example(self.example_resource())
    }

    /// A create body of `r` with its required fields, as one-line JSON.
    pub fn body_example(&self, r: &ResourcePlan) -> String {
        let fields: Vec<String> = r
            .input_fields()
            .filter(|f| f.required() && f.relation.is_none())
            .map(|f| format!("\"{}\": {}", f.name, f.example))
            .collect();
        format!("{{{}}}", fields.join(", "))
    }

    /// The README's registration body: the email and password its login sends, and
    /// the required fields the schema adds to User.
    pub fn registration_example(&self) -> String {
        let mut fields = vec![
            "\"email\": \"ada@example.com\"".to_string(),
            "\"password\": \"a long password\"".to_string(),
        ];
        if let Some(user) = self.user() {
            fields.extend(
                user.extra_fields()
                    .filter(|f| f.required() && !f.readonly && f.relation.is_none())
                    .map(|f| format!("\"{}\": {}", f.name, f.example)),
            );
        }
        format!("{{{}}}", fields.join(", "))
    }

    /// The resource the README's curl session creates with a token of the first role:
    /// the first whose create rule admits it, with no parent row needed.
    pub fn auth_example(&self) -> Option<&ResourcePlan> {
        let auth = self.auth.as_ref()?;
        self.resources.iter().find(|r| {
            !r.is_user
                && r.access
                    .as_ref()
                    .is_some_and(|a| a.create.admits_first_role(auth))
                && r.checked_relations().all(|rel| rel.optional)
        })
    }

    /// A list route a user of the first role may not call, for the README's 403.
    pub fn forbidden_example(&self) -> Option<String> {
        let auth = self.auth.as_ref()?;
        self.resources
            .iter()
            .find(|r| {
                r.access
                    .as_ref()
                    .is_some_and(|a| a.list.names_a_role() && !a.list.admits_first_role(auth))
            })
            .map(|r| format!("/{}", r.plural))
    }

    /// `[auth]` has a role below the last: owner rules tell users apart (with one role,
    /// every user is of the most privileged role, which passes every owner rule).
    pub fn roles_below_the_last(&self) -> bool {
        self.auth.as_ref().is_some_and(|auth| auth.roles.len() > 1)
    }

    /// A user of the first role may call `list` on `r`: its rule is public,
    /// authenticated, owner (a list scoped to their rows) or the first role.
    pub fn first_role_lists(&self, r: &ResourcePlan) -> bool {
        let (Some(auth), Some(access)) = (&self.auth, &r.access) else {
            return false;
        };
        access.list.word == "owner" || access.list.admits_first_role(auth)
    }

    /// A user of the first role may create rows of `r` (the access tests' owner is one):
    /// its create rule admits them, and they may read the parents of a valid body.
    pub fn first_role_creates(&self, r: &ResourcePlan) -> bool {
        match (&self.auth, &r.access) {
            (Some(auth), Some(access)) => {
                access.create.admits_first_role(auth) && self.parents_rank(r).0 <= 2
            }
            _ => true,
        }
    }

    /// The parents of `r`'s sample body (its required belongs_to fields), but User.
    fn sample_parents<'a>(
        &'a self,
        r: &'a ResourcePlan,
    ) -> impl Iterator<Item = (&'a FieldPlan, &'a ResourcePlan)> {
        r.sample_fields().into_iter().filter_map(|f| {
            let relation = f.relation.as_ref().filter(|rel| !rel.target_is_user)?;
            let target = self
                .resources
                .iter()
                .find(|t| t.module == relation.target_module)?;
            Some((f, target))
        })
    }

    /// The required parents of `r`'s sample body that only their owner (and the last
    /// role) reads, as (field, module): the access tests give each caller parents of
    /// their own, since a child may join only a parent its caller reads.
    pub fn parents_owned_by_caller(&self, r: &ResourcePlan) -> Vec<(String, String)> {
        if r.access.is_none() {
            return Vec::new();
        }
        self.sample_parents(r)
            .filter(|(_, target)| target.reads_scoped_to_owner())
            .map(|(f, target)| (f.name.clone(), target.snake().to_string()))
            .collect()
    }

    /// A parent of `r`'s sample body that only its owner reads, as (field, parent
    /// snake), when a user of the first role creates `r` and is not of the last role:
    /// the generated test shows that such a user joins no parent of someone else's.
    pub fn parent_of_someone_else(&self, r: &ResourcePlan) -> Option<(String, String)> {
        if !self.roles_below_the_last() || !self.first_role_creates(r) {
            return None;
        }
        self.parents_owned_by_caller(r).into_iter().next()
    }

    /// Only their owner (and the last role) reads rows of the resource `snake`.
    pub fn only_owners_read(&self, snake: &str) -> bool {
        let resource = self.resources.iter().find(|r| r.snake() == snake);
        resource.is_some_and(ResourcePlan::reads_scoped_to_owner)
    }

    /// The least rule under which a caller reads every parent of `r`'s sample body (its
    /// own rows of a parent scoped to its owner): public, any user, or a role.
    pub fn parents_rule(&self, r: &ResourcePlan) -> Rule {
        self.parents_rank(r).1
    }

    /// [`Self::parents_rule`] for the body of an access test's PUT, which leaves out the
    /// fields only some roles may set (`guarded_samples`), when that differs: a parent
    /// only the last role may set is no parent of that body.
    pub fn replace_parents_rule(&self, r: &ResourcePlan) -> Option<Rule> {
        let (rank, rule) = self.parents_rank_where(r, |f| f.writable.is_none());
        (rank != self.parents_rank(r).0).then_some(rule)
    }

    /// The rank of [`Self::parents_rule`]: 0 public, 1 any user, 2 + the role's index.
    pub(crate) fn parents_rank_of(&self, r: &ResourcePlan) -> usize {
        self.parents_rank(r).0
    }

    /// [`Self::parents_rule`] with its rank: 0 public, 1 any user, 2 + the role's index.
    fn parents_rank(&self, r: &ResourcePlan) -> (usize, Rule) {
        self.parents_rank_where(r, |_| true)
    }

    /// [`Self::parents_rank`] over the parents whose field passes `sent`.
    fn parents_rank_where(
        &self,
        r: &ResourcePlan,
        sent: impl Fn(&FieldPlan) -> bool,
    ) -> (usize, Rule) {
        let mut strictest = (0, Rule::Public);
        let Some(auth) = &self.auth else {
            return strictest;
        };
        for (_, target) in self.sample_parents(r).filter(|(f, _)| sent(f)) {
            let Some(access) = &target.access else {
                continue;
            };
            let list = &access.list;
            let role = auth.roles.iter().position(|(_, value)| *value == list.word);
            let mut rank = match (list.word.as_str(), role) {
                ("public", _) => (0, list.rule.clone()),
                (_, Some(index)) => (2 + index, list.rule.clone()),
                _ => (1, Rule::Authenticated),
            };
            if target.reads_scoped_to_owner() && rank.0 == 0 {
                rank = (1, Rule::Authenticated);
            }
            if rank.0 > strictest.0 {
                strictest = rank;
            }
        }
        strictest
    }

    /// The least privileged role that User's `operation` rule (`update` or `delete`)
    /// admits, as its `UserRole` variant, when that role is below the last: the generated
    /// tests check that such a user reaches no user, and gives no role, above their own.
    pub fn user_rule_below_last(&self, operation: &str) -> Option<String> {
        let auth = self.auth.as_ref()?;
        let access = self.user()?.access.as_ref()?;
        let rule = match operation {
            "update" => &access.update,
            "delete" => &access.delete,
            _ => return None,
        };
        let (variant, value) = match rule.word.as_str() {
            "public" | "authenticated" => auth.roles.first()?,
            role => auth.roles.iter().find(|(_, value)| value == role)?,
        };
        (value != auth.last_role()).then(|| variant.clone())
    }

    /// With `[auth]`, `POST /auth/register` exists (`registration = "open"`).
    pub fn registration_open(&self) -> bool {
        self.auth
            .as_ref()
            .is_some_and(|auth| auth.registration_open)
    }

    /// `customer, staff, admin`.
    pub fn auth_role_list(&self) -> String {
        self.auth
            .as_ref()
            .map(AuthPlan::role_list)
            .unwrap_or_default()
    }
}

impl ResourcePlan {
    /// The external `use` items of `src/models/<resource>.rs` besides the prelude:
    /// `Regex` for its patterns, and the value types its fields name by their path
    /// ([`Import::Named`]).
    pub fn model_external_uses(&self) -> Vec<Use> {
        let mut paths: Vec<(&str, &str)> = (self.fields.iter())
            .filter_map(|f| match f.scalar?.spec().import {
                Import::Named(_) => f.scalar?.spec().import.path(),
                _ => None,
            })
            .collect();
        if self.has_pattern {
            paths.push(("regex", "Regex"));
        }
        grouped_uses(paths)
    }

    /// The crate's `use` items of `src/models/<resource>.rs` besides the prelude: its
    /// entity with its enums, and the response types of the resources it embeds.
    pub fn model_uses(&self) -> Vec<Use> {
        let enums = self.enums.iter().map(|e| e.type_name.clone());
        let entity = format!("crate::entities::{}", self.module);
        let mut uses = vec![Use::new(
            entity,
            std::iter::once("self".into()).chain(enums),
        )];
        let mut embedded: Vec<(&str, &str)> = self
            .includes
            .iter()
            .filter(|i| i.target != self.name)
            .map(|i| (i.target_module.as_str(), i.target.as_str()))
            .collect();
        embedded.sort_unstable_by(|a, b| names::use_order(a.0, b.0));
        embedded.dedup();
        for (module, name) in embedded {
            let path = format!("crate::models::{module}");
            uses.push(Use::new(path, [name.to_string()]));
        }
        uses
    }

    /// What the create body's `validate` checks, a field at a time.
    pub fn create_checks(&self) -> Vec<BodyCheck<'_>> {
        self.input_fields().filter_map(BodyCheck::create).collect()
    }

    /// A PUT body of its own, not the create body's: a private field left out keeps its
    /// value (the caller never sees it, so a GET, edit, PUT round trip cannot erase it).
    pub fn has_own_replace_type(&self) -> bool {
        !self.is_user && self.request_fields().any(FieldPlan::kept_when_left_out)
    }

    /// What the PUT body's `validate` checks (with [`Self::has_own_replace_type`]): a
    /// field kept when left out as in a PATCH, the others as in a create.
    pub fn replace_checks(&self) -> Vec<BodyCheck<'_>> {
        let (kept, replaced): (Vec<&FieldPlan>, Vec<&FieldPlan>) =
            self.request_fields().partition(|f| f.kept_when_left_out());
        let replaced = replaced.into_iter().filter_map(BodyCheck::create);
        replaced
            .chain(kept.into_iter().filter_map(BodyCheck::patch))
            .collect()
    }

    /// What the PATCH body's `validate` checks, a field at a time.
    pub fn patch_checks(&self) -> Vec<BodyCheck<'_>> {
        self.request_fields().filter_map(BodyCheck::patch).collect()
    }
}

/// What a body's `validate` checks of one field (`templates/partials/checks.rs` writes
/// it): the field's rules on its value, and in a PATCH (`patch`) that a required field
/// is not `null`.
#[derive(Debug, Clone, Copy)]
pub struct BodyCheck<'a> {
    pub field: &'a FieldPlan,
    pub patch: bool,
}

impl<'a> BodyCheck<'a> {
    /// The check of a create body's field, if it has rules.
    fn create(field: &'a FieldPlan) -> Option<Self> {
        (!field.checks.is_empty()).then_some(BodyCheck {
            field,
            patch: false,
        })
    }

    /// The check of a PATCH body's field: `null` refused where required, its rules.
    fn patch(field: &'a FieldPlan) -> Option<Self> {
        (!field.optional || !field.checks.is_empty()).then_some(BodyCheck { field, patch: true })
    }
}

/// `(path, name)` pairs as `use` items, one per path, in rustfmt's order: the crate's
/// own paths first.
fn grouped_uses(mut pairs: Vec<(&str, &str)>) -> Vec<Use> {
    pairs.sort_unstable_by_key(|&(path, _)| (!path.starts_with("crate::"), path));
    let mut uses: Vec<Use> = Vec::new();
    for (path, name) in pairs {
        match uses.last_mut() {
            Some(last) if last.path == path => last.names.push(name.to_string()),
            _ => uses.push(Use::new(path, [name.to_string()])),
        }
    }
    for item in &mut uses {
        *item = Use::new(
            std::mem::take(&mut item.path),
            std::mem::take(&mut item.names),
        );
    }
    uses
}

impl Plan {
    /// The value types the generated prelude re-exports ([`Import::Prelude`]), every
    /// field type's whether or not a resource uses it.
    pub fn value_type_uses(&self) -> Vec<Use> {
        let imports = Scalar::ALL.into_iter().map(|s| s.spec().import);
        let prelude = imports.filter(|i| matches!(i, Import::Prelude(_)));
        grouped_uses(prelude.filter_map(Import::path).collect())
    }
}

/// One `use` item of a generated file: a path and the names it brings from it (`self`
/// for the path itself), sorted and deduplicated as rustfmt sorts them. The layout is
/// the render step's (`layout::use_item`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Use {
    pub path: String,
    pub names: Vec<String>,
}

impl Use {
    pub fn new(path: impl Into<String>, names: impl IntoIterator<Item = String>) -> Use {
        let mut names: Vec<String> = names.into_iter().collect();
        // `self` first, then rustfmt's version sorting.
        names.sort_by(|a, b| {
            (a != "self")
                .cmp(&(b != "self"))
                .then(names::use_order(a, b))
        });
        names.dedup();
        Use {
            path: path.into(),
            names,
        }
    }
}

impl Plan {
    /// The built-in User, with `[auth]`.
    pub fn user(&self) -> Option<&ResourcePlan> {
        self.resources.iter().find(|r| r.is_user)
    }

    /// The first resource with every generated route (User has no POST).
    pub fn first_resource(&self) -> Option<&ResourcePlan> {
        self.resources.iter().find(|r| !r.is_user)
    }

    /// `[api] swagger_ui`: Swagger UI at `/docs` in a default build.
    pub fn swagger_ui(&self) -> bool {
        self.default_features.contains(&"swagger-ui")
    }

    /// `[api] brotli`: brotli compression in a default build.
    pub fn brotli(&self) -> bool {
        self.default_features.contains(&"brotli")
    }

    /// `/api/products`: the path of [`Plan::first_resource`].
    pub fn first_resource_path(&self) -> String {
        self.first_resource()
            .map(|r| r.path(self))
            .unwrap_or_default()
    }

    /// The `Cache-Control` the generated tests' app gets from [`Plan::first_resource_path`]:
    /// `public, max-age=N` where the resource caches its list and the request is
    /// anonymous (the app carries a token where the API has `[auth]`), `no-store` elsewhere.
    pub fn first_resource_cache_control(&self) -> String {
        self.first_resource()
            .and_then(|r| r.cache_list)
            .filter(|_| self.auth.is_none())
            .map_or_else(|| "no-store".to_owned(), |s| format!("public, max-age={s}"))
    }

    /// The list route of the first resource anyone may list without a token.
    pub fn public_list_path(&self) -> Option<String> {
        self.resources
            .iter()
            .find(|r| r.access.as_ref().is_some_and(|a| a.list.public))
            .map(|r| r.path(self))
    }
}

impl Plan {
    /// Resource modules in the order rustfmt sorts `mod` declarations.
    pub fn sorted_modules(&self) -> Vec<&str> {
        let mut modules: Vec<&str> = self.resources.iter().map(|r| r.module.as_str()).collect();
        modules.sort_unstable_by(|a, b| names::mod_order(a, b));
        modules
    }

    /// Entity modules (resources, join tables, and `[auth]`'s sessions), sorted.
    pub fn sorted_entity_modules(&self) -> Vec<&str> {
        let mut modules = self.sorted_modules();
        modules.extend(self.join_tables.iter().map(|j| j.module.as_str()));
        if self.auth.is_some() {
            modules.push(auth::SESSIONS_MODULE);
        }
        modules.sort_unstable_by(|a, b| names::mod_order(a, b));
        modules
    }

    /// Route modules, sorted.
    pub fn sorted_routes_modules(&self) -> Vec<&str> {
        let mut modules: Vec<&str> = self
            .resources
            .iter()
            .map(|r| r.routes_module.as_str())
            .collect();
        if self.auth.is_some() {
            modules.push("auth");
        }
        modules.sort_unstable_by(|a, b| names::mod_order(a, b));
        modules
    }
}

impl ResourcePlan {
    /// `A product`, `An order`: the singular with its article, for docs.
    pub fn a_words(&self) -> String {
        let text = names::with_article(&self.words);
        let mut chars = text.chars();
        chars
            .next()
            .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
            .unwrap_or_default()
    }

    /// `a product`, `an order`.
    pub fn a_words_lower(&self) -> String {
        names::with_article(&self.words)
    }
}
