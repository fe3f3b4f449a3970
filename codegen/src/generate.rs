//! The whole pipeline for one API version or for every pinned one.

use crate::csdl::{self, CsdlError, StructuredKind};
use crate::emit::{self, EmitError, GeneratedFile};
use crate::model::plan::{LayoutSettings, Plan, RouteKind};
use crate::model::slice::{MissingRoot, Slice, SliceSettings};
use crate::model::{self, Model, TypeBody};
use crate::settings::Settings;
use crate::settings::{self, ApiPin};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[derive(Debug)]
pub enum GenerateError {
    /// A settings file in `metadata/` is missing or wrong.
    Settings(String),
    /// The pinned CSDL file is not where it is looked for.
    MetadataMissing {
        path: PathBuf,
        pin: Box<ApiPin>,
    },
    /// A pinned source of descriptions or the permissions reference is not where it is looked for.
    InputMissing {
        path: PathBuf,
        folder: settings::SourceFolder,
    },
    /// The CSDL file is not the pinned one.
    ChecksumMismatch {
        path: PathBuf,
        expected: String,
        actual: String,
    },
    Csdl(CsdlError),
    Slice(MissingRoot),
    Emit(EmitError),
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
}

impl fmt::Display for GenerateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GenerateError::Settings(message) => write!(f, "settings: {message}"),
            GenerateError::InputMissing { path, folder } => {
                let (variable, fallback) = folder.env_and_fallback();
                write!(
                    f,
                    "a pinned input of the generator is not at {}.\n\
                     Point {variable} at the folder that holds it (default: {fallback} beside the repository); \
                     metadata/pins.toml says where it comes from.",
                    path.display()
                )
            }
            GenerateError::MetadataMissing { path, pin } => {
                let origin = match &pin.source {
                    Some(source) => format!("read from {source}"),
                    None => format!(
                        "`{}` of {} at commit {}",
                        pin.upstream_path, pin.upstream_repository, pin.upstream_commit
                    ),
                };
                write!(
                    f,
                    "the {} metadata is not at {}.\n\
                     Put the CSDL files in a folder and point {} at it (default: {} beside the repository).\n\
                     This file is {origin} ({}); the service publishes the current one at {}.",
                    pin.name,
                    path.display(),
                    settings::METADATA_ENV,
                    settings::METADATA_FALLBACK,
                    pin.date,
                    pin.service_url,
                )
            }
            GenerateError::ChecksumMismatch { path, expected, actual } => write!(
                f,
                "{} is not the pinned file: sha256 {actual}, pinned {expected} (metadata/pins.toml)",
                path.display()
            ),
            GenerateError::Csdl(err) => err.fmt(f),
            GenerateError::Slice(err) => write!(
                f,
                "{err}: this is not the schema the slice settings are for (another slice: --slice FILE; \
                 everything: --whole-schema)"
            ),
            GenerateError::Emit(err) => err.fmt(f),
            GenerateError::Io { path, error } => write!(f, "{}: {error}", path.display()),
        }
    }
}

impl std::error::Error for GenerateError {}

impl From<CsdlError> for GenerateError {
    fn from(err: CsdlError) -> Self {
        GenerateError::Csdl(err)
    }
}

/// What one generation did, for people.
#[derive(Clone, Debug, Default)]
pub struct Summary {
    pub api: String,
    pub file: String,
    pub entity_types: usize,
    pub complex_types: usize,
    pub enum_types: usize,
    pub namespaces: Vec<String>,
    pub bound_actions: usize,
    pub bound_functions: usize,
    pub entry_points: Vec<String>,
    /// Entry points and optional root types of the settings this schema does not have.
    pub missing_roots: Vec<String>,
    /// What the overlay did not change, because the schema has it; descriptions taken.
    pub notes: Vec<String>,
    /// The problems lenient generation went past, each with what was done instead.
    pub warnings: Vec<String>,
    /// The slice's descriptions, per kind of element.
    pub described: model::describe::Coverage,
    /// How many routes the API has.
    pub routes: usize,
    /// Of them: entity requests, operation paths, stream reads.
    pub route_kinds: (usize, usize, usize),
    /// The cargo features of gated roots, each with the types and the routes that need it.
    pub gated: BTreeMap<String, (usize, usize)>,
    /// The routes the permissions reference has no entry for (`None` without the reference).
    pub without_permissions: Option<Vec<String>>,
    pub schema_types: usize,
    pub files: usize,
    pub lines: usize,
    pub read: Duration,
    pub resolve: Duration,
    pub select: Duration,
    pub emit: Duration,
}

impl Summary {
    pub fn types(&self) -> usize {
        self.entity_types + self.complex_types + self.enum_types
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        writeln!(f, "{} ({}):", self.api, self.file)?;
        writeln!(
            f,
            "  slice: {} of {} types ({} entity, {} complex, {} enum) in {} namespace(s): {}",
            self.types(),
            self.schema_types,
            self.entity_types,
            self.complex_types,
            self.enum_types,
            self.namespaces.len(),
            self.namespaces.join(", ")
        )?;
        writeln!(
            f,
            "  operations: {} bound actions, {} bound functions; entry points: {}",
            self.bound_actions,
            self.bound_functions,
            self.entry_points.join(", ")
        )?;
        let (entity, operation, stream) = self.route_kinds;
        writeln!(
            f,
            "  routes: {} ({entity} entity requests, {operation} operation paths, {stream} stream reads)",
            self.routes
        )?;
        for (feature, (types, routes)) in &self.gated {
            writeln!(f, "  feature `{feature}`: {types} of the types and {routes} of the routes need it")?;
        }
        if !self.missing_roots.is_empty() {
            writeln!(f, "  note: this schema has no {}", self.missing_roots.join(", "))?;
        }
        for note in &self.notes {
            writeln!(f, "  note: {note}")?;
        }
        if !self.warnings.is_empty() {
            writeln!(f, "  lenient: {} problem(s) of the schema gone past:", self.warnings.len())?;
            for warning in &self.warnings {
                writeln!(f, "    warning: {warning}")?;
            }
        }
        let total = self.described.total();
        writeln!(f, "  descriptions: {} of {} elements ({:.1} %):", total.described, total.all, total.percent())?;
        for (kind, share) in self.described.kinds() {
            writeln!(f, "    {kind}: {} of {} ({:.1} %)", share.described, share.all, share.percent())?;
        }
        let c = &self.described;
        writeln!(
            f,
            "    with a documentation page: types {} of {}, operations {} of {}, their parameters {} of {}",
            c.types_with_page.described,
            c.types_with_page.all,
            c.operations_with_page.described,
            c.operations_with_page.all,
            c.parameters_with_page.described,
            c.parameters_with_page.all
        )?;
        if let Some(without) = &self.without_permissions {
            writeln!(
                f,
                "  permissions: {} of {} routes have an entry in the permissions reference",
                self.routes - without.len(),
                self.routes
            )?;
        }
        writeln!(f, "  output: {} files, {} lines", self.files, self.lines)?;
        write!(
            f,
            "  time: read {:.0} ms, resolve {:.0} ms, slice {:.0} ms, emit {:.0} ms",
            ms(self.read),
            ms(self.resolve),
            ms(self.select),
            ms(self.emit)
        )
    }
}

/// The output for one API version.
#[derive(Clone, Debug)]
pub struct Generated {
    pub files: Vec<GeneratedFile>,
    pub summary: Summary,
}

/// One run of the pipeline: the inputs of one API version.
#[derive(Clone, Debug)]
pub struct Job<'a> {
    /// `v1.0`, `beta`, … (for the summary).
    pub api: &'a str,
    /// The CSDL file's name, for errors and the summary.
    pub file: &'a str,
    pub text: &'a str,
    /// An overlay to merge: its name and text.
    pub overlay: Option<(&'a str, &'a str)>,
    pub slice: &'a SliceSettings,
    pub layout: &'a LayoutSettings,
    /// Lines for the top of every generated file.
    pub header: &'a [String],
    /// Sources to take missing descriptions from, in order, with their names for the summary.
    pub descriptions: Vec<(&'a str, &'a model::describe::DescriptionSource)>,
    /// The permissions reference, for the permissions of every route.
    pub permissions: Option<&'a crate::permissions::PermissionIndex>,
    /// Go past the schema's problems (dangling references, names declared twice, …), each a
    /// warning in the summary, instead of stopping at the first ([`model::resolve_with`]).
    pub lenient: bool,
}

impl<'a> Job<'a> {
    /// A job with the settings of `metadata/` (slice, layout, overlay).
    pub fn new(api: &'a str, file: &'a str, text: &'a str, settings: &'a Settings, header: &'a [String]) -> Self {
        let overlay = settings.overlay.as_ref().map(|(name, text)| (name.as_str(), text.as_str()));
        Job {
            api,
            file,
            text,
            overlay,
            slice: &settings.slice,
            layout: &settings.layout,
            header,
            descriptions: Vec::new(),
            permissions: None,
            lenient: false,
        }
    }
}

/// The stages before the emitter: the model of a job's schema (overlay merged) and its slice.
#[derive(Debug)]
pub struct Selected {
    pub model: Model,
    pub slice: Slice,
    /// What the overlay did not change.
    pub notes: Vec<String>,
    /// The problems lenient resolution went past.
    pub warnings: Vec<model::Warning>,
    pub read: Duration,
    pub resolve: Duration,
    pub select: Duration,
}

/// Reads, resolves and slices a job's schema.
pub fn select(job: &Job) -> Result<Selected, GenerateError> {
    let start = Instant::now();
    let mut document = csdl::read_str(job.file, job.text)?;
    let notes = match job.overlay {
        Some((name, text)) => csdl::overlay::apply(&mut document, &csdl::read_str(name, text)?),
        None => Vec::new(),
    };
    let read = start.elapsed();

    let start = Instant::now();
    let mut problems = model::Problems::new(job.lenient);
    let mut model = model::resolve_with(&document, &mut problems)?;
    let mut notes = notes;
    for (name, source) in &job.descriptions {
        let filled = source.fill(&mut model);
        notes.push(format!(
            "{} descriptions taken from {name} ({} types, {} properties, {} enum members, {} operations, {} parameters)",
            filled.total(),
            filled.types,
            filled.properties,
            filled.members,
            filled.operations,
            filled.parameters
        ));
    }
    let resolve = start.elapsed();

    let start = Instant::now();
    let slice = Slice::select(&model, job.slice).map_err(GenerateError::Slice)?;
    let select = start.elapsed();
    Ok(Selected { model, slice, notes, warnings: problems.warnings, read, resolve, select })
}

/// Runs the pipeline on CSDL text.
pub fn generate_api(job: &Job) -> Result<Generated, GenerateError> {
    let Selected { model, slice, notes, warnings, read, resolve, select } = select(job)?;

    let start = Instant::now();
    let mut plan = Plan::new(&model, &slice, job.layout);
    let without_permissions = job.permissions.map(|index| plan.attach_permissions(index));
    let files = emit::emit(&plan, job.header, job.layout.registry_feature.as_deref()).map_err(GenerateError::Emit)?;
    let emit = start.elapsed();

    let mut summary = summarize(&model, &slice);
    summary.described = model::describe::coverage(&model, &slice);
    summary.routes = plan.routes.len();
    for route in &plan.routes {
        let (entity, operation, stream) = &mut summary.route_kinds;
        *match route.kind {
            RouteKind::Entity => entity,
            RouteKind::Operation => operation,
            RouteKind::Stream => stream,
        } += 1;
    }
    for features in slice.gates.values() {
        for feature in features {
            summary.gated.entry(feature.clone()).or_default().0 += 1;
        }
    }
    for route in &plan.routes {
        let features: BTreeSet<&String> = route.gate.groups().flatten().collect();
        for feature in features {
            summary.gated.entry(feature.clone()).or_default().1 += 1;
        }
    }
    summary.without_permissions = without_permissions;
    summary.api = job.api.to_owned();
    summary.file = job.file.to_owned();
    summary.notes = notes;
    summary.warnings = warnings.iter().map(ToString::to_string).collect();
    summary.files = files.len();
    summary.lines = files.iter().map(|f| f.contents.lines().count()).sum();
    (summary.read, summary.resolve, summary.select, summary.emit) = (read, resolve, select, emit);
    Ok(Generated { files, summary })
}

fn summarize(model: &Model, slice: &Slice) -> Summary {
    let mut summary = Summary { schema_types: model.types.len(), ..Summary::default() };
    for &id in &slice.types {
        let ty = model.get(id);
        match &ty.body {
            TypeBody::Structured(s) if s.kind == StructuredKind::Entity => summary.entity_types += 1,
            TypeBody::Structured(_) => summary.complex_types += 1,
            TypeBody::Enum(_) => summary.enum_types += 1,
        }
        if !summary.namespaces.contains(&ty.name.namespace) {
            summary.namespaces.push(ty.name.namespace.clone());
        }
    }
    summary.namespaces.sort();
    for op in &slice.operations {
        match model.operations[op.0].kind {
            csdl::OperationKind::Action => summary.bound_actions += 1,
            csdl::OperationKind::Function => summary.bound_functions += 1,
        }
    }
    summary.entry_points = slice.entry_points.iter().map(|&i| model.entry_points[i].name.clone()).collect();
    summary.missing_roots = slice.missing_roots.clone();
    summary
}

/// Generates every pinned API version from the metadata folder. `repo_root` holds `metadata/`.
pub fn generate(repo_root: &Path, metadata_dir: &Path) -> Result<Vec<(ApiPin, Generated)>, GenerateError> {
    generate_pinned(repo_root, metadata_dir, false)
}

/// [`generate`], going past the schemas' problems when `lenient` (see [`Job::lenient`]).
pub fn generate_pinned(
    repo_root: &Path,
    metadata_dir: &Path,
    lenient: bool,
) -> Result<Vec<(ApiPin, Generated)>, GenerateError> {
    let settings = Settings::load(&repo_root.join("metadata")).map_err(GenerateError::Settings)?;
    let permissions = match &settings.pins.permissions {
        Some(pin) => Some(read_permissions(repo_root, pin)?),
        None => None,
    };
    let mut out = Vec::new();
    for pin in &settings.pins.apis {
        let path = metadata_dir.join(&pin.file);
        let bytes = read_pinned(&path, &pin.sha256, || GenerateError::MetadataMissing {
            path: path.clone(),
            pin: Box::new(pin.clone()),
        })?;
        let text = String::from_utf8(bytes).map_err(|err| GenerateError::Io {
            path: path.clone(),
            error: std::io::Error::new(std::io::ErrorKind::InvalidData, err),
        })?;
        let header = vec![
            format!(
                "@generated by msgraph-comms-codegen from the Microsoft Graph {} metadata of {} ({}, sha256 {}){}.",
                pin.name,
                pin.date,
                pin.file,
                &pin.sha256[..16],
                match pin.descriptions.is_empty() {
                    true => String::new(),
                    false => format!(
                        ", descriptions also from {}",
                        pin.descriptions.iter().map(|d| d.file.as_str()).collect::<Vec<_>>().join(" and ")
                    ),
                }
            ),
            "Do not edit: change the generator or metadata/, then run `cargo run -p msgraph-comms-codegen -- generate`."
                .to_owned(),
        ];
        let sources = pin
            .descriptions
            .iter()
            .map(|source| Ok((source.file.as_str(), read_description_source(repo_root, metadata_dir, pin, source)?)))
            .collect::<Result<Vec<_>, GenerateError>>()?;
        let mut job = Job::new(&pin.name, &pin.file, &text, &settings, &header);
        job.descriptions = sources.iter().map(|(name, source)| (*name, source)).collect();
        job.permissions = permissions.as_ref();
        job.lenient = lenient;
        let generated = generate_api(&job)?;
        out.push((pin.clone(), generated));
    }
    Ok(out)
}

/// The bytes of a pinned file, checked against their SHA-256; `missing` when there is no file.
fn read_pinned(path: &Path, sha256: &str, missing: impl FnOnce() -> GenerateError) -> Result<Vec<u8>, GenerateError> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Err(missing()),
        Err(error) => return Err(GenerateError::Io { path: path.to_owned(), error }),
    };
    let actual = settings::sha256_hex(&bytes);
    match actual == sha256 {
        true => Ok(bytes),
        false => Err(GenerateError::ChecksumMismatch { path: path.to_owned(), expected: sha256.to_owned(), actual }),
    }
}

/// The pinned permissions reference, read and checked against its pin.
fn read_permissions(
    repo_root: &Path,
    pin: &settings::PermissionsPin,
) -> Result<crate::permissions::PermissionIndex, GenerateError> {
    let folder = settings::SourceFolder::Permissions;
    let path = folder.dir(repo_root).join(&pin.file);
    let bytes = read_pinned(&path, &pin.sha256, || GenerateError::InputMissing { path: path.clone(), folder })?;
    let text = String::from_utf8_lossy(&bytes);
    crate::permissions::PermissionIndex::read(&text)
        .map_err(|message| GenerateError::Settings(format!("{}: {message}", path.display())))
}

/// A pinned source of descriptions, read and checked against its pin.
fn read_description_source(
    repo_root: &Path,
    metadata_dir: &Path,
    api: &ApiPin,
    pin: &settings::DescriptionsPin,
) -> Result<model::describe::DescriptionSource, GenerateError> {
    let dir = match pin.folder {
        settings::SourceFolder::Metadata => metadata_dir.to_owned(),
        folder => folder.dir(repo_root),
    };
    let path = dir.join(&pin.file);
    if pin.folder == settings::SourceFolder::Docs {
        let io = |error| GenerateError::Io { path: path.clone(), error };
        if !path.is_dir() {
            return Err(GenerateError::InputMissing { path, folder: pin.folder });
        }
        let actual = settings::tree_sha256(&path).map_err(io)?;
        if actual != pin.sha256 {
            return Err(GenerateError::ChecksumMismatch { path, expected: pin.sha256.clone(), actual });
        }
        let view = if api.name == "beta" { "graph-rest-beta" } else { "graph-rest-1.0" };
        let pages = crate::docs::DocsPages::read(&path, view).map_err(io)?;
        return Ok(model::describe::DescriptionSource::Docs(pages));
    }
    let bytes =
        read_pinned(&path, &pin.sha256, || GenerateError::InputMissing { path: path.clone(), folder: pin.folder })?;
    let text = String::from_utf8_lossy(&bytes);
    Ok(model::describe::DescriptionSource::read(&csdl::read_str(&pin.file, &text)?)?)
}

/// Writes `files` into `dir`, removing `.rs` files there that are no longer generated.
pub fn write_output(dir: &Path, files: &[GeneratedFile]) -> Result<(), GenerateError> {
    let io = |path: &Path| {
        let path = path.to_owned();
        move |error| GenerateError::Io { path, error }
    };
    for stale in files_with_extension(dir, "rs") {
        if !files.iter().any(|f| dir.join(&f.path) == stale) {
            std::fs::remove_file(&stale).map_err(io(&stale))?;
        }
    }
    for file in files {
        let path = dir.join(&file.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io(parent))?;
        }
        // Unchanged files are left alone so that their timestamps do not trigger rebuilds.
        if std::fs::read_to_string(&path).ok().as_deref() != Some(file.contents.as_str()) {
            std::fs::write(&path, &file.contents).map_err(io(&path))?;
        }
    }
    Ok(())
}

/// The differences between `files` and what `dir` holds: one line per file that is missing,
/// different or not generated any more. Empty when they are the same.
pub fn check_output(dir: &Path, files: &[GeneratedFile]) -> Vec<String> {
    let mut differences = Vec::new();
    for file in files {
        let path = dir.join(&file.path);
        match std::fs::read_to_string(&path) {
            Ok(text) if text == file.contents => {}
            Ok(text) => {
                let line = text.lines().zip(file.contents.lines()).position(|(a, b)| a != b);
                let line = line.unwrap_or_else(|| text.lines().count().min(file.contents.lines().count()));
                differences.push(format!("{}: differs from line {}", path.display(), line + 1));
            }
            Err(_) => differences.push(format!("{}: missing", path.display())),
        }
    }
    for stale in files_with_extension(dir, "rs") {
        if !files.iter().any(|f| dir.join(&f.path) == stale) {
            differences.push(format!("{}: no longer generated", stale.display()));
        }
    }
    differences
}

/// The files below `dir` (recursively) whose name ends in `.{extension}`, sorted; none when
/// `dir` does not exist.
pub fn files_with_extension(dir: &Path, extension: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == extension) {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}
