//! The project's files: where the project root is and what may be read inside it
//! (`root`), reading sources without blocking or reading without end (`read`), and
//! replacing output files without ever leaving a half-written one (`write`).
//!
//! Every file lamc reads or writes on a user's behalf goes through here, so that a
//! downloaded project cannot make it read outside its folder, wait on a named pipe, fill
//! memory from `/dev/zero`, or overwrite a device or a link.

pub mod identity;
pub mod read;
pub mod root;
pub mod write;

pub use identity::FileKey;
pub use read::{read_source, ReadError, MAX_PROGRAM_BYTES, MAX_SOURCE_BYTES};
pub use root::{Escape, ProjectRoot};
pub use write::write_atomically;
