//! `/admin/taxonomy`: the advisor bank's vocabularies (人材像, roles, specialties,
//! qualifications, programmes, engagement forms), edited by a 県管理者.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::taxonomy::TermRow;
use crate::calls::taxonomy::list_terms;
use crate::components::load_error::LoadError;
use crate::components::session::{CsrfField, invalid_attrs, use_form_state};
use crate::components::table_box::TableBox;
use crate::domain::taxonomy::VOCABULARIES;

/// Every vocabulary with its terms, each editable, and a form to add a term.
#[component]
pub fn TaxonomyPage() -> impl IntoView {
    let terms = Resource::new(|| (), |()| list_terms());
    let form = use_form_state();
    view! {
        <Title text="人材バンクの分類"/>
        <div class="page">
            <h1>"人材バンクの分類"</h1>
            <p class="lead">"人材像・役割・専門分野・資格・登録制度・任用形態の項目です。「共通」の項目はこのポータルを使うすべての都道府県で使われているため、ここでは変更できません(名称の変更や廃止はシステム管理者に依頼してください)。県独自の項目を追加でき、追加した項目は名称と表示順を変えたり、「選択肢に表示」を外して使わなくしたりできます(登録済みのプロフィールには残ります)。名称を変えると人材バンクの検索にもすぐ反映されます。"</p>
            <Suspense fallback=|| view! { <p role="status">"読み込み中…"</p> }>
                {move || Suspend::new(async move {
                    let result = terms.await;
                    let (flash, token) = form.load().await;
                    match result {
                        Ok(terms) => {
                            let kind = flash.value("kind");
                            let (code_invalid, code_described) = invalid_attrs(&flash, "code");
                            let (label_invalid, label_described) = invalid_attrs(&flash, "label");
                            let sections = VOCABULARIES.iter().map(|(kind, name)| {
                                let rows: Vec<TermRow> = terms.iter().filter(|t| t.kind == *kind).cloned().collect();
                                view! { <Vocabulary name rows token=token.clone() flash=flash.clone()/> }
                            }).collect_view();
                            view! {
                                {sections}
                                <section class="form-card" aria-labelledby="add-term-heading">
                                    <h2 id="add-term-heading">"項目を追加"</h2>
                                    <form method="post" action="/admin/taxonomy">
                                        <CsrfField token=token.clone()/>
                                        <div class="field">
                                            <label for="term-kind">"分類"</label>
                                            <select id="term-kind" name="kind">
                                                {VOCABULARIES.iter().map(|(k, n)| view! {
                                                    <option value=*k selected=kind == *k>{*n}</option>
                                                }).collect_view()}
                                            </select>
                                        </div>
                                        <div class="field">
                                            <label for="term-code">"コード(半角英小文字・数字・_)"</label>
                                            <input id="term-code" name="code" required maxlength="64" value=flash.value("code")
                                                aria-invalid=code_invalid aria-describedby=code_described/>
                                        </div>
                                        <div class="field">
                                            <label for="term-label">"名称"</label>
                                            <input id="term-label" name="label" required maxlength="60" value=flash.value("label")
                                                aria-invalid=label_invalid aria-describedby=label_described/>
                                        </div>
                                        <div class="actions"><button type="submit">"追加する"</button></div>
                                    </form>
                                </section>
                            }
                            .into_any()
                        }
                        Err(error) => view! { <LoadError error/> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

// Long: the vocabulary table and its forms as one view tree.
#[component]
fn Vocabulary(
    name: &'static str,
    rows: Vec<TermRow>,
    token: String,
    flash: crate::api::flash::Flash,
) -> impl IntoView {
    let heading_id = format!(
        "vocabulary-{}",
        rows.first().map_or("", |r| r.kind.as_str())
    );
    let labelled_by = heading_id.clone();
    let body = rows
        .into_iter()
        .map(|t| {
            let key = format!("{}.{}", t.kind, t.code);
            let label_name = format!("label.{key}");
            let order_name = format!("sort_order.{key}");
            let label_value = {
                let typed = flash.value(&label_name);
                if typed.is_empty() { t.label.clone() } else { typed }
            };
            let order_value = {
                let typed = flash.value(&order_name);
                if typed.is_empty() { t.sort_order.to_string() } else { typed }
            };
            let (label_invalid, label_described) = invalid_attrs(&flash, &label_name);
            let (order_invalid, order_described) = invalid_attrs(&flash, &order_name);
            let form_id = format!("term-{}-{}", t.kind, t.code);
            if t.shared {
                return view! {
                    <tr>
                        <td><code>{t.code.clone()}</code></td>
                        <td>{t.label.clone()}</td>
                        <td class="num">{t.sort_order}</td>
                        <td>{if t.active { "表示" } else { "表示しない" }}</td>
                        <td class="num">{t.used}</td>
                        <td>"共通(変更不可)"</td>
                    </tr>
                }
                .into_any();
            }
            view! {
                <tr>
                    <td><code>{t.code.clone()}</code></td>
                    <td>
                        <label class="visually-hidden" for=format!("{form_id}-label")>{format!("{} の名称", t.code)}</label>
                        <input id=format!("{form_id}-label") form=form_id.clone() name="label" value=label_value
                            required maxlength="60" aria-invalid=label_invalid aria-describedby=label_described/>
                    </td>
                    <td>
                        <label class="visually-hidden" for=format!("{form_id}-order")>{format!("{} の表示順", t.code)}</label>
                        <input id=format!("{form_id}-order") form=form_id.clone() name="sort_order" value=order_value
                            inputmode="numeric" size="4" aria-invalid=order_invalid aria-describedby=order_described/>
                    </td>
                    <td>
                        <input type="checkbox" id=format!("{form_id}-active") form=form_id.clone() name="active" value="on" checked=t.active/>
                        <label for=format!("{form_id}-active")>"選択肢に表示"</label>
                    </td>
                    <td class="num">{t.used}</td>
                    <td>
                        <form id=form_id.clone() method="post" action=format!("/admin/taxonomy/{}/{}", t.kind, t.code)>
                            <CsrfField token=token.clone()/>
                            <button type="submit" aria-label=format!("{} を保存", t.code)>"保存"</button>
                        </form>
                    </td>
                </tr>
            }
            .into_any()
        })
        .collect_view();
    view! {
        <section aria-labelledby=labelled_by>
            <h2 id=heading_id>{name}</h2>
            <TableBox label=name>
                <table class="data-table">
                    <thead>
                        <tr>
                            <th scope="col">"コード"</th>
                            <th scope="col">"名称"</th>
                            <th scope="col">"表示順"</th>
                            <th scope="col">"選択肢"</th>
                            <th scope="col">"使用数"</th>
                            <th scope="col">"操作"</th>
                        </tr>
                    </thead>
                    <tbody>{body}</tbody>
                </table>
            </TableBox>
        </section>
    }
}
