//! The Rust allocator (`__rust_alloc` and friends, Miri's `miri_alloc`), the C heap and
//! anonymous memory mappings.

use vigil_ir::AllocShim;

use super::errno::EINVAL;
use crate::concurrency::CallReturn;
use crate::error::{Error, Res};
use crate::memory::{AllocKind, Prov, Ptr};
use crate::{Loc, Machine};

impl Machine<'_> {
    pub(crate) fn alloc_shim(&mut self, shim: AllocShim, ret: CallReturn) -> Res<()> {
        use AllocShim::*;
        let wanted = match shim {
            RustAlloc | RustAllocZeroed | MiriAlloc | Malloc => self.arg_u64(0),
            RustRealloc => self.arg_u64(3),
            Realloc | Mmap => self.arg_u64(1),
            Calloc => self.arg_u64(0).saturating_mul(self.arg_u64(1)),
            PosixMemalign => self.arg_u64(2),
            AlignedAlloc => self.arg_u64(1),
            _ => 0,
        };
        if let RustAlloc | RustAllocZeroed | RustRealloc | MiriAlloc = shim {
            let (size, align) = match shim {
                RustRealloc => (self.arg_u64(3), self.arg_u64(2)),
                _ => (self.arg_u64(0), self.arg_u64(1)),
            };
            check_rust_layout(size, align)?;
        }
        if wanted > 0 {
            self.check_memory_limit(wanted)?;
        }
        match shim {
            RustAlloc | RustAllocZeroed => {
                let (size, align) = (self.arg_u64(0), self.arg_u64(1));
                let p = if shim == RustAllocZeroed {
                    self.mem.allocate(size, align, AllocKind::Rust)
                } else {
                    self.mem.allocate_uninit(size, align, AllocKind::Rust)
                };
                self.mem.set_alloc_site(p.prov, self.user_site());
                self.complete_ptr(ret, p)
            }
            RustDealloc => {
                let (p, size, align) = (self.arg_ptr(0), self.arg_u64(1), self.arg_u64(2));
                self.mem.deallocate(p, Some((size, align)), AllocKind::Rust)?;
                self.mem.set_free_site(p.prov, self.user_site());
                self.complete_unit(ret)
            }
            RustRealloc => {
                let (p, old, align, new) = (self.arg_ptr(0), self.arg_u64(1), self.arg_u64(2), self.arg_u64(3));
                let q = self.mem.allocate_uninit(new, align, AllocKind::Rust);
                self.mem.set_alloc_site(q.prov, self.user_site());
                self.copy_loc(Loc::Mem(p), Loc::Mem(q), old.min(new))?;
                self.mem.deallocate(p, Some((old, align)), AllocKind::Rust)?;
                self.mem.set_free_site(p.prov, self.user_site());
                self.complete_ptr(ret, q)
            }
            RustNoAllocShimIsUnstable => self.complete_unit(ret),
            MiriPromiseSymbolicAlignment => {
                let (p, align) = (self.arg_ptr(0), self.arg_u64(1));
                if !align.is_power_of_two() {
                    return Err(Error::unsupported(format!(
                        "`miri_promise_symbolic_alignment`: alignment must be a power of 2, got {align}"
                    )));
                }
                if !p.addr.is_multiple_of(align) {
                    return Err(Error::unsupported("`miri_promise_symbolic_alignment`: pointer is not actually aligned"));
                }
                if p.prov.alloc != 0 {
                    let a = self.mem.get(p.prov);
                    let (base, alloc_align) = (a.base, a.align);
                    let stronger = align > alloc_align && self.mem.promised_align.get(&p.prov.alloc).is_none_or(|&(_, old)| align > old);
                    if a.live && stronger {
                        self.mem.promised_align.insert(p.prov.alloc, (p.addr.wrapping_sub(base), align));
                    }
                }
                self.complete_unit(ret)
            }
            RustAllocErrorHandler => Err(Error::terminated("memory allocation failed")),
            MiriAlloc => {
                let p = self.mem.allocate_uninit(self.arg_u64(0), self.arg_u64(1), AllocKind::Machine);
                self.mem.set_alloc_site(p.prov, self.user_site());
                self.complete_ptr(ret, p)
            }
            MiriDealloc => {
                let (p, size, align) = (self.arg_ptr(0), self.arg_u64(1), self.arg_u64(2));
                self.mem.deallocate(p, Some((size, align)), AllocKind::Machine)?;
                self.mem.set_free_site(p.prov, self.user_site());
                self.complete_unit(ret)
            }
            Malloc => {
                let p = self.mem.allocate_uninit(self.arg_u64(0), 16, AllocKind::C);
                self.mem.set_alloc_site(p.prov, self.user_site());
                self.complete_ptr(ret, p)
            }
            Calloc => {
                let n = self.arg_u64(0).checked_mul(self.arg_u64(1)).ok_or_else(|| Error::unsupported("calloc size overflow"))?;
                let p = self.mem.allocate(n, 16, AllocKind::C);
                self.mem.set_alloc_site(p.prov, self.user_site());
                self.complete_ptr(ret, p)
            }
            Realloc => {
                let (p, new) = (self.arg_ptr(0), self.arg_u64(1));
                let q = self.mem.allocate_uninit(new, 16, AllocKind::C);
                self.mem.set_alloc_site(q.prov, self.user_site());
                if p.addr != 0 {
                    let old = self.mem.get(p.prov).size;
                    self.copy_loc(Loc::Mem(p), Loc::Mem(q), old.min(new))?;
                    self.mem.deallocate(p, None, AllocKind::C)?;
                }
                self.complete_ptr(ret, q)
            }
            Free => {
                let p = self.arg_ptr(0);
                if p.addr != 0 {
                    self.mem.deallocate(p, None, AllocKind::C)?;
                    self.mem.set_free_site(p.prov, self.user_site());
                }
                self.complete_unit(ret)
            }
            PosixMemalign => {
                let (out, align, size) = (self.arg_ptr(0), self.arg_u64(1), self.arg_u64(2));
                let p = self.mem.allocate_uninit(size, align, AllocKind::C);
                self.mem.set_alloc_site(p.prov, self.user_site());
                self.mem.write_scalar(out, 8, p.addr as u128, p.prov)?;
                self.complete_call(ret, 0)
            }
            AlignedAlloc => {
                let (align, size) = (self.arg_u64(0), self.arg_u64(1));
                let p = self.mem.allocate_uninit(size, align, AllocKind::C);
                self.mem.set_alloc_site(p.prov, self.user_site());
                self.complete_ptr(ret, p)
            }
            Mmap => {
                let p = self.mmap()?;
                self.complete_ptr(ret, p)
            }
            Munmap => {
                let r = self.munmap()?;
                self.complete_call(ret, r)
            }
        }
    }

    /// An allocation of `size` more bytes must fit under the memory limit (the program stops
    /// with "resource exhaustion" here otherwise, before the host runs out).
    fn check_memory_limit(&self, size: u64) -> Res<()> {
        let (live, limit) = (self.mem.live_bytes, self.config.memory_limit);
        if live.saturating_add(size) > limit {
            return Err(Error::exhausted(format!(
                "memory limit reached: allocating {} with {} allocated, over the limit of {} (`-Zvigil-memory-limit`)",
                bytes(size),
                bytes(live),
                bytes(limit)
            )));
        }
        Ok(())
    }

    /// `mmap(addr, length, prot, flags, fd, offset)`: private anonymous read-write mappings
    /// (new zeroed memory, page-aligned, a whole number of pages); other kinds are unsupported.
    fn mmap(&mut self) -> Res<Ptr> {
        const PROT_READ: u64 = 1;
        const PROT_WRITE: u64 = 2;
        const MAP_SHARED: u64 = 0x1;
        const MAP_PRIVATE: u64 = 0x2;
        const MAP_FIXED: u64 = 0x10;
        const MAP_ANONYMOUS: u64 = 0x20;
        let failed = Ptr { addr: u64::MAX, prov: Prov::NONE };
        let (length, prot, flags) = (self.arg_u64(1), self.arg_u64(2) as u32 as u64, self.arg_u64(3) as u32 as u64);
        let (fd, offset) = (self.arg_u64(4) as u32 as i32, self.arg_u64(5));
        if (flags & (MAP_PRIVATE | MAP_SHARED)).count_ones() != 1 || length == 0 {
            self.set_errno(EINVAL)?;
            return Ok(failed);
        }
        if fd != -1 {
            return Err(Error::unsupported("file-backed memory mappings (`mmap` of a file)"));
        }
        if flags & MAP_FIXED != 0 {
            return Err(Error::unsupported("`mmap` with MAP_FIXED"));
        }
        if prot != PROT_READ | PROT_WRITE {
            return Err(Error::unsupported("`mmap` with protections other than PROT_READ|PROT_WRITE"));
        }
        if flags != MAP_PRIVATE | MAP_ANONYMOUS {
            return Err(Error::unsupported("`mmap` with flags other than MAP_PRIVATE|MAP_ANONYMOUS"));
        }
        if offset != 0 {
            return Err(Error::unsupported("`mmap` with a non-zero offset"));
        }
        let page = self.os.config.page_size;
        let Some(len) = length.checked_next_multiple_of(page).filter(|&l| l <= i64::MAX as u64) else {
            self.set_errno(EINVAL)?;
            return Ok(failed);
        };
        let p = self.mem.allocate(len, page, AllocKind::Mmap);
        self.mem.set_alloc_site(p.prov, self.user_site());
        Ok(p)
    }

    /// `munmap(addr, length)`: frees a whole mapping (`length` rounded up to pages).
    fn munmap(&mut self) -> Res<i64> {
        let (p, length) = (self.arg_ptr(0), self.arg_u64(1));
        let page = self.os.config.page_size;
        let Some(len) = length.checked_next_multiple_of(page).filter(|_| p.addr.is_multiple_of(page)) else {
            self.set_errno(EINVAL)?;
            return Ok(-1);
        };
        self.mem.deallocate(p, Some((len, page)), AllocKind::Mmap)?;
        self.mem.set_free_site(p.prov, self.user_site());
        Ok(0)
    }
}

/// A byte count for people: `1.5 GiB`, `12 KiB`, `100 bytes`.
pub(crate) fn bytes(n: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if n < 1024 {
        return format!("{n} bytes");
    }
    let mut v = n as f64 / 1024.0;
    let mut unit = 0;
    while v >= 1024.0 && unit + 1 < UNITS.len() {
        v /= 1024.0;
        unit += 1;
    }
    format!("{v:.1} {}", UNITS[unit])
}

/// A layout the Rust allocator may be asked for: a power-of-two alignment rustc supports
/// and a size that fits in `isize`.
fn check_rust_layout(size: u64, align: u64) -> Res<()> {
    if !align.is_power_of_two() {
        return Err(Error::ub(format!("creating allocation with non-power-of-two alignment {align}")));
    }
    if align > 1 << 29 {
        return Err(Error::unsupported(format!("creating allocation with alignment {align} exceeding rustc's maximum supported value")));
    }
    if size > i64::MAX as u64 {
        return Err(Error::ub("creating an allocation larger than half the address space"));
    }
    Ok(())
}
