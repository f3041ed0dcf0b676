//! A tower-sessions store on SeaORM, so sessions live in the same SQLite or
//! PostgreSQL database as everything else (the sqlx-0.8 based stores cannot
//! be linked beside SeaORM 2's sqlx 0.9).
//!
//! `create` inserts and `save` only updates: a session revoked (row deleted)
//! while one of its requests is in flight is not brought back by that
//! request's save.
use super::entity as row;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, sea_query::Expr,
};
use tower_sessions::{
    ExpiredDeletion, SessionStore,
    session::{Id, Record},
    session_store::{Error, Result},
};

/// Session data keys copied into columns.
pub const KEY_USER: &str = "uid";
pub const KEY_IP: &str = "ip";
pub const KEY_UA: &str = "ua";

#[derive(Debug, Clone)]
pub struct SeaOrmStore {
    db: DatabaseConnection,
}

impl SeaOrmStore {
    pub fn new(db: DatabaseConnection) -> Self {
        SeaOrmStore { db }
    }
}

fn backend(e: impl std::fmt::Display) -> Error {
    Error::Backend(e.to_string())
}

fn to_chrono(t: time::OffsetDateTime) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp(t.unix_timestamp(), 0).unwrap_or_default()
}

fn from_chrono(t: chrono::DateTime<chrono::Utc>) -> time::OffsetDateTime {
    time::OffsetDateTime::from_unix_timestamp(t.timestamp())
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
}

fn text(record: &Record, key: &str, max: usize) -> Option<String> {
    record
        .data
        .get(key)
        .and_then(|v| v.as_str())
        .map(|s| s.chars().take(max).collect())
}

fn columns(record: &Record) -> Result<(String, Option<i32>)> {
    let data = serde_json::to_string(&record.data).map_err(|e| Error::Encode(e.to_string()))?;
    let user = record
        .data
        .get(KEY_USER)
        .and_then(|v| v.as_i64())
        .and_then(|v| i32::try_from(v).ok());
    Ok((data, user))
}

#[async_trait::async_trait]
impl SessionStore for SeaOrmStore {
    async fn create(&self, record: &mut Record) -> Result<()> {
        let (data, user_id) = columns(record)?;
        // 128 random bits: retry on the (theoretical) collision.
        for _ in 0..4 {
            let model = row::ActiveModel {
                id: Set(record.id.to_string()),
                user_id: Set(user_id),
                data: Set(data.clone()),
                expires_at: Set(to_chrono(record.expiry_date)),
                created_at: Set(chrono::Utc::now()),
                ip: Set(text(record, KEY_IP, 64)),
                user_agent: Set(text(record, KEY_UA, 256)),
            };
            match row::Entity::insert(model).exec(&self.db).await {
                Ok(_) => return Ok(()),
                Err(_) if self.load(&record.id).await?.is_some() => record.id = Id::default(),
                Err(e) => return Err(backend(e)),
            }
        }
        Err(backend("could not allocate a session id"))
    }

    async fn save(&self, record: &Record) -> Result<()> {
        let (data, user_id) = columns(record)?;
        row::Entity::update_many()
            .col_expr(row::Column::Data, Expr::value(data))
            .col_expr(row::Column::UserId, Expr::value(user_id))
            .col_expr(
                row::Column::ExpiresAt,
                Expr::value(to_chrono(record.expiry_date)),
            )
            .filter(row::Column::Id.eq(record.id.to_string()))
            .exec(&self.db)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn load(&self, id: &Id) -> Result<Option<Record>> {
        let found = row::Entity::find_by_id(id.to_string())
            .filter(row::Column::ExpiresAt.gt(chrono::Utc::now()))
            .one(&self.db)
            .await
            .map_err(backend)?;
        let Some(m) = found else { return Ok(None) };
        let data = serde_json::from_str(&m.data).map_err(|e| Error::Decode(e.to_string()))?;
        Ok(Some(Record {
            id: *id,
            data,
            expiry_date: from_chrono(m.expires_at),
        }))
    }

    async fn delete(&self, id: &Id) -> Result<()> {
        row::Entity::delete_by_id(id.to_string())
            .exec(&self.db)
            .await
            .map_err(backend)?;
        Ok(())
    }
}

#[async_trait::async_trait]
impl ExpiredDeletion for SeaOrmStore {
    async fn delete_expired(&self) -> Result<()> {
        row::Entity::delete_many()
            .filter(row::Column::ExpiresAt.lte(chrono::Utc::now()))
            .exec(&self.db)
            .await
            .map_err(backend)?;
        Ok(())
    }
}
