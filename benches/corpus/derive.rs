//! The peer: the model a Rust developer would write by hand for the corpora's types, with
//! serde derive — `Option` fields, what it does not declare in a `#[serde(flatten)]` map, enum
//! values as strings (so that a new value does not fail), `resourceData` one or many resources
//! chosen by `@odata.type` (internally tagged), anything else kept as a JSON value. Written
//! for the benchmarks, not generated: it drops explicit `null`s (an `Option` is `None` either
//! way), which is what such a model does.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// What a type does not declare.
type Extra = Map<String, Value>;

macro_rules! model {
    ($(#[$meta:meta])* $name:ident { $($field:ident: $ty:ty),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Default, Serialize, Deserialize)]
        #[serde(rename_all = "camelCase")]
        pub struct $name {
            $(
                #[serde(default, skip_serializing_if = "Option::is_none")]
                pub $field: Option<$ty>,
            )*
            #[serde(flatten)]
            pub extra: Extra,
        }
    };
}

model!(CommsNotifications { value: Vec<CommsNotification> });
model!(CommsNotification { change_type: String, resource: String, resource_url: String, resource_data: ResourceData });

/// One resource, or the resources of a roster update.
#[derive(Debug, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ResourceData {
    Many(Vec<Resource>),
    One(Box<Resource>),
}

/// A resource of a type the model knows, else as it came.
#[derive(Debug, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Resource {
    Known(Known),
    Other(Value),
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "@odata.type")]
pub enum Known {
    #[serde(rename = "#microsoft.graph.participant")]
    Participant(Box<Participant>),
    #[serde(rename = "#microsoft.graph.call")]
    Call(Box<Call>),
    #[serde(
        rename = "#microsoft.graph.commsOperation",
        alias = "#microsoft.graph.playPromptOperation",
        alias = "#microsoft.graph.recordOperation",
        alias = "#microsoft.graph.subscribeToToneOperation",
        alias = "#microsoft.graph.muteParticipantOperation",
        alias = "#microsoft.graph.unmuteParticipantOperation",
        alias = "#microsoft.graph.updateRecordingStatusOperation",
        alias = "#microsoft.graph.cancelMediaProcessingOperation",
        alias = "#microsoft.graph.inviteParticipantsOperation",
        alias = "#microsoft.graph.startHoldMusicOperation",
        alias = "#microsoft.graph.stopHoldMusicOperation",
        alias = "#microsoft.graph.addLargeGalleryViewOperation",
        alias = "#microsoft.graph.sendDtmfTonesOperation"
    )]
    Operation(Box<Operation>),
}

model!(Participant {
    id: String,
    info: ParticipantInfo,
    is_in_lobby: bool,
    is_muted: bool,
    media_streams: Vec<MediaStream>,
    metadata: String,
    recording_info: Value,
    removed_state: Value,
    restricted_experience: Value,
    roster_sequence_number: i64,
});
model!(ParticipantInfo {
    country_code: String,
    endpoint_type: String,
    identity: IdentitySet,
    language_id: String,
    participant_id: String,
    region: String,
});
model!(IdentitySet { application: Identity, device: Identity, user: Identity, phone: Identity, guest: Identity });
model!(Identity { id: String, display_name: String, tenant_id: String });
model!(MediaStream { direction: String, label: String, media_type: String, server_muted: bool, source_id: String });
model!(ResultInfo { code: i64, subcode: i64, message: String });

model!(Operation { id: String, client_context: String, result_info: ResultInfo, status: String });

model!(Call {
    id: String,
    callback_uri: String,
    call_chain_id: String,
    call_routes: Vec<Value>,
    call_options: Value,
    chat_info: ChatInfo,
    direction: String,
    incoming_context: Value,
    media_config: Value,
    media_state: Value,
    meeting_info: Value,
    my_participant_id: String,
    requested_modalities: Vec<String>,
    result_info: ResultInfo,
    source: ParticipantInfo,
    state: String,
    subject: String,
    targets: Vec<InvitationParticipantInfo>,
    tenant_id: String,
    tone_info: Value,
    transcription: Value,
});
model!(ChatInfo { message_id: String, reply_chain_message_id: String, thread_id: String });
model!(InvitationParticipantInfo {
    hidden: bool,
    identity: IdentitySet,
    participant_id: String,
    remove_from_default_audio_routing_group: bool,
    replaces_call_id: String,
});

model!(OnlineMeeting {
    id: String,
    allow_attendee_to_enable_camera: bool,
    allow_attendee_to_enable_mic: bool,
    allowed_presenters: String,
    allow_meeting_chat: String,
    allow_teamwork_reactions: bool,
    audio_conferencing: Value,
    chat_info: ChatInfo,
    creation_date_time: String,
    end_date_time: String,
    external_id: String,
    is_entry_exit_announced: bool,
    join_information: Value,
    join_web_url: String,
    lobby_bypass_settings: Value,
    participants: MeetingParticipants,
    record_automatically: bool,
    start_date_time: String,
    subject: String,
    video_teleconference_id: String,
});
model!(MeetingParticipants { attendees: Vec<MeetingParticipantInfo>, organizer: MeetingParticipantInfo });
model!(MeetingParticipantInfo { identity: IdentitySet, role: String, upn: String });

model!(Presence {
    id: String,
    activity: String,
    availability: String,
    status_message: Value,
    out_of_office_settings: Value
});

model!(CallRecord {
    id: String,
    version: i64,
    r#type: String,
    modalities: Vec<String>,
    last_modified_date_time: String,
    start_date_time: String,
    end_date_time: String,
    join_web_url: String,
    organizer: IdentitySet,
    participants: Vec<IdentitySet>,
    sessions: Vec<Session>,
});
model!(Session {
    id: String,
    modalities: Vec<String>,
    start_date_time: String,
    end_date_time: String,
    caller: Value,
    callee: Value,
    failure_info: Value,
    segments: Vec<Segment>,
});
model!(Segment {
    id: String,
    start_date_time: String,
    end_date_time: String,
    caller: Value,
    callee: Value,
    failure_info: Value,
    media: Vec<Value>,
});
