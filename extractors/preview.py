"""A small picture of a page with the marks that were found outlined, and a red
banner naming what was not found: the evidence a reviewer looks at."""
from __future__ import annotations

import io

import numpy as np
from PIL import Image, ImageDraw, ImageFont

SEAL_COLOUR = (128, 0, 200)
SIGNATURE_COLOUR = (0, 90, 220)
MISSING_COLOUR = (210, 30, 30)


def _font(size: int) -> ImageFont.ImageFont:
    try:
        return ImageFont.truetype("DejaVuSans-Bold.ttf", size)
    except OSError:  # fonts-dejavu is installed by set-up; a bare machine still gets a preview
        return ImageFont.load_default()


def render_preview(image: np.ndarray, px_per_pt: float, seal, signature) -> bytes:
    """PNG bytes. `seal` and `signature` have .present and .bbox (points)."""
    img = Image.fromarray(image).convert("RGB")
    d = ImageDraw.Draw(img)
    width = max(2, img.width // 300)
    for mark, colour, label in ((seal, SEAL_COLOUR, "печать / мөр / seal"), (signature, SIGNATURE_COLOUR, "подпись / қолы / signature")):
        if mark.present and mark.bbox:
            x0, y0, x1, y1 = (v * px_per_pt for v in mark.bbox)
            d.rectangle((x0 - 3, y0 - 3, x1 + 3, y1 + 3), outline=colour, width=width)
            d.text((x0, max(0, y0 - 16)), label, fill=colour, font=_font(12))
    missing = [text for mark, text in ((signature, "НЕТ ПОДПИСИ / ҚОЛЫ ЖОҚ / NO SIGNATURE"), (seal, "НЕТ ПЕЧАТИ / МӨРІ ЖОҚ / NO SEAL"))
               if not mark.present]
    if missing:
        d.rectangle((0, 0, img.width, 22 * len(missing) + 6), fill=MISSING_COLOUR)
        for i, text in enumerate(missing):
            d.text((8, 4 + 22 * i), text, fill=(255, 255, 255), font=_font(16))
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=False)
    return buf.getvalue()
