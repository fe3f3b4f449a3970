//! Build a request to invite someone into a call and show what to send: method, path, JSON.
//!
//! `cargo run --example invite`

use msgraph_comms::odata::Operation;
use msgraph_comms::v1_0::participant::InviteRequest;
use msgraph_comms::v1_0::{Identity, IdentitySet, InvitationParticipantInfo};

fn main() -> Result<(), serde_json::Error> {
    let heidi = Identity {
        id: "550fae72-d251-43ec-868c-373732c2704f".to_owned().into(),
        display_name: "Heidi Steen".to_owned().into(),
        ..Default::default()
    };
    let invitee = InvitationParticipantInfo {
        identity: IdentitySet { user: heidi.into(), ..Default::default() }.into(),
        ..Default::default()
    };
    let mut request = InviteRequest::new(vec![invitee]);
    request.client_context = "f2fa86af-3c51-4bc2-8fc0-475452d9764f".to_owned().into();

    println!("{} {}", InviteRequest::METHOD, InviteRequest::path("57dab8b1-894c-409a-b240-bd8beae78896"));
    println!("{}", serde_json::to_string_pretty(&request)?);
    println!("answers with: {}", std::any::type_name::<<InviteRequest as Operation>::Response>());
    Ok(())
}
