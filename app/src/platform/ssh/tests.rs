//! Tests of the SSH client's pieces that need no server (the live tests
//! are in server/tests/api/ssh.rs).
use super::*;

#[test]
fn host_keys_parse_and_print_ssh_keygen_fingerprints() {
    // `ssh-keygen -l` of this key prints this fingerprint.
    let line = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHdLCL5Tx16oNAL7dwTZi/35QDfvWk3xJjvibG4psB+S";
    let key = HostKey::parse(line).unwrap();
    assert_eq!(key.line(), line);
    assert_eq!(
        key.fingerprint(),
        "SHA256:V78Jyl6UmGxMhbc39vXk/bjoSehK4kOsNVN41YrBDUI"
    );
    assert_eq!(HostKey::parse("ssh-dss AAAA"), None);
    assert_eq!(HostKey::parse("ssh-ed25519 !!!"), None);
    assert_eq!(HostKey::parse(""), None);
}

#[test]
fn ssh_failures_are_told_apart() {
    let changed = "@@@@@@@\n@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\n";
    assert_eq!(classify(changed), Some(SshError::HostKeyChanged));
    assert_eq!(
        classify("Host key verification failed.\n"),
        Some(SshError::HostKeyChanged)
    );
    assert!(matches!(
        classify("root@127.0.0.1: Permission denied (publickey).\n"),
        Some(SshError::AuthFailed(_))
    ));
    assert!(matches!(
        classify("ssh: connect to host 127.0.0.1 port 1: Connection refused\n"),
        Some(SshError::Unreachable(_))
    ));
    assert_eq!(classify("bash: exit status\n"), None);
    let e = Endpoint {
        host: "h".into(),
        port: 22,
        user: "u".into(),
    };
    assert_eq!(host_pattern(&e), "h");
    assert_eq!(host_pattern(&Endpoint { port: 2222, ..e }), "[h]:2222");
}
