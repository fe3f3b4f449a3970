//! Types chosen at run time, by name: what tools (the round-trip command, the docs harness)
//! need to decode a payload whose type they only know as `microsoft.graph.call`.

use super::{Inspection, inspect};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// A generated type, by its qualified CSDL name. For a type with derived types, the entry
/// decodes through its polymorphic enum, so `@odata.type` picks the concrete type.
#[derive(Clone, Copy)]
pub struct TypeInfo {
    /// The qualified name: `microsoft.graph.call`.
    pub name: &'static str,
    /// The JSON names of the type's properties (inherited ones too).
    pub properties: &'static [&'static str],
    /// Decodes a payload as the type, encodes it again and checks a second pass.
    pub round_trip: fn(&str) -> Result<RoundTrip, serde_json::Error>,
    /// `merge(whole, partial)`: both payloads decoded as the type, the partial one merged
    /// into the whole one ([`Merge`](super::Merge)), the result written (feature `merge`).
    #[cfg(feature = "merge")]
    pub merge: fn(&str, &str) -> Result<String, serde_json::Error>,
    /// `diff(old, new)`: the smallest partial payload that merges `old` into `new`
    /// ([`Merge::diff`](super::Merge::diff); feature `merge`).
    #[cfg(feature = "merge")]
    pub diff: fn(&str, &str) -> Result<String, serde_json::Error>,
}

impl TypeInfo {
    /// The entry of `T` under `name`, with the JSON names of its properties.
    #[cfg(not(feature = "merge"))]
    pub const fn new<T: DeserializeOwned + Serialize + PartialEq>(
        name: &'static str,
        properties: &'static [&'static str],
    ) -> Self {
        TypeInfo { name, properties, round_trip: round_trip::<T> }
    }

    /// The entry of `T` under `name`, with the JSON names of its properties.
    #[cfg(feature = "merge")]
    pub const fn new<T: DeserializeOwned + Serialize + super::Merge>(
        name: &'static str,
        properties: &'static [&'static str],
    ) -> Self {
        TypeInfo { name, properties, round_trip: round_trip::<T>, merge: merge::<T>, diff: diff::<T> }
    }
}

/// [`TypeInfo::merge`] of `T`.
#[cfg(feature = "merge")]
fn merge<T: DeserializeOwned + Serialize + super::Merge>(
    whole: &str,
    partial: &str,
) -> Result<String, serde_json::Error> {
    let mut value: T = serde_json::from_str(whole)?;
    value.merge(serde_json::from_str(partial)?);
    serde_json::to_string(&value)
}

/// [`TypeInfo::diff`] of `T`.
#[cfg(feature = "merge")]
fn diff<T: DeserializeOwned + Serialize + super::Merge>(old: &str, new: &str) -> Result<String, serde_json::Error> {
    let old: T = serde_json::from_str(old)?;
    serde_json::to_string(&old.diff(&serde_json::from_str(new)?))
}

impl std::fmt::Debug for TypeInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TypeInfo").field("name", &self.name).finish()
    }
}

/// The entry of `types` named `name` (`#` and letter case do not matter). A name without a
/// namespace (`changeNotificationCollection`) names the type of that name in the fewest
/// namespaces (`microsoft.graph.participant` before `microsoft.graph.callRecords.participant`),
/// if only one is.
pub fn find_type<'a>(types: &'a [TypeInfo], name: &str) -> Option<&'a TypeInfo> {
    let name = name.trim().trim_start_matches('#');
    let found =
        types.iter().find(|t| t.name == name).or_else(|| types.iter().find(|t| t.name.eq_ignore_ascii_case(name)));
    if found.is_some() || name.contains('.') {
        return found;
    }
    let short = |t: &&TypeInfo| t.name.rsplit('.').next().is_some_and(|n| n.eq_ignore_ascii_case(name));
    let depth = |t: &TypeInfo| t.name.matches('.').count();
    let shallowest = types.iter().filter(short).map(depth).min()?;
    let mut candidates = types.iter().filter(short).filter(|t| depth(t) == shallowest);
    match (candidates.next(), candidates.next()) {
        (Some(only), None) => Some(only),
        _ => None,
    }
}

/// One payload decoded and encoded again.
#[derive(Clone, Debug)]
pub struct RoundTrip {
    /// The payload written back.
    pub text: String,
    /// The same, as a JSON value.
    pub value: Value,
    /// Where the properties landed.
    pub inspection: Inspection,
    /// Whether decoding the written payload gives the same value and the same text again.
    pub stable: bool,
}

/// Decodes `json` as a `T`, encodes it again, and checks that a second pass changes nothing.
/// The error is the input's; written text that does not decode again is not `stable`.
pub fn round_trip<T: DeserializeOwned + Serialize + PartialEq>(json: &str) -> Result<RoundTrip, serde_json::Error> {
    let decoded: T = serde_json::from_str(json)?;
    let text = serde_json::to_string(&decoded)?;
    let stable = match serde_json::from_str::<T>(&text) {
        Ok(again) => again == decoded && serde_json::to_string(&again)? == text,
        Err(_) => false,
    };
    let value = serde_json::from_str(&text)?;
    Ok(RoundTrip { inspection: inspect(&decoded), text, value, stable })
}

#[cfg(test)]
mod tests {
    use super::*;

    static TYPES: &[TypeInfo] = &[
        TypeInfo::new::<crate::edm::Guid>("test.guid", &[]),
        TypeInfo::new::<serde_json::Value>("test.Anything", &["a"]),
    ];

    #[test]
    fn types_are_found_with_or_without_hash_and_case() {
        assert_eq!(find_type(TYPES, "#test.guid").map(|t| t.name), Some("test.guid"));
        assert_eq!(find_type(TYPES, " test.anything ").map(|t| t.properties), Some(&["a"][..]));
        assert!(find_type(TYPES, "test.other").is_none());
        // Without a namespace: the one in the fewest namespaces, if only one is.
        static NESTED: &[TypeInfo] = &[
            TypeInfo::new::<serde_json::Value>("a.b.item", &[]),
            TypeInfo::new::<serde_json::Value>("a.item", &[]),
            TypeInfo::new::<serde_json::Value>("a.b.only", &[]),
            TypeInfo::new::<serde_json::Value>("a.twice", &[]),
            TypeInfo::new::<serde_json::Value>("b.twice", &[]),
        ];
        assert_eq!(find_type(NESTED, "Item").map(|t| t.name), Some("a.item"));
        assert_eq!(find_type(NESTED, "only").map(|t| t.name), Some("a.b.only"));
        assert!(find_type(NESTED, "twice").is_none());
        assert!(find_type(NESTED, "c.item").is_none());
        assert!(find_type(NESTED, "").is_none());
        assert_eq!(format!("{:?}", TYPES[0]), "TypeInfo { name: \"test.guid\" }");
        assert!((TYPES[0].round_trip)("\"x\"").unwrap().stable);
    }

    #[cfg(feature = "merge")]
    #[test]
    fn merge_and_diff_by_name() {
        let info = find_type(TYPES, "test.anything").unwrap();
        // A JSON value is replaced whole.
        assert_eq!((info.merge)(r#"{"a":1}"#, r#"{"b":2}"#).unwrap(), r#"{"b":2}"#);
        assert_eq!((info.diff)(r#"{"a":1}"#, r#"{"b":2}"#).unwrap(), r#"{"b":2}"#);
        assert!((info.merge)("{", "1").is_err());
    }
}
