#!/usr/bin/env python3
"""Where the wall time of a pass goes: samples each way of decoding (`benches/passes.rs`) with
`perf record -e cpu-clock` and sums the samples by whose code they fall in:

    python3 scripts/bench-profile.py [SECONDS]

- ours: the crate's runtime and generated code (`msgraph_comms::…`);
- the peer's own: the serde-derive model's generated code and serde's `Content` buffering
  (`#[serde(flatten)]`), or `serde_json::Value`'s maps and visitor;
- serde_json: its scanner, string reader and escaper, which every way runs;
- allocator: malloc, free, realloc, and `Vec`'s growth;
- memory copies: memcpy, memmove, memcmp.

`cpu-clock` is a software event, so this works where the processor's counters are not
available (a VM, a container), unlike `perf stat`. It counts time, where
`scripts/bench-instructions.py` counts instructions and simulated cache misses: time includes
what those cannot see (branch mispredictions, the real caches, the allocator's slow paths).

It prints the machine first (the processor, the caches of a core), as bench-ratios.py does.
Each way runs for about SECONDS (default 2) after a run of no passes, whose samples (building
the corpus) are taken off per function. It prints the time per pass by category, each way's
share, and for the typed way the ratio to each peer if the crate's own code took no time: the
most that making the crate's code faster could give, with serde_json and the allocator as they
are. Needs `perf` (linux-perf) and `kernel.perf_event_paranoid` ≤ 2.
"""
import collections
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # no __pycache__ in the checkout
from passes_bench import CORPORA, machine, passes_binary  # noqa: E402

# The typed way and its peers, decode+encode.
WAYS = [("typed", "typed-decode-encode"), ("serde-derive", "derive-decode-encode"),
        ("Value", "value-decode-encode")]
CATEGORIES = ["ours", "peer's own", "serde_json", "allocator", "memory copies", "other"]
FREQUENCY = 10_000

ALLOCATOR = re.compile(r"malloc|free\b|cfree|realloc|_int_|consolidate|unlink_chunk|__rust_alloc|__rust_dealloc"
                       r"|__rust_realloc|__rdl_|__rust_no_alloc|finish_grow|grow_one|do_reserve|\bmi_")
MEMORY = re.compile(r"__mem(move|cpy|set|cmp)|\bmem(cpy|move|set|cmp)\b|bcmp")


def category(symbol):
    """Whose code `symbol` (as perf names it) is."""
    if "msgraph_comms" in symbol:
        return "ours"
    if ALLOCATOR.search(symbol):
        return "allocator"
    if MEMORY.search(symbol):
        return "memory copies"
    if ("corpus::derive" in symbol or "private::de::content" in symbol or "private::content" in symbol
            or "__deserialize_content" in symbol or "serde_json::value" in symbol or "btree" in symbol
            or "BTree" in symbol):
        return "peer's own"
    if "serde_json" in symbol or "serde_core" in symbol or "serde::" in symbol:
        return "serde_json"
    return "other"


def samples(binary, way, corpus, passes):
    """{symbol: samples} of a run of `passes` passes."""
    with tempfile.TemporaryDirectory() as folder:
        data = os.path.join(folder, "perf.data")
        run = subprocess.run(["perf", "record", "-q", "-e", "cpu-clock", "-F", str(FREQUENCY), "-o", data,
                              binary, way, corpus, str(passes)], capture_output=True, text=True)
        if run.returncode != 0:
            sys.exit(f"perf record {way} {corpus}: exit {run.returncode}\n{run.stderr[-2000:]}")
        report = subprocess.run(["perf", "report", "-i", data, "--stdio", "--no-children", "--sort", "symbol",
                                 "-F", "sample,sym"], capture_output=True, text=True, check=True).stdout
    found = collections.Counter()
    for line in report.splitlines():
        # `-F sample,sym` may end a row with empty columns (`-  -`).
        row = re.match(r"\s*(\d+)\s+\[.\]\s+(.*?)(?:\s+-\s+-)?\s*$", line)
        if row:
            found[row.group(2)] += int(row.group(1))
    return found


def per_pass(binary, way, corpus, seconds):
    """{category: milliseconds per pass} of `way` over `corpus`."""
    start = time.perf_counter()
    sizing = subprocess.run([binary, way, corpus, "20"], capture_output=True, text=True)
    if sizing.returncode != 0:
        # An empty corpus (no docs examples at MSGRAPH_COMMS_DOCS) says so here.
        sys.exit(f"{way} {corpus}: exit {sizing.returncode}\n{sizing.stderr[-2000:]}")
    # Twenty passes and the corpus: enough to size the run, which is then mostly passes.
    passes = max(50, int(seconds / max((time.perf_counter() - start) / 20, 1e-6)))
    setup, run = samples(binary, way, corpus, 0), samples(binary, way, corpus, passes)
    times = collections.Counter()
    for symbol, count in run.items():
        times[category(symbol)] += max(0, count - setup.get(symbol, 0)) / FREQUENCY / passes * 1e3
    return times


def main():
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 2.0
    if not shutil.which("perf"):
        sys.exit("perf is not installed (apt-get install linux-perf): nothing measured")
    binary = passes_binary()
    print(machine(), end="\n\n")
    measured = {(corpus, label): per_pass(binary, way, corpus, seconds) for corpus in CORPORA for label, way in WAYS}
    print("| corpus | way | ms per pass | " + " | ".join(CATEGORIES) + " |")
    print("|---|---|---|" + "---|" * len(CATEGORIES))
    for (corpus, label), times in measured.items():
        total = sum(times.values())
        shares = " | ".join(f"{times[c]:.3f} ({times[c] / total:.0%})" for c in CATEGORIES)
        print(f"| {corpus} | {label} | {total:.3f} | {shares} |")
    print()
    print("| corpus | peer | ratio: peer / typed | if the crate's own code took no time |")
    print("|---|---|---|---|")
    for corpus in CORPORA:
        typed = measured[corpus, "typed"]
        total, own = sum(typed.values()), typed["ours"]
        for label, _ in WAYS[1:]:
            peer = sum(measured[corpus, label].values())
            print(f"| {corpus} | {label} | {peer / total:.2f}× | {peer / (total - own):.2f}× |")


if __name__ == "__main__":
    main()
