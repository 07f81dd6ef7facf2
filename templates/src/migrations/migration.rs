// Yours, written once by apigen when apigen.toml changed the database: apigen never
// rewrites it, and a later change gets a migration of its own.
{% for line in m.summary %}¶
//! {{ line }}
{% endfor %}¶
{% for line in m.uses %}¶
{{ line }}
{% endfor %}¶

use super::kit;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, {{ m.up_manager() }}: &SchemaManager) -> Result<(), DbErr> {
{{ m.up }}
    }

    async fn down(&self, {{ m.down_manager() }}: &SchemaManager) -> Result<(), DbErr> {
{{ m.down }}
    }
}
{{ m.defs }}
