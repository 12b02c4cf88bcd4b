//! The pipeline in one place: load → parse → check → plan. Adapters (the command line, the
//! language server) call [`compile_path`] or [`compile_source`] with the [`Stage`] they
//! need, and decide what to print or emit.

mod pipeline;
mod placement;
mod plan;

pub use pipeline::{compile_path, compile_source, Pipeline, Stage};
pub use placement::PlacementInput;
pub use plan::{plan, plan_placed, PlanOptions};

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::check::CheckCache;
use crate::diag::{Code, Diagnostic};
use crate::files::{ProjectRoot, ReadError};
use crate::model::Model;
use crate::source::{FileId, SourceMap};

/// Settings that change what the checker concludes.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// The date runtime lifecycle rules compare against (RT-02/RT-03). Tests pin it
    /// through `LAMC_TODAY` so that they do not rot.
    pub today: NaiveDate,
    /// The project root that `use` and `code` paths must stay inside (`--root`, or the
    /// editor's workspace folder). `None`: the folder of the entry file.
    pub root: Option<PathBuf>,
    /// The account's concurrency quota per region (`--account-concurrency`), which the
    /// functions' reservations must leave 100 of (E0423).
    pub account_concurrency: u64,
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions::on(today_from_env())
    }
}

impl CheckOptions {
    /// The defaults, with the date pinned.
    pub fn on(today: NaiveDate) -> Self {
        CheckOptions {
            today,
            root: None,
            account_concurrency: crate::check::rules::concurrency::DEFAULT_ACCOUNT_CONCURRENCY,
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
    /// The folder the program's files had to stay inside.
    pub project: ProjectRoot,
    /// The plan, when the pipeline was asked for one ([`Stage::Plan`]) and it succeeded.
    pub planned: Option<crate::plan::Planned>,
}

impl Compilation {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Why the entry file was not checked at all.
#[derive(Debug)]
pub enum EntryError {
    /// It could not be read (or is not a regular file, or is too large).
    Read(ReadError),
    /// It is not inside the project root given with `--root`.
    OutsideRoot(PathBuf),
    /// The pipeline stopped without a diagnostic to say why (a bug in lamc).
    Internal(String),
}

impl EntryError {
    /// The diagnostic code of the refusal, when it is one of lamc's rules.
    pub fn code(&self) -> Option<Code> {
        match self {
            EntryError::Read(e) => e.code(),
            EntryError::OutsideRoot(_) => Some(Code::E0427),
            EntryError::Internal(_) => None,
        }
    }
}

impl std::fmt::Display for EntryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EntryError::Read(e) => write!(f, "{e}"),
            EntryError::OutsideRoot(root) => {
                write!(f, "it is outside the project root {}", root.display())
            }
            EntryError::Internal(why) => write!(f, "internal error: {why}"),
        }
    }
}

/// Read `path` and check it (with everything it `use`s). The file is read as
/// [`crate::files::read_source`] reads: a regular file, at most
/// [`crate::files::MAX_SOURCE_BYTES`].
pub fn check_path(path: &Path, opts: &CheckOptions) -> Result<Compilation, EntryError> {
    check_path_with_syntax(path, opts).map(|(comp, _)| comp)
}

/// [`check_path`], also returning the syntax tree of every loaded file.
pub fn check_path_with_syntax(
    path: &Path,
    opts: &CheckOptions,
) -> Result<(Compilation, Vec<(FileId, crate::syntax::ast::File)>), EntryError> {
    let real = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    if let Some(dir) = &opts.root {
        let root = ProjectRoot::new(dir);
        if !root.contains(&real) {
            return Err(EntryError::OutsideRoot(root.dir().to_path_buf()));
        }
    }
    let text = crate::files::read_source(path).map_err(EntryError::Read)?;
    Ok(check_source_with_syntax(
        path.display().to_string(),
        Some(real),
        text,
        opts,
        None,
    ))
}

/// Check source text. `path`, when given, is where relative `use` and `code` paths resolve
/// (else the project root, `opts.root` or the current folder).
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
    mut cache: Option<&mut CheckCache>,
) -> (Compilation, Vec<(FileId, crate::syntax::ast::File)>) {
    let project = ProjectRoot::for_entry(path.as_deref(), opts.root.as_deref());
    let mut sources = SourceMap::new();
    let root = sources.add(name, path, text);
    let (model, mut diagnostics, syntax) =
        crate::check::check_with_syntax(&mut sources, root, &project, opts, cache.as_deref_mut());
    if let Some(c) = cache {
        c.parse.forget_unused();
    }
    crate::diag::sort(&mut diagnostics);
    let comp = Compilation {
        sources,
        root,
        model,
        diagnostics,
        project,
        planned: None,
    };
    (comp, syntax)
}
