//! [`OneOrMany`]: a property that holds one value or an array of them.

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use std::fmt;
use std::marker::PhantomData;

/// One value or an array of them, as a notification's `resourceData` is: one call, or the
/// participants of a roster update. Written back in the form it came in.
#[derive(Clone, Debug, PartialEq)]
pub enum OneOrMany<T> {
    /// One value (`{…}`).
    One(T),
    /// An array of them (`[…]`).
    Many(Vec<T>),
}

impl<T> OneOrMany<T> {
    /// The values, one or many.
    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        match self {
            OneOrMany::One(value) => std::slice::from_ref(value).iter(),
            OneOrMany::Many(values) => values.iter(),
        }
    }

    /// How many values.
    pub fn len(&self) -> usize {
        self.iter().len()
    }

    /// Whether there are none (an empty array).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl<'a, T> IntoIterator for &'a OneOrMany<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<T: Serialize> Serialize for OneOrMany<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            OneOrMany::One(value) => value.serialize(serializer),
            OneOrMany::Many(values) => values.serialize(serializer),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for OneOrMany<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct OneOrManyVisitor<T>(PhantomData<T>);

        impl<'de, T: Deserialize<'de>> Visitor<'de> for OneOrManyVisitor<T> {
            type Value = OneOrMany<T>;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object or an array of objects")
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                T::deserialize(de::value::MapAccessDeserializer::new(map)).map(OneOrMany::One)
            }

            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
                let items = super::object::Indexed::<T>::deserialize(de::value::SeqAccessDeserializer::new(seq))?;
                Ok(OneOrMany::Many(items.0))
            }
        }

        deserializer.deserialize_any(OneOrManyVisitor(PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edm::Int64;

    #[test]
    fn one_or_many_keeps_its_form() {
        let one: OneOrMany<serde_json::Map<String, serde_json::Value>> = serde_json::from_str(r#"{"a":1}"#).unwrap();
        assert!(matches!(&one, OneOrMany::One(_)) && one.len() == 1);
        assert_eq!(serde_json::to_string(&one).unwrap(), r#"{"a":1}"#);
        let many: OneOrMany<serde_json::Map<String, serde_json::Value>> =
            serde_json::from_str(r#"[{},{"b":2}]"#).unwrap();
        assert_eq!((many.len(), many.is_empty()), (2, false));
        assert_eq!((&many).into_iter().count(), 2);
        assert_eq!(serde_json::to_string(&many).unwrap(), r#"[{},{"b":2}]"#);
        let err = serde_json::from_str::<OneOrMany<Int64>>("\"x\"").unwrap_err();
        assert!(err.to_string().contains("an object or an array"), "{err}");
    }
}
