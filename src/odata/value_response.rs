//! [`ValueResponse`]: an answer carried in `{"value": …}`.

use super::object::at_property;
use super::{Extras, ODataObject, Slot, Structured, serialize_object, write_property};
use crate::Field;
use serde::de::{DeserializeOwned, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

/// What an operation answers when its result is a collection or a primitive:
/// `{"@odata.context": …, "value": …}`, annotations (`@odata.nextLink`, …) kept in `extras`.
#[derive(Clone, Debug, PartialEq)]
pub struct ValueResponse<T> {
    /// The result.
    pub value: Field<T>,
    /// Annotations (`@odata.context`, `@odata.nextLink`, …) and anything else.
    pub extras: Extras,
}

impl<T> Default for ValueResponse<T> {
    fn default() -> Self {
        ValueResponse { value: Field::Absent, extras: Extras::new() }
    }
}

impl<T: DeserializeOwned + Serialize> ODataObject for ValueResponse<T> {
    fn slot(&mut self, key: &str) -> Option<Slot<'_>> {
        match key {
            "value" => Some(Slot::Other(&mut self.value)),
            _ => None,
        }
    }

    fn write_properties<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
        write_property(map, "value", &self.value)
    }

    fn extras(&self) -> &Extras {
        &self.extras
    }

    fn extras_mut(&mut self) -> &mut Extras {
        &mut self.extras
    }
}

impl<T: DeserializeOwned + Serialize> Structured for ValueResponse<T> {
    // Not an OData type: no tag is its own, and the name is for messages.
    const ODATA_TAG: &'static str = "";
    const ODATA_NAME: &'static str = "value response";
}

impl<T: DeserializeOwned + Serialize> Serialize for ValueResponse<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_object(self, serializer, None)
    }
}

/// Read with a visitor of its own, not through [`Slot::Other`]: `value` (a page of entities)
/// is read as its type, not as JSON first.
impl<'de, T: DeserializeOwned + Serialize> Deserialize<'de> for ValueResponse<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ResponseVisitor<T>(PhantomData<T>);

        impl<'de, T: DeserializeOwned> Visitor<'de> for ResponseVisitor<T> {
            type Value = ValueResponse<T>;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object with a `value`")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut response = ValueResponse::default();
                while let Some(key) = map.next_key::<Cow<'de, str>>()? {
                    match &*key {
                        "value" => response.value = map.next_value().map_err(|e| at_property(&key, e))?,
                        _ => {
                            let extra = map.next_value().map_err(|e| at_property(&key, e))?;
                            response.extras.insert_read(key, extra);
                        }
                    }
                }
                Ok(response)
            }
        }

        deserializer.deserialize_map(ResponseVisitor(PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_and_annotations_round_trip() {
        let text = r#"{"@odata.context":"c","value":["a","b"],"@odata.nextLink":"n"}"#;
        let response: ValueResponse<Vec<String>> = serde_json::from_str(text).unwrap();
        assert_eq!(response.value.value().map(Vec::len), Some(2));
        assert_eq!(response.extras.get("@odata.nextLink").unwrap(), "n");
        let again: serde_json::Value = serde_json::to_value(&response).unwrap();
        assert_eq!(again, serde_json::from_str::<serde_json::Value>(text).unwrap());
    }
}
