//! Enum types → Rust enums that keep values the schema does not define.

use super::docs::doc_lines;
use super::types::ident;
use super::{doc_attrs, docs_page_line, odata_note};
use crate::model::plan::EnumPlan;
use proc_macro2::TokenStream;
use quote::quote;

pub fn emit_enum(plan: &EnumPlan) -> TokenStream {
    let name = ident(&plan.link.name);
    let odata_name = &plan.link.odata_name;
    let unknown = ident(&plan.unknown_variant);
    let mut doc = plan.description.as_deref().map(doc_lines).unwrap_or_default();
    if !doc.is_empty() {
        doc.push(String::new());
    }
    let kind = if plan.is_flags { "flags enum type, written as a comma-separated list" } else { "enum type" };
    doc.push(odata_note(odata_name, kind));
    if let Some(url) = &plan.docs_url {
        doc.push(String::new());
        doc.push(docs_page_line(url));
    }
    let docs = doc_attrs(&doc);

    let variants = plan.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let mut lines = vec![format!("`{}` ({}).", v.json_name, v.value)];
        if let Some(text) = &v.description {
            lines = [doc_lines(text), vec![String::new()], lines].concat();
        }
        let docs = doc_attrs(&lines);
        quote!(#docs #variant,)
    });
    let members = plan.variants.iter().map(|v| {
        let (variant, json_name) = (ident(&v.name), &v.json_name);
        quote!((#json_name, Self::#variant),)
    });
    let names = plan.variants.iter().map(|v| {
        let (variant, json_name) = (ident(&v.name), &v.json_name);
        quote!(Self::#variant => #json_name,)
    });
    let spellings = plan.variants.iter().map(|v| {
        let json_name = &v.json_name;
        quote!(#json_name,)
    });
    quote! {
        #docs
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub enum #name {
            #(#variants)*
            /// A value this version of the schema does not define, kept as it came.
            #unknown(String),
        }

        impl crate::odata::EnumType for #name {
            const ODATA_NAME: &'static str = #odata_name;
            const MEMBERS: &'static [(&'static str, Self)] = &[#(#members)*];
            const NAMES: &'static [&'static str] = &[#(#spellings)*];

            fn as_str(&self) -> &str {
                match self {
                    #(#names)*
                    Self::#unknown(value) => value,
                }
            }

            fn unrecognized(value: String) -> Self {
                Self::#unknown(value)
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                crate::odata::serialize_enum(self, serializer)
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                crate::odata::deserialize_enum(deserializer)
            }
        }

        /// Replaced whole by a partial value.
        impl crate::odata::Merge for #name {}
    }
}
