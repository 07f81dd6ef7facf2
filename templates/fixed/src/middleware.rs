// Do not edit: set the limits in the environment (src/config.rs).
//! The layers around every route. A request meets them in this order: [`frame`] (its
//! request id, its log span and log line, the header limits, the security headers of
//! the answer), the panic guard, CORS, compression, then [`admit`] (the rate limit, the
//! declared body length and the timeout), and the body limit as the body arrives, in
//! the extractors. Two hand-written layers rather than one per concern: each layer
//! costs every request some work, and these run on every request.
use std::any::Any;
use std::collections::{HashMap, VecDeque};
use std::convert::Infallible;
use std::hash::{BuildHasher, Hash, RandomState};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::str::FromStr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::{ConnectInfo, DefaultBodyLimit, FromRequestParts, Request, State};
use axum::http::{
    Extensions, HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header, request::Parts,
};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::{BoxError, Router};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{NotForContentType, Predicate, SizeAbove};
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_layer::Layer;
use tower_service::Service;
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
/// Windows a rate limit tracks at most (clients, or accounts for the login limit); when
/// it is full, the window that started first makes room: no two clients ever share one.
const MAX_TRACKED_CLIENTS: usize = 16_384;
/// Each rate limit splits its windows among this many tables, each with its own lock.
const RATE_SHARDS: usize = 16;
/// An IPv6 client is counted by its /64 network: one host often holds all of it.
const IPV6_CLIENT_PREFIX: u8 = 64;
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

/// Wraps `router` in every layer, set by `http`. The layers go around the whole router
/// once, not around each route (as `Router::layer` puts them): each request then clones
/// and boxes one stack of layers instead of one per route and per layer.
pub fn wrap(router: Router, http: &HttpConfig) -> Router {
    let limits = Arc::new(Limits {
        body: http.body_limit,
        timeout: http.request_timeout,
        rate: http
            .rate_limit
            .map(|limit| RateLimit::new(limit.get(), RATE_WINDOW)),
        trusted_proxies: http.trusted_proxies.clone(),
    });
    let service = DefaultBodyLimit::max(http.body_limit).layer(router);
    let service = middleware::from_fn_with_state(limits, admit).layer(service);
    let service = CompressionLayer::new()
        .compress_when(worth_compressing())
        .layer(service);
    let hsts = http
        .hsts_max_age
        .and_then(|seconds| HeaderValue::from_str(&format!("max-age={seconds}")).ok());
    let extra = Arc::new(Frame { hsts });
    if http.cors_origins.is_empty() {
        outer(service, extra)
    } else {
        outer(cors(&http.cors_origins).layer(service), extra)
    }
}

/// `service` inside the panic guard and [`frame`], as the router that serves every path.
fn outer<S, B>(service: S, extra: Arc<Frame>) -> Router
where
    S: Service<Request, Response = Response<B>, Error = Infallible> + Clone + Send + Sync + 'static,
    S::Future: Send + 'static,
    B: HttpBody<Data = Bytes> + Send + 'static,
    B::Error: Into<BoxError>,
{
    let service = CatchPanicLayer::custom(panicked).layer(service);
    let service = middleware::from_fn_with_state(extra, frame).layer(service);
    Router::new().fallback_service(service)
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
    let docs = path == DOCS
        || path
            .strip_prefix(DOCS)
            .is_some_and(|rest| rest.starts_with('/'));
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
        response
            .headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, policy);
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

/// A random (version 4) UUID, from the 128 bits of two hashes with a new `RandomState`:
/// keys the OS gave each thread once, stepped for every new state. A request id is no
/// secret and needs no system call per request, which `Uuid::new_v4` makes.
fn new_request_id() -> HeaderValue {
    let random = || RandomState::new().hash_one(()).to_le_bytes();
    let mut bytes = [0; 16];
    bytes[..8].copy_from_slice(&random());
    bytes[8..].copy_from_slice(&random());
    let id = uuid::Builder::from_random_bytes(bytes).into_uuid();
    let mut text = [0; uuid::fmt::Hyphenated::LENGTH];
    let text = id.hyphenated().encode_lower(&mut text);
    HeaderValue::from_str(text).unwrap_or(HeaderValue::from_static("unknown"))
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
    rate: Option<RateLimit<Option<IpAddr>>>,
    /// `TRUSTED_PROXIES`: peers whose `Forwarded` and `X-Forwarded-For` are believed.
    trusted_proxies: Vec<IpRange>,
}

/// The inner layer of every request:
/// - its client's address ([`ClientAddr`]), from the peer or, behind a trusted proxy,
///   from the forwarding headers;
/// - 429 with `Retry-After` past `RATE_LIMIT` requests a minute from one client
///   (probes excepted);
/// - 413 at once for a body declared longer than `BODY_LIMIT_BYTES`, before any of it
///   is read; a body that does not declare its length is cut at the limit as it
///   arrives;
/// - 503 past `REQUEST_TIMEOUT_SECS`: the handler is dropped, and with it any
///   transaction it had open, which the database rolls back.
async fn admit(State(limits): State<Arc<Limits>>, mut request: Request, next: Next) -> Response {
    let peer = ClientAddr::peer(request.extensions());
    let client = peer.behind(request.headers(), &limits.trusted_proxies);
    request.extensions_mut().insert(client);
    let probe = PROBES.contains(&request.uri().path());
    let rate = limits.rate.as_ref().filter(|_| !probe);
    if let Some(Err(wait)) = rate.map(|rate| rate.hit(&client.bucket(), Instant::now())) {
        return ApiError::too_many_requests(wait.as_secs().max(1)).into_response();
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

/// The address a request comes from, when the server knows it: the peer's, or behind a
/// proxy listed in `TRUSTED_PROXIES`, the nearest address the proxies forwarded for
/// that is not a trusted proxy itself. Requests without a peer (tests sent with
/// `oneshot`) share one rate-limit window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientAddr(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Infallible> {
        let resolved = parts.extensions.get::<Self>().copied();
        Ok(resolved.unwrap_or_else(|| Self::peer(&parts.extensions)))
    }
}

impl ClientAddr {
    /// The connection's peer (`ConnectInfo`), IPv4-mapped IPv6 addresses as IPv4.
    fn peer(extensions: &Extensions) -> Self {
        let info = extensions.get::<ConnectInfo<SocketAddr>>();
        Self(info.map(|ConnectInfo(address)| address.ip().to_canonical()))
    }

    /// The client behind this peer. While the address at hand is a trusted proxy, the
    /// next hop to the left in `Forwarded` (or, without it, `X-Forwarded-For`) is taken;
    /// an address a client wrote itself is never believed, since the walk stops at the
    /// first untrusted one. A hop that is not an address (`unknown`, an obfuscated
    /// name) ends the walk at the proxy that sent it.
    fn behind(self, headers: &HeaderMap, trusted: &[IpRange]) -> Self {
        let Some(mut client) = self.0 else {
            return self;
        };
        let is_trusted = |ip: IpAddr| trusted.iter().any(|range| range.contains(ip));
        if !is_trusted(client) {
            return self;
        }
        let forwarded = headers.get_all(header::FORWARDED);
        let hops: Vec<&str> = if forwarded.iter().next().is_some() {
            let elements = forwarded.iter().filter_map(|value| value.to_str().ok());
            let elements = elements.flat_map(|value| value.split(','));
            elements.map(forwarded_for).collect()
        } else {
            let listed = headers.get_all(X_FORWARDED_FOR);
            let listed = listed.iter().filter_map(|value| value.to_str().ok());
            listed.flat_map(|value| value.split(',')).collect()
        };
        for hop in hops.iter().rev() {
            match hop_address(hop) {
                Some(ip) => client = ip,
                None => break,
            }
            if !is_trusted(client) {
                break;
            }
        }
        Self(Some(client))
    }

    /// The key a rate limit counts this client under: its address, or its /64 network
    /// for IPv6.
    pub fn bucket(self) -> Option<IpAddr> {
        self.0.map(|ip| match ip {
            IpAddr::V6(_) => network_of(ip, IPV6_CLIENT_PREFIX),
            v4 => v4,
        })
    }
}

/// `X-Forwarded-For: client, proxy1, proxy2`, the de facto form of `Forwarded`.
const X_FORWARDED_FOR: HeaderName = HeaderName::from_static("x-forwarded-for");

/// The `for=` parameter of one `Forwarded` element (RFC 7239), or `""` without one.
fn forwarded_for(element: &str) -> &str {
    let pairs = element.split(';').filter_map(|pair| pair.split_once('='));
    let mut found = pairs.filter(|(name, _)| name.trim().eq_ignore_ascii_case("for"));
    found.next().map_or("", |(_, value)| value)
}

/// The address of a hop: `192.0.2.1`, `192.0.2.1:8080`, `2001:db8::1`, or
/// `"[2001:db8::1]:8080"`, quoted or not.
fn hop_address(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim().trim_matches('"');
    if let Some(bracketed) = hop.strip_prefix('[') {
        let (v6, _) = bracketed.split_once(']')?;
        return v6
            .parse::<Ipv6Addr>()
            .ok()
            .map(|ip| IpAddr::V6(ip).to_canonical());
    }
    if let Ok(ip) = hop.parse::<IpAddr>() {
        return Some(ip.to_canonical());
    }
    let (v4, port) = hop.rsplit_once(':')?;
    port.parse::<u16>().ok()?;
    v4.parse::<Ipv4Addr>().ok().map(IpAddr::V4)
}

/// An address or a CIDR range, as `TRUSTED_PROXIES` lists them: `10.0.0.0/8`,
/// `192.168.1.10`, `fd00::/8`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IpRange {
    network: IpAddr,
    prefix: u8,
}

impl IpRange {
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        ip.is_ipv4() == self.network.is_ipv4() && network_of(ip, self.prefix) == self.network
    }
}

/// The network of `ip`: its first `prefix` bits, the others zero.
fn network_of(ip: IpAddr, prefix: u8) -> IpAddr {
    let mask = |bits: u32| match u32::from(prefix) {
        0 => 0,
        prefix => (u128::MAX << (128 - prefix)) >> (128 - bits),
    };
    match ip {
        IpAddr::V4(v4) => IpAddr::V4(Ipv4Addr::from(u32::from(v4) & mask(32) as u32)),
        IpAddr::V6(v6) => IpAddr::V6(Ipv6Addr::from(u128::from(v6) & mask(128))),
    }
}

/// A `TRUSTED_PROXIES` entry that is not an address or a CIDR range.
#[derive(Debug)]
pub struct BadIpRange;

impl FromStr for IpRange {
    type Err = BadIpRange;

    fn from_str(text: &str) -> Result<Self, BadIpRange> {
        let (address, prefix) = match text.trim().split_once('/') {
            Some((address, prefix)) => (address, Some(prefix)),
            None => (text.trim(), None),
        };
        let address = address
            .parse::<IpAddr>()
            .map_err(|_| BadIpRange)?
            .to_canonical();
        let bits = if address.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => bits,
            Some(prefix) => prefix
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= bits)
                .ok_or(BadIpRange)?,
        };
        let network = network_of(address, prefix);
        Ok(Self { network, prefix })
    }
}

/// A fixed window per key (a client, or an account): `limit` hits per `window`. The
/// windows are split among [`RATE_SHARDS`] tables by a hash seeded at random, so a
/// request locks one table, and a client cannot choose keys that crowd one of them.
/// A table is bounded: when full, the window that started first is dropped.
pub struct RateLimit<K> {
    limit: u32,
    window: Duration,
    hasher: RandomState,
    shards: Box<[Mutex<Windows<K>>]>,
}

/// One table of windows, and its keys in the order their windows started.
struct Windows<K> {
    open: HashMap<K, Window>,
    started: VecDeque<(Instant, K)>,
}

struct Window {
    start: Instant,
    hits: u32,
}

impl<K: Hash + Eq + Clone> RateLimit<K> {
    pub fn new(limit: u32, window: Duration) -> Self {
        let shards = (0..RATE_SHARDS).map(|_| {
            Mutex::new(Windows {
                open: HashMap::new(),
                started: VecDeque::new(),
            })
        });
        Self {
            limit,
            window,
            hasher: RandomState::new(),
            shards: shards.collect(),
        }
    }

    /// Counts a hit for `key`; `Err` holds how long to wait when it is one too many.
    pub fn hit(&self, key: &K, now: Instant) -> Result<(), Duration> {
        let shard = self.hasher.hash_one(key) as usize % self.shards.len();
        let mut windows = self.shards[shard]
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        windows.hit(key, now, self.limit, self.window)
    }
}

impl<K: Hash + Eq + Clone> Windows<K> {
    /// Each window is dropped once, when it ends or when room is needed, oldest first:
    /// no request walks the whole table.
    fn hit(&mut self, key: &K, now: Instant, limit: u32, window: Duration) -> Result<(), Duration> {
        while self
            .started
            .front()
            .is_some_and(|(start, _)| now.saturating_duration_since(*start) >= window)
        {
            self.drop_oldest();
        }
        if let Some(open) = self.open.get_mut(key) {
            if open.hits >= limit {
                let elapsed = now.saturating_duration_since(open.start);
                return Err(window.saturating_sub(elapsed) + Duration::from_millis(999));
            }
            open.hits += 1;
            return Ok(());
        }
        if self.open.len() >= MAX_TRACKED_CLIENTS / RATE_SHARDS {
            self.drop_oldest();
        }
        self.open.insert(
            key.clone(),
            Window {
                start: now,
                hits: 1,
            },
        );
        self.started.push_back((now, key.clone()));
        Ok(())
    }

    fn drop_oldest(&mut self) {
        if let Some((_, key)) = self.started.pop_front() {
            self.open.remove(&key);
        }
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
        assert!(limit.hit(&client, start).is_ok());
        assert!(limit.hit(&client, start).is_ok());
        let wait = limit.hit(&client, start).err().map(|wait| wait.as_secs());
        assert_eq!(wait, Some(60));
        assert!(limit.hit(&None, start).is_ok());
        assert!(limit.hit(&client, start + RATE_WINDOW).is_ok());
    }

    #[test]
    fn a_full_rate_limit_never_makes_two_new_clients_share_a_window() {
        let limit = RateLimit::new(1, RATE_WINDOW);
        let start = Instant::now();
        let address = |n: u32| Some(IpAddr::from(Ipv4Addr::from(0x0a00_0000 + n)));
        let tracked = u32::try_from(MAX_TRACKED_CLIENTS).unwrap_or(u32::MAX);
        for n in 0..tracked * 2 {
            assert!(limit.hit(&address(n), start).is_ok(), "client {n}");
        }
        let (first, second) = (address(tracked * 2), address(tracked * 2 + 1));
        assert!(limit.hit(&first, start).is_ok());
        assert!(
            limit.hit(&second, start).is_ok(),
            "a new client has its own window"
        );
        assert!(limit.hit(&second, start).is_err(), "and it counts");
        let held: usize = limit
            .shards
            .iter()
            .map(|shard| shard.lock().map_or(0, |windows| windows.open.len()))
            .sum();
        assert!(held <= MAX_TRACKED_CLIENTS, "{held} windows held");
    }

    #[test]
    fn ended_windows_are_dropped_as_time_passes() {
        let limit = RateLimit::new(1, RATE_WINDOW);
        let start = Instant::now();
        for n in 0..1000_u32 {
            assert!(limit.hit(&n, start).is_ok());
        }
        // A minute later, other keys: each table drops its ended windows as it is
        // used (a thousand keys touch all sixteen, but for a chance below 1e-27).
        for n in 1000..2000_u32 {
            assert!(limit.hit(&n, start + RATE_WINDOW).is_ok());
        }
        let held: usize = limit
            .shards
            .iter()
            .map(|shard| shard.lock().map_or(0, |windows| windows.open.len()))
            .sum();
        assert_eq!(held, 1000);
    }

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.append(*name, HeaderValue::from_static(value));
        }
        headers
    }

    fn ranges(list: &[&str]) -> Vec<IpRange> {
        list.iter().filter_map(|range| range.parse().ok()).collect()
    }

    #[test]
    fn forwarded_addresses_count_only_from_trusted_proxies() {
        let proxy = ClientAddr(Some(IpAddr::from([10, 0, 0, 2])));
        let client = Some(IpAddr::from([203, 0, 113, 7]));
        let trusted = ranges(&["10.0.0.0/8"]);
        let forwarded = headers(&[("x-forwarded-for", "198.51.100.1, 203.0.113.7, 10.0.0.3")]);
        assert_eq!(proxy.behind(&forwarded, &trusted).0, client);
        // No trusted proxies (the default): the headers are a client's own words.
        assert_eq!(proxy.behind(&forwarded, &[]), proxy);
        let stranger = ClientAddr(Some(IpAddr::from([198, 51, 100, 9])));
        assert_eq!(stranger.behind(&forwarded, &trusted), stranger);
        let standard = headers(&[
            ("forwarded", "for=198.51.100.1"),
            (
                "forwarded",
                "for=\"[2001:db8::17]:4711\";proto=https, for=10.0.0.3",
            ),
            ("x-forwarded-for", "192.0.2.1"),
        ]);
        let v6 = "2001:db8::17".parse::<IpAddr>().ok();
        assert_eq!(proxy.behind(&standard, &trusted).0, v6);
        let hidden = headers(&[("forwarded", "for=unknown, for=10.0.0.3")]);
        let last_proxy = Some(IpAddr::from([10, 0, 0, 3]));
        assert_eq!(proxy.behind(&hidden, &trusted).0, last_proxy);
        let with_port = headers(&[("x-forwarded-for", "203.0.113.7:52100")]);
        assert_eq!(proxy.behind(&with_port, &trusted).0, client);
    }

    #[test]
    fn ip_ranges_parse_and_match() {
        let range: Result<IpRange, _> = "10.1.2.3/8".parse();
        assert!(
            range
                .as_ref()
                .is_ok_and(|r| r.contains(IpAddr::from([10, 200, 0, 1])))
        );
        assert!(
            range
                .as_ref()
                .is_ok_and(|r| !r.contains(IpAddr::from([11, 0, 0, 1])))
        );
        let mapped = "::ffff:10.9.9.9".parse::<IpAddr>().ok();
        assert!(range.is_ok_and(|r| mapped.is_some_and(|ip| r.contains(ip))));
        let one: Result<IpRange, _> = "192.168.1.10".parse();
        assert!(
            one.as_ref()
                .is_ok_and(|r| r.contains(IpAddr::from([192, 168, 1, 10])))
        );
        assert!(one.is_ok_and(|r| !r.contains(IpAddr::from([192, 168, 1, 11]))));
        let v6: Result<IpRange, _> = "fd00::/8".parse();
        let inside = "fd12::1".parse::<IpAddr>().ok();
        assert!(v6.is_ok_and(|r| inside.is_some_and(|ip| r.contains(ip))));
        for bad in [
            "",
            "10.0.0.0/33",
            "fd00::/129",
            "10.0.0",
            "proxy.internal",
            "10.0.0.0/x",
        ] {
            assert!(bad.parse::<IpRange>().is_err(), "{bad}");
        }
        let everything: Result<IpRange, _> = "0.0.0.0/0".parse();
        assert!(everything.is_ok_and(|r| r.contains(IpAddr::from([8, 8, 8, 8]))));
    }

    #[test]
    fn an_ipv6_client_is_counted_by_its_64_network() {
        let one = "2001:db8:1:2:aaaa::1".parse::<IpAddr>().ok();
        let other = "2001:db8:1:2:bbbb::9".parse::<IpAddr>().ok();
        let elsewhere = "2001:db8:1:3::1".parse::<IpAddr>().ok();
        assert_eq!(ClientAddr(one).bucket(), ClientAddr(other).bucket());
        assert_ne!(ClientAddr(one).bucket(), ClientAddr(elsewhere).bucket());
        let v4 = Some(IpAddr::from([192, 0, 2, 1]));
        assert_eq!(ClientAddr(v4).bucket(), v4);
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

    #[test]
    fn new_request_ids_are_distinct_random_uuids() {
        let ids: std::collections::HashSet<String> = (0..10_000)
            .map(|_| new_request_id().to_str().unwrap_or_default().to_owned())
            .collect();
        assert_eq!(ids.len(), 10_000);
        for id in ids.iter().take(100) {
            let uuid = uuid::Uuid::parse_str(id).expect("a UUID");
            assert_eq!(uuid.get_version(), Some(uuid::Version::Random), "{id}");
            let header = HeaderValue::from_str(id).expect("a header value");
            assert!(is_plain_id(&header));
        }
    }
}
