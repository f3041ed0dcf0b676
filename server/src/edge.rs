//! The one application middleware every request passes through, in order:
//! a fresh CSP nonce, the rate limits, locale redirects and the page cache,
//! then (on the way out) JSON bodies for API errors produced further in
//! (body limit, timeout) and the security headers.
//!
//! One middleware rather than one per concern: each `from_fn` layer clones
//! the service stack below it and boxes a future on every request, and a
//! cached page must cost little more than a bare handler (`make bench`).
use crate::{
    page_cache::{self, PageCache},
    rate_limit::{self, Limits},
    security::{self, SecurityConfig},
};
use app::CspNonce;
use axum::{
    extract::{Request, State},
    middleware::Next,
    response::Response,
};
use std::sync::Arc;

pub struct Edge {
    pub security: SecurityConfig,
    pub limits: Arc<Limits>,
    pub cache: PageCache,
}

pub async fn edge(State(edge): State<Arc<Edge>>, mut req: Request, next: Next) -> Response {
    let nonce = security::new_nonce();
    req.extensions_mut().insert(CspNonce(nonce.clone()));
    let path = req.uri().path().to_owned();
    let api_headers = path.starts_with("/api/").then(|| req.headers().clone());
    let mut res = match rate_limit::refusal(&edge.limits, &req) {
        Some(too_many) => too_many,
        None => page_cache::serve(&edge.cache, req, &nonce, next).await,
    };
    if let Some(headers) = api_headers {
        res = crate::api_errors::normalize(&headers, res);
    }
    security::apply_headers(&edge.security, &path, &nonce, &mut res);
    res
}
