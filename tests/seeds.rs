//! The examples of the seed pages (`participant: invite`, beta, five languages; their JSON
//! bodies are committed under `tests/fixtures/seeds/`) decode into the generated types, with
//! the schema's properties in typed fields, and re-encode to the same JSON.
//!
//! These run without `../shared`; the docs harness (`tests/docs.rs`) covers every example of
//! the docs pages when they are there.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::path::Path;

struct Fixture {
    file: String,
    kind: String,
    request: Option<String>,
    body: Value,
}

fn fixtures() -> Vec<Fixture> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seeds");
    let index: Value = serde_json::from_str(&std::fs::read_to_string(dir.join("index.json")).unwrap()).unwrap();
    let fixtures: Vec<Fixture> = index
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| {
            let file = entry["file"].as_str().unwrap().to_owned();
            let body = serde_json::from_str(&std::fs::read_to_string(dir.join(&file)).unwrap()).unwrap();
            Fixture {
                file,
                kind: entry["kind"].as_str().unwrap().to_owned(),
                request: entry["request"].as_str().map(str::to_owned),
                body,
            }
        })
        .collect();
    assert_eq!(fixtures.len(), 18, "the seed pages hold 18 distinct bodies");
    fixtures
}

/// Decodes `value` as a `T` and checks that it encodes back to the same JSON.
fn decode<T: DeserializeOwned + Serialize>(file: &str, value: &Value) -> T {
    let decoded: T = serde_json::from_value(value.clone()).unwrap_or_else(|err| panic!("{file}: {err}"));
    assert_eq!(&serde_json::to_value(&decoded).unwrap(), value, "{file}: not re-encoded as it came");
    decoded
}

/// The same checks for each API version: the seed payloads are older than both schemas, so
/// what they carry that a schema lacks must be in `extras`, and everything else typed.
macro_rules! seed_checks {
    ($api:ident) => {
        mod $api {
            use super::*;
            use msgraph_comms::Field;
            use msgraph_comms::$api::{
                AnyEntity, Call, CommsNotifications, CommsOperation, InvitationParticipantInfo, OperationStatus,
            };

            #[test]
            fn invite_requests_decode_their_participants() {
                let invites: Vec<_> = fixtures()
                    .into_iter()
                    .filter(|f| f.request.as_deref().is_some_and(|r| r.ends_with("/participants/invite")))
                    .collect();
                assert_eq!(invites.len(), 3);
                for fixture in invites {
                    let participants: Vec<InvitationParticipantInfo> =
                        decode(&fixture.file, &fixture.body["participants"]);
                    assert!(!participants.is_empty(), "{}", fixture.file);
                    for participant in &participants {
                        let identity = participant.identity.value().expect("identity is typed");
                        let user = identity.user().value().expect("identity.user is typed");
                        let primary = identity.primary().expect("an identity set names someone");
                        assert_eq!((primary.kind.as_str(), primary.id.as_ref()), ("user", user.id().value()));
                        assert!(user.id().value().is_some(), "{}", fixture.file);
                        // Declared properties are typed, never left in the extras.
                        assert!(!user.extras().iter().any(|(k, _)| k == "id" || k == "displayName"));
                    }
                    let replacing = participants.iter().filter(|p| p.replaces_call_id.value().is_some()).count();
                    assert!(replacing > 0 || fixture.body["clientContext"].is_string(), "{}", fixture.file);
                }
            }

            #[test]
            fn operation_responses_decode_with_tolerant_status() {
                let responses: Vec<_> = fixtures().into_iter().filter(|f| f.kind == "response").collect();
                assert_eq!(responses.len(), 2);
                for fixture in responses {
                    let operation: CommsOperation = decode(&fixture.file, &fixture.body);
                    // One page says "running", another "Running": both are the CSDL member, and
                    // each is written back as it came (`decode` checks).
                    assert_eq!(operation.status, Field::Value(OperationStatus::Running), "{}", fixture.file);
                    let status = operation.status.value().unwrap();
                    let wire = fixture.body["status"].as_str().unwrap();
                    assert_eq!(msgraph_comms::odata::wire_spelling(status, &operation.extras, "status"), wire);
                    // The schema spells the member `Running`.
                    assert_eq!(msgraph_comms::odata::EnumType::as_str(status), "Running");
                    assert!(operation.id.value().is_some() && operation.client_context.value().is_some());
                    // The 2018 examples carry timestamps neither schema declares: kept, not dropped.
                    assert!(operation.extras.get("createdDateTime").is_some(), "{}", fixture.file);
                }
            }

            #[test]
            fn create_call_request_decodes_as_a_call() {
                let fixture = fixtures().into_iter().find(|f| f.request.as_deref() == Some("POST /app/calls")).unwrap();
                let call: Call = decode(&fixture.file, &fixture.body);
                assert_eq!(call.subject.value().map(String::as_str), Some("Test Call"));
                assert_eq!(call.requested_modalities, Field::Value(vec![]));
                let source = call.source.value().and_then(|s| s.identity.value()).and_then(|i| i.application().value());
                assert!(source.is_some_and(|app| app.id().value().is_some()));
                assert!(call.chat_info.value().is_some_and(|chat| chat.thread_id.value().is_some()));
                assert!(call.meeting_info.value().is_some());
                // The 2018 page calls `callbackUri` `callback`: kept as an extra, not dropped.
                assert!(call.callback_uri.is_absent());
                assert!(call.extras.get("callback").is_some_and(Value::is_string));
            }

            #[test]
            fn notifications_decode_and_their_resources_are_typed_entities() {
                let notifications: Vec<_> = fixtures().into_iter().filter(|f| f.kind == "notification").collect();
                assert_eq!(notifications.len(), 11);
                let (mut calls, mut participants, mut operations) = (0, 0, 0);
                for fixture in notifications {
                    let body: CommsNotifications = decode(&fixture.file, &fixture.body);
                    let value = body.value.value().expect("value is typed");
                    assert!(!value.is_empty());
                    for notification in value {
                        assert!(notification.change_type.value().is_some(), "{}", fixture.file);
                        // `resource` and `resourceData` come from our overlay: typed, not extras.
                        assert!(notification.resource.value().is_some(), "{}", fixture.file);
                        let data = notification.resource_data.value().expect("resourceData is typed");
                        for resource in data {
                            match resource {
                                AnyEntity::Call(call) => {
                                    assert!(call.extras.odata_type().is_some());
                                    calls += 1;
                                }
                                AnyEntity::Participant(participant) => {
                                    assert!(participant.info.value().is_some(), "{}", fixture.file);
                                    participants += 1;
                                }
                                AnyEntity::CommsOperation(op) => {
                                    assert!(op.status.value().is_some(), "{}", fixture.file);
                                    operations += 1;
                                }
                                AnyEntity::InviteParticipantsOperation(invite) => {
                                    assert!(invite.status.value().is_some(), "{}", fixture.file);
                                    operations += 1;
                                }
                                other => panic!("{}: unexpected resource {other:?}", fixture.file),
                            }
                        }
                    }
                }
                assert_eq!((calls, participants, operations), (7, 4, 2));
            }
        }
    };
}

seed_checks!(v1_0);
#[cfg(feature = "beta")]
seed_checks!(beta);
