//! `GET /auth/oidc/start` and `GET /auth/oidc/callback`: the two browser
//! redirects of OpenID Connect sign-in. The rules live in `app::sso::service`.
use crate::auth_layer::ctx_of;
use crate::state::ServerState;
use app::error::ErrorCode;
use app::sso::service::SignIn;
use axum::{
    extract::{Query, Request, State},
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;
use tower_sessions::Session;

fn session_of(req: &Request) -> Option<Session> {
    req.extensions().get::<Session>().cloned()
}

/// Back to the sign-in page with a reason it can show.
fn back_to_login(reason: &str) -> Response {
    Redirect::to(&format!("/login?sso={reason}")).into_response()
}

pub async fn start(State(state): State<ServerState>, req: Request) -> Response {
    let (ctx, Some(session)) = (ctx_of(&state.app, &req), session_of(&req)) else {
        return back_to_login("failed");
    };
    match app::sso::service::begin(&ctx, &session).await {
        Ok(url) => Redirect::to(&url).into_response(),
        Err(e) if e.error.code == ErrorCode::NotFound => {
            crate::api_errors::json_error(ErrorCode::NotFound, req.headers())
        }
        Err(_) => back_to_login("failed"),
    }
}

#[derive(Deserialize)]
pub struct Callback {
    code: Option<String>,
    state: Option<String>,
    iss: Option<String>,
}

pub async fn callback(
    State(state): State<ServerState>,
    Query(q): Query<Callback>,
    req: Request,
) -> Response {
    let (ctx, Some(session)) = (ctx_of(&state.app, &req), session_of(&req)) else {
        return back_to_login("failed");
    };
    let (Some(code), Some(st)) = (q.code, q.state) else {
        // The provider answered with an error (the user refused, say).
        return back_to_login("failed");
    };
    match app::sso::service::complete(&ctx, &session, code, &st, q.iss.as_deref()).await {
        Ok(SignIn::SignedIn) => Redirect::to("/app/profile").into_response(),
        Ok(SignIn::NeedsTotp) => back_to_login("totp"),
        Ok(SignIn::NeedsLinkProof) => back_to_login("link"),
        Err(e) if e.error.code == ErrorCode::Forbidden => back_to_login("unverified"),
        Err(_) => back_to_login("failed"),
    }
}
