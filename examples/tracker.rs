//! A calling bot's callback loop with the call-state tracker: each webhook body Graph POSTs goes
//! in, typed events come out, and the bot answers them.
//!
//! `cargo run --example tracker --features tracker [FILE…]` (one webhook body per file; without
//! files, a short call: established, a roster, a prompt played, a participant muted, the end).

use msgraph_comms::v1_0::tracker::{Event, Tracker};
use msgraph_comms::v1_0::{AnyCommsOperation, CommsNotifications};

const CALL: &str = "/communications/calls/57dab8b1-894c-409a-b240-bd8beae78896";

fn samples() -> Vec<String> {
    let participant = |id: &str, muted: bool| {
        format!(
            r##"{{"@odata.type": "#microsoft.graph.participant", "id": "{id}", "isMuted": {muted}, "info": {{"identity": {{"user": {{"id": "u-{id}"}}}}}}}}"##
        )
    };
    vec![
        format!(
            r##"{{"value": [{{"changeType": "updated", "resourceUrl": "{CALL}", "resourceData": {{"@odata.type": "#microsoft.graph.call", "state": "established"}}}}]}}"##
        ),
        format!(
            r#"{{"value": [{{"changeType": "updated", "resourceUrl": "{CALL}/participants", "resourceData": [{}, {}]}}]}}"#,
            participant("p1", false),
            participant("p2", false)
        ),
        format!(
            r##"{{"value": [{{"changeType": "deleted", "resourceUrl": "{CALL}/operations/0FE0623FD62842EDB4BD8AC290072CC5", "resourceData": {{"@odata.type": "#microsoft.graph.playPromptOperation", "status": "completed"}}}}]}}"##
        ),
        format!(
            r#"{{"value": [{{"changeType": "updated", "resourceUrl": "{CALL}/participants", "resourceData": [{}]}}]}}"#,
            participant("p1", true)
        ),
        format!(
            r##"{{"value": [{{"changeType": "deleted", "resourceUrl": "{CALL}", "resourceData": {{"@odata.type": "#microsoft.graph.call", "state": "terminated", "resultInfo": {{"code": 200}}}}}}]}}"##
        ),
    ]
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let files: Vec<String> = std::env::args().skip(1).collect();
    let bodies = match files.is_empty() {
        true => samples(),
        false => files.iter().map(std::fs::read_to_string).collect::<Result<_, _>>()?,
    };
    let mut tracker = Tracker::default();
    // The answer of the bot's own `playPrompt` request: its completion will come with this label.
    let prompt: AnyCommsOperation = serde_json::from_str(
        r##"{"@odata.type": "#microsoft.graph.playPromptOperation", "id": "0fe0623f-d628-42ed-b4bd-8ac290072cc5", "status": "running"}"##,
    )?;
    tracker.register_operation(&prompt, "welcome prompt");

    for body in bodies {
        // What the bot's HTTP handler does with each POST: decode, track, react.
        let webhook: CommsNotifications = serde_json::from_str(&body)?;
        for event in tracker.process(webhook) {
            match event {
                Event::CallCreated { call_id, .. } => println!("new call {call_id}"),
                Event::CallStateChanged { call_id, to, .. } => println!("call {call_id} is now {to:?}"),
                Event::CallTerminated { call_id, result_info } => {
                    let code = result_info.and_then(|r| r.code.into_value()).map(|c| c.to_string());
                    println!("call {call_id} ended (code {code:?})");
                }
                Event::ParticipantJoined { participant, .. } => println!("{:?} joined", participant.id.value()),
                Event::ParticipantLeft { participant, .. } => println!("{:?} left", participant.id.value()),
                Event::ParticipantChanged { participant, changed, .. } => {
                    println!("{:?} changed {}", participant.id.value(), changed.join(", "));
                }
                Event::OperationCompleted { label, .. } => {
                    println!("done: {}", label.as_deref().unwrap_or("an operation"))
                }
                Event::OperationFailed { operation, label, .. } => {
                    println!("failed: {} ({:?})", label.as_deref().unwrap_or("an operation"), operation.result_info());
                }
                Event::Unhandled { reason, notification } => {
                    println!("not followed ({reason}): {:?}", notification.resource_path());
                }
                // Only from change-notification deliveries (`Tracker::process_changes`).
                Event::ResourceChanged { .. } | Event::SubscriptionLifecycle { .. } => {}
            }
        }
    }
    Ok(())
}
