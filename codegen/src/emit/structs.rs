//! Entity and complex types → structs, with the code that reads and writes their JSON.

use super::docs::doc_lines;
use super::types::{doc_link, doc_link_within, field_value_type, ident, type_path};
use super::{doc_attrs, docs_page_line, odata_note};
use crate::csdl::StructuredKind;
use crate::model::Primitive;
use crate::model::plan::{EXTRAS_FIELD, FieldPlan, FieldType, ItemType, StructPlan};
use proc_macro2::TokenStream;
use quote::quote;

/// A generated struct; `requests` names the module of its paths, requests and operations.
pub fn emit_struct(module: &[String], plan: &StructPlan, requests: Option<&str>) -> TokenStream {
    let shape = Shape {
        module,
        name: &plan.link.name,
        odata_name: &plan.link.odata_name,
        doc: struct_doc(module, plan),
        requests_doc: requests.map(|requests| {
            format!("Its paths, the requests that read and write it, and its operations: [`{requests}`].")
        }),
        fields: &plan.fields,
    };
    let body = emit_shape(&shape);
    let names = (plan.kind == StructuredKind::Entity).then(|| property_names(module, plan));
    quote!(#body #names)
}

/// The names of an entity type's properties for query options: `Call::STATE`
/// (`Property<Call>`), `CallRecord::SESSIONS` (`Navigation<CallRecord, Session>`).
fn property_names(module: &[String], plan: &StructPlan) -> TokenStream {
    let name = ident(&plan.link.name);
    let constants = plan.fields.iter().map(|f| {
        let (constant, json) = (ident(&f.constant), &f.json_name);
        match &f.target_struct {
            Some(target) => {
                let target = type_path(module, target);
                let docs = doc_attrs(&[format!("`{json}`, for `$expand` (and `$select`).")]);
                quote! {
                    #docs
                    pub const #constant: crate::odata::Navigation<Self, #target> = crate::odata::Navigation::new(#json);
                }
            }
            None => {
                let docs = doc_attrs(&[format!("`{json}`, for `$select` and `$orderby`.")]);
                quote! {
                    #docs
                    pub const #constant: crate::odata::Property<Self> = crate::odata::Property::new(#json);
                }
            }
        }
    });
    quote! {
        #[cfg(feature = "requests")]
        impl #name {
            #(#constants)*
        }
    }
}

/// A struct of `Field`s and extras, read and written as a JSON object: what entity and complex
/// types and the request bodies of actions have in common.
pub struct Shape<'a> {
    pub module: &'a [String],
    pub name: &'a str,
    /// The name `Structured::ODATA_NAME` gives, for messages.
    pub odata_name: &'a str,
    pub doc: Vec<String>,
    /// The paragraph that links to the type's requests module, which is only there with the
    /// cargo feature `requests`.
    pub requests_doc: Option<String>,
    pub fields: &'a [FieldPlan],
}

pub fn emit_shape(plan: &Shape) -> TokenStream {
    let module = plan.module;
    let name = ident(plan.name);
    let rust_name = plan.name;
    let odata_name = plan.odata_name;
    let odata_tag = format!("#{odata_name}");
    let mut docs = doc_attrs(&plan.doc);
    if let Some(line) = &plan.requests_doc {
        let line = format!(" {line}");
        docs.extend(quote!(#[cfg_attr(feature = "requests", doc = "", doc = #line)]));
    }
    let fields = plan.fields.iter().map(|f| {
        let (docs, field, ty) = (doc_attrs(&field_doc(f)), ident(&f.name), field_value_type(module, &f.ty));
        quote!(#docs pub #field: crate::Field<#ty>,)
    });
    let extras = ident(EXTRAS_FIELD);
    let absent = plan.fields.iter().map(|f| ident(&f.name));
    let (read, write) = accessors(plan.fields);
    let merge = merge_impl(&name, plan.fields);
    // `Default` by hand, from constants only: derived, it calls `Default::default` for each
    // field, and the unwinding paths of those calls need the drop glue of every field's type,
    // which the crate's own build then compiles for each type `Polymorphic::for_tag` builds.
    // The accessors and `Default` are inline, as a derive's methods are.
    quote! {
        #docs
        #[derive(Clone, PartialEq)]
        pub struct #name {
            #(#fields)*
            /// Properties the schema does not declare and instance annotations (`@odata.type`,
            /// `@odata.etag`, …), in the order they came.
            pub #extras: crate::odata::Extras,
        }

        /// Every property absent, no extras.
        impl Default for #name {
            #[inline]
            fn default() -> Self {
                Self {
                    #(#absent: crate::Field::Absent,)*
                    #extras: crate::odata::Extras::EMPTY,
                }
            }
        }

        impl crate::odata::ODataObject for #name {
            #read
            #write

            #[inline]
            fn extras(&self) -> &crate::odata::Extras {
                &self.#extras
            }

            #[inline]
            fn extras_mut(&mut self) -> &mut crate::odata::Extras {
                &mut self.#extras
            }
        }

        /// The type's name and the JSON it writes ([`crate::odata::debug_object`]).
        impl std::fmt::Debug for #name {
            #[inline]
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                crate::odata::debug_object(self, #rust_name, f)
            }
        }

        impl crate::odata::Structured for #name {
            const ODATA_TAG: &'static str = #odata_tag;
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                crate::odata::serialize_object(self, serializer, None)
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                crate::odata::deserialize_struct(deserializer)
            }
        }

        #merge
    }
}

/// `Merge`, behind the cargo feature `merge` (code for every property of every type): property
/// by property, extras key by key.
fn merge_impl(name: &proc_macro2::Ident, fields: &[FieldPlan]) -> TokenStream {
    let extras = ident(EXTRAS_FIELD);
    let names: Vec<_> = fields.iter().map(|f| ident(&f.name)).collect();
    quote! {
        /// Property by property; extras key by key ([`crate::odata::Merge`]).
        #[cfg(feature = "merge")]
        impl crate::odata::Merge for #name {
            fn merge(&mut self, partial: Self) {
                #(self.#names.merge(partial.#names);)*
                self.#extras.merge(partial.#extras);
            }

            fn diff(&self, new: &Self) -> Self {
                Self {
                    #(#names: self.#names.diff(&new.#names),)*
                    #extras: self.#extras.diff(&new.#extras),
                }
            }
        }
    }
}

/// `slot` and `write_properties`: one match arm and one write per property. Enum values go
/// through the runtime helpers that keep the spelling they came in.
fn accessors(fields: &[FieldPlan]) -> (TokenStream, TokenStream) {
    if fields.is_empty() {
        let read = quote! {
            #[inline]
            fn slot(&mut self, _key: &str) -> Option<crate::odata::Slot<'_>> {
                None
            }
        };
        let write = quote! {
            fn write_properties<M: serde::ser::SerializeMap>(&self, _map: &mut M) -> Result<(), M::Error> {
                Ok(())
            }
        };
        return (read, write);
    }
    let extras = ident(EXTRAS_FIELD);
    let mut reads = Vec::new();
    let mut writes = Vec::new();
    for field in fields {
        let (name, key) = (ident(&field.name), &field.json_name);
        // Each arm names where the value goes, and each write is one call that keeps the
        // first error: no `?` or assignment per property (what costs the compile time).
        let (read, write) = match slot_kind(&field.ty) {
            SlotKind::Enum => (
                quote!(Enum(&mut self.#name, &mut self.#extras, #key)),
                quote!(out.enum_value(#key, &self.#name, &self.#extras);),
            ),
            SlotKind::Enums => (
                quote!(Enums(&mut self.#name, &mut self.#extras, #key)),
                quote!(out.enum_collection(#key, &self.#name, &self.#extras);),
            ),
            SlotKind::Other(variant) => {
                let variant = ident(variant);
                (quote!(#variant(&mut self.#name)), quote!(out.property(#key, &self.#name);))
            }
        };
        reads.push(quote!(#key => crate::odata::Slot::#read,));
        writes.push(write);
    }
    let read = quote! {
        #[inline]
        fn slot(&mut self, key: &str) -> Option<crate::odata::Slot<'_>> {
            Some(match key {
                #(#reads)*
                _ => return None,
            })
        }
    };
    let write = quote! {
        fn write_properties<M: serde::ser::SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
            let mut out = crate::odata::PropertyWriter::new(map);
            #(#writes)*
            out.finish()
        }
    };
    (read, write)
}

/// Which [`Slot`](crate::odata::Slot) variant a field's value is read through.
enum SlotKind {
    Enum,
    Enums,
    Other(&'static str),
}

fn slot_kind(ty: &FieldType) -> SlotKind {
    if ty.one_or_many {
        let polymorphic = matches!(ty.item, ItemType::Polymorphic(_));
        return SlotKind::Other(if polymorphic { "OneOrMany" } else { "Other" });
    }
    SlotKind::Other(match (&ty.item, ty.collection) {
        (ItemType::Enum(_), false) => return SlotKind::Enum,
        (ItemType::Enum(_), true) => return SlotKind::Enums,
        (ItemType::Struct(_), false) if ty.boxed => "Boxed",
        (ItemType::Struct(_), false) => "Struct",
        (ItemType::Struct(_), true) => "Structs",
        (ItemType::Polymorphic(_), false) => "Polymorphic",
        (ItemType::Polymorphic(_), true) => "Polymorphics",
        (ItemType::Primitive(Primitive::String), true) => "Texts",
        (ItemType::Primitive(p), false) => primitive_slot(*p),
        (ItemType::Primitive(_), true) | (ItemType::Flags(_), _) => "Other",
    })
}

/// The `Slot` variant of a single primitive value.
fn primitive_slot(p: Primitive) -> &'static str {
    match p {
        Primitive::Boolean => "Boolean",
        Primitive::Byte => "Byte",
        Primitive::SByte => "SByte",
        Primitive::Int16 => "Int16",
        Primitive::Int32 => "Int32",
        Primitive::Int64 => "Int64",
        Primitive::Single | Primitive::Double => "Float",
        Primitive::String => "Text",
        Primitive::Decimal => "Decimal",
        Primitive::Binary => "Binary",
        Primitive::Date => "Date",
        Primitive::DateTimeOffset => "DateTimeOffset",
        Primitive::Duration => "Duration",
        Primitive::Guid => "Guid",
        Primitive::TimeOfDay => "TimeOfDay",
        Primitive::Stream | Primitive::Geo | Primitive::Untyped => "Json",
    }
}

fn struct_doc(module: &[String], plan: &StructPlan) -> Vec<String> {
    let mut lines = plan.description.as_deref().map(doc_lines).unwrap_or_default();
    if !lines.is_empty() {
        lines.push(String::new());
    }
    let kind = match plan.kind {
        StructuredKind::Entity => "entity type",
        StructuredKind::Complex => "complex type",
    };
    let mut facts = vec![kind.to_owned()];
    if plan.is_abstract {
        facts.push("abstract".into());
    }
    if plan.is_open {
        facts.push("open".into());
    }
    if let Some(base) = &plan.base {
        facts.push(format!("derived from {}", doc_link(module, base)));
    }
    lines.push(odata_note(&plan.link.odata_name, &facts.join(", ")));
    if !plan.derived.is_empty() {
        let derived: Vec<String> = plan.derived.iter().map(|d| doc_link_within(module, &plan.link.gate, d)).collect();
        lines.push(String::new());
        lines.push(format!("Derived types: {}.", derived.join(", ")));
    }
    if let Some(url) = &plan.docs_url {
        lines.push(String::new());
        lines.push(docs_page_line(url));
    }
    lines
}

pub fn field_doc(field: &FieldPlan) -> Vec<String> {
    let mut lines = field.description.as_deref().map(doc_lines).unwrap_or_default();
    let mut facts = Vec::new();
    if let Some(navigation) = field.navigation {
        facts.push(match navigation.contains_target {
            true => "Contained navigation property: present when expanded.".to_owned(),
            false => "Navigation property: present when expanded.".to_owned(),
        });
    }
    if !field.nullable {
        facts.push("Never null in the schema (`Nullable=\"false\"`).".to_owned());
    }
    if let Some(owner) = &field.inherited_from {
        facts.push(format!("Inherited from `{owner}`."));
    }
    if lines.is_empty() {
        lines.push(format!("The `{}` property.", field.json_name));
    }
    if !facts.is_empty() {
        lines.push(String::new());
        lines.push(facts.join(" "));
    }
    lines
}
