//! One way of decoding, run `n` times over a corpus and nothing else: what
//! `scripts/bench-instructions.py` runs under callgrind, to count the instructions and
//! instruction-cache misses of a pass. Wall time on a shared machine moves by ±10 % and more
//! from run to run; these counts do not.
//!
//! `cargo bench --bench passes -- WAY CORPUS N`, WAY one of `typed-decode`,
//! `typed-decode-encode`, `derive-decode`, `derive-decode-encode`, `value-decode`,
//! `value-decode-encode`, `sonic-decode`, `sonic-decode-encode`, `ignored-any`; CORPUS one of
//! `roster-500`, `docs`. Without arguments (as `cargo bench` runs it) it does nothing.

mod corpus;

use corpus::{CORPORA, corpus, derive_lossy, derive_pass, ignored_pass, sonic_pass, typed_pass, value_pass};
use std::process::ExitCode;

const WAYS: &[&str] = &[
    "typed-decode",
    "typed-decode-encode",
    "derive-decode",
    "derive-decode-encode",
    "value-decode",
    "value-decode-encode",
    "sonic-decode",
    "sonic-decode-encode",
    "ignored-any",
];

fn main() -> ExitCode {
    // `cargo bench` adds `--bench`.
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    let (way, name, passes) = match &args[..] {
        [] => return ExitCode::SUCCESS,
        [way, name, passes] => (way.as_str(), name.as_str(), passes.parse::<usize>()),
        _ => return usage("expected three arguments"),
    };
    let Ok(passes) = passes else { return usage("N must be a whole number") };
    let Some(corpus) = corpus(name).filter(|_| WAYS.contains(&way)) else {
        return usage(&format!("unknown way or corpus: {way} {name}"));
    };
    if corpus.payloads.is_empty() {
        eprintln!("the {name} corpus is empty");
        return ExitCode::FAILURE;
    }
    for _ in 0..passes {
        match way {
            "typed-decode" => typed_pass(corpus, false),
            "typed-decode-encode" => typed_pass(corpus, true),
            "derive-decode" => derive_pass(corpus, false),
            "derive-decode-encode" => derive_pass(corpus, true),
            "sonic-decode" => sonic_pass(corpus, false),
            "sonic-decode-encode" => sonic_pass(corpus, true),
            "value-decode" => value_pass(corpus, false),
            "value-decode-encode" => value_pass(corpus, true),
            _ => ignored_pass(corpus),
        }
    }
    eprintln!("{passes} × {way} over {name}: {} payloads, {} bytes", corpus.payloads.len(), corpus.bytes);
    if way.starts_with("derive") {
        let (lossy, of) = derive_lossy(corpus);
        eprintln!("the serde-derive peer writes back {lossy} of {of} payloads changed");
    }
    ExitCode::SUCCESS
}

fn usage(problem: &str) -> ExitCode {
    eprintln!("{problem}\nusage: passes WAY CORPUS N\n  WAY: {}\n  CORPUS: {}", WAYS.join(", "), CORPORA.join(", "));
    ExitCode::from(2)
}
