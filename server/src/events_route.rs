//! `GET /api/events?topics=servers,monitoring`: the event bus as
//! server-sent events, for live pages.
//!
//! Authorization happens three times: at the start (401 anonymous; 403 for
//! a topic the caller may not read; 422 for an unknown one), on every event
//! (its topic's permission, as the caller holds it now), and every
//! [`RECHECK`] while the stream is open: the session or token is resolved
//! again, so a signed-out session, a revoked token or a demoted account
//! stops receiving within that time instead of when the browser reconnects.
use crate::api_errors::json_error;
use crate::state::ServerState;
use app::error::{AppError, ErrorCode, MsgKey};
use app::platform::events::{Received, Topic};
use app::platform::{AppState, Permission, Principal};
use axum::extract::{Request, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use http::{HeaderMap, StatusCode, header};
use std::collections::BTreeSet;
use std::time::Duration;
use tower_sessions::Session;

/// How often an open stream re-checks who is listening.
pub const RECHECK: Duration = Duration::from_secs(15);

/// How the caller proved who they are, to prove it again later.
enum Credential {
    Session(Session),
    Bearer(String),
}

impl Credential {
    fn of(req: &Request) -> Option<Self> {
        let bearer = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
            });
        match bearer {
            Some(t) => Some(Credential::Bearer(t.trim().to_string())),
            None => req
                .extensions()
                .get::<Session>()
                .cloned()
                .map(Credential::Session),
        }
    }

    /// The caller's permissions now; `None` when they are no longer signed in.
    async fn permissions(&self, app: &AppState) -> Option<BTreeSet<Permission>> {
        let principal = match self {
            Credential::Session(s) => app::auth::service::resolve_session(app, s).await.ok()?,
            Credential::Bearer(t) => app::tokens::service::resolve_bearer(app, t).await.ok(),
        };
        principal.map(|p| p.permissions)
    }
}

/// 422 naming `topics`, in the caller's language.
fn unknown_topic(headers: &HeaderMap) -> Response {
    let locale = app::i18n_support::from_headers(headers);
    let mut err = AppError::with_locale(ErrorCode::Validation, MsgKey::Validation, locale);
    err.error
        .fields
        .insert("topics".into(), MsgKey::FilterInvalid.localize(locale));
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        [(header::CONTENT_TYPE, "application/json")],
        err.to_json(),
    )
        .into_response()
}

/// The topics asked for (all the caller may read when none is named).
fn topics(query: Option<&str>, principal: &Principal) -> Result<Vec<Topic>, Option<Topic>> {
    let named: Vec<&str> = query
        .unwrap_or("")
        .split('&')
        .filter_map(|kv| kv.strip_prefix("topics="))
        .flat_map(|v| v.split(','))
        .filter(|t| !t.is_empty())
        .collect();
    if named.is_empty() {
        return Ok(Topic::ALL
            .iter()
            .copied()
            .filter(|t| principal.permissions.contains(&t.needs()))
            .collect());
    }
    let mut out = Vec::new();
    for name in named {
        let topic = Topic::parse(name).ok_or(None)?;
        if !principal.permissions.contains(&topic.needs()) {
            return Err(Some(topic));
        }
        out.push(topic);
    }
    Ok(out)
}

pub async fn stream(State(state): State<ServerState>, req: Request) -> Response {
    let ctx = crate::auth_layer::ctx_of(&state.app, &req);
    let Some(principal) = ctx.principal else {
        return json_error(ErrorCode::Unauthorized, req.headers());
    };
    let topics = match topics(req.uri().query(), &principal) {
        Ok(t) => t,
        Err(Some(_)) => return json_error(ErrorCode::Forbidden, req.headers()),
        Err(None) => return unknown_topic(req.headers()),
    };
    let Some(credential) = Credential::of(&req) else {
        return json_error(ErrorCode::Unauthorized, req.headers());
    };
    let listener = Listener {
        app: state.app.clone(),
        credential,
        permissions: principal.permissions,
        subscription: state.app.events.subscribe_as(topics, principal.user_id),
        recheck: tokio::time::interval_at(tokio::time::Instant::now() + RECHECK, RECHECK),
    };
    let events = futures::stream::unfold(listener, |mut l| async move {
        let event = l.next().await?;
        Some((Ok::<_, std::convert::Infallible>(event), l))
    });
    Sse::new(events)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(20)))
        .into_response()
}

/// One open stream: who listens, with what, to what.
struct Listener {
    app: AppState,
    credential: Credential,
    permissions: BTreeSet<Permission>,
    subscription: app::platform::events::Subscription,
    recheck: tokio::time::Interval,
}

impl Listener {
    /// The next event to send; `None` ends the stream (signed out, or the
    /// bus is gone).
    async fn next(&mut self) -> Option<Event> {
        loop {
            let permissions = &self.permissions;
            tokio::select! {
                received = self.subscription.next(|p| permissions.contains(&p)) => {
                    return match received? {
                        Received::Event(e) => Event::default()
                            .event(e.name)
                            .id(e.seq.to_string())
                            .json_data(&e.data)
                            .ok(),
                        Received::Missed(n) => Some(Event::default().event("missed").data(n.to_string())),
                    };
                }
                _ = self.recheck.tick() => {
                    self.permissions = self.credential.permissions(&self.app).await?;
                }
            }
        }
    }
}
