//! State of the emulated operating system: program arguments, the environment block,
//! randomness, pthread keys, the file-descriptor table, open directories and the standard
//! streams. The calls that use it are in `shims/`, by concern.

use std::collections::{BTreeMap, HashSet};
use std::io::Write;
use std::time::Instant;

use crate::error::Res;
use crate::memory::{AllocKind, Memory, Ptr};
use crate::shims::fd::FdTable;
use crate::shims::isolation::Isolation;

/// What the interpreted program sees of its process.
#[derive(Clone, Debug)]
pub struct OsConfig {
    /// argv, including the program name.
    pub args: Vec<String>,
    pub env: Vec<(String, String)>,
    /// Seed of the deterministic random source (`getrandom`).
    pub seed: u64,
    /// What `sysconf(_SC_PAGESIZE)` answers.
    pub page_size: u64,
    /// Writes to stdout and stderr are dropped (and reported as done).
    pub mute_output: bool,
    /// Writes to stdout are kept in `Os::captured` instead of printed.
    pub capture_stdout: bool,
    /// Whether the program may use the host (files, real clocks, the current directory).
    pub isolation: Isolation,
    /// Reads and writes of host files may transfer fewer bytes than asked (off:
    /// `-Zmiri-no-short-fd-operations`).
    pub short_fd_ops: bool,
}

impl Default for OsConfig {
    fn default() -> Self {
        OsConfig {
            args: Vec::new(),
            env: Vec::new(),
            seed: 0,
            page_size: 4096,
            mute_output: false,
            capture_stdout: false,
            isolation: Isolation::default(),
            short_fd_ops: true,
        }
    }
}

pub struct Os {
    pub config: OsConfig,
    /// Each environment entry: (name, pointer to "NAME=value\0"), in `environ`'s order.
    pub env_entries: Vec<(String, Ptr)>,
    /// The `environ` static and the array it points to (rebuilt when the environment changes).
    environ_static: Ptr,
    environ_array: Ptr,
    pub argv: Ptr,
    pub errno: Ptr,
    pub start: Instant,
    rng: u64,
    /// The machine's own choices (kept apart from `rng`, the program's entropy, so they do
    /// not shift what `getrandom` returns).
    choices: u64,
    /// Live pthread keys with their destructors (null: none); each thread's values are
    /// kept with the thread.
    pub key_dtors: BTreeMap<u64, Ptr>,
    pub next_key: u64,
    /// What the program wrote to stdout, with `capture_stdout`.
    pub captured: Vec<u8>,
    /// The file-descriptor table, shared by all threads.
    pub fds: FdTable,
    /// Open directory streams (`opendir`), by the address of their `DIR` handle.
    pub dirs: BTreeMap<u64, crate::shims::fs::DirStream>,
    /// The host's real time when the machine started, in nanoseconds since the Unix epoch.
    pub realtime_start: u128,
    /// Strings the emulated C library hands out that live as long as the program.
    static_strings: std::collections::HashMap<Vec<u8>, Ptr>,
    /// The last id given to an emulated I/O object (pipes, eventfds).
    next_io: u64,
    /// Operations already warned about (`-Zmiri-isolation-error=warn-nobacktrace`).
    pub warned: HashSet<String>,
}

impl Os {
    pub fn new(config: OsConfig, mem: &mut Memory) -> Os {
        let mut env_entries = Vec::new();
        let mut environ = Vec::new();
        for (k, v) in &config.env {
            let p = c_string(mem, format!("{k}={v}").as_bytes());
            env_entries.push((k.clone(), p));
            environ.push(p);
        }
        let environ_array = pointer_array(mem, &environ);
        let environ_static = mem.allocate(8, 8, AllocKind::Machine);
        mem.write_scalar(environ_static, 8, environ_array.addr as u128, environ_array.prov).unwrap();
        mem.extern_statics.insert("environ".into(), environ_static);
        let argv_ptrs: Vec<Ptr> = config.args.iter().map(|a| c_string(mem, a.as_bytes())).collect();
        let argv = pointer_array(mem, &argv_ptrs);
        let errno = mem.allocate(4, 4, AllocKind::Machine);
        let rng = config.seed ^ 0x9E37_79B9_7F4A_7C15;
        let choices = (config.seed ^ 0x2545_F491_4F6C_DD1D).max(1);
        Os {
            config,
            env_entries,
            environ_static,
            environ_array,
            argv,
            errno,
            start: Instant::now(),
            rng,
            choices,
            key_dtors: BTreeMap::new(),
            next_key: 1,
            captured: Vec::new(),
            fds: FdTable::with_stdio(),
            dirs: BTreeMap::new(),
            warned: HashSet::new(),
            next_io: 0,
            static_strings: Default::default(),
            realtime_start: std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_nanos(),
        }
    }

    /// A NUL-terminated string that lives as long as the program (made once per content).
    pub fn static_c_string(&mut self, mem: &mut Memory, s: &[u8]) -> Ptr {
        *self.static_strings.entry(s.to_vec()).or_insert_with(|| c_string(mem, s))
    }

    /// A new id for an emulated I/O object (what threads blocked on it wait for).
    pub fn next_io_id(&mut self) -> u64 {
        self.next_io += 1;
        self.next_io
    }

    /// The process id: a fixed one under isolation (runs are reproducible), else the host's.
    pub fn pid(&self) -> u32 {
        if self.config.isolation == Isolation::Allow { std::process::id() } else { ISOLATED_PID }
    }

    /// The host name: a fixed one under isolation, else the host's.
    pub fn hostname(&self) -> Vec<u8> {
        if self.config.isolation == Isolation::Allow
            && let Ok(name) = std::fs::read("/proc/sys/kernel/hostname")
        {
            return name.trim_ascii_end().to_vec();
        }
        b"vigil".to_vec()
    }

    /// The value of environment variable `name` (a pointer into its "NAME=value" string).
    pub fn getenv(&self, name: &[u8]) -> Option<Ptr> {
        self.env_entries.iter().find(|(k, _)| k.as_bytes() == name).map(|(k, p)| p.offset(k.len() as u64 + 1))
    }

    /// Sets (or with `None` removes) a variable: the old string is freed (a pointer `getenv`
    /// returned for it dangles, as in C) and `environ` gets a new array.
    pub fn setenv(&mut self, mem: &mut Memory, name: &str, value: Option<&[u8]>) -> Res<()> {
        if let Some(i) = self.env_entries.iter().position(|(k, _)| k == name) {
            let (_, old) = self.env_entries.remove(i);
            mem.deallocate(old, None, AllocKind::Machine)?;
        }
        if let Some(v) = value {
            let mut s = format!("{name}=").into_bytes();
            s.extend_from_slice(v);
            let p = c_string(mem, &s);
            self.env_entries.push((name.to_string(), p));
        }
        let ptrs: Vec<Ptr> = self.env_entries.iter().map(|e| e.1).collect();
        let array = pointer_array(mem, &ptrs);
        mem.deallocate(self.environ_array, None, AllocKind::Machine)?;
        self.environ_array = array;
        mem.write_scalar(self.environ_static, 8, array.addr as u128, array.prov)
    }

    /// Replaces argv (before the program runs; the old strings stay, unreachable).
    pub fn set_args(&mut self, args: Vec<String>, mem: &mut Memory) {
        let ptrs: Vec<Ptr> = args.iter().map(|a| c_string(mem, a.as_bytes())).collect();
        self.argv = pointer_array(mem, &ptrs);
        self.config.args = args;
    }

    /// A seeded coin flip for the machine's nondeterministic choices (xorshift64*).
    pub fn nondet_bool(&mut self) -> bool {
        xorshift64_star(&mut self.choices) >> 63 == 1
    }

    /// Seeded random bits for the machine's nondeterministic choices (the error of approximate
    /// float instructions).
    pub fn nondet_u64(&mut self) -> u64 {
        xorshift64_star(&mut self.choices)
    }

    /// Deterministic pseudo-random bytes (xorshift64*), so runs are reproducible.
    pub fn random_bytes(&mut self, n: usize) -> Vec<u8> {
        let mut out = Vec::with_capacity(n);
        while out.len() < n {
            out.extend_from_slice(&xorshift64_star(&mut self.rng).to_le_bytes());
        }
        out.truncate(n);
        out
    }

    /// Writes to the real standard output (`fd` 1) or error (2); false for other numbers.
    pub fn write_stdio(&mut self, fd: u64, bytes: &[u8]) -> bool {
        // std built with `cfg(miri)` adds a note about Miri's MIRIFLAGS to its first panic
        // message. It does not apply to Vigil (the environment is forwarded as is), and the
        // native program does not print it, so it is dropped.
        if fd == 2 && bytes.starts_with(MIRI_ENV_NOTE) {
            return true;
        }
        if self.config.mute_output && (fd == 1 || fd == 2) {
            return true;
        }
        if self.config.capture_stdout && fd == 1 {
            self.captured.extend_from_slice(bytes);
            return true;
        }
        let r = match fd {
            1 => {
                let mut out = std::io::stdout().lock();
                out.write_all(bytes).and_then(|_| out.flush())
            }
            2 => std::io::stderr().lock().write_all(bytes),
            _ => return false,
        };
        // A closed pipe on the real stream is not the program's fault; report success.
        let _ = r;
        true
    }
}

/// What `getpid` answers under isolation.
const ISOLATED_PID: u32 = 1000;

const MIRI_ENV_NOTE: &[u8] = b"note: in Miri, you may have to set `MIRIFLAGS=-Zmiri-env-forward=RUST_BACKTRACE`";

fn c_string(mem: &mut Memory, s: &[u8]) -> Ptr {
    let mut bytes = s.to_vec();
    bytes.push(0);
    mem.allocate_with(&bytes, &[], 1, AllocKind::Machine, true)
}

/// A NULL-terminated array of pointers.
fn pointer_array(mem: &mut Memory, ptrs: &[Ptr]) -> Ptr {
    let arr = mem.allocate((ptrs.len() as u64 + 1) * 8, 8, AllocKind::Machine);
    for (i, p) in ptrs.iter().enumerate() {
        mem.write_scalar(arr.offset(i as u64 * 8), 8, p.addr as u128, p.prov).unwrap();
    }
    arr
}

/// The next value of a xorshift64* generator (`state` must not be 0): the machine's seeded
/// randomness, for the program's entropy and for the machine's own choices.
pub(crate) fn xorshift64_star(state: &mut u64) -> u64 {
    *state ^= *state >> 12;
    *state ^= *state << 25;
    *state ^= *state >> 27;
    state.wrapping_mul(0x2545_F491_4F6C_DD1D)
}
