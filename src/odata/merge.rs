//! Partial values: applying one to a whole value, as a `PATCH` body applies to a resource, and
//! the smallest partial value that turns one value into another.
//!
//! The rules are OData's for `PATCH` (OData 4.01, part 1, "Update an Entity"): a property the
//! partial value does not have is kept; `null` clears; a primitive value, an enum value or a
//! collection replaces what was there; a complex value (or an expanded entity) of the same type
//! is merged property by property, recursively; a value of another concrete type (another arm
//! of an `AnyX`) replaces the old one whole. Undeclared properties and annotations
//! ([`Extras`]) are merged key by key.

use super::{Extras, Flags, OneOrMany};
use serde_json::Value;

/// A value that a partial value of the same type can be merged into (see the rules in [`crate::odata`]'s `Merge` section).
///
/// The two methods agree: for any `old` and `new`, merging `old.diff(&new)` into `old` gives
/// what merging `new` into `old` gives, and `diff` leaves out every property that is the same
/// in both. So when `new` has every property `old` has (nothing a `PATCH` could not express),
/// `old` merged with `old.diff(&new)` is `new`.
///
/// The generated types implement it with the cargo feature `merge`; the primitive types,
/// collections and [`Field`](crate::Field) always do.
pub trait Merge: Clone + PartialEq {
    /// Applies `partial` to `self`. What the trait does not override replaces `self` whole.
    fn merge(&mut self, partial: Self) {
        *self = partial;
    }

    /// The smallest partial value that, merged into `self`, gives what `new` gives. Called on
    /// values that differ; what the trait does not override gives all of `new`.
    fn diff(&self, new: &Self) -> Self {
        new.clone()
    }
}

/// Values that are replaced whole.
macro_rules! replaced {
    ($($ty:ty),* $(,)?) => {
        $(impl Merge for $ty {})*
    };
}

replaced!(bool, String, Value);
replaced!(crate::edm::Byte, crate::edm::SByte, crate::edm::Int16, crate::edm::Int32, crate::edm::Int64);
replaced!(crate::edm::Float, crate::edm::Decimal, crate::edm::Binary, crate::edm::Guid);
replaced!(crate::edm::Date, crate::edm::DateTimeOffset, crate::edm::Duration, crate::edm::TimeOfDay);

/// A collection is replaced whole, as OData's `PATCH` replaces it.
impl<T: Clone + PartialEq> Merge for Vec<T> {}

/// Replaced whole, like a collection.
impl<T: Clone + PartialEq> Merge for OneOrMany<T> {}

/// Replaced whole, like a collection.
impl<E: super::EnumType> Merge for Flags<E> {}

/// What the boxed value does.
impl<T: Merge> Merge for Box<T> {
    fn merge(&mut self, partial: Self) {
        (**self).merge(*partial);
    }

    fn diff(&self, new: &Self) -> Self {
        Box::new((**self).diff(new))
    }
}

/// Key by key: a key of the partial value replaces or adds its value, the others are kept.
impl Merge for Extras {
    fn merge(&mut self, partial: Self) {
        Extras::merge(self, partial);
    }

    fn diff(&self, new: &Self) -> Self {
        Extras::diff(self, new)
    }
}

/// Absent keeps, `null` clears, a value is merged into the value there is (or replaces
/// absent and `null`).
impl<T: Merge> Merge for crate::Field<T> {
    fn merge(&mut self, partial: Self) {
        crate::Field::merge(self, partial);
    }

    fn diff(&self, new: &Self) -> Self {
        crate::Field::diff(self, new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Field;
    use serde_json::json;

    fn merged<T: Merge>(old: &T, partial: T) -> T {
        let mut value = old.clone();
        value.merge(partial);
        value
    }

    #[test]
    fn fields_keep_clear_and_replace() {
        let old = Field::Value("a".to_owned());
        assert_eq!(merged(&old, Field::Absent), old);
        assert_eq!(merged(&old, Field::Null), Field::Null);
        assert_eq!(merged(&old, Field::Value("b".to_owned())), Field::Value("b".to_owned()));
        assert_eq!(merged(&Field::Null, Field::Value("b".to_owned())), Field::Value("b".to_owned()));
        assert_eq!(merged(&Field::<String>::Absent, Field::Null), Field::Null);

        let mut applied = old.clone();
        applied.apply(Field::Absent);
        assert_eq!(applied, old);
        applied.apply(Field::Null);
        assert_eq!(applied, Field::Null);
    }

    #[test]
    fn field_diffs_are_the_smallest_patch() {
        let a = Field::Value(vec![1, 2]);
        assert_eq!(a.diff(&a), Field::Absent);
        assert_eq!(a.diff(&Field::Absent), Field::Absent);
        assert_eq!(a.diff(&Field::Null), Field::Null);
        assert_eq!(Field::<Vec<i32>>::Null.diff(&Field::Null), Field::Absent);
        assert_eq!(a.diff(&Field::Value(vec![3])), Field::Value(vec![3]));
        assert_eq!(Field::Absent.diff(&a), a);
    }

    #[test]
    fn boxes_merge_what_they_hold() {
        let mut boxed = Box::new(Field::Value(true));
        boxed.merge(Box::new(Field::Absent));
        assert_eq!(*boxed, Field::Value(true));
        assert_eq!(*boxed.diff(&Box::new(Field::Value(true))), Field::Absent);
    }

    #[test]
    fn extras_merge_key_by_key() {
        let mut old = Extras::new();
        old.insert("@odata.etag", json!("1"));
        old.insert("kept", json!(1));
        let mut partial = Extras::new();
        partial.insert("@odata.etag", json!("2"));
        partial.insert("added", json!(null));
        let value = merged(&old, partial.clone());
        assert_eq!(value.get("@odata.etag"), Some(&json!("2")));
        assert_eq!(value.get("kept"), Some(&json!(1)));
        assert_eq!(value.get("added"), Some(&json!(null)));
        assert_eq!(value.len(), 3);

        let diff = old.diff(&value);
        assert_eq!(diff, partial);
        assert_eq!(merged(&old, diff), value);
        assert!(value.diff(&value).is_empty());

        // The type of a partial value stays with it.
        let mut tagged = Extras::new();
        tagged.insert("@odata.type", json!("#microsoft.graph.call"));
        assert_eq!(tagged.diff(&tagged), tagged);
    }
}
