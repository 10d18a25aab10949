//! 强制性功能: on the settings page, each district's functions that put a duty on the
//! secretaries (`domain::mandate`), with the basis, who turned them on and when.

use domain::mandate::{ForcedFunctions, Mandate, MandateBasis};
use leptos::prelude::*;

use crate::api::mandates::SetMandate;
use crate::components::*;
use crate::pages::board::local;

#[component]
pub fn ForcedFunctionsPanel(districts: Vec<ForcedFunctions>, set: ServerAction<SetMandate>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="card" aria-labelledby="forced-h">
            <h2 id="forced-h">{lang.pick("强制性功能", "Forced functions")}</h2>
            <p class="muted">
                {lang
                    .pick(
                        "按国办函〔2026〕12号，除安保、应急外不得强制打卡签到。默认全部关闭；启用须写明依据，启用人和时间记入审计日志，供检查时出示。",
                        "Under 国办函〔2026〕12号 check-ins may be forced only for security or emergencies. All are off by default; turning one on needs a stated basis, and who did it and when is in the audit log, to show an inspection.",
                    )}
            </p>
            {districts.into_iter().map(|d| view! { <District d set /> }).collect_view()}
            <Outcome action=set done=lang.pick("已保存", "Saved") />
        </section>
    }
}

#[component]
fn District(d: ForcedFunctions, set: ServerAction<SetMandate>) -> impl IntoView {
    let lang = use_lang();
    let duties = d.check_in_duties();
    let changed = d.settings_changed.clone();
    let district_id = d.district_id;
    view! {
        <div role="group" aria-label=d.district.clone()>
            <h3>{d.district.clone()}</h3>
            <ul class="plain">
                {Mandate::ALL
                    .iter()
                    .map(|m| {
                        let on = d.on.iter().find(|o| o.mandate == *m).cloned();
                        let state = match &on {
                            Some(o) => {
                                format!(
                                    "{}：{} · {}：{} · {} {} {}",
                                    lang.pick("已启用", "On"),
                                    o.basis.label(lang),
                                    lang.pick("依据", "reason"),
                                    o.reason,
                                    o.enabled_by,
                                    lang.pick("启用于", "on"),
                                    local(o.enabled_at),
                                )
                            }
                            None => lang.pick("未启用", "Off").to_string(),
                        };
                        view! {
                            <li>
                                <p>
                                    <strong>{m.label(lang)}</strong>
                                    " · "
                                    {state}
                                </p>
                                <ActionForm action=set attr:class="grid">
                                    <input type="hidden" name="district_id" value=district_id />
                                    <input type="hidden" name="mandate" value=m.code() />
                                    {match on {
                                        Some(_) => {
                                            view! {
                                                <input type="hidden" name="enable" value="false" />
                                                <button type="submit" class="secondary">
                                                    {format!("{} {}", lang.pick("停用", "Turn off"), m.label(lang))}
                                                </button>
                                            }
                                                .into_any()
                                        }
                                        None => {
                                            view! {
                                                <input type="hidden" name="enable" value="true" />
                                                <Select
                                                    label=lang.pick("依据", "Basis")
                                                    name="basis"
                                                    options=MandateBasis::ALL
                                                        .iter()
                                                        .map(|b| (b.code().to_string(), b.label(lang).to_string()))
                                                        .collect()
                                                />
                                                <Input
                                                    label=lang
                                                        .pick(
                                                            "文件、会议或情形",
                                                            "Document, meeting or situation",
                                                        )
                                                    name="reason"
                                                />
                                                <button type="submit">
                                                    {format!("{} {}", lang.pick("启用", "Turn on"), m.label(lang))}
                                                </button>
                                            }
                                                .into_any()
                                        }
                                    }}
                                </ActionForm>
                            </li>
                        }
                    })
                    .collect_view()} <li>
                    <p>
                        <strong>
                            {lang.pick("考勤规则中的签到要求", "Check-in duties in the day rule")}
                        </strong>
                        " · "
                        {if duties.is_empty() {
                            lang.pick(
                                    "无（任一在村定位记录即计入在村天数）",
                                    "None (any record located in the village counts)",
                                )
                                .to_string()
                        } else {
                            duties.iter().map(|m| m.get(lang).to_string()).collect::<Vec<_>>().join("；")
                        }}
                        {changed
                            .map(|(who, at)| {
                                format!(" · {} {} {}", lang.pick("最近修改：", "last changed by"), who, local(at))
                            })}
                    </p>
                </li>
            </ul>
        </div>
    }
}
