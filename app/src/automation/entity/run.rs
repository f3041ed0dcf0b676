//! `runs`: one execution of a script (or an inline command) on one or
//! more targets.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "runs")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// `None` for an inline command.
    pub script_id: Option<i32>,
    pub script_version: Option<i32>,
    pub title: String,
    pub language: String,
    /// What runs, as it was when the run was asked for.
    pub body: String,
    /// The parameters as JSON, secret ones replaced by a mark.
    pub parameters: String,
    /// Every parameter's value as JSON, sealed; dropped when the run ends.
    pub sealed_parameters: Option<String>,
    pub timeout_seconds: i32,
    pub status: String,
    pub exit_code: Option<i32>,
    pub cancel_requested: bool,
    pub requested_by: Option<i32>,
    pub created_at: DateTimeUtc,
    pub started_at: Option<DateTimeUtc>,
    pub finished_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
