//! The file system by path (with isolation off): opening files, metadata, directories and
//! their streams, links, permissions, temporary directories.

use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;
use std::os::unix::fs::{DirBuilderExt, DirEntryExt, FileTypeExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::PathBuf;

use vigil_ir::FsShim;

use super::errno::{EACCES, EBADF, EEXIST, EINVAL, EPERM, ERANGE};
use super::fd::Description;
use super::fd::file::HostFile;
use crate::Machine;
use crate::concurrency::CallReturn;
use crate::error::{Error, Res};
use crate::memory::{AllocKind, Prov, Ptr};

const O_ACCMODE: u64 = 0o3;
const O_WRONLY: u64 = 0o1;
const O_RDWR: u64 = 0o2;
const O_CREAT: u64 = 0o100;
const O_EXCL: u64 = 0o200;
const O_NOCTTY: u64 = 0o400;
const O_TRUNC: u64 = 0o1000;
const O_APPEND: u64 = 0o2000;
const O_DIRECTORY: u64 = 0o200000;
const O_NOFOLLOW: u64 = 0o400000;
const O_CLOEXEC: u64 = 0o2000000;
const O_TMPFILE: u64 = 0o20000000;
const EOPNOTSUPP: i32 = 95;
const AT_FDCWD: i32 = -100;
/// `struct stat` (and `stat64`) on x86_64 Linux.
const STAT_SIZE: usize = 144;
/// `struct dirent64`: `d_name` starts here.
const DIRENT_NAME: u64 = 19;

/// An open directory stream (`opendir`): the entries left, and the last entry handed out
/// (freed by the next `readdir` or `closedir`).
pub struct DirStream {
    /// ".", "..", then the host's entries.
    entries: std::vec::IntoIter<(Vec<u8>, u64, u8)>,
    handle: Ptr,
    last: Option<Ptr>,
}

impl Machine<'_> {
    pub(crate) fn fs_shim(&mut self, shim: FsShim, ret: CallReturn) -> Res<()> {
        use FsShim::*;
        match shim {
            Open | Openat | Creat => {
                let (path_arg, flags) = match shim {
                    Open => (0, self.arg_u64(1)),
                    Openat => {
                        let dirfd = self.arg_u64(0) as u32 as i32;
                        let path = self.read_path(self.arg_ptr(1))?;
                        if dirfd != AT_FDCWD && !path.is_absolute() {
                            return Err(Error::unsupported("`openat` relative to a directory descriptor other than `AT_FDCWD`"));
                        }
                        (1, self.arg_u64(2))
                    }
                    _ => (0, O_CREAT | O_WRONLY | O_TRUNC),
                };
                let mode_arg = if shim == Creat { Some(1) } else { (flags & O_CREAT != 0).then_some(path_arg + 2) };
                let mode = match mode_arg {
                    Some(i) => {
                        self.require_args(shim.name(), i + 1)?;
                        Some(self.arg_u64(i) as u32)
                    }
                    None => None,
                };
                let path = self.read_path(self.arg_ptr(path_arg))?;
                self.open(path, flags as u32 as u64, mode, ret)
            }
            Stat | Lstat => {
                let (path, buf) = (self.read_path(self.arg_ptr(0))?, self.arg_ptr(1));
                if self.isolated() {
                    self.reject_in_isolation(if shim == Stat { "`stat`" } else { "`lstat`" })?;
                    return self.fail_call(ret, EACCES);
                }
                let meta = if shim == Stat { std::fs::metadata(&path) } else { std::fs::symlink_metadata(&path) };
                match meta {
                    Ok(m) => {
                        self.write_stat(buf, &m)?;
                        self.complete_call(ret, 0)
                    }
                    Err(e) => self.fail_io(ret, e),
                }
            }
            // std falls back to `stat` when `statx` is not there.
            Statx => self.fail_call(ret, super::errno::ENOSYS),
            Mkdir | Rmdir | Unlink | Chmod => {
                let path = self.read_path(self.arg_ptr(0))?;
                if self.isolated() {
                    self.reject_in_isolation(&format!("`{}`", shim.name()))?;
                    return self.fail_call(ret, if shim == Chmod { EACCES } else { EPERM });
                }
                let r = match shim {
                    Mkdir => std::fs::DirBuilder::new().mode(self.arg_u64(1) as u32).create(&path),
                    Rmdir => std::fs::remove_dir(&path),
                    Unlink => std::fs::remove_file(&path),
                    _ => std::fs::set_permissions(&path, std::fs::Permissions::from_mode(self.arg_u64(1) as u32)),
                };
                self.complete_io(ret, r)
            }
            Rename | Link | Linkat | Symlink => {
                let paths = if shim == Linkat { [1, 3] } else { [0, 1] };
                let (from, to) = (self.read_path(self.arg_ptr(paths[0]))?, self.read_path(self.arg_ptr(paths[1]))?);
                if shim == Linkat {
                    let (olddir, newdir, flags) = (self.arg_u64(0) as u32 as i32, self.arg_u64(2) as u32 as i32, self.arg_u64(4));
                    if (olddir != AT_FDCWD && !from.is_absolute()) || (newdir != AT_FDCWD && !to.is_absolute()) || flags != 0 {
                        return Err(Error::unsupported("`linkat` relative to directory descriptors or with flags"));
                    }
                }
                if self.isolated() {
                    self.reject_in_isolation(&format!("`{}`", shim.name()))?;
                    return self.fail_call(ret, EPERM);
                }
                let r = match shim {
                    Rename => std::fs::rename(&from, &to),
                    Link | Linkat => std::fs::hard_link(&from, &to),
                    _ => std::os::unix::fs::symlink(&from, &to),
                };
                self.complete_io(ret, r)
            }
            Readlink => {
                let (path, buf, size) = (self.read_path(self.arg_ptr(0))?, self.arg_ptr(1), self.arg_u64(2));
                if self.isolated() {
                    self.reject_in_isolation("`readlink`")?;
                    return self.fail_call(ret, EACCES);
                }
                match std::fs::read_link(&path) {
                    Ok(target) => {
                        let bytes = target.into_os_string().into_vec();
                        let n = bytes.len().min(size as usize);
                        self.mem.write(buf, &bytes[..n], &[])?;
                        self.complete_call(ret, n as i64)
                    }
                    Err(e) => self.fail_io(ret, e),
                }
            }
            Realpath => {
                let (path, resolved) = (self.read_path(self.arg_ptr(0))?, self.arg_ptr(1));
                if self.isolated() {
                    self.reject_in_isolation("`realpath`")?;
                    return self.fail_ptr(ret, EACCES);
                }
                match std::fs::canonicalize(&path) {
                    Ok(p) => {
                        let bytes = p.into_os_string().into_vec();
                        // PATH_MAX bytes in a caller's buffer, or a new C allocation.
                        const PATH_MAX: u64 = 4096;
                        let out = if resolved.addr == 0 {
                            let p = self.mem.allocate_uninit(bytes.len() as u64 + 1, 1, AllocKind::C);
                            self.mem.set_alloc_site(p.prov, self.user_site());
                            p
                        } else {
                            resolved
                        };
                        if !self.write_c_string(out, PATH_MAX.max(bytes.len() as u64 + 1), &bytes)? {
                            return self.fail_ptr(ret, ERANGE);
                        }
                        self.complete_ptr(ret, out)
                    }
                    Err(e) => self.fail_ptr(ret, super::fd::errno_of(e)),
                }
            }
            Fchmod => {
                let (fd, mode) = (self.arg_u64(0) as u32 as i32, self.arg_u64(1) as u32);
                if self.isolated() {
                    self.reject_in_isolation("`fchmod`")?;
                    return self.fail_call(ret, EACCES);
                }
                let r = match self.os.fds.get(fd).as_deref().map(|d| d.borrow()) {
                    Some(d) => match &*d {
                        Description::File(f) => f.file.set_permissions(std::fs::Permissions::from_mode(mode)),
                        _ => Err(std::io::Error::from_raw_os_error(EINVAL)),
                    },
                    None => Err(std::io::Error::from_raw_os_error(EBADF)),
                };
                self.complete_io(ret, r)
            }
            Opendir => {
                let path = self.read_path(self.arg_ptr(0))?;
                if self.isolated() {
                    self.reject_in_isolation("`opendir`")?;
                    return self.fail_ptr(ret, EACCES);
                }
                match std::fs::read_dir(&path) {
                    Ok(rd) => {
                        let mut entries = vec![(b".".to_vec(), 0, DT_DIR), (b"..".to_vec(), 0, DT_DIR)];
                        for e in rd {
                            let Ok(e) = e else { continue };
                            let kind = e.file_type().map(|t| dirent_type(&t)).unwrap_or(0);
                            entries.push((e.file_name().into_vec(), e.ino(), kind));
                        }
                        // The handle is an allocation of its own, so a stray `DIR*` is caught.
                        let handle = self.mem.allocate(8, 8, AllocKind::Machine);
                        self.os.dirs.insert(handle.addr, DirStream { entries: entries.into_iter(), handle, last: None });
                        self.complete_ptr(ret, handle)
                    }
                    Err(e) => self.fail_ptr(ret, super::fd::errno_of(e)),
                }
            }
            Readdir => {
                let dir = self.arg_ptr(0);
                let Some(stream) = self.os.dirs.get_mut(&dir.addr) else {
                    return Err(Error::ub("the DIR pointer passed to `readdir` did not come from opendir"));
                };
                let (next, last) = (stream.entries.next(), stream.last.take());
                if let Some(p) = last {
                    self.mem.deallocate(p, None, AllocKind::Machine)?;
                }
                let Some((name, ino, kind)) = next else { return self.complete_ptr(ret, super::NULL) };
                let size = DIRENT_NAME + name.len() as u64 + 1;
                let p = self.mem.allocate(size.next_multiple_of(8), 8, AllocKind::Machine);
                self.mem.write_scalar(p, 8, ino as u128, Prov::NONE)?;
                self.mem.write_scalar(p.offset(8), 8, 0, Prov::NONE)?;
                self.mem.write_scalar(p.offset(16), 2, size as u128, Prov::NONE)?;
                self.mem.write_scalar(p.offset(18), 1, kind as u128, Prov::NONE)?;
                self.mem.write(p.offset(DIRENT_NAME), &name, &[])?;
                self.os.dirs.get_mut(&dir.addr).unwrap().last = Some(p);
                self.complete_ptr(ret, p)
            }
            Closedir => {
                let dir = self.arg_ptr(0);
                let Some(stream) = self.os.dirs.remove(&dir.addr) else {
                    return Err(Error::ub("the DIR pointer passed to `closedir` did not come from opendir"));
                };
                if let Some(p) = stream.last {
                    self.mem.deallocate(p, None, AllocKind::Machine)?;
                }
                self.mem.deallocate(stream.handle, None, AllocKind::Machine)?;
                self.complete_call(ret, 0)
            }
            Fdopendir | Dirfd => Err(Error::unsupported(format!("can't call foreign function `{}` on OS `linux`", shim.name()))),
            Mkdtemp => {
                let template = self.arg_ptr(0);
                let name = self.read_c_string(template)?;
                if self.isolated() {
                    self.reject_in_isolation("`mkdtemp`")?;
                    return self.fail_ptr(ret, EPERM);
                }
                if !name.ends_with(b"XXXXXX") {
                    return self.fail_ptr(ret, EINVAL);
                }
                const CHARS: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
                for _ in 0..100 {
                    let mut candidate = name.clone();
                    let n = candidate.len();
                    for (c, r) in candidate[n - 6..].iter_mut().zip(self.os.random_bytes(6)) {
                        *c = CHARS[r as usize % CHARS.len()];
                    }
                    let path = PathBuf::from(OsString::from_vec(candidate.clone()));
                    match std::fs::DirBuilder::new().mode(0o700).create(&path) {
                        Ok(()) => {
                            self.mem.write(template, &candidate, &[])?;
                            return self.complete_ptr(ret, template);
                        }
                        Err(e) if e.raw_os_error() == Some(EEXIST) => continue,
                        Err(e) => {
                            return self.fail_ptr(ret, super::fd::errno_of(e));
                        }
                    }
                }
                self.fail_ptr(ret, EEXIST)
            }
        }
    }

    /// `open(path, flags, mode)` on the host: a new descriptor, or -1 with errno.
    fn open(&mut self, path: PathBuf, flags: u64, mode: Option<u32>, ret: CallReturn) -> Res<()> {
        if flags & O_TMPFILE == O_TMPFILE {
            return self.fail_call(ret, EOPNOTSUPP);
        }
        let known = O_ACCMODE | O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_APPEND | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
        if flags & !known != 0 {
            return Err(Error::unsupported(format!("`open` with flags {:#o}", flags & !known)));
        }
        if self.isolated() {
            self.reject_in_isolation("`open`")?;
            return self.fail_call(ret, EPERM);
        }
        let access = flags & O_ACCMODE;
        let (readable, writable) = (access != O_WRONLY, access == O_WRONLY || access == O_RDWR);
        let append = flags & O_APPEND != 0;
        let mut o = std::fs::OpenOptions::new();
        o.read(readable).write(writable && !append).append(append).truncate(flags & O_TRUNC != 0);
        if flags & O_CREAT != 0 {
            if flags & O_EXCL != 0 {
                o.create_new(true);
            } else {
                o.create(true);
            }
            o.mode(mode.unwrap_or(0o666));
        }
        o.custom_flags((flags & (O_DIRECTORY | O_NOFOLLOW | O_NOCTTY)) as i32);
        // std refuses O_TRUNC/O_CREAT without write access; the kernel allows it on O_RDONLY
        // (truncating needs write permission on the file, which `write(true)` asks for too).
        if !writable && flags & (O_TRUNC | O_CREAT) != 0 {
            return Err(Error::unsupported("`open` creating or truncating a file opened read-only"));
        }
        match o.open(&path) {
            Ok(file) => match self.os.fds.insert(Description::File(HostFile { file, readable, writable, append })) {
                Some(fd) => self.complete_call(ret, fd as i64),
                None => Err(super::fd::fd_table_full()),
            },
            Err(e) => self.fail_io(ret, e),
        }
    }

    fn complete_io(&mut self, ret: CallReturn, r: std::io::Result<()>) -> Res<()> {
        match r {
            Ok(()) => self.complete_call(ret, 0),
            Err(e) => self.fail_io(ret, e),
        }
    }

    /// A NUL-terminated path argument.
    pub(crate) fn read_path(&self, p: Ptr) -> Res<PathBuf> {
        Ok(PathBuf::from(OsString::from_vec(self.read_c_string(p)?)))
    }

    /// A `struct stat` for an object that is not a host file: only the mode is set.
    pub(crate) fn write_synthetic_stat(&mut self, buf: Ptr, mode: u32) -> Res<()> {
        let mut b = [0u8; STAT_SIZE];
        b[24..28].copy_from_slice(&mode.to_le_bytes());
        b[16..24].copy_from_slice(&1u64.to_le_bytes());
        b[56..64].copy_from_slice(&4096u64.to_le_bytes());
        self.mem.write(buf, &b, &[])
    }

    /// Fills a `struct stat` from host metadata.
    pub(crate) fn write_stat(&mut self, buf: Ptr, m: &std::fs::Metadata) -> Res<()> {
        let mut b = [0u8; STAT_SIZE];
        let mut put = |off: usize, size: usize, v: u64| b[off..off + size].copy_from_slice(&v.to_le_bytes()[..size]);
        put(0, 8, m.dev());
        put(8, 8, m.ino());
        put(16, 8, m.nlink());
        put(24, 4, m.mode() as u64);
        put(28, 4, m.uid() as u64);
        put(32, 4, m.gid() as u64);
        put(40, 8, m.rdev());
        put(48, 8, m.size());
        put(56, 8, m.blksize());
        put(64, 8, m.blocks());
        put(72, 8, m.atime() as u64);
        put(80, 8, m.atime_nsec() as u64);
        put(88, 8, m.mtime() as u64);
        put(96, 8, m.mtime_nsec() as u64);
        put(104, 8, m.ctime() as u64);
        put(112, 8, m.ctime_nsec() as u64);
        self.mem.write(buf, &b, &[])
    }
}

const DT_DIR: u8 = 4;

fn dirent_type(t: &std::fs::FileType) -> u8 {
    match () {
        _ if t.is_fifo() => 1,
        _ if t.is_char_device() => 2,
        _ if t.is_dir() => DT_DIR,
        _ if t.is_block_device() => 6,
        _ if t.is_file() => 8,
        _ if t.is_symlink() => 10,
        _ if t.is_socket() => 12,
        _ => 0,
    }
}
