//! The reliability suite: the generated shop API, release-configured and serving on a
//! PostgreSQL of its own, then on a MariaDB of its own, against hostile input, a bounded
//! load, and faults.
//!
//! The suite starts a private database server (PostgreSQL: initdb into a temporary
//! folder; MariaDB: mariadb-install-db; each on a free port) so that stopping the
//! database mid-run disturbs nothing else on the machine. Without a server's binaries
//! its half is skipped with a loud message, except under CI=true, where it fails. The
//! two halves run one after the other, never at once.
//!
//! Every phase is bounded in time: the load runs for `LOAD_SECONDS`, each fault phase
//! for a few seconds, and every request has a read timeout. The figures (requests,
//! answers by status, transport errors, rows checked) are printed and written to
//! `target/reliability/<database>.md`; RELIABILITY.md in the repository keeps a run's.

mod support;

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use support::{free_port, generate, repo, run, shared_target, with_drivers};

/// How long the load phase sends requests.
const LOAD_SECONDS: u64 = 15;
/// Concurrent clients of the load phase, each on a keep-alive connection of its own.
const LOAD_CLIENTS: usize = 8;
/// The pool's wait for a connection: with the database down, the bound of a 503.
const ACQUIRE_TIMEOUT_SECS: u64 = 2;
/// The longest any answer may take while the database is down: the acquire timeout
/// and generous room for a loaded machine. Past it, the API hangs.
const OUTAGE_ANSWER_BOUND: Duration = Duration::from_secs(10);
const SHUTDOWN_TIMEOUT_SECS: u64 = 10;
const ADMIN_EMAIL: &str = "reliability@example.com";
const ADMIN_PASSWORD: &str = "a long enough password";
const SECRET: &str = "the reliability suite's secret, 32 bytes or more";

/// One half at a time: each loads the machine, and times answers.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

#[test]
fn on_postgres_the_api_survives_hostile_input_load_an_outage_and_sigterm() {
    let _alone = ONE_AT_A_TIME.lock().unwrap_or_else(PoisonError::into_inner);
    let Some(bin) = postgres_binaries() else {
        return;
    };
    survives_everything(&mut PrivatePostgres::launch(&bin), "postgres");
}

#[test]
fn on_mariadb_the_api_survives_hostile_input_load_an_outage_and_sigterm() {
    let _alone = ONE_AT_A_TIME.lock().unwrap_or_else(PoisonError::into_inner);
    let Some(server) = mariadb_server() else {
        return;
    };
    survives_everything(&mut PrivateMariaDb::launch(&server), "mariadb");
}

/// Every phase against the shop API on `db`; the figures go to
/// `target/reliability/<file>.md`.
fn survives_everything(db: &mut dyn PrivateDb, file: &str) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = generate("shop.toml", tmp.path());
    run(&dir, "cargo", &with_drivers("build"), &[]);
    let binary = shared_target().join("debug").join("shop");
    let url = db.url();
    let acquire = ACQUIRE_TIMEOUT_SECS.to_string();
    let shutdown = SHUTDOWN_TIMEOUT_SECS.to_string();
    let header_timeout = HEADER_TIMEOUT_SECS.to_string();
    let max_connections = MAX_CONNECTIONS.to_string();
    let env = [
        ("DATABASE_URL", url.as_str()),
        ("JWT_SECRET", SECRET),
        ("RATE_LIMIT", "off"),
        ("LOG_FORMAT", "json"),
        ("DB_MAX_CONNECTIONS", "10"),
        ("DB_ACQUIRE_TIMEOUT_SECS", acquire.as_str()),
        ("SHUTDOWN_TIMEOUT_SECS", shutdown.as_str()),
        ("HEADER_TIMEOUT_SECS", header_timeout.as_str()),
        ("MAX_CONNECTIONS", max_connections.as_str()),
    ];
    let create_admin = [
        "create-user",
        "--email",
        ADMIN_EMAIL,
        "--role",
        "admin",
        "--password",
        ADMIN_PASSWORD,
    ];
    run(&dir, binary.to_str().unwrap(), &create_admin, &env);
    let log = tmp.path().join("api.log");
    let port = free_port();
    let mut api = Api::start(&dir, &binary, port, &env, &log);
    let token = login(port);
    let mut summary = format!("# Reliability suite: shop on {}\n\n", db.name());

    let flood = password_flood(port, api.0.id());
    let _ = writeln!(summary, "{flood}");
    let slow = slow_and_many_clients(port);
    let _ = writeln!(summary, "{slow}");

    let hostile = hostile_input(port, &token, db);
    let _ = writeln!(summary, "{hostile}");
    let load = load(port, &token, db);
    let _ = writeln!(summary, "{load}");
    let outage = database_outage(port, &token, db);
    let _ = writeln!(summary, "{outage}");
    let sigterm = sigterm_during_load(port, &token, db, &mut api, &log);
    let _ = writeln!(summary, "{sigterm}");

    eprintln!("\n{summary}");
    let out = repo().join("target").join("reliability");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join(format!("{file}.md")), summary).unwrap();
}

// ---- password hashing ----------------------------------------------------------------

/// Registrations of one email, and logins, sent at once: each may ask for an Argon2id hash.
const FLOOD: usize = 50;
/// The generated default of `PASSWORD_HASHES_AT_ONCE`.
const HASHES_AT_ONCE: u64 = 4;
/// Argon2id's memory per hash (`m=19456` KiB).
const HASH_MIB: u64 = 19;
/// Room for everything else a flood of 100 requests allocates.
const FLOOD_SLACK_MIB: u64 = 64;

/// 50 registrations of one email and 50 logins at once, as the API is deployed (login
/// limit 10 a minute per address, 4 hashes at once): every answer is one the document
/// lists for them, and the server's peak memory grows by no more than the hashes it
/// allows at once. Unbounded, the 19 requests past the rate limit hash together (about
/// 360 MiB).
fn password_flood(port: u16, pid: u32) -> String {
    let before = peak_rss_mib(pid);
    let email = format!("flood{}@example.com", unique());
    let body = |password: &str| json!({ "email": email, "password": password }).to_string();
    let json = Some("application/json");
    let register = request(
        "POST",
        "/api/auth/register",
        &[],
        json,
        body(ADMIN_PASSWORD).as_bytes(),
    );
    let login = request(
        "POST",
        "/api/auth/login",
        &[],
        json,
        body("not the password").as_bytes(),
    );
    let start = Arc::new(std::sync::Barrier::new(2 * FLOOD));
    let handles: Vec<_> = (0..2 * FLOOD)
        .map(|i| {
            let request = if i % 2 == 0 {
                register.clone()
            } else {
                login.clone()
            };
            let start = Arc::clone(&start);
            std::thread::spawn(move || {
                let mut conn = Conn::open(port).expect("connect");
                start.wait();
                conn.exchange(&request).map(|answer| answer.status)
            })
        })
        .collect();
    let mut statuses: BTreeMap<u16, usize> = BTreeMap::new();
    for handle in handles {
        let status = handle.join().expect("a client thread").expect("an answer");
        *statuses.entry(status).or_default() += 1;
    }
    let after = peak_rss_mib(pid);
    let allowed = [201, 401, 409, 429, 503];
    assert!(
        statuses.keys().all(|s| allowed.contains(s)),
        "password flood: {statuses:?}, only {allowed:?} allowed"
    );
    let created = statuses.get(&201).copied().unwrap_or(0);
    assert!(
        created <= 1,
        "one email registered {created} times: {statuses:?}"
    );
    let bound = HASHES_AT_ONCE * HASH_MIB + FLOOD_SLACK_MIB;
    assert!(
        after.saturating_sub(before) <= bound,
        "password flood: peak RSS {before} MiB -> {after} MiB, more than {bound} MiB \
         ({HASHES_AT_ONCE} hashes of {HASH_MIB} MiB and {FLOOD_SLACK_MIB} MiB)"
    );
    format!(
        "## Password flood\n\n{FLOOD} registrations of one email and {FLOOD} logins at once: \
         answers {statuses:?}; peak RSS {before} MiB before, {after} MiB after (bound: \
         +{bound} MiB).\n"
    )
}

/// The process's peak resident memory so far (`VmHWM`), in MiB.
fn peak_rss_mib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("/proc status");
    let kib: u64 = status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .expect("VmHWM in /proc/PID/status");
    kib / 1024
}

// ---- slow and many clients -----------------------------------------------------------

/// `HEADER_TIMEOUT_SECS` of the run: a request head must arrive within it.
const HEADER_TIMEOUT_SECS: u64 = 4;
/// `MAX_CONNECTIONS` of the run: above the password flood's 100 and the load's clients.
const MAX_CONNECTIONS: usize = 150;

/// A client that sends its request head one byte a second is dropped once the header
/// timeout passes, and so is one that opens a connection and sends nothing; past
/// `MAX_CONNECTIONS` open connections, a new one is answered 503 (a problem, with
/// `Retry-After`) and closed; and the API serves again once they are gone.
fn slow_and_many_clients(port: u16) -> String {
    let timeout = Duration::from_secs(HEADER_TIMEOUT_SECS);
    let head = request("GET", "/health", &[], None, b"");
    let mut slow = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    slow.set_read_timeout(Some(Duration::from_millis(900)))
        .unwrap();
    let started = Instant::now();
    let mut sent = 0;
    let held = loop {
        if sent < head.len() && slow.write_all(&head[sent..=sent]).is_ok() {
            sent += 1;
        }
        let mut byte = [0; 1];
        match slow.read(&mut byte) {
            Ok(0) => break started.elapsed(),
            Ok(_) => panic!("the server answered a request head sent a byte a second"),
            Err(err)
                if err.kind() == io::ErrorKind::WouldBlock
                    || err.kind() == io::ErrorKind::TimedOut => {}
            Err(_) => break started.elapsed(),
        }
        assert!(
            started.elapsed() < timeout + Duration::from_secs(10),
            "a client sending a byte a second was still held after {:?}",
            started.elapsed()
        );
    };
    assert!(
        held + Duration::from_secs(1) >= timeout,
        "dropped too early: {held:?}"
    );

    let open: Vec<TcpStream> = (0..MAX_CONNECTIONS)
        .map(|_| TcpStream::connect(("127.0.0.1", port)).expect("connect"))
        .collect();
    // Let the server accept them all before the one too many.
    std::thread::sleep(Duration::from_millis(300));
    let extra = Conn::open(port)
        .and_then(|mut conn| conn.exchange(&head))
        .expect("an answer past the connection cap");
    assert_eq!(extra.status, 503, "past the cap: {}", extra.text());
    assert_eq!(extra.header("retry-after"), Some("1"));
    assert_eq!(extra.json()["status"], 503, "{}", extra.text());
    drop(open);
    std::thread::sleep(Duration::from_millis(300));
    assert_up(port, "the connections past the cap");
    format!(
        "## Slow and many clients\n\nA request head sent a byte a second: dropped after \
         {:.1} s (`HEADER_TIMEOUT_SECS={HEADER_TIMEOUT_SECS}`). {MAX_CONNECTIONS} idle \
         connections open (`MAX_CONNECTIONS`): the next one answered {} with Retry-After \
         {}; `/health` 200 once they closed.\n",
        held.as_secs_f64(),
        extra.status,
        extra.header("retry-after").unwrap_or("none"),
    )
}

// ---- hostile input -------------------------------------------------------------------

/// One hostile request and the answer it must get.
struct Case {
    what: &'static str,
    request: Vec<u8>,
    status: u16,
}

fn hostile_input(port: u16, token: &str, db: &dyn PrivateDb) -> String {
    let bearer = format!("Bearer {token}");
    let auth = [("Authorization", bearer.as_str())];
    let json = Some("application/json");
    let post = |body: &[u8]| request("POST", "/api/products", &auth, json, body);
    let get = |path: &str| request("GET", path, &auth, None, b"");
    let product = |extra: &str| {
        format!(
            r#"{{"name":"n","sku":"HOST-{}","price":"1","type":"books"{extra}}}"#,
            unique()
        )
    };
    let nested = format!(
        r#"{{"name":"n","sku":"NEST-1","price":"1","type":"books","attributes":{}{}}}"#,
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let mut invalid_utf8 = br#"{"name":""#.to_vec();
    invalid_utf8.extend_from_slice(&[0xff, 0xfe, 0xc3]);
    invalid_utf8.extend_from_slice(br#"","sku":"UTF-1","price":"1","type":"books"}"#);
    let mut flood = String::new();
    for n in 0..80 {
        let _ = write!(flood, "X-Flood-{n}: x\r\n");
    }
    let flood_request = format!(
        "GET /api/products HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n{flood}\r\n"
    );
    let mut cases = vec![
        Case {
            what: "malformed JSON",
            request: post(br#"{"name": "#),
            status: 400,
        },
        Case {
            what: "truncated JSON",
            request: post(br#"{"name":"abc","sku":"AB"#),
            status: 400,
        },
        Case {
            what: "an empty body",
            request: post(b""),
            status: 400,
        },
        Case {
            what: "JSON that is not an object",
            request: post(b"[1,2,3]"),
            status: 400,
        },
        Case {
            what: "a wrong content type",
            request: request(
                "POST",
                "/api/products",
                &auth,
                Some("text/plain"),
                product("").as_bytes(),
            ),
            status: 415,
        },
        Case {
            what: "100 000 levels of nested JSON",
            request: post(nested.as_bytes()),
            status: 400,
        },
        Case {
            what: "a string with a NUL byte",
            request: post(product(r#","description":"a\u0000b""#).as_bytes()),
            status: 422,
        },
        Case {
            what: "invalid UTF-8",
            request: post(&invalid_utf8),
            status: 400,
        },
        Case {
            what: "an integer past i64",
            request: post(product(r#","views":9223372036854775808"#).as_bytes()),
            status: 422,
        },
        Case {
            what: "an integer past i32 into an int field",
            request: post(product(r#","stock":2147483648"#).as_bytes()),
            status: 422,
        },
        Case {
            what: "a 1e400 number",
            request: post(product(r#","weight":1e400"#).as_bytes()),
            status: 422,
        },
        Case {
            what: "NaN",
            request: post(product(r#","weight":NaN"#).as_bytes()),
            status: 400,
        },
        Case {
            what: "a path id that is not a number",
            request: get("/api/products/abc"),
            status: 400,
        },
        Case {
            what: "a negative path id",
            request: get("/api/products/-1"),
            status: 400,
        },
        Case {
            what: "a path id past i64",
            request: get("/api/products/99999999999999999999"),
            status: 400,
        },
        Case {
            what: "an unknown query parameter",
            request: get("/api/products?colour=red"),
            status: 400,
        },
        Case {
            what: "an unknown filter operator",
            request: get("/api/products?price.between=1"),
            status: 400,
        },
        Case {
            what: "a sort on an unknown field",
            request: get("/api/products?sort=-nothing"),
            status: 400,
        },
        Case {
            what: "invalid UTF-8 in the query",
            request: get("/api/products?name=%FF%FE"),
            status: 400,
        },
        Case {
            what: "80 headers",
            request: flood_request.into_bytes(),
            status: 431,
        },
    ];
    let mut table =
        String::from("## Hostile input\n\n| input | status | problem |\n| --- | --- | --- |\n");
    for case in cases.drain(..) {
        let answer = one_shot(port, &case.request).unwrap_or_else(|err| {
            panic!("{}: no answer: {err}", case.what);
        });
        assert_eq!(
            answer.status,
            case.status,
            "{}: {}",
            case.what,
            answer.text()
        );
        assert_problem(&answer, case.what);
        let _ = writeln!(table, "| {} | {} | yes |", case.what, answer.status);
        assert_up(port, case.what);
    }

    // 10 MiB: refused on its declared length, while the client is still sending.
    let big = vec![b'x'; 10 * 1024 * 1024];
    let answer = send_while_writing(port, &post(&big));
    assert_eq!(answer.status, 413, "10 MiB body: {}", answer.text());
    assert_problem(&answer, "10 MiB body");
    let _ = writeln!(table, "| a 10 MiB body | 413 | yes |");
    assert_up(port, "10 MiB body");

    // Past hyper's own limit of 100 headers: refused before the app sees it.
    let mut huge_flood = String::new();
    for n in 0..200 {
        let _ = write!(huge_flood, "X-Flood-{n}: x\r\n");
    }
    let huge = format!("GET /api/products HTTP/1.1\r\nHost: x\r\n{huge_flood}\r\n");
    let status = one_shot(port, huge.as_bytes()).map_or(0, |answer| answer.status);
    assert_eq!(status, 431, "200 headers");
    let _ = writeln!(table, "| 200 headers | 431 (from hyper, no body) | no |");
    assert_up(port, "200 headers");

    // Valid but hostile values are stored and returned verbatim.
    let verbatim = [
        "Robert'); DROP TABLE products; --",
        "' OR '1'='1",
        "🦀 Ferris, ünïcödé, 日本語, \u{202e}rtl",
        "%_\\ LIKE wildcards",
    ];
    for (n, name) in verbatim.iter().enumerate() {
        let body =
            json!({ "name": name, "sku": format!("VERB-{n}"), "price": "1", "type": "books" });
        let created = one_shot(port, &post(body.to_string().as_bytes())).unwrap();
        assert_eq!(created.status, 201, "{name}: {}", created.text());
        let id = created.json()["id"].as_i64().unwrap();
        let read = one_shot(port, &get(&format!("/api/products/{id}"))).unwrap();
        assert_eq!(read.json()["name"], *name, "stored verbatim");
        let query = format!("/api/products?name={}", percent_encode(name));
        let found = one_shot(port, &get(&query)).unwrap();
        assert_eq!(found.status, 200, "{name}: {}", found.text());
        let ids: Vec<i64> = found.json()["data"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|row| row["id"].as_i64())
            .collect();
        assert_eq!(ids, vec![id], "a filter on {name:?} finds exactly its row");
        let contains = format!("/api/products?name.contains={}", percent_encode(name));
        let found = one_shot(port, &get(&contains)).unwrap();
        assert_eq!(found.status, 200, "{name}: {}", found.text());
        assert_eq!(found.json()["total"], 1, "contains {name:?}");
        let _ = writeln!(
            table,
            "| stored verbatim: `{}` | 201, read back equal, found by filter | no |",
            name.replace('|', "\\|")
        );
    }
    let tables =
        db.query("SELECT count(*) FROM information_schema.tables WHERE table_name = 'products'");
    assert_eq!(tables.trim(), "1", "the products table is still there");
    table
}

fn assert_problem(answer: &Answer, what: &str) {
    let content_type = answer.header("content-type").unwrap_or_default();
    assert_eq!(content_type, "application/problem+json", "{what}");
    let body = answer.json();
    assert_eq!(body["status"], answer.status, "{what}: {body}");
    let detail = body["detail"].as_str().unwrap_or_default().to_lowercase();
    let leaks = [
        "postgres",
        "sqlx",
        "syntax error",
        "pg_",
        "relation ",
        "mysql",
        "mariadb",
        "duplicate entry",
        "sql syntax",
    ];
    for leak in leaks {
        assert!(
            !detail.contains(leak),
            "{what}: the database's text leaked: {detail}"
        );
    }
}

fn assert_up(port: u16, after: &str) {
    let health = one_shot(port, &request("GET", "/health", &[], None, b""));
    let status = health.map_or(0, |answer| answer.status);
    assert_eq!(status, 200, "the API is still up after {after}");
}

// ---- load ----------------------------------------------------------------------------

/// What the clients of a phase saw.
#[derive(Default)]
struct Tally {
    statuses: BTreeMap<String, u64>,
    transport_errors: u64,
    requests: u64,
    slowest: Duration,
    /// Every row a 201 acknowledged: its id and the body it must hold now.
    rows: HashMap<i64, Value>,
}

impl Tally {
    fn count(&mut self, what: &str, answer: &io::Result<Answer>, took: Duration) {
        self.requests += 1;
        self.slowest = self.slowest.max(took);
        match answer {
            Ok(answer) => {
                *self
                    .statuses
                    .entry(format!("{what} {}", answer.status))
                    .or_default() += 1;
            }
            Err(_) => self.transport_errors += 1,
        }
    }

    fn merge(&mut self, other: Tally) {
        for (key, count) in other.statuses {
            *self.statuses.entry(key).or_default() += count;
        }
        self.transport_errors += other.transport_errors;
        self.requests += other.requests;
        self.slowest = self.slowest.max(other.slowest);
        self.rows.extend(other.rows);
    }

    /// Answers 500 and up, but for 503 (the database is down: said, and retried).
    fn server_errors(&self) -> Vec<String> {
        self.statuses
            .iter()
            .filter(|(key, _)| {
                let status: u16 = key
                    .rsplit(' ')
                    .next()
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(0);
                status >= 500 && status != 503
            })
            .map(|(key, count)| format!("{key}: {count}"))
            .collect()
    }

    fn created(&self) -> u64 {
        self.statuses.get("POST 201").copied().unwrap_or(0)
    }

    fn report(&self) -> String {
        let mut out = format!(
            "requests: {}, transport errors: {}, slowest answer: {} ms\n\n| request and status | count |\n| --- | --- |\n",
            self.requests,
            self.transport_errors,
            self.slowest.as_millis()
        );
        for (key, count) in &self.statuses {
            let _ = writeln!(out, "| {key} | {count} |");
        }
        out
    }
}

/// One client's loop: create a product, read it back, change its stock, until `stop`.
fn client_loop(port: u16, token: &str, prefix: &str, client: usize, stop: &AtomicBool) -> Tally {
    let mut tally = Tally::default();
    let bearer = format!("Bearer {token}");
    let auth = [("Authorization", bearer.as_str())];
    let json = Some("application/json");
    let mut conn: Option<Conn> = None;
    let mut n = 0_u64;
    let send = |conn: &mut Option<Conn>, bytes: &[u8]| -> io::Result<Answer> {
        if conn.is_none() {
            *conn = Some(Conn::open(port)?);
        }
        let result = conn.as_mut().map_or_else(
            || Err(io::ErrorKind::NotConnected.into()),
            |c| c.exchange(bytes),
        );
        if result.as_ref().map_or(true, Answer::closes) {
            *conn = None;
        }
        result
    };
    while !stop.load(Ordering::Relaxed) {
        n += 1;
        let sku = format!("{prefix}-{client}-{n}");
        let body = json!({
            "name": format!("load {client} {n}"),
            "sku": sku,
            "price": format!("{}.{:02}", n % 1000, n % 100),
            "stock": 1,
            "type": "tools",
        });
        let started = Instant::now();
        let created = send(
            &mut conn,
            &request(
                "POST",
                "/api/products",
                &auth,
                json,
                body.to_string().as_bytes(),
            ),
        );
        tally.count("POST", &created, started.elapsed());
        let Ok(created) = created else {
            if connection_refused_for_good(port) {
                break;
            }
            continue;
        };
        if created.status != 201 {
            continue;
        }
        let id = created.json()["id"].as_i64().unwrap_or_default();
        tally.rows.insert(id, body.clone());
        let path = format!("/api/products/{id}");
        let started = Instant::now();
        let read = send(&mut conn, &request("GET", &path, &auth, None, b""));
        tally.count("GET", &read, started.elapsed());
        if let Ok(read) = &read
            && read.status == 200
        {
            assert_eq!(
                read.json()["sku"],
                body["sku"],
                "a read returns the row written"
            );
        }
        let stock = i64::try_from(n % 500).unwrap_or(0) + 2;
        let patch = json!({ "stock": stock });
        let started = Instant::now();
        let patched = send(
            &mut conn,
            &request("PATCH", &path, &auth, json, patch.to_string().as_bytes()),
        );
        tally.count("PATCH", &patched, started.elapsed());
        if let Ok(patched) = &patched
            && patched.status == 200
            && let Some(row) = tally.rows.get_mut(&id)
        {
            row["stock"] = json!(stock);
        }
    }
    tally
}

/// Runs `clients` client loops until `stop`; `during` runs meanwhile on this thread.
fn with_clients(
    port: u16,
    token: &str,
    prefix: &str,
    clients: usize,
    during: impl FnOnce(&AtomicBool),
) -> Tally {
    let stop = Arc::new(AtomicBool::new(false));
    let handles: Vec<_> = (0..clients)
        .map(|client| {
            let (stop, token, prefix) = (Arc::clone(&stop), token.to_owned(), prefix.to_owned());
            std::thread::spawn(move || client_loop(port, &token, &prefix, client, &stop))
        })
        .collect();
    during(&stop);
    stop.store(true, Ordering::Relaxed);
    let mut tally = Tally::default();
    for handle in handles {
        tally.merge(handle.join().expect("a client thread"));
    }
    tally
}

fn load(port: u16, token: &str, db: &dyn PrivateDb) -> String {
    let tally = with_clients(port, token, "LOAD", LOAD_CLIENTS, |_| {
        std::thread::sleep(Duration::from_secs(LOAD_SECONDS));
    });
    assert!(
        tally.server_errors().is_empty(),
        "5xx under load: {:?}",
        tally.server_errors()
    );
    assert_eq!(tally.statuses.get("POST 503"), None, "503 under load");
    assert_eq!(tally.transport_errors, 0, "transport errors under load");
    let checked = check_rows(db, "LOAD", &tally, true);
    format!(
        "## Load: {LOAD_CLIENTS} clients for {LOAD_SECONDS} s (create, read, update)\n\n{}\nrows: {} in the table, {} answered 201; {checked} rows checked field by field\n",
        tally.report(),
        checked,
        tally.created()
    )
}

/// Every acknowledged row is in the table with what was last written to it; with
/// `exact`, no other row of the phase is.
fn check_rows(db: &dyn PrivateDb, prefix: &str, tally: &Tally, exact: bool) -> usize {
    let rows = db.query(&format!(
        "SELECT id, sku, name, price, stock FROM products WHERE sku LIKE '{prefix}-%' ORDER BY id"
    ));
    let mut stored = HashMap::new();
    for line in rows.lines().filter(|line| !line.is_empty()) {
        let columns: Vec<&str> = line.split('|').collect();
        let id: i64 = columns[0].parse().unwrap();
        stored.insert(
            id,
            columns[1..]
                .iter()
                .map(|c| (*c).to_owned())
                .collect::<Vec<_>>(),
        );
    }
    if exact {
        assert_eq!(
            stored.len() as u64,
            tally.created(),
            "{prefix}: the rows in the table are exactly the 201 answers"
        );
    }
    for (id, body) in &tally.rows {
        let row = stored
            .get(id)
            .unwrap_or_else(|| panic!("{prefix}: row {id} was acknowledged and is missing"));
        assert_eq!(row[0], body["sku"].as_str().unwrap(), "row {id}: sku");
        assert_eq!(row[1], body["name"].as_str().unwrap(), "row {id}: name");
        let price: f64 = row[2].parse().unwrap();
        let sent: f64 = body["price"].as_str().unwrap().parse().unwrap();
        assert!(
            (price - sent).abs() < 1e-9,
            "row {id}: price {price} != {sent}"
        );
        assert_eq!(row[3], body["stock"].to_string(), "row {id}: stock");
    }
    tally.rows.len()
}

// ---- faults --------------------------------------------------------------------------

fn database_outage(port: u16, token: &str, db: &mut dyn PrivateDb) -> String {
    let mut during = String::new();
    let mut recovered_after = Duration::ZERO;
    let tally = with_clients(port, token, "OUTAGE", 4, |_| {
        std::thread::sleep(Duration::from_secs(2));
        db.stop();
        std::thread::sleep(Duration::from_secs(4));
        let ready = timed(port, "/ready");
        let health = timed(port, "/health");
        let list = timed(port, "/api/products");
        assert_eq!(ready.0, 503, "/ready while the database is down");
        assert_eq!(health.0, 200, "/health while the database is down");
        assert_eq!(list.0, 503, "a read while the database is down");
        assert!(list.1 < OUTAGE_ANSWER_BOUND, "a read hung {:?}", list.1);
        let _ = writeln!(
            during,
            "while down: /ready {} in {} ms, /health {} in {} ms, GET /api/products {} in {} ms",
            ready.0,
            ready.1.as_millis(),
            health.0,
            health.1.as_millis(),
            list.0,
            list.1.as_millis()
        );
        db.start();
        let back = Instant::now();
        while timed(port, "/ready").0 != 200 {
            assert!(
                back.elapsed() < Duration::from_secs(30),
                "the API did not recover within 30 s"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
        recovered_after = back.elapsed();
        std::thread::sleep(Duration::from_secs(3));
    });
    assert!(
        tally.server_errors().is_empty(),
        "5xx other than 503: {:?}",
        tally.server_errors()
    );
    assert!(
        tally.statuses.keys().any(|key| key.ends_with(" 503")),
        "the outage was seen: {:?}",
        tally.statuses
    );
    assert!(
        tally.slowest < OUTAGE_ANSWER_BOUND,
        "an answer took {:?}",
        tally.slowest
    );
    assert_eq!(
        tally.transport_errors, 0,
        "transport errors during the outage"
    );
    let created = one_shot(
        port,
        &request(
            "POST",
            "/api/products",
            &[("Authorization", &format!("Bearer {token}"))],
            Some("application/json"),
            br#"{"name":"after","sku":"OUTAGE-AFTER","price":"1","type":"books"}"#,
        ),
    )
    .unwrap();
    assert_eq!(
        created.status,
        201,
        "a create after the outage: {}",
        created.text()
    );
    // A create whose answer was lost with the connection may have committed: no exact
    // count here, but every acknowledged row must be there.
    let checked = check_rows(db, "OUTAGE", &tally, false);
    format!(
        "## {name} stopped for about 4 s under 4 clients, then started again\n\n{}\n{during}ready again {} ms after {name} started, without a restart of the API; {checked} acknowledged rows checked\n",
        tally.report(),
        recovered_after.as_millis(),
        name = db.name()
    )
}

fn sigterm_during_load(
    port: u16,
    token: &str,
    db: &dyn PrivateDb,
    api: &mut Api,
    log: &Path,
) -> String {
    let bearer = format!("Bearer {token}");
    let mut slow_answer = None;
    let mut exit = None;
    let tally = with_clients(port, token, "TERM", 4, |_| {
        std::thread::sleep(Duration::from_secs(2));
        // A request in flight: headers and half of its body sent before SIGTERM, the
        // rest after. It must still be answered, and its row written.
        let body = br#"{"name":"slow","sku":"TERM-SLOW","price":"1","type":"books"}"#;
        let head = format!(
            "POST /api/products HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: {bearer}\r\nContent-Type: application/json\r\nX-Request-Id: reliability-slow-1\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        let mut slow = Conn::open(port).expect("connect the slow request");
        slow.write(head.as_bytes()).unwrap();
        slow.write(&body[..20]).unwrap();
        std::thread::sleep(Duration::from_millis(300));
        api.terminate();
        std::thread::sleep(Duration::from_millis(700));
        slow.write(&body[20..]).unwrap();
        slow_answer = Some(slow.read_answer());
        exit = Some(api.wait(Duration::from_secs(SHUTDOWN_TIMEOUT_SECS + 10)));
    });
    let slow = slow_answer
        .unwrap()
        .expect("the request in flight got an answer");
    assert_eq!(slow.status, 201, "the request in flight: {}", slow.text());
    let exit = exit.unwrap();
    assert!(exit.success(), "exit status after SIGTERM: {exit}");
    assert!(
        tally.server_errors().is_empty(),
        "5xx during shutdown: {:?}",
        tally.server_errors()
    );
    let mut tally = tally;
    *tally.statuses.entry("POST 201".to_owned()).or_default() += 1;
    let id = slow.json()["id"].as_i64().unwrap();
    tally.rows.insert(
        id,
        json!({ "name": "slow", "sku": "TERM-SLOW", "price": "1", "stock": 0 }),
    );
    let checked = check_rows(db, "TERM", &tally, true);
    let logs = std::fs::read_to_string(log).unwrap_or_default();
    let slow_lines: Vec<&str> = logs
        .lines()
        .filter(|line| line.contains("reliability-slow-1"))
        .collect();
    let slow_json: Vec<Value> = slow_lines
        .iter()
        .filter_map(|line| serde_json::from_str(line).ok())
        .collect();
    assert!(
        !slow_json.is_empty(),
        "the slow request's id is in its JSON log lines"
    );
    let answered = slow_json.iter().any(|line| {
        line["fields"]["message"] == "answered"
            && line["fields"]["status"] == 201
            && line["fields"]["elapsed_us"].as_u64().is_some()
            && line["span"]["request_id"] == "reliability-slow-1"
    });
    assert!(
        answered,
        "the slow request's answer is logged with its status, time and id:\n{}",
        slow_lines.join("\n")
    );
    assert!(
        logs.contains("\"stopped\""),
        "the API logged that it stopped after closing the pool"
    );
    format!(
        "## SIGTERM under 4 clients, with a request in flight\n\n{}\nthe request in flight: {} (its body finished after SIGTERM); exit: {exit}; rows: {checked} in the table = {} answered 201; JSON log lines with its request id: {}\n",
        tally.report(),
        slow.status,
        tally.created(),
        slow_json.len()
    )
}

/// The status of a GET and how long it took.
fn timed(port: u16, path: &str) -> (u16, Duration) {
    let started = Instant::now();
    let answer = one_shot(port, &request("GET", path, &[], None, b""));
    (answer.map_or(0, |answer| answer.status), started.elapsed())
}

/// Whether the API no longer accepts connections (after SIGTERM).
fn connection_refused_for_good(port: u16) -> bool {
    matches!(
        TcpStream::connect(("127.0.0.1", port)),
        Err(err) if err.kind() == io::ErrorKind::ConnectionRefused
    )
}

// ---- HTTP/1.1 on loopback --------------------------------------------------------------

struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }

    fn closes(&self) -> bool {
        self.header("connection")
            .is_some_and(|value| value.eq_ignore_ascii_case("close"))
    }
}

/// A keep-alive connection.
struct Conn {
    reader: BufReader<TcpStream>,
}

impl Conn {
    fn open(port: u16) -> io::Result<Self> {
        let stream = TcpStream::connect(("127.0.0.1", port))?;
        stream.set_read_timeout(Some(Duration::from_secs(30)))?;
        stream.set_nodelay(true)?;
        Ok(Self {
            reader: BufReader::new(stream),
        })
    }

    fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.reader.get_mut().write_all(bytes)
    }

    fn exchange(&mut self, request: &[u8]) -> io::Result<Answer> {
        self.write(request)?;
        self.read_answer()
    }

    fn read_answer(&mut self) -> io::Result<Answer> {
        let mut line = String::new();
        if self.reader.read_line(&mut line)? == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        let status = line
            .split(' ')
            .nth(1)
            .and_then(|code| code.parse().ok())
            .ok_or_else(|| io::Error::other(format!("not a status line: {line:?}")))?;
        let mut headers = Vec::new();
        loop {
            line.clear();
            self.reader.read_line(&mut line)?;
            let trimmed = line.trim_end();
            if trimmed.is_empty() {
                break;
            }
            if let Some((key, value)) = trimmed.split_once(':') {
                headers.push((key.trim().to_owned(), value.trim().to_owned()));
            }
        }
        let mut answer = Answer {
            status,
            headers,
            body: Vec::new(),
        };
        if status == 204 || status == 304 {
            return Ok(answer);
        }
        if answer
            .header("transfer-encoding")
            .is_some_and(|te| te.contains("chunked"))
        {
            loop {
                line.clear();
                self.reader.read_line(&mut line)?;
                let size = usize::from_str_radix(line.trim(), 16).map_err(io::Error::other)?;
                let mut chunk = vec![0; size + 2];
                self.reader.read_exact(&mut chunk)?;
                if size == 0 {
                    break;
                }
                answer.body.extend_from_slice(&chunk[..size]);
            }
        } else if let Some(length) = answer.header("content-length") {
            let length: usize = length.parse().map_err(io::Error::other)?;
            answer.body = vec![0; length];
            self.reader.read_exact(&mut answer.body)?;
        } else {
            self.reader.read_to_end(&mut answer.body)?;
        }
        Ok(answer)
    }
}

/// A request's bytes.
fn request(
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    content_type: Option<&str>,
    body: &[u8],
) -> Vec<u8> {
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    for (key, value) in headers {
        let _ = write!(head, "{key}: {value}\r\n");
    }
    if let Some(content_type) = content_type {
        let _ = write!(head, "Content-Type: {content_type}\r\n");
    }
    if method != "GET" {
        let _ = write!(head, "Content-Length: {}\r\n", body.len());
    }
    head.push_str("\r\n");
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(body);
    bytes
}

/// One request on a connection of its own.
fn one_shot(port: u16, request: &[u8]) -> io::Result<Answer> {
    Conn::open(port)?.exchange(request)
}

/// Sends a large request from one thread while another reads the answer, which the
/// server may send before the body has arrived.
fn send_while_writing(port: u16, request: &[u8]) -> Answer {
    let conn = Conn::open(port).expect("connect");
    let mut writer = conn.reader.get_ref().try_clone().expect("clone the socket");
    let bytes = request.to_vec();
    let sender = std::thread::spawn(move || {
        // The server may close before the whole body is sent: that is the point.
        let _ = writer.write_all(&bytes);
    });
    let mut conn = conn;
    let answer = conn.read_answer().expect("an answer to the large body");
    drop(conn);
    let _ = sender.join();
    answer
}

fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|byte| {
            if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
                (byte as char).to_string()
            } else {
                format!("%{byte:02X}")
            }
        })
        .collect()
}

fn unique() -> u64 {
    static NEXT: Mutex<u64> = Mutex::new(0);
    let mut next = NEXT.lock().unwrap();
    *next += 1;
    *next
}

fn login(port: u16) -> String {
    let body = json!({ "email": ADMIN_EMAIL, "password": ADMIN_PASSWORD }).to_string();
    let answer = one_shot(
        port,
        &request(
            "POST",
            "/api/auth/login",
            &[],
            Some("application/json"),
            body.as_bytes(),
        ),
    )
    .expect("log in");
    assert_eq!(answer.status, 200, "login: {}", answer.text());
    answer.json()["token"].as_str().expect("a token").to_owned()
}

// ---- the API process and the private database servers ---------------------------------

/// The generated binary, serving, its logs in a file.
struct Api(Child);

impl Api {
    fn start(dir: &Path, binary: &Path, port: u16, env: &[(&str, &str)], log: &Path) -> Self {
        let mut command = Command::new(binary);
        command
            .arg("serve")
            .current_dir(dir)
            .env_remove("DATABASE_URL")
            .env("PORT", port.to_string())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(log).expect("the log file"));
        for (key, value) in env {
            command.env(key, value);
        }
        let mut api = Self(command.spawn().expect("the API starts"));
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "the API did not listen"
            );
            if let Some(status) = api.0.try_wait().unwrap() {
                let logs = std::fs::read_to_string(log).unwrap_or_default();
                panic!("the API exited before listening: {status}\n{logs}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        api
    }

    fn terminate(&self) {
        let pid = self.0.id().to_string();
        let status = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        assert!(status.success());
    }

    fn wait(&mut self, bound: Duration) -> std::process::ExitStatus {
        let started = Instant::now();
        loop {
            if let Some(status) = self.0.try_wait().unwrap() {
                return status;
            }
            assert!(
                started.elapsed() < bound,
                "the API did not stop within {bound:?} of SIGTERM"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Api {
    fn drop(&mut self) {
        let _ = self.0.kill();
    }
}

/// PostgreSQL's server binaries (initdb, pg_ctl), or None (skip) outside CI.
fn postgres_binaries() -> Option<PathBuf> {
    let found = std::env::var_os("PG_BIN").map(PathBuf::from).or_else(|| {
        let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
            .ok()?
            .filter_map(|entry| entry.ok().map(|entry| entry.path().join("bin")))
            .filter(|bin| bin.join("initdb").is_file())
            .collect();
        versions.sort();
        versions.pop()
    });
    if found.is_some() {
        return found;
    }
    let in_ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
    assert!(
        !in_ci,
        "PostgreSQL's initdb is not found (set PG_BIN) and CI=true: the reliability suite cannot be skipped in CI"
    );
    eprintln!(
        "\n*** SKIPPED: the reliability suite needs PostgreSQL's initdb and pg_ctl (set PG_BIN) ***\n"
    );
    None
}

/// A PostgreSQL cluster of the suite's own, on a free port, removed at the end.
struct PrivatePostgres {
    bin: PathBuf,
    dir: tempfile::TempDir,
    port: u16,
}

impl PrivatePostgres {
    fn launch(bin: &Path) -> Self {
        let dir = tempfile::Builder::new()
            .prefix("apigen-pg")
            .tempdir()
            .unwrap();
        let mut pg = Self {
            bin: bin.to_owned(),
            dir,
            port: free_port(),
        };
        // PostgreSQL refuses to run as root: then it runs as the postgres user.
        if pg.as_root() {
            let status = Command::new("chown")
                .args(["postgres", pg.dir.path().to_str().unwrap()])
                .status()
                .unwrap();
            assert!(status.success(), "chown the cluster folder");
        }
        let data = pg.data();
        pg.pg_command(
            "initdb",
            &[
                "-D",
                &data,
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-sync",
            ],
        );
        pg.start();
        pg
    }

    fn as_root(&self) -> bool {
        Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
    }

    fn data(&self) -> String {
        self.dir.path().join("data").to_string_lossy().into_owned()
    }

    /// A PostgreSQL tool, run as the postgres user when this process is root.
    fn tool(&self, program: &str) -> Command {
        let path = self.bin.join(program);
        if self.as_root() {
            let mut command = Command::new("runuser");
            command.args(["-u", "postgres", "--"]).arg(&path);
            command
        } else {
            Command::new(&path)
        }
    }

    fn pg_command(&self, program: &str, args: &[&str]) {
        let mut command = self.tool(program);
        let output = command
            .args(args)
            .stdin(Stdio::null())
            .output()
            .expect("a PostgreSQL tool starts");
        assert!(
            output.status.success(),
            "{program} {}: {}{}",
            args.join(" "),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

impl PrivateDb for PrivatePostgres {
    fn name(&self) -> &'static str {
        "PostgreSQL"
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    fn query(&self, sql: &str) -> String {
        let output = Command::new("psql")
            .args([&self.url(), "-v", "ON_ERROR_STOP=1", "-At", "-c", sql])
            .stdin(Stdio::null())
            .output()
            .expect("psql starts");
        assert!(
            output.status.success(),
            "psql: {sql}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    fn start(&mut self) {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off",
            self.port,
            self.dir.path().display()
        );
        let log = self.dir.path().join("postgres.log");
        self.pg_command(
            "pg_ctl",
            &[
                "-D",
                &self.data(),
                "-o",
                &options,
                "-l",
                log.to_str().unwrap(),
                "-w",
                "start",
            ],
        );
    }

    fn stop(&mut self) {
        self.pg_command("pg_ctl", &["-D", &self.data(), "-m", "fast", "-w", "stop"]);
    }
}

impl Drop for PrivatePostgres {
    fn drop(&mut self) {
        let data = self.data();
        let _ = self
            .tool("pg_ctl")
            .args(["-D", &data, "-m", "immediate", "-w", "stop"])
            .stdin(Stdio::null())
            .output();
    }
}

/// A database server of the suite's own, which a phase may stop and start again.
trait PrivateDb {
    /// Its name in the figures.
    fn name(&self) -> &'static str;
    /// The URL the API connects to.
    fn url(&self) -> String;
    /// The rows of a query, one per line, columns `|`-separated, through the server's client.
    fn query(&self, sql: &str) -> String;
    /// Starts the server and waits until it accepts connections.
    fn start(&mut self);
    /// Stops the server and waits until it is gone.
    fn stop(&mut self);
}

/// MariaDB's server, `mariadbd`, or None (skip) outside CI.
fn mariadb_server() -> Option<PathBuf> {
    let found = std::env::var_os("MARIADBD")
        .map(PathBuf::from)
        .or_else(|| Some(PathBuf::from("/usr/sbin/mariadbd")).filter(|path| path.is_file()));
    if found.is_some() {
        return found;
    }
    let in_ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
    assert!(
        !in_ci,
        "MariaDB's server is not found (set MARIADBD) and CI=true: the reliability suite cannot be skipped in CI"
    );
    eprintln!(
        "\n*** SKIPPED: the MariaDB half of the reliability suite needs mariadbd (set MARIADBD) ***\n"
    );
    None
}

/// A MariaDB server of the suite's own: a data folder made by mariadb-install-db, a
/// free port, removed at the end.
struct PrivateMariaDb {
    server: PathBuf,
    dir: tempfile::TempDir,
    port: u16,
    process: Option<Child>,
}

impl PrivateMariaDb {
    fn launch(server: &Path) -> Self {
        let dir = tempfile::Builder::new()
            .prefix("apigen-mariadb")
            .tempdir()
            .unwrap();
        let mut db = Self {
            server: server.to_owned(),
            dir,
            port: free_port(),
            process: None,
        };
        let output = Command::new("mariadb-install-db")
            .args([
                "--no-defaults",
                &format!("--datadir={}", db.data()),
                "--auth-root-authentication-method=normal",
                "--skip-test-db",
            ])
            .args(db.as_root())
            .stdin(Stdio::null())
            .output()
            .expect("mariadb-install-db starts");
        assert!(
            output.status.success(),
            "mariadb-install-db: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        db.start();
        let created = db
            .client()
            .args(["-e", "CREATE DATABASE shop CHARACTER SET utf8mb4"])
            .stdin(Stdio::null())
            .status()
            .expect("the mariadb client starts");
        assert!(created.success(), "CREATE DATABASE shop");
        db
    }

    fn data(&self) -> String {
        self.dir.path().join("data").to_string_lossy().into_owned()
    }

    /// MariaDB refuses to run as root unless told to.
    fn as_root(&self) -> Option<&'static str> {
        let root = Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).trim() == "0");
        root.then_some("--user=root")
    }

    fn client(&self) -> Command {
        let mut command = Command::new("mariadb");
        let port = self.port.to_string();
        command.args(["-u", "root", "-h", "127.0.0.1", "-P", &port]);
        command
    }
}

impl PrivateDb for PrivateMariaDb {
    fn name(&self) -> &'static str {
        "MariaDB"
    }

    fn url(&self) -> String {
        format!("mysql://root@127.0.0.1:{}/shop", self.port)
    }

    fn query(&self, sql: &str) -> String {
        let output = self
            .client()
            .args(["-N", "-B", "-e", sql])
            .arg("shop")
            .stdin(Stdio::null())
            .output()
            .expect("the mariadb client starts");
        assert!(
            output.status.success(),
            "mariadb: {sql}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).replace('\t', "|")
    }

    fn start(&mut self) {
        let folder = self.dir.path();
        let mut command = Command::new(&self.server);
        command
            .args([
                "--no-defaults".to_owned(),
                format!("--datadir={}", self.data()),
                format!("--port={}", self.port),
                "--bind-address=127.0.0.1".to_owned(),
                format!("--socket={}", folder.join("mariadb.sock").display()),
                format!("--pid-file={}", folder.join("mariadb.pid").display()),
                format!("--log-error={}", folder.join("mariadb.log").display()),
                "--skip-log-bin".to_owned(),
                "--innodb-flush-log-at-trx-commit=0".to_owned(),
            ])
            .args(self.as_root())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let mut process = command.spawn().expect("mariadbd starts");
        let started = Instant::now();
        loop {
            let ping = self
                .client()
                .args(["-e", "SELECT 1"])
                .stdin(Stdio::null())
                .output()
                .is_ok_and(|out| out.status.success());
            if ping {
                break;
            }
            if let Some(status) = process.try_wait().unwrap() {
                let log = std::fs::read_to_string(folder.join("mariadb.log")).unwrap_or_default();
                panic!("mariadbd exited: {status}\n{log}");
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "mariadbd did not accept connections within 60 s"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
        self.process = Some(process);
    }

    fn stop(&mut self) {
        if let Some(mut process) = self.process.take() {
            let pid = process.id().to_string();
            let status = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
            assert!(status.success(), "SIGTERM to mariadbd");
            let status = process.wait().unwrap();
            assert!(status.success(), "mariadbd stopped: {status}");
        }
    }
}

impl Drop for PrivateMariaDb {
    fn drop(&mut self) {
        if let Some(mut process) = self.process.take() {
            let _ = process.kill();
            let _ = process.wait();
        }
    }
}
