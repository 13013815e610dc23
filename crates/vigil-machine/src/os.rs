//! State of the emulated operating system: program arguments, environment, clocks,
//! randomness, pthread keys and the standard streams.

use std::collections::BTreeMap;
use std::io::Write;
use std::time::Instant;

use crate::memory::{AllocKind, Memory, Ptr};

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
}

impl Default for OsConfig {
    fn default() -> Self {
        OsConfig { args: Vec::new(), env: Vec::new(), seed: 0, page_size: 4096, mute_output: false, capture_stdout: false }
    }
}

pub struct Os {
    pub config: OsConfig,
    /// Each environment entry: (name, pointer to "NAME=value\0").
    pub env_entries: Vec<(String, Ptr)>,
    pub argv: Ptr,
    pub errno: Ptr,
    pub start: Instant,
    rng: u64,
    /// Live pthread keys with their destructors (null: none); each thread's values are
    /// kept with the thread.
    pub key_dtors: BTreeMap<u64, Ptr>,
    pub next_key: u64,
    /// What the program wrote to stdout, with `capture_stdout`.
    pub captured: Vec<u8>,
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
        Os { config, env_entries, argv, errno, start: Instant::now(), rng, key_dtors: BTreeMap::new(), next_key: 1, captured: Vec::new() }
    }

    /// Replaces argv (before the program runs; the old strings stay, unreachable).
    pub fn set_args(&mut self, args: Vec<String>, mem: &mut Memory) {
        let ptrs: Vec<Ptr> = args.iter().map(|a| c_string(mem, a.as_bytes())).collect();
        self.argv = pointer_array(mem, &ptrs);
        self.config.args = args;
    }

    /// Deterministic pseudo-random bytes (xorshift64*), so runs are reproducible.
    pub fn random_bytes(&mut self, n: usize) -> Vec<u8> {
        let mut out = Vec::with_capacity(n);
        while out.len() < n {
            self.rng ^= self.rng >> 12;
            self.rng ^= self.rng << 25;
            self.rng ^= self.rng >> 27;
            let v = self.rng.wrapping_mul(0x2545_F491_4F6C_DD1D);
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.truncate(n);
        out
    }

    /// Writes to the real standard output or error; returns false for other descriptors.
    pub fn write_fd(&mut self, fd: u64, bytes: &[u8]) -> bool {
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
