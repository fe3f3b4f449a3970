//! Build a request to invite someone into a call and show what to send: method, path, JSON.
//!
//! `cargo run --example invite`

use msgraph_comms::odata::Request;
use msgraph_comms::v1_0::participant::{self, InviteRequest};
use msgraph_comms::v1_0::{Identity, IdentitySet, InvitationParticipantInfo};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let heidi = Identity {
        id: "550fae72-d251-43ec-868c-373732c2704f".to_owned().into(),
        display_name: "Heidi Steen".to_owned().into(),
        ..Default::default()
    };
    let invitee = InvitationParticipantInfo {
        identity: IdentitySet { user: heidi.into(), ..Default::default() }.into(),
        ..Default::default()
    };
    let mut body = InviteRequest::new(vec![invitee]);
    body.client_context = "f2fa86af-3c51-4bc2-8fc0-475452d9764f".to_owned().into();
    // `participants/invite` is bound to the participants of a call.
    let at = participant::Collection::new("57dab8b1-894c-409a-b240-bd8beae78896");
    let request = participant::Invite::new(at, body);

    println!("{} {}", participant::Invite::METHOD, request.url(msgraph_comms::v1_0::BASE_URL)?);
    println!("{}", serde_json::to_string_pretty(&request.action)?);
    println!("answers with: {}", std::any::type_name::<<participant::Invite as Request>::Response>());
    Ok(())
}
