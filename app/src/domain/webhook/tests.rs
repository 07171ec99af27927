use std::net::IpAddr;

use proptest::prelude::*;

use super::*;

fn ip(text: &str) -> IpAddr {
    text.parse().expect("an address")
}

#[test]
fn addresses_inside_the_office_or_the_machine_are_never_called() {
    for inside in [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "172.31.255.255",
        "192.168.10.20",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "255.255.255.255",
        "::1",
        "::",
        "fd00::1",
        "fe80::1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
    ] {
        assert!(!is_public(ip(inside)), "{inside} must be refused");
    }
    for outside in [
        "203.104.1.1",
        "8.8.8.8",
        "172.32.0.1",
        "2404:6800:4004::200e",
    ] {
        assert!(is_public(ip(outside)), "{outside} is on the internet");
    }
}

#[test]
fn the_host_and_port_are_read_from_the_url_and_credentials_are_refused() {
    assert_eq!(
        target_of("https://hooks.slack.com/services/T000/B000/XXX"),
        Ok(("hooks.slack.com".into(), 443))
    );
    assert_eq!(target_of("http://[::1]:8080/x"), Ok(("::1".into(), 8080)));
    assert_eq!(
        target_of("http://Example.JP:81"),
        Ok(("example.jp".into(), 81))
    );
    assert!(target_of("ftp://example.jp/").is_err());
    assert!(target_of("https://user:pass@example.jp/").is_err());
    assert!(target_of("https://example.jp:port/").is_err());
    assert!(target_of("https:///path").is_err());
}

#[test]
fn a_webhook_names_every_wrong_field() {
    let errors = parse_webhook(&WebhookInput {
        url: "javascript:alert(1)".into(),
        events: vec!["post.deleted".into()],
        format: "xml".into(),
        secret: Some("short".into()),
    })
    .expect_err("refused");
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["url", "events", "format", "secret"]);
}

#[test]
fn slack_gets_one_line_of_text_with_the_link_and_json_gets_the_facts() {
    let event = Event {
        kind: EventKind::NoticeCreated,
        prefecture: "290009".into(),
        text: "お知らせ: 年末年始の窓口について".into(),
        path: "/notices/3".into(),
        data: json!({"id": 3}),
    };
    let slack: Value =
        serde_json::from_str(&body(&event, Format::Slack, "https://renkei.example/", "t"))
            .expect("json");
    assert_eq!(
        slack,
        json!({"text": "お知らせ: 年末年始の窓口について https://renkei.example/notices/3"})
    );
    let full: Value =
        serde_json::from_str(&body(&event, Format::Json, "https://renkei.example", "t"))
            .expect("json");
    assert_eq!(full["event"], "notice.created");
    assert_eq!(full["data"]["id"], 3);
}

#[test]
fn retries_wait_twice_as_long_each_time_up_to_six_hours() {
    assert_eq!(backoff_ms(30_000, 1), 30_000);
    assert_eq!(backoff_ms(30_000, 2), 60_000);
    assert_eq!(backoff_ms(30_000, 3), 120_000);
    assert_eq!(backoff_ms(30_000, 40), 6 * 3600 * 1000);
}

proptest! {
    #[test]
    fn every_event_name_reads_back_as_itself(i in 0usize..7) {
        let kind = EventKind::ALL[i];
        prop_assert_eq!(EventKind::parse(kind.key()), Some(kind));
        let json = serde_json::to_string(&kind).expect("json");
        prop_assert_eq!(json, format!("\"{}\"", kind.key()));
    }

    #[test]
    fn no_private_ipv4_address_is_public_mapped_or_not(a in 0u8..=255, b in 0u8..=255, c in 0u8..=255, d in 0u8..=255) {
        let v4 = std::net::Ipv4Addr::new(a, b, c, d);
        prop_assert_eq!(is_public(IpAddr::V4(v4)), is_public(IpAddr::V6(v4.to_ipv6_mapped())));
        if v4.is_private() || v4.is_loopback() {
            prop_assert!(!is_public(IpAddr::V4(v4)));
        }
    }
}
