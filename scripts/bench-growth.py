#!/usr/bin/env python3
"""Checks that every entry point taking network input costs time linear in its input: counts
the instructions of one pass of each entry of benches/inputs/mod.rs under callgrind at its
size and at 8× it, and fails when the work grows faster than the input.

    python3 scripts/bench-growth.py [--scale S] [--limit L] [--passes P] [ENTRY …]

- SCALE multiplies every entry's size (default 1; CI runs 0.5).
- A pass's count is the instructions of P passes (default 2) divided by P: callgrind counts
  only what runs inside the bench's `run_passes` (`--toggle-collect`), which leaves out making
  the input (random RSA keys, whose making takes a random amount of work).
- The growth is the large size's count over the small size's, divided by 8: 1.00 is linear.
  It fails above LIMIT (default 1.125, the issue's "4× the input, at most 4.5× the work").
  Below 1 is an entry whose fixed costs (an RSA operation, start-up) weigh more at the
  small size.

Instruction counts do not move from run to run as wall times do, so the check is exact enough
for CI. Needs valgrind. Builds the bench with the features it needs (tracker, decrypt, jwt).
"""
import argparse
import re
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the checkout
from passes_bench import bench_binary, machine  # noqa: E402

FEATURES = "tracker,decrypt,jwt,requests"
GROWTH = 8


def instructions(binary, name, size, passes):
    """The instructions of a run of `passes` passes of entry `name` at `size`."""
    run = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", "--toggle-collect=*run_passes*",
         binary, "run", name, str(size), str(passes)],
        capture_output=True, text=True,
    )
    if run.returncode != 0:
        sys.exit(f"{name} at {size}: exit {run.returncode}\n{run.stderr[-2000:]}")
    match = re.search(r"Collected\s*:\s*(\d+)", run.stderr)
    if not match:
        sys.exit(f"{name} at {size}: no instruction count in callgrind's output\n{run.stderr[-2000:]}")
    return int(match.group(1))


def per_pass(binary, name, size, passes):
    """The instructions of one pass, without those of making the input."""
    return instructions(binary, name, size, passes) / passes


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--limit", type=float, default=1.125)
    parser.add_argument("--passes", type=int, default=2)
    parser.add_argument("entries", nargs="*")
    args = parser.parse_args()
    binary = bench_binary("network", FEATURES)
    listing = subprocess.run([binary, "list"], capture_output=True, text=True, check=True).stdout
    entries = [line.split("\t") for line in listing.splitlines() if line]
    unknown = set(args.entries) - {name for name, _, _ in entries}
    if unknown:
        sys.exit(f"no such entries: {', '.join(sorted(unknown))}")
    print(machine())
    print(f"{'entry':<18} {'size':>8} {'instructions/pass':>18} {'8× size':>8} {'instructions/pass':>18} {'growth':>7}")
    failed = []
    for name, size, what in entries:
        if args.entries and name not in args.entries:
            continue
        small = max(1, round(int(size) * args.scale))
        large = small * GROWTH
        a = per_pass(binary, name, small, args.passes)
        b = per_pass(binary, name, large, args.passes)
        growth = b / a / GROWTH if a > 0 else float("inf")
        flag = "" if growth <= args.limit else "  ABOVE LINEAR"
        print(f"{name:<18} {small:>8} {a:>18,.0f} {large:>8} {b:>18,.0f} {growth:>7.2f}{flag}", flush=True)
        if growth > args.limit:
            failed.append(f"{name} ({what}): {growth:.2f}× linear")
    if failed:
        print(f"\nFAILED: the work grows faster than the input (limit {args.limit}× linear):", *failed, sep="\n  ")
        sys.exit(1)
    print(f"\nall entries within {args.limit}× linear")


if __name__ == "__main__":
    main()
