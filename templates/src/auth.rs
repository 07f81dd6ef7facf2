// {{ header }}
// Do not edit: change [auth] in apigen.toml instead.
//! Authentication: passwords, tokens, the caller of a request, the access rules
//! of each route, and the login rate limit.
use std::fmt::{self, Write};
use std::hash::{BuildHasher, RandomState};
use std::marker::PhantomData;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::{Duration, Instant};

use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::{HeaderMap, header, request::Parts};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use sea_orm::prelude::DateTimeUtc;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveEnum, ActiveModelTrait, ActiveValue, ColumnTrait, Condition};
use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait, JoinType, QueryFilter};
use sea_orm::{QueryOrder, QuerySelect, RelationTrait};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tokio::sync::Semaphore;

use crate::app::AppState;
use crate::config::{Config, ConfigError, DEFAULT_REFRESH_TTL_DAYS};
use crate::datetime::DbDateTime;
use crate::entities::auth_session;
use crate::entities::user::{self, UserRole};
use crate::error::{ApiError, ApiResult};
use crate::middleware::{ClientAddr, RATE_WINDOW, RateLimit};
use crate::validation::Errors;

pub const MIN_PASSWORD_LENGTH: usize = 8;
/// Hashing cost grows with the password: the cap keeps it from being a lever.
pub const MAX_PASSWORD_LENGTH: usize = 128;
/// The clock skew allowed when checking `exp`.
const LEEWAY_SECONDS: u64 = 5;
/// The hash of a password nobody knows, with the default parameters: a login with
/// an unknown email verifies against it, so that it takes as long as a known one.
const DUMMY_HASH: &str = concat!(
    "$argon2id$v=19$m=19456,t=2,p=1$",
    "aCHPA4AUGBblOZQ9D7eHxQ$",
    "mjrPzBG8j73IaMAhqe601By8Y63LkxM1OHLa7ArFd+g",
);
/// No user has this id: a list scoped to an anonymous caller shows nothing.
const NOBODY: i64 = 0;
/// Password hashes (and checks) computed at once unless `PASSWORD_HASHES_AT_ONCE` says
/// otherwise. Each holds about 19 MiB (Argon2id's default `m=19456` KiB): four take
/// about 76 MiB, within the generated deployment's memory.
pub const DEFAULT_HASHES_AT_ONCE: NonZeroU32 = NonZeroU32::new(4).unwrap();
const SECONDS_A_DAY: u64 = 24 * 60 * 60;
/// The most login sessions a user keeps: a login past it ends their oldest.
pub const MAX_SESSIONS_PER_USER: usize = 20;
/// A refresh token is 64 hex digits: anything much longer is refused unhashed.
const MAX_REFRESH_TOKEN_LENGTH: usize = 128;
/// How long a request waits for a turn to hash before it is answered 503.
const HASH_WAIT: Duration = Duration::from_secs(2);

/// What authentication needs at run time: the token keys and the login rate limit.
pub struct Auth {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    ttl_seconds: u64,
    /// How long a session lasts without a refresh.
    refresh_ttl_seconds: u64,
    logins: RateLimit<Option<IpAddr>>,
    /// Login attempts per account, whatever the address they come from: keyed by a
    /// hash of the email (seeded at random), so that a long email costs no memory.
    account_logins: RateLimit<u64>,
    accounts: RandomState,
    registrations: RateLimit<Option<IpAddr>>,
    /// One permit per password hash computed at once: bounds their memory and CPU.
    hashing: Semaphore,
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Auth")
            .field("ttl_seconds", &self.ttl_seconds)
            .finish_non_exhaustive()
    }
}

/// The issuer (`iss`) and audience (`aud`) of every token: this API. A token another
/// API signed is refused here, even one signed with the same secret.
pub const TOKEN_ISSUER: &str = "{{ plan.crate_name }}";
pub const TOKEN_AUDIENCE: &str = "{{ plan.crate_name }}";

/// The claims of a token: HS256, signed with `JWT_SECRET`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Claims {
    /// The user's id, as a string (RFC 7519).
    pub sub: String,
    /// [`TOKEN_ISSUER`].
    pub iss: String,
    /// [`TOKEN_AUDIENCE`].
    pub aud: String,
    /// The role when the token was issued: once the user's role changes, the token
    /// is refused.
    pub role: UserRole,
    /// The salt of the user's password hash when the token was issued (see
    /// [`stamp_of`]): a new password ends every token issued before it.
    pub stamp: String,
    /// The login session (a row of `auth_sessions`) the token belongs to: a logout
    /// deletes the row, and the token is refused from then on.
    pub sid: i64,
    pub exp: u64,
    pub iat: u64,
}

/// An access token, as a login or a refresh issues it.
#[derive(Clone, Debug)]
pub struct Token {
    pub token: String,
    pub expires_at: DateTimeUtc,
}

/// What a login or a refresh gives: an access token and the refresh token that renews it.
#[derive(Debug)]
pub struct Tokens {
    pub access: Token,
    pub refresh: RefreshToken,
}

/// A refresh token: 32 random bytes in hex, answered once and stored only as its
/// SHA-256. Its `Debug` shows nothing of it.
pub struct RefreshToken(String);

impl RefreshToken {
    /// A new token, from the operating system's random source.
    pub fn new() -> ApiResult<Self> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(ApiError::internal)?;
        Ok(Self(hex(&bytes)))
    }

    /// The SHA-256 of the token, in hex: what `auth_sessions` holds.
    pub fn hash(&self) -> String {
        hash_token(&self.0)
    }

    /// The token itself, for the answer that hands it to its client.
    pub fn expose(self) -> String {
        self.0
    }
}

impl fmt::Debug for RefreshToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RefreshToken(..)")
    }
}

/// The SHA-256 of a refresh token, in hex.
fn hash_token(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        let _ = write!(out, "{byte:02x}");
    }
    out
}

/// Deletes session `id`, and answers the 401 its token gets (or the database's error).
async fn end_session(db: &DatabaseConnection, id: i64) -> ApiError {
    match auth_session::Entity::delete_by_id(id).exec(db).await {
        Ok(_) => ApiError::unauthorized(),
        Err(err) => err.into(),
    }
}

/// Deletes user `user_id`'s ended sessions, and their oldest past
/// [`MAX_SESSIONS_PER_USER`] - 1, to make room for one more.
async fn prune_sessions(db: &DatabaseConnection, user_id: i64) -> ApiResult<()> {
    let of_user = auth_session::Column::UserId.eq(user_id);
    let ended = auth_session::Column::ExpiresAt.lt(DbDateTime::now());
    auth_session::Entity::delete_many()
        .filter(of_user.clone())
        .filter(ended)
        .exec(db)
        .await?;
    let ids: Vec<i64> = auth_session::Entity::find()
        .select_only()
        .column(auth_session::Column::Id)
        .filter(of_user)
        .order_by_desc(auth_session::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let oldest: Vec<i64> = ids.into_iter().skip(MAX_SESSIONS_PER_USER - 1).collect();
    if !oldest.is_empty() {
        auth_session::Entity::delete_many()
            .filter(auth_session::Column::Id.is_in(oldest))
            .exec(db)
            .await?;
    }
    Ok(())
}

/// Ends every session of user `user_id` but the caller's own (when the caller is that
/// user): after a new password or a new role, the user's other devices log in again.
pub async fn end_other_sessions<C: ConnectionTrait>(
    db: &C,
    user_id: i64,
    caller: Option<&Caller>,
) -> ApiResult<()> {
    let mut others = auth_session::Entity::delete_many()
        .filter(auth_session::Column::UserId.eq(user_id));
    if let Some(caller) = caller.filter(|caller| caller.id == user_id) {
        others = others.filter(auth_session::Column::Id.ne(caller.session));
    }
    others.exec(db).await?;
    Ok(())
}

impl Auth {
    /// Keys from `secret`, tokens valid `token_ttl_minutes`, and `login_rate_limit`
    /// login attempts per minute and client address.
    pub fn new(secret: &[u8], token_ttl_minutes: NonZeroU32, login_rate_limit: NonZeroU32) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = LEEWAY_SECONDS;
        validation.set_required_spec_claims(&["exp", "sub", "iss", "aud"]);
        validation.set_issuer(&[TOKEN_ISSUER]);
        validation.set_audience(&[TOKEN_AUDIENCE]);
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            ttl_seconds: u64::from(token_ttl_minutes.get()) * 60,
            refresh_ttl_seconds: u64::from(DEFAULT_REFRESH_TTL_DAYS.get()) * SECONDS_A_DAY,
            logins: RateLimit::new(login_rate_limit.get(), RATE_WINDOW),
            account_logins: RateLimit::new(login_rate_limit.get(), RATE_WINDOW),
            accounts: RandomState::new(),
            registrations: RateLimit::new(login_rate_limit.get(), RATE_WINDOW),
            hashing: Semaphore::new(DEFAULT_HASHES_AT_ONCE.get() as usize),
        }
    }

    /// Sessions that last `days` without a refresh.
    pub fn with_refresh_ttl_days(mut self, days: NonZeroU32) -> Self {
        self.refresh_ttl_seconds = u64::from(days.get()) * SECONDS_A_DAY;
        self
    }

    /// At most `hashes` password hashes computed at once.
    pub fn with_hashes_at_once(mut self, hashes: NonZeroU32) -> Self {
        self.hashing = Semaphore::new(hashes.get() as usize);
        self
    }

    /// From the settings; refuses to go on without a `JWT_SECRET`.
    pub fn from_config(config: &Config) -> Result<Self, ConfigError> {
        let secret = config.require_jwt_secret()?;
        let (ttl, limit) = (config.token_ttl_minutes, config.login_rate_limit);
        Ok(Self::new(secret.as_bytes(), ttl, limit)
            .with_refresh_ttl_days(config.refresh_ttl_days)
            .with_hashes_at_once(config.hashes_at_once))
    }

    /// Starts a login session of `user`: a row of `auth_sessions`, its access token and
    /// its refresh token. The user's ended sessions are deleted, and past
    /// [`MAX_SESSIONS_PER_USER`] their oldest too.
    pub async fn start_session(
        &self,
        db: &DatabaseConnection,
        user: &user::Model,
    ) -> ApiResult<Tokens> {
        prune_sessions(db, user.id).await?;
        let refresh = RefreshToken::new()?;
        let now = DbDateTime::now();
        let session = auth_session::ActiveModel {
            user_id: ActiveValue::Set(user.id),
            refresh_hash: ActiveValue::Set(refresh.hash()),
            previous_hash: ActiveValue::Set(None),
            created_at: ActiveValue::Set(now),
            refreshed_at: ActiveValue::Set(now),
            expires_at: ActiveValue::Set(self.session_end()?),
            ..Default::default()
        };
        let session = session.insert(db).await?;
        let stamp = stamp_of(&user.password_hash);
        let access = self.issue(user.id, user.role, stamp, session.id)?;
        Ok(Tokens { access, refresh })
    }

    /// Renews the session that `presented` refreshes: a new access token and a new refresh
    /// token, and `presented` is spent. 401 for a token no live session holds. A spent
    /// token presented again means it was copied: the session ends (401), so neither its
    /// thief nor its owner can go on with it, and the owner logs in again.
    pub async fn refresh(
        &self,
        db: &DatabaseConnection,
        presented: &str,
    ) -> ApiResult<(Tokens, user::Model)> {
        if presented.len() > MAX_REFRESH_TOKEN_LENGTH {
            return Err(ApiError::unauthorized());
        }
        let hash = hash_token(presented);
        let held = Condition::any()
            .add(auth_session::Column::RefreshHash.eq(&hash))
            .add(auth_session::Column::PreviousHash.eq(&hash));
        let found = auth_session::Entity::find().filter(held).one(db).await?;
        let Some(session) = found else {
            return Err(ApiError::unauthorized());
        };
        if session.refresh_hash != hash {
            tracing::warn!(
                session = session.id,
                user = session.user_id,
                "a spent refresh token came back: its session is ended"
            );
            return Err(end_session(db, session.id).await);
        }
        if session.expires_at < DbDateTime::now() {
            return Err(end_session(db, session.id).await);
        }
        let user = user::Entity::find_by_id(session.user_id).one(db).await?;
        let user = user.ok_or_else(ApiError::unauthorized)?;
        match self.rotate(db, &session, &user).await? {
            Some(tokens) => Ok((tokens, user)),
            // Of two refreshes with one token, the second finds it spent.
            None => Err(end_session(db, session.id).await),
        }
    }

    /// New tokens for session `session` of `user` (the caller's, after a change that
    /// ends their access token: a new password): its refresh token is spent too.
    pub async fn renew<C: ConnectionTrait>(
        &self,
        db: &C,
        session: i64,
        user: &user::Model,
    ) -> ApiResult<Tokens> {
        let found = auth_session::Entity::find_by_id(session).one(db).await?;
        let found = found.ok_or_else(ApiError::unauthorized)?;
        let tokens = self.rotate(db, &found, user).await?;
        tokens.ok_or_else(ApiError::unauthorized)
    }

    /// Gives `session` a new refresh token (the one it held is spent, and starts its
    /// time again) and issues an access token of `user` in it. `None` when its refresh
    /// token changed since `session` was read: another refresh spent it first.
    async fn rotate<C: ConnectionTrait>(
        &self,
        db: &C,
        session: &auth_session::Model,
        user: &user::Model,
    ) -> ApiResult<Option<Tokens>> {
        let next = RefreshToken::new()?;
        let spent = session.refresh_hash.clone();
        let rotated = auth_session::Entity::update_many()
            .col_expr(auth_session::Column::RefreshHash, Expr::value(next.hash()))
            .col_expr(auth_session::Column::PreviousHash, Expr::value(spent))
            .col_expr(auth_session::Column::RefreshedAt, Expr::value(DbDateTime::now()))
            .col_expr(auth_session::Column::ExpiresAt, Expr::value(self.session_end()?))
            .filter(auth_session::Column::Id.eq(session.id))
            .filter(auth_session::Column::RefreshHash.eq(&session.refresh_hash))
            .exec(db)
            .await?;
        if rotated.rows_affected == 0 {
            return Ok(None);
        }
        let stamp = stamp_of(&user.password_hash);
        let access = self.issue(user.id, user.role, stamp, session.id)?;
        Ok(Some(Tokens {
            access,
            refresh: next,
        }))
    }

    /// When a session started or refreshed now ends, unless it is refreshed again.
    pub fn session_end(&self) -> ApiResult<DbDateTime> {
        let end = jsonwebtoken::get_current_timestamp() + self.refresh_ttl_seconds;
        time_of(end).map(DbDateTime)
    }

    /// A token for user `id` of `role`, whose password hash has the stamp `stamp`, in the
    /// login session `session`.
    pub fn issue(&self, id: i64, role: UserRole, stamp: &str, session: i64) -> ApiResult<Token> {
        let iat = jsonwebtoken::get_current_timestamp();
        let exp = iat + self.ttl_seconds;
        let claims = Claims {
            sub: id.to_string(),
            iss: TOKEN_ISSUER.to_owned(),
            aud: TOKEN_AUDIENCE.to_owned(),
            role,
            stamp: stamp.to_owned(),
            sid: session,
            exp,
            iat,
        };
        let header = Header::new(Algorithm::HS256);
        let token =
            jsonwebtoken::encode(&header, &claims, &self.encoding).map_err(ApiError::internal)?;
        let expires_at = time_of(exp)?;
        Ok(Token { token, expires_at })
    }

    /// The caller a token names: 401 unless it is valid, unexpired, names a user that
    /// still exists, with the role and the password they had when it was issued (a new
    /// role or a new password ends every older token of the user), and its session has
    /// not ended (by a logout, from another device, or at its end). One query, by the two
    /// primary keys.
    pub async fn authenticate(&self, db: &DatabaseConnection, token: &str) -> ApiResult<Caller> {
        let claims = self.claims(token)?;
        let id: i64 = claims.sub.parse().map_err(|_| ApiError::unauthorized())?;
        let user = user::Entity::find_by_id(id)
            .join(
                JoinType::InnerJoin,
                auth_session::Relation::User.def().rev(),
            )
            .filter(auth_session::Column::Id.eq(claims.sid))
            .filter(auth_session::Column::ExpiresAt.gt(DbDateTime::now()))
            .one(db)
            .await?;
        let Some(user) = user else {
            tracing::debug!("token refused: its user or its session is gone");
            return Err(ApiError::unauthorized());
        };
        if claims.role != user.role || claims.stamp != stamp_of(&user.password_hash) {
            tracing::debug!("token refused: issued before a new role or password");
            return Err(ApiError::unauthorized());
        }
        Ok(Caller {
            id: user.id,
            role: user.role,
            session: claims.sid,
        })
    }

    fn claims(&self, token: &str) -> ApiResult<Claims> {
        match jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation) {
            Ok(data) => Ok(data.claims),
            Err(err) => {
                tracing::debug!(error = %err, "token refused");
                Err(ApiError::unauthorized())
            }
        }
    }

    /// Counts a login attempt from `client` for the account `email`: 429 with
    /// `Retry-After` past the limit of either, so that guesses at one account's
    /// password spread over many addresses are bounded too.
    pub fn limit_login(&self, client: ClientAddr, email: &str) -> ApiResult<()> {
        let now = Instant::now();
        let too_many = |wait: Duration| ApiError::too_many_requests(wait.as_secs().max(1));
        self.logins.hit(&client.bucket(), now).map_err(too_many)?;
        let account = self.accounts.hash_one(email.to_lowercase());
        self.account_logins.hit(&account, now).map_err(too_many)
    }

    /// Counts a registration from `client`, under the login limit's count: 429 past it.
    pub fn limit_registration(&self, client: ClientAddr) -> ApiResult<()> {
        self.registrations
            .hit(&client.bucket(), Instant::now())
            .map_err(|wait| ApiError::too_many_requests(wait.as_secs().max(1)))
    }

    /// The Argon2id hash of `password`, once a hashing permit is free: 503 with
    /// `Retry-After` when none frees up within two seconds.
    pub async fn hash(&self, password: Password) -> ApiResult<String> {
        let _turn = self.hashing_turn().await?;
        hash_password(password).await
    }

    /// [`verify_password`], under the same bound as [`Self::hash`].
    pub async fn verify(&self, password: Password, hash: Option<String>) -> ApiResult<bool> {
        let _turn = self.hashing_turn().await?;
        verify_password(password, hash).await
    }

    async fn hashing_turn(&self) -> ApiResult<tokio::sync::SemaphorePermit<'_>> {
        match tokio::time::timeout(HASH_WAIT, self.hashing.acquire()).await {
            Ok(Ok(permit)) => Ok(permit),
            _ => Err(ApiError::busy()),
        }
    }
}

/// The point in time `seconds` after the Unix epoch.
fn time_of(seconds: u64) -> ApiResult<DateTimeUtc> {
    i64::try_from(seconds)
        .ok()
        .and_then(|seconds| DateTimeUtc::from_timestamp(seconds, 0))
        .ok_or_else(|| ApiError::internal("token expiry out of range"))
}

/// The user a request is made by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Caller {
    pub id: i64,
    pub role: UserRole,
    /// The login session the caller's token belongs to.
    pub session: i64,
}

impl Caller {
    /// 403 unless the caller has `role` or a more privileged one.
    pub fn require_role(&self, role: UserRole) -> ApiResult<()> {
        if self.role >= role {
            Ok(())
        } else {
            Err(ApiError::forbidden())
        }
    }

    /// The last role of `[auth]`: passes every rule.
    pub fn is_most_privileged(&self) -> bool {
        self.role == UserRole::LAST
    }

    /// Whether the caller may act on a row owned by `owner` (`None`: a resource
    /// without owner): their own rows, or any row for the most privileged role.
    pub fn owns(&self, owner: Option<i64>) -> bool {
        self.is_most_privileged() || owner == Some(self.id)
    }
}

/// 403 naming `field` unless the caller has `role` or a more privileged one: the least
/// role that may set the field (`writable` in apigen.toml). An anonymous caller (a
/// registration, a public create) is below every role.
pub fn may_write(caller: Option<&Caller>, role: UserRole, field: &str) -> ApiResult<()> {
    if caller.is_some_and(|caller| caller.role >= role) {
        return Ok(());
    }
    let who = if role == UserRole::LAST {
        role.to_value()
    } else {
        format!("{} and above", role.to_value())
    };
    Err(ApiError::not_writable(field, &who))
}

/// Whether a request changed a field of a row from its `stored` value: a field left
/// unset, or sent back as it is, is no change.
pub fn changes<V>(value: &ActiveValue<V>, stored: &V) -> bool
where
    V: PartialEq + Into<sea_orm::Value>,
{
    match value {
        ActiveValue::Set(value) | ActiveValue::Unchanged(value) => value != stored,
        ActiveValue::NotSet => false,
    }
}

/// 401 when the `Authorization` header is missing or invalid.
impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> ApiResult<Self> {
        let token = bearer(&parts.headers)?.ok_or_else(ApiError::unauthorized)?;
        state.auth.authenticate(&state.db, token).await
    }
}

/// `None` without an `Authorization` header; 401 when there is one that is invalid.
impl OptionalFromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> ApiResult<Option<Self>> {
        match bearer(&parts.headers)? {
            Some(token) => state.auth.authenticate(&state.db, token).await.map(Some),
            None => Ok(None),
        }
    }
}

/// The token of `Authorization: Bearer <token>`; 401 for any other form.
fn bearer(headers: &HeaderMap) -> ApiResult<Option<&str>> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let value = value.to_str().map_err(|_| ApiError::unauthorized())?;
    let Some((scheme, token)) = value.trim().split_once(' ') else {
        return Err(ApiError::unauthorized());
    };
    let token = token.trim();
    if !scheme.eq_ignore_ascii_case("bearer") || token.is_empty() {
        return Err(ApiError::unauthorized());
    }
    Ok(Some(token))
}

/// Who may call a route, from `access` in apigen.toml.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rule {
    /// Anyone; a token, when sent, must still be valid.
    Public,
    /// Any user.
    Authenticated,
    /// The user in the row's owner field, or the most privileged role.
    Owner,
    /// This role and every more privileged one.
    Role(UserRole),
}

impl Rule {
    /// Checks the caller before anything is read: 401 when the rule needs a user
    /// and there is none, 403 below the rule's role.
    pub fn admit(self, caller: Option<Caller>) -> ApiResult<Option<Caller>> {
        let needed = match self {
            Self::Public => return Ok(caller),
            Self::Authenticated | Self::Owner => None,
            Self::Role(role) => Some(role),
        };
        let caller = caller.ok_or_else(ApiError::unauthorized)?;
        if let Some(role) = needed {
            caller.require_role(role)?;
        }
        Ok(Some(caller))
    }

    /// Checks a row that `caller` asked for: under `owner`, 403 unless it is theirs.
    ///
    /// 403 rather than 404 for someone else's row: ids are sequential and not
    /// secret (a list's `total` counts rows too), so a 404 would hide little, and it
    /// would tell a client that sent the wrong token that the row is gone. A row the
    /// caller may not touch answers like a route their role may not call.
    pub fn admit_row(self, caller: Option<&Caller>, owner: Option<i64>) -> ApiResult<()> {
        if self != Self::Owner {
            return Ok(());
        }
        let caller = caller.ok_or_else(ApiError::unauthorized)?;
        if caller.owns(owner) {
            Ok(())
        } else {
            Err(ApiError::forbidden())
        }
    }
}

/// The rule of each operation on one resource.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Access {
    pub list: Rule,
    pub get: Rule,
    pub create: Rule,
    pub update: Rule,
    pub delete: Rule,
    /// The resource has an `owner` field.
    pub owned: bool,
}

impl Access {
    /// Whose rows a list shows: `None` for all of them, `Some(id)` for one user's.
    /// A list is scoped when the resource has an owner and reading a row needs it:
    /// nobody lists what they may not read. The most privileged role sees all.
    pub fn list_owner(&self, caller: Option<&Caller>) -> Option<i64> {
        let scoped = self.owned && (self.list == Rule::Owner || self.get == Rule::Owner);
        match caller {
            _ if !scoped => None,
            Some(caller) if caller.is_most_privileged() => None,
            Some(caller) => Some(caller.id),
            None => Some(NOBODY),
        }
    }
}

/// A resource whose routes are guarded by [`Access`] rules.
pub trait Guarded {
    const ACCESS: Access;
}

/// One operation of a resource: picks its rule out of [`Access`].
pub trait Operation {
    fn rule(access: &Access) -> Rule;
}

/// The operations, as types for [`Admitted`].
pub mod op {
    use super::{Access, Operation, Rule};

    pub struct List;
    pub struct Get;
    pub struct Create;
    pub struct Update;
    pub struct Delete;

    impl Operation for List {
        fn rule(access: &Access) -> Rule {
            access.list
        }
    }

    impl Operation for Get {
        fn rule(access: &Access) -> Rule {
            access.get
        }
    }

    impl Operation for Create {
        fn rule(access: &Access) -> Rule {
            access.create
        }
    }

    impl Operation for Update {
        fn rule(access: &Access) -> Rule {
            access.update
        }
    }

    impl Operation for Delete {
        fn rule(access: &Access) -> Rule {
            access.delete
        }
    }
}

/// The caller of operation `O` on resource `G`, admitted by its rule. As an
/// extractor it runs before the body is read and before any row is: 401 or 403
/// come first. The row-level part of `owner` is checked once the row is loaded.
pub struct Admitted<G, O>(pub Option<Caller>, pub PhantomData<fn() -> (G, O)>);

impl<G: Guarded, O: Operation> FromRequestParts<AppState> for Admitted<G, O> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> ApiResult<Self> {
        let caller =
            <Caller as OptionalFromRequestParts<AppState>>::from_request_parts(parts, state)
                .await?;
        let caller = O::rule(&G::ACCESS).admit(caller)?;
        Ok(Self(caller, PhantomData))
    }
}

/// The salt of a PHC password hash (`$argon2id$v=19$m=..,t=..,p=..$<salt>$<hash>`): new
/// with every password set, and no secret (unlike the hash, which a token never holds).
/// Tokens carry it, so that a new password ends every token issued before it.
pub fn stamp_of(password_hash: &str) -> &str {
    password_hash.split('$').nth(4).unwrap_or_default()
}

/// A password from a request body: `Debug` never shows it.
#[derive(Clone, Deserialize)]
#[serde(transparent)]
pub struct Password(String);

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(..)")
    }
}

impl Password {
    pub fn new(password: impl Into<String>) -> Self {
        Self(password.into())
    }

    /// Checks the password rules: 8 to 128 characters.
    pub fn check(&self, errors: &mut Errors, field: &str) {
        errors.min_length(field, &self.0, MIN_PASSWORD_LENGTH);
        errors.max_length(field, &self.0, MAX_PASSWORD_LENGTH);
    }

    /// Too long to be any user's password: refused without hashing it.
    pub fn is_too_long(&self) -> bool {
        self.0.chars().count() > MAX_PASSWORD_LENGTH
    }
}

/// The Argon2id PHC string of `password`, with a random salt from the OS. Hashing
/// is slow on purpose: it runs on a blocking thread.
///
/// Unbounded: the API's routes go through [`Auth::hash`], which bounds how many run at
/// once; `create-user` and the tests call this directly.
pub async fn hash_password(password: Password) -> ApiResult<String> {
    let hashed = tokio::task::spawn_blocking(move || argon2_hash(&password))
        .await
        .map_err(ApiError::internal)?;
    hashed.map_err(ApiError::internal)
}

/// Whether `password` matches the PHC string `hash`. Without a hash (an unknown
/// user) it verifies against a dummy one and answers `false`, taking as long.
pub async fn verify_password(password: Password, hash: Option<String>) -> ApiResult<bool> {
    let known = hash.is_some();
    let matches = tokio::task::spawn_blocking(move || argon2_verify(&password, hash))
        .await
        .map_err(ApiError::internal)?;
    Ok(known && matches)
}

fn argon2_hash(password: &Password) -> Result<String, argon2::password_hash::Error> {
    Argon2::default()
        .hash_password(password.0.as_bytes())
        .map(|hash| hash.to_string())
}

/// Verifies against [`DUMMY_HASH`] when there is no hash: as long, never a match.
fn argon2_verify(password: &Password, hash: Option<String>) -> bool {
    let hash = hash.unwrap_or_else(|| DUMMY_HASH.to_owned());
    Argon2::default()
        .verify_password(password.0.as_bytes(), hash.as_str())
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caller(role: UserRole) -> Caller {
        Caller {
            id: 7,
            role,
            session: 1,
        }
    }

    #[test]
    fn rules_admit_by_role() {
        let last = Rule::Role(UserRole::LAST);
        assert!(last.admit(Some(caller(UserRole::LAST))).is_ok());
        let first_admitted = last.admit(Some(caller(UserRole::FIRST))).is_ok();
        assert_eq!(first_admitted, UserRole::FIRST == UserRole::LAST);
        let first = Rule::Role(UserRole::FIRST);
        assert!(first.admit(Some(caller(UserRole::LAST))).is_ok());
        assert!(last.admit(None).is_err());
        assert!(Rule::Public.admit(None).is_ok());
        assert!(Rule::Authenticated.admit(None).is_err());
    }

    #[test]
    fn owner_rule_admits_the_owner_and_the_last_role() {
        let first = caller(UserRole::FIRST);
        assert!(Rule::Owner.admit_row(Some(&first), Some(7)).is_ok());
        let stranger_admitted = Rule::Owner.admit_row(Some(&first), Some(8)).is_ok();
        assert_eq!(stranger_admitted, UserRole::FIRST == UserRole::LAST);
        let last = caller(UserRole::LAST);
        assert!(Rule::Owner.admit_row(Some(&last), Some(8)).is_ok());
        assert!(Rule::Owner.admit_row(None, Some(7)).is_err());
    }

    #[tokio::test]
    async fn a_hash_waits_for_a_turn_then_answers_503() {
        let auth = Auth::new(&[1; 32], NonZeroU32::MIN, NonZeroU32::MIN)
            .with_hashes_at_once(NonZeroU32::MIN);
        let taken = auth.hashing.acquire().await;
        assert!(taken.is_ok());
        let busy = auth.hash(Password::new("correct horse")).await;
        let status = busy.err().map(|err| err.status());
        assert_eq!(status, Some(axum::http::StatusCode::SERVICE_UNAVAILABLE));
        drop(taken);
        assert!(auth.hash(Password::new("correct horse")).await.is_ok());
    }

    #[test]
    fn tokens_round_trip_and_refuse_other_secrets() {
        let ttl = NonZeroU32::MIN;
        let auth = Auth::new(&[1; 32], ttl, NonZeroU32::MIN);
        let other = Auth::new(&[2; 32], ttl, NonZeroU32::MIN);
        let token = auth
            .issue(42, UserRole::FIRST, "salt", 9)
            .map(|token| token.token);
        let token = token.unwrap_or_default();
        let claims = auth
            .claims(&token)
            .map(|claims| (claims.sub, claims.sid))
            .ok();
        assert_eq!(claims, Some(("42".to_owned(), 9)));
        assert!(other.claims(&token).is_err());
    }

    #[tokio::test]
    async fn passwords_hash_with_a_salt_and_verify() {
        let first = hash_password(Password::new("correct horse")).await.ok();
        let second = hash_password(Password::new("correct horse")).await.ok();
        assert_ne!(first, second);
        let good = verify_password(Password::new("correct horse"), first.clone()).await;
        assert!(matches!(good, Ok(true)));
        let bad = verify_password(Password::new("wrong horse"), first).await;
        assert!(matches!(bad, Ok(false)));
        let unknown = verify_password(Password::new("correct horse"), None).await;
        assert!(matches!(unknown, Ok(false)));
    }

    #[tokio::test]
    async fn the_dummy_hash_is_a_real_one() {
        let started = Instant::now();
        let parsed = argon2::PasswordHash::new(DUMMY_HASH);
        assert!(parsed.is_ok(), "DUMMY_HASH must be a PHC string");
        assert!(started.elapsed() < RATE_WINDOW);
    }
}
