{# The `use` lines of resource `r`'s model file: its own, then the prelude. #}¶
{% if r.has_pattern %}¶
use std::sync::LazyLock;

{% endif %}¶
{% for item in r.model_external_uses() %}¶
{{ crate::layout::use_item(item) }}
{% if loop.last %}¶

{% endif %}¶
{% endfor %}¶
{% if r.is_user %}¶
use crate::auth::Password;
{% endif %}¶
{% for item in r.model_uses() %}¶
{{ crate::layout::use_item(item) }}
{% endfor %}¶
use crate::prelude::*;
{# end #}¶
