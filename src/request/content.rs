//! Streams: the `Edm.Stream` properties of entities (a transcript's `content`, a meeting's
//! `attendeeReport`, a recording's `content`) and media entities' `$value`, read with `GET`
//! and answered with bytes of their own type (`text/vtt`, a Word document, `video/mp4`), never
//! JSON.

use super::contract::{Answer, AnswerError, NoBody, UrlError, decode_error};
use super::path::percent_encode;
use crate::odata::{ItemLocation, Location, PathTemplate, Request};
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use std::fmt;

/// A stream of the entities at [`StreamProperty::Owner`]: generated for each one
/// (`call_transcript::ContentStream`, `online_meeting::AttendeeReportStream`).
pub trait StreamProperty {
    /// Its URL segment: the property's name (`content`), or `$value`.
    const SEGMENT: &'static str;
    /// Every path that reaches it: the templates of [`StreamProperty::Owner`], in the same
    /// order, each followed by the segment.
    const PATHS: &'static [PathTemplate];
    /// Where its entities are.
    type Owner: ItemLocation;
}

/// What a stream answers: its bytes, exactly as they came, and their `Content-Type`.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Content {
    /// The bytes.
    pub bytes: Vec<u8>,
    /// The answer's `Content-Type` (`text/vtt`, `video/mp4`, …), if it had one.
    pub content_type: Option<String>,
}

impl Content {
    /// The bytes as text, when they are UTF-8 (a WebVTT transcript).
    pub fn text(&self) -> Option<&str> {
        std::str::from_utf8(&self.bytes).ok()
    }

    /// The media type without its parameters, in lower case: `text/vtt` of
    /// `text/vtt; charset=utf-8`.
    pub fn media_type(&self) -> Option<String> {
        let full = self.content_type.as_deref()?;
        Some(full.split(';').next().unwrap_or(full).trim().to_ascii_lowercase())
    }
}

impl fmt::Debug for Content {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Content")
            .field("content_type", &self.content_type)
            .field("bytes", &format_args!("{} bytes", self.bytes.len()))
            .finish()
    }
}

/// Written as a JSON string of its text, or an array of its bytes when they are not UTF-8 (a
/// stream's answer is never JSON: this is for tools that show requests' answers as JSON).
impl Serialize for Content {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.text() {
            Some(text) => serializer.serialize_str(text),
            None => self.bytes.serialize(serializer),
        }
    }
}

/// Read from what [`Serialize`] writes: a string (its UTF-8 bytes) or an array of bytes. The
/// requests do not use it: [`GetContent`] reads the answer's bytes as they are.
impl<'de> Deserialize<'de> for Content {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ContentVisitor;

        impl<'de> Visitor<'de> for ContentVisitor {
            type Value = Content;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string or an array of bytes")
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<Content, E> {
                Ok(Content { bytes: text.as_bytes().to_vec(), content_type: None })
            }

            fn visit_seq<S: de::SeqAccess<'de>>(self, seq: S) -> Result<Content, S::Error> {
                let bytes = Vec::<u8>::deserialize(de::value::SeqAccessDeserializer::new(seq))?;
                Ok(Content { bytes, content_type: None })
            }
        }

        deserializer.deserialize_any(ContentVisitor)
    }
}

/// `GET` of a stream: `GET /me/onlineMeetings/{id}/transcripts/{id}/content`. Its answer is
/// the bytes and their `Content-Type` ([`Content`]). A format can be asked for, as the docs
/// pages show: `$format` in the query ([`GetContent::with_format`]), or the `Accept` header
/// ([`GetContent::accept`]), which [`Request::headers`] gives.
///
/// ```
/// use msgraph_comms::odata::Request;
/// use msgraph_comms::v1_0::call_transcript;
///
/// let at = call_transcript::Item::MeOnlineMeetingsTranscripts { online_meeting_id: "MSo1".into(), call_transcript_id: "T1".into() };
/// let vtt = call_transcript::GetContent::new(at).with_format("text/vtt");
/// assert_eq!(vtt.path().unwrap(), "/me/onlineMeetings/MSo1/transcripts/T1/content");
/// assert_eq!(vtt.query(), "$format=text/vtt");
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct GetContent<P: StreamProperty> {
    /// The entity whose stream it is.
    pub at: P::Owner,
    /// `$format`, if asked for: `text/vtt`, …
    pub format: Option<String>,
    /// The `Accept` header, if asked for.
    pub accept: Option<String>,
}

impl<P: StreamProperty> GetContent<P> {
    /// The stream of the entity at `at`.
    pub fn new(at: P::Owner) -> Self {
        GetContent { at, format: None, accept: None }
    }

    /// Asks for `format` with `$format` (`text/vtt`; the docx type for a transcript as a Word
    /// document).
    pub fn with_format(mut self, format: impl Into<String>) -> Self {
        self.format = Some(format.into());
        self
    }

    /// Asks for `media_type` with the `Accept` header.
    pub fn accept(mut self, media_type: impl Into<String>) -> Self {
        self.accept = Some(media_type.into());
        self
    }
}

impl<P: StreamProperty> Request for GetContent<P> {
    const METHOD: &'static str = "GET";
    type Body = NoBody;
    type Response = Content;

    fn templates() -> &'static [PathTemplate] {
        P::PATHS
    }

    fn template(&self) -> Option<&'static PathTemplate> {
        P::PATHS.get(self.at.index())
    }

    fn path(&self) -> Result<String, UrlError> {
        Ok(format!("{}/{}", self.at.path(), P::SEGMENT))
    }

    fn query(&self) -> String {
        // `/` stays readable: `$format=text/vtt`.
        self.format.as_deref().map_or_else(String::new, |f| format!("$format={}", percent_encode(f, b"-._~!$*,;:@/")))
    }

    fn headers(&self) -> Vec<(String, String)> {
        self.accept.iter().map(|media_type| ("accept".to_owned(), media_type.clone())).collect()
    }

    /// A success status gives the body's bytes as they are, with the answer's `Content-Type`;
    /// any other, Graph's error (or the status and body).
    fn decode(answer: &Answer<'_>) -> Result<Content, AnswerError> {
        match (200..300).contains(&answer.status) {
            true => Ok(Content { bytes: answer.body.to_vec(), content_type: answer.content_type().map(str::to_owned) }),
            false => Err(decode_error(answer)),
        }
    }
}
