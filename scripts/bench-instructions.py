#!/usr/bin/env python3
"""Counts the instructions and instruction-cache misses of one pass over each benchmark corpus,
for each way of decoding, under callgrind, and prints them with the typed/Value ratios:

    python3 scripts/bench-instructions.py [PASSES]

Callgrind simulates the processor (here with a 32 KiB 8-way L1i, whatever the host's is), so
the counts are the same from run to run, where the wall-time medians of scripts/bench-ratios.py
move by ±10 % and more on a shared machine. A pass's count is the difference between a run of 1 + PASSES
passes and a run of 1 (default PASSES: 5), which leaves out building the corpus. Needs valgrind.

Misses in an 8-way cache are mostly conflicts, which depend on where the linker put each
function: rebuilding the same source elsewhere moves them by a third. To count only the misses
that the amount of hot code causes, simulate a cache of the same size with 64 ways:

    L1I=32768,64,64 python3 scripts/bench-instructions.py

HOT=1 also measures the hot code itself, which the layout hardly changes: how many distinct
64-byte lines of code a pass runs (the lines whose count grows from the run of 1 pass to the
run of 1 + PASSES), as KiB against the 32 KiB of L1i; and how many of those lines are more
than 8 to one of the 64 cache sets, which an 8-way L1i cannot hold at once (where they fall
is the layout's doing).

HOT=functions also prints, for the typed ways, which functions that hot code belongs to (the
KiB of each, instantiations of one generic function summed, as callgrind names them without
their type arguments): where to look for code to share.
"""
import collections
import os
import tempfile
import re
import shutil
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the checkout
from passes_bench import CORPORA, passes_binary  # noqa: E402

WAYS = ["typed-decode", "typed-decode-encode", "derive-decode", "derive-decode-encode", "value-decode",
        "value-decode-encode", "sonic-decode", "sonic-decode-encode", "ignored-any"]
# The peers the typed ways are compared with: the serde-derive model, serde_json's and sonic-rs's Value.
PEERS = [("serde-derive", "derive"), ("Value", "value"), ("sonic-rs Value", "sonic")]
# The simulated L1i (`size,ways,line`): 32 KiB, 8 ways, unless L1I says otherwise. Callgrind's
# own default is the host's L1i, which is not the same on every machine (64 KiB on some), and
# would make the counts of two machines incomparable.
L1I = [f"--I1={os.environ.get('L1I', '32768,8,64')}"]


def counts(binary, way, corpus, passes):
    """(instructions, L1i misses) of a run of `passes` passes."""
    run = subprocess.run(
        ["valgrind", "--tool=callgrind", "--cache-sim=yes", "--callgrind-out-file=/dev/null", *L1I,
         binary, way, corpus, str(passes)],
        capture_output=True, text=True,
    )
    if run.returncode != 0:
        sys.exit(f"{way} {corpus}: exit {run.returncode}\n{run.stderr[-2000:]}")
    found = {}
    for name, key in (("refs", r"I\s+refs:"), ("misses", r"I1\s+misses:")):
        match = re.search(key + r"\s+([\d,]+)", run.stderr)
        if not match:
            sys.exit(f"{way} {corpus}: no `{name}` in callgrind's summary")
        found[name] = int(match.group(1).replace(",", ""))
    return found["refs"], found["misses"]


def line_counts(binary, way, corpus, passes):
    """({64-byte line of code: instructions run there}, {line: the function it is first seen
    in}) for a run of `passes` passes."""
    with tempfile.NamedTemporaryFile(suffix=".callgrind") as out:
        run = subprocess.run(
            ["valgrind", "--tool=callgrind", "--dump-instr=yes", "--dump-line=no",
             f"--callgrind-out-file={out.name}", binary, way, corpus, str(passes)],
            capture_output=True, text=True,
        )
        if run.returncode != 0:
            sys.exit(f"{way} {corpus}: exit {run.returncode}\n{run.stderr[-2000:]}")
        lines, owners, names, function = collections.Counter(), {}, {}, None
        address, after_call = 0, False
        with open(out.name) as dump:
            texts = dump.readlines()
        for text in texts:
            # Names are compressed: `fn=(12) name` the first time, `fn=(12)` after.
            named = re.match(r"(c?fn)=\((\d+)\)(?: (.*))?", text.rstrip("\n"))
            if named:
                if named.group(3):
                    names[named.group(2)] = named.group(3)
                if named.group(1) == "fn":
                    function = names.get(named.group(2))
                continue
            if text.startswith("calls="):
                after_call = True  # the next cost line is the call's inclusive cost
                continue
            if not text or text[0] not in "0123456789+-*":
                continue
            fields = text.split()
            position = fields[0]
            if position.startswith("0x"):
                address = int(position, 16)
            elif position[0] in "+-":
                address += int(position)
            elif position != "*":
                continue
            if after_call:
                after_call = False
            elif len(fields) > 1:
                lines[address >> 6] += int(fields[1])
                owners.setdefault(address >> 6, function)
        return lines, owners


def hot_code(binary, way, corpus, extra):
    """(KiB of code lines a pass runs, how many of them are beyond 8 to a set of 64, the KiB of
    each function's)."""
    (one, _), (more, owners) = line_counts(binary, way, corpus, 1), line_counts(binary, way, corpus, 1 + extra)
    hot = [line for line, count in more.items() if count > one.get(line, 0)]
    per_set = collections.Counter(line % 64 for line in hot)
    per_function = collections.Counter()
    for line in hot:
        per_function[owners.get(line) or "?"] += 64 / 1024
    return len(hot) * 64 / 1024, sum(max(0, n - 8) for n in per_set.values()), per_function


def main():
    extra = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    if not shutil.which("valgrind"):
        sys.exit("valgrind is not installed (apt-get install valgrind): nothing measured")
    binary = passes_binary()
    per_pass = {}
    for corpus in CORPORA:
        for way in WAYS:
            one, more = counts(binary, way, corpus, 1), counts(binary, way, corpus, 1 + extra)
            per_pass[corpus, way] = tuple((b - a) / extra for a, b in zip(one, more))
    hot = {key: hot_code(binary, key[1], key[0], extra) for key in per_pass} if os.environ.get("HOT") else {}
    hot_columns = (" hot code per pass | lines beyond 8 ways |", "---|---|") if hot else ("", "")
    print("| corpus | way | instructions per pass | L1i misses per pass |" + hot_columns[0])
    print("|---|---|---|---|" + hot_columns[1])
    for (corpus, way), (refs, misses) in per_pass.items():
        row = f"| {corpus} | {way} | {refs / 1e6:.2f}M | {misses / 1e3:.1f}k |"
        if hot:
            kib, beyond, _ = hot[corpus, way]
            row += f" {kib:.1f} KiB | {beyond} |"
        print(row)
    if os.environ.get("HOT") == "functions":
        for (corpus, way), (kib, _, per_function) in hot.items():
            if not way.startswith("typed"):
                continue
            print(f"\n| {corpus}, {way}: function | hot code (of {kib:.1f} KiB) |\n|---|---|")
            for function, size in per_function.most_common(25):
                print(f"| `{function}` | {size:.1f} KiB |")
    print()
    print("| corpus | comparison | instructions: peer / typed | L1i misses per pass: typed, peer |")
    print("|---|---|---|---|")
    for corpus in CORPORA:
        for peer, prefix in PEERS:
            for label, suffix in (("decode+encode", "-decode-encode"), ("decode", "-decode")):
                (p_refs, p_misses) = per_pass[corpus, prefix + suffix]
                (t_refs, t_misses) = per_pass[corpus, "typed" + suffix]
                print(f"| {corpus} | typed {label} vs {peer} {label} | {p_refs / t_refs:.2f}× "
                      f"| {t_misses / 1e3:.1f}k, {p_misses / 1e3:.1f}k |")


if __name__ == "__main__":
    main()
