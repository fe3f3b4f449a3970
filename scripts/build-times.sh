#!/usr/bin/env bash
# Clean build times and peak memory of the model crate, against graph-rs-types 0.1 (a 2019
# generated Graph crate) built on the same machine in the same run; and the generator's time
# for the slice and for the whole schema. Run from the repository root:
#
#     scripts/build-times.sh            # prints Markdown tables
#     RUNS=5 scripts/build-times.sh     # the compared rows from 5 runs each (3 by default)
#
# Each build uses its own empty target folder; the crates.io cache is shared (downloads are
# not timed: `cargo fetch` runs first).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

measure() { # name, then the command; prints "| name | seconds | peak MiB |"
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
  read -r seconds kib <"$work/time"
  printf '| %s | %.1f s | %d MiB |\n' "$name" "$seconds" "$((kib / 1024))"
}

# A crate that depends on graph-rs-types 0.1, as a user of it would build it.
mkdir -p "$work/baseline/src"
cat >"$work/baseline/Cargo.toml" <<'TOML'
[package]
name = "baseline"
version = "0.0.0"
edition = "2021"
[dependencies]
graph-rs-types = "=0.1.0"
[workspace]
TOML
echo 'pub use graph_rs_types;' >"$work/baseline/src/lib.rs"
(cd "$work/baseline" && cargo fetch -q)
cargo fetch -q

runs=${RUNS:-3}
seconds() { # the command's wall time in seconds
  /usr/bin/time -f "%e" -o "$work/time" "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
  cat "$work/time"
}
ratio_row() { # name, our times, the peer's times: medians, ranges, ratio of medians, range of ratios
  python3 - "$@" <<'PY'
import statistics, sys
name, ours, peer = sys.argv[1], [float(x) for x in sys.argv[2].split()], [float(x) for x in sys.argv[3].split()]
ratios = [o / p for o, p in zip(ours, peer)]
med = statistics.median
print(f"| {name} | {med(ours):.1f} s ({min(ours):.1f}–{max(ours):.1f}) | {med(peer):.1f} s ({min(peer):.1f}–{max(peer):.1f}) "
      f"| {med(ours) / med(peer):.2f}× | {min(ratios):.2f}–{max(ratios):.2f}× |")
PY
}

# One build of each, not timed, so that the timed ones all find the sources in the file cache
# (the first build of a run was up to 1.5× slower than the next ones).
env CARGO_TARGET_DIR="$work/warm" cargo build -q -p msgraph-comms
(cd "$work/baseline" && CARGO_TARGET_DIR="$work/warm-b" cargo build -q)
rm -rf "$work/warm" "$work/warm-b"

# Clean builds with default features, the two crates in turns, RUNS times each (3 unless set):
# a change in the machine's speed during the run then moves both. The ratio of the medians is
# the figure; the range of the runs' own ratios says how much the machine moved.
echo "| clean build, default features ($runs runs in turns) | msgraph-comms | graph-rs-types 0.1 | ratio of medians | range of the runs' ratios |"
echo "|---|---|---|---|---|"
for profile in dev release; do
  flag=$([ "$profile" = release ] && echo --release || true)
  ours=(); peer=()
  for i in $(seq "$runs"); do
    ours+=("$(seconds env CARGO_TARGET_DIR="$work/t-$profile-$i" cargo build -q -p msgraph-comms $flag)")
    peer+=("$(seconds bash -c "cd '$work/baseline' && CARGO_TARGET_DIR='$work/b-$profile-$i' cargo build -q $flag")")
    [ "$i" = 1 ] || rm -rf "$work/t-$profile-$i" "$work/b-$profile-$i"
  done
  mv "$work/t-$profile-1" "$work/t-$profile"
  mv "$work/b-$profile-1" "$work/b-$profile"
  ratio_row "$profile" "${ours[*]}" "${peer[*]}"
done

echo
echo "| build (clean, one run; debug unless said) | time | peak memory |"
echo "|---|---|---|"
for profile in dev release; do
  flag=$([ "$profile" = release ] && echo --release || true)
  measure "msgraph-comms ($profile)" env CARGO_TARGET_DIR="$work/m-$profile" cargo build -q -p msgraph-comms $flag
  measure "msgraph-comms --features beta ($profile)" env CARGO_TARGET_DIR="$work/t-beta-$profile" cargo build -q -p msgraph-comms --features beta $flag
  measure "msgraph-comms --features registry ($profile)" env CARGO_TARGET_DIR="$work/t-reg-$profile" cargo build -q -p msgraph-comms --features registry $flag
  measure "msgraph-comms --features http ($profile)" env CARGO_TARGET_DIR="$work/t-http-$profile" cargo build -q -p msgraph-comms --features http $flag
  measure "graph-rs-types 0.1 ($profile)" bash -c "cd '$work/baseline' && CARGO_TARGET_DIR='$work/m-b-$profile' cargo build -q $flag"
  rm -rf "$work/m-$profile" "$work/m-b-$profile" "$work/t-beta-$profile" "$work/t-reg-$profile" "$work/t-http-$profile"
done
# The crate alone, its dependencies built: what a change to it costs. Without incremental
# state, so that the crate compiles from scratch in both profiles, like the peer. The two
# crates are built in turns, RUNS times each (3 unless set), so that a change in the
# machine's speed during the run moves both: the ratio of the medians is the figure, and the
# range of the runs' own ratios says how much the machine moved.
ours_alone() {
  touch "$root/src/lib.rs"
  seconds env CARGO_INCREMENTAL=0 CARGO_TARGET_DIR="$work/t-$1" cargo build -q -p msgraph-comms $2
}
peer_alone() {
  (cd "$work/baseline" && touch src/lib.rs && find "$work/b-$1" -name '*graph_rs_types*' -path '*fingerprint*' -prune -exec rm -rf {} + 2>/dev/null || true)
  seconds bash -c "cd '$work/baseline' && CARGO_INCREMENTAL=0 CARGO_TARGET_DIR='$work/b-$1' cargo build -q $2"
}
echo
echo "| the crate alone, dependencies built ($runs runs in turns) | msgraph-comms | graph-rs-types 0.1 | ratio of medians | range of the runs' ratios |"
echo "|---|---|---|---|---|"
for profile in dev release; do
  flag=$([ "$profile" = release ] && echo --release || true)
  ours=(); peer=()
  for _ in $(seq "$runs"); do
    ours+=("$(ours_alone "$profile" "$flag")")
    peer+=("$(peer_alone "$profile" "$flag")")
  done
  ratio_row "$profile" "${ours[*]}" "${peer[*]}"
done
echo
echo "| generator (release) | time | peak memory |"
echo "|---|---|---|"
cargo build -q --release -p msgraph-comms-codegen
measure "pinned slices, v1.0 + beta" target/release/msgraph-comms-codegen generate --check
measure "whole v1.0 schema" target/release/msgraph-comms-codegen generate --metadata "${MSGRAPH_COMMS_METADATA:-../shared/metadata}/v1.0/2026-08-04.xml" --whole-schema --out "$work/whole"
