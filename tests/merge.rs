//! Partial values merged into whole ones, as a bot merges notifications into the calls it keeps.

use msgraph_comms::Field;
use msgraph_comms::odata::Merge;
use msgraph_comms::v1_0::{AnyEntity, Call, CallState};
use serde_json::json;

fn call(json: serde_json::Value) -> Call {
    serde_json::from_value(json).unwrap()
}

#[test]
fn a_notification_merges_into_the_call() {
    let mut kept = call(json!({
        "id": "c1", "state": "establishing", "subject": "Standup",
        "callOptions": {"hideBotAfterEscalation": true, "isContentSharingNotificationEnabled": false},
        "requestedModalities": ["audio", "video"], "tenantId": "t", "@odata.etag": "1"
    }));
    let update = call(json!({
        "state": "Established", "subject": null,
        "callOptions": {"isContentSharingNotificationEnabled": true},
        "requestedModalities": ["audio"], "@odata.etag": "2", "futureProperty": 1
    }));
    kept.merge(update);
    let expected = json!({
        "id": "c1", "state": "Established",
        "subject": null,
        // A complex value is merged property by property…
        "callOptions": {"hideBotAfterEscalation": true, "isContentSharingNotificationEnabled": true},
        // …a collection replaced.
        "requestedModalities": ["audio"], "tenantId": "t", "@odata.etag": "2", "futureProperty": 1
    });
    assert_eq!(serde_json::to_value(&kept).unwrap(), expected);
    assert_eq!(kept.state, Field::Value(CallState::Established));
}

#[test]
fn the_diff_is_the_smallest_patch() {
    let old = call(
        json!({"id": "c1", "state": "established", "subject": "a", "callOptions": {"hideBotAfterEscalation": true}}),
    );
    let new = call(
        json!({"id": "c1", "state": "terminated", "subject": null, "callOptions": {"hideBotAfterEscalation": false}}),
    );
    let diff = old.diff(&new);
    assert_eq!(
        serde_json::to_value(&diff).unwrap(),
        json!({"state": "terminated", "subject": null, "callOptions": {"hideBotAfterEscalation": false}})
    );
    let mut patched = old.clone();
    patched.merge(diff);
    assert_eq!(patched, new);
    assert_eq!(serde_json::to_value(old.diff(&old)).unwrap(), json!({}));
}

#[test]
fn polymorphic_values_merge_within_an_arm_and_are_replaced_across() {
    let entity = |v| serde_json::from_value::<AnyEntity>(v).unwrap();
    let mut kept = entity(json!({"@odata.type": "#microsoft.graph.call", "id": "c1", "state": "established"}));
    kept.merge(entity(json!({"@odata.type": "#microsoft.graph.call", "subject": "s"})));
    assert_eq!(
        serde_json::to_value(&kept).unwrap(),
        json!({"@odata.type": "#microsoft.graph.call", "id": "c1", "state": "established", "subject": "s"})
    );
    let participant = entity(json!({"@odata.type": "#microsoft.graph.participant", "id": "p"}));
    let call = kept.clone();
    kept.merge(participant.clone());
    assert_eq!(kept, participant);
    // The diff across arms is the new value whole; within an arm it keeps the tag.
    assert_eq!(call.diff(&participant), participant);
    assert_eq!(
        serde_json::to_value(participant.diff(&participant)).unwrap(),
        json!({"@odata.type": "#microsoft.graph.participant"})
    );
}
