// {{ header }} Do not edit: set the limits in the environment (src/config.rs).
//! The layers around every route. A request meets them in this order: [`frame`] (its
//! request id, its log span and log line, the header limits, the security headers of
//! the answer), the panic guard, CORS, compression, then [`admit`] (the rate limit, the
//! declared body length and the timeout), and the body limit as the body arrives, in
//! the extractors. Two hand-written layers rather than one per concern: each layer
//! costs every request some work, and these run on every request.
use std::any::Any;
use std::collections::HashMap;
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::extract::{ConnectInfo, DefaultBodyLimit, FromRequestParts, Request, State};
use axum::http::{
    Extensions, HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header, request::Parts,
};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{NotForContentType, Predicate, SizeAbove};
use tower_http::cors::{AllowOrigin, CorsLayer};
use tracing::Instrument;

use crate::config::HttpConfig;
use crate::error::ApiError;

/// The header that carries a request's id, in and out.
pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");
/// The longest request id accepted from a client; a longer one is replaced.
const MAX_REQUEST_ID_LENGTH: usize = 128;
/// More headers than this answer 431 (hyper itself refuses more than 100).
const MAX_HEADERS: usize = 64;
/// Header names and values of a request, in bytes, at most.
const MAX_HEADER_BYTES: usize = 16 * 1024;
/// The window of every rate limit.
pub const RATE_WINDOW: Duration = Duration::from_secs(60);
/// Client addresses tracked at most; beyond, new clients share one window.
const MAX_TRACKED_CLIENTS: usize = 10_000;
/// Paths a platform polls: never rate limited.
const PROBES: [&str; 2] = ["/health", "/ready"];
/// What an answer of the API may load or embed: nothing (it is JSON). `/docs`, Swagger
/// UI's page, runs scripts and styles of its own and goes without.
const CONTENT_SECURITY_POLICY: HeaderValue =
    HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'");
/// Where Swagger UI is served.
const DOCS: &str = "/docs";
/// Answers shorter than this are sent as they are: compressing a row or a problem
/// costs more time than the few bytes it saves.
const MIN_COMPRESSED_BYTES: u64 = 1024;

/// Wraps `router` in every layer, set by `http`.
pub fn wrap(router: Router, http: &HttpConfig) -> Router {
    let limits = Arc::new(Limits {
        body: http.body_limit,
        timeout: http.request_timeout,
        rate: http
            .rate_limit
            .map(|limit| RateLimit::new(limit.get(), RATE_WINDOW)),
    });
    let mut router = router
        .layer(DefaultBodyLimit::max(http.body_limit))
        .layer(middleware::from_fn_with_state(limits, admit))
        .layer(CompressionLayer::new().compress_when(worth_compressing()));
    if !http.cors_origins.is_empty() {
        router = router.layer(cors(&http.cors_origins));
    }
    let hsts = http
        .hsts_max_age
        .and_then(|seconds| HeaderValue::from_str(&format!("max-age={seconds}")).ok());
    router
        .layer(CatchPanicLayer::custom(panicked))
        .layer(middleware::from_fn_with_state(Arc::new(Frame { hsts }), frame))
}

/// What [`frame`] adds to every answer besides the fixed headers.
struct Frame {
    /// `Strict-Transport-Security`, when `HSTS_MAX_AGE_SECS` is set.
    hsts: Option<HeaderValue>,
}

/// Compression for answers of at least [`MIN_COMPRESSED_BYTES`], images excepted.
fn worth_compressing() -> impl Predicate {
    SizeAbove::new(MIN_COMPRESSED_BYTES).and(NotForContentType::IMAGES)
}

/// The outer layer of every request:
/// - its id: the client's `X-Request-Id` when it is short and plain, a new UUID
///   otherwise; the answer carries it back;
/// - its span: every log line written while it is served carries its id, method and
///   path, and one line at the end gives the status and the time taken;
/// - 431 for a flood of headers;
/// - the security headers of every answer: no content sniffing, no framing, no
///   referrer, a Content-Security-Policy that allows nothing (but on `/docs`), HSTS when
///   set, and `Cache-Control: no-store` unless the answer is a cached public read. An
///   answer to a request with credentials is never stored.
async fn frame(State(extra): State<Arc<Frame>>, mut request: Request, next: Next) -> Response {
    let started = Instant::now();
    let id = request
        .headers()
        .get(&REQUEST_ID)
        .filter(|id| is_plain_id(id))
        .cloned()
        .unwrap_or_else(new_request_id);
    let span = tracing::info_span!(
        "request",
        request_id = id.to_str().unwrap_or_default(),
        method = %request.method(),
        path = request.uri().path(),
    );
    let authenticated = request.headers().contains_key(header::AUTHORIZATION);
    let path = request.uri().path();
    let docs = path == DOCS || path.strip_prefix(DOCS).is_some_and(|rest| rest.starts_with('/'));
    let mut response = match header_flood(request.headers()) {
        Some(problem) => span.in_scope(|| problem.into_response()),
        None => {
            request.headers_mut().insert(REQUEST_ID, id.clone());
            next.run(request).instrument(span.clone()).await
        }
    };
    secure(response.headers_mut(), authenticated);
    if !docs {
        let policy = CONTENT_SECURITY_POLICY;
        response.headers_mut().insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    if let Some(hsts) = &extra.hsts {
        let headers = response.headers_mut();
        headers.insert(header::STRICT_TRANSPORT_SECURITY, hsts.clone());
    }
    response.headers_mut().insert(REQUEST_ID, id);
    let status = response.status().as_u16();
    let elapsed_us = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX);
    span.in_scope(|| tracing::info!(status, elapsed_us, "answered"));
    response
}

fn is_plain_id(id: &HeaderValue) -> bool {
    let id = id.as_bytes();
    let plain = |byte: &u8| byte.is_ascii_alphanumeric() || b"-_.:".contains(byte);
    !id.is_empty() && id.len() <= MAX_REQUEST_ID_LENGTH && id.iter().all(plain)
}

fn new_request_id() -> HeaderValue {
    let id = uuid::Uuid::new_v4().to_string();
    HeaderValue::from_str(&id).unwrap_or(HeaderValue::from_static("unknown"))
}

/// A panic in a handler answers 500 like any other internal error.
fn panicked(_panic: Box<dyn Any + Send + 'static>) -> Response {
    ApiError::internal("a handler panicked").into_response()
}

/// The security headers of an answer (see [`frame`]).
fn secure(headers: &mut HeaderMap, authenticated: bool) {
    let nosniff = HeaderValue::from_static("nosniff");
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, nosniff);
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    let referrer = HeaderValue::from_static("no-referrer");
    headers.insert(header::REFERRER_POLICY, referrer);
    let no_store = HeaderValue::from_static("no-store");
    if authenticated {
        headers.insert(header::CACHE_CONTROL, no_store);
    } else {
        headers.entry(header::CACHE_CONTROL).or_insert(no_store);
    }
}

fn header_flood(headers: &HeaderMap) -> Option<ApiError> {
    let bytes: usize = headers
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len())
        .sum();
    if headers.len() <= MAX_HEADERS && bytes <= MAX_HEADER_BYTES {
        return None;
    }
    let detail = format!(
        "a request may carry at most {MAX_HEADERS} headers and {MAX_HEADER_BYTES} bytes of them"
    );
    let status = StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE;
    Some(ApiError::new(status, detail))
}

/// CORS for the listed origins only: browsers on other origins get no CORS headers.
fn cors(origins: &[String]) -> CorsLayer {
    let origins = origins
        .iter()
        .filter_map(|origin| HeaderValue::from_str(origin).ok());
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
        ])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::IF_NONE_MATCH,
            REQUEST_ID,
        ])
        .expose_headers([
            header::ETAG,
            header::LOCATION,
            header::RETRY_AFTER,
            REQUEST_ID,
        ])
        .max_age(Duration::from_secs(600))
}

/// What [`admit`] enforces, set by the environment.
struct Limits {
    /// `BODY_LIMIT_BYTES`.
    body: usize,
    /// `REQUEST_TIMEOUT_SECS`.
    timeout: Duration,
    /// `RATE_LIMIT` requests a minute per client, unless `off`.
    rate: Option<RateLimit>,
}

/// The inner layer of every request:
/// - 429 with `Retry-After` past `RATE_LIMIT` requests a minute from one client
///   (probes excepted);
/// - 413 at once for a body declared longer than `BODY_LIMIT_BYTES`, before any of it
///   is read; a body that does not declare its length is cut at the limit as it
///   arrives;
/// - 503 past `REQUEST_TIMEOUT_SECS`: the handler is dropped, and with it any
///   transaction it had open, which the database rolls back.
async fn admit(State(limits): State<Arc<Limits>>, request: Request, next: Next) -> Response {
    let probe = PROBES.contains(&request.uri().path());
    if let Some(rate) = limits.rate.as_ref().filter(|_| !probe) {
        let ClientAddr(client) = ClientAddr::of(request.extensions());
        if let Err(wait) = rate.hit(client, Instant::now()) {
            return ApiError::too_many_requests(wait.as_secs().max(1)).into_response();
        }
    }
    let declared = request.headers().get(header::CONTENT_LENGTH);
    let declared = declared.and_then(|length| length.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|length| length > limits.body as u64) {
        let detail = format!("the request body is larger than {} bytes", limits.body);
        return ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, detail).into_response();
    }
    match tokio::time::timeout(limits.timeout, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            let secs = limits.timeout.as_secs();
            tracing::warn!(timeout_secs = secs, "request timed out");
            let detail = format!("the request took longer than {secs} s");
            ApiError::new(StatusCode::SERVICE_UNAVAILABLE, detail)
                .with_header(header::RETRY_AFTER, HeaderValue::from_static("1"))
                .into_response()
        }
    }
}

/// HTTP caching of a public read (`cache` in apigen.toml): an `ETag` and
/// `Cache-Control: public, max-age=N` on 200 answers to requests without
/// credentials, and 304 when `If-None-Match` already holds the `ETag`.
pub async fn revalidate(State(max_age): State<u32>, request: Request, next: Next) -> Response {
    let anonymous = !request.headers().contains_key(header::AUTHORIZATION);
    let known = request.headers().get(header::IF_NONE_MATCH).cloned();
    let response = next.run(request).await;
    if !anonymous || response.status() != StatusCode::OK {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(bytes) => bytes,
        Err(err) => return ApiError::internal(err).into_response(),
    };
    let tag = etag(&bytes);
    let cache_control = format!("public, max-age={max_age}");
    parts.headers.insert(header::ETAG, tag.clone());
    if let Ok(value) = HeaderValue::from_str(&cache_control) {
        parts.headers.insert(header::CACHE_CONTROL, value);
    }
    let vary = HeaderValue::from_static("authorization");
    parts.headers.insert(header::VARY, vary);
    if known.is_some_and(|known| matches_etag(&known, &tag)) {
        parts.status = StatusCode::NOT_MODIFIED;
        parts.headers.remove(header::CONTENT_TYPE);
        parts.headers.remove(header::CONTENT_LENGTH);
        return Response::from_parts(parts, Body::empty());
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// A weak `ETag` (compression changes the bytes, not the meaning): the 64-bit
/// FNV-1a hash of the body, the same in every replica and every release.
fn etag(body: &[u8]) -> HeaderValue {
    let hash = body.iter().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    });
    let tag = format!("W/\"{hash:016x}\"");
    HeaderValue::from_str(&tag).unwrap_or(HeaderValue::from_static("W/\"\""))
}

/// Whether an `If-None-Match` list names `tag` (weak comparison), or is `*`.
fn matches_etag(known: &HeaderValue, tag: &HeaderValue) -> bool {
    let (Ok(known), Ok(tag)) = (known.to_str(), tag.to_str()) else {
        return false;
    };
    let opaque = |tag: &str| tag.trim().trim_start_matches("W/").to_owned();
    let tag = opaque(tag);
    known.trim() == "*" || known.split(',').any(|candidate| opaque(candidate) == tag)
}

/// The address a request comes from, when the server knows it (`ConnectInfo`).
/// Requests without one (tests sent with `oneshot`) share one rate-limit window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientAddr(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Infallible> {
        Ok(Self::of(&parts.extensions))
    }
}

impl ClientAddr {
    fn of(extensions: &Extensions) -> Self {
        let info = extensions.get::<ConnectInfo<SocketAddr>>();
        Self(info.map(|ConnectInfo(address)| address.ip()))
    }
}

/// A fixed window per client: `limit` hits per `window`.
pub struct RateLimit {
    limit: u32,
    window: Duration,
    clients: Mutex<HashMap<Option<IpAddr>, Window>>,
}

struct Window {
    start: Instant,
    hits: u32,
}

impl RateLimit {
    pub fn new(limit: u32, window: Duration) -> Self {
        Self {
            limit,
            window,
            clients: Mutex::default(),
        }
    }

    /// Counts a hit; `Err` holds how long to wait when it is one too many.
    pub fn hit(&self, client: Option<IpAddr>, now: Instant) -> Result<(), Duration> {
        let mut clients = self.clients.lock().unwrap_or_else(PoisonError::into_inner);
        if clients.len() >= MAX_TRACKED_CLIENTS {
            clients.retain(|_, window| now.duration_since(window.start) < self.window);
        }
        let tracked = clients.contains_key(&client) || clients.len() < MAX_TRACKED_CLIENTS;
        let key = if tracked { client } else { None };
        let window = clients.entry(key).or_insert(Window {
            start: now,
            hits: 0,
        });
        if now.duration_since(window.start) >= self.window {
            *window = Window {
                start: now,
                hits: 0,
            };
        }
        if window.hits >= self.limit {
            let elapsed = now.duration_since(window.start);
            return Err(self.window.saturating_sub(elapsed) + Duration::from_millis(999));
        }
        window.hits += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_limit_counts_per_window() {
        let limit = RateLimit::new(2, RATE_WINDOW);
        let start = Instant::now();
        let client = Some(IpAddr::from([127, 0, 0, 1]));
        assert!(limit.hit(client, start).is_ok());
        assert!(limit.hit(client, start).is_ok());
        let wait = limit.hit(client, start).err().map(|wait| wait.as_secs());
        assert_eq!(wait, Some(60));
        assert!(limit.hit(None, start).is_ok());
        assert!(limit.hit(client, start + RATE_WINDOW).is_ok());
    }

    #[test]
    fn etags_follow_the_body_and_match_weakly() {
        let tag = etag(b"[1,2]");
        assert_ne!(tag, etag(b"[1,3]"));
        assert_eq!(tag, etag(b"[1,2]"));
        let strong = tag.to_str().unwrap_or_default().replace("W/", "");
        let listed = HeaderValue::from_str(&format!("\"x\", {strong}")).ok();
        assert!(listed.is_some_and(|listed| matches_etag(&listed, &tag)));
        assert!(matches_etag(&HeaderValue::from_static("*"), &tag));
        assert!(!matches_etag(&HeaderValue::from_static("\"x\""), &tag));
    }

    #[test]
    fn request_ids_from_clients_must_be_plain() {
        assert!(is_plain_id(&HeaderValue::from_static("abc-123_x.y:z")));
        assert!(!is_plain_id(&HeaderValue::from_static("")));
        assert!(!is_plain_id(&HeaderValue::from_static("a b")));
        let long = "a".repeat(MAX_REQUEST_ID_LENGTH + 1);
        assert!(HeaderValue::from_str(&long).is_ok_and(|long| !is_plain_id(&long)));
    }
}
