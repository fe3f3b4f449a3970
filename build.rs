//! Chooses the models the crate compiles: the committed `generated/` (the default), or, with
//! the `regenerate` feature, models generated here from the CSDL metadata.

use std::path::{Path, PathBuf};

/// Set to anything but `0` to ask for regeneration (needs the `regenerate` feature).
const REGENERATE_ENV: &str = "MSGRAPH_COMMS_REGENERATE";

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed={REGENERATE_ENV}");
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let asked = std::env::var(REGENERATE_ENV).is_ok_and(|v| !v.is_empty() && v != "0");
    let generated = if cfg!(feature = "regenerate") {
        regenerate(&manifest_dir)
    } else if asked {
        eprintln!("{REGENERATE_ENV} is set, but regenerating needs the generator: build with `--features regenerate`.");
        std::process::exit(1);
    } else {
        manifest_dir.join("generated")
    };
    println!("cargo:rustc-env=MSGRAPH_COMMS_GENERATED={}", generated.display());
}

#[cfg(feature = "regenerate")]
fn regenerate(manifest_dir: &Path) -> PathBuf {
    use msgraph_comms_codegen::settings;
    let metadata_dir = settings::metadata_dir(manifest_dir);
    println!("cargo:rerun-if-env-changed={}", settings::METADATA_ENV);
    println!("cargo:rerun-if-changed={}", manifest_dir.join("metadata").display());
    println!("cargo:rerun-if-changed={}", metadata_dir.display());
    println!("cargo:rerun-if-env-changed={}", settings::DESCRIPTIONS_ENV);
    println!("cargo:rerun-if-changed={}", settings::descriptions_dir(manifest_dir).display());
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR")).join("generated");
    let generated = msgraph_comms_codegen::generate(manifest_dir, &metadata_dir).unwrap_or_else(|err| {
        eprintln!("msgraph-comms: cannot regenerate the models: {err}");
        std::process::exit(1);
    });
    for (pin, output) in generated {
        if let Err(err) = msgraph_comms_codegen::write_output(&out_dir.join(&pin.module), &output.files) {
            eprintln!("msgraph-comms: {err}");
            std::process::exit(1);
        }
    }
    out_dir
}

#[cfg(not(feature = "regenerate"))]
fn regenerate(_: &Path) -> PathBuf {
    unreachable!("only called with the `regenerate` feature")
}
