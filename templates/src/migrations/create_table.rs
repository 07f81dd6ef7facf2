// {{ header }} Do not edit: change apigen.toml, and apigen adds a new migration.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
{% if r.has_decimal() %}¶

use super::exact_decimal;
{% endif %}¶

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
{% if r.has_decimal() %}¶
        let backend = manager.get_database_backend();
{% endif %}¶
        let table = Table::create()
            .table("{{ r.plural }}")
            .col(big_pk_auto("id"))
{% for f in r.fields %}¶
            .col({{ f.column_expr }})
{% endfor %}¶
{% if r.timestamps %}¶
            .col(timestamp_with_time_zone("created_at"))
            .col(timestamp_with_time_zone("updated_at"))
{% endif %}¶
{% if r.soft_delete %}¶
            .col(timestamp_with_time_zone_null("deleted_at"))
{% endif %}¶
{% for rel in r.relations() %}¶
            .foreign_key(
                ForeignKey::create()
                    .name("{{ rel.constraint }}")
                    .from("{{ r.plural }}", "{{ rel.column }}")
                    .to("{{ rel.target_table }}", "id")
                    .on_delete(ForeignKeyAction::{{ rel.on_delete }}),
            )
{% endfor %}¶
            .to_owned();
        manager.create_table(table).await?;
{% for index in r.indexes() %}¶
        let index = Index::create()
            .name("{{ index.name }}")
            .table("{{ r.plural }}")
            .col("{{ index.column }}")
{% if index.unique %}¶
            .unique()
{% endif %}¶
            .to_owned();
        manager.create_index(index).await?;
{% endfor %}¶
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let table = Table::drop().table("{{ r.plural }}").to_owned();
        manager.drop_table(table).await
    }
}
