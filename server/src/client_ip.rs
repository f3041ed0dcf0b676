//! The client's address. Behind a reverse proxy every connection comes from
//! the proxy, so rate limits, the sign-in throttle and the audit log would
//! see one client. With `DIHYA_TRUSTED_PROXIES` set, a request whose peer is
//! one of those networks is attributed to the right-most address of its
//! `Forwarded` (or else `X-Forwarded-For`) chain that is not itself a trusted
//! proxy: the hops to the left of it were written by the client and prove
//! nothing. Without the setting, forwarded headers are ignored.
use http::{HeaderMap, header};
use ipnet::IpNet;
use std::net::{IpAddr, SocketAddr};

/// The address a request is attributed to, set once per request by `edge`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientIp(pub IpAddr);

/// A list of networks (trusted proxies, the `/metrics` allow-list).
#[derive(Debug, Clone, Default)]
pub struct Networks(Vec<IpNet>);

impl Networks {
    /// From CIDRs (`10.0.0.0/8`) or single addresses (`127.0.0.1`).
    pub fn parse<S: AsRef<str>>(items: &[S]) -> Result<Self, String> {
        items
            .iter()
            .map(|s| {
                let s = s.as_ref().trim();
                s.parse::<IpNet>()
                    .or_else(|_| s.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| format!("{s:?} is not an IP address or CIDR network"))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Networks)
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        self.0.iter().any(|net| net.contains(&ip))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Networks whose forwarded headers are believed.
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(Networks);

impl TrustedProxies {
    pub fn parse<S: AsRef<str>>(items: &[S]) -> Result<Self, String> {
        Networks::parse(items).map(TrustedProxies)
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        self.0.contains(ip)
    }

    /// The client of a request that reached us from `peer`.
    pub fn client_ip(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let peer = canonical(peer);
        if self.0.is_empty() || !self.trusts(peer) {
            return peer;
        }
        let hops = forwarded_for(headers).unwrap_or_else(|| x_forwarded_for(headers));
        let mut client = peer;
        for hop in hops.iter().rev() {
            match hop {
                Some(ip) if self.trusts(*ip) => client = *ip,
                Some(ip) => return *ip,
                // An address we cannot read: stop at the last one we trust.
                None => return client,
            }
        }
        client
    }
}

/// IPv4-mapped IPv6 (`::ffff:1.2.3.4`, as a dual-stack socket reports) as IPv4.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// One hop: `1.2.3.4`, `1.2.3.4:80`, `2001:db8::1`, `[2001:db8::1]:80`.
fn parse_hop(raw: &str) -> Option<IpAddr> {
    let s = raw.trim().trim_matches('"');
    if let Ok(ip) = s.parse::<IpAddr>() {
        return Some(canonical(ip));
    }
    if let Ok(sa) = s.parse::<SocketAddr>() {
        return Some(canonical(sa.ip()));
    }
    s.strip_prefix('[')
        .and_then(|r| r.split_once(']'))
        .and_then(|(ip, _)| ip.parse().ok())
        .map(canonical)
}

fn header_values<'a>(h: &'a HeaderMap, name: &header::HeaderName) -> impl Iterator<Item = &'a str> {
    h.get_all(name).iter().filter_map(|v| v.to_str().ok())
}

fn x_forwarded_for(h: &HeaderMap) -> Vec<Option<IpAddr>> {
    header_values(h, &header::HeaderName::from_static("x-forwarded-for"))
        .flat_map(|v| v.split(','))
        .map(parse_hop)
        .collect()
}

/// The `for=` hops of RFC 7239 `Forwarded`, `None` when the header is absent.
fn forwarded_for(h: &HeaderMap) -> Option<Vec<Option<IpAddr>>> {
    let hops: Vec<Option<IpAddr>> = header_values(h, &header::FORWARDED)
        .flat_map(|v| v.split(','))
        .filter_map(|element| {
            element.split(';').find_map(|pair| {
                let (k, v) = pair.split_once('=')?;
                k.trim().eq_ignore_ascii_case("for").then(|| parse_hop(v))
            })
        })
        .collect();
    (!hops.is_empty()).then_some(hops)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut m = HeaderMap::new();
        for (k, v) in pairs {
            m.append(
                header::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                v.parse().unwrap(),
            );
        }
        m
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn without_trusted_proxies_forwarded_headers_are_ignored() {
        let none = TrustedProxies::default();
        let spoof = h(&[("x-forwarded-for", "9.9.9.9"), ("forwarded", "for=8.8.8.8")]);
        assert_eq!(none.client_ip(ip("127.0.0.1"), &spoof), ip("127.0.0.1"));
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_says() {
        let t = TrustedProxies::parse(&["10.0.0.0/8"]).unwrap();
        let spoof = h(&[("x-forwarded-for", "9.9.9.9")]);
        assert_eq!(t.client_ip(ip("203.0.113.5"), &spoof), ip("203.0.113.5"));
    }

    #[test]
    fn the_right_most_untrusted_hop_is_the_client() {
        let t = TrustedProxies::parse(&["10.0.0.0/8", "127.0.0.1"]).unwrap();
        // The client wrote 1.1.1.1 itself; the proxy appended the real peer.
        let xff = h(&[("x-forwarded-for", "1.1.1.1, 203.0.113.7, 10.0.0.2")]);
        assert_eq!(t.client_ip(ip("127.0.0.1"), &xff), ip("203.0.113.7"));
        // Several headers are one list, in order.
        let split = h(&[
            ("x-forwarded-for", "1.1.1.1"),
            ("x-forwarded-for", "203.0.113.8"),
        ]);
        assert_eq!(t.client_ip(ip("10.1.2.3"), &split), ip("203.0.113.8"));
        // Forwarded wins over X-Forwarded-For, with ports and IPv6.
        let fwd = h(&[
            (
                "forwarded",
                "for=1.1.1.1, for=\"[2001:db8::7]:4711\";proto=https",
            ),
            ("x-forwarded-for", "5.5.5.5"),
        ]);
        assert_eq!(t.client_ip(ip("10.0.0.1"), &fwd), ip("2001:db8::7"));
        // Only trusted hops: the left-most of them.
        let inner = h(&[("x-forwarded-for", "10.0.0.9")]);
        assert_eq!(t.client_ip(ip("127.0.0.1"), &inner), ip("10.0.0.9"));
        // Garbage stops the walk at the last trusted address.
        let junk = h(&[("x-forwarded-for", "1.1.1.1, not-an-ip")]);
        assert_eq!(t.client_ip(ip("127.0.0.1"), &junk), ip("127.0.0.1"));
        // A mapped IPv4 peer matches an IPv4 network.
        assert_eq!(t.client_ip(ip("::ffff:10.0.0.1"), &xff), ip("203.0.113.7"));
    }

    #[test]
    fn bad_networks_are_refused() {
        assert!(TrustedProxies::parse(&["10.0.0.0/33"]).is_err());
        assert!(TrustedProxies::parse(&["proxy.local"]).is_err());
        assert!(TrustedProxies::parse(&["::1", "192.168.0.0/16"]).is_ok());
    }
}
