//! Pinning a newer schema in one step: the document is read (from a file, or fetched from a
//! URL with the cargo feature `fetch`), stored in the metadata folder (outside the repository:
//! it is Microsoft's), its pin recorded in `metadata/pins.toml` (file, date, SHA-256, source),
//! `generated/` regenerated, and the schema-change report against the previous pin returned.

use crate::diff::{Side, diff};
use crate::generate::{GenerateError, Job, generate_pinned, select, write_output};
use crate::settings::{self, Settings};
use std::path::{Path, PathBuf};

/// Where the new document comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// A file.
    File(PathBuf),
    /// An `http://` or `https://` URL, such as `https://graph.microsoft.com/v1.0/$metadata`.
    Url(String),
}

impl Source {
    /// A URL when `text` starts with `http://` or `https://`, else a file path.
    pub fn parse(text: &str) -> Source {
        match text.starts_with("http://") || text.starts_with("https://") {
            true => Source::Url(text.to_owned()),
            false => Source::File(PathBuf::from(text)),
        }
    }

    fn describe(&self) -> String {
        match self {
            Source::File(path) => path.display().to_string(),
            Source::Url(url) => url.clone(),
        }
    }

    fn read(&self) -> Result<Vec<u8>, String> {
        match self {
            Source::File(path) => std::fs::read(path).map_err(|e| format!("{}: {e}", path.display())),
            Source::Url(url) => fetch(url),
        }
    }
}

#[cfg(feature = "fetch")]
fn fetch(url: &str) -> Result<Vec<u8>, String> {
    let mut answer = ureq::get(url).call().map_err(|e| format!("{url}: {e}"))?;
    // Graph's whole v1.0 document is about 5 MB and beta's 10 MB; 256 MB is far past both.
    answer.body_mut().with_config().limit(256 << 20).read_to_vec().map_err(|e| format!("{url}: {e}"))
}

#[cfg(not(feature = "fetch"))]
fn fetch(url: &str) -> Result<Vec<u8>, String> {
    Err(format!(
        "{url}: this generator was built without the `fetch` feature; download the document yourself \
         (curl -o metadata.xml '{url}') and pass the file, or build with `--features fetch`"
    ))
}

/// What an update did.
#[derive(Debug)]
pub struct Update {
    /// The pin's previous file and SHA-256.
    pub previous: (String, String),
    /// The new file (relative to the metadata folder) and SHA-256.
    pub pinned: (String, String),
    /// The schema-change report against the previous pin, with its semver verdict.
    pub report: String,
    /// The summaries of the regenerated APIs.
    pub summaries: Vec<String>,
}

/// Pins `source` as the schema of the API `api` (`v1.0`, `beta`) of the repository at
/// `repo_root`: stores it as `{api}/{date}.xml` in `metadata_dir` (or under `file`), records
/// it in `metadata/pins.toml`, regenerates `generated/` and reports what changed. `date` is
/// the schema's date (today, UTC, unless given).
pub fn update(
    repo_root: &Path,
    metadata_dir: &Path,
    api: &str,
    source: &Source,
    date: Option<&str>,
    file: Option<&str>,
    lenient: bool,
) -> Result<Update, String> {
    let settings = Settings::load(&repo_root.join("metadata")).map_err(|e| e.to_string())?;
    let pin = settings.pins.apis.iter().find(|p| p.name == api).ok_or_else(|| {
        let known: Vec<&str> = settings.pins.apis.iter().map(|p| p.name.as_str()).collect();
        format!("no API `{api}` is pinned in metadata/pins.toml (pinned: {})", known.join(", "))
    })?;
    let bytes = source.read()?;
    let text = String::from_utf8(bytes).map_err(|e| format!("{}: not UTF-8: {e}", source.describe()))?;
    let date = date.map_or_else(today, str::to_owned);
    if !is_date(&date) {
        return Err(format!("`{date}` is not a date (YYYY-MM-DD)"));
    }
    let file = file.map_or_else(|| format!("{api}/{date}.xml"), str::to_owned);
    if Path::new(&file).is_absolute() || file.split(['/', '\\']).any(|part| part == "..") {
        return Err(format!("`{file}` must name a file inside the metadata folder"));
    }
    let sha256 = settings::sha256_hex(text.as_bytes());

    // The new document must generate before anything is written.
    let old_path = metadata_dir.join(&pin.file);
    let old_text = std::fs::read_to_string(&old_path).map_err(|e| format!("{}: {e}", old_path.display()))?;
    let old_side =
        select(&Job { lenient, ..Job::new("old", &pin.file, &old_text, &settings, &[]) }).map_err(|e| e.to_string())?;
    let new_side =
        select(&Job { lenient, ..Job::new("new", &file, &text, &settings, &[]) }).map_err(|e| e.to_string())?;
    let report = diff(
        &Side { model: &old_side.model, slice: &old_side.slice },
        &Side { model: &new_side.model, slice: &new_side.slice },
    )
    .to_string();

    let target = metadata_dir.join(&file);
    if let Some(dir) = target.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::write(&target, &text).map_err(|e| format!("{}: {e}", target.display()))?;
    let pins_path = repo_root.join("metadata/pins.toml");
    let pins = std::fs::read_to_string(&pins_path).map_err(|e| format!("{}: {e}", pins_path.display()))?;
    let pins = repin(&pins, api, &file, &date, &sha256, &source.describe())?;
    std::fs::write(&pins_path, pins).map_err(|e| format!("{}: {e}", pins_path.display()))?;

    let generated = generate_pinned(repo_root, metadata_dir, lenient).map_err(|e: GenerateError| e.to_string())?;
    let mut summaries = Vec::new();
    for (pin, output) in &generated {
        write_output(&repo_root.join("generated").join(&pin.module), &output.files).map_err(|e| e.to_string())?;
        summaries.push(output.summary.to_string());
    }
    Ok(Update { previous: (pin.file.clone(), pin.sha256.clone()), pinned: (file, sha256), report, summaries })
}

/// `pins` with the `[[api]]` of `api` pinned to `file`, `date`, `sha256` and `source`, its other
/// lines and comments kept. The upstream fields of the previous file are removed: they said
/// where that file came from.
pub fn repin(pins: &str, api: &str, file: &str, date: &str, sha256: &str, source: &str) -> Result<String, String> {
    let mut doc: toml_edit::DocumentMut = pins.parse().map_err(|e| format!("metadata/pins.toml: {e}"))?;
    let apis = doc
        .get_mut("api")
        .and_then(|item| item.as_array_of_tables_mut())
        .ok_or("metadata/pins.toml has no [[api]] tables")?;
    let table = apis
        .iter_mut()
        .find(|t| t.get("name").and_then(|n| n.as_str()) == Some(api))
        .ok_or_else(|| format!("metadata/pins.toml has no [[api]] named `{api}`"))?;
    table["file"] = toml_edit::value(file);
    table["date"] = toml_edit::value(date);
    table["sha256"] = toml_edit::value(sha256);
    for stale in ["upstream_repository", "upstream_path", "upstream_commit"] {
        table.remove(stale);
    }
    table["source"] = toml_edit::value(source);
    Ok(doc.to_string())
}

fn is_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    matches!(parts[..], [y, m, d] if y.len() == 4 && m.len() == 2 && d.len() == 2
        && text.bytes().all(|b| b.is_ascii_digit() || b == b'-')
        && (1..=12).contains(&m.parse::<u8>().unwrap_or(0)) && (1..=31).contains(&d.parse::<u8>().unwrap_or(0)))
}

/// Today's date in UTC, `YYYY-MM-DD`.
fn today() -> String {
    let seconds = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let days = (seconds / 86_400) as i64;
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    const PINS: &str = r#"# The pins.
[[api]]
name = "v1.0"
module = "v1_0"
# The file.
file = "v1.0/2026-08-04.xml"
date = "2026-08-04"
sha256 = "aa"
upstream_repository = "https://github.com/microsoftgraph/msgraph-metadata"
upstream_path = "clean_v10_metadata/cleanMetadata.xml"
upstream_commit = "84c1cb513c"
service_url = "https://graph.microsoft.com/v1.0/$metadata"

[[api]]
name = "beta"
module = "beta"
file = "beta/2021-07-13.xml"
date = "2021-07-13"
sha256 = "bb"
upstream_repository = "r"
upstream_path = "p"
upstream_commit = "c"
service_url = "https://graph.microsoft.com/beta/$metadata"
"#;

    #[test]
    fn a_pin_is_rewritten_in_place_with_its_comments() {
        let pins = repin(
            PINS,
            "beta",
            "beta/2026-12-01.xml",
            "2026-12-01",
            "cc",
            "https://graph.microsoft.com/beta/$metadata",
        )
        .unwrap();
        assert!(pins.starts_with("# The pins.\n[[api]]\nname = \"v1.0\""), "{pins}");
        assert!(pins.contains("# The file.\nfile = \"v1.0/2026-08-04.xml\""), "v1.0 untouched: {pins}");
        let beta = &pins[pins.find("name = \"beta\"").unwrap()..];
        for line in [
            "file = \"beta/2026-12-01.xml\"",
            "date = \"2026-12-01\"",
            "sha256 = \"cc\"",
            "source = \"https://graph.microsoft.com/beta/$metadata\"",
        ] {
            assert!(beta.contains(line), "{line}: {beta}");
        }
        assert!(!beta.contains("upstream_commit"), "{beta}");
        let settings: crate::settings::Pins = toml::from_str(&pins).unwrap();
        assert_eq!(settings.apis[1].sha256, "cc");
        assert!(repin(PINS, "gamma", "f", "d", "s", "x").unwrap_err().contains("gamma"));
    }

    #[test]
    fn sources_and_dates() {
        assert_eq!(
            Source::parse("https://graph.microsoft.com/v1.0/$metadata"),
            Source::Url("https://graph.microsoft.com/v1.0/$metadata".into())
        );
        assert_eq!(Source::parse("./x.xml"), Source::File("./x.xml".into()));
        assert!(is_date(&today()), "{}", today());
        for bad in ["2026-13-01", "2026-1-01", "20261201", "2026-12-00", "yyyy-mm-dd"] {
            assert!(!is_date(bad), "{bad}");
        }
    }
}
