//! The server's end of stdio: messages framed by `Content-Length`, read so that no input
//! ends the session.
//!
//! lsp-server's own stdio transport gives up on the first malformed message, and the
//! server dies with it. Here a reader thread frames messages itself and hands the good
//! ones to the protocol loop as [`Message`]s; for the others it answers as JSON-RPC 2.0
//! says and reads on:
//! - a body that is not JSON: `-32700` (parse error), id `null`;
//! - JSON that is not a request, a response or a notification: `-32600` (invalid
//!   request), with its `id` when it has a usable one, else `null`;
//! - a header block without a usable `Content-Length` (missing, not a number, more than
//!   [`MAX_BODY`]): `-32700`, id `null` (the message cannot be read); the reader then
//!   skips to the next `Content-Length` header;
//! - a string with a lone UTF-16 surrogate escape (`"\ud800"`), which JSON allows and a
//!   Rust string cannot hold: the escape is read as U+FFFD, one UTF-16 unit like the
//!   surrogate, so positions in the document stay right.
//!
//! Answers from the reader and from the protocol loop go out through one writer, a whole
//! frame at a time.

use std::io::{self, BufRead, Read, Write};
use std::thread::JoinHandle;

use lsp_server::{Connection, ErrorCode, Message};
use serde_json::{json, Value};

/// The largest message body accepted (an editor sends whole documents).
pub const MAX_BODY: usize = 256 * 1024 * 1024;
/// A header line longer than this is not a header.
const MAX_HEADER_LINE: u64 = 8 * 1024;
/// More header lines than this in one block is not a header block.
const MAX_HEADERS: usize = 32;

/// The threads that move messages between stdio and a [`Connection`].
pub struct Transport {
    reader: JoinHandle<()>,
    writer: JoinHandle<()>,
}

impl Transport {
    /// Wait for both threads: call after dropping the connection (the writer ends when
    /// every sender is gone). The reader ends at the end of input or after `exit`.
    pub fn join(self) -> Result<(), String> {
        let writer = self.writer.join();
        // A reader still blocked on a client that neither writes nor closes stdin must
        // not keep the process alive: it is left behind only if it has not finished.
        if self.reader.is_finished() {
            let _ = self.reader.join();
        }
        writer.map_err(|_| "the writer thread failed".to_string())
    }
}

/// A connection over stdin and stdout.
pub fn stdio() -> (Connection, Transport) {
    let (server, client) = Connection::memory();
    let Connection { sender, receiver } = client;
    let reader = std::thread::spawn(move || {
        let stdin = io::stdin();
        let mut input = stdin.lock();
        read_messages(
            &mut input,
            |msg| sender.send(msg).is_ok(),
            |reply| {
                let _ = write_frame(&reply);
            },
        );
    });
    let writer = std::thread::spawn(move || {
        for msg in receiver {
            // lsp-server frames it (with its `"jsonrpc": "2.0"`); one write puts it out.
            let mut frame = Vec::new();
            if msg.write(&mut frame).is_err() {
                continue;
            }
            if write_all(&frame).is_err() {
                break;
            }
        }
    });
    (server, Transport { reader, writer })
}

/// Write one message, header and body, in one locked write.
fn write_frame(body: &Value) -> io::Result<()> {
    let mut body = serde_json::to_vec(body)?;
    let mut frame = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    frame.append(&mut body);
    write_all(&frame)
}

/// Bytes to stdout under its lock, so that frames from the two threads never mix.
fn write_all(bytes: &[u8]) -> io::Result<()> {
    let mut out = io::stdout().lock();
    out.write_all(bytes)?;
    out.flush()
}

/// Read framed messages until the end of input or an `exit` notification: each good one
/// goes to `forward` (which returns `false` when nobody listens any more), and each bad
/// one gets its error response through `reply`.
pub fn read_messages(
    input: &mut impl BufRead,
    mut forward: impl FnMut(Message) -> bool,
    mut reply: impl FnMut(Value),
) {
    let mut resumed = false;
    loop {
        let frame = match next_frame(input, resumed) {
            Ok(Frame::Body(body)) => body,
            Ok(Frame::Unframed(why)) => {
                reply(error(Value::Null, ErrorCode::ParseError, &why));
                match skip_to_next_header(input) {
                    Ok(found) => resumed = found,
                    Err(_) => return,
                }
                continue;
            }
            Ok(Frame::End) | Err(_) => return,
        };
        resumed = false;
        match decode(&frame) {
            Ok(msg) => {
                let exit = matches!(&msg, Message::Notification(n) if n.method == "exit");
                if !forward(msg) || exit {
                    return;
                }
            }
            Err(answer) => reply(answer),
        }
    }
}

enum Frame {
    Body(Vec<u8>),
    /// A header block whose body cannot be found, and why.
    Unframed(String),
    End,
}

/// The next message body. Blank lines between messages are skipped; header names are
/// case-insensitive; headers other than `Content-Length` are ignored, and so are lines
/// that are no header when a good `Content-Length` is there. `resumed`: the input is just
/// after the words `Content-Length` (see [`skip_to_next_header`]).
fn next_frame(input: &mut impl BufRead, mut resumed: bool) -> io::Result<Frame> {
    let mut length: Option<Result<usize, String>> = None;
    let mut malformed = None;
    let mut headers = 0;
    loop {
        let Some(mut line) = header_line(input)? else {
            return Ok(Frame::End);
        };
        if std::mem::take(&mut resumed) {
            line.insert_str(0, "Content-Length");
        }
        if line.is_empty() {
            if headers == 0 {
                continue;
            }
            break;
        }
        headers += 1;
        if headers > MAX_HEADERS {
            return Ok(Frame::Unframed("too many header lines".into()));
        }
        // A line that does not start with a header may still end with one (a body
        // shorter than its length ran into the next header).
        let line = match line.to_ascii_lowercase().find("content-length") {
            Some(at) if !is_header(&line) => line[at..].to_string(),
            _ => line,
        };
        let Some((name, value)) = line.split_once(':').filter(|_| is_header(&line)) else {
            malformed = Some(format!("malformed header line {:?}", clip(&line)));
            continue;
        };
        if name.trim().eq_ignore_ascii_case("content-length") {
            length = Some(match value.trim().parse::<usize>() {
                Ok(n) if n <= MAX_BODY => Ok(n),
                Ok(n) => Err(format!(
                    "Content-Length {n} is over the {MAX_BODY}-byte limit"
                )),
                Err(_) => Err(format!("Content-Length {:?} is not a number", clip(value))),
            });
        }
    }
    match length {
        Some(Ok(n)) => {
            let mut body = Vec::with_capacity(n.min(64 * 1024));
            (&mut *input).take(n as u64).read_to_end(&mut body)?;
            if body.len() < n {
                // The input ended inside the body.
                return Ok(Frame::End);
            }
            Ok(Frame::Body(body))
        }
        Some(Err(why)) => Ok(Frame::Unframed(why)),
        None => Ok(Frame::Unframed(
            malformed.unwrap_or_else(|| "no Content-Length header".into()),
        )),
    }
}

/// One header line without its line end, or `None` at the end of input. A line longer
/// than [`MAX_HEADER_LINE`] is cut there (the rest is read as further lines).
fn header_line(input: &mut impl BufRead) -> io::Result<Option<String>> {
    let mut raw = Vec::new();
    (&mut *input)
        .take(MAX_HEADER_LINE)
        .read_until(b'\n', &mut raw)?;
    if raw.is_empty() {
        return Ok(None);
    }
    while raw.last().is_some_and(|&b| b == b'\n' || b == b'\r') {
        raw.pop();
    }
    Ok(Some(String::from_utf8_lossy(&raw).into_owned()))
}

/// `Name: value` with a name of letters, digits and `-`.
fn is_header(line: &str) -> bool {
    line.split_once(':').is_some_and(|(name, _)| {
        !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    })
}

fn clip(text: &str) -> String {
    text.chars().take(40).collect()
}

/// After a header block whose body cannot be found: drop input up to and including the
/// next `Content-Length` (any case). Returns whether one was found (else the input
/// ended).
fn skip_to_next_header(input: &mut impl BufRead) -> io::Result<bool> {
    const WANT: &[u8] = b"content-length";
    let mut matched = 0;
    loop {
        let buf = input.fill_buf()?;
        if buf.is_empty() {
            return Ok(false);
        }
        let mut used = 0;
        for &b in buf {
            used += 1;
            let b = b.to_ascii_lowercase();
            matched = if b == WANT[matched] {
                matched + 1
            } else {
                usize::from(b == WANT[0])
            };
            if matched == WANT.len() {
                break;
            }
        }
        input.consume(used);
        if matched == WANT.len() {
            return Ok(true);
        }
    }
}

/// A message, or the error response that answers the body.
fn decode(body: &[u8]) -> Result<Message, Value> {
    let value: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) => match without_lone_surrogates(body).map(|b| serde_json::from_slice(&b)) {
            Some(Ok(v)) => v,
            _ => {
                let why = format!("the message is not JSON: {e}");
                return Err(error(Value::Null, ErrorCode::ParseError, &why));
            }
        },
    };
    let id = match value.get("id") {
        Some(id @ (Value::Number(_) | Value::String(_))) => id.clone(),
        _ => Value::Null,
    };
    let has_id = value.get("id").is_some_and(|id| !id.is_null());
    match serde_json::from_value::<Message>(value) {
        // A notification has no id: one with an id that is not usable is not one.
        Ok(Message::Notification(_)) if has_id => Err(error(
            id,
            ErrorCode::InvalidRequest,
            "a request id must be an integer or a string",
        )),
        Ok(msg) => Ok(msg),
        Err(e) => Err(error(
            id,
            ErrorCode::InvalidRequest,
            &format!("not a JSON-RPC request, response or notification: {e}"),
        )),
    }
}

fn error(id: Value, code: ErrorCode, message: &str) -> Value {
    json!({
        "jsonrpc": "2.0",
        "id": id,
        "error": { "code": code as i32, "message": message },
    })
}

/// The body with every `\uXXXX` escape of a lone UTF-16 surrogate (one not in a
/// high-low pair) replaced by `\uFFFD`; `None` when there is none.
fn without_lone_surrogates(body: &[u8]) -> Option<Vec<u8>> {
    let hex = |at: usize| -> Option<u32> {
        let digits = body.get(at..at + 4)?;
        u32::from_str_radix(std::str::from_utf8(digits).ok()?, 16).ok()
    };
    let escape_at = |at: usize| -> Option<u32> {
        (body.get(at) == Some(&b'\\') && body.get(at + 1) == Some(&b'u'))
            .then(|| hex(at + 2))
            .flatten()
    };
    let mut out = Vec::with_capacity(body.len());
    let mut changed = false;
    let mut in_string = false;
    let mut i = 0;
    while i < body.len() {
        let b = body[i];
        if !in_string {
            in_string = b == b'"';
            out.push(b);
            i += 1;
            continue;
        }
        match b {
            b'"' => {
                in_string = false;
                out.push(b);
                i += 1;
            }
            b'\\' => match escape_at(i) {
                Some(high @ 0xD800..=0xDBFF) => {
                    if escape_at(i + 6).is_some_and(|low| (0xDC00..=0xDFFF).contains(&low)) {
                        out.extend_from_slice(&body[i..i + 12]);
                        i += 12;
                    } else {
                        let _ = high;
                        out.extend_from_slice(b"\\uFFFD");
                        changed = true;
                        i += 6;
                    }
                }
                Some(0xDC00..=0xDFFF) => {
                    out.extend_from_slice(b"\\uFFFD");
                    changed = true;
                    i += 6;
                }
                _ => {
                    // Any other escape: copy it whole, so that `\\` and `\"` are not
                    // mistaken for the start or the end of something else.
                    let end = (i + 2).min(body.len());
                    out.extend_from_slice(&body[i..end]);
                    i = end;
                }
            },
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    changed.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    /// The messages forwarded and the error responses sent for `input`, read through a
    /// small buffer so that headers and bodies straddle its refills.
    fn read(input: &str) -> (Vec<Message>, Vec<Value>) {
        let mut forwarded = Vec::new();
        let mut replies = Vec::new();
        read_messages(
            &mut io::BufReader::with_capacity(5, input.as_bytes()),
            |m| {
                forwarded.push(m);
                true
            },
            |r| replies.push(r),
        );
        (forwarded, replies)
    }

    const HOVER: &str = r#"{"jsonrpc":"2.0","id":7,"method":"textDocument/hover","params":{}}"#;

    fn codes(replies: &[Value]) -> Vec<(i64, Value)> {
        replies
            .iter()
            .map(|r| (r["error"]["code"].as_i64().unwrap_or(0), r["id"].clone()))
            .collect()
    }

    #[test]
    fn good_messages_pass_through() {
        let (msgs, replies) = read(&format!("{}\r\n{}", frame(HOVER), frame(HOVER)));
        assert_eq!(msgs.len(), 2);
        assert!(replies.is_empty());
    }

    #[test]
    fn a_body_that_is_not_json_is_a_parse_error_and_reading_goes_on() {
        let input = format!("{}{}", frame(r#"{"jsonrpc":"2.0","id":2,"#), frame(HOVER));
        let (msgs, replies) = read(&input);
        assert_eq!(codes(&replies), [(-32700, Value::Null)]);
        assert_eq!(msgs.len(), 1);
    }

    #[test]
    fn json_that_is_no_message_is_an_invalid_request_with_its_id() {
        let bodies = [
            (r#"{"jsonrpc":"2.0","id":5}"#, json!(5)),
            (r#"{"jsonrpc":"2.0","id":"x","method":3}"#, json!("x")),
            (r#"{"jsonrpc":"2.0","id":1.5,"method":"m"}"#, json!(1.5)),
            (
                r#"{"jsonrpc":"2.0","id":{"a":1},"method":"m"}"#,
                Value::Null,
            ),
            (r#"[1, 2]"#, Value::Null),
            (r#"42"#, Value::Null),
        ];
        for (body, id) in bodies {
            let (msgs, replies) = read(&format!("{}{}", frame(body), frame(HOVER)));
            assert_eq!(codes(&replies), [(-32600, id)], "{body}");
            assert_eq!(msgs.len(), 1, "{body}");
        }
    }

    #[test]
    fn bad_content_lengths_are_answered_and_the_next_message_is_found() {
        let inputs = [
            format!("Content-Length: abc\r\n\r\n{HOVER}{}", frame(HOVER)),
            format!("Content-Type: x\r\n\r\n{HOVER}{}", frame(HOVER)),
            format!(
                "Content-Length: 99999999999999\r\n\r\n{HOVER}{}",
                frame(HOVER)
            ),
            format!("Content-Length: -1\r\n\r\nxx\r\n{}", frame(HOVER)),
            format!("garbage\r\n\r\n{}", frame(HOVER)),
        ];
        for input in &inputs {
            let (msgs, replies) = read(input);
            assert_eq!(codes(&replies), [(-32700, Value::Null)], "{input:?}");
            assert_eq!(msgs.len(), 1, "{input:?}");
        }
        // Too short: the body is cut, the rest runs into the next header.
        let short = format!("Content-Length: 10\r\n\r\n{HOVER}{}", frame(HOVER));
        let (msgs, replies) = read(&short);
        assert_eq!(codes(&replies), [(-32700, Value::Null)]);
        assert_eq!(msgs.len(), 1);
    }

    #[test]
    fn lenient_framing() {
        // Lower-case header name, LF-only header lines, extra headers.
        let input = format!(
            "content-length: {}\nContent-Type: application/vscode-jsonrpc; charset=utf-8\n\n{HOVER}",
            HOVER.len()
        );
        let (msgs, replies) = read(&input);
        assert_eq!((msgs.len(), replies.len()), (1, 0));
    }

    #[test]
    fn lone_surrogates_read_as_replacement_characters() {
        let body = r#"{"jsonrpc":"2.0","method":"m","params":{"a":"x\ud800y","b":"\udc00","c":"\\ud800","d":"\ud83d\ude00"}}"#;
        let (msgs, replies) = read(&frame(body));
        assert!(replies.is_empty(), "{replies:?}");
        let Some(Message::Notification(n)) = msgs.first() else {
            panic!("no notification: {msgs:?}");
        };
        assert_eq!(n.params["a"], "x\u{fffd}y");
        assert_eq!(n.params["b"], "\u{fffd}");
        assert_eq!(n.params["c"], "\\ud800");
        assert_eq!(n.params["d"], "😀");
    }

    #[test]
    fn reading_stops_after_exit_and_at_a_cut_body() {
        let exit = r#"{"jsonrpc":"2.0","method":"exit"}"#;
        let (msgs, _) = read(&format!("{}{}", frame(exit), frame(HOVER)));
        assert_eq!(msgs.len(), 1);
        let (msgs, replies) = read("Content-Length: 100\r\n\r\n{\"a\":");
        assert!(msgs.is_empty() && replies.is_empty());
    }
}
