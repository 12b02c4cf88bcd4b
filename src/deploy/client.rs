//! SDK clients from the standard AWS configuration chain, and the few calls several
//! commands share.

use aws_config::{BehaviorVersion, Region};
use aws_sdk_cloudformation::config::http::HttpResponse;
use aws_sdk_cloudformation::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};

use super::{Error, Target};

pub struct Clients {
    pub cfn: aws_sdk_cloudformation::Client,
    pub s3: aws_sdk_s3::Client,
    pub region: String,
    pub endpoint_url: Option<String>,
}

/// Build the clients. Credentials are resolved lazily by the SDK on the first call; their
/// values never reach a message.
pub async fn clients(target: &Target) -> Result<Clients, Error> {
    let mut loader = aws_config::defaults(BehaviorVersion::latest());
    if let Some(region) = &target.region {
        loader = loader.region(Region::new(region.clone()));
    }
    if let Some(profile) = &target.profile {
        loader = loader.profile_name(profile);
    }
    if let Some(url) = &target.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    let config = loader.load().await;
    let region = config.region().map(|r| r.to_string()).ok_or_else(|| {
        Error::Usage(
            "no AWS region: pass --region, set AWS_REGION, or set `region` in your AWS profile"
                .to_string(),
        )
    })?;
    let cfn = aws_sdk_cloudformation::Client::new(&config);
    // A custom endpoint (a local emulator, a proxy) rarely serves virtual-hosted buckets.
    let s3_config = aws_sdk_s3::config::Builder::from(&config)
        .force_path_style(target.endpoint_url.is_some())
        .build();
    Ok(Clients {
        cfn,
        s3: aws_sdk_s3::Client::from_conf(s3_config),
        region,
        endpoint_url: target.endpoint_url.clone(),
    })
}

/// `CODE: message` from the service, or the SDK's own explanation (no credentials, no
/// network, an unreadable answer).
pub fn explain<E>(e: &SdkError<E, HttpResponse>) -> String
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    match (e.code(), e.message()) {
        (Some(code), Some(message)) => format!("{code}: {message}"),
        (None, Some(message)) => message.to_string(),
        _ => match e.raw_response() {
            // An answer the SDK could not read (an emulator's error page, a proxy): its
            // status and the start of its text say more than the decoder's complaint.
            Some(raw) => {
                let body = raw
                    .body()
                    .bytes()
                    .map(|b| String::from_utf8_lossy(b).into_owned())
                    .unwrap_or_default();
                let body: String = body.split_whitespace().collect::<Vec<_>>().join(" ");
                let short: String = body.chars().take(300).collect();
                format!(
                    "the service answered HTTP {}: {short}",
                    raw.status().as_u16()
                )
            }
            None => DisplayErrorContext(e).to_string(),
        },
    }
}

/// An API call that failed, as a command failure.
pub fn failed<E>(what: &str, e: &SdkError<E, HttpResponse>) -> Error
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    Error::Failed(format!("{what}: {}", explain(e)))
}

/// A stack as `describe_stacks` sees it.
#[derive(Debug, Clone)]
pub struct StackInfo {
    pub id: String,
    pub status: String,
    pub reason: Option<String>,
    /// Parameter names the deployed stack has (for UsePreviousValue).
    pub parameters: Vec<String>,
    pub last_updated: Option<i64>,
}

/// `None` when no such stack exists (CloudFormation answers with a ValidationError).
///
/// Why the message is read: DescribeStacks models no error of its own (the SDK's
/// `DescribeStacksError` has only `Unhandled`), and a missing stack comes back as the
/// generic `ValidationError` code, which also covers a malformed name. Only the message,
/// "Stack with id NAME does not exist", tells the two apart. The text is CloudFormation's,
/// not lamc's.
pub async fn stack_info(
    cfn: &aws_sdk_cloudformation::Client,
    name_or_id: &str,
) -> Result<Option<StackInfo>, Error> {
    let out = match cfn.describe_stacks().stack_name(name_or_id).send().await {
        Ok(out) => out,
        Err(e) if e.message().is_some_and(|m| m.contains("does not exist")) => return Ok(None),
        Err(e) => return Err(failed(&format!("cannot describe stack {name_or_id}"), &e)),
    };
    let Some(stack) = out.stacks().first() else {
        return Ok(None);
    };
    let status = stack
        .stack_status()
        .map(|s| s.as_str().to_string())
        .unwrap_or_default();
    Ok(Some(StackInfo {
        id: stack.stack_id().unwrap_or(name_or_id).to_string(),
        status,
        reason: stack.stack_status_reason().map(str::to_string),
        parameters: stack
            .parameters()
            .iter()
            .filter_map(|p| p.parameter_key().map(str::to_string))
            .collect(),
        last_updated: stack.last_updated_time().map(|t| t.secs()),
    }))
}
