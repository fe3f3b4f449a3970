//! Text-valued `Edm` types: exact text kept, parsed on request.

use super::EdmError;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Reads a JSON string for the `Edm` type it names, which errors mention.
struct TextVisitor(&'static str);

impl serde::de::Visitor<'_> for TextVisitor {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "an {} (a string)", self.0)
    }

    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<String, E> {
        Ok(text.to_owned())
    }

    fn visit_string<E: serde::de::Error>(self, text: String) -> Result<String, E> {
        Ok(text)
    }
}

macro_rules! edm_text {
    ($(#[$doc:meta])* $name:ident, $edm:literal) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        /// As its text.
        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.0)
            }
        }

        /// From a JSON string, kept as it is.
        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer.deserialize_string(TextVisitor($edm)).map($name)
            }
        }

        impl $name {
            /// The `Edm` type this stands for.
            pub const EDM_NAME: &'static str = $edm;

            /// A value from its text, kept exactly as given (see the parse method to check it).
            pub fn new(text: impl Into<String>) -> Self {
                $name(text.into())
            }

            /// The text, exactly as received or given.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The text, exactly as received or given.
            pub fn into_string(self) -> String {
                self.0
            }

            fn error(&self, reason: &'static str) -> EdmError {
                EdmError { edm_type: $edm, text: self.0.clone(), reason }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<String> for $name {
            fn from(text: String) -> Self {
                $name(text)
            }
        }

        impl From<&str> for $name {
            fn from(text: &str) -> Self {
                $name(text.to_owned())
            }
        }
    };
}

edm_text!(
    /// `Edm.DateTimeOffset`: an ISO 8601 date and time with offset, e.g.
    /// `2021-07-13T08:00:00.1234567Z`.
    DateTimeOffset,
    "Edm.DateTimeOffset"
);
edm_text!(
    /// `Edm.Date`: a calendar date, e.g. `2021-07-13`.
    Date,
    "Edm.Date"
);
edm_text!(
    /// `Edm.TimeOfDay`: a time of day, e.g. `08:30:00.0000000`.
    TimeOfDay,
    "Edm.TimeOfDay"
);
edm_text!(
    /// `Edm.Duration`: an ISO 8601 day-time duration, e.g. `PT1M30S`, `P1DT2H` or `-PT15M`.
    Duration,
    "Edm.Duration"
);
edm_text!(
    /// `Edm.Guid`: a GUID in its 8-4-4-4-12 hexadecimal form.
    Guid,
    "Edm.Guid"
);
edm_text!(
    /// `Edm.Binary`: bytes in base64 (URL-safe or standard, padded or not).
    Binary,
    "Edm.Binary"
);

/// The parts of an `Edm.Date`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DateParts {
    /// The year (proleptic Gregorian; negative before 1 BCE).
    pub year: i32,
    /// 1 to 12.
    pub month: u8,
    /// 1 to 31.
    pub day: u8,
}

/// The parts of an `Edm.TimeOfDay`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimeParts {
    /// 0 to 23.
    pub hour: u8,
    /// 0 to 59.
    pub minute: u8,
    /// 0 to 59.
    pub second: u8,
    /// Up to nine fractional digits of the second (Graph writes seven).
    pub nanosecond: u32,
}

/// The parts of an `Edm.DateTimeOffset`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DateTimeParts {
    /// The calendar date.
    pub date: DateParts,
    /// The time of day, at the offset.
    pub time: TimeParts,
    /// Minutes east of UTC (`Z` is 0).
    pub offset_minutes: i16,
}

impl DateTimeParts {
    /// Nanoseconds since 1970-01-01T00:00:00Z.
    pub fn unix_nanos(&self) -> i128 {
        let days = days_from_civil(self.date.year, self.date.month, self.date.day);
        let t = &self.time;
        let seconds = days * 86_400 + i64::from(t.hour) * 3600 + i64::from(t.minute) * 60 + i64::from(t.second)
            - i64::from(self.offset_minutes) * 60;
        i128::from(seconds) * 1_000_000_000 + i128::from(t.nanosecond)
    }

    /// The instant `nanos` nanoseconds after 1970-01-01T00:00:00Z, in UTC (`None` beyond the
    /// years an `i32` holds).
    pub fn from_unix_nanos(nanos: i128) -> Option<Self> {
        let seconds = i64::try_from(nanos.div_euclid(1_000_000_000)).ok()?;
        let nanosecond = nanos.rem_euclid(1_000_000_000) as u32;
        let (days, second_of_day) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
        let (year, month, day) = civil_from_days(days)?;
        let time = TimeParts {
            hour: (second_of_day / 3600) as u8,
            minute: (second_of_day % 3600 / 60) as u8,
            second: (second_of_day % 60) as u8,
            nanosecond,
        };
        Some(DateTimeParts { date: DateParts { year, month, day }, time, offset_minutes: 0 })
    }
}

/// The parts of an `Edm.Duration`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DurationParts {
    /// A duration before, not after (`-PT15M`).
    pub negative: bool,
    /// The `D` part.
    pub days: u64,
    /// The `H` part.
    pub hours: u64,
    /// The `M` part.
    pub minutes: u64,
    /// The whole seconds of the `S` part.
    pub seconds: u64,
    /// The fraction of the `S` part, in nanoseconds.
    pub nanoseconds: u32,
}

impl DurationParts {
    /// The signed length in nanoseconds.
    pub fn total_nanos(&self) -> i128 {
        let seconds = ((i128::from(self.days) * 24 + i128::from(self.hours)) * 60 + i128::from(self.minutes)) * 60
            + i128::from(self.seconds);
        let total = seconds * 1_000_000_000 + i128::from(self.nanoseconds);
        if self.negative { -total } else { total }
    }

    /// As a `std::time::Duration`; `None` when negative or too long.
    pub fn to_std(&self) -> Option<std::time::Duration> {
        let nanos = self.total_nanos();
        let nanos = u128::try_from(nanos).ok()?;
        let secs = u64::try_from(nanos / 1_000_000_000).ok()?;
        Some(std::time::Duration::new(secs, (nanos % 1_000_000_000) as u32))
    }
}

impl Date {
    /// The year, month and day, or why the text is not a date.
    pub fn parse(&self) -> Result<DateParts, EdmError> {
        parse_date(&self.0).ok_or_else(|| self.error("expected YYYY-MM-DD"))
    }
}

impl TimeOfDay {
    /// The hour, minute, second and fraction, or why the text is not a time of day.
    pub fn parse(&self) -> Result<TimeParts, EdmError> {
        parse_time(&self.0).ok_or_else(|| self.error("expected hh:mm[:ss[.fffffff]]"))
    }
}

impl DateTimeOffset {
    /// The date, time and offset, or why the text is not a date and time with an offset.
    pub fn parse(&self) -> Result<DateTimeParts, EdmError> {
        let error = || self.error("expected YYYY-MM-DDThh:mm[:ss[.fffffff]](Z|±hh:mm)");
        let (date, rest) = self.0.split_once(['T', 't']).ok_or_else(error)?;
        let date = parse_date(date).ok_or_else(error)?;
        let (time, offset_minutes) = if let Some(time) = rest.strip_suffix(['Z', 'z']) {
            (time, 0)
        } else {
            let at = rest.rfind(['+', '-']).ok_or_else(error)?;
            let (time, offset) = rest.split_at(at);
            let sign = if offset.starts_with('-') { -1 } else { 1 };
            let (h, m) = offset[1..].split_once(':').ok_or_else(error)?;
            let (h, m) = (two_digits(h).ok_or_else(error)?, two_digits(m).ok_or_else(error)?);
            if h > 23 || m > 59 {
                return Err(error());
            }
            (time, sign * (i16::from(h) * 60 + i16::from(m)))
        };
        let time = parse_time(time).ok_or_else(error)?;
        Ok(DateTimeParts { date, time, offset_minutes })
    }
}

impl Duration {
    /// The sign and parts, or why the text is not a day-time duration.
    pub fn parse(&self) -> Result<DurationParts, EdmError> {
        let error = || self.error("expected [-]P[nD][T[nH][nM][n[.f]S]]");
        // OData's durations take a `-` and no `+` (as XML Schema's).
        let (negative, text) = match self.0.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, self.0.as_str()),
        };
        let text = text.strip_prefix('P').ok_or_else(error)?;
        let (day_part, time_part) = match text.split_once('T') {
            Some((d, t)) if !t.is_empty() => (d, Some(t)),
            Some(_) => return Err(error()),
            None => (text, None),
        };
        let mut parts = DurationParts { negative, days: 0, hours: 0, minutes: 0, seconds: 0, nanoseconds: 0 };
        if !day_part.is_empty() {
            parts.days = day_part.strip_suffix('D').and_then(digits).ok_or_else(error)?;
        }
        let mut rest = time_part.unwrap_or("");
        for (unit, slot) in [('H', &mut parts.hours), ('M', &mut parts.minutes)] {
            if let Some(at) = rest.find(unit) {
                *slot = digits(&rest[..at]).ok_or_else(error)?;
                rest = &rest[at + 1..];
            }
        }
        if !rest.is_empty() {
            let seconds = rest.strip_suffix('S').ok_or_else(error)?;
            let (whole, fraction) = seconds.split_once('.').unwrap_or((seconds, ""));
            if seconds.contains('.') && fraction.is_empty() {
                return Err(error());
            }
            parts.seconds = digits(whole).ok_or_else(error)?;
            parts.nanoseconds = nanos(fraction).ok_or_else(error)?;
        }
        if day_part.is_empty() && time_part.is_none() {
            return Err(error());
        }
        Ok(parts)
    }
}

impl Guid {
    /// The GUID as a 128-bit number (its hexadecimal digits in order).
    pub fn to_u128(&self) -> Result<u128, EdmError> {
        hex_digits(&self.0, true).ok_or_else(|| self.error("expected 8-4-4-4-12 hexadecimal digits"))
    }

    /// The GUID of the number `value`, in the canonical form: 8-4-4-4-12 lowercase hexadecimal
    /// digits (`550fae72-d251-43ec-868c-373732c2704f`).
    pub fn from_u128(value: u128) -> Self {
        let hex = format!("{value:032x}");
        Guid(format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..]))
    }

    /// The same GUID in the canonical form, from any spelling Graph uses for one: 8-4-4-4-12
    /// or 32 digits, either case, in braces or not (a call id of a notification's URL,
    /// `57DAB8B1894C409AB240BD8BEAE78896`, is `57dab8b1-894c-409a-b240-bd8beae78896`).
    pub fn canonical(&self) -> Result<Guid, EdmError> {
        let text = self.0.strip_prefix('{').and_then(|t| t.strip_suffix('}')).unwrap_or(&self.0);
        let value = hex_digits(text, true).or_else(|| hex_digits(text, false));
        value.map(Guid::from_u128).ok_or_else(|| self.error("expected 32 hexadecimal digits, dashed 8-4-4-4-12 or not"))
    }
}

/// The number that a GUID's 32 hexadecimal digits (either case) spell: in the 8-4-4-4-12 form
/// when `dashed`, else without dashes. Nothing else is taken: no sign, no spaces.
pub(crate) fn hex_digits(text: &str, dashed: bool) -> Option<u128> {
    const DASHES: [usize; 4] = [8, 13, 18, 23];
    let bytes = text.as_bytes();
    if bytes.len() != if dashed { 36 } else { 32 } {
        return None;
    }
    let mut value = 0u128;
    for (at, byte) in bytes.iter().enumerate() {
        if dashed && DASHES.contains(&at) {
            if *byte != b'-' {
                return None;
            }
            continue;
        }
        value = value << 4 | u128::from((*byte as char).to_digit(16)?);
    }
    Some(value)
}

impl Binary {
    /// `bytes` in standard base64 (`+` and `/`, padded with `=`), as Graph writes
    /// `encryptedContent`.
    pub fn encode_standard(bytes: &[u8]) -> Self {
        Binary(encode_base64(bytes, b"+/", true))
    }

    /// `bytes` in URL-safe base64 (`-` and `_`, not padded), as OData's JSON format and JSON
    /// Web Tokens write it.
    pub fn encode_url_safe(bytes: &[u8]) -> Self {
        Binary(encode_base64(bytes, b"-_", false))
    }

    /// The bytes.
    pub fn decode(&self) -> Result<Vec<u8>, EdmError> {
        let mut bits = 0u32;
        let mut count = 0;
        let mut out = Vec::with_capacity(self.0.len() * 3 / 4);
        for c in self.0.trim_end_matches('=').bytes() {
            let value = match c {
                b'A'..=b'Z' => c - b'A',
                b'a'..=b'z' => c - b'a' + 26,
                b'0'..=b'9' => c - b'0' + 52,
                b'-' | b'+' => 62,
                b'_' | b'/' => 63,
                _ => return Err(self.error("not base64")),
            };
            bits = (bits << 6) | u32::from(value);
            count += 6;
            if count >= 8 {
                count -= 8;
                out.push((bits >> count) as u8);
            }
        }
        if count >= 6 {
            return Err(self.error("base64 of a wrong length"));
        }
        Ok(out)
    }
}

/// Base64 of `bytes` with `last_two` as the 63rd and 64th digits, padded to whole groups of
/// four with `=` if `pad`.
fn encode_base64(bytes: &[u8], last_two: &[u8; 2], pad: bool) -> String {
    const DIGITS: &[u8; 62] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let digit = |value: u32| match value as usize {
        v @ 0..62 => DIGITS[v] as char,
        v => last_two[v - 62] as char,
    };
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let group = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(digit(group >> (18 - 6 * i) & 63));
        }
        if pad {
            out.extend(std::iter::repeat_n('=', 3 - chunk.len()));
        }
    }
    out
}

fn digits<T: std::str::FromStr>(text: &str) -> Option<T> {
    (!text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())).then(|| text.parse().ok()).flatten()
}

fn two_digits(text: &str) -> Option<u8> {
    (text.len() == 2).then(|| digits(text)).flatten()
}

/// Up to nine fractional digits, as nanoseconds (further digits must be there to be ignored).
fn nanos(fraction: &str) -> Option<u32> {
    if fraction.is_empty() {
        return Some(0);
    }
    if !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let nine: String = fraction.chars().chain(std::iter::repeat('0')).take(9).collect();
    nine.parse().ok()
}

fn parse_date(text: &str) -> Option<DateParts> {
    let (year, rest) = text.rsplit_once('-').and_then(|(ym, d)| Some((ym.rsplit_once('-')?, d)))?;
    let ((year, month), day) = (year, rest);
    let negative = year.starts_with('-');
    let year: i32 = digits::<i32>(year.trim_start_matches('-')).filter(|_| year.trim_start_matches('-').len() >= 4)?;
    let (month, day) = (two_digits(month)?, two_digits(day)?);
    is_date(year, month, day).then_some(DateParts { year: if negative { -year } else { year }, month, day })
}

/// Whether `day` of `month` (1–12) is a day of `year`, in the proleptic Gregorian calendar.
pub(crate) fn is_date(year: i32, month: u8, day: u8) -> bool {
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days_in_month = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    (1..=12).contains(&month) && day >= 1 && day <= days_in_month[usize::from(month) - 1]
}

fn parse_time(text: &str) -> Option<TimeParts> {
    let mut fields = text.splitn(3, ':');
    let hour = two_digits(fields.next()?)?;
    let minute = two_digits(fields.next()?)?;
    let (second, nanosecond) = match fields.next() {
        None => (0, 0),
        Some(seconds) => {
            let (whole, fraction) = seconds.split_once('.').unwrap_or((seconds, ""));
            if seconds.contains('.') && fraction.is_empty() {
                return None;
            }
            (two_digits(whole)?, nanos(fraction)?)
        }
    };
    // A second of 60 is a leap second, which OData's grammar allows.
    (hour < 24 && minute < 60 && second <= 60).then_some(TimeParts { hour, minute, second, nanosecond })
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub(crate) fn days_from_civil(year: i32, month: u8, day: u8) -> i64 {
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The proleptic Gregorian date `days` after 1970-01-01 (the inverse of `days_from_civil`).
fn civil_from_days(days: i64) -> Option<(i32, u8, u8)> {
    let z = days.checked_add(719_468)?;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = yoe + era * 400 + i64::from(month <= 2);
    Some((i32::try_from(year).ok()?, month, day))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_values_keep_their_exact_text() {
        for text in ["\"2018-09-06T15:58:41.1234567Z\"", "\"-PT15M\"", "\"not a date at all\""] {
            let value: DateTimeOffset = serde_json::from_str(text).unwrap();
            assert_eq!(serde_json::to_string(&value).unwrap(), text);
        }
        assert_eq!(Guid::new("x").to_string(), "x");
        assert_eq!(Duration::from("PT1S").into_string(), "PT1S");
        assert_eq!(Date::EDM_NAME, "Edm.Date");
        assert!(serde_json::from_str::<Date>("20210713").is_err());
    }

    #[test]
    fn date_time_offsets_parse_with_seven_digit_fractions_and_offsets() {
        let parts = DateTimeOffset::new("2018-09-06T15:58:41.1234567Z").parse().unwrap();
        assert_eq!(parts.date, DateParts { year: 2018, month: 9, day: 6 });
        assert_eq!(parts.time, TimeParts { hour: 15, minute: 58, second: 41, nanosecond: 123_456_700 });
        assert_eq!(parts.offset_minutes, 0);
        let shifted = DateTimeOffset::new("2018-09-06T17:58:41.1234567+02:00").parse().unwrap();
        assert_eq!(shifted.unix_nanos(), parts.unix_nanos());
        assert_eq!(DateTimeOffset::new("1970-01-01T00:00:00Z").parse().unwrap().unix_nanos(), 0);
        assert_eq!(DateTimeOffset::new("2021-07-13T08:00-07:30").parse().unwrap().offset_minutes, -450);
        // Back from nanoseconds, in UTC: every day of 400 years and instants before 1970.
        for days in (-146_097 * 3..146_097).step_by(97) {
            let nanos = i128::from(days) * 86_400_000_000_000 + 3_723_000_000_123;
            let back = DateTimeParts::from_unix_nanos(nanos).unwrap();
            assert_eq!((back.unix_nanos(), back.offset_minutes), (nanos, 0), "{back:?}");
        }
        assert_eq!(DateTimeParts::from_unix_nanos(parts.unix_nanos()), Some(parts));
        let before = DateTimeParts::from_unix_nanos(-1).unwrap();
        assert_eq!((before.date.year, before.time.second, before.time.nanosecond), (1969, 59, 999_999_999));
        assert_eq!(DateTimeParts::from_unix_nanos(i128::MAX), None);
        for bad in ["2018-02-30T00:00:00Z", "2018-09-06 15:58:41Z", "2018-09-06T25:00:00Z", "2018-09-06T15:58:41", "x"]
        {
            let err = DateTimeOffset::new(bad).parse().unwrap_err();
            assert_eq!((err.edm_type, err.text.as_str()), ("Edm.DateTimeOffset", bad));
        }
    }

    #[test]
    fn durations_parse_negative_and_fractional() {
        let d = Duration::new("-PT15M").parse().unwrap();
        assert!(d.negative);
        assert_eq!(d.total_nanos(), -15 * 60 * 1_000_000_000);
        assert_eq!(d.to_std(), None);
        let d = Duration::new("P1DT2H3M4.5S").parse().unwrap();
        assert_eq!(d.to_std(), Some(std::time::Duration::from_millis(((24 + 2) * 3600 + 3 * 60 + 4) * 1000 + 500)));
        assert_eq!(Duration::new("PT0.0000001S").parse().unwrap().nanoseconds, 100);
        for bad in ["P", "PT", "15M", "P1Y", "PT1.S", "PTM"] {
            assert!(Duration::new(bad).parse().is_err(), "{bad}");
        }
    }

    #[test]
    fn dates_times_guids_and_binary() {
        assert_eq!(Date::new("2020-02-29").parse().unwrap().day, 29);
        assert!(Date::new("2021-02-29").parse().is_err());
        assert_eq!(TimeOfDay::new("08:30:00.0000000").parse().unwrap().minute, 30);
        assert_eq!(TimeOfDay::new("23:59").parse().unwrap().second, 0);
        assert!(TimeOfDay::new("24:00:00").parse().is_err());
        let guid = Guid::new("550fae72-d251-43ec-868c-373732c2704f");
        assert_eq!(guid.to_u128().unwrap(), 0x550fae72_d251_43ec_868c_373732c2704f);
        assert!(Guid::new("550fae72d25143ec868c373732c2704f").to_u128().is_err());
        // The canonical form, from every spelling; and back from the number.
        for spelling in ["550FAE72D25143EC868C373732C2704F", "{550fae72-D251-43ec-868c-373732c2704f}", guid.as_str()] {
            assert_eq!(Guid::new(spelling).canonical().unwrap(), guid, "{spelling}");
        }
        assert_eq!(Guid::from_u128(0x550fae72_d251_43ec_868c_373732c2704f), guid);
        assert_eq!(Guid::from_u128(1).as_str(), "00000000-0000-0000-0000-000000000001");
        for bad in
            ["", "550fae72-d251-43ec-868c", "550fae72d25143ec868c373732c2704g", "{550fae72d25143ec868c373732c2704f"]
        {
            assert!(Guid::new(bad).canonical().is_err(), "{bad}");
        }
        assert_eq!(Binary::new("AAEC").decode().unwrap(), [0, 1, 2]);
        assert_eq!(Binary::new("_-8").decode().unwrap(), Binary::new("/+8=").decode().unwrap());
        assert!(Binary::new("A").decode().is_err());
        assert!(Binary::new("A*==").decode().is_err());
        // Written in both alphabets, read back; the RFC 4648 examples.
        let bytes: Vec<u8> = (0..=255).rev().collect();
        for len in 0..12 {
            for encoded in [Binary::encode_standard(&bytes[..len]), Binary::encode_url_safe(&bytes[..len])] {
                assert_eq!(encoded.decode().unwrap(), &bytes[..len], "{encoded:?}");
            }
        }
        assert_eq!(Binary::encode_standard(b"fo").as_str(), "Zm8=");
        assert_eq!(Binary::encode_standard(b"foobar").as_str(), "Zm9vYmFy");
        assert_eq!(Binary::encode_standard(&[0xfb, 0xff]).as_str(), "+/8=");
        assert_eq!(Binary::encode_url_safe(&[0xfb, 0xff]).as_str(), "-_8");
        for len in 0..40 {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + 11) as u8).collect();
            assert_eq!(Binary::encode_standard(&bytes).decode().unwrap(), bytes, "{len}");
        }
        assert_eq!(Binary::encode_standard(b"Man").as_str(), "TWFu");
        assert_eq!(Binary::encode_standard(b"Ma").as_str(), "TWE=");
    }
}
