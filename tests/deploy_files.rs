//! The generated deployment files agree with the crate they deploy: every YAML file parses, and
//! the Dockerfile, docker-compose.yml and deploy/kubernetes/ name the same port, binary, user,
//! health paths, environment variables and secrets as the generated code. They run the schema's
//! database server: MySQL (MariaDB in compose and CI) for `database = "mysql"`, else PostgreSQL.
//!
//! No Docker and no network: the files are read, not run. The one ignored test runs the
//! Dockerfile's build stage outside Docker (minutes, and crates from the registry).

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Stdio};

use apigen::fileset::FileSet;
use serde_json::Value;

/// A schema with an underscore in its name and `[auth]`: Kubernetes names take no underscore.
const SNAKE_CASE_SCHEMA: &str = r#"
[api]
name = "todo_app"

[auth]
roles = ["member", "admin"]

[resources.Task.fields]
title = "string"
"#;

/// The contract of the generated binary: `JWT_SECRET` takes at least this many bytes.
const MIN_SECRET_BYTES: usize = 32;

/// The database server a project's deployment files run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Server {
    Postgres,
    /// MySQL, or MariaDB: the image of compose and CI.
    Mysql,
}

impl Server {
    /// The schema's `[api] database`: a sqlite schema deploys on PostgreSQL, as SQLite is the
    /// local default and no server.
    fn of(label: &str, source: &str) -> Server {
        let schema: toml_edit::DocumentMut = source
            .parse()
            .unwrap_or_else(|e| panic!("{label}: not TOML: {e}"));
        match schema["api"].get("database").map(|d| d.as_str()) {
            None | Some(Some("sqlite" | "postgres")) => Server::Postgres,
            Some(Some("mysql")) => Server::Mysql,
            Some(other) => panic!("{label}: database = {other:?}"),
        }
    }

    /// The crate's Cargo feature that compiles the server's driver in.
    fn feature(self) -> &'static str {
        match self {
            Server::Postgres => "postgres",
            Server::Mysql => "mysql",
        }
    }

    /// The scheme of its `DATABASE_URL`s, which src/config.rs accepts.
    fn scheme(self) -> &'static str {
        match self {
            Server::Postgres => "postgres",
            Server::Mysql => "mysql",
        }
    }

    fn port(self) -> u16 {
        match self {
            Server::Postgres => 5432,
            Server::Mysql => 3306,
        }
    }

    /// The image compose and CI run it from (`postgres:16`), without its tag.
    fn image(self) -> &'static str {
        match self {
            Server::Postgres => "postgres",
            Server::Mysql => "mariadb",
        }
    }

    /// `max_connections` out of the box (MySQL's and MariaDB's are both 151).
    fn default_max_connections(self) -> u64 {
        match self {
            Server::Postgres => 100,
            Server::Mysql => 151,
        }
    }

    /// Words no deployment file of a project on this server says (lowercase).
    fn other_servers(self) -> &'static [&'static str] {
        match self {
            Server::Postgres => &["mysql", "mariadb"],
            Server::Mysql => &["postgres", "pg_isready"],
        }
    }
}

struct Project {
    /// The fixture, for messages.
    label: String,
    /// The server the schema's database is deployed on.
    server: Server,
    files: FileSet,
}

impl Project {
    fn text(&self, path: &str) -> &str {
        match self.files.get(path) {
            Some(file) => &file.contents,
            None => panic!("{}: {path} is not generated", self.label),
        }
    }

    fn yaml(&self, path: &str) -> Value {
        yaml_serde::from_str(self.text(path))
            .unwrap_or_else(|e| panic!("{}: {path} is not YAML: {e}", self.label))
    }

    fn has_auth(&self) -> bool {
        self.files.get("src/auth.rs").is_some()
    }

    /// The package name, which is the binary's: the manifest names no other binary.
    fn binary(&self) -> String {
        let manifest: toml_edit::DocumentMut = self.text("Cargo.toml").parse().unwrap();
        assert!(
            manifest.get("bin").is_none(),
            "{}: Cargo.toml names its binaries",
            self.label
        );
        manifest["package"]["name"].as_str().unwrap().to_owned()
    }

    /// Kubernetes object names and label values: DNS labels, so `todo_app` is `todo-app`.
    fn kubernetes_name(&self) -> String {
        self.binary().replace('_', "-")
    }

    /// `const DEFAULT_PORT: u16 = 3000;` in the generated src/config.rs.
    fn default_port(&self) -> u16 {
        let config = self.text("src/config.rs");
        let line = config
            .lines()
            .find_map(|line| line.trim().strip_prefix("const DEFAULT_PORT: u16 = "))
            .unwrap_or_else(|| panic!("{}: src/config.rs has no DEFAULT_PORT", self.label));
        line.trim_end_matches(';').parse().unwrap()
    }

    /// Whether the crate reads (or documents) the environment variable `name`.
    fn knows_variable(&self, name: &str) -> bool {
        ["src/config.rs", "src/cli.rs"]
            .iter()
            .any(|path| mentions(self.text(path), name))
    }

    /// Whether src/app.rs routes `path`, however rustfmt lays the call out.
    fn routes(&self, path: &str) -> bool {
        let app: String = self
            .text("src/app.rs")
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        app.contains(&format!(".route(\"{path}\""))
    }

    fn dockerfile(&self) -> Vec<Stage> {
        stages(self.text("Dockerfile"))
    }
}

/// Every fixture, the snake_case schema, and the minimal and snake_case schemas on MySQL.
fn projects() -> Vec<Project> {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut sources = Vec::new();
    for entry in std::fs::read_dir(fixtures).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() && path.extension().is_some_and(|e| e == "toml") {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            sources.push((name, std::fs::read_to_string(&path).unwrap()));
        }
    }
    sources.sort();
    assert!(sources.len() >= 3, "the fixtures are found");
    sources.push(("todo_app.toml".to_owned(), SNAKE_CASE_SCHEMA.to_owned()));
    // No fixture names mysql: the same schemas on it, one without [auth] and one with.
    let on_mysql: Vec<(String, String)> = sources
        .iter()
        .filter(|(label, _)| label == "minimal.toml" || label == "todo_app.toml")
        .map(|(label, source)| {
            let label = label.replace(".toml", "-mysql.toml");
            (label, with_database(source, "mysql"))
        })
        .collect();
    assert_eq!(on_mysql.len(), 2, "the schemas to run on MySQL are found");
    sources.extend(on_mysql);
    let projects: Vec<Project> = sources
        .into_iter()
        .map(|(label, source)| {
            let server = Server::of(&label, &source);
            let files = apigen::generate_files(&label, &source)
                .unwrap_or_else(|failure| panic!("{label}: {failure}"));
            Project {
                label,
                server,
                files,
            }
        })
        .collect();
    for server in [Server::Postgres, Server::Mysql] {
        assert!(
            projects.iter().any(|p| p.server == server),
            "some project runs on {server:?}"
        );
    }
    projects
}

/// `source` with `[api] database = "<database>"`, where it named none.
fn with_database(source: &str, database: &str) -> String {
    assert!(
        !source.contains("database ="),
        "the schema names a database"
    );
    let line = format!("[api]\ndatabase = \"{database}\"\n");
    let changed = source.replacen("[api]\n", &line, 1);
    assert_ne!(changed, source, "the schema has an [api] table");
    changed
}

/// `name` in `text`, not as part of a longer identifier (`PORT` but not `DEFAULT_PORT`).
fn mentions(text: &str, name: &str) -> bool {
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    text.match_indices(name).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + name.len()..].chars().next();
        !before.is_some_and(ident) && !after.is_some_and(ident)
    })
}

// ---- The Dockerfile, read as Docker reads it ----

struct Instruction {
    /// `RUN`, `COPY`, ...
    keyword: String,
    args: String,
}

struct Stage {
    /// `rust:1-bookworm AS build`
    from: String,
    instructions: Vec<Instruction>,
}

impl Stage {
    fn all<'a>(&'a self, keyword: &str) -> impl Iterator<Item = &'a str> + 'a {
        let keyword = keyword.to_owned();
        self.instructions
            .iter()
            .filter(move |i| i.keyword == keyword)
            .map(|i| i.args.as_str())
    }

    /// The one instruction `keyword` of the stage.
    fn one(&self, keyword: &str) -> &str {
        let all: Vec<&str> = self.all(keyword).collect();
        assert_eq!(
            all.len(),
            1,
            "one {keyword} in the stage from {}",
            self.from
        );
        all[0]
    }

    /// `ENV A=1 B=2`, every one of them.
    fn env(&self) -> Vec<(String, String)> {
        let mut vars = Vec::new();
        for args in self.all("ENV") {
            for pair in args.split_whitespace() {
                let (name, value) = pair.split_once('=').expect("ENV NAME=value");
                vars.push((name.to_owned(), value.to_owned()));
            }
        }
        vars
    }
}

/// The stages of a Dockerfile: comments dropped, continued lines joined.
fn stages(dockerfile: &str) -> Vec<Stage> {
    let mut stages: Vec<Stage> = Vec::new();
    let mut current = String::new();
    for line in dockerfile.lines() {
        let line = line.trim();
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        if let Some(continued) = line.strip_suffix('\\') {
            current.push_str(continued);
            continue;
        }
        current.push_str(line);
        let (keyword, args) = current.split_once(' ').unwrap_or((&current, ""));
        let keyword = keyword.to_ascii_uppercase();
        let args = args.split_whitespace().collect::<Vec<_>>().join(" ");
        if keyword == "FROM" {
            stages.push(Stage {
                from: args,
                instructions: Vec::new(),
            });
        } else {
            let stage = stages.last_mut().expect("FROM comes first");
            stage.instructions.push(Instruction { keyword, args });
        }
        current.clear();
    }
    stages
}

/// `["shop", "serve"]`: the exec form, which runs without a shell and gets the signals.
fn exec_form(args: &str) -> Vec<String> {
    serde_json::from_str(args).unwrap_or_else(|e| panic!("not the exec form: {args}: {e}"))
}

/// The `cargo build ...` of a RUN, up to the next `&&`.
fn cargo_build(run: &str) -> Option<&str> {
    let at = run.find("cargo build")?;
    Some(run[at..].split("&&").next().unwrap().trim())
}

/// Whether .dockerignore keeps `path` (relative, `/`-separated) out of the build context.
fn docker_ignores(dockerignore: &str, path: &str) -> bool {
    let path: Vec<&str> = path.split('/').collect();
    dockerignore
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .any(|pattern| {
            assert!(!pattern.starts_with('!'), "exceptions are not checked here");
            let pattern: Vec<&str> = pattern.trim_end_matches('/').split('/').collect();
            leads(&pattern, &path)
        })
}

/// Whether `pattern` matches the leading folders of `path` (a folder holds what is in it).
fn leads(pattern: &[&str], path: &[&str]) -> bool {
    match pattern.split_first() {
        None => true,
        Some((&"**", rest)) => (0..=path.len()).any(|skip| leads(rest, &path[skip..])),
        Some((first, rest)) => path
            .split_first()
            .is_some_and(|(name, tail)| wildcard(first, name) && leads(rest, tail)),
    }
}

/// `*` stands for any run of characters within one name.
fn wildcard(pattern: &str, name: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == name,
        Some((head, tail)) => name.strip_prefix(head).is_some_and(|rest| {
            (0..=rest.len())
                .filter(|&at| rest.is_char_boundary(at))
                .any(|at| wildcard(tail, &rest[at..]))
        }),
    }
}

/// `scheme://user:password@host:port/database`, the parts of a `DATABASE_URL`.
#[derive(Debug)]
struct DatabaseUrl {
    scheme: String,
    user: String,
    password: String,
    host: String,
    port: u16,
    database: String,
    /// What follows `?`, if anything (`sslmode=require`).
    query: String,
}

fn database_url(url: &str) -> DatabaseUrl {
    let shape = "scheme://user:password@host:port/database";
    let (scheme, rest) = url
        .split_once("://")
        .unwrap_or_else(|| panic!("not {shape}: {url}"));
    // The password may hold `:` (`${PASSWORD:-default}`): the userinfo ends at the last `@`.
    let (userinfo, rest) = rest
        .rsplit_once('@')
        .unwrap_or_else(|| panic!("not {shape}: {url}"));
    let (user, password) = userinfo
        .split_once(':')
        .unwrap_or_else(|| panic!("not {shape}: {url}"));
    let (address, database) = rest
        .split_once('/')
        .unwrap_or_else(|| panic!("not {shape}: {url}"));
    let (database, query) = database.split_once('?').unwrap_or((database, ""));
    let (host, port) = address
        .split_once(':')
        .unwrap_or_else(|| panic!("not {shape}: {url}"));
    DatabaseUrl {
        scheme: scheme.to_owned(),
        user: user.to_owned(),
        password: password.to_owned(),
        host: host.to_owned(),
        port: port
            .parse()
            .unwrap_or_else(|_| panic!("not {shape}: {url}")),
        database: database.to_owned(),
        query: query.to_owned(),
    }
}

/// The value of `flag` in a command line: `--features postgres` or `--features=postgres`.
fn flag_value<'a>(command: &'a str, flag: &str) -> Option<&'a str> {
    let mut words = command.split_whitespace();
    while let Some(word) = words.next() {
        if word == flag {
            return words.next();
        }
        if let Some(value) = word.strip_prefix(flag).and_then(|v| v.strip_prefix('=')) {
            return Some(value);
        }
    }
    None
}

// ---- YAML helpers ----

fn str_at<'a>(value: &'a Value, pointer: &str) -> &'a str {
    value
        .pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("no string at {pointer} in {value:#}"))
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .unwrap_or_else(|| panic!("not a list: {value}"))
        .iter()
        .map(|item| item.as_str().expect("a string").to_owned())
        .collect()
}

/// The only container of a pod template (a Deployment's or a Job's).
fn container(object: &Value) -> &Value {
    let containers = object
        .pointer("/spec/template/spec/containers")
        .and_then(Value::as_array)
        .expect("containers");
    assert_eq!(containers.len(), 1, "one container");
    &containers[0]
}

/// A container's `env`: each name with its entry (a `value` or a `valueFrom`).
fn container_env(container: &Value) -> Vec<(String, Value)> {
    container["env"]
        .as_array()
        .map(|env| {
            env.iter()
                .map(|var| (str_at(var, "/name").to_owned(), var.clone()))
                .collect()
        })
        .unwrap_or_default()
}

fn env_value<'a>(env: &'a [(String, Value)], name: &str) -> Option<&'a str> {
    env.iter()
        .find(|(n, _)| n == name)
        .and_then(|(_, var)| var.get("value"))
        .map(|value| value.as_str().expect("env values are strings"))
}

/// The labels selecting the pods, or the labels a pod template gives them.
fn labels(object: &Value, pointer: &str) -> Vec<(String, String)> {
    object
        .pointer(pointer)
        .and_then(Value::as_object)
        .unwrap_or_else(|| panic!("no labels at {pointer}"))
        .iter()
        .map(|(k, v)| {
            (
                k.clone(),
                v.as_str().expect("label values are strings").into(),
            )
        })
        .collect()
}

fn selects(selector: &[(String, String)], labels: &[(String, String)]) -> bool {
    selector.iter().all(|pair| labels.contains(pair))
}

fn is_dns_label(name: &str) -> bool {
    let edge = |c: Option<char>| c.is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    (1..=63).contains(&name.len())
        && edge(name.chars().next())
        && edge(name.chars().last())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

// ---- The tests ----

#[test]
fn every_generated_yaml_file_parses() {
    for p in projects() {
        let mut seen = 0;
        for (path, _) in p.files.iter() {
            if path.ends_with(".yml") || path.ends_with(".yaml") {
                assert!(p.yaml(path).is_object(), "{}: {path} is a mapping", p.label);
                seen += 1;
            }
        }
        // ci.yml, docker-compose.yml and the five Kubernetes manifests.
        assert!(seen >= 7, "{}: {seen} YAML files", p.label);
    }
}

#[test]
fn the_dockerfile_caches_dependencies_and_builds_locked_for_the_schemas_server() {
    for p in projects() {
        let stages = p.dockerfile();
        assert!(
            stages.len() >= 2,
            "{}: a build and a runtime stage",
            p.label
        );
        let build = &stages[0];
        assert!(
            build.from.ends_with(" AS build"),
            "{}: {}",
            p.label,
            build.from
        );
        // COPY Cargo.toml Cargo.lock, build, COPY the sources, build again.
        let steps: Vec<&Instruction> = build
            .instructions
            .iter()
            .filter(|i| i.keyword == "COPY" || cargo_build(&i.args).is_some())
            .collect();
        let shape: Vec<&str> = steps.iter().map(|i| i.keyword.as_str()).collect();
        assert_eq!(shape, ["COPY", "RUN", "COPY", "RUN"], "{}", p.label);
        let manifests: BTreeSet<&str> = steps[0].args.split(' ').rev().skip(1).collect();
        assert_eq!(
            manifests,
            BTreeSet::from(["Cargo.toml", "Cargo.lock"]),
            "{}: the dependency layer depends on the manifest and the lock only",
            p.label
        );
        // The same command both times: the second build reuses every dependency.
        let (first, second) = (cargo_build(&steps[1].args), cargo_build(&steps[3].args));
        assert_eq!(first, second, "{}", p.label);
        let first = first.unwrap();
        let feature = p.server.feature();
        for flag in ["--release", "--locked", &format!("--features {feature}")] {
            assert!(first.contains(flag), "{}: {flag} in {first}", p.label);
        }
        // That server's driver alone: not another's instead, nor as well.
        assert_eq!(
            flag_value(first, "--features"),
            Some(feature),
            "{}: {first}",
            p.label
        );
        let manifest: toml_edit::DocumentMut = p.text("Cargo.toml").parse().unwrap();
        assert!(
            manifest["features"].get(feature).is_some(),
            "{}: Cargo.toml has the {feature} feature",
            p.label
        );
    }
}

#[test]
fn the_dockerignore_keeps_what_the_build_reads_and_drops_the_rest() {
    for p in projects() {
        let ignore = p.text(".dockerignore");
        let bin = p.binary();
        for (path, _) in p.files.iter() {
            if path == "Cargo.toml" || path.starts_with("src/") {
                assert!(!docker_ignores(ignore, path), "{}: {path} dropped", p.label);
            }
        }
        assert!(!docker_ignores(ignore, "Cargo.lock"), "{}", p.label);
        for dropped in [
            "target/release/app",
            ".git/HEAD",
            ".env",
            &format!("{bin}.db"),
            &format!("{bin}.db-wal"),
            &format!("{bin}.db-shm"),
        ] {
            assert!(docker_ignores(ignore, dropped), "{}: {dropped}", p.label);
        }
    }
}

#[test]
fn the_runtime_image_runs_the_crates_binary_as_a_non_root_user_on_its_port() {
    for p in projects() {
        let bin = p.binary();
        let port = p.default_port();
        let stages = p.dockerfile();
        let runtime = stages.last().unwrap();
        let copy = runtime
            .all("COPY")
            .find(|args| args.starts_with("--from=build "))
            .unwrap_or_else(|| panic!("{}: no COPY --from=build", p.label));
        let (from, to) = copy["--from=build ".len()..].split_once(' ').unwrap();
        assert!(from.ends_with(&format!("/target/release/{bin}")), "{from}");
        assert_eq!(to, format!("/usr/local/bin/{bin}"), "{}: on PATH", p.label);
        assert_eq!(
            exec_form(runtime.one("CMD")),
            [&bin, "serve"],
            "{}",
            p.label
        );
        let healthcheck = runtime.one("HEALTHCHECK");
        let (_, command) = healthcheck.split_once("CMD ").expect("HEALTHCHECK CMD");
        assert_eq!(exec_form(command), [&bin, "health"], "{}", p.label);
        assert_eq!(runtime.one("STOPSIGNAL"), "SIGTERM", "{}", p.label);
        assert_eq!(runtime.one("EXPOSE"), port.to_string(), "{}", p.label);
        let env = runtime.env();
        let var = |name: &str| env.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str());
        assert_eq!(var("PORT"), Some(port.to_string().as_str()), "{}", p.label);
        assert_eq!(var("HOST"), Some("0.0.0.0"), "{}", p.label);
        let uid = dockerfile_uid(&p);
        assert_ne!(uid, 0, "{}: not root", p.label);
        let cli = p.text("src/cli.rs");
        for command in ["serve", "health", "migrate", "up"] {
            assert!(
                cli.contains(&format!("\"{command}\"")),
                "{}: {command}",
                p.label
            );
        }
    }
}

/// `USER 10001:10001` of the runtime stage: numeric, so Kubernetes can check runAsNonRoot.
fn dockerfile_uid(p: &Project) -> u64 {
    let stages = p.dockerfile();
    let user = stages.last().unwrap().one("USER");
    let uid = user.split(':').next().unwrap();
    uid.parse()
        .unwrap_or_else(|_| panic!("{}: USER {user} is not numeric", p.label))
}

#[test]
fn compose_runs_the_api_after_a_healthy_database_server_with_a_volume() {
    for p in projects() {
        let compose = p.yaml("docker-compose.yml");
        let (api, db) = (&compose["services"]["api"], &compose["services"]["db"]);
        assert_eq!(api["build"], ".", "{}", p.label);
        assert_eq!(
            str_at(api, "/depends_on/db/condition"),
            "service_healthy",
            "{}",
            p.label
        );
        let port = p.default_port();
        let ports = strings(&api["ports"]);
        assert!(
            ports.iter().any(|m| m.ends_with(&format!(":{port}"))),
            "{}: {ports:?} publish {port}",
            p.label
        );
        // Published on loopback only: compose is for this machine, not the network.
        assert!(
            ports.iter().all(|m| m.starts_with("127.0.0.1:")),
            "{}: {ports:?}",
            p.label
        );
        let health = strings(&api["healthcheck"]["test"]);
        assert_eq!(health, ["CMD", &p.binary(), "health"], "{}", p.label);

        let image = str_at(db, "/image");
        assert!(
            image.starts_with(&format!("{}:", p.server.image())),
            "{}: {image}",
            p.label
        );
        let ready = strings(&db["healthcheck"]["test"]);
        // The data directory, and the variables of the role the API connects as.
        let (data_dir, [user, password, database]) = match p.server {
            Server::Postgres => {
                let ready = ready.join(" ");
                assert!(ready.contains("pg_isready"), "{}: {ready}", p.label);
                (
                    "/var/lib/postgresql/data",
                    ["POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB"],
                )
            }
            Server::Mysql => {
                // The official image's own check, as its documentation gives it.
                assert_eq!(
                    ready,
                    ["CMD", "healthcheck.sh", "--connect", "--innodb_initialized"],
                    "{}",
                    p.label
                );
                // The image refuses to start until root's password is settled somehow.
                let root = [
                    "MARIADB_ROOT_PASSWORD",
                    "MARIADB_ROOT_PASSWORD_HASH",
                    "MARIADB_RANDOM_ROOT_PASSWORD",
                    "MARIADB_ALLOW_EMPTY_ROOT_PASSWORD",
                ];
                assert!(
                    root.iter().any(|v| db["environment"].get(v).is_some()),
                    "{}: one of {root:?}",
                    p.label
                );
                (
                    "/var/lib/mysql",
                    ["MARIADB_USER", "MARIADB_PASSWORD", "MARIADB_DATABASE"],
                )
            }
        };
        let volumes = strings(&db["volumes"]);
        let data = volumes
            .iter()
            .find_map(|v| v.strip_suffix(&format!(":{data_dir}")))
            .unwrap_or_else(|| panic!("{}: no data volume in {volumes:?}", p.label));
        assert!(
            compose["volumes"].get(data).is_some(),
            "{}: {data} is a named volume",
            p.label
        );

        let env = &api["environment"];
        let url = str_at(env, "/DATABASE_URL");
        assert!(
            url.starts_with(&format!("{}://", p.server.scheme()))
                && url.contains(&format!("@db:{}/", p.server.port())),
            "{}: {url}",
            p.label
        );
        // As the role the db service makes, into the database it makes.
        let parts = database_url(url);
        let db_env = |name: &str| str_at(db, &format!("/environment/{name}")).to_owned();
        assert_eq!(parts.user, db_env(user), "{}: {url}", p.label);
        assert_eq!(parts.password, db_env(password), "{}: {url}", p.label);
        assert_eq!(parts.database, db_env(database), "{}: {url}", p.label);
        match env.get("JWT_SECRET") {
            Some(secret) => {
                assert!(p.has_auth(), "{}: JWT_SECRET without auth", p.label);
                let secret = secret.as_str().unwrap();
                assert!(
                    secret.starts_with("${JWT_SECRET:?"),
                    "{}: required",
                    p.label
                );
            }
            None => assert!(!p.has_auth(), "{}: JWT_SECRET is missing", p.label),
        }
    }
}

#[test]
fn the_kubernetes_objects_have_their_kinds_names_and_labels() {
    let kinds = [
        ("deployment.yaml", "apps/v1", "Deployment"),
        ("service.yaml", "v1", "Service"),
        ("hpa.yaml", "autoscaling/v2", "HorizontalPodAutoscaler"),
        ("migrate-job.yaml", "batch/v1", "Job"),
        ("secret.example.yaml", "v1", "Secret"),
    ];
    for p in projects() {
        let name = p.kubernetes_name();
        for (file, api_version, kind) in kinds {
            let object = p.yaml(&format!("deploy/kubernetes/{file}"));
            assert_eq!(str_at(&object, "/apiVersion"), api_version, "{file}");
            assert_eq!(str_at(&object, "/kind"), kind, "{}: {file}", p.label);
            let object_name = str_at(&object, "/metadata/name");
            assert!(is_dns_label(object_name), "{}: {object_name}", p.label);
            assert!(object_name.starts_with(&name), "{}: {object_name}", p.label);
            let label = str_at(&object, "/metadata/labels/app.kubernetes.io~1name");
            assert_eq!(label, name, "{}: {file}", p.label);
        }

        let deployment = p.yaml("deploy/kubernetes/deployment.yaml");
        let job = p.yaml("deploy/kubernetes/migrate-job.yaml");
        let service = p.yaml("deploy/kubernetes/service.yaml");
        let hpa = p.yaml("deploy/kubernetes/hpa.yaml");
        let pods = labels(&deployment, "/spec/template/metadata/labels");
        let job_pods = labels(&job, "/spec/template/metadata/labels");
        for pod_labels in [&pods, &job_pods] {
            assert!(pod_labels.contains(&("app.kubernetes.io/name".into(), name.clone())));
        }
        let selector = labels(&deployment, "/spec/selector/matchLabels");
        assert!(selects(&selector, &pods), "{}", p.label);
        let service_selector = labels(&service, "/spec/selector");
        assert!(selects(&service_selector, &pods), "{}", p.label);
        // The migration pod listens on nothing: the Service must not send it requests.
        assert!(!selects(&service_selector, &job_pods), "{}", p.label);
        assert!(!selects(&selector, &job_pods), "{}", p.label);
        assert_eq!(str_at(&hpa, "/spec/scaleTargetRef/kind"), "Deployment");
        assert_eq!(
            str_at(&hpa, "/spec/scaleTargetRef/name"),
            str_at(&deployment, "/metadata/name"),
            "{}",
            p.label
        );
        assert_eq!(str_at(&service, "/spec/type"), "ClusterIP", "{}", p.label);
    }
}

#[test]
fn the_deployment_probes_ports_and_user_match_the_crate() {
    for p in projects() {
        let bin = p.binary();
        let port = p.default_port();
        let deployment = p.yaml("deploy/kubernetes/deployment.yaml");
        let api = container(&deployment);
        assert_eq!(strings(&api["command"]), [&bin, "serve"], "{}", p.label);
        let image = str_at(api, "/image");
        assert!(
            image.starts_with(&format!("{bin}:")),
            "{}: {image}",
            p.label
        );

        let ports = api["ports"].as_array().unwrap();
        assert_eq!(ports.len(), 1, "{}", p.label);
        assert_eq!(ports[0]["containerPort"], port, "{}", p.label);
        let port_name = str_at(&ports[0], "/name");
        assert_eq!(port_name, "http", "{}", p.label);
        let service = p.yaml("deploy/kubernetes/service.yaml");
        assert_eq!(service["spec"]["ports"][0]["targetPort"], port_name);
        assert_eq!(service["spec"]["ports"][0]["port"], 80, "{}", p.label);

        for (probe, path) in [("livenessProbe", "/health"), ("readinessProbe", "/ready")] {
            let get = &api[probe]["httpGet"];
            assert_eq!(get["path"], path, "{}: {probe}", p.label);
            assert_eq!(get["port"], port_name, "{}: {probe}", p.label);
            assert!(p.routes(path), "{}: src/app.rs routes no {path}", p.label);
        }

        let env = container_env(api);
        for (name, var) in &env {
            if let Some(value) = var.get("value") {
                assert!(value.is_string(), "{}: {name}: quote it", p.label);
            }
        }
        assert_eq!(env_value(&env, "HOST"), Some("0.0.0.0"), "{}", p.label);
        assert_eq!(
            env_value(&env, "MIGRATE_ON_START"),
            Some("false"),
            "{}",
            p.label
        );
        assert_eq!(env_value(&env, "LOG_FORMAT"), Some("json"), "{}", p.label);
        if let Some(value) = env_value(&env, "PORT") {
            assert_eq!(value, port.to_string(), "{}", p.label);
        }

        let pod = &deployment["spec"]["template"]["spec"];
        let security = &pod["securityContext"];
        assert_eq!(security["runAsNonRoot"], true, "{}", p.label);
        assert_eq!(security["runAsUser"], dockerfile_uid(&p), "{}", p.label);
        assert_eq!(api["securityContext"]["readOnlyRootFilesystem"], true);
        for bound in ["requests", "limits"] {
            for resource in ["cpu", "memory"] {
                assert!(
                    api["resources"][bound].get(resource).is_some(),
                    "{}: resources.{bound}.{resource}",
                    p.label
                );
            }
        }

        // SIGKILL only after the pause before SIGTERM and the graceful shutdown's bound.
        let shutdown: u64 = env_value(&env, "SHUTDOWN_TIMEOUT_SECS")
            .expect("SHUTDOWN_TIMEOUT_SECS is set")
            .parse()
            .unwrap();
        let pause: u64 = match api.pointer("/lifecycle/preStop/exec/command") {
            Some(command) => strings(command)[1].parse().unwrap(),
            None => 0,
        };
        let grace = pod["terminationGracePeriodSeconds"].as_u64().unwrap();
        assert!(grace > pause + shutdown, "{}: {grace} s", p.label);

        // Every pod's pool, at the most pods, fits the server's default max_connections.
        let hpa = p.yaml("deploy/kubernetes/hpa.yaml");
        let max_pods = hpa["spec"]["maxReplicas"].as_u64().unwrap();
        let pool: u64 = env_value(&env, "DB_MAX_CONNECTIONS")
            .expect("DB_MAX_CONNECTIONS is set")
            .parse()
            .unwrap();
        let limit = p.server.default_max_connections();
        assert!(max_pods * pool < limit, "{}: {max_pods} x {pool}", p.label);
        assert_eq!(
            hpa["spec"]["minReplicas"], deployment["spec"]["replicas"],
            "{}",
            p.label
        );
    }
}

#[test]
fn the_migration_job_runs_migrate_up_with_the_same_image_and_user() {
    for p in projects() {
        let deployment = p.yaml("deploy/kubernetes/deployment.yaml");
        let job = p.yaml("deploy/kubernetes/migrate-job.yaml");
        let migrate = container(&job);
        let command = strings(&migrate["command"]);
        assert_eq!(command, [&p.binary(), "migrate", "up"], "{}", p.label);
        assert_eq!(migrate["image"], container(&deployment)["image"]);
        let pod = &job["spec"]["template"]["spec"];
        assert_eq!(pod["restartPolicy"], "Never", "{}", p.label);
        assert_eq!(pod["securityContext"]["runAsUser"], dockerfile_uid(&p));
        assert_eq!(pod["securityContext"]["runAsNonRoot"], true, "{}", p.label);
    }
}

#[test]
fn every_environment_variable_the_files_set_is_one_the_crate_reads() {
    for p in projects() {
        let mut names = BTreeSet::new();
        for (name, _) in p.dockerfile().last().unwrap().env() {
            names.insert(name);
        }
        let compose = p.yaml("docker-compose.yml");
        let api_env = compose["services"]["api"]["environment"]
            .as_object()
            .expect("environment is a mapping");
        names.extend(api_env.keys().cloned());
        for file in ["deployment.yaml", "migrate-job.yaml"] {
            let object = p.yaml(&format!("deploy/kubernetes/{file}"));
            names.extend(
                container_env(container(&object))
                    .into_iter()
                    .map(|(n, _)| n),
            );
        }
        for name in ["DATABASE_URL", "HOST", "PORT"] {
            assert!(names.contains(name), "{}: {name} is set", p.label);
        }
        let unknown: Vec<&String> = names.iter().filter(|n| !p.knows_variable(n)).collect();
        assert!(
            unknown.is_empty(),
            "{}: src/config.rs and src/cli.rs never name {unknown:?}",
            p.label
        );
    }
}

#[test]
fn the_secret_keys_the_pods_read_are_in_the_example_secret() {
    for p in projects() {
        let secret = p.yaml("deploy/kubernetes/secret.example.yaml");
        let secret_name = str_at(&secret, "/metadata/name");
        let data = secret["stringData"].as_object().expect("stringData");
        let mut read = BTreeSet::new();
        for file in ["deployment.yaml", "migrate-job.yaml"] {
            let object = p.yaml(&format!("deploy/kubernetes/{file}"));
            for (name, var) in container_env(container(&object)) {
                let Some(reference) = var.pointer("/valueFrom/secretKeyRef") else {
                    continue;
                };
                assert_eq!(reference["name"], secret_name, "{}: {file}", p.label);
                let key = str_at(reference, "/key");
                assert!(data.contains_key(key), "{}: {file}: {key}", p.label);
                read.insert(name);
            }
        }
        assert!(read.contains("DATABASE_URL"), "{}", p.label);
        assert_eq!(read.contains("JWT_SECRET"), p.has_auth(), "{}", p.label);
        if let Some(placeholder) = data.get("JWT_SECRET") {
            // An example applied as it is must not start a server with a known secret.
            let placeholder = placeholder.as_str().unwrap();
            assert!(placeholder.len() < MIN_SECRET_BYTES, "{}", p.label);
        }

        // An example URL of the schema's server, in the Secret and in the commands that make
        // it (secret.example.yaml's comment, the README).
        let url = database_url(data["DATABASE_URL"].as_str().expect("a string"));
        assert_eq!(url.scheme, p.server.scheme(), "{}: {url:?}", p.label);
        assert_eq!(url.port, p.server.port(), "{}: {url:?}", p.label);
        // A production PostgreSQL is reached over TLS unless the user says otherwise.
        if p.server == Server::Postgres {
            assert_eq!(url.query, "sslmode=require", "{}: {url:?}", p.label);
        }
        let scheme = format!("{}://", p.server.scheme());
        for path in ["secret.example.yaml", "README.md"] {
            let text = p.text(&format!("deploy/kubernetes/{path}"));
            let examples: Vec<&str> = text
                .match_indices("DATABASE_URL='")
                .map(|(at, quote)| &text[at + quote.len()..])
                .collect();
            assert!(!examples.is_empty(), "{}: {path}", p.label);
            for example in examples {
                assert!(example.starts_with(&scheme), "{}: {path}", p.label);
            }
        }
    }
}

#[test]
fn ci_tests_on_the_schemas_server_as_a_user_who_may_make_databases() {
    for p in projects() {
        let ci = p.yaml(".github/workflows/ci.yml");
        let job = &ci["jobs"]["test"];
        let services = job["services"].as_object().expect("services");
        assert_eq!(services.len(), 1, "{}: {services:?}", p.label);
        let service = services.values().next().unwrap();
        let image = str_at(service, "/image");
        assert!(
            image.starts_with(&format!("{}:", p.server.image())),
            "{}: {image}",
            p.label
        );
        let options = str_at(service, "/options");
        let health = match p.server {
            Server::Postgres => "--health-cmd pg_isready",
            Server::Mysql => "--health-cmd \"healthcheck.sh --connect --innodb_initialized\"",
        };
        assert!(options.contains(health), "{}: {options}", p.label);
        let port = p.server.port();
        let ports = strings(&service["ports"]);
        assert!(
            ports.contains(&format!("{port}:{port}")),
            "{}: {ports:?}",
            p.label
        );
        let env = |name: &str| service["env"].get(name).and_then(Value::as_str);

        let feature = p.server.feature();
        let manifest: toml_edit::DocumentMut = p.text("Cargo.toml").parse().unwrap();
        assert!(manifest["features"].get(feature).is_some(), "{}", p.label);
        let steps = job["steps"].as_array().expect("steps");
        fn run(step: &Value) -> Option<&str> {
            step.get("run").and_then(Value::as_str).map(str::trim)
        }
        let clippy = steps
            .iter()
            .filter_map(run)
            .find(|run| run.starts_with("cargo clippy"))
            .unwrap_or_else(|| panic!("{}: no clippy step", p.label));
        assert_eq!(
            flag_value(clippy, "--features"),
            Some(feature),
            "{}",
            p.label
        );
        let test = format!("cargo test --features {feature}");
        let step = steps
            .iter()
            .find(|step| run(step) == Some(test.as_str()))
            .unwrap_or_else(|| panic!("{}: no `{test}` step", p.label));
        let url = database_url(str_at(step, "/env/TEST_DATABASE_URL"));
        assert_eq!(url.scheme, p.server.scheme(), "{}: {url:?}", p.label);
        assert!(["localhost", "127.0.0.1"].contains(&url.host.as_str()));
        assert_eq!(url.port, port, "{}", p.label);
        // The harness makes a PostgreSQL schema, or a MySQL database, per test.
        let (user, password, database) = match p.server {
            Server::Postgres => (
                env("POSTGRES_USER").unwrap_or("postgres"),
                env("POSTGRES_PASSWORD"),
                env("POSTGRES_DB"),
            ),
            Server::Mysql => (
                "root",
                env("MARIADB_ROOT_PASSWORD"),
                env("MARIADB_DATABASE"),
            ),
        };
        assert_eq!(url.user, user, "{}", p.label);
        assert_eq!(Some(url.password.as_str()), password, "{}", p.label);
        assert_eq!(Some(url.database.as_str()), database, "{}", p.label);
    }
}

#[test]
fn the_deployment_files_name_no_other_database_server() {
    for p in projects() {
        for (path, file) in p.files.iter() {
            let files = [
                "Dockerfile",
                "docker-compose.yml",
                ".github/workflows/ci.yml",
            ];
            if !files.contains(&path) && !path.starts_with("deploy/") {
                continue;
            }
            let text = file.contents.to_lowercase();
            for other in p.server.other_servers() {
                assert!(!text.contains(other), "{}: {path} says {other}", p.label);
            }
        }
    }
}

#[test]
fn the_deployment_files_are_the_users() {
    for p in projects() {
        for (path, file) in p.files.iter() {
            if path == "docker-compose.yml" || path.starts_with("deploy/") {
                assert_eq!(file.ownership, apigen::fileset::Ownership::User, "{path}");
            }
        }
        for path in ["Dockerfile", ".dockerignore"] {
            let ownership = p.files.get(path).unwrap().ownership;
            assert_eq!(ownership, apigen::fileset::Ownership::Generated, "{path}");
        }
    }
}

// ---- The build stage, outside Docker ----

/// Runs the build stage of the minimal fixture's Dockerfile as Docker would: COPY from a
/// context filtered by .dockerignore (files dated long ago, as a checkout's can be), RUN in the
/// WORKDIR. The second build must compile the crate alone, and make the real binary.
#[test]
#[ignore = "builds the generated crate in release mode: minutes, and crates from the registry"]
fn the_dockerfile_build_stage_builds_the_real_binary_outside_docker() {
    let p = projects()
        .into_iter()
        .find(|p| p.label == "minimal.toml")
        .unwrap();
    let bin = p.binary();
    let tmp = tempfile::tempdir().unwrap();
    let context = tmp.path().join("context");
    for (path, file) in p.files.iter() {
        let target = context.join(path);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(target, &file.contents).unwrap();
    }
    shell(&context, "cargo generate-lockfile");
    let ignore = p.text(".dockerignore");

    let root = tmp.path().join("root");
    let stages = p.dockerfile();
    let mut workdir = root.clone();
    let mut builds = Vec::new();
    for step in &stages[0].instructions {
        match step.keyword.as_str() {
            "WORKDIR" => {
                workdir = root.join(step.args.trim_start_matches('/'));
                std::fs::create_dir_all(&workdir).unwrap();
            }
            "COPY" => {
                let mut sources: Vec<&str> = step.args.split(' ').collect();
                let dest = sources.pop().unwrap();
                assert!(dest == "." || dest == "./", "COPY into the WORKDIR");
                for source in sources {
                    copy_context(&context, source, &workdir, ignore);
                }
            }
            "RUN" => {
                let output = shell(&workdir, &step.args);
                if cargo_build(&step.args).is_some() {
                    builds.push(output);
                }
            }
            _ => {}
        }
    }
    assert_eq!(builds.len(), 2);
    let compiled = |output: &str| -> Vec<String> {
        output
            .lines()
            .filter_map(|l| l.trim().strip_prefix("Compiling "))
            .map(|l| l.split(' ').next().unwrap().to_owned())
            .collect()
    };
    let (first, second) = (compiled(&builds[0]), compiled(&builds[1]));
    assert!(
        first.len() > 50,
        "the first build compiles the dependencies"
    );
    assert_eq!(
        second,
        [bin.as_str()],
        "the second build compiles the crate alone"
    );

    let runtime = stages.last().unwrap();
    let copy = runtime
        .all("COPY")
        .find(|args| args.starts_with("--from=build "))
        .unwrap();
    let from = copy["--from=build ".len()..].split(' ').next().unwrap();
    let binary = root.join(from.trim_start_matches('/'));
    let help = Command::new(&binary).arg("help").output().unwrap();
    let usage = String::from_utf8_lossy(&help.stdout);
    assert!(help.status.success() && usage.contains("Usage:"), "{usage}");
}

/// `sh -c script` in `dir`, as RUN does; its stderr, where cargo reports.
fn shell(dir: &Path, script: &str) -> String {
    let output = Command::new("sh")
        .args(["-c", script])
        .current_dir(dir)
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("CARGO_BUILD_TARGET_DIR")
        .env_remove("RUSTFLAGS")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "`{script}` failed:\n{stderr}");
    stderr
}

/// COPY `source` (a file, or `.` for the whole context) into `dest`, leaving out what
/// .dockerignore drops, dated 2001 as a checkout's files can be.
fn copy_context(context: &Path, source: &str, dest: &Path, ignore: &str) {
    let long_ago = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000_000);
    let mut stack = vec![context.join(source)];
    while let Some(path) = stack.pop() {
        let relative = path.strip_prefix(context).unwrap();
        let name = relative.to_string_lossy().replace('\\', "/");
        let name = name.trim_start_matches("./");
        if !name.is_empty() && name != "." && docker_ignores(ignore, name) {
            continue;
        }
        if path.is_dir() {
            for entry in std::fs::read_dir(&path).unwrap() {
                stack.push(entry.unwrap().path());
            }
        } else {
            let target = dest.join(relative);
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::copy(&path, &target).unwrap();
            let file = std::fs::File::options().write(true).open(&target).unwrap();
            file.set_modified(long_ago).unwrap();
        }
    }
}

/// hadolint (installed by scripts/hadolint from PyPI) finds nothing in any Dockerfile.
#[test]
fn hadolint_passes_every_dockerfile() {
    let tmp = tempfile::tempdir().unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/hadolint");
    for p in projects() {
        let path = tmp.path().join(format!("{}.Dockerfile", p.label));
        std::fs::write(&path, p.text("Dockerfile")).unwrap();
        let output = std::process::Command::new(&script)
            .args(["--no-color", "--failure-threshold", "info"])
            .arg(&path)
            .output()
            .expect("scripts/hadolint runs");
        assert!(
            output.status.success(),
            "{}: hadolint:\n{}{}",
            p.label,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

#[test]
fn ci_installs_this_package_at_this_version_reads_only_and_pins_its_actions() {
    let manifest: toml_edit::DocumentMut =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml"))
            .unwrap()
            .parse()
            .unwrap();
    let name = manifest["package"]["name"].as_str().unwrap();
    let version = manifest["package"]["version"].as_str().unwrap();
    // The name `apigen` on crates.io is another project's: installing it runs a stranger's
    // binary in the user's CI.
    assert_ne!(name, "apigen");
    let install = format!("cargo install --locked {name} --version {version}");
    for p in projects() {
        let ci = p.yaml(".github/workflows/ci.yml");
        assert_eq!(
            ci["permissions"],
            serde_json::json!({ "contents": "read" }),
            "{}",
            p.label
        );
        let steps = ci["jobs"]["test"]["steps"].as_array().expect("steps");
        let runs: Vec<&str> = steps
            .iter()
            .filter_map(|s| s.get("run").and_then(Value::as_str))
            .collect();
        assert!(
            runs.iter()
                .any(|run| run.lines().any(|l| l.trim() == install)),
            "{}: no `{install}` in {runs:?}",
            p.label
        );
        for step in steps {
            if let Some(action) = step.get("uses").and_then(Value::as_str) {
                let (_, reference) = action.split_once('@').expect("action@ref");
                assert!(
                    reference.len() == 40 && reference.chars().all(|c| c.is_ascii_hexdigit()),
                    "{}: `{action}` is not pinned to a commit",
                    p.label
                );
            }
        }
    }
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    assert!(readme.contains(&install), "README.md lacks `{install}`");
}
