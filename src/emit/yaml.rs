//! The template as YAML.

use crate::plan::Stack;

pub fn text(stack: &Stack) -> String {
    let doc = super::json::document(stack);
    serde_saphyr::to_string(&doc).unwrap_or_default()
}
