//! Content filters: `{ prefix = "us-" }`, `{ numeric = [">", 0, "<=", 5] }`, … (EVP-04,
//! EVP-05), and which of them Lambda's event filtering takes (EVP-06).

use super::{Dialect, Key, Node, Problem, Tree};
use crate::schema::patterns::{operator, NUMERIC_OPERATORS};

/// One `{ operator = operand }` item of a field's list.
pub(super) fn content_filter(
    item: &Tree,
    entries: &[(Key, Tree)],
    dialect: Dialect,
    out: &mut Vec<Problem>,
) {
    let [(op, operand)] = entries else {
        out.push(Problem::FilterKeys {
            span: item.span,
            count: entries.len(),
        });
        return;
    };
    let Some(spec) = operator(&op.name) else {
        out.push(Problem::UnknownFilter { key: op.clone() });
        return;
    };
    if matches!(dialect, Dialect::Filter(_)) && !spec.lambda {
        out.push(Problem::Unsupported {
            op: op.name.clone(),
            span: op.span,
        });
        return;
    }
    match spec.name {
        "prefix" | "suffix" => text_or_ignore_case(op, operand, dialect, out),
        "equals-ignore-case" | "wildcard" => text(op, operand, out),
        "exists" if !matches!(operand.node, Node::Bool(_)) => {
            out.push(operand_problem(op, operand))
        }
        "cidr" => cidr(op, operand, out),
        "anything-but" => anything_but(op, operand, dialect, out),
        "numeric" => numeric(operand, out),
        _ => {}
    }
}

fn operand_problem(op: &Key, operand: &Tree) -> Problem {
    Problem::Operand {
        op: op.name.clone(),
        span: operand.span,
    }
}

fn is_text(t: &Tree) -> bool {
    matches!(t.node, Node::Str(_) | Node::Deploy)
}

fn text(op: &Key, operand: &Tree, out: &mut Vec<Problem>) {
    if !is_text(operand) {
        out.push(operand_problem(op, operand));
    }
}

/// `prefix` and `suffix` take a string or `{ equals-ignore-case = "…" }`; Lambda only the
/// string (EVP-06).
fn text_or_ignore_case(op: &Key, operand: &Tree, dialect: Dialect, out: &mut Vec<Problem>) {
    match &operand.node {
        Node::Map(inner) => match inner.as_slice() {
            [(k, v)] if k.name == "equals-ignore-case" && is_text(v) => {
                if matches!(dialect, Dialect::Filter(_)) {
                    out.push(Problem::Unsupported {
                        op: format!("{} with equals-ignore-case", op.name),
                        span: k.span,
                    });
                }
            }
            _ => out.push(operand_problem(op, operand)),
        },
        _ => text(op, operand, out),
    }
}

/// `anything-but`: a value, a list of strings or of numbers, or (rules only) a map of one
/// of `prefix`, `suffix`, `equals-ignore-case`, `wildcard`.
fn anything_but(op: &Key, operand: &Tree, dialect: Dialect, out: &mut Vec<Problem>) {
    match &operand.node {
        Node::Str(_) | Node::Num(_) | Node::Deploy => {}
        Node::List(items) => {
            let texts = items.iter().all(is_text);
            let numbers = items.iter().all(|i| matches!(i.node, Node::Num(_)));
            if items.is_empty() {
                out.push(Problem::Empty { span: operand.span });
            } else if !texts && !numbers {
                out.push(operand_problem(op, operand));
            }
        }
        Node::Map(inner) => match inner.as_slice() {
            [(k, _)] if matches!(dialect, Dialect::Filter(_)) => out.push(Problem::Unsupported {
                op: format!("anything-but with {}", k.name),
                span: k.span,
            }),
            [(k, v)] if ["prefix", "suffix", "wildcard"].contains(&k.name.as_str()) => {
                text(k, v, out)
            }
            [(k, v)] if k.name == "equals-ignore-case" => match &v.node {
                Node::List(items) if !items.is_empty() && items.iter().all(is_text) => {}
                _ => text(k, v, out),
            },
            _ => out.push(operand_problem(op, operand)),
        },
        Node::Bool(_) | Node::Null => out.push(operand_problem(op, operand)),
    }
}

/// `cidr = "10.0.0.0/24"`: an IPv4 or IPv6 block (EVP-04).
fn cidr(op: &Key, operand: &Tree, out: &mut Vec<Problem>) {
    let ok = match &operand.node {
        Node::Str(s) => is_cidr(s),
        Node::Deploy => true,
        _ => false,
    };
    if !ok {
        out.push(operand_problem(op, operand));
    }
}

fn is_cidr(s: &str) -> bool {
    let Some((addr, bits)) = s.split_once('/') else {
        return false;
    };
    let Ok(bits) = bits.parse::<u8>() else {
        return false;
    };
    match addr.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(_)) => bits <= 32,
        Ok(std::net::IpAddr::V6(_)) => bits <= 128,
        Err(_) => false,
    }
}

/// What is wrong with a numeric filter (EVP-05).
#[derive(Debug, Clone, PartialEq)]
pub enum NumericWhy {
    /// Not a list of comparisons.
    NotAList,
    /// Not operator/number pairs, or more than two of them.
    Pairs,
    UnknownOperator(String),
    /// A comparison's value is not a number lamc knows.
    NotANumber,
    /// Two lower (or two upper) bounds.
    TwoBounds(&'static str),
    /// `=` together with another comparison.
    EqualsWithRange,
}

/// `numeric = [">", 0, "<=", 5]`.
fn numeric(operand: &Tree, out: &mut Vec<Problem>) {
    let problem = |why| Problem::Numeric {
        span: operand.span,
        why,
    };
    let Node::List(items) = &operand.node else {
        out.push(problem(NumericWhy::NotAList));
        return;
    };
    if items.is_empty() || items.len() % 2 == 1 || items.len() > 4 {
        out.push(problem(NumericWhy::Pairs));
        return;
    }
    let mut bounds: Vec<(&str, f64)> = Vec::new();
    for pair in items.chunks(2) {
        let op = match &pair[0].node {
            Node::Str(s) if NUMERIC_OPERATORS.contains(&s.as_str()) => s.as_str(),
            Node::Str(s) => return out.push(problem(NumericWhy::UnknownOperator(s.clone()))),
            _ => return out.push(problem(NumericWhy::Pairs)),
        };
        let Node::Num(n) = &pair[1].node else {
            return out.push(problem(NumericWhy::NotANumber));
        };
        bounds.push((op, n.parse().unwrap_or(0.0)));
    }
    if let Some(why) = bound_problem(&bounds) {
        out.push(problem(why));
        return;
    }
    if let Some(empty) = empty_range(&bounds) {
        out.push(Problem::EmptyRange {
            span: operand.span,
            range: empty,
        });
    }
}

fn bound_problem(bounds: &[(&str, f64)]) -> Option<NumericWhy> {
    let lower = bounds.iter().filter(|(o, _)| o.starts_with('>')).count();
    let upper = bounds.iter().filter(|(o, _)| o.starts_with('<')).count();
    if bounds.len() > 1 && bounds.iter().any(|(o, _)| *o == "=") {
        Some(NumericWhy::EqualsWithRange)
    } else if lower > 1 {
        Some(NumericWhy::TwoBounds("lower"))
    } else if upper > 1 {
        Some(NumericWhy::TwoBounds("upper"))
    } else {
        None
    }
}

/// A lower bound at or above the upper one: the filter matches no number.
fn empty_range(bounds: &[(&str, f64)]) -> Option<String> {
    let lo = bounds.iter().find(|(o, _)| o.starts_with('>'))?;
    let hi = bounds.iter().find(|(o, _)| o.starts_with('<'))?;
    let both_inclusive = lo.0 == ">=" && hi.0 == "<=";
    let empty = lo.1 > hi.1 || (lo.1 == hi.1 && !both_inclusive);
    empty.then(|| format!("{} {} and {} {}", lo.0, lo.1, hi.0, hi.1))
}
