//! What cannot be packed, as a diagnostic on the function's `code` value.

use std::path::{Display, Path};

use super::lamcignore::IgnoreError;
use super::walk::{PackError, MAX_UNZIPPED_BYTES};
use crate::diag::{Code, Diagnostic};
use crate::files::read::thousands;
use crate::source::Span;

/// The help every link problem shares.
const LINK_HELP: &str =
    "copy what the link points to into the code folder, or list the link in a `.lamcignore`";

/// The diagnostic for packing `path` (the code folder or file) failing with `e`.
pub fn diagnostic(e: PackError, path: &Path, span: Span) -> Diagnostic {
    let folder = path.display();
    match e {
        PackError::LinkOut { link, target } => Diagnostic::new(
            Code::E0430,
            span,
            format!("symbolic link `{link}` leads out of the code folder"),
        )
        .label(format!(
            "`{link}` in {folder} points to {}",
            target.display()
        ))
        .help(LINK_HELP),
        PackError::LinkLoop { link } => Diagnostic::new(
            Code::E0430,
            span,
            format!("symbolic link `{link}` makes a loop in the code folder"),
        )
        .label(format!(
            "`{link}` in {folder} leads back to a folder that holds it"
        ))
        .help("remove the link, or list it in a `.lamcignore`"),
        PackError::LinkBroken { link } => Diagnostic::new(
            Code::E0430,
            span,
            format!("symbolic link `{link}` in the code folder points to nothing"),
        )
        .label(format!("`{link}` in {folder} has no target"))
        .help("remove the link, or list it in a `.lamcignore`"),
        PackError::Empty { left_out } => empty(left_out, &folder, span),
        PackError::TooLarge { at_least } => too_large(at_least, &folder, span),
        PackError::Ignore(e) => ignore_file(e, span),
        PackError::Io(err) => {
            Diagnostic::new(Code::E0420, span, format!("cannot read code at {folder}"))
                .label(format!("{err}"))
                .help("point `code` at a readable folder or file, relative to this .lam file")
        }
    }
}

/// E0431: nothing in the folder to package, `left_out` entries left out.
fn empty(left_out: usize, folder: &Display<'_>, span: Span) -> Diagnostic {
    Diagnostic::new(Code::E0431, span, "the code folder has no files to package")
        .label(if left_out == 0 {
            format!("{folder} is empty")
        } else {
            format!(
                "{folder}: everything in it is left out ({left_out} {}: `.git`, `.lamc`, \
                 build outputs, `.lamcignore` patterns)",
                if left_out == 1 { "entry" } else { "entries" }
            )
        })
        .help("point `code` at the folder that holds the handler's files")
}

/// E0432: the folder holds at least `at_least` bytes, over what Lambda unpacks.
fn too_large(at_least: u64, folder: &Display<'_>, span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0432,
        span,
        "the code folder is over Lambda's unzipped size limit",
    )
    .label(format!(
        "{} bytes or more in {folder}; Lambda unpacks less than {} (250 MB), layers included",
        thousands(at_least),
        thousands(MAX_UNZIPPED_BYTES)
    ))
    .help(
        "leave out what the function does not run (tests, docs, dev dependencies) with a \
         `.lamcignore`, or ship a container image: code = image(\"…\") (up to 10 GB)",
    )
}

/// A `.lamcignore` that cannot be read, or holds a bad pattern.
fn ignore_file(e: IgnoreError, span: Span) -> Diagnostic {
    match e {
        IgnoreError::Read(file, err) => Diagnostic::new(
            err.code().unwrap_or(Code::E0420),
            span,
            format!("cannot read {}: {err}", file.display()),
        )
        .label("an ignore file of this code folder")
        .help("a `.lamcignore` is a small text file of gitignore patterns"),
        IgnoreError::Pattern {
            file,
            line,
            message,
        } => Diagnostic::new(
            Code::E0420,
            span,
            format!("bad pattern in {} line {line}", file.display()),
        )
        .label(message)
        .help("a `.lamcignore` holds gitignore patterns, one per line"),
    }
}
