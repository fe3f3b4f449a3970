//! Hostile payloads: deep nesting, huge values, duplicate keys, and the wrong JSON type for
//! every kind of property. None may panic, overflow the stack or lose data, and every error
//! names the JSON path and the type that was expected.

use msgraph_comms::Field;
use msgraph_comms::edm;
use msgraph_comms::odata::json_difference;
use msgraph_comms::v1_0::{
    AnyEngagementConversationMessage, AnyEntity, AttendanceInterval, Call, CommsNotifications,
    EngagementConversationMessage, OnlineMeetingRestricted, Participant, TeleconferenceDeviceQuality, call_records,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// Runs `f` on a thread with a stack of 1 MiB, half of what Rust gives a spawned thread: what
/// passes here has room to spare in a web server's worker.
fn on_small_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new().stack_size(1 << 20).spawn(f).unwrap().join().expect("no panic, no overflow");
}

fn error_of<T: DeserializeOwned + std::fmt::Debug>(text: &str) -> String {
    serde_json::from_str::<T>(text).map(|v| format!("decoded: {v:?}")).unwrap_or_else(|e| e.to_string())
}

/// Decodes, encodes, decodes again: the second value and text are the first ones, and the
/// written JSON is the input as a JSON value.
fn assert_lossless<T: DeserializeOwned + Serialize + PartialEq + std::fmt::Debug>(text: &str) {
    let value: T = serde_json::from_str(text).unwrap();
    let written = serde_json::to_string(&value).unwrap();
    let again: T = serde_json::from_str(&written).unwrap();
    assert!(again == value, "a second pass changed the value");
    assert_eq!(serde_json::to_string(&again).unwrap(), written);
    let (input, output): (Value, Value) =
        (serde_json::from_str(text).unwrap(), serde_json::from_str(&written).unwrap());
    assert_eq!(json_difference(&input, &output), None);
}

fn nested(depth: usize, open: &str, inner: &str, close: &str) -> String {
    format!("{}{inner}{}", open.repeat(depth), close.repeat(depth))
}

#[test]
fn deep_nesting_is_an_error_that_names_where_never_a_stack_overflow() {
    on_small_stack(|| {
        let arrays = nested(100_000, "[", "1", "]");
        let objects = nested(100_000, r#"{"a":"#, "1", "}");
        for deep in [&arrays, &objects] {
            // (payload, the path the error must name)
            let cases = [
                (format!(r#"{{"unknown":{deep}}}"#), "at `unknown`"),
                (format!(r#"{{"resultInfo":{{"more":{deep}}}}}"#), "at `resultInfo.more`"),
                (format!(r#"{{"targets":[{{}},{{"x":{deep}}}]}}"#), "at `targets[1].x`"),
                (
                    format!(
                        r##"{{"mediaConfig":{{"@odata.type":"#microsoft.graph.serviceHostedMediaConfig","x":{deep}}}}}"##
                    ),
                    "at `mediaConfig.x`",
                ),
                // The tag comes last: what came before it is moved into the arm it names.
                (
                    format!(
                        r##"{{"mediaConfig":{{"x":[1],"@odata.type":"#microsoft.graph.serviceHostedMediaConfig","y":{deep}}}}}"##
                    ),
                    "at `mediaConfig.y`",
                ),
            ];
            for (text, path) in cases {
                let err = error_of::<Call>(&text);
                assert!(err.starts_with(path) && err.contains("recursion limit exceeded"), "{path}: {err}");
            }
            let text = format!(
                r##"{{"value":[{{"resourceData":[{{}},{{"@odata.type":"#microsoft.graph.call","z":{deep}}}]}}]}}"##
            );
            let err = error_of::<CommsNotifications>(&text);
            assert!(err.starts_with("at `value[0].resourceData"), "{err}");
            assert!(err.contains("recursion limit exceeded"), "{err}");
        }
    });
}

#[test]
fn typed_recursion_is_bounded_too_and_what_fits_round_trips() {
    on_small_stack(|| {
        // `replyTo` is an engagement message in an engagement message: typed all the way down.
        let chain = |depth: usize| nested(depth, r#"{"replyTo":"#, r#"{"id":"root"}"#, "}");
        let err = error_of::<EngagementConversationMessage>(&chain(100_000));
        assert!(err.starts_with("at `replyTo.replyTo.replyTo"), "{}", &err[..80.min(err.len())]);
        assert!(err.contains("recursion limit exceeded"));
        // Just inside serde_json's limit of 128 levels: decodes, re-encodes, and drops.
        let text = chain(120);
        assert_lossless::<EngagementConversationMessage>(&text);
        let message: EngagementConversationMessage = serde_json::from_str(&text).unwrap();
        let mut depth = 0;
        let mut reply = message.reply_to.value();
        while let Some(AnyEngagementConversationMessage::EngagementConversationMessage(next)) = reply {
            depth += 1;
            reply = next.reply_to.value();
        }
        assert_eq!(depth, 120);
        let extras = nested(126, "[", "", "]");
        assert_lossless::<Call>(&format!(r#"{{"x":{extras}}}"#));
    });
}

/// Numbers beyond `u64` are doubles, read correctly rounded: written back, they read the same.
#[test]
fn long_numbers_are_stable() {
    for number in [
        "666666666666666666666666666666666666666666666666666666666660",
        "1.7976931348623157e308",
        "5e-324",
        "0.1",
        "-0.0",
        "123456789012345678901234567890.123",
    ] {
        assert_lossless::<Call>(&format!(r#"{{"x":{number},"y":[{number}]}}"#));
        assert_lossless::<call_records::DeviceInfo>(&format!(r#"{{"captureNotFunctioningEventRatio":{number}}}"#));
    }
}

#[test]
fn huge_strings_and_arrays_decode_and_round_trip_exactly() {
    let big = "é\\n\\u0000x".repeat(1 << 18); // 3 MiB of text with escapes, in one string
    assert_lossless::<Call>(&format!(r#"{{"subject":"{big}","{big}":"{big}"}}"#));
    let call: Call = serde_json::from_str(&format!(r#"{{"subject":"{big}"}}"#)).unwrap();
    assert_eq!(call.subject.value().map(String::len), Some(5 << 18));

    let items = vec![json!({"identity": {"user": {"id": "u"}}}); 20_000];
    let text = json!({"targets": items, "extra": vec![1; 200_000]}).to_string();
    assert_lossless::<Call>(&text);
    let call: Call = serde_json::from_str(&text).unwrap();
    assert_eq!(call.targets.value().map(Vec::len), Some(20_000));
    assert_eq!(call.extras.get("extra").and_then(Value::as_array).map(Vec::len), Some(200_000));
}

/// Many undeclared keys, and many enum values in another spelling, each kept: linear work
/// (a hash index past a few keys; spellings kept sorted), where a scan per key would take
/// minutes here.
#[test]
fn many_undeclared_keys_and_spellings_are_linear() {
    let n = 20_000;
    let keys: Vec<String> = (0..n).map(|i| format!(r#""k{i}":{i}"#)).collect();
    let modalities = vec![r#""AUDIO""#; n].join(",");
    let text = format!(r#"{{{},"requestedModalities":[{modalities}],"k7":"last"}}"#, keys.join(","));
    let call: Call = serde_json::from_str(&text).unwrap();
    assert_eq!(call.extras.len(), n);
    assert_eq!(call.extras.get("k7"), Some(&json!("last")));
    assert_eq!(call.extras.iter().nth(7).map(|(k, _)| k), Some("k7"), "a repeated key keeps its place");
    let written = serde_json::to_string(&call).unwrap();
    assert_eq!(written.matches("\"AUDIO\"").count(), n);
    assert_lossless::<Call>(&written);
}

/// Documented in the README: a declared property that comes twice takes its last value; an
/// undeclared one keeps its first place and its last value; `@odata.type` too (the last tag
/// chooses the arm); nothing is an error.
#[test]
fn duplicate_keys_take_the_last_value() {
    let call: Call = serde_json::from_str(r#"{"subject":"a","x":1,"subject":"b","x":2}"#).unwrap();
    assert_eq!(call.subject, Field::Value("b".to_owned()));
    assert_eq!(serde_json::to_string(&call).unwrap(), r#"{"subject":"b","x":2}"#);

    // An enum's spelling is the last one's too, the schema's included, in collections too.
    let call: Call = serde_json::from_str(r#"{"state":"Established","state":"TERMINATED"}"#).unwrap();
    assert_eq!(serde_json::to_string(&call).unwrap(), r#"{"state":"TERMINATED"}"#);
    assert_lossless::<Call>(r#"{"state":"establiShing","state":"establishing"}"#);
    assert_lossless::<Call>(r#"{"requestedModalities":["Audio","VIDEO"],"requestedModalities":["audio"]}"#);
    assert_lossless::<Call>(r#"{"requestedModalities":["Audio"],"requestedModalities":null}"#);

    // Two tags: the second moves what was read into the arm it names.
    let text = r##"{"@odata.type":"#microsoft.graph.engagementConversationSystemMessage","id":"m","@odata.type":"#microsoft.graph.engagementConversationQuestionMessage","title":"q"}"##;
    let message: AnyEngagementConversationMessage = serde_json::from_str(text).unwrap();
    let AnyEngagementConversationMessage::EngagementConversationQuestionMessage(question) = &message else {
        panic!("{message:?}")
    };
    assert_eq!(
        (question.id.value().map(String::as_str), question.title.value().map(String::as_str)),
        (Some("m"), Some("q"))
    );
    let written = serde_json::to_value(&message).unwrap();
    assert_eq!(written["@odata.type"], "#microsoft.graph.engagementConversationQuestionMessage");
    assert_lossless::<AnyEngagementConversationMessage>(&written.to_string());

    // A type error in a repeated key is an error, whichever copy has it.
    assert!(error_of::<Call>(r#"{"subject":"a","subject":5}"#).starts_with("at `subject`: invalid type: integer `5`"));
}

/// A resource whose tag comes again and again, alternating between two types after other keys
/// (the shape that once cost quadratic time): it decodes as the last tag alone would, kept where
/// the first tag came, losslessly, however many tags there are.
#[test]
fn alternating_tags_decode_as_the_last_tag_alone() {
    for tags in [2, 3, 10, 2_001] {
        let mut text = String::from("{");
        let mut last = "";
        for k in 0..tags {
            last = if k % 2 == 0 { "#microsoft.graph.call" } else { "#microsoft.graph.participant" };
            text.push_str(&format!(r#""p{k}":{k},"state":"established","isMuted":true,"@odata.type":"{last}","#));
        }
        text.push_str(r#""id":"x"}"#);
        let entity: AnyEntity = serde_json::from_str(&text).unwrap();
        let mut once: Value = serde_json::from_str(&text).unwrap();
        once["@odata.type"] = json!(last);
        assert_eq!(entity, serde_json::from_value::<AnyEntity>(once.clone()).unwrap(), "{tags} tags");
        assert_eq!(serde_json::to_value(&entity).unwrap(), once, "{tags} tags");
        let notifications = format!(r#"{{"value":[{{"resourceData":{text}}}]}}"#);
        assert_lossless::<CommsNotifications>(&notifications);
    }
}

/// An `IsFlags` value naming many members (known ones again and again, and unknown ones):
/// each kept once, in order, and the text written back as it came.
#[test]
fn flags_with_many_members_keep_each_once() {
    let members: Vec<String> = (0..5_000).map(|i| format!("m{i}")).collect();
    let text = format!(r#"{{"videoDisabled":"watermarkProtection,{},WATERMARKPROTECTION,m7"}}"#, members.join(","));
    let restricted: OnlineMeetingRestricted = serde_json::from_str(&text).unwrap();
    let flags = restricted.video_disabled.value().unwrap();
    assert_eq!(flags.len(), 5_001);
    assert_eq!(flags.iter().nth(1).map(msgraph_comms::odata::EnumType::as_str), Some("m0"));
    let mut reversed: Vec<_> = flags.iter().cloned().collect();
    reversed.reverse();
    assert_eq!(flags, &reversed.into_iter().collect(), "a set, whatever the order");
    assert_lossless::<OnlineMeetingRestricted>(&text);
}

/// An error quotes a bounded part of what came: a 1 MB value in the wrong place, or a 1 MB
/// key, makes an error of a few hundred bytes that still says where and what was expected.
#[test]
fn errors_quote_a_bounded_part_of_the_input() {
    let huge = "x".repeat(1_000_000);
    let error = error_of::<Participant>(&format!(r#"{{"isMuted":"{huge}"}}"#));
    assert!(error.starts_with("at `isMuted`: invalid type: string \"xxx"), "{}", &error[..100]);
    assert!(error.contains("expected a boolean"), "{}", &error[error.len() - 100..]);
    assert!(error.len() < 500, "{} bytes", error.len());
    let error = error_of::<Call>(&format!(r#"{{"source":{{"identity":{{"user":{{"{huge}":1,"id":5}}}}}}}}"#));
    assert!(error.starts_with("at `source.identity.user.id`"), "{}", &error[..100]);
    assert!(error.len() < 500, "{} bytes", error.len());
}

/// The JSON kinds, each with a sample.
const KINDS: [(&str, &str); 6] = [
    ("boolean", "true"),
    ("integer", "7"),
    ("floating point", "-1.5"),
    ("string", r#""text""#),
    ("sequence", "[]"),
    ("map", r#"{"a":1}"#),
];

/// Puts every JSON kind that `accepted` does not list into `property` of a `T` and checks that
/// the error names the property and what was expected (`expected`), and that the accepted
/// kinds decode.
fn check_kinds<T: DeserializeOwned + std::fmt::Debug>(property: &str, expected: &str, accepted: &[&str]) {
    for (kind, sample) in KINDS {
        let text = format!(r#"{{"{property}":{sample}}}"#);
        let result = serde_json::from_str::<T>(&text);
        if accepted.contains(&kind) {
            assert!(result.is_ok(), "{property} = {sample}: {}", result.unwrap_err());
            continue;
        }
        let err = result.expect_err(&text).to_string();
        let head = format!("at `{property}`: ");
        assert!(err.starts_with(&head), "{text}: {err}");
        assert!(err.contains(expected), "{text}: `{err}` does not say `{expected}`");
        assert!(err.contains("line 1 column"), "{text}: {err}");
    }
    // `null` is a value for every property: it clears it.
    assert!(serde_json::from_str::<T>(&format!(r#"{{"{property}":null}}"#)).is_ok());
}

#[test]
fn every_edm_type_rejects_the_wrong_json_type_with_path_and_expected_type() {
    check_kinds::<Call>("subject", "expected a string", &["string"]);
    check_kinds::<Participant>("isMuted", "expected a boolean", &["boolean"]);
    check_kinds::<AttendanceInterval>("durationInSeconds", "Edm.Int32", &["integer"]);
    check_kinds::<Participant>("rosterSequenceNumber", "Edm.Int64", &["integer"]);
    check_kinds::<call_records::DeviceInfo>(
        "captureNotFunctioningEventRatio",
        "Edm.Double",
        &["integer", "floating point"],
    );
    check_kinds::<call_records::MediaStream>("averageAudioNetworkJitter", "expected an Edm.Duration", &["string"]);
    check_kinds::<call_records::CallRecord>("endDateTime", "expected an Edm.DateTimeOffset", &["string"]);
    check_kinds::<TeleconferenceDeviceQuality>("callChainId", "expected an Edm.Guid", &["string"]);
    check_kinds::<call_records::PstnCallLogRow>("charge", "Edm.Decimal", &["integer", "floating point"]);
    check_kinds::<Call>("state", "expected a `microsoft.graph.callState` value", &["string"]);
    check_kinds::<Call>("resultInfo", "expected a `microsoft.graph.resultInfo` object", &["map"]);
    check_kinds::<Call>("source", "expected a `microsoft.graph.participantInfo` object", &["map"]);
    check_kinds::<Call>("targets", "expected a JSON array", &["sequence"]);
    check_kinds::<Call>("requestedModalities", "expected a JSON array", &["sequence"]);
    check_kinds::<CommsNotifications>("value", "expected a JSON array", &["sequence"]);
    // Strings that are not numbers, where a number is expected.
    assert!(
        error_of::<Participant>(r#"{"rosterSequenceNumber":"12a"}"#)
            .starts_with("at `rosterSequenceNumber`: `12a` is not an Edm.Int64")
    );
    assert!(
        error_of::<call_records::PstnCallLogRow>(r#"{"charge":"1,5"}"#)
            .starts_with("at `charge`: `1,5` is not an Edm.Decimal")
    );
    assert!(
        error_of::<AttendanceInterval>(r#"{"durationInSeconds":4294967296}"#)
            .starts_with("at `durationInSeconds`: 4294967296 is not an Edm.Int32")
    );
    // Inside collections, the item's index is in the path.
    let err = error_of::<Call>(r#"{"targets":[{},{"identity":{"user":{"displayName":false}}}]}"#);
    assert!(
        err.starts_with("at `targets[1].identity.user.displayName`: invalid type: boolean `false`, expected a string"),
        "{err}"
    );
    let err = error_of::<Call>(r#"{"requestedModalities":["audio",3]}"#);
    assert!(
        err.starts_with(
            "at `requestedModalities[1]`: invalid type: integer `3`, expected a `microsoft.graph.modality` value"
        ),
        "{err}"
    );
    // `null` clears a collection, but is no item of one.
    let err = error_of::<Call>(r#"{"requestedModalities":["audio","video",null]}"#);
    assert!(
        err.starts_with("at `requestedModalities[2]`: invalid type: null, expected a `microsoft.graph.modality` value"),
        "{err}"
    );
}

#[test]
fn edm_types_outside_the_slice_name_themselves_too() {
    fn check<T: DeserializeOwned + std::fmt::Debug>(expected: &str, accepted: &[&str]) {
        for (kind, sample) in KINDS {
            let result = serde_json::from_str::<Vec<T>>(&format!("[{sample}]"));
            match accepted.contains(&kind) {
                true => assert!(result.is_ok(), "{expected} {sample}"),
                false => assert!(result.unwrap_err().to_string().contains(expected), "{expected} {sample}"),
            }
        }
    }
    check::<edm::Date>("expected an Edm.Date (a string)", &["string"]);
    check::<edm::TimeOfDay>("expected an Edm.TimeOfDay (a string)", &["string"]);
    check::<edm::Binary>("expected an Edm.Binary (a string)", &["string"]);
    check::<edm::Int16>("Edm.Int16", &["integer"]);
    check::<edm::Byte>("Edm.Byte", &["integer"]);
    check::<edm::SByte>("Edm.SByte", &["integer"]);
    assert!(error_of::<edm::Byte>("256").contains("256 is not an Edm.Byte"));
    assert!(error_of::<edm::SByte>("\"-129\"").contains("`-129` is not an Edm.SByte"));
}
