//! `lamc deploy`, `diff` and `destroy` against a CloudFormation API on loopback (moto):
//! create, re-deploy with no changes (artifact upload skipped), a memory change shown as a
//! modification and applied, parameters, destroy.
//!
//! What moto lacks (per-resource events, alarms, aliases) is not asserted on.

// The binary has these commands only with the `deploy` feature (deploy_without_feature.rs
// covers the other build).
#![cfg(feature = "deploy")]

use crate::deploy_support;

use deploy_support::{app, moto, path_str, text, unique};

const APP: &str = r#"app lifecycle {}

param stage: string = "dev"

function worker {
  runtime = python3.12
  handler = "handler.handler"
  code    = "src"
  memory  = 256MB
  timeout = 10s
  env { STAGE = "${param.stage}" }
}
"#;

fn worker_of(moto: &deploy_support::Moto, stack: &str) -> Option<(u64, serde_json::Value)> {
    moto.functions()
        .into_iter()
        .find(|(name, _, _)| name.starts_with(&format!("{stack}-WorkerFunction")))
        .map(|(_, memory, env)| (memory, env))
}

#[test]
fn create_redeploy_update_and_destroy() {
    let moto = moto();
    let stack = unique("life");
    let bucket = unique("artifacts");
    let (_dir, file) = app(APP);
    let file = path_str(&file).to_string();
    let deploy = |extra: &[&str]| {
        let mut args = vec![
            "deploy",
            file.as_str(),
            "--stack",
            stack.as_str(),
            "--artifacts-bucket",
            bucket.as_str(),
            "--yes",
            "--timeout",
            "60s",
        ];
        args.extend_from_slice(extra);
        moto.lamc(&args).output().expect("run lamc deploy")
    };

    // Create: every resource is an addition, the code is uploaded, the function exists.
    let out = deploy(&[]);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(
        out.status.code(),
        Some(0),
        "create failed:\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains("+ add     WorkerFunction"), "{stdout}");
    assert!(
        stdout.contains("to add, 0 to modify, 0 to remove"),
        "{stdout}"
    );
    assert!(stderr.contains("uploaded   s3://"), "{stderr}");
    assert!(stderr.contains("CREATE_COMPLETE"), "{stderr}");
    assert!(
        !stderr.contains("CFN-13"),
        "a small app is not warned about:\n{stderr}"
    );
    let (memory, env) = worker_of(&moto, &stack).expect("the worker function was created");
    assert_eq!(memory, 256);
    assert_eq!(env["STAGE"], "dev");

    // Same program again: nothing to change, and the artifact is not uploaded twice.
    let out = deploy(&[]);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(
        out.status.code(),
        Some(0),
        "re-deploy failed:\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains("no changes"), "{stdout}");
    assert!(stderr.contains("unchanged  s3://"), "{stderr}");
    assert!(!stderr.contains("uploaded "), "uploaded again:\n{stderr}");

    // More memory: `diff` shows a modification and changes nothing…
    std::fs::write(&file, APP.replace("256MB", "512MB")).expect("edit app.lam");
    let out = moto
        .lamc(&[
            "diff",
            &file,
            "--stack",
            &stack,
            "--artifacts-bucket",
            &bucket,
            "--timeout",
            "60s",
        ])
        .output()
        .expect("run lamc diff");
    let stdout = text(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "diff failed:\n{stdout}\n{}",
        text(&out.stderr)
    );
    assert!(stdout.contains("~ modify  WorkerFunction"), "{stdout}");
    assert!(!stdout.contains("+ add"), "{stdout}");
    assert_eq!(
        worker_of(&moto, &stack).map(|w| w.0),
        Some(256),
        "diff applied changes"
    );

    // …and `deploy` (with a parameter) applies it.
    let out = deploy(&["--param", "stage=prod"]);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(
        out.status.code(),
        Some(0),
        "update failed:\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains("~ modify  WorkerFunction"), "{stdout}");
    assert!(stderr.contains("UPDATE_COMPLETE"), "{stderr}");
    let (memory, env) = worker_of(&moto, &stack).expect("the worker function still exists");
    assert_eq!(memory, 512);
    assert_eq!(env["STAGE"], "prod");

    // Destroy: the stack and its function go; a second destroy has nothing to do.
    let out = moto
        .lamc(&["destroy", "--stack", &stack, "--yes", "--timeout", "60s"])
        .output()
        .expect("run lamc destroy");
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "destroy failed:\n{stderr}");
    assert!(stderr.contains("deleted"), "{stderr}");
    assert_eq!(worker_of(&moto, &stack), None, "function left behind");
    let out = moto
        .lamc(&["destroy", "--stack", &stack, "--yes", "--timeout", "60s"])
        .output()
        .expect("run lamc destroy again");
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stderr).contains("nothing to delete"));
}

#[test]
fn diff_of_a_new_stack_leaves_no_stack_behind() {
    let moto = moto();
    let stack = unique("preview");
    let (_dir, file) = app(r#"app preview {}
function hello {
  runtime = python3.12
  handler = "index.handler"
  code    = inline("def handler(event, context):\n    return 1\n")
}
"#);
    let out = moto
        .lamc(&[
            "diff",
            path_str(&file),
            "--stack",
            &stack,
            "--timeout",
            "60s",
        ])
        .output()
        .expect("run lamc diff");
    let stdout = text(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}\n{}",
        text(&out.stderr)
    );
    assert!(stdout.contains("+ add     HelloFunction"), "{stdout}");
    assert!(stdout.contains("+ add     HelloRole"), "{stdout}");
    // The empty stack CloudFormation made for the change set was removed again.
    let out = moto
        .lamc(&["destroy", "--stack", &stack, "--yes", "--timeout", "60s"])
        .output()
        .expect("run lamc destroy");
    assert_eq!(out.status.code(), Some(0));
    assert!(
        text(&out.stderr).contains("nothing to delete"),
        "{}",
        text(&out.stderr)
    );
    assert!(
        !moto.functions().iter().any(|f| f.0.starts_with(&stack)),
        "diff created a function"
    );
}

#[test]
fn no_execute_leaves_the_change_set_for_review() {
    let moto = moto();
    let stack = unique("review");
    let (_dir, file) = app(r#"app review {}
function hello {
  runtime = python3.12
  handler = "index.handler"
  code    = inline("def handler(event, context):\n    return 1\n")
}
"#);
    let out = moto
        .lamc(&[
            "deploy",
            path_str(&file),
            "--stack",
            &stack,
            "--no-execute",
            "--timeout",
            "60s",
        ])
        .output()
        .expect("run lamc deploy --no-execute");
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("change set left for review: arn:"),
        "{stderr}"
    );
    assert!(!moto.functions().iter().any(|f| f.0.starts_with(&stack)));
    // Executing later through `deploy` creates the stack.
    let out = moto
        .lamc(&[
            "deploy",
            path_str(&file),
            "--stack",
            &stack,
            "--yes",
            "--timeout",
            "60s",
        ])
        .output()
        .expect("run lamc deploy");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(moto
        .functions()
        .iter()
        .any(|f| f.0.starts_with(&format!("{stack}-HelloFunction"))));
}
