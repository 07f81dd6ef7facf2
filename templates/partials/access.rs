{# The access rules of resource `r`, as the routes check them. #}¶
{% if let Some(access) = r.access %}¶
{{ crate::layout::doc_comment(r.access_doc().as_str(), 0) }}
const ACCESS: Access = Access {
    list: {{ access.list.expr }},
    get: {{ access.get.expr }},
    create: {{ access.create.expr }},
    update: {{ access.update.expr }},
    delete: {{ access.delete.expr }},
    owned: {{ r.owner.is_some() }},
};

impl Guarded for {{ r.module }}::Entity {
    const ACCESS: Access = ACCESS;
}

/// The caller of an operation, admitted by its rule before anything else runs.
type Allowed<O> = Admitted<{{ r.module }}::Entity, O>;
{% endif %}¶
