//! How generated structs and polymorphic enums read and write JSON objects: one pass over the
//! keys, declared properties into fields, everything else into [`Extras`]; `@odata.type`
//! peeked to choose the concrete type, buffering only the keys that come before it.

use super::Extras;
use super::read::{ObjectVisitor, PolymorphicVisitor, Slot};
use serde::de::{self, Deserializer, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fmt;
use std::marker::PhantomData;

/// The annotation that names a value's type.
pub const ODATA_TYPE: &str = "@odata.type";

/// A generated struct or polymorphic enum, seen as a JSON object.
pub trait ODataObject {
    /// Where the value of `key` goes, if the type declares it ([`Slot`]).
    fn slot(&mut self, key: &str) -> Option<Slot<'_>>;

    /// Writes the declared properties that are not absent.
    fn write_properties<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error>;

    /// Undeclared properties and annotations.
    fn extras(&self) -> &Extras;

    /// Undeclared properties and annotations, to change.
    fn extras_mut(&mut self) -> &mut Extras;
}

/// A generated struct (an entity or complex type).
pub trait Structured: ODataObject + Default {
    /// The type's own `@odata.type`: `#` and its qualified CSDL name, `#microsoft.graph.call`.
    /// A value read with this tag keeps it without a copy.
    const ODATA_TAG: &'static str;
    /// The qualified CSDL name, e.g. `microsoft.graph.call`: [`ODATA_TAG`](Self::ODATA_TAG)
    /// without its `#`.
    const ODATA_NAME: &'static str = Self::ODATA_TAG.split_at(1).1;
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

    /// The tag to write for a value built without one, `#microsoft.graph.x` (`None` for the
    /// declared type's arm).
    fn default_tag(&self) -> Option<&'static str>;

    /// The arm's value, as the shared reading loop fills it.
    fn arm_entries(&mut self) -> &mut dyn super::Entries;
}

/// `value`, untagged and decoded as the declared type's arm, decoded again as the arm of
/// `odata_name` (`microsoft.graph.participant`), from its properties in memory (no JSON text):
/// what a resource without `@odata.type` is when something else (the route of its URL) says
/// its type. A tagged value, or a name that is no arm of `P`, gives `value` back unchanged; a
/// property that does not decode as the named type's is an error at its path.
pub fn retype<P: Polymorphic + Serialize + for<'de> Deserialize<'de>>(
    value: P,
    odata_name: &str,
) -> Result<P, serde_json::Error> {
    let name = odata_name.trim_start_matches('#');
    if value.extras().odata_type().is_some() || P::for_tag(name).is_none() {
        return Ok(value);
    }
    let Value::Object(mut properties) = serde_json::to_value(&value)? else { return Ok(value) };
    properties.insert(ODATA_TYPE.to_owned(), Value::String(format!("#{name}")));
    let mut typed = P::deserialize(Value::Object(properties))?;
    // The tag was not sent: the arm writes its own, as a value built without one does.
    typed.extras_mut().remove(ODATA_TYPE);
    Ok(typed)
}

/// `Serialize` for generated types: annotations (`@…`) first, as OData wants them, then the
/// declared properties, then the other extras. `default_tag` is written as `@odata.type` when
/// the value has no tag of its own.
pub fn serialize_object<T: ODataObject, S: Serializer>(
    value: &T,
    serializer: S,
    default_tag: Option<&str>,
) -> Result<S::Ok, S::Error> {
    write_object(value, serializer, default_tag)
}

/// What writing an object needs of a value, object-safe: [`write_object`] is then compiled
/// once per writer of JSON, not once per type and writer.
trait Properties<M: SerializeMap> {
    fn write_declared(&self, map: &mut M) -> Result<(), M::Error>;
    fn undeclared(&self) -> &Extras;
}

impl<M: SerializeMap, T: ODataObject> Properties<M> for T {
    fn write_declared(&self, map: &mut M) -> Result<(), M::Error> {
        self.write_properties(map)
    }

    fn undeclared(&self) -> &Extras {
        self.extras()
    }
}

#[inline(never)]
fn write_object<S: Serializer>(
    value: &dyn Properties<S::SerializeMap>,
    serializer: S,
    default_tag: Option<&str>,
) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(None)?;
    let extras = value.undeclared();
    if let Some(tag) = default_tag
        && !extras.has_tag()
    {
        map.serialize_entry(ODATA_TYPE, tag)?;
    }
    extras.write(&mut map, true)?;
    value.write_declared(&mut map)?;
    extras.write(&mut map, false)?;
    map.end()
}

/// `Debug` for generated structs: the type's name and the JSON the value writes, pretty with
/// `{:#?}`: `Call {"id":"57da…","state":"established"}`. What is printed is what would be
/// sent, extras included, and not a line for each absent property. One function for every
/// type, instead of a derived `fmt` in each.
pub fn debug_object<T: Serialize>(value: &T, name: &str, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    let json = if f.alternate() { serde_json::to_string_pretty(value) } else { serde_json::to_string(value) };
    match json {
        Ok(json) => write!(f, "{name} {json}"),
        Err(error) => write!(f, "{name} <not writable as JSON: {error}>"),
    }
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

/// Writes a generated struct's properties in order and keeps the first error: each property
/// is then one call in the generated `write_properties`, without a `?` (a branch and an early
/// return each, which cost the crate's compile time more than the call). After an error the
/// remaining properties are skipped, and [`PropertyWriter::finish`] gives the error.
pub struct PropertyWriter<'a, M: SerializeMap> {
    map: &'a mut M,
    error: Option<M::Error>,
}

impl<'a, M: SerializeMap> PropertyWriter<'a, M> {
    /// Writes into `map`.
    #[inline]
    pub fn new(map: &'a mut M) -> Self {
        PropertyWriter { map, error: None }
    }

    #[inline]
    fn keep(&mut self, written: Result<(), M::Error>) {
        if let Err(error) = written {
            self.error = Some(error);
        }
    }

    /// A property, unless it is absent ([`write_property`]).
    #[inline]
    pub fn property<T: Serialize>(&mut self, key: &'static str, value: &crate::Field<T>) {
        if self.error.is_none() {
            let written = write_property(self.map, key, value);
            self.keep(written);
        }
    }

    /// An enum property in the spelling it came in ([`super::write_enum`]).
    #[inline]
    pub fn enum_value<E: super::EnumType>(&mut self, key: &'static str, value: &crate::Field<E>, extras: &Extras) {
        if self.error.is_none() {
            let written = super::write_enum(self.map, key, value, extras);
            self.keep(written);
        }
    }

    /// A collection of enum values in the spellings they came in ([`super::write_enum_collection`]).
    #[inline]
    pub fn enum_collection<E: super::EnumType>(
        &mut self,
        key: &'static str,
        value: &crate::Field<Vec<E>>,
        extras: &Extras,
    ) {
        if self.error.is_none() {
            let written = super::write_enum_collection(self.map, key, value, extras);
            self.keep(written);
        }
    }

    /// The first error, if a write failed.
    #[inline]
    pub fn finish(self) -> Result<(), M::Error> {
        match self.error {
            Some(error) => Err(error),
            None => Ok(()),
        }
    }
}

/// `Deserialize` for generated structs, through the shared reading loop ([`Slot`]).
pub fn deserialize_struct<'de, T: Structured, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    let mut value = T::default();
    deserializer.deserialize_map(ObjectVisitor { value: &mut value, name: T::ODATA_NAME })?;
    Ok(value)
}

/// `Deserialize` for generated polymorphic enums: the arm that `@odata.type` names, the
/// declared type's arm when it is missing or unknown. Never an error for a tag.
pub fn deserialize_polymorphic<'de, T: Polymorphic + Serialize, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    let mut value = crate::Field::<T>::Absent;
    deserializer.deserialize_map(PolymorphicVisitor { target: &mut value })?;
    Ok(value.into_value().unwrap_or_else(T::fallback))
}

/// What was read before a tag that names another arm, moved into that arm: annotations as
/// they are (no arm declares one), anything else replayed from the JSON the value writes. The
/// JSON is text, not a `Value`: the value's nested values are written with their annotations
/// (and tags) first, and a `Value` would sort their keys, so that each nested value whose tag
/// sorts after another key would be moved again, level after level. Out of line: most values
/// have their tag first, and this code would sit between the reading loop's hot parts.
#[cold]
#[inline(never)]
pub(crate) fn move_to<T: Polymorphic + Serialize, E: de::Error>(
    mut so_far: T,
    mut chosen: T,
    annotations_only: bool,
) -> Result<T, E> {
    if annotations_only {
        std::mem::swap(chosen.extras_mut(), so_far.extras_mut());
    } else {
        let text = serde_json::to_string(&so_far).map_err(de::Error::custom)?;
        let value = chosen.arm_entries();
        serde_json::Deserializer::from_str(&text)
            .deserialize_map(ObjectVisitor { value, name: T::DECLARED })
            .map_err(|e| E::custom(strip_position(&e.to_string())))?;
    }
    Ok(chosen)
}

/// The error of a property's value, with the property's name put in front of its path:
/// ``at `resourceData.state`: invalid type …``. A position that the format reader added
/// (` at line 1 column 9`) is dropped here: it adds it again, once, where the error surfaces.
pub(crate) fn at_property<E: de::Error>(key: &str, error: impl fmt::Display) -> E {
    let text = error.to_string();
    let text = crate::bounded::bounded_message(strip_position(&text));
    let key = crate::bounded::bounded(key);
    match text.strip_prefix("at `").and_then(|rest| rest.split_once("`: ")) {
        Some((path, message)) if path.starts_with('[') => E::custom(format_args!("at `{key}{path}`: {message}")),
        Some((path, message)) => E::custom(format_args!("at `{key}.{path}`: {message}")),
        None => E::custom(format_args!("at `{key}`: {text}")),
    }
}

/// A `Vec` whose item errors say which item: ``at `[3].name`: …``.
#[derive(Debug)]
pub(crate) struct Indexed<T>(pub(crate) Vec<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Indexed<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct IndexedVisitor<T>(PhantomData<T>);

        impl<'de, T: Deserialize<'de>> Visitor<'de> for IndexedVisitor<T> {
            type Value = Indexed<T>;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON array")
            }

            fn visit_seq<S: de::SeqAccess<'de>>(self, mut seq: S) -> Result<Indexed<T>, S::Error> {
                let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
                loop {
                    let index = items.len();
                    match seq.next_element::<T>() {
                        Ok(Some(item)) => items.push(item),
                        Ok(None) => return Ok(Indexed(items)),
                        Err(e) => return Err(at_property(&format!("[{index}]"), e)),
                    }
                }
            }
        }

        deserializer.deserialize_seq(IndexedVisitor(PhantomData))
    }
}

/// `msg at line 3 column 9` → `msg`.
fn strip_position(text: &str) -> &str {
    let Some(at) = text.rfind(" at line ") else { return text };
    let tail = &text[at + " at line ".len()..];
    let is_position = tail
        .split_once(" column ")
        .is_some_and(|(l, c)| l.bytes().all(|b| b.is_ascii_digit()) && c.bytes().all(|b| b.is_ascii_digit()));
    if is_position { &text[..at] } else { text }
}

#[cfg(test)]
mod tests {
    //! The object runtime on hand-written types shaped like generated ones: a base with a
    //! property, a derived type with one more, and their polymorphic enum.
    use super::*;
    use crate::Field;
    use crate::odata::{inspect, round_trip};
    use serde_json::json;

    #[derive(Clone, Debug, Default, PartialEq)]
    struct Base {
        name: Field<String>,
        extras: Extras,
    }

    #[derive(Clone, Debug, Default, PartialEq)]
    struct Derived {
        name: Field<String>,
        size: Field<i32>,
        child: Field<Box<Base>>,
        extras: Extras,
    }

    impl ODataObject for Base {
        fn slot(&mut self, key: &str) -> Option<Slot<'_>> {
            match key {
                "name" => Some(Slot::Text(&mut self.name)),
                _ => None,
            }
        }

        fn write_properties<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
            write_property(map, "name", &self.name)
        }

        fn extras(&self) -> &Extras {
            &self.extras
        }

        fn extras_mut(&mut self) -> &mut Extras {
            &mut self.extras
        }
    }

    impl ODataObject for Derived {
        fn slot(&mut self, key: &str) -> Option<Slot<'_>> {
            Some(match key {
                "name" => Slot::Text(&mut self.name),
                "size" => Slot::Other(&mut self.size),
                "child" => Slot::Boxed(&mut self.child),
                _ => return None,
            })
        }

        fn write_properties<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
            let mut out = PropertyWriter::new(map);
            out.property("name", &self.name);
            out.property("size", &self.size);
            out.property("child", &self.child);
            out.finish()
        }

        fn extras(&self) -> &Extras {
            &self.extras
        }

        fn extras_mut(&mut self) -> &mut Extras {
            &mut self.extras
        }
    }

    macro_rules! serde_struct {
        ($($ty:ident = $name:literal),*) => {$(
            impl Structured for $ty {
                const ODATA_TAG: &'static str = concat!("#", $name);
            }

            impl Serialize for $ty {
                fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    serialize_object(self, serializer, None)
                }
            }

            impl<'de> Deserialize<'de> for $ty {
                fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    deserialize_struct(deserializer)
                }
            }
        )*};
    }

    serde_struct!(Base = "test.base", Derived = "test.derived");

    #[derive(Clone, Debug, PartialEq)]
    enum AnyBase {
        Base(Box<Base>),
        Derived(Box<Derived>),
    }

    impl ODataObject for AnyBase {
        fn slot(&mut self, key: &str) -> Option<Slot<'_>> {
            match self {
                Self::Base(v) => v.slot(key),
                Self::Derived(v) => v.slot(key),
            }
        }

        fn write_properties<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
            match self {
                Self::Base(v) => v.write_properties(map),
                Self::Derived(v) => v.write_properties(map),
            }
        }

        fn extras(&self) -> &Extras {
            match self {
                Self::Base(v) => &v.extras,
                Self::Derived(v) => &v.extras,
            }
        }

        fn extras_mut(&mut self) -> &mut Extras {
            match self {
                Self::Base(v) => &mut v.extras,
                Self::Derived(v) => &mut v.extras,
            }
        }
    }

    impl Polymorphic for AnyBase {
        const DECLARED: &'static str = "test.base";

        fn for_tag(tag: &str) -> Option<Self> {
            Some(match tag {
                "test.base" | "t.base" => Self::Base(Box::default()),
                "test.derived" | "t.derived" => Self::Derived(Box::default()),
                _ => return None,
            })
        }

        fn fallback() -> Self {
            Self::Base(Box::default())
        }

        fn default_tag(&self) -> Option<&'static str> {
            match self {
                Self::Base(_) => None,
                Self::Derived(_) => Some("#test.derived"),
            }
        }

        fn arm_entries(&mut self) -> &mut dyn crate::odata::Entries {
            match self {
                Self::Base(v) => &mut **v,
                Self::Derived(v) => &mut **v,
            }
        }
    }

    impl Serialize for AnyBase {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serialize_object(self, serializer, self.default_tag())
        }
    }

    impl<'de> Deserialize<'de> for AnyBase {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserialize_polymorphic(deserializer)
        }
    }

    fn decode(text: &str) -> AnyBase {
        serde_json::from_str(text).unwrap()
    }

    #[test]
    fn the_tag_chooses_the_arm_with_or_without_hash_and_by_alias() {
        for tag in ["#test.derived", "test.derived", "#t.derived"] {
            let value = decode(&format!(r#"{{"@odata.type": "{tag}", "size": 3}}"#));
            assert!(matches!(&value, AnyBase::Derived(d) if d.size == Field::Value(3)), "{tag}");
        }
    }

    #[test]
    fn keys_before_the_tag_are_replayed_in_order() {
        let text = r##"{"size":3,"zeta":true,"@odata.type":"#test.derived","name":"n","alpha":1}"##;
        let value = decode(text);
        let AnyBase::Derived(d) = &value else { panic!("{value:?}") };
        assert_eq!((d.size, d.name.clone()), (Field::Value(3), Field::Value("n".into())));
        let keys: Vec<_> = d.extras.iter().map(|(k, _)| k).collect();
        assert_eq!(keys, ["zeta", "@odata.type", "alpha"]);
        // Written back: annotations first, then properties, then the other extras.
        let written = serde_json::to_string(&value).unwrap();
        assert_eq!(written, r##"{"@odata.type":"#test.derived","name":"n","size":3,"zeta":true,"alpha":1}"##);
    }

    #[test]
    fn annotations_before_the_tag_move_to_the_arm_in_order() {
        let text = r##"{"@odata.id":"x","@odata.etag":"e","@odata.type":"#test.derived","name":"n"}"##;
        let value = decode(text);
        let AnyBase::Derived(d) = &value else { panic!("{value:?}") };
        let keys: Vec<_> = d.extras.iter().map(|(k, _)| k).collect();
        assert_eq!(keys, ["@odata.id", "@odata.etag", "@odata.type"]);
        assert_eq!(serde_json::to_string(&value).unwrap(), text);
        // A property among them is replayed, as any key before the tag is.
        let value = decode(r##"{"@odata.id":"x","size":2,"@odata.type":"#test.derived"}"##);
        let AnyBase::Derived(d) = &value else { panic!("{value:?}") };
        assert_eq!(d.size, Field::Value(2));
        assert!(d.extras.get("size").is_none());
    }

    #[test]
    fn a_missing_or_unknown_tag_gives_the_declared_arm_with_everything_kept() {
        assert!(matches!(decode(r#"{"name": "n"}"#), AnyBase::Base(_)));
        let value = decode(r##"{"@odata.type": "#test.future", "name": "n", "size": 3}"##);
        let AnyBase::Base(b) = &value else { panic!() };
        assert_eq!(b.extras.odata_type(), Some("#test.future"));
        assert_eq!(b.extras.get("size"), Some(&json!(3)));
        assert!(
            matches!(decode(r#"{"@odata.type": 7}"#), AnyBase::Base(b) if b.extras.get("@odata.type") == Some(&json!(7)))
        );
        assert!(matches!(decode("{}"), AnyBase::Base(_)));
    }

    #[test]
    fn a_struct_keeps_any_tag_as_it_came() {
        for text in [
            r##"{"@odata.type":"#test.base","name":"n"}"##,
            r##"{"name":"n","@odata.type":"#test.base"}"##,
            r##"{"@odata.type":"#test.derived","name":"n"}"##,
            r##"{"@odata.type":"test.base","@odata.type":"#test.base"}"##,
            r#"{"@odata.type":{"a":[1,null]},"name":"n"}"#,
            r#"{"@odata.type":[true,2.5],"name":"n"}"#,
            r#"{"@odata.type":null}"#,
            r#"{"@odata.type":"\u0023test.base"}"#,
        ] {
            let base: Base = serde_json::from_str(text).unwrap();
            let original: Value = serde_json::from_str(text).unwrap();
            assert_eq!(base.extras.get(ODATA_TYPE), original.get(ODATA_TYPE), "{text}");
            assert_eq!(serde_json::to_value(&base).unwrap(), original, "{text}");
        }
        let err = serde_json::from_str::<Base>(r#"{"@odata.type":[1,}"#).unwrap_err().to_string();
        assert!(err.contains("at `@odata.type`"), "{err}");
    }

    #[test]
    fn the_last_tag_decides_even_when_it_names_no_arm() {
        let value = decode(r##"{"@odata.type":"#test.derived","size":3,"@odata.type":"W/\"1\""}"##);
        let AnyBase::Base(b) = &value else { panic!("{value:?}") };
        assert_eq!((b.extras.get("size"), b.extras.odata_type()), (Some(&json!(3)), Some("W/\"1\"")));
        let again: AnyBase = serde_json::from_str(&serde_json::to_string(&value).unwrap()).unwrap();
        assert_eq!(again, value);
        let value =
            decode(r##"{"@odata.type":"#test.derived","@odata.type":"#t.base","@odata.type":"#test.derived"}"##);
        assert!(matches!(value, AnyBase::Derived(_)));
    }

    #[test]
    fn tags_that_come_again_and_again_are_the_last_one_at_the_first_place() {
        // Tags alternate between the two arms after other keys, declared by one arm or none.
        for count in [2, 3, 4, 7, 8] {
            let mut text = String::from("{");
            let mut last = "";
            for k in 0..count {
                last = if k % 2 == 0 { "#test.derived" } else { "#t.base" };
                text.push_str(&format!(r#""k{k}":{k},"size":{k},"name":"n{k}","@odata.type":"{last}","#));
            }
            text.push_str(r#""end":true}"#);
            let value = decode(&text);
            // As if the last tag alone had come, where the first one did.
            let mut once: Value = serde_json::from_str(&text).unwrap();
            once[ODATA_TYPE] = json!(last);
            let expected: AnyBase = serde_json::from_value(once.clone()).unwrap();
            assert_eq!(value, expected, "{text}");
            assert_eq!(serde_json::to_value(&value).unwrap(), once, "{text}");
            let keys: Vec<&str> = value.extras().iter().map(|(k, _)| k).collect();
            assert_eq!(keys.iter().filter(|k| **k == ODATA_TYPE).count(), 1, "{keys:?}");
            assert_eq!(value.extras().odata_type(), Some(last));
        }
        // A tag that names no arm, last, gives the declared type's arm.
        let value = decode(r##"{"size":1,"@odata.type":"#test.derived","@odata.type":"#t.base","@odata.type":7}"##);
        assert!(matches!(&value, AnyBase::Base(b) if b.extras.get(ODATA_TYPE) == Some(&json!(7))), "{value:?}");
        // A value that does not fit the last arm is an error at its property.
        let err = serde_json::from_str::<AnyBase>(
            r##"{"@odata.type":"#t.base","size":"x","@odata.type":"#t.base","@odata.type":"#test.derived"}"##,
        )
        .unwrap_err();
        assert!(err.to_string().starts_with("at `size`: invalid type: string \"x\""), "{err}");
    }

    #[test]
    fn nested_values_moved_with_their_parent_keep_their_arm() {
        let text = r##"{"many":[{"0":1,"size":2,"@odata.type":"#test.derived"}],"one":{"z":1,"size":3,"@odata.type":"#test.derived"}}"##;
        let holder: Holder = serde_json::from_str(text).unwrap();
        assert!(matches!(holder.one.value(), Some(AnyBase::Derived(d)) if d.size == Field::Value(3)));
        let again: Holder = serde_json::from_str(&serde_json::to_string(&holder).unwrap()).unwrap();
        assert_eq!(again, holder);
    }

    #[test]
    fn built_values_are_written_with_their_tag() {
        let built = AnyBase::Derived(Box::new(Derived { size: 1.into(), ..Default::default() }));
        assert_eq!(serde_json::to_value(&built).unwrap(), json!({"@odata.type": "#test.derived", "size": 1}));
        let mut tagged = built.clone();
        tagged.extras_mut().insert(ODATA_TYPE, json!("test.derived"));
        assert_eq!(serde_json::to_value(&tagged).unwrap(), json!({"@odata.type": "test.derived", "size": 1}));
        assert_eq!(serde_json::to_value(AnyBase::fallback()).unwrap(), json!({}));
    }

    #[test]
    fn errors_name_the_json_path() {
        let err = serde_json::from_str::<Derived>(r#"{"child": {"name": 5}}"#).unwrap_err().to_string();
        assert!(err.starts_with("at `child.name`: invalid type: integer `5`, expected a string at line 1"), "{err}");
        let err = serde_json::from_str::<AnyBase>(r##"{"size": "x", "@odata.type": "#test.derived"}"##).unwrap_err();
        assert!(err.to_string().starts_with("at `size`: invalid type: string \"x\""), "{err}");
        let err = serde_json::from_value::<Indexed<Derived>>(json!([{}, {"child": {"name": 5}}])).unwrap_err();
        assert!(err.to_string().starts_with("at `[1].child.name`: invalid type"), "{err}");
        let err = serde_json::from_str::<Derived>("[]").unwrap_err().to_string();
        assert!(err.contains("a `test.derived` object"), "{err}");
        assert_eq!(strip_position("x at line 3 column 9"), "x");
        assert_eq!(strip_position("at line: x"), "at line: x");
    }

    #[test]
    fn inspection_counts_typed_and_extra_members_with_paths() {
        let value: Derived =
            serde_json::from_str(r#"{"name":"n","child":{"name":"c","odd":[1]},"@odata.etag":"e","more":{"a":1}}"#)
                .unwrap();
        let found = inspect(&value);
        assert_eq!((found.typed, found.extras), (3, 3));
        assert_eq!(found.extras_paths, ["@odata.etag", "child.odd", "more"]);
        let list = inspect(&vec![value.clone(), value]);
        assert_eq!(list.extras_paths[3], "[1].@odata.etag");
    }

    /// A map that records the keys written to it and fails on one.
    struct Recorder {
        keys: Vec<String>,
        fail_on: &'static str,
    }

    impl SerializeMap for &mut Recorder {
        type Ok = ();
        type Error = serde_json::Error;

        fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Self::Error> {
            let key = serde_json::to_value(key)?.as_str().unwrap_or_default().to_owned();
            let fails = key == self.fail_on;
            self.keys.push(key);
            match fails {
                true => Err(serde::ser::Error::custom(format_args!("cannot write `{}`", self.fail_on))),
                false => Ok(()),
            }
        }

        fn serialize_value<T: Serialize + ?Sized>(&mut self, _value: &T) -> Result<(), Self::Error> {
            Ok(())
        }

        fn end(self) -> Result<(), Self::Error> {
            Ok(())
        }
    }

    #[test]
    fn the_property_writer_skips_absent_properties_and_stops_at_the_first_error() {
        let value = Derived { name: Field::Value("a".into()), size: Field::Null, ..Derived::default() };
        let mut recorder = Recorder { keys: Vec::new(), fail_on: "none" };
        value.write_properties(&mut &mut recorder).unwrap();
        assert_eq!(recorder.keys, ["name", "size"], "`child` is absent");

        let value = Derived { child: Field::Null, ..value };
        let mut recorder = Recorder { keys: Vec::new(), fail_on: "size" };
        let error = value.write_properties(&mut &mut recorder).unwrap_err();
        assert_eq!(error.to_string(), "cannot write `size`");
        assert_eq!(recorder.keys, ["name", "size"], "nothing is written after the error");
    }

    #[test]
    fn debug_shows_the_name_and_the_json_written() {
        let value = Derived { name: Field::Value("a".into()), size: Field::Null, ..Derived::default() };
        struct Shown<'a>(&'a Derived);
        impl fmt::Debug for Shown<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                debug_object(self.0, "Derived", f)
            }
        }
        assert_eq!(format!("{:?}", Shown(&value)), r#"Derived {"name":"a","size":null}"#);
        assert_eq!(format!("{:#?}", Shown(&value)), "Derived {\n  \"name\": \"a\",\n  \"size\": null\n}");
        let nested = Some(Shown(&value));
        assert_eq!(format!("{nested:?}"), r#"Some(Derived {"name":"a","size":null})"#);
    }

    #[test]
    fn round_trip_reports_the_written_payload_and_its_stability() {
        let rt = round_trip::<AnyBase>(r##"{"name":"n","@odata.type":"#test.derived","x":null}"##).unwrap();
        assert!(rt.stable);
        assert_eq!(rt.value, json!({"@odata.type": "#test.derived", "name": "n", "x": null}));
        assert_eq!((rt.inspection.typed, rt.inspection.extras), (1, 2));
        assert!(round_trip::<AnyBase>("[1]").is_err());
    }

    /// Holds the shapes the shared loop reads through trait objects: a polymorphic value,
    /// collections of polymorphic values and of structs, and one-or-many.
    #[derive(Debug, Default, PartialEq)]
    struct Holder {
        one: Field<AnyBase>,
        many: Field<Vec<AnyBase>>,
        bases: Field<Vec<Base>>,
        either: Field<crate::odata::OneOrMany<AnyBase>>,
        extras: Extras,
    }

    impl ODataObject for Holder {
        fn slot(&mut self, key: &str) -> Option<Slot<'_>> {
            Some(match key {
                "one" => Slot::Polymorphic(&mut self.one),
                "many" => Slot::Polymorphics(&mut self.many),
                "bases" => Slot::Structs(&mut self.bases),
                "either" => Slot::OneOrMany(&mut self.either),
                _ => return None,
            })
        }

        fn write_properties<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
            let mut out = PropertyWriter::new(map);
            out.property("one", &self.one);
            out.property("many", &self.many);
            out.property("bases", &self.bases);
            out.property("either", &self.either);
            out.finish()
        }

        fn extras(&self) -> &Extras {
            &self.extras
        }

        fn extras_mut(&mut self) -> &mut Extras {
            &mut self.extras
        }
    }

    serde_struct!(Holder = "test.holder");

    #[test]
    fn polymorphic_values_and_collections_read_through_their_slots() {
        let text = r##"{"one": {"size": 1, "@odata.type": "#test.derived"},
            "many": [{"@odata.type": "#t.derived", "size": 2}, {}, {"name": "x", "@odata.type": "#test.derived"}],
            "bases": [{"name": "a"}, {"name": "b", "z": 1}],
            "either": [{"@odata.type": "#test.derived"}], "other": true}"##;
        let holder: Holder = serde_json::from_str(text).unwrap();
        assert!(matches!(holder.one.value(), Some(AnyBase::Derived(d)) if d.size == Field::Value(1)));
        let many = holder.many.value().unwrap();
        assert!(matches!(&many[..], [AnyBase::Derived(_), AnyBase::Base(_), AnyBase::Derived(_)]), "{many:?}");
        let bases = holder.bases.value().unwrap();
        assert_eq!((bases.len(), bases[1].extras.get("z")), (2, Some(&json!(1))));
        assert!(matches!(holder.either.value(), Some(crate::odata::OneOrMany::Many(items)) if items.len() == 1));
        assert_eq!(holder.extras.get("other"), Some(&json!(true)));
        let again = serde_json::to_value(&holder).unwrap();
        assert_eq!(again, serde_json::from_str::<Value>(text).unwrap());

        let one: Holder = serde_json::from_str(r#"{"either": {"name": "n"}, "many": [], "bases": []}"#).unwrap();
        assert!(matches!(one.either.value(), Some(crate::odata::OneOrMany::One(AnyBase::Base(_)))));
        assert_eq!((one.many, one.bases), (Field::Value(vec![]), Field::Value(vec![])));
        let nulls: Holder =
            serde_json::from_str(r#"{"one": null, "many": null, "bases": null, "either": null}"#).unwrap();
        assert!(nulls.one.is_null() && nulls.many.is_null() && nulls.bases.is_null() && nulls.either.is_null());
    }

    #[test]
    fn item_errors_name_the_collection_and_the_index() {
        let cases = [
            (r##"{"many": [{}, {"size": "x", "@odata.type": "#test.derived"}]}"##, "at `many[1].size`"),
            (r#"{"many": [{}, null]}"#, "at `many[1]`: invalid type: null, expected a `test.base` object"),
            (r#"{"bases": [{}, 3]}"#, "at `bases[1]`: invalid type: integer `3`, expected a `test.base` object"),
            (r##"{"either": [{}, {"@odata.type": "#test.derived", "size": true}]}"##, "at `either[1].size`"),
            (r#"{"either": 3}"#, "at `either`: invalid type: integer `3`, expected an object or an array of objects"),
        ];
        for (text, expected) in cases {
            let err = serde_json::from_str::<Holder>(text).unwrap_err().to_string();
            assert!(err.starts_with(expected), "{text}: {err}");
        }
    }
}
