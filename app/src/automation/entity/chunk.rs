//! `run_chunks`: a run's output, a compressed block of lines per row.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "run_chunks")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub run_id: i32,
    pub target_id: i32,
    /// The run-wide number of the block's first line (from 0).
    pub first_line: i64,
    pub lines: i32,
    /// The lines' bytes before compression.
    pub raw_bytes: i64,
    /// `log::encode`d lines, deflated.
    pub data: Vec<u8>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
