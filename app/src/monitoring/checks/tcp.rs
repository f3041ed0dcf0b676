//! `tcp`: up when a connection to `host:port` opens.
use super::Spec;

pub(super) async fn check(spec: &Spec) -> Result<String, String> {
    let stream = tokio::net::TcpStream::connect(&spec.target)
        .await
        .map_err(|e| format!("connection failed: {e}"))?;
    let peer = stream
        .peer_addr()
        .map(|a| a.to_string())
        .unwrap_or_default();
    Ok(format!("connected to {peer}"))
}
