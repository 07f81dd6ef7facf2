{# The statements of `up` or `down` (`block`, a `migrate::code::Block`), then `Ok(())`. #}¶
{% if block.backend %}¶
        let backend = manager.get_database_backend();
{% endif %}¶
{% for statement in block.statements %}¶
{% if let Some(call) = statement.as_call() %}¶
        {{ call.function }}({{ call.args|join(", ") }}).await?;
{% else if let Some((sqlite, other)) = statement.as_branch() %}¶
        if backend == DbBackend::Sqlite {
{% for call in sqlite %}¶
            {{ call.function }}({{ call.args|join(", ") }}).await?;
{% endfor %}¶
{% if other.is_empty() %}¶
        }
{% else %}¶
        } else {
{% for call in other %}¶
            {{ call.function }}({{ call.args|join(", ") }}).await?;
{% endfor %}¶
        }
{% endif %}¶
{% endif %}¶
{% endfor %}¶
        Ok(())
{# end #}¶
