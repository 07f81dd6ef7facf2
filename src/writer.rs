//! The only module that writes a project to disk.
//!
//! It compares the rendered [`FileSet`] with the project on disk and with the manifest of
//! the files apigen wrote last time (`.apigen/manifest`, each with the hash of what was
//! written), then decides per file: write it, leave it (unchanged, the user's, or taken
//! over in `.apigenignore`), or delete it (apigen wrote it before and no longer does).
//! A generated file whose content on disk is not what apigen wrote has been edited by
//! the user: that is a conflict, and nothing is written unless the caller forces it.
//!
//! [`plan_changes`] decides without touching the disk, so `--dry-run` and `apigen check`
//! show exactly what [`apply`] would do. [`apply`] writes the whole set or nothing.

use std::collections::BTreeMap;
use std::fmt;
use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use crate::fileset::{FileSet, Ownership};

/// Where apigen records the files it owns, relative to the project root.
pub const MANIFEST_PATH: &str = ".apigen/manifest";

/// Where a user lists generated files to take over, one path or pattern a line.
pub const IGNORE_PATH: &str = ".apigenignore";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// A generated file that is new or whose content changes.
    Write,
    /// A user-owned file that does not exist yet.
    Create,
    /// A generated file already up to date.
    Unchanged,
    /// A user-owned file that exists: never touched again.
    KeepUser,
    /// A generated file the user took over in `.apigenignore`.
    Ignored,
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
            Action::Ignored => "keep (ignored)",
            Action::Delete => "delete",
        })
    }
}

/// What applying a file set would do, path by path.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    pub actions: BTreeMap<String, Action>,
    /// Generated files the user edited, which the change would overwrite or delete.
    pub conflicts: Vec<String>,
    /// The manifest that records this file set.
    manifest: String,
}

impl Changes {
    pub fn count(&self, action: Action) -> usize {
        self.actions.values().filter(|a| **a == action).count()
    }

    /// Paths with `action`, in order.
    pub fn paths(&self, action: Action) -> impl Iterator<Item = &str> {
        self.actions
            .iter()
            .filter(move |(_, a)| **a == action)
            .map(|(path, _)| path.as_str())
    }

    /// True when applying would change nothing on disk.
    pub fn is_noop(&self) -> bool {
        self.actions
            .values()
            .all(|a| matches!(a, Action::Unchanged | Action::KeepUser | Action::Ignored))
    }

    /// One line per path, for `--dry-run` and `-v`.
    pub fn report(&self, include_unchanged: bool) -> String {
        let mut out = String::new();
        for (path, action) in &self.actions {
            let quiet = matches!(action, Action::Unchanged | Action::KeepUser);
            if include_unchanged || !quiet {
                out.push_str(&format!("{action:>14}  {path}\n"));
            }
        }
        out
    }

    pub fn summary(&self) -> String {
        format!(
            "{} written, {} created, {} deleted, {} unchanged, {} of yours kept",
            self.count(Action::Write),
            self.count(Action::Create),
            self.count(Action::Delete),
            self.count(Action::Unchanged),
            self.count(Action::KeepUser) + self.count(Action::Ignored),
        )
    }
}

/// Why a project was not written.
#[derive(Debug)]
pub enum WriteError {
    Io {
        path: PathBuf,
        source: io::Error,
        /// Files the write had replaced and could not put back, each with why: they
        /// hold the new text (or are gone), and the message says so.
        not_restored: Vec<String>,
    },
    /// Generated files the user edited; nothing was written.
    Conflicts(Vec<String>),
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WriteError::Io {
                path,
                source,
                not_restored,
            } => {
                write!(f, "{}: {source}", path.display())?;
                if not_restored.is_empty() {
                    return write!(f, "; nothing was changed");
                }
                write!(
                    f,
                    "; these files could not be put back as they were, and hold the new text \
                     or are missing:"
                )?;
                for line in not_restored {
                    write!(f, "\n  {line}")?;
                }
                Ok(())
            }
            WriteError::Conflicts(paths) => {
                writeln!(
                    f,
                    "these generated files were edited by hand, and regenerating would lose the edits:"
                )?;
                for path in paths {
                    writeln!(f, "  {path}")?;
                }
                write!(
                    f,
                    "nothing was written. Move your change into a file of yours (src/hooks/ for \
                     hooks and routes), or take the file over by listing it in {IGNORE_PATH}; \
                     or pass --force to overwrite the edits"
                )
            }
        }
    }
}

impl std::error::Error for WriteError {}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> WriteError + '_ {
    move |source| WriteError::Io {
        path: path.to_path_buf(),
        source,
        not_restored: Vec::new(),
    }
}

/// Decides what [`apply`] would do with `files` in `root`. Reads, never writes.
/// With `force`, edited generated files are overwritten instead of reported as conflicts.
pub fn plan_changes(root: &Path, files: &FileSet, force: bool) -> Result<Changes, WriteError> {
    let manifest = read_manifest(root)?;
    let ignore = IgnoreList::read(root)?;
    // The new manifest hashes every generated file, as long as reading the disk: on a
    // second thread, meanwhile.
    std::thread::scope(|scope| {
        let new_manifest = scope.spawn(|| render_manifest(files, &ignore));
        let mut changes = compare(root, files, force, &manifest, &ignore)?;
        changes.manifest = new_manifest
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        let manifest_on_disk = read_if_exists(&root.join(MANIFEST_PATH))?;
        let manifest_action = if manifest_on_disk.as_deref() == Some(changes.manifest.as_str()) {
            Action::Unchanged
        } else {
            Action::Write
        };
        changes
            .actions
            .insert(MANIFEST_PATH.to_string(), manifest_action);
        Ok(changes)
    })
}

/// The action on each file of `files`, and on each file of the last `manifest` that
/// `files` no longer has; the conflicts.
fn compare(
    root: &Path,
    files: &FileSet,
    force: bool,
    manifest: &BTreeMap<String, u64>,
    ignore: &IgnoreList,
) -> Result<Changes, WriteError> {
    let mut changes = Changes::default();
    // Each file is read into this one buffer, and becomes a string only when it differs.
    let mut on_disk = Vec::new();
    for (path, file) in files.iter() {
        let action = match file.ownership {
            // A file of the user's is never read: whether it exists is all that counts.
            Ownership::User if exists(&root.join(path))? => Action::KeepUser,
            Ownership::User => Action::Create,
            Ownership::Generated if ignore.matches(path) => Action::Ignored,
            Ownership::Generated => {
                if !read_into(&root.join(path), &mut on_disk)? {
                    Action::Write
                } else if on_disk == file.contents.as_bytes() {
                    Action::Unchanged
                } else {
                    let text = String::from_utf8_lossy(&on_disk);
                    if !force && !written_by_apigen(manifest, path, &text) {
                        changes.conflicts.push(path.to_string());
                    }
                    Action::Write
                }
            }
        };
        changes.actions.insert(path.to_string(), action);
    }
    for path in manifest.keys() {
        if files.get(path).is_some() || ignore.matches(path) {
            continue;
        }
        if let Some(text) = read_if_exists(&root.join(path))? {
            if !force && !written_by_apigen(manifest, path, &text) {
                changes.conflicts.push(path.clone());
            }
            changes.actions.insert(path.clone(), Action::Delete);
        }
    }
    Ok(changes)
}

/// Puts `files` on disk in `root` as [`plan_changes`] decided, and records the manifest.
/// Conflicts write nothing. The set is written all or nothing: every new text is staged
/// next to its target first, and a failure puts back what was already replaced.
pub fn apply(root: &Path, files: &FileSet, force: bool) -> Result<Changes, WriteError> {
    apply_with(root, files, force, &[])
}

/// [`apply`], with `edits` (path and new text: files of the user's that a command
/// changes, such as apigen.toml for `apigen add`) written in the same set: all of them
/// or none.
pub fn apply_with(
    root: &Path,
    files: &FileSet,
    force: bool,
    edits: &[(&str, &str)],
) -> Result<Changes, WriteError> {
    let changes = plan_changes(root, files, force)?;
    if !changes.conflicts.is_empty() {
        return Err(WriteError::Conflicts(changes.conflicts.clone()));
    }
    let mut batch = Batch::new(root);
    let result = (|| {
        for (path, text) in edits {
            batch.stage(path, text.as_bytes())?;
        }
        for (path, action) in &changes.actions {
            match action {
                Action::Write | Action::Create => {
                    let contents = match files.get(path) {
                        Some(file) => file.contents.as_str(),
                        None => changes.manifest.as_str(),
                    };
                    batch.stage(path, contents.as_bytes())?;
                }
                Action::Delete => batch.remove(path),
                Action::Unchanged | Action::KeepUser | Action::Ignored => {}
            }
        }
        batch.commit()
    })();
    match result {
        Ok(()) => {
            batch.finish();
            Ok(changes)
        }
        Err(mut err) => {
            let failed = batch.roll_back();
            if let WriteError::Io { not_restored, .. } = &mut err {
                *not_restored = failed;
            }
            Err(err)
        }
    }
}

/// Whether `text` is what apigen last wrote at `path`, by the manifest's hash.
fn written_by_apigen(manifest: &BTreeMap<String, u64>, path: &str, text: &str) -> bool {
    manifest.get(path) == Some(&fnv1a(text.as_bytes()))
}

/// The file's text; bytes that are not UTF-8 (never apigen's) read as U+FFFD.
fn read_if_exists(path: &Path) -> Result<Option<String>, WriteError> {
    match fs::read(path) {
        Ok(bytes) => {
            Ok(Some(String::from_utf8(bytes).unwrap_or_else(|e| {
                String::from_utf8_lossy(e.as_bytes()).into_owned()
            })))
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io_err(path)(e)),
    }
}

/// Reads the file into `buffer`; false when there is none.
fn read_into(path: &Path, buffer: &mut Vec<u8>) -> Result<bool, WriteError> {
    buffer.clear();
    match fs::File::open(path).and_then(|mut file| file.read_to_end(buffer)) {
        Ok(_) => Ok(true),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(io_err(path)(e)),
    }
}

fn exists(path: &Path) -> Result<bool, WriteError> {
    match fs::metadata(path) {
        Ok(_) => Ok(true),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(io_err(path)(e)),
    }
}

/// The generated paths recorded last time, with the hash of what was written; empty for
/// a project apigen never wrote.
fn read_manifest(root: &Path) -> Result<BTreeMap<String, u64>, WriteError> {
    Ok(read_manifest_entries(root)?
        .into_iter()
        .map(|(path, entry)| (path, entry.written))
        .collect())
}

/// A line of the manifest: the hash of what was written and, for a file rustfmt laid
/// out, the hash of the text it laid out.
struct ManifestEntry {
    written: u64,
    laid_out_from: Option<u64>,
}

/// Every line of the manifest, by path.
fn read_manifest_entries(root: &Path) -> Result<BTreeMap<String, ManifestEntry>, WriteError> {
    let Some(text) = read_if_exists(&root.join(MANIFEST_PATH))? else {
        return Ok(BTreeMap::new());
    };
    Ok(text
        .lines()
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .filter_map(|line| {
            let (hashes, path) = line.split_once("  ")?;
            let (written, laid_out_from) = match hashes.split_once(':') {
                Some((written, from)) => (written, Some(u64::from_str_radix(from, 16).ok()?)),
                None => (hashes, None),
            };
            let written = u64::from_str_radix(written, 16).ok()?;
            let entry = ManifestEntry {
                written,
                laid_out_from,
            };
            Some((path.to_string(), entry))
        })
        .collect())
}

/// What the last generation of the project in `root` laid out, to reuse: given a path
/// and the hash of the text to lay out, the file on disk when the manifest says it was
/// laid out from that very text and it is still what apigen wrote. A project apigen
/// never wrote, or an unreadable manifest, reuses nothing.
pub fn laid_out_before(root: &Path) -> impl Fn(&str, u64) -> Option<String> + Sync {
    let manifest = read_manifest_entries(root).unwrap_or_default();
    let root = root.to_path_buf();
    move |path: &str, from: u64| {
        let entry = manifest.get(path)?;
        if entry.laid_out_from != Some(from) {
            return None;
        }
        let text = fs::read_to_string(root.join(path)).ok()?;
        (fnv1a(text.as_bytes()) == entry.written).then_some(text)
    }
}

/// One line per generated file apigen owns: a content hash (and, after a colon, the hash
/// of the text rustfmt laid out, for a file it did), two spaces, the path.
fn render_manifest(files: &FileSet, ignore: &IgnoreList) -> String {
    let mut out = String::from(
        "# Files apigen generates in this project, with the hash of what it wrote.\n\
         # It rewrites and deletes only these, and stops if one was edited by hand.\n",
    );
    for (path, file) in files.iter() {
        if file.ownership == Ownership::Generated && !ignore.matches(path) {
            let written = fnv1a(file.contents.as_bytes());
            match file.laid_out_from {
                Some(from) => out.push_str(&format!("{written:016x}:{from:016x}  {path}\n")),
                None => out.push_str(&format!("{written:016x}  {path}\n")),
            }
        }
    }
    out
}

/// FNV-1a, 64 bits: stable across platforms and Rust versions, enough to notice an edit.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in bytes {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// The patterns of `.apigenignore`: a path (`src/routes/posts.rs`), a folder
/// (`src/routes/`), or a `*` wildcard within a path (`tests/*.rs`).
#[derive(Debug, Default)]
struct IgnoreList {
    patterns: Vec<String>,
}

impl IgnoreList {
    fn read(root: &Path) -> Result<IgnoreList, WriteError> {
        let text = read_if_exists(&root.join(IGNORE_PATH))?.unwrap_or_default();
        let patterns = text
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty() && !line.starts_with('#'))
            .map(|line| {
                line.trim_start_matches("./")
                    .trim_start_matches('/')
                    .to_string()
            })
            .collect();
        Ok(IgnoreList { patterns })
    }

    fn matches(&self, path: &str) -> bool {
        self.patterns.iter().any(|pattern| {
            if let Some(folder) = pattern.strip_suffix('/') {
                path.starts_with(&format!("{folder}/"))
            } else {
                wildcard_match(pattern, path)
            }
        })
    }
}

/// `*` matches any run of characters except `/`; everything else matches itself.
fn wildcard_match(pattern: &str, path: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == path,
        Some((head, tail)) => {
            let Some(rest) = path.strip_prefix(head) else {
                return false;
            };
            rest.char_indices()
                .map(|(i, _)| i)
                .chain(std::iter::once(rest.len()))
                .take_while(|&i| !rest[..i].contains('/'))
                .any(|i| wildcard_match(tail, &rest[i..]))
        }
    }
}

/// A set of file changes made all or nothing: new texts are staged beside their targets,
/// replaced and deleted files are kept aside until the whole set is in place.
struct Batch<'a> {
    root: &'a Path,
    /// (staged file, target)
    staged: Vec<(PathBuf, PathBuf)>,
    removals: Vec<PathBuf>,
    /// (kept-aside old file, target): what to put back on failure.
    replaced: Vec<(PathBuf, PathBuf)>,
    /// Targets that did not exist before and now do.
    created: Vec<PathBuf>,
}

impl<'a> Batch<'a> {
    fn new(root: &'a Path) -> Batch<'a> {
        Batch {
            root,
            staged: Vec::new(),
            removals: Vec::new(),
            replaced: Vec::new(),
            created: Vec::new(),
        }
    }

    fn stage(&mut self, path: &str, contents: &[u8]) -> Result<(), WriteError> {
        let target = self.root.join(path);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).map_err(io_err(parent))?;
        }
        let temp = sibling(&target, "apigen-new");
        fs::write(&temp, contents).map_err(io_err(&temp))?;
        self.staged.push((temp, target));
        Ok(())
    }

    fn remove(&mut self, path: &str) {
        self.removals.push(self.root.join(path));
    }

    /// Moves every staged file into place and every removed file aside.
    fn commit(&mut self) -> Result<(), WriteError> {
        for (temp, target) in std::mem::take(&mut self.staged) {
            if target.exists() {
                let old = sibling(&target, "apigen-old");
                fs::rename(&target, &old).map_err(io_err(&target))?;
                self.replaced.push((old, target.clone()));
            } else {
                self.created.push(target.clone());
            }
            fs::rename(&temp, &target).map_err(io_err(&target))?;
        }
        for target in std::mem::take(&mut self.removals) {
            let old = sibling(&target, "apigen-old");
            fs::rename(&target, &old).map_err(io_err(&target))?;
            self.replaced.push((old, target));
        }
        Ok(())
    }

    /// The set is in place: drop what was kept aside, and folders left empty.
    fn finish(self) {
        for (old, target) in &self.replaced {
            let _ = fs::remove_file(old);
            if !target.exists() {
                remove_empty_parents(self.root, target);
            }
        }
    }

    /// Something failed: put the project back as it was. Returns each replaced file it
    /// could not put back, with why (a staged or created file left behind is only clutter,
    /// and is not reported).
    fn roll_back(self) -> Vec<String> {
        for (temp, _) in &self.staged {
            let _ = fs::remove_file(temp);
        }
        for target in &self.created {
            let _ = fs::remove_file(target);
            remove_empty_parents(self.root, target);
        }
        let mut failed = Vec::new();
        for (old, target) in self.replaced.iter().rev() {
            if let Err(e) = fs::rename(old, target) {
                let kept = old.display();
                failed.push(format!(
                    "{} ({e}; the old text is in {kept})",
                    target.display()
                ));
            }
        }
        failed
    }
}

/// `dir/.name.suffix`: a hidden file beside `target`, on the same file system.
fn sibling(target: &Path, suffix: &str) -> PathBuf {
    let name = target
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    target.with_file_name(format!(".{name}.{suffix}"))
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

    fn read(dir: &Path, path: &str) -> String {
        fs::read_to_string(dir.join(path)).unwrap()
    }

    #[test]
    fn user_files_are_written_once_and_generated_files_follow_the_schema() {
        let dir = tempfile::tempdir().unwrap();
        let first = set(&[
            ("src/lib.rs", "v1", Ownership::Generated),
            ("src/main.rs", "starter", Ownership::User),
        ]);
        apply(dir.path(), &first, false).unwrap();
        fs::write(dir.path().join("src/main.rs"), "mine").unwrap();

        let second = set(&[
            ("src/lib.rs", "v2", Ownership::Generated),
            ("src/main.rs", "starter v2", Ownership::User),
        ]);
        let changes = apply(dir.path(), &second, false).unwrap();
        assert_eq!(changes.actions["src/lib.rs"], Action::Write);
        assert_eq!(changes.actions["src/main.rs"], Action::KeepUser);
        assert_eq!(read(dir.path(), "src/lib.rs"), "v2");
        assert_eq!(read(dir.path(), "src/main.rs"), "mine");
    }

    #[test]
    fn files_no_longer_generated_are_deleted_but_others_are_left() {
        let dir = tempfile::tempdir().unwrap();
        let first = set(&[
            ("src/a.rs", "a", Ownership::Generated),
            ("src/old/b.rs", "b", Ownership::Generated),
        ]);
        apply(dir.path(), &first, false).unwrap();
        fs::write(dir.path().join("src/mine.rs"), "mine").unwrap();

        let second = set(&[("src/a.rs", "a", Ownership::Generated)]);
        let changes = apply(dir.path(), &second, false).unwrap();
        assert_eq!(changes.actions["src/old/b.rs"], Action::Delete);
        assert_eq!(changes.actions["src/a.rs"], Action::Unchanged);
        assert!(!dir.path().join("src/old").exists());
        assert!(dir.path().join("src/mine.rs").exists());
    }

    #[test]
    fn an_edited_generated_file_stops_the_write_and_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let first = set(&[
            ("src/a.rs", "a1", Ownership::Generated),
            ("src/b.rs", "b1", Ownership::Generated),
        ]);
        apply(dir.path(), &first, false).unwrap();
        fs::write(dir.path().join("src/b.rs"), "b1 with my edit").unwrap();

        let second = set(&[
            ("src/a.rs", "a2", Ownership::Generated),
            ("src/b.rs", "b2", Ownership::Generated),
        ]);
        match apply(dir.path(), &second, false) {
            Err(WriteError::Conflicts(paths)) => assert_eq!(paths, vec!["src/b.rs"]),
            other => panic!("expected a conflict, got {other:?}"),
        }
        assert_eq!(read(dir.path(), "src/a.rs"), "a1", "nothing written");
        assert_eq!(read(dir.path(), "src/b.rs"), "b1 with my edit");

        apply(dir.path(), &second, true).unwrap();
        assert_eq!(read(dir.path(), "src/b.rs"), "b2", "--force overwrites");
    }

    #[test]
    fn a_command_s_edit_is_written_with_the_set_or_not_at_all() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("apigen.toml"), "old").unwrap();
        let first = set(&[("src/a.rs", "a1", Ownership::Generated)]);
        apply(dir.path(), &first, false).unwrap();

        // With the set.
        let second = set(&[("src/a.rs", "a2", Ownership::Generated)]);
        apply_with(dir.path(), &second, false, &[("apigen.toml", "new")]).unwrap();
        assert_eq!(read(dir.path(), "apigen.toml"), "new");
        assert_eq!(read(dir.path(), "src/a.rs"), "a2");

        // A conflict: neither.
        fs::write(dir.path().join("src/a.rs"), "a2 with my edit").unwrap();
        let third = set(&[("src/a.rs", "a3", Ownership::Generated)]);
        let refused = apply_with(dir.path(), &third, false, &[("apigen.toml", "newer")]);
        assert!(matches!(refused, Err(WriteError::Conflicts(_))));
        assert_eq!(read(dir.path(), "apigen.toml"), "new");

        // A file that cannot be written (its folder is a file): neither, and no litter.
        fs::write(dir.path().join("src/a.rs"), "a2").unwrap();
        fs::write(dir.path().join("blocked"), "a file").unwrap();
        let fourth = set(&[
            ("src/a.rs", "a4", Ownership::Generated),
            ("blocked/b.rs", "b", Ownership::Generated),
        ]);
        let failed = apply_with(dir.path(), &fourth, false, &[("apigen.toml", "newest")]);
        let message = failed.expect_err("the write fails").to_string();
        assert!(message.ends_with("nothing was changed"), "{message}");
        assert_eq!(read(dir.path(), "apigen.toml"), "new");
        assert_eq!(read(dir.path(), "src/a.rs"), "a2");
        let mut left: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, [".apigen", "apigen.toml", "blocked", "src"]);
    }

    #[test]
    fn a_write_that_could_not_be_undone_says_which_files() {
        let error = WriteError::Io {
            path: PathBuf::from("p/src/b.rs"),
            source: io::Error::other("disk full"),
            not_restored: vec![
                "p/apigen.toml (gone; the old text is in p/.apigen.toml.old)".into(),
            ],
        };
        let message = error.to_string();
        assert!(message.starts_with("p/src/b.rs: disk full; these files could not be put back"));
        assert!(
            message.ends_with("\n  p/apigen.toml (gone; the old text is in p/.apigen.toml.old)")
        );
    }

    #[test]
    fn an_edit_that_matches_the_new_output_is_no_conflict() {
        let dir = tempfile::tempdir().unwrap();
        apply(
            dir.path(),
            &set(&[("a.rs", "1", Ownership::Generated)]),
            false,
        )
        .unwrap();
        fs::write(dir.path().join("a.rs"), "2").unwrap();
        let changes = apply(
            dir.path(),
            &set(&[("a.rs", "2", Ownership::Generated)]),
            false,
        );
        assert_eq!(changes.unwrap().actions["a.rs"], Action::Unchanged);
    }

    #[test]
    fn a_file_apigen_never_wrote_is_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("a.rs"), "the user's").unwrap();
        let files = set(&[("a.rs", "generated", Ownership::Generated)]);
        assert!(matches!(
            apply(dir.path(), &files, false),
            Err(WriteError::Conflicts(_))
        ));
        assert_eq!(read(dir.path(), "a.rs"), "the user's");
    }

    #[test]
    fn an_edited_file_that_would_be_deleted_is_a_conflict() {
        let dir = tempfile::tempdir().unwrap();
        apply(
            dir.path(),
            &set(&[("a.rs", "1", Ownership::Generated)]),
            false,
        )
        .unwrap();
        fs::write(dir.path().join("a.rs"), "edited").unwrap();
        let result = apply(dir.path(), &FileSet::new(), false);
        assert!(matches!(result, Err(WriteError::Conflicts(_))));
        assert_eq!(read(dir.path(), "a.rs"), "edited");
    }

    #[test]
    fn ignored_files_are_the_users() {
        let dir = tempfile::tempdir().unwrap();
        let first = set(&[
            ("src/routes/a.rs", "a1", Ownership::Generated),
            ("src/b.rs", "b1", Ownership::Generated),
        ]);
        apply(dir.path(), &first, false).unwrap();
        fs::write(dir.path().join(IGNORE_PATH), "# mine now\nsrc/routes/\n").unwrap();
        fs::write(dir.path().join("src/routes/a.rs"), "my version").unwrap();

        let second = set(&[
            ("src/routes/a.rs", "a2", Ownership::Generated),
            ("src/b.rs", "b2", Ownership::Generated),
        ]);
        let changes = apply(dir.path(), &second, false).unwrap();
        assert_eq!(changes.actions["src/routes/a.rs"], Action::Ignored);
        assert_eq!(read(dir.path(), "src/routes/a.rs"), "my version");
        assert_eq!(read(dir.path(), "src/b.rs"), "b2");
        assert!(!read(dir.path(), MANIFEST_PATH).contains("src/routes/a.rs"));
    }

    #[test]
    fn wildcards_stay_within_a_folder() {
        assert!(wildcard_match("tests/*.rs", "tests/posts.rs"));
        assert!(!wildcard_match("tests/*.rs", "tests/common/mod.rs"));
        assert!(wildcard_match("src/*/posts.rs", "src/routes/posts.rs"));
        assert!(wildcard_match("Dockerfile", "Dockerfile"));
        assert!(!wildcard_match("Dockerfile", "src/Dockerfile"));
    }

    #[test]
    fn a_failure_halfway_leaves_the_project_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let first = set(&[
            ("a.rs", "a1", Ownership::Generated),
            ("z/b.rs", "b1", Ownership::Generated),
        ]);
        apply(dir.path(), &first, false).unwrap();
        let before_manifest = read(dir.path(), MANIFEST_PATH);
        // A file where a folder must go: writing `q/x.rs` fails after `a.rs` is staged.
        fs::write(dir.path().join("q"), "in the way").unwrap();
        let second = set(&[
            ("a.rs", "a2", Ownership::Generated),
            ("q/x.rs", "x", Ownership::Generated),
            ("z/b.rs", "b2", Ownership::Generated),
        ]);
        assert!(apply(dir.path(), &second, true).is_err());
        assert_eq!(read(dir.path(), "a.rs"), "a1");
        assert_eq!(read(dir.path(), "z/b.rs"), "b1");
        assert_eq!(read(dir.path(), MANIFEST_PATH), before_manifest);
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.contains("apigen-"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }

    #[test]
    fn planning_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let files = set(&[("src/lib.rs", "v1", Ownership::Generated)]);
        let changes = plan_changes(dir.path(), &files, false).unwrap();
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
        apply(dir.path(), &files, false).unwrap();
        assert!(plan_changes(dir.path(), &files, false).unwrap().is_noop());
    }
}
