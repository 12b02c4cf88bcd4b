//! The pipeline in one place: load → parse → check → plan → emit. Adapters call these and
//! decide what to print.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::diag::Diagnostic;
use crate::model::Model;
use crate::source::{FileId, SourceMap};
use crate::syntax::ParseCache;

/// Settings that change what the checker concludes.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// The date runtime lifecycle rules compare against (RT-02/RT-03). Tests pin it
    /// through `LAMC_TODAY` so that they do not rot.
    pub today: NaiveDate,
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions {
            today: today_from_env(),
        }
    }
}

/// `LAMC_TODAY=YYYY-MM-DD` when set and valid, else the system's date (UTC).
pub fn today_from_env() -> NaiveDate {
    std::env::var("LAMC_TODAY")
        .ok()
        .and_then(|s| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok())
        .unwrap_or_else(|| chrono::Utc::now().date_naive())
}

/// The result of checking one program: its files, the model (when checking got far enough
/// to build one) and every diagnostic, sorted.
#[derive(Debug, Clone)]
pub struct Compilation {
    pub sources: SourceMap,
    pub root: FileId,
    pub model: Option<Model>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Compilation {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Read `path` and check it (with everything it `use`s).
pub fn check_path(path: &Path, opts: &CheckOptions) -> std::io::Result<Compilation> {
    let text = std::fs::read_to_string(path)?;
    let real = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    Ok(check_source(
        path.display().to_string(),
        Some(real),
        text,
        opts,
    ))
}

/// Check source text. `path`, when given, is where relative `use` and `code` paths resolve.
pub fn check_source(
    name: String,
    path: Option<PathBuf>,
    text: String,
    opts: &CheckOptions,
) -> Compilation {
    check_source_with_syntax(name, path, text, opts, None).0
}

/// [`check_source`], also returning the syntax tree of every loaded file (root first): the
/// language server answers every request from these, parsed once per document version.
/// The server keeps a `cache` per document (and hands each replaced version's trees back
/// to it), so that only the declarations an edit touched are parsed again; the result is
/// the same as without it.
pub fn check_source_with_syntax(
    name: String,
    path: Option<PathBuf>,
    text: String,
    opts: &CheckOptions,
    mut cache: Option<&mut ParseCache>,
) -> (Compilation, Vec<(FileId, crate::syntax::ast::File)>) {
    let mut sources = SourceMap::new();
    let root = sources.add(name, path, text);
    let (model, mut diagnostics, syntax) =
        crate::check::check_with_syntax(&mut sources, root, opts, cache.as_deref_mut());
    if let Some(c) = cache {
        c.forget_unused();
    }
    crate::diag::sort(&mut diagnostics);
    let comp = Compilation {
        sources,
        root,
        model,
        diagnostics,
    };
    (comp, syntax)
}
