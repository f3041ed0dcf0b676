//! Alert rules: checked, stored, listed, deleted, and handed to the
//! evaluator as [`lifecycle::Rule`]s. Saving or deleting one tells the
//! evaluators (topic `alerts`, change `rules`), which reload them.
use super::entity::rule;
use super::lifecycle::Rule;
use super::{AlertChanged, AlertStatus, Comparator, Condition, RuleInput, RuleView};
use crate::audit::{self, Event};
use crate::error::{AppError, MsgKey};
use crate::platform::matchers::valid_name;
use crate::platform::{Ctx, Permission, Severity, rfc3339};
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, TryIntoModel,
};
use std::collections::BTreeMap;

/// At most this many rules (each is evaluated on every result it covers).
const MAX_RULES: u64 = 1_000;
/// Labels every alert gets from where it comes; a rule cannot set them.
pub const RESERVED: [&str; 5] = ["alertname", "severity", "monitor", "server", "condition"];

type Errors = Vec<(&'static str, MsgKey)>;

/// `name=value` lines into labels.
pub fn parse_labels(text: &str) -> Option<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (k, v) = line.split_once('=')?;
        let (k, v) = (k.trim(), v.trim());
        if !valid_name(k) || RESERVED.contains(&k) || v.is_empty() || v.len() > 200 {
            return None;
        }
        out.insert(k.to_string(), v.to_string());
    }
    (out.len() <= 20).then_some(out)
}

/// Checks every field of `input` at once.
pub fn validate(input: &RuleInput) -> Result<Rule, Errors> {
    let mut errors = Errors::new();
    let name = input.name.trim();
    if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
        errors.push(("name", MsgKey::NameInvalid));
    }
    let condition = Condition::parse(input.condition.trim());
    if condition.is_none() {
        errors.push(("condition", MsgKey::ChoiceInvalid));
    }
    let severity = Severity::parse(input.severity.trim());
    if severity.is_none() {
        errors.push(("severity", MsgKey::ChoiceInvalid));
    }
    let consecutive = input.consecutive.unwrap_or(1);
    if !(1..=100).contains(&consecutive) {
        errors.push(("consecutive", MsgKey::NumberInvalid));
    }
    let for_seconds = input.for_seconds.unwrap_or(0);
    if for_seconds > 86_400 {
        errors.push(("for_seconds", MsgKey::NumberInvalid));
    }
    let needs_threshold = condition.is_some_and(Condition::has_threshold);
    let comparator = match input.comparator.as_deref().map(str::trim) {
        Some(c) if !c.is_empty() => Comparator::parse(c),
        _ if needs_threshold => None,
        _ => Some(Comparator::Above),
    };
    if comparator.is_none() {
        errors.push(("comparator", MsgKey::ChoiceInvalid));
    }
    let threshold = match input.threshold {
        Some(t) if t.is_finite() && t.abs() <= 1e9 => Some(t),
        None if !needs_threshold => Some(0.0),
        _ => None,
    };
    let percent = matches!(
        condition,
        Some(Condition::Cpu | Condition::Memory | Condition::Disk)
    );
    if threshold.is_none() || (percent && threshold.is_some_and(|t| !(0.0..=100.0).contains(&t))) {
        errors.push(("threshold", MsgKey::NumberInvalid));
    }
    let days = input.days.unwrap_or(14);
    if condition == Some(Condition::Tls) && !(1..=365).contains(&days) {
        errors.push(("days", MsgKey::NumberInvalid));
    }
    let labels = parse_labels(&input.labels);
    if labels.is_none() {
        errors.push(("labels", MsgKey::LabelsInvalid));
    }
    let escalation = super::escalate::levels(&input.escalation).unwrap_or_else(|e| {
        errors.push(("escalation", e));
        Vec::new()
    });
    match (condition, severity, comparator, threshold, labels) {
        (Some(condition), Some(severity), Some(comparator), Some(threshold), Some(labels))
            if errors.is_empty() =>
        {
            Ok(Rule {
                id: input.id.unwrap_or(0),
                name: name.into(),
                condition,
                monitor_id: input.monitor_id,
                server_id: input.server_id,
                consecutive,
                for_seconds,
                comparator,
                threshold,
                days,
                severity,
                labels,
                opens_incident: input.opens_incident,
                escalation,
            })
        }
        _ => Err(errors),
    }
}

/// A stored rule as the evaluator holds it (`None` if the row is not
/// one this version understands).
pub fn compiled(m: &rule::Model) -> Option<Rule> {
    Some(Rule {
        id: m.id,
        name: m.name.clone(),
        condition: Condition::parse(&m.condition)?,
        monitor_id: m.monitor_id,
        server_id: m.server_id,
        consecutive: m.consecutive.max(1) as u32,
        for_seconds: m.for_seconds.max(0) as u32,
        comparator: m
            .comparator
            .as_deref()
            .and_then(Comparator::parse)
            .unwrap_or(Comparator::Above),
        threshold: m.threshold.unwrap_or(0.0),
        days: m.days.unwrap_or(14).max(1) as u32,
        severity: Severity::parse(&m.severity)?,
        labels: serde_json::from_str(&m.labels).unwrap_or_default(),
        opens_incident: m.opens_incident,
        escalation: super::escalate::stored(m),
    })
}

fn view(m: rule::Model) -> Option<RuleView> {
    let r = compiled(&m)?;
    Some(RuleView {
        id: m.id,
        name: m.name,
        condition: r.condition,
        monitor_id: m.monitor_id,
        server_id: m.server_id,
        consecutive: r.consecutive,
        for_seconds: r.for_seconds,
        comparator: m.comparator.as_deref().and_then(Comparator::parse),
        threshold: m.threshold,
        days: m.days.map(|d| d.max(0) as u32),
        severity: r.severity,
        labels: r.labels,
        opens_incident: m.opens_incident,
        enabled: m.enabled,
        escalation: super::escalate::steps(&r.escalation),
        updated_at: rfc3339(m.updated_at),
    })
}

/// The enabled rules (the evaluator's set).
pub async fn enabled(conn: &impl ConnectionTrait) -> Result<Vec<Rule>, AppError> {
    Ok(rule::Entity::find()
        .filter(rule::Column::Enabled.eq(true))
        .order_by_asc(rule::Column::Id)
        .all(conn)
        .await?
        .iter()
        .filter_map(compiled)
        .collect())
}

/// `GET /api/alerts/rules`.
pub async fn list(ctx: &Ctx) -> Result<Vec<RuleView>, AppError> {
    ctx.require(Permission::AlertsRead)?;
    Ok(rule::Entity::find()
        .order_by_asc(rule::Column::Name)
        .limit(MAX_RULES)
        .all(ctx.db())
        .await?
        .into_iter()
        .filter_map(view)
        .collect())
}

fn changed(ctx: &Ctx) {
    ctx.state.events.publish(&AlertChanged {
        id: 0,
        status: AlertStatus::Resolved,
        severity: Severity::Info,
        change: "rules".into(),
    });
}

/// `POST /api/alerts/rules`: creates, or updates by `id`.
pub async fn save(ctx: &Ctx, input: RuleInput) -> Result<RuleView, AppError> {
    ctx.require(Permission::AlertsManage)?;
    let r = validate(&input).map_err(AppError::invalid)?;
    let tx = crate::platform::db::begin(ctx.db()).await?;
    if let Some(m) = r.monitor_id
        && crate::monitoring::for_alerts::facts(&tx, &[m])
            .await?
            .is_empty()
    {
        return Err(AppError::invalid([("monitor_id", MsgKey::MonitorUnknown)]));
    }
    if let Some(s) = r.server_id
        && crate::servers::service::names(&tx, &[s]).await?.is_empty()
    {
        return Err(AppError::invalid([("server_id", MsgKey::ServerUnknown)]));
    }
    for c in r.escalation.iter().filter_map(|e| e.channel_id) {
        if !crate::notifications::channels::exists(&tx, c).await? {
            return Err(AppError::invalid([("escalation", MsgKey::ChannelUnknown)]));
        }
    }
    let mut same_name = rule::Entity::find().filter(rule::Column::Name.eq(r.name.as_str()));
    if let Some(id) = input.id {
        same_name = same_name.filter(rule::Column::Id.ne(id));
    }
    if same_name.count(&tx).await? > 0 {
        return Err(AppError::invalid([("name", MsgKey::RuleNameTaken)]));
    }
    if input.id.is_none() && rule::Entity::find().count(&tx).await? >= MAX_RULES {
        return Err(AppError::invalid([("name", MsgKey::TooManyRules)]));
    }
    let now = Utc::now();
    let (mut row, action) = match input.id {
        Some(id) => {
            let m = rule::Entity::find_by_id(id)
                .one(&tx)
                .await?
                .ok_or_else(AppError::not_found)?;
            (rule::ActiveModel::from(m), "alert_rule.update")
        }
        None => (
            rule::ActiveModel {
                created_at: Set(now),
                ..Default::default()
            },
            "alert_rule.create",
        ),
    };
    let threshold = r.condition.has_threshold().then_some(r.threshold);
    row.name = Set(r.name.clone());
    row.condition = Set(r.condition.as_str().into());
    row.monitor_id = Set(r.monitor_id);
    row.server_id = Set(r.server_id);
    row.consecutive = Set(r.consecutive as i32);
    row.for_seconds = Set(r.for_seconds as i32);
    row.comparator = Set(threshold.map(|_| r.comparator.as_str().into()));
    row.threshold = Set(threshold);
    row.days = Set((r.condition == Condition::Tls).then_some(r.days as i32));
    row.severity = Set(r.severity.as_str().into());
    row.labels = Set(serde_json::to_string(&r.labels).map_err(AppError::internal)?);
    row.opens_incident = Set(r.opens_incident);
    let steps = super::escalate::steps(&r.escalation);
    row.escalate_after_minutes = Set(None);
    row.escalate_channel_id = Set(None);
    row.escalation = Set(Some(
        serde_json::to_string(&steps).map_err(AppError::internal)?,
    ));
    row.enabled = Set(input.enabled);
    row.updated_at = Set(now);
    let m = row.save(&tx).await?.try_into_model()?;
    audit::record(
        &tx,
        ctx,
        Event::new(action, "alert_rule")
            .target(m.id)
            .diff(serde_json::json!({
                "name": m.name, "condition": m.condition, "severity": m.severity,
                "monitor_id": m.monitor_id, "server_id": m.server_id, "enabled": m.enabled,
                "opens_incident": m.opens_incident,
                "escalation": steps,
            })),
    )
    .await?;
    tx.commit().await?;
    changed(ctx);
    view(m).ok_or_else(|| AppError::internal("a rule just saved does not read back"))
}

/// `POST /api/alerts/rules/delete`: the rule goes; its alerts stay as
/// history, and an open one resolves at the evaluator's next reload.
pub async fn delete(ctx: &Ctx, id: i32) -> Result<(), AppError> {
    ctx.require(Permission::AlertsManage)?;
    let tx = crate::platform::db::begin(ctx.db()).await?;
    let m = rule::Entity::find_by_id(id)
        .one(&tx)
        .await?
        .ok_or_else(AppError::not_found)?;
    rule::Entity::delete_by_id(id).exec(&tx).await?;
    audit::record(
        &tx,
        ctx,
        Event::new("alert_rule.delete", "alert_rule")
            .target(id)
            .diff(serde_json::json!({"name": m.name})),
    )
    .await?;
    tx.commit().await?;
    changed(ctx);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(condition: &str) -> RuleInput {
        RuleInput {
            name: "API slow".into(),
            condition: condition.into(),
            severity: "high".into(),
            enabled: true,
            ..Default::default()
        }
    }

    #[test]
    fn a_threshold_rule_needs_its_comparator_and_value() {
        let fields = |i: &RuleInput| -> Vec<&str> {
            validate(i)
                .err()
                .unwrap_or_default()
                .into_iter()
                .map(|e| e.0)
                .collect()
        };
        assert_eq!(fields(&input("latency")), ["comparator", "threshold"]);
        let mut cpu = input("cpu");
        cpu.comparator = Some(">".into());
        cpu.threshold = Some(140.0);
        assert_eq!(fields(&cpu), ["threshold"], "a percentage is 0 to 100");
        cpu.threshold = Some(90.0);
        let r = validate(&cpu).unwrap();
        assert_eq!((r.comparator, r.threshold), (Comparator::Above, 90.0));
        // A down rule needs neither.
        assert!(validate(&input("down")).is_ok());
    }

    #[test]
    fn every_bad_field_is_named() {
        let bad = RuleInput {
            name: " ".into(),
            condition: "sunspots".into(),
            severity: "apocalyptic".into(),
            consecutive: Some(0),
            for_seconds: Some(100_000),
            labels: "team=db\nseverity=low".into(),
            ..Default::default()
        };
        let fields: Vec<_> = validate(&bad)
            .unwrap_err()
            .into_iter()
            .map(|e| e.0)
            .collect();
        assert_eq!(
            fields,
            [
                "name",
                "condition",
                "severity",
                "consecutive",
                "for_seconds",
                "labels"
            ]
        );
        assert_eq!(
            parse_labels("team = db\n\nservice=api").unwrap().len(),
            2,
            "blank lines and spaces are fine"
        );
        assert!(parse_labels("no equals sign").is_none());
    }
}
