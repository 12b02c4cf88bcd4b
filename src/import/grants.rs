//! What a policy grants on something the program does not create: a Secrets Manager
//! secret, an SSM parameter or a KMS key named by ARN (or by the SAM policy templates
//! `AWSSecretsManagerGetSecretValuePolicy`, `SSMParameterReadPolicy`, `KMSDecryptPolicy`…)
//! is declared once, `secret NAME from "arn:…"`, before the functions, so that their
//! `allow` lines name it; a statement on any other ARN becomes `allow … on "arn:…"` when
//! lamc's own rules accept it (the action exists and applies to that ARN), else a comment.

use serde_json::{Map, Value};

use super::intrinsics::{existing_key, render_plain, Part, Scope};
use super::write::Member;
use crate::check::rules::arns::allow_arn_problem;
use crate::iam::{self, ArnText, Piece, Verdict};
use crate::model::{Kind, Pseudo};

/// A SAM policy template on an existing secret, parameter or key: its parameter, the
/// resource's kind, the ARN around the parameter's value (`{}`; the value itself when
/// the ARN is `{}`), the actions on it, and what it grants besides on `"*"` (which lamc
/// does not write: each permission is scoped to a resource).
pub struct Existing {
    pub name: &'static str,
    pub param: &'static str,
    pub kind: Kind,
    arn: &'static str,
    pub actions: &'static [&'static str],
    pub on_star: &'static [&'static str],
}

/// What both of SAM's templates that read parameters grant on them.
const SSM_READ: &[&str] = &[
    "ssm:GetParameters",
    "ssm:GetParameter",
    "ssm:GetParametersByPath",
];

/// SAM-POL-01: the policy templates on secrets, parameters and keys.
pub const EXISTING: &[Existing] = &[
    Existing {
        name: "AWSSecretsManagerGetSecretValuePolicy",
        param: "SecretArn",
        kind: Kind::Secret,
        arn: "{}",
        actions: &["secretsmanager:GetSecretValue"],
        on_star: &[],
    },
    Existing {
        name: "SSMParameterReadPolicy",
        param: "ParameterName",
        kind: Kind::Parameter,
        arn: "arn:aws:ssm:${AWS::Region}:${AWS::AccountId}:parameter/{}",
        actions: SSM_READ,
        on_star: &["ssm:DescribeParameters"],
    },
    Existing {
        name: "SSMParameterWithSlashPrefixReadPolicy",
        param: "ParameterName",
        kind: Kind::Parameter,
        arn: "arn:aws:ssm:${AWS::Region}:${AWS::AccountId}:parameter{}",
        actions: SSM_READ,
        on_star: &["ssm:DescribeParameters"],
    },
    Existing {
        name: "KMSDecryptPolicy",
        param: "KeyId",
        kind: Kind::Key,
        arn: "arn:aws:kms:${AWS::Region}:${AWS::AccountId}:key/{}",
        actions: &["kms:Decrypt"],
        on_star: &[],
    },
    Existing {
        name: "KMSEncryptPolicy",
        param: "KeyId",
        kind: Kind::Key,
        arn: "arn:aws:kms:${AWS::Region}:${AWS::AccountId}:key/{}",
        actions: &["kms:Encrypt"],
        on_star: &[],
    },
];

impl Existing {
    /// The ARN the template grants on, for the template's arguments `args`.
    pub fn arn(&self, args: &Value) -> Option<Value> {
        let value = args.get(self.param)?.clone();
        if self.arn == "{}" {
            return Some(value);
        }
        let text = self.arn.replace("{}", "${Value}");
        let mut vars = Map::new();
        vars.insert("Value".into(), value);
        Some(serde_json::json!({ "Fn::Sub": [text, vars] }))
    }
}

/// Declare the secrets, parameters and keys that SAM `Policies` (`v`) name; the
/// declarations are pushed to `out`.
pub fn declare_in_policies(v: &Value, scope: &mut Scope, out: &mut Vec<Member>) {
    let items = match v {
        Value::Array(items) => items.iter().collect(),
        other => vec![other],
    };
    for item in items {
        let Some(m) = item.as_object() else { continue };
        if let Some(s) = m.get("Statement") {
            declare_in_statements(s, scope, out);
            continue;
        }
        for (name, args) in m {
            let found = EXISTING.iter().find(|t| t.name == name);
            if let Some((t, arn)) = found.and_then(|t| Some((t, t.arn(args)?))) {
                out.extend(declare(scope, &arn, Some(t.kind)));
            }
        }
    }
}

/// Declare the secrets, parameters and keys that IAM statements (one or a list) name.
pub fn declare_in_statements(v: &Value, scope: &mut Scope, out: &mut Vec<Member>) {
    let list = match v {
        Value::Array(items) => items.iter().collect(),
        other => vec![other],
    };
    for s in list {
        let actions = super::policies::actions(s);
        let resources = match s.get("Resource") {
            Some(Value::Array(items)) => items.iter().collect(),
            Some(other) => vec![other],
            None => Vec::new(),
        };
        for r in resources {
            // Only what an `allow` line can then name (kms:Decrypt on an alias cannot).
            let allowed = scope
                .parts(r)
                .is_ok_and(|parts| arn_allowed(&actions, &parts));
            if allowed {
                out.extend(declare(scope, r, None));
            }
        }
    }
}

/// The statements of the roles functions name (`Role: !GetAtt R.Arn`).
pub fn declare_in_roles<'a>(
    resources: &Map<String, Value>,
    roles: impl Iterator<Item = &'a String>,
    scope: &mut Scope,
    out: &mut Vec<Member>,
) {
    for role in roles {
        let policies = resources
            .get(role)
            .and_then(|r| r.get("Properties"))
            .and_then(|p| p.get("Policies"))
            .and_then(Value::as_array);
        for p in policies.into_iter().flatten() {
            if let Some(s) = p.get("PolicyDocument").and_then(|d| d.get("Statement")) {
                declare_in_statements(s, scope, out);
            }
        }
    }
}

/// The secret an MSK trigger signs in with (SAM's `SASL_SCRAM_512_AUTH` `URI`,
/// serverless.yml's `saslScram512`): `secret NAME from "arn:…"`, once.
pub fn declare_secret(scope: &mut Scope, arn: &Value) -> Option<Member> {
    declare(scope, arn, Some(Kind::Secret))
}

/// `secret NAME from "arn:…"` (or `parameter`, `key`) for the ARN `arn`, once; `kind` when
/// the ARN is known to be one (a policy template's), else from its service. `None` for an
/// ARN of another kind, one with a wildcard, or one already declared.
fn declare(scope: &mut Scope, arn: &Value, kind: Option<Kind>) -> Option<Member> {
    if scope.target(arn).is_some() {
        return None;
    }
    let parts = scope.parts(arn).ok()?;
    let text = render_plain(&parts);
    if text.contains('*') {
        return None;
    }
    let kind = match (kind, service_kind(&text)) {
        (_, Some(k)) if kind.is_none_or(|want| want == k) => k,
        (Some(want), None) if !text.starts_with("arn:") => want,
        _ => return None,
    };
    let id = existing_key(&parts);
    if scope.decls.contains_key(&id) {
        return None;
    }
    let t = scope.declare(&id, kind, &name_of(kind, &text));
    let written = super::convert::quoted(&super::intrinsics::render(&parts));
    Some(Member::Line(format!(
        "{} {} from {written}",
        kind.as_str(),
        t.name
    )))
}

/// The kind an ARN of Secrets Manager, SSM or KMS names: a secret, a parameter, a key (or
/// an alias).
fn service_kind(arn: &str) -> Option<Kind> {
    let fields: Vec<&str> = arn.splitn(6, ':').collect();
    let [_, _, service, _, _, resource] = fields.as_slice() else {
        return None;
    };
    match *service {
        "secretsmanager" if resource.starts_with("secret:") => Some(Kind::Secret),
        "ssm" if resource.starts_with("parameter/") => Some(Kind::Parameter),
        "kms" if resource.starts_with("key/") || resource.starts_with("alias/") => Some(Kind::Key),
        _ => None,
    }
}

/// A name for an existing resource from its ARN's last part: a secret's name without the
/// six characters Secrets Manager appends, an alias's name, a parameter's last segment; a
/// key id says nothing (`kms_key`); a parameter as a whole, its name.
fn name_of(kind: Kind, text: &str) -> String {
    if let Some(p) = text
        .strip_prefix("${param.")
        .and_then(|r| r.strip_suffix('}'))
    {
        return super::write::snake(p);
    }
    let last = text.rsplit([':', '/']).next().unwrap_or(text);
    let last = last.trim_start_matches("${").trim_end_matches('}');
    let base = match kind {
        Kind::Key if !text.contains(":alias/") => return "kms_key".into(),
        Kind::Secret => match last.rsplit_once('-') {
            Some((name, suffix)) if suffix.len() == 6 && !name.is_empty() => name,
            _ => last,
        },
        _ => last,
    };
    let base = base.rsplit('.').next().unwrap_or(base);
    super::write::snake(base)
}

/// Whether `allow ACTIONS on "ARN"` passes lamc's checks: an ARN as the checker reads one
/// (E0206, E0207: [`allow_arn_problem`] decides), with a literal service, every action an
/// existing one of its service that applies to it, none a service-wide wildcard.
pub fn arn_allowed(actions: &[String], parts: &[Part]) -> bool {
    let (known, whole) = known_prefix(parts);
    if allow_arn_problem(&known, whole).is_some() {
        return false;
    }
    // The service must be written out: the actions are checked against it.
    let fields: Vec<&str> = known.splitn(4, ':').collect();
    let [_, _, service, _] = fields.as_slice() else {
        return false;
    };
    let pieces = parts.iter().flat_map(|p| match p {
        Part::Text(t) => t.chars().map(Piece::Char).collect(),
        Part::Path(_) => vec![Piece::Unknown],
    });
    let arn = [ArnText(pieces.collect())];
    actions.iter().all(|a| {
        let Some((prefix, name)) = a.split_once(':') else {
            return false;
        };
        if prefix.contains('*') || name == "*" {
            return false;
        }
        match iam::judge(a, &arn) {
            Verdict::Applies => true,
            Verdict::NotInTable => {
                iam::service(service).is_none() || prefix.eq_ignore_ascii_case(service)
            }
            _ => false,
        }
    })
}

/// The text up to the first path that is not a pseudo-parameter, each `aws.NAME` as a
/// value of its shape, and whether that is all of it: what the checker reads of
/// `allow … on "…"` ([`crate::model::DeployStr::known_prefix`]).
fn known_prefix(parts: &[Part]) -> (String, bool) {
    let mut known = String::new();
    for p in parts {
        match p {
            Part::Text(t) => known.push_str(t),
            Part::Path(path) => {
                let pseudo = path.strip_prefix("aws.").and_then(Pseudo::parse);
                match pseudo {
                    Some(pseudo) => known.push_str(pseudo.sample()),
                    None => return (known, false),
                }
            }
        }
    }
    (known, true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn existing_resources_are_declared_once_and_named_from_their_arn() {
        let mut scope = Scope::default();
        scope.params.insert("DbSecret".into(), "db_secret".into());
        let mut out = Vec::new();
        declare_in_policies(
            &json!([
                {"AWSSecretsManagerGetSecretValuePolicy": {"SecretArn": "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf"}},
                {"AWSSecretsManagerGetSecretValuePolicy": {"SecretArn": {"Ref": "DbSecret"}}},
                {"SSMParameterReadPolicy": {"ParameterName": "app/config"}},
                {"KMSDecryptPolicy": {"KeyId": "0123abcd-0123-0123-0123-0123456789ab"}},
                {"Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": [
                    "arn:aws:kms:us-east-1:123456789012:alias/data",
                    "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf",
                    "arn:aws:secretsmanager:us-east-1:123456789012:secret:other/*"]}]}
            ]),
            &mut scope,
            &mut out,
        );
        // `kms:Decrypt` cannot apply to an alias, and `secret:other/*` is many secrets:
        // neither is declared (the statement's lines stay comments).
        let lines: Vec<String> = out
            .iter()
            .filter_map(|m| match m {
                Member::Line(l) => Some(l.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(
            lines,
            [
                "secret db from \"arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf\"",
                "secret db_secret from \"${param.db_secret}\"",
                "parameter config from \"arn:aws:ssm:${aws.region}:${aws.account_id}:parameter/app/config\"",
                "key kms_key from \"arn:aws:kms:${aws.region}:${aws.account_id}:key/0123abcd-0123-0123-0123-0123456789ab\"",
            ]
        );
    }

    #[test]
    fn arn_strings_are_allowed_only_where_lamc_accepts_them() {
        let parts = |t: &str| vec![Part::Text(t.into())];
        let a = |xs: &[&str]| xs.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert!(!arn_allowed(
            &a(&["s3:GetObject"]),
            &[Part::Path("param.arn".into())]
        ));
        let state = parts("arn:aws:states:us-east-1:123456789012:stateMachine:flow");
        assert!(arn_allowed(&a(&["states:StartExecution"]), &state));
        assert!(!arn_allowed(&a(&["states:*"]), &state));
        assert!(!arn_allowed(&a(&["s3:GetObject"]), &state));
        assert!(!arn_allowed(&a(&["states:StartExecutio"]), &state));
        assert!(!arn_allowed(&a(&["ssm:GetParameter"]), &parts("*")));
        let with_region = vec![
            Part::Text("arn:aws:states:".into()),
            Part::Path("aws.region".into()),
            Part::Text(":123456789012:stateMachine:flow".into()),
        ];
        assert!(arn_allowed(&a(&["states:StartExecution"]), &with_region));
    }

    /// ARNs of the right shape that the checker refuses (E0206): the importer writes
    /// neither as `allow … on "…"`.
    #[test]
    fn arns_the_checker_refuses_are_not_allowed() {
        let a = vec!["states:StartExecution".to_string()];
        for arn in [
            "arn:foo:states:us-east-1:123456789012:stateMachine:flow",
            "arn:aws:states:nowhere:123456789012:stateMachine:flow",
        ] {
            assert!(allow_arn_problem(arn, true).is_some(), "{arn}");
            assert!(!arn_allowed(&a, &[Part::Text(arn.into())]), "{arn}");
        }
        let unknown_partition = vec![
            Part::Text("arn:".into()),
            Part::Path("param.partition".into()),
            Part::Text(":states:us-east-1:123456789012:stateMachine:flow".into()),
        ];
        assert!(!arn_allowed(&a, &unknown_partition));
    }
}
