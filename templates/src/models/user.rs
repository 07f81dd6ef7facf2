// {{ header }}
// Do not edit: change apigen.toml, or use src/hooks/user.rs.
{% include "partials/model_uses.rs" %}¶
{% for f in r.extra_fields() %}¶
{% if let Some(pattern) = f.pattern %}¶
{% if !f.readonly %}¶

{{ crate::layout::const_str(pattern.constant, pattern.source) }}
static {{ pattern.regex }}: LazyLock<Regex> = LazyLock::new(|| compile_pattern({{ pattern.constant }}));
{% endif %}¶
{% endif %}¶
{% endfor %}¶

/// A user, as every route answers it: never the password nor its hash.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct User {
    pub id: i64,
{% for f in r.output_fields() %}¶
{% if let Some(doc) = f.doc %}¶
    {{ crate::layout::schema_doc(doc.as_str(), 4) }}
{% endif %}¶
{% if f.renamed() %}¶
    #[serde(rename = {{ crate::names::rust_string_literal(f.name.as_str()) }})]
{% endif %}¶
{% if let Some(attr) = crate::render::schema_attr(f, Body::Response) %}¶
    {{ attr }}
{% endif %}¶
    pub {{ f.ident }}: {{ f.full_type() }},
{% endfor %}¶
{% if r.timestamps %}¶
    #[schema(value_type = String, format = DateTime)]
    pub created_at: DateTimeUtc,
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: DateTimeUtc,
{% endif %}¶
}

impl From<user::Model> for User {
    fn from(row: user::Model) -> Self {
        Self {
            id: row.id,
{% for f in r.output_fields() %}¶
            {{ f.ident }}: {{ crate::render::response_value(f) }},
{% endfor %}¶
{% if r.timestamps %}¶
            created_at: row.created_at.into(),
            updated_at: row.updated_at.into(),
{% endif %}¶
        }
    }
}

{% include "partials/page_type.rs" %}¶

/// The body of `POST {{ plan.base_path }}/auth/register`: the role is always the first one.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterUser {
    #[schema(format = Email)]
    pub email: String,
    #[schema(value_type = String, min_length = 8, max_length = 128)]
    pub password: Password,
    /// Set by the server: the first role.
    #[schema(ignore)]
    pub role: Option<ReadOnly>,
{% for f in r.extra_fields() %}¶
{% include "partials/body_field.rs" %}¶
{% endfor %}¶
}

/// The body of `POST {{ plan.base_path }}/auth/login`.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Login {
    pub email: String,
    #[schema(value_type = String)]
    pub password: Password,
}

/// The answer of `POST {{ plan.base_path }}/auth/login` and `POST {{ plan.base_path }}/auth/refresh`:
/// an access token, the refresh token that renews it, and the user.
// No `Debug`: both tokens are secrets.
#[derive(Clone, Serialize, ToSchema)]
pub struct LoggedIn {
    /// The access token, sent as `Authorization: Bearer <token>`.
    pub token: String,
    pub token_type: &'static str,
    /// When the access token expires: refresh before.
    #[schema(value_type = String, format = DateTime)]
    pub expires_at: DateTimeUtc,
    /// Sent once to `POST {{ plan.base_path }}/auth/refresh` for the next tokens.
    pub refresh_token: String,
    pub user: User,
}

/// The body of `POST {{ plan.base_path }}/auth/refresh`.
#[derive(Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Refresh {
    pub refresh_token: String,
}

/// The body of `POST {{ plan.base_path }}/auth/password`.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangePassword {
    #[schema(value_type = String)]
    pub current_password: Password,
    #[schema(value_type = String, min_length = 8, max_length = 128)]
    pub new_password: Password,
}

impl ChangePassword {
    /// The new password's rules: 8 to 128 characters; a 422 otherwise.
    pub fn validate(&self) -> Result<(), ApiError> {
        let mut errors = Errors::new();
        self.new_password.check(&mut errors, "new_password");
        errors.finish()
    }
}

/// One of the caller's login sessions.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct AuthSession {
    pub id: i64,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: DateTimeUtc,
    /// The last refresh (or the login).
    #[schema(value_type = String, format = DateTime)]
    pub refreshed_at: DateTimeUtc,
    /// When it ends unless it is refreshed before.
    #[schema(value_type = String, format = DateTime)]
    pub expires_at: DateTimeUtc,
    /// The session of the token this list was asked with.
    pub current: bool,
}

/// The answer of `GET {{ plan.base_path }}/auth/sessions`: the caller's sessions, newest first.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct AuthSessionList {
    pub sessions: Vec<AuthSession>,
}

/// The body of `PUT {{ plan.base_path }}/users/{id}`: every field but the password, which stays
/// as it is when left out, as does a private field or one only some roles may set.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReplaceUser {
    #[schema(format = Email)]
    pub email: String,
    #[schema(value_type = Option<String>, min_length = 8, max_length = 128)]
    pub password: Option<Password>,
    pub role: UserRole,
{% for f in r.extra_fields() %}¶
{% if f.kept_when_left_out() %}¶
{% include "partials/patch_field.rs" %}¶
{% else %}¶
{% include "partials/body_field.rs" %}¶
{% endif %}¶
{% endfor %}¶
}

/// The body of `PATCH {{ plan.base_path }}/users/{id}`: absent fields stay as they are.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PatchUser {
    #[serde(default)]
    #[schema(value_type = String, format = Email)]
    pub email: Patch<String>,
    #[serde(default)]
    #[schema(value_type = String, min_length = 8, max_length = 128)]
    pub password: Patch<Password>,
    #[serde(default)]
    #[schema(value_type = UserRole)]
    pub role: Patch<UserRole>,
{% for f in r.extra_fields() %}¶
{% include "partials/patch_field.rs" %}¶
{% endfor %}¶
}
{% for f in r.extra_fields() %}¶
{% if let Some(default) = crate::render::default_body(f) %}¶

fn {{ f.default_fn }}() -> {{ f.full_type() }} {
    {{ default }}
}
{% endif %}¶
{% endfor %}¶

impl RegisterUser {
    /// Checks every rule of the schema; a 422 lists each field that breaks one.
    pub fn validate(&self) -> Result<(), ApiError> {
        let mut errors = Errors::new();
        self.password.check(&mut errors, "password");
{% let checks = r.create_checks() %}¶
{% include "partials/checks.rs" %}¶
        errors.finish()
    }

    /// A new row holding these values, with the first role and `password_hash`.
    pub fn into_active_model(self, password_hash: String) -> user::ActiveModel {
        let mut row = user::ActiveModel::new();
        row.email = Set(self.email.to_lowercase());
        row.password_hash = Set(password_hash);
        row.role = Set(UserRole::FIRST);
{% for f in r.extra_fields() %}¶
{% if f.readonly && f.has_default %}¶
        row.{{ f.ident }} = Set({{ crate::render::default_value(f) }});
{% else if !f.readonly %}¶
        row.{{ f.ident }} = Set({{ crate::render::request_value(f) }});
{% endif %}¶
{% endfor %}¶
        row
    }
{% let write_checks = r.create_write_checks() %}¶
{% if !write_checks.is_empty() %}¶

    /// 403 naming a field a registration may not set (`writable` in apigen.toml) that
    /// this body sets to anything but its default: the caller is anonymous.
    pub fn check_writes(&self) -> Result<(), ApiError> {
        let caller = None;
{% include "partials/write_checks.rs" %}¶
        Ok(())
    }
{% endif %}¶
}

impl ReplaceUser {
    /// Checks every rule of the schema; a 422 lists each field that breaks one.
    pub fn validate(&self) -> Result<(), ApiError> {
        let mut errors = Errors::new();
        if let Some(password) = &self.password {
            password.check(&mut errors, "password");
        }
{% let checks = r.replace_checks() %}¶
{% include "partials/checks.rs" %}¶
        errors.finish()
    }

    /// The new password, to hash before the row is written.
    pub fn take_password(&mut self) -> Option<Password> {
        self.password.take()
    }

    /// Writes every field into `row` but the password (see [`set_password`]).
    pub fn apply(self, row: &mut user::ActiveModel) {
        row.email = Set(self.email.to_lowercase());
        row.role = Set(self.role);
{% for f in r.extra_fields() %}¶
{% if f.readonly %}¶
{% else if f.kept_when_left_out() && f.optional %}¶
        self.{{ f.ident }}.apply_optional(&mut row.{{ f.ident }});
{% else if f.kept_when_left_out() %}¶
        self.{{ f.ident }}.apply(&mut row.{{ f.ident }});
{% else %}¶
        row.{{ f.ident }} = Set({{ crate::render::request_value(f) }});
{% endif %}¶
{% endfor %}¶
    }
}

impl PatchUser {
    /// Checks the rules of the fields sent; `null` is refused for required fields.
    pub fn validate(&self) -> Result<(), ApiError> {
        let mut errors = Errors::new();
        errors.not_null("password", self.password.is_null());
        if let Some(password) = self.password.value() {
            password.check(&mut errors, "password");
        }
{% let checks = r.patch_checks() %}¶
{% include "partials/checks.rs" %}¶
        errors.finish()
    }

    /// The new password, to hash before the row is written.
    pub fn take_password(&mut self) -> Option<Password> {
        match std::mem::take(&mut self.password) {
            Patch::Value(password) => Some(password),
            Patch::Absent | Patch::Null => None,
        }
    }

    /// Writes the fields sent into `row` but the password; `null` clears an optional field.
    pub fn apply(self, row: &mut user::ActiveModel) {
        if let Patch::Value(email) = self.email {
            row.email = Set(email.to_lowercase());
        }
        self.role.apply(&mut row.role);
{% for f in r.extra_fields() %}¶
{% if f.readonly %}¶
{% else if f.optional %}¶
        self.{{ f.ident }}.apply_optional(&mut row.{{ f.ident }});
{% else %}¶
        self.{{ f.ident }}.apply(&mut row.{{ f.ident }});
{% endif %}¶
{% endfor %}¶
    }
}

/// Stores a new password's hash, when there is one.
pub fn set_password(row: &mut user::ActiveModel, password_hash: Option<String>) {
    if let Some(hash) = password_hash {
        row.password_hash = Set(hash);
    }
}
{% for f in r.input_fields() %}¶
{% if !f.checks.is_empty() %}¶

fn {{ f.check_fn }}(errors: &mut Errors, value: {{ f.check_arg_type }}) {
{% for check in f.checks %}¶
    {{ crate::render::check(check, f.name.as_str()) }}
{% endfor %}¶
}
{% endif %}¶
{% endfor %}¶
