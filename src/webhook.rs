//! What a calling bot does first with a webhook body: walk its notifications and the resources
//! they carry, typed.

macro_rules! webhook_helpers {
    ($api:ident) => {
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
    use crate::v1_0::{AnyEntity, CommsNotifications};

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
