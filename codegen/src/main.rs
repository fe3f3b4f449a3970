//! `msgraph-comms-codegen`: regenerates the models of `generated/` from the pinned metadata,
//! generates from any CSDL file, and reports what changed between two schemas.

use clap::{Parser, Subcommand};
use msgraph_comms_codegen::diff::{Side, diff};
use msgraph_comms_codegen::settings::{self, Settings, SliceFile};
use msgraph_comms_codegen::update;
use msgraph_comms_codegen::{GenerateError, Job, check_output, generate_api, generate_pinned, select, write_output};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(version, about = "Generates the msgraph-comms models from Microsoft Graph CSDL metadata")]
struct Cli {
    /// The repository root (holding `metadata/` and `generated/`).
    #[arg(long, global = true, default_value = ".")]
    repo: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate `generated/` from the metadata pinned in `metadata/pins.toml` and print a
    /// summary of each slice; or, with `--metadata`, generate from any CSDL file into `--out`.
    Generate {
        /// The folder of pinned CSDL files (default: $MSGRAPH_COMMS_METADATA, else ../shared/metadata).
        #[arg(long)]
        metadata_dir: Option<PathBuf>,
        /// Only compare with `generated/` and fail if it is not up to date; write nothing.
        #[arg(long)]
        check: bool,
        /// A CSDL file to generate from instead of the pinned ones (needs `--out`).
        #[arg(long, requires = "out")]
        metadata: Option<PathBuf>,
        /// The API version the file is, for the summary and the header.
        #[arg(long, default_value = "v1.0", requires = "metadata")]
        api: String,
        /// Where to write the modules generated from `--metadata`.
        #[arg(long, requires = "metadata")]
        out: Option<PathBuf>,
        /// Slice settings (a TOML file like `metadata/slice.toml`) instead of the project's.
        #[arg(long)]
        slice: Option<PathBuf>,
        /// Every type and bound operation of the schema.
        #[arg(long)]
        whole_schema: bool,
        /// Also list the elements of the pinned slices that no source describes, and the routes
        /// the permissions reference has no entry for.
        #[arg(long)]
        undescribed: bool,
        /// Go past the schema's problems — a type that does not exist (a property of it is
        /// typed as raw JSON; a navigation property, entity set or bound operation of it is
        /// dropped), a base that does not exist, names declared twice (the first is kept), …
        /// — each a warning at file:line:col in the summary, instead of stopping at the first.
        #[arg(long)]
        lenient: bool,
    },
    /// Report what changed between two CSDL files' slices: types, properties, enum members,
    /// operations, and what each change does to the Rust API, with a semver verdict.
    Diff {
        old: PathBuf,
        new: PathBuf,
        /// Slice settings instead of the project's `metadata/slice.toml`.
        #[arg(long)]
        slice: Option<PathBuf>,
        /// Compare the whole schemas.
        #[arg(long)]
        whole_schema: bool,
        /// Go past the schemas' problems, as `generate --lenient` does.
        #[arg(long)]
        lenient: bool,
    },
    /// Pin a newer schema in one step: read it from a file or a URL (the live
    /// `https://graph.microsoft.com/v1.0/$metadata`; URLs need the `fetch` feature), store it in
    /// the metadata folder (not in the repository), record its file, date, SHA-256 and source in
    /// `metadata/pins.toml`, regenerate `generated/`, and print what changed since the previous
    /// pin with its semver verdict.
    Update {
        /// The API version to pin (`v1.0`, `beta`).
        #[arg(long)]
        api: String,
        /// A CSDL file, or an `http(s)://` URL.
        source: String,
        /// The schema's date (default: today, UTC); the file is stored as `{api}/{date}.xml`.
        #[arg(long)]
        date: Option<String>,
        /// The file name in the metadata folder, instead of `{api}/{date}.xml`.
        #[arg(long)]
        file: Option<String>,
        /// The metadata folder (default: $MSGRAPH_COMMS_METADATA, else ../shared/metadata).
        #[arg(long)]
        metadata_dir: Option<PathBuf>,
        /// Go past the schema's problems, as `generate --lenient` does.
        #[arg(long)]
        lenient: bool,
    },
    /// Check that `generated/` is what the pinned metadata generates (what CI runs).
    CheckFresh {
        #[arg(long)]
        metadata_dir: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Generate { metadata: Some(file), api, out, slice, whole_schema, lenient, .. } => {
            let out = out.expect("clap requires --out");
            generate_file(&cli.repo, &file, &api, &out, slice.as_deref(), whole_schema, lenient)
        }
        Command::Generate { metadata_dir, check, undescribed, lenient, .. } => {
            pinned(&cli.repo, metadata_dir, check, undescribed, lenient)
        }
        Command::Update { api, source, date, file, metadata_dir, lenient } => {
            let metadata_dir = metadata_dir.unwrap_or_else(|| settings::metadata_dir(&cli.repo));
            let source = update::Source::parse(&source);
            update::update(&cli.repo, &metadata_dir, &api, &source, date.as_deref(), file.as_deref(), lenient).map(
                |done| {
                    println!("pinned {api}: {} (sha256 {})", done.pinned.0, done.pinned.1);
                    println!("  was {} (sha256 {})", done.previous.0, done.previous.1);
                    done.summaries.iter().for_each(|summary| println!("{summary}"));
                    println!("{}", done.report);
                },
            )
        }
        Command::CheckFresh { metadata_dir } => pinned(&cli.repo, metadata_dir, true, false, false),
        Command::Diff { old, new, slice, whole_schema, lenient } => {
            report(&cli.repo, &old, &new, slice.as_deref(), whole_schema, lenient)
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

/// The project's settings, with another slice file or the whole schema if asked.
fn settings(repo: &Path, slice: Option<&Path>, whole_schema: bool) -> Result<Settings, String> {
    let mut settings = Settings::load(&repo.join("metadata"))
        .map_err(|e| format!("{e} (run from the repository root, or pass --repo)"))?;
    if let Some(file) = slice {
        let text = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
        let custom: SliceFile = toml::from_str(&text).map_err(|e| format!("{}: {e}", file.display()))?;
        settings.slice = custom.slice;
        settings.layout = custom.layout;
        settings.overlay = match custom.overlay {
            Some(name) => {
                let path = file.parent().unwrap_or(Path::new(".")).join(&name);
                let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
                Some((path.display().to_string(), text))
            }
            None => None,
        };
    }
    if whole_schema {
        settings.slice.whole_schema = true;
    }
    Ok(settings)
}

fn read(file: &Path) -> Result<String, String> {
    std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))
}

fn pinned(
    repo: &Path,
    metadata_dir: Option<PathBuf>,
    check: bool,
    undescribed: bool,
    lenient: bool,
) -> Result<(), String> {
    let metadata_dir = metadata_dir.unwrap_or_else(|| settings::metadata_dir(repo));
    let generated = generate_pinned(repo, &metadata_dir, lenient).map_err(|e: GenerateError| e.to_string())?;
    let mut stale = Vec::new();
    for (pin, output) in &generated {
        println!("{}", output.summary);
        if undescribed {
            println!("  undescribed ({}):", output.summary.described.undescribed.len());
            output.summary.described.undescribed.iter().for_each(|element| println!("    {element}"));
            if let Some(without) = &output.summary.without_permissions {
                println!("  routes without an entry in the permissions reference ({}):", without.len());
                without.iter().for_each(|route| println!("    {route}"));
            }
        }
        let dir = repo.join("generated").join(&pin.module);
        if check {
            stale.extend(check_output(&dir, &output.files));
        } else {
            write_output(&dir, &output.files).map_err(|e| e.to_string())?;
            println!("  wrote {}", dir.display());
        }
    }
    match stale.is_empty() {
        true => Ok(()),
        false => Err(format!(
            "generated/ is not what the generator makes:\n  {}\nrun `cargo run -p msgraph-comms-codegen -- generate`",
            stale.join("\n  ")
        )),
    }
}

fn generate_file(
    repo: &Path,
    file: &Path,
    api: &str,
    out: &Path,
    slice: Option<&Path>,
    whole: bool,
    lenient: bool,
) -> Result<(), String> {
    let settings = settings(repo, slice, whole)?;
    let text = read(file)?;
    let name = file.display().to_string();
    let header = vec![
        format!(
            "@generated by msgraph-comms-codegen from {} (sha256 {}).",
            file.file_name().map_or(name.clone(), |f| f.to_string_lossy().into_owned()),
            &settings::sha256_hex(text.as_bytes())[..16]
        ),
        "Do not edit.".to_owned(),
    ];
    eprintln!("generating {api} from {name} …");
    let job = Job { lenient, ..Job::new(api, &name, &text, &settings, &header) };
    let generated = generate_api(&job).map_err(|e| e.to_string())?;
    println!("{}", generated.summary);
    write_output(out, &generated.files).map_err(|e| e.to_string())?;
    println!("  wrote {}", out.display());
    Ok(())
}

fn report(repo: &Path, old: &Path, new: &Path, slice: Option<&Path>, whole: bool, lenient: bool) -> Result<(), String> {
    let settings = settings(repo, slice, whole)?;
    let (old_text, new_text) = (read(old)?, read(new)?);
    let (old_name, new_name) = (old.display().to_string(), new.display().to_string());
    let side = |name: &str, file: &str, text: &str| {
        let selected =
            select(&Job { lenient, ..Job::new(name, file, text, &settings, &[]) }).map_err(|e| e.to_string())?;
        for warning in &selected.warnings {
            eprintln!("warning: {warning}");
        }
        Ok::<_, String>(selected)
    };
    let old_side = side("old", &old_name, &old_text)?;
    let new_side = side("new", &new_name, &new_text)?;
    let report = diff(
        &Side { model: &old_side.model, slice: &old_side.slice },
        &Side { model: &new_side.model, slice: &new_side.slice },
    );
    println!("From {old_name} ({} types in the slice)", old_side.slice.types.len());
    println!("to   {new_name} ({} types in the slice):\n", new_side.slice.types.len());
    println!("{report}");
    Ok(())
}
