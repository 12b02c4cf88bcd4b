//! Placing units when their earlier placement is known (the placement file, or the deployed
//! stacks): a unit keeps its stack for as long as it exists, new units go to children with
//! room, and a child is opened only for units that fit nowhere else.
//!
//! A unit whose functions were in different stacks (functions that now refer to each other)
//! goes where most of them were. A child over a limit gives up its largest units first
//! (fewest moves for the room freed); they are placed like new units. These are the only
//! moves, and each is reported with its reason.

use std::collections::{BTreeMap, BTreeSet};

use super::assign::{child_of, FILL_RESOURCES};
use super::placement::Home;
use crate::plan::limits::MAX_RESOURCES;

/// One unit to place.
pub struct Unit<'a> {
    pub key: &'a str,
    pub members: &'a BTreeSet<String>,
    /// Its resources.
    pub size: usize,
}

/// A limit found on an earlier attempt: the child must hold at most `resources`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cap {
    pub resources: usize,
    /// Which limit it was over, as a clause for the moves it causes.
    pub why: String,
}

/// Where each unit goes (by position in the input), and why units that changed stack did.
pub struct Assignment {
    pub homes: Vec<Home>,
    /// Unit position → why it left its stack (a child over a limit, a full root).
    pub evicted: BTreeMap<usize, String>,
}

/// Where most of the unit's functions were (ties: the first stack in order); `None` for a
/// unit none of whose functions was placed before.
fn vote(members: &BTreeSet<String>, prev: &BTreeMap<String, Home>) -> Option<Home> {
    let mut votes: BTreeMap<Home, usize> = BTreeMap::new();
    for m in members {
        if let Some(h) = prev.get(m) {
            *votes.entry(*h).or_default() += 1;
        }
    }
    let most = votes.values().copied().max()?;
    votes.into_iter().find(|(_, n)| *n == most).map(|(h, _)| h)
}

/// Place `units` (sorted by key). `caps` are limits earlier attempts found; with
/// `keep_root` a unit that was in the root stays there.
pub fn assign(
    units: &[Unit],
    prev: &BTreeMap<String, Home>,
    caps: &BTreeMap<u32, Cap>,
    keep_root: bool,
) -> Assignment {
    let mut draft = Draft::keep_previous(units, prev, keep_root);
    draft.evict_over_caps(units, caps);
    draft.place_the_rest(units, caps);
    Assignment {
        homes: draft
            .homes
            .into_iter()
            .map(|h| h.unwrap_or(Home::Root))
            .collect(),
        evicted: draft.evicted,
    }
}

/// The most resources child `c` may hold.
fn cap_of(caps: &BTreeMap<u32, Cap>, c: u32) -> usize {
    caps.get(&c).map_or(MAX_RESOURCES, |k| k.resources)
}

/// An assignment under way: the units placed so far, how full each child is, and why
/// units were turned out.
struct Draft {
    homes: Vec<Option<Home>>,
    fill: BTreeMap<u32, usize>,
    evicted: BTreeMap<usize, String>,
}

impl Draft {
    /// Each unit where most of its functions were, but out of the root unless `keep_root`.
    fn keep_previous(units: &[Unit], prev: &BTreeMap<String, Home>, keep_root: bool) -> Self {
        let mut draft = Draft {
            homes: vec![None; units.len()],
            fill: BTreeMap::new(),
            evicted: BTreeMap::new(),
        };
        for (i, u) in units.iter().enumerate() {
            match vote(u.members, prev) {
                Some(Home::Child(c)) => {
                    draft.homes[i] = Some(Home::Child(c));
                    *draft.fill.entry(c).or_default() += u.size;
                }
                Some(Home::Root) if keep_root => draft.homes[i] = Some(Home::Root),
                Some(Home::Root) => {
                    draft.evicted.insert(
                        i,
                        "the root stack is over CloudFormation's limits".to_string(),
                    );
                }
                None => {}
            }
        }
        draft
    }

    /// Children over their limit give up their largest units until they fit.
    fn evict_over_caps(&mut self, units: &[Unit], caps: &BTreeMap<u32, Cap>) {
        for (&c, total) in self.fill.iter_mut() {
            if *total <= cap_of(caps, c) {
                continue;
            }
            let why = caps.get(&c).map(|k| k.why.clone()).unwrap_or_else(|| {
                format!(
                    "{} would hold {total} resources; cloudformation allows {}",
                    Home::Child(c),
                    cap_of(caps, c)
                )
            });
            let mut here: Vec<usize> = (0..units.len())
                .filter(|&i| self.homes[i] == Some(Home::Child(c)))
                .collect();
            here.sort_by(|&a, &b| units[b].size.cmp(&units[a].size).then(a.cmp(&b)));
            for i in here {
                if *total <= cap_of(caps, c) {
                    break;
                }
                self.homes[i] = None;
                *total -= units[i].size;
                self.evicted.insert(i, why.clone());
            }
        }
    }

    /// Everything without a stack goes where there is room: its hashed child if that one
    /// has room, else the emptiest, else a new child.
    fn place_the_rest(&mut self, units: &[Unit], caps: &BTreeMap<u32, Cap>) {
        let slots = self.fill.keys().next_back().map_or(0, |c| c + 1);
        let room = |c: u32| FILL_RESOURCES.min(cap_of(caps, c));
        for (i, u) in units.iter().enumerate() {
            if self.homes[i].is_some() {
                continue;
            }
            let fits = |c: u32, fill: &BTreeMap<u32, usize>| {
                fill.get(&c).is_some_and(|f| f + u.size <= room(c))
            };
            let fill = &self.fill;
            let hashed = (slots > 0).then(|| child_of(u.key, slots));
            let chosen = hashed.filter(|&h| fits(h, fill)).or_else(|| {
                fill.iter()
                    .filter(|(&c, _)| fits(c, fill))
                    .min_by_key(|(&c, &f)| (f, c))
                    .map(|(&c, _)| c)
            });
            let c = chosen.unwrap_or_else(|| (0..).find(|c| !fill.contains_key(c)).unwrap_or(0));
            *self.fill.entry(c).or_default() += u.size;
            self.homes[i] = Some(Home::Child(c));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(names: &[&str]) -> BTreeSet<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    fn prev(entries: &[(&str, Home)]) -> BTreeMap<String, Home> {
        entries.iter().map(|(f, h)| (f.to_string(), *h)).collect()
    }

    /// One single-function unit per key, of the given sizes.
    fn units<'a>(
        keys: &[&'a str],
        members: &'a [BTreeSet<String>],
        sizes: &[usize],
    ) -> Vec<Unit<'a>> {
        keys.iter()
            .zip(members)
            .zip(sizes)
            .map(|((key, members), &size)| Unit { key, members, size })
            .collect()
    }

    fn singletons(keys: &[&str]) -> Vec<BTreeSet<String>> {
        keys.iter().map(|n| set(&[n])).collect()
    }

    #[test]
    fn placed_units_stay_and_new_ones_go_where_there_is_room() {
        let keys = ["a", "b", "c", "d"];
        let m = singletons(&keys);
        let units = units(&keys, &m, &[120, 120, 100, 100]);
        // Child 0 holds 240 resources: with 100 more it would pass the fill line.
        let p = prev(&[
            ("a", Home::Child(0)),
            ("b", Home::Child(0)),
            ("c", Home::Child(3)),
        ]);
        let out = assign(&units, &p, &BTreeMap::new(), true);
        assert_eq!(
            &out.homes[..3],
            &[Home::Child(0), Home::Child(0), Home::Child(3)]
        );
        assert_eq!(out.homes[3], Home::Child(3), "the only child with room");
        assert!(out.evicted.is_empty());
    }

    #[test]
    fn a_new_child_takes_only_new_units() {
        let keys = ["a", "b", "c"];
        let m = singletons(&keys);
        let units = units(&keys, &m, &[250, 250, 250]);
        let p = prev(&[("a", Home::Child(1))]);
        let out = assign(&units, &p, &BTreeMap::new(), true);
        assert_eq!(
            out.homes,
            vec![Home::Child(1), Home::Child(0), Home::Child(2)]
        );
    }

    #[test]
    fn a_child_over_its_cap_gives_up_its_largest_units() {
        let keys = ["a", "b", "c"];
        let m = singletons(&keys);
        let units = units(&keys, &m, &[100, 300, 150]);
        let p = prev(&[
            ("a", Home::Child(0)),
            ("b", Home::Child(0)),
            ("c", Home::Child(0)),
        ]);
        let out = assign(&units, &p, &BTreeMap::new(), true);
        assert_eq!(out.homes[0], Home::Child(0));
        assert_eq!(out.homes[2], Home::Child(0));
        assert_eq!(out.homes[1], Home::Child(1));
        assert_eq!(
            out.evicted.get(&1).map(String::as_str),
            Some("NestedStack1 would hold 550 resources; cloudformation allows 500")
        );
    }

    #[test]
    fn a_unit_goes_where_most_of_its_functions_were() {
        let members = set(&["a", "b", "c"]);
        let units = [Unit {
            key: "a",
            members: &members,
            size: 10,
        }];
        let p = prev(&[
            ("a", Home::Child(4)),
            ("b", Home::Child(2)),
            ("c", Home::Child(2)),
        ]);
        let out = assign(&units, &p, &BTreeMap::new(), true);
        assert_eq!(out.homes, vec![Home::Child(2)]);
    }

    #[test]
    fn the_root_keeps_its_units_unless_told_otherwise() {
        let members = set(&["a"]);
        let other = set(&["b"]);
        let units = [
            Unit {
                key: "a",
                members: &members,
                size: 10,
            },
            Unit {
                key: "b",
                members: &other,
                size: 10,
            },
        ];
        let p = prev(&[("a", Home::Root), ("b", Home::Child(0))]);
        assert_eq!(
            assign(&units, &p, &BTreeMap::new(), true).homes,
            vec![Home::Root, Home::Child(0)]
        );
        let out = assign(&units, &p, &BTreeMap::new(), false);
        assert_eq!(out.homes, vec![Home::Child(0), Home::Child(0)]);
        assert!(out.evicted.contains_key(&0));
    }
}
