//! First-run setup link. Only a SHA-256 of the token is stored, so a copy of
//! the database does not reveal a usable link.
use super::{SetupComplete, SetupStatus};
use crate::audit::{self, Event};
use crate::auth::Me;
use crate::error::{AppError, ErrorCode, MsgKey};
use crate::platform::{AuthMethod, Ctx, hex, meta, permission::ADMIN};
use crate::users::{password, service as users};
use sea_orm::DatabaseConnection;
use sha2::{Digest, Sha256};

const TOKEN_HASH_KEY: &str = "setup_token_sha256";
const COMPLETED_KEY: &str = "setup_completed_at";

/// Tokens are 32 random bytes, hex-encoded (64 characters).
const TOKEN_LEN: usize = 64;

fn hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// At start-up: when setup has not been completed, issue a fresh one-time
/// token (replacing any earlier one) and return it for the console.
pub async fn issue_token_if_needed(db: &DatabaseConnection) -> Result<Option<String>, AppError> {
    if meta::get(db, COMPLETED_KEY).await?.is_some() {
        return Ok(None);
    }
    let token = hex(&rand::random::<[u8; 32]>());
    meta::put(db, TOKEN_HASH_KEY, hash(&token)).await?;
    Ok(Some(token))
}

/// Whether `token` is the current setup token. Malformed input is simply invalid.
pub async fn check(ctx: &Ctx, token: &str) -> Result<SetupStatus, AppError> {
    if token.len() != TOKEN_LEN || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(SetupStatus { valid: false });
    }
    if meta::get(ctx.db(), COMPLETED_KEY).await?.is_some() {
        return Ok(SetupStatus { valid: false });
    }
    let stored = meta::get(ctx.db(), TOKEN_HASH_KEY).await?;
    Ok(SetupStatus {
        valid: stored.is_some_and(|h| constant_time_eq(h.as_bytes(), hash(token).as_bytes())),
    })
}

/// `POST /api/setup/complete`: creates the first administrator, signs them
/// in and retires the link, all or nothing.
pub async fn complete(
    ctx: &Ctx,
    session: &tower_sessions::Session,
    input: SetupComplete,
) -> Result<Me, AppError> {
    let (token, email) = (input.token.as_str(), input.email.as_str());
    let (display_name, password_raw) = (input.display_name.as_str(), input.password.as_str());
    if !check(ctx, token).await?.valid {
        return Err(AppError::because(
            ErrorCode::Forbidden,
            MsgKey::SetupExpired,
        ));
    }
    let (email, name, pw) = crate::users::validate::new_account(email, display_name, password_raw)?;
    let hash = password::hash(&pw).await?;
    let tx = crate::platform::db::begin(ctx.db()).await?;
    // Re-checked inside the transaction: two racing submissions create one admin.
    if meta::get(&tx, COMPLETED_KEY).await?.is_some() {
        return Err(AppError::because(
            ErrorCode::Forbidden,
            MsgKey::SetupExpired,
        ));
    }
    let new = users::NewAccount::with_password(email, name.into_string(), ADMIN, hash);
    let u = users::insert(&tx, new).await?;
    meta::put_new(&tx, COMPLETED_KEY, chrono::Utc::now().to_rfc3339())
        .await
        .map_err(|_| AppError::because(ErrorCode::Forbidden, MsgKey::SetupExpired))?;
    meta::delete(&tx, TOKEN_HASH_KEY).await?;
    let principal = users::principal_of(&tx, &u, AuthMethod::Session(String::new()))
        .await?
        .ok_or_else(|| AppError::internal("new admin has no permissions"))?;
    let acting = ctx.clone().with_principal(Some(principal.clone()));
    audit::record(
        &tx,
        &acting,
        Event::new("setup.complete", "user")
            .target(u.id)
            .diff(serde_json::json!({"after": {"email": u.email, "role": u.role}})),
    )
    .await?;
    tx.commit().await?;
    crate::sessions::service::start(ctx, session, u.id).await?;
    Ok(crate::auth::service::me_of(&u, &principal))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn ctx() -> Ctx {
        crate::testing::test_ctx().await
    }

    #[tokio::test]
    async fn issued_token_is_valid_and_replaced_on_restart() {
        let ctx = ctx().await;
        let first = issue_token_if_needed(ctx.db()).await.unwrap().unwrap();
        assert_eq!(first.len(), TOKEN_LEN);
        assert!(check(&ctx, &first).await.unwrap().valid);
        let second = issue_token_if_needed(ctx.db()).await.unwrap().unwrap();
        assert_ne!(first, second);
        assert!(
            !check(&ctx, &first).await.unwrap().valid,
            "old link must stop working"
        );
        assert!(check(&ctx, &second).await.unwrap().valid);
    }

    #[tokio::test]
    async fn malformed_or_wrong_tokens_are_invalid() {
        let ctx = ctx().await;
        issue_token_if_needed(ctx.db()).await.unwrap();
        for bad in [
            "",
            "abc",
            &"z".repeat(64),
            &"0".repeat(64),
            &"a".repeat(10_000),
        ] {
            assert!(!check(&ctx, bad).await.unwrap().valid, "{bad:.10}");
        }
    }

    #[tokio::test]
    async fn stored_value_is_a_hash_not_the_token() {
        let ctx = ctx().await;
        let token = issue_token_if_needed(ctx.db()).await.unwrap().unwrap();
        let stored = meta::get(ctx.db(), TOKEN_HASH_KEY).await.unwrap().unwrap();
        assert_ne!(stored, token);
        assert_eq!(stored, hash(&token));
    }
}
