//! `status_pages` rows. Only this domain's services use them.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "status_pages")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub slug: String,
    pub title: String,
    pub description: String,
    /// A JSON array of `{"name","monitor_ids"}`.
    pub components: String,
    pub logo: Option<Vec<u8>>,
    /// The logo's media type (`image/png`, `image/jpeg`, `image/webp`).
    pub logo_type: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
