// {{ header }} Do not edit: change apigen.toml, and apigen adds a new migration.
//! Schema migrations, applied in order; `{{ plan.crate_name }} migrate up|down|status` runs them.
//! Each migration file is written once, when apigen.toml changes, and never again.
use sea_orm_migration::prelude::*;

pub mod kit;
{% for m in modules %}¶
mod {{ m }};
{% endfor %}¶

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        {{ migrations_vec() }}
    }
}
