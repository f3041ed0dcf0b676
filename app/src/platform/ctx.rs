//! Shared state, the authenticated actor and the per-call context every
//! service function takes first. Authorization is one call: [`Ctx::require`].
use super::{Permission, secrets::SecretBox};
use crate::error::{AppError, ErrorCode, MsgKey};
use sea_orm::DatabaseConnection;
use std::{collections::BTreeSet, sync::Arc, time::Instant};

/// Process-wide state, built once by `server::Application::build`.
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    /// Every domain's declaration (`domains::ALL`, which the platform
    /// cannot name: it sits below the domains).
    pub domains: &'static [super::Domain],
    pub started: Instant,
    pub public_url: Arc<str>,
    /// Where visitors get this instance's source code (AGPL section 13).
    pub source_url: Option<Arc<str>>,
    pub secrets: Arc<SecretBox>,
    pub auth: Arc<AuthSettings>,
    /// What just happened, for live pages and (later) alerting.
    pub events: super::events::EventBus,
    /// Wakes this process's job worker after an enqueue.
    pub jobs_wake: Arc<tokio::sync::Notify>,
    /// Wakes this process's run worker (automation) after a run is asked for.
    pub runs_wake: Arc<tokio::sync::Notify>,
    /// `DIHYA_LOCAL_EXECUTOR`: scripts may run on this instance itself.
    pub local_executor: bool,
}

/// How the actor proved who they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthMethod {
    /// A browser session (its id, for "sign out this session").
    Session(String),
    /// An API token (its `jti`).
    Token(String),
}

/// The authenticated actor of a request: a user with the permissions they
/// hold right now (for a token: the token's scopes ∩ the owner's permissions).
#[derive(Debug, Clone)]
pub struct Principal {
    pub user_id: i32,
    pub email: String,
    /// Shown in the header of server-rendered pages.
    pub display_name: String,
    pub role: String,
    pub permissions: BTreeSet<Permission>,
    pub method: AuthMethod,
}

/// Where a request came from, for the audit log.
#[derive(Debug, Clone, Default)]
pub struct ClientInfo {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

/// The scope a permission is asked for. Everything is instance-wide today;
/// per-project scopes will be added here without touching call sites.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scope {
    #[default]
    Instance,
}

/// What [`Ctx::require`] checks: a permission, optionally within a scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Need {
    pub permission: Permission,
    pub scope: Scope,
}

impl From<Permission> for Need {
    fn from(permission: Permission) -> Self {
        Need {
            permission,
            scope: Scope::Instance,
        }
    }
}

impl From<(Permission, Scope)> for Need {
    fn from((permission, scope): (Permission, Scope)) -> Self {
        Need { permission, scope }
    }
}

/// What a service needs to do its work: the database, the actor and the
/// client. Built per call by the server function.
#[derive(Clone)]
pub struct Ctx {
    pub state: AppState,
    pub principal: Option<Principal>,
    pub client: ClientInfo,
}

impl Ctx {
    pub fn new(state: AppState) -> Self {
        Ctx {
            state,
            principal: None,
            client: ClientInfo::default(),
        }
    }

    pub fn with_principal(mut self, principal: Option<Principal>) -> Self {
        self.principal = principal;
        self
    }

    /// The context of the current server function call: the actor and client
    /// were resolved by the server's auth middleware into the request extensions.
    pub fn from_request() -> Result<Self, AppError> {
        let state = leptos::prelude::use_context::<AppState>()
            .ok_or_else(|| AppError::internal("AppState missing from Leptos context"))?;
        let parts = leptos::prelude::use_context::<http::request::Parts>();
        let ext = parts.as_ref().map(|p| &p.extensions);
        Ok(Ctx {
            state,
            principal: ext.and_then(|e| e.get::<Principal>().cloned()),
            client: ext
                .and_then(|e| e.get::<ClientInfo>().cloned())
                .unwrap_or_default(),
        })
    }

    pub fn db(&self) -> &DatabaseConnection {
        &self.state.db
    }

    /// The signed-in actor, or 401.
    pub fn actor(&self) -> Result<&Principal, AppError> {
        self.principal
            .as_ref()
            .ok_or_else(|| AppError::code(ErrorCode::Unauthorized))
    }

    /// The one authorization check: 401 when anonymous, 403 without the permission.
    pub fn require(&self, need: impl Into<Need>) -> Result<&Principal, AppError> {
        let need = need.into();
        let actor = self.actor()?;
        match need.scope {
            Scope::Instance if actor.permissions.contains(&need.permission) => Ok(actor),
            Scope::Instance => Err(AppError::code(ErrorCode::Forbidden)),
        }
    }

    /// The delegation rule: an actor grants, edits or acts on nothing beyond
    /// its own permissions. 403 naming `rule` unless `perms` ⊆ the actor's.
    pub fn require_within(
        &self,
        perms: &BTreeSet<Permission>,
        rule: MsgKey,
    ) -> Result<&Principal, AppError> {
        let actor = self.actor()?;
        if perms.is_subset(&actor.permissions) {
            Ok(actor)
        } else {
            Err(AppError::because(ErrorCode::Forbidden, rule))
        }
    }

    /// 403 when the caller authenticated with an API token: credentials
    /// (password, 2FA) and sessions are changed only by a signed-in person.
    pub fn require_session(&self) -> Result<&Principal, AppError> {
        let actor = self.actor()?;
        match actor.method {
            AuthMethod::Session(_) => Ok(actor),
            AuthMethod::Token(_) => Err(AppError::because(
                ErrorCode::Forbidden,
                MsgKey::TokenForbidden,
            )),
        }
    }
}

/// Session and sign-in settings, from the configuration.
pub struct AuthSettings {
    pub idle: std::time::Duration,
    pub absolute: std::time::Duration,
    pub cookie_secure: bool,
    pub login_limiter: super::throttle::IpLimiter,
    /// HS256 key for API tokens (stored sealed in the database).
    pub jwt_key: [u8; 32],
    /// HMAC key for 2FA recovery codes (stored sealed in the database).
    pub recovery_key: [u8; 32],
}

impl AuthSettings {
    /// `__Host-` needs `Secure`, which browsers refuse on plain http
    /// (except localhost): without TLS the cookie is `dihya_session`.
    pub fn cookie_name(&self) -> &'static str {
        if self.cookie_secure {
            "__Host-dihya_session"
        } else {
            "dihya_session"
        }
    }
}
