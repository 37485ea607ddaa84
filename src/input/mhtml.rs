//! MHTML archives (a browser's "save as single file", `.mhtml`/`.mht`): the
//! HTML part of the MIME archive, its transfer encoding (quoted-printable or
//! base64) undone, in the charset its part header names (else the page's
//! own `<meta charset>` decides, as for any HTML page).

use anyhow::{bail, Result};
use mailparse::MailHeaderMap;

/// Bytes of the start of a file searched for the archive's headers.
const HEADER_BYTES: usize = 4096;

/// Whether `bytes` start like a MIME archive of a web page: headers with a
/// `MIME-Version` and a `multipart/related` content type.
pub fn is_archive(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(HEADER_BYTES)];
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    let headers = head.split("\n\n").next().unwrap_or("");
    headers.contains("mime-version:") && headers.contains("multipart/related")
}

/// The HTML part of an archive: its bytes, and the charset its header names.
pub fn html_part(bytes: &[u8]) -> Result<(Vec<u8>, Option<String>)> {
    let mail = mailparse::parse_mail(bytes).map_err(|e| anyhow::anyhow!("cannot read MHTML: {e}"))?;
    let mut parts = vec![&mail];
    while let Some(part) = parts.pop() {
        if part.ctype.mimetype.eq_ignore_ascii_case("text/html") {
            let body = part.get_body_raw().map_err(|e| anyhow::anyhow!("cannot read MHTML: {e}"))?;
            let charset = part.get_headers().get_first_value("Content-Type").and_then(|v| charset_parameter(&v));
            return Ok((body, charset));
        }
        // Depth first, in order.
        parts.extend(part.subparts.iter().rev());
    }
    bail!("cannot read MHTML: no HTML part in the archive")
}

/// The `charset` parameter of a content type header, when it is written
/// (mailparse fills in `us-ascii` when it is not).
fn charset_parameter(content_type: &str) -> Option<String> {
    let lower = content_type.to_ascii_lowercase();
    let at = lower.find("charset=")? + "charset=".len();
    let value = content_type[at..].split(';').next()?.trim().trim_matches('"').trim();
    (!value.is_empty()).then(|| value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARCHIVE: &str = "From: <Saved by Blink>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/related;\r\n\
        \ttype=\"text/html\";\r\n\tboundary=\"----B--x\"\r\n\r\n------B--x\r\nContent-Type: text/html\r\n\
        Content-Transfer-Encoding: quoted-printable\r\n\r\n<p class=3D\"a\">Begroting =E2=82=AC 5 en een lange re=\r\n\
        gel</p>\r\n------B--x\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n\
        ------B--x--\r\n";

    #[test]
    fn the_html_part_is_decoded() {
        assert!(is_archive(ARCHIVE.as_bytes()));
        assert!(!is_archive(b"<html><body>\n\nMIME-Version: 1.0 multipart/related</body></html>"));
        let (html, charset) = html_part(ARCHIVE.as_bytes()).expect("html part");
        assert_eq!(String::from_utf8(html).expect("utf8"), "<p class=\"a\">Begroting € 5 en een lange regel</p>");
        assert_eq!(charset, None);
    }

    #[test]
    fn a_broken_archive_is_an_error_not_a_panic() {
        let broken = ARCHIVE.replace("------B--x\r\nContent-Type: text/html", "------C--y\r\nContent-Type: text/html");
        let cut = &ARCHIVE[..ARCHIVE.len() / 2];
        for archive in [broken.as_str(), cut, "MIME-Version: 1.0\r\nContent-Type: multipart/related\r\n\r\n"] {
            // A part the boundary does not separate is read as far as it goes, or the archive fails with a reason.
            if let Err(e) = html_part(archive.as_bytes()) {
                assert!(e.to_string().starts_with("cannot read MHTML"), "{e}");
            }
        }
    }
}
