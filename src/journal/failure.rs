//! SQLite failures as libovo errors. Reasons come from SQLite's result code only: never the
//! path or any caller text (either could hold a secret).

use rusqlite::{ffi, ErrorCode};

use super::FIELD_JOURNAL;
use crate::error::{Error, ResultCode};

/// A path-free reason for `error`, e.g. `"the disk is full"`.
pub(super) fn reason(error: &rusqlite::Error) -> String {
    let rusqlite::Error::SqliteFailure(failure, _) = error else {
        return "it holds data this libovo cannot read".to_owned();
    };
    let text = match failure.code {
        ErrorCode::NotADatabase => "the file is not an SQLite database (or is encrypted)",
        ErrorCode::DatabaseCorrupt => "the file is corrupt",
        ErrorCode::CannotOpen => {
            "cannot open or create the file or its -wal/-shm companions \
             (missing directory or no permission)"
        }
        ErrorCode::ReadOnly => "the file or its directory is read-only",
        ErrorCode::PermissionDenied => "no permission to use the file",
        ErrorCode::DiskFull => "the disk is full",
        ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => {
            "another process held it locked past the busy timeout"
        }
        ErrorCode::SystemIoFailure => match failure.extended_code {
            ffi::SQLITE_IOERR_WRITE => "writing to the disk failed: disk full or a file size limit",
            ffi::SQLITE_IOERR_FSYNC | ffi::SQLITE_IOERR_DIR_FSYNC => "flushing to the disk failed",
            ffi::SQLITE_IOERR_READ | ffi::SQLITE_IOERR_SHORT_READ => "reading the disk failed",
            _ => "a disk I/O error",
        },
        ErrorCode::OutOfMemory => "out of memory",
        ErrorCode::FileLockingProtocolFailed => "file locking failed",
        ErrorCode::TooBig => "a value is too big to store",
        _ => return format!("SQLite error code {}", failure.extended_code),
    };
    text.to_owned()
}

/// The journal cannot be used: `InvalidArgument` naming `journal`.
pub(super) fn unusable(error: rusqlite::Error) -> Error {
    Error::invalid(FIELD_JOURNAL, reason(&error))
}

/// The push could not be written first, so it must not be sent: `NotSent` naming the journal.
pub(super) fn not_sent(error: rusqlite::Error) -> Error {
    Error::new(
        ResultCode::NotSent,
        format!(
            "{FIELD_JOURNAL}: cannot record the push before sending it ({}); nothing was sent",
            reason(&error)
        ),
    )
}
