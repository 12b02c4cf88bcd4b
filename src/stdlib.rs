//! The standard library: `.lam` modules embedded in the binary, imported with `use std.NAME`.

/// `(module name, source)` for every stdlib module.
pub const MODULES: &[(&str, &str)] = &[
    ("alarms", include_str!("../stdlib/alarms.lam")),
    ("python", include_str!("../stdlib/python.lam")),
    ("node", include_str!("../stdlib/node.lam")),
    ("java", include_str!("../stdlib/java.lam")),
    ("ruby", include_str!("../stdlib/ruby.lam")),
    ("provided", include_str!("../stdlib/provided.lam")),
];

/// The source of `std.NAME`.
pub fn module(name: &str) -> Option<&'static str> {
    MODULES.iter().find(|(n, _)| *n == name).map(|(_, s)| *s)
}

/// Names of all modules, for "did you mean" and completion.
pub fn names() -> impl Iterator<Item = &'static str> {
    MODULES.iter().map(|(n, _)| *n)
}

/// The module that declares template `name` (`standard_alarms` → `alarms`).
pub fn declaring_template(name: &str) -> Option<&'static str> {
    MODULES
        .iter()
        .find(|(_, source)| {
            source.lines().any(|l| {
                l.strip_prefix("template ").and_then(|rest| {
                    rest.split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
                        .next()
                }) == Some(name)
            })
        })
        .map(|(module, _)| *module)
}
