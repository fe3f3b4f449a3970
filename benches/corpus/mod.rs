//! The corpora of the decoding benchmarks, and one pass over a corpus in each way that they
//! compare: shared by `decode.rs` (divan, wall time) and `passes.rs` (one way, n passes, for
//! `scripts/bench-instructions.py` to count instructions under callgrind).

pub mod derive;
#[path = "../../tests/docs/lenient.rs"]
mod lenient;
// The harness's reader; the benches use only annotations and bodies of it.
#[allow(dead_code)]
#[path = "../../tests/docs/markdown.rs"]
mod markdown;

use msgraph_comms::v1_0::{
    AnyCommsOperation, Call, CommsNotifications, OnlineMeeting, Participant, Presence, call_records::CallRecord,
};
use serde::de::IgnoredAny;
use serde_json::Value;
use std::hint::black_box;
use std::path::PathBuf;
use std::sync::LazyLock;

/// The types the docs corpus is decoded as, by annotated name.
#[derive(Clone, Copy, Debug)]
enum Kind {
    Notifications,
    Call,
    OnlineMeeting,
    Presence,
    CallRecord,
    Operation,
    Participant,
}

impl Kind {
    fn of(name: &str) -> Option<Kind> {
        Some(match name.trim_start_matches('#') {
            "microsoft.graph.commsNotifications" => Kind::Notifications,
            "microsoft.graph.call" => Kind::Call,
            "microsoft.graph.onlineMeeting" => Kind::OnlineMeeting,
            "microsoft.graph.presence" => Kind::Presence,
            "microsoft.graph.callRecords.callRecord" => Kind::CallRecord,
            "microsoft.graph.participant" => Kind::Participant,
            name if name.ends_with("Operation") => Kind::Operation,
            _ => return None,
        })
    }
}

#[derive(Clone)]
pub struct Payload {
    kind: Kind,
    text: String,
}

/// The payloads of a corpus.
pub struct Corpus {
    pub payloads: Vec<Payload>,
    pub bytes: usize,
}

impl Corpus {
    pub fn new(payloads: Vec<Payload>) -> Corpus {
        let bytes = payloads.iter().map(|p| p.text.len()).sum();
        Corpus { payloads, bytes }
    }
}

/// A roster update: one notification with 500 participants, as a large meeting sends.
static ROSTER: LazyLock<Corpus> = LazyLock::new(|| {
    let participants: Vec<Value> = (0..500)
        .map(|i| {
            serde_json::json!({
                "@odata.type": "#microsoft.graph.participant",
                "@odata.id": format!("/communications/calls/57dab8b1/participants/{i:08x}"),
                "id": format!("{i:08x}-f61d-4f4d-9635-c626ef18e6ad"),
                "info": {
                    "@odata.type": "#microsoft.graph.participantInfo",
                    "identity": {"user": {"id": format!("{i:08x}-d251-43ec-868c-373732c2704f"), "displayName": format!("Attendee {i}"), "tenantId": "72f988bf-86f1-41af-91ab-2d7cd011db47"}},
                    "languageId": "en-US",
                    "region": "westus"
                },
                "mediaStreams": [
                    {"mediaType": "audio", "label": "main-audio", "sourceId": format!("{}", i * 2), "direction": "sendReceive", "serverMuted": false},
                    {"mediaType": "video", "label": "main-video", "sourceId": format!("{}", i * 2 + 1), "direction": "receiveOnly", "serverMuted": false}
                ],
                "isMuted": i % 3 == 0,
                "isInLobby": false
            })
        })
        .collect();
    let body = serde_json::json!({"value": [{
        "@odata.type": "#microsoft.graph.commsNotification",
        "changeType": "updated",
        "resourceUrl": "/communications/calls/57dab8b1/participants",
        "resourceData": participants
    }]});
    Corpus::new(vec![Payload { kind: Kind::Notifications, text: body.to_string() }])
});

/// The docs examples annotated with one of the benchmarked types (collections split into items).
static DOCS: LazyLock<Corpus> = LazyLock::new(|| {
    let dir = std::env::var_os("MSGRAPH_COMMS_DOCS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/docs")));
    let mut payloads = Vec::new();
    for folder in ["v1.0", "beta", "seeds"] {
        let Ok(entries) =
            std::fs::read_dir(dir.join(folder).join("api")).or_else(|_| std::fs::read_dir(dir.join(folder)))
        else {
            continue;
        };
        let mut pages: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        pages.sort();
        for page in pages {
            let Ok(text) = std::fs::read_to_string(&page) else { continue };
            for block in markdown::blocks(&text) {
                // Sketches hold placeholder values, not payloads.
                if matches!(block.block_type(), Some("resource" | "ignored")) {
                    continue;
                }
                let Some(kind) = block.annotation.as_ref().and_then(|a| a.odata_type.as_deref()).and_then(Kind::of)
                else {
                    continue;
                };
                let Some(body) = serde_json::from_str::<Value>(&block.body)
                    .ok()
                    .or_else(|| lenient::repair(&block.body).and_then(|t| serde_json::from_str(&t).ok()))
                else {
                    continue;
                };
                let items = match body {
                    Value::Object(mut map)
                        if map.get("value").is_some_and(Value::is_array) && !matches!(kind, Kind::Notifications) =>
                    {
                        map.remove("value").and_then(|v| v.as_array().cloned()).unwrap_or_default()
                    }
                    Value::Array(items) => items,
                    other => vec![other],
                };
                payloads.extend(items.into_iter().map(|item| Payload { kind, text: item.to_string() }));
            }
        }
    }
    if payloads.is_empty() {
        eprintln!("NOTE: no docs examples at {} (set MSGRAPH_COMMS_DOCS): the docs corpus is empty", dir.display());
    }
    Corpus::new(payloads)
});

/// The names of the corpora, as the benchmarks take them.
pub const CORPORA: &[&str] = &["roster-500", "docs"];

/// The corpus of a name in [`CORPORA`].
pub fn corpus(name: &str) -> Option<&'static Corpus> {
    match name {
        "roster-500" => Some(&ROSTER),
        "docs" => Some(&DOCS),
        _ => None,
    }
}

/// `$go::<T>(args…)` with `T` the type of `$kind` among `$types`, given in `Kind`'s order.
macro_rules! with_type {
    ($kind:expr, [$n:ty, $c:ty, $m:ty, $p:ty, $r:ty, $o:ty, $a:ty], $go:ident($($arg:expr),*)) => {
        match $kind {
            Kind::Notifications => $go::<$n>($($arg),*),
            Kind::Call => $go::<$c>($($arg),*),
            Kind::OnlineMeeting => $go::<$m>($($arg),*),
            Kind::Presence => $go::<$p>($($arg),*),
            Kind::CallRecord => $go::<$r>($($arg),*),
            Kind::Operation => $go::<$o>($($arg),*),
            Kind::Participant => $go::<$a>($($arg),*),
        }
    };
}

/// `$go::<T>(args…)` with `T` the crate's type of `$kind`.
macro_rules! with_typed {
    ($kind:expr, $go:ident($($arg:expr),*)) => {
        with_type!(
            $kind,
            [CommsNotifications, Call, OnlineMeeting, Presence, CallRecord, AnyCommsOperation, Participant],
            $go($($arg),*)
        )
    };
}

/// `$go::<T>(args…)` with `T` the serde-derive peer's type of `$kind`.
macro_rules! with_derive {
    ($kind:expr, $go:ident($($arg:expr),*)) => {
        with_type!(
            $kind,
            [
                derive::CommsNotifications,
                derive::Call,
                derive::OnlineMeeting,
                derive::Presence,
                derive::CallRecord,
                derive::Operation,
                derive::Participant
            ],
            $go($($arg),*)
        )
    };
}

/// Decodes `text` as a `T`, and writes it back if `encode`.
fn decode_as<T: serde::de::DeserializeOwned + serde::Serialize>(text: &str, encode: bool) {
    let value: T = serde_json::from_str(text).expect("the corpus decodes");
    if encode {
        black_box(serde_json::to_string(&value).expect("encodes"));
    }
    black_box(value);
}

/// Decodes every payload of `corpus` as the serde-derive peer's type, and writes it back if
/// `encode`.
pub fn derive_pass(corpus: &Corpus, encode: bool) {
    corpus.payloads.iter().for_each(|p| with_derive!(p.kind, decode_as(&p.text, encode)));
}

/// Decodes every payload of `corpus` as a `sonic_rs::Value`, and writes it back if `encode`.
pub fn sonic_pass(corpus: &Corpus, encode: bool) {
    for payload in &corpus.payloads {
        let value: sonic_rs::Value = sonic_rs::from_str(&payload.text).expect("JSON");
        if encode {
            black_box(sonic_rs::to_string(&value).expect("encodes"));
        }
        black_box(value);
    }
}

/// How many payloads of `corpus` the serde-derive peer writes back as another JSON value than
/// it read (explicit `null`s dropped, …), of how many.
pub fn derive_lossy(corpus: &Corpus) -> (usize, usize) {
    fn changed<T: serde::de::DeserializeOwned + serde::Serialize>(text: &str) -> bool {
        let value: T = serde_json::from_str(text).expect("the corpus decodes with the derive peer");
        let back = serde_json::to_value(&value).expect("encodes");
        back != serde_json::from_str::<Value>(text).expect("JSON")
    }
    let lossy = corpus.payloads.iter().filter(|p| with_derive!(p.kind, changed(&p.text))).count();
    (lossy, corpus.payloads.len())
}

/// Decodes every payload of `corpus` as its `Value`, and writes it back if `encode`.
pub fn value_pass(corpus: &Corpus, encode: bool) {
    for payload in &corpus.payloads {
        let value: Value = serde_json::from_str(&payload.text).expect("JSON");
        if encode {
            black_box(serde_json::to_string(&value).expect("encodes"));
        }
        black_box(value);
    }
}

/// Decodes every payload of `corpus` as its type, and writes it back if `encode`.
pub fn typed_pass(corpus: &Corpus, encode: bool) {
    corpus.payloads.iter().for_each(|p| with_typed!(p.kind, decode_as(&p.text, encode)));
}

/// Scans every payload of `corpus` without keeping anything: the least decoding can cost.
pub fn ignored_pass(corpus: &Corpus) {
    for payload in &corpus.payloads {
        black_box(serde_json::from_str::<IgnoredAny>(&payload.text).expect("JSON"));
    }
}
