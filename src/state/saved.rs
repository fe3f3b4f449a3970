//! The tracker's saved state: what [`Tracker::save`](crate::v1_0::tracker::Tracker::save) writes
//! and `restore` reads, and the positioned errors of reading it.

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The version of the saved state this crate writes and reads.
pub const VERSION: u64 = 1;

/// Why saved state does not restore: where (a JSON path, `$.calls[2].roster[0].participant`),
/// and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RestoreError {
    /// The JSON path of the member at fault.
    pub path: String,
    /// What is wrong with it.
    pub reason: String,
}

impl fmt::Display for RestoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "saved tracker state at {}: {}", self.path, self.reason)
    }
}

impl std::error::Error for RestoreError {}

/// A time as saved: nanoseconds since the Unix epoch (negative before it), or `null`.
pub(crate) fn time(time: Option<SystemTime>) -> Value {
    let Some(time) = time else { return Value::Null };
    let nanos = match time.duration_since(UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_nanos()).unwrap_or(i64::MAX),
        Err(before) => i64::try_from(before.duration().as_nanos()).map_or(i64::MIN, |n| -n),
    };
    Value::from(nanos)
}

/// A duration as saved: nanoseconds.
pub(crate) fn duration(duration: Duration) -> Value {
    Value::from(u64::try_from(duration.as_nanos()).unwrap_or(u64::MAX))
}

/// An integer as Graph writes an `Int64`: a JSON number, or a string of one.
pub(crate) fn integer(value: &Value) -> Result<i64, String> {
    match value {
        Value::Number(n) => n.as_i64().ok_or_else(|| format!("{n} is not a 64-bit integer")),
        Value::String(text) => text.parse().map_err(|_| format!("{text:?} is not an integer")),
        other => Err(format!("expected an integer, found {other}")),
    }
}

/// An object of the saved state, with its JSON path.
pub(crate) struct Reader<'a> {
    object: &'a Map<String, Value>,
    path: String,
}

impl<'a> Reader<'a> {
    /// The saved state's root.
    pub(crate) fn root(value: &'a Value) -> Result<Self, RestoreError> {
        match value {
            Value::Object(object) => Ok(Reader { object, path: "$".into() }),
            _ => Err(RestoreError { path: "$".into(), reason: "expected an object".into() }),
        }
    }

    /// An error at member `key`.
    pub(crate) fn error(&self, key: &str, reason: impl Into<String>) -> RestoreError {
        RestoreError { path: format!("{}.{key}", self.path), reason: reason.into() }
    }

    fn get(&self, key: &str) -> Result<&'a Value, RestoreError> {
        self.object.get(key).ok_or_else(|| self.error(key, "missing"))
    }

    pub(crate) fn u64(&self, key: &str) -> Result<u64, RestoreError> {
        self.get(key)?.as_u64().ok_or_else(|| self.error(key, "expected a whole number"))
    }

    pub(crate) fn optional_i64(&self, key: &str) -> Result<Option<i64>, RestoreError> {
        match self.get(key)? {
            Value::Null => Ok(None),
            value => value.as_i64().map(Some).ok_or_else(|| self.error(key, "expected an integer or null")),
        }
    }

    pub(crate) fn bool(&self, key: &str) -> Result<bool, RestoreError> {
        self.get(key)?.as_bool().ok_or_else(|| self.error(key, "expected true or false"))
    }

    pub(crate) fn str(&self, key: &str) -> Result<&'a str, RestoreError> {
        self.get(key)?.as_str().ok_or_else(|| self.error(key, "expected a string"))
    }

    /// A string member that may be absent.
    pub(crate) fn optional_str(&self, key: &str) -> Result<Option<&'a str>, RestoreError> {
        match self.object.get(key) {
            None => Ok(None),
            Some(value) => value.as_str().map(Some).ok_or_else(|| self.error(key, "expected a string")),
        }
    }

    pub(crate) fn object(&self, key: &str) -> Result<Reader<'a>, RestoreError> {
        match self.get(key)? {
            Value::Object(object) => Ok(Reader { object, path: format!("{}.{key}", self.path) }),
            _ => Err(self.error(key, "expected an object")),
        }
    }

    /// The objects of an array member.
    pub(crate) fn array(&self, key: &str) -> Result<Vec<Reader<'a>>, RestoreError> {
        let Value::Array(items) = self.get(key)? else { return Err(self.error(key, "expected an array")) };
        items
            .iter()
            .enumerate()
            .map(|(i, item)| match item {
                Value::Object(object) => Ok(Reader { object, path: format!("{}.{key}[{i}]", self.path) }),
                _ => {
                    Err(RestoreError { path: format!("{}.{key}[{i}]", self.path), reason: "expected an object".into() })
                }
            })
            .collect()
    }

    pub(crate) fn duration(&self, key: &str) -> Result<Duration, RestoreError> {
        Ok(Duration::from_nanos(self.u64(key)?))
    }

    pub(crate) fn time(&self, key: &str) -> Result<Option<SystemTime>, RestoreError> {
        match self.get(key)? {
            Value::Null => Ok(None),
            value => {
                let nanos = value.as_i64().ok_or_else(|| self.error(key, "expected nanoseconds since 1970 or null"))?;
                let magnitude = Duration::from_nanos(nanos.unsigned_abs());
                let time = match nanos >= 0 {
                    true => UNIX_EPOCH.checked_add(magnitude),
                    false => UNIX_EPOCH.checked_sub(magnitude),
                };
                time.map(Some).ok_or_else(|| self.error(key, "a time this system cannot hold"))
            }
        }
    }

    /// A member decoded as the generated type `T` (a call, a participant), losslessly.
    pub(crate) fn decode<T: DeserializeOwned>(&self, key: &str) -> Result<T, RestoreError> {
        T::deserialize(self.get(key)?).map_err(|e| self.error(key, e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn times_and_durations_keep_every_nanosecond() {
        let reader = |value: &Value| {
            let root = Reader::root(value).unwrap();
            root.time("t")
        };
        for time in [UNIX_EPOCH + Duration::new(1_765_000_000, 123_456_789), UNIX_EPOCH - Duration::new(5, 1)] {
            assert_eq!(reader(&json!({"t": super::time(Some(time))})).unwrap(), Some(time));
        }
        assert_eq!(reader(&json!({"t": null})).unwrap(), None);
        let d = Duration::new(900, 5);
        assert_eq!(Reader::root(&json!({"d": duration(d)})).unwrap().duration("d").unwrap(), d);
    }

    #[test]
    fn errors_say_where() {
        let value = json!({"calls": [{"id": "a"}, {"id": 5}], "n": "x"});
        let root = Reader::root(&value).unwrap();
        let calls = root.array("calls").unwrap();
        assert_eq!(
            calls[1].str("id").unwrap_err().to_string(),
            "saved tracker state at $.calls[1].id: expected a string"
        );
        assert_eq!(root.u64("n").unwrap_err().path, "$.n");
        assert_eq!(root.bool("missing").unwrap_err().reason, "missing");
        assert_eq!(Reader::root(&json!([])).err().unwrap().path, "$");
        assert_eq!(integer(&json!("12")), Ok(12));
        assert!(integer(&json!(1.5)).is_err());
    }
}
