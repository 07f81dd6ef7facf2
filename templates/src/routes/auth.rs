// {{ header }} Do not edit: change [auth] in apigen.toml, or use src/hooks/user.rs.
{% if plan.registration_open() %}¶
//! Registration, login, logout and the caller's own user.
{% else %}¶
//! Login, logout and the caller's own user. Registration is closed (`[auth] registration =
//! "closed"`): users are created with the binary's `create-user`, or by a route of yours.
{% endif %}¶
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
{% if plan.registration_open() %}¶
use sea_orm::TransactionTrait;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter};
{% else %}¶
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
{% endif %}¶
use utoipa::OpenApi;

{% if plan.registration_open() %}¶
use super::{Created, finish};
use crate::app::AppState;
use crate::auth::Caller;
{% else %}¶
use crate::app::AppState;
use crate::auth::Caller;
{% endif %}¶
use crate::entities::{auth_session, user};
use crate::error::{ApiError, ApiResult};
use crate::extract;
{% if plan.registration_open() %}¶
use crate::hooks::Hooks;
use crate::hooks::user::UserHooks;
{% endif %}¶
use crate::middleware::ClientAddr;
{% if plan.registration_open() %}¶
use crate::models::user::{LoggedIn, Login, RegisterUser, User};
use crate::validation::FieldError;

const REGISTER_PATH: &str = "/auth/register";
{% else %}¶
use crate::models::user::{LoggedIn, Login, User};

{% endif %}¶
const LOGIN_PATH: &str = "/auth/login";
const LOGOUT_PATH: &str = "/auth/logout";
const ME_PATH: &str = "/auth/me";
{% if plan.registration_open() %}¶
/// Where a user's row is answered.
const USERS_PATH: &str = "/users";

/// The OpenAPI description of these routes, merged into the document by `crate::openapi`.
#[derive(OpenApi)]
#[openapi(paths(register, login, logout, me))]
pub(crate) struct Api;

/// `POST /auth/register`, `POST /auth/login`, `POST /auth/logout`, `GET /auth/me`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(REGISTER_PATH, post(register))
        .route(LOGIN_PATH, post(login))
        .route(LOGOUT_PATH, post(logout))
        .route(ME_PATH, get(me))
}

/// Creates a user with the first role; 409 naming `email` when it is taken. Counted
/// like a login (429 past the limit), and a taken email is found before the slow hash.
{{ plan.auth_operation_attr("register") }}
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
    let txn = state.db.begin().await?;
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
{% else %}¶

/// The OpenAPI description of these routes, merged into the document by `crate::openapi`.
#[derive(OpenApi)]
#[openapi(paths(login, logout, me))]
pub(crate) struct Api;

/// `POST /auth/login`, `POST /auth/logout`, `GET /auth/me`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(LOGIN_PATH, post(login))
        .route(LOGOUT_PATH, post(logout))
        .route(ME_PATH, get(me))
}
{% endif %}¶

/// A token for the user with this email and password, in a new login session. An
/// unknown email and a wrong password get the same 401, after the same work.
{{ plan.auth_operation_attr("login") }}
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
    let token = state.auth.start_session(&state.db, &user).await?;
    Ok(Json(LoggedIn {
        token: token.token,
        token_type: "Bearer",
        expires_at: token.expires_at,
        user: User::from(user),
    }))
}

/// Ends the caller's login session: the token it was called with is refused from now
/// on. The user's other sessions (other devices) go on.
{{ plan.auth_operation_attr("logout") }}
async fn logout(State(state): State<AppState>, caller: Caller) -> ApiResult<StatusCode> {
    auth_session::Entity::delete_by_id(caller.session)
        .exec(&state.db)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The caller's own user.
{{ plan.auth_operation_attr("me") }}
async fn me(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<User>> {
    let user = user::Entity::find_by_id(caller.id).one(&state.db).await?;
    let user = user.ok_or_else(ApiError::unauthorized)?;
    Ok(Json(User::from(user)))
}
