//! A spreadsheet file -> a [`Sheet`]: its header and rows of text cells.
//! CSV by the `csv` crate, its encoding detected by `encoding_rs` (UTF-8
//! with or without a byte order mark, UTF-16 with one, else
//! Windows-1252), its delimiter sniffed from the header line; XLSX, XLS and
//! ODS by `calamine`, one sheet picked by name.

use anyhow::{bail, Context};
use std::path::Path;

/// One sheet, as text.
pub struct Sheet {
    /// What the rows' places in diagnostics point into: the CSV file's
    /// decoded text, or, for a workbook, the sheet written one row a line,
    /// cells apart by tabs.
    pub text: String,
    /// How the file was read, for the report: `UTF-8 with BOM, delimiter
    /// `;``, `sheet `Inventory``.
    pub read_as: String,
    /// The column names, trimmed; a blank name is `column C` (its letter).
    pub header: Vec<String>,
    pub rows: Vec<Row>,
    /// Rows with no text in any cell, left out.
    pub blank_rows: usize,
}

pub struct Row {
    /// The row's number as a spreadsheet shows it: the header is row 1.
    pub number: usize,
    /// Where the row starts in [`Sheet::text`].
    pub start: u32,
    /// Where each cell starts in [`Sheet::text`], for a workbook (a CSV
    /// row's cells are found by [`Sheet::cell_at`]).
    offsets: Vec<u32>,
    /// One per column of the header: missing cells are empty.
    pub cells: Vec<String>,
    /// The number of cells the row had, when not the header's.
    pub ragged: Option<usize>,
}

impl Row {
    pub fn cell(&self, column: usize) -> &str {
        self.cells.get(column).map_or("", String::as_str)
    }
}

impl Sheet {
    /// Where in [`Sheet::text`] row `row`'s cell in `column` is: exact in a
    /// workbook; in a CSV file the first place after the row's start where
    /// the cell's first line is written, else the row's start.
    pub fn cell_at(&self, row: &Row, column: usize) -> crate::diag::Span {
        let end_of = |start: u32, value: &str| crate::diag::Span::new(start, start + value.len() as u32);
        let value = row.cell(column);
        if let Some(&at) = row.offsets.get(column) {
            return end_of(at, value.lines().next().unwrap_or_default());
        }
        let first = value.lines().next().unwrap_or_default();
        let from = row.start as usize;
        let rest = self.text.get(from..).unwrap_or_default();
        match rest.find(first).filter(|_| !first.is_empty()) {
            Some(i) => end_of((from + i) as u32, first),
            None => crate::diag::Span::new(row.start, row.start),
        }
    }
}

/// Whether `path` names a workbook (read by calamine) rather than CSV.
pub fn is_workbook(path: &Path) -> bool {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase();
    matches!(ext.as_str(), "xlsx" | "xlsm" | "xlsb" | "xls" | "ods")
}

/// Reads `path`: a workbook's `sheet` (default: its first), or a CSV file
/// with `delimiter` (default: sniffed).
pub fn read(path: &Path, sheet: Option<&str>, delimiter: Option<u8>) -> anyhow::Result<Sheet> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read `{}`", path.display()))?;
    if is_workbook(path) {
        workbook(bytes, sheet).with_context(|| format!("cannot read the workbook `{}`", path.display()))
    } else {
        csv(&bytes, delimiter).with_context(|| format!("cannot read `{}` as CSV", path.display()))
    }
}

/// The text of a CSV file and the name of its encoding: a byte order mark
/// decides it, else valid UTF-8 is UTF-8, else it is Windows-1252 (which
/// reads every byte; Latin-1 files are read the same way, as browsers do).
pub fn decode(bytes: &[u8]) -> (String, &'static str) {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom..]);
        let name = match encoding.name() {
            "UTF-8" => "UTF-8 with BOM",
            "UTF-16LE" => "UTF-16LE with BOM",
            _ => "UTF-16BE with BOM",
        };
        return (text.into_owned(), name);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_string(), "UTF-8"),
        Err(_) => {
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            (text.into_owned(), "Windows-1252 (not UTF-8)")
        }
    }
}

/// The delimiter the header line uses most, of `,` `;` tab and `|`,
/// counted outside quotes (`,` on a tie or when none is there).
pub fn sniff_delimiter(text: &str) -> u8 {
    let mut counts = [0usize; 4];
    let candidates = [b',', b';', b'\t', b'|'];
    let mut quoted = false;
    for &b in text.as_bytes() {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => break,
            _ if !quoted => {
                if let Some(i) = candidates.iter().position(|&c| c == b) {
                    counts[i] += 1;
                }
            }
            _ => {}
        }
    }
    let best = (0..4).max_by_key(|&i| (counts[i], std::cmp::Reverse(i))).unwrap_or(0);
    if counts[best] == 0 {
        b','
    } else {
        candidates[best]
    }
}

fn delimiter_name(d: u8) -> String {
    match d {
        b'\t' => "tab".into(),
        d => format!("`{}`", char::from(d)),
    }
}

fn csv(bytes: &[u8], delimiter: Option<u8>) -> anyhow::Result<Sheet> {
    let (text, encoding) = decode(bytes);
    if text.trim().is_empty() {
        bail!("the file is empty: it needs a header row that names the columns");
    }
    let d = delimiter.unwrap_or_else(|| sniff_delimiter(&text));
    let mut reader =
        csv::ReaderBuilder::new().delimiter(d).has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut record = csv::StringRecord::new();
    let mut header: Option<Vec<String>> = None;
    let mut rows = Vec::new();
    let mut blank_rows = 0;
    let mut number = 0;
    while reader.read_record(&mut record).context("the CSV cannot be read")? {
        number += 1;
        // A record's position may be the line end before it (`\n` of CRLF).
        let at = record.position().map_or(0, |p| p.byte() as usize);
        let skip = text.as_bytes().get(at..).map_or(0, |b| b.iter().take_while(|c| matches!(c, b'\r' | b'\n')).count());
        let start = (at + skip) as u32;
        let Some(header) = &header else {
            header = Some(header_names(record.iter()));
            continue;
        };
        if record.iter().all(|c| c.trim().is_empty()) {
            blank_rows += 1;
            continue;
        }
        rows.push(row(number, start, Vec::new(), record.iter().map(String::from).collect(), header.len()));
    }
    let Some(header) = header else {
        bail!("the file has no header row");
    };
    let read_as = format!("{encoding}, delimiter {}", delimiter_name(d));
    Ok(Sheet { text, read_as, header, rows, blank_rows })
}

/// A row of `cells`, as many as the header's `width`.
fn row(number: usize, start: u32, offsets: Vec<u32>, mut cells: Vec<String>, width: usize) -> Row {
    let ragged = (cells.len() != width).then_some(cells.len());
    // Cells past the header's are kept only when they hold text, which
    // the report names.
    cells.resize(width, String::new());
    Row { number, start, offsets, cells, ragged }
}

fn header_names<'a>(names: impl Iterator<Item = &'a str>) -> Vec<String> {
    names
        .enumerate()
        .map(|(i, n)| {
            let n = n.trim().trim_start_matches('\u{feff}').trim();
            if n.is_empty() {
                format!("column {}", column_letter(i))
            } else {
                n.to_string()
            }
        })
        .collect()
}

/// A spreadsheet's name for column `i` (from 0): `A`, ..., `Z`, `AA`, ...
pub fn column_letter(i: usize) -> String {
    let mut n = i + 1;
    let mut out = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        out.push(b'A' + r as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

fn workbook(bytes: Vec<u8>, sheet: Option<&str>) -> anyhow::Result<Sheet> {
    use calamine::Reader;
    let mut book =
        calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).map_err(|e| anyhow::anyhow!("{e}"))?;
    let names = book.sheet_names();
    let name = match sheet {
        None => names.first().cloned().context("the workbook has no sheet")?,
        Some(wanted) => match names.iter().find(|n| *n == wanted || n.eq_ignore_ascii_case(wanted)) {
            Some(n) => n.clone(),
            None => bail!(
                "the workbook has no sheet `{wanted}`\n  = help: {}",
                crate::diag::suggest(wanted, names.iter().map(String::as_str))
            ),
        },
    };
    let range = book.worksheet_range(&name).map_err(|e| anyhow::anyhow!("sheet `{name}`: {e}"))?;
    let first_row = range.start().map_or(0, |(r, _)| r as usize);
    let first_col = range.start().map_or(0, |(_, c)| c as usize);
    let mut text = String::new();
    let mut header: Option<Vec<String>> = None;
    let mut rows = Vec::new();
    let mut blank_rows = 0;
    for (i, cells) in range.rows().enumerate() {
        let start = text.len() as u32;
        // Columns left of the range are empty in the sheet too.
        let cells: Vec<String> =
            std::iter::repeat_n(String::new(), first_col).chain(cells.iter().map(cell_text)).collect();
        let mut offsets = Vec::with_capacity(cells.len());
        for (j, c) in cells.iter().enumerate() {
            if j > 0 {
                text.push('\t');
            }
            offsets.push(text.len() as u32);
            text.extend(c.chars().map(|ch| if matches!(ch, '\n' | '\r' | '\t') { ' ' } else { ch }));
        }
        text.push('\n');
        let number = first_row + i + 1;
        let Some(header) = &header else {
            if cells.iter().any(|c| !c.trim().is_empty()) {
                header = Some(header_names(cells.iter().map(String::as_str)));
            }
            continue;
        };
        if cells.iter().all(|c| c.trim().is_empty()) {
            blank_rows += 1;
            continue;
        }
        rows.push(row(number, start, offsets, cells, header.len()));
    }
    let Some(header) = header else {
        bail!("the sheet `{name}` is empty: it needs a header row that names the columns");
    };
    Ok(Sheet { text, read_as: format!("sheet `{name}`"), header, rows, blank_rows })
}

/// A cell as text: numbers without a needless `.0`, dates as YYYY-MM-DD
/// (Excel keeps them as days since 1899-12-30), errors as empty.
fn cell_text(cell: &calamine::Data) -> String {
    use calamine::Data;
    match cell {
        Data::String(s) => s.clone(),
        Data::Int(n) => n.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.into(),
        Data::DateTime(d) => excel_date(d.as_f64()).unwrap_or_else(|| d.as_f64().to_string()),
        Data::DateTimeIso(s) => s.get(..10).filter(|d| crate::date::Date::parse(d).is_some()).unwrap_or(s).into(),
        Data::DurationIso(s) => s.clone(),
        Data::Error(_) | Data::Empty => String::new(),
    }
}

/// Days since 1899-12-30 as YYYY-MM-DD.
fn excel_date(serial: f64) -> Option<String> {
    if !serial.is_finite() || !(0.0..3_000_000.0).contains(&serial) {
        return None;
    }
    let base = jiff::civil::date(1899, 12, 30);
    let date = base.checked_add(jiff::Span::new().days(serial.floor() as i64)).ok()?;
    Some(date.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_are_detected() {
        assert_eq!(decode(b"\xef\xbb\xbfa,b\n"), ("a,b\n".to_string(), "UTF-8 with BOM"));
        assert_eq!(decode("é,b".as_bytes()), ("é,b".to_string(), "UTF-8"));
        assert_eq!(decode(b"\xe9t\xe9,\x93x\x94"), ("été,“x”".to_string(), "Windows-1252 (not UTF-8)"));
        assert_eq!(decode(b"\xff\xfea\x00,\x00"), ("a,".to_string(), "UTF-16LE with BOM"));
    }

    #[test]
    fn delimiters_are_sniffed_from_the_header_line() {
        assert_eq!(sniff_delimiter("a;b;c\n1,2;3"), b';');
        assert_eq!(sniff_delimiter("\"a,b\";c\n"), b';');
        assert_eq!(sniff_delimiter("a\tb\n"), b'\t');
        assert_eq!(sniff_delimiter("a|b|c"), b'|');
        assert_eq!(sniff_delimiter("name\n"), b',');
    }

    #[test]
    fn rows_are_numbered_as_a_spreadsheet_does() {
        let s = csv(b"id,Title\n1,\"two\nlines\"\n,,\n3\n4,x,extra\n", None).unwrap();
        assert_eq!(s.header, ["id", "Title"]);
        let numbers: Vec<usize> = s.rows.iter().map(|r| r.number).collect();
        assert_eq!(numbers, [2, 4, 5]);
        assert_eq!(s.blank_rows, 1);
        assert_eq!(s.rows[0].cell(1), "two\nlines");
        assert_eq!(s.rows[1].ragged, Some(1));
        assert_eq!(s.rows[1].cell(1), "");
        assert_eq!(s.rows[2].ragged, Some(3));
        assert_eq!(s.text[s.cell_at(&s.rows[2], 1).start as usize..].lines().next(), Some("x,extra"));
    }

    proptest::proptest! {
        /// Any bytes, as CSV: read or refused, never a panic; every row as
        /// wide as the header, every cell's place inside the text.
        #[test]
        fn any_bytes_read_as_csv_never_panic(bytes in proptest::collection::vec(
            proptest::sample::select(vec![b'a', b',', b';', b'"', b'\n', b'\r', b' ', 0xe9, 0xef, 0xbb, 0xbf, 0xff, 0xfe, 0]),
            0..200,
        )) {
            if let Ok(s) = csv(&bytes, None) {
                for r in &s.rows {
                    proptest::prop_assert_eq!(r.cells.len(), s.header.len());
                    for c in 0..s.header.len() {
                        let span = s.cell_at(r, c);
                        proptest::prop_assert!(span.end as usize <= s.text.len());
                    }
                }
            }
        }

        /// Any bytes, as a workbook: an error, never a panic.
        #[test]
        fn any_bytes_read_as_a_workbook_never_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..300)) {
            let mut b = b"PK\x03\x04".to_vec();
            b.extend(bytes);
            let _ = workbook(b, None);
        }
    }

    #[test]
    fn bad_files_are_errors_not_panics() {
        assert!(csv(b"", None).is_err());
        assert!(csv(b" \n\n", None).is_err());
        assert!(csv(b"a,b\n", None).is_ok_and(|s| s.rows.is_empty()));
        assert!(workbook(b"PK\x03\x04 not a zip".to_vec(), None).is_err());
        assert!(workbook(Vec::new(), None).is_err());
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(27), "AB");
        assert_eq!(excel_date(45352.0).as_deref(), Some("2024-03-01"));
    }
}
