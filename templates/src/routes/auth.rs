// {{ header }}
// Do not edit: change [auth] in apigen.toml, or use src/hooks/user.rs.
{% if plan.registration_open() %}¶
//! Registration, login, refresh, logout, the caller's sessions and their own user.
{% else %}¶
//! Login, refresh, logout, the caller's sessions and their own user. Registration is
//! closed (`[auth] registration = "closed"`): users are created with the binary's
//! `create-user`, or by a route of yours.
{% endif %}¶
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, IntoActiveModel};
use sea_orm::{QueryFilter, QueryOrder, QuerySelect};
use utoipa::OpenApi;

{% if plan.registration_open() %}¶
use super::{Created, finish};
{% else %}¶
use super::finish;
{% endif %}¶
use crate::app::AppState;
use crate::auth::{self, Caller, Tokens};
use crate::entities::{auth_session, user};
use crate::error::{ApiError, ApiResult};
use crate::extract::{self, Id};
use crate::hooks::Hooks;
use crate::hooks::user::UserHooks;
use crate::middleware::ClientAddr;
use crate::models::user::{AuthSession, AuthSessionList, ChangePassword, LoggedIn, Login};
{% if plan.registration_open() %}¶
use crate::models::user::{Refresh, RegisterUser, User, set_password};
{% else %}¶
use crate::models::user::{Refresh, User, set_password};
{% endif %}¶
use crate::validation::FieldError;

{% if plan.registration_open() %}¶
const REGISTER_PATH: &str = "/auth/register";
{% endif %}¶
const LOGIN_PATH: &str = "/auth/login";
const REFRESH_PATH: &str = "/auth/refresh";
const LOGOUT_PATH: &str = "/auth/logout";
const PASSWORD_PATH: &str = "/auth/password";
const SESSIONS_PATH: &str = "/auth/sessions";
const SESSION_PATH: &str = "/auth/sessions/{id}";
const ME_PATH: &str = "/auth/me";
{% if plan.registration_open() %}¶
/// Where a user's row is answered.
const USERS_PATH: &str = "/users";
{% endif %}¶

/// The OpenAPI description of these routes, merged into the document by `crate::openapi`.
#[derive(OpenApi)]
{% if plan.registration_open() %}¶
#[openapi(paths(register, login, refresh, logout, sessions, end_session, change_password, me))]
{% else %}¶
#[openapi(paths(login, refresh, logout, sessions, end_session, change_password, me))]
{% endif %}¶
pub(crate) struct Api;

/// Every route under `/auth`: the user's own account and login sessions.
pub fn router() -> Router<AppState> {
    Router::new()
{% if plan.registration_open() %}¶
        .route(REGISTER_PATH, post(register))
{% endif %}¶
        .route(LOGIN_PATH, post(login))
        .route(REFRESH_PATH, post(refresh))
        .route(LOGOUT_PATH, post(logout))
        .route(SESSIONS_PATH, get(sessions))
        .route(SESSION_PATH, delete(end_session))
        .route(PASSWORD_PATH, post(change_password))
        .route(ME_PATH, get(me))
}

{% if plan.registration_open() %}¶
/// Creates a user with the first role; 409 naming `email` when it is taken. Counted
/// like a login (429 past the limit), and a taken email is found before the slow hash.
{{ crate::render::path_attr(plan.auth_operation("register").as_ref())? }}
async fn register(
    State(state): State<AppState>,
    client: ClientAddr,
    extract::Json(input): extract::Json<RegisterUser>,
) -> ApiResult<Created<User>> {
    state.auth.limit_registration(client)?;
    input.validate()?;
{% if let Some(user) = plan.user() %}¶
{% if !user.create_write_checks().is_empty() %}¶
    input.check_writes()?;
{% endif %}¶
{% endif %}¶
    let by_email = user::Column::Email.eq(input.email.to_lowercase());
    if user::Entity::find().filter(by_email).one(&state.db).await?.is_some() {
        let error = FieldError::new("email", "unique", "is already taken");
        return Err(ApiError::conflict("email is already taken", vec![error]));
    }
    let password_hash = state.auth.hash(input.password.clone()).await?;
    let txn = super::begin(&state.db).await?;
    let result = insert(&txn, input.into_active_model(password_hash)).await;
    let model = finish(txn, result).await?;
    Ok(Created {
        location: format!("{{ plan.base_path }}{USERS_PATH}/{}", model.id),
        body: User::from(model),
    })
}

async fn insert(txn: &DatabaseTransaction, mut row: user::ActiveModel) -> ApiResult<user::Model> {
    // A registration has no caller.
    UserHooks::before_create_as(txn, None, &mut row).await?;
    let model = row.insert(txn).await?;
    UserHooks::after_create_as(txn, None, &model).await?;
    Ok(model)
}
{% endif %}¶

/// A token for the user with this email and password, in a new login session. An
/// unknown email and a wrong password get the same 401, after the same work.
{{ crate::render::path_attr(plan.auth_operation("login").as_ref())? }}
async fn login(
    State(state): State<AppState>,
    client: ClientAddr,
    extract::Json(input): extract::Json<Login>,
) -> ApiResult<Json<LoggedIn>> {
    state.auth.limit_login(client, &input.email)?;
    if input.password.is_too_long() {
        return Err(ApiError::bad_credentials());
    }
    let by_email = user::Column::Email.eq(input.email.to_lowercase());
    let found = user::Entity::find().filter(by_email).one(&state.db).await?;
    let hash = found.as_ref().map(|user| user.password_hash.clone());
    let matches = state.auth.verify(input.password, hash).await?;
    let Some(user) = found.filter(|_| matches) else {
        return Err(ApiError::bad_credentials());
    };
    let tokens = state.auth.start_session(&state.db, &user).await?;
    Ok(Json(logged_in(tokens, user)))
}

/// New tokens for a refresh token, which is spent: the session goes on for
/// `REFRESH_TTL_DAYS` more. A refresh token spent before ends its session (it was
/// copied): 401, as for a token no session holds.
{{ crate::render::path_attr(plan.auth_operation("refresh").as_ref())? }}
async fn refresh(
    State(state): State<AppState>,
    extract::Json(input): extract::Json<Refresh>,
) -> ApiResult<Json<LoggedIn>> {
    let (tokens, user) = state.auth.refresh(&state.db, &input.refresh_token).await?;
    Ok(Json(logged_in(tokens, user)))
}

fn logged_in(tokens: Tokens, user: user::Model) -> LoggedIn {
    LoggedIn {
        token: tokens.access.token,
        token_type: "Bearer",
        expires_at: tokens.access.expires_at,
        refresh_token: tokens.refresh.expose(),
        user: User::from(user),
    }
}

/// Ends the caller's login session: the token it was called with is refused from now
/// on. The user's other sessions (other devices) go on.
{{ crate::render::path_attr(plan.auth_operation("logout").as_ref())? }}
async fn logout(State(state): State<AppState>, caller: Caller) -> ApiResult<StatusCode> {
    auth_session::Entity::delete_by_id(caller.session)
        .exec(&state.db)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The caller's login sessions, newest first: one per device or client logged in.
{{ crate::render::path_attr(plan.auth_operation("sessions").as_ref())? }}
async fn sessions(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<AuthSessionList>> {
    let rows = auth_session::Entity::find()
        .filter(auth_session::Column::UserId.eq(caller.id))
        .order_by_desc(auth_session::Column::Id)
        .limit(crate::auth::MAX_SESSIONS_PER_USER as u64)
        .all(&state.db)
        .await?;
    let sessions = rows
        .into_iter()
        .map(|row| AuthSession {
            id: row.id,
            created_at: row.created_at.into(),
            refreshed_at: row.refreshed_at.into(),
            expires_at: row.expires_at.into(),
            current: row.id == caller.session,
        })
        .collect();
    Ok(Json(AuthSessionList { sessions }))
}

/// Ends one of the caller's sessions (a lost phone's): its tokens are refused from now
/// on. 404 for a session that is not the caller's.
{{ crate::render::path_attr(plan.auth_operation("end_session").as_ref())? }}
async fn end_session(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
) -> ApiResult<StatusCode> {
    let ended = auth_session::Entity::delete_many()
        .filter(auth_session::Column::Id.eq(id))
        .filter(auth_session::Column::UserId.eq(caller.id))
        .exec(&state.db)
        .await?;
    if ended.rows_affected == 0 {
        return Err(ApiError::not_found());
    }
    Ok(StatusCode::NO_CONTENT)
}

/// Changes the caller's password. `current_password` must be theirs: a 422 naming it
/// otherwise, counted like a login of theirs (429 past the limit). Every other session of
/// the user ends; this one goes on, with the new tokens of the answer (the token sent
/// carries the old password's stamp and is refused from now on).
{{ crate::render::path_attr(plan.auth_operation("change_password").as_ref())? }}
async fn change_password(
    State(state): State<AppState>,
    client: ClientAddr,
    caller: Caller,
    extract::Json(input): extract::Json<ChangePassword>,
) -> ApiResult<Json<LoggedIn>> {
    input.validate()?;
    let found = user::Entity::find_by_id(caller.id).one(&state.db).await?;
    let found = found.ok_or_else(ApiError::unauthorized)?;
    state.auth.limit_login(client, &found.email)?;
    let current = (!input.current_password.is_too_long()).then(|| found.password_hash.clone());
    if !state.auth.verify(input.current_password, current).await? {
        let error = FieldError::new("current_password", "mismatch", "is not your password");
        return Err(ApiError::invalid(vec![error]));
    }
    let password_hash = state.auth.hash(input.new_password).await?;
    let txn = super::begin(&state.db).await?;
    let result = save_password(&state, &txn, &caller, found, password_hash).await;
    let (tokens, user) = finish(txn, result).await?;
    Ok(Json(logged_in(tokens, user)))
}

/// Saves the new hash through the user's update hooks, ends the user's other sessions
/// and renews the caller's.
async fn save_password(
    state: &AppState,
    txn: &DatabaseTransaction,
    caller: &Caller,
    found: user::Model,
    password_hash: String,
) -> ApiResult<(Tokens, user::Model)> {
    let mut row = found.into_active_model();
    set_password(&mut row, Some(password_hash));
    UserHooks::before_update_as(txn, Some(caller), &mut row).await?;
    let user = row.update(txn).await?;
    auth::end_other_sessions(txn, user.id, Some(caller)).await?;
    UserHooks::after_update_as(txn, Some(caller), &user).await?;
    let tokens = state.auth.renew(txn, caller.session, &user).await?;
    Ok((tokens, user))
}

/// The caller's own user.
{{ crate::render::path_attr(plan.auth_operation("me").as_ref())? }}
async fn me(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<User>> {
    let user = user::Entity::find_by_id(caller.id).one(&state.db).await?;
    let user = user.ok_or_else(ApiError::unauthorized)?;
    Ok(Json(User::from(user)))
}
