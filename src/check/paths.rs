//! Paths written in the program (`use "file.lam"`, `code = "folder"`) resolve inside the
//! project root (see [`crate::files::root`]); this pass resolves every local `code` path,
//! replacing it in the model by the real path, and reports those that lead out (E0427)
//! or lead nowhere (E0420).

use crate::diag::{Code, Diagnostic};
use crate::files::root::{Escape, ProjectRoot, Resolved};
use crate::model::{CodeSource, Model, Origin, Spec};
use crate::source::{SourceMap, Span};

/// Resolve each function's and each declared layer's local `code` path against the
/// project root.
pub fn resolve_code(
    model: &mut Model,
    sources: &SourceMap,
    project: &ProjectRoot,
    diags: &mut Vec<Diagnostic>,
) {
    let layers = model
        .resources
        .iter_mut()
        .filter_map(|r| match &mut r.origin {
            Origin::Created(Spec::Layer(l)) => l.code.as_mut(),
            _ => None,
        });
    let functions = model.functions.iter_mut().filter_map(|f| f.code.as_mut());
    for code in functions.chain(layers) {
        let span = code.span;
        let CodeSource::Local { path, written } = &mut code.value else {
            continue;
        };
        let base = sources.get(span.file).base_dir();
        match project.resolve(base, written) {
            Ok(Resolved::Found(real)) => *path = real,
            Ok(Resolved::Missing(looked_for)) => diags.push(
                Diagnostic::new(
                    Code::E0420,
                    span,
                    format!("code path `{written}` does not exist"),
                )
                .label(format!("looked for {}", looked_for.display()))
                .help("paths are relative to the file that declares them; fix the path or create the folder"),
            ),
            Err(escape) => diags.push(escape_diagnostic("code", written, escape, span, project)),
        }
    }
}

/// E0427: the path `written` (of a `use` or a `code`) leads out of the project root.
pub fn escape_diagnostic(
    what: &str,
    written: &str,
    escape: Escape,
    span: Span,
    project: &ProjectRoot,
) -> Diagnostic {
    let root = project.dir().display();
    let (message, label) = match &escape {
        Escape::Absolute => (
            format!("`{what}` path `{written}` is absolute"),
            format!("paths in a program are relative; the project root is {root}"),
        ),
        Escape::Climbs => (
            format!("`{what}` path `{written}` leads out of the project root"),
            format!("outside {root}"),
        ),
        Escape::Link => (
            format!(
                "`{what}` path `{written}` leads out of the project root through a symbolic link"
            ),
            format!("a link on the way points outside {root}"),
        ),
    };
    let example = match what {
        "use" => "use \"lib/common.lam\"",
        _ => "code = \"src/handler\"",
    };
    let help = match escape {
        Escape::Absolute => format!("write the path relative to this file, e.g. {example}"),
        Escape::Climbs | Escape::Link => format!(
            "keep the files inside the project, e.g. {example}; apps that share a folder \
             can make their common parent the root: `--root DIR`"
        ),
    };
    Diagnostic::new(Code::E0427, span, message)
        .label(label)
        .help(help)
}

#[cfg(test)]
mod tests {
    use crate::driver::{check_source, CheckOptions};

    fn check(dir: &std::path::Path, text: &str, root: Option<&std::path::Path>) -> Vec<String> {
        let entry = dir.join("app/app.lam");
        let opts = CheckOptions {
            root: root.map(|r| r.to_path_buf()),
            ..CheckOptions::default()
        };
        let comp = check_source("app.lam".into(), Some(entry), text.into(), &opts);
        comp.diagnostics
            .iter()
            .map(|d| format!("{} {}", d.code, d.message))
            .collect()
    }

    const FUNCTION: &str = "function f {\n  runtime = python3.13\n  handler = \"main.handler\"\n  code = \"CODE\"\n}\n";

    fn project() -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("tempdir");
        for d in ["app/src", "shared"] {
            std::fs::create_dir_all(dir.path().join(d)).expect("mkdir");
            std::fs::write(dir.path().join(d).join("main.py"), "x = 1\n").expect("write");
        }
        dir
    }

    #[test]
    fn code_inside_the_root_resolves_to_its_real_path() {
        let dir = project();
        assert!(check(dir.path(), &FUNCTION.replace("CODE", "src"), None).is_empty());
        assert!(check(dir.path(), &FUNCTION.replace("CODE", "."), None).is_empty());
    }

    #[test]
    fn code_outside_the_root_is_e0427_once() {
        let dir = project();
        for (path, what) in [
            ("../shared", "leads out of the project root"),
            (
                "../../../../../../../../etc",
                "leads out of the project root",
            ),
            ("../nope", "leads out of the project root"),
            ("/etc", "is absolute"),
        ] {
            let got = check(dir.path(), &FUNCTION.replace("CODE", path), None);
            assert_eq!(got, vec![format!("E0427 `code` path `{path}` {what}")]);
        }
    }

    #[test]
    fn a_wider_root_allows_the_shared_folder() {
        let dir = project();
        let text = FUNCTION.replace("CODE", "../shared");
        assert!(check(dir.path(), &text, Some(dir.path())).is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn code_through_a_link_out_of_the_root_is_e0427() {
        let dir = project();
        std::os::unix::fs::symlink(dir.path().join("shared"), dir.path().join("app/linked"))
            .expect("symlink");
        let got = check(dir.path(), &FUNCTION.replace("CODE", "linked"), None);
        assert_eq!(
            got,
            vec![
                "E0427 `code` path `linked` leads out of the project root through a symbolic link"
            ]
        );
    }

    #[test]
    fn a_missing_folder_inside_is_e0420() {
        let dir = project();
        let got = check(dir.path(), &FUNCTION.replace("CODE", "src/nope"), None);
        assert_eq!(got, vec!["E0420 code path `src/nope` does not exist"]);
    }
}
