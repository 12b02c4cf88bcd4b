//! The schema's own consistency: ids and keys are unique, every function attribute says
//! how it is inherited, references name kinds, words are distinct.

use std::collections::BTreeSet;

use super::*;
use crate::syntax::ast::Unit;

#[test]
fn block_ids_and_keys_are_unique() {
    let mut ids = BTreeSet::new();
    for b in blocks() {
        assert!(ids.insert(b.id), "block {} twice", b.id);
        let mut keys = BTreeSet::new();
        for a in b.attrs {
            assert!(keys.insert(a.key), "{}.{} twice", b.id, a.key);
            assert!(!a.doc.is_empty(), "{}.{} has no doc", b.id, a.key);
        }
    }
}

#[test]
fn function_attributes_say_how_templates_pass_them_on() {
    for a in FUNCTION.attrs {
        assert_ne!(a.merge, Merge::Own, "function.{} has no merge rule", a.key);
    }
    for b in blocks().filter(|b| b.id != "function") {
        for a in b.attrs {
            assert_eq!(
                a.merge,
                Merge::Own,
                "{}.{} is not a function attribute",
                b.id,
                a.key
            );
        }
    }
}

#[test]
fn references_name_kinds_and_ranges_are_ranges() {
    for b in blocks() {
        for a in b.attrs {
            // A reference, or a shape that names one among words (`iam | none | auth.NAME`).
            let names_refs = match a.ty {
                Ty::Other(text) => {
                    !a.refs.is_empty()
                        && a.refs
                            .iter()
                            .all(|k| text.contains(&format!("{}.NAME", k.as_str())))
                }
                _ => false,
            };
            let is_ref = matches!(a.ty, Ty::Ref | Ty::Refs) || names_refs;
            assert_eq!(is_ref, !a.refs.is_empty(), "{}.{}", b.id, a.key);
            if let Some(bounds) = a.bounds {
                assert!(bounds.lo <= bounds.hi, "{}.{}", b.id, a.key);
                assert!(!bounds.fact.is_empty(), "{}.{}", b.id, a.key);
            }
            if a.rule.contains("{range}") {
                assert!(a.bounds.is_some(), "{}.{} has no range", b.id, a.key);
            }
        }
    }
}

#[test]
fn words_are_distinct() {
    for b in blocks() {
        for words in b.attrs.iter().filter_map(|a| a.words()) {
            let all: Vec<&str> = words.iter().collect();
            let set: BTreeSet<&str> = all.iter().copied().collect();
            assert_eq!(all.len(), set.len(), "{}: {all:?}", b.id);
        }
    }
}

#[test]
fn every_resource_and_trigger_is_found_by_its_word() {
    for r in RESOURCES {
        assert_eq!(block(r.kind.as_str()).map(|b| b.id), Some(r.kind.as_str()));
    }
    for t in TRIGGERS {
        assert_eq!(trigger(t.kind).map(|t| t.block.id), Some(t.block.id));
        assert!(t.example.starts_with(&format!("on {} ", t.kind)));
    }
}

#[test]
fn units_read_and_write_through_the_schema() {
    for (word, unit) in UNITS {
        assert_eq!(Unit::parse(word), Some(*unit));
        assert_eq!(unit.as_str(), *word);
    }
    assert_eq!(Unit::parse("Mb"), None);
}

#[test]
fn ranges_read_as_the_docs_write_them() {
    assert_eq!(limits::QUEUE_VISIBILITY_S.text(), "0s–12h");
    assert_eq!(limits::TIMEOUT_S.in_unit(), "1s to 900s");
    assert_eq!(limits::BUCKET_EXPIRE_DAYS.text(), "at least 1d");
    let memory = FUNCTION.attr("memory").expect("memory");
    assert_eq!(
        memory.rule_text(),
        "128MB–10240MB (E0401), whole MB (E0303)"
    );
    let retries = ASYNC.attr("retries").expect("retries");
    assert_eq!(retries.rule_text(), "0–2 (AI-02)");
}

/// An attribute lowered by its type alone has a type that says how (a word's
/// CloudFormation spelling, a number in CloudFormation's unit, …), a non-empty path, and
/// for a word, a CloudFormation spelling of every word. Only the function and its
/// `logging` and `capacity` blocks are lowered so today: the planner writes them on the
/// function.
#[test]
fn declarative_lowerings_are_complete() {
    for b in blocks() {
        for a in b.attrs {
            let Some(path) = a.cfn else { continue };
            assert!(
                ["function", "function.logging", "function.capacity"].contains(&b.id),
                "{}.{}: only functions lower so",
                b.id,
                a.key
            );
            assert!(!path.is_empty(), "function.{}: empty path", a.key);
            assert!(
                a.ty.lowers_by_itself(),
                "function.{}: type not lowerable",
                a.key
            );
            if let Some(words) = a.words() {
                assert!(
                    words.0.iter().all(|w| !w.cfn.is_empty()),
                    "function.{}",
                    a.key
                );
            }
        }
    }
}

/// The planner writes model enums through `Words::cfn_of`: each value of these tables
/// has its word's CloudFormation spelling (the two lists `words!` makes are in step).
#[test]
fn model_values_find_their_cloudformation_words() {
    use crate::model::{Architecture, MissingData, Stat};
    use crate::syntax::ast::CmpOp;
    assert_eq!(architecture_cfn(Architecture::X86_64), "x86_64");
    assert_eq!(architecture_cfn(Architecture::Arm64), "arm64");
    let op = COMPARISON.cfn_of(COMPARISONS, &CmpOp::Ge);
    assert_eq!(op, Some("GreaterThanOrEqualToThreshold"));
    let missing = MISSING_DATA.cfn_of(MISSING_DATA_VALUES, &MissingData::NotBreaching);
    assert_eq!(missing, Some("notBreaching"));
    assert_eq!(STATISTIC.cfn_of(STATISTICS, &Stat::Avg), Some("Average"));
    assert_eq!(
        STATISTIC.cfn_of(STATISTICS, &Stat::Percentile("p99".into())),
        None
    );
    for (words, len) in [
        (&ARCHITECTURE, ARCHITECTURES.len()),
        (&COMPARISON, COMPARISONS.len()),
        (&MISSING_DATA, MISSING_DATA_VALUES.len()),
        (&STATISTIC, STATISTICS.len()),
    ] {
        assert_eq!(words.0.len(), len);
    }
}
