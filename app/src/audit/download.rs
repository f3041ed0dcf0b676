//! `GET /api/audit/export?format=csv|json&…filters`: the audit log as a
//! file, streamed (see `service::export`). Same permission and filters as
//! `GET /api/audit`. A plain axum route rather than a server function,
//! because its body is a stream, not one JSON value.
use super::{
    AuditQuery,
    service::{Format, export},
};
use crate::error::{AppError, ErrorCode};
use crate::platform::Ctx;
use axum::{
    body::Body,
    extract::Query,
    http::{Uri, header},
    response::{IntoResponse, Response},
};

#[derive(serde::Deserialize)]
struct ExportFormat {
    #[serde(default)]
    format: Option<String>,
}

/// The download for the request `uri`, or the error to answer (400 on a
/// malformed query or an unknown format).
pub fn download(ctx: &Ctx, uri: &Uri) -> Result<Response, AppError> {
    let bad = || AppError::code(ErrorCode::BadRequest);
    let Query(query) = Query::<AuditQuery>::try_from_uri(uri).map_err(|_| bad())?;
    let Query(ExportFormat { format }) =
        Query::<ExportFormat>::try_from_uri(uri).map_err(|_| bad())?;
    let format = Format::parse(format.as_deref().unwrap_or("csv")).ok_or_else(bad)?;
    let body = Body::from_stream(export(ctx, query, format)?);
    let (mime, ext) = match format {
        Format::Csv => ("text/csv; charset=utf-8", "csv"),
        Format::Json => ("application/json", "json"),
    };
    let name = format!(
        "attachment; filename=\"dihya-audit-{}.{ext}\"",
        chrono::Utc::now().format("%Y%m%d-%H%M%S")
    );
    Ok((
        [
            (header::CONTENT_TYPE, mime.to_string()),
            (header::CONTENT_DISPOSITION, name),
        ],
        body,
    )
        .into_response())
}
