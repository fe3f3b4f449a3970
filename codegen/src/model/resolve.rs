//! CSDL document → [`Model`]: names and aliases resolved, references checked, inheritance
//! linked, descriptions attached.

use super::*;
use crate::csdl::{self, Annotation, Document, Pos, TypeName};
use std::collections::HashMap;

/// Resolves a whole document, strictly: every type reference in it must name a declared type
/// or an `Edm` primitive, names must be unique, bases must exist; any problem is an error at
/// its element.
pub fn resolve(doc: &Document) -> Result<Model, ModelError> {
    resolve_with(doc, &mut Problems::strict())
}

/// How a document's problems are handled: strict, each is the error; lenient, each is a
/// [`Warning`] that says what was done instead, and resolution goes on.
#[derive(Debug, Default)]
pub struct Problems {
    lenient: bool,
    /// What lenient resolution found and did, in the order found.
    pub warnings: Vec<Warning>,
}

/// A problem that lenient resolution went past.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    /// The problem, where it is.
    pub problem: ModelError,
    /// What was done instead: `the property is typed as raw JSON`, `dropped` …
    pub action: &'static str,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.problem, self.action)
    }
}

impl Problems {
    /// Lenient (every problem a warning, and resolution goes on) or strict (every problem an
    /// error).
    pub fn new(lenient: bool) -> Self {
        Problems { lenient, warnings: Vec::new() }
    }

    /// Every problem is an error.
    pub fn strict() -> Self {
        Problems::new(false)
    }

    /// Every problem is a warning, and resolution goes on.
    pub fn lenient() -> Self {
        Problems::new(true)
    }

    /// `problem` as the error (strict), or noted with what is done instead (lenient).
    fn report(&mut self, problem: ModelError, action: &'static str) -> Result<(), ModelError> {
        match self.lenient {
            true => {
                self.warnings.push(Warning { problem, action });
                Ok(())
            }
            false => Err(problem),
        }
    }
}

/// What lenient resolution does with each kind of problem (strict makes each an error):
///
/// - a property whose type does not exist: typed as raw JSON (`Edm.Untyped`), so that its
///   values are kept; a navigation property, an entity set or singleton, or a bound operation
///   whose type does not exist: dropped (no path can be built to it);
/// - an operation's parameter or return type that does not exist: raw JSON;
/// - a base type that does not exist, is of another kind, or makes a loop or a chain deeper
///   than `MAX_INHERITANCE_DEPTH` (32) levels: the type has no base;
/// - an enum whose underlying type is not an integer type: `Edm.Int32`; a `TypeDefinition`
///   whose underlying type is not an `Edm` primitive: raw JSON;
/// - a type, property, enum member or namespace alias declared twice: the first is kept.
pub fn resolve_with(doc: &Document, problems: &mut Problems) -> Result<Model, ModelError> {
    let names = Names::new(doc, problems)?;
    let descriptions = Descriptions::collect(doc, &names);
    let mut types = Vec::with_capacity(names.types.len());
    for (name, decl) in &names.types {
        types.push(resolve_type(doc, &names, &descriptions, name, decl, problems)?);
    }
    link_inheritance(&names, &mut types, problems)?;

    let mut operations = Vec::new();
    let mut entry_points = Vec::new();
    for schema in &doc.schemas {
        for op in schema.actions.iter().chain(&schema.functions) {
            if let Some(op) = resolve_operation(doc, &names, &descriptions, schema, op, problems)? {
                operations.push(op);
            }
        }
        for container in &schema.entity_containers {
            let sets = (container.entity_sets.iter())
                .map(|e| (EntryPointKind::EntitySet, &e.name, &e.entity_type, e.pos, &e.annotations));
            let singletons = (container.singletons.iter())
                .map(|e| (EntryPointKind::Singleton, &e.name, &e.type_name, e.pos, &e.annotations));
            for (kind, name, type_name, pos, annotations) in sets.chain(singletons) {
                let (tag, dropped) = match kind {
                    EntryPointKind::EntitySet => ("EntitySet", "the entity set is dropped"),
                    EntryPointKind::Singleton => ("Singleton", "the singleton is dropped"),
                };
                let element = format!("<{tag} Name=\"{name}\">");
                match names.entity_type(type_name, || location(doc, pos, element.clone())) {
                    Ok(ty) => entry_points.push(EntryPoint {
                        kind,
                        name: name.clone(),
                        ty,
                        description: describe(annotations).or_else(|| descriptions.entry_points.get(name).cloned()),
                    }),
                    Err(problem) => problems.report(problem, dropped)?,
                }
            }
        }
    }
    operations.sort_by(|a, b| (&a.name, a.binding).cmp(&(&b.name, b.binding)));
    let mut aliases: Vec<(String, String)> =
        doc.schemas.iter().filter_map(|s| Some((s.namespace.clone(), s.alias.clone()?))).collect();
    aliases.sort();
    entry_points.sort_by(|a, b| (&a.name, a.kind).cmp(&(&b.name, b.kind)));
    Ok(Model { types, operations, entry_points, aliases })
}

/// A type declaration, before resolution.
enum Decl<'a> {
    Structured(&'a csdl::StructuredType),
    Enum(&'a csdl::EnumType),
}

/// What a qualified name can stand for.
struct Names<'a> {
    /// Namespace or alias → namespace.
    namespaces: HashMap<&'a str, &'a str>,
    /// Every entity, complex and enum type, in qualified-name order: a `TypeId` indexes this.
    types: Vec<(QualifiedName, Decl<'a>)>,
    ids: HashMap<QualifiedName, TypeId>,
    /// `TypeDefinition`s stand for their underlying primitive.
    type_definitions: HashMap<QualifiedName, Primitive>,
}

impl<'a> Names<'a> {
    fn new(doc: &'a Document, problems: &mut Problems) -> Result<Self, ModelError> {
        let mut namespaces: HashMap<&str, &str> = HashMap::new();
        for schema in &doc.schemas {
            for key in std::iter::once(schema.namespace.as_str()).chain(schema.alias.as_deref()) {
                match namespaces.get(key) {
                    Some(other) if *other != schema.namespace => problems.report(
                        ModelError {
                            location: location(doc, schema.pos, format!("<Schema Namespace=\"{}\">", schema.namespace)),
                            message: format!("`{key}` already names namespace `{other}`"),
                        },
                        "it keeps naming the first",
                    )?,
                    Some(_) => {}
                    None => {
                        namespaces.insert(key, schema.namespace.as_str());
                    }
                }
            }
        }
        let mut names = Names { namespaces, types: Vec::new(), ids: HashMap::new(), type_definitions: HashMap::new() };
        let mut declared = std::collections::HashSet::new();
        for schema in &doc.schemas {
            let declarations = schema
                .entity_types
                .iter()
                .chain(&schema.complex_types)
                .map(|t| (&t.name, t.pos, Decl::Structured(t)))
                .chain(schema.enum_types.iter().map(|t| (&t.name, t.pos, Decl::Enum(t))));
            for (name, pos, decl) in declarations {
                let qualified = QualifiedName { namespace: schema.namespace.clone(), name: name.clone() };
                if !declared.insert(qualified.clone()) {
                    let problem = ModelError {
                        location: location(doc, pos, format!("<… Name=\"{name}\">")),
                        message: format!("`{qualified}` is declared twice"),
                    };
                    problems.report(problem, "the first declaration is kept")?;
                    continue;
                }
                names.types.push((qualified, decl));
            }
        }
        names.types.sort_by(|a, b| a.0.cmp(&b.0));
        for schema in &doc.schemas {
            for def in &schema.type_definitions {
                let underlying = match def.underlying_type.strip_prefix("Edm.").and_then(Primitive::from_edm_name) {
                    Some(primitive) => primitive,
                    None => {
                        let problem = ModelError {
                            location: location(doc, def.pos, format!("<TypeDefinition Name=\"{}\">", def.name)),
                            message: format!("underlying type `{}` is not an Edm primitive", def.underlying_type),
                        };
                        problems.report(problem, "values of the type are raw JSON")?;
                        Primitive::Untyped
                    }
                };
                let qualified = QualifiedName { namespace: schema.namespace.clone(), name: def.name.clone() };
                names.type_definitions.insert(qualified, underlying);
            }
        }
        names.ids = names.types.iter().enumerate().map(|(i, (name, _))| (name.clone(), TypeId(i))).collect();
        Ok(names)
    }

    /// `graph.call` → `microsoft.graph.call`; `None` when the qualifier is not a known namespace.
    fn qualify(&self, name: &str) -> Option<QualifiedName> {
        let (qualifier, local) = name.rsplit_once('.')?;
        let namespace = self.namespaces.get(qualifier)?;
        Some(QualifiedName { namespace: (*namespace).to_owned(), name: local.to_owned() })
    }

    fn target(&self, name: &str) -> Option<Target> {
        if let Some(edm) = name.strip_prefix("Edm.") {
            return Primitive::from_edm_name(edm).map(Target::Primitive);
        }
        let qualified = self.qualify(name)?;
        if let Some(id) = self.ids.get(&qualified) {
            return Some(Target::Type(*id));
        }
        self.type_definitions.get(&qualified).map(|p| Target::Primitive(*p))
    }

    fn type_ref(&self, name: &TypeName, at: impl FnOnce() -> Location) -> Result<TypeRef, ModelError> {
        match self.target(&name.name) {
            Some(target) => Ok(TypeRef { target, collection: name.collection }),
            None => Err(ModelError { location: at(), message: format!("unknown type `{}`", name.name) }),
        }
    }

    fn entity_type(&self, name: &str, at: impl Fn() -> Location) -> Result<TypeId, ModelError> {
        let id = self.type_ref(&TypeName { name: name.to_owned(), collection: false }, &at)?.type_id();
        match id.map(|id| (id, &self.types[id.0].1)) {
            Some((id, Decl::Structured(t))) if t.kind == StructuredKind::Entity => Ok(id),
            _ => Err(ModelError { location: at(), message: format!("`{name}` is not an entity type") }),
        }
    }

    /// `Collection(graph.call)` → `Collection(microsoft.graph.call)`, for matching annotation targets.
    fn canonical(&self, type_name: &str) -> String {
        match TypeName::parse(type_name) {
            Some(parsed) => {
                let name = self.qualify(&parsed.name).map_or(parsed.name.clone(), |q| q.to_string());
                TypeName { name, collection: parsed.collection }.to_string()
            }
            None => type_name.to_owned(),
        }
    }
}

fn location(doc: &Document, pos: Pos, element: String) -> Location {
    Location { file: doc.file.clone(), pos, element }
}

/// The description of an element from its own annotations, with the long description after it.
pub(crate) fn describe(annotations: &[Annotation]) -> Option<String> {
    let value = |term: &str| {
        annotations
            .iter()
            .find(|a| a.term == term)
            .and_then(|a| a.value.as_deref())
            .map(str::trim)
            .filter(|text| !text.is_empty())
    };
    match (value(csdl::CORE_DESCRIPTION), value(csdl::CORE_LONG_DESCRIPTION)) {
        (Some(short), Some(long)) => Some(format!("{short}\n\n{long}")),
        (Some(text), None) | (None, Some(text)) => Some(text.to_owned()),
        (None, None) => None,
    }
}

/// Descriptions written out of line, in `<Annotations Target="…">`, keyed by canonical target.
#[derive(Default)]
struct Descriptions {
    /// `microsoft.graph.call`, `microsoft.graph.call/state`, `microsoft.graph.callState/incoming`.
    elements: HashMap<String, String>,
    /// (`microsoft.graph.mute`, binding `microsoft.graph.call`, parameter or `None`).
    operations: HashMap<(String, Option<String>, Option<String>), String>,
    /// Entity sets and singletons, by name.
    entry_points: HashMap<String, String>,
}

impl Descriptions {
    fn collect(doc: &Document, names: &Names) -> Self {
        let containers: Vec<String> = doc
            .schemas
            .iter()
            .flat_map(|s| s.entity_containers.iter().map(move |c| format!("{}.{}", s.namespace, c.name)))
            .collect();
        let mut out = Descriptions::default();
        for block in doc.schemas.iter().flat_map(|s| &s.annotation_blocks) {
            let Some(text) = describe(&block.annotations) else {
                continue;
            };
            let target = block.target.trim();
            if let Some(open) = target.find('(') {
                // An operation: `ns.name(ns.binding, …)` with an optional `/parameter`.
                let Some(close) = target[open..].find(')').map(|i| open + i) else {
                    continue;
                };
                let name = names.qualify(&target[..open]).map_or(target[..open].to_owned(), |q| q.to_string());
                let binding = target[open + 1..close].split(',').next().map(str::trim).filter(|b| !b.is_empty());
                let binding = binding.map(|b| names.canonical(b));
                let parameter = target[close + 1..].strip_prefix('/').map(str::to_owned);
                out.operations.insert((name, binding, parameter), text);
                continue;
            }
            let (head, rest) = match target.split_once('/') {
                Some((head, rest)) => (head, Some(rest)),
                None => (target, None),
            };
            let head = names.qualify(head).map_or(head.to_owned(), |q| q.to_string());
            match rest {
                Some(rest) if containers.contains(&head) => {
                    if !rest.contains('/') {
                        out.entry_points.insert(rest.to_owned(), text);
                    }
                }
                Some(rest) => {
                    out.elements.insert(format!("{head}/{rest}"), text);
                }
                None => {
                    // Either a type or an operation named without its overload.
                    out.elements.insert(head.clone(), text.clone());
                    out.operations.entry((head, None, None)).or_insert(text);
                }
            }
        }
        out
    }

    fn element(&self, owner: &QualifiedName, child: Option<&str>) -> Option<String> {
        let key = match child {
            Some(child) => format!("{owner}/{child}"),
            None => owner.to_string(),
        };
        self.elements.get(&key).cloned()
    }

    fn operation(&self, name: &QualifiedName, binding: Option<&str>, parameter: Option<&str>) -> Option<String> {
        let name = name.to_string();
        let param = parameter.map(str::to_owned);
        let exact = (name.clone(), binding.map(str::to_owned), param.clone());
        self.operations.get(&exact).or_else(|| self.operations.get(&(name, None, param))).cloned()
    }
}

fn resolve_type(
    doc: &Document,
    names: &Names,
    descriptions: &Descriptions,
    name: &QualifiedName,
    decl: &Decl,
    problems: &mut Problems,
) -> Result<TypeDef, ModelError> {
    match decl {
        Decl::Structured(t) => {
            let kind_tag = match t.kind {
                StructuredKind::Entity => "EntityType",
                StructuredKind::Complex => "ComplexType",
            };
            let mut properties = Vec::with_capacity(t.properties.len() + t.navigation_properties.len());
            for p in &t.properties {
                let element = format!("<Property Name=\"{}\">", p.name);
                let found = names.type_ref(&p.type_name, || location(doc, p.pos, element.clone()));
                let ty = or_untyped(problems, found, p.type_name.collection, "the property is typed as raw JSON")?;
                properties.push(PropertyDef {
                    name: p.name.clone(),
                    ty,
                    nullable: p.nullable,
                    navigation: None,
                    one_or_many: p
                        .annotations
                        .iter()
                        .any(|a| a.term == csdl::overlay::ONE_OR_MANY && a.value.as_deref() != Some("false")),
                    description: describe(&p.annotations).or_else(|| descriptions.element(name, Some(&p.name))),
                    location: location(doc, p.pos, element),
                });
            }
            for p in &t.navigation_properties {
                let element = format!("<NavigationProperty Name=\"{}\">", p.name);
                let ty = match names.type_ref(&p.type_name, || location(doc, p.pos, element.clone())) {
                    Ok(ty) => ty,
                    Err(problem) => {
                        problems.report(problem, "the navigation property is dropped")?;
                        continue;
                    }
                };
                properties.push(PropertyDef {
                    name: p.name.clone(),
                    ty,
                    nullable: p.nullable,
                    navigation: Some(Navigation { contains_target: p.contains_target }),
                    one_or_many: false,
                    description: describe(&p.annotations).or_else(|| descriptions.element(name, Some(&p.name))),
                    location: location(doc, p.pos, element),
                });
            }
            // Stable: of a name declared twice, the first declaration comes first.
            properties.sort_by(|a, b| a.name.cmp(&b.name));
            let mut kept: Vec<PropertyDef> = Vec::with_capacity(properties.len());
            for property in properties {
                if kept.last().is_some_and(|last| last.name == property.name) {
                    let problem = ModelError {
                        location: property.location.clone(),
                        message: format!("property `{}` is declared twice in `{name}`", property.name),
                    };
                    problems.report(problem, "the first declaration is kept")?;
                    continue;
                }
                kept.push(property);
            }
            let properties = kept;
            Ok(TypeDef {
                name: name.clone(),
                description: describe(&t.annotations).or_else(|| descriptions.element(name, None)),
                docs_url: None,
                location: location(doc, t.pos, format!("<{kind_tag} Name=\"{}\">", t.name)),
                body: TypeBody::Structured(Structured {
                    kind: t.kind,
                    base: None, // linked once every type exists
                    derived: Vec::new(),
                    is_abstract: t.is_abstract,
                    is_open: t.is_open,
                    has_stream: t.has_stream,
                    key: t.key.clone(),
                    properties,
                }),
            })
        }
        Decl::Enum(e) => {
            let at = location(doc, e.pos, format!("<EnumType Name=\"{}\">", e.name));
            let underlying = match &e.underlying_type {
                None => Primitive::Int32,
                Some(text) => {
                    match text.strip_prefix("Edm.").and_then(Primitive::from_edm_name).filter(|p| p.is_integer()) {
                        Some(primitive) => primitive,
                        None => {
                            let problem = ModelError {
                                location: at.clone(),
                                message: format!("`{text}` is not an integer type for an enum"),
                            };
                            problems.report(problem, "the enum's underlying type is Edm.Int32")?;
                            Primitive::Int32
                        }
                    }
                }
            };
            let mut seen = std::collections::HashSet::new();
            let mut members = Vec::with_capacity(e.members.len());
            for (i, m) in e.members.iter().enumerate() {
                if !seen.insert(&m.name) {
                    let problem = ModelError {
                        location: location(doc, m.pos, format!("<Member Name=\"{}\">", m.name)),
                        message: format!("member `{}` is declared twice in `{name}`", m.name),
                    };
                    problems.report(problem, "the first declaration is kept")?;
                    continue;
                }
                members.push(MemberDef {
                    name: m.name.clone(),
                    // CSDL: without `Value`, members count from 0 in declaration order.
                    value: m.value.unwrap_or(i as i64),
                    description: describe(&m.annotations).or_else(|| descriptions.element(name, Some(&m.name))),
                });
            }
            members.sort_by(|a, b| (a.value, &a.name).cmp(&(b.value, &b.name)));
            Ok(TypeDef {
                name: name.clone(),
                description: describe(&e.annotations).or_else(|| descriptions.element(name, None)),
                docs_url: None,
                location: at,
                body: TypeBody::Enum(Enumeration { is_flags: e.is_flags, underlying, members }),
            })
        }
    }
}

/// `found`, or where it is a problem (lenient), raw JSON (`Edm.Untyped`), with `action` said.
fn or_untyped(
    problems: &mut Problems,
    found: Result<TypeRef, ModelError>,
    collection: bool,
    action: &'static str,
) -> Result<TypeRef, ModelError> {
    match found {
        Ok(ty) => Ok(ty),
        Err(problem) => {
            problems.report(problem, action)?;
            Ok(TypeRef { target: Target::Primitive(Primitive::Untyped), collection })
        }
    }
}

/// Sets `base` and `derived`, checking that bases exist, are of the same kind and do not loop.
/// How deep inheritance may go. Graph's deepest chains have 4 levels; generated code grows
/// with the square of the depth, so a schema far deeper than any real one is refused.
pub const MAX_INHERITANCE_DEPTH: usize = 32;

fn link_inheritance(names: &Names, types: &mut [TypeDef], problems: &mut Problems) -> Result<(), ModelError> {
    const NO_BASE: &str = "the type has no base type";
    let mut bases = Vec::new();
    for (i, (_, decl)) in names.types.iter().enumerate() {
        let Decl::Structured(t) = decl else { continue };
        let Some(base_name) = &t.base_type else { continue };
        let at = || types[i].location.clone();
        let base = match names.type_ref(&TypeName { name: base_name.clone(), collection: false }, at) {
            Ok(base) => base,
            Err(problem) => {
                problems.report(problem, NO_BASE)?;
                continue;
            }
        };
        let base_id = match base.type_id().map(|id| (id, &names.types[id.0].1)) {
            Some((id, Decl::Structured(b))) if b.kind == t.kind => id,
            _ => {
                let problem = ModelError {
                    location: at(),
                    message: format!("base type `{base_name}` is not a type of the same kind"),
                };
                problems.report(problem, NO_BASE)?;
                continue;
            }
        };
        bases.push((TypeId(i), base_id));
    }
    // A loop or a chain too deep is cut at the type where it is found (lenient), before any
    // type records its derived types.
    let mut base_of: Vec<Option<TypeId>> = vec![None; types.len()];
    for &(id, base) in &bases {
        base_of[id.0] = Some(base);
    }
    for &(start, _) in &bases {
        if let Some(problem) = inheritance_problem(types, &base_of, start) {
            problems.report(problem, NO_BASE)?;
            base_of[start.0] = None;
        }
    }
    bases.retain(|(id, _)| base_of[id.0].is_some());
    for &(id, base) in &bases {
        if let TypeBody::Structured(s) = &mut types[id.0].body {
            s.base = Some(base);
        }
        if let TypeBody::Structured(s) = &mut types[base.0].body {
            s.derived.push(id);
        }
    }
    for ty in types.iter_mut() {
        if let TypeBody::Structured(s) = &mut ty.body {
            s.derived.sort();
        }
    }
    Ok(())
}

/// A loop in the base chain of `start` (which would make every later walk endless), or a chain
/// deeper than [`MAX_INHERITANCE_DEPTH`] (which multiplies the generated code: each derived
/// type repeats what it inherits), found in at most that many steps.
fn inheritance_problem(types: &[TypeDef], base_of: &[Option<TypeId>], start: TypeId) -> Option<ModelError> {
    let mut current = base_of[start.0];
    let mut depth = 0;
    while let Some(id) = current {
        depth += 1;
        if depth > MAX_INHERITANCE_DEPTH {
            let mut seen = std::collections::HashSet::new();
            let mut walk = Some(start);
            let repeated = std::iter::from_fn(|| {
                let id = walk?;
                walk = base_of[id.0];
                Some(id)
            })
            .find(|id| !seen.insert(*id));
            let name = &types[start.0].name;
            let message = match repeated {
                Some(id) if id == start => format!("`{name}` inherits from itself"),
                Some(id) => format!("the base types of `{name}` loop: `{}` inherits from itself", types[id.0].name),
                None => format!("`{name}` is more than {MAX_INHERITANCE_DEPTH} levels of inheritance deep"),
            };
            return Some(ModelError { location: types[start.0].location.clone(), message });
        }
        current = base_of[id.0];
    }
    None
}

fn resolve_operation(
    doc: &Document,
    names: &Names,
    descriptions: &Descriptions,
    schema: &csdl::Schema,
    op: &csdl::Operation,
    problems: &mut Problems,
) -> Result<Option<OperationDef>, ModelError> {
    let tag = match op.kind {
        OperationKind::Action => "Action",
        OperationKind::Function => "Function",
    };
    let name = QualifiedName { namespace: schema.namespace.clone(), name: op.name.clone() };
    let at_param = |p: &csdl::Parameter| location(doc, p.pos, format!("<Parameter Name=\"{}\">", p.name));
    let mut params = op.parameters.iter();
    let binding = match op.is_bound {
        true => {
            let p = params.next().expect("the reader checks bound operations have a parameter");
            match names.type_ref(&p.type_name, || at_param(p)) {
                Ok(ty) => Some((ty, names.canonical(&p.type_name.to_string()))),
                Err(problem) => {
                    problems.report(problem, "the operation is dropped")?;
                    return Ok(None);
                }
            }
        }
        false => None,
    };
    let mut untyped = |found, collection| or_untyped(problems, found, collection, "it is typed as raw JSON");
    let binding_key = binding.as_ref().map(|(_, key)| key.as_str());
    let mut parameters = Vec::new();
    for p in params {
        parameters.push(ParameterDef {
            name: p.name.clone(),
            ty: untyped(names.type_ref(&p.type_name, || at_param(p)), p.type_name.collection)?,
            nullable: p.nullable,
            optional: p.annotations.iter().any(|a| a.term == "Org.OData.Core.V1.OptionalParameter"),
            description: describe(&p.annotations).or_else(|| descriptions.operation(&name, binding_key, Some(&p.name))),
        });
    }
    let return_type = match &op.return_type {
        Some(r) => Some(ReturnDef {
            ty: untyped(
                names.type_ref(&r.type_name, || location(doc, r.pos, "<ReturnType>".into())),
                r.type_name.collection,
            )?,
            nullable: r.nullable,
        }),
        None => None,
    };
    Ok(Some(OperationDef {
        kind: op.kind,
        description: describe(&op.annotations).or_else(|| descriptions.operation(&name, binding_key, None)),
        docs_url: None,
        name,
        binding: binding.map(|(ty, _)| ty),
        parameters,
        return_type,
        is_composable: op.is_composable,
        location: location(doc, op.pos, format!("<{tag} Name=\"{}\">", op.name)),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::csdl::read_str;
    use crate::csdl::testing::graph_and_call_records;

    fn xml(body: &str) -> String {
        graph_and_call_records(body, "identity")
    }

    fn model(body: &str) -> Model {
        resolve(&read_str("r.xml", &xml(body)).unwrap()).unwrap()
    }

    fn error(body: &str) -> String {
        resolve(&read_str("r.xml", &xml(body)).unwrap()).unwrap_err().to_string()
    }

    fn structured<'m>(model: &'m Model, name: &str) -> &'m Structured {
        model.structured(model.find(name).unwrap()).unwrap()
    }

    #[test]
    fn alias_and_namespace_spellings_resolve_to_the_same_type() {
        let model = model(
            r#"<ComplexType Name="identity"/>
<ComplexType Name="identitySet"><Property Name="a" Type="graph.identity"/><Property Name="b" Type="Collection(microsoft.graph.identity)"/></ComplexType>"#,
        );
        let set = structured(&model, "microsoft.graph.identitySet");
        let identity = model.find("microsoft.graph.identity").unwrap();
        assert_eq!(set.properties[0].ty, TypeRef { target: Target::Type(identity), collection: false });
        assert_eq!(set.properties[1].ty, TypeRef { target: Target::Type(identity), collection: true });
        // Same local name in two namespaces: two types.
        assert_ne!(model.find("microsoft.graph.callRecords.participant"), None);
    }

    #[test]
    fn types_are_ordered_by_name_whatever_the_xml_order() {
        let a = model(r#"<ComplexType Name="identity"/><ComplexType Name="b"/><ComplexType Name="a"/>"#);
        let b = model(r#"<ComplexType Name="a"/><ComplexType Name="identity"/><ComplexType Name="b"/>"#);
        let names = |m: &Model| m.types.iter().map(|t| t.name.to_string()).collect::<Vec<_>>();
        assert_eq!(names(&a), names(&b));
        assert_eq!(names(&a)[0], "microsoft.graph.a");
    }

    #[test]
    fn unknown_types_are_errors_at_the_referencing_element() {
        let err = error(r#"<ComplexType Name="identity"><Property Name="x" Type="graph.nothing"/></ComplexType>"#);
        assert_eq!(err, r#"r.xml:3:30: <Property Name="x">: unknown type `graph.nothing`"#);
        let err = error(r#"<ComplexType Name="identity"><Property Name="x" Type="other.identity"/></ComplexType>"#);
        assert!(err.contains("unknown type `other.identity`"), "{err}");
        let err = error(r#"<ComplexType Name="identity"><Property Name="x" Type="Edm.Int128"/></ComplexType>"#);
        assert!(err.contains("unknown type `Edm.Int128`"), "{err}");
    }

    #[test]
    fn inheritance_is_linked_both_ways() {
        let model = model(
            r#"<ComplexType Name="identity"/>
<EntityType Name="entity" Abstract="true"><Property Name="id" Type="Edm.String"/></EntityType>
<EntityType Name="commsOperation" BaseType="graph.entity"><Property Name="status" Type="Edm.String"/></EntityType>
<EntityType Name="muteParticipantOperation" BaseType="graph.commsOperation"/>"#,
        );
        let op = model.find("microsoft.graph.commsOperation").unwrap();
        let mute = model.find("microsoft.graph.muteParticipantOperation").unwrap();
        let entity = model.find("microsoft.graph.entity").unwrap();
        assert_eq!(model.structured(mute).unwrap().base, Some(op));
        assert_eq!(model.structured(op).unwrap().derived, [mute]);
        assert_eq!(model.lineage(mute), [entity, op, mute]);
        assert_eq!(model.descendants(entity), [op, mute]);
        let names: Vec<_> = model.all_properties(mute).iter().map(|(_, p)| p.name.as_str()).collect();
        assert_eq!(names, ["id", "status"]);
    }

    #[test]
    fn bad_inheritance_is_an_error() {
        let err = error(r#"<ComplexType Name="identity" BaseType="graph.identity"/>"#);
        assert!(err.contains("inherits from itself"), "{err}");
        let err = error(
            r#"<ComplexType Name="identity" BaseType="graph.b"/><ComplexType Name="b" BaseType="graph.identity"/>"#,
        );
        assert!(err.contains("inherits from itself"), "{err}");
        let err = error(r#"<ComplexType Name="identity"/><EntityType Name="e" BaseType="graph.identity"/>"#);
        assert!(err.contains("is not a type of the same kind"), "{err}");
        let err = error(r#"<ComplexType Name="identity"/><ComplexType Name="identity"/>"#);
        assert!(err.contains("`microsoft.graph.identity` is declared twice"), "{err}");
        let err = error(
            r#"<ComplexType Name="identity"><Property Name="a" Type="Edm.String"/><Property Name="a" Type="Edm.String"/></ComplexType>"#,
        );
        assert!(err.contains("property `a` is declared twice"), "{err}");
    }

    /// The model and the warnings of lenient resolution; strict resolution of the same body
    /// must fail with the first warning's problem.
    fn lenient(body: &str) -> (Model, Vec<String>) {
        let doc = read_str("r.xml", &xml(body)).unwrap();
        let mut problems = Problems::lenient();
        let model = resolve_with(&doc, &mut problems).unwrap();
        let strict = resolve(&doc).unwrap_err();
        assert_eq!(problems.warnings.first().map(|w| &w.problem), Some(&strict), "strict stops at the first");
        (model, problems.warnings.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn lenient_resolution_goes_past_each_kind_of_problem() {
        let untyped = |model: &Model, ty: &str, property: &str| {
            let s = model.structured(model.find(ty).unwrap()).unwrap();
            let p = s.properties.iter().find(|p| p.name == property).unwrap();
            (p.ty.target == Target::Primitive(Primitive::Untyped), p.ty.collection)
        };
        // A namespace the document does not contain: raw JSON for properties, navigation dropped.
        let (model, warnings) = lenient(
            r#"<EntityType Name="identity"><Property Name="x" Type="other.thing"/><Property Name="xs" Type="Collection(other.thing)"/>
<NavigationProperty Name="n" Type="other.entity" ContainsTarget="true"/></EntityType>"#,
        );
        assert_eq!(untyped(&model, "microsoft.graph.identity", "x"), (true, false));
        assert_eq!(untyped(&model, "microsoft.graph.identity", "xs"), (true, true));
        assert!(model.structured(model.find("microsoft.graph.identity").unwrap()).unwrap().properties.len() == 2);
        assert_eq!(warnings.len(), 3);
        assert!(
            warnings[0].starts_with("r.xml:3:29: <Property Name=\"x\">: unknown type `other.thing`"),
            "{warnings:?}"
        );
        assert!(warnings[2].ends_with("(the navigation property is dropped)"), "{warnings:?}");
        // Types, properties, members declared twice: the first is kept.
        let (model, warnings) = lenient(
            r#"<ComplexType Name="identity"><Property Name="a" Type="Edm.String"/></ComplexType><ComplexType Name="identity"/>
<ComplexType Name="b"><Property Name="p" Type="Edm.Int32"/><Property Name="p" Type="Edm.String"/></ComplexType>
<EnumType Name="e"><Member Name="m" Value="1"/><Member Name="m" Value="2"/></EnumType>"#,
        );
        assert_eq!(model.structured(model.find("microsoft.graph.identity").unwrap()).unwrap().properties.len(), 1);
        let b = model.structured(model.find("microsoft.graph.b").unwrap()).unwrap();
        assert_eq!((b.properties.len(), b.properties[0].ty.target), (1, Target::Primitive(Primitive::Int32)));
        let TypeBody::Enum(e) = &model.types[model.find("microsoft.graph.e").unwrap().0].body else { panic!() };
        assert_eq!(e.members.iter().map(|m| m.value).collect::<Vec<_>>(), [1]);
        assert_eq!(warnings.len(), 3, "{warnings:?}");
        // Bases that do not exist, of another kind, or loop: no base.
        let (model, warnings) = lenient(
            r#"<ComplexType Name="identity" BaseType="other.base"/><EntityType Name="e" BaseType="graph.identity"/>
<ComplexType Name="a" BaseType="graph.b"/><ComplexType Name="b" BaseType="graph.a"/>"#,
        );
        for name in ["identity", "e", "a"] {
            assert_eq!(model.structured(model.find(&format!("microsoft.graph.{name}")).unwrap()).unwrap().base, None);
        }
        let b = model.find("microsoft.graph.b").unwrap();
        assert_eq!(model.structured(b).unwrap().base, model.find("microsoft.graph.a"));
        assert_eq!(warnings.len(), 3, "{warnings:?}");
        // An enum over a string, a type definition over no primitive, an alias naming two namespaces.
        let (model, warnings) = lenient(
            r#"<EnumType Name="identity" UnderlyingType="Edm.String"><Member Name="m"/></EnumType>
<TypeDefinition Name="t" UnderlyingType="other.x"/><ComplexType Name="c"><Property Name="v" Type="graph.t"/></ComplexType>"#,
        );
        let TypeBody::Enum(e) = &model.types[model.find("microsoft.graph.identity").unwrap().0].body else { panic!() };
        assert_eq!(e.underlying, Primitive::Int32);
        assert_eq!(untyped(&model, "microsoft.graph.c", "v"), (true, false));
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        let doc = crate::csdl::testing::edmx(&[("a.one", Some("x"), ""), ("a.two", Some("x"), "")]);
        let doc = read_str("r.xml", &doc).unwrap();
        assert!(resolve(&doc).is_err());
        let mut problems = Problems::lenient();
        resolve_with(&doc, &mut problems).unwrap();
        assert!(problems.warnings[0].to_string().contains("`x` already names namespace `a.one`"));
    }

    #[test]
    fn lenient_resolution_drops_what_names_a_missing_type_and_types_the_rest_as_json() {
        let (model, warnings) = lenient(
            r#"<ComplexType Name="identity"/><EntityType Name="call"><Key><PropertyRef Name="id"/></Key><Property Name="id" Type="Edm.String"/></EntityType>
<Action Name="mute" IsBound="true"><Parameter Name="b" Type="graph.call"/><Parameter Name="p" Type="other.p"/><ReturnType Type="other.r"/></Action>
<Action Name="haunt" IsBound="true"><Parameter Name="b" Type="other.ghost"/></Action>
<EntityContainer Name="c"><EntitySet Name="calls" EntityType="graph.call"/><EntitySet Name="ghosts" EntityType="other.ghost"/><Singleton Name="s" Type="graph.identity"/></EntityContainer>"#,
        );
        let names: Vec<_> = model.operations.iter().map(|o| o.name.name.as_str()).collect();
        assert_eq!(names, ["mute"]);
        assert_eq!(model.operations[0].parameters[0].ty.target, Target::Primitive(Primitive::Untyped));
        assert_eq!(model.operations[0].return_type.as_ref().unwrap().ty.target, Target::Primitive(Primitive::Untyped));
        let sets: Vec<_> = model.entry_points.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(sets, ["calls"]);
        assert_eq!(warnings.len(), 5, "{warnings:?}");
        assert!(warnings.iter().any(|w| w.contains("<Singleton Name=\"s\">") && w.contains("is not an entity type")));
    }

    #[test]
    fn descriptions_come_from_inline_and_out_of_line_annotations() {
        let model = model(
            r#"<ComplexType Name="identity"><Property Name="displayName" Type="Edm.String"/></ComplexType>
<EnumType Name="state"><Member Name="idle"/><Member Name="busy"/></EnumType>
<EntityType Name="call"><Annotation Term="Org.OData.Core.V1.Description" String="Inline wins."/></EntityType>
<Action Name="mute" IsBound="true"><Parameter Name="bindingParameter" Type="graph.call"/><Parameter Name="clientContext" Type="Edm.String"/></Action>
<EntityContainer Name="GraphService"><Singleton Name="communications" Type="graph.call"/></EntityContainer>
<Annotations Target="graph.identity"><Annotation Term="Org.OData.Core.V1.Description" String="An identity."/><Annotation Term="Org.OData.Core.V1.LongDescription" String="More."/></Annotations>
<Annotations Target="microsoft.graph.identity/displayName"><Annotation Term="Org.OData.Core.V1.Description" String="The name."/></Annotations>
<Annotations Target="microsoft.graph.state/busy"><Annotation Term="Org.OData.Core.V1.Description" String="In a call."/></Annotations>
<Annotations Target="microsoft.graph.call"><Annotation Term="Org.OData.Core.V1.Description" String="Out of line."/></Annotations>
<Annotations Target="microsoft.graph.mute(graph.call)"><Annotation Term="Org.OData.Core.V1.Description" String="Mutes."/></Annotations>
<Annotations Target="microsoft.graph.mute(microsoft.graph.call)/clientContext"><Annotation Term="Org.OData.Core.V1.Description" String="Echoed."/></Annotations>
<Annotations Target="microsoft.graph.GraphService/communications"><Annotation Term="Org.OData.Core.V1.Description" String="The root."/></Annotations>"#,
        );
        let identity = model.get(model.find("microsoft.graph.identity").unwrap());
        assert_eq!(identity.description.as_deref(), Some("An identity.\n\nMore."));
        let name = &structured(&model, "microsoft.graph.identity").properties[0];
        assert_eq!(name.description.as_deref(), Some("The name."));
        let TypeBody::Enum(state) = &model.get(model.find("microsoft.graph.state").unwrap()).body else { panic!() };
        assert_eq!(state.members[1].description.as_deref(), Some("In a call."));
        assert_eq!((state.members[0].value, state.members[1].value), (0, 1));
        let call = model.get(model.find("microsoft.graph.call").unwrap());
        assert_eq!(call.description.as_deref(), Some("Inline wins."));
        let mute = &model.operations[0];
        assert_eq!(mute.description.as_deref(), Some("Mutes."));
        assert_eq!(mute.parameters[0].description.as_deref(), Some("Echoed."));
        assert_eq!(model.entry_points[0].description.as_deref(), Some("The root."));
    }

    #[test]
    fn type_definitions_stand_for_their_primitive() {
        let model = model(
            r#"<TypeDefinition Name="phone" UnderlyingType="Edm.String"/>
<ComplexType Name="identity"><Property Name="p" Type="graph.phone"/></ComplexType>"#,
        );
        let p = &structured(&model, "microsoft.graph.identity").properties[0];
        assert_eq!(p.ty.target, Target::Primitive(Primitive::String));
        let err = error(r#"<ComplexType Name="identity"/><TypeDefinition Name="t" UnderlyingType="graph.identity"/>"#);
        assert!(err.contains("is not an Edm primitive"), "{err}");
    }

    #[test]
    fn operations_keep_their_binding_and_parameters() {
        let model = model(
            r#"<ComplexType Name="identity"/><EntityType Name="call"/>
<Function Name="find" IsBound="true" IsComposable="true"><Parameter Name="b" Type="Collection(graph.call)"/><Parameter Name="q" Type="Edm.String" Nullable="false"><Annotation Term="Org.OData.Core.V1.OptionalParameter"/></Parameter><ReturnType Type="Collection(graph.identity)"/></Function>
<Action Name="ping"/>"#,
        );
        let find = model.operations.iter().find(|o| o.name.name == "find").unwrap();
        let call = model.find("microsoft.graph.call").unwrap();
        assert_eq!(find.binding, Some(TypeRef { target: Target::Type(call), collection: true }));
        assert_eq!(find.parameters.len(), 1);
        assert!(find.parameters[0].optional && !find.parameters[0].nullable);
        assert!(find.return_type.unwrap().ty.collection && find.is_composable);
        let ping = model.operations.iter().find(|o| o.name.name == "ping").unwrap();
        assert_eq!(ping.binding, None);
        let err = error(
            r#"<ComplexType Name="identity"/><EntityContainer Name="s"><Singleton Name="me" Type="graph.identity"/></EntityContainer>"#,
        );
        assert!(err.contains("is not an entity type"), "{err}");
    }
}
