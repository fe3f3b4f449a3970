//! A tracker saved and restored at any point of a webhook sequence goes on exactly as one that
//! never stopped: the same events for the rest of it, the same keep-alives due, the same state
//! (property-based, over random sequences of calls, whole and delta rosters, deletions,
//! operations, keep-alives and times).

use msgraph_comms::v1_0::CommsNotifications;
use msgraph_comms::v1_0::tracker::{Event, Settings, Tracker};
use proptest::prelude::*;
use serde_json::{Value, json};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Two calls, each with an id Graph spells two ways.
const CALLS: [(&str, &str); 2] = [
    ("421f1100-f4a3-4e69-b2b8-b7a8e7a4dbb3", "421F1100F4A34E69B2B8B7A8E7A4DBB3"),
    ("57dab8b1-894c-409a-b240-bd8beae78896", "57DAB8B1894C409AB240BD8BEAE78896"),
];

const STATES: [&str; 5] = ["incoming", "establishing", "established", "hold", "terminated"];

/// One thing that happens to a call.
#[derive(Clone, Debug)]
enum Step {
    /// A call notification (created or updated) with a state and an extra property.
    Call {
        call: usize,
        upper: bool,
        state: usize,
        extra: Option<u8>,
    },
    /// A whole-roster update: (participant, muted, a guest without an id).
    Roster {
        call: usize,
        upper: bool,
        people: Vec<(u8, bool, bool)>,
    },
    /// A `deltaParticipants`: its sequence number and (participant, muted, removed).
    Delta {
        call: usize,
        sequence: i64,
        people: Vec<(u8, bool, bool)>,
    },
    /// Participants deleted.
    Deleted {
        call: usize,
        people: Vec<u8>,
    },
    /// The call deleted.
    CallDeleted {
        call: usize,
    },
    /// An operation the bot registered, or its completion or failure.
    Register {
        operation: u8,
    },
    Operation {
        call: usize,
        operation: u8,
        status: usize,
    },
    /// A keep-alive the bot sent.
    KeepAlive {
        call: usize,
        upper: bool,
    },
    /// Ended calls expiring.
    Expire,
}

fn step() -> impl Strategy<Value = Step> {
    let call = 0..CALLS.len();
    let people = prop::collection::vec((0u8..5, any::<bool>(), any::<bool>()), 0..5);
    prop_oneof![
        3 => (call.clone(), any::<bool>(), 0..STATES.len(), prop::option::of(0u8..3))
            .prop_map(|(call, upper, state, extra)| Step::Call { call, upper, state, extra }),
        3 => (call.clone(), any::<bool>(), people.clone()).prop_map(|(call, upper, people)| Step::Roster { call, upper, people }),
        3 => (call.clone(), 0i64..8, people).prop_map(|(call, sequence, people)| Step::Delta { call, sequence, people }),
        1 => (call.clone(), prop::collection::vec(0u8..5, 1..3)).prop_map(|(call, people)| Step::Deleted { call, people }),
        1 => call.clone().prop_map(|call| Step::CallDeleted { call }),
        1 => (0u8..3).prop_map(|operation| Step::Register { operation }),
        1 => (call.clone(), 0u8..3, 0usize..3).prop_map(|(call, operation, status)| Step::Operation { call, operation, status }),
        1 => (call, any::<bool>()).prop_map(|(call, upper)| Step::KeepAlive { call, upper }),
        1 => Just(Step::Expire),
    ]
}

fn call_url(call: usize, upper: bool) -> String {
    let (lower, upper_id) = CALLS[call];
    format!("/communications/calls/{}", if upper { upper_id } else { lower })
}

fn person(id: u8, muted: bool, guest: bool) -> Value {
    match guest {
        true => json!({"@odata.type": "#microsoft.graph.participant", "id": null, "isMuted": muted,
            "info": {"identity": {"guest": {"id": format!("g{id}"), "displayName": "Guest"}}}}),
        false => json!({"@odata.type": "#microsoft.graph.participant", "id": format!("p{id}"), "isMuted": muted,
            "info": {"identity": {"user": {"id": format!("u{id}")}}}}),
    }
}

fn operation_id(operation: u8) -> String {
    format!("0fe0623f-d628-42ed-b4bd-8ac290072cc{operation}")
}

fn body(notification: Value) -> CommsNotifications {
    serde_json::from_value(json!({"value": [notification]})).unwrap()
}

/// Runs `step` at `now`: the events it gives.
fn run(tracker: &mut Tracker, step: &Step, now: SystemTime) -> Vec<Event> {
    match step {
        Step::Call { call, upper, state, extra } => {
            let mut data = json!({"@odata.type": "#microsoft.graph.call", "state": STATES[*state]});
            if let Some(extra) = extra {
                data["someNewProperty"] = json!(extra);
            }
            let change = if *state == 0 { "created" } else { "updated" };
            tracker.process_at(
                body(json!({"changeType": change, "resourceUrl": call_url(*call, *upper), "resourceData": data})),
                now,
            )
        }
        Step::Roster { call, upper, people } => {
            let people: Vec<Value> = people.iter().map(|(id, muted, guest)| person(*id, *muted, *guest)).collect();
            let url = format!("{}/participants", call_url(*call, *upper));
            tracker.process_at(body(json!({"changeType": "updated", "resourceUrl": url, "resourceData": people})), now)
        }
        Step::Delta { call, sequence, people } => {
            let people: Vec<Value> = people
                .iter()
                .map(|(id, muted, removed)| {
                    let mut p = person(*id, *muted, false);
                    if *removed {
                        p["removedState"] = json!({"reason": "left"});
                    }
                    p
                })
                .collect();
            let url = format!("{}/participants", call_url(*call, false));
            let data = json!({"@odata.type": "#microsoft.graph.deltaParticipants", "sequenceNumber": sequence, "participants": people});
            tracker.process_at(body(json!({"changeType": "updated", "resourceUrl": url, "resourceData": data})), now)
        }
        Step::Deleted { call, people } => {
            let people: Vec<Value> = people.iter().map(|id| person(*id, false, false)).collect();
            let url = format!("{}/participants", call_url(*call, true));
            tracker.process_at(body(json!({"changeType": "deleted", "resourceUrl": url, "resourceData": people})), now)
        }
        Step::CallDeleted { call } => {
            tracker.process_at(body(json!({"changeType": "deleted", "resourceUrl": call_url(*call, false)})), now)
        }
        Step::Register { operation } => {
            let running: msgraph_comms::v1_0::AnyCommsOperation = serde_json::from_value(json!({
                "@odata.type": "#microsoft.graph.playPromptOperation", "id": operation_id(*operation), "status": "running"
            }))
            .unwrap();
            tracker.register_operation(running, format!("label {operation}"))
        }
        Step::Operation { call, operation, status } => {
            let status = ["running", "completed", "failed"][*status];
            let url = format!("{}/operations/{}", call_url(*call, false), operation_id(*operation).to_uppercase());
            let data = json!({"@odata.type": "#microsoft.graph.playPromptOperation", "status": status});
            tracker.process_at(body(json!({"changeType": "updated", "resourceUrl": url, "resourceData": data})), now)
        }
        Step::KeepAlive { call, upper } => {
            let (lower, upper_id) = CALLS[*call];
            tracker.keep_alive_sent(if *upper { upper_id } else { lower }, now);
            Vec::new()
        }
        Step::Expire => {
            tracker.expire(now);
            Vec::new()
        }
    }
}

fn settings() -> impl Strategy<Value = Settings> {
    (any::<bool>(), any::<bool>(), 1u64..60, 1u64..30).prop_map(|(complete, delta, alive, ended)| Settings {
        roster_is_complete: complete,
        delta_rosters: delta,
        keep_alive_interval: Duration::from_secs(alive * 60),
        keep_ended_for: Duration::from_secs(ended * 60),
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn a_restored_tracker_goes_on_as_one_that_never_stopped(
        settings in settings(),
        steps in prop::collection::vec((step(), 0u64..600), 1..40),
        split in any::<prop::sample::Index>(),
    ) {
        let start = UNIX_EPOCH + Duration::from_secs(1_765_000_000);
        let mut now = start;
        let times: Vec<SystemTime> = steps.iter().map(|(_, gap)| { now += Duration::from_secs(*gap); now }).collect();
        let split = split.index(steps.len() + 1);

        let mut whole = Tracker::new(settings.clone());
        let mut events = Vec::new();
        for ((step, _), at) in steps.iter().zip(&times) {
            events.push(run(&mut whole, step, *at));
        }

        let mut first = Tracker::new(settings);
        for ((step, _), at) in steps[..split].iter().zip(&times) {
            run(&mut first, step, *at);
        }
        // Through text, as a bot would store it.
        let saved = serde_json::to_string(&first.save()).unwrap();
        let mut restored = Tracker::restore(&serde_json::from_str(&saved).unwrap()).unwrap();
        prop_assert_eq!(restored.save(), first.save());
        for (i, ((step, _), at)) in steps.iter().zip(&times).enumerate().skip(split) {
            prop_assert_eq!(&run(&mut restored, step, *at), &events[i], "step {} of {:?}", i, step);
        }
        prop_assert_eq!(restored.save(), whole.save());
        let later = now + Duration::from_secs(3600);
        prop_assert_eq!(restored.keep_alives_due(later), whole.keep_alives_due(later));
        prop_assert_eq!(restored.pending_operations(), whole.pending_operations());
    }
}

#[test]
fn what_does_not_restore_says_where() {
    let mut tracker = Tracker::default();
    tracker.process(body(json!({"changeType": "created", "resourceUrl": call_url(0, false),
        "resourceData": {"@odata.type": "#microsoft.graph.call", "state": "incoming"}})));
    let mut saved = tracker.save();
    saved["calls"][0]["rosterUpdates"] = json!("three");
    let error = Tracker::restore(&saved).unwrap_err();
    assert_eq!(error.path, "$.calls[0].rosterUpdates");
    saved["version"] = json!(99);
    assert_eq!(Tracker::restore(&saved).unwrap_err().path, "$.version");
    let mut other = tracker.save();
    other["api"] = json!("beta");
    assert!(Tracker::restore(&other).unwrap_err().reason.contains("beta"));
    assert_eq!(Tracker::restore(&json!([])).unwrap_err().path, "$");
}
