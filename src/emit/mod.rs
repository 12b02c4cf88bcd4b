//! A planned stack → CloudFormation JSON or YAML text, byte-for-byte deterministic.
//!
//! Both formats serialize the same document ([`document`]); keys come out in the order
//! `plan` inserted them (template sections in CloudFormation's usual order). The JSON
//! text itself, and its length, are [`crate::template`]'s: the planner measures with the
//! same code that prints.

mod json;
mod yaml;

pub use json::{document, node_value};

use crate::template::Stack;

/// Pretty JSON (2-space indent, trailing newline).
pub fn json(stack: &Stack) -> String {
    crate::template::pretty(stack)
}

/// YAML that a YAML 1.1 reader (CloudFormation, cfn-lint) reads back as the same document
/// as [`json()`].
pub fn yaml(stack: &Stack) -> String {
    yaml::text(stack)
}
