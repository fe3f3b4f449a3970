//! Every CSDL file of the metadata folder generates with the project's settings, and what it
//! generates compiles against this crate's runtime: all of them as modules of one scratch crate
//! under `target/`, built once. The whole v1.0 schema (every type, not the slice) generates
//! too; compiling it takes minutes and gigabytes, so that trial runs on demand
//! (`cargo test --test schemas -- --include-ignored`).
//!
//! Without the metadata folder the trials are reported as ignored with the reason; under CI
//! (`CI` set) that is a failure.

use libtest_mimic::{Arguments, Failed, Trial};
use msgraph_comms_codegen::emit::GeneratedFile;
use msgraph_comms_codegen::settings::{self, Settings};
use msgraph_comms_codegen::{Job, files_with_extension, generate_api, write_output};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn main() {
    let args = Arguments::from_args();
    let trials = match settings::find_metadata_dir(repo()) {
        Ok(dir) => {
            let (slice_dir, whole_dir) = (dir.clone(), dir);
            vec![
                Trial::test("every schema of the metadata folder generates and compiles", move || {
                    slices_compile(&slice_dir)
                }),
                Trial::test("the whole v1.0 schema generates", move || whole_schema(&whole_dir, false)),
                Trial::test("the whole v1.0 schema compiles", {
                    let dir = settings::metadata_dir(repo());
                    move || whole_schema(&dir, true)
                })
                .with_ignored_flag(true),
            ]
        }
        Err(why) => {
            eprintln!("NOTE: generated code of the metadata folder not compiled: {why}");
            let ci = std::env::var_os("CI").is_some();
            vec![
                Trial::test("every schema of the metadata folder generates and compiles", move || Err(why.into()))
                    .with_ignored_flag(!ci),
            ]
        }
    };
    libtest_mimic::run(&args, trials).exit();
}

/// `v1.0/2026-08-04.xml` → `v1_0_2026_08_04`.
fn module_name(file: &Path, root: &Path) -> String {
    let relative = file.strip_prefix(root).unwrap_or(file).with_extension("");
    relative.display().to_string().chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect()
}

fn generate(file: &Path, settings: &Settings) -> Result<(Vec<GeneratedFile>, String), Failed> {
    let text = std::fs::read_to_string(file)?;
    let name = file.display().to_string();
    let generated = generate_api(&Job::new("test", &name, &text, settings, &[])).map_err(|e| e.to_string())?;
    Ok((generated.files, generated.summary.to_string()))
}

fn slices_compile(metadata: &Path) -> Result<(), Failed> {
    let settings = Settings::load(&repo().join("metadata"))?;
    let files = files_with_extension(metadata, "xml");
    let scratch = scratch_crate("schemas")?;
    let mut modules = Vec::new();
    for file in &files {
        let module = module_name(file, metadata);
        let (generated, summary) = generate(file, &settings)?;
        eprintln!("{summary}");
        write_output(&scratch.join("src").join(&module), &generated).map_err(|e| e.to_string())?;
        modules.push(module);
    }
    build(&scratch, &modules, "build")
}

fn whole_schema(metadata: &Path, compile: bool) -> Result<(), Failed> {
    let mut settings = Settings::load(&repo().join("metadata"))?;
    settings.slice.whole_schema = true;
    let pin = settings.pins.apis.iter().find(|p| p.name == "v1.0").ok_or("no v1.0 pin")?.clone();
    let start = Instant::now();
    let (generated, summary) = generate(&metadata.join(&pin.file), &settings)?;
    eprintln!("{summary}\n  whole schema generated in {:.2} s", start.elapsed().as_secs_f64());
    if !compile {
        return Ok(());
    }
    let scratch = scratch_crate("whole-schema")?;
    write_output(&scratch.join("src/v1_0"), &generated).map_err(|e| e.to_string())?;
    build(&scratch, &["v1_0".to_owned()], "check")
}

/// A crate under `target/` that depends on this one (for `Field`, `odata`, `edm`).
fn scratch_crate(name: &str) -> Result<PathBuf, Failed> {
    let dir = repo().join("target/scratch").join(name);
    std::fs::create_dir_all(dir.join("src"))?;
    let manifest = format!(
        "[package]\nname = \"scratch-{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [workspace]\n\n[dependencies]\nmsgraph-comms = {{ path = {:?} }}\nserde = \"1\"\nserde_json = \"1\"\n\n\
         [features]\nrequests = [\"msgraph-comms/requests\"]\nregistry = [\"requests\"]\nmerge = [\"msgraph-comms/merge\"]\n\
         virtual-events = []\n",
        repo().display().to_string()
    );
    std::fs::write(dir.join("Cargo.toml"), manifest)?;
    // The workspace's lock file pins the same dependency versions.
    std::fs::copy(repo().join("Cargo.lock"), dir.join("Cargo.lock"))?;
    Ok(dir)
}

fn build(scratch: &Path, modules: &[String], command: &str) -> Result<(), Failed> {
    let mut lib =
        String::from("//! Generated code of every schema, compiled against the runtime.\n\n#![warn(missing_docs)]\n\n");
    lib.push_str("pub use msgraph_comms::{Field, edm, odata};\n\n");
    for module in modules {
        lib.push_str(&format!("/// Generated.\npub mod {module} {{\n    include!(\"{module}/mod.rs\");\n}}\n"));
    }
    std::fs::write(scratch.join("src/lib.rs"), lib)?;
    // With `merge` and `requests`: the merge of every type and the requests of every route of
    // every schema compile too; with and without the gated parts (`virtual-events`).
    for features in ["merge,requests,virtual-events", "merge,requests"] {
        build_with(scratch, modules, command, features)?;
    }
    Ok(())
}

fn build_with(scratch: &Path, modules: &[String], command: &str, features: &str) -> Result<(), Failed> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let start = Instant::now();
    let output = Command::new(cargo)
        .args([command, "--lib", "--features", features, "--quiet", "--message-format", "short"])
        .current_dir(scratch)
        .env("CARGO_TARGET_DIR", repo().join("target/scratch/target"))
        // The generated code must be warning-free too.
        .env("RUSTFLAGS", "-D warnings")
        .output()?;
    eprintln!(
        "  cargo {command} --features {features} of {} modules: {:.1} s",
        modules.len(),
        start.elapsed().as_secs_f64()
    );
    match output.status.success() {
        true => Ok(()),
        false => Err(String::from_utf8_lossy(&output.stderr).lines().take(40).collect::<Vec<_>>().join("\n").into()),
    }
}
