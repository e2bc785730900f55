"""Build sample files (PDF, TIFF, JPEG, PNG) with their ground truth.

    python -m samplegen --out sample_docs --seed 2025 --count 20
    python -m samplegen --out /tmp/bench_set --seed 7 --count 60 --profile bench

The truth (`<name>.truth.json`, in the extraction contract's shape) is written
from the generator's own inputs: values as the content records hold them,
boxes where the layouter drew them, mapped through the scan's geometry.
"""
from __future__ import annotations

import hashlib
import io
import random
import zlib
from dataclasses import dataclass, field

import numpy as np
import pikepdf
from PIL import Image
from reportlab.lib.utils import ImageReader

from models.extraction import Document, DocumentFields, ExtractionResult, Found, GoodsLine, Mark, PageResult
from samplegen import marks as M
from samplegen.content import Contract, Guarantee, random_contract, random_guarantee
from samplegen.documents import contract_blocks, guarantee_blocks
from samplegen.layout import PAGE_H, PAGE_W, Style, render
from samplegen.scan import SEAL_FAINT_BELOW, SEAL_LOST_BELOW, ScanLook, ScanSettings, ink_on_scan, rasterise_pdf_page, scan_page, transform_box

FORMATS = ["image_pdf", "born_pdf", "mixed_pdf", "tiff", "jpeg", "png"]
MARK_DPI = 300


@dataclass
class DocPlan:
    doc_type: str  # contract | end_use_guarantee
    language: str
    layout: str


@dataclass
class FilePlan:
    name: str
    fmt: str
    docs: list[DocPlan]
    colour: str = "grayscale"
    dpi: int = 200
    certify_rate: float = 0.8
    has_seal: bool = True
    distractors: bool = True
    degrade: str = "normal"  # clean | normal | heavy


@dataclass
class PageTruth:
    seal: tuple | None = None
    seal_darkness: np.ndarray | None = None  # grey levels the stamp takes off white paper, in its box
    signature: tuple | None = None
    colour: str | None = None
    text_source: str = "ocr"
    rotation: int = 0


@dataclass
class BuiltDoc:
    doc_type: str
    language: str
    pdf: bytes
    page_count: int
    fields: dict
    goods: list[dict]
    boxes: dict
    pages: list[PageTruth] = field(default_factory=list)


def _alpha_bbox(img: Image.Image) -> tuple[int, int, int, int]:
    a = np.asarray(img.getchannel("A"))
    ys, xs = np.nonzero(a > 40)
    if len(xs) == 0:
        return (0, 0, img.width, img.height)
    return (int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1)


def _darkness(img: Image.Image) -> np.ndarray:
    """How many grey levels an RGBA mark takes off white paper, per pixel of its inked box."""
    x0, y0, x1, y1 = _alpha_bbox(img)
    a = np.asarray(img.getchannel("A"), dtype=np.float32)[y0:y1, x0:x1] / 255
    grey = np.asarray(img.convert("RGB").convert("L"), dtype=np.float32)[y0:y1, x0:x1]
    return (a * (255 - grey)).astype(np.uint8)


def _place(c, img: Image.Image, x_pt: float, top_pt: float) -> tuple[float, float, float, float]:
    """Draw an RGBA mark at (x, top) in points; returns the inked box in points (top-left origin)."""
    w_pt, h_pt = img.width * 72 / MARK_DPI, img.height * 72 / MARK_DPI
    c.drawImage(ImageReader(img), x_pt, PAGE_H - top_pt - h_pt, width=w_pt, height=h_pt, mask="auto")
    ax0, ay0, ax1, ay1 = _alpha_bbox(img)
    k = 72 / MARK_DPI
    return (x_pt + ax0 * k, top_pt + ay0 * k, x_pt + ax1 * k, top_pt + ay1 * k)


def _truth_fields(doc_type: str, content) -> tuple[dict, list[dict]]:
    if doc_type == "contract":
        c: Contract = content
        f = {
            "contract_number": c.number, "contract_date": c.date.isoformat(),
            "seller_name": c.seller_name, "buyer_name": c.buyer[1],
            "sender_country": c.sender_country, "recipient_country": c.recipient_country,
            "end_user_name": c.end_user_name, "end_user_address": c.end_user_address,
            "currency": c.currency, "total_value": f"{c.total:.2f}",
        }
        if c.valid_until:
            f["contract_valid_until"] = c.valid_until.isoformat()
        goods = c.goods
        with_value = True
    else:
        g: Guarantee = content
        c = g.contract
        f = {
            "guarantee_number": g.number, "guarantee_date": g.date.isoformat(),
            "issuing_authority": g.authority, "issuing_country": g.country,
            "end_user_name": g.end_user_name, "contract_number": c.number,
            "contract_date": c.date.isoformat(), "declared_end_use": g.purpose,
            "end_use_commitment": g.end_use_commitment, "no_reexport_commitment": g.no_reexport_commitment,
        }
        if g.valid_until:
            f["guarantee_valid_until"] = g.valid_until.isoformat()
        goods = c.goods if g.list_goods else []
        with_value = False
    lines = []
    for gl in goods:
        line = {"name": gl.name(content.language), "tnved_code": gl.tnved_code, "control_list_code": gl.control_code,
                "unit_code": gl.unit_code, "quantity": format(gl.quantity.normalize(), "f")}
        if with_value:
            line["value"] = f"{gl.value:.2f}"
        lines.append(line)
    return f, lines


def build_document(rng: random.Random, plan: DocPlan, contract: Contract | None, fp: FilePlan, applicant_lang: str):
    if plan.doc_type == "contract":
        content = contract or random_contract(rng, plan.language)
        blocks = contract_blocks(rng, content, plan.layout)
    else:
        base = contract or random_contract(rng, plan.language)
        content = random_guarantee(rng, plan.language, base)
        content.end_use_commitment = rng.random() > 0.08
        content.no_reexport_commitment = rng.random() > 0.08
        blocks = guarantee_blocks(rng, content, plan.layout)
    style = Style(family=rng.choice(["DejaVuSerif", "NotoSerif", "LiberationSerif", "DejaVuSans", "NotoSans", "LiberationSans"]))
    first = render(blocks, style)
    # Decide the marks of each page, then render again with them drawn on.
    page_marks: dict[int, dict] = {}
    for p in range(1, first.page_count + 1):
        r = rng.random()
        certified = r < fp.certify_rate
        sign = certified or r < fp.certify_rate + (1 - fp.certify_rate) * 0.35
        seal = fp.has_seal and (certified or (not sign and rng.random() < 0.4))
        page_marks[p] = {"sign": sign, "seal": seal, "seed": rng.randrange(1 << 30),
                         "logo": fp.distractors and p == 1 and plan.doc_type == "end_use_guarantee" and rng.random() < 0.7,
                         "qr": fp.distractors and rng.random() < 0.2, "barcode": fp.distractors and rng.random() < 0.1,
                         "copybox": fp.distractors and rng.random() < 0.3}
    truths: dict[int, PageTruth] = {}

    def overlay(c, page_no: int) -> None:
        pm = page_marks[page_no]
        prng = random.Random(pm["seed"])
        t = PageTruth()
        base_top = min(max(first.bottom_y.get(page_no, 600) + 6, 560), PAGE_H - 120)
        if pm["logo"]:
            _place(c, M.logo(prng, prng.choice(["MD", "GOV", "ST", "MFA"])), 62, 14)
        if pm["qr"]:
            _place(c, M.qr(prng, f"doc:{prng.randrange(10**9)}"), PAGE_W - 110, PAGE_H - 80)
        if pm["barcode"]:
            _place(c, M.barcode(prng), 60, PAGE_H - 45)
        if pm["copybox"]:
            _place(c, M.true_copy_box(prng, applicant_lang), 70, base_top + 20)
        sx = prng.uniform(300, 420)
        if pm["sign"]:
            t.signature = _place(c, M.signature(prng), sx, base_top + prng.uniform(5, 35))
        if pm["seal"]:
            text = prng.choice(["«АЛЬФА ТЕХНОЛОДЖИС» ЖШС * ТОО «АЛЬФА ТЕХНОЛОДЖИС»", "КАСПИЙ ИНДАСТРИАЛ * АЛМАТЫ * ҚАЗАҚСТАН",
                                "СТЕПЬ ОПТИКС * ДАЛА ОПТИКС * АСТАНА", "СЕМЕЙ МАШЗАВОД * РЕСПУБЛИКА КАЗАХСТАН"])
            inner = prng.choice(["БСН 180340012345", "Для документов\nҚұжаттар үшін", "ALMATY"])
            img = M.seal(prng, text, inner)
            t.seal = _place(c, img, sx + prng.uniform(-90, 40), base_top + prng.uniform(-25, 20))
            t.seal_darkness = _darkness(img)
        truths[page_no] = t

    final = render(blocks, style, page_overlay=overlay)
    fields, goods = _truth_fields(plan.doc_type, content)
    return BuiltDoc(plan.doc_type, plan.language, final.pdf, final.page_count, fields, goods, final.boxes,
                    [truths[p] for p in range(1, final.page_count + 1)]), content


def _settings(rng: random.Random, fp: FilePlan) -> ScanSettings:
    heavy = fp.degrade == "heavy"
    clean = fp.degrade == "clean"
    turns = 0
    if not clean and rng.random() < (0.25 if heavy else 0.08):
        turns = rng.choice([1, 2, 2, 3])
    return ScanSettings(
        dpi=fp.dpi, colour=fp.colour, quarter_turns=turns,
        skew_deg=0.0 if clean else rng.uniform(-2.5, 2.5) if heavy else rng.uniform(-1.2, 1.2),
        noise=2.0 if clean else rng.uniform(6, 12) if heavy else rng.uniform(2, 6),
        blur=0.0 if clean else rng.uniform(0.6, 1.1) if heavy else rng.choice([0, 0, 0.5]),
        jpeg_quality=rng.randint(35, 55) if heavy else rng.randint(60, 85),
        fade=rng.uniform(0.15, 0.3) if heavy else 0.0,
    )


def _image_page_pdf(pdf: pikepdf.Pdf, img: Image.Image, dpi: int, quality: int) -> None:
    w_pt, h_pt = img.width * 72 / dpi, img.height * 72 / dpi
    if img.mode == "1":
        packed = np.packbits(~np.asarray(img, dtype=bool), axis=1)  # 1 = black with Decode [1 0]
        xobj = pikepdf.Stream(pdf, zlib.compress(packed.tobytes(), 9), Type=pikepdf.Name.XObject,
                              Subtype=pikepdf.Name.Image, Width=img.width, Height=img.height,
                              ColorSpace=pikepdf.Name.DeviceGray, BitsPerComponent=1, Filter=pikepdf.Name.FlateDecode,
                              Decode=pikepdf.Array([1, 0]))
    else:
        buf = io.BytesIO()
        img.save(buf, format="JPEG", quality=quality)
        xobj = pikepdf.Stream(pdf, buf.getvalue(), Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Image,
                              Width=img.width, Height=img.height,
                              ColorSpace=pikepdf.Name.DeviceGray if img.mode == "L" else pikepdf.Name.DeviceRGB,
                              BitsPerComponent=8, Filter=pikepdf.Name.DCTDecode)
    content = f"q {w_pt:.3f} 0 0 {h_pt:.3f} 0 0 cm /Im0 Do Q".encode()
    page = pikepdf.Dictionary(Type=pikepdf.Name.Page, MediaBox=pikepdf.Array([0, 0, w_pt, h_pt]),
                              Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=xobj)),
                              Contents=pikepdf.Stream(pdf, content))
    pdf.pages.append(pikepdf.Page(page))


def build_file(rng: random.Random, fp: FilePlan) -> tuple[bytes, str, dict]:
    """Returns (file bytes, file extension, truth dict)."""
    applicant_lang = fp.docs[0].language
    built: list[BuiltDoc] = []
    contract = None
    for dp in fp.docs:
        doc, content = build_document(rng, dp, contract, fp, applicant_lang)
        if dp.doc_type == "contract":
            contract = content
        built.append(doc)

    # Which pages are scanned: all for image formats, none for born-digital, the later documents for mixed.
    scanned_docs = {i: fp.fmt != "born_pdf" and not (fp.fmt == "mixed_pdf" and i == 0) for i in range(len(built))}
    out_pdf = pikepdf.new()
    images: list[Image.Image] = []
    page_results, documents = [], []
    seal_ink: dict[int, float] = {}  # page -> share of its stamp's box that shows as ink on the file
    seals_lost: dict[int, tuple] = {}  # page -> box of a stamp drawn but lost to the scan
    page_no = 0
    for i, doc in enumerate(built):
        src = pikepdf.open(io.BytesIO(doc.pdf))
        maps = {}
        first_page = page_no + 1
        for p in range(doc.page_count):
            page_no += 1
            pt = doc.pages[p]
            if scanned_docs[i]:
                s = _settings(rng, fp)
                img, m, look = scan_page(rasterise_pdf_page(doc.pdf, p, s.dpi), s, rng)
                if pt.seal_darkness is not None:
                    seal_ink[page_no] = ink_on_scan(pt.seal_darkness, s, look)
                maps[p + 1] = (m, s.dpi / 72.0)
                # The truth says how to undo the scan: the page was turned clockwise by 90 * quarter_turns.
                pt.rotation, pt.colour, pt.text_source = (360 - 90 * s.quarter_turns) % 360, s.colour, "ocr"
                if fp.fmt in ("tiff", "jpeg", "png"):
                    images.append(img)
                else:
                    _image_page_pdf(out_pdf, img, s.dpi, s.jpeg_quality)
            else:
                out_pdf.pages.append(src.pages[p])
                if pt.seal_darkness is not None:
                    seal_ink[page_no] = ink_on_scan(pt.seal_darkness, ScanSettings(colour="colour"), ScanLook(paper=255))
                pt.colour, pt.text_source = "colour", "text_layer"

            def tb(box, p=p + 1):
                if box is None:
                    return None
                if p in maps:
                    m, k = maps[p]
                    return transform_box(box, m, k)
                return box

            seal_box, seal_sure = tb(pt.seal), 1.0
            if seal_box is not None and seal_ink[page_no] < SEAL_LOST_BELOW:
                seals_lost[page_no], seal_box = seal_box, None
            elif seal_box is not None and seal_ink[page_no] < SEAL_FAINT_BELOW:
                seal_sure = 0.5
            page_results.append(PageResult(
                page=page_no,
                seal=Mark(present=seal_box is not None, score=seal_sure, bbox=seal_box),
                signature=Mark(present=pt.signature is not None, score=1.0, bbox=tb(pt.signature)),
                text_source=pt.text_source, rotation=pt.rotation, colour=pt.colour,
            ))

        def found(value, tag, p_off=first_page - 1, maps=maps):
            loc = doc.boxes.get(tag)
            if loc is None:
                return Found(value=value, confidence=1.0)
            p, box = loc
            if p in maps:
                m, k = maps[p]
                box = transform_box(box, m, k)
            return Found(value=value, confidence=1.0, page=p + p_off, bbox=box)

        fields = DocumentFields(**{k: found(v, k) for k, v in doc.fields.items()})
        goods = [GoodsLine(**{k: found(v, f"goods.{j}.{k}") for k, v in line.items()}) for j, line in enumerate(doc.goods)]
        documents.append(Document(doc_type=doc.doc_type, pages=list(range(first_page, page_no + 1)),
                                  language=doc.language, fields=fields, goods=goods))

    fmt = fp.fmt
    if fmt in ("jpeg", "png") and len(images) > 1:
        fmt = "tiff"  # a photo holds one page; a longer document goes out as a multi-page TIFF
    if fmt in ("tiff", "jpeg", "png"):
        buf = io.BytesIO()
        if fmt == "tiff":
            comp = "group4" if images[0].mode == "1" else "tiff_jpeg" if images[0].mode != "1" else "tiff_lzw"
            if comp == "tiff_jpeg":
                images = [im.convert("L") if im.mode == "1" else im for im in images]
            images[0].save(buf, format="TIFF", save_all=True, append_images=images[1:], compression=comp, dpi=(fp.dpi, fp.dpi))
        elif fmt == "jpeg":
            images[0].convert("RGB" if images[0].mode != "L" else "L").save(buf, format="JPEG", quality=70, dpi=(fp.dpi, fp.dpi))
        else:
            images[0].save(buf, format="PNG", dpi=(fp.dpi, fp.dpi), optimize=True)
        data = buf.getvalue()
        ext = {"tiff": ".tif", "jpeg": ".jpg", "png": ".png"}[fmt]
    else:
        buf = io.BytesIO()
        out_pdf.save(buf, deterministic_id=True)
        data = buf.getvalue()
        ext = ".pdf"
    truth = ExtractionResult(source=fp.name + ext, sha256=hashlib.sha256(data).hexdigest(), page_count=page_no,
                             documents=documents, pages=page_results)
    meta = truth.to_dict()
    meta["generator"] = {"format": fmt, "colour": fp.colour, "dpi": fp.dpi, "degrade": fp.degrade,
                         "has_seal": fp.has_seal, "docs": [d.__dict__ for d in fp.docs],
                         "seal_ink_on_scan": {str(p): round(v, 4) for p, v in seal_ink.items()},
                         "seals_lost_in_scan": {str(p): box for p, box in seals_lost.items()}}
    return data, ext, meta
