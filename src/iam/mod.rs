//! Which IAM actions apply to which ARNs (IAM-SAR-02), for the services lamc's users touch:
//! a table generated from the IAM Service Authorization Reference
//! (`scripts/iam_reference.py` writes `reference.tsv`, embedded here). For each service:
//! its resource types with their ARN formats, and each action with the resource types it
//! applies to (none: it can only be granted on `"*"`).
//!
//! `allow` lines are judged by it ([`judge`]); an action of a service outside the table is
//! not judged here (the rules fall back to comparing its prefix, or accept it).

mod pattern;

use std::sync::OnceLock;

pub use pattern::{ArnText, Piece};

/// One service of the table.
#[derive(Debug)]
pub struct Service {
    pub prefix: &'static str,
    /// Its page in the Service Authorization Reference.
    pub url: &'static str,
    resources: Vec<(&'static str, Vec<&'static str>)>,
    actions: Vec<Action>,
}

/// One action and the resource types it applies to.
#[derive(Debug)]
pub struct Action {
    /// As the reference spells it (`GetSecretValue`), lowercase where it could not be
    /// recovered.
    pub name: &'static str,
    types: Vec<&'static str>,
}

impl Service {
    /// The actions `glob` names (IAM matches `*` and `?` in an action, ignoring case).
    pub fn matching(&self, glob: &str) -> Vec<&Action> {
        self.actions
            .iter()
            .filter(|a| glob_matches(glob, a.name))
            .collect()
    }

    /// Every action's name, for "did you mean".
    pub fn action_names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.actions.iter().map(|a| a.name)
    }

    /// The ARN formats `action` applies to; empty when it only takes `"*"`.
    pub fn formats(&self, action: &Action) -> Vec<&'static str> {
        let mut out: Vec<&'static str> = Vec::new();
        for t in &action.types {
            let formats = self.resources.iter().find(|(name, _)| name == t);
            for f in formats.map(|(_, f)| f.as_slice()).unwrap_or_default() {
                if !out.contains(f) {
                    out.push(f);
                }
            }
        }
        out
    }
}

static TABLE: OnceLock<Vec<Service>> = OnceLock::new();

/// Every service of the table, in its order.
pub fn services() -> &'static [Service] {
    TABLE.get_or_init(|| parse(include_str!("reference.tsv")))
}

/// The service of an action prefix (`secretsmanager`), ignoring case.
pub fn service(prefix: &str) -> Option<&'static Service> {
    services()
        .iter()
        .find(|s| s.prefix.eq_ignore_ascii_case(prefix))
}

fn parse(text: &'static str) -> Vec<Service> {
    let mut out: Vec<Service> = Vec::new();
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let mut f = line.split('\t');
        let (Some(tag), Some(_prefix)) = (f.next(), f.next()) else {
            continue;
        };
        match (tag, out.last_mut()) {
            ("S", _) => out.push(Service {
                prefix: _prefix,
                url: f.next().unwrap_or(""),
                resources: Vec::new(),
                actions: Vec::new(),
            }),
            ("R", Some(s)) => {
                let name = f.next().unwrap_or("");
                s.resources.push((name, f.collect()));
            }
            ("A", Some(s)) => s.actions.push(Action {
                name: f.next().unwrap_or(""),
                types: f
                    .next()
                    .unwrap_or("")
                    .split(',')
                    .filter(|t| !t.is_empty())
                    .collect(),
            }),
            _ => {}
        }
    }
    out
}

/// IAM's action wildcards: `*` any run of characters, `?` one, case ignored.
pub fn glob_matches(glob: &str, name: &str) -> bool {
    // Action names are ASCII, and so is nearly every glob: compared byte by byte, ignoring
    // ASCII case, without the two lower-cased copies (every `allow` is matched against
    // every action of its service, at every check).
    if glob.is_ascii() && name.is_ascii() {
        let same = |a: u8, b: u8| a.eq_ignore_ascii_case(&b);
        return wildcard_match(glob.as_bytes(), name.as_bytes(), b'*', b'?', same);
    }
    let g: Vec<char> = glob.to_lowercase().chars().collect();
    let n: Vec<char> = name.to_lowercase().chars().collect();
    wildcard_match(&g, &n, '*', '?', |a, b| a == b)
}

/// Whether `name` matches `glob`, where `star` matches any run and `any` one item: the
/// classic two-pointer match with backtracking to the last `star`.
fn wildcard_match<T: Copy + PartialEq>(
    g: &[T],
    n: &[T],
    star: T,
    any: T,
    same: impl Fn(T, T) -> bool,
) -> bool {
    let (mut gi, mut ni, mut last_star, mut mark) = (0, 0, None, 0);
    while ni < n.len() {
        if gi < g.len() && (g[gi] == any || same(g[gi], n[ni])) {
            gi += 1;
            ni += 1;
        } else if gi < g.len() && g[gi] == star {
            last_star = Some(gi);
            mark = ni;
            gi += 1;
        } else if let Some(s) = last_star {
            gi = s + 1;
            mark += 1;
            ni = mark;
        } else {
            return false;
        }
    }
    g[gi..].iter().all(|c| *c == star)
}

/// What the table says about `ACTION` on a resource whose ARN may be any of `arns`.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// It applies (for a wildcard: at least one action it names applies).
    Applies,
    /// It supports no resource-level permission: only `Resource: "*"` grants it.
    OnlyStar,
    /// It cannot apply to these ARNs; the ARN formats it applies to.
    Elsewhere(Vec<&'static str>),
    /// The service has no such action; the closest name, if one is close.
    Unknown(Option<&'static str>),
    /// The service is not in the table.
    NotInTable,
}

/// Judge `action` (`service:Action`, wildcards allowed in the name) on `arns`.
pub fn judge(action: &str, arns: &[ArnText]) -> Verdict {
    let Some((prefix, name)) = action.split_once(':') else {
        return Verdict::NotInTable;
    };
    let Some(service) = service(prefix) else {
        return Verdict::NotInTable;
    };
    let named = service.matching(name);
    if named.is_empty() {
        let near = crate::diag::did_you_mean(name, service.action_names());
        return Verdict::Unknown(near);
    }
    let mut elsewhere: Vec<&'static str> = Vec::new();
    let mut scoped = false;
    for a in &named {
        let formats = service.formats(a);
        scoped |= !formats.is_empty();
        if formats
            .iter()
            .any(|f| arns.iter().any(|arn| arn.may_match(f)))
        {
            return Verdict::Applies;
        }
        for f in formats {
            if !elsewhere.contains(&f) {
                elsewhere.push(f);
            }
        }
    }
    if scoped {
        Verdict::Elsewhere(elsewhere)
    } else {
        Verdict::OnlyStar
    }
}

#[cfg(test)]
mod tests;
