//! One way of decoding, run `n` times over a corpus and nothing else: what
//! `scripts/bench-instructions.py` runs under callgrind, to count the instructions and
//! instruction-cache misses of a pass. Wall time on a shared machine moves by ±10 % and more
//! from run to run; these counts do not.
//!
//! `cargo bench --bench passes -- WAY CORPUS N`, WAY one of `typed-decode`,
//! `typed-decode-encode`, `derive-decode`, `derive-decode-encode`, `value-decode`,
//! `value-decode-encode`, `sonic-decode`, `sonic-decode-encode`, `ignored-any`; CORPUS one of
//! `roster-500`, `docs`. Without arguments (as `cargo bench` runs it) it does nothing.
//!
//! `cargo bench --bench passes -- paired WAY PEER CORPUS ROUNDS` times the two ways in turns,
//! a pass of each per round (which goes first alternates), and prints the median and the
//! quartiles of the rounds' ratios (the peer's time over the way's): a change in the machine's
//! speed then moves both sides of each ratio, where divan's medians of separate benchmarks are
//! taken seconds apart. `scripts/bench-ratios.py` runs it with `PAIRED=ROUNDS`. With REPEAT,
//! each payload is read REPEAT times in a row: its code and the branch predictor's history are
//! then warm, which shows how much of a ratio the caches and the predictor account for.

mod corpus;

use corpus::{CORPORA, Corpus, corpus, derive_lossy, derive_pass, ignored_pass, sonic_pass, typed_pass, value_pass};
use std::process::ExitCode;
use std::time::Instant;

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
        [mode, way, peer, name, rounds, repeat @ ..] if mode == "paired" && repeat.len() <= 1 => {
            return paired(way, peer, name, rounds, repeat.first().map_or("1", String::as_str));
        }
        [way, name, passes] => (way.as_str(), name.as_str(), passes.parse::<usize>()),
        _ => return usage("expected three arguments, or `paired` and four or five"),
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
        pass(way, corpus);
    }
    eprintln!("{passes} × {way} over {name}: {} payloads, {} bytes", corpus.payloads.len(), corpus.bytes);
    if way.starts_with("derive") {
        let (lossy, of) = derive_lossy(corpus);
        eprintln!("the serde-derive peer writes back {lossy} of {of} payloads changed");
    }
    ExitCode::SUCCESS
}

/// One pass of `way` (one of [`WAYS`]) over `corpus`.
fn pass(way: &str, corpus: &Corpus) {
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

/// `way` and `peer` timed in turns for `rounds` rounds, over the corpus with each payload
/// `repeat` times in a row; prints `ratio MEDIAN Q1 Q3 way MEDIAN_SECONDS peer MEDIAN_SECONDS`.
fn paired(way: &str, peer: &str, name: &str, rounds: &str, repeat: &str) -> ExitCode {
    let Ok(rounds @ 1..) = rounds.parse::<usize>() else { return usage("ROUNDS must be a whole number above 0") };
    let Ok(repeat @ 1..) = repeat.parse::<usize>() else { return usage("REPEAT must be a whole number above 0") };
    let Some(corpus) = corpus(name).filter(|_| WAYS.contains(&way) && WAYS.contains(&peer)) else {
        return usage(&format!("unknown way or corpus: {way} {peer} {name}"));
    };
    let repeated;
    let corpus = match repeat {
        1 => corpus,
        times => {
            let payloads = corpus.payloads.iter().flat_map(|p| std::iter::repeat_n(p.clone(), times)).collect();
            repeated = Corpus::new(payloads);
            &repeated
        }
    };
    if corpus.payloads.is_empty() {
        eprintln!("the {name} corpus is empty");
        return ExitCode::FAILURE;
    }
    let time = |way: &str| {
        let start = Instant::now();
        pass(way, corpus);
        start.elapsed().as_secs_f64()
    };
    // Warm: the corpus in the data cache, the allocator's free lists filled, both ways' code paged in.
    for _ in 0..3 {
        time(way);
        time(peer);
    }
    let (mut ours, mut theirs, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..rounds {
        let (a, b) = if round % 2 == 0 {
            let a = time(way);
            (a, time(peer))
        } else {
            let b = time(peer);
            (time(way), b)
        };
        ours.push(a);
        theirs.push(b);
        ratios.push(b / a);
    }
    let q = |values: &mut Vec<f64>, at: f64| {
        values.sort_by(f64::total_cmp);
        values[((values.len() - 1) as f64 * at).round() as usize]
    };
    println!(
        "ratio {:.4} {:.4} {:.4} way {:.6} peer {:.6}",
        q(&mut ratios, 0.5),
        q(&mut ratios, 0.25),
        q(&mut ratios, 0.75),
        q(&mut ours, 0.5),
        q(&mut theirs, 0.5)
    );
    ExitCode::SUCCESS
}

fn usage(problem: &str) -> ExitCode {
    eprintln!(
        "{problem}\nusage: passes WAY CORPUS N, or passes paired WAY PEER CORPUS ROUNDS [REPEAT]\n  WAY, PEER: {}\n  CORPUS: {}",
        WAYS.join(", "),
        CORPORA.join(", ")
    );
    ExitCode::from(2)
}
