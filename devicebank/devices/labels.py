"""Printable asset labels: A4 sheets of die-cut labels (PDF) and thermal-printer labels (ZPL II).

Each label carries the device's asset tag in large bold monospace, a QR code that opens the device's page,
and up to two short lines of text (model, serial). This module only renders: it reads no database, so a
view or task builds `Label`s from devices and hands them over.

Both formats encode the QR code the same way: error correction M, never "boosted" to a higher level, in
the smallest version that holds the URL. Sizes on the label follow from that version (`qr_code`).
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass

import segno
from weasyprint import HTML
from weasyprint.urls import URLFetcher

MAX_ASSET_TAG_LENGTH = 20
"""Programme prefixes are 2 to 5 letters plus a 6-digit number (`NBT-000042`), so 20 leaves room to spare."""
MAX_URL_LENGTH = 150
"""Keeps the QR code at version 8 or below (49 modules), big enough to scan at the sizes printed here."""
MAX_LINES = 2
MAX_LINE_LENGTH = 40
"""A hard cap on each text line; each format then truncates further to what fits its width."""
ELLIPSIS = "…"

QR_ERROR = "m"
_QR_QUIET_ZONE_MODULES = 4  # what ISO/IEC 18004 asks for; kept inside the PDF's QR image

_MM_PER_INCH = 25.4
_PT_PER_MM = 72 / _MM_PER_INCH


class LabelError(ValueError):
    """Labels cannot be rendered from this input; the message says what to change."""


@dataclass(frozen=True)
class Label:
    """One device's label.

    Attributes:
        asset_tag: The programme's tag for the device, e.g. `NBT-000042`.
        url: Absolute http(s) URL the QR code opens, e.g. `https://devices.example.org/devices/NBT-000042/`.
        lines: At most two short lines, e.g. ("Dell Latitude 5490", "SN 5CG8123ABC"). Whitespace is
            collapsed, empty lines are dropped and lines longer than `MAX_LINE_LENGTH` end in "…".

    Raises:
        LabelError: The tag or URL is empty, too long or malformed, or there are more than two lines.
    """

    asset_tag: str
    url: str
    lines: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        tag = _one_line(self.asset_tag)
        if not tag:
            raise LabelError("A label needs an asset tag; this one is empty.")
        if len(tag) > MAX_ASSET_TAG_LENGTH:
            raise LabelError(
                f"Asset tag {tag[:MAX_ASSET_TAG_LENGTH]}… is {len(tag)} characters long; "
                f"at most {MAX_ASSET_TAG_LENGTH} fit on a label."
            )
        url = self.url.strip()
        if not url:
            raise LabelError(f"Label {tag} needs a URL for its QR code; it is empty.")
        if len(url) > MAX_URL_LENGTH:
            raise LabelError(
                f"Label {tag}: the URL is {len(url)} characters long; at most {MAX_URL_LENGTH} make a QR code "
                "small enough to scan on a label."
            )
        if not url.startswith(("https://", "http://")) or any(
            ch.isspace() or not ch.isprintable() for ch in url
        ):
            raise LabelError(f"Label {tag}: {url!r} is not an absolute http(s) URL without spaces.")
        if isinstance(self.lines, str):  # a bare string would be split into one line per character
            raise LabelError(f"Label {tag}: lines must be a tuple of strings, not one string.")
        lines = tuple(_truncate(line, MAX_LINE_LENGTH) for line in map(_one_line, self.lines) if line)
        if len(lines) > MAX_LINES:
            raise LabelError(f"Label {tag} has {len(lines)} lines of text; at most {MAX_LINES} fit.")
        # Frozen, so normalise through object.__setattr__: every Label in circulation is already clean.
        object.__setattr__(self, "asset_tag", tag)
        object.__setattr__(self, "url", url)
        object.__setattr__(self, "lines", lines)


@dataclass(frozen=True)
class SheetLayout:
    """A sheet of die-cut labels. All lengths are millimetres from the sheet's top-left corner.

    Labels are filled left to right, then top to bottom, the order in which sheet makers number them.
    """

    name: str
    label: str
    page_width_mm: float
    page_height_mm: float
    columns: int
    rows: int
    label_width_mm: float
    label_height_mm: float
    margin_top_mm: float
    margin_left_mm: float
    gap_x_mm: float
    gap_y_mm: float

    @property
    def per_sheet(self) -> int:
        return self.columns * self.rows

    def position_mm(self, slot: int) -> tuple[float, float]:
        """Top-left corner (left, top) of label number `slot` (0-based) on its sheet."""
        row, column = divmod(slot % self.per_sheet, self.columns)
        left = self.margin_left_mm + column * (self.label_width_mm + self.gap_x_mm)
        top = self.margin_top_mm + row * (self.label_height_mm + self.gap_y_mm)
        return left, top


# Avery's published templates for its A4 address labels, which other makers' 21- and 24-up sheets copy:
# labels 2.5 in (63.5 mm) wide on a 2.6 in (66.04 mm) horizontal pitch, rows butted together (no vertical
# gap). L7160: top margin 15.15 mm, side margin 7.25 mm, vertical pitch 38.1 mm. L7159: top margin 12.9 mm,
# side margin 7.25 mm, vertical pitch 33.9 mm. The glabels template for 7160 (dx 187.2 pt = 66.04 mm,
# dy 108 pt = 38.1 mm) agrees.
LAYOUTS: dict[str, SheetLayout] = {
    layout.name: layout
    for layout in (
        SheetLayout(
            name="a4-21",
            label="A4, 21 labels (3 x 7, 63.5 x 38.1 mm), e.g. Avery L7160 / J8160",
            page_width_mm=210,
            page_height_mm=297,
            columns=3,
            rows=7,
            label_width_mm=63.5,
            label_height_mm=38.1,
            margin_top_mm=15.15,
            margin_left_mm=7.25,
            gap_x_mm=2.54,
            gap_y_mm=0,
        ),
        SheetLayout(
            name="a4-24",
            label="A4, 24 labels (3 x 8, 63.5 x 33.9 mm), e.g. Avery L7159 / J8159",
            page_width_mm=210,
            page_height_mm=297,
            columns=3,
            rows=8,
            label_width_mm=63.5,
            label_height_mm=33.9,
            margin_top_mm=12.9,
            margin_left_mm=7.25,
            gap_x_mm=2.54,
            gap_y_mm=0,
        ),
    )
}


def qr_code(url: str) -> segno.QRCode:
    """The QR symbol both formats print for `url`: error correction M exactly, never a Micro QR."""
    return segno.make(url, error=QR_ERROR, boost_error=False, micro=False)


# --- PDF sheets ---------------------------------------------------------------------------------------

# Sheets are hand-fed and die-cuts drift by up to a millimetre, so nothing printed goes nearer the cut
# than this. The QR image may go closer, as its own quiet zone is white.
_EDGE_MM = 2.5
_QR_EDGE_MM = 1.5
_QR_MAX_SHARE_OF_WIDTH = 0.45  # the rest of the width is for the tag, which must stay large
_TEXT_GAP_MM = 0.5
_TAG_FONT = '"DejaVu Sans Mono", "Liberation Mono", monospace'
_TAG_MAX_PT = 15.0
_TAG_ADVANCE_EM = 0.61  # DejaVu Sans Mono advances 1233/2048 em (0.602) per character, bold included
_LINE_FONT = '"DejaVu Sans Condensed", "DejaVu Sans", "Liberation Sans Narrow", sans-serif'
_LINE_PT = 7.5
_LINE_HEIGHT = 1.25
_LINE_SPACE_MM = 1.2  # between the tag and the first line


def render_sheet_pdf(labels: Sequence[Label], *, layout: str = "a4-21", skip: int = 0) -> bytes:
    """Labels laid out on sheets of die-cut labels, as a PDF with as many pages as needed.

    Args:
        labels: What to print, in order.
        layout: A key of `LAYOUTS`.
        skip: How many positions to leave empty at the start of the first sheet, so a part-used sheet
            can go through the printer again. Must be smaller than the labels on one sheet.

    Returns:
        The PDF. Print it at 100% ("actual size"), never "fit to page", or labels drift off the die-cuts.

    Raises:
        LabelError: Unknown layout, no labels, or `skip` out of range.
    """
    markup = render_sheet_html(labels, layout=layout, skip=skip)
    # Only data: URIs (the QR codes) may be loaded: a label sheet never reaches out to the network or disk.
    fetcher = URLFetcher(allowed_protocols=("data",), fail_on_errors=True)
    pdf = HTML(string=markup, url_fetcher=fetcher).write_pdf()
    assert pdf is not None  # write_pdf() returns the bytes when given no target
    return pdf


def render_sheet_html(labels: Sequence[Label], *, layout: str = "a4-21", skip: int = 0) -> str:
    """The HTML document `render_sheet_pdf` prints: one absolutely positioned box per label, in mm.

    Args and Raises: as `render_sheet_pdf`.
    """
    sheet = _get_layout(layout)
    if not labels:
        raise LabelError("There are no labels to print.")
    if not 0 <= skip < sheet.per_sheet:
        raise LabelError(
            f"skip must be from 0 to {sheet.per_sheet - 1} for layout {sheet.name!r} "
            f"({sheet.per_sheet} labels a sheet); got {skip}."
        )
    pages: list[list[str]] = [[] for _ in range(math.ceil((skip + len(labels)) / sheet.per_sheet))]
    for slot, label in enumerate(labels, start=skip):
        pages[slot // sheet.per_sheet].append(_label_html(label, sheet, slot))
    body = "\n".join(f'<div class="sheet">\n{"".join(boxes)}</div>' for boxes in pages)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Asset labels</title><style>
@page {{ size: {sheet.page_width_mm}mm {sheet.page_height_mm}mm; margin: 0; }}
html, body {{ margin: 0; padding: 0; }}
.sheet {{ position: relative; width: {sheet.page_width_mm}mm; height: {sheet.page_height_mm}mm;
  overflow: hidden; break-after: page; }}
.sheet:last-child {{ break-after: auto; }}
.label {{ position: absolute; width: {sheet.label_width_mm}mm; height: {sheet.label_height_mm}mm;
  overflow: hidden; }}
.label img, .label div {{ position: absolute; }}
.label div {{ margin: 0; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; color: #000; }}
.tag {{ font-family: {_TAG_FONT}; font-weight: bold; font-variant-numeric: slashed-zero; line-height: 1; }}
.line {{ font-family: {_LINE_FONT}; font-size: {_LINE_PT}pt; line-height: {_LINE_HEIGHT}; }}
</style></head><body>
{body}
</body></html>
"""


def _get_layout(name: str) -> SheetLayout:
    try:
        return LAYOUTS[name]
    except KeyError:
        raise LabelError(
            f"Unknown label layout {name!r}; use one of: {', '.join(sorted(LAYOUTS))}."
        ) from None


def _label_html(label: Label, sheet: SheetLayout, slot: int) -> str:
    left, top = sheet.position_mm(slot)
    width, height = sheet.label_width_mm, sheet.label_height_mm
    qr_size = min(height - 2 * _QR_EDGE_MM, width * _QR_MAX_SHARE_OF_WIDTH)
    qr_top = (height - qr_size) / 2
    text_left = _QR_EDGE_MM + qr_size + _TEXT_GAP_MM
    text_width = width - text_left - _EDGE_MM

    tag_mm = min(_TAG_MAX_PT / _PT_PER_MM, text_width / (len(label.asset_tag) * _TAG_ADVANCE_EM))
    line_mm = _LINE_PT / _PT_PER_MM * _LINE_HEIGHT
    block = tag_mm + (_LINE_SPACE_MM + line_mm * len(label.lines) if label.lines else 0)
    y = max(_EDGE_MM, (height - block) / 2)

    qr_uri = qr_code(label.url).svg_data_uri(border=_QR_QUIET_ZONE_MODULES, omitsize=True)
    parts = [
        f'<img src="{html.escape(qr_uri)}" alt="" style="left:{_QR_EDGE_MM}mm;top:{qr_top:.2f}mm;'
        f'width:{qr_size:.2f}mm;height:{qr_size:.2f}mm">',
        f'<div class="tag" style="left:{text_left:.2f}mm;top:{y:.2f}mm;width:{text_width:.2f}mm;'
        f'font-size:{tag_mm:.2f}mm">{html.escape(label.asset_tag)}</div>',
    ]
    y += tag_mm + _LINE_SPACE_MM
    for line in label.lines:
        parts.append(
            f'<div class="line" style="left:{text_left:.2f}mm;top:{y:.2f}mm;width:{text_width:.2f}mm">'
            f"{html.escape(line)}</div>"
        )
        y += line_mm
    return (
        f'<div class="label" data-slot="{slot % sheet.per_sheet}" '
        f'style="left:{left:.2f}mm;top:{top:.2f}mm">{"".join(parts)}</div>\n'
    )


# --- ZPL for thermal printers -------------------------------------------------------------------------

_ZPL_HEX_ESCAPES = {"^": "_5E", "~": "_7E", "_": "_5F"}  # with ^FH_, "_" starts a hex escape
_ZPL_EDGE_MM = 1.5
_ZPL_QR_MAX_SHARE_OF_WIDTH = 0.4
_ZPL_TEXT_GAP_MM = 2.0
_ZPL_TAG_MAX_MM = 5.0
_ZPL_LINE_MM = 2.5
_ZPL_LINE_SPACE_MM = 1.0
# ^A0 is CG Triumvirate Bold Condensed, a proportional font, and a printer cannot be asked how wide a text
# is. These average advances per character, as a share of the font's width parameter, decide the tag's size
# and where lines are cut; in a ZPL renderer a tag of capitals and digits measured about 0.54, and mixed
# model names about 0.45, so lines keep some slack for wide letters.
_ZPL_TAG_ADVANCE = 0.55
_ZPL_LINE_ADVANCE = 0.5
_ZPL_MIN_MODULE_MM = 0.25  # below this, thermal-printed QR modules smear and scanners give up


def render_zpl(
    labels: Sequence[Label], *, width_mm: float = 50, height_mm: float = 25, dpi: int = 203
) -> str:
    """ZPL II for a Zebra (or ZPL-compatible) thermal printer, one `^XA ... ^XZ` format per label.

    The QR code sits on the left, as large as the label's height allows (magnification 1-10), with the
    asset tag in the scalable font ^A0 to its right and the text lines below the tag.

    Args:
        labels: What to print, in order.
        width_mm: Width of one label on the roll, in mm (sets ^PW, the print width).
        height_mm: Height of one label, in mm, excluding the gap between labels (sets ^LL, the label length).
        dpi: The printhead's resolution in dots per inch: 203 (8 dots/mm) on most desktop Zebras, 300
            (12 dots/mm) or 600 (24 dots/mm) on high-resolution heads. Sizes in mm become dots with it,
            so a wrong value prints everything too large or too small.

    Returns:
        The ZPL program. It selects UTF-8 (^CI28), so send it to the printer encoded as UTF-8. Field data
        goes through ^FH with "_" as the escape, so ^, ~ and _ in the data cannot end or corrupt a field.

    Raises:
        LabelError: No labels, a size or dpi that is not positive, or a URL whose QR code would be too
            dense to scan at this size and resolution.
    """
    if not labels:
        raise LabelError("There are no labels to print.")
    if width_mm <= 0 or height_mm <= 0:
        raise LabelError(f"Label size must be positive; got {width_mm} x {height_mm} mm.")
    if dpi <= 0:
        raise LabelError(f"dpi must be positive (usually 203, 300 or 600); got {dpi}.")
    return "".join(_zpl_label(label, width_mm=width_mm, height_mm=height_mm, dpi=dpi) for label in labels)


def zpl_escape(text: str) -> str:
    """Field data for a field preceded by `^FH_`: ^, ~ and _ become hex escapes, the rest stays as is."""
    return "".join(_ZPL_HEX_ESCAPES.get(ch, ch) for ch in text)


def _zpl_label(label: Label, *, width_mm: float, height_mm: float, dpi: int) -> str:
    def dots(mm: float) -> int:
        return round(mm * dpi / _MM_PER_INCH)

    width, height, edge = dots(width_mm), dots(height_mm), dots(_ZPL_EDGE_MM)
    modules = qr_code(label.url).symbol_size(border=0)[0]
    magnification = min(10, int(min(height - 2 * edge, width * _ZPL_QR_MAX_SHARE_OF_WIDTH)) // modules)
    if magnification < 1 or magnification * _MM_PER_INCH / dpi < _ZPL_MIN_MODULE_MM:
        raise LabelError(
            f"Label {label.asset_tag}: its QR code ({modules} modules) does not fit a {width_mm} x {height_mm} mm "
            f"label at {dpi} dpi; use a larger label or a shorter URL."
        )
    qr_size = magnification * modules
    qr_top = (height - qr_size) // 2
    # ^BQ prints no quiet zone of its own: keep the 4 modules the standard asks for where the label allows.
    qr_left = min(qr_top, max(edge, _QR_QUIET_ZONE_MODULES * magnification))
    text_x = qr_left + qr_size + dots(_ZPL_TEXT_GAP_MM)
    text_width = width - text_x - edge

    tag_height = min(dots(_ZPL_TAG_MAX_MM), int(text_width / (len(label.asset_tag) * _ZPL_TAG_ADVANCE)))
    line_height = dots(_ZPL_LINE_MM)
    line_space = dots(_ZPL_LINE_SPACE_MM)
    line_budget = max(1, int(text_width / (line_height * _ZPL_LINE_ADVANCE)))
    block = tag_height + sum(line_space + line_height for _ in label.lines)
    y = max(edge, (height - block) // 2)

    commands = [
        "^XA",
        "^CI28",
        f"^PW{width}",
        f"^LL{height}",
        "^LH0,0",
        # ^FD for ^BQ is "<error correction><input mode>,<data>": M as in the PDF, A for automatic.
        f"^FO{qr_left},{qr_top}^BQN,2,{magnification}^FH_^FD{QR_ERROR.upper()}A,{zpl_escape(label.url)}^FS",
        f"^FO{text_x},{y}^A0N,{tag_height},{tag_height}^FH_^FD{zpl_escape(label.asset_tag)}^FS",
    ]
    y += tag_height
    for line in label.lines:
        y += line_space
        # "..." rather than "…": a printer's resident font may lack the ellipsis glyph; every font has dots.
        text = _truncate(line, line_budget, ellipsis="...")
        commands.append(f"^FO{text_x},{y}^A0N,{line_height},{line_height}^FH_^FD{zpl_escape(text)}^FS")
        y += line_height
    commands.append("^XZ")
    return "\n".join(commands) + "\n"


# --- text ---------------------------------------------------------------------------------------------


def _one_line(text: str) -> str:
    """Printable characters only, with runs of whitespace (newlines included) collapsed to one space."""
    return " ".join("".join(ch if ch.isprintable() else " " for ch in str(text)).split())


def _truncate(text: str, limit: int, *, ellipsis: str = ELLIPSIS) -> str:
    """`text` cut to at most `limit` characters, ending in `ellipsis` when anything was cut."""
    if len(text) <= limit:
        return text
    return text[: max(0, limit - len(ellipsis))].rstrip() + ellipsis
