//! Retry timing: `Retry-After` read in every form Graph writes it, and a retry policy that says
//! how long a client waits before it sends a request again, or that it should stop. Time is
//! always an argument: nothing here reads a clock or sleeps.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// `Retry-After`, as `429 Too Many Requests` and `503 Service Unavailable` answers give it: a
/// delay in seconds (whole, or decimal as Graph writes it inside `$batch` answers: `0.249`), or
/// an HTTP date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RetryAfter {
    /// A delay.
    Delay(Duration),
    /// A time (an HTTP date: `Sun, 06 Nov 1994 08:49:37 GMT`, or its RFC 850 and asctime forms).
    Date(SystemTime),
    /// A value that is neither, as it came (a client should fall back to its own backoff).
    Invalid(String),
}

impl RetryAfter {
    /// The header's value read: seconds (`120`, `0.249`), or an HTTP date.
    pub fn parse(value: &str) -> RetryAfter {
        let value = value.trim();
        seconds(value)
            .map(RetryAfter::Delay)
            .or_else(|| http_date(value).map(RetryAfter::Date))
            .unwrap_or_else(|| RetryAfter::Invalid(crate::bounded::bounded(value)))
    }

    /// How long to wait from `now`: the delay, or the time until the date (zero for a date in
    /// the past); `None` for a value that did not read.
    pub fn delay_from(&self, now: SystemTime) -> Option<Duration> {
        match self {
            RetryAfter::Delay(delay) => Some(*delay),
            RetryAfter::Date(at) => Some(at.duration_since(now).unwrap_or(Duration::ZERO)),
            RetryAfter::Invalid(_) => None,
        }
    }
}

/// Seconds, whole or with a fraction: digits, then `.` and digits. Nothing else: no sign, no
/// exponent, no spaces inside. More seconds than a `u64` holds read as the most it holds: a
/// wait too long for any policy, never one that falls back to a short backoff.
fn seconds(text: &str) -> Option<Duration> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || (text.contains('.') && !digits(fraction)) {
        return None;
    }
    let whole: u64 = whole.parse().unwrap_or(u64::MAX);
    // Nanoseconds: the first nine digits of the fraction.
    let nanos = fraction.bytes().chain(std::iter::repeat(b'0')).take(9).fold(0u32, |n, b| n * 10 + u32::from(b - b'0'));
    Some(Duration::new(whole, nanos))
}

const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const LONG_DAYS: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

/// An HTTP date (RFC 9110 §5.6.7): `Sun, 06 Nov 1994 08:49:37 GMT` (IMF-fixdate), and the
/// obsolete `Sunday, 06-Nov-94 08:49:37 GMT` (RFC 850; a two-digit year is the nearest one
/// not more than 50 years ahead, read as 19xx or 20xx) and `Sun Nov  6 08:49:37 1994`
/// (asctime).
pub fn http_date(text: &str) -> Option<SystemTime> {
    let (day_name, rest) = text.split_once(' ')?;
    let (date, time) = match day_name.strip_suffix(',') {
        // IMF-fixdate or RFC 850.
        Some(day) if DAYS.contains(&day) => {
            let [day, month, year, time, zone] = fields(rest)?;
            if zone != "GMT" || day.len() != 2 || year.len() != 4 {
                return None;
            }
            ((number(year)?, month_number(month)?, number(day)?), time)
        }
        Some(day) if LONG_DAYS.contains(&day) => {
            let [date, time, zone] = fields(rest)?;
            let mut parts = date.split('-');
            let (day, month, year) = (parts.next()?, parts.next()?, parts.next()?);
            if zone != "GMT" || parts.next().is_some() || day.len() != 2 || year.len() != 2 {
                return None;
            }
            let year = number(year)?;
            // 19xx or 20xx; a client of today reads 69 as 2069 and 70 as 1970 (RFC 6265's rule).
            let year = if year < 70 { 2000 + year } else { 1900 + year };
            ((year, month_number(month)?, number(day)?), time)
        }
        // asctime: `Sun Nov  6 08:49:37 1994`.
        None if DAYS.contains(&day_name) => {
            let mut parts = rest.split(' ').filter(|p| !p.is_empty());
            let (month, day, time, year) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
            if parts.next().is_some() || day.len() > 2 || year.len() != 4 {
                return None;
            }
            ((number(year)?, month_number(month)?, number(day)?), time)
        }
        _ => return None,
    };
    let (year, month, day) = date;
    let [hour, minute, second] = {
        let mut parts = time.split(':');
        let mut next = || parts.next().filter(|p| p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit()));
        let fields = [next()?, next()?, next()?];
        if parts.next().is_some() {
            return None;
        }
        fields.map(|f| f.parse::<u64>().unwrap_or(99))
    };
    let (year, month, day) = (i32::try_from(year).ok()?, u8::try_from(month).ok()?, u8::try_from(day).ok()?);
    if !crate::edm::is_date(year, month, day) || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let days = crate::edm::days_from_civil(year, month, day);
    let seconds = days * 86_400 + i64::try_from(hour * 3600 + minute * 60 + second).ok()?;
    match u64::try_from(seconds) {
        Ok(after) => UNIX_EPOCH.checked_add(Duration::from_secs(after)),
        Err(_) => UNIX_EPOCH.checked_sub(Duration::from_secs(seconds.unsigned_abs())),
    }
}

/// `N` space-separated fields, exactly.
fn fields<const N: usize>(text: &str) -> Option<[&str; N]> {
    let mut parts = text.split(' ');
    let mut out = [""; N];
    for slot in &mut out {
        *slot = parts.next().filter(|p| !p.is_empty())?;
    }
    parts.next().is_none().then_some(out)
}

fn month_number(name: &str) -> Option<u32> {
    MONTHS.iter().position(|m| *m == name).map(|i| i as u32 + 1)
}

/// Decimal digits only (no sign), as a number.
fn number(text: &str) -> Option<u32> {
    text.bytes().all(|b| b.is_ascii_digit()).then(|| text.parse().ok())?
}

/// When a client may send a request again, and when it should stop: the statuses worth a
/// retry, the methods safe to send again, exponential backoff with bounded jitter from a seed
/// (so that the same policy gives the same delays), a cap, and a number of attempts.
/// `Retry-After` wins over the backoff when the answer has it (up to the cap's tenfold: a
/// delay beyond that is a stop, not a wait).
///
/// ```
/// use msgraph_comms::odata::{Retry, RetryAfter, RetryPolicy};
/// use std::time::{Duration, UNIX_EPOCH};
///
/// let policy = RetryPolicy::default();
/// let now = UNIX_EPOCH + Duration::from_secs(1_765_000_000);
/// // The first answer, 429 with `Retry-After: 2`: wait two seconds, then send attempt 2.
/// let retry_after = RetryAfter::parse("2");
/// assert_eq!(policy.next("GET", 429, 1, Some(&retry_after), now), Retry::After(Duration::from_secs(2)));
/// // 404 is not worth another try.
/// assert!(matches!(policy.next("GET", 404, 1, None, now), Retry::Stop(_)));
/// // Nor is a POST that may have been done already (503), unless the policy says so; a POST
/// // throttled (429) was not done, and is sent again.
/// assert!(matches!(policy.next("POST", 503, 1, None, now), Retry::Stop(_)));
/// assert!(matches!(policy.next("POST", 429, 1, None, now), Retry::After(_)));
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct RetryPolicy {
    /// The statuses worth another try: 429, 503 and 504 by default.
    pub statuses: Vec<u16>,
    /// The methods sent again: those that are safe to repeat (`GET`, `HEAD`, `OPTIONS`, `PUT`,
    /// `DELETE`) by default; add `POST` and `PATCH` only for requests the service does once
    /// whatever (a `POST` with a `clientContext` it deduplicates, say).
    pub methods: Vec<&'static str>,
    /// The statuses that say the service did not act on the request, after which a request of
    /// any method is sent again: 429 (throttled before it was processed) by default.
    pub not_done: Vec<u16>,
    /// The first backoff delay (doubled at each attempt): 1 s by default.
    pub base: Duration,
    /// The longest backoff: 30 s by default.
    pub cap: Duration,
    /// How many times a request is sent at most, the first included: 4 by default.
    pub max_attempts: u32,
    /// The share of a backoff delay drawn at random (`0.0`: none, `1.0`: all of it, the "full
    /// jitter" of AWS's note): 0.5 by default, so a delay is between half and all of its step.
    pub jitter: f64,
    /// The seed of the jitter: the same seed, the same delays.
    pub seed: u64,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            statuses: vec![429, 503, 504],
            methods: vec!["GET", "HEAD", "OPTIONS", "PUT", "DELETE"],
            not_done: vec![429],
            base: Duration::from_secs(1),
            cap: Duration::from_secs(30),
            max_attempts: 4,
            jitter: 0.5,
            seed: 0x5eed,
        }
    }
}

/// What a [`RetryPolicy`] says after an answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Retry {
    /// Send it again after this long (with the header [`RetryPolicy::attempt_header`] of the
    /// next attempt).
    After(Duration),
    /// Do not: why.
    Stop(StopReason),
}

/// Why a [`RetryPolicy`] says to stop.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum StopReason {
    /// The status is a success, or an error another try does not mend.
    NotRetryable(u16),
    /// The method may have done its work already.
    UnsafeMethod(String),
    /// The request was sent `max_attempts` times.
    Attempts(u32),
    /// `Retry-After` asks for longer than the policy waits.
    TooLong(Duration),
}

impl fmt::Display for StopReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StopReason::NotRetryable(status) => write!(f, "HTTP {status} is not worth another try"),
            StopReason::UnsafeMethod(method) => write!(f, "a {method} may have done its work already"),
            StopReason::Attempts(n) => write!(f, "sent {n} times"),
            StopReason::TooLong(delay) => write!(f, "Retry-After asks for {} s", delay.as_secs_f64()),
        }
    }
}

impl RetryPolicy {
    /// After attempt `attempt` (the first is 1) of a `method` request was answered `status`
    /// (with `retry_after`, if any) at `now`: how long until it may be sent again, or why not.
    pub fn next(
        &self,
        method: &str,
        status: u16,
        attempt: u32,
        retry_after: Option<&RetryAfter>,
        now: SystemTime,
    ) -> Retry {
        if !self.statuses.contains(&status) {
            return Retry::Stop(StopReason::NotRetryable(status));
        }
        if !self.not_done.contains(&status) && !self.methods.iter().any(|m| m.eq_ignore_ascii_case(method)) {
            return Retry::Stop(StopReason::UnsafeMethod(method.to_ascii_uppercase()));
        }
        if attempt >= self.max_attempts {
            return Retry::Stop(StopReason::Attempts(attempt));
        }
        match retry_after.and_then(|r| r.delay_from(now)) {
            Some(delay) if delay > self.cap.saturating_mul(10) => Retry::Stop(StopReason::TooLong(delay)),
            Some(delay) => Retry::After(delay),
            None => Retry::After(self.backoff(attempt)),
        }
    }

    /// The backoff after attempt `attempt`: `base · 2^(attempt-1)`, at most `cap`, less a
    /// random share (`jitter`) drawn from the seed and the attempt.
    pub fn backoff(&self, attempt: u32) -> Duration {
        let step =
            self.base.saturating_mul(1u32.checked_shl(attempt.saturating_sub(1)).unwrap_or(u32::MAX)).min(self.cap);
        let jitter = self.jitter.clamp(0.0, 1.0);
        // A uniform draw in [0, 1) from the seed and the attempt (splitmix64).
        let mut z = self.seed ^ u64::from(attempt).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        let draw = (z >> 11) as f64 / (1u64 << 53) as f64;
        step.mul_f64(1.0 - jitter * draw)
    }

    /// The header that tells Graph which attempt this is (`retry-attempt: 2`), for attempts
    /// after the first.
    pub fn attempt_header(attempt: u32) -> Option<(&'static str, String)> {
        (attempt > 1).then(|| ("retry-attempt", (attempt - 1).to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> SystemTime {
        match u64::try_from(seconds) {
            Ok(s) => UNIX_EPOCH + Duration::from_secs(s),
            Err(_) => UNIX_EPOCH - Duration::from_secs(seconds.unsigned_abs()),
        }
    }

    #[test]
    fn retry_after_in_seconds_whole_or_decimal() {
        assert_eq!(RetryAfter::parse("120"), RetryAfter::Delay(Duration::from_secs(120)));
        assert_eq!(RetryAfter::parse(" 0.249 "), RetryAfter::Delay(Duration::from_millis(249)));
        assert_eq!(RetryAfter::parse("1.0000000019"), RetryAfter::Delay(Duration::new(1, 1)));
        for bad in ["", "-1", "+1", "1e3", "1.", ".5", "1 2", "1,5", "5s"] {
            assert!(matches!(RetryAfter::parse(bad), RetryAfter::Invalid(_)), "{bad:?}");
        }
        // A long wait is a wait, which a policy refuses to make, not a value it ignores.
        assert_eq!(RetryAfter::parse("86401"), RetryAfter::Delay(Duration::from_secs(86_401)));
        let endless = RetryAfter::parse("99999999999999999999");
        assert_eq!(endless, RetryAfter::Delay(Duration::from_secs(u64::MAX)));
        let now = SystemTime::UNIX_EPOCH;
        assert!(matches!(
            RetryPolicy::default().next("GET", 429, 1, Some(&endless), now),
            Retry::Stop(StopReason::TooLong(_))
        ));
    }

    #[test]
    fn retry_after_as_an_http_date_in_its_three_forms() {
        // RFC 9110's example: 784111777 seconds after the epoch.
        let expected = RetryAfter::Date(at(784_111_777));
        for form in ["Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994"] {
            assert_eq!(RetryAfter::parse(form), expected, "{form}");
        }
        assert_eq!(http_date("Thu, 01 Jan 1970 00:00:00 GMT"), Some(UNIX_EPOCH));
        assert_eq!(http_date("Tue, 29 Feb 2028 23:59:59 GMT"), Some(at(1_835_481_599)));
        assert_eq!(http_date("Wed, 31 Dec 1969 23:59:59 GMT"), Some(at(-1)));
        for bad in [
            "Sun, 06 Nov 1994 08:49:37 UTC",
            "Sun, 6 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 8:49:37 GMT",
            "Sun, 29 Feb 2027 08:49:37 GMT",
            "Sun, 06 Foo 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 24:00:00 GMT",
            "Sun 06 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 08:49:37 GMT extra",
            "Sun, +6 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov +994 08:49:37 GMT",
            "Sunday, 06-Nov-+4 08:49:37 GMT",
            "Sun Nov +6 08:49:37 1994",
            "Sun, 31 Apr 1994 08:49:37 GMT",
        ] {
            assert_eq!(http_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_delay_from_now() {
        let now = at(1_000);
        assert_eq!(RetryAfter::Date(at(1_030)).delay_from(now), Some(Duration::from_secs(30)));
        assert_eq!(RetryAfter::Date(at(10)).delay_from(now), Some(Duration::ZERO), "a date in the past: now");
        assert_eq!(RetryAfter::Delay(Duration::from_millis(5)).delay_from(now), Some(Duration::from_millis(5)));
        assert_eq!(RetryAfter::Invalid("soon".into()).delay_from(now), None);
    }

    #[test]
    fn the_policy_backs_off_with_bounded_jitter_and_stops() {
        let policy = RetryPolicy::default();
        let now = at(0);
        // Without Retry-After: 1 s, 2 s, 4 s steps, each between half and all of the step.
        for attempt in 1..4 {
            let step = Duration::from_secs(1 << (attempt - 1));
            let Retry::After(delay) = policy.next("GET", 503, attempt, None, now) else { panic!() };
            assert!(delay <= step && delay >= step / 2, "{attempt}: {delay:?}");
            // The same seed, the same delay; another seed, another.
            assert_eq!(policy.next("get", 503, attempt, None, now), Retry::After(delay));
        }
        let other = RetryPolicy { seed: 7, ..RetryPolicy::default() };
        assert_ne!(other.backoff(1), policy.backoff(1));
        // The cap, however many attempts.
        let long = RetryPolicy { max_attempts: 100, jitter: 0.0, ..RetryPolicy::default() };
        assert_eq!(long.backoff(40), Duration::from_secs(30));
        assert_eq!(long.backoff(1), Duration::from_secs(1));
        // Stops.
        assert_eq!(policy.next("GET", 503, 4, None, now), Retry::Stop(StopReason::Attempts(4)));
        assert_eq!(policy.next("GET", 400, 1, None, now), Retry::Stop(StopReason::NotRetryable(400)));
        assert_eq!(policy.next("POST", 503, 1, None, now), Retry::Stop(StopReason::UnsafeMethod("POST".into())));
        assert_eq!(policy.next("POST", 504, 1, None, now), Retry::Stop(StopReason::UnsafeMethod("POST".into())));
        // Throttled, so not done: any method goes again, as often as the policy says.
        assert_eq!(policy.next("POST", 429, 1, None, now), Retry::After(policy.backoff(1)));
        assert_eq!(policy.next("PATCH", 429, 4, None, now), Retry::Stop(StopReason::Attempts(4)));
        let strict = RetryPolicy { not_done: Vec::new(), ..RetryPolicy::default() };
        assert_eq!(strict.next("POST", 429, 1, None, now), Retry::Stop(StopReason::UnsafeMethod("POST".into())));
        let hour = RetryAfter::Delay(Duration::from_secs(3600));
        assert_eq!(
            policy.next("GET", 429, 1, Some(&hour), now),
            Retry::Stop(StopReason::TooLong(hour.delay_from(now).unwrap()))
        );
        // Retry-After wins over the backoff, in both forms; an unreadable one falls back.
        let date = RetryAfter::parse("Thu, 01 Jan 1970 00:00:07 GMT");
        assert_eq!(policy.next("DELETE", 429, 2, Some(&date), now), Retry::After(Duration::from_secs(7)));
        let odd = RetryAfter::parse("later");
        assert_eq!(policy.next("GET", 429, 1, Some(&odd), now), Retry::After(policy.backoff(1)));
        assert_eq!(RetryPolicy::attempt_header(1), None);
        assert_eq!(RetryPolicy::attempt_header(3), Some(("retry-attempt", "2".to_owned())));
    }
}
