//! Inputs made and mutated without libFuzzer, for the bounded runs on stable: a seeded
//! generator (runs are repeatable), payloads built from a type's property names, byte-level
//! mutations, and CSDL mutations that keep the XML mostly well-formed so that they reach the
//! resolver (elements deleted, duplicated or moved; names and type references changed into
//! other names of the document, into themselves, or into nonsense).

use msgraph_comms::odata::TypeInfo;
use serde_json::{Map, Value, json};

/// SplitMix64: small, fast and good enough to choose mutations.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// JSON texts that parsers and models get wrong.
const TRICKY_JSON: &[&str] = &[
    "null",
    "true",
    "0",
    "-0",
    "1.0",
    "-1.5e-7",
    "1e308",
    "18446744073709551616",
    "-9223372036854775809",
    "9007199254740993",
    r#""""#,
    r#""INF""#,
    r#""-INF""#,
    r#""NaN""#,
    r#""0""#,
    r#"" 12 ""#,
    r#""\u0000""#,
    r#""\ud83d\ude00""#,
    r#""PT1M30S""#,
    r#""-P1DT2H""#,
    r#""2021-07-13T08:00:00Z""#,
    r#""00000000-0000-0000-0000-000000000000""#,
    r#""Running""#,
    r#""RUNNING""#,
    r#""audio,video""#,
    "[]",
    "{}",
    "[null]",
    r#"[{}]"#,
    r#"{"@odata.type":null}"#,
];

/// A random JSON value, at most `depth` levels deep.
pub fn value(rng: &mut Rng, depth: usize) -> Value {
    match rng.below(if depth == 0 { 3 } else { 5 }) {
        0 => {
            let text = TRICKY_JSON[rng.below(TRICKY_JSON.len())];
            serde_json::from_str(text).expect("valid JSON")
        }
        1 => json!(rng.next_u64() as i64 >> rng.below(64)),
        2 => json!(format!("s{}", rng.below(1000))),
        3 => Value::Array((0..rng.below(4)).map(|_| value(rng, depth - 1)).collect()),
        _ => {
            let mut map = Map::new();
            for _ in 0..rng.below(4) {
                let key = format!("k{}", rng.below(8));
                map.insert(key, value(rng, depth - 1));
            }
            Value::Object(map)
        }
    }
}

/// An object for `ty`: some of its properties with random values, unknown keys,
/// annotations, and often an `@odata.type` naming some type (derived or not).
pub fn payload(rng: &mut Rng, ty: &TypeInfo, types: &[&TypeInfo], depth: usize) -> Value {
    let mut map = Map::new();
    if rng.chance(50) {
        let tag = match rng.below(4) {
            0 => format!("#{}", ty.name),
            1 => format!("#{}", rng.pick(types).name),
            2 => rng.pick(types).name.to_owned(),
            _ => "#microsoft.graph.unknownType".to_owned(),
        };
        map.insert("@odata.type".into(), json!(tag));
    }
    for _ in 0..rng.below(6) {
        let key = match (ty.properties.is_empty(), rng.below(6)) {
            (false, 0..=3) => (*rng.pick(ty.properties)).to_owned(),
            (_, 4) => rng.pick(&["@odata.etag", "@odata.id", "x@odata.type", "unknown"]).to_string(),
            _ => format!("extra{}", rng.below(4)),
        };
        let nested = rng.chance(30) && depth > 0;
        let value = match nested {
            true => {
                let inner = types[rng.below(types.len())];
                payload(rng, inner, types, depth - 1)
            }
            false => value(rng, depth.min(2)),
        };
        map.insert(key, value);
    }
    // The tag last, sometimes: the arm is chosen after other keys were read.
    if rng.chance(25)
        && let Some(tag) = map.remove("@odata.type")
    {
        map.insert("@odata.type".into(), tag);
    }
    Value::Object(map)
}

/// Removes what the decoding error `message` names (``at `a.b[0].c`: …``) from `value`, so that
/// a made payload keeps what does decode. `false` when the error names no removable place.
pub fn repair(value: &mut Value, message: &str) -> bool {
    let Some(path) = message.strip_prefix("at `").and_then(|rest| rest.split_once("`:")).map(|(path, _)| path) else {
        return false;
    };
    let mut steps = Vec::new();
    for part in path.split('.') {
        let (key, indexes) = part.split_once('[').map_or((part, ""), |(k, rest)| (k, rest));
        if !key.is_empty() {
            steps.push(Err(key.to_owned()));
        }
        for index in indexes.split('[').filter(|i| !i.is_empty()) {
            match index.trim_end_matches(']').parse::<usize>() {
                Ok(i) => steps.push(Ok(i)),
                Err(_) => return false,
            }
        }
    }
    let Some(last) = steps.pop() else { return false };
    let mut at = value;
    for step in steps {
        let next = match (step, at) {
            (Ok(i), Value::Array(items)) => items.get_mut(i),
            (Err(key), Value::Object(map)) => map.get_mut(&key),
            _ => None,
        };
        match next {
            Some(next) => at = next,
            None => return false,
        }
    }
    match (last, at) {
        (Ok(i), Value::Array(items)) if i < items.len() => {
            items.remove(i);
            true
        }
        (Err(key), Value::Object(map)) => map.remove(&key).is_some(),
        _ => false,
    }
}

/// Tokens worth splicing into JSON text.
const JSON_TOKENS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "\"",
    "\\",
    "null",
    "\"@odata.type\":\"#microsoft.graph.call\",",
    "\"value\":[",
    "1e999",
    "\\u0000",
    "\\ud800",
    "\u{feff}",
    "\"a\":1,\"a\":2,",
];

/// One to four byte-level changes: flips, deletions, duplications, spliced tokens.
pub fn bytes(rng: &mut Rng, data: &mut Vec<u8>) {
    for _ in 0..=rng.below(4) {
        let at = rng.below(data.len() + 1);
        match rng.below(5) {
            0 if at < data.len() => data[at] ^= 1 << rng.below(8),
            1 if at < data.len() => {
                let end = (at + 1 + rng.below(16)).min(data.len());
                data.drain(at..end);
            }
            2 if at < data.len() => {
                let end = (at + 1 + rng.below(32)).min(data.len());
                let chunk = data[at..end].to_vec();
                let to = rng.below(data.len() + 1);
                data.splice(to..to, chunk);
            }
            _ => {
                let token = rng.pick(JSON_TOKENS).as_bytes();
                data.splice(at..at, token.iter().copied());
            }
        }
    }
}

/// Values that CSDL names and type references may be changed into.
const CSDL_NONSENSE: &[&str] = &[
    "",
    " ",
    "x y",
    "1abc",
    "self",
    "Edm.Nope",
    "Edm.String",
    "Collection(",
    "Collection(Collection(Edm.String))",
    "Collection()",
    "graph.",
    ".call",
    "microsoft.graph",
    "microsoft..graph.call",
    "type",
    "Self",
    "crate",
    "super",
    "__",
    "_",
    "é",
    "true",
    "-1",
    "99999999999999999999",
];

/// One structural change to a CSDL document, on its text (so that everything else stays as
/// it was): an element deleted, duplicated or moved into another; an attribute's value
/// changed to another name of the document, to the name of its own element, or to nonsense.
/// `None` when the text is not XML.
pub fn csdl(rng: &mut Rng, text: &str) -> Option<String> {
    let doc = roxmltree::Document::parse_with_options(
        text,
        roxmltree::ParsingOptions { allow_dtd: false, ..Default::default() },
    )
    .ok()?;
    let elements: Vec<roxmltree::Node> = doc.descendants().filter(|n| n.is_element()).skip(1).collect();
    if elements.is_empty() {
        return None;
    }
    // Names the document uses: qualified type names and plain names.
    let mut names: Vec<String> = Vec::new();
    for schema in doc.descendants().filter(|n| n.has_tag_name("Schema")) {
        let namespace = schema.attribute("Namespace").unwrap_or_default();
        for item in schema.children().filter(|n| n.is_element()) {
            if let Some(name) = item.attribute("Name") {
                names.push(format!("{namespace}.{name}"));
                names.push(format!("Collection({namespace}.{name})"));
                names.push(name.to_owned());
            }
        }
        names.push(namespace.to_owned());
    }
    // Elements deep in the document are many; favour those near the top some of the time so
    // that schemas, containers and types are changed too.
    let element = match rng.chance(30) {
        true => *rng.pick(&elements[..elements.len().min(64)]),
        false => *rng.pick(&elements),
    };
    let range = element.range();
    let mut out = text.to_owned();
    match rng.below(6) {
        0 => out.replace_range(range, ""),
        1 => out.insert_str(range.end, &text[range.clone()]),
        2 => {
            // Moved into another element (just after its start tag), if that one has children.
            let target = *rng.pick(&elements);
            let Some(first) = target.first_child() else { return Some(out) };
            let at = first.range().start;
            let moved = text[range.clone()].to_owned();
            if range.contains(&at) {
                return Some(out);
            }
            if at > range.start {
                out.insert_str(at, &moved);
                out.replace_range(range, "");
            } else {
                out.replace_range(range, "");
                out.insert_str(at, &moved);
            }
        }
        _ => {
            let attributes: Vec<roxmltree::Attribute> = element.attributes().collect();
            if attributes.is_empty() {
                return Some(out);
            }
            let attribute = rng.pick(&attributes);
            let own = element.attribute("Name").unwrap_or("x").to_owned();
            let value = match rng.below(3) {
                0 if !names.is_empty() => rng.pick(&names).clone(),
                1 => own,
                _ => rng.pick(CSDL_NONSENSE).to_string(),
            };
            let escaped = value.replace('&', "&amp;").replace('<', "&lt;").replace('"', "&quot;");
            out.replace_range(attribute.range_value(), &escaped);
        }
    }
    Some(out)
}
