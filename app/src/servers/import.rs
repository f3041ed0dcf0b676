//! `POST /api/servers/import`: many servers at once, from CSV or JSON.
//! Every row is checked first and reported by line; nothing is stored
//! unless every row is valid, or the caller asked to skip invalid rows.
//! A dry run only reports.
use super::entity as server;
use super::validate::{self, ValidServer};
use super::{ImportInput, ImportReport, ImportRow, ServerInput};
use crate::error::{AppError, MsgKey};
use crate::platform::{Ctx, Permission};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
use std::collections::{BTreeMap, BTreeSet};

/// Rows one import may hold.
const MAX_ROWS: usize = 5_000;

/// The CSV columns, in the order of a template file. Credentials are not
/// importable from CSV: a spreadsheet of passwords is a leak waiting to happen.
pub const CSV_COLUMNS: &[&str] = &[
    "name",
    "hostname",
    "ip_addresses",
    "os",
    "kind",
    "provider",
    "environment",
    "tags",
    "owner",
    "cpu_cores",
    "ram_mb",
    "disk_gb",
    "notes",
    "ssh_user",
    "ssh_port",
];

/// A row's invalid fields.
type RowErrors = Vec<(&'static str, MsgKey)>;
/// Each row with its line, read from the file.
type Parsed = Vec<(u32, Result<ServerInput, RowErrors>)>;
/// Each row with its line and name, checked.
type Checked = Vec<(u32, String, Result<ValidServer, RowErrors>)>;

pub async fn import(ctx: &Ctx, input: ImportInput) -> Result<ImportReport, AppError> {
    ctx.require(Permission::ServersWrite)?;
    let parsed = match input.format.trim() {
        "csv" => parse_csv(&input.data)?,
        "json" => parse_json(&input.data)?,
        _ => return Err(AppError::invalid([("format", MsgKey::ChoiceInvalid)])),
    };
    if parsed.is_empty() || parsed.len() > MAX_ROWS {
        return Err(AppError::invalid([("data", MsgKey::ImportRows)]));
    }
    let mut checked: Checked = parsed
        .into_iter()
        .map(|(line, row)| {
            let name = row
                .as_ref()
                .map(|r| r.name.trim().to_string())
                .unwrap_or_default();
            (line, name, row.and_then(|r| validate::server(&r)))
        })
        .collect();
    mark_duplicates(ctx, &mut checked).await?;
    let invalid = checked.iter().filter(|(_, _, r)| r.is_err()).count() as u32;
    let valid = checked.len() as u32 - invalid;
    let store = !input.dry_run && (invalid == 0 || input.skip_invalid);
    if !input.dry_run && invalid > 0 && !input.skip_invalid {
        let fields = checked.iter().flat_map(|(line, _, r)| {
            r.as_ref()
                .err()
                .into_iter()
                .flatten()
                .map(move |(field, key)| (format!("rows.{line}.{field}"), *key))
        });
        let fields: Vec<(String, MsgKey)> = fields.collect();
        return Err(AppError::invalid(
            fields.iter().map(|(f, k)| (f.as_str(), *k)),
        ));
    }
    let mut rows = Vec::with_capacity(checked.len());
    let tx = crate::platform::db::begin(ctx.db()).await?;
    let mut created = Vec::new();
    for (line, name, result) in checked {
        let locale = crate::i18n_support::current_locale();
        let (errors, id) = match result {
            Ok(v) if store => {
                let m = super::service::store(ctx, &tx, None, &v).await?;
                let id = m.id;
                created.push(m);
                (BTreeMap::new(), Some(id))
            }
            Ok(_) => (BTreeMap::new(), None),
            Err(errs) => (
                errs.into_iter()
                    .map(|(f, k)| (f.to_string(), k.localize(locale)))
                    .collect(),
                None,
            ),
        };
        rows.push(ImportRow {
            line,
            name,
            errors,
            id,
        });
    }
    tx.commit().await?;
    for m in &created {
        super::service::announce(ctx, m, "created");
    }
    Ok(ImportReport {
        dry_run: input.dry_run,
        valid,
        invalid,
        imported: created.len() as u32,
        rows,
    })
}

/// A name already in the inventory is an error on each row that uses it;
/// a name used twice in the file, on its second row.
async fn mark_duplicates(ctx: &Ctx, checked: &mut Checked) -> Result<(), AppError> {
    let names: Vec<String> = checked
        .iter()
        .filter_map(|(_, _, r)| r.as_ref().ok().map(|v| v.name.clone()))
        .collect();
    let mut taken: BTreeSet<String> = BTreeSet::new();
    for chunk in names.chunks(500) {
        let found: Vec<String> = server::Entity::find()
            .select_only()
            .column(server::Column::Name)
            .filter(server::Column::Name.is_in(chunk.iter().cloned()))
            .into_tuple()
            .all(ctx.db())
            .await?;
        taken.extend(found);
    }
    let mut seen = BTreeSet::new();
    for (_, _, result) in checked.iter_mut() {
        if let Ok(v) = result
            && (taken.contains(&v.name) || !seen.insert(v.name.clone()))
        {
            *result = Err(vec![("name", MsgKey::ServerNameTaken)]);
        }
    }
    Ok(())
}

fn parse_json(data: &str) -> Result<Parsed, AppError> {
    let values: Vec<serde_json::Value> = serde_json::from_str(data)
        .map_err(|_| AppError::invalid([("data", MsgKey::MalformedJson)]))?;
    Ok(values
        .into_iter()
        .enumerate()
        .map(|(i, value)| {
            let row = serde_json::from_value::<ServerInput>(value)
                .map_err(|_| vec![("row", MsgKey::MalformedJson)])
                .map(|r| ServerInput { id: None, ..r });
            (i as u32 + 1, row)
        })
        .collect())
}

fn parse_csv(data: &str) -> Result<Parsed, AppError> {
    let mut records = csv_records(data)
        .map_err(|line| {
            // The line a quote was left open on, named like a row's errors.
            AppError::invalid([("data", MsgKey::CsvInvalid)])
                .with_field(&format!("rows.{line}"), MsgKey::CsvInvalid)
        })?
        .into_iter();
    let Some((_, header)) = records.next() else {
        return Ok(Vec::new());
    };
    let header: Vec<String> = header.iter().map(|h| h.trim().to_lowercase()).collect();
    let known = header.iter().all(|h| CSV_COLUMNS.contains(&h.as_str()));
    let required = ["name", "hostname", "kind", "environment"];
    if !known || !required.iter().all(|r| header.iter().any(|h| h == r)) {
        return Err(AppError::invalid([("data", MsgKey::CsvColumn)]));
    }
    Ok(records
        .filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()))
        .map(|(line, cells)| (line, csv_row(&header, &cells)))
        .collect())
}

/// One CSV record as a [`ServerInput`]; lists are separated by spaces or `;`.
fn csv_row(header: &[String], cells: &[String]) -> Result<ServerInput, RowErrors> {
    if cells.len() != header.len() {
        return Err(vec![("row", MsgKey::CsvInvalid)]);
    }
    let mut row = ServerInput::default();
    let mut errors = Vec::new();
    let list = |s: &str| -> Vec<String> {
        s.split([';', ' '])
            .filter(|x| !x.is_empty())
            .map(str::to_string)
            .collect()
    };
    for (column, cell) in header.iter().zip(cells) {
        let cell = cell.trim();
        let mut number = |field: &'static str| -> Option<u64> {
            if cell.is_empty() {
                return None;
            }
            cell.parse()
                .map_err(|_| errors.push((field, MsgKey::NumberInvalid)))
                .ok()
        };
        match column.as_str() {
            "name" => row.name = cell.into(),
            "hostname" => row.hostname = cell.into(),
            "ip_addresses" => row.ip_addresses = list(cell),
            "os" => row.os = cell.into(),
            "kind" => row.kind = cell.into(),
            "provider" => row.provider = cell.into(),
            "environment" => row.environment = cell.into(),
            "tags" => row.tags = list(cell),
            "owner" => row.owner = cell.into(),
            "cpu_cores" => {
                row.cpu_cores = number("cpu_cores").map(|n| n.min(u32::MAX.into()) as u32)
            }
            "ram_mb" => row.ram_mb = number("ram_mb"),
            "disk_gb" => row.disk_gb = number("disk_gb"),
            "notes" => row.notes = cell.into(),
            "ssh_user" => row.ssh_user = Some(cell.into()),
            "ssh_port" => row.ssh_port = number("ssh_port").map(|n| n.min(u32::MAX.into()) as u32),
            _ => {}
        }
    }
    if errors.is_empty() {
        Ok(row)
    } else {
        Err(errors)
    }
}

/// RFC 4180 records with the line each starts on (1-based); quoted fields
/// may hold commas, quotes (`""`) and line breaks. A quote left open is an
/// error on the line it opened.
fn csv_records(data: &str) -> Result<Vec<(u32, Vec<String>)>, u32> {
    let mut out = Vec::new();
    let (mut line, mut start) = (1u32, 1u32);
    let (mut cell, mut cells) = (String::new(), Vec::new());
    let mut chars = data.trim_start_matches('\u{feff}').chars().peekable();
    let mut quoted = false;
    let mut quote_line = 0;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => {
                if c == '\n' {
                    line += 1;
                }
                cell.push(c);
            }
            (false, '"') if cell.is_empty() => {
                quoted = true;
                quote_line = line;
            }
            (false, ',') => cells.push(std::mem::take(&mut cell)),
            (false, '\r') => {}
            (false, '\n') => {
                cells.push(std::mem::take(&mut cell));
                out.push((start, std::mem::take(&mut cells)));
                line += 1;
                start = line;
            }
            (false, c) => cell.push(c),
        }
    }
    if quoted {
        return Err(quote_line);
    }
    if !cell.is_empty() || !cells.is_empty() {
        cells.push(cell);
        out.push((start, cells));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_records_follow_rfc_4180() {
        let data = "name,notes\r\nweb,\"a, \"\"b\"\"\nc\"\ndb,x\n\n";
        let recs = csv_records(data).unwrap();
        assert_eq!(recs[0], (1, vec!["name".into(), "notes".into()]));
        assert_eq!(recs[1], (2, vec!["web".into(), "a, \"b\"\nc".into()]));
        assert_eq!(recs[2], (4, vec!["db".into(), "x".into()]));
        assert_eq!(csv_records("a,b\n\"open,\nx").unwrap_err(), 2);
    }

    #[test]
    fn csv_rows_become_inputs() {
        let header: Vec<String> = ["name", "hostname", "tags", "cpu_cores", "ssh_port"]
            .map(String::from)
            .to_vec();
        let row = csv_row(
            &header,
            &[
                "web".into(),
                "web.example".into(),
                "a;b c".into(),
                "4".into(),
                "".into(),
            ],
        )
        .unwrap();
        assert_eq!(row.tags, ["a", "b", "c"]);
        assert_eq!(row.cpu_cores, Some(4));
        assert_eq!(row.ssh_port, None);
        let bad = csv_row(
            &header,
            &["w".into(), "h".into(), "".into(), "four".into(), "".into()],
        );
        assert_eq!(bad.unwrap_err()[0].0, "cpu_cores");
        assert!(csv_row(&header, &["only-one".into()]).is_err());
    }
}
