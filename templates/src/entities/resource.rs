// {{ header }}
// Do not edit: change apigen.toml instead.
{% if r.timestamps || r.soft_delete %}¶
use sea_orm::ActiveValue::Set;
{% endif %}¶
{% if r.is_user %}¶
use sea_orm::Iterable;
{% endif %}¶
use sea_orm::entity::prelude::*;
{% if !r.enums.is_empty() %}¶
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
{% endif %}¶
{% if r.has_datetime() || r.has_decimal() %}¶

{% endif %}¶
{% if r.has_datetime() %}¶
use crate::datetime::DbDateTime;
{% endif %}¶
{% if r.has_decimal() %}¶
use crate::decimal::DbDecimal;
{% endif %}¶
{% for e in r.enums %}¶
{% if r.is_user && e.type_name == "UserRole" %}¶

/// The roles of `[auth]`, from least to most privileged: the order compares them.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    EnumIter,
    DeriveActiveEnum,
    Serialize,
    Deserialize,
    ToSchema,
)]
{% else %}¶

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema,
)]
{% endif %}¶
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum {{ e.type_name }} {
{% for (variant, value) in e.variants %}¶
    #[sea_orm(string_value = "{{ value }}")]
    #[serde(rename = "{{ value }}")]
    {{ variant }},
{% endfor %}¶
}
{% if r.is_user && e.type_name == "UserRole" %}¶

impl UserRole {
    /// The role given at registration: the first of `roles`.
    pub const FIRST: Self = Self::{{ e.first_variant() }};
    /// The most privileged role: the last of `roles`.
    pub const LAST: Self = Self::{{ e.last_variant() }};

    /// The role named `name` in apigen.toml, if there is one.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::iter().find(|role| role.to_value() == name)
    }

    /// Every role's name, least privileged first, for messages.
    pub fn names() -> Vec<String> {
        Self::iter().map(|role| role.to_value()).collect()
    }
}
{% endif %}¶
{% endfor %}¶
#[sea_orm::model]
{% if r.is_user %}¶
#[derive(Clone, PartialEq, DeriveEntityModel)]
{% else %}¶
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
{% endif %}¶
#[sea_orm(table_name = "{{ r.plural }}")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
{% for f in r.fields %}¶
{% if let Some(doc) = f.doc %}¶
    /// {{ doc }}
{% endif %}¶
{% if !f.entity_attrs.is_empty() %}¶
    #[sea_orm({% for (key, value) in f.entity_attrs %}{{ key }}{% if let Some(value) = value %} = {{ crate::names::rust_string_literal(value) }}{% endif %}{% if !loop.last %}, {% endif %}{% endfor %})]
{% endif %}¶
    pub {{ f.ident }}: {{ f.full_entity_type() }},
{% endfor %}¶
{% if r.timestamps %}¶
    pub created_at: DbDateTime,
    pub updated_at: DbDateTime,
{% endif %}¶
{% if r.soft_delete %}¶
    pub deleted_at: Option<DbDateTime>,
{% endif %}¶
{% for rel in r.relations() %}¶
{% if rel.self_ref %}¶
    #[sea_orm(self_ref, relation_enum = "{{ rel.relation_enum }}", from = "{{ rel.column }}", to = "id")]
{% else %}¶
    #[sea_orm(belongs_to, relation_enum = "{{ rel.relation_enum }}", from = "{{ rel.column }}", to = "id")]
{% endif %}¶
    pub {{ rel.ident }}: BelongsTo<{{ rel.target_type() }}>,
{% endfor %}¶
}

{% if r.is_user %}¶
{% for ty in ["Model", "ModelEx"] %}¶
/// Every field but the password's hash: a logged row never shows it.
impl std::fmt::Debug for {{ ty }} {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("{{ ty }}")
            .field("id", &self.id)
{% for field in r.fields %}¶
{% if field.ident == "password_hash" %}¶
            .field("password_hash", &"<hidden>")
{% else %}¶
            .field("{{ field.name }}", &self.{{ field.ident }})
{% endif %}¶
{% endfor %}¶
            .finish_non_exhaustive()
    }
}

{% endfor %}¶
{% endif %}¶
{% if r.timestamps %}¶
#[async_trait::async_trait]
impl ActiveModelBehavior for ActiveModel {
    /// Stamps `created_at` on insert and `updated_at` on every save.
    async fn before_save<C>(mut self, _db: &C, insert: bool) -> Result<Self, DbErr>
    where
        C: ConnectionTrait,
    {
        let now = DbDateTime::now();
        if insert {
            self.created_at = Set(now);
        }
        self.updated_at = Set(now);
        Ok(self)
    }
}
{% else %}¶
impl ActiveModelBehavior for ActiveModel {}
{% endif %}¶
{% if r.soft_delete %}¶
impl ActiveModel {
    /// Marks the row deleted: the generated reads no longer see it.
    pub fn mark_deleted(&mut self) {
        self.deleted_at = Set(Some(DbDateTime::now()));
    }
}
{% endif %}¶
