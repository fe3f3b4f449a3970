//! Bound actions and functions → request structs in a module named after their binding type:
//! `call::MuteRequest`, `call_record::GetPstnCallsParameters`.

use super::doc_attrs;
use super::docs::doc_lines;
use super::structs::{Shape, emit_shape};
use super::types::{doc_link, field_value_type, ident};
use crate::csdl::OperationKind;
use crate::model::plan::{ItemType, OperationModulePlan, OperationPlan, PathPlan};
use crate::model::{Primitive, naming};
use proc_macro2::TokenStream;
use quote::quote;

/// Constructors take the required parameters, unless there are more than this many (then a
/// struct literal with `..Default::default()` reads better than a long argument list).
const MAX_CONSTRUCTOR_ARGUMENTS: usize = 7;

pub fn emit_operations(parent: &[String], plan: &OperationModulePlan) -> TokenStream {
    let name = ident(&plan.name);
    let module: Vec<String> = parent.iter().cloned().chain(std::iter::once(plan.name.clone())).collect();
    let docs = doc_attrs(&[format!(
        "Actions and functions bound to {} (or to a collection of it).",
        doc_link(parent, &plan.binding)
    )]);
    let items = plan.operations.iter().map(|op| emit_operation(&module, plan, op));
    quote! {
        #docs
        pub mod #name {
            #(#items)*
        }
    }
}

fn emit_operation(module: &[String], group: &OperationModulePlan, op: &OperationPlan) -> TokenStream {
    let shape = Shape {
        module,
        name: &op.link.name,
        odata_name: &op.link.odata_name,
        doc: operation_doc(module, group, op),
        fields: &op.fields,
    };
    let body = emit_shape(&shape);
    let name = ident(&op.link.name);
    let constructor = constructor(module, op);
    let path = typed_path(op);
    let odata_name = &op.name;
    let method = op.kind.method();
    let templates = op.paths.iter().map(|p| {
        let (template, keys) = (&p.template, &p.keys);
        quote!(crate::odata::PathTemplate { template: #template, keys: &[#(#keys),*] },)
    });
    let response = match &op.response {
        None => quote!(()),
        Some(r) if r.wrapped => {
            let inner = field_value_type(module, &r.ty);
            quote!(crate::odata::ValueResponse<#inner>)
        }
        Some(r) => field_value_type(module, &r.ty),
    };
    let function = (op.kind == OperationKind::Function).then(|| {
        let segment = &op.segment;
        let params = op.fields.iter().map(|f| {
            let (field, key) = (ident(&f.name), &f.json_name);
            let literal = !f.ty.collection && matches!(&f.ty.item, ItemType::Enum(_) | ItemType::Flags(_))
                || matches!(&f.ty.item, ItemType::Primitive(p) if !f.ty.collection
                    && !matches!(p, Primitive::Untyped | Primitive::Geo | Primitive::Stream));
            match literal {
                true => quote!(call.param(#key, &self.#field);),
                false => quote!(call.json_param(#key, &self.#field);),
            }
        });
        let call = match op.fields.is_empty() {
            true => quote!(let call = crate::odata::FunctionCall::new(#segment);),
            false => quote!(let mut call = crate::odata::FunctionCall::new(#segment);),
        };
        quote! {
            impl crate::odata::Function for #name {
                fn segment(&self) -> String {
                    #call
                    #(#params)*
                    call.finish()
                }
            }
        }
    });
    quote! {
        #body

        impl #name {
            #constructor
            #path
        }

        impl crate::odata::Operation for #name {
            const ODATA_NAME: &'static str = #odata_name;
            const METHOD: &'static str = #method;
            const PATHS: &'static [crate::odata::PathTemplate] = &[#(#templates)*];
            type Response = #response;
        }

        #function
    }
}

fn operation_doc(module: &[String], group: &OperationModulePlan, op: &OperationPlan) -> Vec<String> {
    let mut lines = op.description.as_deref().map(doc_lines).unwrap_or_default();
    if !lines.is_empty() {
        lines.push(String::new());
    }
    let kind = match op.kind {
        OperationKind::Action => "Request body of the action",
        OperationKind::Function => "Parameters of the function",
    };
    let method = op.kind.method();
    let binding = doc_link(module, &group.binding);
    let bound = if op.binding_collection { format!("a collection of {binding}") } else { binding };
    lines.push(format!("{kind} `{}`, bound to {bound}.", op.name));
    if !op.paths.is_empty() {
        lines.push(String::new());
        for path in &op.paths {
            lines.push(format!("- `{method} {}`", path.template));
        }
    }
    lines
}

/// `new(required…)`: the parameters the service cannot do without.
fn constructor(module: &[String], op: &OperationPlan) -> Option<TokenStream> {
    if op.required.is_empty() || op.required.len() > MAX_CONSTRUCTOR_ARGUMENTS {
        return None;
    }
    let fields: Vec<_> = op.required.iter().map(|&i| &op.fields[i]).collect();
    let args = fields.iter().map(|f| {
        let (name, ty) = (ident(&f.name), field_value_type(module, &f.ty));
        quote!(#name: #ty)
    });
    let inits = fields.iter().map(|f| {
        let name = ident(&f.name);
        quote!(#name: crate::Field::Value(#name),)
    });
    let names: Vec<String> = fields.iter().map(|f| format!("`{}`", f.json_name)).collect();
    let docs = doc_attrs(&[format!("With its required parameters: {}.", names.join(", "))]);
    Some(quote! {
        #docs
        pub fn new(#(#args),*) -> Self {
            Self { #(#inits)* ..Default::default() }
        }
    })
}

/// `path(call_id)`: the usual path with its keys filled in.
fn typed_path(op: &OperationPlan) -> Option<TokenStream> {
    let PathPlan { template, keys } = op.paths.first()?;
    let names: Vec<String> = keys.iter().map(|k| naming::field_name(k)).collect();
    let args: Vec<_> = names.iter().map(|n| ident(n)).collect();
    // The template with inline arguments: `/communications/calls/{call_id}/mute`.
    let mut format = template.clone();
    for (key, name) in keys.iter().zip(&names) {
        format = format.replacen(&format!("{{{key}}}"), &format!("{{{}}}", name.trim_start_matches("r#")), 1);
    }
    let mut lets: Vec<TokenStream> = args.iter().map(|a| quote!(let #a = crate::odata::encode_key(#a);)).collect();
    let (receiver, format) = match op.kind {
        OperationKind::Action => (quote!(), format),
        OperationKind::Function => {
            // The last segment is the call with its parameters.
            let prefix = format.rsplit_once('/').map_or(String::new(), |(p, _)| p.to_owned());
            lets.push(quote!(let segment = crate::odata::Function::segment(self);));
            (quote!(&self,), format!("{prefix}/{{segment}}"))
        }
    };
    let docs = doc_attrs(&[
        format!("`{template}`, with its keys filled in (percent-encoded)."),
        String::new(),
        "Every path: [`crate::odata::Operation::PATHS`].".to_owned(),
    ]);
    let body = match lets.is_empty() {
        true => quote!(#format.to_owned()),
        false => quote!(#(#lets)* format!(#format)),
    };
    Some(quote! {
        #docs
        pub fn path(#receiver #(#args: &str),*) -> String {
            #body
        }
    })
}
