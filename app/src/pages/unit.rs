//! 派出单位: the secretaries a dispatching unit sent, wherever they serve — today's status,
//! days in the village, meetings, diaries, visits due and alerts — and each one's records.

use domain::board::BoardRow;
use domain::dashboard::Followed;
use domain::Role;
use leptos::prelude::*;

use super::board::{Row, TimelinePage, BOARD_COLUMNS};
use crate::api::dashboard::followed_secretaries;
use crate::components::*;

const UNIT: &[Role] = &[Role::UnitViewer];

#[component]
pub fn UnitHome() -> impl IntoView {
    let lang = use_lang();
    let list = Resource::new(|| (), |_| followed_secretaries());
    view! {
        <Guard roles=UNIT>
            <h1>{lang.pick("本单位选派的第一书记", "Secretaries our unit sent")}</h1>
            <Loaded resource=list let:rows>
                <FollowedTable rows />
            </Loaded>
        </Guard>
    }
}

#[component]
fn FollowedTable(rows: Vec<Followed>) -> impl IntoView {
    let lang = use_lang();
    if rows.is_empty() {
        return view! {
            <p class="muted">
                {lang.pick("本单位目前没有在岗的选派书记", "No secretary of ours is posted now")}
            </p>
        }
        .into_any();
    }
    let present = rows.iter().filter(|r| r.assessment.as_ref().is_some_and(|a| a.status.is_present())).count();
    view! {
        <p class="muted">
            {format!(
                "{} {} · {} {}",
                rows.len(),
                lang.pick("名书记在岗", "secretaries in post"),
                lang.pick("今日在村", "in the village today"),
                present,
            )}
        </p>
        <div class="table-wrap">
            <table class="cards" aria-label=lang.pick("本单位书记", "Our secretaries")>
                {table_head(lang, BOARD_COLUMNS)}
                <tbody>
                    {rows
                        .into_iter()
                        .map(|f| {
                            let href = format!("/unit/secretary?posting={}", f.posting_id);
                            match f.assessment {
                                Some(assessment) => {
                                    let row = BoardRow {
                                        posting_id: f.posting_id,
                                        secretary: f.secretary,
                                        village: f.village,
                                        mode: f.mode,
                                        last_check_in: f.last_check_in,
                                        assessment,
                                    };
                                    view! { <Row row href township=f.township /> }.into_any()
                                }
                                None => {
                                    view! {
                                        <tr>
                                            <td>
                                                <a href=href>{f.secretary}</a>
                                            </td>
                                            <td>{f.village}</td>
                                            <td colspan="7" class="muted">
                                                {lang.pick("数据更新中", "Being updated")}
                                            </td>
                                        </tr>
                                    }
                                        .into_any()
                                }
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// One of the unit's secretaries: their records, newest first, with photos (read only).
#[component]
pub fn UnitSecretary() -> impl IntoView {
    view! {
        <TimelinePage
            roles=UNIT
            back=("/unit", "← 本单位书记", "← Our secretaries")
            prompt=("请从本单位书记列表选择一位书记。", "Choose a secretary from the list.")
        />
    }
}
