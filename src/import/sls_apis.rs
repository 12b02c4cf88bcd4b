//! serverless.yml's HTTP API settings in SAM's spelling, so that [`super::apis`] reads them
//! as it reads a SAM API: `provider.httpApi.authorizers` (JWT and request authorizers),
//! `payload`, `cors` and `provider.logs.httpApi`, and an `httpApi` event's `authorizer`
//! (the Framework's own compilation of them: `lib/plugins/aws/package/compile/events/
//! http-api.js`).

use serde_json::{Map, Value};

use super::apis::Api;
use super::intrinsics::{literal, Scope};
use super::resources::{is_true, shown};

/// The headers the Framework's CORS rule allows when it says `cors: true`.
const SLS_CORS_HEADERS: &[&str] = &[
    "Content-Type",
    "X-Amz-Date",
    "Authorization",
    "X-Api-Key",
    "X-Amz-Security-Token",
    "X-Amz-User-Agent",
    "X-Amzn-Trace-Id",
];

/// A service's routes, as its API needs them.
pub struct SlsRoutes {
    /// Some `http` (REST) event.
    pub rest: bool,
    /// The methods of its `httpApi` events, in order (`ANY` for `*`).
    pub methods: Vec<String>,
}

/// serverless.yml's API (`provider.httpApi`: `authorizers`, `payload`, `cors`; and
/// `provider.logs.httpApi`) in SAM's spelling, as the implicit API, with its authorizers
/// declared; `rest` when only `http` (REST) events route through it. `None` without routes.
pub fn serverless(
    provider: &Map<String, Value>,
    routes: SlsRoutes,
    scope: &mut Scope,
) -> Option<Api> {
    let (rest_routes, http_routes) = (routes.rest, !routes.methods.is_empty());
    if !rest_routes && !http_routes {
        return None;
    }
    let empty = Map::new();
    let http = provider
        .get("httpApi")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let mut props = Map::new();
    let mut auths = Map::new();
    for (name, a) in http
        .get("authorizers")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        auths.insert(name.clone(), sls_authorizer(a));
    }
    if !auths.is_empty() {
        props.insert("Auth".into(), serde_json::json!({ "Authorizers": auths }));
    }
    if let Some(c) = http.get("cors") {
        props.insert("CorsConfiguration".into(), sls_cors(c, &routes.methods));
    }
    for (k, v) in http {
        if !matches!(k.as_str(), "authorizers" | "cors" | "payload") {
            props.insert(format!("provider.httpApi.{k}"), v.clone());
        }
    }
    let logs = provider.get("logs").and_then(|l| l.get("httpApi"));
    if let Some(l) = logs.filter(|l| is_true(l) || l.is_object()) {
        props.insert("AccessLogSettings".into(), l.clone());
        if let Some(f) = l.get("format") {
            props.insert("provider.logs.httpApi.format".into(), f.clone());
        }
    }
    let v1 = http.get("payload").and_then(literal).as_deref() == Some("1.0");
    let mut api = Api::new(rest_routes && !http_routes, props, v1 || !http_routes);
    api.declare_authorizers("HttpApi", scope);
    Some(api)
}

/// A serverless.yml authorizer (`type: jwt` with `issuerUrl`, `audience`; `type: request`
/// with `functionName`, `payloadVersion`, `enableSimpleResponses`, `resultTtlInSeconds`,
/// `identitySource`) in SAM's and CloudFormation's spelling.
fn sls_authorizer(a: &Value) -> Value {
    let mut m = Map::new();
    if a.get("type").and_then(Value::as_str) == Some("request") {
        let function = match (
            a.get("functionName").and_then(Value::as_str),
            a.get("functionArn"),
        ) {
            (Some(f), _) => serde_json::json!({
                "Fn::GetAtt": [super::serverless::function_logical_id(f), "Arn"]
            }),
            (None, Some(arn)) => arn.clone(),
            (None, None) => Value::Null,
        };
        m.insert("FunctionArn".into(), function);
        let version = a
            .get("payloadVersion")
            .cloned()
            .unwrap_or_else(|| "2.0".into());
        m.insert("AuthorizerPayloadFormatVersion".into(), version);
        for (ours, theirs) in [
            ("enableSimpleResponses", "EnableSimpleResponses"),
            ("resultTtlInSeconds", "AuthorizerResultTtlInSeconds"),
            ("identitySource", "IdentitySource"),
        ] {
            if let Some(v) = a.get(ours) {
                m.insert(theirs.into(), v.clone());
            }
        }
    } else {
        let mut jwt = Map::new();
        for (ours, theirs) in [("issuerUrl", "issuer"), ("audience", "audience")] {
            if let Some(v) = a.get(ours) {
                jwt.insert(theirs.into(), v.clone());
            }
        }
        m.insert("JwtConfiguration".into(), Value::Object(jwt));
        if let Some(s) = a.get("identitySource") {
            m.insert("IdentitySource".into(), s.clone());
        }
    }
    Value::Object(m)
}

/// serverless.yml's `provider.httpApi.cors` (`true`, or `allowedOrigins`, `allowedHeaders`,
/// `allowedMethods`, `maxAge`, …) in SAM's `CorsConfiguration` spelling. Where it names no
/// methods, the Framework allows `OPTIONS` and the methods of the routes (`ANY`: all).
fn sls_cors(c: &Value, routes: &[String]) -> Value {
    let mut methods = vec!["OPTIONS".to_string()];
    for m in routes {
        let each: Vec<&str> = if m == "ANY" {
            vec!["GET", "POST", "PUT", "PATCH", "HEAD", "DELETE"]
        } else {
            vec![m.as_str()]
        };
        for x in each {
            if !methods.iter().any(|have| have == x) {
                methods.push(x.to_string());
            }
        }
    }
    if is_true(c) {
        return serde_json::json!({
            "AllowOrigins": ["*"],
            "AllowHeaders": SLS_CORS_HEADERS,
            "AllowMethods": methods,
        });
    }
    let mut m = Map::new();
    if c.get("allowedMethods").is_none() {
        m.insert("AllowMethods".into(), serde_json::json!(methods));
    }
    for (k, v) in c.as_object().into_iter().flatten() {
        let key = match k.as_str() {
            "allowedOrigins" => "AllowOrigins".to_string(),
            "allowedHeaders" => "AllowHeaders".to_string(),
            "allowedMethods" => "AllowMethods".to_string(),
            "maxAge" => "MaxAge".to_string(),
            other => other.to_string(),
        };
        m.insert(key, v.clone());
    }
    Value::Object(m)
}

/// A serverless.yml `httpApi` event's `authorizer` (a name, `{ name, scopes }`, `{ type:
/// aws_iam }`) as SAM's event `Auth`, for [`Api::route`].
pub fn sls_route(spec: &Value) -> Map<String, Value> {
    let mut p = Map::new();
    let Some(a) = spec.get("authorizer") else {
        return p;
    };
    let mut auth = Map::new();
    let name = match a {
        Value::String(n) => Some(n.clone()),
        _ if a.get("type").and_then(Value::as_str) == Some("aws_iam") => Some("AWS_IAM".into()),
        _ => a.get("name").map(shown),
    };
    auth.insert(
        "Authorizer".into(),
        name.map_or_else(|| a.clone(), Value::String),
    );
    if let Some(s) = a.get("scopes") {
        auth.insert("AuthorizationScopes".into(), s.clone());
    }
    p.insert("Auth".into(), Value::Object(auth));
    p
}
