//! [`Field`]: a property that can be absent, explicitly `null`, or have a value.

use crate::odata::Merge;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A property of a Graph object. Graph tells apart a property it did not send (`Absent`,
/// e.g. outside a `$select` or a partial notification) from one it sent as `null`; a PATCH
/// body uses `null` to clear a property. Both survive a round trip.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field<T> {
    /// Not in the JSON object.
    Absent,
    /// `null` in the JSON object.
    Null,
    /// A value.
    Value(T),
}

impl<T> Field<T> {
    /// Whether the property was not in the object.
    pub fn is_absent(&self) -> bool {
        matches!(self, Field::Absent)
    }

    /// Whether the property was `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Field::Null)
    }

    /// The value, if there is one (neither absent nor null).
    pub fn value(&self) -> Option<&T> {
        match self {
            Field::Value(value) => Some(value),
            _ => None,
        }
    }

    /// The value, to change in place, if there is one.
    pub fn value_mut(&mut self) -> Option<&mut T> {
        match self {
            Field::Value(value) => Some(value),
            _ => None,
        }
    }

    /// The value, if there is one.
    pub fn into_value(self) -> Option<T> {
        match self {
            Field::Value(value) => Some(value),
            _ => None,
        }
    }

    /// A field of a reference to the value.
    pub fn as_ref(&self) -> Field<&T> {
        match self {
            Field::Absent => Field::Absent,
            Field::Null => Field::Null,
            Field::Value(value) => Field::Value(value),
        }
    }

    /// The field with its value mapped; absent and null stay as they are.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Field<U> {
        match self {
            Field::Absent => Field::Absent,
            Field::Null => Field::Null,
            Field::Value(value) => Field::Value(f(value)),
        }
    }

    /// Takes the field out, leaving it absent.
    pub fn take(&mut self) -> Field<T> {
        std::mem::take(self)
    }
}

impl<T> Field<T> {
    /// Applies a property of a partial value: absent keeps `self`, `null` clears it, a value
    /// replaces it. ([`merge`](Self::merge) merges a complex value instead of replacing it.)
    pub fn apply(&mut self, partial: Field<T>) {
        if !partial.is_absent() {
            *self = partial;
        }
    }
}

impl<T: Merge> Field<T> {
    /// Merges a property of a partial value in, as a `PATCH` does: absent keeps `self`, `null`
    /// clears it, a value is merged into the value there is ([`Merge`]: a complex value of the
    /// same type property by property, anything else replaced) or replaces absent and `null`.
    pub fn merge(&mut self, partial: Field<T>) {
        match (self, partial) {
            (_, Field::Absent) => {}
            (Field::Value(value), Field::Value(partial)) => value.merge(partial),
            (this, partial) => *this = partial,
        }
    }

    /// The smallest property of a partial value that [`merge`](Self::merge) turns `self` into
    /// `new` with: absent when they are the same (or `new` is absent), `null` when `new` is,
    /// else what [`Merge::diff`] gives.
    pub fn diff(&self, new: &Field<T>) -> Field<T> {
        match (self, new) {
            (_, Field::Absent) | (Field::Null, Field::Null) => Field::Absent,
            (_, Field::Null) => Field::Null,
            (Field::Value(old), Field::Value(new)) if old == new => Field::Absent,
            (Field::Value(old), Field::Value(new)) => Field::Value(old.diff(new)),
            (_, Field::Value(new)) => Field::Value(new.clone()),
        }
    }
}

/// `Absent`, whatever `T` is.
impl<T> Default for Field<T> {
    fn default() -> Self {
        Field::Absent
    }
}

impl<T> From<T> for Field<T> {
    fn from(value: T) -> Self {
        Field::Value(value)
    }
}

/// `"57da".into()` for a text property.
impl From<&str> for Field<String> {
    fn from(value: &str) -> Self {
        Field::Value(value.to_owned())
    }
}

impl<T: Serialize> Serialize for Field<T> {
    /// `null` for `Null` (and for `Absent`, which the generated code never writes).
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Field::Value(value) => value.serialize(serializer),
            Field::Absent | Field::Null => serializer.serialize_none(),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Field<T> {
    /// `null` is `Null`; a missing property is `Absent` (the `Default`).
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(match Option::<T>::deserialize(deserializer)? {
            Some(value) => Field::Value(value),
            None => Field::Null,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn null_and_value_decode_and_encode() {
        assert_eq!(serde_json::from_str::<Field<i32>>("null").unwrap(), Field::Null);
        assert_eq!(serde_json::from_str::<Field<i32>>("7").unwrap(), Field::Value(7));
        assert_eq!(serde_json::to_string(&Field::<i32>::Null).unwrap(), "null");
        assert_eq!(serde_json::to_string(&Field::Value("x")).unwrap(), "\"x\"");
        assert!(serde_json::from_str::<Field<i32>>("\"x\"").is_err());
    }

    #[test]
    fn text_converts_from_str_and_string() {
        let from_str: Field<String> = "c1".into();
        let from_string: Field<String> = String::from("c1").into();
        assert_eq!(from_str, Field::Value("c1".to_owned()));
        assert_eq!(from_str, from_string);
    }

    #[test]
    fn accessors() {
        let mut field = Field::from(3);
        assert_eq!(field.value(), Some(&3));
        *field.value_mut().unwrap() += 1;
        assert_eq!(field.as_ref().map(|v| v * 2), Field::Value(8));
        assert_eq!(field.take().into_value(), Some(4));
        assert!(field.is_absent() && !field.is_null());
        assert!(Field::<()>::Null.is_null());
        assert_eq!(Field::<i32>::Null.value(), None);
        assert_eq!(Field::<i32>::default(), Field::Absent);
    }
}
