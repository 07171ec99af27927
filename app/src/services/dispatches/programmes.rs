//! The programmes a prefecture dispatches advisors under: the two national ones
//! every prefecture starts with, and its own. A change of rules applies to
//! approvals from then on; each approved dispatch keeps the rules it was counted
//! under.

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, QueryOrder, TransactionTrait,
};
use serde_json::json;

use super::{now, rules_of};
use crate::api::dispatches::{ProgrammeInput, ProgrammePatch, ProgrammeView};
use crate::auth::RequestAuth;
use crate::domain::audit::AuditAction;
use crate::domain::dispatch::AdviceType;
use crate::domain::dispatch::quota::{QuotaRule, national_programmes};
use crate::domain::ids::ProgrammeId;
use crate::domain::local_gov::LocalGovCode;
use crate::domain::policy::{Action, Resource};
use crate::domain::text::clean_single_line;
use crate::entities::dispatch_programme;
use crate::error::AppError;
use crate::services::audit::{self, AuditEvent};

/// Most rules one programme may have.
pub const MAX_RULES: usize = 8;

fn advice_types_of(stored: &str) -> Vec<AdviceType> {
    stored.split(',').filter_map(AdviceType::parse).collect()
}

fn advice_types_column(types: &[AdviceType]) -> String {
    types
        .iter()
        .map(|t| t.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

/// A stored programme as the API shows it.
pub fn programme_view(row: &dispatch_programme::Model) -> ProgrammeView {
    let rules = rules_of(&row.rules);
    ProgrammeView {
        id: ProgrammeId(row.id),
        code: row.code.clone(),
        name: row.name.clone(),
        advice_types: advice_types_of(&row.advice_types),
        rules_text: rules.iter().map(QuotaRule::describe).collect(),
        rules,
        active: row.active,
        version: row.version,
    }
}

/// Adds the national programmes to a prefecture that lacks them (an import of
/// the reference data calls this for every prefecture; it never changes a
/// programme that exists).
pub async fn ensure_national_programmes(
    db: &impl ConnectionTrait,
    prefecture: &str,
) -> Result<(), sea_orm::DbErr> {
    let existing: Vec<String> = dispatch_programme::Entity::find()
        .filter(dispatch_programme::Column::PrefectureCode.eq(prefecture))
        .all(db)
        .await?
        .into_iter()
        .map(|p| p.code)
        .collect();
    for (code, name, rules) in national_programmes() {
        if existing.iter().any(|c| c == code) {
            continue;
        }
        dispatch_programme::Entity::insert(dispatch_programme::ActiveModel {
            prefecture_code: Set(prefecture.to_owned()),
            code: Set(code.to_owned()),
            name: Set(name.to_owned()),
            advice_types: Set(advice_types_column(&AdviceType::ALL)),
            rules: Set(serde_json::to_string(&rules).unwrap_or_else(|_| "[]".into())),
            active: Set(true),
            version: Set(1),
            updated_at: Set(now()),
            ..Default::default()
        })
        .exec_without_returning(db)
        .await?;
    }
    Ok(())
}

/// The programmes of the caller's prefecture (everyone signed in reads them:
/// towns choose one when they request).
pub async fn programmes_for(
    db: &impl ConnectionTrait,
    auth: &RequestAuth,
) -> Result<Vec<ProgrammeView>, AppError> {
    let actor = auth.signed_in()?;
    Ok(dispatch_programme::Entity::find()
        .filter(dispatch_programme::Column::PrefectureCode.eq(actor.prefecture.as_str()))
        .order_by_asc(dispatch_programme::Column::Id)
        .all(db)
        .await?
        .iter()
        .map(programme_view)
        .collect())
}

fn check_name(name: &str) -> Result<String, AppError> {
    let name = clean_single_line(name);
    if name.is_empty() {
        return Err(AppError::invalid("name", "制度の名称を入力してください。"));
    }
    if name.chars().count() > 100 {
        return Err(AppError::invalid(
            "name",
            "制度の名称は100文字以内で入力してください。",
        ));
    }
    Ok(name)
}

fn check_rules(rules: &[QuotaRule]) -> Result<String, AppError> {
    if rules.len() > MAX_RULES {
        return Err(AppError::invalid(
            "rules",
            format!("上限の決まりは{MAX_RULES}個までです。"),
        ));
    }
    for rule in rules {
        if let QuotaRule::HoursPerDispatch {
            min: Some(min),
            max: Some(max),
        } = rule
            && min > max
        {
            return Err(AppError::invalid(
                "rules",
                "1回の時間の下限が上限を超えています。",
            ));
        }
    }
    serde_json::to_string(rules).map_err(AppError::internal)
}

fn check_types(types: &[AdviceType]) -> Result<String, AppError> {
    if types.is_empty() {
        return Err(AppError::invalid(
            "advice_types",
            "相談の種類を1つ以上選んでください。",
        ));
    }
    let mut unique: Vec<AdviceType> = Vec::new();
    for t in types {
        if !unique.contains(t) {
            unique.push(*t);
        }
    }
    Ok(advice_types_column(&unique))
}

fn check_code(code: &str) -> Result<String, AppError> {
    let code = code.trim();
    let valid = !code.is_empty()
        && code.len() <= 40
        && code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if valid {
        Ok(code.to_owned())
    } else {
        Err(AppError::invalid(
            "code",
            "コードは40文字以内の半角英小文字・数字・_で入力してください。",
        ))
    }
}

/// Defines a programme of the caller's prefecture (県管理者).
pub async fn create_programme_for(
    db: &DatabaseConnection,
    auth: &RequestAuth,
    input: &ProgrammeInput,
) -> Result<ProgrammeView, AppError> {
    let actor = auth.signed_in()?;
    let prefecture = actor.prefecture.clone();
    auth.authorize(
        Action::ManageProgrammes,
        &Resource::Prefecture {
            code: prefecture.clone(),
        },
    )?;
    let name = check_name(&input.name)?;
    let rules = check_rules(&input.rules)?;
    let types = check_types(input.advice_types.as_deref().unwrap_or(&AdviceType::ALL))?;
    let code = match &input.code {
        Some(code) => Some(check_code(code)?),
        None => None,
    };
    let txn = db.begin().await?;
    if let Some(code) = &code {
        let taken = dispatch_programme::Entity::find()
            .filter(dispatch_programme::Column::PrefectureCode.eq(prefecture.as_str()))
            .filter(dispatch_programme::Column::Code.eq(code.as_str()))
            .one(&txn)
            .await?;
        if taken.is_some() {
            return Err(AppError::conflict(
                "code",
                "このコードの制度はすでにあります。",
            ));
        }
    }
    let row = dispatch_programme::ActiveModel {
        prefecture_code: Set(prefecture.to_string()),
        // A unique placeholder until the id is known.
        code: Set(code
            .clone()
            .unwrap_or_else(|| format!("new_{}", now().timestamp_micros()))),
        name: Set(name),
        advice_types: Set(types),
        rules: Set(rules),
        active: Set(true),
        version: Set(1),
        updated_at: Set(now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let row = if code.is_none() {
        let id = row.id;
        let mut active: dispatch_programme::ActiveModel = row.into();
        active.code = Set(format!("programme_{id}"));
        active.update(&txn).await?
    } else {
        row
    };
    record(
        &txn,
        auth,
        &row,
        json!({ "name": row.name, "rules": row.rules }),
    )
    .await?;
    txn.commit().await?;
    Ok(programme_view(&row))
}

/// Changes the fields a 県管理者 names, on the current row; a stale version is
/// refused.
pub async fn patch_programme_for(
    db: &DatabaseConnection,
    auth: &RequestAuth,
    id: ProgrammeId,
    patch: &ProgrammePatch,
) -> Result<ProgrammeView, AppError> {
    auth.signed_in()?;
    let txn = db.begin().await?;
    let row = dispatch_programme::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::not_found("派遣制度が見つかりません。"))?;
    auth.authorize(
        Action::ManageProgrammes,
        &Resource::Prefecture {
            code: LocalGovCode::from_stored(row.prefecture_code.clone()),
        },
    )?;
    AppError::check_version(patch.version, row.version)?;
    let version = row.version;
    let mut active: dispatch_programme::ActiveModel = row.into();
    if let Some(name) = &patch.name {
        active.name = Set(check_name(name)?);
    }
    if let Some(types) = &patch.advice_types {
        active.advice_types = Set(check_types(types)?);
    }
    if let Some(rules) = &patch.rules {
        active.rules = Set(check_rules(rules)?);
    }
    if let Some(open) = patch.active {
        active.active = Set(open);
    }
    active.version = Set(version + 1);
    active.updated_at = Set(now());
    // Only the row still at the version read is changed (a concurrent edit wins once).
    let updated = dispatch_programme::Entity::update_many()
        .set(active.clone())
        .filter(dispatch_programme::Column::Id.eq(id))
        .filter(dispatch_programme::Column::Version.eq(version))
        .exec(&txn)
        .await?;
    if updated.rows_affected == 0 {
        return Err(AppError::stale());
    }
    let row = dispatch_programme::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::not_found("派遣制度が見つかりません。"))?;
    record(
        &txn,
        auth,
        &row,
        json!({ "name": row.name, "rules": row.rules, "active": row.active }),
    )
    .await?;
    txn.commit().await?;
    Ok(programme_view(&row))
}

async fn record(
    db: &impl ConnectionTrait,
    auth: &RequestAuth,
    row: &dispatch_programme::Model,
    detail: serde_json::Value,
) -> Result<(), AppError> {
    audit::record(
        db,
        &auth.audit(),
        AuditEvent {
            action: AuditAction::ProgrammeChanged,
            target: Some(("dispatch_programme", row.id.to_string())),
            prefecture: Some(row.prefecture_code.clone()),
            detail,
        },
        None,
    )
    .await?;
    Ok(())
}

/// The programmes page of the caller's prefecture.
pub async fn programmes_page_for(
    db: &impl ConnectionTrait,
    auth: &RequestAuth,
) -> Result<crate::api::dispatches::ProgrammesPage, AppError> {
    let actor = auth.signed_in()?;
    let can_manage = crate::domain::policy::can(
        actor,
        Action::ManageProgrammes,
        &Resource::Prefecture {
            code: actor.prefecture.clone(),
        },
    );
    Ok(crate::api::dispatches::ProgrammesPage {
        programmes: programmes_for(db, auth).await?,
        can_manage,
    })
}
