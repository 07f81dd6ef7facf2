// {{ header }}
// Do not edit: change apigen.toml, and apigen adds a new migration.
//! Schema migrations, applied in order; `{{ plan.crate_name }} migrate up|down|status` runs them.
//! Each migration file is written once, when apigen.toml changes, and never again.
use sea_orm_migration::prelude::*;

pub mod kit;
{% for m in modules %}¶
mod {{ m }};
{% endfor %}¶

use sea_orm::DatabaseConnection;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        let migrations: Vec<Box<dyn MigrationTrait>> = {{ migrations_vec() }};
        // Each one in a transaction of its own, on every database.
        migrations.into_iter().map(kit::Atomic::boxed).collect()
    }
}

/// Applies `steps` pending migrations (all of them with `None`), each in one transaction.
/// `db` is one connection on SQLite (`db::migrator`): the foreign keys are off on it while
/// the migrations run, and each migration checks them before it commits.
pub async fn up(db: &DatabaseConnection, steps: Option<u32>) -> Result<(), DbErr> {
    kit::foreign_keys(db, false).await?;
    let applied = Migrator::up(db, steps).await;
    kit::foreign_keys(db, true).await?;
    applied
}

/// Rolls back the last `steps` migrations (all of them with `None`), as [`up`] applies them.
pub async fn down(db: &DatabaseConnection, steps: Option<u32>) -> Result<(), DbErr> {
    kit::foreign_keys(db, false).await?;
    let rolled_back = Migrator::down(db, steps).await;
    kit::foreign_keys(db, true).await?;
    rolled_back
}
