//! `jobs` rows. Only `platform::jobs` uses them.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "jobs")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub kind: String,
    /// JSON text.
    pub payload: String,
    /// `queued`, `running`, `succeeded` or `dead`.
    pub status: String,
    /// Claims so far (each claim is an attempt).
    pub attempts: i32,
    pub max_attempts: i32,
    /// Not claimed before this time.
    pub run_at: DateTimeUtc,
    /// The instance holding the job while it runs.
    pub lease_owner: Option<String>,
    pub lease_expires_at: Option<DateTimeUtc>,
    pub idempotency_key: Option<String>,
    pub last_error: Option<String>,
    pub created_at: DateTimeUtc,
    pub finished_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
