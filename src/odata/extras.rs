//! [`Extras`]: what a generated struct does not declare, kept in order.

use serde::de::{Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::sync::Mutex;

/// The name under which extras values are serialized (as a newtype, which JSON writes as the
/// value itself), so that an inspecting serializer can tell them from typed properties.
pub(crate) const EXTRA_MARKER: &str = "$msgraph_comms::extra";

/// Properties a type does not declare and instance annotations (`@odata.type`, `@odata.etag`,
/// `prop@odata.type`, …), in the order they came, so that a value re-encodes with nothing lost.
///
/// A key that comes twice keeps its first place and its last value, as `serde_json` does.
/// Equality compares the members, whatever their order (JSON objects have none; annotations
/// are written before properties, so a value written and read again has them first).
/// Lookups scan a few entries and use a hash index beyond that, so that an object with many
/// undeclared keys costs linear time, not quadratic.
#[derive(Clone)]
pub struct Extras {
    /// `@odata.type`, when it is the tag of the value's own type (`#microsoft.graph.call` on a
    /// call): the type's own `&'static str`, where any other tag is a `String` in `entries`.
    /// Most tagged values are such, and so keep their tag without allocating it (or, when it
    /// is their only extra, a vector for it). When set, no entry in `entries` has its key.
    own_tag: Option<OwnTag>,
    /// Keys are borrowed for the usual OData annotations (see [`intern`]), owned otherwise.
    entries: Vec<Entry>,
    /// Positions by key, once there are more than [`INDEXED_FROM`] entries.
    index: Option<Box<KeyIndex>>,
    /// Enum values that came in another spelling than the schema's (`"Running"` for
    /// `running`), by property and collection index, sorted by both, so that they are written
    /// back as sent.
    /// Boxed, as the index is: few values have any, and every struct carries an `Extras`.
    spellings: Option<Box<Spellings>>,
}

/// A key and its value.
type Entry = (Cow<'static, str>, Value);

/// An enum value's spelling: the property, the index in a collection, the text.
type Spelling = (&'static str, Option<usize>, Box<str>);

/// [`Extras::spellings`], sorted by property and index.
#[derive(Clone, Default)]
struct Spellings(Vec<Spelling>);

/// [`Extras::own_tag`]: the tag, and its place in the order, as how many of `entries` come
/// before it.
#[derive(Clone, Copy, Debug)]
struct OwnTag {
    tag: &'static str,
    at: usize,
}

/// How many entries a scan looks through before a hash index is built.
const INDEXED_FROM: usize = 16;

/// Positions of the entries by key. Boxed in [`Extras`]: most values have a few extras or
/// none, and every generated struct carries one `Extras`, which this keeps one pointer wide.
#[derive(Clone, Default)]
struct KeyIndex(HashMap<Box<str>, usize>);

impl Default for Extras {
    fn default() -> Self {
        Extras::new()
    }
}

impl fmt::Debug for Extras {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Extras").field("entries", &DebugEntries(self)).field("spellings", &self.spellings()).finish()
    }
}

impl PartialEq for Extras {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len()
            && self.own_tag.is_none_or(|own| other.odata_type() == Some(own.tag))
            && self.entries.iter().all(|(k, v)| other.holds(k, v))
    }
}

impl Extras {
    /// No entries, as a constant: what a generated `Default` holds, without a call.
    pub const EMPTY: Extras = Extras { own_tag: None, entries: Vec::new(), index: None, spellings: None };

    /// No entries.
    pub const fn new() -> Self {
        Extras::EMPTY
    }

    /// How many entries.
    pub fn len(&self) -> usize {
        self.entries.len() + usize::from(self.own_tag.is_some())
    }

    /// Whether there are no entries.
    pub fn is_empty(&self) -> bool {
        self.own_tag.is_none() && self.entries.is_empty()
    }

    /// The value of `key`, if it is there.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self.own_tag {
            Some(own) if key == super::ODATA_TYPE => Some(tag_value(own.tag)),
            _ => self.position(key).map(|i| &self.entries[i].1),
        }
    }

    /// Whether `key` is there with `value` (the type's own tag compared as text).
    fn holds(&self, key: &str, value: &Value) -> bool {
        match self.own_tag {
            Some(own) if key == super::ODATA_TYPE => value.as_str() == Some(own.tag),
            _ => self.position(key).is_some_and(|i| self.entries[i].1 == *value),
        }
    }

    fn position(&self, key: &str) -> Option<usize> {
        match &self.index {
            Some(index) => index.0.get(key).copied(),
            None => self.entries.iter().position(|(k, _)| k == key),
        }
    }

    /// Sets `key`, in place if it is there already, else at the end; returns the old value.
    pub fn insert(&mut self, key: impl Into<String>, value: Value) -> Option<Value> {
        self.insert_key(Cow::Owned(key.into()), value)
    }

    /// [`insert`](Self::insert) of a key read from a payload: the usual annotations are not copied.
    pub(crate) fn insert_read(&mut self, key: Cow<'_, str>, value: Value) -> Option<Value> {
        let key = match intern(&key) {
            Some(name) => Cow::Borrowed(name),
            None => Cow::Owned(key.into_owned()),
        };
        self.insert_key(key, value)
    }

    /// Keeps `@odata.type` as read, after the entries there are: as the type's own tag `own`
    /// (`#microsoft.graph.call`) without a copy when it is that (and the first tag), else as
    /// any other entry.
    pub(crate) fn insert_tag(&mut self, tag: Tag<'_>, own: &'static str) {
        match tag {
            Tag::Text(text) if text == own && !self.has_tag() => {
                self.own_tag = Some(OwnTag { tag: own, at: self.entries.len() });
            }
            Tag::Text(text) => {
                self.insert_key(Cow::Borrowed(super::ODATA_TYPE), Value::String(text.into_owned()));
            }
            Tag::Other(value) => {
                self.insert_key(Cow::Borrowed(super::ODATA_TYPE), value);
            }
        }
    }

    /// Whether there is an `@odata.type`, of any value.
    pub(crate) fn has_tag(&self) -> bool {
        self.own_tag.is_some() || self.position(super::ODATA_TYPE).is_some()
    }

    /// Moves the type's own tag into `entries` (at its place), to change it there.
    #[cold]
    fn unfold_tag(&mut self) {
        if let Some(own) = self.own_tag.take() {
            self.entries.insert(own.at, (Cow::Borrowed(super::ODATA_TYPE), Value::String(own.tag.to_owned())));
            if self.index.is_some() {
                self.reindex();
            }
        }
    }

    fn insert_key(&mut self, key: Cow<'static, str>, value: Value) -> Option<Value> {
        if self.own_tag.is_some() && key == super::ODATA_TYPE {
            self.unfold_tag();
        }
        if let Some(i) = self.position(&key) {
            return Some(std::mem::replace(&mut self.entries[i].1, value));
        }
        if let Some(index) = &mut self.index {
            index.0.insert(key.as_ref().into(), self.entries.len());
        }
        self.entries.push((key, value));
        if self.index.is_none() && self.entries.len() > INDEXED_FROM {
            self.reindex();
        }
        None
    }

    fn reindex(&mut self) {
        self.index = (self.entries.len() > INDEXED_FROM).then(|| {
            Box::new(KeyIndex(self.entries.iter().enumerate().map(|(i, (k, _))| (k.as_ref().into(), i)).collect()))
        });
    }

    /// Merges `partial` in key by key: each of its keys replaces the value there (in place) or
    /// is added at the end; the other keys are kept. The spellings of enum values it came with
    /// replace those of the same properties.
    pub fn merge(&mut self, mut partial: Extras) {
        partial.unfold_tag();
        for (key, value) in partial.entries {
            self.insert_key(key, value);
        }
        let spellings = partial.spellings.map(|spellings| spellings.0).unwrap_or_default();
        let mut spelled: Vec<&'static str> = spellings.iter().map(|(p, _, _)| *p).collect();
        spelled.dedup();
        for property in spelled {
            self.clear_spellings(property);
        }
        for (property, index, spelling) in spellings {
            self.set_spelling(property, index, Some(&spelling));
        }
    }

    /// The entries of `new` that `self` does not have with the same value: what
    /// [`merge`](Self::merge) needs to turn `self` into `new` (a key `new` lacks cannot be
    /// removed by a partial value, and is left out). `new`'s `@odata.type` comes along even
    /// when it is the same, as the type of the partial value, and so do its spellings.
    pub fn diff(&self, new: &Extras) -> Extras {
        let mut diff = Extras::new();
        for (at, (key, value)) in new.entries.iter().enumerate() {
            if let Some(own) = new.own_tag.filter(|own| own.at == at) {
                diff.own_tag = Some(OwnTag { tag: own.tag, at: diff.entries.len() });
            }
            if key == super::ODATA_TYPE || !self.holds(key, value) {
                diff.insert_key(key.clone(), value.clone());
            }
        }
        if let Some(own) = new.own_tag.filter(|own| own.at == new.entries.len()) {
            diff.own_tag = Some(OwnTag { tag: own.tag, at: diff.entries.len() });
        }
        diff.spellings = new.spellings.clone();
        diff
    }

    /// Removes `key` and returns its value.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        if key == super::ODATA_TYPE
            && let Some(own) = self.own_tag.take()
        {
            return Some(Value::String(own.tag.to_owned()));
        }
        let position = self.position(key)?;
        let (_, value) = self.entries.remove(position);
        if let Some(own) = &mut self.own_tag
            && own.at > position
        {
            own.at -= 1;
        }
        if self.index.is_some() {
            self.reindex();
        }
        Some(value)
    }

    /// The entries, in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, &Value)> {
        let tag = self.own_tag.map(|own| (own.at, tag_value(own.tag)));
        Entries { tag, entries: &self.entries, next: 0 }
    }

    /// The `@odata.type` annotation, as sent.
    pub fn odata_type(&self) -> Option<&str> {
        match self.own_tag {
            Some(own) => Some(own.tag),
            None => self.get(super::ODATA_TYPE).and_then(Value::as_str),
        }
    }

    /// Notes how a value was spelled; `None` for the schema's spelling (which clears what an
    /// earlier value of a repeated key left).
    pub(crate) fn set_spelling(&mut self, property: &'static str, index: Option<usize>, spelling: Option<&str>) {
        // Collections are read in order, so a new spelling usually goes at the end.
        match (self.find_spelling(property, index), spelling) {
            (Ok(at), Some(spelling)) => self.spellings_mut()[at].2 = spelling.into(),
            (Ok(at), None) => {
                self.spellings_mut().remove(at);
            }
            (Err(at), Some(spelling)) => self.spellings_mut().insert(at, (property, index, spelling.into())),
            (Err(_), None) => {}
        }
    }

    fn find_spelling(&self, property: &str, index: Option<usize>) -> Result<usize, usize> {
        self.spellings().binary_search_by(|(p, i, _)| (*p, *i).cmp(&(property, index)))
    }

    fn spellings(&self) -> &[Spelling] {
        self.spellings.as_deref().map_or(&[], |spellings| &spellings.0)
    }

    fn spellings_mut(&mut self) -> &mut Vec<Spelling> {
        &mut self.spellings.get_or_insert_default().0
    }

    /// Forgets the spellings of a property's values, at every index.
    pub(crate) fn clear_spellings(&mut self, property: &str) {
        if let Some(spellings) = &mut self.spellings {
            spellings.0.retain(|(p, _, _)| *p != property);
        }
    }

    pub(crate) fn spelling(&self, property: &str, index: Option<usize>) -> Option<&str> {
        self.find_spelling(property, index).ok().map(|at| &*self.spellings()[at].2)
    }

    /// Writes the entries whose key does (`annotations`) or does not start with `@`.
    /// Inline in the one writer of objects, as it was before the type's own tag had a place.
    #[inline(always)]
    pub(crate) fn write<M: SerializeMap>(&self, map: &mut M, annotations: bool) -> Result<(), M::Error> {
        let (before, tag, after) = self.around_tag();
        let write = |map: &mut M, entries: &[Entry]| {
            for (key, value) in entries {
                if key.starts_with('@') == annotations {
                    map.serialize_entry(key, &Marked(value))?;
                }
            }
            Ok(())
        };
        write(map, before)?;
        if let Some(tag) = tag.filter(|_| annotations) {
            map.serialize_entry(super::ODATA_TYPE, &Marked(tag))?;
        }
        write(map, after)
    }

    /// The entries before the type's own tag, the tag if it is kept, and the entries after it.
    #[inline(always)]
    fn around_tag(&self) -> (&[Entry], Option<&'static str>, &[Entry]) {
        match self.own_tag.and_then(|own| Some((self.entries.split_at_checked(own.at)?, own.tag))) {
            Some(((before, after), tag)) => (before, Some(tag), after),
            None => (&self.entries, None, &[]),
        }
    }
}

/// The OData annotations that payloads carry most, as `'static` names: extras need not copy
/// these keys.
fn intern(key: &str) -> Option<&'static str> {
    const NAMES: [&str; 10] = [
        "@odata.type",
        "@odata.id",
        "@odata.etag",
        "@odata.context",
        "@odata.nextLink",
        "@odata.deltaLink",
        "@odata.count",
        "@odata.editLink",
        "@odata.readLink",
        "@odata.mediaReadLink",
    ];
    NAMES.into_iter().find(|name| *name == key)
}

/// The value of an `@odata.type` as read: its text, borrowed from the input when it can be,
/// or any other JSON value.
pub(crate) enum Tag<'de> {
    Text(Cow<'de, str>),
    Other(Value),
}

/// The `&'static Value` of a type's own tag kept as [`Extras::own_tag`], for the two accessors
/// that give values by reference ([`Extras::get`], [`Extras::iter`]): made the first time one
/// is asked for, then kept for the life of the process. There is one at most for each type of
/// the crate, and reading and writing never ask for one.
#[cold]
fn tag_value(tag: &'static str) -> &'static Value {
    static VALUES: Mutex<Vec<(&'static str, &'static Value)>> = Mutex::new(Vec::new());
    let mut values = VALUES.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some((_, value)) = values.iter().find(|(t, _)| *t == tag) {
        return value;
    }
    let value: &'static Value = Box::leak(Box::new(Value::String(tag.to_owned())));
    values.push((tag, value));
    value
}

/// The entries as `Debug` shows them: a map, the type's own tag first.
struct DebugEntries<'a>(&'a Extras);

impl fmt::Debug for DebugEntries<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.0.iter()).finish()
    }
}

/// [`Extras::iter`]: the entries, and the type's own tag at its place if it is kept.
struct Entries<'a> {
    /// The tag's place (how many entries come before it) and value, until it is given.
    tag: Option<(usize, &'static Value)>,
    entries: &'a [Entry],
    /// The entry to give next.
    next: usize,
}

impl<'a> Iterator for Entries<'a> {
    type Item = (&'a str, &'a Value);

    fn next(&mut self) -> Option<Self::Item> {
        if let Some((at, value)) = self.tag
            && at == self.next
        {
            self.tag = None;
            return Some((super::ODATA_TYPE, value));
        }
        let (key, value) = self.entries.get(self.next)?;
        self.next += 1;
        Some((key, value))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let len = self.entries.len() - self.next + usize::from(self.tag.is_some());
        (len, Some(len))
    }
}

impl ExactSizeIterator for Entries<'_> {}

/// An extras value on its way out: JSON sees the value, an inspector sees the mark.
struct Marked<'a, T: ?Sized>(&'a T);

impl<T: Serialize + ?Sized> Serialize for Marked<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_newtype_struct(EXTRA_MARKER, self.0)
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

/// As a JSON object of its entries.
impl Serialize for Extras {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.len()))?;
        let (before, tag, after) = self.around_tag();
        for (key, value) in before {
            map.serialize_entry(key, value)?;
        }
        if let Some(tag) = tag {
            map.serialize_entry(super::ODATA_TYPE, tag)?;
        }
        for (key, value) in after {
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

#[cfg(test)]
mod tests {
    use super::super::ODATA_TYPE;
    use super::*;
    use serde_json::json;

    #[test]
    fn extras_keep_order_and_round_trip() {
        let text = r##"{"@odata.type":"#x.y","zeta":1,"alpha":[true,null],"@odata.etag":"W/\"1\""}"##;
        let extras: Extras = serde_json::from_str(text).unwrap();
        let keys: Vec<_> = extras.iter().map(|(k, _)| k).collect();
        assert_eq!(keys, ["@odata.type", "zeta", "alpha", "@odata.etag"]);
        assert_eq!(extras.odata_type(), Some("#x.y"));
        assert_eq!(serde_json::to_string(&extras).unwrap(), text);
    }

    /// Extras that read `@odata.type` first as the type's own tag `#x.y`, then `rest`.
    fn own_tagged(rest: &[(&str, Value)]) -> Extras {
        let mut extras = Extras::new();
        extras.insert_tag(Tag::Text(Cow::Borrowed("#x.y")), "#x.y");
        for (key, value) in rest {
            extras.insert_read(Cow::Borrowed(key), value.clone());
        }
        extras
    }

    #[test]
    fn the_own_tag_is_kept_without_a_copy() {
        let extras = own_tagged(&[("@odata.id", json!("i")), ("zeta", json!(1))]);
        assert_eq!(extras.own_tag.map(|own| (own.tag, own.at)), Some(("#x.y", 0)));
        assert_eq!((extras.len(), extras.is_empty(), extras.odata_type()), (3, false, Some("#x.y")));
        assert_eq!(extras.get(ODATA_TYPE), Some(&json!("#x.y")));
        let keys: Vec<_> = extras.iter().map(|(k, _)| k).collect();
        assert_eq!(keys, [ODATA_TYPE, "@odata.id", "zeta"]);
        assert_eq!(extras.iter().len(), 3);
        let text = r##"{"@odata.type":"#x.y","@odata.id":"i","zeta":1}"##;
        assert_eq!(serde_json::to_string(&extras).unwrap(), text);
        // The same entries with the tag as a string are equal, both ways.
        let spelled: Extras = serde_json::from_str(text).unwrap();
        assert!(spelled.own_tag.is_none());
        assert_eq!(extras, spelled);
        assert_eq!(spelled, extras);
        let other: Extras = serde_json::from_str(r##"{"@odata.type":"#x.z","@odata.id":"i","zeta":1}"##).unwrap();
        assert_ne!(extras, other);
        assert_ne!(other, extras);
        assert!(extras != own_tagged(&[("@odata.id", json!("i"))]));
        assert!(format!("{extras:?}").contains(r##""@odata.type": String("#x.y")"##));
    }

    #[test]
    fn the_own_tag_keeps_its_place_among_the_entries() {
        let mut late = Extras::new();
        late.insert_read(Cow::Borrowed("@odata.id"), json!("i"));
        late.insert_read(Cow::Borrowed("@odata.etag"), json!("e"));
        late.insert_tag(Tag::Text(Cow::Borrowed("#x.y")), "#x.y");
        late.insert_read(Cow::Borrowed("zeta"), json!(1));
        assert_eq!(late.own_tag.map(|own| own.at), Some(2));
        let keys: Vec<_> = late.iter().map(|(k, _)| k).collect();
        assert_eq!(keys, ["@odata.id", "@odata.etag", ODATA_TYPE, "zeta"]);
        assert_eq!(late.iter().len(), 4);
        let text = r##"{"@odata.id":"i","@odata.etag":"e","@odata.type":"#x.y","zeta":1}"##;
        assert_eq!(serde_json::to_string(&late).unwrap(), text);
        let mut written = serde_json::Serializer::new(Vec::new());
        let mut map = serde::Serializer::serialize_map(&mut written, None).unwrap();
        late.write(&mut map, true).unwrap();
        late.write(&mut map, false).unwrap();
        SerializeMap::end(map).unwrap();
        assert_eq!(String::from_utf8(written.into_inner()).unwrap(), text);
        // Removing an entry before it keeps it after the others; a diff keeps its place.
        let diff = Extras::new().diff(&late);
        assert_eq!(serde_json::to_string(&diff).unwrap(), text);
        late.remove("@odata.id");
        assert_eq!(serde_json::to_string(&late).unwrap(), r##"{"@odata.etag":"e","@odata.type":"#x.y","zeta":1}"##);
        late.insert(ODATA_TYPE, json!("#x.z"));
        assert_eq!(serde_json::to_string(&late).unwrap(), r##"{"@odata.etag":"e","@odata.type":"#x.z","zeta":1}"##);
        // At the end.
        let mut last = Extras::new();
        last.insert_read(Cow::Borrowed("a"), json!(1));
        last.insert_tag(Tag::Text(Cow::Borrowed("#x.y")), "#x.y");
        assert_eq!(serde_json::to_string(&last).unwrap(), r##"{"a":1,"@odata.type":"#x.y"}"##);
        let keys: Vec<_> = last.iter().map(|(k, _)| k).collect();
        assert_eq!(keys, ["a", ODATA_TYPE]);
    }

    #[test]
    fn another_tag_is_kept_as_it_came() {
        let mut other = Extras::new();
        other.insert_tag(Tag::Text(Cow::Borrowed("x.y")), "#x.y");
        assert!(other.own_tag.is_none());
        other.insert_tag(Tag::Other(json!(7)), "#x.y");
        assert!(other.own_tag.is_none());
        assert_eq!((other.get(ODATA_TYPE), other.odata_type()), (Some(&json!(7)), None));
        // A second tag, even the own one, replaces the first in its place.
        other.insert_tag(Tag::Text(Cow::Borrowed("#x.y")), "#x.y");
        assert_eq!((other.own_tag.is_none(), other.odata_type()), (true, Some("#x.y")));
    }

    #[test]
    fn changing_the_own_tag_keeps_its_place() {
        // A repeated tag: the first place, the last value.
        let mut extras = own_tagged(&[("a", json!(1))]);
        extras.insert_tag(Tag::Text(Cow::Borrowed("#x.y")), "#x.y");
        assert_eq!(serde_json::to_string(&extras).unwrap(), r##"{"@odata.type":"#x.y","a":1}"##);
        assert_eq!(extras.insert(ODATA_TYPE, json!("#x.z")), Some(json!("#x.y")));
        assert_eq!(serde_json::to_string(&extras).unwrap(), r##"{"@odata.type":"#x.z","a":1}"##);
        let mut extras = own_tagged(&[("a", json!(1))]);
        assert_eq!(extras.remove(ODATA_TYPE), Some(json!("#x.y")));
        assert_eq!((extras.len(), extras.odata_type(), extras.has_tag()), (1, None, false));
        // Merged and diffed like any other entry.
        let mut whole: Extras = serde_json::from_str(r##"{"@odata.type":"#x.z","a":1}"##).unwrap();
        whole.merge(own_tagged(&[("b", json!(2))]));
        assert_eq!(serde_json::to_value(&whole).unwrap(), json!({"@odata.type": "#x.y", "a": 1, "b": 2}));
        let diff = whole.diff(&own_tagged(&[("a", json!(1)), ("b", json!(3))]));
        assert_eq!(serde_json::to_value(&diff).unwrap(), json!({"@odata.type": "#x.y", "b": 3}));
        let mut many = own_tagged(&[]);
        for i in 0..20 {
            many.insert(format!("k{i}"), json!(i));
        }
        assert_eq!((many.get(ODATA_TYPE), many.get("k19")), (Some(&json!("#x.y")), Some(&json!(19))));
        many.insert(ODATA_TYPE, json!("#x.z"));
        assert_eq!((many.iter().next(), many.get("k19")), (Some((ODATA_TYPE, &json!("#x.z"))), Some(&json!(19))));
    }

    #[test]
    fn duplicate_keys_keep_the_first_place_and_the_last_value() {
        let extras: Extras = serde_json::from_str(r#"{"a":1,"b":2,"a":3}"#).unwrap();
        assert_eq!(serde_json::to_value(&extras).unwrap(), json!({"a": 3, "b": 2}));
        assert_eq!(extras.iter().next(), Some(("a", &json!(3))));
    }

    #[test]
    fn many_keys_are_indexed_and_stay_in_order() {
        let mut extras = Extras::new();
        for i in 0..100 {
            extras.insert(format!("k{i}"), json!(i));
        }
        assert!(extras.index.is_some());
        assert_eq!(extras.insert("k7", json!("again")), Some(json!(7)));
        assert_eq!(extras.remove("k3"), Some(json!(3)));
        assert_eq!(
            (extras.get("k7"), extras.get("k3"), extras.get("k99")),
            (Some(&json!("again")), None, Some(&json!(99)))
        );
        let keys: Vec<_> = extras.iter().map(|(k, _)| k.to_owned()).take(5).collect();
        assert_eq!(keys, ["k0", "k1", "k2", "k4", "k5"]);
        while extras.len() > 3 {
            let key = extras.iter().next().unwrap().0.to_owned();
            extras.remove(&key);
        }
        assert!(extras.index.is_none());
        assert_eq!(extras.get("k99"), Some(&json!(99)));
        extras.set_spelling("p", Some(2), Some("B"));
        extras.set_spelling("p", Some(0), Some("A"));
        extras.set_spelling("o", None, Some("O"));
        assert_eq!(
            (extras.spelling("p", Some(0)), extras.spelling("p", Some(2)), extras.spelling("o", None)),
            (Some("A"), Some("B"), Some("O"))
        );
    }

    #[test]
    fn editing_and_spellings() {
        let mut extras: Extras = [("a", json!(1))].into_iter().collect();
        assert_eq!(extras.insert("a", json!(2)), Some(json!(1)));
        assert_eq!(extras.insert("b", json!(3)), None);
        assert_eq!(extras.remove("a"), Some(json!(2)));
        assert_eq!((extras.len(), extras.is_empty(), extras.get("b")), (1, false, Some(&json!(3))));
        let before = extras.clone();
        extras.set_spelling("status", None, Some("Running"));
        extras.set_spelling("status", None, Some("RUNNING"));
        assert_eq!(extras.spelling("status", None), Some("RUNNING"));
        extras.set_spelling("status", Some(1), Some("Idle"));
        extras.set_spelling("status", None, None);
        assert_eq!((extras.spelling("status", None), extras.spelling("status", Some(1))), (None, Some("Idle")));
        extras.clear_spellings("status");
        assert_eq!(extras.spelling("status", Some(1)), None);
        extras.set_spelling("status", None, Some("RUNNING"));
        assert_eq!(extras.spelling("status", Some(0)), None);
        // Spellings are how values were written, not what they are.
        assert_eq!(extras, before);
        let reordered: Extras = [("b", json!(3)), ("a", json!(1))].into_iter().collect();
        let ordered: Extras = [("a", json!(1)), ("b", json!(3))].into_iter().collect();
        assert_eq!(reordered, ordered);
        assert_ne!(ordered, [("a", json!(1))].into_iter().collect::<Extras>());
    }
}
