//! An HTTP API's own settings: its stage's throttling and access logs, its custom domain.
//! Authorizers are made with the routes that name them (plan/auth.rs).

use super::ctx::Ctx;
use super::tree::{Node, Props};
use super::Resource;
use crate::model::{ApiSpec, DEFAULT_LOG_RETENTION_DAYS};

/// HAPI-05: API Gateway's JSON access log example for HTTP APIs: who called which route,
/// when, and what it answered.
const ACCESS_LOG_FORMAT: &str = concat!(
    r#"{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","#,
    r#""requestTime":"$context.requestTime","httpMethod":"$context.httpMethod","#,
    r#""routeKey":"$context.routeKey","status":"$context.status","#,
    r#""protocol":"$context.protocol","responseLength":"$context.responseLength"}"#
);

/// The stage's `DefaultRouteSettings` (throttling) and `AccessLogSettings` (with the log
/// group they write to, created here).
pub fn stage_settings(cx: &mut Ctx, name: &str, a: &ApiSpec, stage: Props) -> Props {
    let throttle = a.throttle.as_ref().and_then(|t| {
        let settings = Props::new()
            .opt(
                "ThrottlingBurstLimit",
                t.burst.as_ref().map(|b| Node::int(b.value)),
            )
            .opt(
                "ThrottlingRateLimit",
                t.rate.as_ref().map(|r| Node::int(r.value)),
            );
        (t.burst.is_some() || t.rate.is_some()).then(|| settings.node())
    });
    let logs = a
        .access_log
        .as_ref()
        .filter(|l| l.value)
        .map(|_| access_log(cx, name));
    stage
        .opt("DefaultRouteSettings", throttle)
        .opt("AccessLogSettings", logs)
}

/// A log group for the stage's access logs, kept as long as a function's by default
/// (LOG-01: secure by default, never forever).
fn access_log(cx: &mut Ctx, name: &str) -> Node {
    let id = cx.ids.alloc(&[name, "ApiAccessLogs"]);
    let group = Props::new()
        .set("RetentionInDays", Node::int(DEFAULT_LOG_RETENTION_DAYS))
        .opt("Tags", cx.tags(&Default::default()));
    cx.add(&id, Resource::new("AWS::Logs::LogGroup", group));
    Props::new()
        .set("DestinationArn", Node::get_att(&id, "Arn"))
        .set("Format", Node::str(ACCESS_LOG_FORMAT))
        .node()
}

/// `domain = { name, certificate }` → a regional `DomainName` (TLS 1.2, HAPI-06) and the
/// `ApiMapping` of its root path to the API's `$default` stage.
pub fn domain(cx: &mut Ctx, api_id: &str, stage_id: &str, name: &str, a: &ApiSpec) {
    let Some(d) = &a.domain else {
        return;
    };
    let config = Props::new()
        .set("CertificateArn", cx.text(&d.certificate.value))
        .set("EndpointType", Node::str("REGIONAL"))
        .set("SecurityPolicy", Node::str("TLS_1_2"));
    let props = Props::new()
        .set("DomainName", cx.text(&d.name.value))
        .set("DomainNameConfigurations", Node::List(vec![config.node()]))
        .opt("Tags", cx.tags_map(&Default::default()));
    let domain_id = cx.ids.alloc(&[name, "ApiDomain"]);
    cx.add(
        &domain_id,
        Resource::new("AWS::ApiGatewayV2::DomainName", props),
    );
    let mapping = Props::new()
        .set("ApiId", Node::ref_(api_id))
        .set("DomainName", Node::ref_(&domain_id))
        .set("Stage", Node::ref_(stage_id));
    let mapping_id = cx.ids.alloc(&[name, "ApiMapping"]);
    cx.add(
        &mapping_id,
        Resource::new("AWS::ApiGatewayV2::ApiMapping", mapping),
    );
}
