//! The requests of an entity type, in a module named after it: where its entities are
//! (`call::Item`, `call::Collection`), the entity requests there (`call::Get`, …), and its
//! bound actions and functions (`call::Mute`, sending the body `call::MuteRequest`;
//! `call_record::GetPstnCalls`, with its `GetPstnCallsParameters`).

use super::docs::doc_lines;
use super::structs::{Shape, emit_shape};
use super::types::{cfg, cfg_within, doc_link, field_value_type, ident, predicate, type_path};
use super::{doc_attrs, docs_page_line, permission_lines, permissions_slice};
use crate::csdl::OperationKind;
use crate::model::Primitive;
use crate::model::plan::{
    COLLECTION_LOCATION, EntityRequest, FieldType, ITEM_LOCATION, ItemType, LocationVariant, OperationPlan, PathPlan,
    RequestModulePlan, StreamPlan,
};
use proc_macro2::TokenStream;
use quote::quote;

/// Constructors take the required parameters, unless there are more than this many (then a
/// struct literal with `..Default::default()` reads better than a long argument list).
const MAX_CONSTRUCTOR_ARGUMENTS: usize = 7;

pub fn emit_requests(parent: &[String], plan: &RequestModulePlan) -> TokenStream {
    let name = ident(&plan.name);
    let module = plan.path(parent);
    let binding = doc_link(parent, &plan.binding);
    let mut lines = vec![format!("Requests on {binding}: where its entities are, and what can be sent there.")];
    lines.push(String::new());
    // The module's docs are read in its parent: links name the module.
    let link = |item: &str| format!("[`{item}`]({}::{item})", plan.name);
    let requests_at =
        |collection| EntityRequest::at(collection, plan.deletable).map(|r| link(r.name())).collect::<Vec<_>>();
    if !plan.item.is_empty() {
        lines.push(format!("- one entity, at an {}: {}.", link(ITEM_LOCATION), requests_at(false).join(", ")));
    }
    if !plan.collection.is_empty() {
        lines.push(format!("- a collection, at a {}: {}.", link(COLLECTION_LOCATION), requests_at(true).join(", ")));
    }
    if !plan.operations.is_empty() {
        let names: Vec<String> = plan.operations.iter().map(|op| link(&op.request_name)).collect();
        lines.push(format!("- its bound operations: {}.", names.join(", ")));
    }
    if !plan.streams.is_empty() {
        let names: Vec<String> = plan.streams.iter().map(|s| link(&s.request_name)).collect();
        lines.push(format!("- its streams, as bytes and their content type: {}.", names.join(", ")));
    }
    if plan.item.is_empty() && plan.collection.is_empty() {
        lines.push("No path of the API reaches it: its operations can be decoded, not sent.".to_owned());
    }
    let docs = doc_attrs(&lines);
    let locations = [(ITEM_LOCATION, &plan.item, false), (COLLECTION_LOCATION, &plan.collection, true)]
        .into_iter()
        .filter(|(_, variants, _)| !variants.is_empty())
        .map(|(name, variants, collection)| emit_location(&module, plan, name, variants, collection));
    let items = plan.operations.iter().map(|op| emit_operation(&module, plan, op));
    let streams = plan.streams.iter().map(|s| emit_stream(plan, s));
    let gate = cfg(&plan.gate);
    quote! {
        #docs
        #[cfg(feature = "requests")]
        #gate
        pub mod #name {
            #(#locations)*
            #(#items)*
            #(#streams)*
        }
    }
}

/// A stream of the module's entities: the type that names it, and the request that reads it.
fn emit_stream(plan: &RequestModulePlan, stream: &StreamPlan) -> TokenStream {
    let (marker, request, segment) = (ident(&stream.marker), ident(&stream.request_name), &stream.segment);
    let templates = path_templates(plan, &stream.paths);
    let mut lines = vec![format!("`{segment}` of the entities at an [`{ITEM_LOCATION}`]: a stream, read as bytes.")];
    if let Some(description) = &stream.description {
        lines.push(String::new());
        lines.extend(doc_lines(description));
    }
    lines.push(String::new());
    lines.extend(stream.paths.iter().map(|p| format!("- `GET {}`", p.template)));
    let docs = doc_attrs(&lines);
    let request_docs = doc_attrs(&[format!(
        "`GET` of `{segment}`: its bytes and their `Content-Type` (`odata::Content`), never JSON."
    )]);
    let item = ident(ITEM_LOCATION);
    quote! {
        #docs
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub struct #marker;

        impl crate::odata::StreamProperty for #marker {
            const SEGMENT: &'static str = #segment;
            const PATHS: &'static [crate::odata::PathTemplate] = &[#(#templates)*];
            type Owner = #item;
        }

        #request_docs
        pub type #request = crate::odata::GetContent<#marker>;
    }
}

fn first_is_unit(variants: &[LocationVariant]) -> bool {
    variants.first().is_some_and(|v| v.keys.is_empty())
}

/// A location enum (`Item` or `Collection`), its trait impls and its entity requests.
fn emit_location(
    module: &[String],
    plan: &RequestModulePlan,
    name: &str,
    variants: &[LocationVariant],
    collection: bool,
) -> TokenStream {
    let enum_name = ident(name);
    let binding = doc_link(module, &plan.binding);
    let what = if collection { format!("a collection of {binding}") } else { format!("one {binding}") };
    let docs = doc_attrs(&[
        format!("Where {what} is: a variant per path template, with its keys."),
        String::new(),
        "Keys are data for their segment, whatever they hold ([`crate::odata::render_path`]).".to_owned(),
    ]);
    let gates: Vec<TokenStream> = variants.iter().map(|v| cfg_within(&plan.gate, &v.gate)).collect();
    let arms = variants.iter().zip(&gates).enumerate().map(|(i, (v, gate))| {
        let variant = ident(&v.name);
        let mut lines = vec![format!("`{}`", v.template)];
        if !v.permissions.is_empty() {
            lines.push(String::new());
            lines.push("Permissions (Graph's permissions reference):".to_owned());
            lines.push(String::new());
            lines.extend(permission_lines(&v.permissions));
        }
        let docs = doc_attrs(&lines);
        // `new()` without arguments is the default too.
        let default = (i == 0 && v.keys.is_empty()).then(|| quote!(#[default]));
        let fields = v.keys.iter().map(|k| {
            let (field, docs) = (ident(&k.field), doc_attrs(&[format!("`{{{}}}`", k.key)]));
            quote!(#docs #field: String,)
        });
        match v.keys.is_empty() {
            true => quote!(#docs #gate #default #variant,),
            false => quote!(#docs #gate #variant { #(#fields)* },),
        }
    });
    let derives = match first_is_unit(variants) {
        true => quote!(#[derive(Clone, Default)]),
        false => quote!(#[derive(Clone)]),
    };
    let templates = variants.iter().zip(&gates).map(|(v, gate)| {
        let (template, keys) = (&v.template, v.keys.iter().map(|k| &k.key));
        let permissions = permissions_slice(&v.permissions);
        quote!(#gate crate::odata::PathTemplate { template: #template, keys: &[#(#keys),*], permissions: #permissions },)
    });
    let index_arms = variants.iter().zip(&gates).enumerate().map(|(i, (v, gate))| {
        let (variant, i) = (ident(&v.name), index(plan, variants, i));
        match v.keys.is_empty() {
            true => quote!(#gate #enum_name::#variant => #i,),
            false => quote!(#gate #enum_name::#variant { .. } => #i,),
        }
    });
    let key_arms = variants.iter().zip(&gates).map(|(v, gate)| {
        let variant = ident(&v.name);
        let fields: Vec<_> = v.keys.iter().map(|k| ident(&k.field)).collect();
        match fields.is_empty() {
            true => quote!(#gate #enum_name::#variant => Vec::new(),),
            false => {
                quote!(#gate #enum_name::#variant { #(#fields),* } => crate::odata::key_values(&[#(#fields),*]),)
            }
        }
    });
    let first = &variants[0];
    let constructor = {
        let variant = ident(&first.name);
        let fields: Vec<_> = first.keys.iter().map(|k| ident(&k.field)).collect();
        let docs = doc_attrs(&[format!("`{}`, the usual path.", first.template)]);
        let value = match fields.is_empty() {
            true => quote!(#enum_name::#variant),
            false => quote!(#enum_name::#variant { #(#fields: #fields.into()),* }),
        };
        quote! {
            #docs
            pub fn new(#(#fields: impl Into<String>),*) -> Self {
                #value
            }
        }
    };
    let entity = type_path(module, &plan.entity);
    let select = type_path(module, &plan.binding);
    let kind = match collection {
        true => quote!(crate::odata::CollectionLocation),
        false => quote!(crate::odata::ItemLocation),
    };
    let deletable = (!collection && plan.deletable).then(|| quote!(impl crate::odata::Deletable for #enum_name {}));
    let article = if collection { "a" } else { "an" };
    let aliases = EntityRequest::at(collection, plan.deletable).map(|request| {
        let alias = ident(request.name());
        let what = match request {
            EntityRequest::Get => "`GET` of the entity",
            EntityRequest::List => "`GET` of a page of the collection",
            EntityRequest::Create => "`POST` of a new entity to the collection",
            EntityRequest::Update => "`PATCH` of the entity",
            EntityRequest::Delete => "`DELETE` of the entity",
        };
        let docs = doc_attrs(&[format!("{what}, at {article} [`{name}`].")]);
        quote!(#docs pub type #alias = crate::odata::#alias<#enum_name>;)
    });
    quote! {
        #docs
        #derives
        pub enum #enum_name {
            #(#arms)*
        }

        impl #enum_name {
            #constructor
        }

        // The methods of these impls are inline, as a derive's are: they cost code where they
        // are used, not in the crate's own build.
        impl crate::odata::Location for #enum_name {
            const TEMPLATES: &'static [crate::odata::PathTemplate] = &[#(#templates)*];

            #[inline]
            fn index(&self) -> usize {
                match self {
                    #(#index_arms)*
                }
            }

            #[inline]
            fn keys(&self) -> Vec<&str> {
                match self {
                    #(#key_arms)*
                }
            }
        }

        // Compared and shown through `Location` (template and keys): the same for every
        // location, and less code than a derive for each.
        impl PartialEq for #enum_name {
            #[inline]
            fn eq(&self, other: &Self) -> bool {
                crate::odata::same_location(self, other)
            }
        }

        impl Eq for #enum_name {}

        impl std::fmt::Debug for #enum_name {
            #[inline]
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                crate::odata::debug_location(self, f)
            }
        }

        impl crate::odata::EntityLocation for #enum_name {
            type Entity = #entity;
            type Select = #select;
        }

        impl #kind for #enum_name {}

        #deletable

        #(#aliases)*
    }
}

fn emit_operation(module: &[String], group: &RequestModulePlan, op: &OperationPlan) -> TokenStream {
    let shape = Shape {
        module,
        name: &op.link.name,
        odata_name: &op.link.odata_name,
        doc: operation_doc(module, group, op),
        requests_doc: None,
        fields: &op.fields,
    };
    let body = emit_shape(&shape);
    let name = ident(&op.link.name);
    let constructor = constructor(module, op).map(|c| quote!(impl #name { #c }));
    let odata_name = &op.name;
    let method = op.kind.method();
    let templates = path_templates(group, &op.paths);
    let response = match &op.response {
        None => quote!(crate::odata::NoContent),
        // A collection comes a page at a time; a `delta` function's, as a delta page (the same
        // type, read for its items present or removed and its next round).
        Some(r) if r.ty.collection => {
            let item = field_value_type(module, &FieldType { collection: false, ..r.ty.clone() });
            match op.name.rsplit('.').next() == Some("delta") {
                true => quote!(crate::odata::DeltaPage<#item>),
                false => quote!(crate::odata::Page<#item>),
            }
        }
        Some(r) if r.wrapped => {
            let inner = field_value_type(module, &r.ty);
            quote!(crate::odata::ValueResponse<#inner>)
        }
        Some(r) => field_value_type(module, &r.ty),
    };
    let segment = &op.segment;
    let binding = match (op.paths.is_empty(), op.binding_collection) {
        (true, _) => quote!(crate::odata::Unreachable),
        (false, true) => {
            let name = ident(COLLECTION_LOCATION);
            quote!(#name)
        }
        (false, false) => {
            let name = ident(ITEM_LOCATION);
            quote!(#name)
        }
    };
    // An action's segment is its name (the trait's default method); a function's holds its
    // parameters.
    let segment_fn = match op.kind {
        OperationKind::Action => None,
        OperationKind::Function => {
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
                true => quote!(let call = crate::odata::FunctionCall::new(Self::SEGMENT);),
                false => quote!(let mut call = crate::odata::FunctionCall::new(Self::SEGMENT);),
            };
            Some(quote! {
                fn segment(&self) -> Result<String, crate::odata::LiteralError> {
                    #call
                    #(#params)*
                    call.finish()
                }
            })
        }
    };
    let request = ident(&op.request_name);
    let (kind, generic, how) = match op.kind {
        OperationKind::Action => (quote!(Action), quote!(Invoke), format!("`POST` with a [`{}`] body", op.link.name)),
        OperationKind::Function => {
            (quote!(Function), quote!(CallFunction), format!("`GET` with its [`{}`]", op.link.name))
        }
    };
    let request_docs = doc_attrs(&[format!("`{}` sent where it is bound: {how}.", op.name)]);
    quote! {
        #body

        #constructor

        impl crate::odata::Operation for #name {
            const ODATA_NAME: &'static str = #odata_name;
            const METHOD: &'static str = #method;
            const PATHS: &'static [crate::odata::PathTemplate] = &[#(#templates)*];
            type Binding = #binding;
            type Response = #response;
            const SEGMENT: &'static str = #segment;

            #segment_fn
        }

        impl crate::odata::#kind for #name {}

        #request_docs
        pub type #request = crate::odata::#generic<#name>;
    }
}

/// The templates of a location's variants, or of an operation or a stream at them, in their
/// order: a gated one only with its feature, as its variant.
fn path_templates(plan: &RequestModulePlan, paths: &[PathPlan]) -> Vec<TokenStream> {
    paths
        .iter()
        .map(|p| {
            let (template, keys) = (&p.template, &p.keys);
            let permissions = permissions_slice(&p.permissions);
            let gate = cfg_within(&plan.gate, &p.gate);
            quote!(#gate crate::odata::PathTemplate { template: #template, keys: &[#(#keys),*], permissions: #permissions },)
        })
        .collect()
}

/// The index of variant `i` in `TEMPLATES`: `i` when every variant before it is there when it
/// is; otherwise the count of those that are, and `cfg!` of each of the others (gated
/// variants come last, so an open one's index is always `i`).
fn index(plan: &RequestModulePlan, variants: &[LocationVariant], i: usize) -> TokenStream {
    let within = plan.gate.and(&variants[i].gate);
    let (always, maybe): (Vec<_>, Vec<_>) = variants[..i].iter().partition(|v| within.covers(&v.gate));
    let always = proc_macro2::Literal::usize_unsuffixed(always.len());
    let maybe = maybe.iter().filter_map(|v| predicate(&v.gate)).map(|p| quote!(usize::from(cfg!(#p))));
    quote!(#always #(+ #maybe)*)
}

fn operation_doc(module: &[String], group: &RequestModulePlan, op: &OperationPlan) -> Vec<String> {
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
        let with_permissions: Vec<_> = op.paths.iter().filter(|p| !p.permissions.is_empty()).collect();
        if let Some(first) = with_permissions.first() {
            // The same permissions on every path, usually: listed once then.
            let same = with_permissions.iter().all(|p| p.permissions == first.permissions);
            lines.push(String::new());
            match same && with_permissions.len() == op.paths.len() {
                true => {
                    lines.push("Permissions (Graph's permissions reference):".to_owned());
                    lines.push(String::new());
                    lines.extend(permission_lines(&first.permissions));
                }
                false => {
                    for path in with_permissions {
                        lines.push(format!("Permissions on `{}`:", path.template));
                        lines.push(String::new());
                        lines.extend(permission_lines(&path.permissions));
                        lines.push(String::new());
                    }
                    lines.pop();
                }
            }
        }
    }
    if let Some(url) = &op.docs_url {
        lines.push(String::new());
        lines.push(docs_page_line(url));
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
    // Inline: compiled here, it would need the drop glue of every argument's type.
    Some(quote! {
        #docs
        #[inline]
        pub fn new(#(#args),*) -> Self {
            Self { #(#inits)* ..Default::default() }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::plan::{Gate, TypeLink};

    fn feature(name: &str) -> Gate {
        Gate::any(&[name.to_owned()].into())
    }

    fn variant(name: &str, gate: Gate) -> LocationVariant {
        LocationVariant {
            name: name.into(),
            template: format!("/{name}"),
            keys: Vec::new(),
            permissions: Vec::new(),
            gate,
        }
    }

    fn module(gate: Gate) -> RequestModulePlan {
        let link =
            TypeLink { path: Vec::new(), name: "Report".into(), odata_name: "a.report".into(), gate: gate.clone() };
        RequestModulePlan {
            name: "report".into(),
            binding: link.clone(),
            entity: link,
            item: Vec::new(),
            collection: Vec::new(),
            deletable: true,
            operations: Vec::new(),
            streams: Vec::new(),
            gate,
        }
    }

    #[test]
    fn a_variant_index_counts_the_variants_before_it_that_are_there() {
        let variants = [
            variant("a", Gate::default()),
            variant("b", feature("x")),
            variant("c", feature("y")),
            variant("d", feature("x")),
        ];
        let index = |plan: &RequestModulePlan, i| index(plan, &variants, i).to_string();
        let open = module(Gate::default());
        assert_eq!(index(&open, 0), "0");
        assert_eq!(index(&open, 1), "1");
        // `b` is there when `c` is only if `x` is on too.
        assert_eq!(index(&open, 2), quote!(1 + usize::from(cfg!(feature = "x"))).to_string());
        assert_eq!(index(&open, 3), quote!(2 + usize::from(cfg!(feature = "y"))).to_string());
        // In a module that needs `y`, `c` is always there.
        assert_eq!(index(&module(feature("y")), 3), quote!(3).to_string());
    }
}
