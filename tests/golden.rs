//! The generator's golden outputs (`codegen/tests/golden/*/expected/`) compile against this
//! crate's runtime and behave: JSON names, keyword fields, boxed cycles, nested modules,
//! tolerant enums and primitive types.

// The generated code reaches the runtime as `crate::odata` and `crate::edm`.
mod odata {
    pub use msgraph_comms::odata::*;
}
mod edm {
    pub use msgraph_comms::edm::*;
}

pub mod naming {
    include!("../codegen/tests/golden/naming/expected/mod.rs");
}
pub mod inheritance {
    include!("../codegen/tests/golden/inheritance/expected/mod.rs");
}
pub mod enums_and_primitives {
    include!("../codegen/tests/golden/enums_and_primitives/expected/mod.rs");
}

use serde_json::{Value, json};

fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(value: Value) -> (T, Value) {
    let decoded: T = serde_json::from_value(value).unwrap();
    let encoded = serde_json::to_value(&decoded).unwrap();
    (decoded, encoded)
}

#[test]
fn odd_names_map_to_their_json_names() {
    let input = json!({
        "type": "t", "self": "s", "VTCId": "v", "request-id": "r", "extras": "e",
        "result": {"code": 1}, "otherResult": {"subcode": 2}, "option": {},
        "record": {"identity": {"type": "inner"}, "peers": [{"peers": []}]},
        "unknown": [1, 2]
    });
    let (p, encoded): (naming::Participant, _) = round_trip(input.clone());
    assert_eq!(p.r#type.as_deref(), Some("t"));
    assert_eq!(p.self_.as_deref(), Some("s"));
    assert_eq!(p.vtc_id.as_deref(), Some("v"));
    assert_eq!(p.request_id.as_deref(), Some("r"));
    assert_eq!(p.extras2.as_deref(), Some("e"));
    assert_eq!(p.result.as_ref().and_then(|r| r.code), Some(1));
    assert_eq!(p.other_result.as_ref().and_then(|r| r.subcode), Some(2));
    // The cycle participant → callRecords.participant → participant is boxed.
    let inner = p.record.as_ref().and_then(|r| r.identity.as_ref()).and_then(|i| i.r#type.as_deref());
    assert_eq!(inner, Some("inner"));
    assert_eq!(p.extras.get("unknown"), Some(&json!([1, 2])));
    assert_eq!(encoded, input);
}

#[test]
fn inherited_and_navigation_properties_are_fields() {
    let input = json!({
        "id": "c1", "state": "Established", "source": {"languageId": "en-US"},
        "mediaConfig": {"removeFromDefaultAudioGroup": true},
        "operations": [{"id": "o1", "clientContext": "x"}],
        "@odata.etag": "W/\"1\""
    });
    let (call, encoded): (inheritance::Call, _) = round_trip(input.clone());
    assert_eq!(call.id.as_deref(), Some("c1"));
    assert_eq!(call.state, Some(inheritance::CallState::Established));
    assert_eq!(call.operations.as_ref().map(Vec::len), Some(1));
    assert_eq!(call.extras.get("@odata.etag"), Some(&json!("W/\"1\"")));
    // The CSDL spelling is written back (keeping the sent spelling is the runtime's next step).
    assert_eq!(encoded["state"], "established");
}

#[test]
fn enums_keep_unknown_values_and_collisions_have_distinct_variants() {
    use enums_and_primitives::contoso::test::{Everything, Modality};
    use msgraph_comms::odata::EnumType;
    assert_eq!(Modality::from_name("audio"), Modality::Audio);
    assert_eq!(Modality::Audio2.as_str(), "Audio");
    assert_eq!(Modality::Unrecognized2.as_str(), "unrecognized");
    let input = json!({"modality": "hologram", "days": ["monday", "monday,tuesday"]});
    let (value, encoded): (Everything, _) = round_trip(input.clone());
    assert_eq!(value.modality, Some(Modality::Unrecognized("hologram".into())));
    assert_eq!(encoded, input);
}

#[test]
fn primitives_have_their_edm_types() {
    use enums_and_primitives::contoso::test::Everything;
    let input = json!({
        "binary": "AAEC", "boolean": true, "byte": 255, "date": "2021-07-13",
        "dateTimeOffset": "2018-09-06T15:58:41.1234567Z", "decimal": 1.5, "double": 2.25,
        "duration": "-PT15M", "guid": "550fae72-d251-43ec-868c-373732c2704f", "int16": -3,
        "int32": 7, "int64s": [9007199254740993_i64, -1], "sbyte": -8, "single": 0.5,
        "string": "s", "timeOfDay": "08:30:00.0000000", "location": {"type": "Point", "coordinates": [1, 2]},
        "anything": [null, {"a": 1}], "phone": "+1 555"
    });
    let (value, encoded): (Everything, _) = round_trip(input.clone());
    assert_eq!(value.int64s, Some(vec![9_007_199_254_740_993, -1]));
    assert_eq!(value.duration.as_ref().map(|d| d.as_str()), Some("-PT15M"));
    assert_eq!(value.date_time_offset.as_ref().map(|d| d.as_str()), Some("2018-09-06T15:58:41.1234567Z"));
    assert_eq!(value.phone.as_deref(), Some("+1 555"));
    assert_eq!(encoded, input);
}
