//! `lamc build --stats`: what each template uses of CloudFormation's limits.

use std::fmt::Write;

use super::limits::{Usage, MAX_OUTPUTS, MAX_PARAMETERS, MAX_RESOURCES, MAX_TEMPLATE_BYTES};
use super::Stack;

pub use crate::schema::limits::MAX_RESOURCES_PER_OPERATION;

/// The resources the app creates: the root's and every nested stack's, the nested stacks
/// themselves not counted (each is a resource of the root).
pub fn resources_in_all(root: &Stack) -> usize {
    root.children
        .iter()
        .map(|c| c.usage.resources)
        .sum::<usize>()
        + root.resources.len().saturating_sub(root.children.len())
}

/// One line per template (the root first, then the nested stacks in order), with the
/// headroom left under each limit, then the totals.
pub fn stats(root: &Stack) -> String {
    let mut rows = vec![("root".to_string(), Usage::of(root))];
    for c in &root.children {
        rows.push((c.logical_id.clone(), c.usage));
    }
    let width = rows.iter().map(|(n, _)| n.len()).max().unwrap_or(4).max(5);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<width$}  {:>15}  {:>13}  {:>13}  {:>19}",
        "stack", "resources/500", "outputs/200", "params/200", "bytes/1000000"
    );
    for (name, u) in &rows {
        let _ = writeln!(
            out,
            "{name:<width$}  {:>15}  {:>13}  {:>13}  {:>19}",
            cell(u.resources, MAX_RESOURCES),
            cell(u.outputs, MAX_OUTPUTS),
            cell(u.parameters, MAX_PARAMETERS),
            cell(u.bytes, MAX_TEMPLATE_BYTES),
        );
    }
    let total = resources_in_all(root);
    let _ = writeln!(
        out,
        "{} stack{}, {total} resources in all (headroom in parentheses)",
        rows.len(),
        if rows.len() == 1 { "" } else { "s" }
    );
    if total > MAX_RESOURCES_PER_OPERATION {
        let _ = writeln!(
            out,
            "note: one stack operation may touch at most {MAX_RESOURCES_PER_OPERATION} \
             resources, nested stacks included (CFN-13): a first deploy of all {total} at \
             once may be refused; later updates touch only the stacks that changed"
        );
    }
    out
}

/// `312 (188)`: the count and what is left under the limit.
fn cell(n: usize, max: usize) -> String {
    format!("{n} ({})", max.saturating_sub(n))
}
