#!/usr/bin/env python3
"""Runs the decoding benchmarks and prints the ratios of their medians, all from one run:

    python3 scripts/bench-ratios.py        (or: cargo bench --bench decode | python3 scripts/bench-ratios.py -)

RUNS=N runs the benchmarks N times and prints each ratio's median and range over the runs: on
a shared machine a single run's ratios move by ±30 % and more. With ALLOCATOR=mimalloc it runs the same benchmarks with mimalloc as the global allocator
(`cargo bench --bench decode_mimalloc`).

PAIRED=ROUNDS times instead each typed way against each peer in turns, a pass of each per round
(`cargo bench --bench passes -- paired …`), and prints the median and the quartiles of the
rounds' ratios. A change in the machine's speed then moves both sides of every ratio. Each pass
also runs after a pass of the other way, as a service's decoding runs between its other work:
the code of the way with more of it is then less often in the caches than when divan repeats
one benchmark, so these ratios show what the amount of hot code costs.

It prints the machine first (the processor, the caches of a core): the ratios depend on it.
"""
import os
import re
import statistics
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the checkout
from passes_bench import machine  # noqa: E402

CORPORA = ("roster-500", "docs")
# The peers the typed ways are compared with, and the prefix of their benchmarks' names.
PEERS = (("serde-derive", "derive"), ("Value", "value"), ("sonic-rs Value", "sonic"))
UNITS = {"ns": 1e-9, "µs": 1e-6, "us": 1e-6, "ms": 1e-3, "s": 1.0}


def medians(text):
    """{(bench, arg): seconds} from divan's tree (the median is the third time column). A row
    named after a corpus is an argument of the bench above it; the tree may have a module level
    above the benches (as in `decode_mimalloc`, which includes `decode.rs` as a module)."""
    out, parents = {}, []
    for line in text.splitlines():
        row = re.match(r"^(?P<indent>(?:│  |   )*)(?:├─|╰─) (?P<name>\S+)(?P<rest>.*)$", line)
        if not row:
            continue
        depth = len(row["indent"]) // 3
        parents[depth:] = [row["name"]]
        times = re.findall(r"([0-9.]+) (ns|µs|us|ms|s)\b", row["rest"])
        if len(times) < 3:
            continue
        median = float(times[2][0]) * UNITS[times[2][1]]
        if row["name"] in CORPORA and depth > 0:
            out[(parents[depth - 1], row["name"])] = median
        else:
            out[(row["name"], None)] = median
    return out


def ratios(m):
    """[(corpus, label, ratio)] from one run's medians."""
    rows = []
    for corpus in CORPORA:
        get = lambda bench: m.get((bench, corpus))
        pairs = []
        for peer, prefix in PEERS:
            pairs.append((f"typed decode+encode vs {peer} decode+encode", get(prefix + "_decode_encode"),
                          get("typed_decode_encode")))
            pairs.append((f"typed decode vs {peer} decode", get(prefix + "_decode"), get("typed_decode")))
        pairs.append(("typed decode vs IgnoredAny (the scan limit)", get("ignored_any"), get("typed_decode")))
        for label, baseline, typed in pairs:
            if baseline and typed:
                rows.append((corpus, label, baseline / typed))
    concrete = m.get(("operation_as_concrete_type", None))
    for label, bench in (("polymorphic (tag first) vs concrete", "operation_as_polymorphic_tag_first"),
                         ("polymorphic (tag last) vs concrete", "operation_as_polymorphic_tag_last")):
        cost = m.get((bench, None))
        if concrete and cost:
            rows.append(("playPromptOperation", label + " (cost)", cost / concrete))
    return rows


def unit(ratio, cost=False):
    """How a ratio reads: a cost, or the typed way faster or slower than its peer."""
    return "× the cost" if cost else "× faster" if ratio >= 1 else "× (slower)"


def paired(rounds):
    """Prints the paired ratios: each typed way against each peer's same way, on each corpus."""
    print(f"| corpus | comparison | median of {rounds} paired rounds' ratios | quartiles |")
    print("|---|---|---|---|")
    for corpus in CORPORA:
        for peer, prefix in PEERS:
            for label, suffix in (("decode+encode", "-decode-encode"), ("decode", "-decode")):
                out = subprocess.run(
                    ["cargo", "bench", "-q", "--bench", "passes", "--", "paired", "typed" + suffix, prefix + suffix,
                     corpus, str(rounds)],
                    capture_output=True, text=True, check=True,
                ).stdout.split()
                median, q1, q3 = (float(x) for x in out[1:4])
                print(f"| {corpus} | typed {label} vs {peer} {label} | {median:.2f}{unit(round(median, 2))} | {q1:.2f}–{q3:.2f}× |")


def main():
    if sys.argv[1:] != ["-"]:
        # Timed here, so on this machine (a run piped in may come from another).
        print(machine(), end="\n\n")
    if os.environ.get("PAIRED"):
        return paired(int(os.environ["PAIRED"]))
    if sys.argv[1:] == ["-"]:
        runs = [ratios(medians(sys.stdin.read()))]
    else:
        bench = {"": "decode", "system": "decode", "mimalloc": "decode_mimalloc"}.get(os.environ.get("ALLOCATOR", ""))
        if bench is None:
            sys.exit("ALLOCATOR is `system` (the default) or `mimalloc`")
        count = int(os.environ.get("RUNS", "1"))
        runs = [ratios(medians(subprocess.run(["cargo", "bench", "--bench", bench], capture_output=True, text=True,
                                              check=True).stdout)) for _ in range(count)]
    if len(runs) == 1:
        print("| corpus | comparison | ratio (medians) |")
        print("|---|---|---|")
    else:
        print(f"| corpus | comparison | median of {len(runs)} runs' ratios | range |")
        print("|---|---|---|---|")
    for i, (corpus, label, _) in enumerate(runs[0]):
        each = sorted(run[i][2] for run in runs)
        ratio = statistics.median(each)
        spread = f" | {each[0]:.2f}–{each[-1]:.2f}×" if len(runs) > 1 else ""
        print(f"| {corpus} | {label.replace(' (cost)', '')} | {ratio:.2f}{unit(round(ratio, 2), '(cost)' in label)}{spread} |")


if __name__ == "__main__":
    main()
