//! The one application middleware every request passes through, in order:
//! a fresh CSP nonce, the client's address (`client_ip`), the rate limits, locale redirects and the page cache,
//! then (on the way out) JSON bodies for API errors produced further in
//! (body limit, timeout) and the security headers.
//!
//! One middleware rather than one per concern: each `from_fn` layer clones
//! the service stack below it and boxes a future on every request, and a
//! cached page must cost little more than a bare handler (`make bench`).
use crate::{
    client_ip::{ClientIp, TrustedProxies},
    page_cache::{self, PageCache},
    rate_limit::{self, Limits},
    security::{self, SecurityConfig},
};
use app::CspNonce;
use axum::{
    extract::{ConnectInfo, Request, State},
    middleware::Next,
    response::Response,
};
use std::{
    net::{IpAddr, SocketAddr},
    path::PathBuf,
    sync::Arc,
};

pub struct Edge {
    pub security: SecurityConfig,
    pub limits: Arc<Limits>,
    pub cache: PageCache,
    pub proxies: TrustedProxies,
    /// Where static files are served from (only existing ones skip the limits).
    pub site_root: PathBuf,
}

pub async fn edge(State(edge): State<Arc<Edge>>, mut req: Request, next: Next) -> Response {
    let nonce = security::new_nonce();
    req.extensions_mut().insert(CspNonce(nonce.clone()));
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
        .unwrap_or(IpAddr::from([0, 0, 0, 0]));
    let client = ClientIp(edge.proxies.client_ip(peer, req.headers()));
    req.extensions_mut().insert(client);
    let path = req.uri().path().to_owned();
    let api_headers = path.starts_with("/api/").then(|| req.headers().clone());
    let mut res = match rate_limit::refusal(&edge.limits, &edge.site_root, &req) {
        Some(too_many) => too_many,
        None => page_cache::serve(&edge.cache, req, &nonce, next).await,
    };
    if let Some(headers) = api_headers {
        res = crate::api_errors::normalize(&headers, res);
    }
    security::apply_headers(&edge.security, &path, &nonce, &mut res);
    res
}
