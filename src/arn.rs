//! ARNs: `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`. Shared by the rules that check
//! existing resources' ARNs and by the planner that derives names and URLs from them.

/// The six colon-separated parts of an ARN (the resource keeps any further colons).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Arn<'a> {
    pub partition: &'a str,
    pub service: &'a str,
    pub region: &'a str,
    pub account: &'a str,
    pub resource: &'a str,
}

pub fn parse(s: &str) -> Option<Arn<'_>> {
    let mut parts = s.splitn(6, ':');
    if parts.next()? != "arn" {
        return None;
    }
    Some(Arn {
        partition: parts.next()?,
        service: parts.next()?,
        region: parts.next()?,
        account: parts.next()?,
        resource: parts.next()?,
    })
}

/// A DynamoDB ARN that names a table's stream (`…:table/NAME/stream/LABEL`), which an
/// event source mapping needs (DDB-02); a plain table ARN does not reveal it.
pub fn is_table_stream(arn: &str) -> bool {
    arn.contains("/stream/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_six_parts_and_keeps_resource_colons() {
        let a = parse("arn:aws:lambda:us-east-1:123456789012:layer:x:3").expect("arn");
        assert_eq!(a.service, "lambda");
        assert_eq!(a.resource, "layer:x:3");
        assert!(parse("arn:aws:sqs").is_none());
        assert!(parse("urn:aws:sqs:r:a:q").is_none());
    }
}
