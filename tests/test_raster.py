"""Page rasters: a scanned page's pixels decoded as stored, other pages rendered."""
import io

import cv2
import numpy as np
import pikepdf
import pypdfium2 as pdfium
from PIL import Image, ImageDraw

from extractors import raster


def _scan_pdf(tmp_path, mode: str, overlay: bool = False):
    """A one-page PDF holding a 300 dpi scan, as img2pdf-like tools write it; with overlay,
    a line of text drawn over it (as an OCR'd or annotated scan has)."""
    img = Image.new("RGB", (2480, 3508), (250, 250, 246))
    d = ImageDraw.Draw(img)
    d.rectangle([300, 400, 2100, 700], outline=(20, 20, 20), width=8)
    d.ellipse([1500, 2600, 2000, 3100], outline=(40, 60, 170), width=12)
    img = img.convert(mode)
    buf = io.BytesIO()
    img.save(buf, "PDF", resolution=300)
    path = tmp_path / f"scan_{mode}_{overlay}.pdf"
    if overlay:
        pdf = pikepdf.open(io.BytesIO(buf.getvalue()))
        page = pdf.pages[0]
        page.contents_add(pdf.make_stream(b"0 0 0 rg 100 100 200 50 re f"))
        pdf.save(path)
    else:
        path.write_bytes(buf.getvalue())
    return path


def test_a_scanned_page_is_decoded_as_stored_and_matches_its_render(tmp_path):
    for mode in ("RGB", "L", "1"):
        path = _scan_pdf(tmp_path, mode)
        doc, pike = pdfium.PdfDocument(str(path)), pikepdf.open(path)
        page = doc[0]
        assert raster._scan_raster(page, pike.pages[0], *page.get_size()) is not None, mode  # the decode path is taken
        decoded = raster.pdf_page(doc, 0, None, 300, pike)
        rendered = raster.pdf_page(doc, 0, None, 300)
        assert decoded.gray.shape == (3508, 2480)  # the scan's own pixels
        assert abs(rendered.gray.shape[1] - 2480) <= 1 and abs(rendered.gray.shape[0] - 3508) <= 1  # pdfium rounds
        assert abs(decoded.px_per_pt - rendered.px_per_pt) < 1e-3
        # The render resamples by a pixel (and so smooths a dithered 1-bit scan's edges): compared
        # at an eighth of the size, the two are the same page.
        small = [cv2.resize(r.gray, (310, 438), interpolation=cv2.INTER_AREA).astype(int) for r in (decoded, rendered)]
        assert np.abs(small[0] - small[1]).mean() < 2, mode
        assert abs(decoded.marks_image.shape[0] - rendered.marks_image.shape[0]) <= 1
        assert decoded.colour == {"RGB": "colour", "L": "grayscale", "1": "bitonal"}[mode]


def test_a_page_with_more_than_its_scan_is_rendered(tmp_path):
    path = _scan_pdf(tmp_path, "L", overlay=True)
    doc, pike = pdfium.PdfDocument(str(path)), pikepdf.open(path)
    page = doc[0]
    assert raster._scan_raster(page, pike.pages[0], *page.get_size()) is None
    r = raster.pdf_page(doc, 0, None, 300, pike)
    k = 300 / 72
    assert r.gray[int(3508 - 125 * k), int(200 * k)] < 50  # the box drawn at (100, 100)-(300, 150) pt: the page was rendered


SPECKS = [(int(1800 + 300 * np.cos(t)), int(2800 + 300 * np.sin(t))) for t in np.linspace(0, 2 * np.pi, 470, endpoint=False)]


def _specks_page() -> Image.Image:
    """A bitonal 300 dpi page with a ring of single black pixels 4 px apart (a worn stamp)."""
    img = Image.new("1", (2480, 3508), 1)
    px = img.load()
    for x, y in SPECKS:
        px[x, y] = 0
    return img


def test_a_bitonal_scans_single_pixel_specks_stay_ink_in_the_marks_raster(tmp_path):
    """The marks raster is 100 dpi. An area average makes a lone black pixel of a 300 dpi
    bitonal scan 227 of 255, paper to any ink threshold; each pixel keeps its block's darkest."""
    tif = tmp_path / "specks.tif"
    _specks_page().save(tif, dpi=(300, 300), compression="group4")
    pdf = tmp_path / "specks.pdf"
    _specks_page().save(pdf, "PDF", resolution=300)
    for r in (raster.image_page(tif, 0), raster.pdf_page(pdfium.PdfDocument(str(pdf)), 0, None, 300,
                                                         pikepdf.open(pdf))):
        assert r.colour == "bitonal"
        small = r.marks_image if r.marks_image.ndim == 2 else r.marks_image[..., 0]
        kept = [small[y // 3 - 1:y // 3 + 2, x // 3 - 1:x // 3 + 2].min() < 175 for x, y in SPECKS]
        assert float(np.mean(kept)) > 0.95, "the ring's specks were averaged away"
        ring = np.zeros(small.shape, np.uint8)
        cv2.circle(ring, (600, 933), 100, 1, 5)
        assert int((small < 175).sum()) == int((small[ring > 0] < 175).sum()), "ink where the page has none"
