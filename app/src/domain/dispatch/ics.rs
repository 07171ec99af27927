//! The iCalendar (RFC 5545) feed of scheduled dispatches: what a calendar program
//! subscribes to. Lines end in CRLF and are folded at 75 octets without splitting
//! a character; text is escaped; times are written in UTC.

use chrono::{DateTime, FixedOffset, Utc};

/// One scheduled dispatch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Stable id (`dispatch-12@renkei`), so a change updates the same entry.
    pub uid: String,
    /// Start.
    pub starts_at: DateTime<FixedOffset>,
    /// End.
    pub ends_at: DateTime<FixedOffset>,
    /// Title.
    pub summary: String,
    /// Place or meeting URL.
    pub location: String,
    /// Details.
    pub description: String,
    /// Last change (DTSTAMP).
    pub stamp: DateTime<FixedOffset>,
}

/// Escapes TEXT per RFC 5545 §3.3.11.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends `line` folded at 75 octets (continuations start with a space).
fn push_folded(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        // A continuation line's leading space counts toward its 75 octets.
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

fn utc(at: DateTime<FixedOffset>) -> String {
    at.with_timezone(&Utc).format("%Y%m%dT%H%M%SZ").to_string()
}

/// The calendar named `name` with `events`.
pub fn calendar(name: &str, events: &[Event]) -> String {
    let mut out = String::new();
    for line in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Renkei//dispatches//JA",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ] {
        push_folded(&mut out, line);
    }
    push_folded(&mut out, &format!("X-WR-CALNAME:{}", escape(name)));
    for event in events {
        push_folded(&mut out, "BEGIN:VEVENT");
        push_folded(&mut out, &format!("UID:{}", escape(&event.uid)));
        push_folded(&mut out, &format!("DTSTAMP:{}", utc(event.stamp)));
        push_folded(&mut out, &format!("DTSTART:{}", utc(event.starts_at)));
        push_folded(&mut out, &format!("DTEND:{}", utc(event.ends_at)));
        push_folded(&mut out, &format!("SUMMARY:{}", escape(&event.summary)));
        push_folded(&mut out, &format!("LOCATION:{}", escape(&event.location)));
        push_folded(
            &mut out,
            &format!("DESCRIPTION:{}", escape(&event.description)),
        );
        push_folded(&mut out, "END:VEVENT");
    }
    push_folded(&mut out, "END:VCALENDAR");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn event(summary: &str) -> Event {
        let at = |s: &str| DateTime::parse_from_rfc3339(s).expect("time");
        Event {
            uid: "dispatch-1@renkei".into(),
            starts_at: at("2027-01-20T10:00:00+09:00"),
            ends_at: at("2027-01-20T12:00:00+09:00"),
            summary: summary.into(),
            location: "三宅町役場, 2階".into(),
            description: "1行目\n2行目; 以上".into(),
            stamp: at("2026-12-04T09:00:00+09:00"),
        }
    }

    #[test]
    fn an_event_is_written_in_utc_with_its_text_escaped() {
        let text = calendar("派遣の予定", &[event("派遣: 三宅町")]);
        assert!(text.contains("DTSTART:20270120T010000Z\r\n"), "{text}");
        assert!(text.contains("LOCATION:三宅町役場\\, 2階\r\n"), "{text}");
        assert!(
            text.contains("DESCRIPTION:1行目\\n2行目\\; 以上\r\n"),
            "{text}"
        );
        assert!(text.ends_with("END:VCALENDAR\r\n"));
        assert!(
            !text.replace("\r\n", "").contains('\n'),
            "only CRLF line ends"
        );
    }

    proptest! {
        #[test]
        fn folded_lines_stay_within_75_octets_and_unfold_to_the_text(summary in "[a-zあ-ん漢字;,\\\\ ]{0,200}") {
            let text = calendar("予定", &[event(&summary)]);
            for line in text.split("\r\n") {
                prop_assert!(line.len() <= 75, "{line:?} is {} octets", line.len());
            }
            let unfolded = text.replace("\r\n ", "");
            let expected = format!("SUMMARY:{}\r\n", escape(&summary));
            prop_assert!(unfolded.contains(&expected));
        }
    }
}
