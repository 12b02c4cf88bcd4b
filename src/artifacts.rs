//! Deterministic zips of local `code` folders, content-hashed.
//!
//! Same files → same bytes: entries sorted by relative path (`/`-separated), timestamps
//! fixed at 1980-01-01 00:00 (the zip epoch), permissions 0644 or 0755 (executables), no
//! directory entries, deflate at a fixed level. Neither file mtimes nor the order in which
//! the file system lists a folder can change the result.

use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use crate::diag::{Code, Diagnostic};
use crate::source::Span;

/// Hex digits of the SHA-256 kept in the artifact's key.
const KEY_HASH_CHARS: usize = 16;
/// Fixed deflate level: changing it changes every artifact's bytes and key.
const DEFLATE_LEVEL: i64 = 6;

/// One zipped `code` folder.
#[derive(Debug, Clone, PartialEq)]
pub struct Artifact {
    pub function: String,
    /// `<function>-<sha256 prefix>.zip`: the S3 key and the file name in the artifacts dir.
    pub key: String,
    /// Full SHA-256 of `bytes`, lowercase hex.
    pub sha256: String,
    pub bytes: Vec<u8>,
    /// Where the code was declared (for write errors).
    pub span: Span,
}

/// Zip `path` (a folder or a single file) for `function`. An unreadable path is E0420.
pub fn build(function: &str, path: &Path, span: Span) -> Result<Artifact, Box<Diagnostic>> {
    let bytes = zip_path(path).map_err(|e| {
        Box::new(
            Diagnostic::new(
                Code::E0420,
                span,
                format!("cannot read code at {}", path.display()),
            )
            .label(format!("{e}"))
            .help("point `code` at a readable folder or file, relative to this .lam file"),
        )
    })?;
    let sha256 = hex(&Sha256::digest(&bytes));
    let key = format!("{function}-{}.zip", &sha256[..KEY_HASH_CHARS]);
    Ok(Artifact {
        function: function.to_string(),
        key,
        sha256,
        bytes,
        span,
    })
}

/// The files to pack: (name inside the zip, path on disk), sorted by name.
fn collect(path: &Path) -> std::io::Result<Vec<(String, PathBuf)>> {
    let meta = std::fs::metadata(path)?;
    if meta.is_file() {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "code".to_string());
        return Ok(vec![(name, path.to_path_buf())]);
    }
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(path).follow_links(true) {
        let entry = entry.map_err(std::io::Error::other)?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(path)
            .map_err(std::io::Error::other)?;
        let name = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        files.push((name, entry.path().to_path_buf()));
    }
    files.sort();
    Ok(files)
}

#[cfg(unix)]
fn is_executable(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode() & 0o111 != 0
}

#[cfg(not(unix))]
fn is_executable(_meta: &std::fs::Metadata) -> bool {
    false
}

/// The zip bytes for a folder or a file.
pub fn zip_path(path: &Path) -> std::io::Result<Vec<u8>> {
    let files = collect(path)?;
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, file) in files {
        let meta = std::fs::metadata(&file)?;
        let mode = if is_executable(&meta) { 0o755 } else { 0o644 };
        let options = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Deflated)
            .compression_level(Some(DEFLATE_LEVEL))
            .last_modified_time(DateTime::default())
            .unix_permissions(mode);
        let data = std::fs::read(&file)?;
        zip.start_file(name, options)
            .map_err(std::io::Error::other)?;
        zip.write_all(&data)?;
    }
    let cursor = zip.finish().map_err(std::io::Error::other)?;
    Ok(cursor.into_inner())
}

/// Write the artifact into `dir` atomically (temp file + rename); an existing file with the
/// same bytes is left untouched.
pub fn write(a: &Artifact, dir: &Path) -> Result<(), Box<Diagnostic>> {
    write_bytes(&a.key, &a.bytes, dir, a.span)
}

/// Write any build product (a nested stack's template) into `dir` the same way.
pub fn write_file(key: &str, bytes: &[u8], dir: &Path) -> Result<(), Box<Diagnostic>> {
    write_bytes(key, bytes, dir, Span::default())
}

fn write_bytes(key: &str, bytes: &[u8], dir: &Path, span: Span) -> Result<(), Box<Diagnostic>> {
    let target = dir.join(key);
    if std::fs::read(&target).is_ok_and(|existing| existing == bytes) {
        return Ok(());
    }
    let result = (|| -> std::io::Result<()> {
        std::fs::create_dir_all(dir)?;
        let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
        // No fsync: the name is the content's hash and every build compares the file with
        // what it should hold (above), so a file a crash left short is rewritten by the
        // next build, and deploy uploads from memory. Syncing each of a large app's nested
        // templates cost more than building them.
        tmp.write_all(bytes)?;
        tmp.persist(&target).map_err(|e| e.error)?;
        Ok(())
    })();
    result.map_err(|e| {
        Box::new(
            Diagnostic::new(
                Code::E0420,
                span,
                format!("cannot write artifact {}", target.display()),
            )
            .label(format!("{e}"))
            .help("make the artifacts folder writable"),
        )
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
