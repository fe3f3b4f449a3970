//! The call-state tracker on notification sequences like the docs pages': an incoming call
//! answered, established, its roster, a prompt played, mute, a participant leaving, the end.

use msgraph_comms::v1_0::tracker::{Event, KeepAliveDue, Settings, Tracker};
use msgraph_comms::v1_0::{AnyCommsOperation, CallState, CommsNotifications, PlayPromptOperation};
use serde_json::{Value, json};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

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
            Event::CallTerminated { call_id, result_info, call } => {
                assert_eq!(call.state.value(), Some(&CallState::Terminated), "the final call is terminated");
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
            Event::RosterMayBeStale { call_id, expected, received } => {
                format!("stale {call_id} expected {expected} received {received}")
            }
            Event::RosterDeltaSkipped { call_id, sequence, applied } => {
                format!("skipped {call_id} {sequence} after {applied}")
            }
            Event::Unhandled { reason, .. } => format!("unhandled: {reason}"),
            other => panic!("an event this test does not know: {other:?}"),
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
    assert!(tracker.register_operation(operation, "welcome").is_empty());
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
            // A deleted call ends as a terminated one does: its state, who was left, the end.
            format!("state {call} Some(Established) -> Terminated"),
            "left Some(\"p1\")".into(),
            format!("terminated {call} Some(\"200\")"),
        ]
    );
    assert!(tracker.pending_operations().is_empty());
    // Kept, ended, until it is forgotten or expires.
    assert!(tracker.has_ended(call));
    assert_eq!(tracker.live_call_ids().count(), 0);
    assert!(tracker.forget(call));
    assert!(tracker.call(call).is_none());
}

#[test]
fn rosters_without_ids_are_keyed_on_identity_and_can_be_partial() {
    let anonymous = |muted: bool| {
        json!({"@odata.type": "#microsoft.graph.participant", "id": null, "isMuted": muted,
            "info": {"identity": {"guest": {"id": "g1", "displayName": "Guest"}}}})
    };
    let mut tracker = Tracker::new(Settings { roster_is_complete: false, ..Settings::default() });
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
    assert!(tracker.register_operation(invite, "invite Heidi").is_empty());
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

/// Seconds after a fixed start, as the bot's clock would give them.
fn at(seconds: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_765_000_000 + seconds)
}

const CALL_ID: &str = "421f1100-f4a3-4e69-b2b8-b7a8e7a4dbb3";

fn delta(sequence: i64, participants: Value) -> Value {
    json!({"changeType": "updated", "resourceUrl": format!("{CALL}/participants"),
        "resourceData": {"@odata.type": "#microsoft.graph.deltaParticipants", "sequenceNumber": sequence,
            "participants": participants}})
}

fn removed(id: &str) -> Value {
    json!({"@odata.type": "#microsoft.graph.participant", "id": id, "removedState": {"reason": "left"},
        "info": {"identity": {"user": {"id": format!("user-{id}")}}}})
}

fn ids(tracker: &Tracker) -> Vec<String> {
    tracker.participants(CALL_ID).map(|p| p.id.value().cloned().unwrap_or_default()).collect()
}

#[test]
fn delta_rosters_change_only_who_they_list_in_sequence_order() {
    let mut tracker = Tracker::default();
    // The call says it publishes deltas (as a bot answering with `isDeltaRosterEnabled` gets).
    let created = json!({"changeType": "created", "resourceUrl": CALL, "resourceData": {
        "@odata.type": "#microsoft.graph.call", "state": "established",
        "callOptions": {"@odata.type": "#microsoft.graph.outgoingCallOptions", "isDeltaRosterEnabled": true}}});
    let mut events = tracker.process(body(json!([created])));
    events
        .extend(tracker.process(body(json!([delta(1, json!([participant("p1", false), participant("p2", false)]))]))));
    events.extend(tracker.process(body(json!([delta(2, json!([participant("p1", true)]))]))));
    // The same delta again, and an older one: not applied twice.
    events.extend(tracker.process(body(json!([delta(2, json!([participant("p1", true)]))]))));
    events.extend(tracker.process(body(json!([delta(1, json!([participant("p2", true)]))]))));
    // Delta 3 never came: the roster may be stale.
    events.extend(tracker.process(body(json!([delta(4, json!([participant("p3", false)]))]))));
    events.extend(tracker.process(body(json!([delta(5, json!([removed("p2")]))]))));
    // Said again: p2 left once.
    events.extend(tracker.process(body(json!([delta(6, json!([removed("p2")]))]))));
    // A plain roster update of this call is a delta too, ordered by its participants' numbers.
    let mut p4 = participant("p4", false);
    p4["rosterSequenceNumber"] = json!("7");
    events.extend(tracker.process(body(json!([roster(json!([p4]))]))));
    assert_eq!(
        lines(&events),
        [
            format!("created {CALL_ID}"),
            format!("state {CALL_ID} None -> Established"),
            "joined Some(\"p1\")".into(),
            "joined Some(\"p2\")".into(),
            "changed Some(\"p1\") [\"isMuted\"]".into(),
            format!("skipped {CALL_ID} 2 after 2"),
            format!("skipped {CALL_ID} 1 after 2"),
            format!("stale {CALL_ID} expected 3 received 4"),
            "joined Some(\"p3\")".into(),
            "left Some(\"p2\")".into(),
            "joined Some(\"p4\")".into(),
        ]
    );
    let Event::ParticipantLeft { participant: left, .. } = &events[9] else { unreachable!() };
    assert!(left.removed_state.value().is_some(), "the leaving keeps its removedState");
    assert_eq!(ids(&tracker), ["p1", "p3", "p4"]);
    // After a stale roster, the bot reads the participants and gives them whole.
    let read = vec![
        serde_json::from_value(participant("p1", true)).unwrap(),
        serde_json::from_value(participant("p5", false)).unwrap(),
    ];
    let resync = tracker.observe_roster(CALL_ID, read);
    assert_eq!(lines(&resync), ["joined Some(\"p5\")", "left Some(\"p3\")", "left Some(\"p4\")"]);
}

#[test]
fn the_setting_says_how_to_read_rosters_of_calls_that_say_nothing() {
    let mut tracker = Tracker::new(Settings { delta_rosters: true, ..Settings::default() });
    let mut events =
        tracker.process(body(json!([roster(json!([participant("p1", false), participant("p2", false)]))])));
    // A delta: p1 is not listed, and stays.
    events.extend(tracker.process(body(json!([roster(json!([participant("p2", true), removed("p9")]))]))));
    assert_eq!(
        lines(&events),
        [
            format!("created {CALL_ID}"),
            "joined Some(\"p1\")".into(),
            "joined Some(\"p2\")".into(),
            "changed Some(\"p2\") [\"isMuted\"]".into(),
            "left Some(\"p9\")".into(),
        ]
    );
    assert_eq!(ids(&tracker), ["p1", "p2"]);
    // What the call says wins over the setting.
    let whole = json!({"changeType": "updated", "resourceUrl": CALL, "resourceData": {"@odata.type": "#microsoft.graph.call",
        "callOptions": {"@odata.type": "#microsoft.graph.incomingCallOptions", "isDeltaRosterEnabled": false}}});
    tracker.process(body(json!([whole])));
    let events = tracker.process(body(json!([roster(json!([participant("p2", true)]))])));
    assert_eq!(lines(&events), ["left Some(\"p1\")"]);
}

#[test]
fn a_call_ends_once_whether_terminated_or_deleted() {
    let mut tracker = Tracker::default();
    let mut events = tracker.process_at(body(json!([call("created", "establishing")])), at(0));
    events.extend(tracker.process(body(json!([
        call("updated", "established"),
        roster(json!([participant("p1", false), participant("p2", false)]))
    ]))));
    // Terminated, then deleted: the end comes once.
    events.extend(tracker.process_at(body(json!([call("updated", "terminated")])), at(100)));
    events.extend(tracker.process(body(json!([{"changeType": "deleted", "resourceUrl": CALL}]))));
    // News of an ended call is said, not applied.
    events.extend(tracker.process(body(json!([roster(json!([participant("p3", false)]))]))));
    assert_eq!(
        lines(&events),
        [
            format!("created {CALL_ID}"),
            format!("state {CALL_ID} Some(Establishing) -> Established"),
            "joined Some(\"p1\")".into(),
            "joined Some(\"p2\")".into(),
            format!("state {CALL_ID} Some(Established) -> Terminated"),
            "left Some(\"p1\")".into(),
            "left Some(\"p2\")".into(),
            format!("terminated {CALL_ID} None"),
            "unhandled: a notification of a call that has ended".into(),
        ]
    );
    // Kept for `keep_ended_for` after the end, then gone.
    assert!(tracker.expire(at(100 + 599)).is_empty());
    assert!(tracker.has_ended(CALL_ID));
    assert_eq!(tracker.expire(at(100 + 600)), [CALL_ID]);
    assert_eq!(tracker.call_ids().count(), 0);

    // A deletion the tracker did not see coming: the same end.
    let mut tracker = Tracker::default();
    let events = tracker.process(body(json!([{"changeType": "deleted", "resourceUrl": CALL}])));
    assert_eq!(
        lines(&events),
        [
            format!("created {CALL_ID}"),
            format!("state {CALL_ID} None -> Terminated"),
            format!("terminated {CALL_ID} None"),
        ]
    );
    // Ended without a time: it counts from the first expiry asked.
    assert!(tracker.expire(at(0)).is_empty());
    assert_eq!(tracker.expire(at(600)).len(), 1);
}

#[test]
fn keep_alives_are_due_an_interval_after_the_last_one() {
    let mut tracker = Tracker::default();
    tracker.process_at(body(json!([call("created", "incoming")])), at(0));
    assert!(tracker.keep_alives_due(at(899)).is_empty());
    assert_eq!(tracker.keep_alives_due(at(900)), [KeepAliveDue { call_id: CALL_ID, due: Some(at(900)) }]);
    // Sent at 10 minutes, in another spelling of the id: due 15 minutes later.
    assert!(tracker.keep_alive_sent("421F1100F4A34E69B2B8B7A8E7A4DBB3", at(600)));
    assert!(tracker.keep_alives_due(at(1499)).is_empty());
    assert_eq!(tracker.keep_alives_due(at(1500))[0].due, Some(at(1500)));
    assert!(!tracker.keep_alive_sent("another-call", at(600)));
    // A call first seen after the tracker was last told the time (10 minutes) is due from then.
    tracker.observe_call(serde_json::from_value(json!({"id": "c2", "state": "established"})).unwrap());
    let due: Vec<_> = tracker.keep_alives_due(at(1500)).into_iter().map(|d| (d.call_id, d.due)).collect();
    assert_eq!(due, [(CALL_ID, Some(at(1500))), ("c2", Some(at(1500)))]);
    // An ended call is never due.
    tracker.process(body(json!([{"changeType": "deleted", "resourceUrl": CALL}])));
    assert!(tracker.keep_alives_due(at(10_000)).iter().all(|d| d.call_id != CALL_ID));
    // Never past Graph's 45 minutes, whatever the setting.
    let settings = Settings { keep_alive_interval: Duration::from_secs(3600), ..Settings::default() };
    assert_eq!(settings.keep_alive_every(), msgraph_comms::v1_0::tracker::MAX_KEEP_ALIVE_INTERVAL);
    let mut tracker = Tracker::new(settings);
    tracker.process_at(body(json!([call("created", "incoming")])), at(0));
    assert_eq!(tracker.keep_alives_due(at(2700))[0].due, Some(at(2700)));
    // A tracker never told the time: a call is due now.
    let mut tracker = Tracker::default();
    tracker.observe_call(serde_json::from_value(json!({"id": "c3", "state": "established"})).unwrap());
    assert_eq!(tracker.keep_alives_due(at(0)), [KeepAliveDue { call_id: "c3", due: None }]);
}

#[test]
fn ids_keep_the_spelling_the_tracker_first_saw() {
    let mut tracker = Tracker::default();
    let guid = "a1b2c3d4-0000-4000-8000-000000000001";
    let mut p = participant("x", false);
    p["id"] = json!(guid);
    let mut events = tracker.process(body(json!([call("created", "incoming"), roster(json!([p]))])));
    // The same call and participant, spelled in capitals without dashes.
    let mut again = participant("x", true);
    again["id"] = json!("A1B2C3D4000040008000000000000001");
    events.extend(tracker.process(body(json!([{"changeType": "updated",
        "resourceUrl": "/app/calls/421F1100F4A34E69B2B8B7A8E7A4DBB3/participants", "resourceData": [again]}]))));
    for event in &events {
        match event {
            Event::CallCreated { call_id, .. } | Event::ParticipantJoined { call_id, .. } => {
                assert_eq!(call_id, CALL_ID)
            }
            Event::ParticipantChanged { call_id, participant, .. } => {
                assert_eq!(call_id, CALL_ID);
                assert_eq!(participant.id.value().map(String::as_str), Some(guid));
            }
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(events.len(), 3);
}

#[test]
fn operations_register_typed_and_one_already_ended_says_so_at_once() {
    let mut tracker = Tracker::default();
    let done: PlayPromptOperation = serde_json::from_value(json!({"id": "op1", "status": "completed"})).unwrap();
    let events = tracker.register_operation(done, "prompt");
    assert_eq!(lines(&events), ["completed Some(\"op1\") Some(\"prompt\")"]);
    assert!(tracker.pending_operations().is_empty());
    let running: PlayPromptOperation = serde_json::from_value(json!({"id": "op2", "status": "running"})).unwrap();
    assert!(tracker.register_operation(running, "second").is_empty());
    assert_eq!(tracker.pending_operations(), [("op2", "second")]);
    let Event::OperationCompleted { operation, .. } = &events[0] else { unreachable!() };
    assert_eq!(operation.type_name(), "microsoft.graph.playPromptOperation");
}

/// What the .NET Communications SDK had to fix since 2023, as scenarios.
#[test]
fn guests_and_phone_participants_without_ids_join_and_leave() {
    let guest = json!({"@odata.type": "#microsoft.graph.participant", "id": null,
        "info": {"identity": {"guest": {"id": "g1", "displayName": "Guest"}}}});
    let phone = json!({"@odata.type": "#microsoft.graph.participant", "id": null,
        "info": {"identity": {"phone": {"id": "+12345678901"}}}});
    let mut tracker = Tracker::default();
    let mut events =
        tracker.process(body(json!([roster(json!([guest.clone(), phone.clone(), participant("p1", false)]))])));
    events.extend(tracker.process(body(json!([roster(json!([participant("p1", false)]))]))));
    events.extend(tracker.process(body(json!([roster(json!([participant("p1", false)]))]))));
    events.extend(tracker.process(body(json!([roster(json!([participant("p1", false), guest]))]))));
    assert_eq!(
        lines(&events),
        [
            format!("created {CALL_ID}"),
            "joined None".into(),
            "joined None".into(),
            "joined Some(\"p1\")".into(),
            "left None".into(),
            "left None".into(),
            "joined None".into(),
        ]
    );
}

#[test]
fn a_removed_participant_is_reported_once() {
    let mut tracker = Tracker::default();
    let mut events =
        tracker.process(body(json!([roster(json!([participant("p1", false), participant("p2", false)]))])));
    // Missing from the roster, then deleted, then deleted again.
    events.extend(tracker.process(body(json!([roster(json!([participant("p1", false)]))]))));
    let deleted = json!({"changeType": "deleted", "resourceUrl": format!("{CALL}/participants"),
        "resourceData": [participant("p2", false)]});
    events.extend(tracker.process(body(json!([deleted.clone(), deleted]))));
    assert_eq!(
        lines(&events),
        [
            format!("created {CALL_ID}"),
            "joined Some(\"p1\")".into(),
            "joined Some(\"p2\")".into(),
            "left Some(\"p2\")".into()
        ]
    );
}

#[test]
fn a_calls_extras_are_kept_until_resent() {
    let mut tracker = Tracker::default();
    let with = |value: Value| {
        json!({"changeType": "updated", "resourceUrl": CALL,
            "resourceData": {"@odata.type": "#microsoft.graph.call", "state": "established", "someNewProperty": value}})
    };
    tracker.process(body(json!([with(json!({"a": 1}))])));
    tracker.process(body(json!([call("updated", "established")])));
    assert_eq!(tracker.call(CALL_ID).unwrap().extras.get("someNewProperty"), Some(&json!({"a": 1})));
    tracker.process(body(json!([with(json!(2))])));
    assert_eq!(tracker.call(CALL_ID).unwrap().extras.get("someNewProperty"), Some(&json!(2)));
}

#[cfg(feature = "requests")]
#[test]
fn a_keep_alive_request_the_bot_sent_counts() {
    use msgraph_comms::v1_0::call;
    let mut tracker = Tracker::default();
    tracker.process_at(body(json!([call("created", "incoming")])), at(0));
    let keep_alive =
        call::KeepAlive::new(call::Item::new("421F1100F4A34E69B2B8B7A8E7A4DBB3"), call::KeepAliveRequest::default());
    assert!(tracker.request_sent(&keep_alive, at(300)));
    assert_eq!(tracker.keep_alives_due(at(1200))[0].due, Some(at(1200)));
    // Another request changes nothing.
    let mute = call::Mute::new(call::Item::new(CALL_ID), call::MuteRequest::default());
    assert!(!tracker.request_sent(&mute, at(900)));
    assert!(tracker.keep_alives_due(at(1199)).is_empty());
}

#[test]
fn a_delta_resource_is_a_delta_on_any_call() {
    // The call says nothing of deltas, and the settings read whole rosters: a
    // `deltaParticipants` still changes only who it lists.
    let mut tracker = Tracker::default();
    let mut events = tracker.process(body(json!([roster(json!([participant("p1", false)]))])));
    events.extend(tracker.process(body(json!([delta(1, json!([participant("p2", false)]))]))));
    events.extend(tracker.process(body(json!([delta(2, json!([]))]))));
    assert_eq!(
        lines(&events),
        [format!("created {CALL_ID}"), "joined Some(\"p1\")".into(), "joined Some(\"p2\")".into()]
    );
    assert_eq!(ids(&tracker), ["p1", "p2"]);
    // One that is not a delta is refused where it is wrong, before the tracker sees it.
    let broken = json!({"value": [{"changeType": "updated", "resourceUrl": format!("{CALL}/participants"),
        "resourceData": {"@odata.type": "#microsoft.graph.deltaParticipants", "sequenceNumber": "three"}}]});
    let error = serde_json::from_value::<CommsNotifications>(broken).unwrap_err().to_string();
    assert!(error.contains("value[0].resourceData.sequenceNumber"), "{error}");
}

/// The beta schema pinned has no `deltaParticipants`, `removedState` or
/// `rosterSequenceNumber`: the beta tracker reads them from what the resources kept.
#[cfg(feature = "beta")]
#[test]
fn the_beta_tracker_reads_deltas_its_schema_lacks() {
    use msgraph_comms::beta::tracker::Tracker as BetaTracker;
    let mut tracker = BetaTracker::default();
    let body = |value: Value| {
        serde_json::from_value::<msgraph_comms::beta::CommsNotifications>(json!({"value": value})).unwrap()
    };
    let mut kinds = Vec::new();
    for notifications in [
        json!([roster(json!([participant("p1", false)]))]),
        json!([delta(3, json!([participant("p2", false)]))]),
        json!([delta(3, json!([participant("p3", false)]))]),
        json!([delta(5, json!([removed("p1")]))]),
    ] {
        kinds.extend(tracker.process(body(notifications)).iter().map(|e| e.kind()));
    }
    assert_eq!(
        kinds,
        [
            "callCreated",
            "participantJoined",
            "participantJoined",
            "rosterDeltaSkipped",
            "rosterMayBeStale",
            "participantLeft"
        ]
    );
    let ids: Vec<_> = tracker.participants(CALL_ID).filter_map(|p| p.id.value().cloned()).collect();
    assert_eq!(ids, ["p2"]);
}
