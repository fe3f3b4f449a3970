//! The call-state tracker, for each API (`v1_0::tracker`), with the cargo feature `tracker`.
//!
//! The macro gives the items of the API's `tracker` module; `lib.rs` declares the module itself,
//! so that without the feature the compiler says which feature it needs.

macro_rules! tracker {
    // An API whose participants have `removedState` and `rosterSequenceNumber`.
    ($api:ident, typed_delta_roster) => {
        crate::state::tracker!(@items $api);

        /// Whether a participant carries a `removedState` (it left).
        fn has_removed_state(participant: &Participant) -> bool {
            participant.removed_state.value().is_some()
        }

        /// A participant's `rosterSequenceNumber`.
        fn roster_sequence_number(participant: &Participant) -> Option<i64> {
            participant.roster_sequence_number.value().map(|n| n.get())
        }
    };
    // An API whose schema has them not: they are in the participants' extras when they come.
    ($api:ident) => {
        crate::state::tracker!(@items $api);

        /// Whether a participant carries a `removedState` (it left).
        fn has_removed_state(participant: &Participant) -> bool {
            participant.extras.get("removedState").is_some_and(|v| !v.is_null())
        }

        /// A participant's `rosterSequenceNumber`.
        fn roster_sequence_number(participant: &Participant) -> Option<i64> {
            participant.extras.get("rosterSequenceNumber").and_then(|v| saved::integer(v).ok())
        }
    };
    (@items $api:ident) => {
        use crate::Field;
        use crate::change_notifications::Checked;
        use crate::odata::{IdKey, Merge, ODATA_TYPE};
        use crate::state::OrderedMap;
        use crate::state::saved;
        use crate::$api::{
            AnyCommsOperation, AnyEntity, Call, CallState, ChangeNotification, ChangeType, CommsNotification,
            CommsNotifications, LifecycleEventType, OperationStatus, Participant, ResultInfo,
        };
        use serde_json::{Map, Value, json};
        use std::collections::HashSet;
        use std::time::{Duration, SystemTime};

        pub use crate::state::saved::{RestoreError, VERSION as SAVED_VERSION};

        /// The longest time Graph lets a call go without a `keepAlive`: it ends the call after
        /// 45 minutes. [`Settings::keep_alive_interval`] is never taken past it.
        pub const MAX_KEEP_ALIVE_INTERVAL: Duration = Duration::from_secs(45 * 60);

        /// How the tracker reads what Graph sends, and what it keeps.
        #[derive(Clone, Debug, PartialEq, Eq)]
        pub struct Settings {
            /// A whole-roster update lists the whole current roster: who is missing left.
            /// (`false`: only `deleted` notifications and `removedState` remove participants.)
            pub roster_is_complete: bool,
            /// Read a call's roster updates as deltas when the call does not say
            /// (`callOptions.isDeltaRosterEnabled`, which wins when present). Off by default,
            /// as Graph's is.
            pub delta_rosters: bool,
            /// How often a live call needs a `keepAlive` ([`Tracker::keep_alives_due`]): 15
            /// minutes by default, as the docs advise; never more than
            /// [`MAX_KEEP_ALIVE_INTERVAL`].
            pub keep_alive_interval: Duration,
            /// How long an ended call is kept after it ended, for [`Tracker::expire`] (it is
            /// kept until then, or until [`Tracker::forget`]): 10 minutes by default.
            pub keep_ended_for: Duration,
        }

        impl Default for Settings {
            fn default() -> Self {
                Settings {
                    roster_is_complete: true,
                    delta_rosters: false,
                    keep_alive_interval: Duration::from_secs(15 * 60),
                    keep_ended_for: Duration::from_secs(10 * 60),
                }
            }
        }

        impl Settings {
            /// The keep-alive interval in force: the setting, at most [`MAX_KEEP_ALIVE_INTERVAL`].
            pub fn keep_alive_every(&self) -> Duration {
                self.keep_alive_interval.min(MAX_KEEP_ALIVE_INTERVAL)
            }
        }

        /// What changed, in the order the notifications said it.
        ///
        /// A call's id in every event is spelled as the tracker first saw it (Graph spells one
        /// GUID `57dab8b1-894c-…` in a body and `57DAB8B1894C…` in a URL), and so is a
        /// participant's `id`: an event's ids can key a map without [`crate::odata::same_id`].
        /// New kinds of events may come in later versions: match with a last arm for them.
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub enum Event {
            /// A call the tracker did not know (created, or first seen).
            CallCreated {
                /// The call's id.
                call_id: String,
                /// The call as it came.
                call: Box<Call>,
            },
            /// A call's `state` changed.
            CallStateChanged {
                /// The call's id.
                call_id: String,
                /// The state before (none for a call first seen).
                from: Option<CallState>,
                /// The state now.
                to: CallState,
            },
            /// A call ended: its state became `terminated`, or Graph deleted it. Either way it
            /// comes once, after `CallStateChanged` to `terminated` and a `ParticipantLeft` for
            /// each participant still in its roster.
            CallTerminated {
                /// The call's id.
                call_id: String,
                /// Why it ended, if Graph said.
                result_info: Option<ResultInfo>,
                /// The call as it was last, its state `terminated`.
                call: Box<Call>,
            },
            /// A participant joined a call's roster.
            ParticipantJoined {
                /// The call's id.
                call_id: String,
                /// The participant as it came.
                participant: Box<Participant>,
            },
            /// A participant left (missing from a whole roster, deleted, listed with a
            /// `removedState` in a delta, or still there when the call ended): once.
            ParticipantLeft {
                /// The call's id.
                call_id: String,
                /// The participant as it was last (with its `removedState`, when a delta gave one).
                participant: Box<Participant>,
            },
            /// Properties of a participant changed: their JSON names (`isMuted`,
            /// `mediaStreams`, `isInLobby` …), and the participant as it is now.
            ParticipantChanged {
                /// The call's id.
                call_id: String,
                /// The JSON names of the properties that changed.
                changed: Vec<String>,
                /// The participant now.
                participant: Box<Participant>,
            },
            /// A roster delta came after a gap in the sequence numbers: deltas were missed, and
            /// the roster may be stale. The delta was applied; read the call's participants
            /// again (`GET …/participants`) and give them to [`Tracker::observe_roster`].
            RosterMayBeStale {
                /// The call's id.
                call_id: String,
                /// The sequence number the next delta should have had.
                expected: i64,
                /// The one it had.
                received: i64,
            },
            /// A roster delta that was already applied, or older than the last one applied: not
            /// applied again.
            RosterDeltaSkipped {
                /// The call's id.
                call_id: String,
                /// Its sequence number.
                sequence: i64,
                /// The sequence number of the last delta applied.
                applied: i64,
            },
            /// An operation completed (`status` `completed`), with the label the bot
            /// registered it under, if it did.
            OperationCompleted {
                /// The call's id, from the notification's URL.
                call_id: Option<String>,
                /// The operation, its id from the URL when it came without one.
                operation: AnyCommsOperation,
                /// The label it was registered under.
                label: Option<String>,
            },
            /// An operation failed; its `resultInfo` says why.
            OperationFailed {
                /// The call's id, from the notification's URL.
                call_id: Option<String>,
                /// The operation, with its `resultInfo`.
                operation: AnyCommsOperation,
                /// The label it was registered under.
                label: Option<String>,
            },
            /// A change notification of a subscription (a call record, a presence, an
            /// online meeting … created, updated or deleted), with what it names.
            ResourceChanged {
                /// `created`, `updated`, `deleted`.
                change_type: Option<ChangeType>,
                /// The qualified name of the resource's type, when the slice has it
                /// (`microsoft.graph.callRecords.callRecord`, `microsoft.graph.presence`).
                resource_type: Option<&'static str>,
                /// The resource's id.
                resource_id: Option<String>,
                /// The notification.
                notification: Box<ChangeNotification>,
            },
            /// A lifecycle notification of a subscription: reauthorize it
            /// (`reauthorizationRequired`), create it again (`subscriptionRemoved`), or
            /// read again what changed (`missed`).
            SubscriptionLifecycle {
                /// The subscription's id.
                subscription_id: Option<String>,
                /// What happened to it.
                event: LifecycleEventType,
                /// The notification.
                notification: Box<ChangeNotification>,
            },
            /// Something the tracker did not understand, with why: the notification is kept.
            Unhandled {
                /// Why.
                reason: String,
                /// The notification (with only the resource not understood, when it had others).
                notification: Box<CommsNotification>,
            },
        }

        impl Event {
            /// The event's name, as `msgraph-comms track --json` writes it: `callCreated`,
            /// `participantChanged`, `unhandled` …
            pub fn kind(&self) -> &'static str {
                match self {
                    Event::CallCreated { .. } => "callCreated",
                    Event::CallStateChanged { .. } => "callStateChanged",
                    Event::CallTerminated { .. } => "callTerminated",
                    Event::ParticipantJoined { .. } => "participantJoined",
                    Event::ParticipantLeft { .. } => "participantLeft",
                    Event::ParticipantChanged { .. } => "participantChanged",
                    Event::RosterMayBeStale { .. } => "rosterMayBeStale",
                    Event::RosterDeltaSkipped { .. } => "rosterDeltaSkipped",
                    Event::OperationCompleted { .. } => "operationCompleted",
                    Event::OperationFailed { .. } => "operationFailed",
                    Event::ResourceChanged { .. } => "resourceChanged",
                    Event::SubscriptionLifecycle { .. } => "subscriptionLifecycle",
                    Event::Unhandled { .. } => "unhandled",
                }
            }
        }

        /// A live call that needs a `keepAlive` ([`Tracker::keep_alives_due`]).
        #[derive(Clone, Debug, PartialEq, Eq)]
        pub struct KeepAliveDue<'a> {
            /// The call's id.
            pub call_id: &'a str,
            /// When it is due: its last `keepAlive` (or when the tracker first saw the call) and
            /// the interval; `None` when the tracker knows neither (send one now).
            pub due: Option<SystemTime>,
        }

        #[derive(Clone, Debug, Default)]
        struct TrackedCall {
            /// The call's id as the tracker first saw it.
            id: String,
            call: Call,
            roster: Roster,
            /// When the tracker first saw it, if it was told the time.
            since: Option<SystemTime>,
            /// When the bot last sent it a `keepAlive`.
            keep_alive: Option<SystemTime>,
            /// Whether it ended, and when (if the tracker was told the time).
            ended: Option<Option<SystemTime>>,
        }

        /// A call's roster, by participant key, in the order they joined.
        #[derive(Clone, Debug, Default)]
        struct Roster {
            members: OrderedMap<ParticipantKey, Member>,
            /// How many updates it has had: who an update does not list still has the
            /// number of an earlier one.
            updates: u64,
            /// The sequence number of the last delta applied.
            sequence: Option<i64>,
            /// Who left (reported once), until they join again.
            departed: HashSet<ParticipantKey>,
        }

        #[derive(Clone, Debug)]
        struct Member {
            // Boxed as it came: a roster moves participants around without copying them.
            participant: Box<Participant>,
            /// The last roster update that listed the participant.
            listed_in: u64,
        }

        /// How a roster notification is read.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        enum Reading {
            /// The whole current roster: who is missing left (as the settings say).
            Whole,
            /// What changed: only who is listed changes, a `removedState` means left.
            Delta,
            /// Participants deleted.
            Deleted,
        }

        /// The calls, rosters and pending operations of a bot.
        ///
        /// Its work is proportional to what comes and what changes: calls, participants and
        /// operations are found by key (ids in any of Graph's GUID spellings are one key), a
        /// whole-roster update is one pass over the roster, a delta one pass over what it
        /// lists, and events are built only for what changed.
        ///
        /// Roster semantics, as the docs pages show them and as the .NET Communications SDK
        /// applies them: a roster update (`…/participants` with an array) lists the whole
        /// current roster, so who is missing from it left ([`Settings::roster_is_complete`]);
        /// for a call with delta rosters (`callOptions.isDeltaRosterEnabled`, else
        /// [`Settings::delta_rosters`]) and for a `deltaParticipants` resource, only who is
        /// listed changes, one with a `removedState` left, and deltas apply in the order of
        /// their sequence numbers (`sequenceNumber`, else the participants'
        /// `rosterSequenceNumber`): an older or repeated one is skipped, a gap is
        /// [`Event::RosterMayBeStale`]. A `deleted` notification removes what it lists. A
        /// participant is known by its `id`, or by its identity when the roster says `"id":
        /// null` (guests, phone participants). Whatever the tracker does not understand is an
        /// [`Event::Unhandled`]: nothing is dropped silently.
        ///
        /// Time is always an argument (`…_at`, [`Tracker::keep_alives_due`],
        /// [`Tracker::expire`]): the tracker reads no clock. Its whole state saves to JSON and
        /// restores ([`Tracker::save`], [`Tracker::restore`]).
        #[derive(Clone, Debug, Default)]
        pub struct Tracker {
            settings: Settings,
            calls: OrderedMap<IdKey, TrackedCall>,
            /// Operations the bot started: (id, label).
            pending: OrderedMap<IdKey, (String, String)>,
            /// The latest time the bot gave.
            now: Option<SystemTime>,
        }

        impl Tracker {
            /// A tracker with `settings`.
            pub fn new(settings: Settings) -> Self {
                Tracker { settings, ..Tracker::default() }
            }

            /// Its settings.
            pub fn settings(&self) -> &Settings {
                &self.settings
            }

            /// The call `id` (any GUID spelling), as merged so far; an ended call until it is
            /// forgotten.
            pub fn call(&self, id: &str) -> Option<&Call> {
                self.calls.get(&IdKey::new(id)).map(|tracked| &tracked.call)
            }

            /// Whether call `id` has ended (and is still kept).
            pub fn has_ended(&self, id: &str) -> bool {
                self.calls.get(&IdKey::new(id)).is_some_and(|tracked| tracked.ended.is_some())
            }

            /// The ids of the calls the tracker keeps, ended ones too, in the order it learnt of
            /// them, spelled as it first saw them.
            pub fn call_ids(&self) -> impl Iterator<Item = &str> {
                self.calls.values().map(|tracked| tracked.id.as_str())
            }

            /// The ids of the calls that have not ended.
            pub fn live_call_ids(&self) -> impl Iterator<Item = &str> {
                self.calls.values().filter(|tracked| tracked.ended.is_none()).map(|tracked| tracked.id.as_str())
            }

            /// The roster of call `id`, in the order the participants joined.
            pub fn participants(&self, id: &str) -> impl Iterator<Item = &Participant> {
                let members = self.calls.get(&IdKey::new(id)).map(|tracked| &tracked.roster.members);
                members.into_iter().flat_map(|members| members.values().map(|m| &*m.participant))
            }

            /// Forgets call `id` (an ended one, usually): whether it was kept.
            pub fn forget(&mut self, id: &str) -> bool {
                self.calls.remove(&IdKey::new(id)).is_some()
            }

            /// Forgets the calls that ended at least [`Settings::keep_ended_for`] before `now`,
            /// and gives their ids. A call that ended while the tracker had not been told the
            /// time counts as ending now.
            pub fn expire(&mut self, now: SystemTime) -> Vec<String> {
                self.tell_time(now);
                let keep = self.settings.keep_ended_for;
                for tracked in self.calls_mut() {
                    if let Some(ended @ None) = &mut tracked.ended {
                        *ended = Some(now);
                    }
                }
                let expired = |tracked: &TrackedCall| {
                    matches!(tracked.ended, Some(Some(at)) if now.duration_since(at).is_ok_and(|d| d >= keep))
                };
                self.calls.remove_where(expired).into_iter().map(|(_, tracked)| tracked.id).collect()
            }

            /// Registers an operation the bot started (the answer of its request, of any
            /// operation type), so that its completion comes with `label`. One that has already
            /// ended (`completed` or `failed`) gives its event now; one without an id cannot be
            /// matched, and is not kept.
            pub fn register_operation(
                &mut self,
                operation: impl Into<AnyCommsOperation>,
                label: impl Into<String>,
            ) -> Vec<Event> {
                let operation = operation.into();
                let label = label.into();
                let mut events = Vec::new();
                match operation.status().value() {
                    Some(OperationStatus::Completed) => {
                        events.push(Event::OperationCompleted { call_id: None, operation, label: Some(label) })
                    }
                    Some(OperationStatus::Failed) => {
                        events.push(Event::OperationFailed { call_id: None, operation, label: Some(label) })
                    }
                    _ => {
                        if let Some(id) = operation.id().value() {
                            self.pending.insert(IdKey::new(id), (id.clone(), label));
                        }
                    }
                }
                events
            }

            /// The operations registered and not yet completed or failed: (id, label), in the
            /// order they were registered.
            pub fn pending_operations(&self) -> Vec<(&str, &str)> {
                let mut pending = Vec::with_capacity(self.pending.len());
                pending.extend(self.pending.values().map(|(id, label)| (id.as_str(), label.as_str())));
                pending
            }

            /// Records that the bot sent call `id` a `keepAlive` at `at`: whether the tracker
            /// keeps that call.
            pub fn keep_alive_sent(&mut self, id: &str, at: SystemTime) -> bool {
                self.tell_time(at);
                match self.calls.get_mut(&IdKey::new(id)) {
                    Some(tracked) => {
                        tracked.keep_alive = Some(tracked.keep_alive.map_or(at, |last| last.max(at)));
                        true
                    }
                    None => false,
                }
            }

            /// Records a request the bot sent at `at`: a `keepAlive` of a call
            /// (`call::KeepAlive`) counts as [`Tracker::keep_alive_sent`]; any other request
            /// changes nothing. Whether it was a keep-alive of a call the tracker keeps.
            #[cfg(feature = "requests")]
            pub fn request_sent<R: crate::odata::Request>(&mut self, request: &R, at: SystemTime) -> bool {
                let Ok(path) = request.path() else { return false };
                let Some(found) = crate::$api::router().route(R::METHOD, &path) else { return false };
                if !found.route.template.ends_with("/keepAlive") {
                    return false;
                }
                match found.keys.iter().find(|(key, _)| key.as_str() == "call-id") {
                    Some((_, id)) => {
                        let id = id.clone();
                        self.keep_alive_sent(&id, at)
                    }
                    None => false,
                }
            }

            /// The live calls whose `keepAlive` is due by `by`, soonest first: each one's last
            /// keep-alive (or the time the tracker first saw it) plus
            /// [`Settings::keep_alive_every`]. A call with neither is due now (`due: None`).
            pub fn keep_alives_due(&self, by: SystemTime) -> Vec<KeepAliveDue<'_>> {
                let every = self.settings.keep_alive_every();
                let mut due: Vec<KeepAliveDue<'_>> = self
                    .calls
                    .values()
                    .filter(|tracked| tracked.ended.is_none())
                    .map(|tracked| KeepAliveDue {
                        call_id: tracked.id.as_str(),
                        due: tracked.keep_alive.or(tracked.since).map(|last| last + every),
                    })
                    .filter(|call| call.due.is_none_or(|due| due <= by))
                    .collect();
                due.sort_by_key(|call| call.due);
                due
            }

            /// Takes in a call the bot got back from its own request (a created call), as
            /// a `created` notification would.
            pub fn observe_call(&mut self, call: Call) -> Vec<Event> {
                let mut events = Vec::new();
                let id = call.id.value().cloned();
                self.call_update(id, call, &mut events);
                events
            }

            /// Takes in the participants of call `id` as the bot read them (`GET
            /// …/participants`, after [`Event::RosterMayBeStale`]): the whole roster.
            pub fn observe_roster(&mut self, id: &str, participants: Vec<Participant>) -> Vec<Event> {
                let mut events = Vec::new();
                let listed = participants.into_iter().map(Box::new).collect();
                self.roster(id, listed, Reading::Whole, None, &mut events);
                events
            }

            /// Takes in a webhook body, and says what changed.
            pub fn process(&mut self, mut body: CommsNotifications) -> Vec<Event> {
                let mut events = Vec::new();
                for notification in body.value.take().into_value().unwrap_or_default() {
                    self.notification(notification, &mut events);
                }
                events
            }

            /// [`Tracker::process`] of a body received at `now`: calls first seen then are
            /// due a keep-alive an interval later, and calls that end then expire from it.
            pub fn process_at(&mut self, body: CommsNotifications, now: SystemTime) -> Vec<Event> {
                self.tell_time(now);
                self.process(body)
            }

            /// Takes in the notifications of a change notification delivery (of subscriptions
            /// on call records, presence, meetings …) that passed its checks, and says what
            /// each names, in order. Only the checks make a [`Checked`]: check the delivery
            /// first, with its validation tokens when it carries resource data
            /// (`ChangeNotificationCollection::check_with_tokens`, cargo feature `jwt`);
            /// the rejected notifications are left out.
            pub fn process_changes(&mut self, checked: &Checked<'_, ChangeNotification>) -> Vec<Event> {
                checked
                    .notifications()
                    .map(|notification| match notification.lifecycle_event.value() {
                        Some(event) => Event::SubscriptionLifecycle {
                            subscription_id: notification.subscription_id.value().map(|id| id.as_str().to_owned()),
                            event: event.clone(),
                            notification: Box::new(notification.clone()),
                        },
                        None => Event::ResourceChanged {
                            change_type: notification.change_type.value().cloned(),
                            resource_type: notification.resource_type(),
                            resource_id: notification.resource_id(),
                            notification: Box::new(notification.clone()),
                        },
                    })
                    .collect()
            }

            /// The whole state as JSON: the settings, each call as Graph sent it (merged) with its
            /// roster, its delta sequence, keep-alive and end times, and the pending operations;
            /// versioned ([`SAVED_VERSION`]). [`Tracker::restore`]
            /// gives back a tracker that goes on as this one would.
            pub fn save(&self) -> Value {
                let calls: Vec<Value> = self.calls.values().map(save_call).collect();
                let pending: Vec<Value> =
                    self.pending.values().map(|(id, label)| json!({"id": id, "label": label})).collect();
                let s = &self.settings;
                json!({
                    "version": saved::VERSION,
                    "api": stringify!($api),
                    "settings": {
                        "rosterIsComplete": s.roster_is_complete,
                        "deltaRosters": s.delta_rosters,
                        "keepAliveIntervalNs": saved::duration(s.keep_alive_interval),
                        "keepEndedForNs": saved::duration(s.keep_ended_for),
                    },
                    "now": saved::time(self.now),
                    "calls": calls,
                    "pendingOperations": pending,
                })
            }

            /// A tracker from what [`Tracker::save`] gave, or why it cannot be one (another
            /// version or API, a missing or mistyped member, with its JSON path).
            pub fn restore(saved: &Value) -> Result<Tracker, RestoreError> {
                let root = saved::Reader::root(saved)?;
                let version = root.u64("version")?;
                if version != saved::VERSION {
                    return Err(root.error("version", format!("version {version}, this tracker reads {}", saved::VERSION)));
                }
                let api = root.str("api")?;
                if api != stringify!($api) {
                    return Err(root.error("api", format!("saved by the `{api}` tracker, not `{}`", stringify!($api))));
                }
                let s = root.object("settings")?;
                let settings = Settings {
                    roster_is_complete: s.bool("rosterIsComplete")?,
                    delta_rosters: s.bool("deltaRosters")?,
                    keep_alive_interval: s.duration("keepAliveIntervalNs")?,
                    keep_ended_for: s.duration("keepEndedForNs")?,
                };
                let mut tracker = Tracker { settings, now: root.time("now")?, ..Tracker::default() };
                for call in root.array("calls")? {
                    let tracked = restore_call(&call)?;
                    tracker.calls.insert(IdKey::new(&tracked.id), tracked);
                }
                for operation in root.array("pendingOperations")? {
                    let (id, label) = (operation.str("id")?, operation.str("label")?);
                    tracker.pending.insert(IdKey::new(id), (id.to_owned(), label.to_owned()));
                }
                Ok(tracker)
            }

            fn tell_time(&mut self, now: SystemTime) {
                self.now = Some(self.now.map_or(now, |then| then.max(now)));
            }

            fn calls_mut(&mut self) -> impl Iterator<Item = &mut TrackedCall> {
                self.calls.values_mut()
            }

            fn notification(&mut self, mut notification: CommsNotification, events: &mut Vec<Event>) {
                let unhandled =
                    |reason: String, n: CommsNotification| Event::Unhandled { reason, notification: Box::new(n) };
                let change = notification.change_type.value().cloned();
                // The URL routed once: the ids, whether it names a roster, and the type of
                // what it names.
                let target = notification.target();
                let call_id = target.as_ref().and_then(|t| t.call_id());
                let participant_id = target.as_ref().and_then(|t| t.participant_id());
                let operation_id = target.as_ref().and_then(|t| t.operation_id());
                let is_roster = target.as_ref().is_some_and(|t| t.is_roster());
                let resource_type = target.as_ref().and_then(|t| t.resource_type());
                // Untagged resources typed from their URL; those that do not decode stay as
                // they came and are reported below as not understood.
                if let Some(name) = resource_type {
                    notification.type_resources_as(name);
                }
                let deleted = change == Some(ChangeType::Deleted);
                let data = match notification.resource_data.take() {
                    Field::Value(data) => data,
                    other => {
                        notification.resource_data = other;
                        // A deleted call needs no data.
                        if deleted
                            && let Some(id) = call_id.filter(|_| participant_id.is_none() && operation_id.is_none())
                        {
                            self.call_ended(&id, None, events);
                            return;
                        }
                        events.push(unhandled("no resourceData".into(), notification));
                        return;
                    }
                };
                let items: Vec<AnyEntity> = match data {
                    crate::odata::OneOrMany::One(item) => vec![item],
                    crate::odata::OneOrMany::Many(items) => items,
                };
                // Late news of a call that has ended changes nothing: it is said, not applied.
                let ended = call_id.as_deref().is_some_and(|id| self.has_ended(id));
                if ended && !(deleted && participant_id.is_none() && operation_id.is_none()) {
                    let mut kept = notification;
                    kept.resource_data = Field::Value(crate::odata::OneOrMany::Many(items));
                    events.push(unhandled("a notification of a call that has ended".into(), kept));
                    return;
                }
                let mut roster = Vec::new();
                // A `deltaParticipants` is the roster update: an empty list beside it is not one.
                let mut had_delta = false;
                for item in items {
                    match item {
                        AnyEntity::Call(call) => match deleted {
                            true => {
                                let id = call.id.value().cloned().or(call_id.clone()).unwrap_or_default();
                                self.call_merge(&id, *call, events);
                                self.call_ended(&id, None, events);
                            }
                            false => self.call_update(call.id.value().cloned().or(call_id.clone()), *call, events),
                        },
                        AnyEntity::Participant(participant) => roster.push(participant),
                        other if is_delta_participants(&other) => {
                            had_delta = true;
                            self.delta_resource(call_id.as_deref(), deleted, &notification, other, events);
                        }
                        other => match AnyCommsOperation::try_from(other) {
                            Ok(operation) => self.operation(
                                call_id.clone(),
                                operation_id.as_deref(),
                                &notification,
                                operation,
                                events,
                            ),
                            Err(other) => {
                                let mut kept = notification.clone();
                                kept.resource_data = Field::Value(crate::odata::OneOrMany::One(other));
                                events.push(unhandled("a resource the tracker does not follow".into(), kept));
                            }
                        },
                    }
                }
                if roster.is_empty() && (!is_roster || had_delta) {
                    return;
                }
                let Some(call_id) = call_id else {
                    let mut kept = notification;
                    kept.resource_data = Field::Value(crate::odata::OneOrMany::Many(
                        roster.into_iter().map(AnyEntity::Participant).collect(),
                    ));
                    events.push(unhandled("participants without a call in resourceUrl".into(), kept));
                    return;
                };
                let reading = match (deleted, is_roster && self.delta_rosters(&call_id)) {
                    (true, _) => Reading::Deleted,
                    (false, true) => Reading::Delta,
                    (false, false) if is_roster && self.settings.roster_is_complete => Reading::Whole,
                    // A partial roster, or one participant: only who is listed changes.
                    (false, false) => Reading::Delta,
                };
                // In a delta, the participants' own sequence numbers order it.
                let sequence = match reading {
                    Reading::Delta if is_roster && self.delta_rosters(&call_id) => {
                        roster.iter().filter_map(|p| roster_sequence_number(p)).max()
                    }
                    _ => None,
                };
                self.roster(&call_id, roster, reading, sequence, events);
            }

            /// Applies a `deltaParticipants` resource to the roster of the call its URL names.
            fn delta_resource(
                &mut self,
                call_id: Option<&str>,
                deleted: bool,
                notification: &CommsNotification,
                resource: AnyEntity,
                events: &mut Vec<Event>,
            ) {
                let why = match (call_id, delta_participants(&resource)) {
                    (Some(call_id), Ok((sequence, listed))) => {
                        let reading = if deleted { Reading::Deleted } else { Reading::Delta };
                        return self.roster(call_id, listed, reading, sequence, events);
                    }
                    (None, _) => "a roster delta without a call in resourceUrl".to_owned(),
                    (_, Err(why)) => format!("a roster delta that does not read: {why}"),
                };
                let mut kept = notification.clone();
                kept.resource_data = Field::Value(crate::odata::OneOrMany::One(resource));
                events.push(Event::Unhandled { reason: why, notification: Box::new(kept) });
            }

            /// Whether call `id`'s roster updates are deltas: what the call said
            /// (`callOptions.isDeltaRosterEnabled`), else the setting.
            fn delta_rosters(&self, id: &str) -> bool {
                let said = self.calls.get(&IdKey::new(id)).and_then(|tracked| delta_roster_option(&tracked.call));
                said.unwrap_or(self.settings.delta_rosters)
            }

            /// Starts keeping call `id` (its first value `call`); says so.
            fn create(&mut self, key: IdKey, id: &str, mut call: Call, events: &mut Vec<Event>) -> &mut TrackedCall {
                if call.id.is_absent() {
                    call.id = Field::Value(id.to_owned());
                }
                events.push(Event::CallCreated { call_id: id.to_owned(), call: Box::new(call.clone()) });
                let tracked = TrackedCall { id: id.to_owned(), call, since: self.now, ..TrackedCall::default() };
                self.calls.insert(key, tracked)
            }

            fn tracked(&mut self, id: &str, events: &mut Vec<Event>) -> &mut TrackedCall {
                let key = IdKey::new(id);
                if self.calls.get(&key).is_none() {
                    return self.create(key, id, Call::default(), events);
                }
                self.calls.get_mut(&key).expect("the call is there")
            }

            /// Merges what a deletion says of a call into the call kept, if it is kept; the id
            /// keeps its first spelling.
            fn call_merge(&mut self, id: &str, mut call: Call, events: &mut Vec<Event>) {
                let tracked = self.tracked(id, events);
                call.id = Field::Absent;
                // The state is the ending's to set, and to say it changed.
                call.state = Field::Absent;
                tracked.call.merge(call);
            }

            fn call_update(&mut self, id: Option<String>, mut call: Call, events: &mut Vec<Event>) {
                let Some(id) = id else {
                    let notification = CommsNotification {
                        resource_data: Field::Value(crate::odata::OneOrMany::One(call.into())),
                        ..CommsNotification::default()
                    };
                    events.push(Event::Unhandled {
                        reason: "a call without an id".into(),
                        notification: Box::new(notification),
                    });
                    return;
                };
                let key = IdKey::new(&id);
                let (call_id, kept, from, created) = match self.calls.get_mut(&key) {
                    Some(tracked) => {
                        let from = tracked.call.state.value().cloned();
                        // The id as first seen.
                        call.id = Field::Absent;
                        tracked.call.merge(call);
                        (tracked.id.clone(), &tracked.call, from, false)
                    }
                    None => {
                        let tracked = self.create(key, &id, call, events);
                        (tracked.id.clone(), &tracked.call, None, true)
                    }
                };
                // A call that starts incoming or establishing is just created.
                let starting = |to: &CallState| created && matches!(to, CallState::Incoming | CallState::Establishing);
                let Some(to) = kept.state.value().filter(|to| Some(*to) != from.as_ref() && !starting(to)).cloned()
                else {
                    return;
                };
                let terminated = to == CallState::Terminated;
                events.push(Event::CallStateChanged { call_id: call_id.clone(), from, to });
                if terminated {
                    self.call_ended(&call_id, None, events);
                }
            }

            /// Ends call `id`, once: its state `terminated` (with `CallStateChanged` if it was
            /// not), a `ParticipantLeft` for each one still in its roster, then
            /// `CallTerminated` with the call as it was last. The call is kept, ended.
            fn call_ended(&mut self, id: &str, result_info: Option<ResultInfo>, events: &mut Vec<Event>) {
                let now = self.now;
                let tracked = self.tracked(id, events);
                if tracked.ended.is_some() {
                    return;
                }
                tracked.ended = Some(now);
                let from = tracked.call.state.value().cloned();
                if from != Some(CallState::Terminated) {
                    tracked.call.state = Field::Value(CallState::Terminated);
                    events.push(Event::CallStateChanged {
                        call_id: tracked.id.clone(),
                        from,
                        to: CallState::Terminated,
                    });
                }
                let roster = &mut tracked.roster;
                for (key, member) in roster.members.remove_where(|_| true) {
                    roster.departed.insert(key);
                    events.push(Event::ParticipantLeft { call_id: tracked.id.clone(), participant: member.participant });
                }
                if let Some(info) = &result_info {
                    tracked.call.result_info = Field::Value(info.clone());
                }
                events.push(Event::CallTerminated {
                    call_id: tracked.id.clone(),
                    result_info: result_info.or_else(|| tracked.call.result_info.value().cloned()),
                    call: Box::new(tracked.call.clone()),
                });
            }

            /// Applies a roster notification in one pass over what it lists; a whole roster
            /// then removes, in one more pass, who it did not list. A delta with a sequence
            /// number applies only after the last one applied.
            fn roster(
                &mut self,
                call_id: &str,
                listed: Vec<Box<Participant>>,
                reading: Reading,
                sequence: Option<i64>,
                events: &mut Vec<Event>,
            ) {
                let tracked = self.tracked(call_id, events);
                let call_id = tracked.id.clone();
                let roster = &mut tracked.roster;
                if let Some(sequence) = sequence {
                    match roster.sequence {
                        Some(applied) if sequence <= applied => {
                            events.push(Event::RosterDeltaSkipped { call_id, sequence, applied });
                            return;
                        }
                        Some(applied) if sequence > applied + 1 => events.push(Event::RosterMayBeStale {
                            call_id: call_id.clone(),
                            expected: applied + 1,
                            received: sequence,
                        }),
                        _ => {}
                    }
                    roster.sequence = Some(sequence);
                }
                roster.updates += 1;
                let update = roster.updates;
                for mut participant in listed {
                    let key = ParticipantKey::of(&participant);
                    let leaving = match reading {
                        Reading::Deleted => true,
                        Reading::Delta => has_removed_state(&participant),
                        Reading::Whole => false,
                    };
                    match (roster.members.get_mut(&key), leaving) {
                        (Some(_), true) => {
                            let (key, mut member) = roster.members.remove(&key).expect("the participant is there");
                            // What the delta says of the leaving (its `removedState`) is kept.
                            keep_first_id(&member.participant, &mut participant);
                            (*member.participant).merge(*participant);
                            roster.departed.insert(key);
                            events.push(Event::ParticipantLeft { call_id: call_id.clone(), participant: member.participant });
                        }
                        (None, true) => {
                            // Reported once, even when Graph says it again.
                            if roster.departed.insert(key) {
                                events.push(Event::ParticipantLeft { call_id: call_id.clone(), participant });
                            }
                        }
                        (Some(member), false) => {
                            member.listed_in = update;
                            keep_first_id(&member.participant, &mut participant);
                            let changed = merge_changes(&mut member.participant, *participant);
                            if !changed.is_empty() {
                                events.push(Event::ParticipantChanged {
                                    call_id: call_id.clone(),
                                    changed,
                                    participant: member.participant.clone(),
                                });
                            }
                        }
                        (None, false) => {
                            roster.departed.remove(&key);
                            events.push(Event::ParticipantJoined {
                                call_id: call_id.clone(),
                                participant: participant.clone(),
                            });
                            roster.members.insert(key, Member { participant, listed_in: update });
                        }
                    }
                }
                if reading == Reading::Whole {
                    for (key, member) in roster.members.remove_where(|m| m.listed_in != update) {
                        roster.departed.insert(key);
                        events.push(Event::ParticipantLeft { call_id: call_id.clone(), participant: member.participant });
                    }
                }
            }

            fn operation(
                &mut self,
                call_id: Option<String>,
                url_id: Option<&str>,
                notification: &CommsNotification,
                mut operation: AnyCommsOperation,
                events: &mut Vec<Event>,
            ) {
                // A completion may carry no id: it is in the URL.
                if operation.id().is_absent()
                    && let Some(id) = url_id
                {
                    *operation.id_mut() = Field::Value(id.to_owned());
                }
                // The call's id as first seen.
                let call_id = call_id.map(|id| self.calls.get(&IdKey::new(&id)).map_or(id, |tracked| tracked.id.clone()));
                let done =
                    matches!(operation.status().value(), Some(OperationStatus::Completed | OperationStatus::Failed));
                let label = operation.id().value().map(|id| IdKey::new(id)).and_then(|key| match done {
                    true => self.pending.remove(&key).map(|(_, (_, label))| label),
                    false => self.pending.get(&key).map(|(_, label)| label.clone()),
                });
                match operation.status().value() {
                    Some(OperationStatus::Completed) => events.push(Event::OperationCompleted { call_id, operation, label }),
                    Some(OperationStatus::Failed) => events.push(Event::OperationFailed { call_id, operation, label }),
                    _ => {
                        let mut kept = notification.clone();
                        kept.resource_data = Field::Value(crate::odata::OneOrMany::One(operation.into()));
                        events.push(Event::Unhandled {
                            reason: "an operation that is neither completed nor failed".into(),
                            notification: Box::new(kept),
                        });
                    }
                }
            }
        }

        /// A participant's key: its `id`, else its identity (as JSON), for rosters that say
        /// `"id": null` (guests, phone participants).
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        enum ParticipantKey {
            Id(IdKey),
            Identity(String),
        }

        impl ParticipantKey {
            fn of(participant: &Participant) -> Self {
                match participant.id.value() {
                    Some(id) => ParticipantKey::Id(IdKey::new(id)),
                    None => {
                        let identity = participant.info.value().map(|info| &info.identity);
                        ParticipantKey::Identity(serde_json::to_string(&identity).unwrap_or_default())
                    }
                }
            }

            fn save(&self) -> Value {
                match self {
                    ParticipantKey::Id(id) => json!({"id": id.to_string()}),
                    ParticipantKey::Identity(identity) => json!({"identity": identity}),
                }
            }

            fn restore(saved: &saved::Reader<'_>) -> Result<Self, RestoreError> {
                match saved.optional_str("id")? {
                    Some(id) => Ok(ParticipantKey::Id(IdKey::new(id))),
                    None => Ok(ParticipantKey::Identity(saved.str("identity")?.to_owned())),
                }
            }
        }

        /// `participant` with the `id` spelling of `kept`, when both name the same id.
        fn keep_first_id(kept: &Participant, participant: &mut Participant) {
            if let (Some(first), Some(id)) = (kept.id.value(), participant.id.value())
                && first != id
            {
                participant.id = Field::Value(first.clone());
            }
        }

        /// Whether a resource is a `deltaParticipants` (typed, or of a schema without it).
        fn is_delta_participants(item: &AnyEntity) -> bool {
            let tag = crate::odata::Polymorphic::default_tag(item)
                .or_else(|| item.extras().get(ODATA_TYPE).and_then(Value::as_str));
            tag.is_some_and(|tag| {
                let name = tag.trim_start_matches('#');
                name == "microsoft.graph.deltaParticipants" || name == "graph.deltaParticipants"
            })
        }

        /// A `deltaParticipants`' sequence number and participants, read through its JSON so
        /// that a schema without the type reads it too.
        fn delta_participants(item: &AnyEntity) -> Result<(Option<i64>, Vec<Box<Participant>>), String> {
            let Value::Object(mut delta) = serde_json::to_value(item).map_err(|e| e.to_string())? else {
                return Err("not an object".into());
            };
            let sequence = delta.get("sequenceNumber").map(saved::integer).transpose().map_err(|e| format!("sequenceNumber: {e}"))?;
            let participants = match delta.remove("participants") {
                None | Some(Value::Null) => Vec::new(),
                Some(value) => serde_json::from_value::<Vec<Box<Participant>>>(value).map_err(|e| format!("participants: {e}"))?,
            };
            Ok((sequence, participants))
        }

        /// What a call says of delta rosters: `callOptions.isDeltaRosterEnabled`.
        fn delta_roster_option(call: &Call) -> Option<bool> {
            let options = call.call_options.value()?;
            match serde_json::to_value(options) {
                Ok(Value::Object(map)) => map.get("isDeltaRosterEnabled").and_then(Value::as_bool),
                _ => None,
            }
        }

        /// Merges `partial` into `kept`, and gives the JSON names of the properties that
        /// changed. Most participants of a whole-roster update are as they were: that is
        /// found without copying them, and they are left as they were (equal to what came;
        /// enum values keep the spelling they first came in).
        fn merge_changes(kept: &mut Participant, partial: Participant) -> Vec<String> {
            if changes_nothing(kept.diff(&partial)) {
                return Vec::new();
            }
            // Something differs, or a nested value is partial: what merging changes.
            let old = kept.clone();
            kept.merge(partial);
            property_names(&old.diff(kept))
        }

        /// Whether a partial value has no property, only its type.
        fn changes_nothing(partial: Participant) -> bool {
            let only_tag = partial.extras.iter().all(|(key, _)| key == ODATA_TYPE);
            only_tag && Participant { extras: crate::odata::Extras::new(), ..partial } == Participant::default()
        }

        /// The JSON names of the properties a partial value has, but its type.
        fn property_names(partial: &Participant) -> Vec<String> {
            match serde_json::to_value(partial) {
                Ok(Value::Object(keys)) => keys.into_iter().map(|(k, _)| k).filter(|k| k != ODATA_TYPE).collect(),
                _ => Vec::new(),
            }
        }

        fn save_call(tracked: &TrackedCall) -> Value {
            let roster = &tracked.roster;
            let members: Vec<Value> = roster
                .members
                .iter()
                .map(|(_, member)| json!({"participant": &*member.participant, "listedIn": member.listed_in}))
                .collect();
            let mut departed: Vec<Value> = roster.departed.iter().map(ParticipantKey::save).collect();
            // A set: saved in a stable order.
            departed.sort_by_key(|key| key.to_string());
            let mut call = Map::new();
            call.insert("id".into(), json!(tracked.id));
            call.insert("call".into(), serde_json::to_value(&tracked.call).unwrap_or(Value::Null));
            call.insert("roster".into(), Value::Array(members));
            call.insert("rosterUpdates".into(), json!(roster.updates));
            call.insert("rosterSequence".into(), json!(roster.sequence));
            call.insert("departed".into(), Value::Array(departed));
            call.insert("since".into(), saved::time(tracked.since));
            call.insert("keepAlive".into(), saved::time(tracked.keep_alive));
            call.insert("ended".into(), json!(tracked.ended.is_some()));
            call.insert("endedAt".into(), saved::time(tracked.ended.flatten()));
            Value::Object(call)
        }

        fn restore_call(saved: &saved::Reader<'_>) -> Result<TrackedCall, RestoreError> {
            let call: Call = saved.decode("call")?;
            let mut roster = Roster {
                updates: saved.u64("rosterUpdates")?,
                sequence: saved.optional_i64("rosterSequence")?,
                ..Roster::default()
            };
            for member in saved.array("roster")? {
                let participant: Box<Participant> = member.decode("participant")?;
                let key = ParticipantKey::of(&participant);
                roster.members.insert(key, Member { participant, listed_in: member.u64("listedIn")? });
            }
            for key in saved.array("departed")? {
                roster.departed.insert(ParticipantKey::restore(&key)?);
            }
            let ended = match saved.bool("ended")? {
                true => Some(saved.time("endedAt")?),
                false => None,
            };
            Ok(TrackedCall {
                id: saved.str("id")?.to_owned(),
                call,
                roster,
                since: saved.time("since")?,
                keep_alive: saved.time("keepAlive")?,
                ended,
            })
        }
    };
}

pub(crate) use tracker;
