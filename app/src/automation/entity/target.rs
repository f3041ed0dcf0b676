//! `run_targets`: one host of a run, with its own status and exit code.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "run_targets")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub run_id: i32,
    /// `None` for the local executor.
    pub server_id: Option<i32>,
    /// The server's name when the run was asked for, or `local`.
    pub label: String,
    pub status: String,
    pub exit_code: Option<i32>,
    /// Why it did not run to an exit status (unreachable, host key…).
    pub error: String,
    pub started_at: Option<DateTimeUtc>,
    pub finished_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
