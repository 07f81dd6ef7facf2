// {{ header }} Do not edit: change apigen.toml, and apigen adds a new migration.
//! Schema migrations, applied in order; `{{ plan.crate_name }} migrate up|down|status` runs them.
{% if plan.needs_decimal %}¶
use sea_orm::DbBackend;
{% endif %}¶
use sea_orm_migration::prelude::*;

{% for m in plan.migration_modules() %}¶
mod {{ m }};
{% endfor %}¶

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        {{ plan.migrations_vec() }}
    }
}
{% if plan.needs_decimal %}¶

/// An exact decimal column: `numeric` on PostgreSQL. SQLite would give a
/// `decimal` column numeric affinity and store floats; this declared type has
/// text affinity there, so the digits are kept as sent (see `crate::decimal`).
fn exact_decimal(backend: DbBackend, name: &'static str) -> ColumnDef {
    let mut column = ColumnDef::new(name);
    match backend {
        DbBackend::Sqlite => column.custom("decimal_text"),
        _ => column.decimal(),
    };
    column
}
{% endif %}¶
