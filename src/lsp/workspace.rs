//! The project root of an open document, which its `use` and `code` paths must stay
//! inside: the workspace folder that holds it (the client's `workspaceFolders`, else its
//! `rootUri`), else the document's own folder (the driver's default, as for `lamc check`).
//! `lamc lsp --root DIR` overrides both.

use std::path::PathBuf;

use lsp_types::Uri;
use serde_json::Value;

use super::convert::uri_to_path;
use crate::driver::CheckOptions;

/// The workspace folders of the `initialize` parameters, as real paths.
pub fn folders(init: &Value) -> Vec<PathBuf> {
    let listed = init["workspaceFolders"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["uri"].as_str());
    let uris: Vec<&str> = match init["rootUri"].as_str() {
        _ if init["workspaceFolders"].is_array() => listed.collect(),
        Some(root) => vec![root],
        None => Vec::new(),
    };
    uris.into_iter()
        .filter_map(|u| u.parse::<Uri>().ok())
        .filter_map(|u| uri_to_path(&u))
        .filter_map(|p| std::fs::canonicalize(p).ok())
        .collect()
}

/// The options to check `uri` with: `base` with its root set to the innermost workspace
/// folder holding the document, unless `base` names one already.
pub fn options_for(base: &CheckOptions, folders: &[PathBuf], uri: &Uri) -> CheckOptions {
    let mut opts = base.clone();
    if opts.root.is_some() {
        return opts;
    }
    let Some(path) = uri_to_path(uri) else {
        return opts;
    };
    let real = std::fs::canonicalize(&path).unwrap_or(path);
    opts.root = folders
        .iter()
        .filter(|f| real.starts_with(f))
        .max_by_key(|f| f.components().count())
        .cloned();
    opts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uri(p: &std::path::Path) -> String {
        format!("file://{}", p.display())
    }

    #[test]
    fn the_innermost_workspace_folder_holding_the_document_is_its_root() {
        let dir = tempfile::tempdir().expect("tempdir");
        let outer = std::fs::canonicalize(dir.path()).expect("real path");
        let inner = outer.join("apps");
        std::fs::create_dir_all(inner.join("orders")).expect("mkdir");
        let init = serde_json::json!({
            "rootUri": uri(&outer),
            "workspaceFolders": [{ "uri": uri(&outer), "name": "o" }, { "uri": uri(&inner), "name": "i" }],
        });
        let found = folders(&init);
        assert_eq!(found, vec![outer.clone(), inner.clone()]);
        let base = CheckOptions::default();
        let doc: Uri = uri(&inner.join("orders/app.lam")).parse().expect("uri");
        assert_eq!(options_for(&base, &found, &doc).root, Some(inner.clone()));
        let elsewhere: Uri = "file:///elsewhere/app.lam".parse().expect("uri");
        assert_eq!(options_for(&base, &found, &elsewhere).root, None);
        let mut pinned = base.clone();
        pinned.root = Some(outer.clone());
        assert_eq!(options_for(&pinned, &found, &doc).root, Some(outer));
    }

    #[test]
    fn root_uri_is_the_fallback() {
        let dir = tempfile::tempdir().expect("tempdir");
        let real = std::fs::canonicalize(dir.path()).expect("real path");
        let init = serde_json::json!({ "rootUri": uri(&real) });
        assert_eq!(folders(&init), vec![real]);
        assert!(folders(&serde_json::json!({})).is_empty());
    }
}
