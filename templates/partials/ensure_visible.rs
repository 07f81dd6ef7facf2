{# The parent check of the lists nested under resource `r`. #}¶
/// 404 unless {{ r.a_words_lower() }} with this id is visible: the parent of a nested list.
pub(crate) async fn ensure_visible(db: &impl ConnectionTrait, id: i64) -> ApiResult<()> {
    let by_id = {{ r.module }}::Column::Id.eq(id);
    match visible().filter(by_id).one(db).await? {
        Some(_) => Ok(()),
        None => Err(ApiError::not_found()),
    }
}
{# end #}¶
