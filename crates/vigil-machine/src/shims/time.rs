//! Clocks: the monotonic clock is the machine's virtual clock; the real-time clock, which
//! isolation hides, starts at the host's time and advances with the monotonic one.

use vigil_ir::TimeShim;

use super::errno::EINVAL;
use crate::Machine;
use crate::concurrency::CallReturn;
use crate::error::Res;
use crate::memory::Prov;

const CLOCK_REALTIME: u64 = 0;
const CLOCK_MONOTONIC: u64 = 1;
const CLOCK_PROCESS_CPUTIME_ID: u64 = 2;
const CLOCK_THREAD_CPUTIME_ID: u64 = 3;
const CLOCK_MONOTONIC_RAW: u64 = 4;
const CLOCK_REALTIME_COARSE: u64 = 5;
const CLOCK_MONOTONIC_COARSE: u64 = 6;
const CLOCK_BOOTTIME: u64 = 7;

impl Machine<'_> {
    pub(crate) fn time_shim(&mut self, shim: TimeShim, ret: CallReturn) -> Res<()> {
        use TimeShim::*;
        match shim {
            ClockGettime | ClockGetres => {
                let (clock, tp) = (self.arg_u64(0) as u32 as u64, self.arg_ptr(1));
                let nanos = match clock {
                    CLOCK_REALTIME | CLOCK_REALTIME_COARSE => {
                        if shim == ClockGetres {
                            1
                        } else {
                            self.require_no_isolation("`clock_gettime` with `REALTIME` clocks")?;
                            self.realtime_nanos()
                        }
                    }
                    CLOCK_MONOTONIC
                    | CLOCK_MONOTONIC_RAW
                    | CLOCK_MONOTONIC_COARSE
                    | CLOCK_BOOTTIME
                    | CLOCK_PROCESS_CPUTIME_ID
                    | CLOCK_THREAD_CPUTIME_ID => {
                        if shim == ClockGetres {
                            1
                        } else {
                            self.monotonic_nanos()
                        }
                    }
                    _ => return self.fail_call(ret, EINVAL),
                };
                if tp.addr != 0 {
                    self.write_timespec(tp, nanos)?;
                }
                self.complete_call(ret, 0)
            }
            LocaltimeR => {
                let (t, out) = (self.arg_ptr(0), self.arg_ptr(1));
                self.require_no_isolation("`localtime_r`")?;
                let (secs, _) = self.mem.read_scalar(t, 8)?;
                let secs = secs as u64 as i64;
                // `struct tm`: nine ints, the offset from UTC at 40, the zone's name at 48.
                let mut tm = [0u8; 56];
                // SAFETY: a `time_t` and a buffer of `struct tm`'s size.
                if unsafe { super::host::localtime_r(&secs, tm.as_mut_ptr()) }.is_null() {
                    return self.fail_ptr(ret, EINVAL);
                }
                let zone_ptr = u64::from_le_bytes(tm[48..56].try_into().unwrap()) as *const i8;
                let zone = if zone_ptr.is_null() {
                    Vec::new()
                } else {
                    // SAFETY: the host's static zone name.
                    unsafe { std::ffi::CStr::from_ptr(zone_ptr) }.to_bytes().to_vec()
                };
                let zone = self.os.static_c_string(&mut self.mem, &zone);
                self.mem.write(out, &tm[..48], &[])?;
                self.mem.write_scalar(out.offset(48), 8, zone.addr as u128, zone.prov)?;
                self.complete_ptr(ret, out)
            }
            Gettimeofday => {
                let tv = self.arg_ptr(0);
                self.require_no_isolation("`gettimeofday`")?;
                let nanos = self.realtime_nanos();
                self.mem.write_scalar(tv, 8, nanos / 1_000_000_000, Prov::NONE)?;
                self.mem.write_scalar(tv.offset(8), 8, nanos % 1_000_000_000 / 1000, Prov::NONE)?;
                self.complete_call(ret, 0)
            }
        }
    }

    /// The real time since the Unix epoch, in nanoseconds: the host's when the machine
    /// started plus the time that passed on the monotonic clock since (so both clocks move
    /// together, also when sleeping skips ahead).
    fn realtime_nanos(&self) -> u128 {
        self.os.realtime_start + self.now_nanos()
    }

    pub(crate) fn write_timespec(&mut self, tp: crate::memory::Ptr, nanos: u128) -> Res<()> {
        self.mem.write_scalar(tp, 8, nanos / 1_000_000_000, Prov::NONE)?;
        self.mem.write_scalar(tp.offset(8), 8, nanos % 1_000_000_000, Prov::NONE)
    }
}
