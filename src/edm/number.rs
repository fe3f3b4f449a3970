//! `Edm.Int64`, `Edm.Double`/`Edm.Single` and `Edm.Decimal`.

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use std::fmt;

/// An integer of one of the `Edm` integer types: [`Int64`], [`Int32`], [`Int16`], [`Byte`],
/// [`SByte`]. JSON carries it as a number, or as a string (clients limited to doubles ask for
/// `Edm.Int64` as strings; some payloads quote smaller integers too); both are read without
/// going through `f64` and written back in the form they came in. Equality compares the value.
#[derive(Clone, Debug, Default)]
pub struct Int<T> {
    value: T,
    /// The text, when it came as a string.
    text: Option<Box<str>>,
}

/// `Edm.Int64`.
pub type Int64 = Int<i64>;
/// `Edm.Int32`.
pub type Int32 = Int<i32>;
/// `Edm.Int16`.
pub type Int16 = Int<i16>;
/// `Edm.Byte`.
pub type Byte = Int<u8>;
/// `Edm.SByte`.
pub type SByte = Int<i8>;

/// The Rust integers behind the `Edm` integer types.
pub trait Integer:
    Copy + PartialEq + fmt::Display + std::str::FromStr + TryFrom<i64> + TryFrom<u64> + Into<i64>
{
    /// `Edm.Int32`, …
    const EDM_NAME: &'static str;
}

macro_rules! integer {
    ($($t:ty => $name:literal),*) => {$(
        impl Integer for $t {
            const EDM_NAME: &'static str = $name;
        }
    )*};
}

integer!(i64 => "Edm.Int64", i32 => "Edm.Int32", i16 => "Edm.Int16", u8 => "Edm.Byte", i8 => "Edm.SByte");

impl<T: Integer> Int<T> {
    /// A value that is written as a JSON number.
    pub fn new(value: T) -> Self {
        Int { value, text: None }
    }

    /// The value.
    pub fn get(&self) -> T {
        self.value
    }

    /// Whether it came as a JSON string.
    pub fn is_quoted(&self) -> bool {
        self.text.is_some()
    }
}

impl<T: Integer> From<T> for Int<T> {
    fn from(value: T) -> Self {
        Int::new(value)
    }
}

impl<T: PartialEq> PartialEq for Int<T> {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl<T: Eq> Eq for Int<T> {}

impl<T: std::hash::Hash> std::hash::Hash for Int<T> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.value.hash(state);
    }
}

impl<T: Integer> PartialEq<T> for Int<T> {
    fn eq(&self, other: &T) -> bool {
        self.value == *other
    }
}

impl<T: Integer> fmt::Display for Int<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.value.fmt(f)
    }
}

impl<T: Integer> Serialize for Int<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.text {
            Some(text) => serializer.serialize_str(text),
            None => serializer.serialize_i64(self.value.into()),
        }
    }
}

impl<'de, T: Integer> Deserialize<'de> for Int<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct IntVisitor<T>(std::marker::PhantomData<T>);

        impl<T: Integer> IntVisitor<T> {
            fn out_of_range<E: de::Error>(value: impl fmt::Display) -> E {
                E::custom(format!("{value} is not an {}", T::EDM_NAME))
            }
        }

        impl<T: Integer> Visitor<'_> for IntVisitor<T> {
            type Value = Int<T>;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                write!(f, "an {} (an integer, or an integer in a string)", T::EDM_NAME)
            }

            fn visit_i64<E: de::Error>(self, value: i64) -> Result<Int<T>, E> {
                T::try_from(value).map(Int::new).map_err(|_| Self::out_of_range(value))
            }

            fn visit_u64<E: de::Error>(self, value: u64) -> Result<Int<T>, E> {
                T::try_from(value).map(Int::new).map_err(|_| Self::out_of_range(value))
            }

            fn visit_f64<E: de::Error>(self, value: f64) -> Result<Int<T>, E> {
                // `1.0` is an integer written by a double-only client; anything else is not.
                let whole = value.fract() == 0.0 && value.abs() < 9.223_372_036_854_775e18;
                match whole {
                    true => self.visit_i64(value as i64),
                    false => Err(Self::out_of_range(value)),
                }
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<Int<T>, E> {
                let value = text.parse::<T>().map_err(|_| E::custom(format!("`{text}` is not an {}", T::EDM_NAME)))?;
                Ok(Int { value, text: Some(text.into()) })
            }
        }

        deserializer.deserialize_any(IntVisitor(std::marker::PhantomData))
    }
}

/// An `Edm.Double` or `Edm.Single` (kept as `f64`, so a single-precision value sent with more
/// digits keeps them). JSON writes the special values as strings: `"INF"`, `"-INF"`, `"NaN"`;
/// a value that came as a string is written back as that string. Equality is `f64` equality
/// except that `NaN` equals `NaN`, so that a decoded value equals its re-decoded copy.
#[derive(Clone, Debug, Default)]
pub struct Float {
    value: f64,
    text: Option<Box<str>>,
}

impl Float {
    /// A value that is written as a JSON number (or `"NaN"`, `"INF"`, `"-INF"`).
    pub fn new(value: f64) -> Self {
        Float { value, text: None }
    }

    /// The value.
    pub fn get(&self) -> f64 {
        self.value
    }

    fn parse(text: &str) -> Option<f64> {
        match text {
            "INF" | "Infinity" => Some(f64::INFINITY),
            "-INF" | "-Infinity" => Some(f64::NEG_INFINITY),
            "NaN" => Some(f64::NAN),
            other => other.parse::<f64>().ok().filter(|v| v.is_finite()),
        }
    }
}

impl From<f64> for Float {
    fn from(value: f64) -> Self {
        Float::new(value)
    }
}

impl PartialEq for Float {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value || (self.value.is_nan() && other.value.is_nan())
    }
}

impl fmt::Display for Float {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.value.fmt(f)
    }
}

impl Serialize for Float {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if let Some(text) = &self.text
            && Float::parse(text).is_some_and(|v| v == self.value || (v.is_nan() && self.value.is_nan()))
        {
            return serializer.serialize_str(text);
        }
        match self.value {
            v if v.is_nan() => serializer.serialize_str("NaN"),
            f64::INFINITY => serializer.serialize_str("INF"),
            f64::NEG_INFINITY => serializer.serialize_str("-INF"),
            v => serializer.serialize_f64(v),
        }
    }
}

impl<'de> Deserialize<'de> for Float {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct FloatVisitor;

        impl Visitor<'_> for FloatVisitor {
            type Value = Float;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an Edm.Double (a number, or \"INF\", \"-INF\", \"NaN\")")
            }

            fn visit_i64<E: de::Error>(self, value: i64) -> Result<Float, E> {
                Ok(Float::new(value as f64))
            }

            fn visit_u64<E: de::Error>(self, value: u64) -> Result<Float, E> {
                Ok(Float::new(value as f64))
            }

            fn visit_f64<E: de::Error>(self, value: f64) -> Result<Float, E> {
                Ok(Float::new(value))
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<Float, E> {
                let value = Float::parse(text).ok_or_else(|| E::custom(format!("`{text}` is not an Edm.Double")))?;
                Ok(Float { value, text: Some(text.into()) })
            }
        }

        deserializer.deserialize_any(FloatVisitor)
    }
}

/// An `Edm.Decimal`, kept as the JSON number or string it came as.
#[derive(Clone, Debug, PartialEq)]
pub enum Decimal {
    /// A JSON number.
    Number(serde_json::Number),
    /// A decimal in a JSON string.
    Text(String),
}

impl Decimal {
    /// The value as a double (approximate for long decimals).
    pub fn to_f64(&self) -> Option<f64> {
        match self {
            Decimal::Number(n) => n.as_f64(),
            Decimal::Text(text) => text.parse().ok(),
        }
    }
}

impl Serialize for Decimal {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Decimal::Number(n) => n.serialize(serializer),
            Decimal::Text(text) => serializer.serialize_str(text),
        }
    }
}

/// From a JSON number, or a decimal literal in a string (`"12.50"`, `"-1e-3"`).
impl<'de> Deserialize<'de> for Decimal {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DecimalVisitor;

        impl Visitor<'_> for DecimalVisitor {
            type Value = Decimal;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an Edm.Decimal (a number, or a decimal in a string)")
            }

            fn visit_u64<E: de::Error>(self, n: u64) -> Result<Decimal, E> {
                Ok(Decimal::Number(n.into()))
            }

            fn visit_i64<E: de::Error>(self, n: i64) -> Result<Decimal, E> {
                Ok(Decimal::Number(n.into()))
            }

            fn visit_f64<E: de::Error>(self, n: f64) -> Result<Decimal, E> {
                serde_json::Number::from_f64(n)
                    .map(Decimal::Number)
                    .ok_or_else(|| E::custom(format_args!("{n} is not an Edm.Decimal")))
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<Decimal, E> {
                match is_decimal_literal(text.trim()) {
                    true => Ok(Decimal::Text(text.to_owned())),
                    false => Err(E::custom(format_args!("`{text}` is not an Edm.Decimal"))),
                }
            }
        }

        deserializer.deserialize_any(DecimalVisitor)
    }
}

/// `[+-]digits[.digits][(e|E)[+-]digits]`, with digits on at least one side of the point.
fn is_decimal_literal(text: &str) -> bool {
    let digits = |s: &str| s.bytes().take_while(u8::is_ascii_digit).count();
    let rest = text.strip_prefix(['+', '-']).unwrap_or(text);
    let whole = digits(rest);
    let rest = &rest[whole..];
    let (fraction, rest) = match rest.strip_prefix('.') {
        Some(after) => (digits(after), &after[digits(after)..]),
        None => (0, rest),
    };
    if whole + fraction == 0 {
        return false;
    }
    match rest.strip_prefix(['e', 'E']) {
        None => rest.is_empty(),
        Some(exponent) => {
            let exponent = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
            !exponent.is_empty() && digits(exponent) == exponent.len()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip<T: Serialize + for<'de> Deserialize<'de>>(json: &str) -> (T, String) {
        let value: T = serde_json::from_str(json).unwrap();
        let text = serde_json::to_string(&value).unwrap();
        (value, text)
    }

    #[test]
    fn int64_above_two_to_the_53_stays_exact_in_both_forms() {
        let (n, text) = round_trip::<Int64>("9007199254740993");
        assert_eq!((n.get(), text.as_str()), (9_007_199_254_740_993, "9007199254740993"));
        let (n, text) = round_trip::<Int64>("\"9223372036854775807\"");
        assert_eq!((n.get(), text.as_str()), (i64::MAX, "\"9223372036854775807\""));
        assert!(n.is_quoted());
        assert_eq!(round_trip::<Int64>("-5").0, -5);
        assert_eq!(round_trip::<Int64>("3.0").0, 3);
    }

    #[test]
    fn smaller_integers_accept_their_string_form_too() {
        let (n, text) = round_trip::<Int32>("\"0\"");
        assert_eq!((n.get(), text.as_str()), (0, "\"0\""));
        assert_eq!(round_trip::<Byte>("255").0, 255u8);
        let err = serde_json::from_str::<Byte>("256").unwrap_err().to_string();
        assert!(err.contains("256 is not an Edm.Byte"), "{err}");
        assert!(serde_json::from_str::<SByte>("\"-129\"").is_err());
        assert_eq!(round_trip::<Int16>("-7").1, "-7");
    }

    #[test]
    fn int64_rejects_what_is_not_an_integer() {
        for json in ["9223372036854775808", "1.5", "\"x\"", "true", "null", "[]"] {
            let err = serde_json::from_str::<Int64>(json).unwrap_err().to_string();
            assert!(err.contains("Edm.Int64"), "{json}: {err}");
        }
    }

    #[test]
    fn float_specials_round_trip() {
        for json in ["\"NaN\"", "\"INF\"", "\"-INF\"", "\"1.50\""] {
            assert_eq!(round_trip::<Float>(json).1, json);
        }
        let (nan, _) = round_trip::<Float>("\"NaN\"");
        assert!(nan.get().is_nan());
        assert_eq!(nan, Float::new(f64::NAN));
        assert_eq!(round_trip::<Float>("2.25").1, "2.25");
        assert_eq!(round_trip::<Float>("7").0.get(), 7.0);
        assert_eq!(serde_json::to_string(&Float::new(f64::NEG_INFINITY)).unwrap(), "\"-INF\"");
        assert!(serde_json::from_str::<Float>("\"fast\"").is_err());
        assert!(serde_json::from_str::<Float>("false").unwrap_err().to_string().contains("Edm.Double"));
    }

    #[test]
    fn decimal_keeps_its_form() {
        assert_eq!(round_trip::<Decimal>("0.0103").1, "0.0103");
        assert_eq!(round_trip::<Decimal>("\"12.50\"").1, "\"12.50\"");
        assert_eq!(round_trip::<Decimal>("\"12.50\"").0.to_f64(), Some(12.5));
        assert!(serde_json::from_str::<Decimal>("\"abc\"").is_err());
        for text in ["1", "-1.5", "+.5", "5.", "1e9", "2.5E-3", " 7 "] {
            assert!(is_decimal_literal(text.trim()), "{text}");
        }
        for text in ["", ".", "-", "e5", "1e", "1e+", "NaN", "INF", "1.2.3", "0x10", "1_000"] {
            assert!(!is_decimal_literal(text), "{text}");
        }
        let err = serde_json::from_str::<Decimal>("true").unwrap_err().to_string();
        assert!(err.starts_with("invalid type: boolean `true`, expected an Edm.Decimal (a number"), "{err}");
    }
}
