//! Resource data that Graph encrypted for us (cargo feature `decrypt`): the `encryptedContent`
//! of a change notification, decrypted with our private key, as the documentation of
//! notifications with resource data describes it.
//!
//! 1. The symmetric key `dataKey` is unwrapped with the RSA private key of the certificate the
//!    notification names (`encryptionCertificateId`, `encryptionCertificateThumbprint`), with
//!    OAEP padding (SHA-1, MGF1 with SHA-1);
//! 2. the HMAC-SHA256 of `data` under that key must be `dataSignature` (compared in constant
//!    time): otherwise the data was changed, and it is not decrypted;
//! 3. `data` is decrypted with AES-256 in CBC mode with PKCS #7 padding, the IV being the
//!    key's first 16 bytes; the plaintext is the resource's JSON.
//!
//! The cryptography is aws-lc-rs (AWS-LC): its RSA decryption is blinded and its OAEP padding
//! check constant-time, which matters for ciphertext an attacker chooses. (The RustCrypto `rsa`
//! crate carries an unfixed timing advisory for decryption, RUSTSEC-2023-0071.)

use std::fmt;

use aws_lc_rs::cipher::{AES_256, DecryptionContext, PaddedBlockDecryptingKey, UnboundCipherKey};
use aws_lc_rs::hmac;
use aws_lc_rs::iv::FixedLength;
use aws_lc_rs::rsa::{OAEP_SHA1_MGF1SHA1, OaepPrivateDecryptingKey, PrivateDecryptingKey};

use crate::bounded::bounded;
use crate::edm::Binary;

/// The five strings of an `encryptedContent`, as they came (base64 where Graph encodes).
#[derive(Clone, Copy, Debug)]
pub struct EncryptedContent<'a> {
    /// `data`: the resource's JSON, encrypted, base64.
    pub data: &'a str,
    /// `dataKey`: the symmetric key, wrapped with our public key, base64.
    pub data_key: &'a str,
    /// `dataSignature`: HMAC-SHA256 of the encrypted data, base64.
    pub data_signature: &'a str,
    /// `encryptionCertificateId`: the id we gave the certificate when subscribing.
    pub encryption_certificate_id: &'a str,
    /// `encryptionCertificateThumbprint`: the certificate's SHA-1 thumbprint, hexadecimal.
    pub encryption_certificate_thumbprint: &'a str,
}

/// Why an `encryptedContent` could not be decrypted: each check says its own name.
#[derive(Debug)]
#[non_exhaustive]
pub enum DecryptError {
    /// No key was added for the certificate the notification names.
    UnknownCertificate {
        /// Its `encryptionCertificateId`.
        id: String,
        /// Its `encryptionCertificateThumbprint`.
        thumbprint: String,
    },
    /// A key was added under the certificate's id, with another thumbprint.
    ThumbprintMismatch {
        /// The thumbprint the key was added with.
        expected: String,
        /// The notification's.
        found: String,
    },
    /// A field is not base64 (`data`, `dataKey` or `dataSignature`).
    Base64 {
        /// The field.
        field: &'static str,
    },
    /// `dataKey` does not unwrap with the private key: the wrong key, or a changed `dataKey`.
    KeyUnwrap,
    /// The unwrapped key is not an AES-256 key (32 bytes).
    KeyLength {
        /// Its length in bytes.
        len: usize,
    },
    /// The HMAC-SHA256 of `data` is not `dataSignature`: the data (or the signature) was
    /// changed. Nothing was decrypted.
    Signature,
    /// `data` does not decrypt (its length, or its padding).
    Decrypt,
    /// The plaintext is not the JSON of the resource.
    Json(serde_json::Error),
    /// The decrypted resource is not the one its notification names: its `id` or its type
    /// contradicts the notification's (content about one resource pasted into another's
    /// notification).
    NotTheResource {
        /// What differs: `id` or `@odata.type`.
        property: &'static str,
        /// The notification's.
        expected: String,
        /// The decrypted resource's (its first 100 characters).
        found: String,
    },
}

impl fmt::Display for DecryptError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecryptError::UnknownCertificate { id, thumbprint } => {
                write!(f, "no key for the certificate `{id}` (thumbprint {thumbprint})")
            }
            DecryptError::ThumbprintMismatch { expected, found } => {
                write!(f, "the certificate's thumbprint is {found}, the key's {expected}")
            }
            DecryptError::Base64 { field } => write!(f, "`{field}` is not base64"),
            DecryptError::KeyUnwrap => write!(f, "`dataKey` does not decrypt with the private key (RSA-OAEP)"),
            DecryptError::KeyLength { len } => write!(f, "`dataKey` holds {len} bytes, not an AES-256 key"),
            DecryptError::Signature => write!(f, "`dataSignature` is not the HMAC-SHA256 of `data`: not decrypted"),
            DecryptError::Decrypt => write!(f, "`data` does not decrypt (AES-256-CBC, PKCS #7)"),
            DecryptError::Json(e) => write!(f, "the decrypted resource is not valid: {e}"),
            DecryptError::NotTheResource { property, expected, found } => {
                write!(f, "the decrypted resource's {property} is `{found}`, its notification names `{expected}`")
            }
        }
    }
}

impl std::error::Error for DecryptError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            DecryptError::Json(e) => Some(e),
            _ => None,
        }
    }
}

/// Why a private key could not be added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyError(String);

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not a usable RSA private key: {}", self.0)
    }
}

impl std::error::Error for KeyError {}

struct Entry {
    certificate_id: String,
    thumbprint: Option<String>,
    key: OaepPrivateDecryptingKey,
}

/// Our private keys, by the certificate id (and optionally the thumbprint) we subscribed with.
/// Keep the old key beside the new one while subscriptions move to a new certificate. Its
/// `Debug` shows the ids only.
#[derive(Default)]
pub struct DecryptionKeys {
    entries: Vec<Entry>,
}

impl fmt::Debug for DecryptionKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.entries.iter().map(|e| (&e.certificate_id, &e.thumbprint))).finish()
    }
}

impl DecryptionKeys {
    /// No keys.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds the RSA private key (PKCS #8, DER) of the certificate `certificate_id`; with its
    /// `thumbprint` (hexadecimal SHA-1, any case, `:` or spaces allowed) a notification that
    /// names the id with another thumbprint is an error.
    pub fn add_pkcs8_der(
        &mut self,
        certificate_id: impl Into<String>,
        thumbprint: Option<&str>,
        pkcs8: &[u8],
    ) -> Result<(), KeyError> {
        let key = PrivateDecryptingKey::from_pkcs8(pkcs8).map_err(|e| KeyError(e.to_string()))?;
        let key = OaepPrivateDecryptingKey::new(key).map_err(|e| KeyError(e.to_string()))?;
        let certificate_id = certificate_id.into();
        self.entries.retain(|e| e.certificate_id != certificate_id);
        self.entries.push(Entry { certificate_id, thumbprint: thumbprint.map(normal_thumbprint), key });
        Ok(())
    }

    /// [`add_pkcs8_der`](Self::add_pkcs8_der) from PEM (`-----BEGIN PRIVATE KEY-----`).
    pub fn add_pkcs8_pem(
        &mut self,
        certificate_id: impl Into<String>,
        thumbprint: Option<&str>,
        pem: &str,
    ) -> Result<(), KeyError> {
        let der = pem_body(pem, "PRIVATE KEY").ok_or_else(|| KeyError("not a PEM `PRIVATE KEY`".into()))?;
        self.add_pkcs8_der(certificate_id, thumbprint, &der)
    }

    fn find(&self, content: &EncryptedContent<'_>) -> Result<&OaepPrivateDecryptingKey, DecryptError> {
        let found = normal_thumbprint(content.encryption_certificate_thumbprint);
        if let Some(entry) = self.entries.iter().find(|e| e.certificate_id == content.encryption_certificate_id) {
            return match &entry.thumbprint {
                Some(expected) if *expected != found => {
                    Err(DecryptError::ThumbprintMismatch { expected: expected.clone(), found: bounded(&found) })
                }
                _ => Ok(&entry.key),
            };
        }
        self.entries.iter().find(|e| e.thumbprint.as_deref() == Some(found.as_str())).map(|e| &e.key).ok_or_else(|| {
            DecryptError::UnknownCertificate {
                id: bounded(content.encryption_certificate_id),
                thumbprint: bounded(content.encryption_certificate_thumbprint),
            }
        })
    }

    /// The plaintext of `content`: the resource's JSON.
    pub fn decrypt(&self, content: &EncryptedContent<'_>) -> Result<Vec<u8>, DecryptError> {
        let key = self.find(content)?;
        let wrapped = base64(content.data_key, "dataKey")?;
        let data = base64(content.data, "data")?;
        let signature = base64(content.data_signature, "dataSignature")?;
        let mut unwrapped = vec![0; key.min_output_size()];
        let symmetric =
            key.decrypt(&OAEP_SHA1_MGF1SHA1, &wrapped, &mut unwrapped, None).map_err(|_| DecryptError::KeyUnwrap)?;
        if symmetric.len() != 32 {
            return Err(DecryptError::KeyLength { len: symmetric.len() });
        }
        hmac::verify(&hmac::Key::new(hmac::HMAC_SHA256, symmetric), &data, &signature)
            .map_err(|_| DecryptError::Signature)?;
        let iv: [u8; 16] = symmetric[..16].try_into().expect("a 32-byte key has 16 first bytes");
        let cipher = UnboundCipherKey::new(&AES_256, symmetric).map_err(|_| DecryptError::Decrypt)?;
        let cipher = PaddedBlockDecryptingKey::cbc_pkcs7(cipher).map_err(|_| DecryptError::Decrypt)?;
        let mut in_out = data;
        let plain = cipher
            .decrypt(&mut in_out, DecryptionContext::Iv128(FixedLength::from(iv)))
            .map_err(|_| DecryptError::Decrypt)?;
        Ok(plain.to_vec())
    }

    /// The plaintext of `content` decoded as `T` (a JSON path in the error for a property that
    /// does not decode).
    pub fn decrypt_json<T: serde::de::DeserializeOwned>(
        &self,
        content: &EncryptedContent<'_>,
    ) -> Result<T, DecryptError> {
        serde_json::from_slice(&self.decrypt(content)?).map_err(DecryptError::Json)
    }
}

fn base64(text: &str, field: &'static str) -> Result<Vec<u8>, DecryptError> {
    Binary::new(text).decode().map_err(|_| DecryptError::Base64 { field })
}

fn normal_thumbprint(text: &str) -> String {
    text.chars().filter(|c| !matches!(c, ':' | ' ')).collect::<String>().to_ascii_uppercase()
}

/// The bytes of the first PEM block labelled `label`.
fn pem_body(pem: &str, label: &str) -> Option<Vec<u8>> {
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let start = pem.find(&begin)? + begin.len();
    let stop = start + pem[start..].find(&end)?;
    let body: String = pem[start..stop].chars().filter(|c| !c.is_ascii_whitespace()).collect();
    Binary::new(body).decode().ok()
}

/// What Graph does to resource data, for tests of a receiver: `plaintext` encrypted under a
/// fresh AES-256 key, signed, and the key wrapped with `public_key` (an RSA public key as
/// X.509 `SubjectPublicKeyInfo`, DER) — the five fields of an `encryptedContent`, in its
/// order: `data`, `dataKey`, `dataSignature`, `encryptionCertificateId`,
/// `encryptionCertificateThumbprint`.
pub fn encrypt(
    plaintext: &[u8],
    public_key: &[u8],
    certificate_id: &str,
    thumbprint: &str,
) -> Result<[String; 5], KeyError> {
    use aws_lc_rs::cipher::{EncryptionContext, PaddedBlockEncryptingKey};
    use aws_lc_rs::rand::{SecureRandom, SystemRandom};
    use aws_lc_rs::rsa::{OaepPublicEncryptingKey, PublicEncryptingKey};

    let fail = |e: &dyn fmt::Display| KeyError(e.to_string());
    let mut symmetric = [0u8; 32];
    SystemRandom::new().fill(&mut symmetric).map_err(|e| fail(&e))?;
    let iv: [u8; 16] = symmetric[..16].try_into().expect("16 of 32 bytes");
    let cipher =
        PaddedBlockEncryptingKey::cbc_pkcs7(UnboundCipherKey::new(&AES_256, &symmetric).map_err(|e| fail(&e))?)
            .map_err(|e| fail(&e))?;
    let mut data = plaintext.to_vec();
    cipher.less_safe_encrypt(&mut data, EncryptionContext::Iv128(FixedLength::from(iv))).map_err(|e| fail(&e))?;
    let signature = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, &symmetric), &data);
    let public = OaepPublicEncryptingKey::new(PublicEncryptingKey::from_der(public_key).map_err(|e| fail(&e))?)
        .map_err(|e| fail(&e))?;
    let mut wrapped = vec![0; public.ciphertext_size()];
    let wrapped = public.encrypt(&OAEP_SHA1_MGF1SHA1, &symmetric, &mut wrapped, None).map_err(|e| fail(&e))?;
    Ok([
        base64_text(&data),
        base64_text(wrapped),
        base64_text(signature.as_ref()),
        certificate_id.to_owned(),
        thumbprint.to_owned(),
    ])
}

/// Standard base64, as Graph writes `encryptedContent`.
fn base64_text(bytes: &[u8]) -> String {
    Binary::encode_standard(bytes).into_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_lc_rs::encoding::{AsDer, Pkcs8V1Der, PublicKeyX509Der};
    use aws_lc_rs::rsa::KeySize;

    struct Pair {
        pkcs8: Vec<u8>,
        public: Vec<u8>,
    }

    fn pair() -> Pair {
        let key = PrivateDecryptingKey::generate(KeySize::Rsa2048).unwrap();
        let pkcs8 = AsDer::<Pkcs8V1Der>::as_der(&key).unwrap().as_ref().to_vec();
        let public = AsDer::<PublicKeyX509Der>::as_der(&key.public_key()).unwrap().as_ref().to_vec();
        Pair { pkcs8, public }
    }

    fn content(fields: &[String; 5]) -> EncryptedContent<'_> {
        EncryptedContent {
            data: &fields[0],
            data_key: &fields[1],
            data_signature: &fields[2],
            encryption_certificate_id: &fields[3],
            encryption_certificate_thumbprint: &fields[4],
        }
    }

    /// `text` (base64) with one bit of its bytes flipped.
    fn flip(text: &str, byte: usize) -> String {
        let mut bytes = Binary::new(text).decode().unwrap();
        let at = byte % bytes.len();
        bytes[at] ^= 1;
        base64_text(&bytes)
    }

    const RESOURCE: &str = r##"{"@odata.type":"#microsoft.graph.presence","id":"u1","availability":"Busy"}"##;

    #[test]
    fn what_graph_encrypts_decrypts() {
        let pair = pair();
        let mut keys = DecryptionKeys::new();
        keys.add_pkcs8_der("cert-1", Some("07:29:37:48:CC:06:49:53:A3:05:2F:B9:78:C7:35:FB:89:E6:1C:3D"), &pair.pkcs8)
            .unwrap();
        let fields =
            encrypt(RESOURCE.as_bytes(), &pair.public, "cert-1", "07293748cc064953a3052fb978c735fb89e61c3d").unwrap();
        assert_eq!(keys.decrypt(&content(&fields)).unwrap(), RESOURCE.as_bytes());
        let value: serde_json::Value = keys.decrypt_json(&content(&fields)).unwrap();
        assert_eq!(value["availability"], "Busy");
        // Found by the thumbprint alone as well.
        let mut by_thumbprint = fields.clone();
        by_thumbprint[3] = "renamed".into();
        assert!(keys.decrypt(&content(&by_thumbprint)).is_ok());
        // Every length of plaintext, including none and whole blocks.
        for len in [0, 1, 15, 16, 17, 32, 1000] {
            let plain = vec![b'x'; len];
            let fields = encrypt(&plain, &pair.public, "cert-1", "07293748CC064953A3052FB978C735FB89E61C3D").unwrap();
            assert_eq!(keys.decrypt(&content(&fields)).unwrap(), plain);
        }
    }

    #[test]
    fn each_check_names_itself() {
        let pair = pair();
        let mut keys = DecryptionKeys::new();
        keys.add_pkcs8_der("cert-1", None, &pair.pkcs8).unwrap();
        let fields = encrypt(RESOURCE.as_bytes(), &pair.public, "cert-1", "AA").unwrap();
        let with = |i: usize, value: String| {
            let mut changed = fields.clone();
            changed[i] = value;
            keys.decrypt(&content(&changed)).unwrap_err()
        };
        for byte in [0, 7, 100] {
            assert!(matches!(with(0, flip(&fields[0], byte)), DecryptError::Signature), "data byte {byte}");
            assert!(matches!(with(2, flip(&fields[2], byte)), DecryptError::Signature), "signature byte {byte}");
            assert!(matches!(with(1, flip(&fields[1], byte)), DecryptError::KeyUnwrap), "key byte {byte}");
        }
        assert!(matches!(with(0, "not base64!".into()), DecryptError::Base64 { field: "data" }));
        assert!(matches!(with(1, "@@".into()), DecryptError::Base64 { field: "dataKey" }));
        assert!(matches!(with(1, String::new()), DecryptError::KeyUnwrap));
        assert!(matches!(with(3, "cert-2".into()), DecryptError::UnknownCertificate { .. }));
        // A key of another length, or data that is no whole block, properly signed.
        let short = encrypt_with_key(&pair, &[7; 16], b"{}");
        assert!(matches!(keys.decrypt(&content(&short)), Err(DecryptError::KeyLength { len: 16 })));
        // Another key pair's private key does not unwrap the key.
        let mut other = DecryptionKeys::new();
        other.add_pkcs8_der("cert-1", None, &self::pair().pkcs8).unwrap();
        assert!(matches!(other.decrypt(&content(&fields)), Err(DecryptError::KeyUnwrap)));
        // A thumbprint that is not the key's.
        let mut pinned = DecryptionKeys::new();
        pinned.add_pkcs8_der("cert-1", Some("BB"), &pair.pkcs8).unwrap();
        assert!(matches!(pinned.decrypt(&content(&fields)), Err(DecryptError::ThumbprintMismatch { .. })));
        // Plaintext that is not the resource's JSON.
        let not_json = encrypt(b"{\"id\": 1", &pair.public, "cert-1", "AA").unwrap();
        assert!(matches!(keys.decrypt_json::<serde_json::Value>(&content(&not_json)), Err(DecryptError::Json(_))));
        assert!(DecryptError::Signature.to_string().contains("dataSignature"));
    }

    /// `encrypt` with a chosen symmetric key (of any length), to test what Graph never sends.
    fn encrypt_with_key(pair: &Pair, symmetric: &[u8], data: &[u8]) -> [String; 5] {
        use aws_lc_rs::rsa::{OaepPublicEncryptingKey, PublicEncryptingKey};
        let public = OaepPublicEncryptingKey::new(PublicEncryptingKey::from_der(&pair.public).unwrap()).unwrap();
        let mut wrapped = vec![0; public.ciphertext_size()];
        let wrapped = public.encrypt(&OAEP_SHA1_MGF1SHA1, symmetric, &mut wrapped, None).unwrap();
        let signature = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, symmetric), data);
        [base64_text(data), base64_text(wrapped), base64_text(signature.as_ref()), "cert-1".into(), "AA".into()]
    }

    #[test]
    fn keys_come_from_pem_or_are_refused() {
        let pair = pair();
        let pem = format!(
            "-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n",
            base64_text(&pair.pkcs8)
                .as_bytes()
                .chunks(64)
                .map(|c| std::str::from_utf8(c).unwrap())
                .collect::<Vec<_>>()
                .join("\n")
        );
        let mut keys = DecryptionKeys::new();
        keys.add_pkcs8_pem("c", None, &pem).unwrap();
        let fields = encrypt(b"{}", &pair.public, "c", "").unwrap();
        assert_eq!(keys.decrypt(&content(&fields)).unwrap(), b"{}");
        assert!(keys.add_pkcs8_pem("c", None, "no pem").is_err());
        assert!(keys.add_pkcs8_der("c", None, b"not der").is_err());
        assert!(format!("{keys:?}").contains("\"c\""));
    }
}
