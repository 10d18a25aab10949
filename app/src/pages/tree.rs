//! Managing the organisation tree: townships, villages (with their geofence) and dispatching units.

use domain::model::Village;
use domain::org::{TownshipKind, UnitKind, VillageKind};
use domain::Role;
use leptos::prelude::*;

use crate::api::org::*;
use crate::components::*;

const TREE_VIEWERS: &[Role] = &[Role::DeptAdmin, Role::SysAdmin, Role::TownshipSupervisor, Role::Inspector];

#[component]
pub fn TownshipsPage() -> impl IntoView {
    let lang = use_lang();
    let create = ServerAction::<CreateTownship>::new();
    let update = ServerAction::<UpdateTownship>::new();
    let list = Resource::new(|| (), |_| townships());
    let districts = Resource::new(|| (), |_| districts());
    view! {
        <Guard roles=ADMINS>
            <h1>{lang.pick("镇街", "Townships")}</h1>
            <Loaded resource=list let:ts>
                <div class="table-wrap">
                    <table>
                        {table_head(
                            lang,
                            &[
                                ("名称", "Name"),
                                ("类型", "Kind"),
                                ("村（社区）数", "Villages"),
                                ("在岗书记", "Secretaries in post"),
                                ("操作", "Actions"),
                            ],
                        )}
                        <tbody>
                            {ts
                                .into_iter()
                                .map(|t| {
                                    let label = format!("{} {}", lang.pick("编辑", "Edit"), t.name);
                                    view! {
                                        <tr>
                                            <td>{t.name.clone()}</td>
                                            <td>{t.kind.label(lang)}</td>
                                            <td>{t.villages}</td>
                                            <td>{t.active_postings}</td>
                                            <td>
                                                <details>
                                                    <summary>{lang.pick("编辑", "Edit")}</summary>
                                                    <ActionForm action=update attr:aria-label=label>
                                                        <input type="hidden" name="id" value=t.id />
                                                        <Input
                                                            label=lang.pick("名称", "Name")
                                                            name="name"
                                                            value=t.name.clone()
                                                        />
                                                        <Select
                                                            label=lang.pick("类型", "Kind")
                                                            name="kind"
                                                            options=enum_options(
                                                                TownshipKind::ALL,
                                                                TownshipKind::code,
                                                                |k| k.label(lang),
                                                            )
                                                            selected=t.kind.code()
                                                        />
                                                        <button type="submit">{lang.pick("保存", "Save")}</button>
                                                    </ActionForm>
                                                </details>
                                            </td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                </div>
            </Loaded>
            <section class="card">
                <h2>{lang.pick("新增镇街", "Add a township")}</h2>
                <Suspense fallback=move || loading(
                    lang,
                )>
                    {move || Suspend::new(async move {
                        let ds = options(districts.await, |d| (d.id, d.name));
                        view! {
                            <ActionForm action=create attr:class="grid">
                                <Select label=lang.pick("所属区", "District") name="district_id" options=ds />
                                <Input label=lang.pick("名称", "Name") name="name" />
                                <Select
                                    label=lang.pick("类型", "Kind")
                                    name="kind"
                                    options=enum_options(TownshipKind::ALL, TownshipKind::code, |k| k.label(lang))
                                />
                                <button type="submit">{lang.pick("新增", "Add")}</button>
                            </ActionForm>
                        }
                    })}
                </Suspense>
                <Outcome action=create done=lang.pick("已新增", "Added") />
            </section>
            <Outcome action=update done=lang.pick("已保存", "Saved") />
        </Guard>
    }
}

#[component]
pub fn VillagesPage() -> impl IntoView {
    let lang = use_lang();
    let me = use_me();
    let create = ServerAction::<CreateVillage>::new();
    let update = ServerAction::<UpdateVillage>::new();
    // The township filtered by and the village being edited are in the address.
    let query = leptos_router::hooks::use_query_map();
    let township = move || query.read().get("township").and_then(|t| t.parse::<i64>().ok());
    let editing = move || query.read().get("edit").and_then(|t| t.parse::<i64>().ok());
    let list = Resource::new(township, villages);
    let towns = Resource::new(|| (), |_| townships());
    let is_admin = move || matches!(me.get(), Some(Ok(Some(m))) if ADMINS.contains(&m.role));
    view! {
        <Guard roles=TREE_VIEWERS>
            <h1>{lang.pick("村（社区）", "Villages")}</h1>
            <Suspense fallback=move || loading(
                lang,
            )>
                {move || Suspend::new(async move {
                    let ts = towns.await.unwrap_or_default();
                    view! {
                        <GetForm button=lang.pick("筛选", "Filter")>
                            <Select
                                label=lang.pick("按镇街筛选", "Filter by township")
                                none=lang.pick("全部", "All")
                                name="township"
                                options=ts.into_iter().map(|t| (t.id.to_string(), t.name)).collect()
                                selected=township().map(|id| id.to_string()).unwrap_or_default()
                            />
                        </GetForm>
                    }
                })}
            </Suspense>
            <Loaded resource=list let:vs>
                {
                    let edited = vs.iter().find(|v| Some(v.id) == editing()).cloned();
                    view! {
                        <p class="muted">{format!("{} {}", vs.len(), lang.pick("个村（社区）", "villages"))}</p>
                        <div class="table-wrap">
                            <table>
                                {table_head(
                                    lang,
                                    &[
                                        ("镇街", "Township"),
                                        ("名称", "Name"),
                                        ("类型", "Kind"),
                                        ("中心（纬度, 经度）", "Centre (lat, lon)"),
                                        ("围栏半径", "Geofence"),
                                        ("选民数", "Voters"),
                                        ("操作", "Actions"),
                                    ],
                                )}
                                <tbody>
                                    {vs
                                        .into_iter()
                                        .map(|v| {
                                            let label = format!("{} {}", lang.pick("编辑", "Edit"), v.name);
                                            view! {
                                                <tr>
                                                    <td>{v.township}</td>
                                                    <td>{v.name}</td>
                                                    <td>{v.kind.label(lang)}</td>
                                                    <td>{format!("{:.5}, {:.5}", v.lat, v.lon)}</td>
                                                    <td>{format!("{} m", v.geofence_m)}</td>
                                                    <td>{v.eligible_voters}</td>
                                                    <td>
                                                        {is_admin()
                                                            .then(|| {
                                                                view! {
                                                                    // Opens the village's form (`?edit=`) below the table.
                                                                    <form method="get" class="inline" action="#edit">
                                                                        <KeptQuery except=&["edit"] />
                                                                        <button
                                                                            type="submit"
                                                                            name="edit"
                                                                            value=v.id
                                                                            class="link"
                                                                            aria-label=label
                                                                        >
                                                                            {lang.pick("编辑", "Edit")}
                                                                        </button>
                                                                    </form>
                                                                }
                                                            })}
                                                    </td>
                                                </tr>
                                            }
                                        })
                                        .collect_view()}
                                </tbody>
                            </table>
                        </div>
                        {edited
                            .map(|v| {
                                view! {
                                    <section class="card" id="edit">
                                        <h2>{format!("{} {}", lang.pick("编辑", "Edit"), v.name)}</h2>
                                        <ActionForm action=update attr:class="grid">
                                            <input type="hidden" name="id" value=v.id />
                                            <VillageFields village=Some(v.clone()) />
                                            <button type="submit">{lang.pick("保存", "Save")}</button>
                                        </ActionForm>
                                        <Outcome action=update done=lang.pick("已保存", "Saved") />
                                    </section>
                                }
                            })}
                    }
                }
            </Loaded>
            <Show when=is_admin>
                <section class="card">
                    <h2>{lang.pick("新增村（社区）", "Add a village")}</h2>
                    <Suspense fallback=move || loading(
                        lang,
                    )>
                        {move || Suspend::new(async move {
                            let ts = options(towns.await, |t| (t.id, t.name));
                            view! {
                                <ActionForm action=create attr:class="grid">
                                    <Select label=lang.pick("所属镇街", "Township") name="township_id" options=ts />
                                    <VillageFields village=None />
                                    <button type="submit">{lang.pick("新增", "Add")}</button>
                                </ActionForm>
                            }
                        })}
                    </Suspense>
                    <Outcome action=create done=lang.pick("已新增", "Added") />
                </section>
            </Show>
        </Guard>
    }
}

/// The editable fields of a village, prefilled when editing.
#[component]
fn VillageFields(village: Option<Village>) -> impl IntoView {
    let lang = use_lang();
    let v = village;
    let get = |f: fn(&Village) -> String| v.as_ref().map(f).unwrap_or_default();
    view! {
        <Input label=lang.pick("名称", "Name") name="name" value=get(|v| v.name.clone()) />
        <Select
            label=lang.pick("类型", "Kind")
            name="kind"
            options=enum_options(VillageKind::ALL, VillageKind::code, |k| k.label(lang))
            selected=get(|v| v.kind.code().to_string())
        />
        <Input
            label=lang.pick("纬度", "Latitude")
            name="lat"
            kind="number"
            step="any"
            value=get(|v| v.lat.to_string())
        />
        <Input
            label=lang.pick("经度", "Longitude")
            name="lon"
            kind="number"
            step="any"
            value=get(|v| v.lon.to_string())
        />
        <Input
            label=lang.pick("围栏半径（米）", "Geofence radius (m)")
            name="geofence_m"
            kind="number"
            value=v.as_ref().map_or("500".into(), |v| v.geofence_m.to_string())
        />
        <Input
            label=lang.pick("选民数", "Eligible voters")
            name="eligible_voters"
            kind="number"
            value=v.as_ref().map_or("0".into(), |v| v.eligible_voters.to_string())
        />
    }
}

#[component]
pub fn UnitsPage() -> impl IntoView {
    let lang = use_lang();
    let create = ServerAction::<CreateUnit>::new();
    let rename = ServerAction::<RenameUnit>::new();
    let list = Resource::new(|| (), |_| units());
    let districts = Resource::new(|| (), |_| districts());
    let towns = Resource::new(|| (), |_| townships());
    view! {
        <Guard roles=ADMINS>
            <h1>{lang.pick("派出单位", "Dispatching units")}</h1>
            <Loaded resource=list let:us>
                <div class="table-wrap">
                    <table>
                        {table_head(
                            lang,
                            &[
                                ("名称", "Name"),
                                ("类型", "Kind"),
                                ("在岗书记", "Secretaries in post"),
                                ("操作", "Actions"),
                            ],
                        )}
                        <tbody>
                            {us
                                .into_iter()
                                .map(|u| {
                                    let label = format!("{} {}", lang.pick("改名", "Rename"), u.name);
                                    view! {
                                        <tr>
                                            <td>{u.name.clone()}</td>
                                            <td>{u.kind.label(lang)}</td>
                                            <td>{u.active_postings}</td>
                                            <td>
                                                <details>
                                                    <summary>{lang.pick("改名", "Rename")}</summary>
                                                    <ActionForm action=rename attr:aria-label=label>
                                                        <input type="hidden" name="id" value=u.id />
                                                        <Input
                                                            label=lang.pick("名称", "Name")
                                                            name="name"
                                                            value=u.name.clone()
                                                        />
                                                        <button type="submit">{lang.pick("保存", "Save")}</button>
                                                    </ActionForm>
                                                </details>
                                            </td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                </div>
            </Loaded>
            <section class="card">
                <h2>{lang.pick("新增派出单位", "Add a unit")}</h2>
                <Suspense fallback=move || loading(
                    lang,
                )>
                    {move || Suspend::new(async move {
                        let ds = options(districts.await, |d| (d.id, d.name));
                        let mut ts: Vec<(String, String)> = vec![
                            ("0".into(), lang.pick("（非镇街单位）", "(not a township)").into()),
                        ];
                        ts.extend(options(towns.await, |t| (t.id, t.name)));
                        view! {
                            <ActionForm action=create attr:class="grid">
                                <Select label=lang.pick("所属区", "District") name="district_id" options=ds />
                                <Input label=lang.pick("名称", "Name") name="name" />
                                <Select
                                    label=lang.pick("类型", "Kind")
                                    name="kind"
                                    options=enum_options(UnitKind::ALL, UnitKind::code, |k| k.label(lang))
                                />
                                <Select
                                    label=lang.pick("镇街（镇街类单位）", "Township (township units)")
                                    name="township_id"
                                    options=ts
                                />
                                <button type="submit">{lang.pick("新增", "Add")}</button>
                            </ActionForm>
                        }
                    })}
                </Suspense>
                <Outcome action=create done=lang.pick("已新增", "Added") />
            </section>
            <Outcome action=rename done=lang.pick("已保存", "Saved") />
        </Guard>
    }
}
