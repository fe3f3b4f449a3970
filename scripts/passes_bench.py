"""What the scripts that run the benchmarks share: the corpora of `benches/passes.rs`, building
it, and naming the machine they ran on."""
import glob
import json
import os
import subprocess
import sys

CORPORA = ["roster-500", "docs"]
# How lscpu names the first-level caches.
CACHE_KINDS = {"Instruction": "i", "Data": "d"}


def passes_binary():
    """Builds benches/passes.rs (release, as `cargo bench` does) and returns its path."""
    return bench_binary("passes")


def bench_binary(name, features=None):
    """Builds the bench `name` (release, as `cargo bench` does; with the cargo features
    `features`, a comma-separated list) and returns its path."""
    command = ["cargo", "bench", "--bench", name, "--no-run", "--message-format=json"]
    if features:
        command += ["--features", features]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        message = json.loads(line)
        if message.get("reason") == "compiler-artifact" and message["target"]["name"] == name:
            if message.get("executable"):
                return message["executable"]
    sys.exit(f"cargo built no `{name}` executable")


def machine():
    """The processor and its caches, as a line to print above wall times: the ratios depend on
    them: the same build read the docs corpus 1.13× as fast as `Value` on one machine and 0.98×
    as fast on another (BENCHMARKS.md)."""
    model = "an unknown processor"
    try:
        with open("/proc/cpuinfo") as info:
            model = next((line.split(":", 1)[1].strip() for line in info if line.startswith("model name")), model)
    except OSError:
        pass
    caches = []
    for index in sorted(glob.glob("/sys/devices/system/cpu/cpu0/cache/index*")):
        try:
            level, kind, size = (read_text(os.path.join(index, name)) for name in ("level", "type", "size"))
        except OSError:
            continue
        caches.append(f"L{level}{CACHE_KINDS.get(kind, '')} {size}")
    per_core = f"; caches of cpu0: {', '.join(caches)}" if caches else ""
    return f"machine: {model}, {os.cpu_count()} CPUs{per_core}"


def read_text(path):
    """A small file's text, without its final newline."""
    with open(path) as file:
        return file.read().strip()
