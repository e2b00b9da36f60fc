//! A byte scan of a journal's files, for tests that prove a secret never reached the disk.

use std::ffi::OsString;
use std::io;
use std::path::{Path, PathBuf};

/// Whether `needle` occurs in the bytes of the journal at `path` or of its `-wal` and `-shm`
/// files (missing companions are skipped). Scans raw bytes, so freed pages count too.
pub fn journal_file_contains(path: &Path, needle: &[u8]) -> io::Result<bool> {
    if needle.is_empty() {
        return Ok(true);
    }
    for file in [
        path.to_path_buf(),
        companion(path, "-wal"),
        companion(path, "-shm"),
    ] {
        let bytes = match std::fs::read(&file) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::NotFound && file != path => continue,
            Err(e) => return Err(e),
        };
        if bytes.windows(needle.len()).any(|w| w == needle) {
            return Ok(true);
        }
    }
    Ok(false)
}

/// SQLite's name for a companion file: the path with `suffix` appended.
fn companion(path: &Path, suffix: &str) -> PathBuf {
    let mut name = OsString::from(path.as_os_str());
    name.push(suffix);
    PathBuf::from(name)
}
