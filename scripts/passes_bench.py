"""What the scripts that run `benches/passes.rs` share: its corpora, and building it."""
import json
import subprocess
import sys

CORPORA = ["roster-500", "docs"]


def passes_binary():
    """Builds benches/passes.rs (release, as `cargo bench` does) and returns its path."""
    out = subprocess.run(
        ["cargo", "bench", "--bench", "passes", "--no-run", "--message-format=json"],
        capture_output=True, text=True, check=True,
    ).stdout
    for line in out.splitlines():
        message = json.loads(line)
        if message.get("reason") == "compiler-artifact" and message["target"]["name"] == "passes":
            if message.get("executable"):
                return message["executable"]
    sys.exit("cargo built no `passes` executable")
