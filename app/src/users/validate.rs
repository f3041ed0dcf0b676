//! Newtypes for validated user input: parse at the edge, then trust.
use crate::error::MsgKey;

/// A syntactically valid email address, trimmed and lower-cased.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, MsgKey> {
        let s = raw.trim().to_lowercase();
        let Some((local, domain)) = s.split_once('@') else {
            return Err(MsgKey::EmailInvalid);
        };
        let ok = s.len() <= 254
            && !local.is_empty()
            && local.len() <= 64
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && !s.chars().any(|c| c.is_whitespace() || c.is_control())
            && !domain.contains('@')
            && domain
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '.');
        if ok {
            Ok(Email(s))
        } else {
            Err(MsgKey::EmailInvalid)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

/// A display name: 1–100 characters after trimming, no control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayName(String);

impl DisplayName {
    pub fn parse(raw: &str) -> Result<Self, MsgKey> {
        let s = raw.trim();
        let n = s.chars().count();
        if n == 0 || n > 100 || s.chars().any(char::is_control) {
            return Err(MsgKey::NameInvalid);
        }
        Ok(DisplayName(s.to_string()))
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

/// The fields of a new account (`email`, `display_name`, `password`), every
/// invalid one reported at once.
pub fn new_account(
    email: &str,
    display_name: &str,
    password: &str,
) -> Result<(Email, DisplayName, super::password::Password), crate::error::AppError> {
    let mut errors = Vec::new();
    let email = Email::parse(email)
        .map_err(|k| errors.push(("email", k)))
        .ok();
    let name = DisplayName::parse(display_name)
        .map_err(|k| errors.push(("display_name", k)))
        .ok();
    let pw = super::password::Password::parse(password)
        .map_err(|k| errors.push(("password", k)))
        .ok();
    match (email, name, pw) {
        (Some(e), Some(n), Some(p)) => Ok((e, n, p)),
        _ => Err(crate::error::AppError::invalid(errors)),
    }
}

/// One of the locales this build ships.
pub fn locale(raw: &str) -> Result<String, MsgKey> {
    use leptos_i18n::Locale as _;
    crate::i18n_support::all_locales()
        .iter()
        .find(|l| l.as_str() == raw)
        .map(|l| l.as_str().to_string())
        .ok_or(MsgKey::LocaleUnknown)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert_eq!(
            Email::parse("  Ada@Example.ORG ").unwrap().as_str(),
            "ada@example.org"
        );
        for bad in [
            "",
            "ada",
            "ada@",
            "@x.org",
            "ada@x",
            "a b@x.org",
            "ada@x..org",
            "a@b@c.org",
            "ada@.x.org",
            &format!("{}@x.org", "a".repeat(65)),
        ] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn names_and_locales() {
        assert_eq!(
            DisplayName::parse("  Dihya  ").unwrap().into_string(),
            "Dihya"
        );
        assert!(DisplayName::parse("   ").is_err());
        assert!(DisplayName::parse(&"x".repeat(101)).is_err());
        assert!(DisplayName::parse("a\u{0}b").is_err());
        assert_eq!(locale("ar-DZ").unwrap(), "ar-DZ");
        assert!(locale("xx").is_err());
    }
}
