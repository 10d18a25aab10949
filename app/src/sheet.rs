//! Reading an uploaded spreadsheet (CSV, XLSX, XLS or ODS) into text cells for
//! [`domain::import`]. Only the first sheet is read.

use std::io::Cursor;

use calamine::{Data, Reader};
use domain::import::Table;
use domain::Msg;

/// Reads `bytes` according to the file name's extension.
pub fn read(file_name: &str, bytes: Vec<u8>) -> Result<Table, Msg> {
    let lower = file_name.to_lowercase();
    let rows = if lower.ends_with(".csv") { csv_rows(&bytes)? } else { workbook_rows(bytes)? };
    let mut rows = rows.into_iter();
    let headers = rows.next().ok_or_else(|| Msg::new("文件是空的", "the file is empty"))?;
    Ok(Table { headers, rows: rows.collect() })
}

fn csv_rows(bytes: &[u8]) -> Result<Vec<Vec<String>>, Msg> {
    // Excel saves CSV with a byte-order mark.
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|_| {
        Msg::new(
            "CSV 文件须为 UTF-8 编码（Excel 中选择“CSV UTF-8”）",
            "the CSV file must be UTF-8 (in Excel choose “CSV UTF-8”)",
        )
    })?;
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.map(|rec| rec.iter().map(str::to_owned).collect()))
        .collect::<Result<_, _>>()
        .map_err(|e| Msg::new(format!("CSV 格式错误：{e}"), format!("malformed CSV: {e}")))
}

fn workbook_rows(bytes: Vec<u8>) -> Result<Vec<Vec<String>>, Msg> {
    let unreadable = || {
        Msg::new(
            "无法读取表格文件（支持 .xlsx .xls .ods .csv）",
            "cannot read the spreadsheet (.xlsx .xls .ods .csv are supported)",
        )
    };
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|_| unreadable())?;
    let range = book.worksheet_range_at(0).ok_or_else(unreadable)?.map_err(|_| unreadable())?;
    Ok(range.rows().map(|row| row.iter().map(cell_text).collect()).collect())
}

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => d.as_datetime().map(|t| t.date().format("%Y-%m-%d").to_string()).unwrap_or_default(),
        Data::Error(e) => format!("{e:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_with_bom_and_chinese() {
        let t = read("村.csv", "\u{feff}镇街,村名\n古邵镇,张庄村\n".as_bytes().to_vec()).unwrap();
        assert_eq!(t.headers, vec!["镇街", "村名"]);
        assert_eq!(t.rows, vec![vec!["古邵镇".to_string(), "张庄村".to_string()]]);
    }

    #[test]
    fn garbage_is_a_clear_error() {
        assert!(read("x.xlsx", b"not a workbook".to_vec()).is_err());
        assert!(read("x.csv", vec![0xff, 0xfe, 0x00]).is_err());
    }
}
