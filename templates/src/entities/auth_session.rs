// {{ header }} Do not edit: change [auth] in apigen.toml instead.
//! The login sessions of `[auth]`: a row per login, which its token names (`sid`). A
//! logout deletes it and so ends that token; deleting the user deletes their sessions.
use sea_orm::entity::prelude::*;

use crate::datetime::DbDateTime;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "auth_sessions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub user_id: i64,
    pub created_at: DbDateTime,
    /// When its token expires: a session past it is deleted at its user's next login.
    pub expires_at: DbDateTime,
    #[sea_orm(belongs_to, relation_enum = "User", from = "user_id", to = "id")]
    pub user: BelongsTo<super::user::Entity>,
}

impl ActiveModelBehavior for ActiveModel {}
