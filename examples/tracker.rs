//! A calling bot's callback loop with the call-state tracker: each POST Graph sends is
//! authenticated first (its `Authorization` header, `callback::CallbackValidator`), then its
//! webhook body goes in and typed events come out, and the bot answers them. A POST that is not
//! Graph's gets `401` and changes nothing.
//!
//! `cargo run --example tracker --features tracker,jwt,decrypt [FILE…]` (one webhook body per
//! file; without files, a short call: established, a roster, a prompt played, a participant
//! muted, the end). Here a key made on the spot stands in for Graph's calling service, whose key
//! set a bot fetches from `callback::OPENID_CONFIGURATION`; it signs each body's token, and one
//! forged POST without a token is refused.

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::{KeyPair, KeySize, PublicKeyComponents};
use aws_lc_rs::signature::{KeyPair as _, RSA_PKCS1_SHA256};
use msgraph_comms::callback::CallbackValidator;
use msgraph_comms::edm::Binary;
use msgraph_comms::v1_0::tracker::{Event, Tracker};
use msgraph_comms::v1_0::{AnyCommsOperation, CommsNotifications};

/// The bot's app id.
const BOT: &str = "8e460676-ae3f-4b1e-8790-ee0fb5d6148f";

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

/// What the bot's HTTP handler does with a POST to its callback: who sent it, then what it says.
/// `Err` is the status to answer with instead.
fn on_callback(
    validator: &CallbackValidator,
    authorization: Option<&str>,
    body: &str,
    tracker: &mut Tracker,
) -> Result<Vec<Event>, u16> {
    if let Err(why) = validator.validate(authorization) {
        eprintln!("refused: {why}");
        return Err(401);
    }
    let webhook: CommsNotifications = serde_json::from_str(body).map_err(|e| {
        eprintln!("not a webhook body: {e}");
        400_u16
    })?;
    Ok(tracker.process(webhook))
}

/// A key standing in for Graph's calling service: its key set, and a bearer token of it.
struct StandIn(KeyPair);

impl StandIn {
    fn key_set(&self) -> String {
        let key: PublicKeyComponents<Vec<u8>> = self.0.public_key().into();
        let (n, e) = (Binary::encode_url_safe(&key.n), Binary::encode_url_safe(&key.e));
        format!(r#"{{"keys": [{{"kty": "RSA", "kid": "stand-in", "n": "{n}", "e": "{e}"}}]}}"#)
    }

    fn bearer(&self) -> Result<String, Box<dyn std::error::Error>> {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_secs();
        let header = br#"{"alg":"RS256","typ":"JWT","kid":"stand-in"}"#;
        let claims =
            format!(r#"{{"aud":"{BOT}","iss":"https://graph.microsoft.com","nbf":{now},"exp":{}}}"#, now + 600);
        let input = format!("{}.{}", Binary::encode_url_safe(header), Binary::encode_url_safe(claims.as_bytes()));
        let mut signature = vec![0; self.0.public_modulus_len()];
        self.0.sign(&RSA_PKCS1_SHA256, &SystemRandom::new(), input.as_bytes(), &mut signature)?;
        Ok(format!("Bearer {input}.{}", Binary::encode_url_safe(&signature)))
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let files: Vec<String> = std::env::args().skip(1).collect();
    let bodies = match files.is_empty() {
        true => samples(),
        false => files.iter().map(std::fs::read_to_string).collect::<Result<_, _>>()?,
    };
    let graph = StandIn(KeyPair::generate(KeySize::Rsa2048)?);
    let validator = CallbackValidator::new(&graph.key_set(), [BOT])?;
    let mut tracker = Tracker::default();
    // A forged POST, without a token: refused, and the tracker learns nothing from it.
    assert_eq!(on_callback(&validator, None, &bodies[0], &mut tracker), Err(401));
    assert_eq!(tracker.call_ids().count(), 0);
    // The answer of the bot's own `playPrompt` request: its completion will come with this label.
    let prompt: AnyCommsOperation = serde_json::from_str(
        r##"{"@odata.type": "#microsoft.graph.playPromptOperation", "id": "0fe0623f-d628-42ed-b4bd-8ac290072cc5", "status": "running"}"##,
    )?;
    tracker.register_operation(prompt, "welcome prompt");

    for body in bodies {
        let Ok(events) = on_callback(&validator, Some(&graph.bearer()?), &body, &mut tracker) else { continue };
        for event in events {
            match event {
                Event::CallCreated { call_id, .. } => println!("new call {call_id}"),
                Event::CallStateChanged { call_id, to, .. } => println!("call {call_id} is now {to:?}"),
                Event::CallTerminated { call_id, result_info, .. } => {
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
                Event::RosterMayBeStale { call_id, .. } => {
                    println!("call {call_id}: roster deltas were missed; read its participants again")
                }
                // Only from change-notification deliveries (`Tracker::process_changes`); and
                // whatever a later version of the tracker says.
                other => println!("{}", other.kind()),
            }
        }
    }
    Ok(())
}
