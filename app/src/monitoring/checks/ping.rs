//! `ping`: one ICMP echo to the target (an address or a host name), up
//! when the matching reply comes back within the timeout.
//!
//! As root the check opens a raw ICMP socket; otherwise an unprivileged
//! "ping" datagram socket, which Linux allows to the groups in
//! `net.ipv4.ping_group_range`. A raw socket sees every ICMP packet the
//! host receives, so a reply counts only when it comes from the target and
//! carries this check's identifier, sequence number and random payload.
use super::Spec;
use socket2::{Domain, Protocol, SockAddr, Socket, Type};
use std::mem::MaybeUninit;
use std::net::{IpAddr, SocketAddr};
use tokio::io::unix::AsyncFd;

const ECHO_V4: u8 = 8;
const REPLY_V4: u8 = 0;
const ECHO_V6: u8 = 128;
const REPLY_V6: u8 = 129;

/// The Internet checksum (RFC 1071) of `data`.
fn checksum(data: &[u8]) -> u16 {
    let mut sum: u32 = data
        .chunks(2)
        .map(|c| u32::from(u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)])))
        .sum();
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
}

/// An echo request; the kernel fills in ICMPv6's checksum itself.
fn echo(v6: bool, ident: u16, seq: u16, payload: &[u8]) -> Vec<u8> {
    let mut p = vec![if v6 { ECHO_V6 } else { ECHO_V4 }, 0, 0, 0];
    p.extend_from_slice(&ident.to_be_bytes());
    p.extend_from_slice(&seq.to_be_bytes());
    p.extend_from_slice(payload);
    if !v6 {
        let sum = checksum(&p);
        p[2..4].copy_from_slice(&sum.to_be_bytes());
    }
    p
}

/// Whether `packet` (as a socket of `kind` hands it over) is the reply to
/// our echo. Raw IPv4 sockets deliver the IP header first; a datagram
/// socket's identifier is the kernel's, which filters for us.
fn is_reply(packet: &[u8], v6: bool, raw: bool, ident: u16, seq: u16, payload: &[u8]) -> bool {
    let icmp = if raw && !v6 {
        let Some(first) = packet.first() else {
            return false;
        };
        match packet.get(usize::from(first & 0x0f) * 4..) {
            Some(rest) => rest,
            None => return false,
        }
    } else {
        packet
    };
    icmp.len() >= 8 + payload.len()
        && icmp[0] == if v6 { REPLY_V6 } else { REPLY_V4 }
        && (!raw || icmp[4..6] == ident.to_be_bytes())
        && icmp[6..8] == seq.to_be_bytes()
        && &icmp[8..8 + payload.len()] == payload
}

fn open(v6: bool) -> std::io::Result<(Socket, bool)> {
    let (domain, proto) = if v6 {
        (Domain::IPV6, Protocol::ICMPV6)
    } else {
        (Domain::IPV4, Protocol::ICMPV4)
    };
    match Socket::new(domain, Type::RAW, Some(proto)) {
        Ok(s) => Ok((s, true)),
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
            Socket::new(domain, Type::DGRAM, Some(proto)).map(|s| (s, false))
        }
        Err(e) => Err(e),
    }
}

/// The target's first address.
async fn resolve(target: &str) -> Result<IpAddr, String> {
    if let Ok(ip) = target.parse::<IpAddr>() {
        return Ok(ip);
    }
    tokio::net::lookup_host((target, 0))
        .await
        .map_err(|e| format!("cannot resolve {target}: {e}"))?
        .next()
        .map(|a| a.ip())
        .ok_or_else(|| format!("{target} has no address"))
}

pub(super) async fn check(spec: &Spec) -> Result<String, String> {
    let ip = resolve(spec.target.trim()).await?;
    let v6 = ip.is_ipv6();
    let (socket, raw) = open(v6).map_err(|e| {
        format!(
            "no ICMP socket ({e}): run as root or allow this group in net.ipv4.ping_group_range"
        )
    })?;
    socket.set_nonblocking(true).map_err(|e| e.to_string())?;
    // SAFETY: the socket owns its descriptor, and nothing replaces or
    // closes it while the `AsyncFd` holds it.
    let fd =
        unsafe { AsyncFd::register(socket) }.map_err(|e| std::io::Error::from(e).to_string())?;
    let (ident, seq): (u16, u16) = (rand::random(), rand::random());
    let payload: [u8; 16] = rand::random();
    let packet = echo(v6, ident, seq, &payload);
    let to = SockAddr::from(SocketAddr::new(ip, 0));
    let started = std::time::Instant::now();
    loop {
        let mut ready = fd.writable().await.map_err(|e| e.to_string())?;
        match ready.try_io(|s| s.get_ref().send_to(&packet, &to)) {
            Ok(sent) => {
                sent.map_err(|e| format!("cannot send to {ip}: {e}"))?;
                break;
            }
            Err(_would_block) => continue,
        }
    }
    let mut buf = [MaybeUninit::<u8>::uninit(); 1500];
    loop {
        let mut ready = fd.readable().await.map_err(|e| e.to_string())?;
        let (n, from) = match ready.try_io(|s| s.get_ref().recv_from(&mut buf)) {
            Ok(got) => got.map_err(|e| e.to_string())?,
            Err(_would_block) => continue,
        };
        // SAFETY: `recv_from` initialised the first `n` bytes.
        let data: Vec<u8> = buf[..n]
            .iter()
            .map(|b| unsafe { b.assume_init() })
            .collect();
        let from_target = from.as_socket().is_some_and(|a| a.ip() == ip);
        if from_target && is_reply(&data, v6, raw, ident, seq, &payload) {
            let ms = started.elapsed().as_secs_f64() * 1000.0;
            return Ok(format!("reply from {ip} in {ms:.1} ms"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_carry_a_valid_checksum_and_replies_are_matched() {
        let payload = [7u8; 16];
        let req = echo(false, 0x1234, 9, &payload);
        assert_eq!(req[0], ECHO_V4);
        // A packet with its checksum in place sums to zero.
        assert_eq!(checksum(&req), 0);
        let mut reply = req.clone();
        reply[0] = REPLY_V4;
        let mut ip = vec![0x45u8];
        ip.resize(20, 0);
        ip.extend_from_slice(&reply);
        assert!(is_reply(&ip, false, true, 0x1234, 9, &payload));
        assert!(
            !is_reply(&ip, false, true, 0x1235, 9, &payload),
            "another check's"
        );
        assert!(!is_reply(&ip, false, true, 0x1234, 10, &payload));
        assert!(
            !is_reply(&req, false, false, 0x1234, 9, &payload),
            "a request"
        );
        assert!(
            is_reply(&reply, false, false, 0, 9, &payload),
            "datagram: no header"
        );
        assert!(
            !is_reply(&[0x4f], false, true, 0x1234, 9, &payload),
            "truncated"
        );
        let v6 = echo(true, 1, 2, &payload);
        assert_eq!((v6[0], v6[2], v6[3]), (ECHO_V6, 0, 0));
    }
}
