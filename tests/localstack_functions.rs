//! The function settings of language v2 §1 deployed on LocalStack (tests/localstack_support)
//! and read back through the Lambda and IAM APIs (tests/localstack/read_back.py).
//!
//! | construct | LocalStack 2026.3.0 |
//! |---|---|
//! | `layer` from a folder (`AWS::Lambda::LayerVersion`) | read back: runtimes, architectures, description; the function's `Layers` is its ARN |
//! | `logging { format = json, level, system_level, group }` | read back: `LoggingConfig` |
//! | `publish`, `alias` (Version, Alias) | read back: versions, the alias on version 1 |
//! | `durable { … }` | Version, alias and checkpoint policy read back; `DurableConfig` dropped |
//! | `snap_start = true` | Version and alias read back; `SnapStart` dropped (`ApplyOn: None`) |
//! | `recursion = allow` | dropped (`GetFunctionRecursionConfig` says `Terminate`) |
//! | `runtime_updates` | dropped (`GetRuntimeManagementConfig` is not emulated) |
//!
//! What is dropped is only linted (the ui snapshots, cfn-lint); docs/deploy.md has the table.

#![cfg(feature = "deploy")]

use crate::deploy_support::{app, unique};
use crate::localstack_support::{localstack, resource};

use serde_json::{json, Value};

/// Every function's code is inline: the layer alone needs the artifacts bucket.
const APP: &str = r#"app fns {}

layer deps {
  code          = "layers/deps"
  runtimes      = [python3.12, python3.13]
  architectures = [x86_64]
  description   = "shared dependencies"
}

function snappy {
  runtime         = python3.13
  handler         = "index.handler"
  code            = inline("""def handler(e, c): return 1""")
  snap_start      = true
  layers          = [layer.deps]
  logging { format = json, level = debug, system_level = warn, group = "/lamc/${aws.stack_name}/snappy" }
  recursion       = allow
  runtime_updates = on_deploy
}

function published {
  runtime = python3.12
  handler = "index.handler"
  code    = inline("""def handler(e, c): return 1""")
  publish = true
  alias   = "prod"
  runtime_updates = manual("arn:aws:lambda:us-east-1::runtime:0cdcfbdefbc5e7d3343f73c2e2dd3cba17d61dea0686b404502a0c9ce83931b9")
}

function checkpointed {
  runtime = python3.13
  handler = "index.handler"
  code    = inline("""def handler(e, c): return 1""")
  durable { timeout = 15m, retention = 7d }
}
"#;

#[test]
fn function_settings_are_created_and_read_back() {
    let Some(ls) = localstack() else {
        return;
    };
    let stack = unique("fns");
    let (dir, file) = app(APP);
    let layer = dir.path().join("layers/deps/python");
    std::fs::create_dir_all(&layer).expect("layer folder");
    std::fs::write(layer.join("shared.py"), "VALUE = 1\n").expect("layer file");
    let got = ls.deploy(&file, &stack, &["--artifacts-bucket", &unique("artifacts")]);

    layer_and_logging(&got, &stack);
    let alias_on_version_one = |id: &str, alias: &str| {
        let f = resource(&got, id);
        assert_eq!(f["versions"], json!(["$LATEST", "1"]), "{id}: {f:#}");
        assert_eq!(
            f["aliases"],
            json!([{ "name": alias, "version": "1" }]),
            "{id}"
        );
        assert_eq!(
            f["provisioned"],
            json!([]),
            "{id}: publish asks for no provisioned concurrency"
        );
    };
    alias_on_version_one("SnappyFunction", "live");
    alias_on_version_one("PublishedFunction", "prod");
    alias_on_version_one("CheckpointedFunction", "live");
    durable_policy(&got);
}

/// The layer version holds what the declaration says, and the function lists exactly it;
/// the JSON logging settings and the named log group lamc created.
fn layer_and_logging(got: &Value, stack: &str) {
    let layer = resource(got, "DepsLayer");
    assert_eq!(layer["runtimes"], json!(["python3.12", "python3.13"]));
    assert_eq!(layer["architectures"], json!(["x86_64"]));
    assert_eq!(layer["description"], "shared dependencies");
    let f = resource(got, "SnappyFunction");
    assert_eq!(f["layers"], json!([layer["physical"]]));
    let group = format!("/lamc/{stack}/snappy");
    assert_eq!(
        f["logging"],
        json!({ "LogFormat": "JSON", "ApplicationLogLevel": "DEBUG",
                "SystemLogLevel": "WARN", "LogGroup": group })
    );
    assert_eq!(resource(got, "SnappyLogGroup")["physical"], group.as_str());
}

/// `durable`: the role may checkpoint on the function's versions (`ARN:*`), and nothing more.
fn durable_policy(got: &Value) {
    let name = resource(got, "CheckpointedFunction")["physical"]
        .as_str()
        .unwrap_or_default();
    let targets = &resource(got, "CheckpointedRole")["policies"]["targets"]["Statement"];
    let resource_arn = format!("arn:aws:lambda:us-east-1:000000000000:function:{name}:*");
    assert_eq!(
        targets,
        &json!([{
            "Effect": "Allow",
            "Action": ["lambda:CheckpointDurableExecution", "lambda:GetDurableExecutionState"],
            "Resource": resource_arn,
        }])
    );
}
