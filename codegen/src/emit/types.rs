//! Rust type expressions for fields, and paths between generated modules.

use crate::model::Primitive;
use crate::model::plan::{FieldType, ItemType, TypeLink};
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

/// The Rust type of a field's value (without the `Field` that every property has).
pub fn field_value_type(from: &[String], ty: &FieldType) -> TokenStream {
    let item = match &ty.item {
        ItemType::Primitive(p) => primitive(*p),
        ItemType::Struct(link) | ItemType::Polymorphic(link) | ItemType::Enum(link) => type_path(from, link),
        ItemType::Flags(link) => {
            let members = type_path(from, link);
            quote!(crate::odata::Flags<#members>)
        }
    };
    match (ty.one_or_many, ty.collection, ty.boxed) {
        (true, _, _) => quote!(crate::odata::OneOrMany<#item>),
        (false, true, _) => quote!(Vec<#item>),
        (false, false, true) => quote!(Box<#item>),
        (false, false, false) => item,
    }
}

/// The Rust type of an `Edm` primitive.
pub fn primitive(p: Primitive) -> TokenStream {
    match p {
        Primitive::Boolean => quote!(bool),
        Primitive::Byte => quote!(crate::edm::Byte),
        Primitive::SByte => quote!(crate::edm::SByte),
        Primitive::Int16 => quote!(crate::edm::Int16),
        Primitive::Int32 => quote!(crate::edm::Int32),
        Primitive::Int64 => quote!(crate::edm::Int64),
        Primitive::Single | Primitive::Double => quote!(crate::edm::Float),
        Primitive::String => quote!(String),
        Primitive::Decimal => quote!(crate::edm::Decimal),
        Primitive::Binary => quote!(crate::edm::Binary),
        Primitive::Date => quote!(crate::edm::Date),
        Primitive::DateTimeOffset => quote!(crate::edm::DateTimeOffset),
        Primitive::Duration => quote!(crate::edm::Duration),
        Primitive::Guid => quote!(crate::edm::Guid),
        Primitive::TimeOfDay => quote!(crate::edm::TimeOfDay),
        Primitive::Stream | Primitive::Geo | Primitive::Untyped => quote!(serde_json::Value),
    }
}

/// The path from module `from` to a generated type: `Call`, `super::Identity`,
/// `call_records::Session`.
pub fn type_path(from: &[String], to: &TypeLink) -> TokenStream {
    let segments = relative_segments(from, &to.path, &to.name);
    let idents = segments.iter().map(|s| ident(s));
    quote!(#(#idents)::*)
}

/// An intra-doc link to a generated type: ``[`Call`]``, ``[`Identity`](super::Identity)``.
pub fn doc_link(from: &[String], to: &TypeLink) -> String {
    let path = relative_segments(from, &to.path, &to.name).join("::");
    match path == to.name {
        true => format!("[`{}`]", to.name),
        false => format!("[`{}`]({path})", to.name),
    }
}

fn relative_segments(from: &[String], to: &[String], name: &str) -> Vec<String> {
    let common = from.iter().zip(to).take_while(|(a, b)| a == b).count();
    let ups = std::iter::repeat_n("super".to_owned(), from.len() - common);
    ups.chain(to[common..].iter().cloned()).chain(std::iter::once(name.to_owned())).collect()
}

/// An identifier, raw when the plan says so (`r#type`).
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(path: &[&str], name: &str) -> TypeLink {
        TypeLink { path: path.iter().map(|s| s.to_string()).collect(), name: name.into(), odata_name: String::new() }
    }

    #[test]
    fn relative_paths() {
        let root: Vec<String> = vec![];
        let records = vec!["call_records".to_owned()];
        assert_eq!(doc_link(&root, &link(&[], "Call")), "[`Call`]");
        assert_eq!(doc_link(&root, &link(&["call_records"], "Session")), "[`Session`](call_records::Session)");
        assert_eq!(doc_link(&records, &link(&[], "Identity")), "[`Identity`](super::Identity)");
        assert_eq!(doc_link(&records, &link(&["call_records"], "Segment")), "[`Segment`]");
        assert_eq!(doc_link(&["a".into(), "b".into()], &link(&["a", "c"], "X")), "[`X`](super::c::X)");
        assert_eq!(type_path(&records, &link(&[], "Identity")).to_string(), "super :: Identity");
    }

    #[test]
    fn field_types() {
        let ty = |item, collection, boxed| {
            field_value_type(&[], &FieldType { item, collection, boxed, one_or_many: false }).to_string()
        };
        assert_eq!(ty(ItemType::Primitive(Primitive::Int64), true, false), "Vec < crate :: edm :: Int64 >");
        assert_eq!(ty(ItemType::Struct(link(&[], "Call")), false, true), "Box < Call >");
        assert_eq!(ty(ItemType::Flags(link(&[], "Days")), false, false), "crate :: odata :: Flags < Days >");
        assert_eq!(ty(ItemType::Primitive(Primitive::Guid), false, false), "crate :: edm :: Guid");
    }
}
