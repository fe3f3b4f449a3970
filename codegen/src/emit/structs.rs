//! Entity and complex types → structs.

use super::docs::doc_lines;
use super::types::{doc_link, field_value_type, ident};
use super::{doc_attrs, odata_note};
use crate::csdl::StructuredKind;
use crate::model::naming::serde_camel_case;
use crate::model::plan::{FieldPlan, StructPlan};
use proc_macro2::TokenStream;
use quote::quote;

pub fn emit_struct(module: &[String], plan: &StructPlan) -> TokenStream {
    let name = ident(&plan.link.name);
    let docs = doc_attrs(&struct_doc(module, plan));
    let fields = plan.fields.iter().map(|f| emit_field(module, f));
    let extras = ident(&plan.extras_field);
    quote! {
        #docs
        #[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
        #[serde(default, rename_all = "camelCase")]
        pub struct #name {
            #(#fields)*
            /// Properties the schema does not declare and instance annotations (`@odata.type`,
            /// `@odata.etag`, …), in the order they came.
            #[serde(flatten)]
            pub #extras: crate::odata::Extras,
        }
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
        let derived: Vec<String> = plan.derived.iter().map(|d| doc_link(module, d)).collect();
        lines.push(String::new());
        lines.push(format!("Derived types: {}.", derived.join(", ")));
    }
    lines
}

fn emit_field(module: &[String], field: &FieldPlan) -> TokenStream {
    let name = ident(&field.name);
    let ty = field_value_type(module, &field.ty);
    let docs = doc_attrs(&field_doc(field));
    let json_name = &field.json_name;
    let rename = (serde_camel_case(&field.name) != field.json_name).then(|| quote!(rename = #json_name,));
    quote! {
        #docs
        #[serde(#rename skip_serializing_if = "Option::is_none")]
        pub #name: Option<#ty>,
    }
}

fn field_doc(field: &FieldPlan) -> Vec<String> {
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
