{# The access rules of resource `r`, as the routes check them. #}¶
{% if let Some(access) = r.access %}¶
{{ crate::layout::doc_comment(r.access_doc().as_str(), 0) }}
const ACCESS: Access = Access {
    list: {{ crate::render::rule(access.list.rule) }},
    get: {{ crate::render::rule(access.get.rule) }},
    create: {{ crate::render::rule(access.create.rule) }},
    update: {{ crate::render::rule(access.update.rule) }},
    delete: {{ crate::render::rule(access.delete.rule) }},
    owned: {{ r.owner.is_some() }},
};

impl Guarded for {{ r.module }}::Entity {
    const ACCESS: Access = ACCESS;
}

/// The caller of an operation, admitted by its rule before anything else runs.
type Allowed<O> = Admitted<{{ r.module }}::Entity, O>;
{% endif %}¶
