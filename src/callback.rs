//! Calling bots' callbacks authenticated (cargo feature `jwt`): Graph signs every `POST` to a
//! bot's callback URL (the webhook bodies a calling bot receives, `commsNotifications`) with a
//! bearer token in `Authorization`, and only a bot that checks it knows that the body is
//! Graph's. [`CallbackValidator::validate`] takes the header's value and says who sent it, or
//! why not: RS256 only, by a key of the key set of Graph's calling service, issued by Graph
//! ([`ISSUERS`]) to one of the bot's app ids, within its lifetime.
//!
//! Fetching the key set is the caller's job, so that the crate stays without a network client:
//! `GET` [`OPENID_CONFIGURATION`] and then its `jwks_uri`, and pass the JSON of the key set to
//! [`CallbackValidator::new`]. The keys rotate: keep the set for hours, not days, and fetch it
//! again when a token names a key it lacks ([`TokenError::UnknownKey`]).
//!
//! ```
//! use msgraph_comms::callback::{CallbackError, CallbackValidator};
//!
//! # let jwks = r#"{"keys": []}"#;
//! let validator = CallbackValidator::new(jwks, ["8e460676-ae3f-4b1e-8790-ee0fb5d6148f"]).unwrap();
//! // A POST without the header, or with another scheme, is no callback of Graph's: answer 401
//! // and leave the body alone.
//! assert!(matches!(validator.validate(None), Err(CallbackError::Missing)));
//! assert!(matches!(validator.validate(Some("Basic dXNlcjpwYXNz")), Err(CallbackError::NotBearer)));
//! ```

use std::fmt;

use jsonwebtoken::jwk::JwkSet;

use crate::bounded::bounded;
pub use crate::jwt::{KeySetError, TokenError};

/// Where the key set of Graph's calling service is published: its OpenID configuration, whose
/// `jwks_uri` gives the keys.
pub const OPENID_CONFIGURATION: &str = "https://api.aps.skype.com/v1/.well-known/OpenIdConfiguration";

/// The issuers (`iss`) of the tokens Graph signs callbacks with.
pub const ISSUERS: &[&str] = &["https://graph.microsoft.com", "https://api.botframework.com"];

/// The tenant claim's long name, which some tokens use instead of `tid`.
const TENANT_CLAIM: &str = "http://schemas.microsoft.com/identity/claims/tenantid";

/// Who sent a callback, from its valid token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Caller {
    /// Our app id the token was issued to (`aud`).
    pub app_id: String,
    /// The issuer (`iss`), one of [`ISSUERS`].
    pub issuer: String,
    /// The tenant the call is in (`tid`), if the token names one.
    pub tenant_id: Option<String>,
    /// When the token expires (`exp`), in seconds since 1970.
    pub expires_at: u64,
}

/// Why a callback is not Graph's: answer `401 Unauthorized` and leave its body alone.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CallbackError {
    /// No `Authorization` header.
    Missing,
    /// An `Authorization` header of another scheme than `Bearer`.
    NotBearer,
    /// A bearer token that is not valid, and why.
    Token(TokenError),
}

impl fmt::Display for CallbackError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CallbackError::Missing => f.write_str("no Authorization header"),
            CallbackError::NotBearer => f.write_str("the Authorization header is not a bearer token"),
            CallbackError::Token(e) => write!(f, "the bearer token is not valid: {e}"),
        }
    }
}

impl std::error::Error for CallbackError {}

impl From<TokenError> for CallbackError {
    fn from(error: TokenError) -> Self {
        CallbackError::Token(error)
    }
}

/// Validates the `Authorization` header of a calling bot's callbacks against the key set of
/// Graph's calling service, for the bot's app ids.
#[derive(Clone, Debug)]
pub struct CallbackValidator {
    keys: JwkSet,
    app_ids: Vec<String>,
    issuers: Vec<String>,
    leeway: u64,
}

impl CallbackValidator {
    /// A validator for callbacks to any of `app_ids` (the bot's), with the keys of `jwks` (the
    /// JSON of a JSON Web Key Set: `{"keys": [{"kty": "RSA", "kid": …, "n": …, "e": …}, …]}`).
    pub fn new<I: IntoIterator<Item = S>, S: Into<String>>(jwks: &str, app_ids: I) -> Result<Self, KeySetError> {
        Ok(CallbackValidator {
            keys: crate::jwt::key_set(jwks)?,
            app_ids: app_ids.into_iter().map(Into::into).collect(),
            issuers: ISSUERS.iter().map(|issuer| issuer.to_string()).collect(),
            leeway: 60,
        })
    }

    /// The seconds of clock difference allowed for `exp` and `nbf` (60 unless set).
    pub fn leeway(mut self, seconds: u64) -> Self {
        self.leeway = seconds;
        self
    }

    /// The issuers trusted instead of [`ISSUERS`] (for a national cloud whose documentation
    /// names others).
    pub fn issuers<I: IntoIterator<Item = S>, S: Into<String>>(mut self, issuers: I) -> Self {
        self.issuers = issuers.into_iter().map(Into::into).collect();
        self
    }

    /// Who sent a callback whose `Authorization` header is `authorization` (`None` when the
    /// request has none), or why it is not Graph's.
    pub fn validate(&self, authorization: Option<&str>) -> Result<Caller, CallbackError> {
        let header = authorization.ok_or(CallbackError::Missing)?.trim();
        let (scheme, token) = header.split_once(' ').ok_or(CallbackError::NotBearer)?;
        if !scheme.eq_ignore_ascii_case("Bearer") {
            return Err(CallbackError::NotBearer);
        }
        self.validate_token(token.trim())
    }

    /// Who sent a callback with the bearer token `token` (the header's value without
    /// `Bearer `), or why it is not Graph's.
    pub fn validate_token(&self, token: &str) -> Result<Caller, CallbackError> {
        let claims = crate::jwt::verify(token, &self.keys, &self.app_ids, self.leeway)?;
        let app_id = crate::jwt::audience(&claims, &self.app_ids).ok_or(TokenError::Audience(None))?;
        let issuer = crate::jwt::text(&claims, "iss");
        let Some(issuer) = issuer.filter(|iss| self.issuers.contains(iss)) else {
            return Err(TokenError::issuer(crate::jwt::text(&claims, "iss").as_deref()).into());
        };
        let tenant_id = crate::jwt::text(&claims, "tid").or_else(|| crate::jwt::text(&claims, TENANT_CLAIM));
        let expires_at = claims.get("exp").and_then(serde_json::Value::as_u64).unwrap_or_default();
        Ok(Caller { app_id, issuer, tenant_id: tenant_id.map(|t| bounded(&t)), expires_at })
    }
}
