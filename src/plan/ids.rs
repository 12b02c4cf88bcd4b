//! Logical IDs: readable (`ResizeFunction`), stable (derived from names only, never from
//! counters over unrelated things), unique, ≤255 chars of `[A-Za-z0-9]` (CFN-08).

use super::FastSet;

/// CFN-08: logical IDs are at most 255 characters.
const MAX_LEN: usize = crate::schema::limits::MAX_LOGICAL_ID;

/// Hands out logical IDs; parameters and resources share one namespace (both are `Ref`
/// targets), so one allocator serves both.
#[derive(Debug, Default)]
pub struct Ids {
    used: FastSet<String>,
}

impl Ids {
    /// `["resize", "Uploads", "S3Permission"]` → `ResizeUploadsS3Permission`. A taken ID gets
    /// the first free numeric suffix (`…2`, `…3`), so the result depends only on the order
    /// of declarations, which is stable.
    pub fn alloc(&mut self, parts: &[&str]) -> String {
        let base = Self::base(parts);
        let id = if self.used.contains(&base) {
            (2u64..)
                .map(|n| {
                    let suffix = n.to_string();
                    let keep = MAX_LEN.saturating_sub(suffix.len()).min(base.len());
                    format!("{}{suffix}", &base[..keep])
                })
                .find(|c| !self.used.contains(c))
                .unwrap_or_default()
        } else {
            base
        };
        self.used.insert(id.clone());
        id
    }

    /// Reserve an exact ID (e.g. `ArtifactsBucket`) so that nothing else takes it.
    pub fn reserve(&mut self, id: &str) {
        self.used.insert(id.to_string());
    }

    pub fn is_used(&self, id: &str) -> bool {
        self.used.contains(id)
    }

    fn base(parts: &[&str]) -> String {
        // `pascal_case` of each part, keeping ASCII letters and digits only, written into
        // one string (a 10,000-function app allocates some 100,000 IDs).
        let mut s = String::with_capacity(parts.iter().map(|p| p.len()).sum());
        for part in parts {
            for word in part.split('_').filter(|w| !w.is_empty()) {
                let mut chars = word.chars();
                if let Some(first) = chars.next() {
                    s.extend(first.to_uppercase().filter(char::is_ascii_alphanumeric));
                    s.extend(chars.filter(char::is_ascii_alphanumeric));
                }
            }
        }
        if s.is_empty() {
            s.push_str("Resource");
        }
        // ASCII only from here, so byte truncation is char-safe.
        s.truncate(MAX_LEN);
        s
    }
}

#[cfg(test)]
mod tests {
    use super::Ids;

    #[test]
    fn ids_are_pascal_case_and_unique() {
        let mut ids = Ids::default();
        assert_eq!(ids.alloc(&["resize", "Function"]), "ResizeFunction");
        assert_eq!(ids.alloc(&["resize", "Function"]), "ResizeFunction2");
        assert_eq!(ids.alloc(&["dead_letters", "Queue"]), "DeadLettersQueue");
        assert_eq!(ids.alloc(&["a-b.c", "X"]), "AbcX");
        assert_eq!(ids.alloc(&["", ""]), "Resource");
    }

    #[test]
    fn long_ids_are_cut_to_255() {
        let mut ids = Ids::default();
        let long = "a".repeat(400);
        let first = ids.alloc(&[&long]);
        let second = ids.alloc(&[&long]);
        assert_eq!(first.len(), 255);
        assert_eq!(second.len(), 255);
        assert!(second.ends_with('2'));
        assert_ne!(first, second);
    }
}

#[cfg(test)]
mod base_tests {
    use super::Ids;
    use crate::naming::pascal_case;

    /// `base` is `pascal_case` of the parts, ASCII letters and digits only.
    #[test]
    fn base_is_the_filtered_pascal_case_of_the_parts() {
        let cases: &[&[&str]] = &[
            &["resize", "Function"],
            &["dead_letters", "Queue"],
            &["a-b.c", "X"],
            &["-x_y", "émoji_ß", "__"],
            &["api2", "Route", "GET /users/{id}"],
        ];
        for parts in cases {
            let expected: String = parts
                .iter()
                .map(|p| pascal_case(p))
                .collect::<String>()
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .collect();
            assert_eq!(Ids::base(parts), expected, "{parts:?}");
        }
    }
}
