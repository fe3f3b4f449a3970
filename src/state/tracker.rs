//! The call-state tracker, for each API (`v1_0::tracker`), with the cargo feature `tracker`.

macro_rules! tracker {
    ($api:ident) => {
        /// A call-state tracker: what a calling bot keeps from its notifications (cargo feature
        /// `tracker`). Feed it webhook bodies (and the answers of the bot's own requests); it
        /// keeps the calls, their rosters and the operations the bot started, merges each
        /// partial resource in ([`Merge`](crate::odata::Merge)), and says what changed as
        /// [`Event`](tracker::Event)s, in order.
        ///
        /// Roster semantics, as the docs pages show them and as the .NET Communications SDK applies
        /// them: a roster update (`…/participants` with an array) lists the whole current roster, so
        /// who is missing from it left ([`Settings::roster_is_complete`](tracker::Settings::roster_is_complete), on by default); a `deleted`
        /// notification removes what it lists. A participant is known by its `id`, or by its identity
        /// when the roster says `"id": null`. Whatever the tracker does not understand is an
        /// [`Event::Unhandled`](tracker::Event::Unhandled): nothing is dropped silently.
        pub mod tracker {
            use crate::Field;
            use crate::change_notifications::Checked;
            use crate::odata::{IdKey, Merge};
            use crate::state::OrderedMap;
            use crate::$api::{
                AnyCommsOperation, AnyEntity, Call, CallState, ChangeNotification, ChangeType, CommsNotification,
                CommsNotifications, LifecycleEventType, OperationStatus, Participant, ResultInfo,
            };

            /// How the tracker reads what Graph sends.
            #[derive(Clone, Debug, PartialEq, Eq)]
            pub struct Settings {
                /// A roster update lists the whole current roster: who is missing left.
                /// (`false`: only `deleted` notifications remove participants.)
                pub roster_is_complete: bool,
            }

            impl Default for Settings {
                fn default() -> Self {
                    Settings { roster_is_complete: true }
                }
            }

            /// What changed, in the order the notifications said it.
            #[derive(Clone, Debug, PartialEq)]
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
                /// A call ended (`terminated`, or deleted), with its `resultInfo`.
                CallTerminated {
                    /// The call's id.
                    call_id: String,
                    /// Why it ended, if Graph said.
                    result_info: Option<ResultInfo>,
                },
                /// A participant joined a call's roster.
                ParticipantJoined {
                    /// The call's id.
                    call_id: String,
                    /// The participant as it came.
                    participant: Box<Participant>,
                },
                /// A participant left (missing from a complete roster, or deleted).
                ParticipantLeft {
                    /// The call's id.
                    call_id: String,
                    /// The participant as it was last.
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
                        Event::OperationCompleted { .. } => "operationCompleted",
                        Event::OperationFailed { .. } => "operationFailed",
                        Event::ResourceChanged { .. } => "resourceChanged",
                        Event::SubscriptionLifecycle { .. } => "subscriptionLifecycle",
                        Event::Unhandled { .. } => "unhandled",
                    }
                }
            }

            #[derive(Clone, Debug, Default)]
            struct TrackedCall {
                /// The call's id as the tracker first saw it.
                id: String,
                call: Call,
                roster: Roster,
            }

            /// A call's roster, by participant key, in the order they joined.
            #[derive(Clone, Debug, Default)]
            struct Roster {
                members: OrderedMap<ParticipantKey, Member>,
                /// How many updates it has had: who an update does not list still has the
                /// number of an earlier one.
                updates: u64,
            }

            #[derive(Clone, Debug)]
            struct Member {
                // Boxed as it came: a roster moves participants around without copying them.
                participant: Box<Participant>,
                /// The last roster update that listed the participant.
                listed_in: u64,
            }

            /// The calls, rosters and pending operations of a bot.
            ///
            /// Its work is proportional to what comes and what changes: calls, participants and
            /// operations are found by key (ids in any of Graph's GUID spellings are one key), a
            /// whole-roster update is one pass over the roster, and events are built only for
            /// what changed.
            #[derive(Clone, Debug, Default)]
            pub struct Tracker {
                settings: Settings,
                calls: OrderedMap<IdKey, TrackedCall>,
                /// Operations the bot started: (id, label).
                pending: OrderedMap<IdKey, (String, String)>,
            }

            impl Tracker {
                /// A tracker with `settings`.
                pub fn new(settings: Settings) -> Self {
                    Tracker { settings, ..Tracker::default() }
                }

                /// The call `id` (any GUID spelling), as merged so far.
                pub fn call(&self, id: &str) -> Option<&Call> {
                    self.calls.get(&IdKey::new(id)).map(|tracked| &tracked.call)
                }

                /// The ids of the calls the tracker keeps, in the order it learnt of them.
                pub fn call_ids(&self) -> impl Iterator<Item = &str> {
                    self.calls.values().map(|tracked| tracked.id.as_str())
                }

                /// The roster of call `id`, in the order the participants joined.
                pub fn participants(&self, id: &str) -> impl Iterator<Item = &Participant> {
                    let members = self.calls.get(&IdKey::new(id)).map(|tracked| &tracked.roster.members);
                    members.into_iter().flat_map(|members| members.values().map(|m| &*m.participant))
                }

                /// Registers an operation the bot started (the answer of its request), so that its
                /// completion comes with `label`. An operation without an id cannot be matched.
                pub fn register_operation(&mut self, operation: &AnyCommsOperation, label: impl Into<String>) {
                    if let Some(id) = operation.id().value() {
                        self.pending.insert(IdKey::new(id), (id.clone(), label.into()));
                    }
                }

                /// The operations registered and not yet completed or failed: (id, label), in the
                /// order they were registered.
                pub fn pending_operations(&self) -> Vec<(&str, &str)> {
                    let mut pending = Vec::with_capacity(self.pending.len());
                    pending.extend(self.pending.values().map(|(id, label)| (id.as_str(), label.as_str())));
                    pending
                }

                /// Takes in a call the bot got back from its own request (a created call), as
                /// a `created` notification would.
                pub fn observe_call(&mut self, call: Call) -> Vec<Event> {
                    let mut events = Vec::new();
                    let id = call.id.value().cloned();
                    self.call_update(id, call, &mut events);
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
                    let data = match notification.resource_data.take() {
                        Field::Value(data) => data,
                        other => {
                            notification.resource_data = other;
                            // A deleted call needs no data.
                            if change == Some(ChangeType::Deleted)
                                && let Some(id) = call_id.filter(|_| participant_id.is_none() && operation_id.is_none())
                            {
                                self.call_deleted(&id, None, events);
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
                    let mut roster = Vec::new();
                    for item in items {
                        match item {
                            AnyEntity::Call(call) => match change {
                                Some(ChangeType::Deleted) => {
                                    let id = call.id.value().cloned().or(call_id.clone()).unwrap_or_default();
                                    self.call_deleted(&id, call.result_info.value().cloned(), events);
                                }
                                _ => self.call_update(call.id.value().cloned().or(call_id.clone()), *call, events),
                            },
                            AnyEntity::Participant(participant) => roster.push(participant),
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
                    if roster.is_empty() && !is_roster {
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
                    let complete = is_roster && self.settings.roster_is_complete && change != Some(ChangeType::Deleted);
                    self.roster(&call_id, roster, change == Some(ChangeType::Deleted), complete, events);
                }

                /// Starts keeping call `id` (its first value `call`); says so.
                fn create(
                    &mut self,
                    key: IdKey,
                    id: &str,
                    mut call: Call,
                    events: &mut Vec<Event>,
                ) -> &mut TrackedCall {
                    if call.id.is_absent() {
                        call.id = Field::Value(id.to_owned());
                    }
                    events.push(Event::CallCreated { call_id: id.to_owned(), call: Box::new(call.clone()) });
                    self.calls.insert(key, TrackedCall { id: id.to_owned(), call, roster: Roster::default() })
                }

                fn tracked(&mut self, id: &str, events: &mut Vec<Event>) -> &mut TrackedCall {
                    let key = IdKey::new(id);
                    if self.calls.get(&key).is_none() {
                        return self.create(key, id, Call::default(), events);
                    }
                    self.calls.get_mut(&key).expect("the call is there")
                }

                fn call_update(&mut self, id: Option<String>, call: Call, events: &mut Vec<Event>) {
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
                    let (kept, from, created) = match self.calls.get_mut(&key) {
                        Some(tracked) => {
                            let from = tracked.call.state.value().cloned();
                            tracked.call.merge(call);
                            (&tracked.call, from, false)
                        }
                        None => (&self.create(key, &id, call, events).call, None, true),
                    };
                    // A call that starts incoming or establishing is just created.
                    let starting =
                        |to: &CallState| created && matches!(to, CallState::Incoming | CallState::Establishing);
                    if let Some(to) = kept.state.value().filter(|to| Some(*to) != from.as_ref() && !starting(to)) {
                        events.push(Event::CallStateChanged { call_id: id.clone(), from, to: to.clone() });
                        if *to == CallState::Terminated {
                            events.push(Event::CallTerminated {
                                call_id: id,
                                result_info: kept.result_info.value().cloned(),
                            });
                        }
                    }
                }

                fn call_deleted(&mut self, id: &str, result_info: Option<ResultInfo>, events: &mut Vec<Event>) {
                    match self.calls.remove(&IdKey::new(id)) {
                        Some((_, tracked)) => {
                            let terminated = tracked.call.state.value() == Some(&CallState::Terminated);
                            if !terminated {
                                let result_info = result_info.or_else(|| tracked.call.result_info.value().cloned());
                                events.push(Event::CallTerminated { call_id: tracked.id, result_info });
                            }
                        }
                        None => events.push(Event::CallTerminated { call_id: id.to_owned(), result_info }),
                    }
                }

                /// Applies a roster update (or a deletion of participants) in one pass over what
                /// it lists; a complete roster then removes, in one more pass, who it did not list.
                fn roster(
                    &mut self,
                    call_id: &str,
                    listed: Vec<Box<Participant>>,
                    deleted: bool,
                    complete: bool,
                    events: &mut Vec<Event>,
                ) {
                    let roster = &mut self.tracked(call_id, events).roster;
                    roster.updates += 1;
                    let update = roster.updates;
                    let call_id = call_id.to_owned();
                    for participant in listed {
                        let key = ParticipantKey::of(&participant);
                        match (roster.members.get_mut(&key), deleted) {
                            (Some(_), true) => {
                                let (_, member) = roster.members.remove(&key).expect("the participant is there");
                                events.push(Event::ParticipantLeft {
                                    call_id: call_id.clone(),
                                    participant: member.participant,
                                });
                            }
                            (None, true) => {
                                events.push(Event::ParticipantLeft { call_id: call_id.clone(), participant })
                            }
                            (Some(member), false) => {
                                member.listed_in = update;
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
                                events.push(Event::ParticipantJoined {
                                    call_id: call_id.clone(),
                                    participant: participant.clone(),
                                });
                                roster.members.insert(key, Member { participant, listed_in: update });
                            }
                        }
                    }
                    if complete {
                        for (_, member) in roster.members.remove_where(|m| m.listed_in != update) {
                            events.push(Event::ParticipantLeft {
                                call_id: call_id.clone(),
                                participant: member.participant,
                            });
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
                    let done = matches!(
                        operation.status().value(),
                        Some(OperationStatus::Completed | OperationStatus::Failed)
                    );
                    let label = operation.id().value().map(|id| IdKey::new(id)).and_then(|key| match done {
                        true => self.pending.remove(&key).map(|(_, (_, label))| label),
                        false => self.pending.get(&key).map(|(_, label)| label.clone()),
                    });
                    match operation.status().value() {
                        Some(OperationStatus::Completed) => {
                            events.push(Event::OperationCompleted { call_id, operation, label })
                        }
                        Some(OperationStatus::Failed) => {
                            events.push(Event::OperationFailed { call_id, operation, label })
                        }
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
            /// `"id": null`.
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
                let only_tag = partial.extras.iter().all(|(key, _)| key == crate::odata::ODATA_TYPE);
                only_tag && Participant { extras: crate::odata::Extras::new(), ..partial } == Participant::default()
            }

            /// The JSON names of the properties a partial value has, but its type.
            fn property_names(partial: &Participant) -> Vec<String> {
                match serde_json::to_value(partial) {
                    Ok(serde_json::Value::Object(keys)) => {
                        keys.into_iter().map(|(k, _)| k).filter(|k| k != "@odata.type").collect()
                    }
                    _ => Vec::new(),
                }
            }
        }
    };
}

pub(crate) use tracker;
