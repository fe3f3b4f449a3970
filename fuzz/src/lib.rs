//! Fuzz targets for msgraph-comms. Each takes any bytes and panics only when the crate
//! misbehaves:
//!
//! - [`notifications`]: a webhook body, as `CommsNotifications` of v1.0 and of beta;
//! - [`types`]: any generated type, every polymorphic entry point among them, chosen by the
//!   first two bytes (the rest is the payload);
//! - [`merge`]: two payloads of a type chosen like [`types`]'s, merged and diffed: the
//!   smallest partial value (`diff`) must merge to what the whole new value merges to;
//! - [`tracker`]: webhook bodies separated by NUL bytes, through one call-state tracker of
//!   each API: whatever they say, it must not panic;
//! - [`change_notifications`]: a change-notification delivery, round-tripped and checked,
//!   decrypted and its tokens validated, as a receiver does;
//! - [`encrypted_content`]: the fields of an `encryptedContent`, decrypted;
//! - [`answers`]: what a client reads of Graph's answers: a `$batch` answer to a batch of
//!   mixed requests (decoded per request, and its retry batch made), a `Preference-Applied`
//!   value (read, written and read again to the same preferences) and a `Retry-After` value;
//! - [`csdl`]: a `$metadata` document, through the whole generator (read, resolve, slice, plan,
//!   emit), with the repository's slice settings and with the whole schema.
//!
//! A payload that decodes must encode, decode again to an equal value and the same text, and
//! be the input as a JSON value: nothing dropped, nothing changed. A payload that does not
//! decode must give an error with a position. A CSDL document that does not generate must give
//! a CSDL error at `file:line:col`, or a slice error (its roots are missing), never a panic
//! nor generated code that does not parse.
//!
//! The libFuzzer binaries in `fuzz_targets/` call these (`cargo fuzz run TARGET`, see the
//! README); `tests/bounded.rs` runs them on stable for a bounded time, on the committed corpus
//! and on inputs it makes and mutates.

use msgraph_comms::change_notifications::{ClientStates, DecryptionKeys, EncryptedContent, TokenValidator, encrypt};
use msgraph_comms::odata::{
    Batch, BatchAnswers, Prefer, RetryAfter, RetryPolicy, RoundTrip, TypeInfo, json_difference, round_trip,
};
use msgraph_comms_codegen::model::slice::SliceSettings;
use msgraph_comms_codegen::settings::Settings;
use msgraph_comms_codegen::{GenerateError, Job, generate_api};
use serde_json::Value;
use std::sync::LazyLock;
use std::time::SystemTime;

pub mod mutate;

/// Every generated type of both APIs, in a fixed order: v1.0's, then beta's.
pub static TYPES: LazyLock<Vec<&'static TypeInfo>> =
    LazyLock::new(|| msgraph_comms::v1_0::TYPES.iter().chain(msgraph_comms::beta::TYPES).collect());

/// A webhook body, as v1.0's and beta's `CommsNotifications`.
pub fn notifications(data: &[u8]) {
    check_payload(data, round_trip::<msgraph_comms::v1_0::CommsNotifications>);
    check_payload(data, round_trip::<msgraph_comms::beta::CommsNotifications>);
}

/// The batch [`answers`] reads answers to: a read, a page, a stream, an action, a deletion
/// that depends on the read, and a delta page.
pub fn answers_batch() -> Batch {
    use msgraph_comms::v1_0::{call, call_records::call_record, call_transcript, participant};
    let mut batch = Batch::new(msgraph_comms::v1_0::BASE_URL);
    let transcript = call_transcript::Item::MeOnlineMeetingsTranscripts {
        online_meeting_id: "m".into(),
        call_transcript_id: "t".into(),
    };
    let steps: [Result<String, msgraph_comms::odata::BatchError>; 5] = [
        batch.add(&call_record::Get::new(call_record::Item::new("r1"))).map(|i| i.id().to_owned()),
        batch.add(&call::List::new(call::Collection::new())).map(|i| i.id().to_owned()),
        batch.add(&call_transcript::GetContent::new(transcript)).map(|i| i.id().to_owned()),
        batch
            .add(&participant::Mute::new(participant::Item::new("c", "p"), participant::MuteRequest::default()))
            .map(|i| i.id().to_owned()),
        batch.add_after(&call::Delete::new(call::Item::new("c")), &["1"]).map(|i| i.id().to_owned()),
    ];
    for step in steps {
        step.expect("the batch is made");
    }
    batch
}

static ANSWERS_BATCH: LazyLock<Batch> = LazyLock::new(answers_batch);

/// Fields separated by NUL bytes: a `$batch` answer body to [`answers_batch`], a
/// `Preference-Applied` value, and a `Retry-After` value.
pub fn answers(data: &[u8]) {
    use msgraph_comms::v1_0::{call, call_records::call_record, call_transcript, participant};
    let mut fields = data.split(|&b| b == 0);
    let (body, prefer, retry) = (fields.next().unwrap_or_default(), fields.next(), fields.next());
    let batch = &*ANSWERS_BATCH;
    match BatchAnswers::read(batch, &[body]) {
        Ok(answers) => {
            for answer in answers.in_order() {
                let decoded = match answer.id {
                    "1" => answer.decode::<call_record::Get>().map(|_| ()),
                    "2" => answer.decode::<call::List>().map(|_| ()),
                    "3" => answer.decode::<call_transcript::GetContent>().map(|_| ()),
                    "4" => answer.decode::<participant::Mute>().map(|_| ()),
                    _ => answer.decode::<call::Delete>().map(|_| ()),
                };
                if let Err(err) = decoded {
                    assert!(!err.to_string().is_empty());
                }
                let _ = answer.retry_after().map(|r| r.delay_from(SystemTime::UNIX_EPOCH));
            }
            if let Some((body, link)) = answers.next_link() {
                assert!(body == 0 && link.to_ascii_lowercase().starts_with("https://graph.microsoft.com"), "{link}");
            }
            let policy = RetryPolicy::default();
            if let Some((again, _)) = batch.retry(&answers, &policy, 1, SystemTime::UNIX_EPOCH) {
                assert!(again.len() <= batch.len());
                again.bodies().expect("a retry batch is written");
            }
        }
        Err(err) => assert!(!err.to_string().is_empty()),
    }
    if let Some(Ok(text)) = prefer.map(std::str::from_utf8)
        && let Ok(read) = Prefer::parse(text)
    {
        let written = read.to_string();
        let again = Prefer::parse(&written).unwrap_or_else(|e| panic!("`{written}` does not read again: {e}"));
        assert_eq!(again, read, "`{text}` written as `{written}`");
    }
    if let Some(Ok(text)) = retry.map(std::str::from_utf8) {
        let _ = RetryAfter::parse(text).delay_from(SystemTime::UNIX_EPOCH);
    }
}

/// The first two bytes choose a type of [`TYPES`]; the rest is its payload.
pub fn types(data: &[u8]) {
    let [high, low, payload @ ..] = data else { return };
    let index = usize::from(u16::from_be_bytes([*high, *low])) % TYPES.len();
    check_payload(payload, TYPES[index].round_trip);
}

/// The input of [`types`] for the type named `name` (for seeds).
pub fn types_input(name: &str, payload: &[u8]) -> Option<Vec<u8>> {
    let index = TYPES.iter().position(|t| t.name == name)?;
    let mut input = u16::try_from(index).ok()?.to_be_bytes().to_vec();
    input.extend_from_slice(payload);
    Some(input)
}

/// The first two bytes choose a type of [`TYPES`], as for [`types`]; the rest is two payloads
/// of it separated by a NUL byte (which no JSON text holds).
pub fn merge(data: &[u8]) {
    let [high, low, payloads @ ..] = data else { return };
    let index = usize::from(u16::from_be_bytes([*high, *low])) % TYPES.len();
    let Some(split) = payloads.iter().position(|&b| b == 0) else { return };
    let (Ok(old), Ok(new)) = (std::str::from_utf8(&payloads[..split]), std::str::from_utf8(&payloads[split + 1..]))
    else {
        return;
    };
    check_merge(TYPES[index], old, new);
}

/// Webhook bodies separated by NUL bytes through one tracker of v1.0 and one of beta, in
/// order. Bodies that do not decode are skipped (the `notifications` target covers them).
pub fn tracker(data: &[u8]) {
    let mut v1 = msgraph_comms::v1_0::tracker::Tracker::default();
    let mut beta = msgraph_comms::beta::tracker::Tracker::default();
    for part in data.split(|&b| b == 0) {
        let Ok(text) = std::str::from_utf8(part) else { continue };
        if let Ok(body) = serde_json::from_str(text) {
            v1.process(body);
        }
        if let Ok(body) = serde_json::from_str(text) {
            beta.process(body);
        }
    }
}

/// A change-notification delivery, as v1.0's and beta's `ChangeNotificationCollection`: it
/// round-trips like any payload, and what a receiver does with it — the client-state checks,
/// each notification's resource type and id, decryption with [`RECEIVER`]'s key, the
/// validation tokens — gives an answer for every notification, never a panic.
pub fn change_notifications(data: &[u8]) {
    check_payload(data, round_trip::<msgraph_comms::v1_0::ChangeNotificationCollection>);
    check_payload(data, round_trip::<msgraph_comms::beta::ChangeNotificationCollection>);
    let Ok(body) = serde_json::from_slice::<msgraph_comms::v1_0::ChangeNotificationCollection>(data) else { return };
    let checked = body.check(&ClientStates::every("secret"));
    assert_eq!(checked.accepted().len() + checked.rejected().len(), body.notifications().len(), "one left out");
    let tokens = body.validate_tokens(&RECEIVER.tokens);
    assert_eq!(tokens.len(), body.validation_tokens.value().map_or(0, Vec::len));
    let checked = body.check_with_tokens(&ClientStates::every("secret"), &tokens);
    assert_eq!(checked.accepted().len() + checked.rejected().len(), body.notifications().len(), "one left out");
    for notification in body.notifications() {
        let _ = (notification.resource_type(), notification.resource_id(), notification.is_lifecycle());
        let _ = notification.decrypt_resource(&RECEIVER.keys);
    }
}

/// The five fields of an `encryptedContent` separated by NUL bytes (`data`, `dataKey`,
/// `dataSignature`, `encryptionCertificateId`, `encryptionCertificateThumbprint`), decrypted
/// with [`RECEIVER`]'s key: the plaintext or an error naming the check, never a panic.
pub fn encrypted_content(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let fields: Vec<&str> = text.split('\0').collect();
    let [data, data_key, data_signature, id, thumbprint] = fields[..] else { return };
    let content = EncryptedContent {
        data,
        data_key,
        data_signature,
        encryption_certificate_id: id,
        encryption_certificate_thumbprint: thumbprint,
    };
    if let Err(err) = RECEIVER.keys.decrypt(&content) {
        assert!(!err.to_string().is_empty());
    }
}

/// A receiver of change notifications: a private key under the certificate id `fuzz`, its
/// public key (X.509 DER) to encrypt seeds with, and a token validator with an empty key set.
pub struct Receiver {
    /// The private key, as the receiver holds it.
    pub keys: DecryptionKeys,
    /// Its public key, as Graph holds it.
    pub public_key: Vec<u8>,
    /// Validates tokens against no keys (every token fails, each with its reason).
    pub tokens: TokenValidator,
}

/// The one receiver of the targets (its key is made once per process).
pub static RECEIVER: LazyLock<Receiver> = LazyLock::new(|| {
    use aws_lc_rs::encoding::{AsDer, Pkcs8V1Der, PublicKeyX509Der};
    use aws_lc_rs::rsa::{KeySize, PrivateDecryptingKey};
    let key = PrivateDecryptingKey::generate(KeySize::Rsa2048).expect("a key");
    let pkcs8 = AsDer::<Pkcs8V1Der>::as_der(&key).expect("PKCS #8");
    let public_key = AsDer::<PublicKeyX509Der>::as_der(&key.public_key()).expect("X.509").as_ref().to_vec();
    let mut keys = DecryptionKeys::new();
    keys.add_pkcs8_der("fuzz", None, pkcs8.as_ref()).expect("its own key");
    let tokens = TokenValidator::new(r#"{"keys": []}"#, ["app"]).expect("an empty key set");
    Receiver { keys, public_key, tokens }
});

/// The input of [`encrypted_content`] for `plaintext` encrypted for [`RECEIVER`], as Graph would.
pub fn encrypted_content_input(plaintext: &[u8]) -> Vec<u8> {
    let fields = encrypt(plaintext, &RECEIVER.public_key, "fuzz", "00").expect("encrypts");
    fields.join("\0").into_bytes()
}

/// The input of [`merge`] for the type named `name`.
pub fn merge_input(name: &str, old: &str, new: &str) -> Option<Vec<u8>> {
    let mut input = types_input(name, old.as_bytes())?;
    input.push(0);
    input.extend_from_slice(new.as_bytes());
    Some(input)
}

/// The merge oracle, for two payloads of `ty` that decode (others are skipped; the round trip
/// oracle covers them). Merging `diff(old, new)` into `old` gives what merging `new` does;
/// when `new` has every property `old` has, that is `new` itself; a value's diff with itself
/// merges to the value and carries no property. Values are compared as JSON, numbers by value.
pub fn check_merge(ty: &TypeInfo, old: &str, new: &str) -> bool {
    let (Ok(_), Ok(_)) = ((ty.round_trip)(old), (ty.round_trip)(new)) else { return false };
    let json = |text: &str| serde_json::from_str::<Value>(text).expect("written JSON reads");
    // Equal as typed values: the diffs both ways carry nothing. (Typed equality is looser than
    // JSON's where a value keeps its exact form: `"0"` and `0` are the same `Edm.Int32`.)
    let no_property = |diff: &str| match json(diff) {
        Value::Object(keys) => keys.keys().all(|k| k == "@odata.type"),
        _ => false,
    };
    let typed_equal = |a: &str, b: &str| {
        no_property(&(ty.diff)(a, b).expect("decodes")) && no_property(&(ty.diff)(b, a).expect("decodes"))
    };
    let same = |what: &str, a: &str, b: &str| {
        if let Some(difference) = json_difference(&json(a), &json(b))
            && !typed_equal(a, b)
        {
            panic!("{}: {what}: {difference}\nold: {old}\nnew: {new}\n{a}\n≠ {b}", ty.name);
        }
    };
    let merged = (ty.merge)(old, new).expect("decodes, so merges");
    let diff = (ty.diff)(old, new).expect("decodes, so diffs");
    same("old + diff(old, new) = old + new", &(ty.merge)(old, &diff).expect("a diff decodes"), &merged);
    // `merged` has every property `old` has: its diff turns `old` into it exactly.
    let back = (ty.diff)(old, &merged).expect("decodes, so diffs");
    same("old + diff(old, old + new) = old + new", &(ty.merge)(old, &back).expect("a diff decodes"), &merged);
    let nothing = (ty.diff)(&merged, &merged).expect("decodes, so diffs");
    same("x + diff(x, x) = x", &(ty.merge)(&merged, &nothing).expect("a diff decodes"), &merged);
    assert!(no_property(&nothing) || !nothing.starts_with('{'), "{}: diff(x, x) = {nothing} for {merged}", ty.name);
    true
}

/// The payload oracle, with the type's round trip (decode, encode, decode and encode again).
pub fn check_payload(data: &[u8], round_trip: fn(&str) -> Result<RoundTrip, serde_json::Error>) {
    // Bytes that are not UTF-8 are an error of the JSON reader's, as on the wire.
    let text = match std::str::from_utf8(data) {
        Ok(text) => text,
        Err(_) => {
            let err = serde_json::from_slice::<Value>(data).expect_err("not UTF-8, not JSON");
            assert!(err.line() > 0, "an error without a position: {err}");
            return;
        }
    };
    match round_trip(text) {
        Ok(trip) => {
            assert!(trip.stable, "decoding the written payload changed it: {text:?} → {:?}", trip.text);
            let input: Value = serde_json::from_str(text).expect("what decodes typed is JSON");
            if let Some(difference) = json_difference(&input, &trip.value) {
                panic!("the round trip lost or changed {difference}: {text:?} → {:?}", trip.text);
            }
        }
        Err(err) => assert!(err.line() > 0, "an error without a position: {err} (input {text:?})"),
    }
}

/// The repository's generator settings (`metadata/`), and the same with the whole schema.
static SETTINGS: LazyLock<(Settings, SliceSettings)> = LazyLock::new(|| {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../metadata");
    let settings = Settings::load(&dir).expect("the repository's metadata settings");
    let whole = SliceSettings { whole_schema: true, ..SliceSettings::default() };
    (settings, whole)
});

/// A `$metadata` document through the whole generator.
pub fn csdl(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        check_csdl(text, true);
    }
}

/// The CSDL oracle: generated files, a positioned CSDL error, or a slice error, in strict and
/// in lenient mode. With the repository's slice, and with the whole schema if `whole_schema`
/// (slow for a real file).
pub fn check_csdl(text: &str, whole_schema: bool) {
    let (settings, whole) = &*SETTINGS;
    let slices: &[&SliceSettings] = if whole_schema { &[&settings.slice, whole] } else { &[&settings.slice] };
    // Strict, and lenient: what lenient generation goes past must not make it panic either.
    for (slice, lenient) in slices.iter().flat_map(|slice| [(slice, false), (slice, true)]) {
        let job = Job {
            api: "fuzz",
            file: "fuzz.xml",
            text,
            overlay: None,
            slice,
            layout: &settings.layout,
            header: &[],
            descriptions: Vec::new(),
            permissions: None,
            lenient,
        };
        match generate_api(&job) {
            Ok(_) | Err(GenerateError::Slice(_)) => {}
            Err(GenerateError::Csdl(err)) => {
                assert!(err.location.file == "fuzz.xml" && err.location.pos.line > 0, "no position: {err}");
                assert!(!err.location.element.is_empty() && !err.message.is_empty(), "no element or message: {err}");
            }
            Err(err) => panic!("the generator failed: {err}"),
        }
    }
}
