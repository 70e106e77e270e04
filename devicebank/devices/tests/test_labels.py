from __future__ import annotations

import html
import re
import zlib
from urllib.parse import unquote

import pytest
import segno

from devicebank.devices.labels import (
    LAYOUTS,
    MAX_ASSET_TAG_LENGTH,
    MAX_LINE_LENGTH,
    MAX_URL_LENGTH,
    Label,
    LabelError,
    render_sheet_html,
    render_sheet_pdf,
    render_zpl,
)

URL = "https://devices.example.org/devices/NBT-000042/"


def make_labels(count: int) -> list[Label]:
    return [
        Label(
            f"NBT-{n:06d}",
            f"https://devices.example.org/devices/NBT-{n:06d}/",
            ("Dell Latitude 5490", f"SN 5CG8{n:04d}ABC"),
        )
        for n in range(1, count + 1)
    ]


def pdf_page_count(pdf: bytes) -> int:
    """Pages in a PDF, looking inside the compressed object streams WeasyPrint writes them to."""
    chunks = [pdf]
    for stream in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.DOTALL):
        try:
            chunks.append(zlib.decompress(stream.group(1)))
        except zlib.error:  # fonts and other binary streams that are not deflated
            continue
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", b"\n".join(chunks)))


def label_boxes(markup: str) -> list[tuple[int, float, float]]:
    """(slot, left mm, top mm) of every label in the sheet HTML, in document order."""
    found = re.findall(r'class="label" data-slot="(\d+)" style="left:([\d.]+)mm;top:([\d.]+)mm"', markup)
    return [(int(slot), float(left), float(top)) for slot, left, top in found]


def embedded_qr_modules(markup: str) -> set[tuple[int, int]]:
    """Dark modules (row, column) of the first QR image in the sheet HTML, read back from its SVG path."""
    src = html.unescape(re.search(r'<img src="([^"]+)"', markup).group(1))
    assert src.startswith("data:image/svg+xml")
    svg = unquote(src.split(",", 1)[1])
    path = re.search(r"\bd='([^']+)'", svg).group(1)
    dark: set[tuple[int, int]] = set()
    x = y = 0.0
    for command, first, second in re.findall(r"([Mmh])(-?[\d.]+)(?:\s(-?[\d.]+))?", path):
        if command == "M":
            x, y = float(first), float(second)
        elif command == "m":
            x, y = x + float(first), y + float(second)
        else:  # "h": a run of dark modules along the row
            dark.update((int(y), int(x) + i) for i in range(int(float(first))))
            x += float(first)
    return dark


# --- Label ---------------------------------------------------------------------------------------


def test_a_label_collapses_whitespace_and_drops_empty_lines() -> None:
    label = Label("  NBT-000042 ", f" {URL} ", ("Dell\n Latitude   5490", "", "  "))

    assert label == Label("NBT-000042", URL, ("Dell Latitude 5490",))


def test_a_long_line_is_truncated_with_an_ellipsis() -> None:
    label = Label("NBT-000042", URL, ("x" * (MAX_LINE_LENGTH + 10),))

    assert len(label.lines[0]) == MAX_LINE_LENGTH
    assert label.lines[0].endswith("…")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"asset_tag": " "}, "needs an asset tag"),
        ({"asset_tag": "N" * (MAX_ASSET_TAG_LENGTH + 1)}, f"at most {MAX_ASSET_TAG_LENGTH}"),
        ({"url": ""}, "needs a URL"),
        ({"url": "https://e.org/" + "d" * MAX_URL_LENGTH}, f"at most {MAX_URL_LENGTH}"),
        ({"url": "devices/NBT-000042/"}, "not an absolute http(s) URL"),
        ({"url": "https://e.org/a b/"}, "not an absolute http(s) URL"),
        ({"lines": ("one", "two", "three")}, "at most 2 fit"),
        ({"lines": "Dell Latitude 5490"}, "not one string"),
    ],
)
def test_a_label_with_bad_input_is_refused_with_a_clear_message(
    kwargs: dict[str, object], message: str
) -> None:
    fields: dict[str, object] = {"asset_tag": "NBT-000042", "url": URL, "lines": ()} | kwargs

    with pytest.raises(LabelError, match=re.escape(message)):
        Label(**fields)  # type: ignore[arg-type]


# --- PDF sheets ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("count", "pages"), [(1, 1), (21, 1), (22, 2), (50, 3)])
def test_a_sheet_pdf_has_a_page_for_every_21_labels(count: int, pages: int) -> None:
    pdf = render_sheet_pdf(make_labels(count), layout="a4-21")

    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")
    assert pdf_page_count(pdf) == pages


def test_skip_leaves_the_first_positions_of_the_first_sheet_empty() -> None:
    labels = make_labels(3)
    sheet = LAYOUTS["a4-21"]

    boxes = label_boxes(render_sheet_html(labels, layout="a4-21", skip=19))

    assert [slot for slot, _, _ in boxes] == [19, 20, 0]
    for (_, left, top), slot in zip(boxes, [19, 20, 0], strict=True):
        assert (left, top) == pytest.approx(sheet.position_mm(slot), abs=0.01)
    assert pdf_page_count(render_sheet_pdf(labels, layout="a4-21", skip=19)) == 2


def test_labels_fill_the_sheet_row_by_row_from_the_top_left() -> None:
    boxes = label_boxes(render_sheet_html(make_labels(24), layout="a4-24"))

    assert boxes[0][1:] == pytest.approx((7.25, 12.9))
    assert boxes[1][1:] == pytest.approx((7.25 + 66.04, 12.9))
    assert boxes[3][1:] == pytest.approx((7.25, 12.9 + 33.9))
    assert boxes[23][1:] == pytest.approx((7.25 + 2 * 66.04, 12.9 + 7 * 33.9), abs=0.01)


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_every_layout_is_centred_on_its_page_as_the_die_cuts_are(name: str) -> None:
    sheet = LAYOUTS[name]
    grid_width = sheet.columns * sheet.label_width_mm + (sheet.columns - 1) * sheet.gap_x_mm
    grid_height = sheet.rows * sheet.label_height_mm + (sheet.rows - 1) * sheet.gap_y_mm

    assert sheet.page_width_mm - grid_width - sheet.margin_left_mm == pytest.approx(
        sheet.margin_left_mm, abs=0.1
    )
    assert sheet.page_height_mm - grid_height - sheet.margin_top_mm == pytest.approx(
        sheet.margin_top_mm, abs=0.1
    )


def test_the_qr_code_on_the_sheet_is_segnos_level_m_symbol_for_the_url() -> None:
    markup = render_sheet_html([Label("NBT-000042", URL)])
    expected = segno.make(URL, error="m", boost_error=False, micro=False)
    border = 4  # the quiet zone is part of the image

    dark = embedded_qr_modules(markup)

    assert {(row - border, column - border) for row, column in dark} == {
        (row, column) for row, bits in enumerate(expected.matrix) for column, bit in enumerate(bits) if bit
    }


def test_the_sheet_loads_nothing_from_outside_and_escapes_label_text() -> None:
    label = Label("NBT-<b>", URL, ('<img src="https://evil.example/x.png">',))

    markup = render_sheet_html([label])

    assert all(src.startswith("data:") for src in re.findall(r'\b(?:src|href)="([^"]*)"', markup))
    assert "<b>" not in markup
    assert "&lt;img src=&quot;https://evil.example/x.png&quot;&gt;" in markup


def test_an_unknown_layout_is_refused_naming_the_known_ones() -> None:
    with pytest.raises(LabelError, match=r"Unknown label layout 'letter-30'; use one of: a4-21, a4-24\."):
        render_sheet_pdf(make_labels(1), layout="letter-30")


def test_an_empty_label_list_is_refused() -> None:
    with pytest.raises(LabelError, match="no labels"):
        render_sheet_pdf([])


@pytest.mark.parametrize(("layout", "skip"), [("a4-21", -1), ("a4-21", 21), ("a4-24", 24)])
def test_skip_outside_the_sheet_is_refused(layout: str, skip: int) -> None:
    last = LAYOUTS[layout].per_sheet - 1

    with pytest.raises(LabelError, match=rf"skip must be from 0 to {last} for layout '{layout}'.*got {skip}"):
        render_sheet_pdf(make_labels(1), layout=layout, skip=skip)


# --- ZPL -----------------------------------------------------------------------------------------


def test_zpl_has_one_format_per_label() -> None:
    zpl = render_zpl(make_labels(3))

    assert zpl.count("^XA") == zpl.count("^XZ") == 3
    assert re.fullmatch(r"(\^XA\n(?:(?!\^X[AZ]).*\n)*\^XZ\n){3}", zpl)


@pytest.mark.parametrize(
    ("width_mm", "height_mm", "dpi", "pw", "ll"),
    [(50, 25, 203, 400, 200), (50, 25, 300, 591, 295), (100, 50, 203, 799, 400), (57, 32, 600, 1346, 756)],
)
def test_zpl_print_width_and_length_are_the_label_size_in_dots(
    width_mm: float, height_mm: float, dpi: int, pw: int, ll: int
) -> None:
    zpl = render_zpl(make_labels(1), width_mm=width_mm, height_mm=height_mm, dpi=dpi)

    assert f"^PW{pw}\n" in zpl
    assert f"^LL{ll}\n" in zpl


def test_zpl_qr_code_carries_the_url_at_error_correction_m() -> None:
    zpl = render_zpl([Label("NBT-000042", URL)])

    assert re.search(rf"\^BQN,2,([1-9]|10)\^FH_\^FDMA,{re.escape(URL)}\^FS", zpl)


def test_zpl_escapes_caret_tilde_and_underscore_in_field_data() -> None:
    label = Label("AB^C~D_E", "https://devices.example.org/devices/a_b~c/", ("50% ^off~ _now_",))

    zpl = render_zpl([label])

    assert "^FDAB_5EC_7ED_5FE^FS" in zpl
    assert "^FDMA,https://devices.example.org/devices/a_5Fb_7Ec/^FS" in zpl
    assert "^FD50% _5Eoff_7E _5Fnow_5F^FS" in zpl
    # Every field that carries data is read through ^FH, so no raw ^ or ~ can end a field early.
    assert zpl.count("^FD") == zpl.count("^FH_^FD") == 3


def test_zpl_keeps_non_ascii_text_and_selects_utf8() -> None:
    zpl = render_zpl([Label("NBT-000042", URL, ("Grüße aus Łódź", "東京"))])

    assert "\n^CI28\n" in zpl
    assert "^FDGrüße aus Łódź^FS" in zpl
    assert "^FD東京^FS" in zpl
    assert "Łódź".encode() in zpl.encode("utf-8")


def test_zpl_cuts_a_line_too_wide_for_the_label_with_dots() -> None:
    zpl = render_zpl([Label("NBT-000042", URL, ("Lenovo ThinkPad T480s 20L7S0XY00 grade A",))])

    line = re.search(r"\^A0N,\d+,\d+\^FH_\^FD(Lenovo[^^]*)\^FS", zpl).group(1)
    assert line.endswith("...")
    assert len(line) < len("Lenovo ThinkPad T480s 20L7S0XY00 grade A")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"width_mm": 0}, "size must be positive"),
        ({"height_mm": -5}, "size must be positive"),
        ({"dpi": 0}, "dpi must be positive"),
        ({"width_mm": 12, "height_mm": 6}, "does not fit a 12 x 6 mm label at 203 dpi"),
    ],
)
def test_zpl_refuses_sizes_it_cannot_print(kwargs: dict[str, float], message: str) -> None:
    with pytest.raises(LabelError, match=re.escape(message)):
        render_zpl(make_labels(1), **kwargs)  # type: ignore[arg-type]


def test_zpl_refuses_an_empty_label_list() -> None:
    with pytest.raises(LabelError, match="no labels"):
        render_zpl([])
