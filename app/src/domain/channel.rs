//! 情報共有 (デジならチャット): who may read a channel, what a channel and a post
//! must be, and how a post's plain text is shown — links, mentions (`@三宅町`,
//! `@奈良 連太`) and references to the portal's own pages. Pure: the server checks
//! with it and the browser draws with it.

use serde::{Deserialize, Serialize};

use crate::domain::gather::{Errors, Gather};
use crate::domain::training::input::FieldError;

fn error(field: &str, message: impl Into<String>) -> FieldError {
    FieldError {
        field: field.to_owned(),
        message: message.into(),
    }
}

/// Longest channel name, in characters.
pub const NAME_MAX: usize = 60;
/// Longest channel description.
pub const DESCRIPTION_MAX: usize = 500;
/// Longest post.
pub const BODY_MAX: usize = 4_000;
/// Most members a member-only channel takes in one request.
pub const MEMBERS_MAX: usize = 500;

/// Who reads a channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    /// Every local government of the prefecture and the 県.
    Open,
    /// Its members only (分科会).
    Members,
}

impl Visibility {
    /// Wire and stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Members => "members",
        }
    }

    /// The visibility named `text`.
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim() {
            "open" => Some(Self::Open),
            "members" => Some(Self::Members),
            _ => None,
        }
    }

    /// 「県内の全団体」.
    pub fn label(self) -> &'static str {
        match self {
            Self::Open => "県内の全団体",
            Self::Members => "メンバーのみ",
        }
    }
}

/// A new channel as sent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelInput {
    /// Name.
    #[serde(default)]
    pub name: String,
    /// What it is for.
    #[serde(default)]
    pub description: String,
    /// `open` or `members`.
    #[serde(default)]
    pub visibility: String,
    /// Members' e-mails (member-only channels).
    #[serde(default)]
    pub members: Vec<String>,
}

/// A checked new channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewChannel {
    /// Name, one line.
    pub name: String,
    /// Description.
    pub description: String,
    /// Who reads it.
    pub visibility: Visibility,
    /// Members' e-mails, lower case, each once.
    pub members: Vec<String>,
}

/// Checks a new channel; every wrong field is named.
pub fn parse_channel(input: &ChannelInput) -> Result<NewChannel, Errors<FieldError>> {
    let mut gather = Gather::new();
    let name = crate::domain::text::clean_single_line(&input.name);
    let name = gather.take(if name.is_empty() {
        Err(error("name", "チャンネル名を入力してください。"))
    } else if name.chars().count() > NAME_MAX {
        Err(error(
            "name",
            format!("チャンネル名は{NAME_MAX}文字までです。"),
        ))
    } else {
        Ok(name)
    });
    let description = input.description.trim().to_owned();
    let description = gather.take(if description.chars().count() > DESCRIPTION_MAX {
        Err(error(
            "description",
            format!("説明は{DESCRIPTION_MAX}文字までです。"),
        ))
    } else {
        Ok(description)
    });
    let visibility = gather.take(Visibility::parse(&input.visibility).ok_or_else(|| {
        error(
            "visibility",
            "公開範囲は「県内の全団体」か「メンバーのみ」です。",
        )
    }));
    let mut members: Vec<String> = Vec::new();
    for email in &input.members {
        let email = email.trim().to_lowercase();
        if !email.is_empty() && !members.contains(&email) {
            members.push(email);
        }
    }
    if members.len() > MEMBERS_MAX {
        gather.push(error(
            "members",
            format!("メンバーは{MEMBERS_MAX}人までです。"),
        ));
    }
    gather.finish()?;
    match (name, description, visibility) {
        (Some(name), Some(description), Some(visibility)) => Ok(NewChannel {
            name,
            description,
            visibility,
            members,
        }),
        _ => Err(Errors::from(error("name", "入力内容を確認してください。"))),
    }
}

/// A post's text, checked: not blank, at most [`BODY_MAX`] characters, line ends
/// as `\n`.
pub fn parse_body(text: &str) -> Result<String, FieldError> {
    let body = text.replace("\r\n", "\n").replace('\r', "\n");
    let body = body.trim();
    if body.is_empty() {
        return Err(error("body", "本文を入力してください。"));
    }
    if body.chars().count() > BODY_MAX {
        return Err(error("body", format!("本文は{BODY_MAX}文字までです。")));
    }
    Ok(body.to_owned())
}

/// A piece of a post as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Segment {
    /// Plain text.
    Text(String),
    /// An `http(s)://` address.
    Link(String),
    /// `@name`: a person or a town.
    Mention(String),
}

/// The pieces of `body`, in order: addresses up to the next space, and mentions
/// up to the next space or punctuation. Everything else is text (never HTML).
pub fn segments(body: &str) -> Vec<Segment> {
    let mut out: Vec<Segment> = Vec::new();
    let mut text = String::new();
    let mut rest = body;
    while let Some(c) = rest.chars().next() {
        let link = ["https://", "http://"].iter().any(|p| rest.starts_with(p));
        if link || c == '@' {
            let start = if link { 0 } else { 1 };
            let end = rest[start..]
                .char_indices()
                .find(|(_, ch)| ends_token(*ch, link))
                .map_or(rest.len(), |(i, _)| start + i);
            if end > start {
                if !text.is_empty() {
                    out.push(Segment::Text(std::mem::take(&mut text)));
                }
                let token = rest[start..end].to_owned();
                out.push(if link {
                    Segment::Link(token)
                } else {
                    Segment::Mention(token)
                });
                rest = &rest[end..];
                continue;
            }
        }
        text.push(c);
        rest = &rest[c.len_utf8()..];
    }
    if !text.is_empty() {
        out.push(Segment::Text(text));
    }
    out
}

fn ends_token(c: char, link: bool) -> bool {
    if c.is_whitespace() || c == '　' {
        return true;
    }
    if link {
        // Japanese text often runs straight on after an address.
        !c.is_ascii() || matches!(c, '<' | '>' | '"' | '\'' | ')')
    } else {
        matches!(
            c,
            '、' | '。' | ',' | '.' | '!' | '?' | '！' | '？' | '」' | ')' | '）' | '@'
        )
    }
}

/// The names mentioned in `body`, each once.
pub fn mentions(body: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for segment in segments(body) {
        if let Segment::Mention(name) = segment
            && !names.contains(&name)
        {
            names.push(name);
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn links_and_mentions_are_found_in_japanese_text() {
        let found =
            segments("@三宅町 の皆さん、資料はhttps://example.jp/a?b=1 にあります。@奈良連太。");
        assert_eq!(
            found,
            vec![
                Segment::Mention("三宅町".into()),
                Segment::Text(" の皆さん、資料は".into()),
                Segment::Link("https://example.jp/a?b=1".into()),
                Segment::Text(" にあります。".into()),
                Segment::Mention("奈良連太".into()),
                Segment::Text("。".into()),
            ]
        );
        assert_eq!(mentions("@三宅町 と @三宅町"), ["三宅町"]);
    }

    #[test]
    fn html_stays_text_and_a_lone_at_sign_is_text() {
        assert_eq!(
            segments("<script>alert(1)</script> @ x"),
            vec![Segment::Text("<script>alert(1)</script> @ x".into())]
        );
    }

    #[test]
    fn a_blank_or_too_long_post_is_refused_and_line_ends_are_kept() {
        assert!(parse_body("  \r\n ").is_err());
        assert!(parse_body(&"あ".repeat(BODY_MAX + 1)).is_err());
        assert_eq!(
            parse_body(" 一行目\r\n二行目 ").ok().as_deref(),
            Some("一行目\n二行目")
        );
    }

    #[test]
    fn every_wrong_field_of_a_channel_is_named() {
        let errors = parse_channel(&ChannelInput {
            name: " ".into(),
            visibility: "secret".into(),
            ..ChannelInput::default()
        })
        .expect_err("refused");
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["name", "visibility"]);
    }

    proptest! {
        #[test]
        fn the_pieces_of_a_post_put_together_are_the_post(body in "[a-z@:/. 　三宅町、。h]{0,40}") {
            let joined: String = segments(&body)
                .into_iter()
                .map(|s| match s {
                    Segment::Text(t) | Segment::Link(t) => t,
                    Segment::Mention(m) => format!("@{m}"),
                })
                .collect();
            prop_assert_eq!(joined, body);
        }
    }
}

/// What a link in a post points to inside the portal, shown as a card.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LinkTarget {
    /// `/cases/{slug}`.
    Case(String),
    /// `/trainings/{id}`.
    Training(i32),
    /// `/advisors/{id}`.
    Advisor(i32),
    /// `/dispatches/{id}`.
    Dispatch(i32),
}

impl LinkTarget {
    /// The portal's own path of it (the card links there, whatever host the
    /// address in the post named).
    pub fn path(&self) -> String {
        match self {
            LinkTarget::Case(slug) => format!("/cases/{slug}"),
            LinkTarget::Training(id) => format!("/trainings/{id}"),
            LinkTarget::Advisor(id) => format!("/advisors/{id}"),
            LinkTarget::Dispatch(id) => format!("/dispatches/{id}"),
        }
    }
}

/// The portal page an address points to, read from its path
/// (`https://…/trainings/12`, with or without a trailing slash, query or
/// fragment).
pub fn link_target(url: &str) -> Option<LinkTarget> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let path = rest.find('/').map(|i| &rest[i..])?;
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let mut parts = path.trim_end_matches('/').split('/').skip(1);
    let (kind, key) = (parts.next()?, parts.next()?);
    if parts.next().is_some() || key.is_empty() {
        return None;
    }
    let id = || key.parse::<i32>().ok().filter(|id| *id > 0);
    match kind {
        "cases"
            if key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') =>
        {
            Some(LinkTarget::Case(key.to_owned()))
        }
        "trainings" => id().map(LinkTarget::Training),
        "advisors" => id().map(LinkTarget::Advisor),
        "dispatches" => id().map(LinkTarget::Dispatch),
        _ => None,
    }
}

#[cfg(test)]
mod link_tests {
    use super::*;

    #[test]
    fn links_to_the_portals_pages_are_recognised_and_others_are_not() {
        assert_eq!(
            link_target("http://127.0.0.1:3000/trainings/12"),
            Some(LinkTarget::Training(12))
        );
        assert_eq!(
            link_target("https://renkei.example/cases/nara-miyake-01/?from=chat#top"),
            Some(LinkTarget::Case("nara-miyake-01".into()))
        );
        assert_eq!(
            link_target("https://x.example/dispatches/3"),
            Some(LinkTarget::Dispatch(3))
        );
        assert_eq!(link_target("https://x.example/advisors/3/edit"), None);
        assert_eq!(link_target("https://x.example/advisors/abc"), None);
        assert_eq!(link_target("https://x.example/"), None);
        assert_eq!(link_target("https://x.example/cases/<script>"), None);
    }
}
