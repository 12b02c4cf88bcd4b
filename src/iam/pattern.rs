//! Matching an ARN that may be only partly known against the reference's ARN formats
//! (`arn:${Partition}:sqs:${Region}:${Account}:.*`).
//!
//! In a format, `${Name}` is one ARN field (no `:`) and `.*` any text. In the ARN, a
//! deploy-time part (`${aws.region}`, a parameter) may be any text: the ARN may match when
//! some value of its unknown parts makes it match.

use crate::model::{DeployStr, Value};

/// One character of an ARN, or a part known only at deploy time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece {
    Char(char),
    Unknown,
}

/// An ARN as far as it is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArnText(pub Vec<Piece>);

impl ArnText {
    pub fn literal(text: &str) -> Self {
        ArnText(text.chars().map(Piece::Char).collect())
    }

    /// Literal text as characters; parameters, pseudo-parameters and attributes unknown.
    pub fn of(arn: &DeployStr) -> Self {
        let mut pieces = Vec::new();
        for part in arn.parts() {
            match part {
                Value::Str(t) => pieces.extend(t.chars().map(Piece::Char)),
                _ => pieces.push(Piece::Unknown),
            }
        }
        ArnText(pieces)
    }

    /// Whether some value of its unknown parts matches `format`.
    pub fn may_match(&self, format: &str) -> bool {
        let tokens = tokens(format);
        let mut memo = Memo {
            width: self.0.len() + 1,
            known: vec![UNKNOWN; (tokens.len() + 1) * (self.0.len() + 1)],
        };
        matches(&tokens, &self.0, 0, 0, &mut memo)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
    Lit(char),
    /// `${Name}`: one field, no `:`.
    Field,
    /// `.*`
    Any,
}

fn tokens(format: &str) -> Vec<Token> {
    let chars: Vec<char> = format.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '$' && chars.get(i + 1) == Some(&'{') {
            let close = chars[i..].iter().position(|c| *c == '}');
            if let Some(len) = close {
                out.push(Token::Field);
                i += len + 1;
                continue;
            }
        }
        if chars[i] == '.' && chars.get(i + 1) == Some(&'*') {
            out.push(Token::Any);
            i += 2;
            continue;
        }
        out.push(Token::Lit(chars[i]));
        i += 1;
    }
    out
}

/// What is known of `text[j..]` against `tokens[i..]`, at `i * width + j`: one table per
/// match (every `allow` is matched against each format of its action, at every check).
struct Memo {
    width: usize,
    known: Vec<u8>,
}

const UNKNOWN: u8 = 2;

/// Whether `text[j..]` can match `tokens[i..]`, memoised (the ARN and format are short).
fn matches(tokens: &[Token], text: &[Piece], i: usize, j: usize, memo: &mut Memo) -> bool {
    let at = i * memo.width + j;
    if memo.known[at] != UNKNOWN {
        return memo.known[at] == 1;
    }
    let result = match (tokens.get(i), text.get(j)) {
        (None, None) => true,
        // An unknown part may stand for nothing, or for what the next token needs.
        (_, Some(Piece::Unknown)) => {
            matches(tokens, text, i, j + 1, memo)
                || (i < tokens.len() && matches(tokens, text, i + 1, j, memo))
        }
        (Some(Token::Any), next) => {
            matches(tokens, text, i + 1, j, memo)
                || (next.is_some() && matches(tokens, text, i, j + 1, memo))
        }
        (Some(Token::Field), next) => {
            matches(tokens, text, i + 1, j, memo)
                || (matches!(next, Some(Piece::Char(c)) if *c != ':')
                    && matches(tokens, text, i, j + 1, memo))
        }
        (Some(Token::Lit(c)), Some(Piece::Char(d))) => {
            c == d && matches(tokens, text, i + 1, j + 1, memo)
        }
        (Some(Token::Lit(_)), None) | (None, Some(Piece::Char(_))) => false,
    };
    memo.known[at] = u8::from(result);
    result
}
