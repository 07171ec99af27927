//! An audit entry in words: what was acted on (with the page it is shown on) and
//! its details as 「変更前: 下書き、変更後: 受付中」 instead of stored JSON.

use serde_json::Value;

use crate::domain::advisor::edit::AdvisorStatus;
use crate::domain::training::TrainingStatus;

/// What an entry was about: a label and, when the object has a page, its address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetRef {
    /// 「共同研修 #4」.
    pub label: String,
    /// `/trainings/4`.
    pub href: Option<String>,
}

/// The object of an entry stored as `kind` and `id`.
pub fn target(kind: &str, id: &str) -> TargetRef {
    let numeric = !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit());
    let (name, href) = match kind {
        "account" => (
            "アカウント",
            numeric.then(|| format!("/admin/accounts/{id}")),
        ),
        "training" => ("共同研修", numeric.then(|| format!("/trainings/{id}"))),
        "advisor" => ("アドバイザー", numeric.then(|| format!("/advisors/{id}"))),
        "taxonomy_term" => ("分類の項目", Some("/admin/taxonomy".to_owned())),
        "dispatch" => ("派遣依頼", numeric.then(|| format!("/dispatches/{id}"))),
        "dispatch_programme" => ("派遣制度", Some("/dispatches/programmes".to_owned())),
        other => {
            return TargetRef {
                label: format!("{other}:{id}"),
                href: None,
            };
        }
    };
    let label = if numeric {
        format!("{name} #{id}")
    } else {
        format!("{name} {id}")
    };
    TargetRef { label, href }
}

/// The Japanese name of a detail key; unknown keys keep their own.
fn key_label(key: &str) -> &str {
    match key {
        "from" => "変更前",
        "to" => "変更後",
        "email" => "メールアドレス",
        "role" => "役割",
        "municipality" => "市町村",
        "title" => "研修名",
        "organiser" => "主催",
        "capacity" => "定員",
        "name" => "氏名",
        "fields" => "変更した項目",
        "reason" => "理由",
        "sessions_ended" | "other_sessions_ended" => "終了したログイン",
        "retry_after_secs" => "再試行までの秒数",
        "total" => "総額",
        "bodies" => "団体数",
        "training" => "研修",
        "by_organiser" => "主催者による操作",
        "session" => "回",
        "present" => "出席者数",
        "enrolled" => "受講決定",
        "waitlisted" => "キャンセル待ち",
        "file" => "ファイル",
        "bytes" => "バイト数",
        "inserted" => "追加",
        "updated" => "更新",
        "unchanged" => "変更なし",
        "added" => "追加した項目",
        "label" => "名称",
        "sort_order" => "表示順",
        "active" => "有効",
        "removed" => "削除",
        "account" => "アカウント",
        "step" => "操作",
        "programme" => "派遣制度",
        "advisor" => "アドバイザー",
        "rules" => "上限",
        "effective" => "適用日",
        "municipalities" => "市町村数",
        other => other,
    }
}

/// A stored code in words where the portal has a word for it.
fn code_label(code: &str) -> Option<&'static str> {
    if let Some(status) = TrainingStatus::parse(code) {
        return Some(status.label());
    }
    if let Some(status) = AdvisorStatus::parse(code) {
        return Some(status.label());
    }
    if let Some(step) = crate::domain::dispatch::Step::parse(code) {
        return Some(step.label());
    }
    Some(match code {
        "unknown_email" => "登録のないメールアドレス",
        "deactivated" => "停止中のアカウント",
        "wrong_password" => "パスワードの誤り",
        _ => return None,
    })
}

/// Keys stored as `[before, after]`.
const PAIRS: [&str; 3] = ["label", "sort_order", "active"];

fn entry_text(key: &str, value: &Value) -> String {
    let text = match value {
        Value::Array(pair) if pair.len() == 2 && PAIRS.contains(&key) => {
            format!("{} → {}", value_text(&pair[0]), value_text(&pair[1]))
        }
        other => value_text(other),
    };
    format!("{}: {text}", key_label(key))
}

fn value_text(value: &Value) -> String {
    match value {
        Value::Null => "なし".to_owned(),
        Value::Bool(true) => "はい".to_owned(),
        Value::Bool(false) => "いいえ".to_owned(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => code_label(s).map_or_else(|| s.clone(), str::to_owned),
        Value::Array(items) => items.iter().map(value_text).collect::<Vec<_>>().join("・"),
        Value::Object(_) => value.to_string(),
    }
}

/// 「変更前: 下書き、変更後: 受付中」; text that is not a JSON object stays as it is.
pub fn detail_text(detail: &str) -> String {
    match serde_json::from_str::<Value>(detail) {
        Ok(Value::Object(map)) => map
            .iter()
            .map(|(key, value)| entry_text(key, value))
            .collect::<Vec<_>>()
            .join("、"),
        Ok(_) | Err(_) => detail.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_status_change_reads_in_words() {
        assert_eq!(
            detail_text(r#"{"from":"draft","to":"open"}"#),
            "変更前: 下書き、変更後: 受付中"
        );
        assert_eq!(
            detail_text(r#"{"label":["旧","新"],"active":[true,false]}"#),
            "有効: はい → いいえ、名称: 旧 → 新"
        );
        assert_eq!(
            detail_text(r#"{"fields":["photo","bio"]}"#),
            "変更した項目: photo・bio"
        );
        assert_eq!(detail_text("{}"), "");
        assert_eq!(detail_text("not json"), "not json");
        assert_eq!(
            detail_text(r#"{"reason":"wrong_password"}"#),
            "理由: パスワードの誤り"
        );
    }

    #[test]
    fn targets_link_to_the_page_of_what_was_acted_on() {
        assert_eq!(
            target("training", "4"),
            TargetRef {
                label: "共同研修 #4".into(),
                href: Some("/trainings/4".into())
            }
        );
        assert_eq!(
            target("account", "12").href.as_deref(),
            Some("/admin/accounts/12")
        );
        assert_eq!(
            target("taxonomy_term", "specialty/ai").label,
            "分類の項目 specialty/ai"
        );
        assert_eq!(target("account", "../x").href, None);
        assert_eq!(target("other", "1").label, "other:1");
    }
}
