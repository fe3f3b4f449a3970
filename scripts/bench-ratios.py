#!/usr/bin/env python3
"""Runs the decoding benchmarks and prints the ratios of their medians, all from one run:

    python3 scripts/bench-ratios.py        (or: cargo bench --bench decode | python3 scripts/bench-ratios.py -)
"""
import re
import subprocess
import sys

UNITS = {"ns": 1e-9, "µs": 1e-6, "us": 1e-6, "ms": 1e-3, "s": 1.0}


def medians(text):
    """{(bench, arg): seconds} from divan's tree (the median is the third time column)."""
    out, group = {}, None
    for line in text.splitlines():
        row = re.match(r"^(?P<indent>(?:│  |   )*)(?:├─|╰─) (?P<name>\S+)(?P<rest>.*)$", line)
        if not row:
            continue
        times = re.findall(r"([0-9.]+) (ns|µs|us|ms|s)\b", row["rest"])
        median = float(times[2][0]) * UNITS[times[2][1]] if len(times) >= 3 else None
        if row["indent"] == "":
            group = row["name"]
            if median is not None:
                out[(group, None)] = median
        elif median is not None:
            out[(group, row["name"])] = median
    return out


def main():
    if sys.argv[1:] == ["-"]:
        text = sys.stdin.read()
    else:
        text = subprocess.run(["cargo", "bench", "--bench", "decode"], capture_output=True, text=True, check=True).stdout
    m = medians(text)
    rows = []
    for corpus in ("roster-500", "docs"):
        get = lambda bench: m.get((bench, corpus))
        pairs = []
        for peer, prefix in (("serde-derive", "derive"), ("Value", "value"), ("sonic-rs Value", "sonic")):
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
    print("| corpus | comparison | ratio (medians) |")
    print("|---|---|---|")
    for corpus, label, ratio in rows:
        unit = "× the cost" if "(cost)" in label else "× faster" if ratio >= 1 else "× (slower)"
        print(f"| {corpus} | {label.replace(' (cost)', '')} | {ratio:.2f}{unit} |")


if __name__ == "__main__":
    main()
