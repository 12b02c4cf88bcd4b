//! Where the cursor is, lexically: the chain of blocks around it and the statement typed
//! so far. Completion needs this on text that does not parse yet (`runtime = py|`), so it
//! is a bracket-and-string scan, not a parse; it agrees with the grammar on strings,
//! raw strings and comments.

/// The blocks around an offset and the statement being typed there.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Context {
    /// The innermost block's id (`function`, `function.concurrency`, `queue`, `on.sqs`,
    /// `alarm`, …); `None` at top level, `Some("")` inside a block of no known kind.
    pub block: Option<String>,
    /// The current statement from its start to the offset (after the last newline, `{`,
    /// `}` or `,` of the innermost block), comments removed.
    pub segment: String,
    /// The offset is inside a string literal or a comment.
    pub in_string_or_comment: bool,
}

#[derive(Debug)]
struct Frame {
    /// `{`, `[` or `(`.
    open: char,
    id: Option<String>,
}

/// The context at byte `offset` of `text` (clamped to a character boundary).
pub fn at(text: &str, offset: usize) -> Context {
    let mut end = offset.min(text.len());
    while end > 0 && !text.is_char_boundary(end) {
        end -= 1;
    }
    let src = &text[..end];
    let mut scan = Scan::default();
    let mut i = 0;
    let mut in_string_or_comment = false;
    while i < src.len() {
        match scan.step(src, i) {
            Some(next) => i = next,
            None => {
                in_string_or_comment = true;
                break;
            }
        }
    }
    Context {
        block: innermost_block(&scan.stack),
        segment: scan.segment,
        in_string_or_comment,
    }
}

/// The state of the scan: the brackets open so far and the current statement.
#[derive(Default)]
struct Scan {
    stack: Vec<Frame>,
    segment: String,
}

impl Scan {
    /// Take the token at byte `i` of `src`: the offset after it, or `None` when `src` ends
    /// inside it (a comment or an unclosed string).
    fn step(&mut self, src: &str, i: usize) -> Option<usize> {
        let c = src.as_bytes()[i];
        match c {
            b'#' => {
                let end = i + crate::source::line_end(&src[i..]);
                (end != src.len()).then_some(end)
            }
            b'"' => self.string(src, i),
            b'{' => {
                let parent = innermost_block(&self.stack);
                let id = block_id(parent.as_deref(), self.segment.trim());
                self.stack.push(Frame { open: '{', id });
                self.segment.clear();
                Some(i + 1)
            }
            b'[' | b'(' => {
                let id = innermost_block(&self.stack);
                self.stack.push(Frame {
                    open: c as char,
                    id,
                });
                self.segment.push(c as char);
                Some(i + 1)
            }
            b'}' | b']' | b')' => {
                self.close(c);
                Some(i + 1)
            }
            b'\n' | b'\r' | b',' => {
                if self.stack.last().is_none_or(|f| f.open == '{') {
                    self.segment.clear();
                } else {
                    self.segment.push(' ');
                }
                Some(i + 1)
            }
            _ => {
                // Copy one whole character.
                let ch_len = src[i..].chars().next().map_or(1, char::len_utf8);
                self.segment.push_str(&src[i..i + ch_len]);
                Some(i + ch_len)
            }
        }
    }

    /// A string starting at `i`: it stands as `""` in the statement; `None` if unclosed.
    fn string(&mut self, src: &str, i: usize) -> Option<usize> {
        let raw = src[i..].starts_with("\"\"\"");
        let close = if raw {
            src[i + 3..].find("\"\"\"").map(|n| i + 3 + n + 3)
        } else {
            plain_string_end(src.as_bytes(), i + 1)
        };
        match close {
            Some(after) => {
                self.segment.push_str("\"\"");
                Some(after)
            }
            None => {
                self.segment.push_str(&src[i..]);
                None
            }
        }
    }

    /// A closing bracket: closes the innermost bracket of its kind and what is open in it.
    fn close(&mut self, c: u8) {
        let want = match c {
            b'}' => '{',
            b']' => '[',
            _ => '(',
        };
        if let Some(pos) = self.stack.iter().rposition(|f| f.open == want) {
            self.stack.truncate(pos);
        }
        if c == b'}' {
            self.segment.clear();
        } else {
            self.segment.push(c as char);
        }
    }
}

/// The byte after the closing quote of a plain string whose body starts at `from`.
fn plain_string_end(bytes: &[u8], from: usize) -> Option<usize> {
    let mut j = from;
    while j < bytes.len() {
        match bytes[j] {
            b'\\' => j += 2,
            b'"' => return Some(j + 1),
            b'\n' | b'\r' => return None,
            _ => j += 1,
        }
    }
    None
}

fn innermost_block(stack: &[Frame]) -> Option<String> {
    stack.last().map(|f| f.id.clone().unwrap_or_default())
}

/// The id of a block opened after `header` inside `parent` (see [`Context::block`]).
pub fn block_id(parent: Option<&str>, header: &str) -> Option<String> {
    let header = header.trim_end_matches('=').trim();
    let words: Vec<&str> = header.split_whitespace().collect();
    let first = *words.first()?;
    match parent {
        None => Some(
            match first {
                "function" | "template" | "defaults" => "function",
                "queue" | "topic" | "bucket" | "table" | "stream" | "api" | "bus" | "layer"
                | "capacity" | "auth" | "app" | "param" => first,
                "alarm" if words.len() == 2 => "alarm",
                "alarm" => "alarm.expr",
                _ => return None,
            }
            .to_string(),
        ),
        Some(parent) => match first {
            "on" => words.get(1).map(|k| format!("on.{k}")),
            "alarm" => Some("alarm.expr".to_string()),
            _ if parent.is_empty() => None,
            key => Some(format!("{parent}.{key}")),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(text: &str) -> Context {
        at(text, text.len())
    }

    #[test]
    fn top_level_and_blocks() {
        assert_eq!(ctx("func").block, None);
        assert_eq!(ctx("func").segment, "func");
        let c = ctx("function f {\n  runtime = py");
        assert_eq!(c.block.as_deref(), Some("function"));
        assert_eq!(c.segment, "  runtime = py");
        assert_eq!(
            ctx("function f {\n  concurrency {\n   res")
                .block
                .as_deref(),
            Some("function.concurrency")
        );
        assert_eq!(
            ctx("function f {\n  on sqs queue.q { batch = 1, ")
                .block
                .as_deref(),
            Some("on.sqs")
        );
        assert_eq!(ctx("api a { cors { ").block.as_deref(), Some("api.cors"));
        assert_eq!(ctx("auth a { jwt { ").block.as_deref(), Some("auth.jwt"));
        assert_eq!(ctx("alarm a { ").block.as_deref(), Some("alarm"));
        assert_eq!(ctx("defaults {\n ").block.as_deref(), Some("function"));
        assert_eq!(ctx("function f {\n}\n").block, None);
    }

    #[test]
    fn strings_comments_and_lists() {
        let c = ctx("function f { # a { comment\n  handler = \"x { y\"\n  on s3 bucket.b { events = [created, ");
        assert_eq!(c.block.as_deref(), Some("on.s3"));
        assert_eq!(c.segment, " events = [created  ");
        assert!(ctx("function f { handler = \"ab").in_string_or_comment);
        assert!(ctx("# hi").in_string_or_comment);
        let raw = ctx("function f {\n code = inline(\"\"\"{\n{\n\"\"\")\n  mem");
        assert_eq!(raw.block.as_deref(), Some("function"));
        assert_eq!(raw.segment, "  mem");
    }

    #[test]
    fn multibyte_text_is_safe() {
        let t = "function f { description = \"é😀\" }\nqueue q { ";
        for i in 0..=t.len() {
            let _ = at(t, i);
        }
        assert_eq!(ctx(t).block.as_deref(), Some("queue"));
    }
}
