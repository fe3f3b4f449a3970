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
    /// Graph's permissions reference, for the permissions of every route.
    pub permissions: Option<PermissionsPin>,
}

/// The permissions reference (`permissions.json`), in the permissions folder.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PermissionsPin {
    pub file: String,
    pub sha256: String,
    /// Where it comes from.
    pub upstream: String,
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
    /// Where the file came from, for a file of microsoftgraph/msgraph-metadata: the repository,
    /// the path in it and the commit (empty when the pin says `source` instead).
    #[serde(default)]
    pub upstream_repository: String,
    #[serde(default)]
    pub upstream_path: String,
    #[serde(default)]
    pub upstream_commit: String,
    /// Where the file came from otherwise: the URL or file `update` read it from.
    #[serde(default)]
    pub source: Option<String>,
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
    /// `$MSGRAPH_COMMS_DOCS`, else `../shared/docs`: a folder of documentation pages, pinned by
    /// [`tree_sha256`].
    Docs,
    /// `$MSGRAPH_COMMS_PERMISSIONS`, else `../shared/permissions`.
    Permissions,
}

impl SourceFolder {
    /// The variable that names the folder, and where it is looked for without it.
    pub fn env_and_fallback(self) -> (&'static str, &'static str) {
        match self {
            SourceFolder::Metadata => (METADATA_ENV, METADATA_FALLBACK),
            SourceFolder::Descriptions => (DESCRIPTIONS_ENV, DESCRIPTIONS_FALLBACK),
            SourceFolder::Docs => ("MSGRAPH_COMMS_DOCS", "../shared/docs"),
            SourceFolder::Permissions => ("MSGRAPH_COMMS_PERMISSIONS", "../shared/permissions"),
        }
    }

    /// The folder, from the repository root.
    pub fn dir(self, repo_root: &Path) -> PathBuf {
        let (variable, fallback) = self.env_and_fallback();
        match std::env::var_os(variable) {
            Some(dir) if !dir.is_empty() => PathBuf::from(dir),
            _ => repo_root.join(fallback),
        }
    }
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
    SourceFolder::Descriptions.dir(repo_root)
}

/// SHA-256 of a folder's files: of one line per file, sorted by path, with the path relative
/// to `dir` (`/` between names) and the SHA-256 of its bytes. The same files give the same
/// hash on every machine.
pub fn tree_sha256(dir: &Path) -> std::io::Result<String> {
    let mut files = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(at) = dirs.pop() {
        for entry in std::fs::read_dir(&at)? {
            let path = entry?.path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                let relative: Vec<String> = path
                    .strip_prefix(dir)
                    .unwrap_or(&path)
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                files.push((relative.join("/"), path));
            }
        }
    }
    files.sort();
    let mut listing = String::new();
    for (relative, path) in files {
        listing.push_str(&format!("{relative} {}\n", sha256_hex(&std::fs::read(&path)?)));
    }
    Ok(sha256_hex(listing.as_bytes()))
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
