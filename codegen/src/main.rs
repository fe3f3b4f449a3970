//! `msgraph-comms-codegen`: regenerates the models of `generated/` from the pinned metadata.

use clap::{Parser, Subcommand};
use msgraph_comms_codegen::{check_output, generate, settings, write_output};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(version, about = "Generates the msgraph-comms models from Microsoft Graph CSDL metadata")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate `generated/` from the metadata pinned in `metadata/pins.toml`, and print a
    /// summary of each slice.
    Generate {
        /// The repository root (holding `metadata/` and `generated/`).
        #[arg(long, default_value = ".")]
        repo: PathBuf,
        /// The folder of CSDL files (default: $MSGRAPH_COMMS_METADATA, else ../shared/metadata).
        #[arg(long)]
        metadata_dir: Option<PathBuf>,
        /// Only compare with `generated/` and fail if it is not up to date; write nothing.
        #[arg(long)]
        check: bool,
    },
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Generate { repo, metadata_dir, check } => {
            let metadata_dir = metadata_dir.unwrap_or_else(|| settings::metadata_dir(&repo));
            let generated = match generate(&repo, &metadata_dir) {
                Ok(generated) => generated,
                Err(err) => {
                    eprintln!("error: {err}");
                    return ExitCode::FAILURE;
                }
            };
            let mut stale = false;
            for (pin, output) in &generated {
                println!("{}", output.summary);
                let dir = repo.join("generated").join(&pin.module);
                if check {
                    let differences = check_output(&dir, &output.files);
                    for difference in &differences {
                        eprintln!("  stale: {difference}");
                    }
                    stale |= !differences.is_empty();
                } else if let Err(err) = write_output(&dir, &output.files) {
                    eprintln!("error: {err}");
                    return ExitCode::FAILURE;
                } else {
                    println!("  wrote {}", dir.display());
                }
            }
            if stale {
                eprintln!(
                    "generated/ is not what the generator makes: run `cargo run -p msgraph-comms-codegen -- generate`"
                );
                return ExitCode::FAILURE;
            }
            ExitCode::SUCCESS
        }
    }
}
