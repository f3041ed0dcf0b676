//! Enrol, confirm, disable, admin reset, and checking a code at sign-in.
use super::{Enrollment, RecoveryCodes, recovery_entity as code_row};
use crate::error::{AppError, ErrorCode, MsgKey};
use crate::platform::{
    Ctx, Permission,
    audit::{self, Event},
    secrets,
};
use crate::users::{entity as user, service as users};
use base64::{Engine, engine::general_purpose::STANDARD as B64};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    TransactionTrait, sea_query::Expr,
};
use sha2::{Digest, Sha256};
use totp_rs::{Algorithm, Secret, TOTP};

const RECOVERY_CODES: usize = 10;
const ISSUER: &str = "Dihya Ops";

fn aad(user_id: i32) -> String {
    secrets::aad("users.totp_secret", user_id)
}

fn totp(secret: Vec<u8>, account: &str) -> Result<TOTP, AppError> {
    TOTP::new(
        Algorithm::SHA1,
        6,
        1,
        30,
        secret,
        Some(ISSUER.into()),
        account.into(),
    )
    .map_err(AppError::internal)
}

fn hash_code(code: &str) -> String {
    let normal: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    Sha256::digest(normal.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Ten characters from an unambiguous alphabet, shown as `xxxxx-xxxxx` (50 bits).
fn new_recovery_code() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let chars: String = (0..10)
        .map(|_| ALPHABET[rand::random_range(0..ALPHABET.len())] as char)
        .collect();
    format!("{}-{}", &chars[..5], &chars[5..])
}

fn qr_data_url(url: &str) -> Result<String, AppError> {
    use qrcode::{QrCode, render::svg};
    let code = QrCode::new(url.as_bytes()).map_err(AppError::internal)?;
    let svg = code
        .render::<svg::Color<'_>>()
        .min_dimensions(200, 200)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .build();
    Ok(format!("data:image/svg+xml;base64,{}", B64.encode(svg)))
}

async fn load_self(ctx: &Ctx) -> Result<user::Model, AppError> {
    let actor = ctx.require(Permission::ProfileManage)?;
    users::find(ctx.db(), actor.user_id)
        .await?
        .ok_or_else(|| AppError::code(ErrorCode::Unauthorized))
}

fn open_secret(ctx: &Ctx, u: &user::Model) -> Result<Option<Vec<u8>>, AppError> {
    match &u.totp_secret {
        None => Ok(None),
        Some(sealed) => ctx
            .state
            .secrets
            .open(&aad(u.id), sealed)
            .map(Some)
            .map_err(AppError::internal),
    }
}

/// Starts (or restarts) enrolment: a new secret, pending until confirmed.
pub async fn enroll(ctx: &Ctx) -> Result<Enrollment, AppError> {
    let u = load_self(ctx).await?;
    if u.totp_enabled {
        return Err(AppError::code(ErrorCode::Conflict));
    }
    let raw: [u8; 20] = rand::random();
    let t = totp(raw.to_vec(), &u.email)?;
    let tx = ctx.db().begin().await.map_err(AppError::internal)?;
    let mut row: user::ActiveModel = u.clone().into();
    row.totp_secret = Set(Some(ctx.state.secrets.seal(&aad(u.id), &raw)));
    row.update(&tx).await.map_err(AppError::internal)?;
    audit::record(&tx, ctx, Event::new("2fa.enroll", "user").target(u.id)).await?;
    tx.commit().await.map_err(AppError::internal)?;
    let url = t.get_url();
    Ok(Enrollment {
        secret: Secret::Raw(raw.to_vec()).to_encoded().to_string(),
        qr_svg_data_url: qr_data_url(&url)?,
        otpauth_url: url,
    })
}

fn code_ok(t: &TOTP, code: &str) -> bool {
    let code = code.trim();
    code.len() == 6
        && code.bytes().all(|b| b.is_ascii_digit())
        && t.check_current(code).unwrap_or(false)
}

/// Confirms enrolment with a current code; returns the recovery codes once.
pub async fn confirm(ctx: &Ctx, code: &str) -> Result<RecoveryCodes, AppError> {
    let u = load_self(ctx).await?;
    let secret = match (u.totp_enabled, open_secret(ctx, &u)?) {
        (false, Some(s)) => s,
        _ => return Err(AppError::code(ErrorCode::Conflict)),
    };
    if !code_ok(&totp(secret, &u.email)?, code) {
        return Err(AppError::invalid([("code", MsgKey::TotpInvalid)]));
    }
    let codes: Vec<String> = (0..RECOVERY_CODES).map(|_| new_recovery_code()).collect();
    let tx = ctx.db().begin().await.map_err(AppError::internal)?;
    code_row::Entity::delete_many()
        .filter(code_row::Column::UserId.eq(u.id))
        .exec(&tx)
        .await
        .map_err(AppError::internal)?;
    let rows = codes.iter().map(|c| code_row::ActiveModel {
        user_id: Set(u.id),
        code_hash: Set(hash_code(c)),
        used_at: Set(None),
        ..Default::default()
    });
    code_row::Entity::insert_many(rows)
        .exec(&tx)
        .await
        .map_err(AppError::internal)?;
    let mut row: user::ActiveModel = u.clone().into();
    row.totp_enabled = Set(true);
    row.update(&tx).await.map_err(AppError::internal)?;
    audit::record(&tx, ctx, Event::new("2fa.enable", "user").target(u.id)).await?;
    tx.commit().await.map_err(AppError::internal)?;
    Ok(RecoveryCodes { codes })
}

async fn clear(conn: &impl ConnectionTrait, u: &user::Model) -> Result<(), AppError> {
    code_row::Entity::delete_many()
        .filter(code_row::Column::UserId.eq(u.id))
        .exec(conn)
        .await
        .map_err(AppError::internal)?;
    let mut row: user::ActiveModel = u.clone().into();
    row.totp_enabled = Set(false);
    row.totp_secret = Set(None);
    row.update(conn).await.map_err(AppError::internal)?;
    Ok(())
}

/// Turns 2FA off for oneself, proven with a current code or a recovery code.
pub async fn disable(ctx: &Ctx, code: &str) -> Result<(), AppError> {
    let u = load_self(ctx).await?;
    if !u.totp_enabled {
        return Err(AppError::code(ErrorCode::Conflict));
    }
    if !check_login_code(ctx, &u, code).await? {
        return Err(AppError::invalid([("code", MsgKey::TotpInvalid)]));
    }
    let tx = ctx.db().begin().await.map_err(AppError::internal)?;
    clear(&tx, &u).await?;
    audit::record(&tx, ctx, Event::new("2fa.disable", "user").target(u.id)).await?;
    tx.commit().await.map_err(AppError::internal)
}

/// Admin: removes a user's 2FA (lost phone) and ends their sessions.
pub async fn admin_reset(ctx: &Ctx, user_id: i32) -> Result<(), AppError> {
    ctx.require(Permission::UsersManage)?;
    let tx = ctx.db().begin().await.map_err(AppError::internal)?;
    let u = users::find(&tx, user_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    clear(&tx, &u).await?;
    crate::auth::sessions::revoke_all(&tx, u.id).await?;
    audit::record(&tx, ctx, Event::new("2fa.reset", "user").target(u.id)).await?;
    tx.commit().await.map_err(AppError::internal)
}

/// A TOTP code, or an unused recovery code (then spent, atomically).
pub async fn check_login_code(ctx: &Ctx, u: &user::Model, code: &str) -> Result<bool, AppError> {
    let Some(secret) = open_secret(ctx, u)? else {
        return Ok(false);
    };
    if code_ok(&totp(secret, &u.email)?, code) {
        return Ok(true);
    }
    if code.len() > 32 {
        return Ok(false);
    }
    let spent = code_row::Entity::update_many()
        .col_expr(code_row::Column::UsedAt, Expr::value(chrono::Utc::now()))
        .filter(code_row::Column::UserId.eq(u.id))
        .filter(code_row::Column::CodeHash.eq(hash_code(code)))
        .filter(code_row::Column::UsedAt.is_null())
        .exec(ctx.db())
        .await
        .map_err(AppError::internal)?;
    Ok(spent.rows_affected == 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovery_codes_are_distinct_and_normalized_before_hashing() {
        let codes: std::collections::HashSet<_> = (0..50).map(|_| new_recovery_code()).collect();
        assert_eq!(codes.len(), 50);
        let c = codes.iter().next().unwrap();
        assert_eq!(c.len(), 11);
        assert_eq!(hash_code(c), hash_code(&c.to_uppercase().replace('-', " ")));
    }

    #[test]
    fn totp_accepts_the_current_code_only() {
        let t = totp(vec![1u8; 20], "a@b.c").unwrap();
        let now = t.generate_current().unwrap();
        assert!(code_ok(&t, &now));
        let wrong = format!("{:06}", (now.parse::<u32>().unwrap() + 1) % 1_000_000);
        assert!(!code_ok(&t, &wrong));
        assert!(!code_ok(&t, "12345"));
        assert!(
            qr_data_url(&t.get_url())
                .unwrap()
                .starts_with("data:image/svg+xml;base64,")
        );
    }
}
