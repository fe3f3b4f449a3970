//! [`ValueResponse`]: an answer carried in `{"value": …}`.

use super::{Extras, ODataObject, Structured, deserialize_struct, serialize_object, write_property};
use crate::Field;
use serde::de::{DeserializeOwned, MapAccess};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

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
    fn read_property<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error> {
        match key {
            "value" => self.value = map.next_value()?,
            _ => return Ok(false),
        }
        Ok(true)
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
    const ODATA_NAME: &'static str = "value response";
}

impl<T: DeserializeOwned + Serialize> Serialize for ValueResponse<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_object(self, serializer, None)
    }
}

impl<'de, T: DeserializeOwned + Serialize> Deserialize<'de> for ValueResponse<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserialize_struct(deserializer)
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
