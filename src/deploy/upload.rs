//! Code artifacts and large templates into the artifacts bucket.

use aws_sdk_s3::primitives::ByteStream;
use sha2::{Digest, Sha256};

use super::client::{explain, Clients};
use super::{Error, Ui};

/// CFN-05: a template passed inline (`TemplateBody`) holds at most 51,200 bytes; larger
/// ones must come from S3 (`TemplateURL`).
pub const INLINE_TEMPLATE_LIMIT: usize = 51_200;

/// Make sure `bucket` exists, creating it in the client's region when it does not.
pub async fn ensure_bucket(c: &Clients, bucket: &str, ui: &mut dyn Ui) -> Result<(), Error> {
    match c.s3.head_bucket().bucket(bucket).send().await {
        Ok(_) => return Ok(()),
        Err(e) if e.as_service_error().is_some_and(|s| s.is_not_found()) => {}
        Err(e) => {
            return Err(Error::Failed(format!(
                "cannot use artifacts bucket {bucket}: {}",
                explain(&e)
            )))
        }
    }
    let mut create = c.s3.create_bucket().bucket(bucket);
    // us-east-1 is the one region that refuses an explicit location constraint.
    if c.region != "us-east-1" {
        create = create.create_bucket_configuration(
            aws_sdk_s3::types::CreateBucketConfiguration::builder()
                .location_constraint(aws_sdk_s3::types::BucketLocationConstraint::from(
                    c.region.as_str(),
                ))
                .build(),
        );
    }
    create.send().await.map_err(|e| {
        Error::Failed(format!(
            "artifacts bucket {bucket} does not exist and cannot be created: {}",
            explain(&e)
        ))
    })?;
    ui.say(&format!(
        "created artifacts bucket {bucket} in {}",
        c.region
    ));
    Ok(())
}

/// One object for the artifacts bucket: a code zip or a nested stack's template.
pub struct Object<'a> {
    pub key: &'a str,
    pub bytes: &'a [u8],
    pub content_type: &'static str,
}

/// Upload each object unless one with its key is already there: keys are content hashes,
/// so an existing key holds the same bytes. Says nothing when there are none; otherwise a
/// `what in s3://bucket:` heading, then a line per object. Returns (uploaded, skipped).
pub async fn objects<'a>(
    c: &Clients,
    bucket: &str,
    what: &str,
    objects: impl IntoIterator<Item = Object<'a>>,
    ui: &mut dyn Ui,
) -> Result<(usize, usize), Error> {
    let (mut uploaded, mut skipped) = (0, 0);
    for o in objects {
        if uploaded + skipped == 0 {
            ui.say(&format!("{what} in s3://{bucket}:"));
        }
        if exists(c, bucket, o.key).await? {
            ui.say(&format!("  unchanged  s3://{bucket}/{}", o.key));
            skipped += 1;
            continue;
        }
        c.s3.put_object()
            .bucket(bucket)
            .key(o.key)
            .body(ByteStream::from(o.bytes.to_vec()))
            .content_type(o.content_type)
            .send()
            .await
            .map_err(|e| {
                Error::Failed(format!(
                    "cannot upload s3://{bucket}/{}: {}",
                    o.key,
                    explain(&e)
                ))
            })?;
        ui.say(&format!(
            "  uploaded   s3://{bucket}/{} ({} bytes)",
            o.key,
            o.bytes.len()
        ));
        uploaded += 1;
    }
    Ok((uploaded, skipped))
}

async fn exists(c: &Clients, bucket: &str, key: &str) -> Result<bool, Error> {
    match c.s3.head_object().bucket(bucket).key(key).send().await {
        Ok(_) => Ok(true),
        Err(e) if e.as_service_error().is_some_and(|s| s.is_not_found()) => Ok(false),
        Err(e) => Err(Error::Failed(format!(
            "cannot look up s3://{bucket}/{key}: {}",
            explain(&e)
        ))),
    }
}

/// Upload a template too large to pass inline; returns its URL for `TemplateURL`.
pub async fn template(c: &Clients, bucket: &str, stack: &str, body: &str) -> Result<String, Error> {
    let key = template_key(stack, body);
    c.s3.put_object()
        .bucket(bucket)
        .key(&key)
        .body(ByteStream::from(body.as_bytes().to_vec()))
        .content_type("application/json")
        .send()
        .await
        .map_err(|e| {
            Error::Failed(format!(
                "cannot upload the template to s3://{bucket}/{key}: {}",
                explain(&e)
            ))
        })?;
    Ok(object_url(
        c.endpoint_url.as_deref(),
        &c.region,
        bucket,
        &key,
    ))
}

/// `templates/<stack>-<sha256 prefix>.json`: content-addressed like the code.
pub fn template_key(stack: &str, body: &str) -> String {
    let digest = Sha256::digest(body.as_bytes());
    let hex: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
    format!("templates/{stack}-{hex}.json")
}

/// The object's URL as CloudFormation expects it: path-style on a custom endpoint,
/// virtual-hosted on AWS.
pub fn object_url(endpoint: Option<&str>, region: &str, bucket: &str, key: &str) -> String {
    match endpoint {
        Some(url) => format!("{}/{bucket}/{key}", url.trim_end_matches('/')),
        None => format!("https://{bucket}.s3.{region}.amazonaws.com/{key}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert_eq!(
            object_url(None, "eu-west-1", "b", "templates/x.json"),
            "https://b.s3.eu-west-1.amazonaws.com/templates/x.json"
        );
        assert_eq!(
            object_url(Some("http://127.0.0.1:5000/"), "us-east-1", "b", "k"),
            "http://127.0.0.1:5000/b/k"
        );
    }

    #[test]
    fn template_keys_follow_content() {
        let a = template_key("demo", "{}");
        assert!(a.starts_with("templates/demo-") && a.ends_with(".json"));
        assert_eq!(a, template_key("demo", "{}"));
        assert_ne!(a, template_key("demo", "{ }"));
    }
}
