//! Secrets at rest: XChaCha20-Poly1305 with a key-id prefix and the owning
//! row as associated data, so a sealed value copied to another row or column
//! does not open. Sealed form: `v1.<key id>.<base64(nonce ‖ ciphertext)>`.
//!
//! The key comes from `DIHYA_SECRET_KEY` (32 bytes, base64) or from
//! `<data dir>/secret.key`, created with mode 0600 on first start. Once a
//! secret is stored the key id is recorded, so starting without the key (or
//! with another one) is refused instead of silently losing every secret.
use base64::{Engine, engine::general_purpose::STANDARD as B64};
use chacha20poly1305::{
    KeyInit, XChaCha20Poly1305, XNonce,
    aead::{Aead, Payload},
};
use sha2::{Digest, Sha256};
use std::{fmt, path::Path};

const VERSION: &str = "v1";
pub const KEY_FILE: &str = "secret.key";

pub struct SecretBox {
    kid: String,
    cipher: XChaCha20Poly1305,
}

impl fmt::Debug for SecretBox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretBox(kid={})", self.kid)
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SecretError {
    #[error("DIHYA_SECRET_KEY must be 32 bytes encoded in base64 (e.g. `openssl rand -base64 32`)")]
    BadKey,
    #[error("cannot read or create the secret key file {0}: {1}")]
    KeyFile(String, String),
    #[error(
        "the database holds encrypted secrets (key id {stored}) but the secret key is {found}: \
         set DIHYA_SECRET_KEY or restore {KEY_FILE} in the data directory"
    )]
    WrongKey { stored: String, found: String },
    #[error("a sealed secret could not be opened")]
    Open,
}

/// Row identity bound into every sealed value, e.g. `users.totp_secret:42`.
pub fn aad(table_column: &str, row_id: impl fmt::Display) -> String {
    format!("{table_column}:{row_id}")
}

impl SecretBox {
    pub fn from_key(key: &[u8; 32]) -> Self {
        let kid = hex8(&Sha256::digest(key));
        SecretBox {
            kid,
            cipher: XChaCha20Poly1305::new(key.into()),
        }
    }

    /// Parses `DIHYA_SECRET_KEY`.
    pub fn from_base64(encoded: &str) -> Result<Self, SecretError> {
        let bytes = B64
            .decode(encoded.trim())
            .map_err(|_| SecretError::BadKey)?;
        let key: [u8; 32] = bytes.try_into().map_err(|_| SecretError::BadKey)?;
        Ok(Self::from_key(&key))
    }

    /// Reads `<dir>/secret.key`, creating it (mode 0600) when absent and
    /// `may_create`; `Ok(None)` when absent and creating is not allowed.
    pub fn from_key_file(dir: &Path, may_create: bool) -> Result<Option<Self>, SecretError> {
        let path = dir.join(KEY_FILE);
        let shown = path.display().to_string();
        match std::fs::read_to_string(&path) {
            Ok(text) => Self::from_base64(&text).map(Some),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && may_create => {
                let key: [u8; 32] = rand::random();
                write_private(&path, &B64.encode(key))
                    .map_err(|e| SecretError::KeyFile(shown, e.to_string()))?;
                Ok(Some(Self::from_key(&key)))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(SecretError::KeyFile(shown, e.to_string())),
        }
    }

    pub fn key_id(&self) -> &str {
        &self.kid
    }

    pub fn seal(&self, aad: &str, plaintext: &[u8]) -> String {
        let nonce_bytes: [u8; 24] = rand::random();
        let nonce = XNonce::from(nonce_bytes);
        let ct = self
            .cipher
            .encrypt(
                &nonce,
                Payload {
                    msg: plaintext,
                    aad: aad.as_bytes(),
                },
            )
            .expect("XChaCha20-Poly1305 encryption cannot fail for in-memory input");
        let mut blob = nonce_bytes.to_vec();
        blob.extend_from_slice(&ct);
        format!("{VERSION}.{}.{}", self.kid, B64.encode(blob))
    }

    pub fn open(&self, aad: &str, sealed: &str) -> Result<Vec<u8>, SecretError> {
        let mut parts = sealed.splitn(3, '.');
        let (Some(VERSION), Some(kid), Some(body)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(SecretError::Open);
        };
        if kid != self.kid {
            return Err(SecretError::WrongKey {
                stored: kid.into(),
                found: self.kid.clone(),
            });
        }
        let blob = B64.decode(body).map_err(|_| SecretError::Open)?;
        if blob.len() < 24 {
            return Err(SecretError::Open);
        }
        let (nonce, ct) = blob.split_at(24);
        let nonce: [u8; 24] = nonce.try_into().map_err(|_| SecretError::Open)?;
        self.cipher
            .decrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: ct,
                    aad: aad.as_bytes(),
                },
            )
            .map_err(|_| SecretError::Open)
    }

    pub fn open_string(&self, aad: &str, sealed: &str) -> Result<String, SecretError> {
        String::from_utf8(self.open(aad, sealed)?).map_err(|_| SecretError::Open)
    }
}

fn hex8(digest: &[u8]) -> String {
    super::hex(&digest[..4])
}

fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(contents.as_bytes())?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sb() -> SecretBox {
        SecretBox::from_key(&[7u8; 32])
    }

    #[test]
    fn round_trip_and_associated_data_binds_the_row() {
        let b = sb();
        let sealed = b.seal("users.totp_secret:1", b"JBSWY3DPEHPK3PXP");
        assert!(sealed.starts_with(&format!("v1.{}.", b.key_id())));
        assert!(!sealed.contains("JBSWY3DPEHPK3PXP"));
        assert_eq!(
            b.open("users.totp_secret:1", &sealed).unwrap(),
            b"JBSWY3DPEHPK3PXP"
        );
        assert_eq!(
            b.open("users.totp_secret:2", &sealed),
            Err(SecretError::Open)
        );
        assert_ne!(sealed, b.seal("users.totp_secret:1", b"JBSWY3DPEHPK3PXP"));
    }

    #[test]
    fn another_key_is_named_not_garbled() {
        let sealed = sb().seal("a:1", b"x");
        let other = SecretBox::from_key(&[8u8; 32]);
        assert!(matches!(
            other.open("a:1", &sealed),
            Err(SecretError::WrongKey { .. })
        ));
        for junk in [
            "",
            "v1",
            "v1.x",
            "v2.a.b",
            &format!("v1.{}.!!", sb().key_id()),
        ] {
            assert!(sb().open("a:1", junk).is_err(), "{junk}");
        }
    }

    #[test]
    fn env_key_must_be_32_bytes_base64() {
        assert!(SecretBox::from_base64(&B64.encode([1u8; 32])).is_ok());
        assert_eq!(
            SecretBox::from_base64("short").unwrap_err(),
            SecretError::BadKey
        );
        assert_eq!(
            SecretBox::from_base64(&B64.encode([1u8; 16])).unwrap_err(),
            SecretError::BadKey
        );
    }

    #[test]
    fn key_file_is_created_private_and_reused() {
        let dir = std::env::temp_dir().join(format!("dihya-key-{}", rand::random::<u64>()));
        std::fs::create_dir_all(&dir).unwrap();
        assert!(SecretBox::from_key_file(&dir, false).unwrap().is_none());
        let first = SecretBox::from_key_file(&dir, true).unwrap().unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.join(KEY_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let again = SecretBox::from_key_file(&dir, true).unwrap().unwrap();
        assert_eq!(first.key_id(), again.key_id());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
