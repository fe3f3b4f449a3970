//! `generated/` is exactly what the generator makes from the pinned metadata.
//!
//! Without the metadata (`$MSGRAPH_COMMS_METADATA`, else `../shared/metadata`) the checks are
//! reported as ignored, with the reason; under CI (`CI` set) they fail instead.

use libtest_mimic::{Arguments, Failed, Trial};
use msgraph_comms_codegen::settings::{self, Settings};
use msgraph_comms_codegen::{Generated, check_output, generate};
use std::path::Path;
use std::sync::{Arc, OnceLock};

fn main() {
    let args = Arguments::from_args();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let pins = Settings::load(&repo.join("metadata")).expect("metadata/ settings load").pins;
    let metadata = settings::find_metadata_dir(repo);
    if let Err(why) = &metadata {
        eprintln!("NOTE: freshness of generated/ not checked: {why}");
    }
    let output: Arc<OnceLock<Result<Vec<Generated>, String>>> = Arc::default();
    let trials = pins
        .apis
        .into_iter()
        .enumerate()
        .map(|(i, pin)| {
            let name = format!("generated/{} is what the generator makes from {}", pin.module, pin.file);
            let (metadata, output) = (metadata.clone(), output.clone());
            let ignored = metadata.is_err() && std::env::var_os("CI").is_none();
            Trial::test(name, move || {
                let dir = metadata.map_err(Failed::from)?;
                let generated = output.get_or_init(|| {
                    let all = generate(repo, &dir).map_err(|e| e.to_string())?;
                    Ok(all.into_iter().map(|(_, generated)| generated).collect())
                });
                let generated = &generated.as_ref().map_err(|e| Failed::from(e.as_str()))?[i];
                let differences = check_output(&repo.join("generated").join(&pin.module), &generated.files);
                match differences.is_empty() {
                    true => Ok(()),
                    false => Err(format!(
                        "{}\nrun `cargo run -p msgraph-comms-codegen -- generate` and commit generated/",
                        differences.join("\n")
                    )
                    .into()),
                }
            })
            .with_ignored_flag(ignored)
        })
        .collect();
    libtest_mimic::run(&args, trials).exit();
}
