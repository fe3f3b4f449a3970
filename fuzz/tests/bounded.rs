//! The fuzz targets on stable, for a bounded time: the committed corpus, then inputs made and
//! mutated by a seeded generator. CI runs the default budget; a long local run:
//!
//! ```sh
//! MSGRAPH_COMMS_FUZZ_SECONDS=600 cargo test --release -p msgraph-comms-fuzz -- --nocapture
//! ```
//!
//! `MSGRAPH_COMMS_FUZZ_SEED` changes the seed. A failing input is saved under
//! `target/fuzz-failures/` and named in the failure, to replay with `cargo fuzz run TARGET FILE`.

use msgraph_comms_fuzz::{
    TYPES, answers, change_notifications, check_csdl, check_merge, csdl, encrypted_content, encrypted_content_input,
    merge, merge_input, mutate, notifications, tracker, types, types_input,
};
use mutate::Rng;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// How long to go on: `MSGRAPH_COMMS_FUZZ_SECONDS`, else `cases` inputs.
struct Budget {
    cases: usize,
    until: Option<Instant>,
    done: usize,
}

impl Budget {
    fn new(cases: usize) -> Budget {
        let seconds = std::env::var("MSGRAPH_COMMS_FUZZ_SECONDS").ok().and_then(|s| s.parse().ok());
        Budget { cases, until: seconds.map(|s| Instant::now() + Duration::from_secs(s)), done: 0 }
    }

    fn more(&mut self) -> bool {
        self.done += 1;
        match self.until {
            Some(until) => Instant::now() < until,
            None => self.done <= self.cases,
        }
    }
}

fn seed() -> u64 {
    std::env::var("MSGRAPH_COMMS_FUZZ_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(0x006d_7367_7261_7068)
}

/// Runs `target` on `input`; on a panic, saves the input and fails naming it.
fn run(name: &str, target: impl Fn(&[u8]) + std::panic::RefUnwindSafe, input: &[u8]) {
    if std::panic::catch_unwind(|| target(input)).is_err() {
        let dir = repo().join("target/fuzz-failures");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("{name}-{:016x}", fingerprint(input)));
        std::fs::write(&path, input).unwrap();
        panic!("the `{name}` target failed on the input saved at {}", path.display());
    }
}

fn fingerprint(data: &[u8]) -> u64 {
    data.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3))
}

/// The files of `fuzz/corpus/TARGET` and `fuzz/regressions/TARGET`.
fn corpus(target: &str) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in ["corpus", "regressions"] {
        if let Ok(entries) = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(dir).join(target)) {
            files.extend(entries.flatten().map(|e| e.path()).filter(|p| p.is_file()));
        }
    }
    files.sort();
    files
}

#[test]
fn the_committed_corpus_passes() {
    let mut count = 0;
    for (name, target) in [
        ("notifications", notifications as fn(&[u8])),
        ("types", types),
        ("csdl", csdl),
        ("change_notifications", change_notifications),
    ] {
        let files = corpus(name);
        assert!(!files.is_empty(), "no corpus for `{name}` in fuzz/corpus");
        for file in files {
            run(name, target, &std::fs::read(&file).unwrap());
            count += 1;
        }
    }
    eprintln!("corpus: {count} inputs");
}

#[test]
fn payloads_made_and_mutated() {
    let mut rng = Rng::new(seed());
    let mut budget = Budget::new(3_000);
    let (mut made, mut mutated) = (0, 0);
    while budget.more() {
        let ty = TYPES[rng.below(TYPES.len())];
        let value = mutate::payload(&mut rng, ty, &TYPES, 3);
        let mut input = types_input(ty.name, value.to_string().as_bytes()).unwrap();
        let body = serde_json::json!({"value": [{"changeType": "updated", "resourceData": value}]}).to_string();
        let mut webhook = body.into_bytes();
        if rng.chance(50) {
            // Mutate after the type index: the type stays the one the payload was made for.
            let mut payload = input.split_off(2);
            mutate::bytes(&mut rng, &mut payload);
            input.extend(payload);
            mutate::bytes(&mut rng, &mut webhook);
            mutated += 1;
        } else {
            made += 1;
        }
        run("types", types, &input);
        run("notifications", notifications, &webhook);
    }
    eprintln!("payloads: {made} made, {mutated} mutated, each as its type and in a webhook");
}

/// A payload made for `ty` with what does not decode taken out, if that leaves one.
fn decodable(rng: &mut Rng, ty: &msgraph_comms::odata::TypeInfo) -> Option<String> {
    let mut value = mutate::payload(rng, ty, &TYPES, 3);
    for _ in 0..64 {
        match (ty.round_trip)(&value.to_string()) {
            Ok(_) => return Some(value.to_string()),
            Err(err) if mutate::repair(&mut value, &err.to_string()) => {}
            Err(_) => return None,
        }
    }
    None
}

/// Merge and diff agree (see `check_merge`) on pairs of payloads of every type: made, made
/// from the other, and the other merged in.
#[test]
fn merges_agree_with_diffs() {
    let mut rng = Rng::new(seed());
    let mut budget = Budget::new(3_000);
    let (mut checked, mut skipped) = (0, 0);
    let mut types_checked = std::collections::BTreeSet::new();
    while budget.more() {
        let ty = TYPES[rng.below(TYPES.len())];
        let (Some(old), Some(new)) = (decodable(&mut rng, ty), decodable(&mut rng, ty)) else {
            skipped += 1;
            continue;
        };
        // Half the time, `new` edits `old`: some of its keys, some of `old`'s.
        let new = match rng.chance(50) {
            true => {
                let (Value::Object(mut edited), Value::Object(other)) =
                    (serde_json::from_str(&old).unwrap(), serde_json::from_str::<Value>(&new).unwrap())
                else {
                    unreachable!("payloads are objects")
                };
                for (key, value) in other {
                    if rng.chance(50) {
                        edited.insert(key, value);
                    }
                }
                let edited = Value::Object(edited).to_string();
                if (ty.round_trip)(&edited).is_ok() { edited } else { new }
            }
            false => new,
        };
        run("merge", merge, &merge_input(ty.name, &old, &new).unwrap());
        assert!(check_merge(ty, &old, &new));
        checked += 1;
        types_checked.insert(ty.name);
    }
    eprintln!("merges: {checked} pairs of {} types checked, {skipped} skipped", types_checked.len());
    assert!(checked * 10 >= (checked + skipped) * 9, "too few payloads decode: {checked} checked, {skipped} skipped");
}

/// Random sequences of partial call updates (and roster updates, deletions, operations) for
/// one call: the tracker never panics, and the call it keeps is the call merged by hand from
/// the updates.
#[test]
fn the_tracker_keeps_the_merge_of_the_updates() {
    use msgraph_comms::odata::{Merge, find_type};
    use msgraph_comms::v1_0::{AnyEntity, Call};
    let call_type = find_type(msgraph_comms::v1_0::TYPES, "microsoft.graph.call").unwrap();
    let mut rng = Rng::new(seed());
    let mut budget = Budget::new(300);
    let mut updates = 0;
    while budget.more() {
        let mut kept = msgraph_comms::v1_0::tracker::Tracker::default();
        let mut expected = Call { id: "c1".to_owned().into(), ..Call::default() };
        let mut bodies = Vec::new();
        for _ in 0..1 + rng.below(6) {
            let Some(payload) = decodable(&mut rng, call_type) else { continue };
            let Value::Object(mut payload) = serde_json::from_str::<Value>(&payload).unwrap() else { unreachable!() };
            // The call is the one of the URL; the tag says it is a call.
            payload.remove("id");
            payload.insert("@odata.type".into(), "#microsoft.graph.call".into());
            let resource = Value::Object(payload);
            let Ok(AnyEntity::Call(call)) = serde_json::from_value::<AnyEntity>(resource.clone()) else { continue };
            expected.merge(*call);
            let body = serde_json::json!({"value": [{"changeType": "updated",
                "resourceUrl": "/communications/calls/c1", "resourceData": resource}]});
            bodies.push(body.to_string());
            kept.process(serde_json::from_value(body).unwrap());
            updates += 1;
        }
        if bodies.is_empty() {
            continue;
        }
        assert_eq!(kept.call("c1"), Some(&expected), "after {bodies:?}");
        // Other notifications, made and mutated, around the same call: never a panic.
        let mut noise = bodies.join("\0").into_bytes();
        for _ in 0..rng.below(4) {
            let ty = TYPES[rng.below(TYPES.len())];
            let resource = mutate::payload(&mut rng, ty, &TYPES, 2);
            let change = *rng.pick(&["created", "updated", "deleted"]);
            let url = *rng.pick(&[
                "/communications/calls/c1",
                "/communications/calls/c1/participants",
                "/communications/calls/C1/operations/o1",
                "",
            ]);
            let body =
                serde_json::json!({"value": [{"changeType": change, "resourceUrl": url, "resourceData": resource}]});
            noise.push(0);
            noise.extend(body.to_string().bytes());
        }
        if rng.chance(30) {
            mutate::bytes(&mut rng, &mut noise);
        }
        run("tracker", tracker, &noise);
    }
    eprintln!("tracker: {updates} call updates merged as by hand");
    assert!(updates > 0);
}

/// Our own small CSDL documents (the generator's golden scenarios), mutated.
#[test]
fn csdl_scenarios_mutated() {
    let golden = repo().join("codegen/tests/golden");
    let mut inputs: Vec<String> = std::fs::read_dir(&golden)
        .unwrap()
        .flatten()
        .filter_map(|e| std::fs::read_to_string(e.path().join("input.xml")).ok())
        .collect();
    inputs.sort();
    assert!(!inputs.is_empty(), "no scenarios in {}", golden.display());
    let mut rng = Rng::new(seed());
    let mut budget = Budget::new(150);
    let mut count = 0;
    while budget.more() {
        let mut text = rng.pick(&inputs).clone();
        for _ in 0..=rng.below(3) {
            text = mutate::csdl(&mut rng, &text).unwrap_or(text);
        }
        run("csdl", csdl, text.as_bytes());
        count += 1;
    }
    eprintln!("csdl scenarios: {count} mutated documents");
}

/// The pinned v1.0 metadata, mutated: the real schema's size and shapes through the resolver.
#[test]
fn real_metadata_mutated() {
    let dir =
        std::env::var_os("MSGRAPH_COMMS_METADATA").map(PathBuf::from).unwrap_or(repo().join("../shared/metadata"));
    let path = dir.join("v1.0/2026-08-04.xml");
    let Ok(original) = std::fs::read_to_string(&path) else {
        assert!(std::env::var_os("CI").is_none(), "{} is missing (set MSGRAPH_COMMS_METADATA)", path.display());
        eprintln!("NOTE: {} is missing: the real metadata was not fuzzed (set MSGRAPH_COMMS_METADATA)", path.display());
        return;
    };
    let mut rng = Rng::new(seed());
    let mut budget = Budget::new(if cfg!(debug_assertions) { 2 } else { 20 });
    let mut count = 0;
    while budget.more() {
        let mut text = original.clone();
        for _ in 0..=rng.below(4) {
            text = mutate::csdl(&mut rng, &text).unwrap_or(text);
        }
        // Saved as a `csdl` input: `cargo fuzz run csdl FILE` replays it.
        run("csdl", |data| check_csdl(std::str::from_utf8(data).expect("UTF-8"), false), text.as_bytes());
        count += 1;
    }
    eprintln!("real metadata: {count} mutated documents");
}

/// Writes the seed corpus (our own inputs, and the seed fixtures' bodies) into `fuzz/corpus`:
/// `cargo test -p msgraph-comms-fuzz -- --ignored write_seed_corpus`. The fuzzers add what
/// they find to the same folders; `cargo fuzz cmin` keeps them small.
#[test]
#[ignore = "writes files: run on purpose"]
fn write_seed_corpus() {
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let write = |target: &str, name: &str, data: &[u8]| {
        std::fs::create_dir_all(out.join(target)).unwrap();
        std::fs::write(out.join(target).join(name), data).unwrap();
    };
    let seeds = repo().join("tests/fixtures/seeds");
    let index: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(seeds.join("index.json")).unwrap()).unwrap();
    for entry in index.as_array().unwrap() {
        let file = entry["file"].as_str().unwrap();
        let body = std::fs::read(seeds.join(file)).unwrap();
        match entry["request"].as_str() {
            None if entry["kind"] == "notification" => write("notifications", file, &body),
            Some(request) if request.ends_with("/invite") => {
                let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
                let invited = body["participants"][0].to_string();
                write(
                    "types",
                    file,
                    &types_input("microsoft.graph.invitationParticipantInfo", invited.as_bytes()).unwrap(),
                )
            }
            Some(request) if request.ends_with("/calls") => {
                write("types", file, &types_input("microsoft.graph.call", &body).unwrap())
            }
            _ => {}
        }
    }
    // Our own payloads for the polymorphic entry points: every type with an `@odata.type`
    // naming itself and one naming nothing known, each with one property of its own.
    for (i, ty) in TYPES.iter().enumerate().step_by(7) {
        let property = ty.properties.first().copied().unwrap_or("id");
        let body = format!(r##"{{"@odata.type":"#{}","{property}":null,"x":[1,"a",{{}}]}}"##, ty.name);
        write("types", &format!("own-{i:03}.json"), &types_input(ty.name, body.as_bytes()).unwrap());
    }
    write("notifications", "own-roster.json", br##"{"value":[{"changeType":"updated","resourceUrl":"/communications/calls/1/participants","resourceData":[{"@odata.type":"#microsoft.graph.participant","id":"p1","info":{"identity":{"user":{"id":"u1","displayName":"A"}}},"mediaStreams":[{"mediaType":"audio","direction":"sendReceive","serverMuted":false}],"isMuted":true},{"@odata.type":"#microsoft.graph.participant","id":"p2","isInLobby":false}]}]}"##);
    for scenario in std::fs::read_dir(repo().join("codegen/tests/golden")).unwrap().flatten() {
        let name = scenario.file_name().to_string_lossy().into_owned();
        if let Ok(text) = std::fs::read(scenario.path().join("input.xml")) {
            write("csdl", &format!("{name}.xml"), &text);
        }
    }
}

/// Change-notification deliveries made for the type and mutated, with real encrypted content
/// for the receiver among them; and `encryptedContent` fields as Graph makes them, mutated:
/// the unchanged ones decrypt, none panics.
#[test]
fn change_notifications_made_and_mutated() {
    let mut rng = Rng::new(seed());
    let mut budget = Budget::new(400);
    let delivery = TYPES.iter().find(|t| t.name == "microsoft.graph.changeNotificationCollection").unwrap();
    let (mut deliveries, mut envelopes) = (0, 0);
    while budget.more() {
        let mut value = mutate::payload(&mut rng, delivery, &TYPES, 3);
        let resource = TYPES[rng.below(TYPES.len())];
        let plaintext = mutate::payload(&mut rng, resource, &TYPES, 2).to_string();
        let fields = String::from_utf8(encrypted_content_input(plaintext.as_bytes())).unwrap();
        let fields: Vec<&str> = fields.split('\0').collect();
        if let Some(Value::Object(item)) = value.get_mut("value").and_then(|v| v.get_mut(0)) {
            let names =
                ["data", "dataKey", "dataSignature", "encryptionCertificateId", "encryptionCertificateThumbprint"];
            let content: serde_json::Map<String, Value> =
                names.iter().zip(&fields).map(|(n, f)| (n.to_string(), Value::from(*f))).collect();
            item.insert("encryptedContent".into(), Value::Object(content));
        }
        let mut input = value.to_string().into_bytes();
        if rng.chance(50) {
            mutate::bytes(&mut rng, &mut input);
        }
        run("change_notifications", change_notifications, &input);
        deliveries += 1;

        let mut envelope = encrypted_content_input(plaintext.as_bytes());
        let unchanged = envelope.clone();
        mutate::bytes(&mut rng, &mut envelope);
        run("encrypted_content", encrypted_content, &envelope);
        let text = String::from_utf8(unchanged).unwrap();
        let parts: Vec<&str> = text.split('\0').collect();
        let content = msgraph_comms::change_notifications::EncryptedContent {
            data: parts[0],
            data_key: parts[1],
            data_signature: parts[2],
            encryption_certificate_id: parts[3],
            encryption_certificate_thumbprint: parts[4],
        };
        let decrypted = msgraph_comms_fuzz::RECEIVER.keys.decrypt(&content).expect("unchanged content decrypts");
        assert_eq!(decrypted, plaintext.as_bytes());
        envelopes += 1;
    }
    eprintln!("change notifications: {deliveries} deliveries, {envelopes} envelopes mutated");
}

/// Batch answers as Graph writes them (any order, every status, `Retry-After` in its forms,
/// bodies made for each request's answer type, a stream's bytes in base64), `Preference-Applied`
/// and `Retry-After` values, each made or mutated: none panics, every `Prefer` read is
/// written and read again to the same.
#[test]
fn answers_made_and_mutated() {
    let mut rng = Rng::new(seed());
    let mut budget = Budget::new(2_000);
    let find = |name: &str| *TYPES.iter().find(|t| t.name == name).unwrap();
    let (record, call) = (find("microsoft.graph.callRecords.callRecord"), find("microsoft.graph.call"));
    let preferences = [
        "odata.maxpagesize=50",
        "maxpagesize=0",
        "include-unknown-enum-members",
        "return=minimal",
        "return=representation; x=1",
        r#"odata.include-annotations="*,-NS.Term#q""#,
        "respond-async",
        r#"handling=lenient; a="b, \"c\"; d""#,
        "wait=10",
        "",
    ];
    let retries = [
        "0",
        "0.249",
        "120",
        "Sun, 06 Nov 1994 08:49:37 GMT",
        "Sunday, 06-Nov-94 08:49:37 GMT",
        "Sun Nov  6 08:49:37 1994",
        "soon",
    ];
    let (mut made, mut mutated, mut preferences_read) = (0, 0, 0);
    while budget.more() {
        let mut responses = Vec::new();
        for id in 1..=5 {
            if rng.chance(10) {
                continue;
            }
            let status = *rng.pick(&[200, 200, 200, 204, 404, 424, 429, 503]);
            let mut item = serde_json::json!({"id": id.to_string(), "status": status});
            let body = match (status, id) {
                (200, 1) => mutate::payload(&mut rng, record, &TYPES, 2),
                (200, 2) => {
                    serde_json::json!({"value": [mutate::payload(&mut rng, call, &TYPES, 2)], "@odata.nextLink": "https://graph.microsoft.com/v1.0/x"})
                }
                (200, 3) => {
                    item["headers"] = serde_json::json!({"Content-Type": "text/vtt"});
                    Value::from(*rng.pick(&["V0VCVlRUCg==", "", "not base64!"]))
                }
                (200 | 204, _) => Value::Null,
                _ => serde_json::json!({"error": {"code": "X", "message": "y"}}),
            };
            if !body.is_null() {
                item["body"] = body;
            }
            if status == 429 || status == 503 {
                item["headers"] = serde_json::json!({"Retry-After": *rng.pick(&retries)});
            }
            responses.push(item);
        }
        if rng.chance(50) {
            responses.reverse();
        }
        let mut answer = serde_json::json!({ "responses": responses });
        if rng.chance(20) {
            answer["nextLink"] = Value::from("https://graph.microsoft.com/v1.0/$batch?$skiptoken=a");
        }
        let mut input = answer.to_string().into_bytes();
        let prefer: Vec<&str> = (0..1 + rng.below(4)).map(|_| *rng.pick(&preferences)).collect();
        let mut prefer = prefer.join(", ").into_bytes();
        let mut retry = rng.pick(&retries).as_bytes().to_vec();
        if rng.chance(50) {
            mutate::bytes(&mut rng, &mut input);
            mutate::bytes(&mut rng, &mut prefer);
            mutate::bytes(&mut rng, &mut retry);
            mutated += 1;
        } else {
            // What Graph would write reads.
            let batch = msgraph_comms_fuzz::answers_batch();
            match msgraph_comms::odata::BatchAnswers::read(&batch, &[&input]) {
                Ok(read) => assert_eq!(read.in_order().count(), responses.len()),
                // The one made body that is not Graph's: said where.
                Err(err) => assert!(err.to_string().contains("].body") && err.to_string().contains("not base64")),
            }
            let text = std::str::from_utf8(&prefer).unwrap();
            if !text.split(", ").any(|p| p.is_empty() || p == "maxpagesize=0") {
                msgraph_comms::odata::Prefer::parse(text).expect("made preferences read");
                preferences_read += 1;
            }
            made += 1;
        }
        input.push(0);
        input.extend(prefer.iter().filter(|&&b| b != 0));
        input.push(0);
        input.extend(retry.iter().filter(|&&b| b != 0));
        run("answers", answers, &input);
    }
    eprintln!("answers: {made} made ({preferences_read} with preferences that read), {mutated} mutated");
}
