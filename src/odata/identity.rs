//! Who an identity set names: the one identity a participant, an organizer or a caller is,
//! whichever of the set's properties holds it, typed or not.

use serde::Serialize;
use serde_json::Value;

/// The identity an identity set names: which kind (the set's property that holds it), and its
/// id, display name and tenant when it has them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrimaryIdentity {
    /// The property of the set that holds it: `user`, `phone`, `applicationInstance`, ….
    pub kind: String,
    /// Its `id` (for a phone, the number).
    pub id: Option<String>,
    /// Its `displayName`.
    pub display_name: Option<String>,
    /// Its `tenantId`.
    pub tenant_id: Option<String>,
}

/// The kinds of identity, in the order a set's identity is looked for: a person before the
/// application or device that acts for them.
pub const IDENTITY_KINDS: &[&str] = &[
    "user",
    "guest",
    "phone",
    "azureCommunicationServicesUser",
    "encrypted",
    "onPremises",
    "siteUser",
    "applicationInstance",
    "application",
    "device",
    "group",
    "siteGroup",
    "sharePointGroup",
    "audience",
];

/// Properties of an identity set that hold an identity the set is not (who it presents
/// itself as).
const NOT_THE_IDENTITY: &[&str] = &["assertedIdentity"];

/// The identity `set` names (any identity set: `identitySet`, `communicationsIdentitySet`,
/// their `AnyX` enum …): the first of [`IDENTITY_KINDS`] it holds, else the first other
/// property that holds an identity (an object with an `id` or a `displayName`: a kind this
/// schema does not declare). A set tagged as its
/// base type keeps `phone` or `guest` in its extras: they are read there too.
pub fn primary_identity<T: Serialize + ?Sized>(set: &T) -> Option<PrimaryIdentity> {
    let Ok(Value::Object(properties)) = serde_json::to_value(set) else { return None };
    let known = IDENTITY_KINDS.iter().find_map(|kind| Some((*kind, properties.get(*kind)?.as_object()?)));
    let (kind, identity) = known.or_else(|| {
        properties
            .iter()
            .filter(|(key, _)| !key.contains('@') && !NOT_THE_IDENTITY.contains(&key.as_str()))
            .filter_map(|(key, value)| Some((key.as_str(), value.as_object()?)))
            .find(|(_, identity)| identity.contains_key("id") || identity.contains_key("displayName"))
    })?;
    let text = |key: &str| identity.get(key).and_then(Value::as_str).map(str::to_owned);
    Some(PrimaryIdentity {
        kind: kind.to_owned(),
        id: text("id"),
        display_name: text("displayName"),
        // Older pages spell it `tenant`.
        tenant_id: text("tenantId").or_else(|| text("tenant")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn primary(set: Value) -> Option<(String, Option<String>, Option<String>)> {
        primary_identity(&set).map(|p| (p.kind, p.id, p.display_name))
    }

    #[test]
    fn a_person_comes_before_the_application_acting_for_them() {
        let set = json!({"application": {"id": "app"}, "user": {"id": "u1", "displayName": "Ada", "tenantId": "t"}});
        assert_eq!(primary(set.clone()), Some(("user".into(), Some("u1".into()), Some("Ada".into()))));
        assert_eq!(primary_identity(&set).unwrap().tenant_id.as_deref(), Some("t"));
        let set = json!({"@odata.type": "#microsoft.graph.identitySet", "phone": {"id": "+1 555"}});
        assert_eq!(primary(set), Some(("phone".into(), Some("+1 555".into()), None)));
    }

    #[test]
    fn an_undeclared_kind_is_found_and_an_asserted_identity_is_not_the_identity() {
        let set =
            json!({"assertedIdentity": {"id": "x"}, "reaction": {"reactionType": "like"}, "futureKind": {"id": "f"}});
        assert_eq!(primary(set), Some(("futureKind".into(), Some("f".into()), None)));
        assert_eq!(primary(json!({"assertedIdentity": {"id": "x"}})), None);
        assert_eq!(primary(json!({"user": null})), None);
        assert_eq!(primary(json!("not a set")), None);
    }
}
