//! HTTP APIs and their authorizers, from source to template: one Authorizer per API that
//! uses an `auth`, routes pointing at their API's, the settings of an API's stage and
//! domain, the payload version and streamed function URLs.

use lamc::driver::{check_source, CheckOptions};
use serde_json::Value;

const FN: &str = r#"runtime = python3.13
  handler = "index.handler"
  code    = inline("""def handler(e, c): return {"isAuthorized": True}""")"#;

/// The template of `src`, which must compile without any diagnostic.
fn template(src: &str) -> Value {
    let src = src.replace("FN", FN);
    let opts = CheckOptions::on(chrono::NaiveDate::from_ymd_opt(2026, 11, 26).expect("date"));
    let c = check_source("app.lam".into(), None, src, &opts);
    assert!(c.diagnostics.is_empty(), "{:#?}", c.diagnostics);
    let model = c.model.clone().expect("a model");
    let stack = lamc::driver::plan(&model, &lamc::driver::PlanOptions::default())
        .unwrap_or_else(|d| panic!("plan failed: {d:#?}"));
    serde_json::from_str(&lamc::emit::json(&stack)).expect("json")
}

fn of_type<'v>(doc: &'v Value, ty: &str) -> Vec<(&'v String, &'v Value)> {
    doc["Resources"]
        .as_object()
        .expect("resources")
        .iter()
        .filter(|(_, r)| r["Type"] == ty)
        .collect()
}

#[test]
fn an_authorizer_used_by_two_apis_is_made_once_on_each() {
    let doc = template(
        r#"
auth users { jwt { issuer = "https://example.auth0.com/", audience = ["orders"] } }
auth custom { function = function.check }
api shop { auth = auth.users }
api admin { auth = auth.users }
function check { FN }
function orders {
  FN
  on http "GET /orders" via api.shop
  on http "GET /orders/{id}" via api.shop { scopes = ["orders:read"] }
  on http "GET /all" via api.admin
  on http "POST /all" via api.admin { auth = auth.custom }
}
"#,
    );
    let authorizers = of_type(&doc, "AWS::ApiGatewayV2::Authorizer");
    let names: Vec<&str> = authorizers.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(
        names,
        [
            "AdminCustomAuthorizer",
            "AdminUsersAuthorizer",
            "ShopUsersAuthorizer"
        ]
    );
    let r = &doc["Resources"];
    assert_eq!(
        r["ShopUsersAuthorizer"]["Properties"]["ApiId"]["Ref"],
        "ShopApi"
    );
    assert_eq!(
        r["AdminUsersAuthorizer"]["Properties"]["ApiId"]["Ref"],
        "AdminApi"
    );
    let route = &r["OrdersGetOrdersIdRoute"]["Properties"];
    assert_eq!(route["AuthorizationType"], "JWT");
    assert_eq!(route["AuthorizerId"]["Ref"], "ShopUsersAuthorizer");
    assert_eq!(
        route["AuthorizationScopes"],
        serde_json::json!(["orders:read"])
    );
    let custom = &r["OrdersPostAllRoute"]["Properties"];
    assert_eq!(custom["AuthorizationType"], "CUSTOM");
    assert_eq!(custom["AuthorizerId"]["Ref"], "AdminCustomAuthorizer");
    // The function authorizer may be invoked by API Gateway, for that authorizer only.
    let perm = &r["AdminCustomAuthorizerPermission"]["Properties"];
    assert_eq!(perm["Principal"], "apigateway.amazonaws.com");
    let source = perm["SourceArn"].to_string();
    assert!(source.contains("${AdminApi}/authorizers/"), "{source}");
    assert!(
        source.contains(r#"{"Ref":"AdminCustomAuthorizer"}"#),
        "{source}"
    );
}

#[test]
fn a_function_authorizer_caches_on_its_identity_sources() {
    let doc = template(
        r#"
auth custom { function = function.check, cache = 5m, identity = ["$request.header.x-key"] }
function check { FN }
function orders { FN
  on http "GET /orders" { auth = auth.custom } }
"#,
    );
    let p = &doc["Resources"]["DefaultCustomAuthorizer"]["Properties"];
    assert_eq!(p["AuthorizerType"], "REQUEST");
    assert_eq!(p["AuthorizerResultTtlInSeconds"], 300);
    assert_eq!(p["AuthorizerPayloadFormatVersion"], "2.0");
    assert_eq!(p["EnableSimpleResponses"], true);
    assert_eq!(
        p["IdentitySource"],
        serde_json::json!(["$request.header.x-key"])
    );
}

#[test]
fn a_route_says_none_where_its_api_has_an_authorizer() {
    let doc = template(
        r#"
auth users { jwt { issuer = "https://example.auth0.com/", audience = ["shop"] } }
api shop { auth = auth.users }
function orders { FN
  on http "GET /orders" via api.shop
  on http "GET /health" via api.shop { auth = none, public = true } }
"#,
    );
    let r = &doc["Resources"];
    assert_eq!(
        r["OrdersGetOrdersRoute"]["Properties"]["AuthorizationType"],
        "JWT"
    );
    let health = &r["OrdersGetHealthRoute"]["Properties"];
    assert_eq!(health["AuthorizationType"], "NONE");
    assert!(health.get("AuthorizerId").is_none());
}

#[test]
fn api_settings_reach_the_stage_the_domain_and_the_integrations() {
    let doc = template(
        r#"
api shop {
  auth       = iam
  payload    = v1
  domain     = { name = "api.${aws.url_suffix}", certificate = "arn:aws:acm:${aws.region}:123456789012:certificate/abc" }
  throttle   = { rate = 100, burst = 50 }
  access_log = true
}
function orders { FN
  on http "GET /orders" via api.shop }
"#,
    );
    let r = &doc["Resources"];
    let stage = &r["ShopApiStage"]["Properties"];
    assert_eq!(stage["DefaultRouteSettings"]["ThrottlingRateLimit"], 100);
    assert_eq!(stage["DefaultRouteSettings"]["ThrottlingBurstLimit"], 50);
    assert_eq!(
        stage["AccessLogSettings"]["DestinationArn"]["Fn::GetAtt"][0],
        "ShopApiAccessLogs"
    );
    let format = stage["AccessLogSettings"]["Format"]
        .as_str()
        .expect("format");
    assert!(format.contains("$context.requestId"), "{format}");
    assert_eq!(r["ShopApiAccessLogs"]["Properties"]["RetentionInDays"], 30);
    let domain = &r["ShopApiDomain"]["Properties"];
    // A deploy-time name stays one: CloudFormation joins it when the stack is made.
    assert!(domain["DomainName"].is_object(), "{domain}");
    assert_eq!(
        domain["DomainNameConfigurations"][0]["SecurityPolicy"],
        "TLS_1_2"
    );
    let mapping = &r["ShopApiMapping"]["Properties"];
    assert_eq!(mapping["Stage"]["Ref"], "ShopApiStage");
    assert_eq!(mapping["DomainName"]["Ref"], "ShopApiDomain");
    assert_eq!(
        r["OrdersShopApiIntegration"]["Properties"]["PayloadFormatVersion"],
        "1.0"
    );
}

#[test]
fn a_streamed_url_is_in_response_stream_mode() {
    let doc = template(
        r#"
function chat { FN
  url { auth = iam, stream = true } }
function page { FN
  url { auth = iam } }
"#,
    );
    let r = &doc["Resources"];
    assert_eq!(r["ChatUrl"]["Properties"]["InvokeMode"], "RESPONSE_STREAM");
    assert!(r["PageUrl"]["Properties"].get("InvokeMode").is_none());
}

/// An app too large for one template, whose routes are guarded by a JWT and a function
/// authorizer of one API.
fn guarded_app(functions: usize) -> String {
    let mut s = String::from(
        r#"
auth users { jwt { issuer = "https://example.auth0.com/", audience = ["shop"] } }
auth custom { function = function.check, cache = 5m, identity = ["$request.header.Authorization"] }
api shop { auth = auth.users, access_log = true }
function check { FN }
"#,
    );
    for i in 0..functions {
        s.push_str(&format!(
            "function f{i:03} {{ FN\n  on http \"GET /r{i}\" via api.shop\n  on http \"POST /r{i}\" via api.shop {{ auth = auth.custom }} }}\n"
        ));
    }
    s.replace("FN", FN)
}

#[test]
fn a_split_app_keeps_its_authorizers_with_the_api_and_its_routes_in_children() {
    let opts = CheckOptions::on(chrono::NaiveDate::from_ymd_opt(2026, 11, 26).expect("date"));
    let c = check_source("app.lam".into(), None, guarded_app(130), &opts);
    assert!(c.diagnostics.is_empty(), "{:#?}", c.diagnostics);
    let model = c.model.clone().expect("a model");
    let root = lamc::driver::plan(&model, &lamc::driver::PlanOptions::default())
        .unwrap_or_else(|d| panic!("plan failed: {d:#?}"));
    assert!(root.children.len() >= 2, "{}", root.children.len());
    // The authorizers, the API and the authorizer function (whose permission waits for
    // its authorizer) are in the root; no function's routes pull the others in with them.
    for id in [
        "ShopApi",
        "ShopUsersAuthorizer",
        "ShopCustomAuthorizer",
        "ShopCustomAuthorizerPermission",
        "CheckFunction",
        "ShopApiAccessLogs",
    ] {
        assert!(root.resources.contains_key(id), "{id} not in the root");
    }
    let functions_in_root = root
        .resources
        .values()
        .filter(|r| r.ty == "AWS::Lambda::Function")
        .count();
    assert_eq!(functions_in_root, 1, "only the authorizer's function");
}
