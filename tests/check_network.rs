//! Layers, `vpc`, `files` and `durable`: each code at its line with the text a user reads,
//! what is accepted (deploy-time values, list parameters), and the template they give.

use crate::check_support;

use check_support::*;
use lamc::diag::render::{render_human, HumanOptions};
use lamc::diag::Code;

fn shown(c: &lamc::driver::Compilation) -> String {
    let opts = HumanOptions {
        width: 200,
        ..HumanOptions::default()
    };
    render_human(&c.diagnostics, &c.sources, &opts)
}

/// A function with nothing to report, on lines 2–4 of what `function` builds.
const FN: &str =
    "runtime = python3.13\n  handler = \"app.handler\"\n  code = s3(\"code-bucket\", \"k.zip\")";

fn function(before: &str, extra: &str) -> String {
    format!("{before}function f {{\n  {FN}\n  {extra}\n}}\n")
}

/// Lines 1–4: a layer for python3.12 on arm64.
const LAYER: &str = "layer deps {\n  code = s3(\"code-bucket\", \"deps.zip\")\n  runtimes = [python3.12]\n  architectures = [arm64]\n}\n";

const VPC: &str =
    "vpc { subnets = [\"subnet-0123456789abcdef0\"], security_groups = [\"sg-0123456789abcdef0\"] }";
const AP: &str =
    "arn:aws:elasticfilesystem:us-east-1:123456789012:access-point/fsap-0123456789abcdef0";

fn template(c: &lamc::driver::Compilation) -> serde_json::Value {
    assert!(c.diagnostics.is_empty(), "{}", shown(c));
    let model = c.model.clone().expect("a model");
    let stack = lamc::driver::plan(&model, &lamc::driver::PlanOptions::default())
        .unwrap_or_else(|d| panic!("plan failed: {d:#?}"));
    serde_json::from_str(&lamc::emit::json(&stack)).expect("json")
}

#[test]
fn e0475_and_e0476_point_at_the_listing_and_at_the_layer() {
    let c = check(&function(LAYER, "layers = [layer.deps]"));
    // The function is on lines 6–11; `layers` on line 10.
    let runtime = expect_at(&c, Code::E0475, 10);
    assert_eq!(runtime.secondary.len(), 2, "{}", shown(&c));
    let arch = expect_at(&c, Code::E0476, 10);
    assert_eq!(arch.secondary.len(), 1, "{}", shown(&c));
    let text = shown(&c);
    assert!(
        text.contains("layer `deps` is not built for python3.13"),
        "{text}"
    );
    assert!(text.contains("the layer lists python3.12"), "{text}");
    assert!(
        text.contains("layer `deps` is not built for x86_64"),
        "{text}"
    );
    assert!(
        text.contains("write `architecture = arm64` in the function"),
        "{text}"
    );
}

#[test]
fn a_layer_that_names_no_runtimes_is_not_checked() {
    let c = check(&function(
        "layer deps { code = s3(\"code-bucket\", \"deps.zip\") }\n",
        "layers = [layer.deps]",
    ));
    let doc = template(&c);
    let layer = &doc["Resources"]["DepsLayer"];
    assert_eq!(layer["Type"], "AWS::Lambda::LayerVersion");
    assert!(layer["Properties"].get("CompatibleRuntimes").is_none());
    assert_eq!(
        doc["Resources"]["FFunction"]["Properties"]["Layers"][0]["Ref"],
        "DepsLayer"
    );
}

#[test]
fn an_unknown_runtime_in_a_layer_is_e0302_alone() {
    let layer =
        "layer deps {\n  code = s3(\"code-bucket\", \"deps.zip\")\n  runtimes = [pyton3.13]\n}\n";
    let c = check(&function(layer, "layers = [layer.deps]"));
    expect_at(&c, Code::E0302, 3);
    assert!(with_code(&c, Code::E0475).is_empty(), "{}", shown(&c));
}

#[test]
fn layers_mix_declared_arns_and_parameters_and_a_list_parameter_stands_alone() {
    let layer = "layer deps { code = s3(\"code-bucket\", \"deps.zip\") }\nparam extra: string = \"arn:aws:lambda:us-east-1:123456789012:layer:x:1\"\n";
    let c = check(&function(
        layer,
        "layers = [layer.deps, \"arn:aws:lambda:${aws.region}:123456789012:layer:y:2\", param.extra]",
    ));
    let layers = &template(&c)["Resources"]["FFunction"]["Properties"]["Layers"];
    assert_eq!(layers.as_array().map(Vec::len), Some(3), "{layers}");
    let c = check(&function(
        "param all: list = \"arn:aws:lambda:us-east-1:123456789012:layer:x:1\"\n",
        "layers = param.all",
    ));
    let layers = &template(&c)["Resources"]["FFunction"]["Properties"]["Layers"];
    assert_eq!(layers["Ref"], "All", "{layers}");
}

#[test]
fn a_layers_item_of_another_kind_is_e0202() {
    let c = check(&function("queue q {}\n", "layers = [queue.q]"));
    expect_at(&c, Code::E0202, 6);
}

#[test]
fn vpc_lowers_with_the_managed_policy_and_list_parameters() {
    let c = check(&function(
        "param subnets: subnets\nparam groups: security_groups\n",
        "vpc { subnets = param.subnets, security_groups = param.groups, ipv6 = true }",
    ));
    let doc = template(&c);
    let vpc = &doc["Resources"]["FFunction"]["Properties"]["VpcConfig"];
    assert_eq!(vpc["SubnetIds"]["Ref"], "Subnets");
    assert_eq!(vpc["SecurityGroupIds"]["Ref"], "Groups");
    assert_eq!(vpc["Ipv6AllowedForDualStack"], true);
    let managed = &doc["Resources"]["FRole"]["Properties"]["ManagedPolicyArns"][0]["Fn::Sub"];
    assert!(
        managed
            .as_str()
            .is_some_and(|a| a.ends_with("service-role/AWSLambdaVPCAccessExecutionRole")),
        "{managed}"
    );
}

#[test]
fn e0478_e0479_e0480_vpc_lists() {
    let c = check(&function(
        "",
        "vpc { subnets = [\"subnet-0123456789abcdef0\"] }",
    ));
    expect_at(&c, Code::E0478, 5);
    assert!(
        shown(&c).contains("`vpc` without a security group"),
        "{}",
        shown(&c)
    );
    let c = check(&function(
        "",
        "vpc { subnets = [\"sg-0123456789abcdef0\"], security_groups = [\"sg-1\"] }",
    ));
    expect_at(&c, Code::E0479, 5);
    assert!(
        shown(&c).contains("a subnet ID starts with `subnet-`"),
        "{}",
        shown(&c)
    );
    let many: Vec<String> = (0..17).map(|i| format!("\"subnet-{i:x}\"")).collect();
    let c = check(&function(
        "",
        &format!(
            "vpc {{ subnets = [{}], security_groups = [\"sg-1\"] }}",
            many.join(", ")
        ),
    ));
    expect_at(&c, Code::E0480, 5);
    assert!(shown(&c).contains("17 subnets"), "{}", shown(&c));
}

#[test]
fn a_deploy_time_id_and_an_unreadable_list_are_not_judged_again() {
    let c = check(&function(
        "param net: string\n",
        "vpc { subnets = [\"subnet-${param.net}\"], security_groups = [\"sg-1\"] }",
    ));
    assert!(c.diagnostics.is_empty(), "{}", shown(&c));
    // `subnets = [42]` is one type error, not also an empty list.
    let c = check(&function(
        "",
        "vpc { subnets = [42], security_groups = [\"sg-1\"] }",
    ));
    assert!(with_code(&c, Code::E0478).is_empty(), "{}", shown(&c));
    assert_eq!(c.diagnostics.len(), 1, "{}", shown(&c));
}

#[test]
fn files_mount_an_access_point_with_a_narrowed_policy() {
    let c = check(&function(
        "",
        &format!("{VPC}\n  files {{ \"/mnt/data\" = \"{AP}\" }}"),
    ));
    let doc = template(&c);
    let mounts = &doc["Resources"]["FFunction"]["Properties"]["FileSystemConfigs"];
    assert_eq!(mounts[0]["LocalMountPath"], "/mnt/data");
    assert_eq!(mounts[0]["Arn"], AP);
    let policies = &doc["Resources"]["FRole"]["Properties"]["Policies"];
    let files = &policies[1]["PolicyDocument"]["Statement"][0];
    assert_eq!(
        files["Condition"]["StringEquals"]["elasticfilesystem:AccessPointArn"],
        AP
    );
    assert_eq!(
        files["Resource"]["Fn::Sub"],
        "arn:${AWS::Partition}:elasticfilesystem:us-east-1:123456789012:file-system/*"
    );
}

#[test]
fn e0481_e0482_e0483_and_e0472_for_files() {
    let c = check(&function(
        "",
        &format!("files {{ \"/mnt/data\" = \"{AP}\" }}"),
    ));
    expect_at(&c, Code::E0481, 5);
    let long = format!("/mnt/{}", "a".repeat(160));
    let c = check(&function(
        "",
        &format!("{VPC}\n  files {{ \"{long}\" = \"{AP}\" }}"),
    ));
    expect_at(&c, Code::E0482, 6);
    assert!(
        shown(&c).contains("165 characters; at most 160"),
        "{}",
        shown(&c)
    );
    let c = check(&function(
        "",
        &format!("{VPC}\n  files {{\n    \"/mnt/a\" = \"{AP}\"\n    \"/mnt/b\" = \"{AP}\"\n  }}"),
    ));
    expect_at(&c, Code::E0483, 8);
    let c = check(&function(
        "",
        &format!("snap_start = true\n  {VPC}\n  files {{ \"/mnt/a\" = \"{AP}\" }}"),
    ));
    expect_at(&c, Code::E0472, 5);
    assert!(
        shown(&c).contains("SnapStart cannot be used with a file system"),
        "{}",
        shown(&c)
    );
}

#[test]
fn durable_publishes_and_may_checkpoint_its_own_versions() {
    let c = check(&function("", "durable { timeout = 1h, retention = 7d }"));
    let doc = template(&c);
    let r = &doc["Resources"];
    let config = &r["FFunction"]["Properties"]["DurableConfig"];
    assert_eq!(config["ExecutionTimeout"], 3600);
    assert_eq!(config["RetentionPeriodInDays"], 7);
    assert_eq!(r["FAlias"]["Type"], "AWS::Lambda::Alias");
    let st = &r["FPolicy"]["Properties"]["PolicyDocument"]["Statement"][0];
    assert_eq!(st["Action"][0], "lambda:CheckpointDurableExecution");
    assert_eq!(st["Resource"]["Fn::Join"][1][1], ":*");
}

#[test]
fn durable_ranges_and_its_required_timeout() {
    let c = check(&function("", "durable { timeout = 367d }"));
    expect_at(&c, Code::E0417, 5);
    assert!(
        shown(&c).contains("durable timeout 367d is out of range"),
        "{}",
        shown(&c)
    );
    let c = check(&function("", "durable { retention = 7d }"));
    expect_at(&c, Code::E0105, 5);
}

#[test]
fn an_existing_layer_is_listed_by_its_arn_and_its_arn_is_checked() {
    let arn = "arn:aws:lambda:us-east-1:123456789012:layer:shared:4";
    let c = check(&function(
        &format!("layer shared from \"{arn}\"\n"),
        "layers = [layer.shared]",
    ));
    let layers = &template(&c)["Resources"]["FFunction"]["Properties"]["Layers"];
    assert_eq!(layers[0], arn, "{layers}");
    let c = check(&function(
        "layer shared from \"arn:aws:lambda:us-east-1:123456789012:function:shared\"\n",
        "layers = [layer.shared]",
    ));
    expect_at(&c, Code::E0418, 1);
}
