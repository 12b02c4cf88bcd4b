//! A planned stack → CloudFormation JSON or YAML text, byte-for-byte deterministic.
//!
//! Both formats serialize the same document tree ([`document`]); keys come out in the
//! order `plan` inserted them (template sections in CloudFormation's usual order).

mod direct;
mod json;
mod yaml;

pub use direct::props_json;
pub use json::{document, node_value};

use crate::plan::Stack;

/// Pretty JSON (2-space indent, trailing newline).
pub fn json(stack: &Stack) -> String {
    json::text(stack)
}

/// Minified JSON (trailing newline): the same document as [`json`], for the nested stacks'
/// templates.
pub fn json_compact(stack: &Stack) -> String {
    json::compact(stack)
}

/// The length of [`json`]'s text, without building it.
pub fn json_len(stack: &Stack) -> usize {
    json::len(stack)
}

/// YAML that a YAML 1.1 reader (CloudFormation, cfn-lint) reads back as the same document
/// as [`json`].
pub fn yaml(stack: &Stack) -> String {
    yaml::text(stack)
}
