//! From `.lam` source through the checker to a template: the example of language.md §1.

use crate::tools;

use lamc::driver::{check_source, CheckOptions};

const EXAMPLE: &str = r#"
app thumbnails {
  description = "Image thumbnails"
  tags = { team = "media" }
}

use std.alarms

param stage: string = "dev" { allowed = ["dev", "prod"] }

defaults {
  runtime      = python3.12
  architecture = arm64
  memory       = 512MB
  timeout      = 30s
  log_retention = 30d
}

bucket uploads {}
bucket thumbs {}
queue  dead_letters { retention = 14d }
topic  oncall { email = ["oncall@example.com"] }

function resize extends standard_alarms {
  handler = "resize.handler"
  code    = "src/resize"
  memory  = 2GB
  timeout = 2m
  env { THUMBS = bucket.thumbs.name, STAGE = "${param.stage}" }
  allow ["s3:PutObject"] on bucket.thumbs

  on s3 bucket.uploads { events = [created], prefix = "images/", suffix = ".jpg" }

  concurrency { reserved = 100, provisioned = 5..50 at 70% }
  async { retries = 1, on_failure = queue.dead_letters }

  alarm errors >= 5 over 5m notify topic.oncall
  alarm duration.p99 > 90s over 5m for 3 of 5 notify topic.oncall
}

function cleanup {
  handler = "cleanup.handler"
  code    = "src/cleanup"
  on schedule cron("0 3 * * ? *") { timezone = "Europe/Berlin" }
}

output thumbs_bucket = bucket.thumbs.name
"#;

fn compile() -> Option<(tempfile::TempDir, lamc::plan::Stack)> {
    let dir = tempfile::tempdir().expect("dir");
    for (rel, text) in [
        ("src/resize/resize.py", "def handler(e, c):\n    return e\n"),
        (
            "src/cleanup/cleanup.py",
            "def handler(e, c):\n    return e\n",
        ),
    ] {
        let p = dir.path().join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    }
    let file = dir.path().join("app.lam");
    std::fs::write(&file, EXAMPLE).expect("write");
    let opts = CheckOptions::on(chrono::NaiveDate::from_ymd_opt(2026, 11, 26).expect("date"));
    let c = check_source("app.lam".into(), Some(file), EXAMPLE.to_string(), &opts);
    let model = c.model.clone().expect("the checker builds a model");
    assert!(!c.has_errors(), "{:#?}", c.diagnostics);
    let stack = lamc::driver::plan(&model, &lamc::driver::PlanOptions::default())
        .unwrap_or_else(|d| panic!("plan failed: {d:#?}"));
    Some((dir, stack))
}

#[test]
fn language_example_becomes_the_documented_resources() {
    let Some((_dir, stack)) = compile() else {
        return;
    };
    let doc: serde_json::Value = serde_json::from_str(&lamc::emit::json(&stack)).expect("json");
    let r = &doc["Resources"];
    for id in [
        "ResizeFunction",
        "ResizeRole",
        "ResizeLogGroup",
        "ResizeAlias",
        "ResizeUploadsS3Permission",
        "ResizeScalableTarget",
        "ResizeScalingPolicy",
        "ResizeEventInvokeConfig",
        "ResizeErrorsAlarm",
        "UploadsBucket",
        "ThumbsBucket",
        "DeadLettersQueue",
        "OncallTopic",
        "CleanupFunction",
        "CleanupSchedulerSchedule",
        "CleanupSchedulerRole",
    ] {
        assert!(r.get(id).is_some(), "missing {id}");
    }
    assert_eq!(r["ResizeFunction"]["Properties"]["MemorySize"], 2048);
    assert_eq!(r["ResizeFunction"]["Properties"]["Timeout"], 120);
    assert_eq!(
        r["ResizeFunction"]["Properties"]["Architectures"][0],
        "arm64"
    );
    assert_eq!(
        r["CleanupSchedulerSchedule"]["Type"],
        "AWS::Scheduler::Schedule"
    );
    assert_eq!(doc["Parameters"]["ArtifactsBucket"]["Type"], "String");
    assert_eq!(
        doc["Outputs"]["ThumbsBucket"]["Value"],
        serde_json::json!({"Ref": "ThumbsBucket"})
    );
}

#[test]
fn language_example_passes_cfn_lint() {
    let Some((dir, stack)) = compile() else {
        return;
    };
    let file = dir.path().join("template.json");
    std::fs::write(&file, lamc::emit::json(&stack)).expect("write");
    let report = tools::lint_file(&file);
    assert_eq!(report, "[]", "{report}");
}
