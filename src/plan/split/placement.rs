//! The placement file: the stack each function lives in, remembered between builds so that
//! growing an app never moves a deployed function to another stack (a move deletes the
//! function in one stack and creates it in another).
//!
//! `lamc build app.lam` writes it beside the app as `app.lam.placement` when the app is
//! split into nested stacks. One line per function, sorted by name, in the order `sort`
//! gives bytes, so that two branches that each add functions merge without conflict:
//!
//! ```text
//! # lamc placement of app.lam: the stack each function lives in. ...
//! worker_0 = NestedStack12
//! worker_1 = root
//! ```
//!
//! `#` starts a comment line; blank lines are ignored. A function is `root` or
//! `NestedStackN` (N from 1), the logical ID of its nested stack in the root template.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::{Path, PathBuf};

use crate::diag::{Code, Diagnostic};
use crate::source::{FileId, Span};

/// `app.lam` → `app.lam.placement`.
const SUFFIX: &str = ".placement";

/// What a child's stack logical ID starts with (`NestedStack3`): the word is defined here
/// once, for the templates, the file and the deployed stacks alike.
pub const CHILD_PREFIX: &str = "NestedStack";

/// Where a function lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Home {
    Root,
    /// A nested stack, by 0-based index (`NestedStack1` is `Child(0)`).
    Child(u32),
}

impl Home {
    /// `root`, `NestedStack3`.
    pub fn name(self) -> String {
        match self {
            Home::Root => "root".to_string(),
            Home::Child(c) => format!("{CHILD_PREFIX}{}", u64::from(c) + 1),
        }
    }

    /// The inverse of [`Home::name`]. Also reads a stack ID that the split lengthened to
    /// stay clear of a name the app uses (`NestedStack3Part`).
    pub fn parse(text: &str) -> Option<Home> {
        if text == "root" {
            return Some(Home::Root);
        }
        let digits = text.strip_prefix(CHILD_PREFIX)?.trim_end_matches("Part");
        if digits.is_empty()
            || !digits.bytes().all(|b| b.is_ascii_digit())
            || digits.starts_with('0')
        {
            return None;
        }
        let n: u32 = digits.parse().ok()?;
        Some(Home::Child(n - 1))
    }
}

impl std::fmt::Display for Home {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.name())
    }
}

/// Function name → where it lives.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Placement {
    pub homes: BTreeMap<String, Home>,
}

impl Placement {
    /// Whether some function lives in a nested stack.
    pub fn has_children(&self) -> bool {
        self.homes.values().any(|h| matches!(h, Home::Child(_)))
    }

    /// The file's text. `entry` is the app's file name, for the header.
    pub fn render(&self, entry: &str) -> String {
        let mut out = String::with_capacity(120 + self.homes.len() * 28);
        let _ = writeln!(
            out,
            "# lamc placement of {entry}: the stack each function lives in, kept between builds"
        );
        out.push_str(
            "# so that no deployed function moves to another stack. Written by `lamc build`;\n\
             # commit it with the app. `lamc build --rebalance` places every function afresh.\n",
        );
        for (function, home) in &self.homes {
            let _ = writeln!(out, "{function} = {home}");
        }
        out
    }

    /// Read the file's text (`file` is its ID in the source map). Every line that cannot be
    /// read is an E0441, pinned to that line.
    pub fn parse(text: &str, file: FileId) -> Result<Placement, Vec<Diagnostic>> {
        // Collected, then sorted into the map at once (the file is one line per function:
        // 10,000 lines inserted one by one into two ordered maps cost 59 M instructions).
        let mut homes = Vec::new();
        let mut first_line: crate::plan::FastMap<&str, Span> = crate::plan::FastMap::default();
        let mut errors = Vec::new();
        let mut offset = 0;
        for raw in text.split_inclusive('\n') {
            let start = offset;
            offset += raw.len();
            let line = raw.trim_end_matches(['\n', '\r']);
            let lead = line.len() - line.trim_start().len();
            let content = line.trim();
            if content.is_empty() || content.starts_with('#') {
                continue;
            }
            let span = Span::new(file, start + lead, start + lead + content.len());
            match parse_line(content) {
                Ok((function, home)) => {
                    if let Some(earlier) = first_line.get(function) {
                        errors.push(listed_twice(function, span, *earlier));
                        continue;
                    }
                    first_line.insert(function, span);
                    homes.push((function.to_string(), home));
                }
                Err(problem) => errors.push(unreadable(content, span, problem)),
            }
        }
        if errors.is_empty() {
            Ok(Placement {
                homes: homes.into_iter().collect(),
            })
        } else {
            Err(errors)
        }
    }
}

/// Why a line cannot be read.
enum Problem {
    Conflict,
    NoEquals,
    BadName,
    BadStack,
}

fn parse_line(line: &str) -> Result<(&str, Home), Problem> {
    if ["<<<<<<<", "=======", ">>>>>>>", "|||||||"]
        .iter()
        .any(|m| line.starts_with(m))
    {
        return Err(Problem::Conflict);
    }
    let (name, stack) = line.split_once('=').ok_or(Problem::NoEquals)?;
    let (name, stack) = (name.trim(), stack.trim());
    if !is_function_name(name) {
        return Err(Problem::BadName);
    }
    let home = Home::parse(stack).ok_or(Problem::BadStack)?;
    Ok((name, home))
}

/// The language's names: `[A-Za-z_][A-Za-z0-9_]*` (docs/language.md).
fn is_function_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn unreadable(line: &str, span: Span, problem: Problem) -> Diagnostic {
    let (message, label, help) = match problem {
        Problem::Conflict => (
            "the placement file has a merge conflict".to_string(),
            "conflict marker",
            "keep one `function = stack` line per function and delete the markers (lines \
             deleted for a function make lamc place it again, which may move it)"
                .to_string(),
        ),
        Problem::NoEquals => (
            format!("`{line}` is not a placement line"),
            "expected `function = stack`",
            "write one function per line: `worker = NestedStack3` or `worker = root`".to_string(),
        ),
        Problem::BadName => (
            format!("`{line}` does not start with a function name"),
            "expected a function name before `=`",
            "write one function per line: `worker = NestedStack3` or `worker = root`".to_string(),
        ),
        Problem::BadStack => {
            let stack = line.split_once('=').map_or("", |(_, s)| s.trim());
            (
                format!("`{stack}` is not a stack of this app"),
                "expected `root` or `NestedStackN`",
                format!(
                    "name the function's stack as the root template does: `root` or \
                     `{CHILD_PREFIX}1`, `{CHILD_PREFIX}2`, …"
                ),
            )
        }
    };
    Diagnostic::new(Code::E0441, span, message)
        .label(label.to_string())
        .help(help)
}

fn listed_twice(function: &str, span: Span, earlier: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0441,
        span,
        format!("function `{function}` is placed twice"),
    )
    .label("placed again here".to_string())
    .secondary(earlier, "first placed here".to_string())
    .help(format!(
        "keep one line for `{function}`: the stack it is deployed in (`lamc diff` prints the \
         deployed placement)"
    ))
}

/// Where the placement of the app in `entry` is kept: `app.lam` → `app.lam.placement`.
pub fn path_for(entry: &Path) -> PathBuf {
    let mut name = entry.as_os_str().to_os_string();
    name.push(SUFFIX);
    PathBuf::from(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Placement, Vec<Diagnostic>> {
        Placement::parse(text, FileId(0))
    }

    #[test]
    fn homes_read_back() {
        for home in [Home::Root, Home::Child(0), Home::Child(41)] {
            assert_eq!(Home::parse(&home.name()), Some(home));
        }
        assert_eq!(Home::Child(2).name(), "NestedStack3");
        assert_eq!(Home::parse("NestedStack3Part"), Some(Home::Child(2)));
        for bad in [
            "",
            "Root",
            "NestedStack",
            "NestedStack0",
            "NestedStack03",
            "NestedStackX",
            "NestedStack99999999999",
        ] {
            assert_eq!(Home::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_file_reads_back_what_it_says() {
        let mut p = Placement::default();
        p.homes.insert("worker_10".into(), Home::Child(2));
        p.homes.insert("api".into(), Home::Root);
        p.homes.insert("worker_9".into(), Home::Child(0));
        let text = p.render("app.lam");
        assert!(
            text.ends_with("api = root\nworker_10 = NestedStack3\nworker_9 = NestedStack1\n"),
            "{text}"
        );
        assert_eq!(parse(&text).ok(), Some(p));
    }

    #[test]
    fn comments_blank_lines_and_spacing_are_allowed() {
        let p = parse("# x\n\n  a=NestedStack2 \r\nb =root\n").expect("reads");
        assert_eq!(p.homes.get("a"), Some(&Home::Child(1)));
        assert_eq!(p.homes.get("b"), Some(&Home::Root));
    }

    #[test]
    fn each_bad_line_is_one_error_on_that_line() {
        let text = "a = NestedStack1\nnonsense\n1x = root\nb = Stack7\n<<<<<<< HEAD\na = root\n";
        let errs = parse(text).expect_err("bad lines");
        let lines: Vec<(&str, &str)> = errs
            .iter()
            .map(|d| {
                (
                    d.code.as_str(),
                    &text[d.primary.span.start..d.primary.span.end],
                )
            })
            .collect();
        assert_eq!(
            lines,
            vec![
                ("E0441", "nonsense"),
                ("E0441", "1x = root"),
                ("E0441", "b = Stack7"),
                ("E0441", "<<<<<<< HEAD"),
                ("E0441", "a = root"),
            ]
        );
        assert!(
            errs[4].message.contains("placed twice"),
            "{}",
            errs[4].message
        );
    }

    #[test]
    fn the_file_sits_beside_the_app() {
        assert_eq!(
            path_for(Path::new("svc/app.lam")),
            PathBuf::from("svc/app.lam.placement")
        );
    }
}
