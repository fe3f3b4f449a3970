//! Rust type expressions for fields, and paths between generated modules.

use crate::model::Primitive;
use crate::model::plan::{FieldType, Gate, ItemType, TypeLink};
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

/// [`doc_link`] from an item gated by `outer`: a type it does not compile with is named, not
/// linked (the link would be broken without the feature), with the feature it needs.
pub fn doc_link_within(from: &[String], outer: &Gate, to: &TypeLink) -> String {
    if outer.covers(&to.gate) {
        return doc_link(from, to);
    }
    let features: Vec<String> = to.gate.groups().flatten().map(|f| format!("`{f}`")).collect();
    format!("`{}` (cargo feature {})", to.name, features.join(" or "))
}

fn relative_segments(from: &[String], to: &[String], name: &str) -> Vec<String> {
    let common = from.iter().zip(to).take_while(|(a, b)| a == b).count();
    let ups = std::iter::repeat_n("super".to_owned(), from.len() - common);
    ups.chain(to[common..].iter().cloned()).chain(std::iter::once(name.to_owned())).collect()
}

/// `#[cfg(feature = "…")]` for what `gate` needs; nothing when it is open.
pub fn cfg(gate: &Gate) -> TokenStream {
    match predicate(gate) {
        Some(predicate) => quote!(#[cfg(#predicate)]),
        None => TokenStream::new(),
    }
}

/// The `cfg` predicate of `gate`: `feature = "a"`, `any(…)`, `all(…)`; none when it is open.
pub fn predicate(gate: &Gate) -> Option<TokenStream> {
    let groups: Vec<TokenStream> = gate
        .groups()
        .map(|group| {
            let features: Vec<TokenStream> = group.iter().map(|f| quote!(feature = #f)).collect();
            match features.as_slice() {
                [one] => one.clone(),
                _ => quote!(any(#(#features),*)),
            }
        })
        .collect();
    match groups.as_slice() {
        [] => None,
        [one] => Some(one.clone()),
        _ => Some(quote!(all(#(#groups),*))),
    }
}

/// [`cfg`] of `inner` for a part of something gated by `outer`: nothing when `outer`'s gate
/// already says it.
pub fn cfg_within(outer: &Gate, inner: &Gate) -> TokenStream {
    match outer.covers(inner) {
        true => TokenStream::new(),
        false => cfg(inner),
    }
}

/// Every item of `items` gated by `gate` (the struct and its impls, say): they are separate
/// items, and Rust has no block of items to put one `cfg` on.
pub fn gate_items(items: TokenStream, gate: &Gate) -> Result<TokenStream, syn::Error> {
    if gate.is_open() {
        return Ok(items);
    }
    let cfg = cfg(gate);
    let file: syn::File = syn::parse2(items)?;
    Ok(file
        .items
        .into_iter()
        .map(|item| match item {
            // A struct's or an enum's docs come first, as people write them.
            syn::Item::Struct(_) | syn::Item::Enum(_) | syn::Item::Mod(_) => {
                let (docs, rest) = split_docs(item);
                quote!(#docs #cfg #rest)
            }
            other => quote!(#cfg #other),
        })
        .collect())
}

/// An item's doc attributes, and the item without them.
fn split_docs(mut item: syn::Item) -> (TokenStream, syn::Item) {
    let attrs = match &mut item {
        syn::Item::Struct(i) => &mut i.attrs,
        syn::Item::Enum(i) => &mut i.attrs,
        syn::Item::Mod(i) => &mut i.attrs,
        _ => return (TokenStream::new(), item),
    };
    // `cfg_attr(feature = "requests", doc = …)` is docs too.
    let is_doc = |a: &syn::Attribute| a.path().is_ident("doc") || a.path().is_ident("cfg_attr");
    let (docs, others): (Vec<_>, Vec<_>) = std::mem::take(attrs).into_iter().partition(is_doc);
    *attrs = others;
    (quote!(#(#docs)*), item)
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
        TypeLink {
            path: path.iter().map(|s| s.to_string()).collect(),
            name: name.into(),
            odata_name: String::new(),
            gate: Default::default(),
        }
    }

    fn gate(groups: &[&[&str]]) -> Gate {
        groups
            .iter()
            .fold(Gate::default(), |gate, group| gate.and(&Gate::any(&group.iter().map(|f| f.to_string()).collect())))
    }

    #[test]
    fn cfg_attributes_say_what_a_gate_needs() {
        assert!(cfg(&Gate::default()).is_empty());
        assert_eq!(cfg(&gate(&[&["a"]])).to_string(), quote!(#[cfg(feature = "a")]).to_string());
        assert_eq!(
            cfg(&gate(&[&["a", "b"]])).to_string(),
            quote!(#[cfg(any(feature = "a", feature = "b"))]).to_string()
        );
        assert_eq!(
            cfg(&gate(&[&["a"], &["b", "c"]])).to_string(),
            quote!(#[cfg(all(feature = "a", any(feature = "b", feature = "c")))]).to_string()
        );
        // Inside an item that needs `a`, a part that needs `a` needs nothing more.
        assert!(cfg_within(&gate(&[&["a"]]), &gate(&[&["a"]])).is_empty());
        assert!(!cfg_within(&gate(&[&["a"]]), &gate(&[&["b"]])).is_empty());
    }

    #[test]
    fn every_item_of_a_gated_type_is_gated_after_its_docs() {
        let items = quote! {
            /// A webinar.
            #[derive(Clone)]
            pub struct Webinar;
            impl Webinar {}
            impl Default for Webinar { fn default() -> Self { Webinar } }
        };
        let gated = gate_items(items.clone(), &gate(&[&["virtual-events"]])).unwrap();
        let file: syn::File = syn::parse2(gated).unwrap();
        assert_eq!(file.items.len(), 3);
        for item in &file.items {
            let text = quote!(#item).to_string();
            assert!(text.contains(r#"# [cfg (feature = "virtual-events")]"#), "{text}");
        }
        let text = prettyplease::unparse(&file);
        assert!(text.starts_with("/// A webinar.\n#[cfg(feature = \"virtual-events\")]\n#[derive(Clone)]"), "{text}");
        // Open: as it was.
        assert_eq!(gate_items(items.clone(), &Gate::default()).unwrap().to_string(), items.to_string());
    }

    #[test]
    fn a_link_to_a_type_that_may_not_be_there_is_a_name() {
        let mut webinar = link(&[], "Webinar");
        webinar.gate = gate(&[&["virtual-events"]]);
        assert_eq!(doc_link_within(&[], &Gate::default(), &webinar), "`Webinar` (cargo feature `virtual-events`)");
        assert_eq!(doc_link_within(&[], &webinar.gate.clone(), &webinar), "[`Webinar`]");
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
