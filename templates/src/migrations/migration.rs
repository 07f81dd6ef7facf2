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
{% let block = m.up %}¶
{% include "partials/migration_block.rs" %}¶
    }

    async fn down(&self, {{ m.down_manager() }}: &SchemaManager) -> Result<(), DbErr> {
{% let block = m.down %}¶
{% include "partials/migration_block.rs" %}¶
    }
}
{% for def in m.defs %}¶

/// `{{ def.table }}` as this migration {{ def.verb }} it.
{% if def.backend %}¶
fn {{ def.function }}(backend: DbBackend) -> kit::TableDef {
{% else %}¶
fn {{ def.function }}() -> kit::TableDef {
{% endif %}¶
    let table = Table::create()
        .table({{ crate::names::rust_string_literal(def.table) }})
{% if let Some((left, right)) = def.key %}¶
        .col(big_integer({{ crate::names::rust_string_literal(left) }}))
        .col(big_integer({{ crate::names::rust_string_literal(right) }}))
        .primary_key(
            Index::create()
                .col({{ crate::names::rust_string_literal(left) }})
                .col({{ crate::names::rust_string_literal(right) }}),
        )
{% else %}¶
        .col(big_pk_auto("id"))
{% endif %}¶
{% for column in def.columns %}¶
        .col({{ crate::migrate::column_def(column) }})
{% endfor %}¶
{% for key in def.foreign_keys %}¶
        .foreign_key(
            ForeignKey::create()
                .name({{ crate::names::rust_string_literal(key.name) }})
                .from({{ crate::names::rust_string_literal(def.table) }}, {{ crate::names::rust_string_literal(key.column) }})
                .to({{ crate::names::rust_string_literal(key.target) }}, "id")
                .on_delete(ForeignKeyAction::{{ key.action }}),
        )
{% endfor %}¶
        .to_owned();
{% if def.indexes.is_empty() %}¶
    kit::TableDef::new({{ crate::names::rust_string_literal(def.table) }}, table)
{% else %}¶
    let mut def = kit::TableDef::new({{ crate::names::rust_string_literal(def.table) }}, table);
{% for index in def.indexes %}¶
    def.index({{ crate::names::rust_string_literal(index.name) }}, {{ crate::names::rust_string_literal(index.column) }}, {{ index.unique }});
{% endfor %}¶
    def
{% endif %}¶
}
{% endfor %}¶
