//! Deterministic zips of local `code` folders, content-hashed.
//!
//! What a folder's zip holds is decided in `walk` (never `.git`, `.lamc`, the build's own
//! outputs, or what a `.lamcignore` excludes (`lamcignore`); links only inside the folder; under
//! Lambda's size limit); the diagnostics for what cannot be packed are in `diagnostics`.
//!
//! Same files → same bytes: entries sorted by relative path (`/`-separated), timestamps
//! fixed at 1980-01-01 00:00 (the zip epoch), permissions 0644 or 0755 (executables), no
//! directory entries, deflate at a fixed level. Neither file mtimes nor the order in which
//! the file system lists a folder can change the result.

mod batch;
mod diagnostics;
mod lamcignore;
mod walk;

use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use crate::diag::{Code, Diagnostic};
use crate::files::read::{open_regular, read_capped, read_open, ReadError};
use crate::files::FileKey;
use crate::source::Span;

pub use batch::{Packed, Request};
use diagnostics::diagnostic;
pub use lamcignore::IGNORE_FILE;
pub use walk::MAX_UNZIPPED_BYTES;
use walk::{Entry, PackError};

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
    /// What the zip holds once unzipped, in bytes: with its layers' it must stay under
    /// [`MAX_UNZIPPED_BYTES`] (QT-04, PKG-01).
    pub unzipped: u64,
    /// Where the code was declared (for write errors).
    pub span: Span,
}

/// What packaging must know besides the code folder itself.
#[derive(Debug, Clone, Default)]
pub struct Packaging {
    /// The project root: the `.lamcignore` files of the folders from it down to a code
    /// folder apply to that folder. `None`: only those inside the code folder.
    pub root: Option<PathBuf>,
    /// The files and folders this build writes (the artifacts folder, the template,
    /// standard output redirected to a file): never packaged, wherever they are.
    pub products: Vec<FileKey>,
}

/// Zip `path` (a folder or a single file) for `function`, leaving out only what is
/// never packaged. See [`package`].
pub fn build(function: &str, path: &Path, span: Span) -> Result<Artifact, Box<Diagnostic>> {
    package(function, path, span, &Packaging::default())
}

/// Zip `path` (a folder or a single file) for `function`. What cannot be packed is a
/// diagnostic on `span` (the `code` value): an unreadable path (E0420), a link out of the
/// folder or a link loop (E0430), nothing left to pack (E0431), more than Lambda unzips
/// (E0432).
pub fn package(
    function: &str,
    path: &Path,
    span: Span,
    packaging: &Packaging,
) -> Result<Artifact, Box<Diagnostic>> {
    let (bytes, unzipped) =
        zip_with(path, packaging).map_err(|e| Box::new(diagnostic(e, path, span)))?;
    let sha256 = hex(&Sha256::digest(&bytes));
    let key = format!("{function}-{}.zip", &sha256[..KEY_HASH_CHARS]);
    Ok(Artifact {
        function: function.to_string(),
        key,
        sha256,
        bytes,
        unzipped,
        span,
    })
}

/// What `lamc check` needs of `path`'s zip, without zipping: whether it can be made (the
/// same diagnostics as [`package`]: every file is walked and read as for the zip) and its
/// size unzipped. Nothing is compressed or hashed: the key has the length of a real one
/// (`<function>-` and [`KEY_HASH_CHARS`] zeros), so a template naming it has the size the
/// built one has; `bytes` and `sha256` are empty, and the artifact must not be written.
pub fn measure(
    function: &str,
    path: &Path,
    span: Span,
    packaging: &Packaging,
) -> Result<Artifact, Box<Diagnostic>> {
    let measured = match read_each(path, packaging, |_, _, _| Ok(())) {
        Ok(Some(unzipped)) => Ok(unzipped),
        Ok(None) => prebuilt(path).map(|(_, unzipped)| unzipped),
        Err(e) => Err(e),
    };
    let unzipped = measured.map_err(|e| Box::new(diagnostic(e, path, span)))?;
    Ok(Artifact {
        function: function.to_string(),
        key: format!("{function}-{}.zip", "0".repeat(KEY_HASH_CHARS)),
        sha256: String::new(),
        bytes: Vec::new(),
        unzipped,
        span,
    })
}

/// The files to pack: one regular file, or what [`walk::collect`] keeps of a folder.
fn collect(path: &Path, packaging: &Packaging) -> Result<Vec<Entry>, PackError> {
    let real = std::fs::canonicalize(path)?;
    let meta = std::fs::metadata(&real)?;
    if meta.is_dir() {
        return Ok(walk::collect(&real, packaging)?.0);
    }
    if !meta.is_file() {
        return Err(PackError::Io(crate::files::write::not_regular(
            crate::files::read::kind_of(meta.file_type()),
        )));
    }
    if meta.len() >= MAX_UNZIPPED_BYTES {
        return Err(PackError::TooLarge {
            at_least: meta.len(),
        });
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "code".to_string());
    Ok(vec![Entry { name, path: real }])
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

/// The zip bytes for a folder or a file, leaving out only what is never packaged.
pub fn zip_path(path: &Path) -> std::io::Result<Vec<u8>> {
    zip_with(path, &Packaging::default())
        .map(|(bytes, _)| bytes)
        .map_err(|e| match e {
            PackError::Io(e) => e,
            other => std::io::Error::other(format!("{other:?}")),
        })
}

/// The zip bytes for a folder or a file, and their size once unzipped.
fn zip_with(path: &Path, packaging: &Packaging) -> Result<(Vec<u8>, u64), PackError> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let unzipped = read_each(path, packaging, |name, data, meta| {
        let mode = if is_executable(meta) { 0o755 } else { 0o644 };
        let options = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Deflated)
            .compression_level(Some(DEFLATE_LEVEL))
            .last_modified_time(DateTime::default())
            .unix_permissions(mode);
        zip.start_file(name, options)
            .map_err(std::io::Error::other)?;
        zip.write_all(data)?;
        Ok(())
    })?;
    let Some(unzipped) = unzipped else {
        return prebuilt(path);
    };
    let cursor = zip.finish().map_err(std::io::Error::other)?;
    Ok((cursor.into_inner(), unzipped))
}

/// Read every file `path` packs, in the zip's order, handing each to `add`, and return
/// their size in all; `None` for a prebuilt archive (packed as it is). Reading is where a
/// folder that cannot be packed is found, so [`measure`] reads as [`package`] does.
fn read_each(
    path: &Path,
    packaging: &Packaging,
    mut add: impl FnMut(String, &[u8], &std::fs::Metadata) -> std::io::Result<()>,
) -> Result<Option<u64>, PackError> {
    if is_archive(path) {
        return Ok(None);
    }
    let files = collect(path, packaging)?;
    // Files are read as regular files only, and never more than the size limit in all
    // (a file that grew since the walk measured it cannot make the zip larger).
    let mut budget = MAX_UNZIPPED_BYTES - 1;
    for Entry { name, path } in files {
        let (file, meta) = open_regular(&path).map_err(read_error)?;
        let data = read_open(file, meta.len(), budget).map_err(|e| match e {
            ReadError::TooLarge { .. } => PackError::TooLarge {
                at_least: MAX_UNZIPPED_BYTES,
            },
            other => read_error(other),
        })?;
        budget -= data.len() as u64;
        add(name, &data, &meta)?;
    }
    Ok(Some(MAX_UNZIPPED_BYTES - 1 - budget))
}

/// Whether `path` names a deployment package built by another tool (`target/app.zip`
/// from Maven or Gradle, a `.jar`, a Go `bootstrap.zip`): those are uploaded as they are,
/// never wrapped in a second zip (Lambda would not find the handler inside).
fn is_archive(path: &Path) -> bool {
    let archive = path
        .extension()
        .and_then(|x| x.to_str())
        .is_some_and(|x| x.eq_ignore_ascii_case("zip") || x.eq_ignore_ascii_case("jar"));
    archive && std::fs::metadata(path).is_ok_and(|m| m.is_file())
}

/// A prebuilt archive's bytes, once it is known to be a zip that Lambda can unpack: not
/// empty, and under the unzipped size limit (as its entries declare); and that size.
fn prebuilt(path: &Path) -> Result<(Vec<u8>, u64), PackError> {
    let bytes =
        crate::files::read::read_capped(path, MAX_UNZIPPED_BYTES - 1).map_err(|e| match e {
            ReadError::TooLarge { size, .. } => PackError::TooLarge { at_least: size },
            other => read_error(other),
        })?;
    let archive = zip::ZipArchive::new(Cursor::new(&bytes))
        .map_err(|e| PackError::Io(std::io::Error::other(format!("not a zip archive ({e})"))))?;
    if archive.is_empty() {
        return Err(PackError::Empty { left_out: 0 });
    }
    let unzipped = archive.decompressed_size().unwrap_or(u128::MAX);
    if unzipped >= u128::from(MAX_UNZIPPED_BYTES) {
        let at_least = u64::try_from(unzipped).unwrap_or(u64::MAX);
        return Err(PackError::TooLarge { at_least });
    }
    // Under the limit, so it fits in a u64.
    Ok((bytes, unzipped as u64))
}

fn read_error(e: ReadError) -> PackError {
    match e {
        ReadError::Io(e) => PackError::Io(e),
        other => PackError::Io(std::io::Error::other(other.to_string())),
    }
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
    let result = (|| -> std::io::Result<()> {
        if holds(&target, bytes)? {
            return Ok(());
        }
        std::fs::create_dir_all(dir)?;
        // No fsync: the name is the content's hash and every build compares the file with
        // what it should hold (above), so a file a crash left short is rewritten by the
        // next build, and deploy uploads from memory. Syncing each of a large app's nested
        // templates cost more than building them.
        crate::files::write_atomically(&target, bytes, false)
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

/// Whether `target` is a regular file holding exactly `bytes` (read only when the size
/// matches; anything but a regular file is refused, as the write would refuse it).
fn holds(target: &Path, bytes: &[u8]) -> std::io::Result<bool> {
    let meta = match std::fs::symlink_metadata(target) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(e),
    };
    if !meta.is_file() {
        return Err(crate::files::write::not_regular(
            crate::files::read::kind_of(meta.file_type()),
        ));
    }
    if meta.len() != bytes.len() as u64 {
        return Ok(false);
    }
    Ok(read_capped(target, meta.len()).is_ok_and(|existing| existing == bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
