//! A calling bot's webhook: decode the body Graph POSTs and say what happened. A bot
//! authenticates the POST before it reads the body (`callback::CallbackValidator`, cargo
//! feature `jwt`; `examples/tracker.rs` does): this example reads a file you trust.
//!
//! `cargo run --example webhook [FILE]` (without a file, a roster update and a call update).

use msgraph_comms::Field;
use msgraph_comms::odata::EnumType;
use msgraph_comms::v1_0::{AnyEntity, CallState, ChangeType, CommsNotifications};

const SAMPLE: &str = r##"{
  "value": [
    {
      "changeType": "updated",
      "resourceUrl": "/communications/calls/57dab8b1-894c-409a-b240-bd8beae78896",
      "resourceData": {
        "@odata.type": "#microsoft.graph.call",
        "@odata.etag": "W/\"5445\"",
        "state": "established",
        "mediaState": {"audio": "active"}
      }
    },
    {
      "changeType": "updated",
      "resourceUrl": "/communications/calls/57dab8b1-894c-409a-b240-bd8beae78896/participants",
      "resourceData": [
        {
          "@odata.type": "#microsoft.graph.participant",
          "id": "8a34a46b-3d17-4adc-8dce-dc4e7d572698",
          "info": {"identity": {"user": {"id": "8a34", "displayName": "Heidi Steen"}}},
          "isMuted": false,
          "isInLobby": false
        },
        {
          "@odata.type": "#microsoft.graph.participant",
          "id": "2765eb15-01f8-47c6-b12b-c32111a4a86f",
          "info": {"identity": {"application": {"id": "bot", "displayName": "Contoso bot"}}},
          "isMuted": true
        }
      ]
    },
    {
      "changeType": "deleted",
      "resourceUrl": "/communications/calls/57dab8b1-894c-409a-b240-bd8beae78896/operations/0fe0623f",
      "resourceData": {"@odata.type": "#microsoft.graph.playPromptOperation", "status": "completed"}
    }
  ]
}"##;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let body = match std::env::args().nth(1) {
        Some(file) => std::fs::read_to_string(file)?,
        None => SAMPLE.to_owned(),
    };
    let webhook: CommsNotifications = serde_json::from_str(&body)?;
    for (notification, resource) in webhook.resources() {
        let change = match &notification.change_type {
            Field::Value(ChangeType::Created) => "created",
            Field::Value(ChangeType::Updated) => "updated",
            Field::Value(ChangeType::Deleted) => "deleted",
            _ => "changed",
        };
        match resource {
            AnyEntity::Call(call) => match &call.state {
                Field::Value(CallState::Established) => println!("the call is established"),
                Field::Value(CallState::Terminated) => println!("the call ended"),
                Field::Value(state) => println!("the call is {state:?}"),
                _ => println!("the call was {change}"),
            },
            AnyEntity::Participant(participant) => {
                let identity = participant.info.value().and_then(|info| info.identity.value());
                let who = identity
                    .and_then(|set| set.user().value().or(set.application().value()))
                    .and_then(|identity| identity.display_name().value())
                    .map_or("someone", String::as_str);
                let muted = if participant.is_muted == Field::Value(true) { " (muted)" } else { "" };
                println!("{who} is in the call{muted}");
            }
            AnyEntity::PlayPromptOperation(prompt) => {
                let status = prompt.status.value().map_or("unknown", EnumType::as_str);
                println!("the prompt finished: {status}");
            }
            other => println!("{change}: {}", serde_json::to_string(other)?),
        }
    }
    Ok(())
}
