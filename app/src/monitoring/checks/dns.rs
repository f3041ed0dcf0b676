//! `dns`: asks a resolver (the monitor's, or the first `nameserver` of
//! `/etc/resolv.conf`) for one record type over UDP; up when the answer
//! is `NOERROR` with at least one record of that type, containing the
//! expected text when one is set. A small client of its own (RFC 1035):
//! a query and its answer are a few hundred bytes of fixed layout.
use super::Spec;
use crate::monitoring::validate;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

fn type_code(t: &str) -> u16 {
    match t {
        "AAAA" => 28,
        "CNAME" => 5,
        "MX" => 15,
        "NS" => 2,
        "TXT" => 16,
        _ => 1,
    }
}

fn system_resolver() -> SocketAddr {
    std::fs::read_to_string("/etc/resolv.conf")
        .ok()
        .and_then(|text| {
            text.lines()
                .filter_map(|l| l.trim().strip_prefix("nameserver"))
                .find_map(|ip| ip.trim().parse::<IpAddr>().ok())
        })
        .map(|ip| SocketAddr::new(ip, 53))
        .unwrap_or_else(|| SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 53))
}

pub fn query(id: u16, name: &str, qtype: u16) -> Vec<u8> {
    let mut q = Vec::with_capacity(32 + name.len());
    q.extend(id.to_be_bytes());
    q.extend([0x01, 0x00]); // recursion desired
    q.extend([0, 1, 0, 0, 0, 0, 0, 0]); // one question
    for label in name.trim_end_matches('.').split('.') {
        q.push(label.len() as u8);
        q.extend(label.as_bytes());
    }
    q.push(0);
    q.extend(qtype.to_be_bytes());
    q.extend([0, 1]); // class IN
    q
}

/// A (possibly compressed) name at `pos`; `pos` moves past it.
fn read_name(msg: &[u8], pos: &mut usize) -> Option<String> {
    let mut labels: Vec<String> = Vec::new();
    let mut at = *pos;
    let mut jumped = false;
    for _ in 0..64 {
        let len = *msg.get(at)? as usize;
        if len & 0xc0 == 0xc0 {
            let target = ((len & 0x3f) << 8) | *msg.get(at + 1)? as usize;
            if !jumped {
                *pos = at + 2;
            }
            jumped = true;
            at = target;
            continue;
        }
        if len == 0 {
            if !jumped {
                *pos = at + 1;
            }
            return Some(labels.join("."));
        }
        let label = msg.get(at + 1..at + 1 + len)?;
        labels.push(String::from_utf8_lossy(label).into_owned());
        at += 1 + len;
    }
    None
}

fn u16_at(msg: &[u8], pos: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*msg.get(pos)?, *msg.get(pos + 1)?]))
}

/// The answers of type `qtype` in a response to query `id`, as text.
pub fn answers(msg: &[u8], id: u16, qtype: u16) -> Result<Vec<String>, String> {
    let bad = || "malformed DNS answer".to_string();
    if msg.len() < 12 || u16_at(msg, 0) != Some(id) {
        return Err(bad());
    }
    let rcode = msg[3] & 0x0f;
    if rcode != 0 {
        let name = match rcode {
            2 => "SERVFAIL",
            3 => "NXDOMAIN",
            5 => "REFUSED",
            _ => "error",
        };
        return Err(format!("resolver answered {name}"));
    }
    let questions = u16_at(msg, 4).ok_or_else(bad)?;
    let count = u16_at(msg, 6).ok_or_else(bad)?;
    let mut pos = 12;
    for _ in 0..questions {
        read_name(msg, &mut pos).ok_or_else(bad)?;
        pos += 4;
    }
    let mut out = Vec::new();
    for _ in 0..count {
        read_name(msg, &mut pos).ok_or_else(bad)?;
        let rtype = u16_at(msg, pos).ok_or_else(bad)?;
        let len = u16_at(msg, pos + 8).ok_or_else(bad)? as usize;
        let start = pos + 10;
        let data = msg.get(start..start + len).ok_or_else(bad)?;
        if rtype == qtype {
            let text = match rtype {
                1 if len == 4 => Ipv4Addr::new(data[0], data[1], data[2], data[3]).to_string(),
                28 if len == 16 => {
                    Ipv6Addr::from(<[u8; 16]>::try_from(data).map_err(|_| bad())?).to_string()
                }
                5 | 2 => read_name(msg, &mut start.clone()).ok_or_else(bad)?,
                15 => {
                    let pref = u16_at(msg, start).ok_or_else(bad)?;
                    format!(
                        "{pref} {}",
                        read_name(msg, &mut (start + 2)).ok_or_else(bad)?
                    )
                }
                16 => {
                    let mut text = String::new();
                    let mut i = 0;
                    while i < data.len() {
                        let n = data[i] as usize;
                        let part = data.get(i + 1..i + 1 + n).ok_or_else(bad)?;
                        text.push_str(&String::from_utf8_lossy(part));
                        i += 1 + n;
                    }
                    text
                }
                _ => return Err(bad()),
            };
            out.push(text);
        }
        pos = start + len;
    }
    Ok(out)
}

pub(super) async fn check(spec: &Spec) -> Result<String, String> {
    let rt = spec.settings.record_type.as_deref().unwrap_or("A");
    let qtype = type_code(rt);
    let server = spec
        .settings
        .resolver
        .as_deref()
        .and_then(|r| validate::resolver(r).ok())
        .unwrap_or_else(system_resolver);
    let bind: SocketAddr = if server.is_ipv4() {
        "0.0.0.0:0".parse().expect("literal")
    } else {
        "[::]:0".parse().expect("literal")
    };
    let socket = tokio::net::UdpSocket::bind(bind)
        .await
        .map_err(|e| format!("no UDP socket: {e}"))?;
    socket
        .connect(server)
        .await
        .map_err(|e| format!("resolver {server} unreachable: {e}"))?;
    let id: u16 = rand::random();
    socket
        .send(&query(id, &spec.target, qtype))
        .await
        .map_err(|e| format!("query not sent: {e}"))?;
    let mut buf = vec![0u8; 4096];
    loop {
        let n = socket
            .recv(&mut buf)
            .await
            .map_err(|e| format!("no answer from {server}: {e}"))?;
        // A stray datagram with another id is not our answer: keep waiting.
        if n >= 2 && u16_at(&buf, 0) != Some(id) {
            continue;
        }
        let found = answers(&buf[..n], id, qtype)?;
        if found.is_empty() {
            return Err(format!("no {rt} record"));
        }
        let joined = found.join(", ");
        return match &spec.settings.expected {
            Some(e) if !found.iter().any(|a| a.contains(e.as_str())) => {
                Err(format!("{rt} {joined} does not contain {e}"))
            }
            _ => Ok(format!("{rt} {joined}")),
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_compressed_answer_and_refuses_garbage() {
        let q = query(0x1234, "example.org", 1);
        // The answer: the query echoed with QR set and one A record
        // pointing back at the question's name (offset 12).
        let mut a = q.clone();
        a[2] = 0x81;
        a[3] = 0x80;
        a[7] = 1;
        a.extend([0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 7]);
        assert_eq!(answers(&a, 0x1234, 1).unwrap(), ["192.0.2.7"]);
        assert!(answers(&a, 0x9999, 1).is_err());
        assert!(answers(&a[..a.len() - 2], 0x1234, 1).is_err());
        let mut nx = q.clone();
        nx[3] = 0x83;
        assert_eq!(
            answers(&nx, 0x1234, 1).unwrap_err(),
            "resolver answered NXDOMAIN"
        );
        // A pointer loop ends instead of spinning.
        let mut looped = q;
        looped[7] = 1;
        looped.extend([0xc0, 29, 0, 1]);
        assert!(answers(&looped, 0x1234, 1).is_err());
    }
}
