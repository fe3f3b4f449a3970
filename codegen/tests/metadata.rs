//! The generator over every CSDL file of the metadata folder (`$MSGRAPH_COMMS_METADATA`, else
//! `../shared/metadata`): each reads, resolves, slices and emits, the same bytes twice; and the
//! pinned v1.0 slice has what a calling bot needs.
//!
//! Without the folder the trials are reported as ignored, with the reason; under CI (`CI`
//! set) they fail instead.

mod common;

use libtest_mimic::{Arguments, Failed, Trial};
use msgraph_comms_codegen::csdl;
use msgraph_comms_codegen::model::plan::Plan;
use msgraph_comms_codegen::model::slice::Slice;
use msgraph_comms_codegen::model::{self, Model};
use msgraph_comms_codegen::settings::{self, Settings, SourceFolder};
use msgraph_comms_codegen::{Job, emit, files_with_extension, generate_api};
use std::path::Path;

fn repo_root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

fn main() {
    let args = Arguments::from_args();
    let settings = Settings::load(&repo_root().join("metadata")).expect("metadata/ settings load");
    let mut trials = Vec::new();
    match settings::find_metadata_dir(repo_root()) {
        Ok(dir) => {
            for file in files_with_extension(&dir, "xml") {
                let name = file.strip_prefix(&dir).unwrap().display().to_string();
                let settings = settings.clone();
                trials.push(Trial::test(format!("generates from {name}"), move || generates(&file, &name, &settings)));
            }
            let pin = settings.pins.apis.iter().find(|p| p.name == "v1.0").expect("a v1.0 pin").clone();
            let (file, same) = (dir.join(&pin.file), settings.clone());
            trials.push(Trial::test(format!("the {} output does not depend on XML order", pin.file), move || {
                same_output_in_any_order(&file, &same)
            }));
            let diff_dir = dir.clone();
            trials.push(Trial::test("diff reports what changed between schema versions", move || {
                diff_reports(&diff_dir)
            }));
            let described_dir = dir.clone();
            let readme_settings = settings.clone();
            trials.push(Trial::test(format!("the {} slice has what a bot needs", pin.file), move || {
                bot_types_are_in_the_slice(&dir.join(&pin.file), &settings)
            }));
            let readme_dir = described_dir.clone();
            trials.push(Trial::test("the pinned slices are described from every source", move || {
                pinned_slices_are_described(&described_dir)
            }));
            trials.push(Trial::test("the README's figures are the generator's", move || {
                readme_figures_are_the_generators(&readme_dir, &readme_settings)
            }));
        }
        Err(why) => {
            eprintln!("NOTE: generator not run over real metadata: {why}");
            let ci = std::env::var_os("CI").is_some();
            trials.push(
                Trial::test("generates from every file of the metadata folder", move || Err(Failed::from(why)))
                    .with_ignored_flag(!ci),
            );
        }
    }
    libtest_mimic::run(&args, trials).exit();
}

fn generates(file: &Path, name: &str, settings: &Settings) -> Result<(), Failed> {
    let text = std::fs::read_to_string(file).map_err(|e| format!("{name}: {e}"))?;
    let run = || generate_api(&Job::new("test", name, &text, settings, &[]));
    let first = run().map_err(|e| e.to_string())?;
    let second = run().map_err(|e| e.to_string())?;
    if first.files != second.files {
        return Err(format!("{name}: two runs gave different output").into());
    }
    let summary = &first.summary;
    eprintln!("{summary}");
    if summary.types() == 0 || summary.bound_actions == 0 {
        return Err(format!("{name}: empty slice").into());
    }
    Ok(())
}

fn same_output_in_any_order(file: &Path, settings: &Settings) -> Result<(), Failed> {
    let text = std::fs::read_to_string(file)?;
    let run = |text: &str| generate_api(&Job::new("test", "pinned.xml", text, settings, &[]));
    let original = run(&text).map_err(|e| e.to_string())?;
    let reordered = run(&common::reorder(&text)).map_err(|e| e.to_string())?;
    match original.files == reordered.files {
        true => Ok(()),
        false => Err("reordering the XML changed the output".into()),
    }
}

/// `msgraph-comms-codegen diff` on real schema pairs, as maintainers run it.
fn diff_reports(dir: &Path) -> Result<(), Failed> {
    let run = |old: &str, new: &str| -> Result<String, Failed> {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_msgraph-comms-codegen"))
            .args(["--repo", repo_root().to_str().unwrap(), "diff"])
            .arg(dir.join(old))
            .arg(dir.join(new))
            .output()?;
        match output.status.success() {
            true => Ok(String::from_utf8_lossy(&output.stdout).into_owned()),
            false => Err(String::from_utf8_lossy(&output.stderr).into_owned().into()),
        }
    };
    let expect = |report: &str, lines: &[&str]| -> Result<(), Failed> {
        match lines.iter().find(|l| !report.contains(*l)) {
            Some(missing) => Err(format!("the report has no `{missing}`:\n{report}").into()),
            None => Ok(()),
        }
    };
    let v1 = run("v1.0/2021-07-13-with-descriptions.xml", "v1.0/2026-08-04.xml")?;
    expect(
        &v1,
        &[
            "  microsoft.graph.invitationParticipantInfo\n    - property hidden added (Edm.Boolean)\n    - property participantId added (Edm.String)\n    - property removeFromDefaultAudioRoutingGroup added (Edm.Boolean)",
            "a major version.",
        ],
    )?;
    let beta = run("beta/2019-08-27-with-descriptions.xml", "beta/2021-07-13.xml")?;
    expect(
        &beta,
        &[
            "  microsoft.graph.invitationParticipantInfo\n    - no longer derives from microsoft.graph.participantInfo",
            "  microsoft.graph.ResultInfo\n    - type removed",
        ],
    )?;
    let same = run("v1.0/2026-08-04.xml", "v1.0/2026-08-04.xml")?;
    expect(&same, &["0 breaking, 0 additive, 0 documentation-only changes: a patch version."])
}

/// Every description source of `pins.toml` read: v1.0's properties (structural and navigation,
/// where declared) at least 90 % described, and every type and operation with a docs page
/// described, in both APIs.
fn pinned_slices_are_described(metadata_dir: &Path) -> Result<(), Failed> {
    let generated = msgraph_comms_codegen::generate(repo_root(), metadata_dir).map_err(|e| e.to_string())?;
    for (pin, output) in &generated {
        let c = &output.summary.described;
        let properties = c.properties.described + c.navigation_properties.described;
        let all = c.properties.all + c.navigation_properties.all;
        if pin.name == "v1.0" && properties * 10 < all * 9 {
            return Err(format!("v1.0: {properties} of {all} properties described, under 90 %").into());
        }
        for (kind, share) in [("types", c.types_with_page), ("operations", c.operations_with_page)] {
            if share.all == 0 || share.described != share.all {
                return Err(format!(
                    "{}: {} of {} {kind} with a docs page described",
                    pin.name, share.described, share.all
                )
                .into());
            }
        }
    }
    Ok(())
}

/// Every figure the README gives about the slices: the table of slices (one row per file of
/// the metadata folder), the routes that need a feature, the permissions reference's entries,
/// and the description coverage. Each is rendered from what the generator computes and must be
/// in the README as written (whitespace aside): a regeneration that changes a figure fails here
/// until the README follows, and the message gives the text to put there.
fn readme_figures_are_the_generators(dir: &Path, settings: &Settings) -> Result<(), Failed> {
    let readme = std::fs::read_to_string(repo_root().join("README.md"))?;
    let squeeze = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
    let readme = squeeze(&readme);
    let mut expected = Vec::new();
    let pins = &settings.pins.apis;
    for file in files_with_extension(dir, "xml") {
        let name = file.strip_prefix(dir).unwrap().display().to_string().replace('\\', "/");
        let text = std::fs::read_to_string(&file)?;
        let generated = generate_api(&Job::new("readme", &name, &text, settings, &[])).map_err(|e| e.to_string())?;
        let s = &generated.summary;
        let (api, stem) = name.trim_end_matches(".xml").split_once('/').ok_or("a file outside an API folder")?;
        let date = stem.trim_end_matches("-with-descriptions");
        let pinned = if pins.iter().any(|p| p.file == name) { " (pinned)" } else { "" };
        let (entity, operation, stream) = s.route_kinds;
        expected.push(format!(
            "| {api} {date}{pinned} | {} ({} / {} / {}) | {} / {} | {} ({entity} / {operation} / {stream}) |",
            s.types(),
            s.entity_types,
            s.complex_types,
            s.enum_types,
            s.bound_actions,
            s.bound_functions,
            s.routes
        ));
        if !pinned.is_empty() {
            for (feature, (types, routes)) in &s.gated {
                expected.push(format!(
                    "Of these, {types} types and {routes} routes of {api} compile only with the cargo feature `{feature}`"
                ));
            }
        }
    }
    let generated = msgraph_comms_codegen::generate(repo_root(), dir).map_err(|e| e.to_string())?;
    let summary = |api: &str| generated.iter().find(|(p, _)| p.name == api).map(|(_, g)| &g.summary);
    let (v1, beta) = (summary("v1.0").ok_or("no v1.0 pin")?, summary("beta").ok_or("no beta pin")?);
    let documented = |s: &msgraph_comms_codegen::Summary| s.routes - s.without_permissions.as_ref().map_or(0, Vec::len);
    expected.push(format!(
        "The reference has entries for {} of v1.0's {} routes and {} of beta's {}",
        documented(v1),
        v1.routes,
        documented(beta),
        beta.routes
    ));
    for (api, s) in [("v1.0", v1), ("beta", beta)] {
        let cells: Vec<String> =
            s.described.kinds().iter().map(|(_, share)| format!("{} / {}", share.described, share.all)).collect();
        expected.push(format!("| {api} | {} |", cells.join(" | ")));
    }
    let pages = |s: &msgraph_comms_codegen::Summary| {
        format!("{} and {}", s.described.types_with_page.described, s.described.operations_with_page.described)
    };
    expected.push(format!(
        "Every type and operation that has a docs page is described ({} in v1.0, {} in beta)",
        pages(v1),
        pages(beta)
    ));
    // The set-up names every folder `generate` reads, with its variable.
    for folder in [SourceFolder::Metadata, SourceFolder::Descriptions, SourceFolder::Docs, SourceFolder::Permissions] {
        let (variable, fallback) = folder.env_and_fallback();
        expected.push(format!("| `{fallback}` | `{variable}` |"));
    }
    let missing: Vec<&String> = expected.iter().filter(|line| !readme.contains(&squeeze(line))).collect();
    match missing.is_empty() {
        true => Ok(()),
        false => {
            let lines: Vec<String> = missing.iter().map(|l| format!("  {l}")).collect();
            Err(format!("the README does not say (put these in it):\n{}", lines.join("\n")).into())
        }
    }
}

fn bot_types_are_in_the_slice(file: &Path, settings: &Settings) -> Result<(), Failed> {
    let document = csdl::read_file(file).map_err(|e| e.to_string())?;
    let model = model::resolve(&document).map_err(|e| e.to_string())?;
    let slice = Slice::select(&model, &settings.slice).map_err(|e| e.to_string())?;
    let id = |name: &str| model.find(name).ok_or_else(|| format!("the schema has no `{name}`"));
    let mut missing = Vec::new();
    for name in [
        "microsoft.graph.call",
        "microsoft.graph.participant",
        "microsoft.graph.commsOperation",
        "microsoft.graph.inviteParticipantsOperation",
        "microsoft.graph.invitationParticipantInfo",
        "microsoft.graph.identitySet",
        "microsoft.graph.mediaConfig",
        "microsoft.graph.appHostedMediaConfig",
        "microsoft.graph.serviceHostedMediaConfig",
        "microsoft.graph.commsNotifications",
        "microsoft.graph.commsNotification",
        "microsoft.graph.onlineMeeting",
        "microsoft.graph.presence",
        "microsoft.graph.callRecords.callRecord",
        "microsoft.graph.callRecords.session",
        "microsoft.graph.callRecords.segment",
    ] {
        if !slice.contains(id(name)?) {
            missing.push(name.to_owned());
        }
    }
    // Every subtype of `commsOperation` and `mediaConfig`: a bot meets them all.
    for base in ["microsoft.graph.commsOperation", "microsoft.graph.mediaConfig"] {
        for derived in model.descendants(id(base)?) {
            if !slice.contains(derived) {
                missing.push(model.get(derived).name.to_string());
            }
        }
    }
    if !missing.is_empty() {
        return Err(format!("not in the slice: {}", missing.join(", ")).into());
    }
    // The generated module has them under their Rust names.
    let plan = Plan::new(&model, &slice, &settings.layout);
    let files = emit::emit(&plan, &[], None).map_err(|e| e.to_string())?;
    let root = files.iter().find(|f| f.path == "mod.rs").ok_or("no mod.rs")?;
    for item in ["pub struct Call {", "pub struct InviteParticipantsOperation {", "pub struct CommsNotifications {"] {
        if !root.contents.contains(item) {
            return Err(format!("mod.rs has no `{item}`").into());
        }
    }
    check_model_is_whole(&model)
}

/// Every type a property points at is in the model (the resolver checks it; this guards the
/// invariant the emitter relies on).
fn check_model_is_whole(model: &Model) -> Result<(), Failed> {
    for ty in &model.types {
        if let model::TypeBody::Structured(s) = &ty.body {
            for p in &s.properties {
                if let Some(id) = p.ty.type_id()
                    && id.0 >= model.types.len()
                {
                    return Err(format!("{}.{} points outside the model", ty.name, p.name).into());
                }
            }
        }
    }
    Ok(())
}
