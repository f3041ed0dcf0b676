//! Global and per-IP rate limiting (GCRA from the `governor` crate) with a
//! JSON 429 and `Retry-After`, per client address (`client_ip`). Health
//! probes and existing static files are exempt so a busy client cannot make
//! the instance look dead to its supervisor.
use crate::api_errors::json_error;
use crate::client_ip::ClientIp;
use app::error::ErrorCode;
use axum::{extract::Request, response::Response};
use governor::{
    DefaultDirectRateLimiter, DefaultKeyedRateLimiter, Quota, RateLimiter, clock::Clock,
};
use http::HeaderValue;
use std::{net::IpAddr, num::NonZeroU32, path::Path};

pub struct Limits {
    per_ip: DefaultKeyedRateLimiter<IpAddr>,
    global: DefaultDirectRateLimiter,
}

impl Limits {
    pub fn new(per_ip_per_minute: u32, global_per_second: u32) -> Self {
        let per_ip = NonZeroU32::new(per_ip_per_minute).unwrap_or(NonZeroU32::MIN);
        let global = NonZeroU32::new(global_per_second).unwrap_or(NonZeroU32::MIN);
        Limits {
            per_ip: RateLimiter::keyed(Quota::per_minute(per_ip)),
            global: RateLimiter::direct(Quota::per_second(global)),
        }
    }

    /// `Ok` when the request may go on, else how many seconds to wait.
    pub fn check(&self, ip: IpAddr) -> Result<(), u64> {
        // Read the limiter's own clock only on refusal: building a new
        // clock calibrates it (CPUID), which cost ~15% of a cached page.
        self.per_ip.check_key(&ip).map_err(|nu| {
            nu.wait_time_from(self.per_ip.clock().now())
                .as_secs()
                .max(1)
        })?;
        self.global.check().map_err(|nu| {
            nu.wait_time_from(self.global.clock().now())
                .as_secs()
                .max(1)
        })?;
        Ok(())
    }

    /// Drops per-IP state that has fully recovered, bounding memory.
    pub fn shrink(&self) {
        self.per_ip.retain_recent();
        self.per_ip.shrink_to_fit();
    }
}

/// Probes, and static files that exist: a flood of made-up `/pkg/…` names
/// renders 404 pages and is limited like any other request.
fn exempt(path: &str, site_root: &Path) -> bool {
    crate::is_probe(path)
        || (crate::is_static_asset(path)
            && !path.contains("..")
            && site_root.join(path.trim_start_matches('/')).is_file())
}

/// The 429 answer when `req` is over a limit, `None` when it may go on.
pub fn refusal(limits: &Limits, site_root: &Path, req: &Request) -> Option<Response> {
    if exempt(req.uri().path(), site_root) {
        return None;
    }
    let ip = req
        .extensions()
        .get::<ClientIp>()
        .map(|c| c.0)
        .unwrap_or(IpAddr::from([0, 0, 0, 0]));
    let retry_after = limits.check(ip).err()?;
    let mut res = json_error(ErrorCode::RateLimited, req.headers());
    if let Ok(v) = HeaderValue::from_str(&retry_after.to_string()) {
        res.headers_mut().insert(http::header::RETRY_AFTER, v);
    }
    Some(res)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn per_ip_limit_is_per_ip() {
        let l = Limits::new(3, 1000);
        let a = IpAddr::from([127, 0, 0, 1]);
        let b = IpAddr::from([127, 0, 0, 2]);
        for _ in 0..3 {
            assert!(l.check(a).is_ok());
        }
        let wait = l.check(a).unwrap_err();
        assert!((1..=60).contains(&wait), "{wait}");
        assert!(l.check(b).is_ok(), "another client is not affected");
    }

    #[test]
    fn global_limit_applies_to_everyone() {
        let l = Limits::new(1000, 2);
        assert!(l.check(IpAddr::from([10, 0, 0, 1])).is_ok());
        assert!(l.check(IpAddr::from([10, 0, 0, 2])).is_ok());
        assert!(l.check(IpAddr::from([10, 0, 0, 3])).is_err());
    }
}
