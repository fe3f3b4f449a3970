//! `update` end to end on a repository of its own (a temporary folder): the new schema read
//! from a file, and fetched from a local HTTP server started here on 127.0.0.1 (with the
//! `fetch` feature), pinned, stored outside the repository, regenerated, and reported.

use msgraph_comms_codegen::settings::sha256_hex;
use msgraph_comms_codegen::update::{Source, update};
use std::path::{Path, PathBuf};

const SCENARIO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/inheritance");

/// A repository with the scenario's slice, pinned to its CSDL as `v1.0/old.xml`, and the
/// metadata folder beside it; and the newer document: the same with `call.subject` added.
struct Repo {
    root: PathBuf,
    metadata: PathBuf,
    newer: String,
}

impl Repo {
    fn new(name: &str) -> Repo {
        let base = std::env::temp_dir().join(format!("msgraph-comms-update-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&base);
        let (root, metadata) = (base.join("repo"), base.join("metadata"));
        std::fs::create_dir_all(root.join("metadata")).unwrap();
        std::fs::create_dir_all(metadata.join("v1.0")).unwrap();
        let old = std::fs::read_to_string(Path::new(SCENARIO).join("input.xml")).unwrap();
        std::fs::write(metadata.join("v1.0/old.xml"), &old).unwrap();
        std::fs::copy(Path::new(SCENARIO).join("slice.toml"), root.join("metadata/slice.toml")).unwrap();
        let pins = format!(
            "# Our pins.\n[[api]]\nname = \"v1.0\"\nmodule = \"v1_0\"\nfile = \"v1.0/old.xml\"\ndate = \"2021-07-13\"\n\
             sha256 = \"{}\"\nupstream_repository = \"r\"\nupstream_path = \"p\"\nupstream_commit = \"c\"\n\
             service_url = \"https://graph.microsoft.com/v1.0/$metadata\"\n",
            sha256_hex(old.as_bytes())
        );
        std::fs::write(root.join("metadata/pins.toml"), pins).unwrap();
        let newer = old.replacen(
            r#"<Property Name="state" Type="graph.callState" />"#,
            r#"<Property Name="state" Type="graph.callState" /><Property Name="subject" Type="Edm.String" />"#,
            1,
        );
        assert_ne!(newer, old);
        Repo { root, metadata, newer }
    }

    fn check(&self, source: &str) {
        let pins = std::fs::read_to_string(self.root.join("metadata/pins.toml")).unwrap();
        assert!(pins.starts_with("# Our pins."), "comments kept: {pins}");
        assert!(pins.contains("file = \"v1.0/2026-12-01.xml\""), "{pins}");
        assert!(pins.contains(&format!("sha256 = \"{}\"", sha256_hex(self.newer.as_bytes()))), "{pins}");
        assert!(pins.contains(&format!("source = \"{source}\"")), "{pins}");
        assert!(!pins.contains("upstream_commit"), "{pins}");
        // Stored in the metadata folder, not in the repository.
        let stored = std::fs::read_to_string(self.metadata.join("v1.0/2026-12-01.xml")).unwrap();
        assert_eq!(stored, self.newer);
        assert!(!self.root.join("metadata/v1.0").exists());
        let generated = std::fs::read_to_string(self.root.join("generated/v1_0/mod.rs")).unwrap();
        assert!(generated.contains("pub subject: crate::Field<String>"), "regenerated");
    }
}

#[test]
fn a_file_is_pinned_regenerated_and_reported() {
    let repo = Repo::new("file");
    let file = repo.root.parent().unwrap().join("downloaded.xml");
    std::fs::write(&file, &repo.newer).unwrap();
    let done = update(&repo.root, &repo.metadata, "v1.0", &Source::File(file.clone()), Some("2026-12-01"), None, false)
        .unwrap();
    repo.check(&file.display().to_string());
    assert!(done.report.contains("subject"), "{}", done.report);
    assert!(done.report.contains("minor"), "an added property is a minor change: {}", done.report);
    assert_eq!(done.previous.0, "v1.0/old.xml");
    // An API that is not pinned, a bad date, a file outside the folder: errors, nothing written.
    let source = Source::File(file);
    assert!(update(&repo.root, &repo.metadata, "gamma", &source, None, None, false).unwrap_err().contains("gamma"));
    assert!(update(&repo.root, &repo.metadata, "v1.0", &source, Some("soon"), None, false).is_err());
    assert!(update(&repo.root, &repo.metadata, "v1.0", &source, None, Some("../x.xml"), false).is_err());
    // A document that does not generate pins nothing.
    let broken = repo.root.parent().unwrap().join("broken.xml");
    std::fs::write(&broken, repo.newer.replace("graph.callState\"", "graph.nothing\"")).unwrap();
    let before = std::fs::read_to_string(repo.root.join("metadata/pins.toml")).unwrap();
    let err =
        update(&repo.root, &repo.metadata, "v1.0", &Source::File(broken), Some("2026-12-02"), None, false).unwrap_err();
    assert!(err.contains("unknown type `graph.nothing`"), "{err}");
    assert_eq!(std::fs::read_to_string(repo.root.join("metadata/pins.toml")).unwrap(), before);
}

#[cfg(feature = "fetch")]
#[test]
fn a_url_is_fetched_from_a_local_server() {
    use std::io::{BufRead, BufReader, Write};
    let repo = Repo::new("url");
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/v1.0/$metadata", listener.local_addr().unwrap());
    let body = repo.newer.clone();
    let server = std::thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut request_line = String::new();
        reader.read_line(&mut request_line).unwrap();
        let mut line = String::new();
        while reader.read_line(&mut line).unwrap() > 2 {
            line.clear();
        }
        let mut stream = stream;
        write!(
            stream,
            "HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        request_line
    });
    update(&repo.root, &repo.metadata, "v1.0", &Source::Url(url.clone()), Some("2026-12-01"), None, false).unwrap();
    assert_eq!(server.join().unwrap().trim_end(), "GET /v1.0/$metadata HTTP/1.1");
    repo.check(&url);
}

#[cfg(not(feature = "fetch"))]
#[test]
fn a_url_needs_the_fetch_feature() {
    let repo = Repo::new("nofetch");
    let source = Source::Url("http://127.0.0.1:9/v1.0/$metadata".into());
    let err = update(&repo.root, &repo.metadata, "v1.0", &source, None, None, false).unwrap_err();
    assert!(err.contains("`fetch` feature"), "{err}");
}
