#!/usr/bin/env bash
# The work rustc does to compile the model crate alone (its dependencies built, no
# incremental state, default features unless `FEATURES` names others), as instructions
# counted by valgrind: the same figure on every run and every machine with the same
# toolchain, where wall times move with the machine's load. Counted for `cargo check` (the
# front end: what a change costs before any code generation) and for the dev build
# (everything, on one thread under valgrind). Run from the repository root:
#
#     scripts/build-instructions.sh             # this checkout
#     scripts/build-instructions.sh eeb170c     # and a commit, to compare
#     PEER=1 scripts/build-instructions.sh      # and graph-rs-types 0.1 alone (dev build)
#     FEATURES=requests scripts/build-instructions.sh eeb170c   # with features, both counted
#
# Needs valgrind. About a minute per count of this crate, 15 minutes for the peer.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
work=$(mktemp -d)
trap 'git -C "$root" worktree remove --force "$work/tree" 2>/dev/null || true; rm -rf "$work"' EXIT
command -v valgrind >/dev/null || { echo "valgrind is needed (apt-get install valgrind)" >&2; exit 1; }

# The wrapper counts rustc's instructions for the crate's library, and runs the rest as is.
cat >"$work/wrapper" <<'SH'
#!/usr/bin/env bash
rustc=$1; shift
if [[ " $* " == *" --crate-name $COUNT_CRATE "* && " $* " == *" --crate-type lib "* ]]; then
  exec valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null --log-file="$COUNT_LOG" "$rustc" "$@"
fi
exec "$rustc" "$@"
SH
chmod +x "$work/wrapper"

features=()
[ -n "${FEATURES:-}" ] && features=(--features "$FEATURES")

count() { # tree, cargo command: prints the instructions
  local tree=$1 command=$2
  (cd "$tree" && CARGO_TARGET_DIR="$work/target" cargo "$command" -q -p msgraph-comms "${features[@]}" 2>/dev/null)
  touch "$tree/src/lib.rs"
  (cd "$tree" && COUNT_CRATE=msgraph_comms COUNT_LOG="$work/log" RUSTC_WRAPPER="$work/wrapper" CARGO_INCREMENTAL=0 \
    CARGO_TARGET_DIR="$work/target" cargo "$command" -q -p msgraph-comms "${features[@]}" >/dev/null 2>&1)
  grep -o 'I *refs: *[0-9,]*' "$work/log" | tr -d ', ' | cut -d: -f2
}

row() { # name, tree
  local check build
  check=$(count "$2" check)
  build=$(count "$2" build)
  awk -v name="$1" -v check="$check" -v build="$build" 'BEGIN { printf "| %s | %.2f G | %.2f G |\n", name, check / 1e9, build / 1e9 }'
}

echo "| msgraph-comms alone (${FEATURES:-default} features) | instructions, check | instructions, dev build |"
echo "|---|---|---|"
row "$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src generated || echo ' + changes')" "$root"
if [ $# -gt 0 ]; then
  git worktree add -q --detach "$work/tree" "$1"
  row "$(git -C "$work/tree" rev-parse --short HEAD)" "$work/tree"
fi
if [ "${PEER:-0}" != 0 ]; then
  # The same crate the build-times script compares with, built as its users build it.
  mkdir -p "$work/baseline/src"
  printf '[package]\nname = "baseline"\nversion = "0.0.0"\nedition = "2021"\n[dependencies]\ngraph-rs-types = "=0.1.0"\n[workspace]\n' >"$work/baseline/Cargo.toml"
  echo 'pub use graph_rs_types;' >"$work/baseline/src/lib.rs"
  (cd "$work/baseline" && CARGO_TARGET_DIR="$work/peer" cargo build -q 2>/dev/null)
  find "$work/peer" -name '*graph_rs_types*' -path '*fingerprint*' -prune -exec rm -rf {} +
  (cd "$work/baseline" && COUNT_CRATE=graph_rs_types COUNT_LOG="$work/log" RUSTC_WRAPPER="$work/wrapper" \
    CARGO_INCREMENTAL=0 CARGO_TARGET_DIR="$work/peer" cargo build -q >/dev/null 2>&1)
  peer=$(grep -o 'I *refs: *[0-9,]*' "$work/log" | tr -d ', ' | cut -d: -f2)
  awk -v peer="$peer" 'BEGIN { printf "| graph-rs-types 0.1 alone | | %.2f G |\n", peer / 1e9 }'
fi
