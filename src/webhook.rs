//! What a calling bot does first with a webhook body: walk its notifications and the resources
//! they carry, typed; read the ids in their `resourceUrl`s; type the resources that came
//! without `@odata.type` from the route of their URL.

macro_rules! webhook_helpers {
    ($api:ident) => {
        impl crate::$api::AnyIdentitySet {
            /// Who the set names, whichever property holds it, typed or in the extras
            /// ([`crate::odata::primary_identity`]): `participant.info.identity`'s user, phone,
            /// guest, application instance ….
            pub fn primary(&self) -> Option<crate::odata::PrimaryIdentity> {
                crate::odata::primary_identity(self)
            }
        }

        impl crate::$api::CommsNotification {
            /// The path of the resource the notification is about: `resourceUrl`, else the
            /// older `resource` (`/app/calls/…`), which earlier notifications carry instead.
            pub fn resource_path(&self) -> Option<&str> {
                self.resource_url.value().or(self.resource.value()).map(String::as_str)
            }

            /// [`resource_path`](Self::resource_path) routed (as a `GET`), once: the ids and
            /// the type of the resource, read from the same match.
            pub fn target(&self) -> Option<crate::odata::ResourceTarget<'_>> {
                Some(crate::odata::ResourceTarget::new(crate::$api::router(), self.resource_path()?))
            }

            /// The route of [`resource_path`](Self::resource_path) (read as a `GET`), with its
            /// keys: which entity the notification is about.
            pub fn resource_route(&self) -> Option<crate::odata::RouteMatch<'static>> {
                self.target()?.route().cloned()
            }

            /// The qualified name of the type of the resource the `resourceUrl` names, by its
            /// route (`microsoft.graph.participant`; of the items for a collection).
            pub fn resource_type(&self) -> Option<&'static str> {
                self.target()?.resource_type()
            }

            /// The key after the navigation segment `segment` in `resourceUrl`:
            /// `resource_key("calls")` is the call's id. (Each of these methods routes the
            /// URL: to read several, route it once with [`target`](Self::target).)
            pub fn resource_key(&self, segment: &str) -> Option<String> {
                self.target()?.key(segment)
            }

            /// The id of the call the `resourceUrl` names (after `calls`).
            pub fn call_id(&self) -> Option<String> {
                self.target()?.call_id()
            }

            /// The id of the participant the `resourceUrl` names (after `participants`).
            pub fn participant_id(&self) -> Option<String> {
                self.target()?.participant_id()
            }

            /// The id of the operation the `resourceUrl` names (after `operations`), as Graph
            /// spells it there: compare it with [`crate::odata::same_id`].
            pub fn operation_id(&self) -> Option<String> {
                self.target()?.operation_id()
            }

            /// Types the resources that came without `@odata.type` (decoded as an entity of an
            /// unknown type) as the type the route of `resourceUrl` names, in place, from
            /// their properties in memory. The resources it cannot type stay as they are, each
            /// with the error that says why.
            // Inline: it instantiates the decoding of every entity type from a JSON value,
            // which only a crate that calls it should compile.
            #[inline]
            pub fn type_resources(&mut self) -> Vec<serde_json::Error> {
                match self.resource_type() {
                    Some(name) => self.type_resources_as(name),
                    None => Vec::new(),
                }
            }

            /// [`type_resources`](Self::type_resources) as the type `name`, already known.
            #[inline]
            pub(crate) fn type_resources_as(&mut self, name: &str) -> Vec<serde_json::Error> {
                let mut errors = Vec::new();
                let crate::Field::Value(data) = &mut self.resource_data else { return errors };
                let items: &mut [crate::$api::AnyEntity] = match data {
                    crate::odata::OneOrMany::One(item) => std::slice::from_mut(item),
                    crate::odata::OneOrMany::Many(items) => items,
                };
                for item in items {
                    if matches!(item, crate::$api::AnyEntity::Unknown(_)) {
                        match crate::odata::retype(item.clone(), name) {
                            Ok(typed) => *item = typed,
                            Err(err) => errors.push(err),
                        }
                    }
                }
                errors
            }
        }

        impl crate::$api::CommsNotifications {
            /// Every resource of every notification, with the notification that carried it, in
            /// the order they came: a call whose state changed, the participants of a roster
            /// update, an operation that completed …
            ///
            /// ```
            #[doc = concat!("use msgraph_comms::", stringify!($api), "::{AnyEntity, CommsNotifications};")]
            /// let body = r##"{"value": [{"changeType": "updated", "resourceUrl": "/communications/calls/1",
            ///     "resourceData": {"@odata.type": "#microsoft.graph.call", "state": "established"}}]}"##;
            /// let webhook: CommsNotifications = serde_json::from_str(body).unwrap();
            /// for (notification, resource) in webhook.resources() {
            ///     if let AnyEntity::Call(call) = resource {
            ///         println!("{:?}: call {:?}", notification.change_type, call.state);
            ///     }
            /// }
            /// ```
            pub fn resources(
                &self,
            ) -> impl Iterator<Item = (&crate::$api::CommsNotification, &crate::$api::AnyEntity)> {
                self.value.value().into_iter().flatten().flat_map(|notification| {
                    notification
                        .resource_data
                        .value()
                        .into_iter()
                        .flatten()
                        .map(move |resource| (notification, resource))
                })
            }
        }
    };
}

webhook_helpers!(v1_0);
#[cfg(feature = "beta")]
webhook_helpers!(beta);

#[cfg(test)]
mod tests {
    use crate::odata::same_id;
    use crate::v1_0::{AnyEntity, CommsNotification, CommsNotifications};

    fn notification(json: serde_json::Value) -> CommsNotification {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn ids_come_from_the_resource_url() {
        let n = notification(serde_json::json!({
            "changeType": "updated",
            "resourceUrl": "/communications/calls/421f1100-f4a3-4e69-b2b8-b7a8e7a4dbb3/operations/0FE0623FD62842EDB4BD8AC290072CC5"
        }));
        assert_eq!(n.call_id().as_deref(), Some("421f1100-f4a3-4e69-b2b8-b7a8e7a4dbb3"));
        assert!(same_id(&n.operation_id().unwrap(), "0fe0623f-d628-42ed-b4bd-8ac290072cc5"));
        assert_eq!(n.participant_id(), None);
        assert_eq!(n.resource_type(), Some("microsoft.graph.commsOperation"));

        // Keys in parentheses and percent-encoded keys, as the router reads them.
        let n = notification(serde_json::json!({"resourceUrl": "/communications/calls('a%2Fb')/participants/p1"}));
        assert_eq!((n.call_id().as_deref(), n.participant_id().as_deref()), (Some("a/b"), Some("p1")));
        // A URL without a route still gives the segments' keys.
        let n = notification(serde_json::json!({"resourceUrl": "/app/calls/c9/unknownThing/x"}));
        assert_eq!(n.call_id().as_deref(), Some("c9"));
        assert_eq!(notification(serde_json::json!({})).call_id(), None);
        // Routed once, read many times: the same ids.
        let n = notification(serde_json::json!({"resourceUrl": "/communications/calls/c1/participants/p1"}));
        let target = n.target().unwrap();
        assert_eq!((target.call_id(), target.participant_id()), (n.call_id(), n.participant_id()));
        assert_eq!(
            target.route().map(|r| r.route.template),
            Some("/communications/calls/{call-id}/participants/{participant-id}")
        );
        assert!(!target.is_roster());
        assert!(
            notification(serde_json::json!({"resourceUrl": "/communications/calls/c1/participants/"}))
                .target()
                .unwrap()
                .is_roster()
        );
        // Older notifications name the resource in `resource`.
        let n = notification(serde_json::json!({"resource": "/app/calls/c2/operations/o2"}));
        assert_eq!((n.call_id().as_deref(), n.operation_id().as_deref()), (Some("c2"), Some("o2")));
        assert_eq!(n.resource_type(), Some("microsoft.graph.commsOperation"));
    }

    #[test]
    fn untagged_resources_are_typed_from_the_route() {
        let mut n = notification(serde_json::json!({
            "changeType": "updated", "resourceUrl": "/communications/calls/c1/participants",
            "resourceData": [
                {"id": "p1", "isMuted": true, "info": {"identity": {"user": {"id": "u1"}}}},
                {"@odata.type": "#microsoft.graph.participant", "id": "p2"},
                {"id": "p3", "isMuted": "yes"}
            ]
        }));
        let errors = n.type_resources();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].to_string().contains("isMuted"), "{}", errors[0]);
        let data: Vec<&AnyEntity> = n.resource_data.value().unwrap().iter().collect();
        let AnyEntity::Participant(p1) = data[0] else { panic!("{:?}", data[0]) };
        assert_eq!(p1.is_muted, crate::Field::Value(true));
        assert!(p1.extras.is_empty(), "no tag was sent, none is kept: {:?}", p1.extras);
        assert!(matches!(data[1], AnyEntity::Participant(_)));
        assert!(matches!(data[2], AnyEntity::Unknown(_)), "what does not decode stays as it came");
        // Written back, each is what came (the typed one with its arm's tag).
        assert_eq!(serde_json::to_value(data[2]).unwrap(), serde_json::json!({"id": "p3", "isMuted": "yes"}));
    }

    #[test]
    fn resources_come_with_their_notification_in_order() {
        let body = r##"{"value": [
            {"changeType": "updated", "resourceData": [
                {"@odata.type": "#microsoft.graph.participant", "id": "p1"},
                {"@odata.type": "#microsoft.graph.participant", "id": "p2"}]},
            {"changeType": "deleted"},
            {"changeType": "updated", "resourceData": {"@odata.type": "#microsoft.graph.call", "id": "c"}}]}"##;
        let webhook: CommsNotifications = serde_json::from_str(body).unwrap();
        let ids: Vec<String> = webhook
            .resources()
            .map(|(_, resource)| match resource {
                AnyEntity::Participant(p) => format!("participant {}", p.id.value().unwrap()),
                AnyEntity::Call(c) => format!("call {}", c.id.value().unwrap()),
                other => format!("{other:?}"),
            })
            .collect();
        assert_eq!(ids, ["participant p1", "participant p2", "call c"]);
        assert_eq!(CommsNotifications::default().resources().count(), 0);
    }
}
