{# The PATCH half of a test that only some roles may set field `t.field`: `app`, `token`
   (a caller of the role below) and `id` (a row they may update) are in scope. #}¶
    let stored = app.get(&item(id)).await.body["{{ t.field }}"].clone();
    // Some rules give few sample values: draw until the value differs.
    let mut value = {{ crate::render::sample_call(t) }};
    for _ in 0..50 {
        if value != stored {
            break;
        }
        value = {{ crate::render::sample_call(t) }};
    }
    let change = json!({ "{{ t.field }}": value });
    let response = app.patch_as(&item(id), token, &change).await;
    response.assert_not_writable("{{ t.field }}");
    assert_eq!(app.get(&item(id)).await.body["{{ t.field }}"], stored);
    // Sent back as it is, the field changes nothing: a form may send every field.
    let same = json!({ "{{ t.field }}": stored });
    let response = app.patch_as(&item(id), token, &same).await;
    response.assert_status(StatusCode::OK);
    let (_, writer) = app.register_user(UserRole::{{ t.writer }}).await;
    let response = app.patch_as(&item(id), Some(&writer), &change).await;
    response.assert_status(StatusCode::OK);
    assert_eq!(response.body["{{ t.field }}"], value);
{# end #}¶
