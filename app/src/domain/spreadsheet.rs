//! Cells that spreadsheet software would run as formulas.
//!
//! A cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is read by
//! Excel as a formula (CSV injection: `=HYPERLINK(…)` in a bio). Every export
//! prefixes such a cell with `'`, which Excel shows as text; an import of our own
//! export takes the prefix off again, so a round trip changes nothing.

use std::borrow::Cow;

fn is_trigger(c: char) -> bool {
    matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r')
}

/// A cell that gets the prefix: a formula, or text that already starts with the
/// prefix (so that taking one off on import gives it back exactly).
fn needs_prefix(cell: &str) -> bool {
    cell.starts_with(|c| is_trigger(c) || c == '\'')
}

/// The cell as written to an export.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    if needs_prefix(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// The value of a cell read from an import (the export's prefix taken off).
pub fn restore(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if needs_prefix(rest) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn formulas_become_text_and_other_cells_stay() {
        assert_eq!(
            neutralise("=HYPERLINK(\"http://x\")"),
            "'=HYPERLINK(\"http://x\")"
        );
        assert_eq!(neutralise("+81 742"), "'+81 742");
        assert_eq!(neutralise("-1"), "'-1");
        assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise("\tx"), "'\tx");
        assert_eq!(neutralise("三宅町"), "三宅町");
        assert_eq!(neutralise(""), "");
        assert_eq!(neutralise("0742-11-2222"), "0742-11-2222");
    }

    proptest! {
        #[test]
        fn an_exported_cell_imports_back_as_it_was(cell in "\\PC{0,12}") {
            let written = neutralise(&cell);
            prop_assert_eq!(restore(&written), cell.as_str());
            prop_assert!(!written.starts_with(is_trigger));
        }
    }
}
