//! Generated enum types: tolerant decoding, original spellings, and flags as sets.

use super::Extras;
use crate::Field;
use serde::de::{self, Deserializer, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A generated enum type: its CSDL members, and an arm for values the schema does not define.
pub trait EnumType: Sized + Clone + PartialEq + 'static {
    /// The qualified CSDL name, e.g. `microsoft.graph.callState`.
    const ODATA_NAME: &'static str;
    /// Every member with its CSDL spelling.
    const MEMBERS: &'static [(&'static str, Self)];
    /// The CSDL spellings of [`MEMBERS`](Self::MEMBERS), in the same order: what the search
    /// for a member looks through, one function for every enum type.
    const NAMES: &'static [&'static str];

    /// The CSDL spelling of a member (`Running`), or the value as it came for an unrecognized
    /// one. A member read in another spelling (`running` for `Running`) keeps it in the extras of the object
    /// that holds it: [`wire_spelling`] gives that one.
    fn as_str(&self) -> &str;

    /// The arm that keeps a value the schema does not define.
    fn unrecognized(value: String) -> Self;

    /// The member named `value`, compared without regard to ASCII case (the service and its
    /// documentation write both `Running` and `running`); any other value is kept as it is.
    fn from_name(value: &str) -> Self {
        match member_index(Self::NAMES, value) {
            Some((index, _)) => member(index),
            None => Self::unrecognized(value.to_owned()),
        }
    }
}

/// The member at `index` of `E::MEMBERS`, found in `E::NAMES`; its name kept as a value the
/// schema does not define if `MEMBERS` is shorter (an implementation that does not list the
/// same members in both).
fn member<E: EnumType>(index: usize) -> E {
    match E::MEMBERS.get(index) {
        Some((_, member)) => member.clone(),
        None => E::unrecognized(E::NAMES.get(index).copied().unwrap_or_default().to_owned()),
    }
}

/// The position in `names` of the member named `value`, without regard to ASCII case, and
/// whether `value` is the schema's spelling: one search for every enum type, instead of one
/// inlined into each type's code. The schema's spelling, the usual one, is looked for first:
/// comparing whole strings is quicker than comparing them byte by byte without regard to case.
#[inline(never)]
fn member_index(names: &[&str], value: &str) -> Option<(usize, bool)> {
    match names.iter().position(|name| *name == value) {
        Some(index) => Some((index, true)),
        None => names.iter().position(|name| name.eq_ignore_ascii_case(value)).map(|index| (index, false)),
    }
}

/// `Serialize` for generated enums: the member's CSDL name.
pub fn serialize_enum<E: EnumType, S: Serializer>(value: &E, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(value.as_str())
}

/// `Deserialize` for generated enums: any string; see [`EnumType::from_name`].
pub fn deserialize_enum<'de, E: EnumType, D: Deserializer<'de>>(deserializer: D) -> Result<E, D::Error> {
    deserializer.deserialize_str(EnumVisitor(std::marker::PhantomData))
}

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

/// The member that [`find_member`] found, or the value it kept for one the schema does not
/// define.
pub(crate) fn chosen<E: EnumType>(found: Result<usize, String>) -> E {
    match found {
        Ok(index) => member(index),
        Err(text) => E::unrecognized(text),
    }
}

/// Reads an enum property's text and finds its member among `names`: `Ok(index)`, or the
/// text for a value the schema does not define (`None` for `null`); notes the spelling when
/// it is not the schema's. One function for every enum type: only choosing the member from
/// the index is code of each.
#[inline(never)]
pub(crate) fn read_member<'de, D: Deserializer<'de>>(
    deserializer: D,
    names: &'static [&'static str],
    enum_name: &'static str,
    extras: &mut Extras,
    property: &'static str,
) -> Result<Option<Result<usize, String>>, D::Error> {
    let Some(text) = de::DeserializeSeed::deserialize(EnumText(enum_name), deserializer)? else { return Ok(None) };
    Ok(Some(find_member(names, text, extras, property, None)))
}

/// The position among `names` of the member `text` names, or `text` for a value the schema
/// does not define; notes `text` as the spelling of the value at `property` (and `index` in a
/// collection) when it is another than the schema's. The schema's spelling (and a value it
/// does not define) is noted too, as none: that clears what an earlier value of a repeated key
/// left. Inlined into its two callers: as a call of its own, it cost the roster's passes 0.4 %
/// more instructions.
#[inline(always)]
fn find_member(
    names: &[&str],
    text: std::borrow::Cow<'_, str>,
    extras: &mut Extras,
    property: &'static str,
    index: Option<usize>,
) -> Result<usize, String> {
    let found = member_index(names, &text);
    let other_spelling = found.is_some_and(|(_, schema_spelling)| !schema_spelling);
    extras.set_spelling(property, index, other_spelling.then_some(&*text));
    found.map(|(position, _)| position).ok_or_else(|| text.into_owned())
}

/// Reads an enum value's text (borrowed from the input when it can be) or `null`; `.0` is the
/// enum's name, for the error message.
#[derive(Clone, Copy)]
struct EnumText(&'static str);

impl<'de> de::DeserializeSeed<'de> for EnumText {
    type Value = Option<std::borrow::Cow<'de, str>>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_option(self)
    }
}

/// Reads an item of an enum collection: a string, as [`EnumText`] reads one (`None` only from a
/// deserializer that answers a request for a string with `null`).
#[derive(Clone, Copy)]
struct EnumItem(&'static str);

impl<'de> de::DeserializeSeed<'de> for EnumItem {
    type Value = Option<std::borrow::Cow<'de, str>>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(EnumText(self.0))
    }
}

impl<'de> Visitor<'de> for EnumText {
    type Value = Option<std::borrow::Cow<'de, str>>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "a `{}` value (a string)", self.0)
    }

    fn visit_none<Err: de::Error>(self) -> Result<Self::Value, Err> {
        Ok(None)
    }

    fn visit_unit<Err: de::Error>(self) -> Result<Self::Value, Err> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }

    fn visit_borrowed_str<Err: de::Error>(self, text: &'de str) -> Result<Self::Value, Err> {
        Ok(Some(std::borrow::Cow::Borrowed(text)))
    }

    fn visit_str<Err: de::Error>(self, text: &str) -> Result<Self::Value, Err> {
        Ok(Some(std::borrow::Cow::Owned(text.to_owned())))
    }
}

/// Reads an enum collection's texts (`None` for `null`); an item's error says which item
/// (``at `[3]`: …``) and names the enum (`.0`).
#[derive(Clone, Copy)]
struct EnumTexts(&'static str);

impl<'de> de::DeserializeSeed<'de> for EnumTexts {
    type Value = Option<Vec<std::borrow::Cow<'de, str>>>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_option(self)
    }
}

impl<'de> Visitor<'de> for EnumTexts {
    type Value = Option<Vec<std::borrow::Cow<'de, str>>>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        // As every other collection says.
        f.write_str("a JSON array")
    }

    fn visit_none<Err: de::Error>(self) -> Result<Self::Value, Err> {
        Ok(None)
    }

    fn visit_unit<Err: de::Error>(self) -> Result<Self::Value, Err> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_seq(self)
    }

    fn visit_seq<S: de::SeqAccess<'de>>(self, mut seq: S) -> Result<Self::Value, S::Error> {
        let mut texts = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        loop {
            let error = match seq.next_element_seed(EnumItem(self.0)) {
                Ok(Some(Some(text))) => {
                    texts.push(text);
                    continue;
                }
                Ok(None) => return Ok(Some(texts)),
                Ok(Some(None)) => de::Error::invalid_type(de::Unexpected::Unit, &EnumText(self.0)),
                Err(e) => e,
            };
            return Err(super::object::at_property::<S::Error>(&format!("[{}]", texts.len()), error));
        }
    }
}

/// Reads an enum collection's texts and finds each one's member among `names` (see
/// [`read_member`]), noting the spellings that are not the schema's: one function for every
/// enum type.
#[inline(never)]
pub(crate) fn read_members<'de, D: Deserializer<'de>>(
    deserializer: D,
    names: &'static [&'static str],
    enum_name: &'static str,
    extras: &mut Extras,
    property: &'static str,
) -> Result<Option<Vec<Result<usize, String>>>, D::Error> {
    let read = de::DeserializeSeed::deserialize(EnumTexts(enum_name), deserializer)?;
    // What an earlier value of a repeated key left is not this value's.
    extras.clear_spellings(property);
    let Some(texts) = read else { return Ok(None) };
    let items =
        texts.into_iter().enumerate().map(|(i, text)| find_member(names, text, extras, property, Some(i))).collect();
    Ok(Some(items))
}

/// An enum property's value as it came on the wire (and as it is written back): the spelling
/// it came in (`"running"` for the schema's `Running`), kept in the extras of the object that
/// holds it, if it still names the value; else the schema's ([`EnumType::as_str`]). `property`
/// is the JSON name: `wire_spelling(status, &operation.extras, "status")`.
pub fn wire_spelling<'a, E: EnumType>(value: &'a E, extras: &'a Extras, property: &str) -> &'a str {
    spelling(value, extras, property, None)
}

/// The item at `index` of an enum collection property, as it came on the wire; see
/// [`wire_spelling`].
pub fn wire_spelling_at<'a, E: EnumType>(value: &'a E, extras: &'a Extras, property: &str, index: usize) -> &'a str {
    spelling(value, extras, property, Some(index))
}

/// The text to write for an enum value: the spelling it came in, if it still names it.
fn spelling<'a, E: EnumType>(value: &'a E, extras: &'a Extras, property: &str, index: Option<usize>) -> &'a str {
    spelled(value.as_str(), extras, property, index)
}

/// `text` (an enum value's [`EnumType::as_str`]), or the spelling that `extras` kept for the
/// value at `property` (and `index`) if it still names it: one function for every enum type.
#[inline(never)]
fn spelled<'a>(text: &'a str, extras: &'a Extras, property: &str, index: Option<usize>) -> &'a str {
    match extras.spelling(property, index) {
        Some(spelled) if spelled.eq_ignore_ascii_case(text) => spelled,
        _ => text,
    }
}

/// Writes an enum property (unless absent) in the spelling it came in.
pub fn write_enum<E: EnumType, M: SerializeMap>(
    map: &mut M,
    property: &'static str,
    value: &Field<E>,
    extras: &Extras,
) -> Result<(), M::Error> {
    match value {
        Field::Absent => Ok(()),
        Field::Null => write_spelled(map, property, None, extras),
        Field::Value(v) => write_spelled(map, property, Some(v.as_str()), extras),
    }
}

/// Writes an enum property's text (`None` for `null`) in the spelling it came in: compiled
/// once per writer of JSON, where [`write_enum`] is compiled for each enum type too.
#[inline(never)]
fn write_spelled<M: SerializeMap>(
    map: &mut M,
    property: &'static str,
    text: Option<&str>,
    extras: &Extras,
) -> Result<(), M::Error> {
    match text {
        None => map.serialize_entry(property, &()),
        Some(text) => map.serialize_entry(property, spelled(text, extras, property, None)),
    }
}

/// Writes a collection of enum values (unless absent) in the spellings they came in.
pub fn write_enum_collection<E: EnumType, M: SerializeMap>(
    map: &mut M,
    property: &'static str,
    value: &Field<Vec<E>>,
    extras: &Extras,
) -> Result<(), M::Error> {
    match value {
        Field::Absent => Ok(()),
        Field::Null => map.serialize_entry(property, &()),
        Field::Value(items) => write_all_spelled(map, property, items.iter().map(EnumType::as_str).collect(), extras),
    }
}

/// Writes an enum collection's texts in the spellings they came in: compiled once per writer
/// of JSON, as [`write_spelled`] is.
#[inline(never)]
fn write_all_spelled<'a, M: SerializeMap>(
    map: &mut M,
    property: &'static str,
    mut texts: Vec<&'a str>,
    extras: &'a Extras,
) -> Result<(), M::Error> {
    for (index, text) in texts.iter_mut().enumerate() {
        *text = spelled(text, extras, property, Some(index));
    }
    map.serialize_entry(property, &texts)
}

/// The value of an `IsFlags` enum type: a set of members, written as a comma-separated string
/// (`"audio,video"`). Members the schema does not define are kept; the text is written back as
/// it came while the set is unchanged.
#[derive(Clone, Debug)]
pub struct Flags<E> {
    members: Vec<E>,
    text: Option<Box<str>>,
}

impl<E: EnumType> Flags<E> {
    /// No members.
    pub fn new() -> Self {
        Flags { members: Vec::new(), text: None }
    }

    /// Whether `member` is in the set.
    pub fn contains(&self, member: &E) -> bool {
        self.members.contains(member)
    }

    /// Adds a member; `false` if it was there already.
    pub fn insert(&mut self, member: E) -> bool {
        if self.contains(&member) {
            return false;
        }
        self.members.push(member);
        true
    }

    /// Removes a member; `false` if it was not there.
    pub fn remove(&mut self, member: &E) -> bool {
        let before = self.members.len();
        self.members.retain(|m| m != member);
        before != self.members.len()
    }

    /// The members, in the order they came or were added.
    pub fn iter(&self) -> impl Iterator<Item = &E> {
        self.members.iter()
    }

    /// How many members.
    pub fn len(&self) -> usize {
        self.members.len()
    }

    /// Whether there are no members.
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    /// The members a text names, each once, in order: in time linear in the text, however
    /// many members it names (a member's name is its key: the schema's spelling of a member,
    /// the text of a value the schema does not define).
    fn parse(text: &str) -> Vec<E> {
        let mut members: Vec<E> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for name in text.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            let key = match member_index(E::NAMES, name) {
                Some((index, _)) => E::NAMES[index],
                None => name,
            };
            if seen.insert(key) {
                members.push(E::from_name(name));
            }
        }
        members
    }
}

impl<E: EnumType> Default for Flags<E> {
    fn default() -> Self {
        Flags::new()
    }
}

/// Sets are equal whatever the order of their members.
impl<E: EnumType> PartialEq for Flags<E> {
    fn eq(&self, other: &Self) -> bool {
        if self.members.len() != other.members.len() {
            return false;
        }
        // The members are distinct: the same names make the same set.
        let names: std::collections::HashSet<&str> = self.members.iter().map(EnumType::as_str).collect();
        other.members.iter().all(|m| names.contains(m.as_str()))
    }
}

impl<E: EnumType> FromIterator<E> for Flags<E> {
    fn from_iter<I: IntoIterator<Item = E>>(iter: I) -> Self {
        let mut flags = Flags::new();
        iter.into_iter().for_each(|m| {
            flags.insert(m);
        });
        flags
    }
}

impl<E: EnumType> Serialize for Flags<E> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if let Some(text) = &self.text
            && Flags::<E>::parse(text) == self.members
        {
            return serializer.serialize_str(text);
        }
        let names: Vec<&str> = self.members.iter().map(EnumType::as_str).collect();
        serializer.serialize_str(&names.join(","))
    }
}

impl<'de, E: EnumType> Deserialize<'de> for Flags<E> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)
            .map_err(|_| de::Error::custom(format!("expected `{}` flags (a string)", E::ODATA_NAME)))?;
        Ok(Flags { members: Flags::parse(&text), text: Some(text.into()) })
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[derive(Clone, Debug, PartialEq)]
    pub enum Status {
        NotStarted,
        Running,
        Unrecognized(String),
    }

    impl EnumType for Status {
        const ODATA_NAME: &'static str = "test.status";
        const MEMBERS: &'static [(&'static str, Self)] =
            &[("notStarted", Self::NotStarted), ("running", Self::Running)];
        const NAMES: &'static [&'static str] = &["notStarted", "running"];

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
    fn the_search_finds_members_by_length_and_case_and_a_short_member_list_keeps_the_name() {
        assert_eq!(member_index(Status::NAMES, "RUNNING"), Some((1, false)));
        assert_eq!(member_index(Status::NAMES, "running"), Some((1, true)));
        // The schema's spelling wins over a member that is another only in case.
        assert_eq!(member_index(&["Mixed", "mixed"], "mixed"), Some((1, true)));
        assert_eq!(member_index(&["Mixed", "mixed"], "MIXED"), Some((0, false)));
        assert_eq!(member_index(Status::NAMES, "runnin"), None);
        assert_eq!(member_index(Status::NAMES, "runningx"), None);
        assert_eq!(member_index(&[], "running"), None);
        // An index past `MEMBERS` (one that lists fewer members than `NAMES`) is not a panic.
        assert_eq!(member::<Status>(1), Status::Running);
        assert_eq!(member::<Status>(2), Status::Unrecognized(String::new()));
    }

    #[test]
    fn a_non_string_enum_value_is_an_error_that_names_the_type() {
        let err = serde_json::from_str::<Status>("3").unwrap_err();
        assert!(err.to_string().contains("a `test.status` value"), "{err}");
    }

    /// An object with one enum collection property, `items`, read and written as generated
    /// code does (`slot`, `write_properties`).
    #[derive(Debug, Default)]
    struct Holder {
        items: Field<Vec<Status>>,
        extras: Extras,
    }

    impl crate::odata::ODataObject for Holder {
        fn slot(&mut self, key: &str) -> Option<crate::odata::Slot<'_>> {
            match key {
                "items" => Some(crate::odata::Slot::Enums(&mut self.items, &mut self.extras, "items")),
                _ => None,
            }
        }

        fn write_properties<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
            write_enum_collection(map, "items", &self.items, &self.extras)
        }

        fn extras(&self) -> &Extras {
            &self.extras
        }

        fn extras_mut(&mut self) -> &mut Extras {
            &mut self.extras
        }
    }

    impl crate::odata::Structured for Holder {
        const ODATA_TAG: &'static str = "#test.holder";
    }

    impl Serialize for Holder {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            crate::odata::serialize_object(self, serializer, None)
        }
    }

    impl<'de> Deserialize<'de> for Holder {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            crate::odata::deserialize_struct(deserializer)
        }
    }

    #[test]
    fn an_enum_collection_keeps_unknown_members_and_the_spellings_that_are_not_the_schemas() {
        let holder: Holder = serde_json::from_str(r#"{"items":["Running","paused","notStarted"]}"#).unwrap();
        assert_eq!(
            holder.items,
            Field::Value(vec![Status::Running, Status::Unrecognized("paused".into()), Status::NotStarted])
        );
        assert_eq!(holder.extras.spelling("items", Some(0)), Some("Running"));
        assert_eq!(holder.extras.spelling("items", Some(1)), None);
        assert_eq!(holder.extras.spelling("items", Some(2)), None);
        assert_eq!(serde_json::to_string(&holder).unwrap(), r#"{"items":["Running","paused","notStarted"]}"#);
        // A repeated key: the last value is the value, and only its spellings are kept.
        let holder: Holder = serde_json::from_str(r#"{"items":["Running","RUNNING"],"items":["running"]}"#).unwrap();
        assert_eq!(holder.items, Field::Value(vec![Status::Running]));
        assert_eq!((holder.extras.spelling("items", Some(0)), holder.extras.spelling("items", Some(1))), (None, None));
        let holder: Holder = serde_json::from_str(r#"{"items":["Running"],"items":null}"#).unwrap();
        assert_eq!(holder.items, Field::Null);
        assert_eq!(holder.extras.spelling("items", Some(0)), None);
        let holder: Holder = serde_json::from_str(r#"{"items":[]}"#).unwrap();
        assert_eq!(holder.items, Field::Value(vec![]));
    }

    #[test]
    fn an_enum_collection_item_that_is_no_string_is_an_error_that_says_which_item() {
        for (text, item) in [(r#"["running",null]"#, "[1]"), (r#"[3]"#, "[0]"), (r#"["a","b",{}]"#, "[2]")] {
            let err = serde_json::from_str::<Holder>(&format!(r#"{{"items":{text}}}"#)).unwrap_err().to_string();
            assert!(
                err.contains(&format!("at `items{item}`")) && err.contains("a `test.status` value"),
                "{text}: {err}"
            );
        }
        let err = serde_json::from_str::<Holder>(r#"{"items":"running"}"#).unwrap_err().to_string();
        assert!(err.contains("expected a JSON array"), "{err}");
        // A deserializer that answers a request for a string with a unit value (serde's own
        // `UnitDeserializer` does): an error at the item too.
        let items = serde::de::value::SeqDeserializer::<_, serde::de::value::Error>::new(["running"; 1].into_iter());
        assert_eq!(
            de::DeserializeSeed::deserialize(EnumTexts("test.status"), items).unwrap(),
            Some(vec!["running".into()])
        );
        let units = serde::de::value::SeqDeserializer::<_, serde::de::value::Error>::new([(), ()].into_iter());
        let err = de::DeserializeSeed::deserialize(EnumTexts("test.status"), units).unwrap_err().to_string();
        assert!(err.starts_with("at `[0]`: invalid type: unit value, expected a `test.status` value"), "{err}");
    }

    type Modes = Flags<Status>;

    #[test]
    fn flags_are_sets_that_keep_unknown_members_and_their_text() {
        let flags: Modes = serde_json::from_str("\"running, notStarted,hologram\"").unwrap();
        assert!(flags.contains(&Status::Running) && flags.contains(&Status::Unrecognized("hologram".into())));
        assert_eq!(flags.len(), 3);
        assert_eq!(serde_json::to_string(&flags).unwrap(), "\"running, notStarted,hologram\"");
        let mut edited = flags.clone();
        assert!(edited.remove(&Status::Unrecognized("hologram".into())));
        assert!(!edited.insert(Status::Running));
        assert_eq!(serde_json::to_string(&edited).unwrap(), "\"running,notStarted\"");
        let built: Modes = [Status::NotStarted, Status::Running].into_iter().collect();
        assert_eq!(built, edited);
        assert_eq!(serde_json::to_string(&Modes::new()).unwrap(), "\"\"");
        assert!(Modes::default().is_empty() && built.iter().count() == 2);
        assert!(serde_json::from_str::<Modes>("1").unwrap_err().to_string().contains("`test.status` flags"));
    }
}
