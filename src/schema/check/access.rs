//! Who may do what: `owner`, `access`, and the built-in User of `[auth]`.

use super::field::qualified;
use super::{Checker, USER, public_access};
use crate::schema::diagnostic::Diagnostic;
use crate::schema::model::{
    Access, DefaultValue, Field, FieldType, Format, Resource, Rule, Scalar,
};
use crate::schema::raw::{RawAccess, RawResource, Spanned};
use crate::schema::suggest;

/// The rules that are not role names.
pub const RULE_WORDS: &[&str] = &["public", "authenticated", "owner"];

/// The fields `[auth]` gives the User; a `[resources.User]` table may not redefine them.
const USER_BUILTINS: &[&str] = &["email", "password", "role"];

/// Resource keys the built-in User does not take.
const NOT_FOR_USER: &[&str] = &[
    "plural",
    "timestamps",
    "soft_delete",
    "owner",
    "renamed_from",
    "cache",
];

impl Checker<'_> {
    /// The built-in User, with the extra fields and access of `[resources.User]`.
    pub(super) fn user(&mut self, table: Option<&RawResource>) -> Option<Resource> {
        let roles = self.roles.clone().unwrap_or_default();
        let mut fields = builtin_user_fields(&roles);
        let mut access = Some(Access::all(last_role(&roles)));
        if let Some(table) = table {
            self.user_keys(table);
            let extra = self.fields(table, USER_BUILTINS);
            access = self.access(table, true, None);
            let extra = extra?;
            // Registration, the User's create, is anonymous.
            self.writable_on_create(table, &extra, &Rule::Public, None);
            fields.extend(extra);
        }
        Some(Resource {
            name: USER.to_string(),
            plural: "users".to_string(),
            timestamps: true,
            soft_delete: false,
            owner: None,
            renamed_from: None,
            cache: None,
            access: access?,
            fields,
        })
    }

    /// `[resources.User]` may only add fields and set access; a many_to_many field of its
    /// own is not one it takes (the other resource holds it).
    fn user_keys(&mut self, table: &RawResource) {
        for field in &table.fields {
            if field
                .ty
                .as_ref()
                .is_some_and(|ty| ty.value == "many_to_many")
            {
                let name = &field.name.value;
                self.report(
                    Diagnostic::new(
                        format!("the built-in User cannot hold the many_to_many field `{name}`"),
                        field.name.span.clone(),
                    )
                    .with_label("not on User")
                    .with_help(
                        "declare the link on the other resource, e.g. \
                         `members = { type = \"many_to_many\", resource = \"User\" }`",
                    ),
                );
            }
        }
        for key in table
            .keys
            .iter()
            .filter(|k| NOT_FOR_USER.contains(&k.name.as_str()))
        {
            self.report(
                Diagnostic::new(
                    format!("`{}` cannot be set on the built-in User", key.name),
                    key.key_span.clone(),
                )
                .with_label("fixed by [auth]")
                .with_help(
                    "`[resources.User]` may only add `fields` and set `access`: remove this key",
                ),
            );
        }
    }

    /// The resource's `owner`: a belongs_to User field of its own.
    /// `None` when it is wrong (reported), `Some(None)` when there is none.
    pub(super) fn owner(&mut self, raw: &RawResource) -> Option<Option<String>> {
        let Some(owner) = &raw.owner else {
            return Some(None);
        };
        let resource = &raw.name.value;
        let Some(field) = raw.fields.iter().find(|f| f.name.value == owner.value) else {
            if raw.broken {
                return None;
            }
            let names = raw.fields.iter().map(|f| f.name.value.as_str());
            let near = suggest::did_you_mean(&owner.value, names);
            self.report(
                Diagnostic::new(
                    format!(
                        "`owner` names `{}`, which is not a field of `{resource}`",
                        owner.value
                    ),
                    owner.span.clone(),
                )
                .with_label("no such field")
                .with_help(format!(
                    "{near}`owner` must name a field like \
                     `customer = {{ type = \"belongs_to\", resource = \"User\" }}`"
                )),
            );
            return None;
        };
        let Some(ty) = &field.ty else {
            return None;
        };
        let to_user =
            ty.value == "belongs_to" && field.resource.as_ref().is_some_and(|r| r.value == USER);
        if to_user && !self.auth {
            // The field's reference to User is already reported.
            return None;
        }
        if !to_user {
            let candidates = user_links(raw);
            let help = match candidates.first() {
                Some(name) => format!("did you mean `owner = \"{name}\"`?"),
                None => "add a field like `owner_user = { type = \"belongs_to\", resource = \"User\" }` \
                         and name it in `owner`"
                    .to_string(),
            };
            self.report(
                Diagnostic::new(
                    format!(
                        "`owner` must name a belongs_to User field, and `{}` is not one",
                        qualified(resource, field)
                    ),
                    owner.span.clone(),
                )
                .with_label("not a belongs_to User field")
                .with_help(help),
            );
            return None;
        }
        Some(Some(owner.value.clone()))
    }

    /// Resolves the access rules of a resource. `owner` is its valid owner field.
    pub(super) fn access(
        &mut self,
        raw: &RawResource,
        is_user: bool,
        owner: Option<&str>,
    ) -> Option<Access> {
        if !self.auth {
            if let Some(access) = &raw.access {
                self.access_without_auth(access);
                return None;
            }
            return Some(public_access());
        }
        let roles = self.roles.clone();
        // Denied by default: what `access` does not name needs the last role, so a
        // resource is opened on purpose, never by omission. (Broken roles are reported
        // already; nothing is generated then.)
        let mut access = Access::all(roles.as_deref().map_or(Rule::Authenticated, last_role));
        let Some(raw_access) = &raw.access else {
            return Some(access);
        };
        let mut ok = true;
        let mut owner_reported = false;
        // Shortcuts first, so that the specific keys win whatever their order.
        for shortcut_pass in [true, false] {
            for (operation, rule) in &raw_access.rules {
                let is_shortcut = matches!(operation.value.as_str(), "read" | "write");
                if is_shortcut != shortcut_pass {
                    continue;
                }
                let Some(rule) = self.rule(rule, roles.as_deref()) else {
                    ok = false;
                    continue;
                };
                if rule == Rule::Owner && owner.is_none() && !owner_reported {
                    owner_reported = true;
                    ok = false;
                    self.owner_rule_without_owner(raw, &raw_access.rules, is_user);
                }
                apply(&mut access, &operation.value, rule);
            }
        }
        if owner.is_some() && access.create == Rule::Public {
            ok = false;
            self.public_create_of_owned_rows(raw, &raw_access.rules);
        }
        ok.then_some(access)
    }

    /// A required field that only some roles may set (`writable`) cannot be left to a
    /// create that admits roles below them: such a caller could create no row at all.
    /// Nor can a unique one with a default: every row such a caller creates takes the
    /// default, so only the first of them is ever created. The owner field is not
    /// required of anyone: it defaults to the caller.
    pub(super) fn writable_on_create(
        &mut self,
        raw: &RawResource,
        fields: &[Field],
        create: &Rule,
        owner: Option<&str>,
    ) {
        let roles = self.roles.clone().unwrap_or_default();
        let rank = |role: &str| roles.iter().position(|r| r == role).unwrap_or(0);
        let admitted = match create {
            Rule::Role(role) => rank(role),
            Rule::Public | Rule::Authenticated | Rule::Owner => 0,
        };
        let name = &raw.name.value;
        let trapped = |f: &&Field| f.required() || (f.unique && f.default.is_some());
        for field in fields
            .iter()
            .filter(trapped)
            .filter(|f| Some(f.name.as_str()) != owner)
        {
            let Some(role) = &field.writable else {
                continue;
            };
            if rank(role) <= admitted {
                continue;
            }
            let span = raw
                .fields
                .iter()
                .find(|f| f.name.value == field.name)
                .and_then(|f| f.writable.as_ref())
                .map_or_else(|| raw.name.span.clone(), |w| w.span.clone());
            let below = roles.get(admitted).map_or("", String::as_str);
            let (who, raise) = if name == USER {
                ("registration".to_string(), String::new())
            } else {
                (
                    format!("create of {name}"),
                    format!(", or raise `create` to `{role}`"),
                )
            };
            let field_name = &field.name;
            let diagnostic = if field.required() {
                let help = if field.unique {
                    // A default would be taken by every row of theirs: one at most.
                    format!("make `{field_name}` `optional`{raise}")
                } else {
                    format!("give `{field_name}` a `default` or make it `optional`{raise}")
                };
                Diagnostic::new(
                    format!(
                        "`{name}.{field_name}` is required and only {role} may set it, but the \
                         {who} admits {below}"
                    ),
                    span,
                )
                .with_label("a caller below this role could create no row")
                .with_help(help)
            } else {
                Diagnostic::new(
                    format!(
                        "`{name}.{field_name}` is unique and only {role} may set it, but the \
                         {who} admits {below}: each row such a caller creates takes the default"
                    ),
                    span,
                )
                .with_label("a caller below this role could create one row; each after it is a 409")
                .with_help(format!(
                    "drop the `default` and make `{field_name}` `optional` (a unique column \
                     holds null many times), drop `unique`{raise}"
                ))
            };
            self.report(diagnostic);
        }
    }

    /// A row's owner is the user who creates it: nobody cannot create one.
    fn public_create_of_owned_rows(
        &mut self,
        raw: &RawResource,
        rules: &[(Spanned<String>, Spanned<String>)],
    ) {
        let key = |op: &str| rules.iter().find(|(o, _)| o.value == op);
        let Some((operation, rule)) = key("create").or_else(|| key("write")) else {
            return;
        };
        let name = &raw.name.value;
        self.report(
            Diagnostic::new(
                format!(
                    "`{}` lets anyone create {name} rows, but each row is owned by the user who creates it",
                    operation.value
                ),
                rule.span.clone(),
            )
            .with_label("nobody would own the row")
            .with_help(format!(
                "set `create = \"authenticated\"` (any user) or a role in the `access` of [resources.{name}]"
            )),
        );
    }

    fn access_without_auth(&mut self, access: &RawAccess) {
        self.report(
            Diagnostic::new(
                "`access` rules need an [auth] table",
                access.key_span.clone(),
            )
            .with_label("without [auth], every route is public")
            .with_help(
                "add `[auth]` with `roles = [\"user\", \"admin\"]` to have users and \
                     roles, or remove `access`",
            ),
        );
    }

    /// One rule: a rule word or a role.
    fn rule(&mut self, rule: &Spanned<String>, roles: Option<&[String]>) -> Option<Rule> {
        match rule.value.as_str() {
            "public" => return Some(Rule::Public),
            "authenticated" => return Some(Rule::Authenticated),
            "owner" => return Some(Rule::Owner),
            _ => {}
        }
        let Some(roles) = roles else {
            // The roles are broken (already reported): do not guess.
            return None;
        };
        if roles.contains(&rule.value) {
            return Some(Rule::Role(rule.value.clone()));
        }
        let candidates = RULE_WORDS
            .iter()
            .copied()
            .chain(roles.iter().map(String::as_str));
        let near = suggest::did_you_mean(&rule.value, candidates);
        self.report(
            Diagnostic::new(
                format!("unknown access rule `{}`", rule.value),
                rule.span.clone(),
            )
            .with_label("not a rule or a role")
            .with_help(format!(
                "{near}Rules: public, authenticated, owner, or a role of [auth]: {}",
                roles.join(", ")
            )),
        );
        None
    }

    fn owner_rule_without_owner(
        &mut self,
        raw: &RawResource,
        rules: &[(Spanned<String>, Spanned<String>)],
        is_user: bool,
    ) {
        if raw.broken || raw.owner.is_some() {
            // The owner itself is broken and already reported.
            return;
        }
        let Some((_, rule)) = rules.iter().find(|(_, r)| r.value == "owner") else {
            return;
        };
        let name = &raw.name.value;
        let help = if is_user {
            "the built-in User has no owner: use a role (e.g. the last one) or `authenticated`"
                .to_string()
        } else {
            match user_links(raw).first() {
                Some(field) => format!("add `owner = \"{field}\"` to [resources.{name}]"),
                None => format!(
                    "add a belongs_to User field (e.g. `author = {{ type = \"belongs_to\", \
                     resource = \"User\" }}`) and `owner = \"author\"` to [resources.{name}]"
                ),
            }
        };
        self.report(
            Diagnostic::new(
                format!("the `owner` rule needs `{name}` to name its owner, and it has no `owner`"),
                rule.span.clone(),
            )
            .with_label("who owns a row is not known")
            .with_help(help),
        );
    }
}

/// The names of a resource's belongs_to User fields.
fn user_links(raw: &RawResource) -> Vec<&str> {
    raw.fields
        .iter()
        .filter(|f| f.ty.as_ref().is_some_and(|t| t.value == "belongs_to"))
        .filter(|f| f.resource.as_ref().is_some_and(|r| r.value == USER))
        .map(|f| f.name.value.as_str())
        .collect()
}

/// The most privileged role.
fn last_role(roles: &[String]) -> Rule {
    match roles.last() {
        Some(role) => Rule::Role(role.clone()),
        None => Rule::Authenticated,
    }
}

/// Sets the rule of an operation or a shortcut.
fn apply(access: &mut Access, operation: &str, rule: Rule) {
    let named: &[&str] = match operation {
        "read" => &["list", "get"],
        "write" => &["create", "update", "delete"],
        one => &[one][..],
    };
    access.defaulted.retain(|op| !named.contains(op));
    match operation {
        "list" => access.list = rule,
        "get" => access.get = rule,
        "create" => access.create = rule,
        "update" => access.update = rule,
        "delete" => access.delete = rule,
        "read" => {
            access.list = rule.clone();
            access.get = rule;
        }
        "write" => {
            access.create = rule.clone();
            access.update = rule.clone();
            access.delete = rule;
        }
        _ => {}
    }
}

/// email, password and role, as `[auth]` defines them.
fn builtin_user_fields(roles: &[String]) -> Vec<Field> {
    let base = |name: &str, ty: FieldType| Field {
        name: name.to_string(),
        ty,
        optional: false,
        unique: false,
        index: false,
        default: None,
        min: None,
        max: None,
        min_length: None,
        max_length: None,
        digits: None,
        pattern: None,
        format: None,
        readonly: false,
        private: false,
        writable: None,
        doc: None,
        renamed_from: None,
    };
    vec![
        Field {
            unique: true,
            format: Some(Format::Email),
            max_length: Some(254),
            ..base("email", FieldType::Scalar(Scalar::String))
        },
        Field {
            private: true,
            min_length: Some(8),
            max_length: Some(128),
            ..base("password", FieldType::Scalar(Scalar::String))
        },
        Field {
            default: roles.first().map(|r| DefaultValue::Text(r.clone())),
            ..base("role", FieldType::Enum(roles.to_vec()))
        },
    ]
}
