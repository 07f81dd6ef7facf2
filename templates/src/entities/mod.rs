// {{ header }}
// Do not edit: change apigen.toml instead.
//! The database tables, one SeaORM entity per resource and per many_to_many link.
{% for module in plan.sorted_entity_modules() %}¶
pub mod {{ module }};
{% endfor %}¶
