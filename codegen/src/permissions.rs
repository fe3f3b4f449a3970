//! Reads Graph's permissions reference (`permissions.json` of microsoftgraph/microsoft-graph-devx-content):
//! which permissions allow a method on a path template, per scheme, and which of them is the
//! least privileged. Its templates are written in lower case (mostly), with `{id}` keys and
//! functions without their namespace; ours are matched to them by [`normalize`].

use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The schemes, in the order permissions are listed.
pub const SCHEMES: [&str; 3] = ["DelegatedWork", "DelegatedPersonal", "Application"];

/// A permission that allows a method on a path, for one scheme.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Grant {
    /// `GET`, `POST` ….
    pub method: String,
    /// One of [`SCHEMES`].
    pub scheme: &'static str,
    /// `Calls.Initiate.All`.
    pub name: String,
    /// The least privileged permission for the scheme on that path.
    pub least_privileged: bool,
}

#[derive(Deserialize)]
struct File {
    permissions: BTreeMap<String, Entry>,
}

#[derive(Deserialize)]
struct Entry {
    #[serde(rename = "pathSets", default)]
    path_sets: Vec<PathSet>,
}

#[derive(Deserialize)]
struct PathSet {
    #[serde(rename = "schemeKeys", default)]
    scheme_keys: Vec<String>,
    #[serde(default)]
    methods: Vec<String>,
    #[serde(default)]
    paths: BTreeMap<String, String>,
}

/// Every grant of the reference, by method and normalized path.
#[derive(Clone, Debug, Default)]
pub struct PermissionIndex {
    grants: HashMap<(String, String), BTreeSet<Grant>>,
}

impl PermissionIndex {
    /// Reads the JSON text of `permissions.json`.
    pub fn read(text: &str) -> Result<Self, String> {
        let file: File = serde_json::from_str(text).map_err(|e| format!("permissions: {e}"))?;
        let mut grants: HashMap<(String, String), BTreeSet<Grant>> = HashMap::new();
        for (name, entry) in &file.permissions {
            for set in &entry.path_sets {
                for (path, marks) in &set.paths {
                    let least: Vec<&str> =
                        marks.strip_prefix("least=").map(|l| l.split(',').map(str::trim).collect()).unwrap_or_default();
                    for method in &set.methods {
                        let key = (method.to_ascii_uppercase(), normalize(path));
                        for scheme in &set.scheme_keys {
                            let Some(scheme) = SCHEMES.iter().find(|s| **s == scheme.as_str()) else { continue };
                            grants.entry(key.clone()).or_default().insert(Grant {
                                method: key.0.clone(),
                                scheme,
                                name: name.clone(),
                                least_privileged: least.contains(scheme),
                            });
                        }
                    }
                }
            }
        }
        Ok(PermissionIndex { grants })
    }

    /// The grants for `method` on our `template`: by scheme, the least privileged first.
    pub fn grants(&self, method: &str, template: &str) -> Vec<Grant> {
        let mut grants: Vec<Grant> = self
            .grants
            .get(&(method.to_ascii_uppercase(), normalize(template)))
            .map(|g| g.iter().cloned().collect())
            .unwrap_or_default();
        let scheme_order = |s: &str| SCHEMES.iter().position(|x| *x == s).unwrap_or(SCHEMES.len());
        grants.sort_by(|a, b| {
            (scheme_order(a.scheme), !a.least_privileged, &a.name).cmp(&(
                scheme_order(b.scheme),
                !b.least_privileged,
                &b.name,
            ))
        });
        grants
    }
}

/// A path template as the reference and we both can be written: lower case, every key `{}`,
/// a function's namespace and parameter list left out (`/communications/callRecords/
/// microsoft.graph.callRecords.getPstnCalls(fromDateTime={fromDateTime})` and
/// `/communications/callrecords/getpstncalls(fromdatetime={value})` are the same).
pub fn normalize(template: &str) -> String {
    let segments: Vec<String> = template
        .trim_end_matches('/')
        .split('/')
        .map(|segment| {
            let segment = segment.split('(').next().unwrap_or_default();
            let segment = match segment.starts_with('{') {
                true => "{}",
                false => segment.rsplit('.').next().unwrap_or(segment),
            };
            segment.to_ascii_lowercase()
        })
        .collect();
    segments.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_are_matched_whatever_their_spelling() {
        assert_eq!(
            normalize("/communications/calls/{call-id}/participants/{participant-id}/mute"),
            "/communications/calls/{}/participants/{}/mute"
        );
        assert_eq!(normalize("/app/calls/{id}/participants/{id}/mute"), "/app/calls/{}/participants/{}/mute");
        assert_eq!(
            normalize(
                "/communications/callRecords/microsoft.graph.callRecords.getPstnCalls(fromDateTime={fromDateTime},toDateTime={toDateTime})"
            ),
            normalize("/communications/callrecords/getpstncalls(fromdatetime={value},todatetime={value})")
        );
        assert_eq!(normalize("/me/onlineMeetings/getAllRecordings"), "/me/onlinemeetings/getallrecordings");
    }

    #[test]
    fn grants_are_read_per_scheme_with_the_least_privileged_first() {
        let text = r#"{"permissions": {
            "Calls.Initiate.All": {"pathSets": [{"schemeKeys": ["Application"], "methods": ["POST"],
                "paths": {"/communications/calls": "least=Application"}}]},
            "Calls.JoinGroupCall.All": {"pathSets": [{"schemeKeys": ["Application", "DelegatedWork"], "methods": ["POST", "GET"],
                "paths": {"/communications/calls": ""}}]},
            "Other.Read": {"pathSets": [{"schemeKeys": ["Unknown"], "methods": ["POST"], "paths": {"/communications/calls": ""}}]}
        }}"#;
        let index = PermissionIndex::read(text).unwrap();
        let grants: Vec<_> = index
            .grants("post", "/communications/calls")
            .into_iter()
            .map(|g| (g.scheme, g.name, g.least_privileged))
            .collect();
        assert_eq!(
            grants,
            [
                ("DelegatedWork", "Calls.JoinGroupCall.All".to_owned(), false),
                ("Application", "Calls.Initiate.All".to_owned(), true),
                ("Application", "Calls.JoinGroupCall.All".to_owned(), false),
            ]
        );
        assert_eq!(index.grants("GET", "/communications/calls").len(), 2);
        assert!(index.grants("DELETE", "/communications/calls").is_empty());
        assert!(PermissionIndex::read("{").is_err());
    }
}
