{# The body of a `validate` that runs `checks`, one statement per line. #}¶
{% if checks.is_empty() %}¶
        Ok(())
{% else %}¶
        let mut errors = Errors::new();
{% for line in checks %}¶
        {{ line }}
{% endfor %}¶
        errors.finish()
{% endif %}¶
{# end #}¶
