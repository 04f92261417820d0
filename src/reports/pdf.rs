//! A document of headings and paragraphs set as a PDF: US Letter pages, DejaVu Sans embedded
//! (assets/fonts) as subset CID fonts so any name a person typed prints, text wrapped to the
//! page, a footer with page numbers. It knows nothing of what it prints. pdf-writer writes the
//! file's objects; ttf-parser gives the glyphs and widths; subsetter keeps only the glyphs used.

use std::collections::BTreeMap;

use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::Filter;
use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};
use serde::Serialize;
use subsetter::GlyphRemapper;
use unicode_normalization::UnicodeNormalization;

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
    /// A line of a table: a label, and its value in a column of its own at the right.
    Row(String, String),
    /// A bar chart: its title, and a bar for each label, as long as its value against the
    /// largest, with the value in words beside it.
    Bars { title: String, bars: Vec<Bar> },
    Gap,
}

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub text: String,
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
        let line = |b: &Block| match b {
            Block::Row(label, value) => Some(format!("{label} {value}")),
            Block::Bars { title, bars } => Some(std::iter::once(title.clone()).chain(bars.iter().map(|b| format!("{} {}", b.label, b.text))).collect::<Vec<_>>().join("\n")),
            _ => b.style().map(|(text, _, _)| text.to_string()),
        };
        self.blocks.iter().filter_map(line).collect::<Vec<_>>().join("\n")
    }
}

impl Block {
    fn style(&self) -> Option<(&str, bool, f32)> {
        match self {
            Block::Title(t) => Some((t, true, 24.0)),
            Block::Heading(t) => Some((t, true, 18.0)),
            Block::Strong(t) => Some((t, true, 14.0)),
            Block::Text(t) => Some((t, false, 14.0)),
            Block::Row(label, _) => Some((label, false, 12.0)),
            Block::Bars { title, .. } => Some((title, true, 12.0)),
            Block::Gap => None,
        }
    }
}

/// A glyph of a font and the character it stands for, so the PDF can say what it reads as.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Glyph {
    id: u16,
    c: char,
}

/// A bundled font: its glyphs and widths, and the numbers its descriptor needs.
struct Face {
    bytes: &'static [u8],
    font: ttf_parser::Face<'static>,
    /// Font units to thousandths of the size.
    scale: f32,
}

fn face(bytes: &'static [u8]) -> Face {
    // The fonts are part of the build; a failure here is caught by the tests, not by users.
    let font = ttf_parser::Face::parse(bytes, 0).expect("the bundled font parses");
    let scale = 1000.0 / f32::from(font.units_per_em());
    Face { bytes, font, scale }
}

impl Face {
    /// The text as the font's glyphs, composed first (NFC) so a name typed with combining
    /// accents finds its precomposed letter. A character the font lacks prints as "?".
    fn glyphs(&self, text: &str) -> Vec<Glyph> {
        let missing = self.font.glyph_index('?').map_or(0, |g| g.0);
        text.nfc()
            .map(|c| if c == '\t' { ' ' } else { c })
            .filter(|c| !c.is_control())
            .map(|c| match self.font.glyph_index(c) {
                Some(g) => Glyph { id: g.0, c },
                None => Glyph { id: missing, c: '?' },
            })
            .collect()
    }

    fn advance(&self, id: u16) -> f32 {
        self.font.glyph_hor_advance(ttf_parser::GlyphId(id)).map_or(500.0, |a| f32::from(a) * self.scale)
    }

    fn width(&self, glyphs: &[Glyph], size: f32) -> f32 {
        glyphs.iter().map(|g| self.advance(g.id)).sum::<f32>() * size / 1000.0
    }

    /// Breaks `text` into lines no wider than `max`; a word longer than a line is cut.
    fn wrap(&self, text: &str, size: f32, max: f32) -> Vec<Vec<Glyph>> {
        let glyphs = self.glyphs(text);
        let space = glyphs.iter().find(|g| g.c == ' ').copied();
        let mut lines = Vec::new();
        let mut line: Vec<Glyph> = Vec::new();
        for word in glyphs.split(|g| g.c == ' ').filter(|w| !w.is_empty()) {
            let mut candidate = line.clone();
            if let (false, Some(space)) = (candidate.is_empty(), space) {
                candidate.push(space);
            }
            candidate.extend_from_slice(word);
            if self.width(&candidate, size) <= max {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            for &g in word {
                line.push(g);
                if self.width(&line, size) > max {
                    line.pop();
                    lines.push(std::mem::replace(&mut line, vec![g]));
                }
            }
        }
        if !line.is_empty() || lines.is_empty() {
            lines.push(line);
        }
        lines
    }
}

/// The glyphs of one face that a document uses. Each gets a new number (its CID) in the order
/// first shown; the file embeds only those glyphs, so any script costs a few kilobytes, not the
/// whole font.
struct Subset<'f> {
    face: &'f Face,
    remapper: GlyphRemapper,
    /// What each CID reads as, for copying text out of the PDF and for screen readers.
    chars: BTreeMap<u16, char>,
}

/// The objects one embedded font takes in the file.
struct FontRefs {
    font: Ref,
    cid_font: Ref,
    descriptor: Ref,
    file: Ref,
    to_unicode: Ref,
}

impl<'f> Subset<'f> {
    fn new(face: &'f Face) -> Self {
        Subset { face, remapper: GlyphRemapper::new(), chars: BTreeMap::new() }
    }

    /// The glyphs as the two-byte codes the content stream shows (Identity-H).
    fn codes(&mut self, glyphs: &[Glyph]) -> Vec<u8> {
        let mut out = Vec::with_capacity(glyphs.len() * 2);
        for g in glyphs {
            let cid = self.remapper.remap(g.id);
            self.chars.entry(cid).or_insert(g.c);
            out.extend_from_slice(&cid.to_be_bytes());
        }
        out
    }

    fn write(&self, pdf: &mut Pdf, refs: &FontRefs, base: &str, stem_v: f32) {
        let base = Name(base.as_bytes());
        let system = SystemInfo { registry: Str(b"Adobe"), ordering: Str(b"Identity"), supplement: 0 };
        pdf.type0_font(refs.font)
            .base_font(base)
            .encoding_predefined(Name(b"Identity-H"))
            .descendant_font(refs.cid_font)
            .to_unicode(refs.to_unicode);
        let mut cid = pdf.cid_font(refs.cid_font);
        cid.subtype(CidFontType::Type2).base_font(base).system_info(system).font_descriptor(refs.descriptor);
        cid.cid_to_gid_map_predefined(Name(b"Identity"));
        cid.widths().consecutive(0, self.remapper.remapped_gids().map(|id| self.face.advance(id)));
        cid.finish();

        let font = &self.face.font;
        let scale = self.face.scale;
        let b = font.global_bounding_box();
        pdf.font_descriptor(refs.descriptor)
            .name(base)
            .flags(FontFlags::SYMBOLIC)
            .bbox(Rect::new(f32::from(b.x_min) * scale, f32::from(b.y_min) * scale, f32::from(b.x_max) * scale, f32::from(b.y_max) * scale))
            .italic_angle(0.0)
            .ascent(f32::from(font.ascender()) * scale)
            .descent(f32::from(font.descender()) * scale)
            .cap_height(font.capital_height().map_or(700.0, |h| f32::from(h) * scale))
            .stem_v(stem_v)
            .font_file2(refs.file);
        // The subset keeps the glyphs' outlines with new numbers; the CIDs above are those numbers.
        let file = subsetter::subset(self.face.bytes, 0, &self.remapper).expect("the bundled font subsets");
        pdf.stream(refs.file, &deflate(&file)).filter(Filter::FlateDecode).pair(Name(b"Length1"), file.len() as i32);

        let mut cmap = UnicodeCmap::new(Name(b"Custom"), system);
        for (cid, c) in &self.chars {
            cmap.pair(*cid, *c);
        }
        pdf.stream(refs.to_unicode, &deflate(&cmap.finish())).filter(Filter::FlateDecode);
    }
}

/// A line placed on a page.
struct Placed {
    bold: bool,
    size: f32,
    x: f32,
    y: f32,
    text: Vec<Glyph>,
    /// A filled bar of this width and height instead of text.
    bar: Option<(f32, f32)>,
}

/// Where a chart's bars start and how long the longest is, as shares of the text width.
const BAR_START: f32 = 0.44;
const BAR_LENGTH: f32 = 0.38;

/// Where a row's value column starts, as a share of the text width.
const VALUE_COLUMN: f32 = 0.68;
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
            Block::Bars { .. } => 8.0,
            Block::Title(_) => 0.0,
            _ => 2.0,
        };
        // A heading is never left alone at the foot of a page.
        let keep_with_next = match (block, doc.blocks.get(i + 1).and_then(Block::style)) {
            (Block::Heading(_), Some((_, _, next))) => next * 1.35,
            _ => 0.0,
        };
        let face = if is_bold { bold } else { regular };
        let (text_width, value) = match block {
            Block::Row(_, value) => (width * VALUE_COLUMN - 12.0, Some(value)),
            _ => (width, None),
        };
        let lines = face.wrap(text, size, text_width);
        if y - space_before - leading - keep_with_next < bottom {
            pages.push(Vec::new());
            y = PAGE.1 - MARGIN;
        } else {
            y -= space_before;
        }
        // A row's value is set beside its label's first line; the longer of the two sets the height.
        let values = value.map(|v| bold.wrap(v, size, width * (1.0 - VALUE_COLUMN))).unwrap_or_default();
        let mut label = lines.into_iter();
        let mut values = values.into_iter();
        loop {
            let (line, value) = (label.next(), values.next());
            if line.is_none() && value.is_none() {
                break;
            }
            if y - leading < bottom {
                pages.push(Vec::new());
                y = PAGE.1 - MARGIN;
            }
            y -= leading;
            let page = pages.last_mut().expect("a page");
            let at = y + leading * 0.25;
            if let Some(line) = line {
                page.push(Placed { bold: is_bold, size, x: MARGIN, y: at, text: line, bar: None });
            }
            if let Some(value) = value {
                page.push(Placed { bold: true, size, x: MARGIN + width * VALUE_COLUMN, y: at, text: value, bar: None });
            }
        }
        if let Block::Bars { bars, .. } = block {
            let size = 11.0;
            let leading = size * 1.5;
            let most = bars.iter().map(|b| b.value).fold(0.0_f64, f64::max);
            for b in bars {
                let labels = regular.wrap(&b.label, size, width * (BAR_START - 0.02));
                let height = leading * labels.len() as f32;
                if y - height < bottom {
                    pages.push(Vec::new());
                    y = PAGE.1 - MARGIN;
                }
                let page = pages.last_mut().expect("a page");
                let top = y - leading;
                for (k, line) in labels.into_iter().enumerate() {
                    page.push(Placed { bold: false, size, x: MARGIN, y: top + leading * 0.25 - leading * k as f32, text: line, bar: None });
                }
                let length = if most > 0.0 { (b.value / most) as f32 * width * BAR_LENGTH } else { 0.0 };
                let x = MARGIN + width * BAR_START;
                page.push(Placed { bold: false, size, x, y: top + leading * 0.15, text: Vec::new(), bar: Some((length, size * 0.85)) });
                page.push(Placed { bold: false, size, x: x + length + 6.0, y: top + leading * 0.25, text: regular.glyphs(&b.text), bar: None });
                y -= height;
            }
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
    let mut font_refs = || FontRefs { font: alloc(), cid_font: alloc(), descriptor: alloc(), file: alloc(), to_unicode: alloc() };
    let (regular_refs, bold_refs) = (font_refs(), font_refs());
    let page_refs: Vec<(Ref, Ref)> = pages.iter().map(|_| (alloc(), alloc())).collect();

    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree).kids(page_refs.iter().map(|(p, _)| *p)).count(page_refs.len() as i32);
    pdf.document_info(info).title(TextStr(&doc.title)).producer(TextStr("Bridger"));
    let (mut regular_set, mut bold_set) = (Subset::new(&regular), Subset::new(&bold));
    let total = pages.len();
    for (n, (lines, (page_ref, content_ref))) in pages.iter().zip(&page_refs).enumerate() {
        let mut content = Content::new();
        for line in lines {
            if let Some((w, h)) = line.bar {
                content.set_fill_rgb(0.12, 0.37, 0.55);
                content.rect(line.x, line.y, w, h);
                content.fill_nonzero();
                content.set_fill_gray(0.0);
                continue;
            }
            let (name, set) = if line.bold { (Name(b"F2"), &mut bold_set) } else { (Name(b"F1"), &mut regular_set) };
            content.begin_text();
            content.set_font(name, line.size);
            content.next_line(line.x, line.y);
            content.show(Str(&set.codes(&line.text)));
            content.end_text();
        }
        let footer = regular.glyphs(&format!("{}    {} {} {} {}", doc.footer, doc.page_words.0, n + 1, doc.page_words.1, total));
        content.begin_text();
        content.set_font(Name(b"F1"), FOOTER_SIZE);
        content.next_line(MARGIN, MARGIN);
        content.show(Str(&regular_set.codes(&footer)));
        content.end_text();
        pdf.stream(*content_ref, &deflate(&content.finish())).filter(Filter::FlateDecode);
        let mut page = pdf.page(*page_ref);
        page.media_box(Rect::new(0.0, 0.0, PAGE.0, PAGE.1)).parent(tree).contents(*content_ref);
        page.resources().fonts().pair(Name(b"F1"), regular_refs.font).pair(Name(b"F2"), bold_refs.font);
    }
    // Subset tags (six letters and "+") tell readers these fonts hold only some glyphs.
    regular_set.write(&mut pdf, &regular_refs, "BRDGRA+DejaVuSans", 80.0);
    bold_set.write(&mut pdf, &bold_refs, "BRDGRB+DejaVuSans-Bold", 140.0);
    pdf.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn chars(glyphs: &[Glyph]) -> String {
        glyphs.iter().map(|g| g.c).collect()
    }

    #[test]
    fn every_letter_of_a_name_has_its_own_glyph() {
        let f = face(REGULAR);
        for name in ["Nguyễn Đặng", "José Peña", "Łukasz Wróbel", "Zoë Ødegård", "Ахмед"] {
            let glyphs = f.glyphs(name);
            assert_eq!(chars(&glyphs), name);
            let question = f.glyphs("?")[0].id;
            assert!(glyphs.iter().all(|g| g.id != question && g.id != 0), "{name} prints whole");
        }
        // Typed with a combining accent, the letter is composed to the font's precomposed glyph.
        assert_eq!(f.glyphs("Jose\u{301}"), f.glyphs("José"));
        assert_eq!(chars(&f.glyphs("a\tb\u{7}c")), "a bc", "a tab is a space; controls are dropped");
        assert_eq!(chars(&f.glyphs("日本")), "??", "a letter the font lacks prints as ?, never as nothing");
    }

    #[test]
    fn a_subset_numbers_glyphs_in_the_order_first_shown() {
        let f = face(REGULAR);
        let mut set = Subset::new(&f);
        assert_eq!(set.codes(&f.glyphs("ễa")), [0, 1, 0, 2], "CID 0 is the font's empty glyph");
        assert_eq!(set.codes(&f.glyphs("aễ")), [0, 2, 0, 1], "a glyph keeps its number");
        assert_eq!(set.chars.values().collect::<String>(), "ễa");
        let pdf = String::from_utf8_lossy(&render(&Document {
            title: "Nguyễn".into(),
            footer: "Nguyễn Đặng".into(),
            page_words: ("Page".into(), "of".into()),
            blocks: vec![Block::Title("Nguyễn Đặng".into())],
        }))
        .into_owned();
        assert!(pdf.contains("/BaseFont /BRDGRA+DejaVuSans") && pdf.contains("/Identity-H"), "a subset CID font");
        assert!(!pdf.contains("WinAnsiEncoding"));
    }

    #[test]
    fn text_wraps_inside_the_margins() {
        let f = face(REGULAR);
        let max = PAGE.0 - 2.0 * MARGIN;
        let text = "Su primera cita en la comunidad es con la Clínica Eastside de Recuperación, que atiende sin cita previa. ".repeat(4);
        let lines = f.wrap(&text, 14.0, max);
        assert!(lines.len() > 4);
        assert!(lines.iter().all(|l| f.width(l, 14.0) <= max));
        assert_eq!(lines.iter().map(|l| chars(l)).collect::<Vec<_>>().join(" "), text.trim_end(), "nothing is lost in wrapping");
        assert!(f.wrap(&"x".repeat(400), 14.0, max).iter().all(|l| f.width(l, 14.0) <= max), "a long word is cut");
    }

    #[test]
    fn a_row_sets_its_value_in_a_column_beside_the_label() {
        let label = "Kept a community appointment within 30 days of release, counted from the day they left ".repeat(2);
        let doc = Document { title: "T".into(), footer: "F".into(), page_words: ("Page".into(), "of".into()), blocks: vec![Block::Row(label, "76.7% (23 of 30)".into())] };
        let (regular, bold) = (face(REGULAR), face(BOLD));
        let placed = layout(&doc, &regular, &bold).remove(0);
        let column = MARGIN + (PAGE.0 - 2.0 * MARGIN) * VALUE_COLUMN;
        let (labels, values): (Vec<&Placed>, Vec<&Placed>) = placed.iter().partition(|p| p.x == MARGIN);
        assert!(labels.len() > 1, "a long label wraps");
        assert!(labels.iter().all(|p| MARGIN + regular.width(&p.text, p.size) < column), "and stays left of the values");
        assert_eq!(values.len(), 1);
        assert_eq!((values[0].x, values[0].y), (column, labels[0].y), "the value stands beside the label's first line");
    }

    #[test]
    fn bars_are_as_long_as_their_value_against_the_largest() {
        let bar = |label: &str, value: f64| Bar { label: label.into(), value, text: format!("{value}") };
        let doc = Document {
            title: "T".into(),
            footer: "F".into(),
            page_words: ("Page".into(), "of".into()),
            blocks: vec![Block::Bars { title: "Exits".into(), bars: vec![bar("Completed", 20.0), bar("Released", 5.0), bar("Discharged", 0.0)] }],
        };
        let placed = layout(&doc, &face(REGULAR), &face(BOLD)).remove(0);
        let lengths: Vec<f32> = placed.iter().filter_map(|p| p.bar.map(|(w, _)| w)).collect();
        let longest = (PAGE.0 - 2.0 * MARGIN) * BAR_LENGTH;
        assert_eq!(lengths, [longest, longest / 4.0, 0.0]);
        assert!(String::from_utf8_lossy(&render(&doc)).starts_with("%PDF-"));
    }

    #[test]
    fn a_long_document_runs_onto_numbered_pages() {
        let blocks = (0..60).flat_map(|i| [Block::Heading(format!("Part {i}")), Block::Text("Words to fill the page. ".repeat(5))]).collect();
        let doc = Document { title: "Test".into(), footer: "Someone".into(), page_words: ("Page".into(), "of".into()), blocks };
        let bytes = render(&doc);
        assert!(bytes.starts_with(b"%PDF-"));
        let pages = layout(&doc, &face(REGULAR), &face(BOLD)).len();
        assert!(pages > 3, "{pages}");
        assert!(bytes.len() < 100_000, "{} bytes: only the glyphs used are embedded", bytes.len());
        let last = layout(&doc, &face(REGULAR), &face(BOLD)).pop().unwrap();
        assert!(!last.is_empty());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        /// Whatever a person typed, in any script, the document renders and every character
        /// of it is set: as its own glyph, or as "?" where the font has none.
        #[test]
        fn any_text_renders(text in "\\PC{0,60}") {
            let doc = Document { title: text.clone(), footer: text.clone(), page_words: ("p".into(), "/".into()), blocks: vec![Block::Text(text.clone())] };
            prop_assert!(render(&doc).starts_with(b"%PDF-"));
            let f = face(REGULAR);
            let expected = text.nfc().filter(|c| *c == '\t' || !c.is_control()).count();
            prop_assert_eq!(f.glyphs(&text).len(), expected);
        }
    }
}
