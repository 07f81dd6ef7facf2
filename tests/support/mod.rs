//! What the end-to-end and reliability suites share: generating a fixture, building it
//! in the shared target folder, running its binary, and talking to it on loopback.
#![allow(dead_code, reason = "each suite uses part of the support")]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const DEFAULT_POSTGRES: &str = "postgres://postgres@127.0.0.1:5432/test";
pub const DEFAULT_MYSQL: &str = "mysql://root@127.0.0.1:3306/test";

/// Every generated crate is built with both server drivers (SQLite is always in), so
/// that its dependencies compile once for the whole run.
pub const SERVER_DRIVERS: [&str; 2] = ["--features", "postgres,mysql"];

pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The target folder shared by every generated crate this suite builds.
pub fn shared_target() -> PathBuf {
    std::env::var_os("APIGEN_E2E_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("target").join("e2e"))
}

pub fn run(dir: &Path, program: &str, args: &[&str], envs: &[(&str, &str)]) {
    eprintln!("$ {program} {} (in {})", args.join(" "), dir.display());
    let mut command = Command::new(program);
    command
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", shared_target())
        // A run builds a dozen generated crates into one folder, and a full disk once
        // failed CI: without incremental caches, and with line tables only for debug
        // info, shop's test build takes 1.9 GiB rather than 4.2, and links faster.
        .env("CARGO_INCREMENTAL", "0")
        .env("CARGO_PROFILE_DEV_DEBUG", "line-tables-only")
        .env_remove("RUSTFLAGS")
        .env_remove("TEST_DATABASE_URL")
        .stdin(Stdio::null());
    for (key, value) in envs {
        command.env(key, value);
    }
    let output = command.output().expect("the command starts");
    if !output.status.success() {
        let (stdout, stderr) = (
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr),
        );
        // What failed first, so that a log cut short still says it.
        let gist: Vec<&str> = stdout
            .lines()
            .chain(stderr.lines())
            .filter(|line| {
                line.contains("panicked at")
                    || line.starts_with("error")
                    || line.starts_with("test ") && line.ends_with("FAILED")
            })
            .take(12)
            .collect();
        panic!(
            "`{program} {}` failed in {}:\n{}\n--- stdout\n{stdout}\n--- stderr\n{stderr}",
            args.join(" "),
            dir.display(),
            gist.join("\n"),
        );
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    for line in stdout.lines().filter(|l| l.starts_with("test result:")) {
        eprintln!("  {line}");
    }
}

pub fn generate(fixture: &str, parent: &Path) -> PathBuf {
    let name = fixture.trim_end_matches(".toml");
    let schema = repo().join("fixtures").join(fixture);
    let dir = parent.join(name);
    run(
        parent,
        env!("CARGO_BIN_EXE_apigen"),
        &["new", name, "--schema", schema.to_str().unwrap()],
        &[],
    );
    dir
}

/// What a user's CI would run on the generated crate: rustfmt, clippy with `-D warnings`
/// (with every driver compiled in), and its own tests on SQLite.
pub fn format_lint_and_test_on_sqlite(dir: &Path) {
    format_and_lint(dir);
    run(dir, "cargo", &with_drivers("test"), &[]);
}

/// rustfmt and clippy with `-D warnings`, with every driver compiled in.
pub fn format_and_lint(dir: &Path) {
    run(dir, "cargo", &["fmt", "--check"], &[]);
    let clippy = [
        "clippy",
        "--all-targets",
        SERVER_DRIVERS[0],
        SERVER_DRIVERS[1],
        "--",
        "-D",
        "warnings",
    ];
    run(dir, "cargo", &clippy, &[]);
}

/// `cargo <command>` with both server drivers.
pub fn with_drivers(command: &str) -> [&str; 3] {
    [command, SERVER_DRIVERS[0], SERVER_DRIVERS[1]]
}

/// The PostgreSQL URL to test against, or None (skip) when it is down outside CI.
pub fn postgres_url() -> Option<String> {
    server_url("TEST_DATABASE_URL", DEFAULT_POSTGRES, "PostgreSQL")
}

/// The MariaDB (or MySQL) URL to test against, or None (skip) when it is down outside CI.
pub fn mysql_url() -> Option<String> {
    server_url("TEST_MYSQL_URL", DEFAULT_MYSQL, "MariaDB")
}

/// The URL in `var` (else `default`) when its server answers; outside CI, None (skip)
/// with a loud message when it does not; under CI=true, a failure.
fn server_url(var: &str, default: &str, server: &str) -> Option<String> {
    let url = std::env::var(var).unwrap_or_else(|_| default.to_string());
    let host_port = url
        .split('@')
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_default()
        .to_string();
    let reachable = host_port
        .to_socket_addrs()
        .ok()
        .and_then(|mut addrs| addrs.next())
        .is_some_and(|addr| TcpStream::connect_timeout(&addr, Duration::from_secs(3)).is_ok());
    if reachable {
        return Some(url);
    }
    let in_ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
    assert!(
        !in_ci,
        "{server} at {host_port} is unreachable and CI=true: the {server} part of the suite cannot be skipped in CI"
    );
    eprintln!("\n*** SKIPPED: {server} at {host_port} is unreachable; set {var} ***\n");
    None
}

/// The binary's answer to a command: exit code, stdout and stderr.
pub fn output(
    dir: &Path,
    binary: &Path,
    args: &[&str],
    envs: &[(&str, &str)],
    stdin: &str,
) -> (i32, String, String) {
    let mut command = Command::new(binary);
    command
        .args(args)
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (key, value) in envs {
        command.env(key, value);
    }
    let mut child = command.spawn().expect("the generated binary starts");
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin.as_bytes()).unwrap();
    drop(input);
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Starts the binary in `dir` on `port` and waits until it listens.
pub fn start(dir: &Path, binary: &Path, port: u16) -> Server {
    start_with(dir, binary, port, &[])
}

/// [`start`], with more environment (`DATABASE_URL`, say).
pub fn start_with(dir: &Path, binary: &Path, port: u16, envs: &[(&str, &str)]) -> Server {
    start_logging(dir, binary, port, envs, Stdio::null())
}

/// [`start_with`], its log (standard error) going to `log`.
pub fn start_logging(
    dir: &Path,
    binary: &Path,
    port: u16,
    envs: &[(&str, &str)],
    log: impl Into<Stdio>,
) -> Server {
    let mut command = Command::new(binary);
    command
        .env_remove("DATABASE_URL")
        // schemathesis sends thousands of requests a minute from one address: the rate
        // limit would answer most of them 429 (the generated tests cover the limit).
        // `envs` may set one.
        .env("RATE_LIMIT", "off");
    for (key, value) in envs {
        command.env(key, value);
    }
    let child = command
        .current_dir(dir)
        .env("PORT", port.to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("the generated binary starts");
    let mut server = Server(child);
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the API did not listen within 30 s"
        );
        if let Some(status) = server.0.try_wait().unwrap() {
            panic!("the API exited before listening: {status}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    server
}

/// Sends SIGTERM and waits for a clean exit, within 10 s.
pub fn stop(server: &mut Server) {
    let pid = server.0.id().to_string();
    let killed = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    assert!(killed.success());
    let stopped = Instant::now();
    loop {
        if let Some(status) = server.0.try_wait().unwrap() {
            assert!(status.success(), "exit status after SIGTERM: {status}");
            break;
        }
        assert!(
            stopped.elapsed() < Duration::from_secs(10),
            "the API did not stop within 10 s of SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// One HTTP/1.1 request on loopback; the status and the body.
pub fn http(port: u16, method: &str, path: &str, body: Option<&str>) -> (u16, String) {
    http_with(port, method, path, &[], body)
}

/// [`http`] with more headers. A chunked body comes joined; bytes that are not UTF-8
/// come as U+FFFD.
pub fn http_with(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> (u16, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect to the API");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let body = body.unwrap_or("");
    let headers: String = headers
        .iter()
        .map(|(name, value)| format!("{name}: {value}\r\n"))
        .collect();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n{headers}\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let end = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or(response.len());
    let head = String::from_utf8_lossy(&response[..end]).to_ascii_lowercase();
    let body = response.get(end + 4..).unwrap_or_default();
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0);
    let body = if head.contains("\r\ntransfer-encoding: chunked") {
        unchunked(body)
    } else {
        body.to_vec()
    };
    (status, String::from_utf8_lossy(&body).into_owned())
}

/// A body sent in chunks, joined: each chunk is its size in hex, CRLF, the bytes, CRLF.
fn unchunked(mut rest: &[u8]) -> Vec<u8> {
    let mut joined = Vec::new();
    while let Some(line) = rest.windows(2).position(|w| w == b"\r\n") {
        let size = std::str::from_utf8(&rest[..line])
            .ok()
            .and_then(|size| usize::from_str_radix(size.trim(), 16).ok())
            .unwrap_or(0);
        let Some(chunk) = rest.get(line + 2..line + 2 + size).filter(|_| size > 0) else {
            break;
        };
        joined.extend_from_slice(chunk);
        rest = rest.get(line + 4 + size..).unwrap_or_default();
    }
    joined
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .expect("a free port")
}

/// Kills the server if the test fails before it stops it.
pub struct Server(pub Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
    }
}

/// A fresh database `name` on the server of `url` (PostgreSQL or MySQL), made with the
/// server's own client; its URL.
///
/// A PostgreSQL database gets the collation of the server the generated docker-compose.yml
/// runs (`en-US`, through ICU) rather than this machine's `C.UTF-8`, so that an answer
/// that depends on the server's locale shows here.
pub fn fresh_database(url: &str, name: &str) -> String {
    assert!(admin_sql(url, &format!("DROP DATABASE IF EXISTS {name}")));
    if url.starts_with("mysql:") {
        let create = format!("CREATE DATABASE {name} CHARACTER SET utf8mb4");
        assert!(admin_sql(url, &create), "{create} on {url}");
    } else {
        let create = format!(
            "CREATE DATABASE {name} LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8' \
             TEMPLATE template0"
        );
        if !admin_sql(url, &create) {
            eprintln!("\n*** PostgreSQL has no ICU locale en-US: {name} has the server's ***\n");
            let plain = format!("CREATE DATABASE {name}");
            assert!(admin_sql(url, &plain), "{plain} on {url}");
        }
    }
    let (base, _) = url.rsplit_once('/').expect("a database in the URL");
    format!("{base}/{name}")
}

/// Drops the database `url` names (the scenario's own), through the server of `admin_url`;
/// a failure only leaves it behind.
pub fn drop_database(admin_url: &str, url: &str) {
    let name = url.rsplit('/').next().unwrap_or_default();
    admin_sql(admin_url, &format!("DROP DATABASE IF EXISTS {name}"));
}

/// Runs `sql` on the server of `url` with `psql` or `mariadb`; whether it succeeded.
pub fn admin_sql(url: &str, sql: &str) -> bool {
    let mut command = match url.strip_prefix("mysql://") {
        Some(rest) => {
            let (login, rest) = rest.split_once('@').expect("a user in the URL");
            let (user, password) = login.split_once(':').unwrap_or((login, ""));
            let (host, port) = rest
                .split('/')
                .next()
                .and_then(|server| server.split_once(':'))
                .unwrap_or((rest, "3306"));
            let mut command = Command::new("mariadb");
            command.args(["-u", user, "-h", host, "-P", port, "-e", sql]);
            if !password.is_empty() {
                command.arg(format!("--password={password}"));
            }
            command
        }
        None => {
            let mut command = Command::new("psql");
            command.args([url, "-v", "ON_ERROR_STOP=1", "-q", "-c", sql]);
            command
        }
    };
    command
        .stdin(Stdio::null())
        .status()
        .expect("the database client starts")
        .success()
}

/// Operations schemathesis leaves alone with an admin's token: it would change or delete
/// the admin it runs as, or end the session of its token (logout, or ending a session by
/// its id), and every later request would be refused; and a password change with wrong
/// current passwords counts as failed logins of the admin, past the login limit.
pub const SCHEMATHESIS_SPARED: [&str; 6] = [
    "replace_user",
    "update_user",
    "delete_user",
    "logout",
    "end_session",
    "change_password",
];

/// Runs schemathesis (scripts/schemathesis installs it into a virtualenv of the repo's)
/// against the API on `port`, with `token` for the routes that need one: every operation
/// of `/openapi.json`, positive and negative data, 20 examples each, seed 1, every check
/// but the one the README says why it leaves out.
pub fn schemathesis(port: u16, token: Option<&str>, label: &str) {
    schemathesis_with(port, token, label, "all");
}

/// [`schemathesis`] with the checks named (`all` for every one).
pub fn schemathesis_with(port: u16, token: Option<&str>, label: &str, checks: &str) {
    let url = format!("http://127.0.0.1:{port}/openapi.json");
    let checks = checks.replace(' ', "");
    let mut args: Vec<String> = [
        "run",
        url.as_str(),
        "--checks",
        checks.as_str(),
        "--max-examples",
        "20",
        "--seed",
        "1",
        "--no-color",
        "--generation-with-security-parameters",
        "false",
        "--generation-database",
        "none",
    ]
    .map(str::to_string)
    .to_vec();
    if checks == "all" {
        // No database stores a NUL in text: the API refuses one with a 422, which no JSON
        // Schema can say of every string inside a `json` value; and positive_data_acceptance
        // stays out until the document states every rule the server keeps (README, "Any
        // schema, not only the fixtures").
        args.push("--generation-allow-x00".to_string());
        args.push("false".to_string());
        args.push("--exclude-checks".to_string());
        args.push("positive_data_acceptance".to_string());
    }
    if let Some(token) = token {
        args.push("--header".to_string());
        args.push(format!("Authorization: Bearer {token}"));
        for operation in SCHEMATHESIS_SPARED {
            args.push("--exclude-operation-id".to_string());
            args.push(operation.to_string());
        }
    }
    eprintln!(
        "$ scripts/schemathesis {} ({label})",
        args.join(" ").replace(token.unwrap_or("\u{0}"), "<token>")
    );
    let out = Command::new(repo().join("scripts").join("schemathesis"))
        .args(&args)
        .current_dir(repo())
        .stdin(Stdio::null())
        .output()
        .expect("scripts/schemathesis runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let logs = repo().join("target").join("schemathesis");
    std::fs::create_dir_all(&logs).unwrap();
    let slug: String = label
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    std::fs::write(logs.join(format!("{slug}.log")), stdout.as_bytes()).unwrap();
    let summary: Vec<&str> = stdout
        .lines()
        .skip_while(|line| !line.contains("SUMMARY"))
        .filter(|line| !line.trim().is_empty())
        .collect();
    eprintln!("schemathesis, {label}:\n{}", summary.join("\n"));
    assert!(
        out.status.success(),
        "schemathesis found something wrong with {label}:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// What `apigen` answers in `dir`: exit code and stderr (stdout appended).
pub fn apigen_in(dir: &Path, args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_apigen"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .expect("apigen starts");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    (out.status.code().unwrap_or(-1), text)
}

/// What rustfmt (edition 2024, default config) makes of `source`.
pub fn rustfmt(source: &str) -> String {
    let mut child = Command::new("rustfmt")
        .args(["--edition", "2024", "--emit", "stdout", "--quiet"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("rustfmt is installed (rustup component add rustfmt)");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(source.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "rustfmt failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// The lines of generated `files` wider than 100 columns, as (path, line number, line), of
/// the files held to that width: code, manifests and deployment files. (Markdown and JSON
/// are prose and data: their lines are as long as their paragraphs and values; so is
/// `.apigen/database.toml`, the record of the database, one column a line.)
pub fn wide_lines(files: &apigen::fileset::FileSet) -> Vec<(String, usize, String)> {
    let code = [
        ".rs",
        ".toml",
        ".yml",
        ".yaml",
        "Dockerfile",
        ".dockerignore",
    ];
    let mut wide = Vec::new();
    for (path, file) in files.iter() {
        if !code.iter().any(|end| path.ends_with(end)) || path.starts_with(".apigen/") {
            continue;
        }
        for (number, line) in file.contents.lines().enumerate() {
            if line.chars().count() > 100 {
                wide.push((path.to_string(), number + 1, line.to_string()));
            }
        }
    }
    wide
}
