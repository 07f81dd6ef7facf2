//! The output of rendering: every file of a generated project, in memory.
//!
//! Rendering produces a [`FileSet`]; only the writer puts it on disk. Snapshot tests,
//! `--dry-run` and (later) `apigen check` all look at the same value.

use std::collections::BTreeMap;

/// Who owns a file once it is on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ownership {
    /// apigen's: rewritten on every `apigen generate`.
    Generated,
    /// The user's: written once, when missing, and never again.
    User,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    pub contents: String,
    pub ownership: Ownership,
    /// For a file rustfmt laid out: the hash of the text before (see `layout`), which
    /// the manifest records so that the next generation can reuse the laid-out text.
    pub laid_out_from: Option<u64>,
}

/// Relative path (always `/`-separated) to file. Ordered, so every walk is deterministic.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileSet {
    files: BTreeMap<String, File>,
}

impl FileSet {
    pub fn new() -> FileSet {
        FileSet::default()
    }

    /// Adds a file apigen owns. Panics on a path added twice: that is a bug in the renderer.
    pub fn generated(&mut self, path: impl Into<String>, contents: String) {
        self.insert(path.into(), contents, Ownership::Generated);
    }

    /// Adds a file the user owns once it exists.
    pub fn user(&mut self, path: impl Into<String>, contents: String) {
        self.insert(path.into(), contents, Ownership::User);
    }

    fn insert(&mut self, path: String, contents: String, ownership: Ownership) {
        let previous = self.files.insert(
            path.clone(),
            File {
                contents,
                ownership,
                laid_out_from: None,
            },
        );
        assert!(previous.is_none(), "renderer produced {path} twice");
    }

    pub fn get(&self, path: &str) -> Option<&File> {
        self.files.get(path)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &File)> {
        self.files.iter().map(|(path, file)| (path.as_str(), file))
    }

    /// Every file whose path ends with `suffix`, to change in place.
    pub fn files_mut<'a>(
        &'a mut self,
        suffix: &'a str,
    ) -> impl Iterator<Item = (&'a str, &'a mut File)> + 'a {
        self.files
            .iter_mut()
            .filter(move |(path, _)| path.ends_with(suffix))
            .map(|(path, file)| (path.as_str(), file))
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}
