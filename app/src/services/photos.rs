//! Cleaning uploaded photos: every photo is decoded and encoded again, so what is
//! stored holds pixels only — no EXIF (GPS position, camera serial), no comments,
//! nothing appended to the file — at most 1,024 pixels on its longer side.

use std::io::Cursor;

use image::{DynamicImage, ImageFormat, ImageReader, Limits};

use crate::domain::photo::{self, PhotoError};

/// The longer side of a stored photo, in pixels.
pub const MAX_SIDE: u32 = 1024;

/// Decoding stops beyond these (a small file can claim a huge image).
fn limits() -> Limits {
    let mut limits = Limits::default();
    limits.max_image_width = Some(8_000);
    limits.max_image_height = Some(8_000);
    limits.max_alloc = Some(256 * 1024 * 1024);
    limits
}

/// The photo as stored: its content type and bytes, re-encoded (JPEG, or PNG
/// when it has transparency). Runs on the blocking pool.
pub async fn clean(bytes: Vec<u8>) -> Result<(&'static str, Vec<u8>), PhotoError> {
    photo::content_type(&bytes)?;
    tokio::task::spawn_blocking(move || clean_blocking(&bytes))
        .await
        .map_err(|_| PhotoError::NotAnImage)?
}

fn clean_blocking(bytes: &[u8]) -> Result<(&'static str, Vec<u8>), PhotoError> {
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|_| PhotoError::NotAnImage)?;
    if !matches!(
        reader.format(),
        Some(ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP)
    ) {
        return Err(PhotoError::NotAnImage);
    }
    reader.limits(limits());
    let image = reader.decode().map_err(|_| PhotoError::NotAnImage)?;
    let image = if image.width().max(image.height()) > MAX_SIDE {
        image.resize(MAX_SIDE, MAX_SIDE, image::imageops::FilterType::Triangle)
    } else {
        image
    };
    let mut out = Cursor::new(Vec::new());
    if image.color().has_alpha() {
        DynamicImage::ImageRgba8(image.to_rgba8())
            .write_to(&mut out, ImageFormat::Png)
            .map_err(|_| PhotoError::NotAnImage)?;
        Ok(("image/png", out.into_inner()))
    } else {
        let rgb = DynamicImage::ImageRgb8(image.to_rgb8());
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85)
            .encode_image(&rgb)
            .map_err(|_| PhotoError::NotAnImage)?;
        Ok(("image/jpeg", out.into_inner()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small JPEG with an EXIF segment carrying a GPS tag name and a comment.
    pub fn jpeg_with_exif() -> Vec<u8> {
        let image = DynamicImage::ImageRgb8(image::RgbImage::from_pixel(
            64,
            48,
            image::Rgb([200, 30, 30]),
        ));
        let mut plain = Cursor::new(Vec::new());
        image
            .write_to(&mut plain, ImageFormat::Jpeg)
            .expect("encode");
        let plain = plain.into_inner();
        let payload = b"Exif\0\0GPSLatitude 34.5678 N GPSLongitude 135.7890 E";
        let length = u16::try_from(payload.len() + 2).expect("length");
        let mut with_exif = vec![0xFF, 0xD8, 0xFF, 0xE1];
        with_exif.extend_from_slice(&length.to_be_bytes());
        with_exif.extend_from_slice(payload);
        with_exif.extend_from_slice(&plain[2..]);
        with_exif.extend_from_slice(b"appended secret");
        with_exif
    }

    #[tokio::test]
    async fn a_photo_keeps_its_pixels_and_loses_its_metadata() {
        let (content_type, cleaned) = clean(jpeg_with_exif()).await.expect("clean");
        assert_eq!(content_type, "image/jpeg");
        let text = String::from_utf8_lossy(&cleaned);
        assert!(!text.contains("Exif"));
        assert!(!text.contains("GPS"));
        assert!(!text.contains("appended secret"));
        let decoded = image::load_from_memory(&cleaned).expect("decodes");
        assert_eq!((decoded.width(), decoded.height()), (64, 48));
    }

    #[tokio::test]
    async fn something_that_only_starts_like_an_image_is_refused() {
        let mut fake = vec![0xFF, 0xD8, 0xFF, 0xE0];
        fake.extend_from_slice(b"<script>alert(1)</script>");
        assert_eq!(clean(fake).await, Err(PhotoError::NotAnImage));
    }

    #[tokio::test]
    async fn a_large_photo_is_scaled_down() {
        let image = DynamicImage::ImageRgb8(image::RgbImage::new(2048, 1024));
        let mut png = Cursor::new(Vec::new());
        image.write_to(&mut png, ImageFormat::Png).expect("encode");
        let (_, cleaned) = clean(png.into_inner()).await.expect("clean");
        let decoded = image::load_from_memory(&cleaned).expect("decodes");
        assert_eq!((decoded.width(), decoded.height()), (1024, 512));
    }
}
