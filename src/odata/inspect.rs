//! Which properties of a decoded value landed in typed fields and which in extras.

use super::extras::EXTRA_MARKER;
use serde::ser::{self, Serialize};
use std::fmt;

/// What [`inspect`] found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Inspection {
    /// JSON object members held by typed fields, at every depth.
    pub typed: usize,
    /// JSON object members held in extras (their insides are not counted).
    pub extras: usize,
    /// The JSON path of every extras member, e.g. `value[0].resourceData.@odata.etag`.
    pub extras_paths: Vec<String>,
}

/// Walks a value as it would be written and counts where its properties are held.
pub fn inspect<T: Serialize + ?Sized>(value: &T) -> Inspection {
    let mut inspector = Inspector::default();
    // The inspector never fails on its own; a value whose `Serialize` fails is counted so far.
    let _ = value.serialize(&mut inspector);
    inspector.found
}

#[derive(Default)]
struct Inspector {
    found: Inspection,
    path: Vec<String>,
    /// Set between an object member's key and the first call its value makes.
    member: bool,
}

impl Inspector {
    /// Counts the member whose value is starting, as typed or (`extra`) as extras.
    fn start_value(&mut self, extra: bool) {
        if std::mem::take(&mut self.member) {
            if extra {
                self.found.extras += 1;
                self.found.extras_paths.push(self.path_text());
            } else {
                self.found.typed += 1;
            }
        }
    }

    fn path_text(&self) -> String {
        let mut text = String::new();
        for segment in &self.path {
            if !segment.starts_with('[') && !text.is_empty() {
                text.push('.');
            }
            text.push_str(segment);
        }
        text
    }
}

#[derive(Debug)]
struct Never(String);

impl fmt::Display for Never {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Never {}

impl ser::Error for Never {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Never(msg.to_string())
    }
}

macro_rules! leaf {
    ($($method:ident($($ty:ty),*)),* $(,)?) => {
        $(fn $method(self, $(_: $ty),*) -> Result<(), Never> {
            self.start_value(false);
            Ok(())
        })*
    };
}

impl<'a> ser::Serializer for &'a mut Inspector {
    type Ok = ();
    type Error = Never;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Compound<'a>;
    type SerializeTupleStruct = Compound<'a>;
    type SerializeTupleVariant = Compound<'a>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = Compound<'a>;

    leaf!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_char(char),
        serialize_str(&str),
        serialize_bytes(&[u8]),
        serialize_none(),
        serialize_unit(),
        serialize_unit_struct(&'static str),
        serialize_unit_variant(&'static str, u32, &'static str),
    );

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Never> {
        value.serialize(self)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, name: &'static str, value: &T) -> Result<(), Never> {
        if name == EXTRA_MARKER {
            self.start_value(true);
            return Ok(());
        }
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        value: &T,
    ) -> Result<(), Never> {
        value.serialize(self)
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Compound<'a>, Never> {
        self.start_value(false);
        Ok(Compound { inspector: self, index: 0 })
    }

    fn serialize_tuple(self, len: usize) -> Result<Compound<'a>, Never> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Compound<'a>, Never> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        len: usize,
    ) -> Result<Compound<'a>, Never> {
        self.serialize_seq(Some(len))
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Compound<'a>, Never> {
        self.start_value(false);
        Ok(Compound { inspector: self, index: 0 })
    }

    fn serialize_struct(self, _: &'static str, len: usize) -> Result<Compound<'a>, Never> {
        self.serialize_map(Some(len))
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        len: usize,
    ) -> Result<Compound<'a>, Never> {
        self.serialize_map(Some(len))
    }
}

struct Compound<'a> {
    inspector: &'a mut Inspector,
    index: usize,
}

impl Compound<'_> {
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Never> {
        self.inspector.path.push(format!("[{}]", self.index));
        self.index += 1;
        value.serialize(&mut *self.inspector)?;
        self.inspector.path.pop();
        Ok(())
    }

    fn member<T: Serialize + ?Sized>(&mut self, key: String, value: &T) -> Result<(), Never> {
        self.inspector.path.push(key);
        self.inspector.member = true;
        value.serialize(&mut *self.inspector)?;
        self.inspector.member = false;
        self.inspector.path.pop();
        Ok(())
    }
}

macro_rules! sequence {
    ($($trait:ident :: $method:ident),*) => {
        $(impl ser::$trait for Compound<'_> {
            type Ok = ();
            type Error = Never;

            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Never> {
                self.element(value)
            }

            fn end(self) -> Result<(), Never> {
                Ok(())
            }
        })*
    };
}

sequence!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = Never;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Never> {
        let key = serde_json::to_value(key).ok().and_then(|k| k.as_str().map(str::to_owned)).unwrap_or_default();
        self.inspector.path.push(key);
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Never> {
        let key = self.inspector.path.pop().unwrap_or_default();
        self.member(key, value)
    }

    fn end(self) -> Result<(), Never> {
        Ok(())
    }
}

macro_rules! fields {
    ($($trait:ident),*) => {$(
        impl ser::$trait for Compound<'_> {
            type Ok = ();
            type Error = Never;

            fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Never> {
                self.member(key.to_owned(), value)
            }

            fn end(self) -> Result<(), Never> {
                Ok(())
            }
        }
    )*};
}

fields!(SerializeStruct, SerializeStructVariant);
