//! The one error type of the application.
//!
//! On the wire every error is `{"error": {"code", "message", "fields"}}`; the
//! message is localized on the server for the caller's language. The same type
//! is decoded in the browser, so pages show the server's message as is.
use serde::{Deserialize, Serialize};
use std::{collections::BTreeMap, fmt};

// `MsgKey::localize`: each message in each language.
mod messages;

/// Stable machine-readable error codes; each maps to exactly one HTTP status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum ErrorCode {
    BadRequest,
    Unauthorized,
    Forbidden,
    NotFound,
    MethodNotAllowed,
    Conflict,
    Timeout,
    PayloadTooLarge,
    Validation,
    RateLimited,
    Internal,
    Unavailable,
}

impl ErrorCode {
    pub fn status(self) -> u16 {
        match self {
            ErrorCode::BadRequest => 400,
            ErrorCode::Unauthorized => 401,
            ErrorCode::Forbidden => 403,
            ErrorCode::NotFound => 404,
            ErrorCode::MethodNotAllowed => 405,
            ErrorCode::Timeout => 408,
            ErrorCode::Conflict => 409,
            ErrorCode::PayloadTooLarge => 413,
            ErrorCode::Validation => 422,
            ErrorCode::RateLimited => 429,
            ErrorCode::Internal => 500,
            ErrorCode::Unavailable => 503,
        }
    }

    /// The message shown when nothing more specific is known.
    pub fn default_message(self) -> MsgKey {
        match self {
            ErrorCode::BadRequest => MsgKey::BadRequest,
            ErrorCode::Unauthorized => MsgKey::Unauthorized,
            ErrorCode::Forbidden => MsgKey::Forbidden,
            ErrorCode::NotFound => MsgKey::NotFound,
            ErrorCode::MethodNotAllowed => MsgKey::BadRequest,
            ErrorCode::Conflict => MsgKey::BadRequest,
            ErrorCode::Timeout => MsgKey::Timeout,
            ErrorCode::PayloadTooLarge => MsgKey::PayloadTooLarge,
            ErrorCode::Validation => MsgKey::Validation,
            ErrorCode::RateLimited => MsgKey::RateLimited,
            ErrorCode::Internal => MsgKey::Internal,
            ErrorCode::Unavailable => MsgKey::Unavailable,
        }
    }
}

/// Translatable error messages. Each variant is a key in `locales/*.json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MsgKey {
    BadRequest,
    MalformedJson,
    PayloadTooLarge,
    NotFound,
    RateLimited,
    Timeout,
    Unavailable,
    Internal,
    Unauthorized,
    Forbidden,
    Validation,
    EmailInvalid,
    EmailTaken,
    NameInvalid,
    PasswordTooShort,
    PasswordTooLong,
    PasswordCommon,
    RoleUnknown,
    LastAdmin,
    OwnRole,
    BadCredentials,
    SetupExpired,
    TotpRequired,
    TotpInvalid,
    TooManyAttempts,
    ScopeUnknown,
    CrossSite,
    ExpiryInvalid,
    LocaleUnknown,
    UrlInvalid,
    SsoFailed,
    SsoUnverified,
    GrantExceeds,
    OwnRoleEdit,
    TargetExceeds,
    AdminOnly,
    ConfirmPassword,
    TokenForbidden,
    TokenOutlives,
    SsoLinkProof,
    SsoTotp,
    IpInvalid,
    TextTooLong,
    ChoiceInvalid,
    EnvironmentInvalid,
    TagInvalid,
    NumberInvalid,
    PortInvalid,
    CredentialInvalid,
    HostnameInvalid,
    ServerNameTaken,
    TransitionInvalid,
    NotDecommissioned,
    FilterInvalid,
    ImportRows,
    CsvInvalid,
    CsvColumn,
    IntervalInvalid,
    TimeoutInvalid,
    HeaderInvalid,
    StatusCodesInvalid,
    RegexInvalid,
    TargetInvalid,
    PluginInvalid,
    MonitorNameTaken,
    ServerUnknown,
    HeartbeatNotTestable,
    RangeInvalid,
    SshProfileIncomplete,
    HostKeyChanged,
    SshNeedsServer,
    TooManyViews,
    IncidentTitleInvalid,
    IncidentTextInvalid,
    IncidentServersInvalid,
    CommentInvalid,
    IncidentTransitionInvalid,
    AssigneeInvalid,
    UpdateEmpty,
    NotificationIdsInvalid,
    PostmortemInvalid,
    MatcherInvalid,
    DateInvalid,
    MaintenanceScope,
    WeekdaysInvalid,
    TimeOfDayInvalid,
    TimeZoneInvalid,
    TimeRangeInvalid,
    RuleNameTaken,
    TooManyRules,
    MonitorUnknown,
    LabelsInvalid,
    AlertIdsInvalid,
    ReasonInvalid,
    AlertmanagerVersion,
    AlertmanagerAlerts,
    SecretRequired,
    SecretTooShort,
    ChannelNameTaken,
    ChannelUnknown,
    SlugInvalid,
    SlugTaken,
    ComponentsInvalid,
    LogoInvalid,
    PostmortemUnsaved,
    StatusPagesFull,
    EscalationInvalid,
    ScriptNameTaken,
    ScriptBodyInvalid,
    ParametersInvalid,
    ParameterValueInvalid,
    ParameterUnknown,
    ParameterRequired,
    LocalExecutorOff,
    RunTargetsInvalid,
    RunFinished,
    ScriptOrCommand,
    ScriptUnknown,
    LibraryFull,
}

/// The body of an error response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub code: ErrorCode,
    pub message: String,
    /// Field name → localized message, for validation errors.
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
    /// With `rate_limited`: seconds until a retry may succeed (also sent as `Retry-After`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
}

/// `{"error": ErrorBody}` — the one error type every route returns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AppError {
    pub error: ErrorBody,
}

impl AppError {
    /// An error in the caller's language (taken from the current request on the server).
    pub fn new(code: ErrorCode, key: MsgKey) -> Self {
        Self::with_locale(code, key, crate::i18n_support::current_locale())
    }

    pub fn with_locale(code: ErrorCode, key: MsgKey, locale: crate::i18n::Locale) -> Self {
        AppError {
            error: ErrorBody {
                code,
                message: key.localize(locale),
                fields: BTreeMap::new(),
                retry_after: None,
            },
        }
    }

    pub fn code(code: ErrorCode) -> Self {
        Self::new(code, code.default_message())
    }

    /// 422 with one localized message per invalid field.
    pub fn invalid<'a>(fields: impl IntoIterator<Item = (&'a str, MsgKey)>) -> Self {
        let locale = crate::i18n_support::current_locale();
        let mut err = Self::with_locale(ErrorCode::Validation, MsgKey::Validation, locale);
        for (field, key) in fields {
            err.error
                .fields
                .insert(field.to_string(), key.localize(locale));
        }
        err
    }

    /// Adds a localized message for one field (e.g. which input to show).
    pub fn with_field(mut self, field: &str, key: MsgKey) -> Self {
        let locale = crate::i18n_support::current_locale();
        self.error
            .fields
            .insert(field.to_string(), key.localize(locale));
        self
    }

    /// An error whose message says more than the code's default.
    pub fn because(code: ErrorCode, key: MsgKey) -> Self {
        Self::new(code, key)
    }

    /// 429 with the number of seconds to wait.
    pub fn retry_after(key: MsgKey, seconds: u64) -> Self {
        let mut err = Self::new(ErrorCode::RateLimited, key);
        err.error.retry_after = Some(seconds.max(1));
        err
    }

    pub fn not_found() -> Self {
        Self::code(ErrorCode::NotFound)
    }

    /// Logs the cause on the server and returns a generic 500 that reveals nothing.
    pub fn internal(cause: impl fmt::Display) -> Self {
        #[cfg(feature = "ssr")]
        tracing::error!(error = %cause, "internal error");
        #[cfg(not(feature = "ssr"))]
        let _ = cause;
        Self::code(ErrorCode::Internal)
    }

    pub fn status(&self) -> u16 {
        self.error.code.status()
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| {
            r#"{"error":{"code":"internal","message":"internal error","fields":{}}}"#.into()
        })
    }
}

impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}: {}", self.error.code, self.error.message)
    }
}

impl std::error::Error for AppError {}

/// A database error is never the caller's fault: it is logged and answered
/// with a 500 that says nothing of the query, so services write `?`.
#[cfg(feature = "ssr")]
impl From<sea_orm::DbErr> for AppError {
    fn from(err: sea_orm::DbErr) -> Self {
        AppError::internal(err)
    }
}

/// Likewise for the session store (it is the same database).
#[cfg(feature = "ssr")]
impl From<tower_sessions::session::Error> for AppError {
    fn from(err: tower_sessions::session::Error) -> Self {
        AppError::internal(err)
    }
}

impl leptos::server_fn::error::FromServerFnError for AppError {
    type Encoder = leptos::server_fn::codec::JsonEncoding;

    fn from_server_fn_error(value: leptos::server_fn::error::ServerFnErrorErr) -> Self {
        use leptos::server_fn::error::ServerFnErrorErr as E;
        let err = match &value {
            // Bad input from the caller: never a 500.
            E::Args(_) | E::Deserialization(_) | E::MissingArg(_) => {
                AppError::new(ErrorCode::BadRequest, MsgKey::MalformedJson)
            }
            E::Request(_) => AppError::code(ErrorCode::Unavailable),
            _ => AppError::internal(&value),
        };
        crate::i18n_support::set_response_status(err.status());
        err
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Locale;

    #[test]
    fn wire_format_is_error_object() {
        let err = AppError::with_locale(ErrorCode::NotFound, MsgKey::NotFound, Locale::en);
        let json: serde_json::Value = serde_json::from_str(&err.to_json()).unwrap();
        assert_eq!(json["error"]["code"], "not_found");
        assert_eq!(
            json["error"]["message"],
            "Nothing was found at this address."
        );
        assert!(json["error"]["fields"].as_object().unwrap().is_empty());
    }

    #[test]
    fn messages_are_localized() {
        let en = MsgKey::RateLimited.localize(Locale::en);
        let fr = MsgKey::RateLimited.localize(Locale::fr);
        let ar = MsgKey::RateLimited.localize(Locale::ar);
        assert_ne!(en, fr);
        assert_ne!(en, ar);
        assert!(!fr.is_empty() && !ar.is_empty());
    }

    #[test]
    fn every_code_maps_to_a_client_or_server_status() {
        for code in [
            ErrorCode::BadRequest,
            ErrorCode::Unauthorized,
            ErrorCode::Forbidden,
            ErrorCode::NotFound,
            ErrorCode::MethodNotAllowed,
            ErrorCode::Conflict,
            ErrorCode::Timeout,
            ErrorCode::PayloadTooLarge,
            ErrorCode::Validation,
            ErrorCode::RateLimited,
            ErrorCode::Internal,
            ErrorCode::Unavailable,
        ] {
            assert!((400..600).contains(&code.status()));
        }
    }
}
