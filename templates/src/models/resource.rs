// {{ header }}
// Do not edit: change apigen.toml, or use src/hooks/{{ r.snake() }}.rs.
{% include "partials/model_uses.rs" %}¶
{% for f in r.input_fields() %}¶
{% if let Some(pattern) = f.pattern %}¶

{{ crate::layout::const_str(pattern.constant, pattern.source) }}
static {{ pattern.regex }}: LazyLock<Regex> = LazyLock::new(|| compile_pattern({{ pattern.constant }}));
{% endif %}¶
{% endfor %}¶

/// {{ r.a_words() }}, as every route answers it.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct {{ r.name }} {
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
{% for i in r.includes %}¶
    /// With `?include={{ i.name }}` only.
{% if i.renamed() %}¶
    #[serde(rename = {{ crate::names::rust_string_literal(i.name.as_str()) }}, skip_serializing_if = "Option::is_none")]
{% else %}¶
    #[serde(skip_serializing_if = "Option::is_none")]
{% endif %}¶
    #[schema(no_recursion)]
    pub {{ i.ident }}: {{ i.field_type() }},
{% endfor %}¶
}

impl From<{{ r.module }}::Model> for {{ r.name }} {
    fn from(row: {{ r.module }}::Model) -> Self {
        Self {
            id: row.id,
{% for f in r.output_fields() %}¶
            {{ f.ident }}: {{ crate::render::response_value(f) }},
{% endfor %}¶
{% if r.timestamps %}¶
            created_at: row.created_at.into(),
            updated_at: row.updated_at.into(),
{% endif %}¶
{% for i in r.includes %}¶
            {{ i.ident }}: None,
{% endfor %}¶
        }
    }
}

{% include "partials/page_type.rs" %}¶

{% if let Some(owner) = r.owner %}¶
/// The body of `POST {{ plan.base_path }}/{{ r.plural }}`. `{{ owner.column }}`, the owner, is the caller when left out.
{% else %}¶
/// The body of `POST {{ plan.base_path }}/{{ r.plural }}`.
{% endif %}¶
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
{% if r.has_body_fields() %}¶
pub struct {{ r.create_type }} {
{% for f in r.body_fields() %}¶
{% include "partials/body_field.rs" %}¶
{% endfor %}¶
}
{% else %}¶
pub struct {{ r.create_type }} {}
{% endif %}¶

{% if r.has_own_replace_type() %}¶
/// The body of `PUT {{ plan.base_path }}/{{ r.plural }}/{id}`: the whole row, with the rules of a create; a private
/// field, the owner or a field only some roles may set keeps its value when left out.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct {{ r.replace_type }} {
{% for f in r.body_fields() %}¶
{% if f.kept_when_left_out() %}¶
{% include "partials/patch_field.rs" %}¶
{% else %}¶
{% include "partials/body_field.rs" %}¶
{% endif %}¶
{% endfor %}¶
}
{% else %}¶
/// The body of `PUT {{ plan.base_path }}/{{ r.plural }}/{id}`: the whole row, with the rules of a create.
pub type {{ r.replace_type }} = {{ r.create_type }};
{% endif %}¶

/// The body of `PATCH {{ plan.base_path }}/{{ r.plural }}/{id}`: absent fields stay as they are.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
{% if r.has_body_fields() %}¶
pub struct {{ r.patch_type }} {
{% for f in r.body_fields() %}¶
{% include "partials/patch_field.rs" %}¶
{% endfor %}¶
}
{% else %}¶
pub struct {{ r.patch_type }} {}
{% endif %}¶
{% for f in r.fields %}¶
{% if let Some(default) = crate::render::default_body(f) %}¶

fn {{ f.default_fn }}() -> {{ f.full_type() }} {
    {{ default }}
}
{% endif %}¶
{% endfor %}¶

impl {{ r.create_type }} {
    /// Checks every rule of the schema; a 422 lists each field that breaks one.
    pub fn validate(&self) -> Result<(), ApiError> {
{% let checks = r.create_checks() %}¶
{% include "partials/validate_body.rs" %}¶
    }

{% if r.owner.is_some() %}¶
    /// A new row holding these values; the route sets its owner.
{% else %}¶
    /// A new row holding these values.
{% endif %}¶
    pub fn into_active_model(self) -> {{ r.module }}::ActiveModel {
        let mut row = {{ r.module }}::ActiveModel::new();
{% for f in r.fields %}¶
{% if f.readonly && f.has_default %}¶
        row.{{ f.ident }} = Set({{ crate::render::default_value(f) }});
{% endif %}¶
{% endfor %}¶
{% for f in r.body_fields() %}¶
{% if f.owner %}¶
        if let Some(owner) = self.{{ f.ident }} {
{% if f.optional %}¶
            row.{{ f.ident }} = Set(Some(owner));
{% else %}¶
            row.{{ f.ident }} = Set(owner);
{% endif %}¶
        }
{% endif %}¶
{% endfor %}¶
        self.apply(&mut row);
        row
    }

    /// Writes every field into `row`.
{% if r.has_input_fields() %}¶
    pub fn apply(self, row: &mut {{ r.module }}::ActiveModel) {
{% for f in r.input_fields() %}¶
        row.{{ f.ident }} = Set({{ crate::render::request_value(f) }});
{% endfor %}¶
    }
{% else %}¶
    pub fn apply(self, _row: &mut {{ r.module }}::ActiveModel) {}
{% endif %}¶
{% let write_checks = r.create_write_checks() %}¶
{% if !write_checks.is_empty() %}¶

    /// 403 naming a field `caller` may not set (`writable` in apigen.toml) that this body
    /// sets to anything but what a new row would hold anyway: its default, or the caller
    /// as its owner.
    pub fn check_writes(&self, caller: Option<&Caller>) -> Result<(), ApiError> {
{% include "partials/write_checks.rs" %}¶
        Ok(())
    }
{% endif %}¶
}

{% if r.has_own_replace_type() %}¶
impl {{ r.replace_type }} {
    /// Checks the rules of a create, and those of the fields kept when left out that it sends.
    pub fn validate(&self) -> Result<(), ApiError> {
{% let checks = r.replace_checks() %}¶
{% include "partials/validate_body.rs" %}¶
    }

    /// Writes every field into `row`, but one kept when left out, which stays as it is.
    pub fn apply(self, row: &mut {{ r.module }}::ActiveModel) {
{% for f in r.request_fields() %}¶
{% if f.kept_when_left_out() && f.optional %}¶
        self.{{ f.ident }}.apply_optional(&mut row.{{ f.ident }});
{% else if f.kept_when_left_out() %}¶
        self.{{ f.ident }}.apply(&mut row.{{ f.ident }});
{% else %}¶
        row.{{ f.ident }} = Set({{ crate::render::request_value(f) }});
{% endif %}¶
{% endfor %}¶
    }
}

{% endif %}¶
impl {{ r.patch_type }} {
    /// Checks the rules of the fields sent; `null` is refused for required fields.
    pub fn validate(&self) -> Result<(), ApiError> {
{% let checks = r.patch_checks() %}¶
{% include "partials/validate_body.rs" %}¶
    }

    /// Writes the fields sent into `row`; `null` clears an optional field.
{% if r.has_request_fields() %}¶
    pub fn apply(self, row: &mut {{ r.module }}::ActiveModel) {
{% for f in r.request_fields() %}¶
{% if f.optional %}¶
        self.{{ f.ident }}.apply_optional(&mut row.{{ f.ident }});
{% else %}¶
        self.{{ f.ident }}.apply(&mut row.{{ f.ident }});
{% endif %}¶
{% endfor %}¶
    }
{% else %}¶
    pub fn apply(self, _row: &mut {{ r.module }}::ActiveModel) {}
{% endif %}¶
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
