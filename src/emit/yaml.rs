//! The template as YAML.

use crate::plan::Stack;

/// Serialized like the JSON text, straight from the plan (`direct`): the same serializer
/// calls as the document tree, without building it.
pub fn text(stack: &Stack) -> String {
    serde_saphyr::to_string(&super::direct::Template(stack)).unwrap_or_default()
}
