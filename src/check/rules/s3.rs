//! S3 notifications: filters for the same bucket and event type must not overlap (S3-03),
//! and lamc can only attach notifications to a bucket it creates (S3-06, SAM-02).

use crate::diag::{Code, Diagnostic};
use crate::model::{DeployStr, ResRef, S3Event, TriggerKind, Value, S};
use crate::source::Span;

use super::lookup::Lookup;

/// One `on s3` trigger, flattened.
struct Notification<'a> {
    function: &'a str,
    bucket: &'a S<ResRef>,
    /// Full S3 event names (`s3:ObjectCreated:*`).
    events: Vec<String>,
    prefix: Filter<'a>,
    suffix: Filter<'a>,
    span: Span,
}

/// A key filter: absent (matches every key), or text that may be known only at deploy time.
#[derive(Clone, Copy)]
struct Filter<'a>(Option<&'a DeployStr>);

impl Filter<'_> {
    /// The whole text, when it is known now (an absent filter is empty).
    fn literal(&self) -> Option<&str> {
        self.0.map_or(Some(""), DeployStr::as_literal)
    }

    /// The literal text it certainly starts with (`ends == false`) or ends with.
    fn literal_end(&self, ends: bool) -> String {
        let Some(text) = self.0 else {
            return String::new();
        };
        fn literal(p: &Value) -> Option<&str> {
            match p {
                Value::Str(t) => Some(t),
                _ => None,
            }
        }
        if ends {
            let mut tail: Vec<&str> = text.parts().iter().rev().map_while(literal).collect();
            tail.reverse();
            tail.concat()
        } else {
            text.parts().iter().map_while(literal).collect()
        }
    }
}

/// Whether every key matching one filter's prefix (`ends == false`) or suffix certainly
/// can match the other's. A deploy-time part can be any text: two filters with one are
/// related only when they are the same, or when one is known text every value of the
/// other starts (or ends) with. What cannot be decided now is left to S3 at deploy time.
fn certainly_related(a: Filter, b: Filter, ends: bool) -> bool {
    let nests = |x: &str, y: &str| {
        if ends {
            x.ends_with(y) || y.ends_with(x)
        } else {
            x.starts_with(y) || y.starts_with(x)
        }
    };
    match (a.literal(), b.literal()) {
        (Some(x), Some(y)) => nests(x, y),
        _ if a.0 == b.0 => true,
        (Some(x), None) => nests_in(x, &b.literal_end(ends), ends),
        (None, Some(y)) => nests_in(y, &a.literal_end(ends), ends),
        (None, None) => false,
    }
}

/// Whether every text whose known end is `known` starts (or ends) with `whole`.
fn nests_in(whole: &str, known: &str, ends: bool) -> bool {
    if ends {
        known.ends_with(whole)
    } else {
        known.starts_with(whole)
    }
}

/// `s3:ObjectCreated:*` covers `s3:ObjectCreated:Put`; equal names overlap.
fn events_overlap(a: &str, b: &str) -> bool {
    let covers = |wide: &str, narrow: &str| {
        wide.strip_suffix('*')
            .is_some_and(|stem| narrow.starts_with(stem))
    };
    a == b || covers(a, b) || covers(b, a)
}

pub(crate) fn check(model: &Lookup, out: &mut Vec<Diagnostic>) {
    let all = notifications(model, out);
    for (j, later) in all.iter().enumerate() {
        let Some((earlier, event)) = first_overlap(&all[..j], later) else {
            continue;
        };
        out.push(
            Diagnostic::new(
                Code::E0422,
                later.span,
                format!(
                    "S3 notification overlaps another on bucket `{}`",
                    later.bucket.value.name
                ),
            )
            .label(format!("{event} with this prefix/suffix can match the same keys"))
            .secondary(
                earlier.span,
                format!("overlapping notification for function `{}`", earlier.function),
            )
            .help("give the triggers prefixes or suffixes that cannot both match one key (e.g. different folders), or use different event types"),
        );
    }
}

/// Every `on s3` trigger on a bucket this stack creates, in program order; E0421 for one
/// on an existing bucket.
fn notifications<'a>(model: &'a Lookup<'a>, out: &mut Vec<Diagnostic>) -> Vec<Notification<'a>> {
    let mut all: Vec<Notification> = Vec::new();
    for f in &model.functions {
        for t in &f.triggers {
            let TriggerKind::S3 {
                bucket,
                events,
                raw_events,
                prefix,
                suffix,
            } = &t.kind
            else {
                continue;
            };
            // S3-06 / SAM-02: the notification is written into the bucket resource.
            if let Some(r) = model.resource(&bucket.value).filter(|r| r.is_existing()) {
                out.push(
                    Diagnostic::new(
                        Code::E0421,
                        bucket.span,
                        format!("bucket `{}` is not created by this stack", r.name),
                    )
                    .label("S3 notifications are part of the bucket's own configuration")
                    .secondary(r.name_span, "declared with `from`")
                    .help("declare the bucket in this program, or have the bucket notify an SNS topic or queue that triggers the function"),
                );
                continue;
            }
            all.push(Notification {
                function: &f.name.value,
                bucket,
                events: event_names(events, raw_events),
                prefix: Filter(prefix.as_ref().map(|p| &p.value)),
                suffix: Filter(suffix.as_ref().map(|s| &s.value)),
                span: t.span,
            });
        }
    }
    all
}

/// The full S3 event names a trigger listens to.
fn event_names(events: &[S<S3Event>], raw_events: &[S<String>]) -> Vec<String> {
    let mut names: Vec<String> = events
        .iter()
        .filter_map(|e| e.value.aws_name())
        .map(str::to_string)
        .collect();
    names.extend(raw_events.iter().map(|e| e.value.clone()));
    if events.is_empty() && raw_events.is_empty() {
        // Default events = [created] (language decision 5).
        names.push("s3:ObjectCreated:*".to_string());
    }
    names
}

/// The first of `earlier` on the same bucket whose events and key filters can match what
/// `later` matches, with the event they share.
fn first_overlap<'n, 'a>(
    earlier: &'n [Notification<'a>],
    later: &'n Notification<'a>,
) -> Option<(&'n Notification<'a>, &'n String)> {
    earlier.iter().find_map(|earlier| {
        if earlier.bucket.value != later.bucket.value {
            return None;
        }
        let shared = later
            .events
            .iter()
            .find(|a| earlier.events.iter().any(|b| events_overlap(a, b)))?;
        (certainly_related(earlier.prefix, later.prefix, false)
            && certainly_related(earlier.suffix, later.suffix, true))
        .then_some((earlier, shared))
    })
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use super::*;
    use crate::model::{BucketSpec, Kind, Model, S3Event, Spec, Trigger};

    /// Whether a key can match both filters: the prefixes are prefixes of one another
    /// and the suffixes suffixes of one another (an absent filter is empty).
    fn filters_overlap(p1: &str, s1: &str, p2: &str, s2: &str) -> bool {
        let [p1, s1, p2, s2] = [p1, s1, p2, s2].map(DeployStr::literal);
        certainly_related(Filter(Some(&p1)), Filter(Some(&p2)), false)
            && certainly_related(Filter(Some(&s1)), Filter(Some(&s2)), true)
    }

    #[test]
    fn overlap_logic() {
        assert!(filters_overlap("", "", "images/", ".jpg"));
        assert!(filters_overlap("images/", "", "images/raw/", ".png"));
        assert!(!filters_overlap("images/", "", "docs/", ""));
        assert!(!filters_overlap("", ".jpg", "", ".png"));
        assert!(filters_overlap("", ".jpg", "", "x.jpg"));
        assert!(events_overlap("s3:ObjectCreated:*", "s3:ObjectCreated:Put"));
    }

    #[test]
    fn deploy_time_filters_overlap_only_when_certain() {
        let stage = DeployStr::from_value(Value::Param("stage".into())).expect("a string");
        let under = |text: &str| {
            DeployStr::from_value(Value::Concat(vec![
                Value::Str(text.into()),
                Value::Param("stage".into()),
            ]))
            .expect("a string")
        };
        let (images, docs) = (under("images/"), under("docs/"));
        let known = DeployStr::literal("images/");
        let f = |d| Filter(Some(d));
        // Absent matches every key; the same parameter is the same text.
        assert!(certainly_related(Filter(None), f(&stage), false));
        assert!(certainly_related(f(&stage), f(&stage), false));
        // `images/${stage}` always starts with `images/`, never with `docs/`.
        assert!(certainly_related(f(&known), f(&images), false));
        assert!(!certainly_related(f(&docs), f(&known), false));
        // Two parameters may or may not clash: S3 decides at deploy time.
        assert!(!certainly_related(f(&images), f(&docs), false));
        assert!(!certainly_related(f(&stage), f(&known), false));
        assert!(!events_overlap("s3:ObjectCreated:*", "s3:ObjectRemoved:*"));
    }

    fn s3(
        kit: &mut Kit,
        events: &[S3Event],
        prefix: Option<&str>,
        suffix: Option<&str>,
    ) -> Trigger {
        let bucket = kit.res_ref(Kind::Bucket, "b");
        let events = events.iter().map(|e| kit.s("created", *e)).collect();
        let prefix = prefix.map(|p| kit.text(p));
        let suffix = suffix.map(|s| kit.text(s));
        kit.trigger(TriggerKind::S3 {
            bucket,
            events,
            raw_events: vec![],
            prefix,
            suffix,
        })
    }

    #[test]
    fn overlapping_filters_across_functions() {
        let mut kit = Kit::new();
        let b = kit.resource(Kind::Bucket, "b", Spec::Bucket(BucketSpec::default()));
        let mut f = kit.function("f");
        let first = s3(&mut kit, &[S3Event::Created], Some("images/"), None);
        f.triggers = vec![first.clone()];
        let mut g = kit.function("g");
        let second = s3(&mut kit, &[], Some("images/thumbs/"), Some(".jpg"));
        // Different folder: no overlap.
        let third = s3(&mut kit, &[S3Event::Created], Some("docs/"), None);
        // Same prefix, other event: no overlap.
        let fourth = s3(&mut kit, &[S3Event::Removed], Some("images/"), None);
        g.triggers = vec![second.clone(), third, fourth];
        let m = Model {
            resources: vec![b],
            ..model(vec![f, g])
        };
        let d = one(&kit.run(&m), Code::E0422);
        assert_eq!(d.primary.span, second.span);
        assert_eq!(d.secondary[0].span, first.span);
    }
}
