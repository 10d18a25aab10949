//! Checking spreadsheets of villages and secretaries as counties keep them. A file is taken
//! whole or not at all: every bad cell is reported with its row, column and reason.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::fields;
use crate::geo::{Coordinates, Geofence};
use crate::org::{PostingMode, PostingSource, RankClass, VillageKind};
use crate::Msg;

/// A sheet as text cells; `rows` excludes the header row.
#[derive(Clone, Debug, Default)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// One reason a file was rejected. `row` is the spreadsheet's row number (the header is row 1).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RowError {
    pub row: usize,
    pub column: String,
    pub reason: Msg,
}

#[derive(Clone, Debug, PartialEq)]
pub struct VillageRow {
    pub row: usize,
    pub township: String,
    pub name: String,
    pub kind: VillageKind,
    pub geofence: Geofence,
    pub eligible_voters: i32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SecretaryRow {
    pub row: usize,
    pub name: String,
    pub username: String,
    pub phone: Option<String>,
    pub township: String,
    pub village: String,
    pub unit: String,
    pub mode: PostingMode,
    pub source: PostingSource,
    pub rank_class: RankClass,
    pub round: i32,
    pub term_start: NaiveDate,
    pub term_end: NaiveDate,
}

/// A column: its Chinese header (used in messages) and accepted aliases.
struct Col(&'static str, &'static [&'static str]);

pub const VILLAGE_HEADERS: [&str; 7] = ["镇街", "村名", "类型", "纬度", "经度", "围栏半径米", "选民数"];
pub const SECRETARY_HEADERS: [&str; 12] =
    ["姓名", "用户名", "手机", "镇街", "村名", "派出单位", "驻村方式", "来源", "职级", "轮次", "任期开始", "任期结束"];

const VILLAGE_COLS: [Col; 7] = [
    Col("镇街", &["镇（街道）", "township"]),
    Col("村名", &["村（社区）", "village"]),
    Col("类型", &["kind"]),
    Col("纬度", &["lat", "latitude"]),
    Col("经度", &["lon", "longitude"]),
    Col("围栏半径米", &["围栏半径", "radius_m", "radius"]),
    Col("选民数", &["eligible_voters", "voters"]),
];

const SECRETARY_COLS: [Col; 12] = [
    Col("姓名", &["name"]),
    Col("用户名", &["username"]),
    Col("手机", &["手机号", "phone"]),
    Col("镇街", &["镇（街道）", "township"]),
    Col("村名", &["村（社区）", "village"]),
    Col("派出单位", &["unit"]),
    Col("驻村方式", &["方式", "mode"]),
    Col("来源", &["source"]),
    Col("职级", &["rank_class", "rank"]),
    Col("轮次", &["round"]),
    Col("任期开始", &["term_start"]),
    Col("任期结束", &["term_end"]),
];

/// Collects the errors of one sheet while reading its cells.
struct Reader<'a> {
    cols: Vec<usize>,
    names: Vec<&'static str>,
    row: usize,
    cells: &'a [String],
    errors: &'a mut Vec<RowError>,
}

impl Reader<'_> {
    fn cell(&self, i: usize) -> &str {
        self.cells.get(self.cols[i]).map(|s| s.trim()).unwrap_or("")
    }

    fn fail(&mut self, i: usize, reason: Msg) {
        self.errors.push(RowError { row: self.row, column: self.names[i].to_string(), reason });
    }

    fn take<T>(&mut self, i: usize, r: Result<T, Msg>) -> Option<T> {
        r.map_err(|m| self.fail(i, m)).ok()
    }

    fn text(&mut self, i: usize) -> Option<String> {
        let (zh, v) = (self.names[i], self.cell(i).to_string());
        self.take(i, fields::name(zh, zh, &v))
    }

    fn number<T: std::str::FromStr>(&mut self, i: usize) -> Option<T> {
        let v = self.cell(i).to_string();
        let r = v.parse::<T>().map_err(|_| Msg::new(format!("“{v}”不是数字"), format!("“{v}” is not a number")));
        self.take(i, r)
    }

    fn coded<T>(&mut self, i: usize, parse: fn(&str) -> Option<T>, choices: &str) -> Option<T> {
        let v = self.cell(i).to_string();
        let r = parse(&v)
            .ok_or_else(|| Msg::new(format!("“{v}”应为 {choices} 之一"), format!("“{v}” must be one of {choices}")));
        self.take(i, r)
    }

    fn date(&mut self, i: usize) -> Option<NaiveDate> {
        let v = self.cell(i).to_string();
        let r = parse_date(&v).ok_or_else(|| {
            Msg::new(format!("“{v}”不是日期（如 2026-03-01）"), format!("“{v}” is not a date (e.g. 2026-03-01)"))
        });
        self.take(i, r)
    }
}

/// Dates as counties type them: 2026-03-01, 2026/3/1, 2026.3.1.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d"].iter().find_map(|f| NaiveDate::parse_from_str(s.trim(), f).ok())
}

/// Finds each column's index by header; a missing column is an error on row 1.
fn locate(table: &Table, cols: &[Col]) -> Result<Vec<usize>, Vec<RowError>> {
    let norm = |s: &str| s.trim().replace(['(', ')', ' '], "").to_lowercase();
    let heads: Vec<String> = table.headers.iter().map(|h| norm(h)).collect();
    let mut idx = Vec::new();
    let mut errors = Vec::new();
    for Col(zh, aliases) in cols {
        let found = heads.iter().position(|h| h == &norm(zh) || aliases.iter().any(|a| h == &norm(a)));
        match found {
            Some(i) => idx.push(i),
            None => errors.push(RowError {
                row: 1,
                column: zh.to_string(),
                reason: Msg::new(format!("缺少“{zh}”列"), format!("the column “{zh}” is missing")),
            }),
        }
    }
    if errors.is_empty() {
        Ok(idx)
    } else {
        Err(errors)
    }
}

/// Runs `read` on every non-empty row; returns the rows or every error found.
fn read_rows<T>(
    table: &Table,
    cols: &[Col],
    mut read: impl FnMut(&mut Reader) -> Option<T>,
) -> Result<Vec<T>, Vec<RowError>> {
    let idx = locate(table, cols)?;
    let names: Vec<&'static str> = cols.iter().map(|c| c.0).collect();
    let mut errors = Vec::new();
    let mut out = Vec::new();
    for (n, cells) in table.rows.iter().enumerate() {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let mut r = Reader { cols: idx.clone(), names: names.clone(), row: n + 2, cells, errors: &mut errors };
        if let Some(v) = read(&mut r) {
            out.push(v);
        }
    }
    if out.is_empty() && errors.is_empty() {
        errors.push(RowError {
            row: 2,
            column: String::new(),
            reason: Msg::new("文件中没有数据行", "the file has no data rows"),
        });
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

fn duplicate(row: usize, column: &str, what: &str, first: usize) -> RowError {
    RowError {
        row,
        column: column.to_string(),
        reason: Msg::new(format!("“{what}”与第 {first} 行重复"), format!("“{what}” repeats row {first}")),
    }
}

/// Reads a villages sheet (columns in [`VILLAGE_HEADERS`]).
pub fn villages(table: &Table) -> Result<Vec<VillageRow>, Vec<RowError>> {
    let rows = read_rows(table, &VILLAGE_COLS, |r| {
        let township = r.text(0);
        let name = r.text(1);
        let kind = r.coded(2, VillageKind::parse, "村/社区");
        let lat = r.number::<f64>(3);
        let lon = r.number::<f64>(4);
        let radius = r.number::<i32>(5);
        let voters = r.number::<i32>(6).and_then(|v| {
            let ok = if v >= 0 {
                Ok(v)
            } else {
                Err(Msg::new("选民数不能为负", "eligible voters cannot be negative"))
            };
            r.take(6, ok)
        });
        let center = match (lat, lon) {
            (Some(a), Some(o)) => r.take(3, Coordinates::parse(a, o)),
            _ => None,
        };
        let geofence = match (center, radius) {
            (Some(c), Some(m)) => r.take(5, Geofence::parse(c, m)),
            _ => None,
        };
        Some(VillageRow {
            row: r.row,
            township: township?,
            name: name?,
            kind: kind?,
            geofence: geofence?,
            eligible_voters: voters?,
        })
    })?;
    let mut errors = Vec::new();
    for (i, v) in rows.iter().enumerate() {
        if let Some(first) = rows[..i].iter().find(|w| w.township == v.township && w.name == v.name) {
            errors.push(duplicate(v.row, "村名", &v.name, first.row));
        }
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

/// Reads a secretaries sheet (columns in [`SECRETARY_HEADERS`]).
pub fn secretaries(table: &Table) -> Result<Vec<SecretaryRow>, Vec<RowError>> {
    let rows = read_rows(table, &SECRETARY_COLS, |r| {
        let name = r.text(0);
        let u = r.cell(1).to_string();
        let username = r.take(1, fields::username(&u));
        let p = r.cell(2).to_string();
        let phone = r.take(2, fields::phone(&p));
        let township = r.text(3);
        let village = r.text(4);
        let unit = r.text(5);
        let mode = r.coded(6, PostingMode::parse, "脱产驻村/非脱产联村");
        let source = r.coded(7, PostingSource::parse, "市直部门/区直机关/镇街/离退休干部");
        let rank_class = r.coded(8, RankClass::parse, "党政正职/非党政正职领导干部/正股级/副股级及以下");
        let round = r.number::<i32>(9);
        let start = r.date(10);
        let end = r.date(11);
        if let (Some(s), Some(e)) = (start, end) {
            if e <= s {
                r.fail(11, Msg::new("任期结束须晚于任期开始", "the term must end after it starts"));
                return None;
            }
        }
        Some(SecretaryRow {
            row: r.row,
            name: name?,
            username: username?,
            phone: phone?,
            township: township?,
            village: village?,
            unit: unit?,
            mode: mode?,
            source: source?,
            rank_class: rank_class?,
            round: round?,
            term_start: start?,
            term_end: end?,
        })
    })?;
    let mut errors = Vec::new();
    for (i, s) in rows.iter().enumerate() {
        if let Some(first) = rows[..i].iter().find(|w| w.username == s.username) {
            errors.push(duplicate(s.row, "用户名", &s.username, first.row));
        }
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(headers: &[&str], rows: &[&[&str]]) -> Table {
        Table {
            headers: headers.iter().map(|s| s.to_string()).collect(),
            rows: rows.iter().map(|r| r.iter().map(|s| s.to_string()).collect()).collect(),
        }
    }

    #[test]
    fn good_villages_are_read() {
        let t = table(
            &VILLAGE_HEADERS,
            &[&["古邵镇", "张庄村", "村", "34.75", "117.55", "500", "820"], &["", "", "", "", "", "", ""]],
        );
        let rows = villages(&t).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].geofence.radius_m, 500);
        assert_eq!(rows[0].row, 2);
    }

    #[test]
    fn every_bad_cell_is_reported_with_row_and_column() {
        let t = table(
            &VILLAGE_HEADERS,
            &[
                &["古邵镇", "张庄村", "村", "34.75", "117.55", "500", "820"],
                &["古邵镇", "李庄村", "寨", "134.75", "117.55", "5", "-1"],
                &["古邵镇", "张庄村", "村", "34.75", "117.55", "500", "10"],
            ],
        );
        let errs = villages(&t).unwrap_err();
        let cells: Vec<(usize, &str)> = errs.iter().map(|e| (e.row, e.column.as_str())).collect();
        assert_eq!(cells, vec![(3, "类型"), (3, "选民数"), (3, "纬度")]);
        // The duplicate is found only once the rows themselves are valid.
        let t2 = table(
            &VILLAGE_HEADERS,
            &[
                &t.rows[0].iter().map(|s| s.as_str()).collect::<Vec<_>>(),
                &t.rows[2].iter().map(|s| s.as_str()).collect::<Vec<_>>(),
            ],
        );
        let errs = villages(&t2).unwrap_err();
        assert_eq!((errs[0].row, errs[0].column.as_str()), (3, "村名"));
    }

    #[test]
    fn missing_columns_are_named() {
        let t = table(&["镇街", "村名"], &[&["古邵镇", "张庄村"]]);
        let errs = villages(&t).unwrap_err();
        assert!(errs.iter().all(|e| e.row == 1));
        assert!(errs.iter().any(|e| e.column == "纬度"));
    }

    #[test]
    fn secretaries_check_terms_and_duplicates() {
        let ok = [
            "王敏",
            "wangmin",
            "13800000000",
            "古邵镇",
            "张庄村",
            "区教育局",
            "脱产驻村",
            "区直机关",
            "正股级",
            "3",
            "2026-03-01",
            "2027/2/28",
        ];
        let bad_term = [
            "李强",
            "liqiang",
            "",
            "古邵镇",
            "李庄村",
            "区教育局",
            "非脱产联村",
            "镇街",
            "副股级及以下",
            "3",
            "2026-03-01",
            "2026-01-01",
        ];
        let dup = [
            "王敏二",
            "WangMin",
            "",
            "古邵镇",
            "赵庄村",
            "区教育局",
            "脱产驻村",
            "区直机关",
            "正股级",
            "3",
            "2026-03-01",
            "2027-02-28",
        ];
        let rows = secretaries(&table(&SECRETARY_HEADERS, &[&ok])).unwrap();
        assert_eq!(rows[0].term_end, NaiveDate::from_ymd_opt(2027, 2, 28).unwrap());
        let errs = secretaries(&table(&SECRETARY_HEADERS, &[&ok, &bad_term])).unwrap_err();
        assert_eq!((errs[0].row, errs[0].column.as_str()), (3, "任期结束"));
        let errs = secretaries(&table(&SECRETARY_HEADERS, &[&ok, &dup])).unwrap_err();
        assert_eq!((errs[0].row, errs[0].column.as_str()), (3, "用户名"));
    }

    #[test]
    fn empty_file_is_an_error() {
        assert!(villages(&table(&VILLAGE_HEADERS, &[])).is_err());
    }
}
