//! The one thing a check needs from a certificate: when it expires. A
//! small DER walk to `tbsCertificate.validity.notAfter`, rather than a
//! full X.509 parser in the binary for one field.

/// One DER element: its tag, its contents and what follows it.
fn element(data: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = data.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        let len = rest[..n]
            .iter()
            .fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
        (len, &rest[n..])
    };
    (rest.len() >= len).then(|| (tag, &rest[..len], &rest[len..]))
}

/// Unix seconds of the certificate's `notAfter`; `None` if `der` is not a
/// certificate this walk understands.
pub fn not_after(der: &[u8]) -> Option<i64> {
    const SEQUENCE: u8 = 0x30;
    let (tag, cert, _) = element(der)?;
    (tag == SEQUENCE).then_some(())?;
    let (tag, tbs, _) = element(cert)?;
    (tag == SEQUENCE).then_some(())?;
    let mut rest = tbs;
    // `[0] version` is present in every v3 certificate.
    if rest.first() == Some(&0xa0) {
        rest = element(rest)?.2;
    }
    rest = element(rest)?.2; // serialNumber
    rest = element(rest)?.2; // signature
    rest = element(rest)?.2; // issuer
    let (tag, validity, _) = element(rest)?;
    (tag == SEQUENCE).then_some(())?;
    let (_, _, after) = element(validity)?; // notBefore
    let (tag, time, _) = element(after)?;
    let text = std::str::from_utf8(time).ok()?;
    let text = text.strip_suffix('Z')?;
    let full = match tag {
        // UTCTime: two-digit years, 50–99 meaning 19xx (RFC 5280).
        0x17 if text.len() == 12 => {
            let yy: u32 = text[..2].parse().ok()?;
            format!("{}{text}", if yy >= 50 { "19" } else { "20" })
        }
        0x18 if text.len() == 14 => text.to_string(),
        _ => return None,
    };
    chrono::NaiveDateTime::parse_from_str(&full, "%Y%m%d%H%M%S")
        .ok()
        .map(|t| t.and_utc().timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_input_is_none() {
        assert_eq!(not_after(&[]), None);
        assert_eq!(not_after(&[0x30, 0x82, 0xff]), None);
        assert_eq!(not_after(&[0x30, 0x03, 0x02, 0x01, 0x00]), None);
        assert_eq!(not_after(b"not a certificate at all"), None);
    }
}
