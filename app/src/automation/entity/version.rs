//! `script_versions`: every saved version of a script, whole.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "script_versions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub script_id: i32,
    pub version: i32,
    pub name: String,
    pub description: String,
    pub language: String,
    pub body: String,
    pub parameters: String,
    pub author_id: Option<i32>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
