//! The route × role matrix: every server function, plain route and page,
//! called as anonymous, user, devops, admin, a revoked token and an expired
//! token. The expected minimum access of each route is in one table; a route
//! missing from the table fails the test.
use crate::helpers::{Agent, Db, PASSWORD, TestApp, json, spawn_app};
use crate::on_both_databases;
use app::platform::Permission::{self, *};
use serde_json::{Value, json};
use std::collections::BTreeSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Need {
    /// Probes: never look at credentials.
    Probe,
    Public,
    SignedIn,
    Perm(Permission),
    /// Every permission (single sign-on decides who is who).
    Everything,
}

struct Route {
    method: &'static str,
    /// The pattern as registered (`{param}` for path parameters).
    pattern: &'static str,
    /// A concrete path to call.
    path: &'static str,
    need: Need,
    /// A body that passes authorization but changes nothing that matters.
    body: Value,
    /// The statuses an allowed caller gets, when not the default (2xx for
    /// reads; for writes anything but 401/403/5xx).
    allowed: Option<&'static [u16]>,
}

fn r(method: &'static str, pattern: &'static str, need: Need, body: Value) -> Route {
    Route {
        method,
        pattern,
        path: pattern,
        need,
        body,
        allowed: None,
    }
}

fn page(pattern: &'static str, path: &'static str, need: Need) -> Route {
    Route {
        method: "GET",
        pattern,
        path,
        need,
        body: Value::Null,
        allowed: None,
    }
}

/// THE table. Logout is last: calling it ends the caller's session.
fn table() -> Vec<Route> {
    use Need::*;
    let none = Value::Null;
    vec![
        // Plain routes.
        r("GET", "/healthz", Probe, none.clone()),
        r("GET", "/readyz", Probe, none.clone()),
        r("GET", "/sitemap.xml", Public, none.clone()),
        r("GET", "/robots.txt", Public, none.clone()),
        Route {
            path: "/i18n/fr.json",
            ..r("GET", "/i18n/{file}", Public, none.clone())
        },
        r("GET", "/api/openapi.json", Public, none.clone()),
        r("GET", "/api/audit/export", Perm(AuditRead), none.clone()),
        // Every signed-in caller may listen; it hears what it may read.
        r("GET", "/api/events", SignedIn, none.clone()),
        // Redirects: 404 while SSO is off; a callback without a pending sign-in goes back to /login.
        Route {
            allowed: Some(&[404]),
            ..r("GET", "/auth/oidc/start", Public, none.clone())
        },
        Route {
            allowed: Some(&[303]),
            ..r("GET", "/auth/oidc/callback", Public, none.clone())
        },
        // Server functions.
        r("GET", "/api/system", Public, none.clone()),
        Route {
            path: "/api/docs/guide?slug=api",
            ..r("GET", "/api/docs/guide", Public, none.clone())
        },
        r("POST", "/api/setup/check", Public, json!({"token": "x"})),
        r("POST", "/api/setup/complete", Public, json!({"token": "x"})),
        r(
            "POST",
            "/api/auth/login",
            Public,
            json!({"email": "not-an-email", "password": "x"}),
        ),
        // No SSO sign-in waits for a code: 400 for everyone (never 401/403).
        r(
            "POST",
            "/api/auth/login/totp",
            Public,
            json!({"code": "000000"}),
        ),
        r("GET", "/api/auth/me", SignedIn, none.clone()),
        r("GET", "/api/auth/session", Public, none.clone()),
        r(
            "POST",
            "/api/auth/profile",
            Perm(ProfileManage),
            json!({"display_name": "", "locale": "xx", "theme": "x"}),
        ),
        r(
            "POST",
            "/api/auth/password",
            Perm(ProfileManage),
            json!({"current_password": "wrong-password-1", "new_password": "short"}),
        ),
        r(
            "GET",
            "/api/auth/sessions",
            Perm(ProfileManage),
            none.clone(),
        ),
        r(
            "POST",
            "/api/auth/sessions/revoke",
            Perm(ProfileManage),
            json!({"id": "0000"}),
        ),
        r("GET", "/api/users", Perm(UsersRead), none.clone()),
        r(
            "POST",
            "/api/users",
            Perm(UsersManage),
            json!({"email": "bad", "display_name": "", "role": "user"}),
        ),
        r(
            "POST",
            "/api/users/revoke-sessions",
            Perm(UsersManage),
            json!({"id": 999_999}),
        ),
        r(
            "POST",
            "/api/users/reset-2fa",
            Perm(UsersManage),
            json!({"id": 999_999}),
        ),
        r("GET", "/api/roles", Perm(UsersRead), none.clone()),
        r(
            "POST",
            "/api/roles",
            Perm(RolesManage),
            json!({"name": "x"}),
        ),
        r("GET", "/api/tokens", Perm(TokensManage), none.clone()),
        r(
            "POST",
            "/api/tokens",
            Perm(TokensManage),
            json!({"name": "", "scopes": [], "expires_in_days": 0}),
        ),
        r(
            "POST",
            "/api/tokens/revoke",
            Perm(TokensManage),
            json!({"id": 999_999}),
        ),
        r("POST", "/api/2fa/enroll", Perm(ProfileManage), json!({})),
        r(
            "POST",
            "/api/2fa/confirm",
            Perm(ProfileManage),
            json!({"code": "000000"}),
        ),
        r(
            "POST",
            "/api/2fa/disable",
            Perm(ProfileManage),
            json!({"code": "000000"}),
        ),
        r("GET", "/api/audit", Perm(AuditRead), none.clone()),
        r("GET", "/api/sso/status", Public, none.clone()),
        r(
            "GET",
            "/api/sso/settings",
            Perm(SettingsManage),
            none.clone(),
        ),
        r(
            "POST",
            "/api/sso/settings",
            Everything,
            json!({"enabled": true, "issuer": "ftp://x", "client_id": "", "default_role": "nope",
                "current_password": PASSWORD}),
        ),
        r("GET", "/api/servers", Perm(ServersRead), none.clone()),
        r(
            "POST",
            "/api/servers",
            Perm(ServersWrite),
            json!({"name": "", "hostname": "bad host", "kind": "x", "environment": "Bad"}),
        ),
        r(
            "POST",
            "/api/servers/lifecycle",
            Perm(ServersWrite),
            json!({"id": 999_999, "to": "active"}),
        ),
        r(
            "POST",
            "/api/servers/delete",
            Perm(ServersWrite),
            json!({"id": 999_999}),
        ),
        r(
            "POST",
            "/api/servers/import",
            Perm(ServersWrite),
            json!({"format": "csv", "data": "", "dry_run": true}),
        ),
        Route {
            path: "/api/servers/detail?id=999999",
            allowed: Some(&[404]),
            ..r(
                "GET",
                "/api/servers/detail",
                Perm(ServersRead),
                none.clone(),
            )
        },
        r("GET", "/api/monitoring", Perm(MonitoringRead), none.clone()),
        r(
            "POST",
            "/api/monitors",
            Perm(MonitoringWrite),
            json!({"name": "", "kind": "x", "interval_seconds": 1, "timeout_seconds": 0}),
        ),
        r(
            "POST",
            "/api/monitors/test",
            Perm(MonitoringWrite),
            json!({"kind": "x", "interval_seconds": 1, "timeout_seconds": 0}),
        ),
        r(
            "POST",
            "/api/monitors/delete",
            Perm(MonitoringWrite),
            json!({"id": 999_999}),
        ),
        Route {
            path: "/api/monitors/detail?id=999999",
            allowed: Some(&[404]),
            ..r(
                "GET",
                "/api/monitors/detail",
                Perm(MonitoringRead),
                none.clone(),
            )
        },
        Route {
            path: "/api/monitoring/series?monitor=999999&from=0&to=60",
            allowed: Some(&[404]),
            ..r(
                "GET",
                "/api/monitoring/series",
                Perm(MonitoringRead),
                none.clone(),
            )
        },
        Route {
            path: "/api/monitoring/host?server_id=999999",
            allowed: Some(&[404]),
            ..r(
                "GET",
                "/api/monitoring/host",
                Perm(MonitoringRead),
                none.clone(),
            )
        },
        Route {
            allowed: Some(&[404]),
            ..r(
                "POST",
                "/api/servers/ssh-test",
                Perm(ServersWrite),
                json!({"id": 999_999}),
            )
        },
        r("GET", "/api/servers/views", Perm(ServersRead), none.clone()),
        r(
            "POST",
            "/api/servers/views",
            Perm(ServersRead),
            json!({"name": "matrix view"}),
        ),
        Route {
            allowed: Some(&[404]),
            ..r(
                "POST",
                "/api/servers/views/delete",
                Perm(ServersRead),
                json!({"id": 999_999}),
            )
        },
        r("GET", "/api/incidents", Perm(IncidentsRead), none.clone()),
        r(
            "POST",
            "/api/incidents",
            Perm(IncidentsCreate),
            json!({"title": "", "severity": "x"}),
        ),
        r("GET", "/api/incidents/mine", SignedIn, none.clone()),
        // Someone else's ticket and a missing one are the same 404.
        Route {
            path: "/api/incidents/detail?id=999999",
            allowed: Some(&[404]),
            ..r("GET", "/api/incidents/detail", SignedIn, none.clone())
        },
        Route {
            allowed: Some(&[404]),
            ..r(
                "POST",
                "/api/incidents/update",
                Perm(IncidentsManage),
                json!({"id": 999_999, "status": "acknowledged"}),
            )
        },
        Route {
            allowed: Some(&[404]),
            ..r(
                "POST",
                "/api/incidents/comment",
                SignedIn,
                json!({"id": 999_999, "body": "x"}),
            )
        },
        Route {
            path: "/api/incidents/postmortem?id=999999",
            allowed: Some(&[404]),
            ..r("GET", "/api/incidents/postmortem", SignedIn, none.clone())
        },
        Route {
            allowed: Some(&[404]),
            ..r(
                "POST",
                "/api/incidents/postmortem",
                Perm(IncidentsManage),
                json!({"id": 999_999, "body": "x"}),
            )
        },
        Route {
            allowed: Some(&[404]),
            ..r(
                "POST",
                "/api/incidents/postmortem/publish",
                Perm(IncidentsManage),
                json!({"id": 999_999, "published": true}),
            )
        },
        r(
            "GET",
            "/api/notifications/preferences",
            Perm(NotificationsRead),
            none.clone(),
        ),
        r(
            "POST",
            "/api/notifications/preferences",
            Perm(NotificationsRead),
            json!({"inbox_min": "loud", "time_zone": "Mars/Olympus"}),
        ),
        // Status pages: the editor's routes, then what anyone reads.
        r(
            "GET",
            "/api/status-pages",
            Perm(StatusPagesManage),
            none.clone(),
        ),
        r(
            "POST",
            "/api/status-pages",
            Perm(StatusPagesManage),
            json!({"slug": "", "title": "", "components": []}),
        ),
        Route {
            allowed: Some(&[404]),
            ..r(
                "POST",
                "/api/status-pages/delete",
                Perm(StatusPagesManage),
                json!({"id": 999_999}),
            )
        },
        // Automation: reads need scripts:read; saving scripts:write;
        // running and cancelling scripts:run (bodies refused after the check).
        r("GET", "/api/scripts", Perm(ScriptsRead), none.clone()),
        Route {
            path: "/api/scripts/detail?id=999999",
            allowed: Some(&[404]),
            ..r(
                "GET",
                "/api/scripts/detail",
                Perm(ScriptsRead),
                none.clone(),
            )
        },
        Route {
            allowed: Some(&[422]),
            ..r(
                "POST",
                "/api/scripts/save",
                Perm(ScriptsWrite),
                json!({"name": "", "language": "cobol", "body": ""}),
            )
        },
        Route {
            allowed: Some(&[422]),
            ..r(
                "POST",
                "/api/scripts",
                Perm(ScriptsRun),
                json!({"script_id": 999_999, "targets": []}),
            )
        },
        r("GET", "/api/runs", Perm(ScriptsRead), none.clone()),
        Route {
            path: "/api/runs/detail?id=999999",
            allowed: Some(&[404]),
            ..r("GET", "/api/runs/detail", Perm(ScriptsRead), none.clone())
        },
        Route {
            path: "/api/runs/output?id=999999",
            allowed: Some(&[404]),
            ..r("GET", "/api/runs/output", Perm(ScriptsRead), none.clone())
        },
        Route {
            allowed: Some(&[404]),
            ..r(
                "POST",
                "/api/runs/cancel",
                Perm(ScriptsRun),
                json!({"id": 999_999}),
            )
        },
        Route {
            path: "/api/status/page?slug=none-here",
            allowed: Some(&[404]),
            ..r("GET", "/api/status/page", Public, none.clone())
        },
        Route {
            path: "/status/none-here/feed.atom",
            allowed: Some(&[404]),
            ..r("GET", "/status/{slug}/feed.atom", Public, none.clone())
        },
        Route {
            path: "/status/none-here/logo",
            allowed: Some(&[404]),
            ..r("GET", "/status/{slug}/logo", Public, none.clone())
        },
        r(
            "GET",
            "/api/incidents/report",
            Perm(IncidentsRead),
            none.clone(),
        ),
        r(
            "GET",
            "/api/incidents/sla",
            Perm(IncidentsRead),
            none.clone(),
        ),
        Route {
            // Refused before it is read: a valid body would change a policy.
            allowed: Some(&[422]),
            ..r(
                "POST",
                "/api/incidents/sla",
                Perm(SettingsManage),
                json!({"severity": "apocalyptic"}),
            )
        },
        r(
            "GET",
            "/api/notifications",
            Perm(NotificationsRead),
            none.clone(),
        ),
        r(
            "POST",
            "/api/notifications/read",
            Perm(NotificationsRead),
            json!({"ids": [999_999], "read": true}),
        ),
        r(
            "GET",
            "/api/notifications/channels",
            Perm(AlertsRead),
            none.clone(),
        ),
        r(
            "POST",
            "/api/notifications/channels",
            Perm(AlertsManage),
            json!({"name": "", "kind": "x", "min_severity": "x"}),
        ),
        Route {
            allowed: Some(&[404]),
            ..r(
                "POST",
                "/api/notifications/channels/delete",
                Perm(AlertsManage),
                json!({"id": 999_999}),
            )
        },
        Route {
            allowed: Some(&[404]),
            ..r(
                "POST",
                "/api/notifications/channels/test",
                Perm(AlertsManage),
                json!({"id": 999_999}),
            )
        },
        r(
            "GET",
            "/api/notifications/deliveries",
            Perm(AlertsRead),
            none.clone(),
        ),
        r("GET", "/api/alerts", Perm(AlertsRead), none.clone()),
        r(
            "POST",
            "/api/alerts/acknowledge",
            Perm(AlertsManage),
            json!({"ids": [999_999]}),
        ),
        Route {
            allowed: Some(&[404]),
            ..r(
                "POST",
                "/api/alerts/silence",
                Perm(AlertsManage),
                json!({"ids": [999_999], "minutes": 5, "reason": "x"}),
            )
        },
        r("GET", "/api/alerts/rules", Perm(AlertsRead), none.clone()),
        r(
            "POST",
            "/api/alerts/rules/preview",
            Perm(AlertsRead),
            json!({"name": "", "condition": "x", "severity": "x"}),
        ),
        r(
            "POST",
            "/api/alerts/rules",
            Perm(AlertsManage),
            json!({"name": "", "condition": "x", "severity": "x"}),
        ),
        Route {
            allowed: Some(&[404]),
            ..r(
                "POST",
                "/api/alerts/rules/delete",
                Perm(AlertsManage),
                json!({"id": 999_999}),
            )
        },
        r(
            "GET",
            "/api/alerts/silences",
            Perm(AlertsRead),
            none.clone(),
        ),
        r(
            "POST",
            "/api/alerts/silences",
            Perm(AlertsManage),
            json!({"matchers": "", "reason": ""}),
        ),
        Route {
            allowed: Some(&[404]),
            ..r(
                "POST",
                "/api/alerts/silences/expire",
                Perm(AlertsManage),
                json!({"id": 999_999}),
            )
        },
        r(
            "GET",
            "/api/alerts/maintenance",
            Perm(AlertsRead),
            none.clone(),
        ),
        r(
            "GET",
            "/api/alerts/maintenance/calendar",
            Perm(AlertsRead),
            none.clone(),
        ),
        r(
            "POST",
            "/api/alerts/maintenance",
            Perm(AlertsManage),
            json!({"title": "", "kind": "x"}),
        ),
        Route {
            allowed: Some(&[404]),
            ..r(
                "POST",
                "/api/alerts/maintenance/delete",
                Perm(AlertsManage),
                json!({"id": 999_999}),
            )
        },
        // Alertmanager's webhook; an empty batch changes nothing.
        r(
            "POST",
            "/api/integrations/alertmanager",
            Perm(AlertsIngest),
            json!({"version": "4", "alerts": []}),
        ),
        r("GET", "/metrics", Perm(MonitoringRead), none.clone()),
        r(
            "GET",
            "/api/prometheus/targets",
            Perm(MonitoringRead),
            none.clone(),
        ),
        // A heartbeat's secret URL: the token is the credential.
        Route {
            path: "/api/push/0000",
            allowed: Some(&[404]),
            ..r("GET", "/api/push/{token}", Public, none.clone())
        },
        // Pages.
        page("/", "/", Public),
        page("/docs", "/docs", Public),
        page("/docs/{page}", "/docs/getting-started", Public),
        page("/about", "/about", Public),
        page("/accessibility", "/accessibility", Public),
        page("/login", "/login", Public),
        page("/setup/{token}", "/setup/0000", Public),
        page("/error", "/error", Public),
        Route {
            allowed: Some(&[404]),
            ..page("/status/{slug}", "/status/none-here", Public)
        },
        page("/app/profile", "/app/profile", SignedIn),
        page("/app/admin/users", "/app/admin/users", Perm(UsersRead)),
        page("/app/admin/roles", "/app/admin/roles", Perm(UsersRead)),
        page(
            "/app/admin/security",
            "/app/admin/security",
            Perm(SettingsManage),
        ),
        page("/app/admin/audit", "/app/admin/audit", Perm(AuditRead)),
        page("/app/servers", "/app/servers", Perm(ServersRead)),
        page("/app/monitoring", "/app/monitoring", Perm(MonitoringRead)),
        page("/app/alerts", "/app/alerts", Perm(AlertsRead)),
        page("/app/incidents", "/app/incidents", Perm(IncidentsCreate)),
        page(
            "/app/notifications",
            "/app/notifications",
            Perm(NotificationsRead),
        ),
        page(
            "/app/status-pages",
            "/app/status-pages",
            Perm(StatusPagesManage),
        ),
        page("/app/automation", "/app/automation", Perm(ScriptsRead)),
        r("POST", "/api/auth/logout", Public, json!({})),
    ]
}

/// Everything the server registers, as (method, pattern).
fn registered() -> BTreeSet<(String, String)> {
    let mut all = BTreeSet::new();
    for (path, method) in leptos::server_fn::axum::server_fn_paths() {
        all.insert((method.to_string(), path.to_string()));
    }
    for (path, method, _) in dihya::routes::plain() {
        all.insert((method.into(), path.to_string()));
    }
    for listing in dihya::startup::route_list() {
        let path = listing.path().to_string();
        let (_, rest) = app::i18n_support::split_locale(&path);
        // `/en/…` exists too (redirected to the unprefixed path by the server).
        let rest = match rest.strip_prefix("/en") {
            Some("") => "/".to_string(),
            Some(r) if r.starts_with('/') => r.to_string(),
            _ => rest,
        };
        all.insert(("GET".into(), rest));
    }
    all
}

#[tokio::test]
async fn every_route_has_a_table_entry() {
    let listed: BTreeSet<(String, String)> = table()
        .iter()
        .map(|r| (r.method.to_string(), r.pattern.to_string()))
        .collect();
    let missing: Vec<_> = registered().difference(&listed).cloned().collect();
    assert!(
        missing.is_empty(),
        "routes without an entry in the matrix table: {missing:?}"
    );
    let stale: Vec<_> = listed.difference(&registered()).cloned().collect();
    assert!(
        stale.is_empty(),
        "table entries for routes that do not exist: {stale:?}"
    );
}

/// Who calls.
enum Caller {
    Anonymous,
    Session(Agent, BTreeSet<Permission>),
    BadToken(String),
}

async fn session(app: &TestApp, admin: &Agent, email: &str, role: &str) -> Caller {
    if role != "admin" {
        admin.create_user(email, role).await;
    }
    let agent = app.agent();
    assert_eq!(agent.login(email, PASSWORD).await.status(), 200);
    let perms = app::platform::permission::builtin_permissions(role).unwrap();
    Caller::Session(agent, perms)
}

/// A custom role holding one admin permission (and the profile): it must
/// reach exactly what that grant allows.
async fn partial_admin(app: &TestApp, admin: &Agent, grant: Permission) -> Caller {
    let name = grant.as_str().replace(':', "-");
    let perms = BTreeSet::from([grant, ProfileManage]);
    let list: Vec<&str> = perms.iter().map(|p| p.as_str()).collect();
    crate::helpers::create_role(admin, &name, &list).await;
    let email = format!("{name}@dihya.test");
    admin.create_user(&email, &name).await;
    let agent = app.agent();
    assert_eq!(agent.login(&email, PASSWORD).await.status(), 200);
    Caller::Session(agent, perms)
}

async fn token(admin: &Agent) -> (i64, String) {
    let all: Vec<&str> = Permission::ALL.iter().map(|p| p.as_str()).collect();
    let res = admin
        .post(
            "/api/tokens",
            json!({"name": "matrix", "scopes": all, "expires_in_days": 1}),
        )
        .await;
    let body = json(res).await;
    (
        body["id"].as_i64().unwrap(),
        body["token"].as_str().unwrap().to_string(),
    )
}

async fn expire_token(app: &TestApp, id: i64) {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
    let db = sea_orm::Database::connect(&app.db_url).await.unwrap();
    app::tokens::entity::Entity::update_many()
        .col_expr(
            app::tokens::entity::Column::ExpiresAt,
            Expr::value(chrono::Utc::now() - chrono::Duration::hours(1)),
        )
        .filter(app::tokens::entity::Column::Id.eq(i32::try_from(id).unwrap()))
        .exec(&db)
        .await
        .unwrap();
}

async fn call(app: &TestApp, caller: &Caller, route: &Route) -> u16 {
    let url = app.url(route.path);
    let plain = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let client = match caller {
        Caller::Session(agent, _) => &agent.client,
        _ => &plain,
    };
    let mut req = if route.method == "POST" {
        client
            .post(&url)
            .header("origin", &app.base)
            .json(&route.body)
    } else {
        client.get(&url)
    };
    if let Caller::BadToken(t) = caller {
        req = req.bearer_auth(t);
    }
    req.send().await.unwrap().status().as_u16()
}

fn expected_denial(caller: &Caller, need: Need) -> Option<u16> {
    match (caller, need) {
        (_, Need::Probe) => None,
        (Caller::BadToken(_), _) => Some(401),
        (_, Need::Public) => None,
        (Caller::Anonymous, _) => Some(401),
        (Caller::Session(..), Need::SignedIn) => None,
        (Caller::Session(_, perms), Need::Perm(p)) => (!perms.contains(&p)).then_some(403),
        (Caller::Session(_, perms), Need::Everything) => {
            (perms.len() != Permission::ALL.len()).then_some(403)
        }
    }
}

async fn route_role_matrix(db: Db) {
    let app = spawn_app(db).await;
    let admin = app.admin().await;
    let (revoked_id, revoked) = token(&admin).await;
    assert_eq!(
        admin
            .post("/api/tokens/revoke", json!({"id": revoked_id}))
            .await
            .status(),
        200
    );
    let (expired_id, expired) = token(&admin).await;
    expire_token(&app, expired_id).await;
    let callers = [
        ("anonymous", Caller::Anonymous),
        (
            "user",
            session(&app, &admin, "user@dihya.test", "user").await,
        ),
        (
            "devops",
            session(&app, &admin, "devops@dihya.test", "devops").await,
        ),
        (
            "admin",
            session(&app, &admin, crate::helpers::ADMIN_EMAIL, "admin").await,
        ),
        (
            "roles:manage only",
            partial_admin(&app, &admin, RolesManage).await,
        ),
        (
            "users:manage only",
            partial_admin(&app, &admin, UsersManage).await,
        ),
        (
            "settings:manage only",
            partial_admin(&app, &admin, SettingsManage).await,
        ),
        (
            "servers:read only",
            partial_admin(&app, &admin, ServersRead).await,
        ),
        (
            "monitoring:read only",
            partial_admin(&app, &admin, MonitoringRead).await,
        ),
        (
            "status_pages:manage only",
            partial_admin(&app, &admin, StatusPagesManage).await,
        ),
        ("revoked token", Caller::BadToken(revoked)),
        ("expired token", Caller::BadToken(expired)),
    ];
    let mut failures = Vec::new();
    for route in table() {
        for (name, caller) in &callers {
            let status = call(&app, caller, &route).await;
            let ok = match expected_denial(caller, route.need) {
                Some(denied) => status == denied,
                // Allowed: authorization passed. A sample body may still be
                // refused as invalid (4xx), but never 401/403 nor a 5xx;
                // reads must succeed.
                None if route.allowed.is_some() => {
                    route.allowed.is_some_and(|a| a.contains(&status))
                }
                None if route.method == "GET" => (200..300).contains(&status),
                None => status < 500 && status != 401 && status != 403,
            };
            if !ok {
                failures.push(format!(
                    "{} {} as {name}: {status}",
                    route.method, route.path
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "matrix failures:\n{}",
        failures.join("\n")
    );
}

on_both_databases!(route_role_matrix);
