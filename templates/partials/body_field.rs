{# One field of a create or replace body: `f`, a FieldPlan. #}¶
{% if let Some(doc) = f.body_doc() %}¶
    {{ crate::layout::schema_doc(doc.as_str(), 4) }}
{% endif %}¶
{% if f.renamed() %}¶
    #[serde(rename = {{ crate::names::rust_string_literal(f.name.as_str()) }})]
{% endif %}¶
{% if let Some(attr) = crate::render::schema_attr(f, Body::Create) %}¶
    {{ attr }}
{% endif %}¶
{% if f.readonly %}¶
    pub {{ f.ident }}: Option<ReadOnly>,
{% else if f.owner %}¶
    #[serde(default)]
    pub {{ f.ident }}: Option<i64>,
{% else %}¶
{% if f.has_default %}¶
    #[serde(default = "{{ f.default_fn }}")]
{% endif %}¶
    pub {{ f.ident }}: {{ f.full_type() }},
{% endif %}¶
