//! Host files behind descriptors (with isolation off): reads, writes and seeks on a
//! `std::fs::File`, as the host performs them.

use std::io::{Read, Seek, SeekFrom, Write};
use std::os::unix::fs::FileExt;

use super::errno_of;
use crate::shims::errno::EINVAL;

const O_WRONLY: i64 = 0o1;
const O_RDWR: i64 = 0o2;
const O_APPEND: i64 = 0o2000;

pub struct HostFile {
    pub file: std::fs::File,
    pub readable: bool,
    pub writable: bool,
    pub append: bool,
}

impl HostFile {
    pub fn read(&mut self, n: u64, offset: Option<u64>) -> Result<Vec<u8>, i32> {
        if !self.readable {
            return Err(super::EBADF);
        }
        let mut data = vec![0u8; n as usize];
        let got = match offset {
            Some(off) => self.file.read_at(&mut data, off),
            None => self.file.read(&mut data),
        }
        .map_err(errno_of)?;
        data.truncate(got);
        Ok(data)
    }

    pub fn write(&mut self, bytes: &[u8], offset: Option<u64>) -> Result<u64, i32> {
        match offset {
            Some(off) => self.file.write_at(bytes, off),
            None => self.file.write(bytes),
        }
        .map(|n| n as u64)
        .map_err(errno_of)
    }

    /// `lseek`: the new offset.
    pub fn seek(&mut self, off: i64, whence: u32) -> Result<u64, i32> {
        let to = match whence {
            0 if off >= 0 => SeekFrom::Start(off as u64),
            1 => SeekFrom::Current(off),
            2 => SeekFrom::End(off),
            _ => return Err(EINVAL),
        };
        self.file.seek(to).map_err(errno_of)
    }

    /// `fcntl(F_GETFL)`: the access mode and O_APPEND.
    pub fn status_flags(&self) -> i64 {
        let mode = match (self.readable, self.writable) {
            (true, true) => O_RDWR,
            (false, true) => O_WRONLY,
            _ => 0,
        };
        mode | if self.append { O_APPEND } else { 0 }
    }
}
