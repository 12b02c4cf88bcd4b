//! The program the importer writes, as lines and blocks, rendered to text and then laid
//! out by lamc's own formatter ([`crate::fmt`]), so `lamc import` prints what `lamc fmt`
//! would. What does not come across is written as a `# not imported: …` comment where it
//! belongs and counted ([`Notes`]).

/// One member of the program or of a block.
#[derive(Debug, Clone, PartialEq)]
pub enum Member {
    /// A line of lamc, written as it is (`memory = 512MB`, `on sqs queue.jobs`).
    Line(String),
    /// A comment (the text after `# `).
    Comment(String),
    /// `HEAD { … }`.
    Block(String, Vec<Member>),
    /// An empty line between declarations.
    Blank,
}

/// What was left out, in the order it was met.
#[derive(Debug, Default)]
pub struct Notes {
    pub skipped: Vec<String>,
}

impl Notes {
    /// Keep `what` as a `# not imported: what` comment in `out` and count it.
    pub fn skip(&mut self, out: &mut Vec<Member>, what: impl Into<String>) {
        let what = what.into();
        out.push(Member::Comment(format!("not imported: {what}")));
        self.skipped.push(what);
    }
}

/// The program as text, in lamc's layout; `Err` only when the formatter refuses the text,
/// which would be the importer's own mistake (it is reported, never printed half-made).
pub fn formatted(members: &[Member]) -> Result<String, String> {
    let mut text = String::new();
    render(members, 0, &mut text);
    crate::fmt::format_source(&text).map_err(|diags| {
        let first = diags.first().map(|d| d.message.clone()).unwrap_or_default();
        format!("the written program does not parse ({first}):\n{text}")
    })
}

fn render(members: &[Member], depth: usize, out: &mut String) {
    let pad = "  ".repeat(depth);
    for m in members {
        match m {
            Member::Line(line) => {
                out.push_str(&pad);
                out.push_str(line);
                out.push('\n');
            }
            Member::Comment(c) => {
                out.push_str(&pad);
                out.push_str("# ");
                out.push_str(&comment_text(c));
                out.push('\n');
            }
            Member::Block(head, body) => {
                out.push_str(&pad);
                out.push_str(head);
                out.push_str(" {\n");
                render(body, depth + 1, out);
                out.push_str(&pad);
                out.push_str("}\n");
            }
            Member::Blank => out.push('\n'),
        }
    }
}

/// A comment on one line, with control and invisible characters written as escapes (they
/// would end the comment or be reported, W0510).
fn comment_text(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_control() || is_invisible(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2069}' | '\u{feff}')
}

/// `text` as a lamc string literal: `"…"` with `\" \\ \n \t \$` escapes. Other control
/// characters (a lamc string may not hold them, E0446) are left out.
pub fn string(text: &str) -> String {
    let mut out = String::from("\"");
    push_escaped(text, &mut out);
    out.push('"');
    out
}

/// [`string`]'s escaping without the quotes, for the text between interpolations.
pub fn push_escaped(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '$' => out.push_str("\\$"),
            c if c.is_control() || is_invisible(c) => {}
            c => out.push(c),
        }
    }
}

/// A lamc name (`[A-Za-z_][A-Za-z0-9_]*`, snake case) for a logical ID or a serverless.yml
/// key: `HelloWorldFunction` → `hello_world_function`, `get-user` → `get_user`,
/// `SQSQueue` → `sqs_queue`.
pub fn snake(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_alphanumeric() {
            if c.is_ascii_uppercase() && i > 0 {
                let prev = chars[i - 1];
                let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
                if prev.is_ascii_lowercase()
                    || prev.is_ascii_digit()
                    || (prev.is_ascii_uppercase() && next_lower)
                {
                    out.push('_');
                }
            }
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    let out = out.trim_matches('_').to_string();
    match out.chars().next() {
        None => "unnamed".to_string(),
        Some(c) if c.is_ascii_digit() => format!("n{out}"),
        Some(_) => out,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_strings_and_comments() {
        assert_eq!(snake("HelloWorldFunction"), "hello_world_function");
        assert_eq!(snake("SQSQueue"), "sqs_queue");
        assert_eq!(snake("get-user"), "get_user");
        assert_eq!(snake("Api2Handler"), "api2_handler");
        assert_eq!(snake("9lives"), "n9lives");
        assert_eq!(snake("--"), "unnamed");
        assert_eq!(string("a \"b\" ${c}\n"), "\"a \\\"b\\\" \\${c}\\n\"");
        assert_eq!(comment_text("a\u{1b}b\u{202e}"), "a\\u{1b}b\\u{202e}");
    }

    #[test]
    fn the_program_is_formatted_and_skips_are_counted() {
        let mut notes = Notes::default();
        let mut body = vec![Member::Line("runtime = python3.12".into())];
        notes.skip(&mut body, "VpcConfig");
        let program = vec![Member::Block("function f".into(), body)];
        let text = formatted(&program).expect("formats");
        assert_eq!(
            text,
            "function f {\n  runtime = python3.12\n  # not imported: VpcConfig\n}\n"
        );
        assert_eq!(notes.skipped, ["VpcConfig"]);
        assert!(formatted(&[Member::Line("function {".into())]).is_err());
    }
}
