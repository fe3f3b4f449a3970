//! Decoding speed of the typed models against the peers a user would otherwise use — a
//! hand-written serde-derive model (`corpus/derive.rs`), `serde_json::Value`, `sonic_rs::Value` —
//! and `IgnoredAny` (the scan limit), on payloads a bot meets: a synthetic roster update of 500 participants, and the
//! JSON examples of the Graph docs (`$MSGRAPH_COMMS_DOCS`, else `../shared/docs`) grouped by
//! type. Polymorphic values are compared with the same object decoded as its concrete type.
//!
//! `cargo bench --bench decode`; `scripts/bench-ratios.py` turns the medians into ratios.

mod corpus;

use corpus::{CORPORA, corpus, derive_lossy, derive_pass, ignored_pass, sonic_pass, typed_pass, value_pass};
use divan::Bencher;
use divan::counter::BytesCount;
use msgraph_comms::v1_0::{AnyCommsOperation, PlayPromptOperation};

pub fn main() {
    for name in CORPORA {
        let (lossy, of) = derive_lossy(corpus(name).expect("a name from CORPORA"));
        eprintln!("{name}: the serde-derive peer writes back {lossy} of {of} payloads changed");
    }
    divan::main();
}

#[divan::bench(args = CORPORA)]
fn typed_decode(bencher: Bencher, name: &str) {
    let corpus = corpus(name).expect("a name from CORPORA");
    bencher.counter(BytesCount::new(corpus.bytes)).bench(|| typed_pass(corpus, false));
}

#[divan::bench(args = CORPORA)]
fn typed_decode_encode(bencher: Bencher, name: &str) {
    let corpus = corpus(name).expect("a name from CORPORA");
    bencher.counter(BytesCount::new(corpus.bytes)).bench(|| typed_pass(corpus, true));
}

#[divan::bench(args = CORPORA)]
fn value_decode(bencher: Bencher, name: &str) {
    let corpus = corpus(name).expect("a name from CORPORA");
    bencher.counter(BytesCount::new(corpus.bytes)).bench(|| value_pass(corpus, false));
}

#[divan::bench(args = CORPORA)]
fn value_decode_encode(bencher: Bencher, name: &str) {
    let corpus = corpus(name).expect("a name from CORPORA");
    bencher.counter(BytesCount::new(corpus.bytes)).bench(|| value_pass(corpus, true));
}

#[divan::bench(args = CORPORA)]
fn derive_decode(bencher: Bencher, name: &str) {
    let corpus = corpus(name).expect("a name from CORPORA");
    bencher.counter(BytesCount::new(corpus.bytes)).bench(|| derive_pass(corpus, false));
}

#[divan::bench(args = CORPORA)]
fn derive_decode_encode(bencher: Bencher, name: &str) {
    let corpus = corpus(name).expect("a name from CORPORA");
    bencher.counter(BytesCount::new(corpus.bytes)).bench(|| derive_pass(corpus, true));
}

#[divan::bench(args = CORPORA)]
fn sonic_decode(bencher: Bencher, name: &str) {
    let corpus = corpus(name).expect("a name from CORPORA");
    bencher.counter(BytesCount::new(corpus.bytes)).bench(|| sonic_pass(corpus, false));
}

#[divan::bench(args = CORPORA)]
fn sonic_decode_encode(bencher: Bencher, name: &str) {
    let corpus = corpus(name).expect("a name from CORPORA");
    bencher.counter(BytesCount::new(corpus.bytes)).bench(|| sonic_pass(corpus, true));
}

#[divan::bench(args = CORPORA)]
fn ignored_any(bencher: Bencher, name: &str) {
    let corpus = corpus(name).expect("a name from CORPORA");
    bencher.counter(BytesCount::new(corpus.bytes)).bench(|| ignored_pass(corpus));
}

/// A `playPromptOperation` as a bot receives it, with its tag first or last.
fn operation(tag_first: bool) -> String {
    let body = r#""id":"0fe0623f-d628-42ed-b4bd-8ac290072cc5","status":"completed","clientContext":"d45324c1-fcb5-430a-902c-f20af696537c","resultInfo":{"code":200,"subcode":8500,"message":"Success"},"completionReason":"completedSuccessfully""#;
    let tag = r##""@odata.type":"#microsoft.graph.playPromptOperation""##;
    match tag_first {
        true => format!("{{{tag},{body}}}"),
        false => format!("{{{body},{tag}}}"),
    }
}

#[divan::bench]
fn operation_as_concrete_type(bencher: Bencher) {
    let text = operation(true);
    bencher.bench(|| divan::black_box(serde_json::from_str::<PlayPromptOperation>(&text).expect("decodes")));
}

#[divan::bench]
fn operation_as_polymorphic_tag_first(bencher: Bencher) {
    let text = operation(true);
    bencher.bench(|| divan::black_box(serde_json::from_str::<AnyCommsOperation>(&text).expect("decodes")));
}

#[divan::bench]
fn operation_as_polymorphic_tag_last(bencher: Bencher) {
    let text = operation(false);
    bencher.bench(|| divan::black_box(serde_json::from_str::<AnyCommsOperation>(&text).expect("decodes")));
}
