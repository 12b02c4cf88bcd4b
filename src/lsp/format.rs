//! Formatting through the `fmt` engine: the smallest single edit that turns the document
//! into its canonical layout.

use lsp_types::{Range, TextEdit};

use super::convert;
use super::document::Document;

/// No edit when the document is already formatted; `None` (a null answer, the document
/// left as it is) when it does not parse — its diagnostics already say why.
pub fn formatting(doc: &Document) -> Option<Vec<TextEdit>> {
    let root = doc.root();
    let edit = crate::fmt::format_edit(doc.text()).ok()?;
    Some(
        edit.map(|e| TextEdit {
            range: Range::new(
                convert::position(root, e.start),
                convert::position(root, e.end),
            ),
            new_text: e.new_text,
        })
        .into_iter()
        .collect(),
    )
}
