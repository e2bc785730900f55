"""Page images for the review screen: the stored page as it was scanned (boxes are in that page's
points), rendered once to a PNG of a fixed width and cached under `<home>/previews/`."""
from __future__ import annotations

import io
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageOps

from extractors.inputs import sniff
from flows.files import write_atomic

PREVIEW_WIDTH_PX = 1100


def render_page_png(path: Path, index: int, width_px: int = PREVIEW_WIDTH_PX) -> bytes:
    """Page `index` (0-based) of a PDF, TIFF, PNG or JPEG as a PNG `width_px` wide."""
    with open(path, "rb") as f:
        kind = sniff(f.read(2048))
    if kind == "pdf":
        pdf = pdfium.PdfDocument(str(path))
        try:
            page = pdf[index]
            w_pt, _ = page.get_size()
            image = page.render(scale=width_px / w_pt, draw_annots=True).to_pil()
            page.close()
        finally:
            pdf.close()
    else:
        with Image.open(path) as im:
            im.seek(index)
            im.load()
            # As the extractors read it (extractors.raster.image_page): EXIF orientation on the first frame.
            frame = ImageOps.exif_transpose(im) if index == 0 else im.copy()
        image = frame.convert("L" if frame.mode in ("1", "L", "I;16", "I", "F") else "RGB")
        image = image.resize((width_px, max(1, round(image.height * width_px / image.width))), Image.LANCZOS)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False, compress_level=3)
    return out.getvalue()


def cached_page_png(home: Path, archive_path: Path, sha256: str, number: int) -> Path:
    """The cached preview of page `number` (1-based), rendered on first request."""
    target = home / "previews" / f"{sha256}-{number:04d}.png"
    if not target.exists():
        write_atomic(target, render_page_png(archive_path, number - 1))
    return target
