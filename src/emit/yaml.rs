//! The template as YAML.

use crate::template::{Stack, Template};

/// Serialized like the JSON text, straight from the plan (`template::Template`): the same serializer
/// calls as the document tree, without building it.
pub fn text(stack: &Stack) -> String {
    serde_saphyr::to_string(&Template(stack)).unwrap_or_default()
}
