//! Reading the CSV files operators import: BOM, header check, numbered rows.

use super::reference_data::ImportError;

/// One non-blank data row with its 1-based line number and trimmed fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvRow {
    /// Line in the file (the header is line 1).
    pub line: u64,
    fields: Vec<String>,
}

impl CsvRow {
    /// The trimmed field at `index` (the column count is checked on reading),
    /// without the prefix an export puts before formula-like text.
    pub fn field(&self, index: usize) -> &str {
        crate::domain::spreadsheet::restore(self.fields.get(index).map_or("", String::as_str))
    }
}

/// An error about `line` of `file`.
pub fn line_error(file: &str, line: u64, message: impl Into<String>) -> ImportError {
    ImportError::Line {
        file: file.to_owned(),
        line,
        message: message.into(),
    }
}

/// Writes a CSV the way every export of the portal is written: UTF-8 with a BOM
/// (spreadsheet software then reads the Japanese), CRLF line ends, and cells that
/// a spreadsheet would run as formulas made text ([`crate::domain::spreadsheet`]).
pub fn write_csv<R, C>(header: &[&str], rows: R) -> Result<Vec<u8>, csv::Error>
where
    R: IntoIterator<Item = C>,
    C: IntoIterator,
    C::Item: AsRef<str>,
{
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    writer.write_record(header)?;
    for row in rows {
        let cells: Vec<String> = row
            .into_iter()
            .map(|cell| crate::domain::spreadsheet::neutralise(cell.as_ref()).into_owned())
            .collect();
        writer.write_record(&cells)?;
    }
    writer.into_inner().map_err(|e| e.into_error().into())
}

/// A file as text: UTF-8 (with or without a BOM), or the Shift_JIS (Windows-31J)
/// that Excel writes when it saves 「CSV (コンマ区切り)」.
pub fn office_text(data: &[u8]) -> Result<std::borrow::Cow<'_, str>, String> {
    let data = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    if let Ok(text) = std::str::from_utf8(data) {
        return Ok(std::borrow::Cow::Borrowed(text));
    }
    encoding_rs::SHIFT_JIS
        .decode_without_bom_handling_and_without_replacement(data)
        .ok_or_else(|| "文字コードを読めません。UTF-8 か Shift_JIS で保存してください".to_owned())
}

/// Reads a CSV in UTF-8 (a BOM is accepted) or Shift_JIS whose header must be exactly `header`,
/// returning its non-blank rows, each with exactly as many fields as the header.
pub fn read_csv(file: &str, data: &[u8], header: &[&str]) -> Result<Vec<CsvRow>, ImportError> {
    let text = office_text(data).map_err(|message| line_error(file, 1, message))?;
    let data = text.as_bytes();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(data);
    let found: Vec<String> = reader
        .headers()
        .map_err(|e| line_error(file, 1, format!("見出し行を読めません: {e}")))?
        .iter()
        .map(|h| h.trim().to_owned())
        .collect();
    if found != header {
        return Err(line_error(
            file,
            1,
            format!(
                "見出し行は「{}」である必要があります(実際は「{}」)",
                header.join(","),
                found.join(",")
            ),
        ));
    }
    // The csv crate neither counts blank lines nor starts a record's position after
    // them, so lines are counted from the first byte of the record itself. Records
    // come in order, so the count resumes where the previous one stopped.
    let mut counted = (0usize, 1u64);
    let mut line_at = |position: Option<&csv::Position>| {
        let Some(p) = position else { return 0 };
        let mut start = usize::try_from(p.byte())
            .unwrap_or(usize::MAX)
            .min(data.len());
        while data.get(start).is_some_and(|b| *b == b'\n' || *b == b'\r') {
            start += 1;
        }
        let (from, mut line) = if start >= counted.0 { counted } else { (0, 1) };
        line += data[from..start].iter().filter(|b| **b == b'\n').count() as u64;
        counted = (start, line);
        line
    };
    let mut rows = Vec::new();
    for result in reader.records() {
        let record = match result {
            Ok(record) => record,
            Err(e) => {
                let line = line_at(e.position());
                return Err(line_error(file, line, format!("CSV として読めません: {e}")));
            }
        };
        let line = line_at(record.position());
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if record.len() != header.len() {
            return Err(line_error(
                file,
                line,
                format!("列の数が{}ではなく{}です", header.len(), record.len()),
            ));
        }
        rows.push(CsvRow {
            line,
            fields: record.iter().map(|f| f.trim().to_owned()).collect(),
        });
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_lines_are_skipped_and_lines_keep_their_numbers() {
        let rows = read_csv("a.csv", "\u{feff}x,y\n1,2\n\n3,4\n".as_bytes(), &["x", "y"]).unwrap();
        assert_eq!(rows.iter().map(|r| r.line).collect::<Vec<_>>(), vec![2, 4]);
        assert_eq!(rows[1].field(1), "4");
    }

    #[test]
    fn a_row_with_a_missing_column_is_named_by_line() {
        let err = read_csv("a.csv", b"x,y\n1,2\n\n\n3\n", &["x", "y"]).unwrap_err();
        assert_eq!(err.to_string(), "a.csv の 5 行目: 列の数が2ではなく1です");
    }
}
