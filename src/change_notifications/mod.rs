//! Graph change notifications: how call records, presence, online meetings (and every other
//! resource Graph watches) tell a subscriber that they changed. Data in, data out: no server,
//! no client.
//!
//! A receiver, in the order the work comes:
//!
//! 1. **Subscribe**: `POST /subscriptions` with a [`v1_0::Subscription`](crate::v1_0::Subscription)
//!    (with the cargo feature `requests`, the requests are in `v1_0::subscription`: `Create`, `Get`,
//!    `List`, `Update` to renew, `Delete`, `Reauthorize`), a `clientState` secret, and for
//!    resource data an encryption certificate;
//! 2. **answer the handshake**: [`validation_request`] says whether a request to the
//!    notification or lifecycle URL is Graph's validation request, and what to answer;
//! 3. **receive** a [`v1_0::ChangeNotificationCollection`](crate::v1_0::ChangeNotificationCollection),
//!    answer `202 Accepted` at once (whatever the checks find, so that a forger learns nothing),
//!    then **check** it: `clientState` by subscription ([`ClientStates`], compared in constant
//!    time), and with the cargo feature `jwt` its validation tokens (`TokenValidator`); the
//!    result ([`Checked`]) has every notification, accepted or rejected with why. The checks
//!    fail closed: resource data needs a valid token for its tenant, and one token that is not
//!    valid makes the whole delivery suspicious ([`CheckPolicy`] says how to opt out, by name);
//! 4. **read the resource**: its id and type from `resourceData` and `resource`, and with the
//!    cargo feature `decrypt` the whole resource from `encryptedContent`
//!    (`DecryptionKeys`, then `ChangeNotification::decrypt_resource`);
//! 5. **keep the subscription alive**: lifecycle notifications (`reauthorizationRequired`,
//!    `subscriptionRemoved`, `missed`: `ChangeNotification::lifecycle_event`), and renewals
//!    within the longest lifetime of its resource ([`renewal_expiration`]).
//!
//! ```
//! use msgraph_comms::change_notifications::{validation_request, ClientStates};
//! use msgraph_comms::v1_0::ChangeNotificationCollection;
//!
//! // The handshake.
//! let answer = validation_request("POST", "/api/notify?validationToken=abc%20def").unwrap().unwrap();
//! assert_eq!(answer.body(), "abc def");
//!
//! // A delivery.
//! let body = r##"{"value": [{"subscriptionId": "76619225-ff6b-4489-96ca-4ef547e78b22",
//!     "clientState": "secret", "changeType": "created", "resource": "communications/callRecords/2f1a",
//!     "resourceData": {"@odata.type": "#microsoft.graph.callrecord", "id": "2f1a"},
//!     "subscriptionExpirationDateTime": "2026-12-03T10:00:00Z",
//!     "tenantId": "84bd8158-6d4d-4958-8b9f-9d6445542f95"}]}"##;
//! let delivery: ChangeNotificationCollection = serde_json::from_str(body).unwrap();
//! let checked = delivery.check(&ClientStates::every("secret"));
//! for notification in checked.notifications() {
//!     assert_eq!(notification.resource_type(), Some("microsoft.graph.callRecords.callRecord"));
//!     assert_eq!(notification.resource_id().as_deref(), Some("2f1a"));
//! }
//! assert!(checked.all_accepted());
//! ```

mod check;
#[cfg(feature = "decrypt")]
mod decrypt;
mod handshake;
mod lifetime;
#[cfg(feature = "jwt")]
mod tokens;

pub use check::{
    Accepted, CheckPolicy, Checked, ClientStates, Notification, Rejected, Rejection, Vouchers, check, same_client_state,
};
#[cfg(feature = "decrypt")]
pub use decrypt::{DecryptError, DecryptionKeys, EncryptedContent, KeyError, encrypt};
pub use handshake::{HandshakeError, MAX_TOKEN_BYTES, VALIDATION_TOKEN, ValidationResponse, validation_request};
pub use lifetime::{Lifetime, max_lifetime, renewal_expiration, renewal_expiration_from_now};
#[cfg(feature = "jwt")]
pub use tokens::{CHANGE_TRACKING_APP_ID, KeySetError, TokenError, TokenValidator, ValidToken};

/// Whether `body` is a delivery of change notifications (a
/// [`ChangeNotificationCollection`](crate::v1_0::ChangeNotificationCollection)) rather than a
/// calling bot's `commsNotifications`: `{"value": [...]}` whose items all name their
/// subscription, as resource and lifecycle notifications do.
pub fn is_delivery(body: &serde_json::Value) -> bool {
    let items = body.get("value").and_then(serde_json::Value::as_array);
    items.is_some_and(|items| !items.is_empty() && items.iter().all(|item| item.get("subscriptionId").is_some()))
}

/// `Collection(x)` → `x`.
pub(crate) fn item_type(name: &'static str) -> &'static str {
    name.strip_prefix("Collection(").and_then(|n| n.strip_suffix(')')).unwrap_or(name)
}

/// `value`, when it is its declared type's arm (no tag it knows), typed as `name`; a tag it
/// came with (in a spelling the arms do not know) is kept as it came.
#[cfg(feature = "decrypt")]
pub(crate) fn typed_as<P>(mut value: P, name: Option<&str>) -> Result<P, serde_json::Error>
where
    P: crate::odata::Polymorphic + serde::Serialize + for<'de> serde::Deserialize<'de>,
{
    let Some(name) = name else { return Ok(value) };
    if value.default_tag().is_some() {
        return Ok(value);
    }
    let tag = value.extras_mut().remove(crate::odata::ODATA_TYPE);
    let mut typed = crate::odata::retype(value, name)?;
    if let Some(tag) = tag {
        typed.extras_mut().insert(crate::odata::ODATA_TYPE, tag);
    }
    Ok(typed)
}

macro_rules! change_notification_helpers {
    ($api:ident) => {
        impl crate::change_notifications::Notification for crate::$api::ChangeNotification {
            fn subscription_id(&self) -> Option<&str> {
                self.subscription_id.value().map(|id| id.as_str())
            }
            fn client_state(&self) -> Option<&str> {
                self.client_state.value().map(String::as_str)
            }
            fn tenant_id(&self) -> Option<&str> {
                self.tenant_id.value().map(|id| id.as_str())
            }
            fn has_resource_data(&self) -> bool {
                self.encrypted_content.value().is_some()
            }
        }

        impl crate::$api::ChangeNotification {
            /// Whether this is a lifecycle notification (about the subscription, not a
            /// resource): `reauthorizationRequired`, `subscriptionRemoved`, `missed`, or one
            /// Graph adds later (kept as it came in
            /// [`lifecycle_event`](Self::lifecycle_event)).
            pub fn is_lifecycle(&self) -> bool {
                self.lifecycle_event.value().is_some()
            }

            /// The route of the `resource` path (read as a `GET`), with its keys, when the whole
            /// path is one of this API's slice: `communications/callRecords/{id}`,
            /// `communications/presences/{id}`, `users/{id}/presence`. (Not a match of its end
            /// only: `chats/{id}/messages/{id}` is no path of the slice, whatever its end.)
            pub fn resource_route(&self) -> Option<crate::odata::RouteMatch<'static>> {
                let resource = self.resource.value()?;
                let path = if resource.starts_with('/') { resource.clone() } else { format!("/{resource}") };
                crate::$api::router().route("GET", &path).filter(|found| !found.by_suffix)
            }

            /// The qualified name of the changed resource's type: `resourceData`'s
            /// `@odata.type` in whatever case Graph spelled it (`#Microsoft.Graph.presence`), else
            /// the type the route of `resource` names; `None` for a type outside the slice.
            pub fn resource_type(&self) -> Option<&'static str> {
                let tag = self.resource_data.value().and_then(|data| data.extras.odata_type());
                if let Some(name) = tag.and_then(|tag| crate::$api::router().type_named(tag)) {
                    return Some(name);
                }
                let response = self.resource_route()?.route.response?;
                Some(crate::change_notifications::item_type(response))
            }

            /// The changed resource's id: `resourceData`'s `id`, else the last key of the route
            /// of `resource`.
            pub fn resource_id(&self) -> Option<String> {
                if let Some(id) = self.resource_data.value().and_then(|data| data.id.value()) {
                    return Some(id.clone());
                }
                self.resource_route()?.keys.pop().map(|(_, value)| value)
            }

            /// The five fields of `encryptedContent`, when it came whole.
            #[cfg(feature = "decrypt")]
            pub fn encrypted(&self) -> Option<crate::change_notifications::EncryptedContent<'_>> {
                let content = self.encrypted_content.value()?;
                Some(crate::change_notifications::EncryptedContent {
                    data: content.data.value()?,
                    data_key: content.data_key.value()?,
                    data_signature: content.data_signature.value()?,
                    encryption_certificate_id: content.encryption_certificate_id.value()?,
                    encryption_certificate_thumbprint: content.encryption_certificate_thumbprint.value()?,
                })
            }

            /// The resource of `encryptedContent`, decrypted and checked, typed: by its own
            /// `@odata.type`, else by [`resource_type`](Self::resource_type). `None` when the
            /// notification carries no (whole) `encryptedContent`.
            // Inline: it instantiates the decoding of every entity type, which only a crate
            // that calls it should compile.
            #[cfg(feature = "decrypt")]
            #[inline]
            pub fn decrypt_resource(
                &self,
                keys: &crate::change_notifications::DecryptionKeys,
            ) -> Option<Result<crate::$api::AnyEntity, crate::change_notifications::DecryptError>> {
                let content = self.encrypted()?;
                let decoded = keys.decrypt_json::<crate::$api::AnyEntity>(&content).and_then(|entity| {
                    self.is_its_resource(&entity)?;
                    crate::change_notifications::typed_as(entity, self.resource_type())
                        .map_err(crate::change_notifications::DecryptError::Json)
                });
                Some(decoded)
            }

            /// Whether a decrypted resource is the one this notification names: its `id` the
            /// notification's ([`resource_id`](Self::resource_id), any GUID spelling), and its
            /// `@odata.type`, when it has one, the notification's resource type (without regard
            /// to case). What the notification does not say is not compared.
            #[cfg(feature = "decrypt")]
            fn is_its_resource(
                &self,
                entity: &crate::$api::AnyEntity,
            ) -> Result<(), crate::change_notifications::DecryptError> {
                let mismatch =
                    |property, expected: &str, found: &str| crate::change_notifications::DecryptError::NotTheResource {
                        property,
                        expected: crate::bounded::bounded(expected),
                        found: crate::bounded::bounded(found),
                    };
                if let (Some(expected), Some(found)) = (self.resource_id(), entity.id().value())
                    && !crate::odata::same_id(&expected, found)
                {
                    return Err(mismatch("id", &expected, found));
                }
                let found_type = entity.extras().odata_type().map(|tag| tag.trim_start_matches('#'));
                let expected_type = self
                    .resource_data
                    .value()
                    .and_then(|data| data.extras.odata_type())
                    .map(|tag| tag.trim_start_matches('#'));
                if let (Some(expected), Some(found)) = (expected_type, found_type)
                    && !expected.eq_ignore_ascii_case(found)
                {
                    return Err(mismatch("@odata.type", expected, found));
                }
                Ok(())
            }
        }

        impl crate::$api::ChangeNotificationCollection {
            /// The notifications, in the order they came.
            pub fn notifications(&self) -> &[crate::$api::ChangeNotification] {
                self.value.value().map(Vec::as_slice).unwrap_or_default()
            }

            /// Each notification checked against the client states of our subscriptions, with
            /// no validation token: a notification with resource data is rejected
            /// ([`Rejection::NoValidToken`](crate::change_notifications::Rejection::NoValidToken));
            /// check such a delivery with its tokens (`check_with_tokens`, cargo feature `jwt`).
            pub fn check(
                &self,
                states: &crate::change_notifications::ClientStates,
            ) -> crate::change_notifications::Checked<'_, crate::$api::ChangeNotification> {
                self.check_with(
                    states,
                    &crate::change_notifications::Vouchers::none(),
                    &crate::change_notifications::CheckPolicy::default(),
                )
            }

            /// Each notification checked against the client states of our subscriptions, what
            /// the delivery's tokens vouch for, and `policy` ([`crate::change_notifications::check`]).
            pub fn check_with(
                &self,
                states: &crate::change_notifications::ClientStates,
                vouchers: &crate::change_notifications::Vouchers,
                policy: &crate::change_notifications::CheckPolicy,
            ) -> crate::change_notifications::Checked<'_, crate::$api::ChangeNotification> {
                crate::change_notifications::check(self.notifications(), states, vouchers, policy)
            }

            /// Each of `validationTokens` validated, in order.
            #[cfg(feature = "jwt")]
            pub fn validate_tokens(
                &self,
                validator: &crate::change_notifications::TokenValidator,
            ) -> Vec<Result<crate::change_notifications::ValidToken, crate::change_notifications::TokenError>> {
                validator.validate_all(self.validation_tokens.value().into_iter().flatten().map(String::as_str))
            }

            /// [`check`](Self::check), with the delivery's validation tokens (`tokens`, from
            /// [`validate_tokens`](Self::validate_tokens)): a notification with resource data
            /// needs a valid token for its tenant, and a token that is not valid makes the
            /// whole delivery suspicious (every notification rejected), as Microsoft advises.
            #[cfg(feature = "jwt")]
            pub fn check_with_tokens(
                &self,
                states: &crate::change_notifications::ClientStates,
                tokens: &[Result<crate::change_notifications::ValidToken, crate::change_notifications::TokenError>],
            ) -> crate::change_notifications::Checked<'_, crate::$api::ChangeNotification> {
                self.check_with(
                    states,
                    &crate::change_notifications::Vouchers::from_results(tokens),
                    &crate::change_notifications::CheckPolicy::default(),
                )
            }
        }

        impl crate::$api::Subscription {
            /// The longest this subscription may live, by its `resource`
            /// ([`crate::change_notifications::max_lifetime`]).
            pub fn max_lifetime(&self) -> Option<crate::change_notifications::Lifetime> {
                crate::change_notifications::max_lifetime(self.resource.value()?)
            }

            /// The body of the `PATCH` that renews it at `now` for as long as its resource
            /// allows: only `expirationDateTime` ([`crate::change_notifications::renewal_expiration`]).
            pub fn renewal(&self, now: &crate::edm::DateTimeOffset) -> Option<Self> {
                let expiration = crate::change_notifications::renewal_expiration(self.resource.value()?, now)?;
                Some(Self { expiration_date_time: crate::Field::Value(expiration), ..Self::default() })
            }
        }
    };
}

change_notification_helpers!(v1_0);
#[cfg(feature = "beta")]
change_notification_helpers!(beta);

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn deliveries_are_told_from_calling_bots_notifications() {
        assert!(is_delivery(&json!({"value": [{"subscriptionId": "s", "changeType": "created"}]})));
        assert!(is_delivery(&json!({"value": [{"subscriptionId": "s", "lifecycleEvent": "missed"}]})));
        assert!(!is_delivery(&json!({"value": [{"changeType": "updated", "resourceUrl": "/communications/calls/1"}]})));
        assert!(!is_delivery(&json!({"value": [{"subscriptionId": "s"}, {"changeType": "updated"}]})));
        assert!(!is_delivery(&json!({"value": []})));
        assert!(!is_delivery(&json!([{"subscriptionId": "s"}])));
    }

    #[test]
    fn collection_types_name_their_items() {
        assert_eq!(item_type("Collection(microsoft.graph.participant)"), "microsoft.graph.participant");
        assert_eq!(item_type("microsoft.graph.call"), "microsoft.graph.call");
        let router = crate::v1_0::router();
        assert_eq!(router.type_named("#Microsoft.Graph.PRESENCE"), Some("microsoft.graph.presence"));
        assert_eq!(router.type_named("#microsoft.graph.chatMessage"), None);
    }
}
