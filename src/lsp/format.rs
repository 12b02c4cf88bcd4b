//! Formatting through the `fmt` engine: the whole document in one edit.

use lsp_types::{Position, Range, TextEdit};

use super::document::Document;

/// The formatted text of `text`, or `None` when it cannot be formatted (it does not
/// parse) or no formatter is built in.
fn format_source(text: &str) -> Option<String> {
    // The adapter to `crate::fmt::format_source(text) -> Result<String, Vec<Diagnostic>>`.
    let _ = text;
    None
}

/// One edit replacing the whole document, none when already formatted; `None` when the
/// text cannot be formatted.
pub fn formatting(doc: &Document) -> Option<Vec<TextEdit>> {
    let text = doc.text();
    let formatted = format_source(text)?;
    if formatted == text {
        return Some(Vec::new());
    }
    let root = doc.root();
    let (line, character) = root.utf16_position(text.len());
    Some(vec![TextEdit {
        range: Range::new(Position::new(0, 0), Position::new(line, character)),
        new_text: formatted,
    }])
}
