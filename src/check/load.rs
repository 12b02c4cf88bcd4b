//! Loading: the root file, every file it `use`s (transitively), and stdlib modules. Each
//! file is parsed once, however many times (or however cyclically) it is used.

use std::collections::VecDeque;
use std::path::PathBuf;

use crate::diag::{did_you_mean, Code, Diagnostic};
use crate::source::{FileId, SourceMap};
use crate::syntax::ast::{File, Item, UseTarget};
use crate::syntax::ParseCache;

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
            let Some(id) = resolve_use(sources, file, &u.target, diags) else {
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
    diags: &mut Vec<Diagnostic>,
) -> Option<FileId> {
    match target {
        UseTarget::Std(name) => {
            let pseudo = format!("<std.{}>", name.name);
            if let Some(f) = sources.files().iter().find(|f| f.name == pseudo) {
                return Some(f.id);
            }
            let Some(text) = crate::stdlib::module(&name.name) else {
                let mut d = Diagnostic::new(
                    Code::E0203,
                    name.span,
                    format!("unknown module `std.{}`", name.name),
                )
                .label("no such standard module");
                let modules: Vec<&str> = crate::stdlib::names().collect();
                match did_you_mean(&name.name, modules.iter().copied()) {
                    Some(near) => {
                        d = d.help(format!("did you mean `std.{near}`?")).fix(
                            format!("use std.{near}"),
                            name.span,
                            near,
                        );
                    }
                    None => {
                        d = d.help(format!("the standard modules are: {}", modules.join(", ")));
                    }
                }
                diags.push(d);
                return None;
            };
            Some(sources.add(pseudo, None, text.to_string()))
        }
        UseTarget::File(rel) => {
            let base = sources
                .get(from)
                .base_dir()
                .map(PathBuf::from)
                .unwrap_or_default();
            let joined = base.join(&rel.node);
            let fail = |err: std::io::Error| {
                Diagnostic::new(
                    Code::E0203,
                    rel.span,
                    format!("cannot read `{}`: {err}", rel.node),
                )
                .label(format!("looked for {}", joined.display()))
                .help("the path is relative to the directory of the file that uses it")
            };
            let canonical = match std::fs::canonicalize(&joined) {
                Ok(p) => p,
                Err(e) => {
                    diags.push(fail(e));
                    return None;
                }
            };
            if let Some(id) = sources.find_path(&canonical) {
                return Some(id);
            }
            match std::fs::read_to_string(&canonical) {
                Ok(text) => Some(sources.add(joined.display().to_string(), Some(canonical), text)),
                Err(e) => {
                    diags.push(fail(e));
                    None
                }
            }
        }
    }
}
