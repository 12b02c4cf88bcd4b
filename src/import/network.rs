//! A function's network settings: `VpcConfig` (serverless.yml `vpc`) → `vpc { subnets,
//! security_groups, ipv6 }` and `FileSystemConfigs` (`fileSystemConfig`) → `files { PATH
//! = ACCESS_POINT_ARN }`.

use serde_json::Value;

use super::convert::quoted;
use super::resources::{is_true, shown, Writer};
use super::settings::Input;
use super::write::{self, Member};

/// The keys of the VPC settings: SAM/CloudFormation's, then serverless.yml's.
const VPC_KEYS: [(&str, &str); 3] = [
    ("SubnetIds", "subnetIds"),
    ("SecurityGroupIds", "securityGroupIds"),
    ("Ipv6AllowedForDualStack", "ipv6AllowedForDualStack"),
];

/// `VpcConfig` / `vpc`.
pub fn vpc(w: &mut Writer, v: &Value, input: &Input) {
    let Some(m) = v.as_object() else {
        return w.skip(format!("{} ({})", input.key, shown(v)));
    };
    let sls = input.key == "vpc";
    let key = |i: usize| if sls { VPC_KEYS[i].1 } else { VPC_KEYS[i].0 };
    let mut body = Vec::new();
    for (i, ours) in [(0, "subnets"), (1, "security_groups")] {
        if let Some(list) = m.get(key(i)) {
            match ids(w, list) {
                Ok(e) => body.push(Member::Line(format!("{ours} = {e}"))),
                Err(why) => w.skip(format!("{}.{} ({why})", input.key, key(i))),
            }
        }
    }
    if m.get(key(2)).is_some_and(is_true) {
        body.push(Member::Line("ipv6 = true".into()));
    }
    let known: Vec<&str> = (0..3).map(key).collect();
    for k in m.keys().filter(|k| !known.contains(&k.as_str())) {
        w.skip(format!("{}.{k}", input.key));
    }
    if !body.is_empty() {
        w.body.push(Member::Block("vpc".into(), body));
    }
}

/// A list of IDs: literal items (or items built from values), or a list parameter whole.
fn ids(w: &Writer, list: &Value) -> Result<String, String> {
    let Some(items) = list.as_array() else {
        let e = w.scope.expr(list)?;
        return match e.starts_with("param.") {
            true => Ok(e),
            false => Err(shown(list)),
        };
    };
    let items: Result<Vec<String>, String> = items
        .iter()
        .map(|i| w.scope.expr(i).map(|e| quoted(&e)))
        .collect();
    Ok(format!("[{}]", items?.join(", ")))
}

/// `FileSystemConfigs` (a list of `{Arn, LocalMountPath}`) / `fileSystemConfig` (one
/// `{arn, localMountPath}`).
pub fn files(w: &mut Writer, v: &Value, input: &Input) {
    let (arn, path) = match input.key {
        "fileSystemConfig" => ("arn", "localMountPath"),
        _ => ("Arn", "LocalMountPath"),
    };
    let configs: Vec<&Value> = match v {
        Value::Array(a) => a.iter().collect(),
        other => vec![other],
    };
    let mut body = Vec::new();
    for c in configs {
        let at = c.get(path).and_then(Value::as_str);
        match (at, c.get(arn).map(|a| w.scope.expr(a))) {
            (Some(p), Some(Ok(e))) => body.push(Member::Line(format!(
                "{} = {}",
                write::string(p),
                quoted(&e)
            ))),
            _ => w.skip(format!("{} ({})", input.key, shown(c))),
        }
    }
    if !body.is_empty() {
        w.body.push(Member::Block("files".into(), body));
    }
}
