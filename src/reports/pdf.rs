//! A document of headings and paragraphs set as a PDF: US Letter pages, DejaVu Sans embedded
//! (assets/fonts), text wrapped to the page, a footer with page numbers. It knows nothing of
//! what it prints. pdf-writer writes the file's objects; ttf-parser gives the glyph widths the
//! wrapping needs.

use pdf_writer::types::FontFlags;
use pdf_writer::Filter;
use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};
use serde::Serialize;

const REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

const PAGE: (f32, f32) = (612.0, 792.0);
const MARGIN: f32 = 54.0;
const FOOTER_SIZE: f32 = 10.0;

/// One block of a document, in reading order.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
#[serde(tag = "kind", content = "text", rename_all = "snake_case")]
pub enum Block {
    Title(String),
    Heading(String),
    Strong(String),
    Text(String),
    Gap,
}

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct Document {
    pub title: String,
    /// Left of every page's footer, e.g. whose packet it is.
    pub footer: String,
    /// "Page" and "of" in the document's language.
    pub page_words: (String, String),
    pub blocks: Vec<Block>,
}

impl Document {
    /// The document's words, a block a line: what a test reads of it, as a person reads the page.
    #[cfg(test)]
    pub(crate) fn plain_text(&self) -> String {
        self.blocks.iter().filter_map(|b| b.style().map(|(text, _, _)| text)).collect::<Vec<_>>().join("\n")
    }
}

impl Block {
    fn style(&self) -> Option<(&str, bool, f32)> {
        match self {
            Block::Title(t) => Some((t, true, 24.0)),
            Block::Heading(t) => Some((t, true, 18.0)),
            Block::Strong(t) => Some((t, true, 14.0)),
            Block::Text(t) => Some((t, false, 14.0)),
            Block::Gap => None,
        }
    }
}

/// A font's widths for the 224 WinAnsi codes from 32, in thousandths of the size, and the
/// numbers its descriptor needs.
struct Face {
    bytes: &'static [u8],
    widths: Vec<f32>,
    ascent: f32,
    descent: f32,
    cap_height: f32,
    bbox: Rect,
}

fn face(bytes: &'static [u8]) -> Face {
    // The fonts are part of the build; a failure here is caught by the tests, not by users.
    let f = ttf_parser::Face::parse(bytes, 0).expect("the bundled font parses");
    let scale = 1000.0 / f32::from(f.units_per_em());
    let advance = |c: char| f.glyph_index(c).and_then(|g| f.glyph_hor_advance(g)).map_or(500.0, |a| f32::from(a) * scale);
    let widths = (32u8..=255).map(|b| advance(decode(b))).collect();
    let b = f.global_bounding_box();
    Face {
        bytes,
        widths,
        ascent: f32::from(f.ascender()) * scale,
        descent: f32::from(f.descender()) * scale,
        cap_height: f.capital_height().map_or(700.0, |h| f32::from(h) * scale),
        bbox: Rect::new(f32::from(b.x_min) * scale, f32::from(b.y_min) * scale, f32::from(b.x_max) * scale, f32::from(b.y_max) * scale),
    }
}

fn decode(byte: u8) -> char {
    let bytes = [byte];
    let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&bytes);
    text.chars().next().unwrap_or('?')
}

/// The text as WinAnsi bytes; a character outside it (rare in English and Spanish) prints as ?.
fn encode(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let mut buf = [0u8; 4];
    for c in text.chars() {
        let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(c.encode_utf8(&mut buf));
        match (unmappable, bytes.first()) {
            (false, Some(b)) if *b >= 32 => out.push(*b),
            _ if c == '\t' => out.push(b' '),
            _ => out.push(b'?'),
        }
    }
    out
}

impl Face {
    fn width(&self, bytes: &[u8], size: f32) -> f32 {
        bytes.iter().map(|b| self.widths[usize::from(b.saturating_sub(32))]).sum::<f32>() * size / 1000.0
    }

    /// Breaks `text` into lines no wider than `max`; a word longer than a line is cut.
    fn wrap(&self, text: &str, size: f32, max: f32) -> Vec<Vec<u8>> {
        let mut lines = Vec::new();
        let mut line: Vec<u8> = Vec::new();
        for word in encode(text).split(|b| *b == b' ').filter(|w| !w.is_empty()) {
            let mut candidate = line.clone();
            if !candidate.is_empty() {
                candidate.push(b' ');
            }
            candidate.extend_from_slice(word);
            if self.width(&candidate, size) <= max {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            for &b in word {
                line.push(b);
                if self.width(&line, size) > max {
                    line.pop();
                    lines.push(std::mem::replace(&mut line, vec![b]));
                }
            }
        }
        if !line.is_empty() || lines.is_empty() {
            lines.push(line);
        }
        lines
    }
}

/// A line placed on a page.
struct Placed {
    bold: bool,
    size: f32,
    y: f32,
    text: Vec<u8>,
}

fn layout(doc: &Document, regular: &Face, bold: &Face) -> Vec<Vec<Placed>> {
    let width = PAGE.0 - 2.0 * MARGIN;
    let bottom = MARGIN + FOOTER_SIZE * 2.5;
    let mut pages: Vec<Vec<Placed>> = vec![Vec::new()];
    let mut y = PAGE.1 - MARGIN;
    for (i, block) in doc.blocks.iter().enumerate() {
        let Some((text, is_bold, size)) = block.style() else {
            y -= 10.0;
            continue;
        };
        let leading = size * 1.35;
        let space_before = match block {
            Block::Heading(_) => 14.0,
            Block::Title(_) => 0.0,
            _ => 2.0,
        };
        // A heading is never left alone at the foot of a page.
        let keep_with_next = match (block, doc.blocks.get(i + 1).and_then(Block::style)) {
            (Block::Heading(_), Some((_, _, next))) => next * 1.35,
            _ => 0.0,
        };
        let face = if is_bold { bold } else { regular };
        let lines = face.wrap(text, size, width);
        if y - space_before - leading - keep_with_next < bottom {
            pages.push(Vec::new());
            y = PAGE.1 - MARGIN;
        } else {
            y -= space_before;
        }
        for line in lines {
            if y - leading < bottom {
                pages.push(Vec::new());
                y = PAGE.1 - MARGIN;
            }
            y -= leading;
            pages.last_mut().expect("a page").push(Placed { bold: is_bold, size, y: y + leading * 0.25, text: line });
        }
    }
    pages
}

/// Streams are compressed: the two embedded fonts are most of the file.
fn deflate(bytes: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec_zlib(bytes, 6)
}

/// The document as the bytes of a PDF file.
pub fn render(doc: &Document) -> Vec<u8> {
    let (regular, bold) = (face(REGULAR), face(BOLD));
    let pages = layout(doc, &regular, &bold);
    let mut pdf = Pdf::new();
    let mut next = 1;
    let mut alloc = || {
        next += 1;
        Ref::new(next - 1)
    };
    let (catalog, tree, info) = (alloc(), alloc(), alloc());
    let fonts = [(Name(b"F1"), &regular, "DejaVuSans", alloc(), alloc(), alloc()), (Name(b"F2"), &bold, "DejaVuSans-Bold", alloc(), alloc(), alloc())];
    let page_refs: Vec<(Ref, Ref)> = pages.iter().map(|_| (alloc(), alloc())).collect();

    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree).kids(page_refs.iter().map(|(p, _)| *p)).count(page_refs.len() as i32);
    pdf.document_info(info).title(TextStr(&doc.title)).producer(TextStr("Bridger"));
    for (name, face, base, font_ref, descriptor, file) in &fonts {
        let mut font = pdf.indirect(*font_ref).dict();
        font.pair(Name(b"Type"), Name(b"Font"));
        font.pair(Name(b"Subtype"), Name(b"TrueType"));
        font.pair(Name(b"BaseFont"), Name(base.as_bytes()));
        font.pair(Name(b"Encoding"), Name(b"WinAnsiEncoding"));
        font.pair(Name(b"FirstChar"), 32);
        font.pair(Name(b"LastChar"), 255);
        font.insert(Name(b"Widths")).array().items(face.widths.iter().copied());
        font.pair(Name(b"FontDescriptor"), *descriptor);
        font.finish();
        pdf.font_descriptor(*descriptor)
            .name(Name(base.as_bytes()))
            .flags(FontFlags::NON_SYMBOLIC)
            .bbox(face.bbox)
            .italic_angle(0.0)
            .ascent(face.ascent)
            .descent(face.descent)
            .cap_height(face.cap_height)
            .stem_v(if name.0 == b"F2" { 140.0 } else { 80.0 })
            .font_file2(*file);
        pdf.stream(*file, &deflate(face.bytes)).filter(Filter::FlateDecode).pair(Name(b"Length1"), face.bytes.len() as i32);
    }
    let total = pages.len();
    for (n, (lines, (page_ref, content_ref))) in pages.iter().zip(&page_refs).enumerate() {
        let mut content = Content::new();
        for line in lines {
            content.begin_text();
            content.set_font(Name(if line.bold { b"F2" } else { b"F1" }), line.size);
            content.next_line(MARGIN, line.y);
            content.show(Str(&line.text));
            content.end_text();
        }
        let footer = encode(&format!("{}    {} {} {} {}", doc.footer, doc.page_words.0, n + 1, doc.page_words.1, total));
        content.begin_text();
        content.set_font(Name(b"F1"), FOOTER_SIZE);
        content.next_line(MARGIN, MARGIN);
        content.show(Str(&footer));
        content.end_text();
        pdf.stream(*content_ref, &deflate(&content.finish())).filter(Filter::FlateDecode);
        let mut page = pdf.page(*page_ref);
        page.media_box(Rect::new(0.0, 0.0, PAGE.0, PAGE.1)).parent(tree).contents(*content_ref);
        let mut resources = page.resources();
        let mut font_names = resources.fonts();
        for (name, _, _, font_ref, _, _) in &fonts {
            font_names.pair(*name, *font_ref);
        }
    }
    pdf.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spanish_text_keeps_its_accents_and_wraps_inside_the_margins() {
        assert_eq!(encode("¿Mañana? Sí — José"), b"\xbfMa\xf1ana? S\xed \x97 Jos\xe9");
        assert_eq!(encode("Nguyễn"), b"Nguy?n");
        let f = face(REGULAR);
        let max = PAGE.0 - 2.0 * MARGIN;
        let text = "Su primera cita en la comunidad es con la Clínica Eastside de Recuperación, que atiende sin cita previa. ".repeat(4);
        let lines = f.wrap(&text, 14.0, max);
        assert!(lines.len() > 4);
        assert!(lines.iter().all(|l| f.width(l, 14.0) <= max));
        assert!(f.wrap(&"x".repeat(400), 14.0, max).iter().all(|l| f.width(l, 14.0) <= max), "a long word is cut");
    }

    #[test]
    fn a_long_document_runs_onto_numbered_pages() {
        let blocks = (0..60).flat_map(|i| [Block::Heading(format!("Part {i}")), Block::Text("Words to fill the page. ".repeat(5))]).collect();
        let doc = Document { title: "Test".into(), footer: "Someone".into(), page_words: ("Page".into(), "of".into()), blocks };
        let bytes = render(&doc);
        assert!(bytes.starts_with(b"%PDF-"));
        let pages = layout(&doc, &face(REGULAR), &face(BOLD)).len();
        assert!(pages > 3, "{pages}");
        assert!(bytes.len() < 1_000_000, "{} bytes: the fonts are compressed", bytes.len());
        let last = layout(&doc, &face(REGULAR), &face(BOLD)).pop().unwrap();
        assert!(!last.is_empty());
    }
}
