//! A server's SSH access: the connection test that pins its host key, and
//! the access other domains use to run commands on it (monitoring's SSH
//! checks now, automation later). Commands run through `platform::ssh`.
use super::entity as server;
use super::{SshTest, SshTestState};
use crate::audit::{self, Event};
use crate::error::{AppError, ErrorCode, MsgKey};
use crate::platform::secrets::SecretBox;
use crate::platform::ssh::{self, Credential, Endpoint, HostKey, SshError};
use crate::platform::{Ctx, Permission};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, EntityTrait};
use serde_json::json;
use std::time::Duration;

/// How long a connection test may take, scan and login each.
const TEST_TIMEOUT: Duration = Duration::from_secs(10);
/// The command a connection test runs: harmless, and says what the host is.
const TEST_COMMAND: &str = "uname -srm";

/// Everything needed to run a command on a server.
pub struct SshAccess {
    pub endpoint: Endpoint,
    pub credential: Credential,
    pub host_key: HostKey,
}

impl std::fmt::Debug for SshAccess {
    // Never the credential.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SshAccess")
            .field("endpoint", &self.endpoint)
            .field("host_key", &self.host_key.fingerprint())
            .finish_non_exhaustive()
    }
}

/// What a connection test answers before the key is confirmed.
fn unpinned(key: &HostKey) -> SshTest {
    SshTest {
        state: SshTestState::Unpinned,
        algorithm: key.algorithm.clone(),
        fingerprint: key.fingerprint(),
        message: String::new(),
    }
}

/// A server's endpoint and opened credential; `Err` names what is missing.
fn profile(m: &server::Model, secrets: &SecretBox) -> Result<(Endpoint, Credential), MsgKey> {
    let user = m
        .ssh_user
        .clone()
        .filter(|u| !u.is_empty())
        .ok_or(MsgKey::SshProfileIncomplete)?;
    let (Some(kind), Some(sealed)) = (&m.ssh_credential_kind, &m.ssh_credential) else {
        return Err(MsgKey::SshProfileIncomplete);
    };
    let secret = secrets
        .open_string(&super::service::credential_aad(m.id), sealed)
        .map_err(|_| MsgKey::SshProfileIncomplete)?;
    let credential = if kind == "password" {
        Credential::Password(secret)
    } else {
        Credential::PrivateKey(secret)
    };
    let endpoint = Endpoint {
        host: m.hostname.clone(),
        port: u16::try_from(m.ssh_port).unwrap_or(22),
        user,
    };
    Ok((endpoint, credential))
}

/// What a command on server `id` needs; a message an operator can act on
/// when the server has no complete SSH profile or no pinned host key.
pub async fn access(
    conn: &impl ConnectionTrait,
    secrets: &SecretBox,
    id: i32,
) -> Result<SshAccess, String> {
    let m = server::Entity::find_by_id(id)
        .one(conn)
        .await
        .map_err(|e| e.to_string())?
        .ok_or("the server is gone")?;
    let (endpoint, credential) = profile(&m, secrets)
        .map_err(|_| "the server has no SSH user and credential".to_string())?;
    let host_key = m
        .ssh_host_key
        .as_deref()
        .and_then(HostKey::parse)
        .ok_or("the server's host key is not pinned yet: test its connection first")?;
    Ok(SshAccess {
        endpoint,
        credential,
        host_key,
    })
}

fn changed() -> AppError {
    AppError::because(ErrorCode::Conflict, MsgKey::HostKeyChanged)
}

/// `POST /api/servers/ssh-test {"id", "trust"?, "forget"?}`: reads the
/// host key the server presents. Unpinned, it answers the key's
/// fingerprint for the operator to confirm, and pins it when `trust`
/// repeats that fingerprint; pinned, a different key is refused (409) and
/// never replaced except by `forget`. With a pinned key it signs in and
/// runs `uname -srm`.
pub async fn test_connection(
    ctx: &Ctx,
    id: i32,
    trust: Option<String>,
    forget: bool,
) -> Result<SshTest, AppError> {
    ctx.require(Permission::ServersWrite)?;
    let m = server::Entity::find_by_id(id)
        .one(ctx.db())
        .await?
        .ok_or_else(AppError::not_found)?;
    let (endpoint, credential) =
        profile(&m, &ctx.state.secrets).map_err(|k| AppError::invalid([("ssh_user", k)]))?;
    let presented = match ssh::scan(&endpoint, TEST_TIMEOUT).await {
        Ok(keys) => keys,
        Err(e) => return Ok(SshTest::failed(e.to_string())),
    };
    let pinned = if forget {
        None
    } else {
        m.ssh_host_key.as_deref().and_then(HostKey::parse)
    };
    let key = match (pinned, trust) {
        (Some(p), _) if presented.contains(&p) => p,
        (Some(p), _) => {
            tracing::warn!(server = id, pinned = %p.fingerprint(), "SSH host key changed");
            return Err(changed());
        }
        (None, None) => {
            if forget {
                pin(ctx, &m, None).await?;
            }
            return Ok(unpinned(&presented[0]));
        }
        (None, Some(fingerprint)) => {
            let Some(k) = presented
                .iter()
                .find(|k| k.fingerprint() == fingerprint.trim())
            else {
                return Err(changed());
            };
            pin(ctx, &m, Some(k)).await?;
            k.clone()
        }
    };
    let out = ssh::run(
        &endpoint,
        &credential,
        &key,
        TEST_COMMAND,
        TEST_TIMEOUT,
        4096,
    )
    .await;
    Ok(match out {
        Ok(o) if o.status == 0 => SshTest {
            state: SshTestState::Connected,
            algorithm: key.algorithm.clone(),
            fingerprint: key.fingerprint(),
            message: o.stdout.trim().to_string(),
        },
        Ok(o) => SshTest::failed(format!("the test command exited with {}", o.status)),
        Err(SshError::HostKeyChanged) => return Err(changed()),
        Err(e) => SshTest::failed(e.to_string()),
    })
}

/// Stores (or clears) the server's pinned host key, audited.
async fn pin(ctx: &Ctx, m: &server::Model, key: Option<&HostKey>) -> Result<(), AppError> {
    let tx = crate::platform::db::begin(ctx.db()).await?;
    server::ActiveModel {
        id: sea_orm::ActiveValue::Unchanged(m.id),
        ssh_host_key: Set(key.map(HostKey::line)),
        ..Default::default()
    }
    .update(&tx)
    .await?;
    let action = if key.is_some() {
        "server.host_key_pin"
    } else {
        "server.host_key_forget"
    };
    audit::record(
        &tx,
        ctx,
        Event::new(action, "server")
            .target(m.id)
            .diff(json!({"fingerprint": key.map(HostKey::fingerprint)})),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
