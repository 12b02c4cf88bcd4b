//! KMS key references (`kms = "…"` on a queue, topic, table or stream): the four forms
//! KMS accepts (KMS-ID) — a key ID, a key ARN, an alias name and an alias ARN. Shared by
//! the rule that checks their shape (E0496) and the planner that grants a function the
//! key it needs (`plan::kms`).

use crate::arn;
use crate::schema::limits::MAX_KMS_ALIAS;

/// What a key reference names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyRef<'a> {
    /// `1234abcd-12ab-34cd-56ef-1234567890ab` or a multi-Region `mrk-…` ID.
    Id,
    /// `arn:aws:kms:REGION:ACCOUNT:key/ID`
    Arn,
    /// `alias/NAME`, the whole alias name.
    Alias(&'a str),
    /// `arn:aws:kms:REGION:ACCOUNT:alias/NAME`, and the alias name in it.
    AliasArn(&'a str),
}

impl<'a> KeyRef<'a> {
    /// The alias it names, if it names one.
    pub fn alias(self) -> Option<&'a str> {
        match self {
            KeyRef::Alias(a) | KeyRef::AliasArn(a) => Some(a),
            KeyRef::Id | KeyRef::Arn => None,
        }
    }
}

/// Whether `alias` (`alias/aws/sqs`) is an AWS managed key's: KMS keeps the `alias/aws/`
/// prefix for them (KMS-ID), and their key policies let the account's principals use them
/// through their service without an IAM permission (SQS-KMS, SEC-02).
pub fn is_aws_managed(alias: &str) -> bool {
    alias.starts_with("alias/aws/")
}

/// `text` as a key reference, or what is wrong with it (a label, in lamc's words).
pub fn parse(text: &str) -> Result<KeyRef<'_>, String> {
    if text.starts_with("alias/") {
        return alias_name(text).map(KeyRef::Alias);
    }
    if let Some(a) = arn::parse(text) {
        if a.service != "kms" {
            return Err(format!("an ARN of `{}`, not of `kms`", a.service));
        }
        if !a.account.chars().all(|c| c.is_ascii_digit()) || a.account.len() != 12 {
            return Err("the account must be 12 digits".into());
        }
        if let Some(id) = a.resource.strip_prefix("key/") {
            return key_id(id).map(|()| KeyRef::Arn);
        }
        if a.resource.starts_with("alias/") {
            return alias_name(a.resource).map(KeyRef::AliasArn);
        }
        return Err("a KMS ARN names `key/ID` or `alias/NAME`".into());
    }
    if text.starts_with("arn:") {
        return Err("an ARN has six parts: `arn:aws:kms:REGION:ACCOUNT:key/ID`".into());
    }
    key_id(text).map(|()| KeyRef::Id)
}

/// The shape of a key reference whose text is known only up to `prefix` (a parameter
/// follows): what is wrong with what is known, if anything.
pub fn prefix_problem(prefix: &str) -> Option<String> {
    if prefix.starts_with("alias/") {
        let bad = prefix.chars().find(|c| !alias_char(*c))?;
        return Some(format!("`{bad}` is not allowed in an alias name"));
    }
    let rest = prefix.strip_prefix("arn:")?;
    let parts: Vec<&str> = rest.split(':').collect();
    // The service is known once the text goes past it.
    match parts.get(1) {
        Some(service) if parts.len() > 2 && *service != "kms" => {
            Some(format!("an ARN of `{service}`, not of `kms`"))
        }
        _ => None,
    }
}

/// `alias/NAME`: at most [`MAX_KMS_ALIAS`] characters, the name made of letters, digits,
/// `/`, `_` and `-` (KMS-ID).
fn alias_name(text: &str) -> Result<&str, String> {
    let name = &text["alias/".len()..];
    if name.is_empty() {
        return Err("the alias has no name after `alias/`".into());
    }
    if text.chars().count() > MAX_KMS_ALIAS {
        return Err(format!(
            "{} characters; an alias name has at most {MAX_KMS_ALIAS}",
            text.chars().count()
        ));
    }
    match name.chars().find(|c| !alias_char(*c)) {
        Some(bad) => Err(format!("`{bad}` is not allowed in an alias name")),
        None => Ok(text),
    }
}

fn alias_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '/' | '_' | '-')
}

/// A key ID: a UUID (`8-4-4-4-12` hex digits), or `mrk-` and 32 hex digits for a
/// multi-Region key (KMS-ID).
fn key_id(id: &str) -> Result<(), String> {
    let hex = |s: &str, n: usize| s.len() == n && s.chars().all(|c| c.is_ascii_hexdigit());
    if let Some(mrk) = id.strip_prefix("mrk-") {
        return if hex(mrk, 32) {
            Ok(())
        } else {
            Err("a multi-Region key ID is `mrk-` and 32 hex digits".into())
        };
    }
    let groups: Vec<&str> = id.split('-').collect();
    let lens = [8, 4, 4, 4, 12];
    if groups.len() == lens.len() && groups.iter().zip(lens).all(|(g, n)| hex(g, n)) {
        return Ok(());
    }
    Err("not a key ID, key ARN, alias name (`alias/…`) or alias ARN".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_four_forms_are_read() {
        let id = "1234abcd-12ab-34cd-56ef-1234567890ab";
        assert_eq!(parse(id), Ok(KeyRef::Id));
        assert_eq!(
            parse("mrk-1234abcd12ab34cd56ef1234567890ab"),
            Ok(KeyRef::Id)
        );
        assert_eq!(
            parse(&format!("arn:aws:kms:us-east-2:111122223333:key/{id}")),
            Ok(KeyRef::Arn)
        );
        assert_eq!(parse("alias/inbox"), Ok(KeyRef::Alias("alias/inbox")));
        assert_eq!(
            parse("arn:aws:kms:us-east-2:111122223333:alias/app/inbox"),
            Ok(KeyRef::AliasArn("alias/app/inbox"))
        );
    }

    #[test]
    fn wrong_shapes_say_why() {
        for bad in [
            "inbox",
            "alias/",
            "alias/in box",
            "arn:aws:sqs:us-east-1:111122223333:inbox",
            "arn:aws:kms:us-east-1:111122223333:inbox",
            "arn:aws:kms:us-east-1:1111:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            "1234abcd-12ab-34cd-56ef",
            "arn:aws:kms",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        let long = format!("alias/{}", "a".repeat(MAX_KMS_ALIAS));
        assert!(parse(&long).is_err());
        assert!(is_aws_managed("alias/aws/sqs"));
        assert!(!is_aws_managed("alias/awsome"));
    }

    #[test]
    fn known_prefixes_are_checked_as_far_as_known() {
        assert_eq!(prefix_problem("alias/app-"), None);
        assert!(prefix_problem("alias/a b").is_some());
        assert_eq!(prefix_problem("arn:aws:kms:"), None);
        assert!(prefix_problem("arn:aws:sqs:").is_some());
        assert_eq!(prefix_problem("arn:aws:"), None);
    }
}
