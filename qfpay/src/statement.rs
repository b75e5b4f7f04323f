//! The clearing statement of `GET /download/v1/trade_bill` (reference §14),
//! read without assuming a layout QFPay does not document (feature
//! `statement`).
//!
//! QFPay answers a ZIP archive and says nothing about the files inside it
//! or their columns. So this module promises only what the formats
//! themselves say: the archive's entries by name, and for a CSV entry its
//! rows by the header row's names. `row.get("txamt")` is the text under the
//! column headed `txamt`, wherever that column is, and `None` when the
//! header has no such column; nothing is converted, renamed or dropped.
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # use std::io::Write;
//! # let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
//! # zip.start_file("bill.csv", zip::write::SimpleFileOptions::default())?;
//! # zip.write_all(b"syssn,txamt\n20250102000200020000000001,100\n")?;
//! # let zip_bytes = zip.finish()?.into_inner();
//! use qfpay::statement::Statement;
//!
//! // `zip_bytes`: a saved file, or `TradeBill::bytes()` of the answer to
//! // `client.call(&DownloadTradeBill { .. })` (`TradeBill::statement()` does both steps).
//! let statement = Statement::from_zip(&zip_bytes)?;
//! for entry in statement.entries().iter().filter(|e| e.is_csv()) {
//!     let rows = entry.rows()?;
//!     println!("{}: columns {:?}", entry.name(), rows.headers());
//!     for row in rows {
//!         let row = row?;
//!         // The column must be there: an error names the entry and the line.
//!         let amount = row.require("txamt")?;
//!         assert_eq!(amount, "100");
//!     }
//! }
//! # Ok(()) }
//! ```

use std::io::{Cursor, Read};
use std::sync::Arc;

/// The largest entry read into memory (1 GiB): an archive claiming more is
/// refused instead of exhausting memory.
pub const MAX_ENTRY_BYTES: u64 = 1 << 30;

/// Why a statement, one of its entries or one of its lines cannot be read.
///
/// Every variant names what it is about: the entry, and the line (1-based,
/// as a text editor counts, the header being line 1) where there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum StatementError {
    /// The bytes are not a ZIP archive this reader understands.
    Archive {
        /// What the ZIP reader reported.
        reason: String,
    },
    /// One entry of the archive cannot be read (compression method,
    /// corrupt data, too large) or has no header row.
    Entry {
        /// The entry's name in the archive.
        entry: String,
        /// What went wrong.
        reason: String,
    },
    /// A line of a CSV entry cannot be read (unbalanced quotes, not UTF-8).
    Line {
        /// The entry's name in the archive.
        entry: String,
        /// The line number (the header is line 1).
        line: u64,
        /// What the CSV reader reported.
        reason: String,
    },
    /// [`Row::require`]: the row has no value under this column, because
    /// the header does not name it or the row is shorter than the header.
    MissingColumn {
        /// The entry's name in the archive.
        entry: String,
        /// The line number (the header is line 1).
        line: u64,
        /// The column asked for.
        column: String,
    },
}

impl std::fmt::Display for StatementError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StatementError::Archive { reason } => {
                write!(f, "the statement is not a readable ZIP archive: {reason}")
            }
            StatementError::Entry { entry, reason } => {
                write!(f, "statement entry `{entry}`: {reason}")
            }
            StatementError::Line {
                entry,
                line,
                reason,
            } => {
                write!(f, "statement entry `{entry}`, line {line}: {reason}")
            }
            StatementError::MissingColumn {
                entry,
                line,
                column,
            } => {
                write!(
                    f,
                    "statement entry `{entry}`, line {line}: no column `{column}`"
                )
            }
        }
    }
}

impl std::error::Error for StatementError {}

/// A downloaded statement: every entry of the ZIP archive, decompressed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statement {
    entries: Vec<Entry>,
}

impl Statement {
    /// Reads every file of the ZIP archive `bytes` (directories are left
    /// out), in the archive's order.
    pub fn from_zip(bytes: &[u8]) -> Result<Self, StatementError> {
        let mut archive =
            zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| StatementError::Archive {
                reason: e.to_string(),
            })?;
        let mut entries = Vec::with_capacity(archive.len());
        for index in 0..archive.len() {
            let file = archive
                .by_index(index)
                .map_err(|e| StatementError::Archive {
                    reason: format!("entry #{}: {e}", index + 1),
                })?;
            if file.is_dir() {
                continue;
            }
            let name = file.name().to_owned();
            let failed = |reason: String| StatementError::Entry {
                entry: name.clone(),
                reason,
            };
            if file.size() > MAX_ENTRY_BYTES {
                return Err(failed(format!(
                    "{} bytes uncompressed, more than the {MAX_ENTRY_BYTES} read into memory",
                    file.size()
                )));
            }
            let mut data = Vec::new();
            // `take`: the declared size is only a claim; never read past the cap.
            file.take(MAX_ENTRY_BYTES + 1)
                .read_to_end(&mut data)
                .map_err(|e| failed(e.to_string()))?;
            if data.len() as u64 > MAX_ENTRY_BYTES {
                return Err(failed(format!(
                    "more than the {MAX_ENTRY_BYTES} bytes read into memory"
                )));
            }
            entries.push(Entry { name, data });
        }
        Ok(Statement { entries })
    }

    /// The entries, in the archive's order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The first entry called exactly `name`.
    pub fn entry(&self, name: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.name == name)
    }
}

/// One file of the archive.
#[derive(Clone, PartialEq, Eq)]
pub struct Entry {
    name: String,
    data: Vec<u8>,
}

impl std::fmt::Debug for Entry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Entry")
            .field("name", &self.name)
            .field("bytes", &self.data.len())
            .finish()
    }
}

impl Entry {
    /// The name as stored in the archive (it may contain `/`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The decompressed content.
    pub fn bytes(&self) -> &[u8] {
        &self.data
    }

    /// `true` when the name ends in `.csv` (any case).
    pub fn is_csv(&self) -> bool {
        self.name
            .rsplit_once('.')
            .is_some_and(|(_, ext)| ext.eq_ignore_ascii_case("csv"))
    }

    /// Reads the content as CSV: the first line names the columns, every
    /// later line is a [`Row`]. Lines may have more or fewer fields than the
    /// header (summary lines are common in statements); a UTF-8 byte order
    /// mark and blanks around header names are ignored.
    pub fn rows(&self) -> Result<Rows<'_>, StatementError> {
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(self.data.as_slice());
        let headers = reader.headers().map_err(|e| line_error(&self.name, &e))?;
        if headers.is_empty() {
            return Err(StatementError::Entry {
                entry: self.name.clone(),
                reason: "no header row".into(),
            });
        }
        let headers: Arc<[String]> = headers
            .iter()
            .map(|h| h.trim_start_matches('\u{feff}').trim().to_owned())
            .collect();
        Ok(Rows {
            entry: Arc::from(self.name.as_str()),
            headers,
            records: reader.into_records(),
        })
    }
}

/// A CSV reading error as [`StatementError::Line`].
fn line_error(entry: &str, e: &csv::Error) -> StatementError {
    StatementError::Line {
        entry: entry.to_owned(),
        // Errors without a position come from the header: line 1.
        line: e.position().map_or(1, csv::Position::line),
        reason: match e.kind() {
            csv::ErrorKind::Utf8 { err, .. } => format!("not UTF-8 text: {err}"),
            _ => e.to_string(),
        },
    }
}

/// The rows of a CSV entry, read one at a time ([`Entry::rows`]).
pub struct Rows<'a> {
    entry: Arc<str>,
    headers: Arc<[String]>,
    records: csv::StringRecordsIntoIter<&'a [u8]>,
}

impl std::fmt::Debug for Rows<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rows")
            .field("entry", &self.entry)
            .field("headers", &self.headers)
            .finish_non_exhaustive()
    }
}

impl Rows<'_> {
    /// The column names of the header row, in order.
    pub fn headers(&self) -> &[String] {
        &self.headers
    }
}

impl Iterator for Rows<'_> {
    type Item = Result<Row, StatementError>;

    fn next(&mut self) -> Option<Self::Item> {
        let record = self.records.next()?;
        Some(match record {
            Ok(record) => Ok(Row {
                entry: self.entry.clone(),
                headers: self.headers.clone(),
                line: record.position().map_or(0, csv::Position::line),
                record,
            }),
            Err(e) => Err(line_error(&self.entry, &e)),
        })
    }
}

/// One line of a CSV entry, its values read by the header's names.
#[derive(Clone, PartialEq, Eq)]
pub struct Row {
    entry: Arc<str>,
    headers: Arc<[String]>,
    line: u64,
    record: csv::StringRecord,
}

impl std::fmt::Debug for Row {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Row")
            .field("entry", &self.entry)
            .field("line", &self.line)
            .field("values", &self.record)
            .finish()
    }
}

impl Row {
    /// The value under the first column headed `column`; `None` when the
    /// header has no such column or this line is shorter.
    pub fn get(&self, column: &str) -> Option<&str> {
        let index = self.headers.iter().position(|h| h == column)?;
        self.record.get(index)
    }

    /// Like [`get`](Self::get), but a missing value is an error naming the
    /// entry, the line and the column.
    pub fn require(&self, column: &str) -> Result<&str, StatementError> {
        self.get(column)
            .ok_or_else(|| StatementError::MissingColumn {
                entry: self.entry.to_string(),
                line: self.line,
                column: column.to_owned(),
            })
    }

    /// `(column, value)` pairs in the line's order; values beyond the
    /// header have an empty column name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.record
            .iter()
            .enumerate()
            .map(|(i, value)| (self.headers.get(i).map_or("", String::as_str), value))
    }

    /// The values in order, as in the file.
    pub fn values(&self) -> impl Iterator<Item = &str> {
        self.record.iter()
    }

    /// The number of values on this line.
    pub fn len(&self) -> usize {
        self.record.len()
    }

    /// `true` for a line without values.
    pub fn is_empty(&self) -> bool {
        self.record.is_empty()
    }

    /// The line number in the entry (the header is line 1).
    pub fn line(&self) -> u64 {
        self.line
    }

    /// The entry's name.
    pub fn entry(&self) -> &str {
        &self.entry
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn zip(files: &[(&str, &[u8])]) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.add_directory("daily/", options).unwrap();
        for (name, data) in files {
            zip.start_file(*name, options).unwrap();
            zip.write_all(data).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    #[test]
    fn rows_are_read_by_the_header_names_whatever_the_order() {
        let bytes = zip(&[
            (
                "daily/a.CSV",
                b"\xEF\xBB\xBFtxamt , syssn\n100,S1\n250,S2\nTotal\n",
            ),
            ("readme.txt", b"not csv"),
        ]);
        let statement = Statement::from_zip(&bytes).unwrap();
        let names: Vec<&str> = statement.entries().iter().map(Entry::name).collect();
        assert_eq!(
            names,
            ["daily/a.CSV", "readme.txt"],
            "the directory is left out"
        );
        let entry = statement.entry("daily/a.CSV").unwrap();
        assert!(entry.is_csv() && !statement.entry("readme.txt").unwrap().is_csv());
        let rows = entry.rows().unwrap();
        assert_eq!(rows.headers(), ["txamt", "syssn"], "BOM and blanks removed");
        let rows: Vec<Row> = rows.map(Result::unwrap).collect();
        assert_eq!(rows.len(), 3);
        assert_eq!(
            (rows[1].get("syssn"), rows[1].get("txamt")),
            (Some("S2"), Some("250"))
        );
        assert_eq!(rows[1].line(), 3);
        assert_eq!(
            rows[0].iter().collect::<Vec<_>>(),
            [("txamt", "100"), ("syssn", "S1")]
        );
        // A summary line shorter than the header: the missing value is None,
        // and `require` names the entry, the line and the column.
        assert_eq!(rows[2].get("syssn"), None);
        assert_eq!(rows[2].get("no such column"), None);
        let err = rows[2].require("syssn").unwrap_err();
        assert_eq!(
            err,
            StatementError::MissingColumn {
                entry: "daily/a.CSV".into(),
                line: 4,
                column: "syssn".into()
            }
        );
        assert_eq!(
            err.to_string(),
            "statement entry `daily/a.CSV`, line 4: no column `syssn`"
        );
    }

    #[test]
    fn unreadable_lines_name_the_entry_and_the_line() {
        let bytes = zip(&[("bill.csv", b"syssn,note\nS1,ok\nS2,\xFF\xFE\n")]);
        let statement = Statement::from_zip(&bytes).unwrap();
        let rows: Vec<_> = statement.entries()[0].rows().unwrap().collect();
        assert!(rows[0].is_ok());
        match &rows[1] {
            Err(StatementError::Line {
                entry,
                line,
                reason,
            }) => {
                assert_eq!((entry.as_str(), *line), ("bill.csv", 3));
                assert!(reason.contains("UTF-8"), "{reason}");
            }
            other => panic!("{other:?}"),
        }
        let empty = Statement::from_zip(&zip(&[("empty.csv", b"")])).unwrap();
        assert!(matches!(
            empty.entries()[0].rows(),
            Err(StatementError::Entry { entry, .. }) if entry == "empty.csv"
        ));
    }

    #[test]
    fn a_body_that_is_not_a_zip_archive_is_an_archive_error() {
        for body in [&b""[..], b"{\"respcd\":\"1150\"}", b"PK\x03\x04truncated"] {
            let err = Statement::from_zip(body).unwrap_err();
            assert!(matches!(err, StatementError::Archive { .. }), "{err:?}");
            assert!(
                err.to_string()
                    .starts_with("the statement is not a readable ZIP archive")
            );
        }
        let empty = Statement::from_zip(&zip(&[])).unwrap();
        assert!(empty.entries().is_empty());
    }
}
