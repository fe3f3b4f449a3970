//! Test data nobody here wrote (`$MSGRAPH_COMMS_CONFORMANCE`, else `../shared/conformance`):
//!
//! - the OData ABNF test cases (`odata-abnf-testcases.yaml`): every case of a primitive
//!   literal the crate reads or writes, and of a `Prefer` header and its preferences, through
//!   its parsers and its renderers (a
//!   positive case must be accepted, a `FailAt` case refused); every single-value key predicate
//!   (`Products(1)`, `Customers('ALFKI')`) of the path cases, read by the router and written
//!   back by `render_path`, which must read as the same key. The cases of the rules the crate
//!   does not read or write are listed as ignored, each with why.
//! - Microsoft's encrypted-content test vector (`graph-encrypted-content-vector.json`),
//!   decrypted with its key into the expected plaintext, and refused when a bit is flipped.
//!
//! Without the folder, the trials are reported as ignored with the reason; under CI (`CI` set)
//! they fail instead.

use libtest_mimic::{Arguments, Failed, Trial};
use msgraph_comms::change_notifications::{DecryptError, DecryptionKeys, EncryptedContent};
use msgraph_comms::edm;
use msgraph_comms::odata::{Flags, Prefer, Route, literal, percent_decode, render_path, route};
use msgraph_comms::v1_0::Modality;
use std::path::PathBuf;
use yaml_rust2::parser::{Event, EventReceiver, Parser};

fn main() {
    let args = Arguments::from_args();
    let dir = std::env::var_os("MSGRAPH_COMMS_CONFORMANCE")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/conformance")));
    let cases = std::fs::read_to_string(dir.join("odata-abnf-testcases.yaml"));
    let vector = std::fs::read_to_string(dir.join("graph-encrypted-content-vector.json"));
    let (Ok(cases), Ok(vector)) = (cases, vector) else {
        let why = format!("no conformance data at {} (set MSGRAPH_COMMS_CONFORMANCE)", dir.display());
        eprintln!("NOTE: {why}");
        let ignored = std::env::var_os("CI").is_none();
        let trial = Trial::test("conformance data", move || Err(why.into())).with_ignored_flag(ignored);
        libtest_mimic::run(&args, vec![trial]).exit();
    };
    let cases = abnf_cases(&cases);
    assert!(cases.len() > 800, "the ABNF test cases read: {}", cases.len());
    let mut trials: Vec<Trial> = Vec::new();
    for (number, case) in cases.iter().enumerate() {
        let name = format!("abnf {number:03} {}: {}", case.rule, case.input.escape_debug());
        match checker(&case.rule) {
            Check::Accepts(accepts) => {
                let case = case.clone();
                let stricter = STRICTER.iter().find(|(rule, input, _)| *rule == case.rule && *input == case.input);
                let name = match stricter {
                    Some((_, _, why)) => format!("{name} (refused: {why})"),
                    None => name,
                };
                trials.push(Trial::test(name, move || {
                    let accepted = accepts(&case.input);
                    let fail_at = case.fail_at.or(stricter.map(|_| 0));
                    match (fail_at, accepted) {
                        (None, true) | (Some(_), false) => Ok(()),
                        (None, false) => {
                            Err(format!("`{}` is a valid {}, and was refused", case.input, case.rule).into())
                        }
                        (Some(at), true) => {
                            Err(format!("`{}` is no {} (invalid at {at}), and was accepted", case.input, case.rule)
                                .into())
                        }
                    }
                }));
            }
            Check::Skip(why) => {
                trials.push(Trial::test(format!("{name} (not checked: {why})"), || Ok(())).with_ignored_flag(true))
            }
        }
        if case.fail_at.is_none() && PATH_RULES.contains(&case.rule.as_str()) {
            for (at, predicate) in key_predicates(&case.input).into_iter().enumerate() {
                let name = format!("abnf {number:03} key predicate {at} of {}: ({predicate})", case.rule);
                trials.push(Trial::test(name, move || key_round_trip(&predicate)));
            }
        }
    }
    trials.push(Trial::test("the encrypted-content vector decrypts to its plaintext", move || {
        decrypts_the_vector(&vector)
    }));
    libtest_mimic::run(&args, trials).exit();
}

/// The positive cases the crate refuses, and why: the grammar checks the form of a value
/// only, the crate its range too.
const STRICTER: &[(&str, &str, &str)] =
    &[("sbyteLiteral", "%2B128", "128 is beyond an Edm.SByte's range, which the grammar does not check")];

/// One case of the ABNF test cases.
#[derive(Clone, Debug, Default)]
struct Case {
    rule: String,
    input: String,
    fail_at: Option<usize>,
}

/// The cases of the test-case file, every scalar read as the string it is (YAML 1.2 events:
/// no scalar is turned into a date or a number).
fn abnf_cases(text: &str) -> Vec<Case> {
    /// Collects the mappings of the `TestCases` list.
    #[derive(Default)]
    struct Cases {
        cases: Vec<Case>,
        /// How deep in mappings and sequences the parser is.
        depth: usize,
        in_test_cases: bool,
        key: Option<String>,
        current: Case,
    }

    impl EventReceiver for Cases {
        fn on_event(&mut self, event: Event) {
            match event {
                Event::MappingStart(..) | Event::SequenceStart(..) => self.depth += 1,
                Event::MappingEnd | Event::SequenceEnd => {
                    // A case's mapping ends at depth 3: document mapping, list, case.
                    if self.in_test_cases && self.depth == 3 {
                        self.cases.push(std::mem::take(&mut self.current));
                    }
                    self.depth -= 1;
                    if self.depth == 1 {
                        self.in_test_cases = false;
                    }
                }
                Event::Scalar(value, ..) => match (self.depth, self.key.take()) {
                    (1, None) => {
                        self.in_test_cases = value == "TestCases";
                        self.key = Some(value);
                    }
                    (3, None) if self.in_test_cases => self.key = Some(value),
                    (3, Some(key)) if self.in_test_cases => match key.as_str() {
                        "Rule" => self.current.rule = value,
                        "Input" => self.current.input = value,
                        "FailAt" => self.current.fail_at = value.parse().ok(),
                        _ => {}
                    },
                    (_, Some(_)) | (_, None) => {}
                },
                _ => {}
            }
            // A value that is a mapping or a list takes the key it was under.
            if self.depth != 1 && self.depth != 3 {
                self.key = None;
            }
        }
    }

    let mut cases = Cases::default();
    Parser::new_from_str(text).load(&mut cases, false).expect("the ABNF test cases are YAML");
    cases.cases
}

/// How a rule's cases are checked.
enum Check {
    /// By a parser or renderer of the crate: whether it accepts the input.
    Accepts(fn(&str) -> bool),
    /// Not checked, and why.
    Skip(&'static str),
}

/// The rules whose inputs are paths with key predicates.
const PATH_RULES: &[&str] = &["resourcePath", "odataRelativeUri", "odataUri"];

fn checker(rule: &str) -> Check {
    Check::Accepts(match rule {
        "dateTimeOffsetValue" => |i| edm::DateTimeOffset::new(i).parse().is_ok(),
        "dateTimeOffsetLiteral" | "dateTimeOffsetValueInUrl" => {
            |i| decoded(i).is_some_and(|i| edm::DateTimeOffset::new(i).parse().is_ok())
        }
        "dateValue" | "date" => |i| edm::Date::new(i).parse().is_ok(),
        "timeOfDayValue" => |i| edm::TimeOfDay::new(i).parse().is_ok(),
        "timeOfDayLiteral" => |i| decoded(i).is_some_and(|i| edm::TimeOfDay::new(i).parse().is_ok()),
        "durationValue" => |i| edm::Duration::new(i).parse().is_ok(),
        "durationLiteral" => {
            |i| typed_quoted(i, "duration").is_some_and(|inner| literal(&edm::Duration::new(inner)).is_ok())
        }
        "guid" => |i| edm::Guid::new(i).to_u128().is_ok() && literal(&edm::Guid::new(i)).is_ok(),
        // OData's doubles and singles are written as its decimals are.
        "decimalValue" | "doubleValue" | "singleValue" => |i| literal(&edm::Decimal::Text(i.to_owned())).is_ok(),
        "decimalLiteral" | "doubleLiteral" | "singleLiteral" => {
            |i| decoded(i).is_some_and(|i| literal(&edm::Decimal::Text(i)).is_ok())
        }
        "byteValue" => |i| integer::<edm::Byte>(i),
        "sbyteValue" | "sbyteLiteral" => |i| decoded(i).is_some_and(|i| integer::<edm::SByte>(&i)),
        "int16Value" | "int16Literal" => |i| decoded(i).is_some_and(|i| integer::<edm::Int16>(&i)),
        "int32Value" | "int32Literal" => |i| decoded(i).is_some_and(|i| integer::<edm::Int32>(&i)),
        "int64Value" | "int64Literal" => |i| decoded(i).is_some_and(|i| integer::<edm::Int64>(&i)),
        // A string literal is what a quoted key is: read by the router, written by `literal`.
        "stringLiteral" => string_literal,
        "binaryLiteral" => |i| {
            typed_quoted(i, "binary").is_some_and(|inner| {
                let value = edm::Binary::new(inner);
                // Written back, it holds the same bytes (in base64url, without padding).
                literal(&value).is_ok_and(|written| {
                    typed_quoted(&written, "binary").map(|w| edm::Binary::new(w).decode().ok())
                        == Some(value.decode().ok())
                })
            })
        },
        "enumValue" => |i| enum_members(i),
        // Preferences of the `Prefer` header, read, then written and read back the same.
        "preference" | "maxpagesizePreference" | "includeAnnotationsPreference" => |i| {
            Prefer::parse(i).is_ok_and(|p| p.preferences().len() == 1 && Prefer::parse(&p.to_string()).ok() == Some(p))
        },
        "prefer" => |i| {
            let value = i.split_once(':').filter(|(name, _)| name.eq_ignore_ascii_case("prefer")).map(|(_, v)| v);
            value.is_some_and(|v| {
                Prefer::parse(v.trim_start()).is_ok_and(|p| Prefer::parse(&p.to_string()).ok() == Some(p))
            })
        },
        "enumLiteral" => |i| {
            let quote = i.find(['\'']).or_else(|| i.find("%27"));
            let Some(at) = quote else { return false };
            let qualified = &i[..at];
            let name_ok = qualified.is_empty() || qualified.split('.').all(|p| !p.is_empty());
            name_ok && decoded(&i[at..]).and_then(|q| unquote(&q)).is_some_and(|members| enum_members(&members))
        },
        "booleanValue" | "boolean" => return Check::Skip("the crate writes only `true` and `false`"),
        "null" => return Check::Skip("`null` is written as it is"),
        "primitiveLiteral" | "primitiveValue" | "stringInUrl" => {
            return Check::Skip("a literal of no given type; each type's rule is checked");
        }
        _ => return Check::Skip("a rule the crate does not read or write"),
    })
}

/// The text with its percent-escapes decoded.
fn decoded(input: &str) -> Option<String> {
    percent_decode(input)
}

/// What stands in single quotes, quotes inside doubled (`'O''Neil'` → `O'Neil`).
fn unquote(text: &str) -> Option<String> {
    let inner = text.strip_prefix('\'')?.strip_suffix('\'')?;
    if inner.replace("''", "").contains('\'') {
        return None;
    }
    Some(inner.replace("''", "'"))
}

/// The quoted part of `prefix'…'` (or of `'…'`: OData 4.01 lets the prefix out).
fn typed_quoted(input: &str, prefix: &str) -> Option<String> {
    let text = decoded(input)?;
    let rest = match text.get(..prefix.len()) {
        Some(start) if start.eq_ignore_ascii_case(prefix) => &text[prefix.len()..],
        _ => &text[..],
    };
    unquote(rest)
}

/// Whether the crate reads `text` as an integer of type `T` (from a JSON string, as Graph
/// sends `Edm.Int64`s) and writes it back as the same number.
fn integer<T: serde::de::DeserializeOwned + msgraph_comms::odata::ODataLiteral>(text: &str) -> bool {
    let Ok(value) = serde_json::from_value::<T>(serde_json::Value::String(text.to_owned())) else { return false };
    literal(&value).is_ok_and(|written| written.parse::<i128>().ok() == text.parse::<i128>().ok())
}

/// A string literal: the router reads it as a quoted key, and `literal` writes the value back
/// as the same literal (quotes doubled; the input's escapes decoded).
fn string_literal(input: &str) -> bool {
    const TABLE: &[Route] =
        &[Route { method: "GET", template: "/x/{k}", request: None, response: None, permissions: &[] }];
    let Some(found) = route(TABLE, "GET", &format!("/x({input})")) else { return false };
    let value = &found.keys[0].1;
    literal(value.as_str()).ok() == decoded(input)
}

/// Comma-separated enum members, each the name of a member (or its value): written as an
/// enum literal, they are the same members.
fn enum_members(text: &str) -> bool {
    let members: Vec<Modality> = text.split(',').map(<Modality as msgraph_comms::odata::EnumType>::from_name).collect();
    let flags: Flags<Modality> = members.into_iter().collect();
    literal(&flags).is_ok_and(|written| {
        let quoted = &written[written.find('\'').unwrap_or(0)..];
        unquote(quoted).is_some_and(|w| w.eq_ignore_ascii_case(text))
    })
}

/// The single-value key predicates of a path: `Products(1)`, `Customers('ALFKI')` (not
/// `name=value` arguments, nor the empty parentheses of a call).
fn key_predicates(path: &str) -> Vec<String> {
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let mut found = Vec::new();
    for segment in path.split('/') {
        let Some(open) = segment.find('(') else { continue };
        let Some(args) = segment[open + 1..].strip_suffix(')') else { continue };
        let identifier = |s: &str| s.chars().next().is_some_and(|c| c.is_alphabetic() || c == '_');
        let single = !args.is_empty() && !args.contains(['=', ',', '(', ')', '@']) || is_quoted_single(args);
        if identifier(&segment[..open]) && single {
            found.push(args.to_owned());
        }
    }
    found
}

/// A single quoted string, whatever it holds.
fn is_quoted_single(args: &str) -> bool {
    decoded(args).and_then(|d| unquote(&d)).is_some()
}

/// A key predicate read by the router, and the key written back by `render_path`: it reads as
/// the same key.
fn key_round_trip(predicate: &str) -> Result<(), Failed> {
    const TABLE: &[Route] = &[
        Route { method: "GET", template: "/x/{k}", request: None, response: None, permissions: &[] },
        Route { method: "GET", template: "/x", request: None, response: None, permissions: &[] },
    ];
    let read =
        |url: &str| route(TABLE, "GET", url).filter(|m| m.route.template == "/x/{k}").map(|m| m.keys[0].1.clone());
    let key = read(&format!("/x({predicate})")).ok_or_else(|| format!("`x({predicate})` reads as no key"))?;
    let text = decoded(predicate).ok_or("the predicate's escapes are no UTF-8")?;
    let expected = unquote(&text).unwrap_or(text);
    if key != expected {
        return Err(format!("`x({predicate})` reads as the key `{key}`, not `{expected}`").into());
    }
    let written = render_path("/x/{k}", &[&key]);
    match read(&written) {
        Some(again) if again == key => Ok(()),
        other => Err(format!("`{key}` written as `{written}` reads as {other:?}").into()),
    }
}

/// Decrypts Microsoft's vector with its key: the expected plaintext, byte for byte; a flipped
/// bit of the data fails the signature.
fn decrypts_the_vector(text: &str) -> Result<(), Failed> {
    let vector: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let field = |path: &[&str]| -> Result<String, Failed> {
        let value = path.iter().try_fold(&vector, |v, key| v.get(key)).and_then(|v| v.as_str());
        value.map(str::to_owned).ok_or_else(|| format!("the vector has no {}", path.join(".")).into())
    };
    let content = |name: &str| field(&["encrypted_content", name]);
    let mut keys = DecryptionKeys::new();
    let thumbprint = field(&["thumbprint_sha1_hex"])?;
    keys.add_pkcs8_pem(content("encryptionCertificateId")?, Some(&thumbprint), &field(&["private_key_pkcs8_pem"])?)
        .map_err(|e| e.to_string())?;
    let (data, data_key, data_signature) = (content("data")?, content("dataKey")?, content("dataSignature")?);
    let (id, thumbprint) = (content("encryptionCertificateId")?, content("encryptionCertificateThumbprint")?);
    let encrypted = EncryptedContent {
        data: &data,
        data_key: &data_key,
        data_signature: &data_signature,
        encryption_certificate_id: &id,
        encryption_certificate_thumbprint: &thumbprint,
    };
    let plaintext = keys.decrypt(&encrypted).map_err(|e| e.to_string())?;
    if plaintext != field(&["expected", "plaintext"])?.into_bytes() {
        return Err("the plaintext is not the expected one".into());
    }
    let mut bytes = edm::Binary::new(data.as_str()).decode().map_err(|e| e.to_string())?;
    bytes[10] ^= 1;
    let flipped = edm::Binary::encode_standard(&bytes).into_string();
    match keys.decrypt(&EncryptedContent { data: &flipped, ..encrypted }) {
        Err(DecryptError::Signature) => Ok(()),
        other => Err(format!("a flipped bit of the data gave {other:?}").into()),
    }
}
