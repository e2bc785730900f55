"""Open an input file, decide what it is from its bytes (not its name), and refuse
what cannot be processed: encrypted, corrupt, empty, unsupported, too large."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from PIL import Image, UnidentifiedImageError

from extractors.errors import Rejected
from extractors.settings import ExtractSettings

IMAGE_KINDS = {"TIFF": "tiff", "JPEG": "jpeg", "PNG": "png"}
EXTENSIONS = {".pdf": "pdf", ".tif": "tiff", ".tiff": "tiff", ".jpg": "jpeg", ".jpeg": "jpeg", ".png": "png"}


@dataclass(frozen=True)
class InputFile:
    path: Path
    kind: str  # pdf | tiff | jpeg | png
    page_count: int
    sha256: str
    repaired: bool = False


def sniff(head: bytes) -> str | None:
    if head[:1024].lstrip().startswith(b"%PDF") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "tiff"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    return None


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def open_input(path: Path, settings: ExtractSettings) -> InputFile:
    """Checks the file and returns what the page readers need; raises Rejected."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise Rejected("unreadable", f"The file cannot be read: {exc.strerror}.") from exc
    if size == 0:
        raise Rejected("empty", "The file is empty (0 bytes). Scan or export the document again.")
    if size > settings.max_bytes:
        raise Rejected("too_large", f"The file is {size // 2**20} MiB; the limit is {settings.max_bytes // 2**20} MiB.")
    with open(path, "rb") as f:
        head = f.read(2048)
    kind = sniff(head)
    if kind is None:
        raise Rejected("unsupported", "This is not a PDF, TIFF, PNG or JPEG file. Only scans and PDF documents are accepted.")
    named = EXTENSIONS.get(path.suffix.lower())
    if named is not None and named != kind and not (named == "tiff" and kind == "tiff"):
        raise Rejected("mismatched_type", f"The file is named '{path.suffix}' but holds a {kind.upper()}; "
                                          f"it may be damaged or mislabelled. Save it again with the right type.")
    digest = sha256_of(path)
    if kind == "pdf":
        pages, repaired = _check_pdf(path, settings)
    else:
        pages = _check_image(path, settings)
        repaired = False
    return InputFile(path, kind, pages, digest, repaired)


def _check_pdf(path: Path, settings: ExtractSettings) -> tuple[int, bool]:
    try:
        pdf = pikepdf.open(path)
    except pikepdf.PasswordError as exc:
        raise Rejected("encrypted", "The PDF is protected by a password. Ask the applicant for an unprotected copy.") from exc
    except pikepdf.PdfError as exc:
        raise Rejected("corrupt", f"The PDF is damaged beyond repair ({_short(exc)}). Ask for the file again.") from exc
    with pdf:
        # qpdf repairs what it can on open; a file it had to rebuild is checked harder below.
        repaired = _has_warnings(pdf)
        try:
            n = len(pdf.pages)
        except pikepdf.PdfError as exc:
            raise Rejected("corrupt", f"The PDF's page tree is damaged ({_short(exc)}).") from exc
        if n == 0:
            raise Rejected("empty", "The PDF has no pages.")
        if n > settings.max_pages:
            raise Rejected("too_many_pages", f"The PDF has {n} pages; the limit is {settings.max_pages}. Split it into documents.")
        scale = settings.ocr_dpi / 72
        for i, page in enumerate(pdf.pages, start=1):
            try:
                x0, y0, x1, y1 = (float(v) for v in page.mediabox)
            except (pikepdf.PdfError, ValueError, TypeError) as exc:
                raise Rejected("corrupt", f"Page {i} has no valid size.") from exc
            w, h = abs(x1 - x0), abs(y1 - y0)
            if w < 36 or h < 36:
                raise Rejected("corrupt", f"Page {i} is {w:.0f}x{h:.0f} points: not a document page.")
            if w * scale * h * scale > settings.max_pixels:
                raise Rejected("too_many_pixels", f"Page {i} is {w / 72:.0f}x{h / 72:.0f} inches; at {settings.ocr_dpi} dpi that "
                                                  f"exceeds the {settings.max_pixels:,} pixel limit.")
            _check_page_images(page, i, settings)
            if repaired:
                _check_page_streams(page, i)
    return n, repaired


def _has_warnings(pdf: pikepdf.Pdf) -> bool:
    try:
        return bool(pdf.get_warnings())
    except AttributeError:  # older pikepdf
        return False


def _check_page_images(page: pikepdf.Page, i: int, settings: ExtractSettings) -> None:
    try:
        images = page.get_images()
    except pikepdf.PdfError as exc:
        raise Rejected("corrupt", f"Page {i}'s resources are damaged ({_short(exc)}).") from exc
    for name, img in images.items():
        try:
            w, h = int(img.get("/Width", 0)), int(img.get("/Height", 0))
        except (TypeError, ValueError):
            continue
        if w * h > settings.max_pixels:
            raise Rejected("too_many_pixels", f"Page {i} holds a {w}x{h} pixel image; the limit is {settings.max_pixels:,} pixels.")


def _check_page_streams(page: pikepdf.Page, i: int) -> None:
    """In a file qpdf had to rebuild, every stream the page draws must still decode."""
    try:
        if "/Contents" not in page.obj:
            raise ValueError("the page's content is missing")
        resources = page.obj.get("/Resources") or {}
        for group in ("/XObject", "/Font"):
            for name, obj in (resources.get(group) or {}).items():
                if obj is None or (group == "/XObject" and not isinstance(obj, pikepdf.Stream)):
                    raise ValueError(f"{group[1:]} {name} is missing")
        if "/Contents" in page.obj:
            contents = page.obj.Contents
            for stream in (contents if isinstance(contents, pikepdf.Array) else [contents]):
                stream.read_bytes()
        for _, img in page.get_images().items():
            filters = img.get("/Filter")
            names = [str(f) for f in filters] if isinstance(filters, pikepdf.Array) else [str(filters)]
            if "/DCTDecode" in names:
                # qpdf does not decode JPEG; a complete one ends with its EOI marker.
                if not img.read_raw_bytes().rstrip(b"\r\n \x00").endswith(b"\xff\xd9"):
                    raise ValueError("an embedded JPEG image is cut short")
            else:
                img.read_bytes()
    except (pikepdf.PdfError, pikepdf.DataDecodingError, ValueError, NotImplementedError) as exc:
        raise Rejected("corrupt", f"The PDF is truncated or damaged: page {i} cannot be read ({_short(exc)}). "
                                  "Ask for the file again.") from exc


def _check_image(path: Path, settings: ExtractSettings) -> int:
    # Refuse decompression bombs before any pixel is decoded.
    saved = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = None
    try:
        with Image.open(path) as im:
            n = getattr(im, "n_frames", 1)
            if n > settings.max_pages:
                raise Rejected("too_many_pages", f"The image has {n} pages; the limit is {settings.max_pages}.")
            for f in range(n):
                im.seek(f)
                w, h = im.size
                if w * h > settings.max_pixels:
                    raise Rejected("too_many_pixels", f"Page {f + 1} is {w}x{h} pixels; the limit is {settings.max_pixels:,}.")
                if w < 100 or h < 100:
                    raise Rejected("unsupported", f"Page {f + 1} is only {w}x{h} pixels: too small to be a document scan.")
            im.seek(0)
            im.load()  # decodes the first frame: a truncated file fails here
            return n
    except Rejected:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise Rejected("corrupt", f"The image is damaged or truncated ({_short(exc)}). Scan it again.") from exc
    finally:
        Image.MAX_IMAGE_PIXELS = saved


def _short(exc: BaseException) -> str:
    s = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return s[:160]
