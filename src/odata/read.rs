//! Reading JSON objects into generated types with code that is compiled once per reader of
//! JSON, not once per type: each type only says where the value of each of its keys goes (a
//! [`Slot`]); one loop per JSON reader reads every object, through trait objects, and one
//! reader per JSON reader reads every kind of value.
//!
//! serde's derive compiles a visitor, a key match and a reader of each field's type for every
//! type and every format. Here what is compiled per type is a match from key to slot and a few
//! small functions that make an empty value; the rest is shared, so that decoding many types
//! runs the same few kilobytes of code.

use super::Extras;
use super::extras::Tag;
use super::object::{ODATA_TYPE, at_property, move_to};
use super::{EnumType, Polymorphic, Structured};
use crate::Field;
use crate::edm;
use serde::Serialize;
use serde::de::{self, DeserializeOwned, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use std::borrow::Cow;
use std::fmt;

macro_rules! slots {
    ($($(#[$doc:meta])* $variant:ident($ty:ty),)*) => {
        /// Where the value of a declared property goes: one variant for each kind of value the
        /// shared reader reads. What a generated `ODataObject::slot` answers for a key.
        pub enum Slot<'a> {
            $($(#[$doc])* $variant(&'a mut Field<$ty>),)*
            /// A struct.
            Struct(&'a mut dyn StructSlot),
            /// A boxed struct (of a type that contains itself).
            Boxed(&'a mut dyn BoxedSlot),
            /// A polymorphic value.
            Polymorphic(&'a mut dyn PolymorphicSlot),
            /// A collection of structs.
            Structs(&'a mut dyn StructsSlot),
            /// A collection of polymorphic values.
            Polymorphics(&'a mut dyn PolymorphicsSlot),
            /// An enum value, the extras that keep its spelling, and the property's JSON name.
            Enum(&'a mut dyn EnumSlot, &'a mut Extras, &'static str),
            /// One polymorphic value or an array of them ([`OneOrMany`](super::OneOrMany)).
            OneOrMany(&'a mut dyn OneOrManySlot),
            /// A collection of enum values, as [`Slot::Enum`].
            Enums(&'a mut dyn EnumsSlot, &'a mut Extras, &'static str),
            /// Any other value: read as JSON first, then as its type (collections of primitives
            /// but strings, flags, `OneOrMany` of structs).
            Other(&'a mut dyn OtherSlot),
        }

        /// Reads the next value of `map` into `slot`: one function per reader of JSON for every
        /// kind of value.
        pub(crate) fn read_slot<'de, A: MapAccess<'de>>(map: &mut A, slot: Slot<'_>) -> Result<(), A::Error> {
            map.next_value_seed(SlotValue(slot))
        }

        /// Reads a slot's value from the JSON reader itself, so that the map reader's step to
        /// the value (past the `:`) is compiled once, not once for each kind of value.
        struct SlotValue<'a>(Slot<'a>);

        impl<'de> DeserializeSeed<'de> for SlotValue<'_> {
            type Value = ();

            fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
                match self.0 {
                    $(Slot::$variant(field) => *field = de::Deserialize::deserialize(deserializer)?,)*
                    Slot::Struct(slot) => Nullable::Struct(slot).deserialize(deserializer)?,
                    Slot::Boxed(slot) => Nullable::Boxed(slot).deserialize(deserializer)?,
                    Slot::Polymorphic(slot) => Nullable::Polymorphic(slot).deserialize(deserializer)?,
                    Slot::Structs(slot) => Nullable::Items(Items::Structs(slot)).deserialize(deserializer)?,
                    Slot::Polymorphics(slot) => Nullable::Items(Items::Polymorphics(slot)).deserialize(deserializer)?,
                    Slot::OneOrMany(slot) => Nullable::OneOrMany(slot).deserialize(deserializer)?,
                    Slot::Enum(field, extras, property) => {
                        field.set(super::enums::read_member(deserializer, field.names(), field.enum_name(), extras, property)?)
                    }
                    Slot::Enums(field, extras, property) => {
                        field.set(super::enums::read_members(deserializer, field.names(), field.enum_name(), extras, property)?)
                    }
                    Slot::Other(slot) => {
                        let value = <Value as de::Deserialize>::deserialize(deserializer)?;
                        slot.set(value).map_err(de::Error::custom)?
                    }
                }
                Ok(())
            }
        }
    };
}

slots! {
    /// `Edm.String`.
    Text(String),
    /// `Edm.Boolean`.
    Boolean(bool),
    /// `Edm.Byte`.
    Byte(edm::Byte),
    /// `Edm.SByte`.
    SByte(edm::SByte),
    /// `Edm.Int16`.
    Int16(edm::Int16),
    /// `Edm.Int32`.
    Int32(edm::Int32),
    /// `Edm.Int64`.
    Int64(edm::Int64),
    /// `Edm.Single` and `Edm.Double`.
    Float(edm::Float),
    /// `Edm.Decimal`.
    Decimal(edm::Decimal),
    /// `Edm.Binary`.
    Binary(edm::Binary),
    /// `Edm.Date`.
    Date(edm::Date),
    /// `Edm.DateTimeOffset`.
    DateTimeOffset(edm::DateTimeOffset),
    /// `Edm.Duration`.
    Duration(edm::Duration),
    /// `Edm.Guid`.
    Guid(edm::Guid),
    /// `Edm.TimeOfDay`.
    TimeOfDay(edm::TimeOfDay),
    /// An untyped value (`Edm.Untyped`, streams, geography).
    Json(Value),
    /// A collection of `Edm.String`.
    Texts(Vec<String>),
}

/// A struct's entries, as the shared loop sees them: what every [`Structured`] type is,
/// object-safe. (A polymorphic value is read into its arm's: [`Polymorphic::arm_entries`].)
pub trait Entries {
    /// Where the value of `key` goes, if the type declares it.
    fn slot(&mut self, key: &str) -> Option<Slot<'_>>;
    /// Where the other entries go.
    fn undeclared(&mut self) -> &mut Extras;
    /// The type's own `@odata.type` ([`Structured::ODATA_TAG`]).
    fn own_tag(&self) -> &'static str;
}

impl<T: Structured> Entries for T {
    fn slot(&mut self, key: &str) -> Option<Slot<'_>> {
        super::ODataObject::slot(self, key)
    }

    fn undeclared(&mut self) -> &mut Extras {
        self.extras_mut()
    }

    fn own_tag(&self) -> &'static str {
        T::ODATA_TAG
    }
}

/// Reads every entry of an object into `value`: declared properties into their slots, the
/// rest into its extras. One function per reader of JSON for every type.
#[inline(never)]
fn read_entries<'de, A: MapAccess<'de>>(value: &mut dyn Entries, map: &mut A) -> Result<(), A::Error> {
    while let Some(key) = map.next_key::<Key<'de>>()? {
        read_entry(value, key.0, map)?;
    }
    Ok(())
}

/// Reads the value of `key` into its slot, or into the extras.
fn read_entry<'de, A: MapAccess<'de>>(
    value: &mut dyn Entries,
    key: Cow<'de, str>,
    map: &mut A,
) -> Result<(), A::Error> {
    match value.slot(&key) {
        Some(slot) => read_slot(map, slot).map_err(|e| at_property(&key, e)),
        None if key == ODATA_TYPE => {
            let tag = map.next_value_seed(TagSeed).map_err(|e| at_property(&key, e))?;
            let own = value.own_tag();
            value.undeclared().insert_tag(tag, own);
            Ok(())
        }
        None => read_extra(value.undeclared(), key, map),
    }
}

/// Reads the value of an undeclared `key` into `extras`, as JSON. Inline in its two callers,
/// as it was in `read_entry` before `read_polymorphic` used it too.
#[inline(always)]
fn read_extra<'de, A: MapAccess<'de>>(extras: &mut Extras, key: Cow<'de, str>, map: &mut A) -> Result<(), A::Error> {
    let extra: Value = map.next_value().map_err(|e| at_property(&key, e))?;
    extras.insert_read(key, extra);
    Ok(())
}

/// Sets `field` to `value` and gives the value set, to read into.
fn fill<T>(field: &mut Field<T>, value: T) -> &mut T {
    *field = Field::Value(value);
    match field {
        Field::Value(value) => value,
        _ => unreachable!("the field was just set"),
    }
}

/// The collection in `field`, made empty if there is none.
fn items<T>(field: &mut Field<Vec<T>>) -> &mut Vec<T> {
    match field {
        Field::Value(items) => items,
        other => fill(other, Vec::new()),
    }
}

/// Reads a polymorphic value's entries: the arm that `@odata.type` names, the declared type's
/// arm when it is missing or unknown. Never an error for a tag.
///
/// One pass: annotations (`@odata.id`, `@odata.etag`) wait until a tag or another key says
/// which arm to make; then keys go into that arm (most values have no tag, or have it first,
/// or after annotations only). A tag that comes after other keys and names another arm moves
/// what was read so far into that arm ([`move_to`](super::object::move_to)), and reading goes
/// on there.
///
/// The last tag decides, as the last value of any repeated key does, and it is kept at the
/// first tag's place. So that a value whose tag comes again and again costs no more than one
/// whose tag comes once, only the first tag after other keys moves the value at once; the
/// later ones are kept as they come, and if the last names another arm than the value's, the
/// value moves there once, at its end. A value moves twice at most.
#[inline(never)]
fn read_polymorphic<'de, A: MapAccess<'de>>(target: &mut dyn PolymorphicTarget, map: &mut A) -> Result<(), A::Error> {
    // The annotations before the arm is made: no arm declares one, so they go into the arm's
    // extras as they are, once it is made (and it is made only once).
    let mut annotations = Extras::new();
    let mut made = false;
    // Whether every key since the arm was made was an annotation: a later tag that names
    // another arm moves them as they are, without a replay.
    let mut annotations_only = true;
    // Whether a late tag moved the value already: the next ones wait for the end.
    let mut moved = false;
    let mut retag_at_end = false;
    while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
        if key != ODATA_TYPE {
            if !made {
                if key.starts_with('@') {
                    read_extra(&mut annotations, key, map)?;
                    continue;
                }
                make(target, None, &mut annotations);
                made = true;
            }
            annotations_only &= key.starts_with('@');
            read_entry(target.current(), key, map)?;
            continue;
        }
        let tag = map.next_value_seed(TagSeed)?;
        match (made, moved) {
            (false, _) => make(target, tag_name(&tag), &mut annotations),
            (true, false) => {
                target.retag(tag_name(&tag), annotations_only).map_err(de::Error::custom)?;
                moved = true;
            }
            (true, true) => retag_at_end = true,
        }
        made = true;
        let arm = target.current();
        let own = arm.own_tag();
        arm.undeclared().insert_tag(tag, own);
    }
    if !made {
        make(target, None, &mut annotations);
    }
    if retag_at_end {
        // The extras keep a repeated key's last value: the last tag.
        let last = target.current().undeclared().odata_type().map(|tag| tag.trim_start_matches('#').to_owned());
        target.retag(last.as_deref(), annotations_only).map_err(de::Error::custom)?;
    }
    Ok(())
}

/// The type name a tag gives: its text without `#`; none for a tag that is not text (which
/// names no arm).
fn tag_name<'t>(tag: &'t Tag<'_>) -> Option<&'t str> {
    match tag {
        Tag::Text(text) => Some(text.trim_start_matches('#')),
        Tag::Other(_) => None,
    }
}

/// Makes the arm that `tag` names (see [`PolymorphicTarget::make`]), with the annotations read
/// before it as its first extras.
fn make(target: &mut dyn PolymorphicTarget, tag: Option<&str>, annotations: &mut Extras) {
    target.make(tag);
    if !annotations.is_empty() {
        std::mem::swap(target.current().undeclared(), annotations);
    }
}

/// Reads an object into a struct: one visitor type for every struct.
pub(crate) struct ObjectVisitor<'a> {
    pub(crate) value: &'a mut dyn Entries,
    pub(crate) name: &'static str,
}

impl<'de> Visitor<'de> for ObjectVisitor<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "a `{}` object", self.name)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        read_entries(self.value, &mut map)
    }
}

/// Reads an object into a polymorphic value: one visitor type for every polymorphic type.
pub(crate) struct PolymorphicVisitor<'a> {
    pub(crate) target: &'a mut dyn PolymorphicTarget,
}

impl<'de> Visitor<'de> for PolymorphicVisitor<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "a `{}` object", self.target.declared())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        read_polymorphic(self.target, &mut map)
    }
}

/// A field of a struct type.
pub trait StructSlot {
    /// Sets `null`.
    fn set_null(&mut self);
    /// Sets an empty value, to read into; the type's name.
    fn start(&mut self) -> (&mut dyn Entries, &'static str);
}

impl<T: Structured> StructSlot for Field<T> {
    fn set_null(&mut self) {
        *self = Field::Null;
    }

    fn start(&mut self) -> (&mut dyn Entries, &'static str) {
        (fill::<T>(self, T::default()), T::ODATA_NAME)
    }
}

/// A field of a boxed struct type.
pub trait BoxedSlot {
    /// Sets `null`.
    fn set_null(&mut self);
    /// Sets an empty value, to read into; the type's name.
    fn start(&mut self) -> (&mut dyn Entries, &'static str);
}

impl<T: Structured> BoxedSlot for Field<Box<T>> {
    fn set_null(&mut self) {
        *self = Field::Null;
    }

    fn start(&mut self) -> (&mut dyn Entries, &'static str) {
        (&mut **fill(self, Box::default()), T::ODATA_NAME)
    }
}

/// Where a polymorphic value is made, once its first key or its tag says which arm.
pub trait PolymorphicTarget {
    /// The declared type's name.
    fn declared(&self) -> &'static str;
    /// Makes the value: the arm that `tag` names, else the declared type's.
    fn make(&mut self, tag: Option<&str>);
    /// The value made.
    fn current(&mut self) -> &mut dyn Entries;
    /// Moves the value made into the arm that `tag` names, if it is another.
    fn retag(&mut self, tag: Option<&str>, annotations_only: bool) -> Result<(), String>;
}

fn arm_for<T: Polymorphic>(tag: Option<&str>) -> T {
    tag.and_then(T::for_tag).unwrap_or_else(T::fallback)
}

/// `value` moved into the arm `tag` names, if that is another arm than its own.
fn retagged<T: Polymorphic + Serialize>(value: T, tag: Option<&str>, annotations_only: bool) -> Result<T, String> {
    let chosen = arm_for::<T>(tag);
    match std::mem::discriminant(&chosen) == std::mem::discriminant(&value) {
        true => Ok(value),
        false => move_to::<T, serde_json::Error>(value, chosen, annotations_only).map_err(|e| e.to_string()),
    }
}

/// A field of a polymorphic type.
pub trait PolymorphicSlot {
    /// Sets `null`.
    fn set_null(&mut self);
    /// Where the value goes; the field is absent until it is made.
    fn target(&mut self) -> &mut dyn PolymorphicTarget;
}

impl<T: Polymorphic + Serialize> PolymorphicSlot for Field<T> {
    fn set_null(&mut self) {
        *self = Field::Null;
    }

    fn target(&mut self) -> &mut dyn PolymorphicTarget {
        *self = Field::Absent;
        self
    }
}

impl<T: Polymorphic + Serialize> PolymorphicTarget for Field<T> {
    fn declared(&self) -> &'static str {
        T::DECLARED
    }

    fn make(&mut self, tag: Option<&str>) {
        *self = Field::Value(arm_for(tag));
    }

    fn current(&mut self) -> &mut dyn Entries {
        match self {
            Field::Value(value) => value.arm_entries(),
            // Not reached: `make` comes first.
            other => fill::<T>(other, T::fallback()).arm_entries(),
        }
    }

    fn retag(&mut self, tag: Option<&str>, annotations_only: bool) -> Result<(), String> {
        if let Field::Value(value) = std::mem::take(self) {
            *self = Field::Value(retagged(value, tag, annotations_only)?);
        }
        Ok(())
    }
}

/// A field that is a collection of structs.
pub trait StructsSlot {
    /// Sets `null`.
    fn set_null(&mut self);
    /// Sets an empty collection, with room for `capacity` items.
    fn start(&mut self, capacity: usize);
    /// Adds an empty item, to read into; the type's name.
    fn push(&mut self) -> (&mut dyn Entries, &'static str);
}

impl<T: Structured> StructsSlot for Field<Vec<T>> {
    fn set_null(&mut self) {
        *self = Field::Null;
    }

    fn start(&mut self, capacity: usize) {
        *self = Field::Value(Vec::with_capacity(capacity));
    }

    fn push(&mut self) -> (&mut dyn Entries, &'static str) {
        let items = items(self);
        items.push(T::default());
        let item = items.last_mut().expect("an item was just pushed");
        (item, T::ODATA_NAME)
    }
}

/// A field that is a collection of polymorphic values.
pub trait PolymorphicsSlot {
    /// Sets `null`.
    fn set_null(&mut self);
    /// Sets an empty collection, with room for `capacity` items.
    fn start(&mut self, capacity: usize);
    /// Where the next item goes: [`PolymorphicTarget::make`] adds it.
    fn target(&mut self) -> &mut dyn PolymorphicTarget;
}

impl<T: Polymorphic + Serialize> PolymorphicsSlot for Field<Vec<T>> {
    fn set_null(&mut self) {
        *self = Field::Null;
    }

    fn start(&mut self, capacity: usize) {
        *self = Field::Value(Vec::with_capacity(capacity));
    }

    fn target(&mut self) -> &mut dyn PolymorphicTarget {
        items(self)
    }
}

/// A collection's next item: `make` adds it at the end.
impl<T: Polymorphic + Serialize> PolymorphicTarget for Vec<T> {
    fn declared(&self) -> &'static str {
        T::DECLARED
    }

    fn make(&mut self, tag: Option<&str>) {
        self.push(arm_for(tag));
    }

    fn current(&mut self) -> &mut dyn Entries {
        if self.is_empty() {
            // Not reached: `make` comes first.
            self.push(T::fallback());
        }
        self.last_mut().expect("an item is there").arm_entries()
    }

    fn retag(&mut self, tag: Option<&str>, annotations_only: bool) -> Result<(), String> {
        if let Some(value) = self.pop() {
            self.push(retagged(value, tag, annotations_only)?);
        }
        Ok(())
    }
}

/// A field of an enum type.
pub trait EnumSlot {
    /// The members' CSDL spellings ([`EnumType::NAMES`]).
    fn names(&self) -> &'static [&'static str];
    /// The enum type's name.
    fn enum_name(&self) -> &'static str;
    /// Sets the member at an index of `names`, a value the schema does not define, or `null`.
    fn set(&mut self, found: Option<Result<usize, String>>);
}

impl<E: EnumType> EnumSlot for Field<E> {
    fn names(&self) -> &'static [&'static str] {
        E::NAMES
    }

    fn enum_name(&self) -> &'static str {
        E::ODATA_NAME
    }

    fn set(&mut self, found: Option<Result<usize, String>>) {
        *self = match found {
            Some(found) => Field::Value(super::enums::chosen(found)),
            None => Field::Null,
        };
    }
}

/// A field that is a collection of enum values.
pub trait EnumsSlot {
    /// The members' CSDL spellings ([`EnumType::NAMES`]).
    fn names(&self) -> &'static [&'static str];
    /// The enum type's name.
    fn enum_name(&self) -> &'static str;
    /// Sets the items (see [`EnumSlot::set`]), or `null`.
    fn set(&mut self, found: Option<Vec<Result<usize, String>>>);
}

impl<E: EnumType> EnumsSlot for Field<Vec<E>> {
    fn names(&self) -> &'static [&'static str] {
        E::NAMES
    }

    fn enum_name(&self) -> &'static str {
        E::ODATA_NAME
    }

    fn set(&mut self, found: Option<Vec<Result<usize, String>>>) {
        *self = match found {
            Some(items) => Field::Value(items.into_iter().map(super::enums::chosen).collect()),
            None => Field::Null,
        };
    }
}

/// A field of any other type, read from its JSON value.
pub trait OtherSlot {
    /// Sets the value `json` holds.
    fn set(&mut self, json: Value) -> Result<(), serde_json::Error>;
}

impl<T: DeserializeOwned> OtherSlot for Field<T> {
    fn set(&mut self, json: Value) -> Result<(), serde_json::Error> {
        *self = serde::Deserialize::deserialize(json)?;
        Ok(())
    }
}

/// A value that may be `null`, and the slot it goes to: one seed for every kind of slot that
/// reads an object or an array, so that `null` is handled in one place.
enum Nullable<'a> {
    Struct(&'a mut dyn StructSlot),
    Boxed(&'a mut dyn BoxedSlot),
    Polymorphic(&'a mut dyn PolymorphicSlot),
    Items(Items<'a>),
    OneOrMany(&'a mut dyn OneOrManySlot),
}

/// A collection field of structs or of polymorphic values.
enum Items<'a> {
    Structs(&'a mut dyn StructsSlot),
    Polymorphics(&'a mut dyn PolymorphicsSlot),
}

impl<'de> DeserializeSeed<'de> for Nullable<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_option(self)
    }
}

impl<'de> Visitor<'de> for Nullable<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(match self {
            Nullable::Items(_) => "a JSON array",
            Nullable::OneOrMany(_) => "an object or an array of objects",
            _ => "an object or null",
        })
    }

    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        match self {
            Nullable::Struct(slot) => slot.set_null(),
            Nullable::Boxed(slot) => slot.set_null(),
            Nullable::Polymorphic(slot) => slot.set_null(),
            Nullable::Items(Items::Structs(slot)) => slot.set_null(),
            Nullable::Items(Items::Polymorphics(slot)) => slot.set_null(),
            Nullable::OneOrMany(slot) => slot.set_null(),
        }
        Ok(())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.visit_none()
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        match self {
            Nullable::Struct(slot) => {
                let (value, name) = slot.start();
                deserializer.deserialize_map(ObjectVisitor { value, name })
            }
            Nullable::Boxed(slot) => {
                let (value, name) = slot.start();
                deserializer.deserialize_map(ObjectVisitor { value, name })
            }
            Nullable::Polymorphic(slot) => deserializer.deserialize_map(PolymorphicVisitor { target: slot.target() }),
            Nullable::Items(items) => deserializer.deserialize_seq(ItemsVisitor(items)),
            Nullable::OneOrMany(slot) => deserializer.deserialize_any(OneOrManyVisitor(slot)),
        }
    }
}

struct ItemsVisitor<'a>(Items<'a>);

impl<'de> Visitor<'de> for ItemsVisitor<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON array")
    }

    fn visit_seq<S: SeqAccess<'de>>(self, seq: S) -> Result<(), S::Error> {
        let capacity = seq.size_hint().unwrap_or(0).min(4096);
        let mut items = self.0;
        match &mut items {
            Items::Structs(slot) => slot.start(capacity),
            Items::Polymorphics(slot) => slot.start(capacity),
        }
        match items {
            Items::Structs(slot) => read_items(seq, |seq| seq.next_element_seed(ItemSeed::Struct(&mut *slot))),
            Items::Polymorphics(slot) => {
                let target = slot.target();
                read_items(seq, |seq| seq.next_element_seed(ItemSeed::Polymorphic(&mut *target)))
            }
        }
    }
}

/// Reads every item of an array with `next`; an item's error says which item.
fn read_items<'de, S: SeqAccess<'de>>(
    mut seq: S,
    mut next: impl FnMut(&mut S) -> Result<Option<()>, S::Error>,
) -> Result<(), S::Error> {
    for index in 0.. {
        match next(&mut seq) {
            Ok(Some(())) => {}
            Ok(None) => break,
            Err(e) => return Err(at_property(&format!("[{index}]"), e)),
        }
    }
    Ok(())
}

/// A field of one polymorphic value or an array of them.
pub trait OneOrManySlot {
    /// Sets `null`.
    fn set_null(&mut self);
    /// Where one value goes.
    fn one(&mut self) -> &mut dyn PolymorphicTarget;
    /// Sets an empty array with room for `capacity` items; where its items go.
    fn many(&mut self, capacity: usize) -> &mut dyn PolymorphicTarget;
}

impl<T: Polymorphic + Serialize> OneOrManySlot for Field<super::OneOrMany<T>> {
    fn set_null(&mut self) {
        *self = Field::Null;
    }

    fn one(&mut self) -> &mut dyn PolymorphicTarget {
        // An empty array until the value is made, which allocates nothing.
        fill::<super::OneOrMany<T>>(self, super::OneOrMany::Many(Vec::new()))
    }

    fn many(&mut self, capacity: usize) -> &mut dyn PolymorphicTarget {
        match fill::<super::OneOrMany<T>>(self, super::OneOrMany::Many(Vec::with_capacity(capacity))) {
            super::OneOrMany::Many(items) => items,
            one => one,
        }
    }
}

/// The one value of a [`OneOrMany`](super::OneOrMany): `make` sets it.
impl<T: Polymorphic + Serialize> PolymorphicTarget for super::OneOrMany<T> {
    fn declared(&self) -> &'static str {
        T::DECLARED
    }

    fn make(&mut self, tag: Option<&str>) {
        *self = super::OneOrMany::One(arm_for(tag));
    }

    fn current(&mut self) -> &mut dyn Entries {
        if let super::OneOrMany::Many(_) = self {
            // Not reached: `make` comes first.
            *self = super::OneOrMany::One(T::fallback());
        }
        match self {
            super::OneOrMany::One(value) => value.arm_entries(),
            super::OneOrMany::Many(_) => unreachable!("the value was just set"),
        }
    }

    fn retag(&mut self, tag: Option<&str>, annotations_only: bool) -> Result<(), String> {
        if let super::OneOrMany::One(value) = std::mem::replace(self, super::OneOrMany::Many(Vec::new())) {
            *self = super::OneOrMany::One(retagged(value, tag, annotations_only)?);
        }
        Ok(())
    }
}

/// Reads an object or an array of objects into a [`OneOrManySlot`].
struct OneOrManyVisitor<'a>(&'a mut dyn OneOrManySlot);

impl<'de> Visitor<'de> for OneOrManyVisitor<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object or an array of objects")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        PolymorphicVisitor { target: self.0.one() }.visit_map(map)
    }

    fn visit_seq<S: SeqAccess<'de>>(self, seq: S) -> Result<(), S::Error> {
        let target = self.0.many(seq.size_hint().unwrap_or(0).min(4096));
        read_items(seq, |seq| seq.next_element_seed(ItemSeed::Polymorphic(&mut *target)))
    }
}

/// An item of a collection field, made when there is one.
enum ItemSeed<'a> {
    Struct(&'a mut dyn StructsSlot),
    Polymorphic(&'a mut dyn PolymorphicTarget),
}

impl<'de> DeserializeSeed<'de> for ItemSeed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        match self {
            ItemSeed::Struct(slot) => {
                let (value, name) = slot.push();
                deserializer.deserialize_map(ObjectVisitor { value, name })
            }
            ItemSeed::Polymorphic(target) => deserializer.deserialize_map(PolymorphicVisitor { target }),
        }
    }
}

/// Reads an `@odata.type`: its text, borrowed from the input when it can be (most tags are
/// kept without a copy: [`Extras::insert_tag`]), or any other value as JSON.
struct TagSeed;

impl<'de> DeserializeSeed<'de> for TagSeed {
    type Value = Tag<'de>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Tag<'de>, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for TagSeed {
    type Value = Tag<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a type name")
    }

    fn visit_borrowed_str<E: de::Error>(self, text: &'de str) -> Result<Tag<'de>, E> {
        Ok(Tag::Text(Cow::Borrowed(text)))
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Tag<'de>, E> {
        Ok(Tag::Text(Cow::Owned(text.to_owned())))
    }

    fn visit_string<E: de::Error>(self, text: String) -> Result<Tag<'de>, E> {
        Ok(Tag::Text(Cow::Owned(text)))
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Tag<'de>, E> {
        Ok(Tag::Other(Value::Bool(value)))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Tag<'de>, E> {
        Ok(Tag::Other(Value::from(value)))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Tag<'de>, E> {
        Ok(Tag::Other(Value::from(value)))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Tag<'de>, E> {
        Ok(Tag::Other(Value::from(value)))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Tag<'de>, E> {
        Ok(Tag::Other(Value::Null))
    }

    fn visit_none<E: de::Error>(self) -> Result<Tag<'de>, E> {
        Ok(Tag::Other(Value::Null))
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Tag<'de>, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<S: SeqAccess<'de>>(self, seq: S) -> Result<Tag<'de>, S::Error> {
        <Value as serde::Deserialize>::deserialize(de::value::SeqAccessDeserializer::new(seq)).map(Tag::Other)
    }

    fn visit_map<M: MapAccess<'de>>(self, map: M) -> Result<Tag<'de>, M::Error> {
        <Value as serde::Deserialize>::deserialize(de::value::MapAccessDeserializer::new(map)).map(Tag::Other)
    }
}

/// A map key, borrowed from the input when it can be.
pub(crate) struct Key<'de>(pub(crate) Cow<'de, str>);

impl<'de> de::Deserialize<'de> for Key<'de> {
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
