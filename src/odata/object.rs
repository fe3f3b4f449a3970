//! How generated structs and polymorphic enums read and write JSON objects: one pass over the
//! keys, declared properties into fields, everything else into [`Extras`]; `@odata.type`
//! peeked to choose the concrete type, buffering only the keys that come before it.

use super::Extras;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

/// The annotation that names a value's type.
pub const ODATA_TYPE: &str = "@odata.type";

/// A generated struct or polymorphic enum, seen as a JSON object.
pub trait ODataObject {
    /// Reads the value of `key` into its field if the type declares it; `Ok(false)` when it
    /// does not, leaving the value unread.
    fn read_property<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error>;

    /// Writes the declared properties that are not absent.
    fn write_properties<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error>;

    fn extras(&self) -> &Extras;

    fn extras_mut(&mut self) -> &mut Extras;
}

/// A generated struct (an entity or complex type).
pub trait Structured: ODataObject + Default {
    /// The qualified CSDL name, e.g. `microsoft.graph.call`.
    const ODATA_NAME: &'static str;
}

/// A generated polymorphic enum: a value declared as a type that has derived types.
pub trait Polymorphic: ODataObject + Sized {
    /// The declared type, e.g. `microsoft.graph.mediaConfig`.
    const DECLARED: &'static str;

    /// An empty value of the type that `tag` names (`microsoft.graph.x` or with the namespace's
    /// alias, without `#`), if it is one of the arms.
    fn for_tag(tag: &str) -> Option<Self>;

    /// An empty value of the declared type's arm: for a missing or unknown tag.
    fn fallback() -> Self;

    /// The tag to write for a value built without one (`None` for the declared type's arm).
    fn default_tag(&self) -> Option<&'static str>;
}

/// `Serialize` for generated types: annotations (`@…`) first, as OData wants them, then the
/// declared properties, then the other extras. `default_tag` is written as `@odata.type` when
/// the value has no tag of its own.
pub fn serialize_object<T: ODataObject, S: Serializer>(
    value: &T,
    serializer: S,
    default_tag: Option<&str>,
) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(None)?;
    if let Some(tag) = default_tag
        && value.extras().get(ODATA_TYPE).is_none()
    {
        map.serialize_entry(ODATA_TYPE, &format!("#{tag}"))?;
    }
    value.extras().write(&mut map, true)?;
    value.write_properties(&mut map)?;
    value.extras().write(&mut map, false)?;
    map.end()
}

/// Writes one property unless it is absent.
pub fn write_property<T: Serialize, M: SerializeMap>(
    map: &mut M,
    key: &'static str,
    value: &crate::Field<T>,
) -> Result<(), M::Error> {
    match value {
        crate::Field::Absent => Ok(()),
        present => map.serialize_entry(key, present),
    }
}

/// `Deserialize` for generated structs.
pub fn deserialize_struct<'de, T: Structured, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    struct StructVisitor<T>(PhantomData<T>);

    impl<'de, T: Structured> Visitor<'de> for StructVisitor<T> {
        type Value = T;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            write!(f, "a `{}` object", T::ODATA_NAME)
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
            let mut value = T::default();
            read_entries(&mut value, &mut map)?;
            Ok(value)
        }
    }

    deserializer.deserialize_map(StructVisitor(PhantomData))
}

/// `Deserialize` for generated polymorphic enums: the arm that `@odata.type` names, the
/// declared type's arm when it is missing or unknown. Never an error for a tag.
pub fn deserialize_polymorphic<'de, T: Polymorphic, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    struct PolymorphicVisitor<T>(PhantomData<T>);

    impl<'de, T: Polymorphic> Visitor<'de> for PolymorphicVisitor<T> {
        type Value = T;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            write!(f, "a `{}` object", T::DECLARED)
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
            // Keys before the tag wait here (in order) until the type is known.
            let mut waiting: Vec<(String, Value)> = Vec::new();
            while let Some(key) = map.next_key::<Key>()? {
                if key.0 != ODATA_TYPE {
                    waiting.push((key.0.into_owned(), map.next_value()?));
                    continue;
                }
                let tag: Value = map.next_value()?;
                let mut value =
                    tag.as_str().and_then(|t| T::for_tag(t.trim_start_matches('#'))).unwrap_or_else(T::fallback);
                replay(&mut value, waiting)?;
                value.extras_mut().insert(ODATA_TYPE, tag);
                read_entries(&mut value, &mut map)?;
                return Ok(value);
            }
            let mut value = T::fallback();
            replay(&mut value, waiting)?;
            Ok(value)
        }
    }

    deserializer.deserialize_map(PolymorphicVisitor(PhantomData))
}

fn read_entries<'de, T: ODataObject, A: MapAccess<'de>>(value: &mut T, map: &mut A) -> Result<(), A::Error> {
    while let Some(key) = map.next_key::<Key>()? {
        if !value.read_property(&key.0, map)? {
            let extra: Value = map.next_value()?;
            value.extras_mut().insert(key.0.into_owned(), extra);
        }
    }
    Ok(())
}

/// Feeds buffered entries to the chosen type as if they came now.
fn replay<T: ODataObject, E: de::Error>(value: &mut T, entries: Vec<(String, Value)>) -> Result<(), E> {
    for (key, entry) in entries {
        let mut one = OneValue(Some(entry));
        let typed = value.read_property(&key, &mut one).map_err(|e| E::custom(format_args!("{key}: {e}")))?;
        if let (false, Some(entry)) = (typed, one.0) {
            value.extras_mut().insert(key, entry);
        }
    }
    Ok(())
}

/// A map key, borrowed from the input when it can be.
struct Key<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;

        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a property name")
            }

            fn visit_borrowed_str<E: de::Error>(self, key: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(key)))
            }

            fn visit_str<E: de::Error>(self, key: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(key.to_owned())))
            }

            fn visit_string<E: de::Error>(self, key: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(key)))
            }
        }

        deserializer.deserialize_str(KeyVisitor)
    }
}

/// A map of one value and no keys: lets a buffered value be read like a live one.
struct OneValue(Option<Value>);

impl<'de> MapAccess<'de> for OneValue {
    type Error = serde_json::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, _: K) -> Result<Option<K::Value>, Self::Error> {
        Ok(None)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Self::Error> {
        let value = self.0.take().ok_or_else(|| de::Error::custom("a buffered value read twice"))?;
        seed.deserialize(value)
    }
}
