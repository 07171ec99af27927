//! Outgoing webhooks: which events, which format, which addresses may be called,
//! and the bodies sent (Slack-compatible `{"text": …}` or generic JSON). Pure.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::domain::gather::{Errors, Gather};
use crate::domain::training::input::FieldError;

/// Longest URL.
pub const URL_MAX: usize = 2_000;
/// Longest signing secret.
pub const SECRET_MAX: usize = 200;
/// Shortest signing secret.
pub const SECRET_MIN: usize = 16;

/// Something that happened that a chat tool may be told about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EventKind {
    /// A new post in an open channel (member-only channels are never sent out).
    #[serde(rename = "post.created")]
    PostCreated,
    /// A notice from the 県.
    #[serde(rename = "notice.created")]
    NoticeCreated,
    /// A 照会 was sent.
    #[serde(rename = "survey.created")]
    SurveyCreated,
    /// A 照会's deadline is near and towns have not submitted.
    #[serde(rename = "survey.due")]
    SurveyDue,
    /// A dispatch request moved (filed, proposed, approved, …).
    #[serde(rename = "dispatch.status")]
    DispatchStatus,
    /// A joint training opened for enrolment.
    #[serde(rename = "training.opened")]
    TrainingOpened,
    /// A joint training's 負担金 were confirmed.
    #[serde(rename = "split.confirmed")]
    SplitConfirmed,
}

impl EventKind {
    /// Every event, in the form's order.
    pub const ALL: [EventKind; 7] = [
        EventKind::PostCreated,
        EventKind::NoticeCreated,
        EventKind::SurveyCreated,
        EventKind::SurveyDue,
        EventKind::DispatchStatus,
        EventKind::TrainingOpened,
        EventKind::SplitConfirmed,
    ];

    /// The API's name (`"post.created"`).
    pub fn key(self) -> &'static str {
        match self {
            EventKind::PostCreated => "post.created",
            EventKind::NoticeCreated => "notice.created",
            EventKind::SurveyCreated => "survey.created",
            EventKind::SurveyDue => "survey.due",
            EventKind::DispatchStatus => "dispatch.status",
            EventKind::TrainingOpened => "training.opened",
            EventKind::SplitConfirmed => "split.confirmed",
        }
    }

    /// In words, for the admin page.
    pub fn label(self) -> &'static str {
        match self {
            EventKind::PostCreated => "チャンネルの新しい投稿(公開チャンネルのみ)",
            EventKind::NoticeCreated => "お知らせの送信",
            EventKind::SurveyCreated => "照会の送信",
            EventKind::SurveyDue => "照会の期限が近い",
            EventKind::DispatchStatus => "派遣依頼の状態の変化",
            EventKind::TrainingOpened => "共同研修の受付開始",
            EventKind::SplitConfirmed => "負担金の確定",
        }
    }

    /// The event named `key`.
    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.key() == key.trim())
    }
}

/// What the receiver gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// `{"text": "…"}`: Slack's, LoGoチャット's and most chat tools' incoming webhooks.
    Slack,
    /// The event as JSON, signed with HMAC-SHA256 when a secret is set.
    Json,
}

impl Format {
    /// As stored and in the API.
    pub fn key(self) -> &'static str {
        match self {
            Format::Slack => "slack",
            Format::Json => "json",
        }
    }

    /// As stored, anything unknown read as Slack.
    pub fn from_key(key: &str) -> Self {
        if key == "json" {
            Format::Json
        } else {
            Format::Slack
        }
    }
}

/// A webhook as registered (`POST /api/webhooks`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookInput {
    /// Where to POST.
    #[serde(default)]
    pub url: String,
    /// Event names (`"notice.created"` …).
    #[serde(default)]
    pub events: Vec<String>,
    /// `"slack"` or `"json"`.
    #[serde(default)]
    pub format: String,
    /// The signing secret (JSON format).
    #[serde(default)]
    pub secret: Option<String>,
}

/// A checked webhook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewWebhook {
    /// The URL as given.
    pub url: String,
    /// Its host name or address (no brackets).
    pub host: String,
    /// Its port.
    pub port: u16,
    /// The events, each once.
    pub events: Vec<EventKind>,
    /// The body format.
    pub format: Format,
    /// The signing secret.
    pub secret: Option<String>,
}

fn error(field: &str, message: impl Into<String>) -> FieldError {
    FieldError {
        field: field.to_owned(),
        message: message.into(),
    }
}

/// The host and port of an `http(s)://` URL; `Err` says what is wrong with it.
pub fn target_of(url: &str) -> Result<(String, u16), String> {
    let (rest, default_port) = if let Some(rest) = url.strip_prefix("https://") {
        (rest, 443)
    } else if let Some(rest) = url.strip_prefix("http://") {
        (rest, 80)
    } else {
        return Err("URL は https:// か http:// で始めてください。".into());
    };
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("URL に空白は使えません。".into());
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.contains('@') {
        return Err("URL に利用者名やパスワードを含めないでください。".into());
    }
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let (host, after) = v6
            .split_once(']')
            .ok_or("URL のホスト名を読み取れません。")?;
        (host, after.strip_prefix(':'))
    } else {
        match authority.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    if host.is_empty() {
        return Err("URL にホスト名がありません。".into());
    }
    let port = match port {
        None => default_port,
        Some(p) => p
            .parse()
            .map_err(|_| "URL のポート番号を読み取れません。")?,
    };
    Ok((host.to_ascii_lowercase(), port))
}

/// Checks a webhook; every wrong field is named.
pub fn parse_webhook(input: &WebhookInput) -> Result<NewWebhook, Errors<FieldError>> {
    let mut gather = Gather::new();
    let url = input.url.trim().to_owned();
    let target = if url.chars().count() > URL_MAX {
        gather.push(error("url", format!("URL は{URL_MAX}文字までです。")));
        None
    } else {
        gather.take(target_of(&url).map_err(|m| error("url", m)))
    };
    let mut events = Vec::new();
    for key in &input.events {
        match EventKind::parse(key) {
            Some(kind) if !events.contains(&kind) => events.push(kind),
            Some(_) => {}
            None => gather.push(error(
                "events",
                format!("「{key}」という種類の通知はありません。"),
            )),
        }
    }
    if input.events.is_empty() {
        gather.push(error("events", "送る通知を1つ以上選んでください。"));
    }
    let format = match input.format.trim() {
        "slack" | "" => Format::Slack,
        "json" => Format::Json,
        other => {
            gather.push(error(
                "format",
                format!("形式「{other}」はありません(slack か json)。"),
            ));
            Format::Slack
        }
    };
    let secret = input
        .secret
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned);
    if let Some(secret) = &secret {
        let n = secret.chars().count();
        if !(SECRET_MIN..=SECRET_MAX).contains(&n) {
            gather.push(error(
                "secret",
                format!("署名の鍵は{SECRET_MIN}〜{SECRET_MAX}文字にしてください。"),
            ));
        }
    }
    gather.finish()?;
    let (host, port) = target.unwrap_or_default();
    Ok(NewWebhook {
        url,
        host,
        port,
        events,
        format,
        secret,
    })
}

fn public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    !(ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || a == 0
        // Shared address space (carrier-grade NAT), 100.64.0.0/10.
        || (a == 100 && (64..128).contains(&b))
        // Benchmarking, 198.18.0.0/15; reserved 240.0.0.0/4.
        || (a == 198 && (b == 18 || b == 19))
        || a >= 240)
}

/// Whether a webhook may call this address: not loopback, private, link-local,
/// shared, multicast or reserved (server-side request forgery), IPv4 or IPv6
/// (IPv4-mapped addresses are judged as IPv4).
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => public_v4(v4),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return public_v4(v4);
            }
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                // Unique local fc00::/7, link-local fe80::/10, documentation 2001:db8::/32.
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
                || (first == 0x2001 && v6.segments()[1] == 0x0db8)
                || v6 == Ipv6Addr::from(0u128))
        }
    }
}

/// What happened, as every webhook of the prefecture is told.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Which event.
    pub kind: EventKind,
    /// The prefecture's 団体コード.
    pub prefecture: String,
    /// One line for people (「お知らせ: 年末年始の窓口について」).
    pub text: String,
    /// The page in the portal (`/notices/3`), made absolute when sent.
    pub path: String,
    /// The facts, for programs.
    pub data: Value,
}

/// The body sent for `event` in `format`; `origin` makes its link absolute
/// (`https://renkei.pref.nara.jp`); `at` is when it happened (RFC 3339).
pub fn body(event: &Event, format: Format, origin: &str, at: &str) -> String {
    let url = format!("{}{}", origin.trim_end_matches('/'), event.path);
    match format {
        Format::Slack => json!({ "text": format!("{} {url}", event.text) }).to_string(),
        Format::Json => json!({
            "event": event.kind.key(),
            "occurred_at": at,
            "prefecture": event.prefecture,
            "text": event.text,
            "url": url,
            "data": event.data,
        })
        .to_string(),
    }
}

/// Seconds to wait before attempt `attempt + 1` after `attempt` failed ones:
/// `base`, 2×, 4×… capped at six hours.
pub fn backoff_ms(base_ms: u64, failed_attempts: u32) -> u64 {
    let factor = 1u64 << failed_attempts.saturating_sub(1).min(20);
    base_ms.saturating_mul(factor).min(6 * 3600 * 1000)
}

#[cfg(test)]
mod tests;
