//! `/advisors/{id}`: one advisor. Contact details and availability appear only for
//! the bank's local-government users and the advisor.

use crate::domain::ids::AdvisorId;
use crate::pages::use_id_param;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::advisors::AdvisorProfile;
use crate::calls::advisors::get_advisor;
use crate::components::load_error::LoadError;
use crate::domain::advisor::YearMonth;
use crate::domain::advisor::edit::AdvisorStatus;

/// The profile page.
#[component]
pub fn AdvisorProfilePage() -> impl IntoView {
    let id = use_id_param::<AdvisorId>();
    let advisor = Resource::new(id, get_advisor);
    view! {
        <Suspense fallback=|| view! { <p role="status">"読み込み中…"</p> }>
            {move || Suspend::new(async move {
                match advisor.await {
                    Ok(profile) => view! { <Profile profile/> }.into_any(),
                    Err(error) => view! {
                        <Title text="アドバイザー"/>
                        <h1>"アドバイザー"</h1>
                        <LoadError error/>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

fn joined(labels: impl Iterator<Item = String>) -> String {
    let list: Vec<String> = labels.collect();
    if list.is_empty() {
        "—".to_owned()
    } else {
        list.join("、")
    }
}

// Long: the profile page as one view tree of definition lists.
#[component]
fn Profile(profile: AdvisorProfile) -> impl IntoView {
    let qualifications = joined(profile.qualifications.iter().map(|q| match q.year {
        Some(year) => format!("{}({year}年取得)", q.label),
        None => q.label.clone(),
    }));
    let area = if profile.whole_prefecture {
        format!("{}全域", profile.prefecture)
    } else {
        joined(
            profile
                .regions
                .iter()
                .cloned()
                .chain(profile.municipalities.iter().map(|m| m.name.clone())),
        )
    };
    let private = match profile.private.clone() {
        Some(private) => {
            let months = joined(
                private
                    .available_months
                    .iter()
                    .map(|m| YearMonth::parse(m).map_or_else(|_| m.clone(), YearMonth::label)),
            );
            view! {
                <section aria-labelledby="contact-heading">
                    <h2 id="contact-heading">"連絡先と対応可能な時期"</h2>
                    <dl class="facts">
                        <div><dt>"メールアドレス"</dt><dd>{private.contact_email.unwrap_or_else(|| "—".into())}</dd></div>
                        <div><dt>"電話"</dt><dd>{private.contact_phone.unwrap_or_else(|| "—".into())}</dd></div>
                        <div><dt>"対応可能な月"</dt><dd>{months}</dd></div>
                    </dl>
                </section>
            }
            .into_any()
        }
        None => view! {
            <p class="notice" role="status">"連絡先と対応可能な時期は、この県・市町村の職員がログインすると表示されます。"</p>
        }
        .into_any(),
    };
    let photo = profile.has_photo.then(|| {
        view! {
            <img class="advisor-photo" src=format!("/advisors/{}/photo", profile.id)
                alt=format!("{} さんの写真", profile.name) width="160"/>
        }
    });
    let status_note = (profile.status != AdvisorStatus::Published).then(|| {
        view! {
            <p class="notice" role="status">{format!("このプロフィールは「{}」です。人材バンクの検索には表示されません。", profile.status.label())}</p>
        }
    });
    let edit = profile.can_edit.then(|| {
        let label = if profile.can_manage {
            "プロフィールを編集・公開設定"
        } else {
            "プロフィールと対応可能な月を編集"
        };
        view! { <a class="button-link" href=format!("/advisors/{}/edit", profile.id)>{label}</a> }
    });
    let consult = (profile.private.is_some() && !profile.can_edit).then(|| {
        view! { <a href="/advisors/match">"課題に合うアドバイザーを探す"</a> }
    });
    view! {
        <Title text=profile.name.clone()/>
        <nav class="breadcrumb" aria-label="現在位置">
            <ol>
                <li><a href="/">"ホーム"</a></li>
                <li><a href="/advisors">"デジタル人材バンク"</a></li>
                <li aria-current="page">{profile.name.clone()}</li>
            </ol>
        </nav>
        <article class="case">
            <h1>{profile.name.clone()}<span class="advisor-item__kana">{format!("({})", profile.kana)}</span></h1>
            {status_note}
            <div class="profile-actions">{edit}{consult}</div>
            {photo}
            <dl class="facts">
                <div><dt>"人材像"</dt><dd>{profile.jinzaizo.label.clone()}</dd></div>
                <div><dt>"所属"</dt><dd>{format!("{}({})", profile.affiliation, profile.engagement.label)}</dd></div>
                <div><dt>"役割"</dt><dd>{joined(profile.roles.iter().map(|r| r.label.clone()))}</dd></div>
                <div><dt>"専門分野"</dt><dd>{joined(profile.specialties.iter().map(|s| s.label.clone()))}</dd></div>
                <div><dt>"資格"</dt><dd>{qualifications}</dd></div>
                <div><dt>"ITSS レベル"</dt><dd>{profile.itss_level.map_or_else(|| "—".to_owned(), |l| format!("レベル{l}"))}</dd></div>
                <div><dt>"対応方法"</dt><dd>{joined(profile.modes.iter().map(|m| m.label().to_owned()))}</dd></div>
                <div><dt>"担当地域"</dt><dd>{area}</dd></div>
                <div><dt>"登録している制度"</dt><dd>{joined(profile.programmes.iter().map(|p| p.label.clone()))}</dd></div>
            </dl>
            <section aria-labelledby="bio-heading">
                <h2 id="bio-heading">"紹介"</h2>
                <p>{profile.bio.clone()}</p>
                <p>{format!("自治体業務の知識: {}", profile.municipal_knowledge)}</p>
            </section>
            <section aria-labelledby="record-heading">
                <h2 id="record-heading">"実績"</h2>
                <p>{profile.track_record.clone()}</p>
            </section>
            {private}
        </article>
    }
}
