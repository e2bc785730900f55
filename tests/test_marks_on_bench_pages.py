"""Marks on pages the benchmark got wrong before: each page is generated again from its set's
seed (the generator is deterministic: the same bytes as in the set), read as the pipeline reads
it (raster, OCR, marks) and compared with its ground truth."""
import os

import pytest

from bench.marks import overlaps
from extractors.inputs import open_input
from extractors.pagepool import page_pool
from extractors.readpage import PageJob, init_worker, read_page
from extractors.settings import ExtractSettings
from samplegen.__main__ import planned
from samplegen.generate import build_file


# (set seed, file, page): what was missed or found wrongly, and why.
PAGES = {
    # A worn stamp on a bitonal TIFF, specks of a pixel or two at 300 dpi: the marks raster was
    # an area average, which leaves such specks paper-grey (now each keeps its darkest pixel).
    "bitonal specks kept": (531, 136, 2),
    # A worn oval stamp left as dashes, none a stamp-sized blob (found as a group of pieces), one
    # of which was taken for a signature on a page with none.
    "oval stamp in pieces": (551, 84, 1),
    # A round stamp's inner ring with its letters touching it, taken for a pen's stroke across
    # the stamp once the bitonal raster kept its specks (the letters come out bolder).
    "ring with letters is no signature": (531, 12, 1),
    # The reader took the signature for a confident word 0.58 inch tall, and its box masked it.
    "signature read as a word": (541, 49, 1),
    # Blue initials 0.5 inch wide, under the half inch asked of black ink.
    "short blue signature": (541, 64, 1),
    # Black initials under half an inch wide but as tall as they are wide: no print stands 0.35
    # inch tall (a grayscale page without a stamp).
    "short black initials, standing tall": (671, 87, 1),
    # A round stamp with a city's name in bold across its middle, on bitonal scans with no
    # signature: the raster's greys made the bold letters darker than the rings, as a pen's are.
    "bold stamp letters on a bitonal page (PNG)": (611, 26, 1),
    "bold stamp letters on a bitonal page (TIFF)": (611, 79, 2),
    # A black pen across a violet rectangular stamp on a colour scan: where it crosses the
    # stamp's ink its pixels are coloured, and the pieces left were each too small.
    "black pen across a coloured stamp (inside)": (541, 144, 2),
    "black pen across a coloured stamp (border)": (531, 32, 1),
    # Round stamps of two rings, found by the inner one: the signature touching the outer ring
    # was taken for the stamp's letters...
    "double ring, signature on the outer ring": (581, 47, 1),
    # ...and, with no signature, the outer ring, its letters and the number line, joined in one
    # piece, for a pen's stroke across the stamp.
    "double ring, number line is no signature (bitonal)": (611, 7, 1),
    "double ring, number line is no signature (grayscale)": (601, 50, 1),
    # A dark pen over a grey rectangular stamp: its box also held the stamp's letters, so its
    # ink was not found darker than the stamp's.
    "dark pen inside a grey rectangular stamp": (561, 37, 1),
    # Bitonal rectangular stamps: a signature running out across the border joined the border's
    # outer edge (a few pixels outside the box found), and one written low inside the stamp,
    # near its inner border.
    "signature out across a rectangular stamp's border": (611, 31, 2),
    "signature low inside a rectangular stamp": (611, 76, 1),
    # A violet round stamp on a colour JPEG, no signature: its number line, greyed by the scan,
    # is not coloured ink, and was taken for a black pen's stroke.
    "greyed stamp letters are no black pen": (621, 8, 1),
    # No stamp on the page: a blue signature's loops drew a ring for the circle search...
    "signature loops are no round stamp": (621, 40, 1),
    # ...and a signature over its line the outline of a rectangular one.
    "signature over its line is no rectangular stamp": (581, 2, 1),
    # An unread table header ("Control list No.") on a colour page, taken for a black pen's
    # signature: the table-cell rule was not asked of black ink. On later machines (other
    # library builds, the page's pixels differ a little) the stamp's ink greyed by JPEG was taken
    # for a black pen instead: it is no darker than the stamp's own.
    "unread header in a table on a colour page": (641, 12, 2),
    # Worn stamps with a signature across them scoring 0.52-0.54, under the level (0.55) a
    # stamp was taken at; no page without a stamp scored between 0.45 and 0.64 on eleven sets.
    "worn rectangular stamp under a signature": (641, 37, 2),
    "worn round stamp under a signature": (641, 126, 2),
    # A two-ring stamp on a bitonal scan, no signature: the two lines of its field ("Для
    # документов / Құжаттар үшін"), bold and joined, each shorter than the half inch a line of
    # print was asked to run...
    "two lines of print in a stamp's field": (661, 88, 1),
    # ...and a ring found a few pixels off centre, its inner ring missed, the field's lines then
    # taken for strokes across the stamp.
    "stamp ring found off centre": (661, 95, 2),
    # ...but a blue pen's short wavy stroke inside the field, leaving the stamp by no more than
    # its ring: a line of print half an inch long has more ink along it than a pen's one stroke.
    "short pen stroke in a stamp's field": (581, 16, 1),
    # The number line of a two-ring stamp touching its inner ring (bitonal).
    "number line on a stamp's inner ring": (641, 116, 1),
    # A thin black pen across a violet stamp's letters on a heavily degraded colour scan: most of
    # its ink lies next to the stamp's, but it is darker than the stamp's.
    "thin black pen across a stamp's letters": (661, 90, 2),
    # An oval stamp turned 15 degrees, no signature: the upright ellipse inscribed in its box
    # left its rim outside, taken for strokes across it.
    "turned oval stamp, no signature": (651, 15, 1),
    # A blue pen across a violet round stamp's rim and letters, as pale as the stamp's ink on a
    # colour scan: only its hue tells it.
    "blue pen across a violet stamp": (671, 11, 1),
    # A black pen 0.29 inch high inside a turned blue rectangular stamp: under the 0.3 inch asked
    # of black ink, but one unbroken stroke (print there breaks into letters).
    "short black pen inside a blue stamp": (671, 143, 1),
    # A black pen a pixel wide across a violet stamp, broken into short pieces at 100 dpi.
    "thin black pen broken across a stamp": (601, 68, 1),
    # A bitonal oval stamp with a signature run into it, found as the circle through its tight
    # end: the signature then lay outside that circle's stamp and was missed.
    "oval stamp found by its end": (671, 54, 1),
    # A worn oval stamp in many pieces with a signature across it (bitonal): six points of the
    # pieces' edges seldom all fell on its rim; the oval of all its ink, grown a little, does.
    "worn oval stamp in pieces under a signature": (661, 144, 1),
    # A black pen over a pale violet stamp whose letters the scan greyed: pen and greyed letters
    # were one blob taller than a signature; the pen is the ink darker than the stamp's.
    "black pen joined to greyed stamp letters": (611, 148, 2),
    # Black initials 0.42 inch tall that the reader took for a confident word (a page without
    # a stamp).
    "initials read as a word": (631, 22, 1),
    # A rectangular stamp turned 22 degrees on a bitonal page, no signature: its lines of
    # letters, measured upright on the page, stood as tall as a pen's stroke.
    "turned rectangular stamp's letters are no signature": (691, 24, 1),
    # A bitonal scan saved in a JPEG-compressed PDF, read as grayscale, no signature: the round
    # stamp's bold number line, darker than its thin rings at 100 dpi, was taken for a pen's
    # stroke; the stamp is as dark as print, so tone tells nothing there.
    "black stamp's number line on a JPEG'd bitonal scan": (701, 38, 1),
    # A grayscale barcode whose blob's box stood taller than its bars: no column was inked along
    # 0.85 of the box, so it passed for a signature (0.6) on a page with none.
    "barcode in a box taller than its bars": (711, 110, 1),
    # A round stamp found as a blob, a thin signature running past the corner of its box (a
    # bitonal PNG): the box, taken out, cut the signature into pieces too small to count.
    "signature past a round stamp's box": (711, 130, 1),
    # A two-ring round stamp on a bitonal page turned 180 degrees, a signature touching its
    # outer ring: the circle found was the inner ring, the outer ring and letters around it
    # taken for a signature's strokes running out of loops, and the stamp was missed.
    "two-ring stamp found by its inner ring": (731, 137, 1),
    # An oval two-ring stamp whose rim broke into two blobs, no signature: the circle through its
    # end was taken for the stamp, and its field's lines outside that circle for a signature.
    "oval stamp in two blobs found by its end": (741, 146, 2),
    # Stamps pressed lightly on grayscale scans (a bitonal page saved as JPEG in a PDF), most of
    # their ink paler than the level ink is cut at: a round one and a rectangular one.
    "faint round stamp on a grayscale scan": (651, 97, 1),
    "faint rectangular stamp on a grayscale scan": (741, 78, 1),
    # A grey rectangular stamp cut off at the paper's edge, a scanner's strip past that edge: its
    # border, three sides ending 0.11 inch from the image's edge, was not taken for a stamp's.
    "rectangular stamp cut off before a scanner's strip": (751, 67, 1),
    # A worn rectangular stamp turned 15 degrees on a bitonal page, no signature: found as an
    # oval through part of it, the rest of its border and letters taken for a signature. Found
    # turned, it is taken out by its own outline (a signature in its upright box's corner stays:
    # generated set 581, file 138, kept right by the same change).
    "worn turned rectangular stamp found as an oval": (751, 51, 1),
    # No stamp on the page: a ring through a signature's strokes and its line, a side of it
    # (0.43-0.48 of the ring) without ink; a stamp's ring, worn or not, has ink all round.
    "signature strokes meeting half a ring are no stamp (colour)": (641, 8, 1),
    "signature strokes meeting half a ring are no stamp (grayscale)": (761, 113, 1),
    # A bitonal rectangular stamp of two borders, one side of its outer border worn to dashes
    # shorter than the rules a border is sought as: three sides were found, the fourth not.
    "rectangular stamp with a side worn to dashes": (781, 137, 1),
    # A two-ring stamp on a bitonal page, no signature: its field's two lines of bold words,
    # taken together, fill no band a line of print does and were taken for a pen's stroke.
    "a stamp field's two lines of words are no signature": (671, 49, 1),
    # A turned oval stamp of two rings, no signature: its inner ring, no scaled copy of the
    # outline, was left in arcs spanning the stamp, as a pen's stroke does.
    "an oval stamp's inner ring is no signature": (781, 38, 1),
    # Signatures found on something else than the pen's strokes (the page has a signature, but
    # the box outlined for a reviewer was not on it): an oval stamp found by the circle through
    # one end, the rest of its rim and letters taken for the pen's strokes...
    "the rest of an oval stamp is no signature": (601, 65, 2),
    # ...and a round stamp's rim run past the ring found for it.
    "a stretch of a stamp's rim is no signature": (601, 89, 1),
    # Rows of print the reader missed, taken for signatures: a bold heading on a bitonal page
    # with no signature, and a table's two-line header on a page signed further down.
    "an unread bold heading is no signature": (781, 46, 1),
    "an unread table header is no signature": (621, 1, 1),
    # A round stamp on a bitonal page, no signature: its number line touches the inner ring at
    # both ends, and those two ends, half an inch apart, were taken for a stroke spanning the field.
    "a number line's two ends are no signature": (811, 142, 2),
    # A signature run in across the border of a rectangular stamp turned 6 degrees (bitonal):
    # outside, too short to count; inside, cut short by the inset past both borders.
    "signature run into a turned rectangular stamp": (831, 145, 1),
    # ...sought nearer a turned stamp's border, without its rules: a grey stamp of two borders
    # turned 25 degrees, no signature, its thin inner border left in pieces (grayscale).
    "a turned stamp's inner border is no signature": (821, 24, 1),
    # A wide oval stamp whose rim broke into two blobs, found as the blob of one end: the other
    # end, beside it, was taken for a signature on a page with none (colour).
    "the other end of an oval stamp in two blobs": (831, 88, 1),
    # A column of codes the reader missed in a table on a page with no stamp: a circle through
    # its rows was taken for a stamp's ring.
    "rows of unread print are no stamp's ring": (831, 100, 2),
    # A large rectangular stamp turned 20 degrees with a black pen across it (colour): a circle
    # through its letters and border was taken for the stamp, the rest of its letters for the pen.
    "a circle in a turned rectangular stamp is not the stamp": (831, 56, 1),
    # Turned rectangular stamps outlined short of one side (bitonal), a pen's straight stroke
    # inside (or a line of letters) proposing a side as well drawn as the worn border: the pen
    # inside was taken for the stamp's and a stretch of its border outside for a signature...
    "a worn turned stamp is outlined whole": (821, 148, 1),
    # ...or found as the blob of its upper part, its bottom border broken off, and that border's
    # corner taken for the signature (the pen inside the stamp).
    "a worn turned stamp found as a blob is outlined whole": (791, 89, 1),
    # ...or the pen's strokes out of the stamp were left joined to its outline, and an unread
    # heading taken for the signature instead.
    "a turned stamp outlined whole leaves the pen outside": (821, 45, 1),
    # A bold pen inside a rectangular stamp on a heavily degraded bitonal scan, joined to the
    # stamp's bold letters: the piece's share of edge pixels (0.58) was under a thin stroke's.
    "a bold pen joined to a stamp's letters": (831, 25, 1),
    # A word the reader missed in the middle of a line it read ('"Seller",' with its quotes and
    # comma, 0.22 inch tall), on a bitonal page with no signature.
    "an unread word in a read line is no signature": (791, 42, 1),
    # Turned oval stamps found as one blob, no signature: a two-ring one whose rings were
    # followed by a circle that matched its box (bitonal), and two whose ends, past the largest
    # disc in them, were taken for strokes run out of a round stamp (grayscale, bitonal).
    "a turned oval stamp found as a blob is no circle": (841, 72, 1),
    "a turned oval stamp's ends are no signature (grayscale)": (841, 16, 1),
    "a turned oval stamp's ends are no signature (bitonal)": (851, 77, 2),
    # Bold pens run across the inner border of a rectangular stamp on bitonal scans: the border
    # taken out cut each pen in pieces, the one left inside lower than a line of letters.
    "a pen cut by a stamp's inner border (PNG)": (871, 89, 1),
    "a pen cut by a stamp's inner border (TIFF)": (841, 71, 1),
    # A thin blue pen over a pale stamp of the same hue on a colour scan: told by its deeper
    # colour (saturation 80-175, the stamp's median 39).
    "a blue pen deeper than a pale blue stamp": (771, 19, 1),
    # A dark blue pen over a blue stamp on a colour page: its pixels darker than the pen level
    # were pieces too short to tell from letters; the paler ink along them belongs to them.
    "a dark pen's paler pixels along it": (881, 11, 1),
    # A worn turned rectangular stamp on a bitonal scan saved as an image PDF, no signature: its
    # dark border, run past the outline found for it, was taken for a pen; and an unread
    # '"Buyer",' beside the read "on" was measured by that short word, not by its line.
    "a turned stamp's border and an unread word are no signature": (901, 8, 1),
    # The same border taken for the signature where a pen is drawn elsewhere on the stamp.
    "a turned stamp's border is not the signature drawn": (821, 43, 1),
    # Bold pens in round stamps on bitonal scans (2.3-2.8 pixels a column, as print has): one
    # along the field, one doubled back beside the inner ring. Print has stems across its band.
    "a bold pen along a round stamp's field": (901, 144, 1),
    "a pen doubled back beside a round stamp's ring": (871, 126, 1),
}


@pytest.fixture(scope="module")
def reads(request, tmp_path_factory) -> dict:
    """The selected cases' pages made and read at once, a file per core in the pipeline's own
    pool (a page at a time, the cases took over three minutes): case -> (PageRead or the error
    raised, truth)."""
    selected = {item.callspec.params["case"] for item in request.session.items
                if item.module is request.module and hasattr(item, "callspec")}
    root = tmp_path_factory.mktemp("bench_pages")
    settings = ExtractSettings()
    with page_pool(os.cpu_count() or 1, init_worker) as pool:
        built = {}
        for case in sorted(selected):
            seed, number, _ = PAGES[case]
            plan, file_rng = planned(seed, 150, "bench")[number - 1]
            built[case] = (plan, pool.submit(build_file, file_rng, plan))
        jobs, truths = {}, {}
        for case, (plan, future) in built.items():
            data, ext, truths[case] = future.result()
            path = root / f"{PAGES[case][0]}-{plan.name}{ext}"
            path.write_bytes(data)
            jobs[case] = pool.submit(read_page, PageJob(str(path), open_input(path, settings).kind, PAGES[case][2] - 1, settings))
        return {case: (f.exception() or f.result(), truths[case]) for case, f in jobs.items()}


@pytest.mark.parametrize("case", sorted(PAGES))
def test_marks_on_a_page_the_benchmark_got_wrong_before(reads, case):
    read, truth = reads[case]
    if isinstance(read, BaseException):
        raise read
    want = truth["pages"][PAGES[case][2] - 1]
    for mark, got in (("seal", read.seal), ("signature", read.signature)):
        assert got.present == want[mark]["present"], (mark, got, want[mark])
        if got.present:
            assert overlaps(got.bbox, want[mark]["bbox"]), (mark, got.bbox, want[mark]["bbox"])
