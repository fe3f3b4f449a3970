//! The call-state tracker on notification sequences like the docs pages': an incoming call
//! answered, established, its roster, a prompt played, mute, a participant leaving, the end.

use msgraph_comms::v1_0::tracker::{Event, Settings, Tracker};
use msgraph_comms::v1_0::{AnyCommsOperation, CallState, CommsNotifications};
use serde_json::{Value, json};

fn body(notifications: Value) -> CommsNotifications {
    serde_json::from_value(json!({ "value": notifications })).unwrap()
}

/// Each event as a short line, for exact comparison.
fn lines(events: &[Event]) -> Vec<String> {
    events
        .iter()
        .map(|e| match e {
            Event::CallCreated { call_id, .. } => format!("created {call_id}"),
            Event::CallStateChanged { call_id, from, to } => format!("state {call_id} {from:?} -> {to:?}"),
            Event::CallTerminated { call_id, result_info } => {
                format!(
                    "terminated {call_id} {:?}",
                    result_info.as_ref().and_then(|r| r.code.value()).map(|c| c.to_string())
                )
            }
            Event::ParticipantJoined { participant, .. } => format!("joined {:?}", participant.id.value()),
            Event::ParticipantLeft { participant, .. } => format!("left {:?}", participant.id.value()),
            Event::ParticipantChanged { participant, changed, .. } => {
                format!("changed {:?} {changed:?}", participant.id.value())
            }
            Event::OperationCompleted { operation, label, .. } => {
                format!("completed {:?} {label:?}", operation.id().value())
            }
            Event::OperationFailed { operation, label, .. } => format!("failed {:?} {label:?}", operation.id().value()),
            Event::ResourceChanged { change_type, resource_type, resource_id, .. } => {
                format!("resource {change_type:?} {} {resource_id:?}", resource_type.unwrap_or("?"))
            }
            Event::SubscriptionLifecycle { subscription_id, event, .. } => {
                format!("lifecycle {event:?} {subscription_id:?}")
            }
            Event::Unhandled { reason, .. } => format!("unhandled: {reason}"),
        })
        .collect()
}

const CALL: &str = "/communications/calls/421f1100-f4a3-4e69-b2b8-b7a8e7a4dbb3";

fn call(change: &str, state: &str) -> Value {
    json!({"@odata.type": "#microsoft.graph.commsNotification", "changeType": change, "resourceUrl": CALL,
        "resourceData": {"@odata.type": "#microsoft.graph.call", "state": state}})
}

fn roster(participants: Value) -> Value {
    json!({"changeType": "updated", "resourceUrl": format!("{CALL}/participants"), "resourceData": participants})
}

fn participant(id: &str, muted: bool) -> Value {
    json!({"@odata.type": "#microsoft.graph.participant", "id": id, "isMuted": muted, "isInLobby": false,
        "info": {"identity": {"user": {"id": format!("user-{id}")}}}})
}

#[test]
fn a_call_from_incoming_to_terminated() {
    let mut tracker = Tracker::default();
    let mut events = tracker.process(body(json!([call("created", "incoming")])));
    events.extend(tracker.process(body(json!([call("updated", "establishing")]))));
    events.extend(tracker.process(body(json!([call("updated", "established")]))));
    events.extend(tracker.process(body(json!([roster(json!([participant("p1", false), participant("p2", false)]))]))));
    // The bot plays a prompt; the completion comes with the id in another spelling, and no id in the body.
    let operation: AnyCommsOperation = serde_json::from_value(json!({
        "@odata.type": "#microsoft.graph.playPromptOperation", "id": "0fe0623f-d628-42ed-b4bd-8ac290072cc5", "status": "running"
    }))
    .unwrap();
    tracker.register_operation(&operation, "welcome");
    events.extend(tracker.process(body(json!([{
        "changeType": "deleted", "resourceUrl": format!("{CALL}/operations/0FE0623FD62842EDB4BD8AC290072CC5"),
        "resourceData": {"@odata.type": "#microsoft.graph.playPromptOperation", "status": "completed", "clientContext": "c"}
    }]))));
    events.extend(tracker.process(body(json!([roster(json!([participant("p1", true), participant("p2", false)]))]))));
    events.extend(tracker.process(body(json!([roster(json!([participant("p1", true)]))]))));
    events.extend(tracker.process(body(json!([{
        "changeType": "deleted", "resourceUrl": CALL,
        "resourceData": {"@odata.type": "#microsoft.graph.call", "state": "terminated", "resultInfo": {"code": 200, "subcode": 5001}}
    }]))));
    let call = "421f1100-f4a3-4e69-b2b8-b7a8e7a4dbb3";
    assert_eq!(
        lines(&events),
        [
            format!("created {call}"),
            format!("state {call} Some(Incoming) -> Establishing"),
            format!("state {call} Some(Establishing) -> Established"),
            "joined Some(\"p1\")".into(),
            "joined Some(\"p2\")".into(),
            "completed Some(\"0FE0623FD62842EDB4BD8AC290072CC5\") Some(\"welcome\")".into(),
            "changed Some(\"p1\") [\"isMuted\"]".into(),
            "left Some(\"p2\")".into(),
            format!("terminated {call} Some(\"200\")"),
        ]
    );
    assert!(tracker.pending_operations().is_empty());
    assert!(tracker.call(call).is_none(), "a deleted call is forgotten");
}

#[test]
fn rosters_without_ids_are_keyed_on_identity_and_can_be_partial() {
    let anonymous = |muted: bool| {
        json!({"@odata.type": "#microsoft.graph.participant", "id": null, "isMuted": muted,
            "info": {"identity": {"guest": {"id": "g1", "displayName": "Guest"}}}})
    };
    let mut tracker = Tracker::new(Settings { roster_is_complete: false });
    let mut events = tracker.process(body(json!([roster(json!([anonymous(false), participant("p1", false)]))])));
    events.extend(tracker.process(body(json!([roster(json!([anonymous(true)]))]))));
    // Not a complete roster: p1 stays until a deletion says otherwise.
    events
        .extend(tracker.process(body(json!([{"changeType": "deleted", "resourceUrl": format!("{CALL}/participants"),
        "resourceData": [participant("p1", false)]}]))));
    assert_eq!(
        lines(&events),
        [
            "created 421f1100-f4a3-4e69-b2b8-b7a8e7a4dbb3".to_owned(),
            "joined None".into(),
            "joined Some(\"p1\")".into(),
            "changed None [\"isMuted\"]".into(),
            "left Some(\"p1\")".into(),
        ]
    );
    assert_eq!(tracker.participants("421F1100F4A34E69B2B8B7A8E7A4DBB3").count(), 1);
}

#[test]
fn what_it_does_not_follow_is_an_event() {
    let mut tracker = Tracker::default();
    let events = tracker.process(body(json!([
        {"changeType": "updated", "resourceUrl": "/communications/onlineMeetings/m1",
            "resourceData": {"@odata.type": "#microsoft.graph.onlineMeeting", "id": "m1"}},
        {"changeType": "updated", "resourceUrl": CALL},
        {"changeType": "updated", "resourceUrl": format!("{CALL}/operations/o1"),
            "resourceData": {"@odata.type": "#microsoft.graph.muteParticipantOperation", "status": "running"}}
    ])));
    assert_eq!(
        lines(&events),
        [
            "unhandled: a resource the tracker does not follow",
            "unhandled: no resourceData",
            "unhandled: an operation that is neither completed nor failed"
        ]
    );
    assert_eq!(tracker.call_ids().count(), 0);
    let established =
        tracker.observe_call(serde_json::from_value(json!({"id": "c2", "state": "established"})).unwrap());
    assert_eq!(lines(&established), ["created c2", "state c2 None -> Established"]);
    assert_eq!(tracker.call("c2").unwrap().state.value(), Some(&CallState::Established));
}

#[test]
fn an_invite_and_its_operation_then_mute_and_unmute() {
    let mut tracker = Tracker::default();
    let mut events =
        tracker.process(body(json!([call("updated", "established"), roster(json!([participant("bot", false)]))])));
    // The answer of `POST …/participants/invite`: an operation, registered by the bot.
    let invite: AnyCommsOperation = serde_json::from_value(json!({
        "@odata.type": "#microsoft.graph.inviteParticipantsOperation", "id": "eec3812a-fdc3-4fb4-825c-a06c9f35414e",
        "status": "running", "clientContext": "invite-1"
    }))
    .unwrap();
    tracker.register_operation(&invite, "invite Heidi");
    assert_eq!(tracker.pending_operations().len(), 1);
    events.extend(tracker.process(body(json!([
        {"changeType": "deleted", "resourceUrl": format!("{CALL}/operations/EEC3812AFDC34FB4825CA06C9F35414E"),
            "resourceData": {"@odata.type": "#microsoft.graph.inviteParticipantsOperation", "status": "failed",
                "clientContext": "invite-1", "resultInfo": {"code": 403, "subcode": 7507, "message": "Forbidden"}}},
        roster(json!([participant("bot", false), participant("heidi", false)])),
        roster(json!([participant("bot", false), participant("heidi", true)])),
        roster(json!([participant("bot", false), participant("heidi", false)]))
    ]))));
    assert_eq!(
        lines(&events),
        [
            "created 421f1100-f4a3-4e69-b2b8-b7a8e7a4dbb3".to_owned(),
            "state 421f1100-f4a3-4e69-b2b8-b7a8e7a4dbb3 None -> Established".into(),
            "joined Some(\"bot\")".into(),
            "failed Some(\"EEC3812AFDC34FB4825CA06C9F35414E\") Some(\"invite Heidi\")".into(),
            "joined Some(\"heidi\")".into(),
            "changed Some(\"heidi\") [\"isMuted\"]".into(),
            "changed Some(\"heidi\") [\"isMuted\"]".into(),
        ]
    );
    let Event::OperationFailed { operation, .. } = &events[3] else { unreachable!() };
    assert_eq!(
        operation.result_info().value().and_then(|r| r.code.value()).map(|c| c.to_string()).as_deref(),
        Some("403")
    );
    assert!(tracker.pending_operations().is_empty());
}

#[test]
fn change_notifications_of_call_records_and_presence() {
    let common = json!({
        "subscriptionId": "76619225-ff6b-4489-96ca-4ef547e78b22", "clientState": "s",
        "subscriptionExpirationDateTime": "2026-12-03T10:00:00Z", "tenantId": "84bd8158-6d4d-4958-8b9f-9d6445542f95"
    });
    let with = |extra: Value| {
        let mut item = common.clone();
        item.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        item
    };
    let delivery: msgraph_comms::v1_0::ChangeNotificationCollection = serde_json::from_value(json!({"value": [
        with(json!({"changeType": "created", "resource": "communications/callRecords/2f1a",
            "resourceData": {"@odata.type": "#microsoft.graph.callrecord", "@odata.id": "communications/callRecords/2f1a", "id": "2f1a"}})),
        with(json!({"changeType": "updated", "resource": "/communications/presences/u1",
            "resourceData": {"@odata.type": "#Microsoft.Graph.presence", "id": "u1"}})),
        with(json!({"changeType": "updated", "resource": "communications/callRecords/9c"})),
        with(json!({"changeType": "updated", "resource": "chats/19:x/messages/1", "resourceData": {"id": "1"}})),
        with(json!({"lifecycleEvent": "reauthorizationRequired", "resource": "communications/callRecords"})),
        with(json!({"lifecycleEvent": "someEventGraphAddsLater", "resource": "communications/callRecords"})),
    ]}))
    .unwrap();
    let checked = delivery.check(&msgraph_comms::change_notifications::ClientStates::every("s"));
    let events = Tracker::default().process_changes(&checked);
    assert_eq!(
        lines(&events),
        [
            r#"resource Some(Created) microsoft.graph.callRecords.callRecord Some("2f1a")"#,
            r#"resource Some(Updated) microsoft.graph.presence Some("u1")"#,
            r#"resource Some(Updated) microsoft.graph.callRecords.callRecord Some("9c")"#,
            r#"resource Some(Updated) ? Some("1")"#,
            r#"lifecycle ReauthorizationRequired Some("76619225-ff6b-4489-96ca-4ef547e78b22")"#,
            r#"lifecycle Unrecognized("someEventGraphAddsLater") Some("76619225-ff6b-4489-96ca-4ef547e78b22")"#,
        ]
    );
    assert_eq!(events[0].kind(), "resourceChanged");
    assert_eq!(events[4].kind(), "subscriptionLifecycle");

    // What did not pass the checks is not taken in: a wrong client state, resource data that
    // no validation token vouches for.
    let forged: msgraph_comms::v1_0::ChangeNotificationCollection = serde_json::from_value(json!({"value": [
        with(json!({"changeType": "created", "resource": "communications/callRecords/1", "clientState": "guess"})),
        with(json!({"changeType": "created", "resource": "communications/callRecords/2",
            "encryptedContent": {"data": "AA==", "dataKey": "AA==", "dataSignature": "AA==",
                                 "encryptionCertificateId": "c", "encryptionCertificateThumbprint": "T"}})),
        with(json!({"changeType": "created", "resource": "communications/callRecords/3"})),
    ]}))
    .unwrap();
    let checked = forged.check(&msgraph_comms::change_notifications::ClientStates::every("s"));
    assert_eq!(
        lines(&Tracker::default().process_changes(&checked)),
        [r#"resource Some(Created) microsoft.graph.callRecords.callRecord Some("3")"#]
    );
}
