{# The body of a `validate` that runs `checks`, one statement per line. #}¶
{% if checks.is_empty() %}¶
        Ok(())
{% else %}¶
        let mut errors = Errors::new();
{% include "partials/checks.rs" %}¶
        errors.finish()
{% endif %}¶
{# end #}¶
