//! Source text → [`ast::File`]. The only module that touches pest.

pub mod ast;

use crate::diag::Diagnostic;
use crate::source::FileId;

/// Parse one file. Never fails: on a syntax error it returns what it could build and the
/// diagnostics (E0001/E0002/E0003).
pub fn parse(file: FileId, text: &str) -> (ast::File, Vec<Diagnostic>) {
    let _ = (file, text);
    (ast::File::default(), Vec::new())
}
