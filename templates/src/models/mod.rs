// {{ header }}
// Do not edit: change apigen.toml instead.
//! Request and response bodies, one file per resource, with their rules.
{% for module in plan.sorted_modules() %}¶
pub mod {{ module }};
{% endfor %}¶
