//! A planned stack → CloudFormation JSON or YAML text, byte-for-byte deterministic.

use crate::plan::Stack;

/// Pretty JSON (2-space indent, trailing newline).
pub fn json(stack: &Stack) -> String {
    let _ = stack;
    String::new()
}

/// YAML that a YAML 1.1 reader (CloudFormation, cfn-lint) reads back as the same document
/// as [`json`].
pub fn yaml(stack: &Stack) -> String {
    let _ = stack;
    String::new()
}
