//! `instance_meta`: small key/value facts about this instance (the setup
//! token's hash, sealed keys, the SSO settings). The one owner of the table:
//! every domain reads and writes its rows through [`get`] and [`put`].
use crate::error::AppError;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ConnectionTrait, EntityTrait, sea_query::OnConflict,
};

mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "instance_meta")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub key: String,
        pub value: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// The value stored under `key`, if any.
pub async fn get(conn: &impl ConnectionTrait, key: &str) -> Result<Option<String>, AppError> {
    Ok(entity::Entity::find_by_id(key.to_string())
        .one(conn)
        .await?
        .map(|m| m.value))
}

/// Stores `value` under `key`, replacing what was there.
pub async fn put(conn: &impl ConnectionTrait, key: &str, value: String) -> Result<(), AppError> {
    entity::Entity::insert(entity::ActiveModel {
        key: Set(key.into()),
        value: Set(value),
    })
    .on_conflict(
        OnConflict::column(entity::Column::Key)
            .update_column(entity::Column::Value)
            .to_owned(),
    )
    .exec_without_returning(conn)
    .await?;
    Ok(())
}

/// Stores `value` under `key` only when the key is new: a second instance
/// starting at the same time keeps the first one's value (insert fails on
/// the primary key instead of overwriting it).
pub async fn put_new(
    conn: &impl ConnectionTrait,
    key: &str,
    value: String,
) -> Result<(), AppError> {
    entity::ActiveModel {
        key: Set(key.into()),
        value: Set(value),
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// Removes `key` (nothing happens when it is absent).
pub async fn delete(conn: &impl ConnectionTrait, key: &str) -> Result<(), AppError> {
    entity::Entity::delete_by_id(key.to_string())
        .exec(conn)
        .await?;
    Ok(())
}
