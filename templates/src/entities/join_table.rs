// {{ header }}
// Do not edit: change apigen.toml instead.
//! The links of a many_to_many field: one row per linked pair of `{{ j.left_table }}` and `{{ j.right_table }}`.
use sea_orm::entity::prelude::*;

#[sea_orm::compact_model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "{{ j.table }}")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub {{ j.left_column }}: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub {{ j.right_column }}: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
