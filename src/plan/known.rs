//! Names lamc chooses itself, so that a bucket's or a function's name and ARN are known
//! without a reference to the resource. A reference is also a dependency: a function whose
//! environment names the bucket that notifies it would wait for the bucket, which waits
//! for the function (S3-05), and CloudFormation refuses the cycle. Only declarations that
//! would otherwise close a cycle get such a name (see `plan::acyclic`); every other one
//! keeps the name CloudFormation generates.
//!
//! A known name is `PREFIX-UUID`: `PREFIX` comes from the `.lam` name, `UUID` is the last
//! part of the root stack's ID (`AWS::StackId`, CFN-PS). The stack ID is unique per stack,
//! lowercase hex and of fixed length, where the stack *name* may hold capitals (which
//! bucket names refuse, S3-NAME) and be 128 characters long (CFN-10): two stacks of one app
//! never share a name, and every name fits its service's limits whatever the stack is
//! called. Nested stacks receive the root's ID (see `split::build`), so a name computed in
//! a child is the one computed in the root.

use sha2::{Digest, Sha256};

use super::tree::Node;
use super::values::join;
use crate::schema::limits::MAX_FUNCTION_NAME;

/// `AWS::StackId` is `arn:…:stack/NAME/UUID` (CFN-PS); a UUID is 36 characters.
const UUID_LEN: usize = 36;
/// S3-NAME: bucket names are 3–63 characters.
const MAX_BUCKET_NAME: usize = crate::schema::limits::BUCKET_NAME.max;
/// S3-NAME: prefixes S3 reserves for itself.
const RESERVED_BUCKET_PREFIXES: &[&str] = &["xn--", "sthree-", "amzn-s3-demo-"];

/// The root stack's UUID, evaluated at deploy time.
fn stack_uuid() -> Node {
    Node::Select(2, Box::new(Node::split("/", Node::ref_("AWS::StackId"))))
}

/// The name of a bucket lamc names: `uploads-1c2fa620-982a-11e3-aff7-50e2416294e0`.
pub fn bucket_name(name: &str) -> Node {
    join(vec![
        Node::str(format!("{}-", bucket_prefix(name))),
        stack_uuid(),
    ])
}

/// `arn:PARTITION:s3:::NAME`
pub fn bucket_arn(name: &str) -> Node {
    join(vec![
        Node::str("arn:"),
        Node::ref_("AWS::Partition"),
        Node::str(format!(":s3:::{}-", bucket_prefix(name))),
        stack_uuid(),
    ])
}

/// The name of a function lamc names; `given` is the `name` the program set, used as is
/// (text, or deploy-time values).
pub fn function_name(name: &str, given: Option<Node>) -> Node {
    match given {
        Some(g) => g,
        None => join(vec![
            Node::str(format!("{}-", function_prefix(name))),
            stack_uuid(),
        ]),
    }
}

/// `arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME`
pub fn function_arn(name: &str, given: Option<Node>) -> Node {
    const PREFIX: &str = "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:";
    match given {
        // FN-01: a valid name holds no `${`, so it is plain text in the Sub.
        Some(Node::Str(g)) => Node::sub(format!("{PREFIX}{g}")),
        Some(deploy_time) => join(vec![Node::sub(PREFIX), deploy_time]),
        None => Node::join(
            "",
            vec![
                Node::sub(PREFIX),
                Node::str(format!("{}-", function_prefix(name))),
                stack_uuid(),
            ],
        ),
    }
}

/// Lowercase letters, digits and single hyphens (S3-NAME), never a reserved prefix, short
/// enough that `PREFIX-UUID` fits in 63 characters.
fn bucket_prefix(name: &str) -> String {
    let mut p = String::with_capacity(name.len());
    for c in name.chars() {
        let c = match c.to_ascii_lowercase() {
            c @ ('a'..='z' | '0'..='9') => c,
            _ => '-',
        };
        if !(c == '-' && (p.is_empty() || p.ends_with('-'))) {
            p.push(c);
        }
    }
    let p = p.trim_end_matches('-');
    let p = if p.is_empty() || RESERVED_BUCKET_PREFIXES.iter().any(|r| p.starts_with(r)) {
        format!("bucket-{p}")
    } else {
        p.to_string()
    };
    fit(p.trim_end_matches('-'), MAX_BUCKET_NAME - UUID_LEN - 1)
}

/// `.lam` names are already valid function-name characters (FN-01).
fn function_prefix(name: &str) -> String {
    fit(name, MAX_FUNCTION_NAME - UUID_LEN - 1)
}

/// `text` when it fits in `max` characters (ASCII); else its start and a hash of the
/// whole, so that two long names that start alike still differ.
fn fit(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    let digest = Sha256::digest(text.as_bytes());
    let hash: String = digest.iter().take(4).map(|b| format!("{b:02x}")).collect();
    let keep = max - hash.len() - 1;
    let start = text[..keep].trim_end_matches('-');
    format!("{start}-{hash}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// S3-NAME, for the part lamc writes (the UUID is lowercase hex and hyphens).
    fn valid_bucket_prefix(p: &str) -> bool {
        !p.is_empty()
            && p.len() < MAX_BUCKET_NAME - UUID_LEN
            && p.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !p.starts_with('-')
            && !p.ends_with('-')
            && !p.contains("--")
            && !RESERVED_BUCKET_PREFIXES.iter().any(|r| p.starts_with(r))
    }

    #[test]
    fn bucket_prefixes_follow_the_naming_rules() {
        let long = "a_very_long_bucket_name_that_goes_on_and_on";
        for name in [
            "uploads",
            "Uploads",
            "_x",
            "__",
            "a__b_",
            "xn__pay",
            "sthree_x",
            "amzn_s3_demo_y",
            "b9",
            long,
        ] {
            let p = bucket_prefix(name);
            assert!(valid_bucket_prefix(&p), "{name} → {p}");
        }
        assert_eq!(bucket_prefix("raw_uploads"), "raw-uploads");
        assert_eq!(bucket_prefix("sthree_x"), "bucket-sthree-x");
        assert_ne!(bucket_prefix(long), bucket_prefix(&format!("{long}2")));
    }

    #[test]
    fn function_prefixes_fit_and_stay_distinct() {
        let long = "f".repeat(40);
        let p = function_prefix(&long);
        assert_eq!(p.len(), MAX_FUNCTION_NAME - UUID_LEN - 1);
        assert_ne!(p, function_prefix(&format!("{long}g")));
        assert_eq!(function_prefix("resize"), "resize");
    }

    #[test]
    fn a_given_function_name_is_used_as_is() {
        assert_eq!(
            function_name("f", Some(Node::str("nightly"))),
            Node::str("nightly")
        );
        assert_eq!(
            function_arn("f", Some(Node::str("nightly"))),
            Node::sub(
                "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:nightly"
            )
        );
    }
}
