#!/usr/bin/env python3
"""Vigil benchmark: native debug build vs. the reference Miri vs. Vigil on bench/programs/*.rs.

Usage (from anywhere; paths are resolved from this file):
    python3 bench/run.py                         # every program, once each
    python3 bench/run.py fib arith --repeat 3    # programs whose name contains "fib" or "arith"
    python3 bench/run.py --vigil-flags "-Zvigil-seed=1" --miri-flags "-Zmiri-disable-validation"
    python3 bench/run.py --no-miri               # skip the (slow) Miri column
    python3 bench/run.py --aliasing refs_list    # each program with the aliasing model off, Stacked
                                                 # Borrows and Tree Borrows, on both Miri and Vigil

See bench/README.md for how to read the table. Standard library only.
"""

import argparse
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROGRAMS = os.path.join(ROOT, "bench", "programs")
COMMON_FLAGS = ["--edition", "2021", "-C", "debug-assertions=on"]


def run_checked(cmd, **kw):
    """Runs a setup command in the workspace root (so rust-toolchain.toml selects the pinned toolchain)."""
    r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, **kw)
    if r.returncode != 0:
        sys.exit(f"error: {' '.join(map(shlex.quote, cmd))} failed:\n{r.stderr}")
    return r.stdout


def toolchain_bin(name):
    sysroot = run_checked(["rustc", "--print", "sysroot"]).strip()
    path = os.path.join(sysroot, "bin", name)
    if not os.path.exists(path):
        sys.exit(f"error: {path} not found (is the `miri` component of the pinned toolchain installed?)")
    return path


def miri_sysroot():
    """`cargo miri setup --print-sysroot` builds Miri's sysroot once (cached) and prints its path last."""
    if os.environ.get("MIRI_SYSROOT"):
        return os.environ["MIRI_SYSROOT"]
    out = run_checked(["cargo", "miri", "setup", "--print-sysroot"])
    return out.strip().splitlines()[-1]


def find_vigil(explicit):
    if explicit:
        return explicit
    if os.environ.get("VIGIL"):
        return os.environ["VIGIL"]
    for profile in ("release", "debug"):
        p = os.path.join(ROOT, "target", profile, "vigil")
        if os.path.exists(p):
            return p
    return None


def timed(cmd, env=None, timeout=None):
    """Wall-clock time and peak memory (the process's maximum resident set, bytes) of one run,
    plus its stdout and exit code; stderr is kept for error reports."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        p = subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=err, env=env)
        killed = []
        timer = threading.Timer(timeout, lambda: (killed.append(True), p.kill())) if timeout else None
        if timer:
            timer.start()
        # `wait4` gives this child's own resource usage (its peak memory).
        _, status, usage = os.wait4(p.pid, 0)
        elapsed = time.perf_counter() - start
        if timer:
            timer.cancel()
        p.returncode = os.waitstatus_to_exitcode(status)
        if killed:
            return elapsed, None, "timeout", b"", None
        out.seek(0)
        err.seek(0)
        return elapsed, out.read(), p.returncode, err.read(), usage.ru_maxrss * 1024


def fmt_time(t):
    if t is None:
        return "n/a"
    if t < 1.0:
        return f"{t * 1000:.1f}ms"
    return f"{t:.2f}s"


def fmt_mem(m):
    return "n/a" if m is None else f"{m / 1e6:.0f}MB"


def fmt_ratio(a, b):
    if a is None or b is None or b == 0:
        return "n/a"
    r = a / b
    return f"{r:.2f}x" if r < 10 else f"{r:.0f}x"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("programs", nargs="*", help="substrings selecting programs (default: all)")
    ap.add_argument("--repeat", type=int, default=1, help="runs per tool and program; the median is shown")
    ap.add_argument("--vigil", help="vigil binary (default: $VIGIL, else target/release/vigil, else target/debug/vigil)")
    ap.add_argument("--vigil-flags", default="", help="extra flags for `vigil run`, e.g. \"-Zvigil-seed=1\"")
    ap.add_argument("--miri-flags", default="", help="extra flags for miri, e.g. \"-Zmiri-disable-validation\"")
    ap.add_argument("--no-miri", action="store_true", help="skip Miri")
    ap.add_argument("--no-vigil", action="store_true", help="skip Vigil")
    ap.add_argument("--timeout", type=float, default=1800, help="seconds before a single run is abandoned")
    ap.add_argument("--show-output", action="store_true", help="print each program's stdout")
    ap.add_argument(
        "--aliasing",
        action="store_true",
        help="run each program three times per interpreter: aliasing model off, Stacked Borrows, Tree Borrows",
    )
    args = ap.parse_args()

    names = sorted(f[:-3] for f in os.listdir(PROGRAMS) if f.endswith(".rs"))
    if args.programs:
        names = [n for n in names if any(p in n for p in args.programs)]
    if not names:
        sys.exit("no program selected")

    rustc = toolchain_bin("rustc")
    miri = None if args.no_miri else toolchain_bin("miri")
    sysroot = None if args.no_miri else miri_sysroot()
    vigil = None if args.no_vigil else find_vigil(args.vigil)
    if not args.no_vigil and (vigil is None or not os.path.exists(vigil)):
        print("note: no vigil binary found (build it with `cargo build --release -p vigil-driver`); Vigil column skipped")
        vigil = None
    vigil_flags = shlex.split(args.vigil_flags)
    miri_flags = shlex.split(args.miri_flags)

    print(f"rustc:  {run_checked([rustc, '--version']).strip()}")
    if miri:
        ver = run_checked(["cargo", "miri", "--version"]).strip()
        print(f"miri:   {miri} ({ver})  sysroot {sysroot}  flags: {' '.join(miri_flags) or '(none)'}")
    if vigil:
        ver = subprocess.run([vigil, "--version"], capture_output=True, text=True).stdout.strip()
        print(f"vigil:  {vigil} ({ver or 'unknown version'})  flags: {' '.join(vigil_flags) or '(none)'}")
    print(f"common: {' '.join(COMMON_FLAGS)}; repeat {args.repeat}; times are wall-clock medians;")
    print("        native excludes compilation, Miri and Vigil include their rustc front end\n")

    # (model, extra Vigil flags, extra Miri flags): the same checks on both sides.
    models = [("", [], [])]
    if args.aliasing:
        models = [
            ("off", ["-Zvigil-disable-stacked-borrows"], ["-Zmiri-disable-stacked-borrows"]),
            ("stacked", [], []),
            ("tree", ["-Zvigil-tree-borrows"], ["-Zmiri-tree-borrows"]),
        ]

    env = dict(os.environ)
    env["RUST_BACKTRACE"] = "0"
    tmp = tempfile.mkdtemp(prefix="vigil-bench-")
    rows = []
    mismatches = []
    try:
        for name in names:
            src = os.path.join("bench", "programs", name + ".rs")
            exe = os.path.join(tmp, name)
            run_checked([rustc, *COMMON_FLAGS, "-o", exe, src])
            native_time = None
            for model, vflags, mflags in models:
                tools = [("native", [exe])]
                if miri:
                    tools.append(("miri", [miri, "--sysroot", sysroot, *COMMON_FLAGS, *miri_flags, *mflags, src]))
                if vigil:
                    tools.append(("vigil", [vigil, "run", *vigil_flags, *vflags, *COMMON_FLAGS, src]))
                row = run_tools(name, model, tools, args, env, native_time)
                native_time = row[2]
                rows.append(row)
                if row[-1]:
                    mismatches.append((name if not model else f"{name} ({model})", row[-1]))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    header = ["program"] + (["model"] if args.aliasing else []) + [
        "native", "miri", "vigil", "vigil/miri", "vigil/native", "miri mem", "vigil mem", "output"]
    table = [header]
    for name, model, tn, tm, tv, mm, mv, differs in rows:
        table.append([name] + ([model] if args.aliasing else []) + [
            fmt_time(tn), fmt_time(tm), fmt_time(tv), fmt_ratio(tv, tm), fmt_ratio(tv, tn), fmt_mem(mm), fmt_mem(mv),
            "same" if not differs else "DIFFERS: " + ",".join(differs),
        ])
    widths = [max(len(r[i]) for r in table) for i in range(len(header))]
    print()
    for i, r in enumerate(table):
        print("  ".join(c.ljust(w) if j == 0 or j == len(r) - 1 or (args.aliasing and j == 1) else c.rjust(w) for j, (c, w) in enumerate(zip(r, widths))).rstrip())
        if i == 0:
            print("  ".join("-" * w for w in widths))
    if args.aliasing:
        print("\ncost of the aliasing model (time with it / time with it off):")
        by = {(r[0], r[1]): r for r in rows}
        for name in names:
            off = by.get((name, "off"))
            for model in ("stacked", "tree"):
                on = by.get((name, model))
                if off and on:
                    print(f"  {name:<14} {model:<8} miri {fmt_ratio(on[3], off[3]):>7}   vigil {fmt_ratio(on[4], off[4]):>7}")
    print(f"\nvigil flags: {' '.join(vigil_flags) or '(none)'}   miri flags: {' '.join(miri_flags) or '(none)'}")
    if mismatches:
        print("\nOUTPUT MISMATCH (stdout or exit code differs from the native run):")
        for name, differs in mismatches:
            print(f"  {name}: {', '.join(differs)}")
        return 1
    return 0


def run_tools(name, model, tools, args, env, native_time):
    """Runs one program under each tool; returns (name, model, native, miri, vigil, miri peak
    memory, vigil peak memory, differing tools). The native run is timed once per program
    (`native_time` reuses it); peak memory is the largest of the runs."""
    times, outputs, peaks = {}, {}, {}
    for tool, cmd in tools:
        if tool == "native" and native_time is not None:
            times[tool] = native_time
            t, out, code, err, mem = timed(cmd, env=env, timeout=args.timeout)
            outputs[tool] = (out, code)
            continue
        samples = []
        for _ in range(args.repeat):
            t, out, code, err, mem = timed(cmd, env=env, timeout=args.timeout)
            samples.append(t)
            if mem is not None:
                peaks[tool] = max(peaks.get(tool, 0), mem)
            outputs[tool] = (out, code)
            if code == "timeout":
                print(f"  {name} under {tool}: no result within {args.timeout:.0f}s (--timeout)")
                samples = None
                break
            if code != 0:
                tail = err.decode(errors="replace").strip().splitlines()[-15:]
                print(f"  {name} under {tool}: exit {code}\n    " + "\n    ".join(tail))
                break
        if samples is None:
            times[tool] = None
            continue
        times[tool] = statistics.median(samples)
        label = f"{name} ({model})" if model else name
        print(f"  {label:<24} {tool:<6} {fmt_time(times[tool])}  {fmt_mem(peaks.get(tool))}", flush=True)
    ref = outputs["native"]
    # A run that timed out has no output to compare.
    differs = [tool for tool, o in outputs.items() if o != ref and times.get(tool) is not None]
    if args.show_output:
        print(ref[0].decode(errors="replace"), end="")
    return (name, model, times.get("native"), times.get("miri"), times.get("vigil"), peaks.get("miri"), peaks.get("vigil"), differs)


if __name__ == "__main__":
    sys.exit(main())
