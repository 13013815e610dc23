//! `-Zvigil-dump-ir=NAME` prints the executable form of the functions it names, with every
//! jump target patched to an instruction index.

use std::path::PathBuf;
use std::process::Command;

/// Runs `tests/dump_ir/NAME.rs` with `-Zvigil-dump-ir=NAME` and returns the dump (stderr),
/// after checking that the program ran to a successful end.
fn dump(name: &str) -> String {
    dump_of(name, name, &[])
}

/// `dump` of the functions named `name` in `tests/dump_ir/FILE.rs`, run with `flags` too.
fn dump_of(file: &str, name: &str, flags: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_vigil"))
        .arg("run")
        .args(flags)
        .args([&format!("-Zvigil-dump-ir={name}"), &format!("tests/dump_ir/{file}.rs")])
        .current_dir(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.."))
        .env("RUST_BACKTRACE", "0")
        .output()
        .expect("vigil runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "vigil failed: {stderr}");
    stderr
}

#[test]
fn dump_ir_prints_the_named_function_with_patched_targets() {
    let stderr = dump("countdown");
    // Only the named function is printed (not `main`).
    let headers: Vec<&str> = stderr.lines().filter(|l| l.starts_with("fn ")).collect();
    assert_eq!(headers.len(), 1, "{stderr}");
    let header = headers[0];
    assert!(header.starts_with("fn countdown: frame "), "{header}");
    let count: u32 = header.rsplit_once(", ").unwrap().1.trim_end_matches(" instructions").parse().unwrap();
    let code: Vec<&str> = stderr.lines().filter(|l| l.trim_start().split(':').next().is_some_and(|i| i.parse::<u32>().is_ok())).collect();
    assert_eq!(code.len() as u32, count, "{stderr}");
    assert!(code.iter().any(|l| l.ends_with(": Return")), "{stderr}");
    // The loop jumps back: a `Goto` or `SwitchInt` whose target is an earlier instruction.
    let mut backward = false;
    for (i, line) in code.iter().enumerate() {
        for t in line.split('@').skip(1) {
            let t: u32 =
                t.trim_end_matches(|c: char| !c.is_ascii_digit()).split(|c: char| !c.is_ascii_digit()).next().unwrap().parse().unwrap();
            assert!(t < count, "target out of range: {line}");
            backward |= t <= i as u32;
        }
    }
    assert!(backward, "no backward jump in the loop:\n{stderr}");
}

/// Instruction selection checks a lone reference in registers with `ValidateRefReg`: thin
/// (the function-entry retag of `&[u32; 4]`), wide (`&[u32]`, its size from the length) or
/// nullable (the returned `Option<&u32>`); a value with more in it (`(&u32, u8)`) keeps the
/// general `Validate`; a `bool` has only scalars to check (`ValidateScalarReg`).
#[test]
fn lone_references_are_validated_in_their_registers() {
    let stderr = dump("pick");
    let code: Vec<&str> =
        stderr.lines().map(str::trim_start).filter(|l| l.split(':').next().is_some_and(|i| i.parse::<u32>().is_ok())).collect();
    // `pick`'s own code, without that of the callees inlined into it (`inlined @S..@E`).
    let inlined: Vec<(usize, usize)> = stderr
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("inlined @"))
        .map(|r| {
            let (s, e) = r.split_once("..@").unwrap();
            (s.parse().unwrap(), e.split(':').next().unwrap().parse().unwrap())
        })
        .collect();
    let own = |l: &&str| {
        let i: usize = l.split(':').next().unwrap().parse().unwrap();
        !inlined.iter().any(|&(s, e)| s <= i && i < e)
    };
    let entry: Vec<&str> = code.iter().copied().filter(own).filter(|l| l.ends_with("retag=FnEntry")).collect();
    assert_eq!(entry.len(), 3, "{stderr}");
    assert!(code.iter().any(|l| l.contains(": ValidateScalarReg ") && l.contains("checks: [Bool { offset: 0 }]")), "{stderr}");
    assert!(entry[0].contains(": ValidateRefReg ") && entry[0].contains("size: Some(16)"), "{stderr}");
    assert!(entry[1].contains(": ValidateRefReg ") && entry[1].contains("unsized_layout: Some(Slice"), "{stderr}");
    assert!(entry[2].contains(": Validate ") && entry[2].contains("Init { offset: 8"), "{stderr}");
    let before_return = code.iter().position(|l| l.ends_with(": Return")).expect("a return") - 1;
    let ret = code[before_return];
    assert!(ret.contains(": ValidateRefReg ") && ret.contains("nullable=true") && ret.ends_with("retag=None"), "{stderr}");
    assert!(entry[..2].iter().all(|l| l.contains("nullable=false")), "{stderr}");
}

/// Instruction selection checks scalars in registers with `ValidateScalarReg`, enums of
/// them too, nested and with a niche (the returned `Option<Option<Ordering>>`). A value
/// stored through a reference is checked in the register it was stored from: the `NonNull`
/// stored through `slot` (a check that repeats the one already made on that register, and
/// is then removed), but not the `(u32, bool)` stored through `pair`, whose padding must be
/// made uninitialized in memory (the general `Validate` of the place stays).
#[test]
fn scalars_are_validated_in_registers_even_when_stored() {
    let stderr = dump("stored_checks");
    let code: Vec<&str> =
        stderr.lines().map(str::trim_start).filter(|l| l.split(':').next().is_some_and(|i| i.parse::<u32>().is_ok())).collect();
    let general: Vec<usize> = (0..code.len()).filter(|&i| code[i].contains(": Validate ")).collect();
    assert_eq!(general.len(), 1, "{stderr}");
    assert!(code[general[0]].contains("Padding"), "{stderr}");
    let stores: Vec<usize> = (0..code.len()).filter(|&i| code[i].contains(": StoreReg ")).collect();
    assert_eq!(stores.len(), 2, "{stderr}");
    assert!(!code[stores[0] + 1].contains("Validate"), "{stderr}");
    assert_eq!(stores[1] + 1, general[0], "{stderr}");
    let ret = code.iter().position(|l| l.ends_with(": Return")).expect("a return");
    assert!(code[ret - 1].contains(": ValidateScalarReg ") && code[ret - 1].contains("kind: Niche"), "{stderr}");
}

/// A local whose address only feeds the reads of an inlined callee moves into registers
/// (`vigil_ir::promote_locals`): `wide` (24 bytes) is no longer in memory, its storage starts
/// with `Uninit`, and the inlined `sum`, whose only entry retag was of the reference to it,
/// no longer protects; `kept` (8 bytes), whose reference goes to a call, stays in memory.
#[test]
fn a_local_read_only_through_inlined_callees_lives_in_registers() {
    let stderr = dump("promoted");
    let mem: Vec<&str> = stderr.lines().filter(|l| l.trim_start().starts_with("local _") && l.contains(": Mem {")).collect();
    assert!(mem.iter().all(|l| !l.contains("size: 24")), "{stderr}");
    assert!(mem.iter().any(|l| l.contains("size: 8,")), "{stderr}");
    let code: Vec<&str> =
        stderr.lines().map(str::trim_start).filter(|l| l.split(':').next().is_some_and(|i| i.parse::<u32>().is_ok())).collect();
    assert_eq!(code.iter().filter(|l| l.contains(": Uninit ") && l.ends_with("size=24")).count(), 1, "{stderr}");
    assert!(code.iter().any(|l| l.contains(": InlineEnter ") && l.contains(" protects=false ")), "{stderr}");
    assert!(!code.iter().any(|l| l.contains("retag=FnEntry") && l.contains("size: Some(24)")), "{stderr}");
}

#[test]
fn a_for_loops_range_iterator_lives_in_registers() {
    let stderr = dump("xor_steps");
    // The iterator (16 bytes) has no allocation: no local of the function is in memory, and
    // its storage starts with `Uninit`.
    assert!(!stderr.lines().any(|l| l.trim_start().starts_with("local _") && l.contains(": Mem {")), "{stderr}");
    let code: Vec<&str> =
        stderr.lines().map(str::trim_start).filter(|l| l.split(':').next().is_some_and(|i| i.parse::<u32>().is_ok())).collect();
    assert!(code.iter().any(|l| l.contains(": Uninit ") && l.ends_with("size=16")), "{stderr}");
    // `Range::next` is inlined: no call is made in the loop but the overflow check's panic
    // path; its `&mut` is neither retagged nor protected.
    assert!(code.iter().all(|l| !l.contains(": Call ") || l.contains("unwind=Unreachable")), "{stderr}");
    assert!(!code.iter().any(|l| l.contains("protects=true") || l.contains("retag=FnEntry")), "{stderr}");
    assert!(!code.iter().any(|l| l.contains(": ValidateRefReg ") && l.contains("kind: Mut")), "{stderr}");
}

#[test]
fn locals_stay_in_registers_across_rounds_of_a_protecting_inlined_call() {
    // The saved call id of `Acc::add`'s inlined call lands in a register that held a
    // reference in the round before: it is overwritten there, not kept as a reference.
    let stderr = dump("acc_rounds");
    assert!(!stderr.lines().any(|l| l.trim_start().starts_with("local _") && l.contains(": Mem {")), "{stderr}");
    assert!(!stderr.lines().any(|l| l.contains("protects=true")), "{stderr}");
}

/// A callee passed a reference to the caller's local may have 200 instructions under
/// Stacked Borrows, 160 under Tree Borrows (`vigil_ir::InlinePolicy`). std's unstable sort
/// passes `&mut` to its partition's state to the partition's loop body: 161 instructions
/// with its own callees inlined, 132 once their copies are propagated
/// (`vigil_ir::propagate_copies`), so it is inlined under both models.
#[test]
fn the_sort_partitions_loop_body_is_inlined_once_its_copies_are_propagated() {
    let inlined_body = |flags: &[&str]| {
        let stderr = dump_of("sort_partition", "partition_lomuto_branchless_cyclic", flags);
        let mut fns = stderr.split("\nfn ").map(|f| f.trim_start_matches("fn "));
        let (body, partition) = (fns.next().unwrap(), fns.next().unwrap());
        assert!(
            body.starts_with("core::slice::sort::unstable::quicksort::partition_lomuto") && body.contains("{closure#0}: frame"),
            "{stderr}"
        );
        assert!(!partition.lines().next().unwrap().contains("{closure#0}"), "{stderr}");
        let len: u32 = body.lines().next().unwrap().rsplit_once(", ").unwrap().1.trim_end_matches(" instructions").parse().unwrap();
        assert!((100..=160).contains(&len), "{stderr}");
        // An inlined range about as long as the body's code (an inlined body may be a few
        // instructions shorter than the callee's own code); the longest other callee inlined
        // there has 37.
        partition.lines().filter_map(|l| l.trim_start().strip_prefix("inlined @")).any(|r| {
            let (s, e) = r.split_once("..@").unwrap();
            let (s, e): (u32, u32) = (s.parse().unwrap(), e.split(':').next().unwrap().parse().unwrap());
            e - s + 10 >= len
        })
    };
    assert!(inlined_body(&[]));
    assert!(inlined_body(&["-Zvigil-tree-borrows"]));
}

/// Copies propagated (`vigil_ir::propagate_copies`): the parameter is read where it lies,
/// and each call is passed the subtraction's result itself; the one copy left moves the sum
/// into the return place.
#[test]
fn a_parameter_and_an_argument_are_read_where_they_lie() {
    let stderr = dump("fib_args");
    let code: Vec<&str> = stderr.lines().filter(|l| l.trim_start().split(':').next().is_some_and(|i| i.parse::<u32>().is_ok())).collect();
    let moves: Vec<&&str> = code.iter().filter(|l| l.contains(": MoveReg ")).collect();
    assert!(moves.len() == 1 && moves[0].contains("dst=0 "), "{stderr}");
    // Each call's argument is the register a subtraction wrote.
    let subs: Vec<&str> = code
        .iter()
        .filter(|l| l.contains("op=SubWithOverflow"))
        .map(|l| l.split(" dst=").nth(1).unwrap().split(' ').next().unwrap())
        .collect();
    let args: Vec<&str> = code
        .iter()
        .filter(|l| l.contains("callee=Fn(") && l.contains("args=[(Reg("))
        .map(|l| l.split("args=[(Reg(").nth(1).unwrap().split(')').next().unwrap())
        .collect();
    assert_eq!(subs.len(), 2, "{stderr}");
    assert_eq!(subs, args, "{stderr}");
}
