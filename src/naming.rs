//! How `.lam` names become CloudFormation logical IDs (CFN-08: `^[A-Za-z0-9]+$`).

use crate::model::Kind;

/// The word appended to a declaration's PascalCase name in its logical ID
/// (`UploadsBucket`, `ResizeFunction`).
pub fn kind_word(kind: Kind) -> &'static str {
    match kind {
        Kind::Queue => "Queue",
        Kind::Topic => "Topic",
        Kind::Bucket => "Bucket",
        Kind::Table => "Table",
        Kind::Stream => "Stream",
        Kind::Api => "Api",
        Kind::Bus => "Bus",
        Kind::Layer => "Layer",
        Kind::Capacity => "CapacityProvider",
        Kind::Auth => "Authorizer",
        Kind::Function => "Function",
        // Existing only: never a resource of the template, named for completeness.
        Kind::Secret => "Secret",
        Kind::Parameter => "Parameter",
        Kind::Key => "Key",
        Kind::Resource => "Resource",
        Kind::Cluster => "Cluster",
    }
}

/// `resize_image` → `ResizeImage`, `dead_letters` → `DeadLetters`, `api2` → `Api2`.
/// Underscores split words; the first letter of each word is upper-cased, the rest kept.
pub fn pascal_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for word in name.split('_').filter(|w| !w.is_empty()) {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            // Every declaration's logical ID is made at every check: names are nearly
            // always ASCII, and the rest of a word is copied whole.
            if first.is_ascii() {
                out.push(first.to_ascii_uppercase());
            } else {
                out.extend(first.to_uppercase());
            }
            out.push_str(chars.as_str());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::pascal_case;

    #[test]
    fn words_are_capitalised() {
        assert_eq!(pascal_case("resize_image"), "ResizeImage");
        assert_eq!(pascal_case("resizeImage"), "ResizeImage");
        assert_eq!(pascal_case("_x__y_"), "XY");
        assert_eq!(pascal_case("api2"), "Api2");
    }
}
