//! Loading: the root file, every file it `use`s (transitively), and stdlib modules. Each
//! file is parsed once, however many times (or however cyclically) it is used.
//!
//! A used file must be inside the project root (E0427) and a regular file (E0428) of at
//! most [`MAX_SOURCE_BYTES`], the program's files together at most
//! [`MAX_PROGRAM_BYTES`] (E0429). Nothing outside the root is read, so no line of it can
//! appear in a diagnostic.

use std::collections::VecDeque;

use crate::diag::{did_you_mean, Code, Diagnostic};
use crate::files::read::thousands;
use crate::files::root::{ProjectRoot, Resolved};
use crate::files::{read_source, ReadError, MAX_PROGRAM_BYTES, MAX_SOURCE_BYTES};
use crate::source::{FileId, SourceMap, Span};
use crate::syntax::ast::{File, Ident, Item, Spanned, UseTarget};
use crate::syntax::ParseCache;

use super::paths::escape_diagnostic;

/// One parsed file of the program.
pub struct Loaded {
    pub file: FileId,
    pub ast: File,
    /// Some `use std.…` of this file named no module (reported): the templates it was
    /// meant to bring are unknown.
    pub std_use_failed: bool,
    /// Some `use "…"` of this file named a file that could not be read (reported): what it
    /// declares is unknown.
    pub file_use_failed: bool,
}

/// Parse `root` and everything it uses, in load order (root first). With a `cache`, the
/// declarations parsed by an earlier check are reused (same result, less work).
pub fn load_all(
    sources: &mut SourceMap,
    root: FileId,
    project: &ProjectRoot,
    diags: &mut Vec<Diagnostic>,
    mut cache: Option<&mut ParseCache>,
) -> Vec<Loaded> {
    let mut loaded = Vec::new();
    let mut queue = VecDeque::from([root]);
    let mut seen = vec![root];
    while let Some(file) = queue.pop_front() {
        let text = &sources.get(file).text;
        let (ast, parse_diags) = match cache.as_deref_mut() {
            Some(cache) => crate::syntax::parse_incremental(file, text, cache),
            None => crate::syntax::parse(file, text),
        };
        diags.extend(parse_diags);
        let (mut std_use_failed, mut file_use_failed) = (false, false);
        for item in &ast.items {
            let Item::Use(u) = item else { continue };
            let Some(id) = resolve_use(sources, file, &u.target, project, diags) else {
                match u.target {
                    UseTarget::Std(_) => std_use_failed = true,
                    UseTarget::File(_) => file_use_failed = true,
                }
                continue;
            };
            if !seen.contains(&id) {
                seen.push(id);
                queue.push_back(id);
            }
        }
        loaded.push(Loaded {
            file,
            ast,
            std_use_failed,
            file_use_failed,
        });
    }
    loaded
}

/// The file a `use` names, adding it to `sources` the first time.
fn resolve_use(
    sources: &mut SourceMap,
    from: FileId,
    target: &UseTarget,
    project: &ProjectRoot,
    diags: &mut Vec<Diagnostic>,
) -> Option<FileId> {
    match target {
        UseTarget::Std(name) => std_module(sources, name, diags),
        UseTarget::File(rel) => used_file(sources, from, rel, project, diags),
    }
}

/// `use std.NAME`: the stdlib module, added once under the pseudo-path `<std.NAME>`.
fn std_module(
    sources: &mut SourceMap,
    name: &Ident,
    diags: &mut Vec<Diagnostic>,
) -> Option<FileId> {
    let pseudo = format!("<std.{}>", name.name);
    if let Some(f) = sources.files().iter().find(|f| f.name == pseudo) {
        return Some(f.id);
    }
    let Some(text) = crate::stdlib::module(&name.name) else {
        diags.push(unknown_module(name));
        return None;
    };
    Some(sources.add(pseudo, None, text.to_string()))
}

/// E0203 for `use std.NAME` naming no standard module, with the nearest name or the list.
fn unknown_module(name: &Ident) -> Diagnostic {
    let d = Diagnostic::new(
        Code::E0203,
        name.span,
        format!("unknown module `std.{}`", name.name),
    )
    .label("no such standard module");
    let modules: Vec<&str> = crate::stdlib::names().collect();
    match did_you_mean(&name.name, modules.iter().copied()) {
        Some(near) => d.help(format!("did you mean `std.{near}`?")).fix(
            format!("use std.{near}"),
            name.span,
            near,
        ),
        None => d.help(format!("the standard modules are: {}", modules.join(", "))),
    }
}

/// `use "PATH"`: the file inside the project root, read once, within the program's size.
fn used_file(
    sources: &mut SourceMap,
    from: FileId,
    rel: &Spanned<String>,
    project: &ProjectRoot,
    diags: &mut Vec<Diagnostic>,
) -> Option<FileId> {
    let base = sources.get(from).base_dir().map(|p| p.to_path_buf());
    let real = match project.resolve(base.as_deref(), &rel.node) {
        Ok(Resolved::Found(real)) => real,
        Ok(Resolved::Missing(looked_for)) => {
            let e = std::fs::metadata(&looked_for)
                .err()
                .unwrap_or_else(|| std::io::ErrorKind::NotFound.into());
            diags.push(
                unreadable(&rel.node, rel.span, &ReadError::Io(e))
                    .label(format!("looked for {}", looked_for.display())),
            );
            return None;
        }
        Err(escape) => {
            diags.push(escape_diagnostic(
                "use", &rel.node, escape, rel.span, project,
            ));
            return None;
        }
    };
    if let Some(id) = sources.find_path(&real) {
        return Some(id);
    }
    let text = match read_source(&real) {
        Ok(text) => text,
        Err(e) => {
            let d = unreadable(&rel.node, rel.span, &e).label(format!("read {}", real.display()));
            diags.push(d);
            return None;
        }
    };
    let loaded: usize = sources.files().iter().map(|f| f.text.len()).sum();
    if (loaded + text.len()) as u64 > MAX_PROGRAM_BYTES {
        diags.push(program_too_large(rel.span));
        return None;
    }
    let name = match &base {
        Some(dir) => dir.join(&rel.node).display().to_string(),
        None => rel.node.clone(),
    };
    Some(sources.add(name, Some(real), text))
}

/// The diagnostic for a used file that could not be read: E0428 (not a regular file),
/// E0429 (too large) or E0203 (missing, unreadable, not UTF-8).
fn unreadable(written: &str, span: Span, e: &ReadError) -> Diagnostic {
    let code = e.code().unwrap_or(Code::E0203);
    let help = match e {
        ReadError::NotRegular(_) => {
            "`use` names a `.lam` file: a regular file, not a folder, pipe or device".to_string()
        }
        ReadError::TooLarge { .. } => format!(
            "a `.lam` file holds at most {} bytes; split the program into several files",
            thousands(MAX_SOURCE_BYTES)
        ),
        _ => "the path is relative to the directory of the file that uses it".to_string(),
    };
    Diagnostic::new(code, span, format!("cannot read `{written}`: {e}")).help(help)
}

/// E0429: the files of the program together are over [`MAX_PROGRAM_BYTES`].
fn program_too_large(span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0429,
        span,
        "the program's files are too large together",
    )
    .label(format!(
        "with this file they hold more than {} bytes",
        thousands(MAX_PROGRAM_BYTES)
    ))
    .help("a program and the files it uses hold at most that much; split it into several apps")
}
