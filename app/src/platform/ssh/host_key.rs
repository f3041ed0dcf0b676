//! A server's public host key, as pinned and as `ssh-keygen -l` prints it.
use base64::{
    Engine,
    engine::general_purpose::{STANDARD, STANDARD_NO_PAD},
};
use sha2::{Digest, Sha256};

/// A server's public host key: `ssh-ed25519 AAAA…`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostKey {
    pub algorithm: String,
    /// Base64 of the key blob.
    pub key: String,
}

/// Key types by preference when a server offers several.
pub(super) const PREFERENCE: &[&str] = &[
    "ssh-ed25519",
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
    "ssh-rsa",
];

impl HostKey {
    /// Reads `algorithm base64 [comment]`; `None` for anything else.
    pub fn parse(line: &str) -> Option<Self> {
        let mut parts = line.split_whitespace();
        let (algorithm, key) = (parts.next()?, parts.next()?);
        let valid =
            PREFERENCE.contains(&algorithm) && STANDARD.decode(key).is_ok_and(|b| b.len() > 16);
        valid.then(|| Self {
            algorithm: algorithm.to_string(),
            key: key.to_string(),
        })
    }

    pub fn line(&self) -> String {
        format!("{} {}", self.algorithm, self.key)
    }

    /// `SHA256:…` as `ssh-keygen -l` prints it.
    pub fn fingerprint(&self) -> String {
        let blob = STANDARD.decode(&self.key).unwrap_or_default();
        format!("SHA256:{}", STANDARD_NO_PAD.encode(Sha256::digest(&blob)))
    }

    /// The algorithms `ssh` must ask for, so the server presents this key.
    pub(super) fn algorithms(&self) -> &str {
        if self.algorithm == "ssh-rsa" {
            "rsa-sha2-512,rsa-sha2-256,ssh-rsa"
        } else {
            &self.algorithm
        }
    }
}
