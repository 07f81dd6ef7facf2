//! The only module that writes a project to disk.
//!
//! It compares the rendered [`FileSet`] with the project on disk and with the manifest of
//! files apigen wrote last time (`.apigen/manifest`), then decides per file: write it,
//! leave it (unchanged, or the user's), or delete it (apigen generated it before and no
//! longer does). [`plan_changes`] decides without touching the disk, so `--dry-run` prints
//! exactly what [`apply`] would do.

use std::collections::BTreeMap;
use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::fileset::{FileSet, Ownership};

/// Where apigen records the files it owns, relative to the project root.
pub const MANIFEST_PATH: &str = ".apigen/manifest";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// A generated file that is new or whose content changes.
    Write,
    /// A user-owned file that does not exist yet.
    Create,
    /// A generated file already up to date.
    Unchanged,
    /// A user-owned file that exists: never touched again.
    KeepUser,
    /// A file apigen generated before and no longer generates.
    Delete,
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Action::Write => "write",
            Action::Create => "create",
            Action::Unchanged => "unchanged",
            Action::KeepUser => "keep (yours)",
            Action::Delete => "delete",
        })
    }
}

/// What applying a file set would do, path by path.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    pub actions: BTreeMap<String, Action>,
}

impl Changes {
    pub fn count(&self, action: &Action) -> usize {
        self.actions.values().filter(|a| *a == action).count()
    }

    /// True when applying would change nothing on disk.
    pub fn is_noop(&self) -> bool {
        self.actions
            .values()
            .all(|a| matches!(a, Action::Unchanged | Action::KeepUser))
    }

    /// One line per path, for `--dry-run` and `-v`.
    pub fn report(&self, include_unchanged: bool) -> String {
        let mut out = String::new();
        for (path, action) in &self.actions {
            if include_unchanged || !matches!(action, Action::Unchanged | Action::KeepUser) {
                out.push_str(&format!("{action:>12}  {path}\n"));
            }
        }
        out
    }

    pub fn summary(&self) -> String {
        format!(
            "{} written, {} created, {} deleted, {} unchanged, {} of yours kept",
            self.count(&Action::Write),
            self.count(&Action::Create),
            self.count(&Action::Delete),
            self.count(&Action::Unchanged),
            self.count(&Action::KeepUser),
        )
    }
}

/// An I/O failure, with the path it happened on.
#[derive(Debug)]
pub struct WriteError {
    pub path: PathBuf,
    pub source: io::Error,
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.source)
    }
}

impl std::error::Error for WriteError {}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> WriteError + '_ {
    move |source| WriteError {
        path: path.to_path_buf(),
        source,
    }
}

/// Decides what [`apply`] would do with `files` in `root`. Reads, never writes.
pub fn plan_changes(root: &Path, files: &FileSet) -> Result<Changes, WriteError> {
    let mut changes = Changes::default();
    for (path, file) in files.iter() {
        let on_disk = read_if_exists(&root.join(path))?;
        let action = match (file.ownership, on_disk) {
            (Ownership::User, Some(_)) => Action::KeepUser,
            (Ownership::User, None) => Action::Create,
            (Ownership::Generated, Some(text)) if text == file.contents => Action::Unchanged,
            (Ownership::Generated, _) => Action::Write,
        };
        changes.actions.insert(path.to_string(), action);
    }
    for path in read_manifest(root)? {
        if files.get(&path).is_none() && root.join(&path).exists() {
            changes.actions.insert(path, Action::Delete);
        }
    }
    let manifest = render_manifest(files);
    let manifest_on_disk = read_if_exists(&root.join(MANIFEST_PATH))?;
    let manifest_action = if manifest_on_disk.as_deref() == Some(manifest.as_str()) {
        Action::Unchanged
    } else {
        Action::Write
    };
    changes
        .actions
        .insert(MANIFEST_PATH.to_string(), manifest_action);
    Ok(changes)
}

/// Puts `files` on disk in `root` as [`plan_changes`] decided, and records the manifest.
pub fn apply(root: &Path, files: &FileSet) -> Result<Changes, WriteError> {
    let changes = plan_changes(root, files)?;
    for (path, action) in &changes.actions {
        let target = root.join(path);
        match action {
            Action::Write | Action::Create => {
                let contents = match files.get(path) {
                    Some(file) => file.contents.clone(),
                    None => render_manifest(files),
                };
                write_atomically(&target, contents.as_bytes())?;
            }
            Action::Delete => {
                fs::remove_file(&target).map_err(io_err(&target))?;
                remove_empty_parents(root, &target);
            }
            Action::Unchanged | Action::KeepUser => {}
        }
    }
    Ok(changes)
}

fn read_if_exists(path: &Path) -> Result<Option<String>, WriteError> {
    match fs::read(path) {
        Ok(bytes) => Ok(Some(String::from_utf8_lossy(&bytes).into_owned())),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io_err(path)(e)),
    }
}

/// The generated paths recorded last time; empty for a project apigen never wrote.
fn read_manifest(root: &Path) -> Result<Vec<String>, WriteError> {
    let Some(text) = read_if_exists(&root.join(MANIFEST_PATH))? else {
        return Ok(Vec::new());
    };
    Ok(text
        .lines()
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .filter_map(|line| line.split_once("  ").map(|(_, path)| path.to_string()))
        .collect())
}

/// One line per generated file: a content hash, two spaces, the path.
pub fn render_manifest(files: &FileSet) -> String {
    let mut out = String::from(
        "# Files apigen generates in this project; it deletes only files listed here.\n",
    );
    for (path, file) in files.iter() {
        if file.ownership == Ownership::Generated {
            out.push_str(&format!(
                "{:016x}  {path}\n",
                fnv1a(file.contents.as_bytes())
            ));
        }
    }
    out
}

/// FNV-1a, 64 bits: stable across platforms and Rust versions, enough to notice a change.
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in bytes {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// Writes through a temporary file in the same folder and a rename, so a crash never
/// leaves a half-written file behind.
fn write_atomically(target: &Path, contents: &[u8]) -> Result<(), WriteError> {
    if let Some(parent) = target.parent() {
        fs::create_dir_all(parent).map_err(io_err(parent))?;
    }
    let file_name = target
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = target.with_file_name(format!(".{file_name}.apigen-tmp"));
    fs::write(&temp, contents).map_err(io_err(&temp))?;
    fs::rename(&temp, target).map_err(|e| {
        let _ = fs::remove_file(&temp);
        io_err(target)(e)
    })
}

fn remove_empty_parents(root: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(current) = dir {
        if current == root || fs::remove_dir(current).is_err() {
            break;
        }
        dir = current.parent();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(entries: &[(&str, &str, Ownership)]) -> FileSet {
        let mut files = FileSet::new();
        for (path, text, ownership) in entries {
            match ownership {
                Ownership::Generated => files.generated(*path, text.to_string()),
                Ownership::User => files.user(*path, text.to_string()),
            }
        }
        files
    }

    #[test]
    fn user_files_are_written_once_and_generated_files_follow_the_schema() {
        let dir = tempfile::tempdir().unwrap();
        let first = set(&[
            ("src/lib.rs", "v1", Ownership::Generated),
            ("src/main.rs", "starter", Ownership::User),
        ]);
        apply(dir.path(), &first).unwrap();
        fs::write(dir.path().join("src/main.rs"), "mine").unwrap();

        let second = set(&[
            ("src/lib.rs", "v2", Ownership::Generated),
            ("src/main.rs", "starter v2", Ownership::User),
        ]);
        let changes = apply(dir.path(), &second).unwrap();
        assert_eq!(changes.actions["src/lib.rs"], Action::Write);
        assert_eq!(changes.actions["src/main.rs"], Action::KeepUser);
        assert_eq!(
            fs::read_to_string(dir.path().join("src/lib.rs")).unwrap(),
            "v2"
        );
        assert_eq!(
            fs::read_to_string(dir.path().join("src/main.rs")).unwrap(),
            "mine"
        );
    }

    #[test]
    fn files_no_longer_generated_are_deleted_but_others_are_left() {
        let dir = tempfile::tempdir().unwrap();
        let first = set(&[
            ("src/a.rs", "a", Ownership::Generated),
            ("src/old/b.rs", "b", Ownership::Generated),
        ]);
        apply(dir.path(), &first).unwrap();
        fs::write(dir.path().join("src/mine.rs"), "mine").unwrap();

        let second = set(&[("src/a.rs", "a", Ownership::Generated)]);
        let changes = apply(dir.path(), &second).unwrap();
        assert_eq!(changes.actions["src/old/b.rs"], Action::Delete);
        assert_eq!(changes.actions["src/a.rs"], Action::Unchanged);
        assert!(!dir.path().join("src/old").exists());
        assert!(dir.path().join("src/mine.rs").exists());
    }

    #[test]
    fn planning_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let files = set(&[("src/lib.rs", "v1", Ownership::Generated)]);
        let changes = plan_changes(dir.path(), &files).unwrap();
        assert_eq!(changes.actions["src/lib.rs"], Action::Write);
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn a_second_apply_of_the_same_set_is_a_noop() {
        let dir = tempfile::tempdir().unwrap();
        let files = set(&[
            ("src/lib.rs", "v1", Ownership::Generated),
            ("src/main.rs", "m", Ownership::User),
        ]);
        apply(dir.path(), &files).unwrap();
        assert!(plan_changes(dir.path(), &files).unwrap().is_noop());
    }
}
