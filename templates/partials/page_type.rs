{# The page type of resource `r`'s lists, and its conversion from a `Listed` page. #}¶
{% if r.is_user %}¶
/// A page of users: what `GET {{ plan.base_path }}/users` answers.
{% else %}¶
{{ crate::layout::schema_doc(r.page_doc(plan.base_path.as_str()).as_str(), 0) }}
{% endif %}¶
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct {{ r.page_type() }} {
    pub data: Vec<{{ r.name }}>,
    /// The page number; `null` on a cursor page (`?after=`).
    pub page: Option<u64>,
    pub per_page: u64,
    /// The rows matching the filters, on all pages; `null` on a cursor page.
    pub total: Option<u64>,
    pub links: PageLinks,
}

impl From<Listed<{{ r.name }}>> for {{ r.page_type() }} {
    fn from(listed: Listed<{{ r.name }}>) -> Self {
        Self {
            data: listed.rows,
            page: listed.page,
            per_page: listed.per_page,
            total: listed.total,
            links: listed.links,
        }
    }
}
{# end #}¶
