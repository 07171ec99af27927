//! Profile photos: which images are accepted, judged by their bytes (never by the
//! name or the type the browser claims).

/// Largest photo accepted, in bytes.
pub const MAX_PHOTO_BYTES: usize = 1024 * 1024;

/// Why a photo was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhotoError {
    /// Empty upload.
    #[error("写真のファイルが空です。")]
    Empty,
    /// Too large.
    #[error("写真は 1 MB 以下にしてください(このファイルは {0} KB です)。")]
    TooLarge(usize),
    /// Not JPEG, PNG or WebP.
    #[error("写真は JPEG・PNG・WebP のいずれかの画像にしてください。")]
    NotAnImage,
}

/// The content type of an accepted photo.
pub fn content_type(bytes: &[u8]) -> Result<&'static str, PhotoError> {
    if bytes.is_empty() {
        return Err(PhotoError::Empty);
    }
    if bytes.len() > MAX_PHOTO_BYTES {
        return Err(PhotoError::TooLarge(bytes.len().div_ceil(1024)));
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Ok("image/jpeg")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Ok("image/png")
    } else if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
        Ok("image/webp")
    } else {
        Err(PhotoError::NotAnImage)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn photos_are_recognised_by_their_bytes() {
        assert_eq!(
            content_type(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0]),
            Ok("image/jpeg")
        );
        assert_eq!(
            content_type(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Ok("image/png")
        );
        assert_eq!(content_type(b"RIFF\x10\0\0\0WEBPVP8 "), Ok("image/webp"));
        assert_eq!(
            content_type(b"<svg onload=alert(1)>"),
            Err(PhotoError::NotAnImage)
        );
        assert_eq!(content_type(b""), Err(PhotoError::Empty));
        let big = vec![0xFF; MAX_PHOTO_BYTES + 1];
        assert!(matches!(
            content_type(&big),
            Err(PhotoError::TooLarge(1025))
        ));
    }
}
