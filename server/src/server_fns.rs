//! Dispatch of `/api/*` to server functions. An unknown path or method gets
//! a JSON 404/405 instead of server_fn's plain-text 400.
use crate::api_errors::json_error;
use app::error::ErrorCode;
use axum::{
    body::Body,
    response::{IntoResponse, Response},
};
use http::{HeaderValue, Request, header};
use leptos::server_fn::axum::server_fn_paths;

pub async fn handle(req: Request<Body>, ctx: impl Fn() + Clone + Send + 'static) -> Response {
    let path = req.uri().path().to_owned();
    let methods: Vec<_> = server_fn_paths()
        .filter(|(p, _)| *p == path)
        .map(|(_, m)| m)
        .collect();
    if methods.is_empty() {
        return json_error(ErrorCode::NotFound, req.headers());
    }
    if !methods.contains(req.method()) {
        let mut res = json_error(ErrorCode::MethodNotAllowed, req.headers());
        let allow = methods
            .iter()
            .map(|m| m.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        if let Ok(v) = HeaderValue::from_str(&allow) {
            res.headers_mut().insert(header::ALLOW, v);
        }
        return res;
    }
    leptos_axum::handle_server_fns_with_context(ctx, req)
        .await
        .into_response()
}
