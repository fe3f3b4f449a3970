//! Every entry point that takes input from the network, each with an input of a given size:
//! what `benches/network.rs` times (divan) and what `scripts/bench-growth.py` counts under
//! callgrind at two sizes 8× apart, to check that the cost grows linearly with the input
//! whatever its shape.
//!
//! An entry makes its input once ([`Entry::prepare`]) and gives a pass over it; the pass is
//! what is measured. Sizes are counted in the entry's own unit (participants, tags, segments,
//! bytes …): twice the size is about twice the bytes.

use aws_lc_rs::encoding::{AsDer, Pkcs8V1Der, PublicKeyX509Der};
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::{KeyPair, KeySize, PrivateDecryptingKey};
use aws_lc_rs::signature::{KeyPair as _, RSA_PKCS1_SHA256};
use msgraph_comms::change_notifications::{
    CHANGE_TRACKING_APP_ID, ClientStates, DecryptionKeys, EncryptedContent, TokenValidator, encrypt, validation_request,
};
use msgraph_comms::odata::{Batch, BatchAnswers, Prefer, RetryAfter, route};
use msgraph_comms::v1_0::call_records::call_record;
use msgraph_comms::v1_0::call_transcript;
use msgraph_comms::v1_0::tracker::Tracker;
use msgraph_comms::v1_0::{
    self, AnyCommsOperation, AnyEntity, ChangeNotificationCollection, CommsNotification, CommsNotifications,
};
use serde_json::{Value, json};
use std::hint::black_box;

/// One entry point and how to feed it.
pub struct Entry {
    /// The name the benchmarks and the script take.
    pub name: &'static str,
    /// What a pass does, and what the size counts.
    pub what: &'static str,
    /// The smaller of the two sizes the growth is measured at (the larger is 8× it).
    pub size: usize,
    /// Makes the input of a size, and gives one pass over it.
    pub prepare: fn(usize) -> Box<dyn FnMut()>,
}

/// The entries, in the order of the issue's list: decoding, routing, checks, tokens,
/// decryption, the handshake, the tracker; then what a client reads of answers (batches,
/// headers).
pub const ENTRIES: &[Entry] = &[
    Entry {
        name: "roster-decode",
        what: "a whole-roster update of N participants decoded (CommsNotifications)",
        size: 250,
        prepare: roster_decode,
    },
    Entry {
        name: "roster-track",
        what: "a whole-roster update of N participants decoded and tracked (1 % leave, 1 % join, 2 % toggle mute)",
        size: 250,
        prepare: roster_track,
    },
    Entry {
        name: "tags-webhook",
        what: "a resource whose `@odata.type` comes N times, alternating between two types, after 10 keys each (CommsNotifications)",
        size: 100,
        prepare: tags_webhook,
    },
    Entry {
        name: "tags-entity",
        what: "the same resource decoded alone (AnyEntity, as decrypted resources are)",
        size: 100,
        prepare: tags_entity,
    },
    Entry {
        name: "tags-nested",
        what: "N participants, each with its tags after other keys at every level (info, identity, user)",
        size: 100,
        prepare: tags_nested,
    },
    Entry {
        name: "tags-annotations",
        what: "N annotations, a key, a tag, N more keys and another tag (AnyEntity)",
        size: 500,
        prepare: tags_annotations,
    },
    Entry {
        name: "flags",
        what: "an IsFlags value naming N members the schema does not define",
        size: 1_000,
        prepare: flags,
    },
    Entry {
        name: "changes-decode",
        what: "a delivery of N change notifications decoded, each one's type and id read",
        size: 100,
        prepare: changes_decode,
    },
    Entry {
        name: "route-segments",
        what: "a resourceUrl of N segments routed, the call, participant and operation ids and the type read",
        size: 100,
        prepare: route_segments,
    },
    Entry {
        name: "route-key",
        what: "a resourceUrl whose call id is N bytes, routed and its ids read",
        size: 1_000,
        prepare: route_key,
    },
    Entry {
        name: "check",
        what: "N notifications checked against N/4 subscriptions (ids in Graph's other GUID spelling)",
        size: 200,
        prepare: check,
    },
    Entry { name: "tokens", what: "N validation tokens validated", size: 8, prepare: tokens },
    Entry {
        name: "token-size",
        what: "one validation token with N bytes of claims validated",
        size: 4_000,
        prepare: token_size,
    },
    Entry {
        name: "decrypt",
        what: "encrypted resource data of N participants' JSON decrypted and decoded",
        size: 50,
        prepare: decrypt,
    },
    Entry {
        name: "handshake",
        what: "a validation request with N/16 other parameters answered, and one with a token of N bytes refused",
        size: 4_000,
        prepare: handshake,
    },
    Entry {
        name: "track-calls",
        what: "N calls' state notifications in one body tracked",
        size: 100,
        prepare: track_calls,
    },
    Entry {
        name: "track-leaves",
        what: "N participants joining, then a `deleted` notification of all of them, in one body",
        size: 250,
        prepare: track_leaves,
    },
    Entry {
        name: "track-guests",
        what: "a whole-roster update of N guests and phone participants (`\"id\": null`), tracked",
        size: 250,
        prepare: track_guests,
    },
    Entry {
        name: "track-rosters",
        what: "roster updates of N calls, one participant each, in one body",
        size: 100,
        prepare: track_rosters,
    },
    Entry {
        name: "track-operations",
        what: "N operations registered, then their completions in one body tracked",
        size: 100,
        prepare: track_operations,
    },
    Entry {
        name: "delta-roster",
        what: "a roster delta of 20 people (`deltaParticipants`, mute toggled) applied to a call of N participants",
        size: 250,
        prepare: delta_roster,
    },
    Entry {
        name: "delta-size",
        what: "a roster delta of N people (mute toggled) applied to a call of 2,000 participants",
        size: 20,
        prepare: delta_size,
    },
    Entry {
        name: "batch-answers",
        what: "the `$batch` answers to N call-record reads (bodies of 20, items in reverse order) read and decoded",
        size: 40,
        prepare: batch_answers,
    },
    Entry {
        name: "batch-bytes",
        what: "a `$batch` answer of one stream read whose base64 body decodes to N bytes",
        size: 4_000,
        prepare: batch_bytes,
    },
    Entry {
        name: "prefer",
        what: "a `Preference-Applied` of N preferences (every kind, quoted values and parameters) read",
        size: 100,
        prepare: prefer,
    },
    Entry {
        name: "retry-after",
        what: "`Retry-After` values of N bytes read: decimal seconds with a long fraction, and a value neither seconds nor a date",
        size: 1_000,
        prepare: retry_after,
    },
];

/// The names of [`ENTRIES`], in order, for divan's arguments.
pub const NAMES: &[&str] = &[
    "roster-decode",
    "roster-track",
    "tags-webhook",
    "tags-entity",
    "tags-nested",
    "tags-annotations",
    "flags",
    "changes-decode",
    "route-segments",
    "route-key",
    "check",
    "tokens",
    "token-size",
    "decrypt",
    "handshake",
    "track-calls",
    "track-leaves",
    "track-guests",
    "track-rosters",
    "track-operations",
    "delta-roster",
    "delta-size",
    "batch-answers",
    "batch-bytes",
    "prefer",
    "retry-after",
];

/// The entry of a name.
pub fn entry(name: &str) -> Option<&'static Entry> {
    ENTRIES.iter().find(|e| e.name == name)
}

const CALL: &str = "57dab8b1-894c-409a-b240-bd8beae78896";
const TENANT: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const APP: &str = "8e460676-ae3f-4b1e-8790-ee0fb5d6148f";

/// A participant of a roster, as Graph sends it.
pub fn participant(i: usize, muted: bool) -> Value {
    json!({
        "@odata.type": "#microsoft.graph.participant",
        "id": format!("{i:08x}-f61d-4f4d-9635-c626ef18e6ad"),
        "info": {
            "@odata.type": "#microsoft.graph.participantInfo",
            "identity": {
                "@odata.type": "#microsoft.graph.identitySet",
                "user": {"@odata.type": "#microsoft.graph.identity", "id": format!("{i:08x}-d251-43ec-868c-373732c2704f"),
                         "displayName": format!("Attendee {i}"), "tenantId": TENANT}
            },
            "languageId": "en-US",
            "region": "westus"
        },
        "mediaStreams": [
            {"@odata.type": "#microsoft.graph.mediaStream", "mediaType": "audio", "label": "main-audio",
             "sourceId": format!("{}", i * 2), "direction": "sendReceive", "serverMuted": false},
            {"@odata.type": "#microsoft.graph.mediaStream", "mediaType": "video", "label": "main-video",
             "sourceId": format!("{}", i * 2 + 1), "direction": "receiveOnly", "serverMuted": false}
        ],
        "isMuted": muted,
        "isInLobby": false
    })
}

/// A webhook body of one notification about `url` carrying `data`.
fn webhook(url: &str, data: Value) -> String {
    json!({"value": [{"@odata.type": "#microsoft.graph.commsNotification", "changeType": "updated",
                      "resourceUrl": url, "resourceData": data}]})
    .to_string()
}

/// The two rosters of `n` people a meeting alternates between: from the first to the second,
/// 1 % leave, 1 % join and 2 % toggle their mute; from the second back, the reverse.
pub fn rosters(n: usize) -> [String; 2] {
    let url = format!("/communications/calls/{CALL}/participants");
    let first: Vec<Value> = (0..n).map(|i| participant(i, i % 3 == 0)).collect();
    let second: Vec<Value> = (0..n)
        .filter(|i| i % 100 != 7)
        .map(|i| participant(i, (i % 3 == 0) != (i % 50 == 1)))
        .chain((0..n.div_ceil(100)).map(|j| participant(n + j, false)))
        .collect();
    [webhook(&url, Value::Array(first)), webhook(&url, Value::Array(second))]
}

fn roster_decode(n: usize) -> Box<dyn FnMut()> {
    let [body, _] = rosters(n);
    Box::new(move || {
        black_box(serde_json::from_str::<CommsNotifications>(&body).expect("decodes"));
    })
}

fn roster_track(n: usize) -> Box<dyn FnMut()> {
    let bodies = rosters(n);
    let mut tracker = Tracker::default();
    let mut turn = 0;
    // The tracker knows the meeting already: a pass is one update of it.
    tracker.process(serde_json::from_str(&bodies[1]).expect("decodes"));
    Box::new(move || {
        let body = serde_json::from_str::<CommsNotifications>(&bodies[turn % 2]).expect("decodes");
        black_box(tracker.process(body));
        turn += 1;
    })
}

/// A tracker that knows a call of delta rosters with `people` participants, and a pass that
/// applies the next delta of `changed` of them (spread over the roster), their mute toggled.
fn deltas(people: usize, changed: usize) -> Box<dyn FnMut()> {
    let url = format!("/communications/calls/{CALL}");
    let created = webhook(
        &url,
        json!({"@odata.type": "#microsoft.graph.call", "state": "established",
            "callOptions": {"@odata.type": "#microsoft.graph.outgoingCallOptions", "isDeltaRosterEnabled": true}}),
    );
    let roster: Vec<Value> = (0..people).map(|i| participant(i, false)).collect();
    let mut tracker = Tracker::default();
    tracker.process(serde_json::from_str(&created).expect("decodes"));
    tracker.process(
        serde_json::from_str(&webhook(&format!("{url}/participants"), Value::Array(roster))).expect("decodes"),
    );
    // The two deltas it alternates between, the sequence number written in at each pass.
    let listed =
        |muted: bool| -> Vec<Value> { (0..changed).map(|j| participant(j * people / changed.max(1), muted)).collect() };
    let body = |muted: bool| {
        let data = json!({"@odata.type": "#microsoft.graph.deltaParticipants", "sequenceNumber": "SEQUENCE",
            "participants": listed(muted)});
        webhook(&format!("{url}/participants"), data)
    };
    let bodies = [body(true), body(false)];
    let mut sequence = 0u64;
    Box::new(move || {
        sequence += 1;
        let text = bodies[(sequence % 2) as usize].replacen("\"SEQUENCE\"", &sequence.to_string(), 1);
        let body = serde_json::from_str::<CommsNotifications>(&text).expect("decodes");
        black_box(tracker.process(body));
    })
}

fn delta_roster(n: usize) -> Box<dyn FnMut()> {
    deltas(n, 20)
}

fn delta_size(n: usize) -> Box<dyn FnMut()> {
    deltas(2_000, n)
}

/// A resource whose `@odata.type` comes `n` times, alternating between a call and a
/// participant, each after ten keys (some declared by one of the two types). The first tag
/// names a call and the last a participant whatever `n` is, so that every size is read the
/// same way: a move at the first tag, and one at the end.
fn alternating_tags(n: usize) -> String {
    let mut text = String::from("{");
    for k in 0..n {
        for j in 0..8 {
            text.push_str(&format!(r#""p{k}_{j}":{k},"#));
        }
        text.push_str(r#""state":"established","isMuted":true,"#);
        let tag = if k % 2 == 0 && k + 1 < n { "call" } else { "participant" };
        text.push_str(&format!(r##""@odata.type":"#microsoft.graph.{tag}""##));
        text.push(if k + 1 == n { '}' } else { ',' });
    }
    text
}

fn tags_webhook(n: usize) -> Box<dyn FnMut()> {
    let body = format!(
        r#"{{"value":[{{"changeType":"updated","resourceUrl":"/communications/calls/{CALL}","resourceData":{}}}]}}"#,
        alternating_tags(n)
    );
    Box::new(move || {
        black_box(serde_json::from_str::<CommsNotifications>(&body).expect("decodes"));
    })
}

fn tags_entity(n: usize) -> Box<dyn FnMut()> {
    let body = alternating_tags(n);
    Box::new(move || {
        black_box(serde_json::from_str::<AnyEntity>(&body).expect("decodes"));
    })
}

/// `n` participants whose tags come last at every level, after a key that sorts before
/// `@odata.type`: each level's arm is chosen after its other keys were read.
fn tags_nested(n: usize) -> Box<dyn FnMut()> {
    let item = |i: usize| {
        format!(
            r##"{{"0":{i},"id":"p{i}","info":{{"0":1,"identity":{{"0":1,"user":{{"0":1,"id":"u{i}","displayName":"A {i}","@odata.type":"#microsoft.graph.identity"}},"@odata.type":"#microsoft.graph.identitySet"}},"@odata.type":"#microsoft.graph.participantInfo"}},"@odata.type":"#microsoft.graph.participant"}}"##
        )
    };
    let items: Vec<String> = (0..n).map(item).collect();
    // Written by hand: `Value` would sort the keys, and put the tags first.
    let body = format!(
        r#"{{"value":[{{"changeType":"updated","resourceUrl":"/communications/calls/{CALL}/participants","resourceData":[{}]}}]}}"#,
        items.join(",")
    );
    Box::new(move || {
        black_box(serde_json::from_str::<CommsNotifications>(&body).expect("decodes"));
    })
}

fn tags_annotations(n: usize) -> Box<dyn FnMut()> {
    let annotations: String = (0..n).map(|i| format!(r#""@a{i}":1,"#)).collect();
    let keys: String = (0..n).map(|i| format!(r#""b{i}":1,"#)).collect();
    let body = format!(
        r##"{{{annotations}"z":1,"@odata.type":"#microsoft.graph.call",{keys}"@odata.type":"#microsoft.graph.participant"}}"##
    );
    Box::new(move || {
        black_box(serde_json::from_str::<AnyEntity>(&body).expect("decodes"));
    })
}

fn flags(n: usize) -> Box<dyn FnMut()> {
    let members: Vec<String> = (0..n).map(|i| format!("member{i}")).collect();
    let body = json!({"videoDisabled": members.join(","), "contentSharingDisabled": "watermarkProtection"}).to_string();
    Box::new(move || {
        let value: v1_0::OnlineMeetingRestricted = serde_json::from_str(&body).expect("decodes");
        black_box(value.video_disabled == value.video_disabled.clone());
    })
}

fn changes_decode(n: usize) -> Box<dyn FnMut()> {
    let items: Vec<Value> = (0..n)
        .map(|i| {
            json!({
                "subscriptionId": format!("{:08x}-ff6b-4489-96ca-4ef547e78b22", i % 7),
                "clientState": "secret", "changeType": "created", "tenantId": TENANT,
                "resource": format!("communications/callRecords/{i:08x}-2f1a-4f5b-9c6d-0e1f2a3b4c5d"),
                "subscriptionExpirationDateTime": "2026-12-09T10:00:00.0000000Z",
                "resourceData": {"@odata.type": "#microsoft.graph.callrecord",
                                 "@odata.id": format!("communications/callRecords/{i:08x}"),
                                 "id": format!("{i:08x}-2f1a-4f5b-9c6d-0e1f2a3b4c5d")}
            })
        })
        .collect();
    let body = json!({ "value": items }).to_string();
    Box::new(move || {
        let delivery: ChangeNotificationCollection = serde_json::from_str(&body).expect("decodes");
        for notification in delivery.notifications() {
            black_box((notification.resource_type(), notification.resource_id()));
        }
    })
}

/// The ids and the type a bot reads of a notification.
fn read_ids(notification: &CommsNotification) {
    black_box((
        notification.call_id(),
        notification.participant_id(),
        notification.operation_id(),
        notification.resource_type(),
    ));
}

fn route_segments(n: usize) -> Box<dyn FnMut()> {
    // `participants/x/` again and again: each end looks like a participant's path.
    let url = format!("/communications/calls/{CALL}/{}", "participants/x/".repeat(n));
    let notification: CommsNotification = serde_json::from_value(json!({"resourceUrl": url})).expect("decodes");
    Box::new(move || {
        read_ids(&notification);
        black_box(route(v1_0::ROUTES, "GET", &url));
    })
}

fn route_key(n: usize) -> Box<dyn FnMut()> {
    let url = format!("/communications/calls/{}/participants/p1", "a%2F".repeat(n / 4));
    let notification: CommsNotification = serde_json::from_value(json!({"resourceUrl": url})).expect("decodes");
    Box::new(move || {
        read_ids(&notification);
        black_box(route(v1_0::ROUTES, "GET", &url));
    })
}

fn subscription(i: usize) -> String {
    format!("{i:08x}-ff6b-4489-96ca-4ef547e78b22")
}

fn check(n: usize) -> Box<dyn FnMut()> {
    let subscriptions = n / 4;
    let mut states = ClientStates::new();
    for i in 0..subscriptions {
        states.insert(subscription(i), format!("state {i}"));
    }
    let items: Vec<Value> = (0..n)
        .map(|i| {
            let s = i % (subscriptions + 1);
            // Graph's other spelling: upper case, no dashes; one in five of no subscription of ours.
            json!({"subscriptionId": subscription(s).replace('-', "").to_uppercase(), "clientState": format!("state {s}"),
                   "changeType": "updated", "resource": "communications/presences/x", "tenantId": TENANT})
        })
        .collect();
    let delivery: ChangeNotificationCollection = serde_json::from_value(json!({ "value": items })).expect("decodes");
    Box::new(move || {
        black_box(delivery.check(&states));
    })
}

fn base64url(bytes: &[u8]) -> String {
    msgraph_comms::edm::Binary::encode_url_safe(bytes).into_string()
}

/// A token signer, and the validator that trusts it.
fn signer() -> (KeyPair, TokenValidator) {
    let key = KeyPair::generate(KeySize::Rsa2048).expect("a key");
    let components: aws_lc_rs::rsa::PublicKeyComponents<Vec<u8>> = key.public_key().into();
    let jwks = json!({"keys": [{"kty": "RSA", "use": "sig", "kid": "k1", "n": base64url(&components.n), "e": base64url(&components.e)}]});
    (key, TokenValidator::new(&jwks.to_string(), [APP]).expect("a key set"))
}

fn sign(key: &KeyPair, claims: Value) -> String {
    let header = json!({"typ": "JWT", "alg": "RS256", "kid": "k1"});
    let input = format!("{}.{}", base64url(header.to_string().as_bytes()), base64url(claims.to_string().as_bytes()));
    let mut signature = vec![0; key.public_modulus_len()];
    key.sign(&RSA_PKCS1_SHA256, &SystemRandom::new(), input.as_bytes(), &mut signature).expect("signs");
    format!("{input}.{}", base64url(&signature))
}

fn claims(padding: usize) -> Value {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("a clock").as_secs();
    json!({"aud": APP, "iss": format!("https://sts.windows.net/{TENANT}/"), "iat": now - 10, "nbf": now - 10,
           "exp": now + 36_000, "appid": CHANGE_TRACKING_APP_ID, "tid": TENANT, "ver": "1.0", "pad": "x".repeat(padding)})
}

fn tokens(n: usize) -> Box<dyn FnMut()> {
    let (key, validator) = signer();
    let token = sign(&key, claims(0));
    let tokens: Vec<String> = vec![token; n];
    Box::new(move || {
        black_box(validator.validate_all(tokens.iter().map(String::as_str)));
    })
}

fn token_size(n: usize) -> Box<dyn FnMut()> {
    let (key, validator) = signer();
    let token = sign(&key, claims(n));
    Box::new(move || {
        black_box(validator.validate(&token).expect("valid"));
    })
}

fn decrypt(n: usize) -> Box<dyn FnMut()> {
    let key = PrivateDecryptingKey::generate(KeySize::Rsa2048).expect("a key");
    let pkcs8 = AsDer::<Pkcs8V1Der>::as_der(&key).expect("PKCS#8");
    let public = key.public_key();
    let public = AsDer::<PublicKeyX509Der>::as_der(&public).expect("X.509");
    let mut keys = DecryptionKeys::new();
    keys.add_pkcs8_der("cert-1", None, pkcs8.as_ref()).expect("a key");
    let roster: Vec<Value> = (0..n).map(|i| participant(i, false)).collect();
    let plaintext = json!({"@odata.type": "#microsoft.graph.call", "id": CALL, "state": "established",
                           "participants": roster})
    .to_string();
    let [data, data_key, data_signature, id, thumbprint] =
        encrypt(plaintext.as_bytes(), public.as_ref(), "cert-1", "AB").expect("encrypts");
    Box::new(move || {
        let content = EncryptedContent {
            data: &data,
            data_key: &data_key,
            data_signature: &data_signature,
            encryption_certificate_id: &id,
            encryption_certificate_thumbprint: &thumbprint,
        };
        black_box(keys.decrypt_json::<AnyEntity>(&content).expect("decrypts"));
    })
}

fn handshake(n: usize) -> Box<dyn FnMut()> {
    // A token is at most 1 KiB: a real one after N/16 other parameters is answered, and one of
    // N bytes is refused.
    let params: String = (0..n / 16).map(|i| format!("p{i}=v%20{i}&")).collect();
    let answered = format!("/api/notify?{params}validationToken={}", "Validation%3A+Testing+".repeat(12));
    let refused = format!("/api/notify?validationToken={}", "Validation%3A+Testing+".repeat(n / 22 + 1));
    Box::new(move || {
        black_box(validation_request("POST", &answered).expect("a token"));
        black_box(validation_request("POST", &refused).expect_err("a token of more than 1 KiB"));
    })
}

fn track_calls(n: usize) -> Box<dyn FnMut()> {
    let body = |state: &str| {
        let items: Vec<Value> = (0..n)
            .map(|i| {
                json!({"changeType": "updated", "resourceUrl": format!("/communications/calls/{i:08x}-894c-409a-b240-bd8beae78896"),
                       "resourceData": {"@odata.type": "#microsoft.graph.call", "state": state}})
            })
            .collect();
        json!({ "value": items }).to_string()
    };
    let bodies = [body("established"), body("hold")];
    let mut tracker = Tracker::default();
    tracker.process(serde_json::from_str(&bodies[1]).expect("decodes"));
    let mut turn = 0;
    Box::new(move || {
        let body = serde_json::from_str::<CommsNotifications>(&bodies[turn % 2]).expect("decodes");
        black_box(tracker.process(body));
        turn += 1;
    })
}

/// A tracker, and a pass that decodes `body` and takes it in (a new tracker each pass when
/// `fresh`).
fn tracked(body: String, fresh: bool) -> Box<dyn FnMut()> {
    let mut tracker = Tracker::default();
    Box::new(move || {
        if fresh {
            tracker = Tracker::default();
        }
        let body = serde_json::from_str::<CommsNotifications>(&body).expect("decodes");
        black_box(tracker.process(body));
    })
}

fn track_leaves(n: usize) -> Box<dyn FnMut()> {
    let url = format!("/communications/calls/{CALL}/participants");
    let people: Vec<Value> = (0..n).map(|i| participant(i, false)).collect();
    let body = json!({"value": [
        {"changeType": "created", "resourceUrl": url, "resourceData": people},
        {"changeType": "deleted", "resourceUrl": url, "resourceData": people}
    ]});
    tracked(body.to_string(), true)
}

fn track_guests(n: usize) -> Box<dyn FnMut()> {
    let guests: Vec<Value> = (0..n)
        .map(|i| {
            let mut guest = participant(i, i % 2 == 0);
            guest["id"] = Value::Null;
            guest["info"]["identity"] = match i % 2 {
                0 => json!({"guest": {"id": format!("guest-{i}"), "displayName": format!("Guest {i}")}}),
                _ => json!({"phone": {"id": format!("+1425555{i:04}")}}),
            };
            guest
        })
        .collect();
    tracked(webhook(&format!("/communications/calls/{CALL}/participants"), Value::Array(guests)), false)
}

fn track_rosters(n: usize) -> Box<dyn FnMut()> {
    let items: Vec<Value> = (0..n)
        .map(|i| {
            json!({"changeType": "updated",
                   "resourceUrl": format!("/communications/calls/{i:08x}-894c-409a-b240-bd8beae78896/participants"),
                   "resourceData": [participant(i, false)]})
        })
        .collect();
    tracked(json!({ "value": items }).to_string(), false)
}

fn track_operations(n: usize) -> Box<dyn FnMut()> {
    let id = |i: usize| format!("{i:08x}-d628-42ed-b4bd-8ac290072cc5");
    let operations: Vec<AnyCommsOperation> = (0..n)
        .map(|i| {
            serde_json::from_value(
                json!({"@odata.type": "#microsoft.graph.playPromptOperation", "id": id(i), "status": "running"}),
            )
            .expect("decodes")
        })
        .collect();
    let items: Vec<Value> = (0..n)
        .map(|i| {
            json!({"changeType": "deleted",
                   "resourceUrl": format!("/communications/calls/{CALL}/operations/{}", id(i).replace('-', "").to_uppercase()),
                   "resourceData": {"@odata.type": "#microsoft.graph.playPromptOperation", "status": "completed"}})
        })
        .collect();
    let body = json!({ "value": items }).to_string();
    let mut tracker = Tracker::default();
    Box::new(move || {
        for (i, operation) in operations.iter().enumerate() {
            tracker.register_operation(operation.clone(), format!("prompt {i}"));
        }
        let body = serde_json::from_str::<CommsNotifications>(&body).expect("decodes");
        black_box(tracker.process(body));
    })
}

fn record_batch(n: usize) -> Batch {
    let mut batch = Batch::new(v1_0::BASE_URL);
    for i in 0..n {
        batch.add(&call_record::Get::new(call_record::Item::new(format!("{CALL}-{i}")))).expect("adds");
    }
    batch
}

fn batch_answers(n: usize) -> Box<dyn FnMut()> {
    let batch = record_batch(n);
    let bodies: Vec<Vec<u8>> = (batch.bodies().expect("bodies").iter())
        .map(|body| {
            let mut responses: Vec<Value> = (body["requests"].as_array().expect("requests").iter())
                .map(|request| {
                    let id = &request["id"];
                    json!({"id": id, "status": 200, "headers": {"Content-Type": "application/json"},
                        "body": {"id": id, "version": 1, "type": "groupCall", "modalities": ["audio", "video"],
                            "startDateTime": "2026-12-07T10:00:00Z", "endDateTime": "2026-12-07T11:00:00Z",
                            "organizer": {"user": {"id": CALL, "displayName": "Organizer"}}}})
                })
                .collect();
            responses.reverse();
            serde_json::to_vec(&json!({ "responses": responses })).expect("writes")
        })
        .collect();
    let items: Vec<_> = (1..=n).map(|i| i.to_string()).collect();
    Box::new(move || {
        let bodies: Vec<&[u8]> = bodies.iter().map(Vec::as_slice).collect();
        let answers = BatchAnswers::read(&batch, &bodies).expect("reads");
        for id in &items {
            let answer = answers.answer(id).expect("answered");
            black_box(answer.decode::<call_record::Get>().expect("decodes"));
        }
    })
}

fn batch_bytes(n: usize) -> Box<dyn FnMut()> {
    let mut batch = Batch::new(v1_0::BASE_URL);
    let at = call_transcript::Item::MeOnlineMeetingsTranscripts {
        online_meeting_id: "m".into(),
        call_transcript_id: "t".into(),
    };
    let item = batch.add(&call_transcript::GetContent::new(at)).expect("adds");
    let bytes: Vec<u8> = (0..n).map(|i| (i % 251) as u8).collect();
    let body = json!({"responses": [{"id": item.id(), "status": 200, "headers": {"Content-Type": "text/vtt"},
        "body": msgraph_comms::edm::Binary::encode_standard(&bytes).as_str()}]});
    let body = serde_json::to_vec(&body).expect("writes");
    Box::new(move || {
        let answers = BatchAnswers::read(&batch, &[&body]).expect("reads");
        black_box(answers.get(&item).expect("decodes"));
    })
}

fn prefer(n: usize) -> Box<dyn FnMut()> {
    let kinds = [
        "odata.maxpagesize=100",
        "include-unknown-enum-members",
        "return=minimal",
        r#"odata.include-annotations="*,-Org.Odata.*,NS.Term#q""#,
        "respond-async",
        r#"handling=lenient; x="a, \"b\"; c""#,
        "wait=10",
    ];
    let value = (0..n).map(|i| kinds[i % kinds.len()]).collect::<Vec<_>>().join(", ");
    Box::new(move || {
        black_box(Prefer::parse(&value).expect("reads"));
    })
}

fn retry_after(n: usize) -> Box<dyn FnMut()> {
    let decimal = format!("1.{}", "9".repeat(n));
    let neither = format!("Sun, {}", "0".repeat(n));
    Box::new(move || {
        black_box(RetryAfter::parse(&decimal));
        black_box(RetryAfter::parse(&neither));
    })
}
