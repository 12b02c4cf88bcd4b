//! A list parameter deployed (moto): `--param subnets=subnet-1,subnet-2` is passed as the
//! text CloudFormation splits, and the stack holds it as a list of two subnets
//! (docs/language.md, "List parameters"). What the list then does is read back on
//! LocalStack (tests/localstack_deploy.rs): moto drops layers and outputs.

#![cfg(feature = "deploy")]

use crate::deploy_support;

use deploy_support::{app, moto, path_str, text, unique};

const APP: &str = r#"app lists {}

param subnets: subnets
param groups: security_groups = ["sg-0123456789abcdef0"]

function worker {
  runtime = python3.12
  handler = "handler.handler"
  code    = "src"
}

output subnets = param.subnets
output groups = param.groups
"#;

#[test]
fn a_list_parameter_is_deployed_as_a_list() {
    let moto = moto();
    let stack = unique("lists");
    let bucket = unique("artifacts");
    let (_dir, file) = app(APP);
    let out = moto
        .lamc(&[
            "deploy",
            path_str(&file),
            "--stack",
            &stack,
            "--artifacts-bucket",
            &bucket,
            "--yes",
            "--timeout",
            "60s",
            "--param",
            "subnets=subnet-1,subnet-2",
        ])
        .output()
        .expect("run lamc deploy");
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "deploy failed:\n{stderr}");
    assert!(stderr.contains("CREATE_COMPLETE"), "{stderr}");
    let params = moto.stack_parameters(&stack);
    // moto shows a list parameter's value as the list it split it into.
    assert!(
        params.contains(&("Subnets".into(), "['subnet-1', 'subnet-2']".into())),
        "{params:?}"
    );
    assert!(
        params.contains(&("Groups".into(), "sg-0123456789abcdef0".into())),
        "{params:?}"
    );
}
