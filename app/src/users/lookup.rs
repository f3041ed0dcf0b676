//! Names and addresses of users by id, for domains that show or tell
//! people beside their own data.
use super::entity as user;
use crate::error::AppError;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

/// One text column of those of `ids` that exist, by id.
async fn text_by_id(
    conn: &impl ConnectionTrait,
    ids: &[i32],
    column: user::Column,
) -> Result<std::collections::BTreeMap<i32, String>, AppError> {
    use sea_orm::QuerySelect;
    if ids.is_empty() {
        return Ok(Default::default());
    }
    let rows: Vec<(i32, String)> = user::Entity::find()
        .select_only()
        .columns([user::Column::Id, column])
        .filter(user::Column::Id.is_in(ids.iter().copied()))
        .into_tuple()
        .all(conn)
        .await?;
    Ok(rows.into_iter().collect())
}

/// The display names of those of `ids` that exist, for domains that show
/// people beside their own data (an incident's reporter and assignee).
pub async fn names(
    conn: &impl ConnectionTrait,
    ids: &[i32],
) -> Result<std::collections::BTreeMap<i32, String>, AppError> {
    text_by_id(conn, ids, user::Column::DisplayName).await
}

/// The email addresses of those of `ids` that exist (a person's own
/// notification emails).
pub async fn emails(
    conn: &impl ConnectionTrait,
    ids: &[i32],
) -> Result<std::collections::BTreeMap<i32, String>, AppError> {
    text_by_id(conn, ids, user::Column::Email).await
}
