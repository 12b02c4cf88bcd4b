//! Resources that belong to one function in the original and that lamc writes itself: the
//! IAM role a function names with `Role: !GetAtt R.Arn` (its statements become the
//! function's `allow` lines) and the log group named `/aws/lambda/${Function}` (its
//! retention becomes `log_retention`).

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::intrinsics::{number, Part, Scope};
use super::policies::{self, Given};
use super::write::{Member, Notes};
use crate::model::Kind;

/// Managed policies every lamc role has the permissions of (by the end of their ARN).
const IMPLIED: &[&str] = &[
    "service-role/AWSLambdaBasicExecutionRole",
    "AWSXRayDaemonWriteAccess",
    "AWSXrayWriteOnlyAccess",
];

/// Role properties read here; the others are reported.
const ROLE_KEYS: &[&str] = &[
    "AssumeRolePolicyDocument",
    "Policies",
    "ManagedPolicyArns",
    "Description",
];

/// Which function each role and log group of the template belongs to.
#[derive(Debug, Default)]
pub struct Companions {
    /// Role logical ID → the functions that use it.
    pub roles: BTreeMap<String, Vec<String>>,
    /// Log group logical ID → (function logical ID, retention in days; `None` keeps logs).
    pub log_groups: BTreeMap<String, (String, Option<u64>)>,
}

impl Companions {
    pub fn find(resources: &Map<String, Value>, scope: &Scope) -> Companions {
        let mut c = Companions::default();
        let ty = |id: &str| {
            resources
                .get(id)
                .and_then(|r| r.get("Type"))
                .and_then(Value::as_str)
                .unwrap_or("")
        };
        for (id, res) in resources {
            let props = res.get("Properties");
            match ty(id) {
                "AWS::Serverless::Function" | "AWS::Lambda::Function" => {
                    let role = props.and_then(|p| p.get("Role")).and_then(role_id);
                    if let Some(role) = role.filter(|r| ty(r) == "AWS::IAM::Role") {
                        c.roles.entry(role).or_default().push(id.clone());
                    }
                }
                "AWS::Logs::LogGroup" => {
                    let name = props.and_then(|p| p.get("LogGroupName"));
                    let function = name.and_then(|n| log_group_function(n, scope));
                    if let Some(f) = function {
                        let days = props
                            .and_then(|p| p.get("RetentionInDays"))
                            .and_then(number);
                        c.log_groups.insert(id.clone(), (f, days));
                    }
                }
                _ => {}
            }
        }
        c
    }

    /// The log group of `function`, if the template declares it.
    pub fn log_group_of(&self, function: &str) -> Option<(&str, Option<u64>)> {
        self.log_groups
            .iter()
            .find(|(_, (f, _))| f == function)
            .map(|(id, (_, days))| (id.as_str(), *days))
    }

    /// The comment that stands for a companion resource at its place, or `None`.
    pub fn place(&self, id: &str, scope: &Scope) -> Option<Member> {
        let name = |f: &String| {
            scope
                .decls
                .get(f)
                .map_or_else(|| f.clone(), |t| t.name.clone())
        };
        if let Some(fns) = self.roles.get(id) {
            let names: Vec<String> = fns.iter().map(name).collect();
            return Some(Member::Comment(format!(
                "Resources.{id} (AWS::IAM::Role): the role of function {}; lamc writes each function's role, its statements are `allow` lines there",
                names.join(", function ")
            )));
        }
        let (f, _) = self.log_groups.get(id)?;
        Some(Member::Comment(format!(
            "Resources.{id} (AWS::Logs::LogGroup): the log group of function {}, which lamc creates (`log_retention`)",
            name(f)
        )))
    }
}

/// `!GetAtt R.Arn` → `R`.
fn role_id(v: &Value) -> Option<String> {
    let a = v.get("Fn::GetAtt")?;
    let id = match a {
        Value::Array(items) if items.get(1).and_then(Value::as_str) == Some("Arn") => {
            items.first()?.as_str()?
        }
        Value::String(s) => s.strip_suffix(".Arn")?,
        _ => return None,
    };
    Some(id.to_string())
}

/// The function whose log group `/aws/lambda/${F}` names.
fn log_group_function(name: &Value, scope: &Scope) -> Option<String> {
    let parts = scope.parts(name).ok()?;
    let [Part::Text(prefix), Part::Path(path)] = parts.as_slice() else {
        return None;
    };
    if prefix != "/aws/lambda/" {
        return None;
    }
    let (id, t) = scope
        .decls
        .iter()
        .find(|(_, t)| t.kind == Kind::Function && *path == format!("{}.name", t.path()))?;
    let _ = t;
    Some(id.clone())
}

/// A role's inline statements as `allow` lines; its managed policies and other settings as
/// comments.
pub fn role_lines(
    id: &str,
    role: &Value,
    scope: &Scope,
    given: &Given,
    notes: &mut Notes,
    out: &mut Vec<Member>,
) {
    let empty = Map::new();
    let props = role
        .get("Properties")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    for (i, p) in props
        .get("Policies")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let at = format!("Role {id}.Policies[{i}]");
        match p.get("PolicyDocument").and_then(|d| d.get("Statement")) {
            Some(s) => policies::statements(s, &format!("{at}.Statement"), scope, notes, out),
            None => notes.skip(out, format!("{at} (no statements lamc reads)")),
        }
    }
    for arn in props
        .get("ManagedPolicyArns")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let text = scope
            .parts(arn)
            .map(|p| super::intrinsics::render_plain(&p))
            .unwrap_or_else(|_| arn.to_string());
        let name = text.rsplit('/').next().unwrap_or(&text);
        if IMPLIED
            .iter()
            .any(|i| text.ends_with(&format!(":policy/{i}")))
        {
            continue;
        }
        match given.says(name) {
            Some(why) => out.push(Member::Comment(format!("Role {id}: {name}: {why}"))),
            None => notes.skip(out, format!("Role {id}: managed policy {text}")),
        }
    }
    for k in props.keys().filter(|k| !ROLE_KEYS.contains(&k.as_str())) {
        notes.skip(out, format!("Role {id}.{k}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::testkit::declared;
    use serde_json::json;

    #[test]
    fn roles_and_log_groups_belong_to_their_function() {
        let resources = json!({
            "Fn": {"Type": "AWS::Serverless::Function", "Properties": {"Role": {"Fn::GetAtt": ["FnRole", "Arn"]}}},
            "FnRole": {"Type": "AWS::IAM::Role", "Properties": {
                "AssumeRolePolicyDocument": {},
                "ManagedPolicyArns": [{"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"}, "arn:aws:iam::aws:policy/AmazonS3FullAccess"],
                "Policies": [{"PolicyName": "p", "PolicyDocument": {"Statement": [
                    {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": {"Fn::GetAtt": ["Jobs", "Arn"]}}
                ]}}]
            }},
            "FnLogs": {"Type": "AWS::Logs::LogGroup", "Properties": {"LogGroupName": {"Fn::Sub": "/aws/lambda/${Fn}"}, "RetentionInDays": 14}},
            "Jobs": {"Type": "AWS::SQS::Queue"},
        });
        let resources = resources.as_object().expect("map");
        let scope = declared(&[("Fn", Kind::Function, "fn"), ("Jobs", Kind::Queue, "jobs")]);
        let c = Companions::find(resources, &scope);
        assert_eq!(c.roles.get("FnRole"), Some(&vec!["Fn".to_string()]));
        assert_eq!(c.log_group_of("Fn"), Some(("FnLogs", Some(14))));
        let mut notes = Notes::default();
        let mut out = Vec::new();
        let given = Given::default();
        role_lines(
            "FnRole",
            &resources["FnRole"],
            &scope,
            &given,
            &mut notes,
            &mut out,
        );
        assert_eq!(
            out[0],
            Member::Line("allow [\"sqs:SendMessage\"] on queue.jobs".into())
        );
        assert_eq!(
            notes.skipped,
            ["Role FnRole: managed policy arn:aws:iam::aws:policy/AmazonS3FullAccess"]
        );
        assert!(c.place("FnRole", &scope).is_some() && c.place("Jobs", &scope).is_none());
    }

    #[test]
    fn the_arn_of_a_role_one_function_names_is_that_functions_role() {
        let template = |users: &str| {
            format!(
                r#"
Resources:
  WorkerFunction:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      Code: {{ZipFile: "def handler(e, c): pass"}}
      Role: !GetAtt WorkerRole.Arn
{users}  WorkerRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {{}}
Outputs:
  Role:
    Value: !GetAtt WorkerRole.Arn
"#
            )
        };
        let (text, _) = crate::import::testkit::program(&template(""));
        assert!(
            text.contains("output role = function.worker.role"),
            "{text}"
        );
        // A role two functions share is neither's.
        let second = "  OtherFunction:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      Code: {ZipFile: x}
      Role: !GetAtt WorkerRole.Arn
";
        let (text, skipped) = crate::import::testkit::program(&template(second));
        assert!(!text.contains(".role"), "{text}");
        assert!(skipped.contains(&"Outputs.Role (WorkerRole.Arn)".to_string()));
    }
}
