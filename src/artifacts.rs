//! Deterministic zips of local `code` folders, content-hashed.
