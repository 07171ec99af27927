//! The `ja` tokenizer: [`crate::domain::search_text::index_tokens`] behind tantivy's
//! tokenizer interface.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use crate::domain::search_text::index_tokens;

/// Registered under this name for every text field.
pub const TOKENIZER_NAME: &str = "ja";

/// Folds Japanese text and emits CJK bigrams and unigrams plus whole Latin words,
/// with real positions and offsets into the original text (for highlighting).
#[derive(Debug, Clone, Default)]
pub struct JapaneseTokenizer;

/// The tokens of one text.
pub struct JapaneseTokenStream {
    tokens: std::vec::IntoIter<crate::domain::search_text::Token>,
    current: Token,
}

impl Tokenizer for JapaneseTokenizer {
    type TokenStream<'a> = JapaneseTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        JapaneseTokenStream {
            tokens: index_tokens(text).into_iter(),
            current: Token::default(),
        }
    }
}

impl TokenStream for JapaneseTokenStream {
    fn advance(&mut self) -> bool {
        match self.tokens.next() {
            Some(t) => {
                self.current = Token {
                    offset_from: t.from,
                    offset_to: t.to,
                    position: t.position,
                    text: t.text,
                    position_length: 1,
                };
                true
            }
            None => false,
        }
    }

    fn token(&self) -> &Token {
        &self.current
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.current
    }
}
