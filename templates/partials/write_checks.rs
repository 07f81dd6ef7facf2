{# The statements of a body's `check_writes` over `write_checks` (guarded fields), `caller` in scope: a field may hold what a new row holds anyway, anything else needs a caller who may set it. #}¶
{% for f in write_checks %}¶
{% if f.owner %}¶
        let owner = self.{{ f.ident }};
        if owner.is_some() && owner != caller.map(|caller| caller.id) {
{% else if f.has_default %}¶
        let default = {{ f.default_fn }}();
        if self.{{ f.ident }} != default {
{% else %}¶
        if self.{{ f.ident }}.is_some() {
{% endif %}¶
            may_write(caller, UserRole::{{ f.writable_role() }}, {{ crate::names::rust_string_literal(f.name.as_str()) }})?;
        }
{% endfor %}¶
{# end #}¶
