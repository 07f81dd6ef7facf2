//! The apigen command line, run as a user runs it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn apigen(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_apigen"))
        .args(args)
        .current_dir(cwd)
        .env_remove("NO_COLOR")
        .stdin(Stdio::null())
        .output()
        .expect("apigen runs")
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Every file below `dir` with its bytes, to compare whole trees.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in std::fs::read_dir(&current).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                files.insert(path.strip_prefix(dir).unwrap().to_path_buf(), bytes);
            }
        }
    }
    files
}

#[test]
fn new_creates_a_complete_project_from_a_schema() {
    let tmp = tempfile::tempdir().unwrap();
    let out = apigen(
        &[
            "new",
            "shop",
            "--schema",
            fixture("shop.toml").to_str().unwrap(),
        ],
        tmp.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let dir = tmp.path().join("shop");
    for file in [
        "apigen.toml",
        ".env",
        ".gitignore",
        "Cargo.toml",
        "README.md",
        "Dockerfile",
        ".dockerignore",
        "src/main.rs",
        "src/lib.rs",
        ".apigen/manifest",
    ] {
        assert!(dir.join(file).is_file(), "{file} is missing");
    }
    let schema = std::fs::read_to_string(dir.join("apigen.toml")).unwrap();
    assert_eq!(
        schema,
        std::fs::read_to_string(fixture("shop.toml")).unwrap()
    );
    let env = std::fs::read_to_string(dir.join(".env")).unwrap();
    assert!(
        env.contains("DATABASE_URL=sqlite://shop.db?mode=rwc"),
        "{env}"
    );
    assert!(stderr(&out).contains("cargo run"), "says what to do next");
}

#[test]
fn new_writes_the_secret_env_file_for_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let env = project(tmp.path(), "shop.toml").join(".env");
    assert!(
        std::fs::read_to_string(&env)
            .unwrap()
            .contains("JWT_SECRET=")
    );
    let mode = std::fs::metadata(&env).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, ".env is {mode:o}");
}

#[test]
fn new_without_a_terminal_never_waits_and_uses_the_starter() {
    let tmp = tempfile::tempdir().unwrap();
    // No --yes and no --schema, but standard input is not a terminal: no questions.
    let out = apigen(&["new", "todo-app"], tmp.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let schema = std::fs::read_to_string(tmp.path().join("todo-app/apigen.toml")).unwrap();
    assert!(schema.contains("name = \"todo_app\""), "{schema}");
    assert!(tmp.path().join("todo-app/src/routes").is_dir());
}

#[test]
fn new_with_db_sets_the_database_and_keeps_comments() {
    let tmp = tempfile::tempdir().unwrap();
    let out = apigen(
        &[
            "new",
            "blog",
            "--schema",
            fixture("blog.toml").to_str().unwrap(),
            "--db",
            "postgres",
        ],
        tmp.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let schema = std::fs::read_to_string(tmp.path().join("blog/apigen.toml")).unwrap();
    assert!(schema.contains("database = \"postgres\""));
    assert!(schema.starts_with("# A blog"));
    let cargo = std::fs::read_to_string(tmp.path().join("blog/Cargo.toml")).unwrap();
    assert!(cargo.contains("postgres"), "postgres driver compiled in");
}

#[test]
fn new_refuses_a_non_empty_folder_and_touches_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("busy");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("notes.txt"), "mine").unwrap();
    let before = tree(&dir);
    let out = apigen(&["new", "busy", "--yes"], tmp.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("not empty"), "{}", stderr(&out));
    assert_eq!(tree(&dir), before);
}

#[test]
fn new_on_an_apigen_project_points_at_generate() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(apigen(&["new", "p", "--yes"], tmp.path()).status.success());
    let before = tree(&tmp.path().join("p"));
    let out = apigen(&["new", "p", "--yes"], tmp.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("apigen generate"), "{}", stderr(&out));
    assert_eq!(tree(&tmp.path().join("p")), before);
}

#[test]
fn new_with_an_invalid_schema_creates_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let bad = fixture("invalid/unknown_type.toml");
    let out = apigen(&["new", "x", "--schema", bad.to_str().unwrap()], tmp.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(!tmp.path().join("x").exists());
}

#[test]
fn validate_accepts_every_valid_fixture() {
    for name in ["minimal.toml", "blog.toml", "shop.toml"] {
        let out = apigen(
            &["validate", fixture(name).to_str().unwrap()],
            Path::new("."),
        );
        assert!(out.status.success(), "{name}: {}", stderr(&out));
    }
}

#[test]
fn validate_rejects_every_invalid_fixture_with_a_location() {
    let dir = fixture("invalid");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            seen += 1;
            let out = apigen(&["validate", path.to_str().unwrap()], Path::new("."));
            assert_eq!(out.status.code(), Some(1), "{}", path.display());
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let err = stderr(&out);
            assert!(
                err.contains(&format!("{name}:")),
                "{name}: no file:line:col in\n{err}"
            );
            assert!(err.contains("help:"), "{name}: no help in\n{err}");
            assert!(!err.contains('\u{1b}'), "no colour when not on a terminal");
        }
    }
    assert!(seen >= 20, "only {seen} invalid fixtures");
}

#[test]
fn usage_and_io_errors_exit_with_2() {
    let out = apigen(&["validate", "/no/such/apigen.toml"], Path::new("."));
    assert_eq!(out.status.code(), Some(2));
    let out = apigen(&["generate", "--no-such-flag"], Path::new("."));
    assert_eq!(out.status.code(), Some(2));
    let tmp = tempfile::tempdir().unwrap();
    let out = apigen(&["generate"], tmp.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("apigen new"), "{}", stderr(&out));
}

#[test]
fn help_documents_exit_codes() {
    let out = apigen(&["--help"], Path::new("."));
    assert!(out.status.success());
    let help = stdout(&out);
    assert!(help.contains("Exit codes"), "{help}");
    assert!(help.contains("2  usage or I/O error"), "{help}");
}

#[test]
fn generate_dry_run_reports_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(apigen(&["new", "p", "--yes"], tmp.path()).status.success());
    let dir = tmp.path().join("p");
    let mut schema = std::fs::read_to_string(dir.join("apigen.toml")).unwrap();
    schema.push_str("\n[resources.Label.fields]\nname = \"string\"\n");
    std::fs::write(dir.join("apigen.toml"), &schema).unwrap();
    let before = tree(&dir);

    let out = apigen(&["generate", "--dry-run"], &dir);
    assert!(out.status.success(), "{}", stderr(&out));
    let report = stdout(&out);
    assert!(report.contains("src/routes/labels.rs"), "{report}");
    assert!(
        report.contains("create") && report.contains("src/hooks/label.rs"),
        "{report}"
    );
    assert!(report.contains("nothing was changed"), "{report}");
    assert_eq!(tree(&dir), before, "--dry-run changed the project");

    let out = apigen(&["generate"], &dir);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(dir.join("src/routes/labels.rs").is_file());
}

#[test]
fn generate_keeps_user_files_and_removes_what_it_no_longer_generates() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(apigen(&["new", "p", "--yes"], tmp.path()).status.success());
    let dir = tmp.path().join("p");
    let main = dir.join("src/main.rs");
    let mine = format!(
        "{}\n// my own line\n",
        std::fs::read_to_string(&main).unwrap()
    );
    std::fs::write(&main, &mine).unwrap();
    std::fs::write(dir.join("src/extra.rs"), "// mine\n").unwrap();

    let schema = std::fs::read_to_string(dir.join("apigen.toml")).unwrap();
    let renamed = schema.replace("[resources.Task", "[resources.Chore");
    std::fs::write(dir.join("apigen.toml"), renamed).unwrap();
    // Without a declared rename, Task's table would be dropped: refused, nothing written.
    let before = tree(&dir);
    let out = apigen(&["generate"], &dir);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("drop table tasks (every row)")
            && stderr(&out).contains("--allow-data-loss"),
        "{}",
        stderr(&out)
    );
    assert_eq!(tree(&dir), before, "a refused generate changed the project");
    let out = apigen(&["generate", "--allow-data-loss"], &dir);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        dir.join("src/migrations/m0001_create_tasks.rs").is_file()
            && dir.join("src/migrations/m0002_alter_schema.rs").is_file(),
        "the first migration is kept, the change is a new one"
    );

    assert_eq!(std::fs::read_to_string(&main).unwrap(), mine);
    assert!(
        dir.join("src/extra.rs").is_file(),
        "a file apigen never wrote is left alone"
    );
    assert!(dir.join("src/routes/chores.rs").is_file());
    assert!(
        !dir.join("src/routes/tasks.rs").exists(),
        "stale generated file deleted"
    );
    assert!(
        dir.join("src/hooks/task.rs").is_file(),
        "a user-owned hook file is never deleted"
    );
}

#[test]
fn generate_twice_gives_byte_identical_trees() {
    let tmp = tempfile::tempdir().unwrap();
    let schema = fixture("shop.toml");
    for name in ["a", "b"] {
        let out = apigen(
            &["new", name, "--schema", schema.to_str().unwrap()],
            tmp.path(),
        );
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let out = apigen(&["generate", "b"], tmp.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let (mut a, mut b) = (tree(&tmp.path().join("a")), tree(&tmp.path().join("b")));
    // `.env` holds a random JWT_SECRET of its own in each project, by design.
    let secret = |env: Option<Vec<u8>>| {
        let env = String::from_utf8(env.unwrap_or_default()).unwrap();
        let line = env.lines().find_map(|l| l.strip_prefix("JWT_SECRET="));
        let secret = line.expect("a JWT_SECRET line").to_string();
        assert!(
            secret.len() == 64 && secret.bytes().all(|b| b.is_ascii_hexdigit()),
            "{secret:?}"
        );
        secret
    };
    assert_ne!(
        secret(a.remove(Path::new(".env"))),
        secret(b.remove(Path::new(".env")))
    );
    let differ: Vec<&PathBuf> = a.keys().filter(|k| a.get(*k) != b.get(*k)).collect();
    assert!(differ.is_empty(), "generated differently: {differ:?}");
    assert_eq!(a.len(), b.len());
}

#[test]
fn a_schema_error_in_generate_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(apigen(&["new", "p", "--yes"], tmp.path()).status.success());
    let dir = tmp.path().join("p");
    let mut schema = std::fs::read_to_string(dir.join("apigen.toml")).unwrap();
    schema.push_str("\n[resources.Label.fields]\nname = \"strng\"\n");
    std::fs::write(dir.join("apigen.toml"), &schema).unwrap();
    let before = tree(&dir);
    let out = apigen(&["generate"], &dir);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("apigen.toml:"), "{}", stderr(&out));
    assert_eq!(tree(&dir), before);
}

#[test]
fn check_is_0_when_up_to_date_and_1_with_a_diff_after_an_edit() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(apigen(&["new", "p", "--yes"], tmp.path()).status.success());
    let dir = tmp.path().join("p");
    let out = apigen(&["check"], &dir);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    // The schema changes: check fails until generate runs.
    let mut schema = std::fs::read_to_string(dir.join("apigen.toml")).unwrap();
    schema.push_str("\n[resources.Label.fields]\nname = \"string\"\n");
    std::fs::write(dir.join("apigen.toml"), &schema).unwrap();
    let before = tree(&dir);
    let out = apigen(&["check"], &dir);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("src/routes/labels.rs"),
        "{}",
        stdout(&out)
    );
    assert_eq!(tree(&dir), before, "check writes nothing");
    assert!(apigen(&["generate"], &dir).status.success());
    assert_eq!(apigen(&["check"], &dir).status.code(), Some(0));

    // A generated file edited by hand: check names it, and -v shows the diff.
    let routes = dir.join("src/routes/labels.rs");
    let edited = format!("{}// my edit\n", std::fs::read_to_string(&routes).unwrap());
    std::fs::write(&routes, &edited).unwrap();
    let out = apigen(&["check"], &dir);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("edited by hand: src/routes/labels.rs"));
    assert!(!stdout(&out).contains("-// my edit"), "{}", stdout(&out));
    let out = apigen(&["check", "-v"], &dir);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("-// my edit"), "{}", stdout(&out));
    assert!(stdout(&out).contains("edited by hand: src/routes/labels.rs"));

    // An error is 2.
    std::fs::write(dir.join("apigen.toml"), "not toml [").unwrap();
    let out = apigen(&["check"], &dir);
    assert_eq!(
        out.status.code(),
        Some(2),
        "a schema error is an error of the check"
    );
    assert!(stderr(&out).contains("apigen.toml:1:"), "{}", stderr(&out));
}

#[test]
fn generate_stops_on_a_hand_edited_file_and_writes_nothing_without_force() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(apigen(&["new", "p", "--yes"], tmp.path()).status.success());
    let dir = tmp.path().join("p");
    let routes = dir.join("src/routes/tasks.rs");
    let edited = format!("{}// my edit\n", std::fs::read_to_string(&routes).unwrap());
    std::fs::write(&routes, &edited).unwrap();
    let mut schema = std::fs::read_to_string(dir.join("apigen.toml")).unwrap();
    schema.push_str("\n[resources.Label.fields]\nname = \"string\"\n");
    std::fs::write(dir.join("apigen.toml"), &schema).unwrap();
    let before = tree(&dir);

    let out = apigen(&["generate"], &dir);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("src/routes/tasks.rs"), "{err}");
    assert!(
        err.contains("src/hooks/") && err.contains("--force"),
        "{err}"
    );
    assert_eq!(tree(&dir), before, "nothing written");

    // Taking the file over in .apigenignore keeps the edit and lets the rest regenerate.
    std::fs::write(dir.join(".apigenignore"), "src/routes/tasks.rs\n").unwrap();
    let out = apigen(&["generate"], &dir);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&routes).unwrap(), edited);
    assert!(dir.join("src/routes/labels.rs").is_file());

    // --force overwrites an edit.
    std::fs::remove_file(dir.join(".apigenignore")).unwrap();
    let out = apigen(&["generate", "--force"], &dir);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        !std::fs::read_to_string(&routes)
            .unwrap()
            .contains("my edit")
    );
}

#[test]
fn add_resource_edits_the_schema_in_place_and_regenerates() {
    let tmp = tempfile::tempdir().unwrap();
    let out = apigen(
        &[
            "new",
            "b",
            "--schema",
            fixture("blog.toml").to_str().unwrap(),
        ],
        tmp.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let dir = tmp.path().join("b");
    let before = std::fs::read_to_string(dir.join("apigen.toml")).unwrap();
    let out = apigen(
        &[
            "add",
            "resource",
            "Review",
            "body:text",
            "post:belongs_to:Post",
            "rating:int?",
            "--dir",
            dir.to_str().unwrap(),
        ],
        tmp.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let after = std::fs::read_to_string(dir.join("apigen.toml")).unwrap();
    assert!(
        after.starts_with(&before),
        "every comment and line kept:\n{after}"
    );
    assert!(after.ends_with(
        "\n[resources.Review.fields]\nbody = \"text\"\npost = { type = \"belongs_to\", resource = \"Post\" }\nrating = \"int?\"\n"
    ), "{after}");
    assert!(dir.join("src/routes/reviews.rs").is_file());
    assert!(dir.join("src/hooks/review.rs").is_file());
    assert_eq!(apigen(&["check"], &dir).status.code(), Some(0));

    assert!(dir.join("src/migrations/m0006_create_reviews.rs").is_file());

    // Reviews may have rows now: a required field without a default cannot fill them.
    let before = tree(&dir);
    let out = apigen(&["add", "field", "Review", "stars:int"], &dir);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("`stars` would be a new required field of Review")
            && stderr(&out).contains("`apigen add field Review stars:int=0`")
            && stderr(&out).contains("`apigen add field Review stars:int?`"),
        "{}",
        stderr(&out)
    );
    assert_eq!(tree(&dir), before, "a refused add changed the project");

    let out = apigen(
        &["add", "field", "Review", "stars:int?", "note:string?"],
        &dir,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let models = std::fs::read_to_string(dir.join("src/models/review.rs")).unwrap();
    assert!(
        models.contains("pub stars: Option<i32>,") && models.contains("pub note: Option<String>,")
    );
    let migration =
        std::fs::read_to_string(dir.join("src/migrations/m0007_alter_reviews.rs")).unwrap();
    assert!(
        migration.contains("//! add column reviews.stars\n//! add column reviews.note\n"),
        "{migration}"
    );
    assert_eq!(apigen(&["check"], &dir).status.code(), Some(0));
}

#[test]
fn add_resource_sets_access_or_says_it_is_denied_by_default() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = project(tmp.path(), "shop.toml");

    // No --access (and no terminal to ask on): every operation is admin's, and it says so.
    let out = apigen(&["add", "resource", "Coupon", "code:string"], &dir);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(
            "Coupon access: read admin, write admin. Not named in `access`, so denied to all \
             but admin by default: list, get, create, update, delete. Open them with `access` \
             in [resources.Coupon] of apigen.toml."
        ),
        "{}",
        stderr(&out)
    );
    let routes = std::fs::read_to_string(dir.join("src/routes/coupons.rs")).unwrap();
    assert!(
        routes.contains("list: Rule::Role(UserRole::Admin),"),
        "{routes}"
    );

    let out = apigen(
        &[
            "add",
            "resource",
            "Review",
            "body:text",
            "--access",
            "read=public,write=customer",
        ],
        &dir,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("Review access: read public, write customer.\n"),
        "{}",
        stderr(&out)
    );
    let toml = std::fs::read_to_string(dir.join("apigen.toml")).unwrap();
    assert!(
        toml.ends_with(
            "[resources.Review]\naccess = { read = \"public\", write = \"customer\" }\n\n\
             [resources.Review.fields]\nbody = \"text\"\n"
        ),
        "{toml}"
    );
    assert_eq!(apigen(&["check"], &dir).status.code(), Some(0));

    let before = tree(&dir);
    for (access, says) in [
        ("read=everyone", "unknown access rule `everyone`"),
        ("raed=public", "did you mean `read`?"),
    ] {
        let out = apigen(
            &["add", "resource", "Tag", "x:int", "--access", access],
            &dir,
        );
        assert_eq!(out.status.code(), Some(1), "{access}: {}", stderr(&out));
        assert!(stderr(&out).contains(says), "{access}: {}", stderr(&out));
        assert_eq!(tree(&dir), before, "--access {access} changed the project");
    }
}

#[test]
fn add_with_bad_input_says_what_is_wrong_and_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(apigen(&["new", "p", "--yes"], tmp.path()).status.success());
    let dir = tmp.path().join("p");
    let before = tree(&dir);
    for (args, expected) in [
        (
            vec!["add", "field", "Task", "stars:strng"],
            "did you mean `string`",
        ),
        (
            vec!["add", "field", "Task", "title:string"],
            "already has a field",
        ),
        (vec!["add", "field", "Tsak", "x:int"], "did you mean `Task`"),
        (
            vec!["add", "resource", "Task", "x:int"],
            "already has a resource",
        ),
        (vec!["add", "resource", "bad_name", "x:int"], "PascalCase"),
        (vec!["add", "resource", "Tag", "9x:int"], "not a field name"),
        (
            vec!["add", "resource", "Tag", "owner:belongs_to:Nobody"],
            "does not exist",
        ),
    ] {
        let out = apigen(&args, &dir);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains(expected),
            "{args:?}: {}",
            stderr(&out)
        );
        assert_eq!(tree(&dir), before, "{args:?} changed the project");
    }

    // A hand-edited generated file stops the regeneration, and the schema is put back.
    let routes = dir.join("src/routes/tasks.rs");
    let edited = format!("{}// mine\n", std::fs::read_to_string(&routes).unwrap());
    std::fs::write(&routes, edited).unwrap();
    let before = tree(&dir);
    let out = apigen(&["add", "field", "Task", "stars:int?"], &dir);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("src/routes/tasks.rs"),
        "{}",
        stderr(&out)
    );
    assert_eq!(tree(&dir), before, "a refused add changed the project");
}

/// A project made from fixtures/minimal.toml (notes: title, body).
fn minimal_project(tmp: &Path) -> PathBuf {
    project(tmp, "minimal.toml")
}

/// A project `p` in `tmp` made by `apigen new` from fixture `name`.
fn project(tmp: &Path, name: &str) -> PathBuf {
    let schema = fixture(name);
    let out = apigen(&["new", "p", "--schema", schema.to_str().unwrap()], tmp);
    assert!(out.status.success(), "{}", stderr(&out));
    tmp.join("p")
}

#[test]
fn add_refuses_a_migration_that_loses_data_like_generate_does() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = minimal_project(tmp.path());
    // A hand edit drops the field `body`: its column would go with the next migration.
    let schema = std::fs::read_to_string(dir.join("apigen.toml")).unwrap();
    let edited = schema.replace("body = \"text?\"\n", "");
    assert_ne!(edited, schema, "the fixture has a `body` field");
    std::fs::write(dir.join("apigen.toml"), &edited).unwrap();
    let before = tree(&dir);

    for args in [
        vec!["add", "field", "Note", "stars:int?"],
        vec!["add", "resource", "Tag", "label:string"],
        vec!["generate"],
    ] {
        let out = apigen(&args, &dir);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(
            err.contains("this migration would lose data")
                && err.contains("drop column notes.body (its values)")
                && err.contains("Nothing was written")
                && err.contains("--allow-data-loss"),
            "{args:?}: {err}"
        );
        assert_eq!(tree(&dir), before, "{args:?} changed the project");
    }

    // `check` only reports: the pending migration and its loss, exit 1, nothing written.
    let out = apigen(&["check"], &dir);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("loses data: drop column notes.body (its values)"),
        "{}",
        stdout(&out)
    );
    assert_eq!(tree(&dir), before, "check changed the project");

    let out = apigen(
        &["add", "field", "Note", "stars:int?", "--allow-data-loss"],
        &dir,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let schema = std::fs::read_to_string(dir.join("apigen.toml")).unwrap();
    assert!(schema.ends_with("stars = \"int?\"\n"), "{schema}");
    let migration =
        std::fs::read_to_string(dir.join("src/migrations/m0002_alter_notes.rs")).unwrap();
    assert!(
        migration.contains("//! add column notes.stars\n//! drop column notes.body\n"),
        "{migration}"
    );
    assert_eq!(apigen(&["check"], &dir).status.code(), Some(0));

    // `add resource` takes the flag too.
    let schema = std::fs::read_to_string(dir.join("apigen.toml")).unwrap();
    std::fs::write(
        dir.join("apigen.toml"),
        schema.replace("stars = \"int?\"\n", ""),
    )
    .unwrap();
    let before = tree(&dir);
    let out = apigen(&["add", "resource", "Tag", "label:string"], &dir);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("drop column notes.stars"),
        "{}",
        stderr(&out)
    );
    assert_eq!(tree(&dir), before);
    let out = apigen(
        &[
            "add",
            "resource",
            "Tag",
            "label:string",
            "--allow-data-loss",
        ],
        &dir,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(dir.join("src/routes/tags.rs").is_file());
    assert_eq!(apigen(&["check"], &dir).status.code(), Some(0));
}

#[test]
fn add_field_takes_defaults_and_its_refusal_shows_the_command_that_works() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = minimal_project(tmp.path());
    let before = tree(&dir);
    let out = apigen(&["add", "field", "Note", "priority:int"], &dir);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    let suggested = "apigen add field Note priority:int=0";
    assert!(err.contains(&format!("`{suggested}`")), "{err}");
    assert_eq!(tree(&dir), before, "a refused add changed the project");

    // The suggestion, as typed.
    let args: Vec<&str> = suggested.split(' ').skip(1).collect();
    let out = apigen(&args, &dir);
    assert!(out.status.success(), "{suggested}: {}", stderr(&out));

    let out = apigen(
        &[
            "add",
            "field",
            "Note",
            "status:string=draft",
            "price:decimal=0",
            "active:bool=true",
            "due:date=2024-12-31",
        ],
        &dir,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let schema = std::fs::read_to_string(dir.join("apigen.toml")).unwrap();
    assert!(
        schema.ends_with(
            "priority = { type = \"int\", default = 0 }\n\
             status = { type = \"string\", default = \"draft\" }\n\
             price = { type = \"decimal\", default = 0 }\n\
             active = { type = \"bool\", default = true }\n\
             due = { type = \"date\", default = \"2024-12-31\" }\n"
        ),
        "{schema}"
    );
    let models = std::fs::read_to_string(dir.join("src/models/note.rs")).unwrap();
    assert!(models.contains("Decimal::new(0, 0)"), "{models}");
    assert_eq!(apigen(&["check"], &dir).status.code(), Some(0));

    // A default the field cannot take: the checker says so, at its place in the schema
    // `add` would write, and nothing changes.
    let before = tree(&dir);
    for (spec, expected) in [
        ("big:int=99999999999", "does not fit a 32-bit `int`"),
        (
            "n:int=many",
            "`many` (in `n:int=many`) is not a whole number",
        ),
        ("p:decimal=1e3", "is not a decimal number"),
    ] {
        let out = apigen(&["add", "field", "Note", spec], &dir);
        assert_eq!(out.status.code(), Some(1), "{spec}: {}", stderr(&out));
        assert!(stderr(&out).contains(expected), "{spec}: {}", stderr(&out));
        assert_eq!(tree(&dir), before, "{spec} changed the project");
    }
}

#[test]
fn validate_and_add_say_in_one_line_what_they_did() {
    let minimal = fixture("minimal.toml");
    let out = apigen(&["validate", minimal.to_str().unwrap()], Path::new("."));
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        format!("{}: valid (1 resource: Note)\n", minimal.display())
    );
    let shop = fixture("shop.toml");
    let out = apigen(&["validate", shop.to_str().unwrap()], Path::new("."));
    assert_eq!(
        stderr(&out),
        format!(
            "{}: valid (5 resources: User, Customer, Category, Product, Order)\n",
            shop.display()
        )
    );

    let tmp = tempfile::tempdir().unwrap();
    let dir = minimal_project(tmp.path());
    let out = apigen(&["add", "field", "Note", "priority:int=3"], &dir);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    let line = err
        .strip_prefix(
            "added field priority to Note; wrote src/migrations/m0002_add_notes_priority.rs \
             and regenerated ",
        )
        .and_then(|rest| rest.strip_suffix(" files\n"))
        .unwrap_or_else(|| panic!("not the one line expected: {err:?}"));
    assert!(line.parse::<usize>().is_ok_and(|n| n > 1), "{err:?}");

    let out = apigen(
        &["add", "resource", "Tag", "label:string", "color:string?"],
        &dir,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.starts_with(
            "added resource Tag with fields label, color; wrote src/hooks/tag.rs, \
             src/migrations/m0003_create_tags.rs and regenerated "
        ) && err.lines().count() == 1,
        "{err:?}"
    );

    // -v adds the file-by-file detail.
    let out = apigen(&["add", "field", "Tag", "rank:int?", "-v"], &dir);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("write  src/routes/tags.rs")
            && err.contains("create  src/migrations/m0004_add_tags_rank.rs")
            && err.ends_with(" files\n")
            && err.contains("added field rank to Tag; wrote src/migrations/m0004_add_tags_rank.rs"),
        "{err}"
    );
}

#[test]
fn check_names_the_files_a_change_regenerates_and_shows_diffs_only_with_v() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = minimal_project(tmp.path());
    let mut schema = std::fs::read_to_string(dir.join("apigen.toml")).unwrap();
    schema.push_str("priority = { type = \"int\", default = 3 }\n");
    std::fs::write(dir.join("apigen.toml"), &schema).unwrap();
    let before = tree(&dir);

    let out = apigen(&["check"], &dir);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let report = stdout(&out);
    assert!(
        report.starts_with(
            "pending migration (apigen.toml changed the database):\n  \
             m0002_add_notes_priority:\n    add column notes.priority\n"
        ),
        "{report}"
    );
    for path in ["openapi.json", "src/models/note.rs", "src/routes/notes.rs"] {
        assert!(
            report.contains(&format!("\nregenerated: {path}\n")),
            "{path}: {report}"
        );
    }
    assert!(
        report
            .lines()
            .all(|l| !l.starts_with("@@") && !l.starts_with("+++") && !l.starts_with("---")),
        "no diff without -v: {report}"
    );
    assert!(report.lines().count() < 20, "{report}");
    let err = stderr(&out);
    assert!(
        err.contains("run `apigen generate`") && err.contains("`apigen check -v`"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");

    let out = apigen(&["check", "-v"], &dir);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let report = stdout(&out);
    assert!(
        report.contains("pending migration")
            && report.contains("--- a/openapi.json\n+++ b/openapi.json\n@@")
            && report.contains("+    pub priority: i32,"),
        "{report}"
    );
    assert!(!report.contains("regenerated: "), "{report}");
    assert!(!stderr(&out).contains("check -v"), "{}", stderr(&out));
    assert_eq!(tree(&dir), before, "check writes nothing");
}

#[test]
fn regenerating_reuses_only_what_rustfmt_laid_out_from_the_same_text() {
    let tmp = tempfile::tempdir().unwrap();
    let schema = fixture("tracker.toml");
    let out = apigen(
        &["new", "a", "--schema", schema.to_str().unwrap()],
        tmp.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let a = tmp.path().join("a");
    let manifest = std::fs::read_to_string(a.join(".apigen/manifest")).unwrap();
    let laid_out: Vec<&str> = manifest
        .lines()
        .filter(|line| !line.starts_with('#') && line.split("  ").next().unwrap().contains(':'))
        .filter_map(|line| line.split("  ").nth(1))
        .collect();
    assert!(
        laid_out.contains(&"tests/tasks.rs"),
        "the manifest records the files rustfmt laid out:\n{manifest}"
    );

    // A laid-out file edited by hand is not taken as laid out: --force lays it out again.
    let edited = a.join("tests/tasks.rs");
    let original = std::fs::read_to_string(&edited).unwrap();
    std::fs::write(&edited, format!("{original}// mine\n")).unwrap();
    let out = apigen(&["generate", "a"], tmp.path());
    assert!(!out.status.success(), "an edited file stops the write");
    let out = apigen(&["generate", "a", "--force"], tmp.path());
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&edited).unwrap(), original);

    // After a schema edit, every file is what a new project of that schema holds.
    let toml = a.join("apigen.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    let text = text.replace(
        "[resources.Task.fields]\n",
        "[resources.Task.fields]\nestimated_completion_minutes = \"int?\"\n",
    );
    std::fs::write(&toml, &text).unwrap();
    let out = apigen(&["generate", "a"], tmp.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let edited_schema = tmp.path().join("edited.toml");
    std::fs::write(&edited_schema, &text).unwrap();
    let out = apigen(
        &["new", "b", "--schema", edited_schema.to_str().unwrap()],
        tmp.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let (a, b) = (tree(&a), tree(&tmp.path().join("b")));
    let compared: Vec<&PathBuf> = b
        .keys()
        .filter(|path| {
            let path = path.to_string_lossy();
            path.ends_with(".rs") && !path.starts_with("src/migrations")
        })
        .collect();
    assert!(compared.len() > 20);
    let differ: Vec<&&PathBuf> = compared
        .iter()
        .filter(|k| a.get(**k) != b.get(**k))
        .collect();
    assert!(differ.is_empty(), "generated differently: {differ:?}");
}
