//! Password policy and hashing. argon2id with m = 19456 KiB, t = 2, p = 1
//! (OWASP's recommendation), always on the blocking pool: one hash takes
//! tens of milliseconds of CPU and must never stall the async runtime.
use crate::error::{AppError, MsgKey};
use argon2::{
    Algorithm, Argon2, Params, Version,
    password_hash::{PasswordHasher, PasswordVerifier, phc::PasswordHash},
};
use std::collections::HashSet;
use std::sync::{
    OnceLock,
    atomic::{AtomicBool, Ordering},
};

pub const MIN_LEN: usize = 12;
pub const MAX_LEN: usize = 128;
const M_COST: u32 = 19_456;
const T_COST: u32 = 2;
const P_COST: u32 = 1;

/// Set by the integration tests' harness only (`cheap_hashing_for_tests`):
/// they create and sign in hundreds of accounts, and each production hash
/// costs tens of milliseconds of CPU on a two-core machine. The server
/// never sets it; the unit tests below keep and check the real costs.
static CHEAP: AtomicBool = AtomicBool::new(false);

/// Makes every later hash use argon2's smallest costs (8 KiB, one pass).
/// For test harnesses: never call it from the product.
#[doc(hidden)]
pub fn cheap_hashing_for_tests() {
    CHEAP.store(true, Ordering::Relaxed);
}

/// The costs `(m, t, p)` new hashes use and stored hashes are checked against.
fn costs() -> (u32, u32, u32) {
    if CHEAP.load(Ordering::Relaxed) {
        (Params::MIN_M_COST, Params::MIN_T_COST, P_COST)
    } else {
        (M_COST, T_COST, P_COST)
    }
}

/// A password that passed the policy. Its `Debug` never shows the value.
pub struct Password(String);

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

impl Password {
    pub fn parse(raw: &str) -> Result<Self, MsgKey> {
        let len = raw.chars().count();
        if len < MIN_LEN {
            return Err(MsgKey::PasswordTooShort);
        }
        if len > MAX_LEN {
            return Err(MsgKey::PasswordTooLong);
        }
        if is_common(raw) {
            return Err(MsgKey::PasswordCommon);
        }
        Ok(Password(raw.to_string()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

fn common_list() -> &'static HashSet<&'static str> {
    static LIST: OnceLock<HashSet<&'static str>> = OnceLock::new();
    LIST.get_or_init(|| {
        include_str!("../../data/common-passwords.txt")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .collect()
    })
}

/// In the bundled list as is, with digits or punctuation appended
/// (`password2024!`), or as a listed entry repeated (`qwertyqwerty`).
fn is_common(raw: &str) -> bool {
    let lower = raw.to_lowercase();
    let list = common_list();
    if list.contains(lower.as_str()) {
        return true;
    }
    let core = lower.trim_end_matches(|c: char| c.is_ascii_digit() || c.is_ascii_punctuation());
    if core.len() >= 4 && list.contains(core) {
        return true;
    }
    (1..=lower.len() / 2).any(|n| {
        lower.len().is_multiple_of(n)
            && lower.is_char_boundary(n)
            && lower[..n].repeat(lower.len() / n) == lower
            && (n < 4 || list.contains(&lower[..n]))
    })
}

fn hasher() -> Argon2<'static> {
    let (m, t, p) = costs();
    let params = Params::new(m, t, p, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// A hash of a random password, verified against when the account does not
/// exist so that "no such user" and "wrong password" take the same time.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_now(&format!("{:x}", rand::random::<u128>())))
}

fn hash_now(password: &str) -> String {
    hasher()
        .hash_password(password.as_bytes())
        .expect("argon2 hashing with valid parameters")
        .to_string()
}

/// At most (cores − 1) hashes at once, at least one: a burst of sign-ins
/// queues here instead of taking every core from the async runtime.
fn hashing_slots() -> &'static tokio::sync::Semaphore {
    static SLOTS: OnceLock<tokio::sync::Semaphore> = OnceLock::new();
    SLOTS.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        tokio::sync::Semaphore::new(cores.saturating_sub(1).max(1))
    })
}

/// Runs one argon2 computation on the blocking pool, within the slots.
async fn off_runtime<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, AppError> {
    let _slot = hashing_slots()
        .acquire()
        .await
        .map_err(AppError::internal)?;
    tokio::task::spawn_blocking(work)
        .await
        .map_err(AppError::internal)
}

/// Hashes on the blocking pool.
pub async fn hash(password: &Password) -> Result<String, AppError> {
    let pw = password.0.clone();
    off_runtime(move || hash_now(&pw)).await
}

/// Result of checking a password against a stored hash.
#[derive(Debug, PartialEq, Eq)]
pub enum Verified {
    No,
    Yes,
    /// Correct, and the stored hash uses old parameters: store this new one.
    YesRehashed(String),
}

/// Verifies on the blocking pool; `stored = None` (unknown account or
/// SSO-only) verifies against a dummy hash and always answers `No`.
pub async fn verify(password: &str, stored: Option<&str>) -> Result<Verified, AppError> {
    let pw = password.to_string();
    let stored = stored.map(str::to_string);
    off_runtime(move || {
        let real = stored.is_some();
        let text = stored.unwrap_or_else(|| dummy_hash().to_string());
        let Ok(parsed) = PasswordHash::new(&text) else {
            return Verified::No;
        };
        let ok = hasher().verify_password(pw.as_bytes(), &parsed).is_ok();
        match (real && ok, outdated(&parsed)) {
            (false, _) => Verified::No,
            (true, false) => Verified::Yes,
            (true, true) => Verified::YesRehashed(hash_now(&pw)),
        }
    })
    .await
}

fn outdated(parsed: &PasswordHash) -> bool {
    let alg_ok = parsed.algorithm.as_str() == "argon2id";
    let get = |name: &str| {
        parsed
            .params
            .iter()
            .find(|(k, _)| k.as_str() == name)
            .and_then(|(_, v)| v.decimal().ok())
    };
    let (m, t, p) = costs();
    !(alg_ok && get("m") == Some(m) && get("t") == Some(t) && get("p") == Some(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_length_and_common_passwords() {
        assert_eq!(
            Password::parse("short").unwrap_err(),
            MsgKey::PasswordTooShort
        );
        assert_eq!(
            Password::parse(&"a1".repeat(65)).unwrap_err(),
            MsgKey::PasswordTooLong
        );
        for common in [
            "qazwsxedcrfv",
            "1q2w3e4r5t6y",
            "Password2024!",
            "dragondragon",
            "123456123456",
        ] {
            assert_eq!(
                Password::parse(common).unwrap_err(),
                MsgKey::PasswordCommon,
                "{common}"
            );
        }
        assert!(Password::parse("correct horse battery staple").is_ok());
        // Twelve characters counted as characters, not bytes.
        assert!(Password::parse("ⵣⵣⴰⵎⴰⵣⵉⵖ-ⵜⴰⵎⵓⵔⵜ").is_ok());
        assert_eq!(
            format!("{:?}", Password::parse("correct horse battery").unwrap()),
            "Password(***)"
        );
    }

    #[tokio::test]
    async fn hash_verify_and_rehash_old_parameters() {
        let pw = Password::parse("correct horse battery staple").unwrap();
        let h = hash(&pw).await.unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert_eq!(verify(pw.expose(), Some(&h)).await.unwrap(), Verified::Yes);
        assert_eq!(
            verify("wrong password!!", Some(&h)).await.unwrap(),
            Verified::No
        );
        assert_eq!(verify(pw.expose(), None).await.unwrap(), Verified::No);
        assert_eq!(
            verify(pw.expose(), Some("not a hash")).await.unwrap(),
            Verified::No
        );
        let old = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(8192, 1, 1, None).unwrap(),
        )
        .hash_password(pw.expose().as_bytes())
        .unwrap()
        .to_string();
        match verify(pw.expose(), Some(&old)).await.unwrap() {
            Verified::YesRehashed(new) => assert!(new.contains("m=19456,t=2,p=1")),
            other => panic!("expected a rehash, got {other:?}"),
        }
    }
}
