//! Vigil's flags, as Miri users write them: every `-Zmiri-*` flag of the pinned Miri is
//! known here, spelled `-Zmiri-` or `-Zvigil-`, from `MIRIFLAGS`, `VIGILFLAGS` and the command
//! line (in that order; a later flag wins). Each flag is implemented, accepted without effect
//! (a tuning knob that means nothing for Vigil's design), or refused with the reason (a
//! capability Vigil lacks yet), so that no flag is silently misread.
//!
//! The table below is the single list: parsing, `vigil --help` and the README's flag table
//! (checked by a test) come from it.

use vigil_machine::float::RoundingError;
use vigil_machine::{Isolation, RejectWith};

use crate::run::Options;

/// Whether a flag takes a value.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Arg {
    /// `-Zmiri-x`
    None,
    /// `-Zmiri-x=VALUE`
    Value,
    /// `-Zmiri-x` or `-Zmiri-x=VALUE`
    Optional,
}

/// What Vigil does with a flag.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Support {
    Implemented,
    /// Accepted; it changes nothing, for the reason given.
    NoEffect(&'static str),
    /// Refused (the run stops before it starts), for the reason given.
    Unsupported(&'static str),
}

pub struct Flag {
    /// The name after `-Zmiri-`/`-Zvigil-`.
    pub name: &'static str,
    pub arg: Arg,
    pub support: Support,
    /// One line for `--help` and the README.
    pub doc: &'static str,
}

use Arg::{None as NoArg, Optional, Value};
use Support::{Implemented as Yes, NoEffect, Unsupported};

const DEBUGGING: &str = "this debugging aid of Miri's is not available in Vigil";

pub const FLAGS: &[Flag] = &[
    Flag {
        name: "seed",
        arg: Value,
        support: Yes,
        doc: "seed of the random source (scheduling, weak memory, `getrandom`, HashMap keys); default 0",
    },
    Flag {
        name: "many-seeds",
        arg: Optional,
        support: Yes,
        doc: "`[=FROM..TO]`: run once per seed (default `0..64`) on all cores, report the failing seeds",
    },
    Flag { name: "many-seeds-keep-going", arg: NoArg, support: Yes, doc: "with `many-seeds`, try every seed even after one failed" },
    Flag {
        name: "memory-limit",
        arg: Value,
        support: Yes,
        doc: "`=SIZE` (bytes, or with K, M, G, T): the most memory the program may have allocated at once; more stops it with a resource-exhaustion report (default: a quarter of the host's memory)",
    },
    Flag {
        name: "backtrace",
        arg: Value,
        support: Yes,
        doc: "`=0|1|full` (also `off|short`): no backtrace, one without std's runtime frames (default), or all frames",
    },
    Flag {
        name: "symbolic-alignment-check",
        arg: NoArg,
        support: Yes,
        doc: "alignment comes from the allocation and offset, not from the address",
    },
    Flag { name: "disable-alignment-check", arg: NoArg, support: Yes, doc: "do not check alignment (unsound)" },
    Flag { name: "strict-provenance", arg: NoArg, support: Yes, doc: "integer-to-pointer casts are errors" },
    Flag {
        name: "permissive-provenance",
        arg: NoArg,
        support: Yes,
        doc: "integer-to-pointer casts pick up exposed provenance without a warning (Vigil's default)",
    },
    Flag {
        name: "disable-validation",
        arg: NoArg,
        support: Yes,
        doc: "do not check that values are valid for their type; nothing is retagged then either (unsound)",
    },
    Flag {
        name: "recursive-validation",
        arg: NoArg,
        support: Unsupported("validity checks one level below references are not implemented"),
        doc: "validate one level below references",
    },
    Flag {
        name: "disable-stacked-borrows",
        arg: NoArg,
        support: Yes,
        doc: "do not check the aliasing model (either one; a later `tree-borrows` turns it on again)",
    },
    Flag { name: "tree-borrows", arg: NoArg, support: Yes, doc: "check Tree Borrows instead of Stacked Borrows" },
    Flag {
        name: "tree-borrows-no-precise-interior-mut",
        arg: NoArg,
        support: Yes,
        doc: "Tree Borrows treats an interior-mutable pointee as one `UnsafeCell` (more permissive)",
    },
    Flag {
        name: "tree-borrows-implicit-writes",
        arg: NoArg,
        support: Yes,
        doc: "Tree Borrows: protected `&mut` and `Box` arguments start written (`Unique`), less permissive",
    },
    Flag {
        name: "ignore-leaks",
        arg: NoArg,
        support: Yes,
        doc: "do not report memory leaks, nor threads still running when `main` returns",
    },
    Flag {
        name: "disable-leak-backtraces",
        arg: NoArg,
        support: NoEffect("Vigil's leak reports show where the memory was allocated, no backtrace"),
        doc: "no backtraces in leak reports",
    },
    Flag {
        name: "preemption-rate",
        arg: Value,
        support: Yes,
        doc: "probability of preempting the running thread at a basic-block end; default 0.01",
    },
    Flag { name: "fixed-schedule", arg: NoArg, support: Yes, doc: "round-robin scheduling, no preemption" },
    Flag {
        name: "deterministic-concurrency",
        arg: NoArg,
        support: Yes,
        doc: "fixed schedule, no spurious `compare_exchange_weak` failures, no weak-memory effects, no cross-thread address reuse",
    },
    Flag {
        name: "compare-exchange-weak-failure-rate",
        arg: Value,
        support: Yes,
        doc: "how often a weak compare-exchange fails spuriously; default 0.8",
    },
    Flag {
        name: "disable-data-race-detector",
        arg: NoArg,
        support: Yes,
        doc: "do not check for data races (implies no weak-memory emulation; unsound)",
    },
    Flag { name: "disable-weak-memory-emulation", arg: NoArg, support: Yes, doc: "loads always read the latest store" },
    Flag { name: "track-weak-memory-loads", arg: NoArg, support: Unsupported(DEBUGGING), doc: "report loads that read an outdated store" },
    Flag { name: "num-cpus", arg: Value, support: Yes, doc: "CPUs the program sees (`available_parallelism`, `sysconf`); default 1" },
    Flag { name: "address-reuse-rate", arg: Value, support: Yes, doc: "how often freed addresses are reused; default 0.5" },
    Flag {
        name: "address-reuse-cross-thread-rate",
        arg: Value,
        support: Yes,
        doc: "how often addresses freed by another thread are reused; default 0.1",
    },
    Flag {
        name: "provenance-gc",
        arg: Value,
        support: NoEffect("Vigil's collections of dead tags and allocations pace themselves by what grew"),
        doc: "how often provenance is garbage-collected",
    },
    Flag {
        name: "deterministic-floats",
        arg: NoArg,
        support: Yes,
        doc: "deterministic floating point: the preferred NaN, no extra rounding error, `fmuladd` never fused",
    },
    Flag {
        name: "no-extra-rounding-error",
        arg: NoArg,
        support: Yes,
        doc: "no random extra rounding error on operations without guaranteed precision (libm, `sin`, `pow`, ...)",
    },
    Flag {
        name: "max-extra-rounding-error",
        arg: NoArg,
        support: Yes,
        doc: "always the largest extra rounding error (4 ULP) on operations without guaranteed precision",
    },
    Flag {
        name: "force-intrinsic-fallback",
        arg: NoArg,
        support: Yes,
        doc: "run intrinsics' fallback bodies where they have one (unsound)",
    },
    Flag {
        name: "force-page-size",
        arg: Value,
        support: Yes,
        doc: "the page size in KiB the program sees (`sysconf(_SC_PAGESIZE)`); default 4",
    },
    Flag {
        name: "mute-stdout-stderr",
        arg: NoArg,
        support: Yes,
        doc: "drop the program's writes to stdout and stderr (reporting success)",
    },
    Flag {
        name: "dump-ir",
        arg: Value,
        support: Yes,
        doc: "`=NAME`: print the executable form of each function whose path contains NAME to stderr as it is lowered (Vigil only, for its developers)",
    },
    Flag {
        name: "no-retag-elision",
        arg: NoArg,
        support: Yes,
        doc: "retag in full even where nothing can observe the new tag, and give every Tree Borrows tag a node of its own (Vigil only, for comparing runs: verdicts and reports are the same either way)",
    },
    Flag {
        name: "no-copy-propagation",
        arg: NoArg,
        support: Yes,
        doc: "keep every register copy the lowering makes, and every operation on constants (Vigil only, for comparing runs: output and reports are the same either way)",
    },
    Flag {
        name: "no-inline",
        arg: NoArg,
        support: Yes,
        doc: "do not inline small functions into their callers (Vigil only, for comparing runs: output and reports are the same either way, but for allocation numbers)",
    },
    Flag {
        name: "user-relevant-crates",
        arg: Value,
        support: Yes,
        doc: "`=a,b`: also point reports at these crates' code, not only the local crate's",
    },
    Flag {
        name: "disable-isolation",
        arg: NoArg,
        support: Yes,
        doc: "give the program the host's environment, files, current directory and clocks (isolated by default)",
    },
    Flag {
        name: "isolation-error",
        arg: Value,
        support: Yes,
        doc: "`=abort|hide|warn|warn-nobacktrace`: what an operation isolation refuses does: stop (default), or return an error code to the program silently, with a warning, or with a warning once per operation",
    },
    Flag { name: "env-forward", arg: Value, support: Yes, doc: "`=VAR`: show the program this host environment variable under isolation" },
    Flag { name: "env-set", arg: Value, support: Yes, doc: "`=VAR=VALUE`: set an environment variable for the program" },
    Flag {
        name: "no-short-fd-operations",
        arg: NoArg,
        support: Yes,
        doc: "reads and writes of host files transfer all they can (by default some are cut short, as the OS may)",
    },
    Flag {
        name: "report-progress",
        arg: Optional,
        support: Unsupported(DEBUGGING),
        doc: "print the current backtrace every N basic blocks",
    },
    Flag {
        name: "measureme",
        arg: Value,
        support: Unsupported("profiling the interpreted program is not available in Vigil"),
        doc: "profile the interpreted program",
    },
    Flag {
        name: "native-lib",
        arg: Value,
        support: Unsupported("Vigil cannot call native code"),
        doc: "call functions of a native library",
    },
    Flag {
        name: "native-lib-enable-tracing",
        arg: NoArg,
        support: Unsupported("Vigil cannot call native code"),
        doc: "trace native calls",
    },
    Flag { name: "track-alloc-id", arg: Value, support: Unsupported(DEBUGGING), doc: "report when these allocations are made and freed" },
    Flag { name: "track-alloc-accesses", arg: NoArg, support: Unsupported(DEBUGGING), doc: "also report accesses of tracked allocations" },
    Flag {
        name: "track-pointer-tag",
        arg: Value,
        support: Unsupported(DEBUGGING),
        doc: "report when these borrow tags are made and invalidated",
    },
    Flag { name: "genmc", arg: Optional, support: Unsupported("Vigil has no GenMC model-checking mode"), doc: "model-check with GenMC" },
    Flag {
        name: "retag-fields",
        arg: Optional,
        support: NoEffect("fields are always retagged (Miri also ignores it)"),
        doc: "retag fields (always on)",
    },
];

/// The flag a `-Zmiri-*`/`-Zvigil-*` argument names, with its value.
pub fn lookup(arg: &str) -> Option<Result<(&'static Flag, Option<&str>), String>> {
    let rest = arg.strip_prefix("-Zmiri-").or_else(|| arg.strip_prefix("-Zvigil-"))?;
    let (name, value) = match rest.split_once('=') {
        Some((n, v)) => (n, Some(v)),
        None => (rest, None),
    };
    let Some(flag) = FLAGS.iter().find(|f| f.name == name || (f.name == "genmc" && name.starts_with("genmc"))) else {
        return Some(Err(format!("unknown flag `{arg}`")));
    };
    match (flag.arg, value) {
        (Arg::None, Some(_)) => Some(Err(format!("`{arg}`: `-Zmiri-{}` takes no value", flag.name))),
        (Arg::Value, None) => Some(Err(format!("`{arg}` needs a value: `-Zmiri-{}=...`", flag.name))),
        _ => Some(Ok((flag, value))),
    }
}

fn rate(arg: &str, v: &str) -> Result<f64, String> {
    match v.parse::<f64>() {
        Ok(r) if (0.0..=1.0).contains(&r) => Ok(r),
        _ => Err(format!("invalid value in `{arg}`: a probability between 0.0 and 1.0")),
    }
}

/// `FROM..TO` or `..TO` (FROM defaults to 0).
fn seed_range(arg: &str, v: &str) -> Result<std::ops::Range<u64>, String> {
    let err = || format!("`{arg}`: the range must be `FROM..TO` or `..TO`");
    let (from, to) = v.split_once("..").ok_or_else(err)?;
    let from = if from.is_empty() { 0 } else { from.parse().map_err(|_| err())? };
    let to: u64 = to.parse().map_err(|_| err())?;
    if from >= to {
        return Err(err());
    }
    Ok(from..to)
}

/// Applies one flag to the options.
pub fn apply(opts: &mut Options, arg: &str) -> Result<(), String> {
    let (flag, value) = lookup(arg).unwrap_or_else(|| Err(format!("not a Vigil flag: `{arg}`")))?;
    let v = value.unwrap_or("");
    match flag.support {
        Support::Unsupported(why) => {
            return Err(format!("`{arg}` is not supported by Vigil: {why}"));
        }
        Support::NoEffect(_) => {
            // Still validate the values a Miri user could get wrong.
            if flag.name.ends_with("-rate") {
                rate(arg, v)?;
            }
            return Ok(());
        }
        Support::Implemented => {}
    }
    match flag.name {
        "seed" => {
            opts.seed = v.parse().map_err(|_| format!("`{arg}`: the seed must be an integer that fits into u64"))?;
            opts.seed_given = true;
        }
        "many-seeds" => opts.many_seeds = Some(if value.is_some() { seed_range(arg, v)? } else { 0..64 }),
        "many-seeds-keep-going" => opts.many_seeds_keep_going = true,
        "memory-limit" => opts.memory_limit = Some(size(arg, v)?),
        "backtrace" => {
            opts.backtrace = match v {
                "0" | "off" => "off",
                "1" | "short" => "short",
                "full" => "full",
                _ => return Err(format!("`{arg}`: the backtrace style must be 0, 1 or full")),
            }
            .into()
        }
        "symbolic-alignment-check" => {
            opts.symbolic_alignment = true;
            opts.alignment_check = true;
        }
        "disable-alignment-check" => {
            opts.alignment_check = false;
            opts.symbolic_alignment = false;
        }
        "deterministic-floats" => opts.floats.nondet = false,
        "no-extra-rounding-error" => opts.floats.rounding_error = RoundingError::None,
        "max-extra-rounding-error" => opts.floats.rounding_error = RoundingError::Max,
        "strict-provenance" => opts.strict_provenance = true,
        "permissive-provenance" => opts.strict_provenance = false,
        "disable-validation" => opts.disable_validation = true,
        "disable-stacked-borrows" => opts.disable_stacked_borrows = true,
        "tree-borrows" => {
            opts.tree_borrows = true;
            opts.disable_stacked_borrows = false;
        }
        "tree-borrows-no-precise-interior-mut" | "tree-borrows-implicit-writes" => {
            if !opts.tree_borrows {
                return Err(format!("`-Zmiri-tree-borrows` is required before `{arg}`"));
            }
            if flag.name == "tree-borrows-implicit-writes" {
                opts.tb_implicit_writes = true;
            } else {
                opts.tb_precise_interior_mut = false;
            }
        }
        "ignore-leaks" => opts.ignore_leaks = true,
        "preemption-rate" => opts.preemption_rate = rate(arg, v)?,
        "fixed-schedule" => opts.fixed_schedule = true,
        "deterministic-concurrency" => {
            opts.fixed_schedule = true;
            opts.cmpxchg_weak_failure_rate = 0.0;
            opts.disable_weak_memory = true;
            opts.address_reuse_cross_thread_rate = 0.0;
        }
        "compare-exchange-weak-failure-rate" => opts.cmpxchg_weak_failure_rate = rate(arg, v)?,
        "address-reuse-rate" => opts.address_reuse_rate = rate(arg, v)?,
        "address-reuse-cross-thread-rate" => opts.address_reuse_cross_thread_rate = rate(arg, v)?,
        "disable-data-race-detector" => opts.disable_data_race_detector = true,
        "disable-weak-memory-emulation" => opts.disable_weak_memory = true,
        "num-cpus" => {
            opts.num_cpus = v.parse().ok().filter(|&n| n > 0 && n <= 1024).ok_or_else(|| format!("`{arg}`: between 1 and 1024"))?
        }
        "force-intrinsic-fallback" => opts.force_intrinsic_fallback = true,
        "force-page-size" => {
            let kib: u64 = v.parse().ok().filter(|k: &u64| k.is_power_of_two()).ok_or_else(|| format!("`{arg}`: a power of two (KiB)"))?;
            opts.page_size = kib * 1024;
        }
        "mute-stdout-stderr" => opts.mute_output = true,
        "dump-ir" => opts.dump_ir = Some(v.to_string()),
        "no-inline" => opts.no_inline = true,
        "no-retag-elision" => opts.no_retag_elision = true,
        "no-copy-propagation" => opts.no_copy_propagation = true,
        "user-relevant-crates" => opts.user_relevant_crates.extend(v.split(',').filter(|c| !c.is_empty()).map(String::from)),
        "disable-isolation" => opts.isolation = Isolation::Allow,
        "isolation-error" => {
            opts.isolation = Isolation::Reject(match v {
                "abort" => RejectWith::Abort,
                "hide" => RejectWith::Hide,
                "warn" => RejectWith::Warn,
                "warn-nobacktrace" => RejectWith::WarnNoBacktrace,
                _ => return Err(format!("`{arg}`: the action must be `abort`, `hide`, `warn` or `warn-nobacktrace`")),
            })
        }
        "env-forward" => {
            if v.is_empty() || v.contains('=') {
                return Err(format!("`{arg}` must be `-Zmiri-env-forward=VAR`"));
            }
            opts.env_forward.push(v.to_string());
        }
        "no-short-fd-operations" => opts.short_fd_ops = false,
        "env-set" => {
            let (k, val) = v.split_once('=').ok_or_else(|| format!("`{arg}` must be `-Zmiri-env-set=VAR=VALUE`"))?;
            opts.env_set.retain(|(name, _)| name != k);
            opts.env_set.push((k.to_string(), val.to_string()));
        }
        other => unreachable!("flag `{other}` is marked implemented but not applied"),
    }
    Ok(())
}

/// `SIZE`: bytes, or a number with a `K`, `M`, `G` or `T` suffix (powers of 1024).
fn size(arg: &str, v: &str) -> Result<u64, String> {
    let (num, shift) = match v.char_indices().last() {
        Some((i, c)) if c.is_ascii_alphabetic() => {
            let shift = match c.to_ascii_uppercase() {
                'K' => 10,
                'M' => 20,
                'G' => 30,
                'T' => 40,
                _ => return Err(format!("`{arg}`: the size's unit must be K, M, G or T")),
            };
            (&v[..i], shift)
        }
        _ => (v, 0),
    };
    num.parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(1 << shift))
        .filter(|&n| n > 0)
        .ok_or_else(|| format!("`{arg}`: a size such as 4G, 512M or 1000000"))
}

/// The flags' lines for `vigil --help`.
pub fn help() -> String {
    let mut out = String::new();
    for f in FLAGS {
        let spelled = match f.arg {
            Arg::None => format!("-Zvigil-{}", f.name),
            Arg::Value => format!("-Zvigil-{}=...", f.name),
            Arg::Optional => format!("-Zvigil-{}[=...]", f.name),
        };
        let note = match f.support {
            Support::Implemented => String::new(),
            Support::NoEffect(why) => format!(" [no effect: {why}]"),
            Support::Unsupported(why) => format!(" [refused: {why}]"),
        };
        out.push_str(&format!("    {spelled}\n        {}{note}\n", f.doc.replace('`', "")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(flags: &[&str]) -> Result<Options, String> {
        let mut o = Options::default();
        for f in flags {
            apply(&mut o, f)?;
        }
        Ok(o)
    }

    #[test]
    fn both_spellings_and_values() {
        let o = parse(&["-Zmiri-seed=7", "-Zvigil-preemption-rate=0.5", "-Zmiri-many-seeds=..8", "-Zmiri-backtrace=0"]).unwrap();
        assert_eq!((o.seed, o.preemption_rate, o.many_seeds, o.backtrace.as_str()), (7, 0.5, Some(0..8), "off"));
        assert!(parse(&["-Zmiri-preemption-rate=2"]).is_err());
        assert!(parse(&["-Zmiri-seed"]).unwrap_err().contains("needs a value"));
        assert!(parse(&["-Zmiri-fixed-schedule=1"]).unwrap_err().contains("takes no value"));
        assert!(parse(&["-Zmiri-no-such-flag"]).unwrap_err().contains("unknown flag"));
    }

    #[test]
    fn later_flags_win() {
        let o = parse(&["-Zmiri-disable-stacked-borrows", "-Zmiri-tree-borrows"]).unwrap();
        assert!(o.tree_borrows && !o.disable_stacked_borrows);
        let o = parse(&["-Zmiri-symbolic-alignment-check", "-Zmiri-disable-alignment-check"]).unwrap();
        assert!(!o.alignment_check && !o.symbolic_alignment);
        assert!(parse(&["-Zmiri-tree-borrows-implicit-writes"]).unwrap_err().contains("required before"));
    }

    #[test]
    fn no_effect_flags_are_accepted_and_unsupported_ones_refused() {
        parse(&["-Zmiri-provenance-gc=1", "-Zmiri-address-reuse-rate=0.5", "-Zmiri-disable-isolation", "-Zmiri-isolation-error=warn"])
            .unwrap();
        assert!(parse(&["-Zmiri-isolation-error=explode"]).is_err());
        assert_eq!(parse(&["-Zvigil-memory-limit=2G"]).unwrap().memory_limit, Some(2 << 30));
        assert_eq!(parse(&["-Zvigil-memory-limit=1000"]).unwrap().memory_limit, Some(1000));
        assert!(parse(&["-Zvigil-memory-limit=2X"]).is_err());
        assert!(parse(&["-Zvigil-memory-limit=0"]).is_err());
        let e = parse(&["-Zmiri-native-lib=libfoo.so"]).unwrap_err();
        assert!(e.contains("-Zmiri-native-lib=libfoo.so") && e.contains("not supported"), "{e}");
        assert!(parse(&["-Zmiri-genmc-verbose"]).unwrap_err().contains("GenMC"));
    }

    #[test]
    fn every_flag_of_the_pinned_miri_is_known() {
        // The 47 flags of the pinned Miri's README and `-Zmiri-tree-borrows-implicit-writes`.
        let miri = [
            "address-reuse-cross-thread-rate",
            "address-reuse-rate",
            "backtrace",
            "compare-exchange-weak-failure-rate",
            "deterministic-concurrency",
            "deterministic-floats",
            "disable-alignment-check",
            "disable-data-race-detector",
            "disable-isolation",
            "disable-leak-backtraces",
            "disable-stacked-borrows",
            "disable-validation",
            "disable-weak-memory-emulation",
            "env-forward",
            "env-set",
            "fixed-schedule",
            "force-intrinsic-fallback",
            "force-page-size",
            "ignore-leaks",
            "isolation-error",
            "many-seeds-keep-going",
            "many-seeds",
            "max-extra-rounding-error",
            "measureme",
            "mute-stdout-stderr",
            "native-lib-enable-tracing",
            "native-lib",
            "no-extra-rounding-error",
            "no-short-fd-operations",
            "num-cpus",
            "permissive-provenance",
            "preemption-rate",
            "provenance-gc",
            "recursive-validation",
            "report-progress",
            "seed",
            "strict-provenance",
            "symbolic-alignment-check",
            "track-alloc-accesses",
            "track-alloc-id",
            "track-pointer-tag",
            "track-weak-memory-loads",
            "tree-borrows",
            "tree-borrows-implicit-writes",
            "tree-borrows-no-precise-interior-mut",
            "user-relevant-crates",
        ];
        for m in miri {
            assert!(FLAGS.iter().any(|f| f.name == m), "-Zmiri-{m} is missing from the table");
        }
    }

    #[test]
    fn the_readme_lists_every_flag() {
        let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md")).unwrap();
        for f in FLAGS {
            assert!(readme.contains(&format!("`-Zvigil-{}", f.name)), "README.md does not list -Zvigil-{}", f.name);
        }
    }
}
