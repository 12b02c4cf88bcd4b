//! `lamc import` as a user runs it: stdout or `-o`, the summary on stderr, exit codes.

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;

fn lamc() -> Command {
    let mut cmd = Command::cargo_bin("lamc").expect("the lamc binary is built");
    cmd.env("NO_COLOR", "1").env("LAMC_TODAY", "2026-11-26");
    cmd
}

const SAM: &str = "\
Transform: AWS::Serverless-2016-10-31
Resources:
  Jobs:
    Type: AWS::SQS::Queue
  WorkerFunction:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      DeploymentPreference:
        Type: AllAtOnce
      Events:
        Work:
          Type: SQS
          Properties:
            Queue: !GetAtt Jobs.Arn
  Flow:
    Type: AWS::StepFunctions::StateMachine
";

const SERVERLESS: &str = "\
service: hello
provider:
  name: aws
  runtime: nodejs22.x
functions:
  hello:
    handler: handler.hello
    events:
      - httpApi: GET /hello
";

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).expect("write test file");
}

#[test]
fn a_sam_template_prints_a_formatted_program_and_a_summary() {
    let dir = tempfile::tempdir().expect("tempdir");
    let f = dir.path().join("template.yaml");
    write(&f, SAM);
    let out = lamc().arg("import").arg(&f).assert().code(0);
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(stdout.contains("function worker {"), "{stdout}");
    assert!(stdout.contains("on sqs queue.jobs"), "{stdout}");
    assert!(
        stdout.contains("# not imported: Resources.Flow (AWS::StepFunctions::StateMachine)"),
        "{stdout}"
    );
    assert_eq!(
        lamc::fmt::format_source(&stdout).ok().as_deref(),
        Some(stdout.as_str()),
        "formatted"
    );
    out.stderr(
        predicate::str::contains("imported 1 function from ")
            .and(predicate::str::contains(
                "(AWS SAM template); 2 not imported",
            ))
            .and(predicate::str::contains(
                "  DeploymentPreference (no such attribute in lamc yet)",
            ))
            .and(predicate::str::contains(
                "  Resources.Flow (AWS::StepFunctions::StateMachine)",
            )),
    );
}

#[test]
fn out_writes_the_file_and_the_program_builds() {
    let dir = tempfile::tempdir().expect("tempdir");
    let f = dir.path().join("serverless.yml");
    write(&f, SERVERLESS);
    let app = dir.path().join("app.lam");
    lamc()
        .arg("import")
        .arg(&f)
        .arg("-o")
        .arg(&app)
        .assert()
        .code(0)
        .stdout("")
        .stderr(
            predicate::str::contains("imported 1 function from")
                .and(predicate::str::contains("everything came across")),
        );
    let text = std::fs::read_to_string(&app).expect("written");
    assert!(
        text.contains("on http \"GET /hello\" { public = true }"),
        "{text}"
    );
    lamc().arg("check").arg(&app).assert().code(0);
}

#[test]
fn json_sam_templates_are_read_too() {
    let dir = tempfile::tempdir().expect("tempdir");
    let f = dir.path().join("template.json");
    write(
        &f,
        r#"{"Transform": "AWS::Serverless-2016-10-31", "Resources": {"T": {"Type": "AWS::SNS::Topic"}}}"#,
    );
    lamc()
        .arg("import")
        .arg(&f)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("topic t {}"));
}

/// A plain CloudFormation template (no SAM transform) whose function a mapping connects to
/// a queue: imported, and the program checks clean.
const CFN: &str = r#"AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Jobs:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: 180
  Worker:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.13
      Handler: index.handler
      Timeout: 30
      Role: !GetAtt WorkerRole.Arn
      Code:
        ZipFile: |
          def handler(event, context):
              return len(event["Records"])
  WorkerRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]
      Policies:
        - PolicyName: logs
          PolicyDocument:
            Statement: [{Effect: Allow, Action: [logs:CreateLogStream, logs:PutLogEvents], Resource: "*"}]
  Mapping:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      EventSourceArn: !GetAtt Jobs.Arn
      FunctionName: !Ref Worker
      BatchSize: 5
"#;

#[test]
fn plain_cloudformation_templates_with_functions_are_imported() {
    let dir = tempfile::tempdir().expect("tempdir");
    let f = dir.path().join("template.yaml");
    let app = dir.path().join("app.lam");
    write(&f, CFN);
    lamc()
        .arg("import")
        .arg(&f)
        .arg("-o")
        .arg(&app)
        .assert()
        .code(0)
        .stderr(predicate::str::contains("imported 1 function from").and(
            predicate::str::contains("(CloudFormation template); everything came across"),
        ));
    let text = std::fs::read_to_string(&app).expect("written");
    assert!(text.contains("on sqs queue.jobs { batch = 5 }"), "{text}");
    assert!(!text.contains("# not imported:"), "{text}");
    lamc().arg("check").arg(&app).assert().code(0);
}

#[test]
fn other_files_exit_1_and_write_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = dir.path().join("app.lam");
    for (name, text, why) in [
        (
            "cfn.yaml",
            "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n",
            "without `Transform",
        ),
        ("list.yaml", "- a\n- b\n", "not a mapping"),
        ("broken.yaml", "a: [unclosed\n", "not valid YAML"),
        (
            "azure.yml",
            "service: s\nprovider:\n  name: azure\nfunctions: {}\n",
            "`azure` provider",
        ),
    ] {
        let f = dir.path().join(name);
        write(&f, text);
        lamc()
            .arg("import")
            .arg(&f)
            .arg("-o")
            .arg(&app)
            .assert()
            .code(1)
            .stdout("")
            .stderr(
                predicate::str::contains("error: cannot import").and(predicate::str::contains(why)),
            );
        assert!(!app.exists(), "{name}: nothing is written");
    }
}

#[test]
fn unreadable_inputs_and_refused_outputs_exit_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    lamc()
        .arg("import")
        .arg(dir.path().join("missing.yaml"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot read"));
    lamc()
        .arg("import")
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("folder"));
    let f = dir.path().join("template.yaml");
    write(&f, SAM);
    // Writing over the input would lose it.
    lamc()
        .arg("import")
        .arg(&f)
        .arg("-o")
        .arg(&f)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("the import's input"));
    assert_eq!(std::fs::read_to_string(&f).expect("kept"), SAM);
    lamc()
        .arg("import")
        .arg(&f)
        .arg("-o")
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("it is a folder"));
}

#[test]
fn hostile_inputs_are_refused_quickly() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Aliases that would expand to 10^11 nodes.
    let mut laughs = String::from(
        "Transform: AWS::Serverless-2016-10-31\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n",
    );
    for i in 1..12 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        laughs.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    let deep_yaml = format!(
        "Transform: AWS::Serverless-2016-10-31\nx: {}{}\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let deep_json = format!(
        "{{\"Transform\": \"AWS::Serverless-2016-10-31\", \"x\": {}{}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    for (name, text) in [
        ("laughs.yaml", laughs),
        ("deep.yaml", deep_yaml),
        ("deep.json", deep_json),
    ] {
        let f = dir.path().join(name);
        write(&f, &text);
        let started = std::time::Instant::now();
        lamc().arg("import").arg(&f).assert().code(1).stdout("");
        assert!(
            started.elapsed().as_secs() < 30,
            "{name} took {:?}",
            started.elapsed()
        );
    }
}
