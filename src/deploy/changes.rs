//! A change set as plain data, and its rendering as a readable diff.
//!
//! Kept apart from the SDK types so that the rendering can be tested without a network.

use std::fmt::Write;

/// What CloudFormation will do to one resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Action {
    Add,
    Modify,
    Remove,
    /// Import, Dynamic, or anything newer than this code.
    Other,
}

/// Whether a modification replaces the resource (a new physical resource, the old one deleted).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Replacement {
    No,
    /// Depends on a value only known while the update runs.
    Conditional,
    Yes,
}

/// One row of the diff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceChange {
    pub action: Action,
    pub logical_id: String,
    pub resource_type: String,
    pub replacement: Replacement,
    /// Properties whose change caused this modification, sorted and unique.
    pub properties: Vec<String>,
}

/// A described change set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChangeSummary {
    pub changes: Vec<ResourceChange>,
}

impl ChangeSummary {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// Added, modified and removed counts.
    pub fn counts(&self) -> (usize, usize, usize) {
        let count = |a: Action| self.changes.iter().filter(|c| c.action == a).count();
        (
            count(Action::Add),
            count(Action::Modify),
            count(Action::Remove),
        )
    }

    /// The diff, one line per resource, sorted by action then logical ID, with a closing count.
    pub fn render(&self, stack: &str) -> String {
        let mut rows = self.changes.clone();
        rows.sort_by(|a, b| (a.action, &a.logical_id).cmp(&(b.action, &b.logical_id)));
        let mut out = String::new();
        if rows.is_empty() {
            let _ = writeln!(out, "stack {stack}: no changes");
            return out;
        }
        let id_width = rows.iter().map(|r| r.logical_id.len()).max().unwrap_or(0);
        let _ = writeln!(out, "stack {stack}:");
        for r in &rows {
            let (sign, word) = match r.action {
                Action::Add => ('+', "add"),
                Action::Modify => ('~', "modify"),
                Action::Remove => ('-', "remove"),
                Action::Other => ('*', "other"),
            };
            let _ = write!(
                out,
                "  {sign} {word:<6}  {:<id_width$}  {}",
                r.logical_id, r.resource_type
            );
            if r.action == Action::Modify {
                if !r.properties.is_empty() {
                    let _ = write!(out, "  ({})", r.properties.join(", "));
                }
                match r.replacement {
                    Replacement::Yes => out.push_str("  [REPLACEMENT]"),
                    Replacement::Conditional => out.push_str("  [may be replaced]"),
                    Replacement::No => {}
                }
            }
            out.push('\n');
        }
        let (added, modified, removed) = self.counts();
        let _ = writeln!(
            out,
            "{added} to add, {modified} to modify, {removed} to remove"
        );
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(
        action: Action,
        id: &str,
        replacement: Replacement,
        props: &[&str],
    ) -> ResourceChange {
        ResourceChange {
            action,
            logical_id: id.to_string(),
            resource_type: "AWS::Lambda::Function".to_string(),
            replacement,
            properties: props.iter().map(|p| p.to_string()).collect(),
        }
    }

    #[test]
    fn rows_sorted_and_replacement_flagged() {
        let summary = ChangeSummary {
            changes: vec![
                change(Action::Remove, "Old", Replacement::No, &[]),
                change(Action::Modify, "Worker", Replacement::Yes, &["Runtime"]),
                change(Action::Add, "New", Replacement::No, &[]),
                change(
                    Action::Modify,
                    "Api",
                    Replacement::No,
                    &["MemorySize", "Timeout"],
                ),
            ],
        };
        let text = summary.render("demo");
        let expected = "\
stack demo:
  + add     New     AWS::Lambda::Function
  ~ modify  Api     AWS::Lambda::Function  (MemorySize, Timeout)
  ~ modify  Worker  AWS::Lambda::Function  (Runtime)  [REPLACEMENT]
  - remove  Old     AWS::Lambda::Function
1 to add, 2 to modify, 1 to remove
";
        assert_eq!(text, expected);
    }

    #[test]
    fn empty_change_set_says_so() {
        assert_eq!(
            ChangeSummary::default().render("demo"),
            "stack demo: no changes\n"
        );
    }
}
