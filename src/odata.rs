//! OData runtime shared by the generated models: the extras map that keeps what the schema
//! does not declare, and the tolerant decoding of enum values.

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fmt;

/// Properties a type does not declare and instance annotations (`@odata.type`,
/// `@odata.etag`, `prop@odata.type`, …), kept in the order they came so that a value
/// re-encodes with nothing lost.
///
/// A key that comes twice keeps its first place and its last value, as `serde_json` does.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Extras(Vec<(String, Value)>);

impl Extras {
    pub fn new() -> Self {
        Extras(Vec::new())
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// Sets `key`, in place if it is there already, else at the end; returns the old value.
    pub fn insert(&mut self, key: impl Into<String>, value: Value) -> Option<Value> {
        let key = key.into();
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some((_, slot)) => Some(std::mem::replace(slot, value)),
            None => {
                self.0.push((key, value));
                None
            }
        }
    }

    pub fn remove(&mut self, key: &str) -> Option<Value> {
        let index = self.0.iter().position(|(k, _)| k == key)?;
        Some(self.0.remove(index).1)
    }

    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, &Value)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// The `@odata.type` annotation, as sent.
    pub fn odata_type(&self) -> Option<&str> {
        self.get("@odata.type").and_then(Value::as_str)
    }
}

impl<K: Into<String>> FromIterator<(K, Value)> for Extras {
    fn from_iter<I: IntoIterator<Item = (K, Value)>>(iter: I) -> Self {
        let mut extras = Extras::new();
        for (key, value) in iter {
            extras.insert(key, value);
        }
        extras
    }
}

impl Serialize for Extras {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (key, value) in &self.0 {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Extras {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ExtrasVisitor;

        impl<'de> Visitor<'de> for ExtrasVisitor {
            type Value = Extras;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Extras, A::Error> {
                let mut extras = Extras::new();
                while let Some((key, value)) = map.next_entry::<String, Value>()? {
                    extras.insert(key, value);
                }
                Ok(extras)
            }
        }

        deserializer.deserialize_map(ExtrasVisitor)
    }
}

/// A generated enum type: its CSDL members, and an arm for values the schema does not define.
pub trait EnumType: Sized + Clone + 'static {
    /// The qualified CSDL name, e.g. `microsoft.graph.callState`.
    const ODATA_NAME: &'static str;
    /// Every member with its CSDL spelling.
    const MEMBERS: &'static [(&'static str, Self)];

    /// The CSDL spelling of a member, or the value as it came for an unrecognized one.
    fn as_str(&self) -> &str;

    /// The arm that keeps a value the schema does not define.
    fn unrecognized(value: String) -> Self;

    /// The member named `value`, compared without regard to ASCII case (the service and its
    /// documentation write both `Running` and `running`); any other value is kept as it is.
    fn from_name(value: &str) -> Self {
        Self::MEMBERS
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(value))
            .map(|(_, member)| member.clone())
            .unwrap_or_else(|| Self::unrecognized(value.to_owned()))
    }
}

/// `Serialize` for generated enums: the member's name as a string.
pub fn serialize_enum<E: EnumType, S: Serializer>(value: &E, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(value.as_str())
}

/// `Deserialize` for generated enums: any string; see [`EnumType::from_name`].
pub fn deserialize_enum<'de, E: EnumType, D: Deserializer<'de>>(deserializer: D) -> Result<E, D::Error> {
    struct EnumVisitor<E>(std::marker::PhantomData<E>);

    impl<E: EnumType> Visitor<'_> for EnumVisitor<E> {
        type Value = E;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            write!(f, "a `{}` value (a string)", E::ODATA_NAME)
        }

        fn visit_str<Err: de::Error>(self, value: &str) -> Result<E, Err> {
            Ok(E::from_name(value))
        }
    }

    deserializer.deserialize_str(EnumVisitor(std::marker::PhantomData))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Clone, Debug, PartialEq)]
    enum Status {
        NotStarted,
        Running,
        Unrecognized(String),
    }

    impl EnumType for Status {
        const ODATA_NAME: &'static str = "test.status";
        const MEMBERS: &'static [(&'static str, Self)] =
            &[("notStarted", Self::NotStarted), ("running", Self::Running)];

        fn as_str(&self) -> &str {
            match self {
                Self::NotStarted => "notStarted",
                Self::Running => "running",
                Self::Unrecognized(value) => value,
            }
        }

        fn unrecognized(value: String) -> Self {
            Self::Unrecognized(value)
        }
    }

    impl Serialize for Status {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serialize_enum(self, serializer)
        }
    }

    impl<'de> Deserialize<'de> for Status {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserialize_enum(deserializer)
        }
    }

    #[test]
    fn enum_values_decode_without_regard_to_case() {
        for text in ["\"running\"", "\"Running\"", "\"RUNNING\""] {
            assert_eq!(serde_json::from_str::<Status>(text).unwrap(), Status::Running);
        }
        assert_eq!(serde_json::to_string(&Status::NotStarted).unwrap(), "\"notStarted\"");
    }

    #[test]
    fn unknown_enum_values_are_kept() {
        let value: Status = serde_json::from_str("\"paused\"").unwrap();
        assert_eq!(value, Status::Unrecognized("paused".into()));
        assert_eq!(serde_json::to_string(&value).unwrap(), "\"paused\"");
    }

    #[test]
    fn a_non_string_enum_value_is_an_error_that_names_the_type() {
        let err = serde_json::from_str::<Status>("3").unwrap_err();
        assert!(err.to_string().contains("a `test.status` value"), "{err}");
    }

    #[test]
    fn extras_keep_order_and_round_trip() {
        let text = r##"{"@odata.type":"#x.y","zeta":1,"alpha":[true,null],"@odata.etag":"W/\"1\""}"##;
        let extras: Extras = serde_json::from_str(text).unwrap();
        let keys: Vec<_> = extras.iter().map(|(k, _)| k).collect();
        assert_eq!(keys, ["@odata.type", "zeta", "alpha", "@odata.etag"]);
        assert_eq!(extras.odata_type(), Some("#x.y"));
        assert_eq!(serde_json::to_string(&extras).unwrap(), text);
    }

    #[test]
    fn extras_duplicate_keys_keep_the_first_place_and_the_last_value() {
        let extras: Extras = serde_json::from_str(r#"{"a":1,"b":2,"a":3}"#).unwrap();
        assert_eq!(serde_json::to_value(&extras).unwrap(), json!({"a": 3, "b": 2}));
        assert_eq!(extras.iter().next(), Some(("a", &json!(3))));
    }

    #[test]
    fn extras_editing() {
        let mut extras: Extras = [("a", json!(1))].into_iter().collect();
        assert_eq!(extras.insert("a", json!(2)), Some(json!(1)));
        assert_eq!(extras.insert("b", json!(3)), None);
        assert_eq!(extras.remove("a"), Some(json!(2)));
        assert_eq!(extras.len(), 1);
        assert!(!extras.is_empty());
        assert_eq!(extras.get("b"), Some(&json!(3)));
    }
}
