{# The statements of a `validate` that check `checks` (`BodyCheck`), `errors` in scope. #}¶
{% for check in checks %}¶
{% let f = check.field %}¶
{% if check.patch %}¶
{% if !f.optional %}¶
        errors.not_null({{ crate::names::rust_string_literal(f.name.as_str()) }}, self.{{ f.ident }}.is_null());
{% endif %}¶
{% if !f.checks.is_empty() %}¶
        if let Some(value) = self.{{ f.ident }}.value() {
            {{ f.check_fn }}(&mut errors, value);
        }
{% endif %}¶
{% else if f.optional %}¶
        if let Some(value) = &self.{{ f.ident }} {
            {{ f.check_fn }}(&mut errors, value);
        }
{% else %}¶
        {{ f.check_fn }}(&mut errors, &self.{{ f.ident }});
{% endif %}¶
{% endfor %}¶
{# end #}¶
