//! Reading a file only when it is a regular file, and never more than a cap.
//!
//! `std::fs::read` on `/dev/zero` reads until memory runs out, and on a named pipe it
//! waits for a writer that may never come. Here the file type is checked before opening
//! (a device is never opened), the open does not wait (`O_NONBLOCK`: opening a FIFO for
//! reading returns at once), the type is checked again on the open handle (a FIFO swapped
//! in between is caught), and no more than the cap is ever read.

use std::fmt;
use std::fs::{File, FileType, Metadata};
use std::io::Read;
use std::path::Path;

use crate::diag::Code;

/// The largest `.lam` file lamc reads: 16 MiB. The largest generated app the benchmarks
/// use (10,000 functions, `examples/synth.rs --full`) is 3.9 MB, and CloudFormation
/// takes at most 2,500 resources per operation (CFN-13), so no deployable program comes
/// near it.
pub const MAX_SOURCE_BYTES: u64 = 16 * 1024 * 1024;

/// The most the files of one program (the root and everything it `use`s) hold together.
pub const MAX_PROGRAM_BYTES: u64 = 64 * 1024 * 1024;

/// Why a file was not read.
#[derive(Debug)]
pub enum ReadError {
    /// Not a regular file; the words say what it is ("a folder", "a named pipe (FIFO)").
    NotRegular(&'static str),
    /// Larger than `cap` bytes (`size` is at least `cap + 1`).
    TooLarge {
        size: u64,
        cap: u64,
    },
    /// Not UTF-8 text.
    NotUtf8,
    Io(std::io::Error),
}

impl ReadError {
    /// The diagnostic code for refusals that are lamc's rule rather than the system's.
    pub fn code(&self) -> Option<Code> {
        match self {
            ReadError::NotRegular(_) => Some(Code::E0428),
            ReadError::TooLarge { .. } => Some(Code::E0429),
            ReadError::NotUtf8 | ReadError::Io(_) => None,
        }
    }
}

impl ReadError {
    /// The message, followed by the code when there is one: for places with no source
    /// position to attach a diagnostic to (the file named on the command line).
    pub fn with_code(&self) -> String {
        match self.code() {
            Some(code) => format!("{self} [{code}]"),
            None => self.to_string(),
        }
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::NotRegular(kind) => write!(f, "it is {kind}, not a regular file"),
            ReadError::TooLarge { size, cap } => write!(
                f,
                "it holds {} bytes or more; lamc reads at most {} bytes",
                thousands(*size),
                thousands(*cap)
            ),
            ReadError::NotUtf8 => f.write_str("it is not UTF-8 text"),
            ReadError::Io(e) => write!(f, "{e}"),
        }
    }
}

impl From<std::io::Error> for ReadError {
    fn from(e: std::io::Error) -> Self {
        ReadError::Io(e)
    }
}

/// Read the regular file `path` as UTF-8 text of at most [`MAX_SOURCE_BYTES`].
pub fn read_source(path: &Path) -> Result<String, ReadError> {
    let bytes = read_capped(path, MAX_SOURCE_BYTES)?;
    String::from_utf8(bytes).map_err(|_| ReadError::NotUtf8)
}

/// Read at most `cap` bytes of the regular file `path`; a longer file is an error.
pub fn read_capped(path: &Path, cap: u64) -> Result<Vec<u8>, ReadError> {
    let (file, meta) = open_regular(path)?;
    if meta.len() > cap {
        return Err(ReadError::TooLarge {
            size: meta.len(),
            cap,
        });
    }
    read_open(file, meta.len(), cap)
}

/// Read an opened regular file of `expected` bytes, stopping after `cap + 1` (a file that
/// grew since it was measured).
pub fn read_open(file: File, expected: u64, cap: u64) -> Result<Vec<u8>, ReadError> {
    let mut bytes = Vec::with_capacity(expected.min(cap) as usize);
    file.take(cap.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > cap {
        return Err(ReadError::TooLarge {
            size: bytes.len() as u64,
            cap,
        });
    }
    Ok(bytes)
}

/// Open `path` for reading when it is a regular file (following symbolic links), with the
/// metadata of the opened file.
pub fn open_regular(path: &Path) -> Result<(File, Metadata), ReadError> {
    let before = std::fs::metadata(path)?;
    if !before.is_file() {
        return Err(ReadError::NotRegular(kind_of(before.file_type())));
    }
    let file = open_without_waiting(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular(kind_of(meta.file_type())));
    }
    Ok((file, meta))
}

#[cfg(unix)]
fn open_without_waiting(path: &Path) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)
}

#[cfg(not(unix))]
fn open_without_waiting(path: &Path) -> std::io::Result<File> {
    File::open(path)
}

/// What a file that is not a regular file is, in words for a message.
pub fn kind_of(ft: FileType) -> &'static str {
    if ft.is_dir() {
        return "a folder";
    }
    if ft.is_symlink() {
        return "a symbolic link";
    }
    unix_kind(ft).unwrap_or("not a regular file")
}

#[cfg(unix)]
fn unix_kind(ft: FileType) -> Option<&'static str> {
    use std::os::unix::fs::FileTypeExt;
    if ft.is_fifo() {
        Some("a named pipe (FIFO)")
    } else if ft.is_char_device() {
        Some("a character device")
    } else if ft.is_block_device() {
        Some("a block device")
    } else if ft.is_socket() {
        Some("a socket")
    } else {
        None
    }
}

#[cfg(not(unix))]
fn unix_kind(_ft: FileType) -> Option<&'static str> {
    None
}

/// `16777216` → `16,777,216`: byte counts, value sizes, prices. The one copy, for every
/// message that shows a large number.
pub fn thousands(n: impl Into<u128>) -> String {
    let digits = n.into().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_regular_file() -> Result<(), ReadError> {
        let dir = tempfile::tempdir()?;
        let p = dir.path().join("a.lam");
        std::fs::write(&p, "queue q {}\n")?;
        assert_eq!(read_source(&p)?, "queue q {}\n");
        Ok(())
    }

    #[test]
    fn refuses_a_folder_and_a_device() {
        let dir = tempfile::tempdir().expect("tempdir");
        assert!(matches!(
            read_source(dir.path()),
            Err(ReadError::NotRegular("a folder"))
        ));
        #[cfg(unix)]
        assert!(matches!(
            read_source(Path::new("/dev/zero")),
            Err(ReadError::NotRegular("a character device"))
        ));
    }

    #[cfg(unix)]
    #[test]
    fn refuses_a_named_pipe_without_waiting() {
        let dir = tempfile::tempdir().expect("tempdir");
        let fifo = dir.path().join("pipe.lam");
        let c = std::ffi::CString::new(fifo.to_string_lossy().as_bytes()).expect("no NUL");
        // SAFETY: `c` is a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let err = read_source(&fifo).expect_err("a FIFO is refused");
        assert_eq!(
            err.to_string(),
            "it is a named pipe (FIFO), not a regular file"
        );
        assert_eq!(err.code(), Some(Code::E0428));
    }

    #[test]
    fn refuses_more_than_the_cap() -> Result<(), ReadError> {
        let dir = tempfile::tempdir()?;
        let p = dir.path().join("big.lam");
        std::fs::write(&p, "x".repeat(11))?;
        assert_eq!(read_capped(&p, 11)?.len(), 11);
        let err = read_capped(&p, 10).expect_err("over the cap");
        assert!(matches!(err, ReadError::TooLarge { size: 11, cap: 10 }));
        assert_eq!(err.code(), Some(Code::E0429));
        Ok(())
    }

    #[test]
    fn refuses_text_that_is_not_utf8() -> Result<(), ReadError> {
        let dir = tempfile::tempdir()?;
        let p = dir.path().join("bin.lam");
        std::fs::write(&p, [0xff, 0xfe, 0x00])?;
        assert!(matches!(read_source(&p), Err(ReadError::NotUtf8)));
        Ok(())
    }

    #[test]
    fn thousands_groups_digits() {
        assert_eq!(thousands(0u64), "0");
        assert_eq!(thousands(999u64), "999");
        assert_eq!(thousands(1000u64), "1,000");
        assert_eq!(thousands(16_777_216u64), "16,777,216");
    }
}
