//! The cost of every entry point that takes input from the network ([`inputs::ENTRIES`]): the
//! decoding of webhook and notification bodies, routing, `check`, validation tokens,
//! decryption, the handshake, the tracker, and the answers a client reads (batches, headers).
//!
//! - `cargo bench --bench network --features tracker,decrypt,jwt,requests`: divan's wall times of each
//!   entry at its two sizes (8× apart), and of whole-roster updates of 2,000 and 10,000 people
//!   (decoded; decoded and tracked; decoded as a `serde_json::Value`, the peer).
//! - `… -- run ENTRY SIZE PASSES`: PASSES passes of one entry at SIZE, in one function
//!   (`run_passes`) whose instructions `scripts/bench-growth.py` counts under callgrind.
//! - `… -- list`: the entries, their sizes and what they measure.

mod inputs;

use divan::Bencher;
use std::process::ExitCode;

fn main() -> ExitCode {
    // `cargo bench` adds `--bench`.
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["run", name, size, passes] => {
            let (Some(entry), Ok(size), Ok(passes)) = (inputs::entry(name), size.parse(), passes.parse::<usize>())
            else {
                eprintln!("usage: run ENTRY SIZE PASSES (ENTRY one of {})", inputs::NAMES.join(", "));
                return ExitCode::FAILURE;
            };
            let mut pass = (entry.prepare)(size);
            // A first pass warms what is made on first use (the routers, buffers).
            pass();
            run_passes(&mut *pass, passes);
            ExitCode::SUCCESS
        }
        ["list"] => {
            for entry in inputs::ENTRIES {
                println!("{}\t{}\t{}", entry.name, entry.size, entry.what);
            }
            ExitCode::SUCCESS
        }
        _ => {
            divan::main();
            ExitCode::SUCCESS
        }
    }
}

/// The passes, and nothing else: what `scripts/bench-growth.py` counts (callgrind's
/// `--toggle-collect` of this function), without making the input.
#[inline(never)]
fn run_passes(pass: &mut dyn FnMut(), passes: usize) {
    for _ in 0..passes {
        pass();
    }
}

/// Each entry at its smaller size (`SCALE` 1) and 8× it.
#[divan::bench(args = inputs::NAMES, consts = [1, 8])]
fn entry<const SCALE: usize>(bencher: Bencher, name: &str) {
    let entry = inputs::entry(name).expect("a name of NAMES");
    let pass = (entry.prepare)(entry.size * SCALE);
    bencher.bench_local(pass);
}

const PEOPLE: &[usize] = &[200, 2_000, 10_000];

/// A whole-roster update of a meeting of that many people, decoded.
#[divan::bench(args = PEOPLE)]
fn roster_decode(bencher: Bencher, people: usize) {
    let pass = (inputs::entry("roster-decode").expect("an entry").prepare)(people);
    bencher.bench_local(pass);
}

/// The peer: the same update decoded as a `serde_json::Value`, which says how this machine's
/// caches and allocator take the larger sizes.
#[divan::bench(args = PEOPLE)]
fn roster_value(bencher: Bencher, people: usize) {
    let [body, _] = inputs::rosters(people);
    bencher.bench_local(move || serde_json::from_str::<serde_json::Value>(&body).expect("JSON"));
}

/// A whole-roster update of a meeting of that many people, decoded and tracked.
#[divan::bench(args = PEOPLE)]
fn roster_track(bencher: Bencher, people: usize) {
    let pass = (inputs::entry("roster-track").expect("an entry").prepare)(people);
    bencher.bench_local(pass);
}
