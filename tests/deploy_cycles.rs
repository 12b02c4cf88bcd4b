//! The shapes that used to give a dependency cycle deploy (issue 10.1), against a
//! CloudFormation API on loopback (moto): a function notified by the bucket it names, and a
//! function that names itself. The names lamc chooses are computed by CloudFormation from
//! the stack's ID, and are the names the resources get.

#![cfg(feature = "deploy")]

use crate::deploy_support;

use deploy_support::{app, moto, path_str, text, unique};

const APP: &str = r#"app cycles {}

defaults {
  runtime = python3.12
  handler = "handler.handler"
  code    = "src"
}

bucket uploads {}

function ingest {
  env { BUCKET = bucket.uploads.name }
  allow ["s3:GetObject"] on bucket.uploads
  on s3 bucket.uploads { prefix = "in/" }
}

function poller {
  env { SELF = function.poller.arn }
}
"#;

/// `PREFIX-UUID`: the UUID is lowercase hex in the 8-4-4-4-12 layout.
fn uuid_after<'a>(value: &'a str, prefix: &str) -> Option<&'a str> {
    let uuid = value.strip_prefix(prefix)?;
    let groups: Vec<&str> = uuid.split('-').collect();
    let layout = groups.iter().map(|g| g.len()).collect::<Vec<_>>() == [8, 4, 4, 4, 12];
    let hex = uuid
        .chars()
        .all(|c| c == '-' || c.is_ascii_digit() || ('a'..='f').contains(&c));
    (layout && hex).then_some(uuid)
}

#[test]
fn a_function_that_names_its_trigger_bucket_or_itself_deploys() {
    let moto = moto();
    let stack = unique("cycles");
    let bucket = unique("cycles-artifacts");
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
        ])
        .output()
        .expect("run lamc deploy");
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(
        out.status.code(),
        Some(0),
        "deploy failed:\n{stdout}\n{stderr}"
    );
    assert!(stderr.contains("CREATE_COMPLETE"), "{stderr}");

    let functions = moto.functions();
    let env_of = |prefix: &str| {
        functions
            .iter()
            .find(|(name, _, _)| name.starts_with(prefix))
            .map(|(name, _, env)| (name.clone(), env.clone()))
    };
    let (_, ingest_env) = env_of(&format!("{stack}-IngestFunction"))
        .unwrap_or_else(|| panic!("ingest was created: {functions:?}"));
    let bucket_name = ingest_env["BUCKET"].as_str().unwrap_or("");
    let uuid = uuid_after(bucket_name, "uploads-")
        .unwrap_or_else(|| panic!("bucket name from the stack ID: {bucket_name:?}"));

    // The poller is named by lamc from the same stack ID, and its ARN ends in that name.
    let (poller, poller_env) = env_of("poller-")
        .unwrap_or_else(|| panic!("poller was created under its known name: {functions:?}"));
    assert_eq!(poller, format!("poller-{uuid}"));
    let arn = poller_env["SELF"].as_str().unwrap_or("");
    assert!(
        arn.starts_with("arn:aws:lambda:us-east-1:")
            && arn.ends_with(&format!(":function:{poller}")),
        "{arn}"
    );
}
