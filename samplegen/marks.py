"""Ink marks and their look-alikes, drawn as RGBA images at 300 dpi.

Seals: round, oval or rectangular stamps in blue or violet ink with text
around the rim, uneven inking. Signatures: smooth handwritten strokes.
Distractors: round colour logos, QR codes, barcodes, printed "true copy" boxes.
"""
from __future__ import annotations

import math
import random

import numpy as np
import qrcode
from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
SEAL_INKS = [(40, 60, 170), (60, 50, 160), (90, 40, 150), (30, 80, 190), (70, 70, 140)]
SIGN_INKS = [(20, 30, 120), (15, 15, 20), (30, 50, 150), (10, 10, 60)]


def _ink_texture(img: Image.Image, rng: random.Random, strength: float) -> Image.Image:
    """Uneven stamp pressure: fade parts of the alpha channel."""
    a = np.asarray(img.getchannel("A")).astype(np.float32)
    h, w = a.shape
    gen = np.random.default_rng(rng.randrange(1 << 30))
    noise = gen.random((max(2, h // 40), max(2, w // 40))).astype(np.float32)
    noise = np.asarray(Image.fromarray((noise * 255).astype(np.uint8)).resize((w, h), Image.BILINEAR)) / 255.0
    speckle = gen.random((h, w)) > strength * 0.35
    a = a * (1 - strength + strength * noise) * speckle
    img.putalpha(Image.fromarray(np.clip(a, 0, 255).astype(np.uint8)))
    return img


def seal(rng: random.Random, text: str, inner: str, shape: str | None = None, px: int | None = None) -> Image.Image:
    shape = shape or rng.choice(["round", "round", "round", "oval", "rect"])
    px = px or rng.randint(420, 520)  # ~36-44 mm at 300 dpi
    w, h = (px, px) if shape == "round" else (int(px * 1.35), int(px * 0.85)) if shape == "oval" else (int(px * 1.4), int(px * 0.7))
    ink = rng.choice(SEAL_INKS) + (255,)
    img = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    lw = max(5, px // 60)
    if shape == "rect":
        d.rectangle([lw, lw, w - lw, h - lw], outline=ink, width=lw)
        d.rectangle([lw * 4, lw * 4, w - lw * 4, h - lw * 4], outline=ink, width=max(2, lw // 2))
        f = ImageFont.truetype(FONT, max(18, h // 9))
        for i, line in enumerate([text[:28], inner.replace("\n", " "), text[28:56]]):
            if line:
                tw = d.textlength(line, font=f)
                d.text(((w - tw) / 2, h * (0.22 + 0.22 * i)), line, fill=ink, font=f)
    else:
        d.ellipse([lw, lw, w - lw, h - lw], outline=ink, width=lw)
        d.ellipse([px // 7, px // 7, w - px // 7, h - px // 7], outline=ink, width=max(2, lw // 2))
        f = ImageFont.truetype(FONT, max(16, px // 15))
        # text along the rim, letter by letter
        rim = f" {text} * "
        cx, cy = w / 2, h / 2
        rx, ry = w / 2 - px / 11, h / 2 - px / 11
        n = len(rim)
        for i, ch in enumerate(rim):
            ang = 2 * math.pi * i / n - math.pi / 2
            x, y = cx + rx * math.cos(ang), cy + ry * math.sin(ang)
            glyph = Image.new("RGBA", (px // 8, px // 8), (0, 0, 0, 0))
            ImageDraw.Draw(glyph).text((px // 32, 0), ch, fill=ink, font=f)
            glyph = glyph.rotate(-math.degrees(ang) - 90, resample=Image.BICUBIC)
            img.alpha_composite(glyph, (int(x - glyph.width / 2), int(y - glyph.height / 2)))
        f2 = ImageFont.truetype(FONT, max(16, px // 13))
        for i, line in enumerate(inner.split("\n")):
            tw = d.textlength(line, font=f2)
            d.text(((w - tw) / 2, h / 2 - px // 12 + i * px // 10), line, fill=ink, font=f2)
        # a small star or emblem
        r = px // 18
        pts = [(cx + r * math.cos(a) * (1 if k % 2 == 0 else 0.45), cy - px // 5 + r * math.sin(a) * (1 if k % 2 == 0 else 0.45))
               for k, a in enumerate(np.linspace(-math.pi / 2, 3.5 * math.pi / 2, 11)[:10])]
        d.polygon(pts, fill=ink)
    img = img.rotate(rng.uniform(-25, 25), expand=True, resample=Image.BICUBIC)
    img = _ink_texture(img, rng, rng.uniform(0.15, 0.55))
    alpha = rng.uniform(0.55, 0.9)
    img.putalpha(img.getchannel("A").point(lambda v: int(v * alpha)))
    return img


def signature(rng: random.Random, px: int | None = None) -> Image.Image:
    """A handwritten-looking scrawl: a few smooth strokes with loops, varying pressure."""
    w = px or rng.randint(520, 800)
    h = int(w * rng.uniform(0.3, 0.45))
    ink = rng.choice(SIGN_INKS)
    scale = 3
    img = Image.new("RGBA", (w * scale, h * scale), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    strokes = rng.randint(1, 3)
    x = w * 0.05
    for s in range(strokes):
        n = rng.randint(5, 10)
        seg_w = w * rng.uniform(0.25, 0.5)
        ctrl = []
        for k in range(n):
            cx = x + seg_w * k / (n - 1) + rng.uniform(-15, 15)
            cy = h * (0.5 + rng.uniform(-0.42, 0.42)) * (1 if k % 2 else 0.8)
            ctrl.append((cx, cy))
        # Catmull-Rom through the control points, with loops from alternating overshoot
        pts = []
        ctrl = [ctrl[0]] + ctrl + [ctrl[-1]]
        for i in range(1, len(ctrl) - 2):
            p0, p1, p2, p3 = ctrl[i - 1], ctrl[i], ctrl[i + 1], ctrl[i + 2]
            for t in np.linspace(0, 1, 24):
                t2, t3 = t * t, t * t * t
                px_ = 0.5 * ((2 * p1[0]) + (-p0[0] + p2[0]) * t + (2 * p0[0] - 5 * p1[0] + 4 * p2[0] - p3[0]) * t2 + (-p0[0] + 3 * p1[0] - 3 * p2[0] + p3[0]) * t3)
                py_ = 0.5 * ((2 * p1[1]) + (-p0[1] + p2[1]) * t + (2 * p0[1] - 5 * p1[1] + 4 * p2[1] - p3[1]) * t2 + (-p0[1] + 3 * p1[1] - 3 * p2[1] + p3[1]) * t3)
                pts.append((px_, py_))
        base = rng.uniform(3.0, 5.5)
        for i in range(len(pts) - 1):
            width = base * (0.6 + 0.6 * abs(math.sin(i / 9.0)))
            a, b = pts[i], pts[i + 1]
            d.line([(a[0] * scale, a[1] * scale), (b[0] * scale, b[1] * scale)], fill=ink + (255,), width=max(1, int(width * scale)))
        x += seg_w * rng.uniform(0.7, 1.0)
    if rng.random() < 0.6:  # a final flourish underline
        y = h * rng.uniform(0.7, 0.9)
        d.line([(w * 0.1 * scale, y * scale), (min(x, w * 0.95) * scale, (y - rng.uniform(-12, 12)) * scale)], fill=ink + (255,), width=int(2.5 * scale))
    img = img.resize((w, h), Image.LANCZOS).filter(ImageFilter.GaussianBlur(0.4))
    return img.rotate(rng.uniform(-8, 8), expand=True, resample=Image.BICUBIC)


def logo(rng: random.Random, initials: str, px: int = 190) -> Image.Image:
    """A round colour letterhead logo: the classic seal look-alike."""
    img = Image.new("RGBA", (px, px), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    col = rng.choice([(20, 70, 160), (0, 110, 170), (150, 30, 40), (30, 120, 60), (80, 40, 140)]) + (255,)
    d.ellipse([2, 2, px - 2, px - 2], fill=col)
    d.ellipse([px // 9, px // 9, px - px // 9, px - px // 9], outline=(255, 255, 255, 255), width=max(3, px // 40))
    f = ImageFont.truetype(FONT, px // 3)
    tw = d.textlength(initials, font=f)
    d.text(((px - tw) / 2, px / 2 - px / 5), initials, fill=(255, 255, 255, 255), font=f)
    return img


def qr(rng: random.Random, payload: str, px: int = 230) -> Image.Image:
    q = qrcode.QRCode(border=1, box_size=6)
    q.add_data(payload)
    im = q.make_image(fill_color="black", back_color="white").convert("RGBA").resize((px, px), Image.NEAREST)
    a = np.asarray(im).copy()
    white = (a[..., 0] > 128)
    a[white, 3] = 0
    return Image.fromarray(a)


def barcode(rng: random.Random, w: int = 520, h: int = 110) -> Image.Image:
    img = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    x = 6
    while x < w - 10:
        bw = rng.choice([2, 3, 4, 6])
        if rng.random() < 0.55:
            d.rectangle([x, 0, x + bw - 1, h - 1], fill=(0, 0, 0, 255))
        x += bw
    return img


def true_copy_box(rng: random.Random, lang: str) -> Image.Image:
    text = {"ru": "КОПИЯ ВЕРНА", "kk": "КӨШІРМЕСІ ДҰРЫС", "en": "TRUE COPY"}[lang]
    f = ImageFont.truetype(FONT, 34)
    probe = ImageDraw.Draw(Image.new("RGBA", (10, 10)))
    tw = int(probe.textlength(text, font=f))
    img = Image.new("RGBA", (tw + 40, 70), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.rectangle([2, 2, tw + 37, 67], outline=(0, 0, 0, 255), width=4)
    d.text((20, 14), text, fill=(0, 0, 0, 255), font=f)
    return img
