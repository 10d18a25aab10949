//! Charts as SVG text, drawn on the server (the browser's bundle carries no chart code): the
//! dashboard's weekly trends, the comparison of its rows and the village map. Each chart is an
//! `img` with a title and a description; the page shows the same figures as a table.

use std::fmt::Write;

use chrono::{Datelike, NaiveDate};
use domain::board::TodayStatus;
use domain::dashboard::{Dashboard, TownshipDot, TrendPoint, VillageDot};
use domain::Lang;

use crate::api::dashboard::DashboardPage;

use crate::palette;

/// Text safe inside SVG elements and attributes.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The `<svg>` element with its title and description: an image for the charts, a group for the
/// maps (their dots are links, which an image would hide from screen readers).
fn open(out: &mut String, id: &str, (width, height): (u32, u32), title: &str, desc: &str) {
    let role = if id == "map" { "group" } else { "img" };
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="{role}" aria-labelledby="{id}-t {id}-d" class="chart"><title id="{id}-t">{}</title><desc id="{id}-d">{}</desc>"#,
        esc(title),
        esc(desc)
    );
}

fn percent(v: f64) -> String {
    format!("{:.0}%", v * 100.0)
}

/// One line of a trend chart: its name and a value (0–1) per week, `None` where nothing was due.
pub struct Line<'a> {
    pub name: &'a str,
    pub points: Vec<(NaiveDate, Option<f64>)>,
}

/// Weekly rates over the term: the whole scope (`lines[0]`, bold) and one line per row.
pub fn trend(id: &str, title: &str, lines: &[Line<'_>], lang: Lang) -> String {
    let (w, h, left, right, top, bottom) = (640.0, 240.0, 40.0, 12.0, 12.0, 28.0);
    let weeks: Vec<NaiveDate> = {
        let mut all: Vec<NaiveDate> = lines.iter().flat_map(|l| l.points.iter().map(|p| p.0)).collect();
        all.sort();
        all.dedup();
        all
    };
    let last = lines.first().and_then(|l| l.points.iter().rev().find_map(|p| p.1));
    let desc = match (lang, last) {
        (Lang::Zh, Some(v)) => format!("共 {} 周，最近一周全域 {}；逐周数值见下表。", weeks.len(), percent(v)),
        (Lang::En, Some(v)) => {
            format!("{} weeks; the latest week {} overall; the table below has every value.", weeks.len(), percent(v))
        }
        (Lang::Zh, None) => "尚无数据".to_string(),
        (Lang::En, None) => "No data yet".to_string(),
    };
    let mut out = String::new();
    open(&mut out, id, (w as u32, h as u32), title, &desc);
    let x = |week: NaiveDate| {
        let i = weeks.iter().position(|d| *d == week).unwrap_or(0) as f64;
        left + i * (w - left - right) / (weeks.len().max(2) - 1) as f64
    };
    let y = |v: f64| top + (1.0 - v.clamp(0.0, 1.0)) * (h - top - bottom);
    for tick in [0.0, 0.25, 0.5, 0.75, 1.0] {
        let _ = write!(
            out,
            r##"<line x1="{left}" x2="{}" y1="{y:.1}" y2="{y:.1}" stroke="#e5e7eb"/><text x="{}" y="{:.1}" font-size="11" text-anchor="end" fill="#6b7280">{}</text>"##,
            w - right,
            left - 4.0,
            y(tick) + 4.0,
            percent(tick),
            y = y(tick)
        );
    }
    // A tick at each month's first week, unless too close to the last one.
    let mut month = None;
    let mut last_x = f64::NEG_INFINITY;
    for week in &weeks {
        if month != Some(week.month()) && x(*week) - last_x >= 28.0 {
            month = Some(week.month());
            last_x = x(*week);
            let _ = write!(
                out,
                r##"<text x="{:.1}" y="{}" font-size="11" fill="#6b7280">{}</text>"##,
                x(*week),
                h - 8.0,
                match lang {
                    Lang::Zh => format!("{}月", week.month()),
                    Lang::En => week.format("%b").to_string(),
                }
            );
        }
    }
    // Rows first, the whole on top.
    for (i, line) in lines.iter().enumerate().rev() {
        let (colour, width) = (palette::line(i), if i == 0 { 3.0 } else { 1.5 });
        // Weeks with nothing due break the line.
        let mut segments: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
        for (week, v) in &line.points {
            match (v, segments.last_mut()) {
                (Some(v), Some(s)) => s.push((x(*week), y(*v))),
                _ => segments.push(Vec::new()),
            }
        }
        for s in segments.iter().filter(|s| !s.is_empty()) {
            let pts: Vec<String> = s.iter().map(|(a, b)| format!("{a:.1},{b:.1}")).collect();
            let _ = write!(
                out,
                r#"<polyline points="{}" fill="none" stroke="{colour}" stroke-width="{width}"><title>{}</title></polyline>"#,
                pts.join(" "),
                esc(line.name)
            );
        }
    }
    out.push_str("</svg>");
    out
}

/// Horizontal bars, one per row (value 0–1), best first; rows with nothing due at the end.
pub fn bars(id: &str, title: &str, rows: &[(&str, Option<f64>)], lang: Lang) -> String {
    let mut rows: Vec<(&str, Option<f64>)> = rows.to_vec();
    rows.sort_by(|a, b| b.1.partial_cmp(&a.1).unwrap_or(std::cmp::Ordering::Equal));
    let (w, bar, gap, left) = (640.0, 18.0, 8.0, 110.0);
    let h = (rows.len() as f64 * (bar + gap) + gap).max(40.0);
    let desc = match (lang, rows.first(), rows.iter().rev().find(|r| r.1.is_some())) {
        (Lang::Zh, Some((best, Some(b))), Some((worst, Some(v)))) => {
            format!("最高 {best} {}，最低 {worst} {}。", percent(*b), percent(*v))
        }
        (Lang::En, Some((best, Some(b))), Some((worst, Some(v)))) => {
            format!("Highest {best} {}, lowest {worst} {}.", percent(*b), percent(*v))
        }
        (Lang::Zh, ..) => "尚无数据".to_string(),
        (Lang::En, ..) => "No data yet".to_string(),
    };
    let mut out = String::new();
    open(&mut out, id, (w as u32, h as u32), title, &desc);
    for (i, (name, v)) in rows.iter().enumerate() {
        let top = gap + i as f64 * (bar + gap);
        let _ = write!(
            out,
            r##"<text x="{}" y="{:.1}" font-size="12" text-anchor="end" fill="#1f2937">{}</text>"##,
            left - 6.0,
            top + bar - 4.0,
            esc(name)
        );
        let (len, label) = match v {
            Some(v) => ((w - left - 60.0) * v.clamp(0.0, 1.0), percent(*v)),
            None => (0.0, "—".to_string()),
        };
        let _ = write!(
            out,
            r##"<rect x="{left}" y="{top:.1}" width="{len:.1}" height="{bar}" fill="{}" rx="2"/><text x="{:.1}" y="{:.1}" font-size="12" fill="#1f2937">{label}</text>"##,
            palette::line(0),
            left + len + 6.0,
            top + bar - 4.0
        );
    }
    out.push_str("</svg>");
    out
}

/// The dashboard's charts: attendance and meetings week by week, and its rows compared.
pub fn dashboard_page(dashboard: Dashboard, lang: Lang) -> DashboardPage {
    let whole = dashboard.whole_label(lang);
    let lines = |rate: fn(&TrendPoint) -> Option<f64>| -> Vec<Line<'_>> {
        dashboard
            .trends
            .iter()
            .enumerate()
            .map(|(i, s)| Line {
                name: if i == 0 { whole } else { &s.name },
                points: s.points.iter().map(|p| (p.week, rate(p))).collect(),
            })
            .collect()
    };
    let attendance_trend = trend(
        "trend-attendance",
        lang.pick("出勤率（脱产，逐周）", "Attendance (full-time, weekly)"),
        &lines(TrendPoint::attendance_rate),
        lang,
    );
    let meeting_trend = trend(
        "trend-meetings",
        lang.pick("两委例会按周召开率（脱产）", "Weekly committee meetings held (full-time)"),
        &lines(TrendPoint::meeting_rate),
        lang,
    );
    let rows: Vec<(&str, Option<f64>)> =
        dashboard.rows.iter().map(|r| (r.name.as_str(), r.totals.attendance_rate())).collect();
    let comparison = bars(
        "comparison",
        &format!("{}：{}", lang.pick("出勤率对比", "Attendance compared"), dashboard.period.label(lang)),
        &rows,
        lang,
    );
    DashboardPage { dashboard, attendance_trend, meeting_trend, comparison }
}

/// Where dots go: longitude scaled by the latitude's cosine, so a schematic map keeps its shape.
struct Frame {
    min_lat: f64,
    max_lat: f64,
    min_lon: f64,
    scale: f64,
    pad: f64,
    height: f64,
}

impl Frame {
    fn new(points: impl Iterator<Item = (f64, f64)> + Clone, width: f64) -> Frame {
        let fold =
            |f: fn(f64, f64) -> f64, init: f64, g: fn(&(f64, f64)) -> f64| points.clone().map(|p| g(&p)).fold(init, f);
        let (min_lat, max_lat) = (fold(f64::min, 90.0, |p| p.0), fold(f64::max, -90.0, |p| p.0));
        let (min_lon, max_lon) = (fold(f64::min, 180.0, |p| p.1), fold(f64::max, -180.0, |p| p.1));
        let k = ((min_lat + max_lat) / 2.0).to_radians().cos().max(0.1);
        let pad = 16.0;
        let span_x = ((max_lon - min_lon) * k).max(1e-4);
        let span_y = (max_lat - min_lat).max(1e-4);
        let scale = (width - 2.0 * pad) / span_x;
        Frame { min_lat, max_lat, min_lon, scale: scale * k, pad, height: span_y * scale + 2.0 * pad }
    }

    fn at(&self, lat: f64, lon: f64) -> (f64, f64) {
        let ky = self.scale / ((self.min_lat + self.max_lat) / 2.0).to_radians().cos().max(0.1);
        (self.pad + (lon - self.min_lon) * self.scale, self.pad + (self.max_lat - lat) * ky)
    }
}

/// A village's dot on the map by its secretary's status today (`None`: no secretary posted).
fn status_colour(s: Option<TodayStatus>) -> &'static str {
    match s {
        Some(TodayStatus::Verified) => "#15803d",
        Some(TodayStatus::OfflineLater) => "#65a30d",
        Some(TodayStatus::AtWork) => "#0d9488",
        Some(TodayStatus::Outside) => "#d97706",
        Some(TodayStatus::NotCheckedIn) => "#dc2626",
        Some(TodayStatus::OnLeave) => "#2563eb",
        None => "#d1d5db",
    }
}

/// A township's dot on a city's map by the share of its full-time secretaries in the village.
fn share_colour(s: Option<f64>) -> &'static str {
    match s {
        Some(s) if s >= 0.9 => "#15803d",
        Some(s) if s >= 0.7 => "#d97706",
        Some(_) => "#dc2626",
        None => "#d1d5db",
    }
}

/// A legend along the bottom of a map, from `top`: a dot and a label per item.
fn map_legend(out: &mut String, top: f64, items: &[(&str, String)]) {
    let mut x = 16.0;
    for (colour, label) in items {
        let _ = write!(
            out,
            r##"<circle cx="{x:.0}" cy="{:.0}" r="6" fill="{colour}"/><text x="{:.0}" y="{:.0}" font-size="12" fill="#1f2937">{}</text>"##,
            top + 10.0,
            x + 10.0,
            top + 14.0,
            esc(label)
        );
        // Wide characters take about a font size each.
        x += 26.0 + label.chars().map(|c| if c.is_ascii() { 7.0 } else { 12.5 }).sum::<f64>();
    }
}

/// Room for the legend under a map.
const LEGEND: f64 = 28.0;

/// A map status's label.
fn status_label(s: Option<TodayStatus>, lang: Lang) -> &'static str {
    match s {
        Some(s) => s.label(lang),
        None => lang.pick("无在岗书记", "No secretary"),
    }
}

/// The district's villages, each a dot in its secretary's colour of today, linked to their
/// records; a label at each township's centre.
pub fn village_map(dots: &[VillageDot], lang: Lang) -> String {
    let width = 640.0;
    let frame = Frame::new(dots.iter().map(|d| (d.lat, d.lon)), width);
    let count = |s: Option<TodayStatus>| {
        dots.iter().filter(|d| d.status == s && (s.is_some() || d.posting_id.is_none())).count()
    };
    let summary: Vec<String> = TodayStatus::ALL
        .iter()
        .map(|s| format!("{} {}", s.label(lang), count(Some(*s))))
        .chain([format!("{} {}", status_label(None, lang), count(None))])
        .collect();
    let title = lang.pick("村庄分布图：今日签到状态", "Villages: today's status");
    let mut out = String::new();
    let height = frame.height + LEGEND;
    open(&mut out, "map", (width as u32, height.ceil() as u32), title, &summary.join(lang.pick("，", ", ")));
    // Township names at their villages' centre.
    let mut townships: Vec<(&str, f64, f64, f64)> = Vec::new();
    for d in dots {
        match townships.iter_mut().find(|t| t.0 == d.township) {
            Some(t) => (t.1, t.2, t.3) = (t.1 + d.lat, t.2 + d.lon, t.3 + 1.0),
            None => townships.push((&d.township, d.lat, d.lon, 1.0)),
        }
    }
    for (name, lat, lon, n) in townships {
        let (x, y) = frame.at(lat / n, lon / n);
        let _ = write!(
            out,
            r##"<text x="{x:.0}" y="{y:.0}" font-size="13" text-anchor="middle" fill="#9ca3af" font-weight="600">{}</text>"##,
            esc(name)
        );
    }
    for d in dots {
        let (x, y) = frame.at(d.lat, d.lon);
        let status = d.status.filter(|_| d.posting_id.is_some());
        let who = d.secretary.as_deref().unwrap_or("");
        let tip = esc(&format!("{} {} · {who} · {}", d.township, d.village, status_label(status, lang)));
        let dot = format!(
            r#"<circle fill="{}" data-status="{}" cx="{x:.0}" cy="{y:.0}" r="6"><title>{tip}</title></circle>"#,
            status_colour(status),
            status.map(|s| s.code()).unwrap_or("none")
        );
        match d.posting_id {
            Some(id) => {
                let _ = write!(out, r#"<a href="/township/secretary?posting={id}" aria-label="{tip}">{dot}</a>"#);
            }
            None => out.push_str(&dot),
        }
    }
    let items: Vec<(&str, String)> = TodayStatus::ALL
        .iter()
        .map(|s| Some(*s))
        .chain([None])
        .map(|s| (status_colour(s), status_label(s, lang).to_string()))
        .collect();
    map_legend(&mut out, frame.height, &items);
    out.push_str("</svg>");
    out
}

/// The city's townships, each a dot coloured by the share of its 脱产 secretaries in the
/// village today, linked to its board.
pub fn township_map(dots: &[TownshipDot], lang: Lang) -> String {
    let width = 640.0;
    let frame = Frame::new(dots.iter().map(|d| (d.lat, d.lon)), width);
    let title = lang.pick("镇街分布图：今日在村比例", "Townships: share in the village today");
    let desc = lang.pick(
        "绿色：今日九成以上脱产书记在村；橙色：七成以上；红色：不足七成；灰色：今日无应在村者。",
        "Green: nine in ten full-time secretaries in the village today or more; orange: seven in ten or more; red: fewer; grey: nobody due today.",
    );
    let mut out = String::new();
    open(&mut out, "map", (width as u32, (frame.height + LEGEND).ceil() as u32), title, desc);
    for d in dots {
        let (x, y) = frame.at(d.lat, d.lon);
        let share = domain::dashboard::ratio(
            u32::try_from(d.present_expected).unwrap_or(0),
            u32::try_from(d.expected_today).unwrap_or(0),
        );
        let tip = esc(&format!("{} {} · {}", d.district, d.name, share.map(percent).unwrap_or_else(|| "—".into())));
        let _ = write!(
            out,
            r##"<a href="/township?township={}" aria-label="{tip}"><circle fill="{}" cx="{x:.0}" cy="{y:.0}" r="9"><title>{tip}</title></circle><text x="{x:.0}" y="{:.0}" font-size="11" text-anchor="middle" fill="#374151">{}</text></a>"##,
            d.id,
            share_colour(share),
            y + 22.0,
            esc(&d.name)
        );
    }
    let items = [
        (share_colour(Some(1.0)), lang.pick("九成以上在村", "90 % or more in").to_string()),
        (share_colour(Some(0.8)), lang.pick("七成以上", "70 % or more").to_string()),
        (share_colour(Some(0.0)), lang.pick("不足七成", "fewer").to_string()),
        (share_colour(None), lang.pick("今日无应在村者", "nobody due").to_string()),
    ];
    map_legend(&mut out, frame.height, &items);
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_escaped_and_empty_weeks_break_lines() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let lines = [
            Line {
                name: "全区",
                points: vec![(d("2026-11-02"), Some(0.9)), (d("2026-11-09"), None), (d("2026-11-16"), Some(0.8))],
            },
            Line { name: "<镇&>", points: vec![(d("2026-11-02"), Some(0.5))] },
        ];
        let svg = trend("t", "出勤率", &lines, Lang::Zh);
        assert!(svg.contains("&lt;镇&amp;&gt;") && !svg.contains("<镇"));
        assert_eq!(svg.matches("<polyline").count(), 3, "two pieces of the whole, one row");
        assert!(svg.contains("最近一周全域 80%"));
        let bars = bars("b", "对比", &[("甲", Some(0.5)), ("乙", None), ("丙", Some(1.0))], Lang::Zh);
        assert!(bars.find("丙") < bars.find("甲") && bars.find("甲") < bars.find("乙"), "best first");
    }

    #[test]
    fn villages_link_to_their_secretary_and_the_map_keeps_its_shape() {
        let dot = |lat, lon, posting: Option<i64>| VillageDot {
            village: "王庄村".into(),
            township: "古邵镇".into(),
            lat,
            lon,
            posting_id: posting,
            secretary: posting.map(|_| "王伟".into()),
            status: posting.map(|_| TodayStatus::Verified),
        };
        let svg = village_map(&[dot(34.70, 117.50, Some(7)), dot(34.80, 117.60, None)], Lang::Zh);
        assert!(svg.contains(r#"href="/township/secretary?posting=7""#));
        assert!(svg.contains(r#"data-status="verified""#) && svg.contains(r#"data-status="none""#));
        assert!(svg.contains("已签到（在村） 1") && svg.contains("无在岗书记 1"));
        // 0.1° of latitude is longer than 0.1° of longitude at 34.75° N (cos ≈ 0.82).
        let height: f64 =
            svg.split("viewBox=\"0 0 640 ").nth(1).and_then(|s| s.split('"').next()).unwrap().parse().unwrap();
        assert!((height - (32.0 + 608.0 / 0.822 + LEGEND)).abs() < 2.0, "{height}");
    }
}
