//! The `ja` tokenizer: [`crate::domain::search_text::index_tokens`] behind tantivy's
//! tokenizer interface.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use crate::domain::search_text::{Analysis, analyse};

/// Registered under this name for every text field.
pub const TOKENIZER_NAME: &str = "ja";

/// Folds Japanese text and emits every CJK n-gram of 1 to 4 characters plus whole
/// Latin and digit words, with real positions and offsets into the original text
/// (for highlighting).
#[derive(Debug, Clone, Default)]
pub struct JapaneseTokenizer;

/// The tokens of one text; the token's text buffer is reused between tokens.
pub struct JapaneseTokenStream {
    analysis: Analysis,
    next: usize,
    current: Token,
}

impl Tokenizer for JapaneseTokenizer {
    type TokenStream<'a> = JapaneseTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        JapaneseTokenStream {
            analysis: analyse(text, true),
            next: 0,
            current: Token::default(),
        }
    }
}

impl TokenStream for JapaneseTokenStream {
    fn advance(&mut self) -> bool {
        let Some(&span) = self.analysis.spans.get(self.next) else {
            return false;
        };
        self.next += 1;
        self.analysis.write_text(span, &mut self.current.text);
        let (from, to) = self.analysis.source_range(span);
        self.current.offset_from = from;
        self.current.offset_to = to;
        self.current.position = span.position;
        self.current.position_length = 1;
        true
    }

    fn token(&self) -> &Token {
        &self.current
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.current
    }
}
