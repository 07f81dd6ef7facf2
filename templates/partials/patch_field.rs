{# One field of a PATCH body: `f`, a FieldPlan. #}¶
{% if let Some(doc) = f.body_doc() %}¶
    {{ crate::layout::schema_doc(doc.as_str(), 4) }}
{% endif %}¶
{% if f.renamed() %}¶
    #[serde(rename = {{ crate::names::rust_string_literal(f.name.as_str()) }})]
{% endif %}¶
{% if let Some(attr) = crate::render::schema_attr(f, Body::Patch) %}¶
    {{ attr }}
{% endif %}¶
{% if f.readonly %}¶
    pub {{ f.ident }}: Option<ReadOnly>,
{% else %}¶
    #[serde(default)]
    pub {{ f.ident }}: Patch<{{ f.rust_type }}>,
{% endif %}¶
