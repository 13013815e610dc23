#!/usr/bin/env python3
"""Instruction counts of the reduced bench programs under callgrind (docs/speed.md).

The bench programs run too long under valgrind, so this makes reduced copies (fewer rounds,
the same code paths) and counts the whole process of `vigil run` on each, two at a time.
Counts are exact and repeatable: compare two binaries with them, never wall-clock times.

Lowering costs the same in a reduced program as in the full one, so it weighs far more in
the reduced counts (60% of reduced `fib`, 5% of the full one). Each program's count is
therefore also split: `NAME.lower` is lowering (everything under `Machine::lower_function`),
and `NAME.full` estimates the full program's count: the reduced one plus its interpretation
(everything under `Machine::run_frame` but lowering) times how much more work the full
program does (`SCALE`), less one. Judge a change that trades lowering for running by `.full`.

    python3 bench/count.py --vigil target/release/vigil [--tb] [--only arith,iter] [--json F]
    python3 bench/count.py --compare A.json B.json
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))

# name -> (bench program, [(text to find, replacement)]); every replacement must match once.
REDUCED = {
    "arith": ("arith_loop.rs", [("let n: u64 = 1_000_000;", "let n: u64 = 100_000;")]),
    "box": ("box_dyn.rs", [("for round in 0..20u32", "for round in 0..4u32")]),
    "fib": ("fib.rs", [('println!("fib(30) = {}", fib(30));', 'println!("fib(22) = {}", fib(22));')]),
    "fmt": ("string_fmt.rs", [("for i in 0..2_000u32", "for i in 0..400u32")]),
    "iter": ("iter_closures.rs", [("for round in 0..4u64", "for round in 0..1u64")]),
    "refs": (
        "refs_list.rs",
        [("for i in 0..5_000u64", "for i in 0..1_000u64"), ("(0..6_000u64)", "(0..1_200u64)")],
    ),
    "sort2k": (
        "hashmap_sort.rs",
        [("const N_KEYS: u64 = 5_000;", "const N_KEYS: u64 = 1_000;"),
         ("const N_SORT: usize = 12_500;", "const N_SORT: usize = 2_000;")],
    ),
    "thr": ("threads_mix.rs", [("const ROUNDS: u64 = 2_500;", "const ROUNDS: u64 = 500;")]),
}


# name -> how many times the reduced program's work the full one does (rounds, elements;
# `fib`: calls of fib(30) over fib(22)).
SCALE = {"arith": 10, "box": 5, "fib": 2_692_537 / 57_313, "fmt": 5, "iter": 4, "refs": 5, "sort2k": 6, "thr": 5}


def reduce(name, outdir):
    src, subs = REDUCED[name]
    with open(os.path.join(HERE, "programs", src)) as f:
        text = f.read()
    for old, new in subs:
        if text.count(old) != 1:
            sys.exit(f"count.py: `{old}` is not in bench/programs/{src} exactly once; update REDUCED")
        text = text.replace(old, new)
    path = os.path.join(outdir, name + ".rs")
    with open(path, "w") as f:
        f.write(text)
    return path


def count(vigil, flags, name, outdir):
    prog = reduce(name, outdir)
    out = os.path.join(outdir, name + ".cg")
    cmd = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", vigil, "run", *flags, prog]
    r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    m = re.findall(r"Collected : (\d+)", r.stderr)
    if r.returncode != 0 or not m:
        tail = "\n".join(r.stderr.splitlines()[-15:])
        sys.exit(f"count.py: {name} failed (exit {r.returncode}):\n{tail}")
    return (int(m[-1]), *split(out))


def split(cg):
    """The inclusive counts of `Machine::lower_function` (lowering) and of the outermost
    `Machine::run_frame` (interpretation, lowering included) in callgrind file `cg`."""
    r = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--auto=no", "--threshold=100", cg],
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    low = run = 0
    for line in r.stdout.splitlines():
        n = line.split()[0].replace(",", "") if line.strip() else ""
        if not n.isdigit():
            continue
        if "Machine>::lower_function " in line:
            low = max(low, int(n))
        elif "Machine>::run_frame [" in line:
            run = max(run, int(n))
    return low, run


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--vigil")
    ap.add_argument("--tb", action="store_true", help="Tree Borrows (-Zvigil-tree-borrows)")
    ap.add_argument("--only", help="comma-separated names (default: all)")
    ap.add_argument("--json", help="write the counts here")
    ap.add_argument("--keep", help="directory for the reduced programs and callgrind files")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--compare", nargs=2, metavar=("BEFORE", "AFTER"))
    a = ap.parse_args()
    if a.compare:
        before, after = (json.load(open(p)) for p in a.compare)
        for k in before:
            if k in after and before[k]:
                d = (after[k] - before[k]) / before[k] * 100
                print(f"{k:8} {before[k] / 1e6:10,.1f} -> {after[k] / 1e6:10,.1f}  ({d:+.1f}%)")
        return
    if not a.vigil:
        ap.error("--vigil is required")
    names = a.only.split(",") if a.only else list(REDUCED)
    for n in names:
        if n not in REDUCED:
            ap.error(f"unknown program {n}; known: {', '.join(REDUCED)}")
    flags = ["-Zvigil-tree-borrows"] if a.tb else []
    outdir = a.keep or tempfile.mkdtemp(prefix="vigil-count-")
    os.makedirs(outdir, exist_ok=True)
    vigil = os.path.abspath(a.vigil)
    with ThreadPoolExecutor(a.jobs) as ex:
        results = dict(zip(names, ex.map(lambda n: count(vigil, flags, n, outdir), names)))
    counts = {}
    for n, (c, low, run) in results.items():
        counts[n] = c
        counts[n + ".lower"] = low
        counts[n + ".full"] = round(c + max(run - low, 0) * (SCALE[n] - 1))
        print(f"{n:8} {c / 1e6:10,.1f} M  (lowering {low / 1e6:,.1f} M; full program about {counts[n + '.full'] / 1e6:,.0f} M)")
    if a.json:
        with open(a.json, "w") as f:
            json.dump(counts, f, indent=1)


if __name__ == "__main__":
    main()
