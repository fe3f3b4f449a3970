//! The OData runtime shared by the generated models.
//!
//! - [`Extras`] keeps what a type does not declare, in order, and writes it back;
//! - [`EnumType`] and [`Flags`]: enum values decode without regard to case, values the schema
//!   does not know are kept, and the spelling that came is written back;
//! - [`ODataObject`], [`Structured`] and [`Polymorphic`]: how generated structs and
//!   polymorphic enums read (one pass, `@odata.type` peeked) and write JSON objects;
//! - [`inspect`]: which properties of a decoded value are typed and which are extras;
//! - [`Operation`], [`Function`] and [`PathTemplate`]: bound actions and functions, their
//!   methods, paths and responses; [`route`]: which of them (or which entity) a URL targets;
//! - [`TypeInfo`] and [`round_trip`]: decode and encode a type chosen at run time.

mod compare;
mod enums;
mod extras;
mod inspect;
mod object;
mod one_or_many;
mod operation;
mod registry;
mod route;
mod value_response;

pub use compare::json_difference;
pub use enums::{
    EnumType, Flags, deserialize_enum, read_enum, read_enum_collection, serialize_enum, write_enum,
    write_enum_collection,
};
pub use extras::Extras;
pub use inspect::{Inspection, inspect};
pub use object::{
    ODATA_TYPE, ODataObject, Polymorphic, Structured, deserialize_polymorphic, deserialize_struct, read_collection,
    serialize_object, write_property,
};
pub use one_or_many::OneOrMany;
pub use operation::{Function, FunctionCall, ODataLiteral, Operation, PathTemplate, encode_key};
pub use registry::{RoundTrip, TypeInfo, find_type, round_trip};
pub use route::{Route, RouteMatch, route};
pub use value_response::ValueResponse;
