// {{ header }}
// Do not edit: change [auth] in apigen.toml instead.
//! The login sessions of `[auth]`: a row per login, which its access tokens name (`sid`)
//! and its refresh token renews. A logout deletes it and so ends its tokens; deleting the
//! user deletes their sessions.
use sea_orm::entity::prelude::*;

use crate::datetime::DbDateTime;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "auth_sessions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub user_id: i64,
    /// The SHA-256 (hex) of the refresh token that renews the session: the token itself
    /// is never stored.
    #[sea_orm(unique)]
    pub refresh_hash: String,
    /// The SHA-256 of the refresh token spent last: presented again, it ends the session.
    pub previous_hash: Option<String>,
    pub created_at: DbDateTime,
    pub refreshed_at: DbDateTime,
    /// When the session ends unless it is refreshed before; ended sessions are deleted at
    /// their user's next login.
    pub expires_at: DbDateTime,
    #[sea_orm(belongs_to, relation_enum = "User", from = "user_id", to = "id")]
    pub user: BelongsTo<super::user::Entity>,
}

impl ActiveModelBehavior for ActiveModel {}
