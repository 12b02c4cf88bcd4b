//! Which child stack a unit goes to: a stable hash of the unit's name, mapped onto the
//! number of children with jump consistent hashing (Lamping & Veach, 2014).
//!
//! Why this and not "fill children in declaration order": a function inserted in the
//! middle of the file would shift every function after it into another child, and every
//! one of those children would be replaced. With a hash of the name, a function's child
//! depends only on its own name and on the number of children, so adding or removing a
//! function changes exactly the one child it lands in (and the root, which names the
//! child's new template).
//!
//! The number of children grows with the app (one per [`TARGET_RESOURCES`] resources,
//! well under the 500 allowed so that hashing's unevenness and later growth fit). When
//! it grows from n to n + 1, jump hashing moves only the units that now land in the new
//! child — about 1/(n+1) of them — and never moves a unit between two existing children.

use sha2::{Digest, Sha256};

/// Average resources per child the count is derived from: 40% of CFN-01's 500, so that a
/// child holding twice the average still fits.
pub const TARGET_RESOURCES: usize = 200;

/// How far new units fill a child that is already deployed (the placement is remembered):
/// 60% of CFN-01's 500, so that the units already there can grow by two thirds before
/// their child is over a limit and one of them must move.
pub const FILL_RESOURCES: usize = 300;

/// How many children `total` resources (those leaving the root) start with.
pub fn initial_children(total: usize) -> u32 {
    let n = total.div_ceil(TARGET_RESOURCES).max(1);
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The child (0-based) of the unit named `key` among `children`.
pub fn child_of(key: &str, children: u32) -> u32 {
    let digest = Sha256::digest(key.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    jump(u64::from_be_bytes(first), children.max(1))
}

/// Jump consistent hash: a bucket in `0..buckets` such that growing `buckets` by one moves
/// a key only into the new bucket.
fn jump(mut key: u64, buckets: u32) -> u32 {
    let mut b: i64 = -1;
    let mut j: i64 = 0;
    while j < i64::from(buckets) {
        b = j;
        key = key.wrapping_mul(2_862_933_555_777_941_757).wrapping_add(1);
        let r = ((key >> 33) + 1) as f64;
        j = ((b + 1) as f64 * ((1u64 << 31) as f64 / r)) as i64;
    }
    u32::try_from(b.max(0)).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn growing_moves_keys_only_into_the_new_child() {
        let keys: Vec<String> = (0..2000).map(|i| format!("worker_{i}")).collect();
        for n in 1..40u32 {
            let mut moved = 0;
            for k in &keys {
                let before = child_of(k, n);
                let after = child_of(k, n + 1);
                assert!(before < n && after <= n);
                if before != after {
                    assert_eq!(after, n, "{k} moved between existing children");
                    moved += 1;
                }
            }
            // About 1/(n+1) of the keys move; allow generous slack.
            assert!(
                moved <= 2 * keys.len() / (n as usize + 1) + 20,
                "{n}: {moved}"
            );
        }
    }

    #[test]
    fn children_are_roughly_even() {
        let mut counts = [0usize; 10];
        for i in 0..5000 {
            counts[child_of(&format!("f{i}"), 10) as usize] += 1;
        }
        assert!(
            counts.iter().all(|&c| (350..=650).contains(&c)),
            "{counts:?}"
        );
        assert_eq!(initial_children(0), 1);
        assert_eq!(initial_children(200), 1);
        assert_eq!(initial_children(201), 2);
    }
}
