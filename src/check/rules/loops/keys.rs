//! Which object keys a bucket trigger or a write covers, and whether two such ranges
//! share a key: S3 filters a notification by a key prefix and suffix (S3-01, S3-03).

use crate::model::{DeployStr, S};

/// The keys a trigger listens to or a write may touch. `None` leaves that end open.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Keys {
    pub prefix: Option<String>,
    pub suffix: Option<String>,
}

impl Keys {
    /// Every key of the bucket.
    pub fn all() -> Self {
        Keys::default()
    }

    /// A trigger's filter. A deploy-time prefix is known up to its first parameter; a
    /// suffix only when it ends in literal text (that much of it is certain).
    pub fn of_filter(prefix: Option<&S<DeployStr>>, suffix: Option<&S<DeployStr>>) -> Self {
        let prefix = prefix
            .map(|p| p.value.known_prefix().0)
            .filter(|p| !p.is_empty());
        let suffix = suffix.and_then(|s| literal_tail(&s.value));
        Keys { prefix, suffix }
    }

    /// Whether some key lies in both ranges: each end must agree (one prefix starts the
    /// other, one suffix ends the other); the key `PREFIX + SUFFIX` is then in both.
    pub fn overlaps(&self, other: &Keys) -> bool {
        let agree = |a: &Option<String>, b: &Option<String>, f: fn(&str, &str) -> bool| match (a, b)
        {
            (Some(a), Some(b)) => f(a, b) || f(b, a),
            _ => true,
        };
        agree(&self.prefix, &other.prefix, |a, b| a.starts_with(b))
            && agree(&self.suffix, &other.suffix, |a, b| a.ends_with(b))
    }

    /// How the range is written in a label: `keys "in/"…".jpg"`.
    pub fn describe(&self) -> Option<String> {
        match (&self.prefix, &self.suffix) {
            (None, None) => None,
            (Some(p), None) => Some(format!("keys starting \"{p}\"")),
            (None, Some(s)) => Some(format!("keys ending \"{s}\"")),
            (Some(p), Some(s)) => Some(format!("keys starting \"{p}\" and ending \"{s}\"")),
        }
    }
}

/// The literal text a string certainly ends with.
fn literal_tail(s: &DeployStr) -> Option<String> {
    match s.parts().last() {
        Some(crate::model::Value::Str(t)) if !t.is_empty() => Some(t.clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(prefix: Option<&str>, suffix: Option<&str>) -> Keys {
        Keys {
            prefix: prefix.map(str::to_string),
            suffix: suffix.map(str::to_string),
        }
    }

    #[test]
    fn disjoint_prefixes_share_no_key() {
        assert!(!keys(Some("in/"), None).overlaps(&keys(Some("out/"), None)));
        assert!(!keys(Some("in/"), Some(".jpg")).overlaps(&keys(Some("out/"), Some(".jpg"))));
    }

    #[test]
    fn nested_prefixes_and_open_ends_overlap() {
        assert!(keys(Some("img/"), None).overlaps(&keys(Some("img/thumbs/"), None)));
        assert!(keys(Some("img/"), None).overlaps(&Keys::all()));
        assert!(Keys::all().overlaps(&Keys::all()));
        assert!(keys(None, Some(".jpg")).overlaps(&keys(Some("a/"), None)));
    }

    #[test]
    fn suffixes_decide_too() {
        assert!(!keys(None, Some(".jpg")).overlaps(&keys(None, Some(".png"))));
        assert!(keys(None, Some(".thumb.jpg")).overlaps(&keys(None, Some(".jpg"))));
    }

    #[test]
    fn deploy_time_filters_keep_their_known_text() {
        let span = crate::source::Span::new(crate::source::FileId(0), 0, 0);
        let prefix = S::new(
            DeployStr::from_value(crate::model::Value::Concat(vec![
                crate::model::Value::Str("in/".into()),
                crate::model::Value::Param("stage".into()),
            ]))
            .unwrap_or_else(|| DeployStr::literal("")),
            span,
        );
        let k = Keys::of_filter(Some(&prefix), None);
        assert_eq!(k.prefix.as_deref(), Some("in/"));
        assert!(!k.overlaps(&keys(Some("out/"), None)));
        let unknown = S::new(
            DeployStr::from_value(crate::model::Value::Param("p".into()))
                .unwrap_or_else(|| DeployStr::literal("")),
            span,
        );
        assert_eq!(Keys::of_filter(Some(&unknown), Some(&unknown)), Keys::all());
    }
}
