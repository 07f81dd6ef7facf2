// {{ header }} Do not edit: change apigen.toml, and apigen adds a new migration.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let table = Table::create()
            .table("{{ j.table }}")
            .col(big_integer("{{ j.left_column }}"))
            .col(big_integer("{{ j.right_column }}"))
            {{ j.primary_key() }}
            .foreign_key(
                ForeignKey::create()
                    .name("{{ j.table }}_{{ j.left_column }}_fkey")
                    .from("{{ j.table }}", "{{ j.left_column }}")
                    .to("{{ j.left_table }}", "id")
                    .on_delete(ForeignKeyAction::Cascade),
            )
            .foreign_key(
                ForeignKey::create()
                    .name("{{ j.table }}_{{ j.right_column }}_fkey")
                    .from("{{ j.table }}", "{{ j.right_column }}")
                    .to("{{ j.right_table }}", "id")
                    .on_delete(ForeignKeyAction::Cascade),
            )
            .to_owned();
        manager.create_table(table).await?;
        let index = Index::create()
            .name("{{ j.table }}_{{ j.right_column }}_idx")
            .table("{{ j.table }}")
            .col("{{ j.right_column }}")
            .to_owned();
        manager.create_index(index).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let table = Table::drop().table("{{ j.table }}").to_owned();
        manager.drop_table(table).await
    }
}
