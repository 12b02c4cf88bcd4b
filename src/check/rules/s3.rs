//! S3 notifications: filters for the same bucket and event type must not overlap (S3-03),
//! and lamc can only attach notifications to a bucket it creates (S3-06, SAM-02).

use crate::diag::{Code, Diagnostic};
use crate::model::{ResRef, TriggerKind, S};
use crate::source::Span;

use super::lookup::Lookup;

/// One `on s3` trigger, flattened.
struct Notification<'a> {
    function: &'a str,
    bucket: &'a S<ResRef>,
    /// Full S3 event names (`s3:ObjectCreated:*`).
    events: Vec<String>,
    prefix: &'a str,
    suffix: &'a str,
    span: Span,
}

/// `s3:ObjectCreated:*` covers `s3:ObjectCreated:Put`; equal names overlap.
fn events_overlap(a: &str, b: &str) -> bool {
    let covers = |wide: &str, narrow: &str| {
        wide.strip_suffix('*')
            .is_some_and(|stem| narrow.starts_with(stem))
    };
    a == b || covers(a, b) || covers(b, a)
}

/// Two filters overlap when some key can match both: the prefixes are prefixes of one
/// another and the suffixes are suffixes of one another (an absent filter is empty).
pub(crate) fn filters_overlap(p1: &str, s1: &str, p2: &str, s2: &str) -> bool {
    (p1.starts_with(p2) || p2.starts_with(p1)) && (s1.ends_with(s2) || s2.ends_with(s1))
}

pub(crate) fn check(model: &Lookup, out: &mut Vec<Diagnostic>) {
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
            all.push(Notification {
                function: &f.name.value,
                bucket,
                events: names,
                prefix: prefix.as_ref().map_or("", |p| p.value.as_str()),
                suffix: suffix.as_ref().map_or("", |s| s.value.as_str()),
                span: t.span,
            });
        }
    }
    for (j, later) in all.iter().enumerate() {
        let clash = all[..j].iter().find_map(|earlier| {
            if earlier.bucket.value != later.bucket.value {
                return None;
            }
            let shared = later
                .events
                .iter()
                .find(|a| earlier.events.iter().any(|b| events_overlap(a, b)))?;
            filters_overlap(earlier.prefix, earlier.suffix, later.prefix, later.suffix)
                .then_some((earlier, shared))
        });
        let Some((earlier, event)) = clash else {
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

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use super::*;
    use crate::model::{BucketSpec, Kind, Model, S3Event, Spec, Trigger};

    #[test]
    fn overlap_logic() {
        assert!(filters_overlap("", "", "images/", ".jpg"));
        assert!(filters_overlap("images/", "", "images/raw/", ".png"));
        assert!(!filters_overlap("images/", "", "docs/", ""));
        assert!(!filters_overlap("", ".jpg", "", ".png"));
        assert!(filters_overlap("", ".jpg", "", "x.jpg"));
        assert!(events_overlap("s3:ObjectCreated:*", "s3:ObjectCreated:Put"));
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
        let prefix = prefix.map(|p| kit.str(p));
        let suffix = suffix.map(|s| kit.str(s));
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
