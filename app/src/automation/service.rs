//! The script library: saved (each save a new version, kept whole),
//! listed, read with its history. Runs are in `runs`.
use super::entity::{script, version};
use super::validate::{self, ValidScript};
use super::{Language, Parameter, Saved, ScriptDetail, ScriptInput, ScriptVersionView, ScriptView};
use crate::audit::{self, Event};
use crate::error::{AppError, ErrorCode, MsgKey};
use crate::platform::{Ctx, Permission, rfc3339};
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, SqlErr,
};

/// At most this many scripts, and versions shown per script.
const MAX_SCRIPTS: u64 = 2_000;
const MAX_VERSIONS: u64 = 200;

pub fn parameters_of(json: &str) -> Vec<Parameter> {
    serde_json::from_str(json).unwrap_or_default()
}

fn language_of(s: &str) -> Language {
    Language::parse(s).unwrap_or(Language::Sh)
}

fn view(m: &script::Model) -> ScriptView {
    ScriptView {
        id: m.id,
        name: m.name.clone(),
        description: m.description.clone(),
        language: language_of(&m.language),
        body: m.body.clone(),
        parameters: parameters_of(&m.parameters),
        version: m.version,
        updated_at: rfc3339(m.updated_at),
    }
}

fn name_taken() -> AppError {
    AppError::because(ErrorCode::Conflict, MsgKey::ScriptNameTaken)
        .with_field("name", MsgKey::ScriptNameTaken)
}

/// `GET /api/scripts`: the library by name.
pub async fn list(ctx: &Ctx) -> Result<Vec<ScriptView>, AppError> {
    ctx.require(Permission::ScriptsRead)?;
    Ok(script::Entity::find()
        .order_by_asc(script::Column::Name)
        .limit(MAX_SCRIPTS)
        .all(ctx.db())
        .await?
        .iter()
        .map(view)
        .collect())
}

/// The script `id` as it is now (for a run).
pub async fn find(conn: &impl ConnectionTrait, id: i32) -> Result<Option<ScriptView>, AppError> {
    Ok(script::Entity::find_by_id(id)
        .one(conn)
        .await?
        .map(|m| view(&m)))
}

/// `GET /api/scripts/detail?id=`: a script and its versions, newest first.
pub async fn detail(ctx: &Ctx, id: i32) -> Result<ScriptDetail, AppError> {
    ctx.require(Permission::ScriptsRead)?;
    let m = script::Entity::find_by_id(id)
        .one(ctx.db())
        .await?
        .ok_or_else(AppError::not_found)?;
    let rows = version::Entity::find()
        .filter(version::Column::ScriptId.eq(id))
        .order_by_desc(version::Column::Version)
        .limit(MAX_VERSIONS)
        .all(ctx.db())
        .await?;
    let authors: Vec<i32> = rows.iter().filter_map(|r| r.author_id).collect();
    let names = crate::users::service::names(ctx.db(), &authors).await?;
    let versions = rows
        .into_iter()
        .map(|r| ScriptVersionView {
            version: r.version,
            name: r.name,
            language: language_of(&r.language),
            body: r.body,
            parameters: parameters_of(&r.parameters),
            author: r.author_id.and_then(|a| names.get(&a).cloned()),
            created_at: rfc3339(r.created_at),
        })
        .collect();
    Ok(ScriptDetail {
        script: view(&m),
        versions,
    })
}

/// `POST /api/scripts/save`: a new script at version 1, or the next
/// version of `id`. Saving what is already there changes nothing.
pub async fn save(ctx: &Ctx, input: ScriptInput) -> Result<Saved, AppError> {
    let author = ctx.require(Permission::ScriptsWrite)?.user_id;
    let id = input.id;
    let v = validate::script(input).map_err(AppError::invalid)?;
    let tx = crate::platform::db::begin(ctx.db()).await?;
    let taken = script::Entity::find()
        .filter(script::Column::Name.eq(&v.name))
        .filter(script::Column::Id.ne(id.unwrap_or(0)))
        .count(&tx)
        .await?;
    if taken > 0 {
        return Err(name_taken());
    }
    let parameters = serde_json::to_string(&v.parameters).map_err(AppError::internal)?;
    let now = Utc::now();
    let (row, number, action) = match id {
        Some(id) => {
            let m = script::Entity::find_by_id(id)
                .one(&tx)
                .await?
                .ok_or_else(AppError::not_found)?;
            if unchanged(&m, &v, &parameters) {
                return Ok(Saved {
                    id,
                    version: m.version,
                });
            }
            let next = m.version + 1;
            (script::ActiveModel::from(m), next, "script.update")
        }
        None => {
            if script::Entity::find().count(&tx).await? >= MAX_SCRIPTS {
                return Err(AppError::invalid([("name", MsgKey::LibraryFull)]));
            }
            let row = script::ActiveModel {
                created_at: Set(now),
                ..Default::default()
            };
            (row, 1, "script.create")
        }
    };
    let mut row = row;
    row.name = Set(v.name.clone());
    row.description = Set(v.description.clone());
    row.language = Set(v.language.as_str().into());
    row.body = Set(v.body.clone());
    row.parameters = Set(parameters.clone());
    row.version = Set(number);
    row.updated_at = Set(now);
    let m = match row.save(&tx).await {
        Ok(saved) => sea_orm::TryIntoModel::try_into_model(saved)?,
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            return Err(name_taken());
        }
        Err(e) => return Err(e.into()),
    };
    version::ActiveModel {
        script_id: Set(m.id),
        version: Set(number),
        name: Set(v.name.clone()),
        description: Set(v.description.clone()),
        language: Set(v.language.as_str().into()),
        body: Set(v.body.clone()),
        parameters: Set(parameters),
        author_id: Set(Some(author)),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    audit::record(
        &tx,
        ctx,
        Event::new(action, "script")
            .target(m.id)
            .diff(serde_json::json!({
                "name": v.name, "language": v.language.as_str(), "version": number,
                "parameters": v.parameters.iter().map(|p| &p.name).collect::<Vec<_>>(),
            })),
    )
    .await?;
    tx.commit().await?;
    Ok(Saved {
        id: m.id,
        version: number,
    })
}

fn unchanged(m: &script::Model, v: &ValidScript, parameters: &str) -> bool {
    m.name == v.name
        && m.description == v.description
        && m.language == v.language.as_str()
        && m.body == v.body
        && m.parameters == parameters
}
