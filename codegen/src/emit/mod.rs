//! Stage 3, emit: a [`Plan`] → formatted Rust files.
//!
//! One file per module: the root namespace in `mod.rs`, each other namespace in a file named
//! after its module path, included from its parent with `include!` so that the same files can
//! be compiled from `generated/` or from a build script's output directory.

mod docs;
mod enums;
mod polymorphic;
mod requests;
mod structs;
mod types;

pub use docs::doc_lines;

use crate::model::plan::{Item, ModulePlan, Plan};
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeSet;

/// One output file: its path relative to the output folder (`/`-separated) and its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GeneratedFile {
    pub path: String,
    pub contents: String,
}

/// The generated tokens did not parse back: a bug in the generator, reported instead of a panic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmitError {
    pub file: String,
    pub message: String,
}

impl std::fmt::Display for EmitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "generated code for `{}` does not parse: {}", self.file, self.message)
    }
}

impl std::error::Error for EmitError {}

/// Emits every module of `plan`. `header` lines go at the top of each file as `//` comments;
/// `registry_feature` is the cargo feature that `TYPES` needs, if any.
pub fn emit(plan: &Plan, header: &[String], registry_feature: Option<&str>) -> Result<Vec<GeneratedFile>, EmitError> {
    // Every module and its ancestors, so that `a::b` has an `a` to live in.
    let mut paths: BTreeSet<Vec<String>> = BTreeSet::from([Vec::new()]);
    for module in &plan.modules {
        for len in 1..=module.path.len() {
            paths.insert(module.path[..len].to_vec());
        }
    }
    let mut files = Vec::new();
    for path in &paths {
        let module = plan.modules.iter().find(|m| &m.path == path);
        let children: Vec<&Vec<String>> =
            paths.iter().filter(|c| c.len() == path.len() + 1 && c.starts_with(path)).collect();
        let mut tokens = TokenStream::new();
        for child in &children {
            tokens.extend(child_module(plan, path, child));
        }
        if path.is_empty() && !plan.registry.is_empty() {
            tokens.extend(registry(plan, registry_feature));
        }
        let file = file_name(path);
        if let Some(module) = module {
            let items =
                module_items(module).map_err(|err| EmitError { file: file.clone(), message: err.to_string() })?;
            tokens.extend(items);
        }
        let contents = format_file(&file, tokens, header)?;
        files.push(GeneratedFile { path: file, contents });
    }
    Ok(files)
}

fn file_name(path: &[String]) -> String {
    match path.is_empty() {
        true => "mod.rs".to_owned(),
        false => format!("{}.rs", path.join("/")),
    }
}

/// `pub mod call_records { include!("call_records.rs"); }`; the path is relative to the
/// parent's file, whose folder is the parent's path without its last segment.
fn child_module(plan: &Plan, parent: &[String], child: &[String]) -> TokenStream {
    let name = types::ident(child.last().expect("a child module has a name"));
    let folder_len = parent.len().saturating_sub(1);
    let include = format!("{}.rs", child[folder_len..].join("/"));
    let namespace = plan.modules.iter().find(|m| m.path == child).map(|m| m.namespace.as_str());
    let doc = match namespace {
        Some(namespace) => format!("The `{namespace}` namespace."),
        None => "Namespaces below this one.".to_owned(),
    };
    let docs = doc_attrs(&[doc]);
    quote! {
        #docs
        pub mod #name {
            include!(#include);
        }
    }
}

fn module_items(module: &ModulePlan) -> Result<TokenStream, syn::Error> {
    // The request module of each entity type of this module, for the type's documentation.
    let request_modules: std::collections::HashMap<&str, &str> = module
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Requests(r) if r.binding.path == module.path => Some((r.binding.name.as_str(), r.name.as_str())),
            _ => None,
        })
        .collect();
    module
        .items
        .iter()
        .map(|item| match item {
            Item::Struct(s) => types::gate_items(
                structs::emit_struct(&module.path, s, request_modules.get(s.link.name.as_str()).copied()),
                &s.link.gate,
            ),
            Item::Enum(e) => types::gate_items(enums::emit_enum(e), &e.link.gate),
            Item::Polymorphic(p) => types::gate_items(polymorphic::emit_polymorphic(&module.path, p), &p.link.gate),
            Item::Requests(o) => Ok(requests::emit_requests(&module.path, o)),
        })
        .collect()
}

/// `TYPES`: every structured type by qualified name, for tools that choose it at run time.
fn registry(plan: &Plan, feature: Option<&str>) -> TokenStream {
    let routes = routes(plan);
    // Actions' request bodies are in the request modules, which need the feature `requests`.
    let request_modules: std::collections::HashSet<Vec<String>> = plan
        .modules
        .iter()
        .flat_map(|module| {
            module.items.iter().filter_map(|item| match item {
                Item::Requests(r) => Some(r.path(&module.path)),
                _ => None,
            })
        })
        .collect();
    let entries = plan.registry.iter().map(|entry| {
        let (ty, name, properties) = (types::type_path(&[], &entry.decoder), &entry.odata_name, &entry.properties);
        let cfg = request_modules.contains(&entry.decoder.path).then(|| quote!(#[cfg(feature = "requests")]));
        let gate = types::cfg(&entry.decoder.gate);
        quote!(#cfg #gate crate::odata::TypeInfo::new::<#ty>(#name, &[#(#properties),*]),)
    });
    let cfg = feature.map(|f| quote!(#[cfg(feature = #f)]));
    // The request types are there with the feature `requests` only.
    let requests_cfg = match feature {
        Some(f) => quote!(#[cfg(all(feature = #f, feature = "requests"))]),
        None => quote!(#[cfg(feature = "requests")]),
    };
    let needs = feature.map(|f| format!(" (with the cargo feature `{f}`)")).unwrap_or_default();
    let docs = doc_attrs(&[
        "Every entity and complex type of this API by its qualified name, with the Rust type that".to_owned(),
        "decodes it (the polymorphic enum of a type with derived types), sorted by name: for tools".to_owned(),
        format!("that only know the type at run time{needs}; see [`crate::odata::find_type`]. Actions'"),
        "request bodies are here too, as `microsoft.graph.mute(microsoft.graph.call)`.".to_owned(),
    ]);
    let requests = requests(plan);
    quote! {
        #docs
        #cfg
        pub static TYPES: &[crate::odata::TypeInfo] = &[#(#entries)*];

        /// The request type of every route of [`ROUTES`], in the same order, with a way to build
        /// it from a route match's keys and a JSON body: for tools that choose the request at
        /// run time; see [`crate::odata::find_request`].
        #requests_cfg
        pub static REQUESTS: &[crate::odata::RequestInfo] = &[#(#requests)*];

        #routes
    }
}

/// `REQUESTS`: for each route, its request type built from keys (and a body).
fn requests(plan: &Plan) -> Vec<TokenStream> {
    plan.routes
        .iter()
        .map(|r| {
            let rust = &r.rust;
            let (method, template) = (r.method, &r.template);
            let module: Vec<_> = rust.module.iter().map(|m| types::ident(m)).collect();
            let (location, variant) = (types::ident(rust.location), types::ident(&rust.variant.name));
            let request = types::ident(&rust.name);
            let gate = types::cfg(&r.gate);
            let rust_type = format!("{}::{}", rust.module.join("::"), rust.name);
            let keys_arg = if rust.variant.keys.is_empty() { quote!(_keys) } else { quote!(keys) };
            let at = match rust.variant.keys.is_empty() {
                true => quote!(#(#module::)*#location::#variant),
                false => {
                    let fields = rust.variant.keys.iter().map(|k| {
                        let (field, key) = (types::ident(&k.field), &k.key);
                        quote!(#field: crate::odata::key_value(keys, #key)?)
                    });
                    quote!(#(#module::)*#location::#variant { #(#fields),* })
                }
            };
            let (body_arg, build) = match rust.body {
                true => (quote!(body), quote!(#(#module::)*#request::new(at, crate::odata::request_body(body)?))),
                false => (quote!(_body), quote!(#(#module::)*#request::new(at))),
            };
            quote! {
                #gate
                crate::odata::RequestInfo {
                    method: #method,
                    template: #template,
                    rust_type: #rust_type,
                    make: |#keys_arg, #body_arg| {
                        let at = #at;
                        Ok(crate::odata::boxed(#build))
                    },
                },
            }
        })
        .collect()
}

/// `ROUTES`: every request the API's paths serve (see [`crate::odata::route`]).
fn routes(plan: &Plan) -> TokenStream {
    let routes = plan.routes.iter().map(|r| {
        let (method, template) = (r.method, &r.template);
        let request = match &r.request {
            Some(name) => quote!(Some(#name)),
            None => quote!(None),
        };
        let response = match &r.response {
            Some(name) => quote!(Some(#name)),
            None => quote!(None),
        };
        let permissions = permissions_slice(&r.permissions);
        let gate = types::cfg(&r.gate);
        quote!(#gate crate::odata::Route {
            method: #method,
            template: #template,
            request: #request,
            response: #response,
            permissions: #permissions,
        },)
    });
    let starts = &plan.suffix_starts;
    quote! {
        /// Every request that the paths of this API serve: a method on a path template, with the
        /// types of its bodies (by the names `TYPES` has); see [`crate::odata::route`].
        pub static ROUTES: &[crate::odata::Route] = &[#(#routes)*];

        /// The navigation segments of [`ROUTES`] at which a match of a URL's end may start: those
        /// that lead to one type wherever the whole schema has them (see
        /// [`crate::odata::Router::with_suffix_starts`]).
        pub static SUFFIX_STARTS: &[&str] = &[#(#starts),*];
    }
}

fn format_file(file: &str, tokens: TokenStream, header: &[String]) -> Result<String, EmitError> {
    let syntax: syn::File =
        syn::parse2(tokens).map_err(|err| EmitError { file: file.to_owned(), message: err.to_string() })?;
    let mut out = String::new();
    for line in header {
        out.push_str("// ");
        out.push_str(line);
        out.push('\n');
    }
    if !header.is_empty() {
        out.push('\n');
    }
    out.push_str(&separate_items(&prettyplease::unparse(&syntax)));
    Ok(out)
}

/// A blank line after each item, as people write it (prettyplease packs them): after a
/// closing brace up to two levels in (items of inline modules, methods of their impls),
/// when more follows at that level.
fn separate_items(code: &str) -> String {
    let mut out = String::with_capacity(code.len() + code.len() / 32);
    let mut lines = code.lines().peekable();
    while let Some(line) = lines.next() {
        out.push_str(line);
        out.push('\n');
        let indent = line.len() - line.trim_start().len();
        let trimmed = line.trim();
        // One-line items of a module: `pub type X = …;`, `impl Marker for X {}`.
        let one_line_item = indent <= 4 && (trimmed.starts_with("pub type ") || trimmed.ends_with(" {}"));
        let is_comment = trimmed.starts_with("//");
        let item_ended =
            !is_comment && ((trimmed == "}" && indent <= 8) || (line.ends_with(';') && indent == 0) || one_line_item);
        // A constant or type of an impl (`const PATHS: … = &[…];`, `type Response = …;`)
        // before its methods.
        let member_ended = !is_comment && line.ends_with(';') && (indent == 4 || indent == 8);
        let next_at_this_level = |next: &&str| next.len() - next.trim_start().len() == indent;
        let more_at_this_level = lines.peek().is_some_and(|next| {
            next_at_this_level(next) && !next.trim().is_empty() && !next.trim_start().starts_with('}')
        });
        let method_next = lines.peek().is_some_and(|next| {
            next_at_this_level(next)
                && (next.trim_start().starts_with("fn ") || next.trim_start().starts_with("pub fn "))
        });
        if (item_ended && more_at_this_level) || (member_ended && method_next) {
            out.push('\n');
        }
    }
    out
}

/// `#[doc = " line"]` attributes (rendered as `///` lines).
fn doc_attrs(lines: &[String]) -> TokenStream {
    lines
        .iter()
        .map(|line| {
            let text = if line.is_empty() { String::new() } else { format!(" {line}") };
            quote!(#[doc = #text])
        })
        .collect()
}

/// The line that ties an item to its CSDL element: "OData `microsoft.graph.call` (entity type)."
fn odata_note(odata_name: &str, facts: &str) -> String {
    format!("OData `{odata_name}` ({facts}).")
}

/// `&[crate::odata::Permission { … }, …]`.
fn permissions_slice(grants: &[crate::permissions::Grant]) -> TokenStream {
    let items = grants.iter().map(|g| {
        let (method, name, least) = (&g.method, &g.name, g.least_privileged);
        let scheme = types::ident(g.scheme);
        quote!(crate::odata::Permission {
            method: #method,
            scheme: crate::odata::Scheme::#scheme,
            name: #name,
            least_privileged: #least,
        })
    });
    quote!(&[#(#items),*])
}

/// Doc lines that list the permissions of a template per method and scheme, the least
/// privileged first: ``- `POST`: application `Calls.Initiate.All` (least privileged), …``.
fn permission_lines(grants: &[crate::permissions::Grant]) -> Vec<String> {
    let mut lines = Vec::new();
    let mut methods: Vec<&str> = grants.iter().map(|g| g.method.as_str()).collect();
    methods.dedup();
    for method in methods {
        let mut parts = Vec::new();
        for scheme in crate::permissions::SCHEMES {
            let names: Vec<String> = grants
                .iter()
                .filter(|g| g.method == method && g.scheme == scheme)
                .map(|g| match g.least_privileged {
                    true => format!("`{}` (least privileged)", g.name),
                    false => format!("`{}`", g.name),
                })
                .collect();
            if !names.is_empty() {
                let scheme = match scheme {
                    "DelegatedWork" => "delegated (work or school)",
                    "DelegatedPersonal" => "delegated (personal account)",
                    _ => "application",
                };
                parts.push(format!("{scheme} {}", names.join(", ")));
            }
        }
        lines.push(format!("- `{method}`: {}", parts.join("; ")));
    }
    lines
}

/// The line that links an item to its page of the Graph documentation.
fn docs_page_line(url: &str) -> String {
    format!("Documentation: <{url}>.")
}
