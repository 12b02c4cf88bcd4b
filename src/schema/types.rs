//! The shapes of the schema's data: blocks, attributes, types, enum words, merge rules.

use crate::model::Kind;

use super::limits::Bounds;

/// A block of attributes: a declaration's body, a nested block (`url { … }`), a trigger's
/// options.
pub struct Block {
    /// `function`, `function.url`, `queue`, `api.cors`, `on.sqs`, `alarm`, …
    pub id: &'static str,
    /// How the checker names the block's owner in messages ("a queue", "`url`").
    pub owner: &'static str,
    pub attrs: &'static [Attr],
}

impl Block {
    pub fn attr(&self, key: &str) -> Option<&'static Attr> {
        self.attrs.iter().find(|a| a.key == key)
    }

    pub fn keys(&self) -> impl Iterator<Item = &'static str> {
        self.attrs.iter().map(|a| a.key)
    }

    /// How the block reads in hover text: `on sqs`, `function url`.
    pub fn title(&self) -> String {
        match self.id.strip_prefix("on.") {
            Some(kind) => format!("on {kind}"),
            None => self.id.replace('.', " "),
        }
    }
}

/// One attribute of a block.
pub struct Attr {
    pub key: &'static str,
    pub ty: Ty,
    /// One line: what it means (hover, completion, the docs' tables).
    pub doc: &'static str,
    /// The numeric range the rules enforce, when there is one.
    pub bounds: Option<&'static Bounds>,
    /// What is checked, in the docs' words; `{range}` stands for [`Attr::bounds`].
    pub rule: &'static str,
    /// What applies when it is not written, in the language's spelling.
    pub default: Option<&'static str>,
    /// Whether it must be written: `Some("")` always, `Some(cond)` unless `cond`.
    pub required: Option<&'static str>,
    /// The kinds a reference written as its value must name.
    pub refs: &'static [Kind],
    /// How a function's templates and `defaults` pass it on.
    pub merge: Merge,
    /// Where the planner writes it on the block's resource, when it is lowered by its
    /// type alone (see [`Ty::lowers_by_itself`]): the property path, e.g.
    /// `["LoggingConfig", "LogFormat"]`. `None`: lowered by hand in `check/` and `plan/`
    /// (a simple type is still read into `Function::settings`, where the planner finds it).
    pub cfn: Option<&'static [&'static str]>,
}

impl Attr {
    pub const fn new(key: &'static str, ty: Ty, doc: &'static str) -> Attr {
        Attr {
            key,
            ty,
            doc,
            bounds: None,
            rule: "",
            default: None,
            required: None,
            refs: &[],
            merge: Merge::Own,
            cfn: None,
        }
    }

    /// Lowered by its type to the CloudFormation property at `path` (a word becomes its
    /// CloudFormation spelling, a size MB, a duration seconds; numbers, booleans and
    /// strings as they are).
    pub const fn cfn(self, path: &'static [&'static str]) -> Attr {
        Attr {
            cfn: Some(path),
            ..self
        }
    }

    pub const fn bounds(self, bounds: &'static Bounds) -> Attr {
        Attr {
            bounds: Some(bounds),
            ..self
        }
    }

    pub const fn rule(self, rule: &'static str) -> Attr {
        Attr { rule, ..self }
    }

    pub const fn default(self, default: &'static str) -> Attr {
        Attr {
            default: Some(default),
            ..self
        }
    }

    pub const fn required(self) -> Attr {
        Attr {
            required: Some(""),
            ..self
        }
    }

    pub const fn required_unless(self, cond: &'static str) -> Attr {
        Attr {
            required: Some(cond),
            ..self
        }
    }

    /// `required`, `required unless image or …`, or nothing.
    pub fn required_text(&self) -> Option<String> {
        match self.required? {
            "" => Some("required".into()),
            cond => Some(format!("required unless {cond}")),
        }
    }

    pub const fn refs(self, refs: &'static [Kind]) -> Attr {
        Attr { refs, ..self }
    }

    pub const fn merge(self, merge: Merge) -> Attr {
        Attr { merge, ..self }
    }

    /// The enum words it takes, when it takes words.
    pub fn words(&self) -> Option<&'static Words> {
        match self.ty {
            Ty::Word(w) | Ty::WordList(w) | Ty::KeyOf(w) => Some(w),
            _ => None,
        }
    }

    /// The rule as the docs write it (`128MB–10240MB (E0401), whole MB (E0303)`).
    pub fn rule_text(&self) -> String {
        self.rule_with(Bounds::text)
    }

    /// The rule as hover shows it: the range in the attribute's own unit
    /// (`1s to 900s`).
    pub fn allowed_text(&self) -> String {
        self.rule_with(Bounds::in_unit)
    }

    /// The rule with `{range}` written by `range`; the range and its fact alone when the
    /// attribute has no rule of its own. Empty when neither.
    fn rule_with(&self, range: fn(&Bounds) -> String) -> String {
        match (self.rule, self.bounds) {
            ("", Some(b)) => format!("{} ({})", range(b), b.fact),
            (rule, Some(b)) => rule.replace("{range}", &range(b)),
            (rule, None) => rule.to_string(),
        }
    }
}

/// What an attribute's value is, with its unit.
#[derive(Clone, Copy)]
pub enum Ty {
    Bool,
    Str,
    Strings,
    /// A plain whole number.
    Count,
    /// A size, in MB.
    Size,
    /// A duration, in seconds.
    Duration,
    /// A duration in whole days.
    Days,
    /// A duration in whole hours.
    Hours,
    /// One of the words.
    Word(&'static Words),
    /// A list of the words.
    WordList(&'static Words),
    /// A reference to a declaration of one of [`Attr::refs`].
    Ref,
    /// A list of references to [`Attr::refs`].
    Refs,
    /// `{ NAME = WORD }`: one attribute name and its type (a table's key).
    KeyOf(&'static Words),
    /// A nested block.
    Block(&'static Block),
    /// A shape of its own, as the docs write it.
    Other(&'static str),
}

impl Ty {
    /// Whether a value of this type is lowered to CloudFormation by the type alone (what
    /// [`Attr::cfn`] needs).
    pub fn lowers_by_itself(&self) -> bool {
        matches!(
            self,
            Ty::Bool | Ty::Str | Ty::Count | Ty::Size | Ty::Duration | Ty::Word(_)
        )
    }

    /// How the type reads in hover text and the docs.
    pub fn text(&self, attr: &Attr) -> String {
        let kinds = || {
            let names: Vec<&str> = attr.refs.iter().map(|k| k.as_str()).collect();
            names.join(" | ")
        };
        match self {
            Ty::Bool => "bool".into(),
            Ty::Str => "string".into(),
            Ty::Strings => "list of strings".into(),
            Ty::Count => "number".into(),
            Ty::Size => "size".into(),
            Ty::Duration | Ty::Hours => "duration".into(),
            Ty::Days => "duration in days".into(),
            Ty::Word(w) => w.joined(" | "),
            Ty::WordList(w) => format!("list of {}", w.joined(" | ")),
            Ty::KeyOf(w) => format!("{{ NAME = {} }}", w.joined(" | ")),
            Ty::Ref => format!("{} reference", kinds()),
            Ty::Refs => format!("list of {} references", kinds()),
            Ty::Block(b) => format!("block {{ {} }}", b.keys().collect::<Vec<_>>().join(", ")),
            Ty::Other(text) => (*text).into(),
        }
    }
}

/// One enum word: as lamc writes it, and as CloudFormation does.
#[derive(Debug, PartialEq, Eq)]
pub struct Word {
    pub word: &'static str,
    /// CloudFormation's spelling of it; empty where the word is not a CloudFormation value.
    pub cfn: &'static str,
}

/// The words one attribute takes.
pub struct Words(pub &'static [Word]);

impl Words {
    pub fn iter(&self) -> impl Iterator<Item = &'static str> {
        self.0.iter().map(|w| w.word)
    }

    pub fn joined(&self, sep: &str) -> String {
        self.iter().collect::<Vec<_>>().join(sep)
    }

    /// CloudFormation's spelling of `word`.
    pub fn cfn(&self, word: &str) -> Option<&'static str> {
        self.0.iter().find(|w| w.word == word).map(|w| w.cfn)
    }

    /// CloudFormation's spelling of `value`, through the value table `words!` made with
    /// these words (both lists are in the same order): the planner's one way from a model
    /// enum to its CloudFormation word.
    pub fn cfn_of<T: PartialEq>(&self, table: &[(&str, T)], value: &T) -> Option<&'static str> {
        self.0
            .iter()
            .zip(table)
            .find(|(_, (_, v))| v == value)
            .map(|(w, _)| w.cfn)
    }

    /// The word whose CloudFormation spelling is `cfn` (what an imported template says):
    /// the importer's one way back from CloudFormation to lamc's words.
    pub fn word_for(&self, cfn: &str) -> Option<&'static str> {
        let words: &'static [Word] = self.0;
        words
            .iter()
            .find(|w| !w.cfn.is_empty() && w.cfn == cfn)
            .map(|w| w.word)
    }

    /// The word of `value`, through the value table `words!` made with these words.
    pub fn word_of<T: PartialEq>(&self, table: &[(&'static str, T)], value: &T) -> &'static str {
        table
            .iter()
            .find(|(_, v)| v == value)
            .map_or("", |(w, _)| w)
    }

    /// The entry of `word`.
    pub fn get(&self, word: &str) -> Option<&'static Word> {
        let words: &'static [Word] = self.0;
        words.iter().find(|w| w.word == word)
    }

    /// Each word with itself, as the checker's tables pair a word with its value.
    pub fn table(&self) -> Vec<(&'static str, &'static Word)> {
        let words: &'static [Word] = self.0;
        words.iter().map(|w| (w.word, w)).collect()
    }
}

/// Enum words for one attribute, written once: the schema's [`Words`] (for editors and the
/// docs) and the checker's table from each word to its model value.
macro_rules! words {
    ($(#[$doc:meta])* $words:ident, $table:ident: $ty:ty {
        $($word:literal => $value:expr, $cfn:literal;)*
    }) => {
        $(#[$doc])*
        pub const $words: $crate::schema::Words =
            $crate::schema::Words(&[$($crate::schema::Word { word: $word, cfn: $cfn }),*]);
        $(#[$doc])*
        pub const $table: &[(&str, $ty)] = &[$(($word, $value)),*];
    };
}
pub(crate) use words;

/// How a function attribute set in several places (its own body, its templates, the
/// file's `defaults`, docs/language.md §6) combines.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Merge {
    /// Not a function attribute: each block has its own.
    Own,
    /// The first place that sets it wins.
    First,
    /// The first place with a non-empty list wins (the list is not concatenated).
    FirstList,
    /// Maps merge key by key, the more specific side winning.
    Keys,
    /// Every place's entries accumulate: the templates' first, then the function's own.
    Accumulate,
}
