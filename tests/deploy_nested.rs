//! `lamc deploy` of an app split into nested stacks, against a CloudFormation API on
//! loopback (moto): the child templates go to the artifacts bucket under their
//! content-hashed keys, every function of a 1,000-function app is created in its child
//! stack, and a second deploy uploads nothing and changes nothing.

#![cfg(feature = "deploy")]

use crate::deploy_support;

use crate::synth;

use deploy_support::{app, moto, path_str, text, unique};

const FUNCTIONS: usize = 1000;

/// The synthetic app without its HTTP routes: moto 5.2.5 does not create
/// `AWS::ApiGatewayV2::Api` through CloudFormation, so a `Ref` to it passed into a child
/// comes out empty and moto reports the child's parameter as missing.
fn source() -> String {
    synth::generate(FUNCTIONS, false)
        .lines()
        .filter(|l| !l.trim_start().starts_with("on http"))
        .map(|l| format!("{l}\n"))
        .collect()
}

#[test]
fn a_thousand_functions_deploy_as_nested_stacks() {
    let moto = moto();
    let stack = unique("nested");
    let bucket = unique("nested-artifacts");
    let (_dir, file) = app(&source());
    let file = path_str(&file).to_string();
    let deploy = || {
        moto.lamc(&[
            "deploy",
            &file,
            "--stack",
            &stack,
            "--artifacts-bucket",
            &bucket,
            "--yes",
            "--timeout",
            "300s",
        ])
        .timeout(std::time::Duration::from_secs(360))
        .output()
        .expect("run lamc deploy")
    };

    let out = deploy();
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(
        out.status.code(),
        Some(0),
        "create failed:\n{stdout}\n{stderr}"
    );
    assert!(
        stderr.contains("nested stack templates in s3://"),
        "{stderr}"
    );
    // Some 7,000 resources created at once: over CFN-13 on AWS (moto does not enforce it).
    assert!(
        stderr.contains("warning: creating stack") && stderr.contains("(CFN-13)"),
        "{stderr}"
    );
    let uploaded: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("uploaded   s3://") && l.contains("/NestedStack"))
        .collect();
    let added: Vec<&str> = stdout
        .lines()
        .filter(|l| l.contains("AWS::CloudFormation::Stack") && l.contains("+ add"))
        .collect();
    assert!(uploaded.len() > 1, "several children expected:\n{stderr}");
    assert_eq!(
        uploaded.len(),
        added.len(),
        "one uploaded template per nested stack:\n{stdout}\n{stderr}"
    );
    assert!(stderr.contains("CREATE_COMPLETE"), "{stderr}");

    // Each function lives in a child: moto names them `<stack>-NestedStackN-…-…Function-…`.
    let in_children = moto
        .functions()
        .into_iter()
        .filter(|(name, _, _)| name.starts_with(&format!("{stack}-NestedStack")))
        .count();
    assert_eq!(in_children, FUNCTIONS, "functions created in nested stacks");

    // The same program again: the children's keys exist, nothing changes.
    let out = deploy();
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(
        out.status.code(),
        Some(0),
        "re-deploy failed:\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains("no changes"), "{stdout}");
    assert!(!stderr.contains("uploaded "), "uploaded again:\n{stderr}");
    // An update touches only what changed: no CFN-13 warning.
    assert!(!stderr.contains("CFN-13"), "{stderr}");

    let out = moto
        .lamc(&["destroy", "--stack", &stack, "--yes", "--timeout", "300s"])
        .output()
        .expect("run lamc destroy");
    assert_eq!(
        out.status.code(),
        Some(0),
        "destroy failed:\n{}",
        text(&out.stderr)
    );
}
