//! `vpc` (FN-29, EC2-ID), `files` (FN-30, EFS-01) and `durable` (DUR-01): what Lambda
//! refuses in a function's network, file system and durable execution settings.

use crate::diag::{Code, Diagnostic};
use crate::model::{DeployStr, FileMount, Function, Vpc, S};
use crate::schema::limits::{
    DURABLE_RETENTION_DAYS, DURABLE_TIMEOUT_S, MAX_FILE_SYSTEMS, MAX_MOUNT_PATH,
    MAX_VPC_SECURITY_GROUPS, MAX_VPC_SUBNETS,
};

use super::limit::Limit;
use super::util::check_bounds;
use super::RuleContext;

pub(crate) fn check(functions: &[Function], ctx: &RuleContext, out: &mut Vec<Diagnostic>) {
    for f in functions {
        if let Some(vpc) = &f.vpc {
            vpc_lists(ctx, vpc, out);
        }
        files(ctx, f, out);
        if let Some(d) = &f.durable {
            if let Some(t) = &d.timeout {
                out.extend(check_bounds(
                    ctx,
                    Code::E0417,
                    "durable timeout",
                    t,
                    &DURABLE_TIMEOUT_S,
                ));
            }
            if let Some(r) = &d.retention {
                out.extend(check_bounds(
                    ctx,
                    Code::E0417,
                    "durable retention",
                    r,
                    &DURABLE_RETENTION_DAYS,
                ));
            }
        }
    }
}

/// One of `vpc`'s lists: its key, the ID prefix of its items and its maximum (FN-29).
struct List<'v> {
    key: &'static str,
    prefix: &'static str,
    what: &'static str,
    plural: &'static str,
    max: usize,
    items: &'v [S<DeployStr>],
}

fn vpc_lists(ctx: &RuleContext, vpc: &Vpc, out: &mut Vec<Diagnostic>) {
    for list in &lists(vpc) {
        if list.items.is_empty() && !vpc.unreadable.contains(&list.key) {
            out.push(empty(vpc, list));
        }
    }
    network_lists(ctx, vpc, "a function's `vpc`", out);
}

/// Each ID's shape (E0479) and each list's length (E0480), for a function's `vpc` or a
/// capacity provider (LMI-05: the same 16 subnets and 5 groups).
pub(super) fn network_lists(
    ctx: &RuleContext,
    vpc: &Vpc,
    owner: &'static str,
    out: &mut Vec<Diagnostic>,
) {
    for list in &lists(vpc) {
        for item in list.items {
            if let Some(d) = id_shape(item, list) {
                out.push(d);
            }
        }
        if list.items.len() > list.max {
            let problem = Limit::TooMany {
                code: Code::E0480,
                items: list.plural,
                owner,
                first_extra: list.items[list.max].span,
                more: list.items[list.max + 1..].iter().map(|i| i.span).collect(),
                count: list.items.len(),
                max: list.max,
                help: format!(
                    "Lambda takes at most {} here: keep the ones the function needs",
                    list.max
                ),
            };
            out.push(problem.diagnostic(ctx));
        }
    }
}

fn lists(vpc: &Vpc) -> [List<'_>; 2] {
    [
        List {
            key: "subnets",
            prefix: "subnet-",
            what: "subnet",
            plural: "subnets",
            max: MAX_VPC_SUBNETS,
            items: &vpc.subnets,
        },
        List {
            key: "security_groups",
            prefix: "sg-",
            what: "security group",
            plural: "security groups",
            max: MAX_VPC_SECURITY_GROUPS,
            items: &vpc.security_groups,
        },
    ]
}

/// E0478: a VPC connection needs at least one subnet and one security group.
fn empty(vpc: &Vpc, list: &List) -> Diagnostic {
    Diagnostic::new(
        Code::E0478,
        vpc.span,
        format!("`vpc` without a {}", list.what),
    )
    .label(format!("no `{}` here", list.key))
    .help(format!(
        "Lambda places the function's network interfaces in at least one {} : write e.g. `{} = [\"{}0123456789abcdef0\"]` or a parameter of type `{}`",
        list.what, list.key, list.prefix, list.key
    ).replace(" :", ":"))
}

/// E0479 (EC2-ID): a literal ID is the list's prefix and hexadecimal digits. A value with
/// deploy-time parts is checked as far as its literal start goes.
fn id_shape(item: &S<DeployStr>, list: &List) -> Option<Diagnostic> {
    let text = item.value.as_literal()?;
    let digits = text.strip_prefix(list.prefix);
    if digits.is_some_and(|d| !d.is_empty() && d.chars().all(|c| c.is_ascii_hexdigit())) {
        return None;
    }
    let label = match digits {
        None => format!("a {} ID starts with `{}`", list.what, list.prefix),
        Some(_) => format!("`{}` is followed by hexadecimal digits", list.prefix),
    };
    Some(
        Diagnostic::new(
            Code::E0479,
            item.span,
            format!("`{text}` is not a {} ID", list.what),
        )
        .label(label)
        .help(format!(
            "write the ID as the EC2 console shows it, e.g. \"{}0123456789abcdef0\"",
            list.prefix
        )),
    )
}

fn files(ctx: &RuleContext, f: &Function, out: &mut Vec<Diagnostic>) {
    let Some(first) = f.files.first() else {
        return;
    };
    if f.vpc.is_none() && !f.was_written("vpc") {
        out.push(
            Diagnostic::new(
                Code::E0481,
                first.path.span,
                "a file system needs the function in a VPC",
            )
            .label("mounted here")
            .help("add `vpc { subnets = …, security_groups = … }` with subnets that reach the file system's mount targets"),
        );
    }
    for m in &f.files {
        out.extend(mount_path(m));
        out.extend(access_point(m));
    }
    if f.files.len() > MAX_FILE_SYSTEMS {
        let problem = Limit::TooMany {
            code: Code::E0483,
            items: "file systems",
            owner: "a function",
            first_extra: f.files[MAX_FILE_SYSTEMS].path.span,
            more: f.files[MAX_FILE_SYSTEMS + 1..]
                .iter()
                .map(|m| m.path.span)
                .collect(),
            count: f.files.len(),
            max: MAX_FILE_SYSTEMS,
            help: "mount one file system; reach other data through its directories or through S3"
                .into(),
        };
        out.push(problem.diagnostic(ctx));
    }
}

/// E0482 (FN-30): `/mnt/` and one name of letters, digits, `-`, `_` and `.`, at most 160
/// characters in all.
fn mount_path(m: &FileMount) -> Option<Diagnostic> {
    let path = &m.path.value;
    let name = path.strip_prefix("/mnt/");
    let ok = name.is_some_and(|n| {
        !n.is_empty()
            && n.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
    }) && path.chars().count() <= MAX_MOUNT_PATH;
    if ok {
        return None;
    }
    let label = match name {
        None => "not under /mnt/".to_string(),
        Some("") => "no directory name after /mnt/".to_string(),
        Some(_) if path.chars().count() > MAX_MOUNT_PATH => {
            format!(
                "{} characters; at most {MAX_MOUNT_PATH}",
                path.chars().count()
            )
        }
        Some(_) => "one name of letters, digits, `-`, `_` and `.` after /mnt/".to_string(),
    };
    Some(
        Diagnostic::new(
            Code::E0482,
            m.path.span,
            format!("Lambda refuses the mount path \"{path}\""),
        )
        .label(label)
        .help("mount the file system at /mnt/NAME, e.g. \"/mnt/data\""),
    )
}

/// E0418: an EFS access point ARN, `arn:PARTITION:elasticfilesystem:REGION:ACCOUNT:
/// access-point/fsap-HEX` (FN-30). Checked when it is all known.
fn access_point(m: &FileMount) -> Option<Diagnostic> {
    let arn = m.access_point.value.as_literal()?;
    let problem = access_point_problem(arn)?;
    Some(
        Diagnostic::new(
            Code::E0418,
            m.access_point.span,
            "malformed EFS access point ARN",
        )
        .label(problem)
        .help("use arn:aws:elasticfilesystem:REGION:ACCOUNT:access-point/fsap-0123456789abcdef0"),
    )
}

fn access_point_problem(arn: &str) -> Option<String> {
    let Some(a) = crate::arn::parse(arn) else {
        return Some("not an ARN (arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE)".into());
    };
    if a.service != "elasticfilesystem" {
        return Some(format!(
            "this is an ARN for `{}`, an access point's is for `elasticfilesystem`",
            a.service
        ));
    }
    let id = a.resource.strip_prefix("access-point/fsap-");
    let ok = id.is_some_and(|h| h.len() == 17 && h.chars().all(|c| c.is_ascii_hexdigit()));
    (!ok).then(|| "expected `access-point/fsap-` and 17 hexadecimal digits".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_point_arns_have_efs_shape() {
        let good =
            "arn:aws:elasticfilesystem:us-east-1:123456789012:access-point/fsap-0123456789abcdef0";
        assert_eq!(access_point_problem(good), None);
        assert!(access_point_problem(
            "arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/fs-0123456789abcdef0"
        )
        .is_some());
        assert!(access_point_problem("arn:aws:s3:::bucket").is_some());
        assert!(access_point_problem("fsap-0123456789abcdef0").is_some());
    }
}
