//! Lambda Managed Instances: `capacity NAME { … }` and a function's `capacity { … }`, from
//! source to diagnostics (code, line, message) and to the template.

use crate::check_support::{check, expect_at, render, with_code};

use lamc::diag::Code;
use serde_json::Value;

const FLEET: &str = "capacity fleet {\n  subnets = [\"subnet-0123456789abcdef0\"]\n  architecture = arm64\n  max_vcpus = 64\n}\n";
const ARN: &str = "arn:aws:lambda:us-east-1:123456789012:capacity-provider:shared";

/// A function on `provider`, with `extra` lines in its body.
fn function(provider: &str, extra: &str) -> String {
    format!(
        "function api {{\n  runtime = python3.13\n  handler = \"app.handler\"\n  code = s3(\"code-bucket\", \"k.zip\")\n  architecture = arm64\n{extra}  capacity {{ provider = {provider} }}\n}}\n"
    )
}

/// The template of a program that compiles without errors.
fn template(src: &str) -> Value {
    let c = check(src);
    assert!(!c.has_errors(), "{}", render(&c));
    let stack = lamc::driver::plan(&c.model.clone().expect("a model"), &Default::default())
        .unwrap_or_else(|d| panic!("plan failed: {d:#?}"));
    serde_json::from_str(&lamc::emit::json(&stack)).expect("json")
}

#[test]
fn a_declared_provider_becomes_the_provider_and_its_operator_role() {
    let t = template(&format!("{FLEET}{}", function("capacity.fleet", "")));
    let r = &t["Resources"];
    let p = &r["FleetCapacityProvider"];
    assert_eq!(p["Type"], "AWS::Lambda::CapacityProvider");
    assert_eq!(
        p["Properties"]["PermissionsConfig"]["CapacityProviderOperatorRoleArn"]["Fn::GetAtt"][0],
        "FleetCapacityOperatorRole"
    );
    assert_eq!(
        p["Properties"]["InstanceRequirements"]["Architectures"][0],
        "arm64"
    );
    assert_eq!(
        p["Properties"]["CapacityProviderScalingConfig"]["MaxVCpuCount"],
        64
    );
    let role = &r["FleetCapacityOperatorRole"]["Properties"];
    assert_eq!(
        role["ManagedPolicyArns"][0]["Fn::Sub"],
        "arn:${AWS::Partition}:iam::aws:policy/AWSLambdaManagedEC2ResourceOperator"
    );
    let f = &r["ApiFunction"]["Properties"];
    let config = &f["CapacityProviderConfig"]["LambdaManagedInstancesCapacityProviderConfig"];
    assert_eq!(
        config["CapacityProviderArn"]["Fn::GetAtt"][0],
        "FleetCapacityProvider"
    );
    // LMI-02, LMI-04: the defaults a function on Managed Instances needs.
    assert_eq!(f["MemorySize"], 2048);
    assert_eq!(f["LoggingConfig"]["LogFormat"], "JSON");
}

#[test]
fn an_existing_provider_by_arn_and_the_function_settings() {
    let src = format!(
        "capacity shared from \"{ARN}\"\n{}",
        function(
            "capacity.shared",
            "  memory = 20GB\n  capacity { provider = capacity.shared, memory_per_vcpu = 4, concurrency = 32, min_environments = 1, max_environments = 3 }\n"
        )
        .replace("  capacity { provider = capacity.shared }\n", "")
    );
    let t = template(&src);
    let f = &t["Resources"]["ApiFunction"]["Properties"];
    let config = &f["CapacityProviderConfig"]["LambdaManagedInstancesCapacityProviderConfig"];
    assert_eq!(config["CapacityProviderArn"], ARN);
    assert_eq!(config["ExecutionEnvironmentMemoryGiBPerVCpu"], 4);
    assert_eq!(config["PerExecutionEnvironmentMaxConcurrency"], 32);
    assert_eq!(f["FunctionScalingConfig"]["MinExecutionEnvironments"], 1);
    assert_eq!(f["FunctionScalingConfig"]["MaxExecutionEnvironments"], 3);
    // Above a standard function's 10GB, within the 32GB of Managed Instances (D-1).
    assert_eq!(f["MemorySize"], 20480);
}

#[test]
fn each_mistake_is_one_error_at_its_line() {
    let fleet = format!("{FLEET}{}", function("capacity.fleet", "  memory = 1GB\n"));
    let c = check(&fleet);
    assert_eq!(c.diagnostics.len(), 1, "{}", render(&c));
    let d = expect_at(&c, Code::E0453, 11);
    assert_eq!(
        d.message,
        "a function on Managed Instances has at least 2GB of memory"
    );

    let c = check(&function(
        &format!("\"{ARN}\""),
        "  logging { format = text }\n",
    ));
    assert_eq!(c.diagnostics.len(), 1, "{}", render(&c));
    expect_at(&c, Code::E0454, 6);

    let c = check(&function(
        &format!("\"{ARN}\""),
        "  concurrency { provisioned = 2 }\n",
    ));
    assert_eq!(c.diagnostics.len(), 1, "{}", render(&c));
    let d = expect_at(&c, Code::E0455, 6);
    assert_eq!(d.secondary.len(), 1, "points at `capacity` too");

    let c = check(&function(&format!("\"{ARN}\""), "").replace("python3.13", "python3.12"));
    assert_eq!(c.diagnostics.len(), 1, "{}", render(&c));
    expect_at(&c, Code::E0325, 2);

    let x86 = format!(
        "{FLEET}{}",
        function("capacity.fleet", "").replace("arm64", "x86_64")
    );
    let c = check(&x86);
    assert_eq!(c.diagnostics.len(), 1, "{}", render(&c));
    let d = expect_at(&c, Code::E0115, 10);
    assert!(
        d.message.contains("arm64") && d.message.contains("x86_64"),
        "{}",
        d.message
    );

    let c = check(&function(&format!("\"{ARN}\""), "").replace(
        "capacity { provider",
        "capacity { min_environments = 5, max_environments = 1, provider",
    ));
    assert_eq!(c.diagnostics.len(), 1, "{}", render(&c));
    expect_at(&c, Code::E0326, 6);
}

#[test]
fn ranges_and_required_attributes() {
    let c = check(&function(&format!("\"{ARN}\""), "").replace(
        "capacity { provider",
        "capacity { concurrency = 2000, memory_per_vcpu = 1, provider",
    ));
    assert_eq!(with_code(&c, Code::E0417).len(), 2, "{}", render(&c));
    let c = check(&function(&format!("\"{ARN}\""), "  memory = 40GB\n"));
    expect_at(&c, Code::E0401, 6);
    let c = check(
        &function(&format!("\"{ARN}\""), "")
            .replace(&format!("provider = \"{ARN}\""), "concurrency = 4"),
    );
    expect_at(&c, Code::E0105, 6);
    let c = check(&format!(
        "capacity fleet {{ architecture = arm64 }}\n{}",
        function("capacity.fleet", "")
    ));
    assert_eq!(c.diagnostics.len(), 1, "{}", render(&c));
    expect_at(&c, Code::E0105, 1);
}

#[test]
fn capacity_from_defaults_reaches_every_function() {
    let src = format!(
        "defaults {{\n  capacity {{ provider = \"{ARN}\" }}\n}}\nfunction api {{\n  runtime = python3.13\n  handler = \"app.handler\"\n  code = s3(\"code-bucket\", \"k.zip\")\n}}\n"
    );
    let t = template(&src);
    let f = &t["Resources"]["ApiFunction"]["Properties"];
    assert_eq!(
        f["CapacityProviderConfig"]["LambdaManagedInstancesCapacityProviderConfig"]
            ["CapacityProviderArn"],
        ARN
    );
    assert_eq!(f["MemorySize"], 2048);
}
