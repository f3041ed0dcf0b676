//! `users` rows. Never sent on the wire: see [`super::UserView`].
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Stored lower-cased: unique case-insensitively.
    pub email: String,
    pub display_name: String,
    /// PHC string; `None` for accounts that only sign in through SSO.
    pub password_hash: Option<String>,
    pub role: String,
    pub locale: String,
    pub theme: String,
    /// `active` or `disabled`.
    pub status: String,
    /// Sealed with `platform::secrets` (aad `users.totp_secret:<id>`).
    pub totp_secret: Option<String>,
    pub totp_enabled: bool,
    /// The last TOTP time step accepted (Unix time / 30): codes are single use.
    pub totp_last_step: Option<i64>,
    pub oidc_subject: Option<String>,
    pub created_at: DateTimeUtc,
    pub last_sign_in_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
