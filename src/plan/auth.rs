//! The plan of `[auth]`: the roles, each resource's access rules and owner, and the
//! built-in User's special fields (the password is stored as `password_hash`).

use crate::names;
use crate::schema::{Access, Auth, Resource, Rule};
pub use crate::schema::{SESSIONS_MODULE, SESSIONS_TABLE};

use super::tables::{Column, ColumnType};
use super::{FieldPlan, ResourcePlan};

/// The name of the built-in resource.
pub const USER: &str = "User";

/// What `[auth]` gives the generated crate.
#[derive(Debug, Clone)]
pub struct AuthPlan {
    /// (Rust variant, string value), least privileged first.
    pub roles: Vec<(String, String)>,
    pub token_ttl_minutes: u32,
    pub refresh_ttl_days: u32,
    /// `POST /auth/register` exists (`[auth] registration = "open"`).
    pub registration_open: bool,
}

impl AuthPlan {
    pub fn new(auth: &Auth) -> AuthPlan {
        AuthPlan {
            roles: auth
                .roles
                .iter()
                .map(|role| (names::pascal_case(role), role.clone()))
                .collect(),
            token_ttl_minutes: auth.token_ttl_minutes,
            refresh_ttl_days: auth.refresh_ttl_days,
            registration_open: auth.registration_open,
        }
    }

    /// The role given at registration.
    pub fn first_role(&self) -> &str {
        self.roles.first().map_or("", |(_, value)| value.as_str())
    }

    /// The most privileged role.
    pub fn last_role(&self) -> &str {
        self.roles.last().map_or("", |(_, value)| value.as_str())
    }

    /// `customer, staff, admin`.
    pub fn role_list(&self) -> String {
        let values: Vec<&str> = self.roles.iter().map(|(_, v)| v.as_str()).collect();
        values.join(", ")
    }
}

/// One operation's rule, as the generated code and its docs name it.
#[derive(Debug, Clone)]
pub struct RulePlan {
    /// The rule (`render::rule` writes it: `Rule::Role(UserRole::Staff)`).
    pub rule: Rule,
    /// `staff`, `public`, `authenticated`, `owner`.
    pub word: String,
    /// The rule admits a caller without a token.
    pub public: bool,
}

impl RulePlan {
    fn new(rule: &Rule) -> RulePlan {
        let word = match rule {
            Rule::Public => "public",
            Rule::Authenticated => "authenticated",
            Rule::Owner => "owner",
            Rule::Role(role) => role,
        };
        RulePlan {
            public: matches!(rule, Rule::Public),
            rule: rule.clone(),
            word: word.to_string(),
        }
    }

    /// Whether the rule admits a user of the first role who does not own the row.
    pub fn admits_first_role(&self, auth: &AuthPlan) -> bool {
        match self.word.as_str() {
            "owner" => false,
            "public" | "authenticated" => true,
            role => role == auth.first_role() || auth.roles.len() == 1,
        }
    }

    /// Uses a role name: the routes file needs `UserRole`.
    pub fn names_a_role(&self) -> bool {
        matches!(self.rule, Rule::Role(_))
    }
}

/// Who may set a field (`writable`): the least role, as the code and the docs name it.
#[derive(Debug, Clone)]
pub struct WritablePlan {
    /// The `UserRole` variant (`Staff`).
    pub role_variant: String,
    /// `staff`.
    pub role: String,
    /// The role is the last one: nobody is above it.
    pub last: bool,
}

impl WritablePlan {
    pub fn new(auth: &Auth, role: &str) -> WritablePlan {
        WritablePlan {
            role_variant: names::pascal_case(role),
            role: role.to_string(),
            last: auth.roles.last().is_some_and(|last| last == role),
        }
    }

    /// Who may set the field, in words: `staff and above`, or `admin`.
    pub fn who(&self) -> String {
        if self.last {
            self.role.clone()
        } else {
            format!("{} and above", self.role)
        }
    }
}

/// The rules of a resource's operations.
#[derive(Debug, Clone)]
pub struct AccessPlan {
    pub list: RulePlan,
    pub get: RulePlan,
    pub create: RulePlan,
    pub update: RulePlan,
    pub delete: RulePlan,
    /// The operations `access` does not name: the last role's by default.
    pub defaulted: Vec<&'static str>,
}

impl AccessPlan {
    pub fn new(access: &Access) -> AccessPlan {
        AccessPlan {
            list: RulePlan::new(&access.list),
            get: RulePlan::new(&access.get),
            create: RulePlan::new(&access.create),
            update: RulePlan::new(&access.update),
            delete: RulePlan::new(&access.delete),
            defaulted: access.defaulted.clone(),
        }
    }

    pub fn all(&self) -> [&RulePlan; 5] {
        [
            &self.list,
            &self.get,
            &self.create,
            &self.update,
            &self.delete,
        ]
    }

    pub fn names_a_role(&self) -> bool {
        self.all().iter().any(|rule| rule.names_a_role())
    }

    /// The rules in words, for the README: `list public, get public, create staff, ...`.
    pub fn summary(&self) -> String {
        let read = same(&self.list, &self.get);
        let write = same(&self.create, &self.update) && same(&self.update, &self.delete);
        let mut parts = Vec::new();
        if read {
            parts.push(format!("read {}", self.list.word));
        } else {
            parts.push(format!("list {}", self.list.word));
            parts.push(format!("get {}", self.get.word));
        }
        if write {
            parts.push(format!("write {}", self.create.word));
        } else {
            parts.push(format!("create {}", self.create.word));
            parts.push(format!("update {}", self.update.word));
            parts.push(format!("delete {}", self.delete.word));
        }
        parts.join(", ")
    }

    /// The README's line on the operations left to the default, or nothing when
    /// `access` names them all: `Not named in `access`, so denied to all but admin: delete.`
    pub fn defaulted_summary(&self, auth: &AuthPlan) -> String {
        if self.defaulted.is_empty() {
            return String::new();
        }
        format!(
            " Not named in `access`, so denied to all but {} by default: {}.",
            auth.last_role(),
            self.defaulted.join(", ")
        )
    }
}

fn same(a: &RulePlan, b: &RulePlan) -> bool {
    a.word == b.word
}

/// The belongs_to User field that owns a resource's rows.
#[derive(Debug, Clone)]
pub struct OwnerPlan {
    /// The column and JSON key (`customer_id`).
    pub column: String,
    /// The Rust field (`customer_id`).
    pub ident: String,
    /// The entity's `Column` variant (`CustomerId`).
    pub column_variant: String,
    /// As written in the schema (`customer`).
    pub field: String,
    /// The field is optional: a row may outlive its owner (`on_delete = "set_null"`).
    pub optional: bool,
}

impl OwnerPlan {
    pub fn new(field: &str, optional: bool) -> OwnerPlan {
        let column = format!("{}_id", field);
        OwnerPlan {
            optional,
            ident: names::rust_ident(&names::snake_case(&column)),
            column_variant: names::column_variant(&names::snake_case(&column)),
            field: field.to_string(),
            column,
        }
    }
}

/// Turns the built-in User's fields into what the crate stores: `email` lower-cased,
/// `password` as its Argon2id hash in `password_hash`, `role` as `UserRole`.
pub fn shape_user(resource: &Resource, plan: &mut ResourcePlan) {
    debug_assert_eq!(resource.name, USER);
    plan.is_user = true;
    for field in &mut plan.fields {
        match field.name.as_str() {
            "email" => {
                field.builtin = true;
                field.doc = Some("Always stored lower-cased.".to_string());
            }
            "password" => password_hash(field),
            "role" => {
                field.builtin = true;
                // Registration sets it; the column needs no default of its own.
                field.column.default = None;
            }
            _ => {}
        }
    }
}

fn password_hash(field: &mut FieldPlan) {
    field.builtin = true;
    field.name = "password_hash".to_string();
    field.ident = "password_hash".to_string();
    field.snake = "password_hash".to_string();
    field.column = Column::new("password_hash", ColumnType::String(255));
    field.doc = Some("The Argon2id PHC string: never answered, never logged.".to_string());
    field.private = true;
    // Never a body field as such: the models take `password` and hash it.
    field.readonly = true;
    field.checks.clear();
    field.violations.clear();
}

impl ResourcePlan {
    /// Fields a request may set only from some role up: the owner, and every `writable`
    /// field.
    pub fn guarded_fields(&self) -> impl Iterator<Item = &FieldPlan> {
        self.fields
            .iter()
            .filter(|f| f.writable.is_some() && !f.readonly)
    }

    /// Some field is guarded: a PUT or PATCH checks what it changes (`check_changes`).
    pub fn guards_writes(&self) -> bool {
        self.guarded_fields().next().is_some()
    }

    /// The guarded fields the create body's `check_writes` checks: each that a new row
    /// holds anyway when the body leaves it out (its default, null, or for the owner the
    /// caller) may hold nothing else unless the caller may set it. A required one needs
    /// no check: its create rule admits only roles that may set it (the checker sees to
    /// it).
    pub fn create_write_checks(&self) -> Vec<&FieldPlan> {
        self.guarded_fields()
            .filter(|f| f.owner || f.has_default || f.optional)
            .collect()
    }
}

impl FieldPlan {
    /// The `UserRole` variant of its `writable` rule (`Staff`).
    pub fn writable_role(&self) -> &str {
        self.writable
            .as_ref()
            .map_or("", |w| w.role_variant.as_str())
    }
}
