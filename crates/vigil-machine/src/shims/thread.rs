//! Thread-related libc calls: creating, joining and detaching threads, names, CPU affinity,
//! yielding and sleeping, and pthread keys (thread-specific values with destructors).

use vigil_ir::ThreadShim;

use crate::Machine;
use crate::concurrency::{BlockReason, CallReturn, Resume};
use crate::error::{Error, Res};
use crate::memory::{Prov, Ptr};

const ESRCH: i64 = 3;
const EINVAL: i32 = 22;
const ERANGE: i64 = 34;
/// `TIMER_ABSTIME` for `clock_nanosleep`.
const TIMER_ABSTIME: u64 = 1;
/// Size of Linux's `cpu_set_t` in bytes.
const CPU_SET_SIZE: u64 = 128;
/// Thread names are at most 15 bytes plus the terminating NUL on Linux.
const MAX_NAME_LEN: usize = 16;

impl Machine<'_> {
    /// Handles the thread shims; each completes its call itself (or blocks the thread).
    pub(crate) fn thread_shim(&mut self, shim: ThreadShim, ret: CallReturn) -> Res<()> {
        use ThreadShim::*;
        match shim {
            PthreadCreate => {
                let (out, start, arg) = (self.arg_ptr(0), self.arg_ptr(2), self.arg_ptr(3));
                let f = self.mem.fn_of_ptr(start)?;
                let t = self.spawn_thread(f, arg)?;
                self.mem.write_scalar(out, 8, t.0 as u128, Prov::NONE)?;
                self.complete_call(ret, 0)
            }
            PthreadJoin => {
                let (raw, retval) = (self.arg_u64(0), self.arg_ptr(1));
                match self.threads.lookup(raw) {
                    Some(t) => self.join_thread(t, retval, ret, 0),
                    None => self.complete_call(ret, ESRCH),
                }
            }
            // Miri's own thread API (for `no_std` programs): `miri_thread_spawn(f, data) -> id`
            // and `miri_thread_join(id) -> bool`.
            MiriThreadSpawn => {
                let (start, arg) = (self.arg_ptr(0), self.arg_ptr(1));
                let f = self.mem.fn_of_ptr(start)?;
                let t = self.spawn_thread(f, arg)?;
                self.complete_call(ret, t.0 as i64)
            }
            MiriThreadJoin => match self.threads.lookup(self.arg_u64(0)) {
                Some(t) => self.join_thread(t, Ptr { addr: 0, prov: Prov::NONE }, ret, 1),
                None => self.complete_call(ret, 0),
            },
            PthreadDetach => match self.threads.lookup(self.arg_u64(0)) {
                Some(t) => {
                    self.detach_thread(t)?;
                    self.complete_call(ret, 0)
                }
                None => self.complete_call(ret, ESRCH),
            },
            PthreadSelf => {
                let t = self.threads.active.0;
                self.complete_call(ret, t as i64)
            }
            PthreadSetnameNp => {
                let (raw, name) = (self.arg_u64(0), self.read_c_string(self.arg_ptr(1))?);
                let Some(t) = self.threads.lookup(raw) else { return self.complete_call(ret, ESRCH) };
                if name.len() >= MAX_NAME_LEN {
                    return self.complete_call(ret, ERANGE);
                }
                self.mem.race_set_thread_name(t, String::from_utf8_lossy(&name).into_owned());
                self.threads.get_mut(t).name = Some(name);
                self.complete_call(ret, 0)
            }
            PthreadGetnameNp => {
                let (raw, buf, len) = (self.arg_u64(0), self.arg_ptr(1), self.arg_u64(2));
                let Some(t) = self.threads.lookup(raw) else { return self.complete_call(ret, ESRCH) };
                let mut name = self.threads.get(t).name.clone().unwrap_or_default();
                name.push(0);
                if name.len() as u64 > len {
                    return self.complete_call(ret, ERANGE);
                }
                self.mem.write(buf, &name, &[])?;
                self.complete_call(ret, 0)
            }
            PthreadAttrInit | PthreadAttrDestroy | PthreadAttrSetstacksize => self.complete_call(ret, 0),
            PthreadAttrGetstacksize => {
                self.mem.write_scalar(self.arg_ptr(1), 8, 8 << 20, Prov::NONE)?;
                self.complete_call(ret, 0)
            }
            SchedGetaffinity => {
                let (size, mask) = (self.arg_u64(1), self.arg_ptr(2));
                if size < CPU_SET_SIZE.min(self.config.num_cpus.div_ceil(8) as u64) || size % 8 != 0 {
                    self.set_errno(EINVAL)?;
                    return self.complete_call(ret, -1);
                }
                let mut bytes = vec![0u8; size as usize];
                for cpu in 0..self.config.num_cpus as usize {
                    if let Some(b) = bytes.get_mut(cpu / 8) {
                        *b |= 1 << (cpu % 8);
                    }
                }
                self.mem.write(mask, &bytes, &[])?;
                self.complete_call(ret, 0)
            }
            SchedSetaffinity => self.complete_call(ret, 0),
            SchedYield => {
                self.threads.reschedule = true;
                self.complete_call(ret, 0)
            }
            Nanosleep => {
                let d = self.read_timespec(self.arg_ptr(0))?;
                self.sleep(d, false, ret)
            }
            ClockNanosleep => {
                let (flags, d) = (self.arg_u64(1), self.read_timespec(self.arg_ptr(2))?);
                self.sleep(d, flags & TIMER_ABSTIME != 0, ret)
            }
            Usleep => {
                let d = self.arg_u64(0) as u128 * 1000;
                self.sleep(Some(d), false, ret)
            }
            PthreadKeyCreate => {
                let (out, dtor) = (self.arg_ptr(0), self.arg_ptr(1));
                let key = self.os.next_key;
                self.os.next_key += 1;
                self.os.key_dtors.insert(key, dtor);
                self.mem.write_scalar(out, 4, key as u128, Prov::NONE)?;
                self.complete_call(ret, 0)
            }
            PthreadKeyDelete => {
                let key = self.arg_u64(0) as u32 as u64;
                self.os.key_dtors.remove(&key);
                for t in &mut self.threads.threads {
                    t.specific.remove(&key);
                }
                self.complete_call(ret, 0)
            }
            PthreadGetspecific => {
                let key = self.arg_u64(0) as u32 as u64;
                let (v, p) = self.threads.active().specific.get(&key).copied().unwrap_or((0, Prov::NONE));
                self.write_loc_scalar(ret.dst, 8, v, p)?;
                self.shim_return(ret.target)
            }
            PthreadSetspecific => {
                let key = self.arg_u64(0) as u32 as u64;
                if !self.os.key_dtors.contains_key(&key) {
                    return self.complete_call(ret, EINVAL as i64);
                }
                let v = self.arg_scalar(1);
                self.mem.note_stored(v.1);
                self.threads.active_mut().specific.insert(key, v);
                self.complete_call(ret, 0)
            }
            // The main thread's id is the process id; the others follow it.
            Gettid => {
                let tid = self.gettid();
                self.complete_call(ret, tid)
            }
            // std asks for its stack's bounds (for its guard page); there is no native stack.
            PthreadGetattrNp | PthreadAttrGetstack => {
                Err(Error::unsupported(format!("can't call foreign function `{}` on OS `linux`", shim.name())))
            }
        }
    }

    /// The running thread's Linux thread id.
    pub(crate) fn gettid(&self) -> i64 {
        self.os.pid() as i64 + self.threads.active.0 as i64
    }

    /// Blocks the running thread for `d` nanoseconds (or until the virtual time `d` when
    /// `absolute`); `None` (an invalid time) fails with `EINVAL`.
    fn sleep(&mut self, d: Option<u128>, absolute: bool, ret: CallReturn) -> Res<()> {
        let Some(d) = d else {
            self.set_errno(EINVAL)?;
            return self.complete_call(ret, -1);
        };
        let deadline = if absolute { self.virtual_from_monotonic(d) } else { self.now_nanos().saturating_add(d) };
        self.block_current(BlockReason::Sleep, Some(deadline), Resume::Value { ret, ready: 0, timed_out: Some((0, None)) });
        Ok(())
    }

    /// A `struct timespec` as nanoseconds (`None` if it is not a valid time).
    pub(crate) fn read_timespec(&self, p: Ptr) -> Res<Option<u128>> {
        let (secs, _) = self.mem.read_scalar(p, 8)?;
        let (nanos, _) = self.mem.read_scalar(p.offset(8), 8)?;
        let (secs, nanos) = (secs as u64 as i64, nanos as u64 as i64);
        if secs < 0 || !(0..1_000_000_000).contains(&nanos) {
            return Ok(None);
        }
        Ok(Some(secs as u128 * 1_000_000_000 + nanos as u128))
    }
}
