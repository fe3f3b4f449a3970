//! The project's settings in `metadata/`: which CSDL file each API version is generated from
//! (`pins.toml`) and what the slice and layout are (`slice.toml`).

use crate::model::plan::LayoutSettings;
use crate::model::slice::SliceSettings;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The environment variable that points at the folder of CSDL files.
pub const METADATA_ENV: &str = "MSGRAPH_COMMS_METADATA";
/// Where the CSDL files are looked for when the variable is not set, from the repository root.
pub const METADATA_FALLBACK: &str = "../shared/metadata";

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pins {
    #[serde(rename = "api")]
    pub apis: Vec<ApiPin>,
}

/// One API version and the exact CSDL file its models come from.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiPin {
    /// `v1.0` or `beta`.
    pub name: String,
    /// The Rust module (and folder of `generated/`), e.g. `v1_0`.
    pub module: String,
    /// The file, relative to the metadata folder.
    pub file: String,
    /// The date of the schema.
    pub date: String,
    /// SHA-256 of the file, hex.
    pub sha256: String,
    pub upstream_repository: String,
    pub upstream_path: String,
    pub upstream_commit: String,
    /// Where the live service publishes the current document.
    pub service_url: String,
    /// Further sources of descriptions, in order: each gives the elements that the file and the
    /// sources before it leave undescribed theirs.
    #[serde(default)]
    pub descriptions: Vec<DescriptionsPin>,
}

/// A CSDL file descriptions are taken from: a whole schema (descriptions of the elements that
/// did not change), or a document of out-of-line annotations only (descriptions by target).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DescriptionsPin {
    /// The file, relative to its folder.
    pub file: String,
    pub sha256: String,
    /// The folder it is in: the metadata folder (the default) or the descriptions folder.
    #[serde(default)]
    pub folder: SourceFolder,
}

/// Where a pinned file is read from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceFolder {
    /// `$MSGRAPH_COMMS_METADATA`, else `../shared/metadata`.
    #[default]
    Metadata,
    /// `$MSGRAPH_COMMS_DESCRIPTIONS`, else `../shared/descriptions`.
    Descriptions,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SliceFile {
    /// An overlay (our own CSDL fragment) merged into every schema, relative to `metadata/`.
    pub overlay: Option<String>,
    pub layout: LayoutSettings,
    pub slice: SliceSettings,
}

/// Everything in `metadata/`.
#[derive(Clone, Debug)]
pub struct Settings {
    pub pins: Pins,
    pub layout: LayoutSettings,
    pub slice: SliceSettings,
    /// The overlay's file name (for messages) and text.
    pub overlay: Option<(String, String)>,
}

impl Settings {
    /// Reads `pins.toml`, `slice.toml` and the overlay it names from `dir` (the repository's
    /// `metadata/`).
    pub fn load(dir: &Path) -> Result<Settings, String> {
        let pins: Pins = read_toml(&dir.join("pins.toml"))?;
        let slice: SliceFile = read_toml(&dir.join("slice.toml"))?;
        let overlay = match slice.overlay {
            Some(name) => {
                let path = dir.join(&name);
                let text = std::fs::read_to_string(&path).map_err(|err| format!("{}: {err}", path.display()))?;
                Some((format!("metadata/{name}"), text))
            }
            None => None,
        };
        Ok(Settings { pins, layout: slice.layout, slice: slice.slice, overlay })
    }
}

fn read_toml<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<T, String> {
    let text = std::fs::read_to_string(path).map_err(|err| format!("{}: {err}", path.display()))?;
    toml::from_str(&text).map_err(|err| format!("{}: {err}", path.display()))
}

/// The folder of CSDL files: `$MSGRAPH_COMMS_METADATA`, else `../shared/metadata` beside the
/// repository root.
pub fn metadata_dir(repo_root: &Path) -> PathBuf {
    match std::env::var_os(METADATA_ENV) {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => repo_root.join(METADATA_FALLBACK),
    }
}

/// The environment variable that points at the folder of description sources.
pub const DESCRIPTIONS_ENV: &str = "MSGRAPH_COMMS_DESCRIPTIONS";
/// Where the description sources are looked for when the variable is not set.
pub const DESCRIPTIONS_FALLBACK: &str = "../shared/descriptions";

/// The folder of description sources: `$MSGRAPH_COMMS_DESCRIPTIONS`, else
/// `../shared/descriptions` beside the repository root.
pub fn descriptions_dir(repo_root: &Path) -> PathBuf {
    match std::env::var_os(DESCRIPTIONS_ENV) {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => repo_root.join(DESCRIPTIONS_FALLBACK),
    }
}

/// The metadata folder if it exists, else a message that says where it was looked for and how
/// to provide it (for tests that must say why they did not run).
pub fn find_metadata_dir(repo_root: &Path) -> Result<PathBuf, String> {
    let dir = metadata_dir(repo_root);
    match dir.is_dir() {
        true => Ok(dir),
        false => Err(format!(
            "the CSDL metadata folder is not at {}: set {METADATA_ENV} to the folder that holds \
             v1.0/ and beta/ (see metadata/pins.toml for the files and where to download them)",
            dir.display()
        )),
    }
}

/// SHA-256 of a byte string, as lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}
