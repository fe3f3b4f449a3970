//! `Edm` text values to and from the time and id types of `chrono`, `time` and `uuid` (each
//! behind the cargo feature of the same name), through their parts. Text → type can fail (the
//! text is not of its form, or out of the type's range) and gives an [`EdmError`]; type → text
//! always works and writes the canonical form (`2021-07-13T08:00:00.5+05:30`, `-PT15M`).
//! Fractional seconds beyond nanoseconds are cut, not rounded.

#[cfg(any(feature = "chrono", feature = "time", feature = "uuid"))]
use super::EdmError;
use super::{Date, DateParts, DateTimeOffset, DateTimeParts, Duration, TimeOfDay, TimeParts};

impl DateTimeOffset {
    /// The text of `parts`: `YYYY-MM-DDThh:mm:ss[.f]` and `Z` or `±hh:mm`.
    pub fn from_parts(parts: DateTimeParts) -> Self {
        let offset = match parts.offset_minutes {
            0 => "Z".to_owned(),
            m => format!("{}{:02}:{:02}", if m < 0 { '-' } else { '+' }, m.unsigned_abs() / 60, m.unsigned_abs() % 60),
        };
        DateTimeOffset::new(format!("{}T{}{offset}", date_text(parts.date), time_text(parts.time)))
    }
}

impl Date {
    /// The text of `parts`: `YYYY-MM-DD` (`-0044-03-15` before year 0).
    pub fn from_parts(parts: DateParts) -> Self {
        Date::new(date_text(parts))
    }
}

impl TimeOfDay {
    /// The text of `parts`: `hh:mm:ss[.f]`.
    pub fn from_parts(parts: TimeParts) -> Self {
        TimeOfDay::new(time_text(parts))
    }
}

impl Duration {
    /// The duration of `nanos` nanoseconds (negative: before): `P1DT2H3M4.5S`, `-PT15M`, `PT0S`.
    pub fn from_nanos(nanos: i128) -> Self {
        let sign = if nanos < 0 { "-" } else { "" };
        let nanos = nanos.unsigned_abs();
        let (seconds, fraction) = (nanos / 1_000_000_000, (nanos % 1_000_000_000) as u32);
        let (days, hours, minutes, seconds) =
            (seconds / 86_400, seconds % 86_400 / 3600, seconds % 3600 / 60, seconds % 60);
        let mut text = format!("{sign}P");
        if days > 0 {
            text.push_str(&format!("{days}D"));
        }
        if hours > 0 || minutes > 0 || seconds > 0 || fraction > 0 || days == 0 {
            text.push('T');
            if hours > 0 {
                text.push_str(&format!("{hours}H"));
            }
            if minutes > 0 {
                text.push_str(&format!("{minutes}M"));
            }
            if seconds > 0 || fraction > 0 || (hours == 0 && minutes == 0) {
                text.push_str(&format!("{seconds}{}S", fraction_text(fraction)));
            }
        }
        Duration::new(text)
    }
}

fn date_text(date: DateParts) -> String {
    match date.year < 0 {
        true => format!("-{:04}-{:02}-{:02}", date.year.unsigned_abs(), date.month, date.day),
        false => format!("{:04}-{:02}-{:02}", date.year, date.month, date.day),
    }
}

fn time_text(time: TimeParts) -> String {
    format!("{:02}:{:02}:{:02}{}", time.hour, time.minute, time.second, fraction_text(time.nanosecond))
}

/// `.5` for 500 000 000 ns, nothing for 0.
fn fraction_text(nanos: u32) -> String {
    match nanos {
        0 => String::new(),
        n => format!(".{:09}", n).trim_end_matches('0').to_owned(),
    }
}

#[cfg(any(feature = "chrono", feature = "time"))]
fn out_of_range(edm_type: &'static str, text: &str, reason: &'static str) -> EdmError {
    EdmError { edm_type, text: text.to_owned(), reason }
}

#[cfg(feature = "chrono")]
mod with_chrono {
    use super::*;
    use chrono::{Datelike, FixedOffset, NaiveDate, NaiveTime, TimeDelta, TimeZone, Timelike};

    fn naive_date(parts: DateParts, text: &str, edm: &'static str) -> Result<NaiveDate, EdmError> {
        NaiveDate::from_ymd_opt(parts.year, u32::from(parts.month), u32::from(parts.day))
            .ok_or_else(|| out_of_range(edm, text, "not a date chrono can hold"))
    }

    fn naive_time(parts: TimeParts, text: &str, edm: &'static str) -> Result<NaiveTime, EdmError> {
        let (h, m, s) = (u32::from(parts.hour), u32::from(parts.minute), u32::from(parts.second));
        // chrono writes a leap second as second 59 with a nanosecond of 10⁹ or more.
        let (s, nanosecond) = match s {
            60 => (59, 1_000_000_000 + parts.nanosecond),
            s => (s, parts.nanosecond),
        };
        NaiveTime::from_hms_nano_opt(h, m, s, nanosecond).ok_or_else(|| out_of_range(edm, text, "not a time"))
    }

    fn date_parts(date: NaiveDate) -> DateParts {
        DateParts { year: date.year(), month: date.month() as u8, day: date.day() as u8 }
    }

    fn time_parts(time: NaiveTime) -> TimeParts {
        // A leap second (nanosecond ≥ 10⁹ in chrono) is written as second 59 and its fraction.
        let nanosecond = time.nanosecond().min(999_999_999);
        TimeParts { hour: time.hour() as u8, minute: time.minute() as u8, second: time.second() as u8, nanosecond }
    }

    impl TryFrom<&DateTimeOffset> for chrono::DateTime<FixedOffset> {
        type Error = EdmError;

        /// The instant at its offset.
        fn try_from(value: &DateTimeOffset) -> Result<Self, EdmError> {
            let parts = value.parse()?;
            let (edm, text) = ("Edm.DateTimeOffset", value.as_str());
            let date = naive_date(parts.date, text, edm)?;
            let time = naive_time(parts.time, text, edm)?;
            let offset = FixedOffset::east_opt(i32::from(parts.offset_minutes) * 60)
                .ok_or_else(|| out_of_range(edm, text, "not an offset"))?;
            offset
                .from_local_datetime(&date.and_time(time))
                .single()
                .ok_or_else(|| out_of_range(edm, text, "not an instant chrono can hold"))
        }
    }

    impl<Tz: TimeZone> From<chrono::DateTime<Tz>> for DateTimeOffset {
        /// The instant at its offset from UTC.
        fn from(value: chrono::DateTime<Tz>) -> Self {
            let fixed = value.fixed_offset();
            let local = fixed.naive_local();
            let offset_minutes = (fixed.offset().local_minus_utc() / 60) as i16;
            DateTimeOffset::from_parts(DateTimeParts {
                date: date_parts(local.date()),
                time: time_parts(local.time()),
                offset_minutes,
            })
        }
    }

    impl TryFrom<&Date> for NaiveDate {
        type Error = EdmError;

        fn try_from(value: &Date) -> Result<Self, EdmError> {
            naive_date(value.parse()?, value.as_str(), "Edm.Date")
        }
    }

    impl From<NaiveDate> for Date {
        fn from(value: NaiveDate) -> Self {
            Date::from_parts(date_parts(value))
        }
    }

    impl TryFrom<&TimeOfDay> for NaiveTime {
        type Error = EdmError;

        fn try_from(value: &TimeOfDay) -> Result<Self, EdmError> {
            naive_time(value.parse()?, value.as_str(), "Edm.TimeOfDay")
        }
    }

    impl From<NaiveTime> for TimeOfDay {
        fn from(value: NaiveTime) -> Self {
            TimeOfDay::from_parts(time_parts(value))
        }
    }

    impl TryFrom<&Duration> for TimeDelta {
        type Error = EdmError;

        fn try_from(value: &Duration) -> Result<Self, EdmError> {
            let nanos = value.parse()?.total_nanos();
            let (seconds, fraction) = (nanos.div_euclid(1_000_000_000), nanos.rem_euclid(1_000_000_000) as u32);
            i64::try_from(seconds)
                .ok()
                .and_then(|seconds| TimeDelta::new(seconds, fraction))
                .ok_or_else(|| out_of_range("Edm.Duration", value.as_str(), "longer than chrono can hold"))
        }
    }

    impl From<TimeDelta> for Duration {
        fn from(value: TimeDelta) -> Self {
            Duration::from_nanos(i128::from(value.num_seconds()) * 1_000_000_000 + i128::from(value.subsec_nanos()))
        }
    }
}

#[cfg(feature = "time")]
mod with_time {
    use super::*;

    fn date(parts: DateParts, text: &str, edm: &'static str) -> Result<time::Date, EdmError> {
        let month = time::Month::try_from(parts.month).map_err(|_| out_of_range(edm, text, "not a month"))?;
        time::Date::from_calendar_date(parts.year, month, parts.day)
            .map_err(|_| out_of_range(edm, text, "not a date the time crate can hold"))
    }

    fn time_of_day(parts: TimeParts, text: &str, edm: &'static str) -> Result<time::Time, EdmError> {
        time::Time::from_hms_nano(parts.hour, parts.minute, parts.second, parts.nanosecond)
            .map_err(|_| out_of_range(edm, text, "not a time"))
    }

    fn date_parts(date: time::Date) -> DateParts {
        DateParts { year: date.year(), month: u8::from(date.month()), day: date.day() }
    }

    fn time_parts(time: time::Time) -> TimeParts {
        TimeParts { hour: time.hour(), minute: time.minute(), second: time.second(), nanosecond: time.nanosecond() }
    }

    impl TryFrom<&DateTimeOffset> for time::OffsetDateTime {
        type Error = EdmError;

        /// The instant at its offset.
        fn try_from(value: &DateTimeOffset) -> Result<Self, EdmError> {
            let parts = value.parse()?;
            let (edm, text) = ("Edm.DateTimeOffset", value.as_str());
            let offset = time::UtcOffset::from_whole_seconds(i32::from(parts.offset_minutes) * 60)
                .map_err(|_| out_of_range(edm, text, "not an offset"))?;
            let local = time::PrimitiveDateTime::new(date(parts.date, text, edm)?, time_of_day(parts.time, text, edm)?);
            Ok(local.assume_offset(offset))
        }
    }

    impl From<time::OffsetDateTime> for DateTimeOffset {
        fn from(value: time::OffsetDateTime) -> Self {
            DateTimeOffset::from_parts(DateTimeParts {
                date: date_parts(value.date()),
                time: time_parts(value.time()),
                offset_minutes: (value.offset().whole_seconds() / 60) as i16,
            })
        }
    }

    impl TryFrom<&Date> for time::Date {
        type Error = EdmError;

        fn try_from(value: &Date) -> Result<Self, EdmError> {
            date(value.parse()?, value.as_str(), "Edm.Date")
        }
    }

    impl From<time::Date> for Date {
        fn from(value: time::Date) -> Self {
            Date::from_parts(date_parts(value))
        }
    }

    impl TryFrom<&TimeOfDay> for time::Time {
        type Error = EdmError;

        fn try_from(value: &TimeOfDay) -> Result<Self, EdmError> {
            time_of_day(value.parse()?, value.as_str(), "Edm.TimeOfDay")
        }
    }

    impl From<time::Time> for TimeOfDay {
        fn from(value: time::Time) -> Self {
            TimeOfDay::from_parts(time_parts(value))
        }
    }

    impl TryFrom<&Duration> for time::Duration {
        type Error = EdmError;

        fn try_from(value: &Duration) -> Result<Self, EdmError> {
            let nanos = value.parse()?.total_nanos();
            // `time::Duration` keeps the sign on both parts.
            let (seconds, fraction) = (nanos / 1_000_000_000, (nanos % 1_000_000_000) as i32);
            i64::try_from(seconds)
                .map(|seconds| time::Duration::new(seconds, fraction))
                .map_err(|_| out_of_range("Edm.Duration", value.as_str(), "longer than the time crate can hold"))
        }
    }

    impl From<time::Duration> for Duration {
        fn from(value: time::Duration) -> Self {
            Duration::from_nanos(value.whole_nanoseconds())
        }
    }
}

#[cfg(feature = "uuid")]
mod with_uuid {
    use super::super::Guid;
    use super::*;

    impl TryFrom<&Guid> for uuid::Uuid {
        type Error = EdmError;

        fn try_from(value: &Guid) -> Result<Self, EdmError> {
            Ok(uuid::Uuid::from_u128(value.to_u128()?))
        }
    }

    impl From<uuid::Uuid> for Guid {
        /// The hyphenated lower-case form.
        fn from(value: uuid::Uuid) -> Self {
            Guid::new(value.hyphenated().to_string())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_written_in_the_canonical_form() {
        let dt = DateTimeOffset::new("2021-07-13T08:00:00.5000000+05:30");
        assert_eq!(DateTimeOffset::from_parts(dt.parse().unwrap()).as_str(), "2021-07-13T08:00:00.5+05:30");
        let dt = DateTimeOffset::new("-0044-03-15T12:00:00-01:00");
        assert_eq!(DateTimeOffset::from_parts(dt.parse().unwrap()).as_str(), "-0044-03-15T12:00:00-01:00");
        assert_eq!(Duration::from_nanos(0).as_str(), "PT0S");
        assert_eq!(Duration::from_nanos(-15 * 60 * 1_000_000_000).as_str(), "-PT15M");
        assert_eq!(Duration::from_nanos(((86_400 + 7_384) * 1_000_000_000) + 500_000_000).as_str(), "P1DT2H3M4.5S");
        assert_eq!(Duration::from_nanos(2 * 86_400 * 1_000_000_000).as_str(), "P2D");
        for text in ["PT0S", "-PT15M", "P1DT2H3M4.5S", "P2D", "PT0.000000001S"] {
            let d = Duration::new(text);
            assert_eq!(Duration::from_nanos(d.parse().unwrap().total_nanos()).as_str(), text);
        }
    }

    /// Edge values every conversion must carry: offsets, fractions beyond nanoseconds (cut),
    /// negative durations, years before 1970.
    #[cfg(any(feature = "chrono", feature = "time"))]
    const EDGES: &[&str] = &[
        "2021-07-13T08:00:00.1234567Z",
        "1969-12-31T23:59:59.9999999Z",
        "1601-01-01T00:00:00Z",
        "2021-07-13T08:00:00.123456789123+05:30",
        "2021-07-13T23:30:00-12:00",
    ];

    #[cfg(feature = "chrono")]
    #[test]
    fn chrono_both_ways() {
        use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, TimeDelta};
        for text in EDGES {
            let value = DateTimeOffset::new(*text);
            let instant = DateTime::<FixedOffset>::try_from(&value).unwrap();
            let nanos = i128::from(instant.timestamp()) * 1_000_000_000 + i128::from(instant.timestamp_subsec_nanos());
            assert_eq!(nanos, value.parse().unwrap().unix_nanos(), "{text}");
            let back = DateTimeOffset::from(instant);
            assert_eq!(back.parse().unwrap().unix_nanos(), value.parse().unwrap().unix_nanos(), "{text}");
            assert_eq!(back.parse().unwrap().offset_minutes, value.parse().unwrap().offset_minutes);
        }
        let cut = DateTime::<FixedOffset>::try_from(&DateTimeOffset::new("2021-07-13T08:00:00.123456789999Z")).unwrap();
        assert_eq!(chrono::Timelike::nanosecond(&cut), 123_456_789, "beyond nanoseconds is cut");
        assert!(DateTime::<FixedOffset>::try_from(&DateTimeOffset::new("2021-02-30T00:00:00Z")).is_err());
        assert!(DateTime::<FixedOffset>::try_from(&DateTimeOffset::new("not a date")).is_err());

        let date = NaiveDate::try_from(&Date::new("1969-07-20")).unwrap();
        assert_eq!(Date::from(date).as_str(), "1969-07-20");
        let time = NaiveTime::try_from(&TimeOfDay::new("08:30:00.0000001")).unwrap();
        assert_eq!(TimeOfDay::from(time).as_str(), "08:30:00.0000001");

        let negative = TimeDelta::try_from(&Duration::new("-PT1.5S")).unwrap();
        assert_eq!(negative.num_milliseconds(), -1500);
        assert_eq!(Duration::from(negative).as_str(), "-PT1.5S");
        assert_eq!(Duration::from(TimeDelta::try_from(&Duration::new("P1DT2H")).unwrap()).as_str(), "P1DT2H");
        assert!(TimeDelta::try_from(&Duration::new("P99999999999999D")).is_err(), "too long for chrono");
    }

    #[cfg(feature = "time")]
    #[test]
    fn time_both_ways() {
        use time::OffsetDateTime;
        for text in EDGES {
            let value = DateTimeOffset::new(*text);
            let instant = OffsetDateTime::try_from(&value).unwrap();
            assert_eq!(instant.unix_timestamp_nanos(), value.parse().unwrap().unix_nanos(), "{text}");
            let back = DateTimeOffset::from(instant);
            assert_eq!(back.parse().unwrap().unix_nanos(), value.parse().unwrap().unix_nanos(), "{text}");
            assert_eq!(back.parse().unwrap().offset_minutes, value.parse().unwrap().offset_minutes);
        }
        assert!(OffsetDateTime::try_from(&DateTimeOffset::new("2021-13-01T00:00:00Z")).is_err());
        let date = time::Date::try_from(&Date::new("1600-02-29")).unwrap();
        assert_eq!(Date::from(date).as_str(), "1600-02-29");
        let time = time::Time::try_from(&TimeOfDay::new("23:59:59.999999999")).unwrap();
        assert_eq!(TimeOfDay::from(time).as_str(), "23:59:59.999999999");
        let negative = time::Duration::try_from(&Duration::new("-P1DT0.25S")).unwrap();
        assert_eq!(negative.whole_milliseconds(), -(86_400_000 + 250));
        assert_eq!(Duration::from(negative).as_str(), "-P1DT0.25S");
    }

    #[cfg(feature = "uuid")]
    #[test]
    fn uuid_both_ways() {
        use super::super::Guid;
        let guid = Guid::new("0FE0623F-D628-42ED-B4BD-8AC290072CC5");
        let id = uuid::Uuid::try_from(&guid).unwrap();
        assert_eq!(Guid::from(id).as_str(), "0fe0623f-d628-42ed-b4bd-8ac290072cc5");
        assert_eq!(uuid::Uuid::try_from(&Guid::from(id)).unwrap(), id);
        assert!(uuid::Uuid::try_from(&Guid::new("0FE0623FD628")).is_err());
    }
}
