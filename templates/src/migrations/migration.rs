// Yours, written once by apigen when apigen.toml changed the database: apigen never rewrites it, and a later change gets a migration of its own.
{% for line in m.summary %}¶
//! {{ line }}
{% endfor %}¶
{% if m.uses_backend_type %}¶
use sea_orm::DbBackend;
{% endif %}¶
use sea_orm_migration::prelude::*;
{% if m.uses_schema %}¶
use sea_orm_migration::schema::*;
{% endif %}¶

use super::kit;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
{{ m.up }}
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
{{ m.down }}
    }
}
{{ m.defs }}
