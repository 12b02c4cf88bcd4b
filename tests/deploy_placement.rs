//! `lamc deploy` keeps every deployed function in its nested stack as the app grows, against
//! a CloudFormation API on loopback (moto): the placement is read back from the deployed
//! stacks when the placement file is missing, the deployed stacks win over a file that
//! disagrees, and a deploy that would move functions needs `--allow-moves`.
//!
//! The app grows from 129 to 130 functions: the step at which the stateless placement of
//! earlier versions goes from 4 to 5 nested stacks and moves about a fifth of the functions.
//!
//! moto updates a nested stack by deleting it and creating it again, so the functions of a
//! child whose template changed get new names there (CloudFormation updates them in place).
//! The test therefore checks that every function stays in its nested stack, and that the
//! functions of every child moto did not re-create keep their ARN exactly.

#![cfg(feature = "deploy")]

use std::collections::BTreeMap;

use crate::deploy_support;
use crate::synth;

use deploy_support::{app, moto, path_str, text, unique, Moto};

/// The synthetic app without its HTTP routes (moto 5.2.5 does not create
/// `AWS::ApiGatewayV2::Api` through CloudFormation; see deploy_nested.rs).
fn source(n: usize) -> String {
    synth::generate(n, false)
        .lines()
        .filter(|l| !l.trim_start().starts_with("on http"))
        .map(|l| format!("{l}\n"))
        .collect()
}

/// Each synthetic function (by its `INDEX` variable) → its physical name, which moto
/// forms as `<stack>-NestedStackN-<random>-<logical id>-<random>`.
fn functions(moto: &Moto, stack: &str) -> BTreeMap<u64, String> {
    moto.functions()
        .into_iter()
        .filter(|(name, _, _)| name.starts_with(&format!("{stack}-")))
        .filter_map(|(name, _, env)| {
            let index = env["INDEX"].as_str()?.parse().ok()?;
            Some((index, name))
        })
        .collect()
}

/// `NestedStack3` of `<stack>-NestedStack3-<random>-…`.
fn child_of(name: &str, stack: &str) -> String {
    name[stack.len() + 1..]
        .split('-')
        .next()
        .unwrap_or("")
        .to_string()
}

/// `<stack>-NestedStack3-<random>`: changes when moto re-creates the child.
fn child_instance(name: &str, stack: &str) -> String {
    name[stack.len() + 1..]
        .splitn(3, '-')
        .take(2)
        .collect::<Vec<_>>()
        .join("-")
}

#[test]
fn growing_keeps_every_deployed_function_in_its_stack() {
    let moto = moto();
    let stack = unique("placed");
    let bucket = unique("placed-artifacts");
    let (dir, file) = app(&source(129));
    let file = path_str(&file).to_string();
    let placement = dir.path().join("app.lam.placement");
    let run = |command: &str, extra: &[&str]| {
        let mut args = vec![command, file.as_str(), "--stack", &stack];
        args.extend(["--artifacts-bucket", &bucket, "--timeout", "300s"]);
        args.extend(extra);
        let out = moto
            .lamc(&args)
            .timeout(std::time::Duration::from_secs(360))
            .output()
            .expect("run lamc");
        (out.status.code(), text(&out.stdout), text(&out.stderr))
    };

    let (code, stdout, stderr) = run("deploy", &["--yes"]);
    assert_eq!(code, Some(0), "create failed:\n{stdout}\n{stderr}");
    assert!(
        stderr.contains("wrote "),
        "the deploy writes the placement:\n{stderr}"
    );
    let before = functions(&moto, &stack);
    assert_eq!(before.len(), 129);

    // Grow. A placement file that disagrees with the stack loses: `lamc diff` says so.
    std::fs::write(&file, source(130)).expect("grow");
    let text_before = std::fs::read_to_string(&placement).expect("placement file");
    let deployed_home = text_before
        .lines()
        .find_map(|l| l.strip_prefix("worker_0 = "))
        .expect("worker_0 placed")
        .to_string();
    let elsewhere = if deployed_home == "NestedStack1" {
        "NestedStack2"
    } else {
        "NestedStack1"
    };
    std::fs::write(
        &placement,
        text_before.replace(
            &format!("worker_0 = {deployed_home}\n"),
            &format!("worker_0 = {elsewhere}\n"),
        ),
    )
    .expect("tamper");
    let (code, stdout, stderr) = run("diff", &[]);
    assert_eq!(code, Some(0), "diff failed:\n{stdout}\n{stderr}");
    assert!(
        stderr.contains("places 1 function elsewhere than stack")
            && stderr.contains(&format!(
                "worker_0: {elsewhere} in the file, {deployed_home} deployed"
            )),
        "{stderr}"
    );
    assert!(!stdout.contains("moving to another stack"), "{stdout}");

    // Without the file, the deployed stacks are the placement.
    std::fs::remove_file(&placement).expect("remove placement");
    let (code, stdout, stderr) = run("deploy", &["--yes"]);
    assert_eq!(code, Some(0), "update failed:\n{stdout}\n{stderr}");
    assert!(!stdout.contains("moving to another stack"), "{stdout}");
    let after = functions(&moto, &stack);
    assert_eq!(after.len(), 130);
    let mut kept = 0;
    for (index, name) in &before {
        let now = &after[index];
        assert_eq!(
            child_of(now, &stack),
            child_of(name, &stack),
            "worker_{index} moved"
        );
        if child_instance(now, &stack) == child_instance(name, &stack) {
            assert_eq!(
                now, name,
                "worker_{index} was replaced in a child left as it was"
            );
            kept += 1;
        }
    }
    assert!(
        kept >= 64,
        "most children are untouched by one more function: {kept}"
    );
    let written = std::fs::read_to_string(&placement).expect("placement written back");
    assert!(
        written.contains(&format!("worker_0 = {deployed_home}\n")),
        "{written}"
    );
    assert!(written.contains("worker_129 = NestedStack"), "{written}");

    // Placing afresh would move functions: a deploy that does so needs --allow-moves.
    let (code, stdout, stderr) = run("deploy", &["--yes", "--rebalance"]);
    assert_eq!(code, Some(2), "refused:\n{stdout}\n{stderr}");
    assert!(stderr.contains("moving to another stack"), "{stderr}");
    assert!(stderr.contains("gets a new name and ARN"), "{stderr}");
    assert!(stderr.contains("pass --allow-moves"), "{stderr}");
    assert_eq!(functions(&moto, &stack), after, "nothing was changed");

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
