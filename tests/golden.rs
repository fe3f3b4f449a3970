//! The generator's golden outputs (`codegen/tests/golden/*/expected/`) compile against this
//! crate's runtime and behave: JSON names, keyword fields, boxed cycles, nested modules,
//! polymorphic values, tolerant enums and primitive types, all losslessly.

// The generated code reaches the runtime as `crate::Field`, `crate::odata` and `crate::edm`.
pub use msgraph_comms::Field;
pub mod odata {
    pub use msgraph_comms::odata::*;
}
pub mod edm {
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
pub mod lenient {
    include!("../codegen/tests/golden/lenient/expected/mod.rs");
}
pub mod gated {
    include!("../codegen/tests/golden/gated/expected/mod.rs");
}

use serde_json::{Value, json};

/// Decodes, checks that encoding gives the input back exactly, and returns the value.
fn lossless<T: serde::de::DeserializeOwned + serde::Serialize + PartialEq + std::fmt::Debug>(input: Value) -> T {
    let decoded: T = serde_json::from_value(input.clone()).unwrap();
    let encoded = serde_json::to_value(&decoded).unwrap();
    assert_eq!(encoded, input);
    let again: T = serde_json::from_value(encoded).unwrap();
    assert_eq!(again, decoded);
    decoded
}

#[test]
fn odd_names_map_to_their_json_names() {
    let p: naming::Participant = lossless(json!({
        "type": "t", "self": "s", "VTCId": "v", "request-id": "r", "extras": "e",
        "result": {"code": 1}, "otherResult": {"subcode": 2}, "option": {},
        "record": {"identity": {"type": "inner"}, "peers": [{"peers": []}]},
        "unknown": [1, 2]
    }));
    assert_eq!(p.r#type, Field::Value("t".to_owned()));
    assert_eq!(p.self_.value().map(String::as_str), Some("s"));
    assert_eq!(p.vtc_id.value().map(String::as_str), Some("v"));
    assert_eq!(p.request_id.value().map(String::as_str), Some("r"));
    assert_eq!(p.extras2.value().map(String::as_str), Some("e"));
    assert_eq!(p.result.value().and_then(|r| r.code.value()).map(|c| c.get()), Some(1));
    assert_eq!(p.other_result.value().and_then(|r| r.subcode.value()).map(|c| c.get()), Some(2));
    // The cycle participant → callRecords.participant → participant is boxed.
    let inner = p.record.value().and_then(|r| r.identity.value()).and_then(|i| i.r#type.value());
    assert_eq!(inner.map(String::as_str), Some("inner"));
    assert_eq!(p.extras.get("unknown"), Some(&json!([1, 2])));
}

#[test]
fn inherited_navigation_and_polymorphic_properties() {
    use inheritance::{AnyCommsOperation, AnyMediaConfig, Call, CallState};
    let call: Call = lossless(json!({
        "@odata.etag": "W/\"1\"", "id": "c1", "state": "Established", "source": {"languageId": "en-US"},
        "mediaConfig": {"@odata.type": "#microsoft.graph.appHostedMediaConfig", "blob": "b", "futureKnob": {"x": 1}},
        "state@odata.type": "#microsoft.graph.callState",
        "operations": [
            {"id": "o1", "clientContext": "x"},
            {"clientContext": "y", "@odata.type": "#graph.muteParticipantOperation", "id": "o2"},
            {"@odata.type": "#microsoft.graph.futureOperation", "id": "o3", "newThing": true}
        ]
    }));
    assert_eq!(call.id.value().map(String::as_str), Some("c1"));
    // "Established" is the member `established`, and is written back as it came.
    assert_eq!(call.state, Field::Value(CallState::Established));
    let Field::Value(AnyMediaConfig::AppHostedMediaConfig(config)) = &call.media_config else { panic!() };
    assert_eq!(config.blob.value().map(String::as_str), Some("b"));
    // An unknown property in a nested derived value, and a property annotation: kept.
    assert_eq!(config.extras.get("futureKnob"), Some(&json!({"x": 1})));
    assert_eq!(call.extras.get("state@odata.type"), Some(&json!("#microsoft.graph.callState")));
    let operations = call.operations.value().unwrap();
    assert!(matches!(&operations[0], AnyCommsOperation::CommsOperation(op) if op.id == Field::Value("o1".into())));
    // A tag after other keys still chooses the type.
    assert!(
        matches!(&operations[1], AnyCommsOperation::MuteParticipantOperation(op) if op.client_context.value().is_some())
    );
    // An unknown tag gives the declared type, with the tag and the unknown property kept.
    let AnyCommsOperation::CommsOperation(future) = &operations[2] else { panic!() };
    assert_eq!(future.extras.odata_type(), Some("#microsoft.graph.futureOperation"));
    assert_eq!(future.extras.get("newThing"), Some(&json!(true)));
    assert_eq!(call.extras.get("@odata.etag"), Some(&json!("W/\"1\"")));
}

#[test]
fn an_abstract_base_has_an_unknown_arm_and_built_values_get_their_tag() {
    use inheritance::{AnyMediaConfig, AppHostedMediaConfig, Call, MediaConfig};
    let untagged: Call = lossless(json!({"mediaConfig": {"removeFromDefaultAudioGroup": true}}));
    assert!(matches!(untagged.media_config, Field::Value(AnyMediaConfig::Unknown(_))));
    let unknown: AnyMediaConfig = lossless(json!({"@odata.type": "#microsoft.graph.holoMediaConfig", "depth": 3}));
    assert!(matches!(&unknown, AnyMediaConfig::Unknown(c) if c.extras.get("depth") == Some(&json!(3))));

    let built = Call {
        media_config: AnyMediaConfig::from(AppHostedMediaConfig { blob: "b".to_owned().into(), ..Default::default() })
            .into(),
        ..Default::default()
    };
    let json = serde_json::to_value(&built).unwrap();
    assert_eq!(json, json!({"mediaConfig": {"@odata.type": "#microsoft.graph.appHostedMediaConfig", "blob": "b"}}));
    // The declared type's own arm needs no tag.
    let plain = serde_json::to_value(AnyMediaConfig::from(MediaConfig::default())).unwrap();
    assert_eq!(plain, json!({}));
}

#[test]
fn null_survives_and_can_be_sent() {
    use inheritance::Call;
    // An annotation after other extras is written first; the value read back is the same.
    let _: Call = lossless(json!({"zz": 1, "@odata.etag": "e", "id": "x"}));
    let call: Call = lossless(json!({"id": null, "operations": null}));
    assert!(call.id.is_null() && call.operations.is_null() && call.state.is_absent());
    let patch = Call { state: Field::Null, ..Default::default() };
    assert_eq!(serde_json::to_value(&patch).unwrap(), json!({"state": null}));
}

#[test]
fn enums_keep_unknown_values_and_collisions_have_distinct_variants() {
    use enums_and_primitives::contoso::test::{Everything, Modality, Weekdays};
    use msgraph_comms::odata::EnumType;
    assert_eq!(Modality::from_name("audio"), Modality::Audio);
    assert_eq!(Modality::Audio2.as_str(), "Audio");
    assert_eq!(Modality::Unrecognized2.as_str(), "unrecognized");
    // The spellings the search looks through are the members', in the same order.
    assert!(Modality::MEMBERS.iter().map(|(name, _)| *name).eq(Modality::NAMES.iter().copied()));
    let value: Everything = lossless(json!({"modality": "hologram", "days": ["monday", "Monday, tuesday, sunday"]}));
    assert_eq!(value.modality, Field::Value(Modality::Unrecognized("hologram".into())));
    let days = value.days.value().unwrap();
    assert!(days[1].contains(&Weekdays::Tuesday) && days[1].contains(&Weekdays::Unrecognized("sunday".into())));
}

#[test]
fn primitives_have_their_edm_types() {
    use enums_and_primitives::contoso::test::Everything;
    let value: Everything = lossless(json!({
        "binary": "AAEC", "boolean": true, "byte": 255, "date": "2021-07-13",
        "dateTimeOffset": "2018-09-06T15:58:41.1234567Z", "decimal": 1.5, "double": "NaN",
        "duration": "-PT15M", "guid": "550fae72-d251-43ec-868c-373732c2704f", "int16": -3,
        "int32": 7, "int64s": [9007199254740993_i64, "-9223372036854775808"], "sbyte": -8, "single": "-INF",
        "string": "s", "timeOfDay": "08:30:00.0000000", "location": {"type": "Point", "coordinates": [1, 2]},
        "anything": [null, {"a": 1}], "phone": "+1 555"
    }));
    let int64s = value.int64s.value().unwrap();
    assert_eq!((int64s[0].get(), int64s[1].get()), (9_007_199_254_740_993, i64::MIN));
    assert!(value.double.value().unwrap().get().is_nan());
    assert_eq!(value.duration.value().unwrap().parse().unwrap().total_nanos(), -900_000_000_000);
    assert_eq!(value.date_time_offset.value().unwrap().parse().unwrap().time.nanosecond, 123_456_700);
    assert_eq!(value.phone.value().map(String::as_str), Some("+1 555"));
}

#[test]
fn leniently_generated_models_keep_what_their_dangling_types_held() {
    // `transcript` and `history` are of a namespace the document does not contain: raw JSON,
    // kept as it came; `state` is the enum (its first declaration), with a string underneath.
    let call: lenient::Call = lossless(json!({
        "id": "c1", "state": "Terminated", "transcript": {"text": "hi", "lines": [1, 2]},
        "history": [{"at": 1}, "two"], "note": {"text": "n"}, "looped": {"a": "x"}
    }));
    assert_eq!(call.transcript.value(), Some(&json!({"text": "hi", "lines": [1, 2]})));
    assert_eq!(call.history.value().map(Vec::len), Some(2));
    assert_eq!(call.state, Field::Value(lenient::CallState::Terminated));
    assert_eq!(call.note.value().and_then(|n| n.text.value()).map(String::as_str), Some("n"));
}

#[test]
#[cfg(feature = "requests")]
fn a_leniently_generated_action_takes_any_json_for_a_missing_parameter_type() {
    // The bound action whose parameter type is missing takes any JSON there.
    let mute: lenient::call::MuteRequest = lossless(json!({"clientContext": {"anything": true}}));
    assert_eq!(mute.client_context.value(), Some(&json!({"anything": true})));
}

#[test]
#[cfg(feature = "requests")]
fn streams_are_requests_at_every_item_path() {
    use inheritance::{call, comms_operation};
    use msgraph_comms::odata::{Answer, Location, Request, StreamProperty};
    // An `Edm.Stream` property, and a media entity's `$value`.
    let recording = call::GetRecording::new(call::Item::new("c1"));
    assert_eq!(recording.path().unwrap(), "/communications/calls/c1/recording");
    assert_eq!(<call::RecordingStream as StreamProperty>::PATHS.len(), call::Item::TEMPLATES.len());
    let at = comms_operation::Item::new("c1", "o1");
    assert_eq!(comms_operation::GetValue::new(at).path().unwrap(), "/communications/calls/c1/operations/o1/$value");
    let headers = [("Content-Type", "audio/wav")];
    let answer = call::GetRecording::decode(&Answer::new(200, &headers, b"RIFF")).unwrap();
    assert_eq!((answer.bytes.as_slice(), answer.content_type.as_deref()), (&b"RIFF"[..], Some("audio/wav")));
    assert!(inheritance::ROUTES.iter().any(|r| r.template.ends_with("/recording") && r.response == Some("Edm.Stream")));
}

#[test]
fn a_gated_part_is_there_with_its_feature_and_lossless_without() {
    use gated::{AnyEntity, AnyOnlineMeetingBase};
    let event = json!({"@odata.type": "#microsoft.graph.virtualEvent", "id": "e1", "status": "published"});
    let session = json!({"@odata.type": "#microsoft.graph.virtualEventSession", "id": "s1", "subject": "One"});
    let decoded: AnyEntity = lossless(event);
    let meeting: AnyOnlineMeetingBase = lossless(session);
    #[cfg(feature = "virtual-events")]
    {
        let AnyEntity::VirtualEvent(event) = decoded else { panic!("{decoded:?}") };
        assert_eq!(event.status, Field::Value(gated::VirtualEventStatus::Published));
        assert!(matches!(meeting, AnyOnlineMeetingBase::VirtualEventSession(_)));
    }
    #[cfg(not(feature = "virtual-events"))]
    {
        let AnyEntity::Unknown(entity) = decoded else { panic!("{decoded:?}") };
        assert_eq!(entity.extras.get("status"), Some(&json!("published")));
        assert!(matches!(meeting, AnyOnlineMeetingBase::Unknown(_)));
    }
}

#[cfg(feature = "requests")]
#[test]
fn a_gated_path_of_an_open_type_is_there_with_its_feature() {
    use gated::meeting_attendance_report::{Get, Item};
    use msgraph_comms::odata::{Location, Request};
    let open = Item::new("m1", "r1");
    assert_eq!(open.index(), 0);
    assert_eq!(Get::new(open).path().unwrap(), "/communications/onlineMeetings/m1/attendanceReports/r1");
    assert_eq!(Item::TEMPLATES.len(), if cfg!(feature = "virtual-events") { 2 } else { 1 });
    #[cfg(feature = "virtual-events")]
    {
        let session = Item::SolutionsVirtualEventsEventsSessionsAttendanceReports {
            virtual_event_id: "e1".into(),
            virtual_event_session_id: "s1".into(),
            meeting_attendance_report_id: "r1".into(),
        };
        assert_eq!(session.index(), 1);
        assert_eq!(
            Get::new(session).path().unwrap(),
            "/solutions/virtualEvents/events/e1/sessions/s1/attendanceReports/r1"
        );
    }
}
