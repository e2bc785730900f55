"""The outgoing forms, rendered and read back (pdfplumber for text, pikepdf for fonts, OpenCV for the QR)."""
from __future__ import annotations

import datetime as dt
import io

import cv2
import numpy as np
import pdfplumber
import pikepdf
import pypdfium2
import pytest

from conftest import sample_permit
from models.case import Applicant, RequiredDocument
from models.outgoing import AcceptanceRefusalReceipt, Refusal, RefusalGround, permit_validity
from signing.render import money, render_permit, render_receipt, render_refusal

KAZAKH_LETTERS = "әғқңөұүһі"


def text_of(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return "\n".join(p.extract_text() or "" for p in doc.pages)


def test_permit_text_reads_back_with_every_kazakh_letter():
    pdf = render_permit(sample_permit(special_conditions="Һ әріпі: Һижра; реэкспорт үшінші елдерге тыйым салынады"))
    text = text_of(pdf)
    for letter in KAZAKH_LETTERS:
        assert letter in text.lower(), f"{letter} did not survive rendering"
    for expected in ("KZ-RP-2026-00001", "8525893000", "6A003.b.4", "TR-2025/0321", "14.03.2025",
                     "25.11.2027", "1 250 000,00", "1 336 000,50"):
        assert expected in text.replace("\u00a0", " "), expected


def test_permit_fonts_are_embedded():
    pdf = pikepdf.open(io.BytesIO(render_permit(sample_permit())))
    fonts = [f for page in pdf.pages for f in page.Resources.Font.values()]
    assert fonts
    for font in fonts:
        descriptor = font.get("/FontDescriptor") or font.DescendantFonts[0].FontDescriptor
        assert "/FontFile2" in descriptor, f"{font.BaseFont} is not embedded"


def test_permit_qr_carries_number_and_verification_url():
    pdf = render_permit(sample_permit(number="KZ-RP-2026-00042"), verify_url="https://permits.example.kz/verify")
    page = pypdfium2.PdfDocument(pdf)[0]
    image = np.array(page.render(scale=200 / 72).to_pil().convert("L"))
    payload, _, _ = cv2.QRCodeDetector().detectAndDecode(image)
    assert payload == "PERMIT KZ-RP-2026-00042\nhttps://permits.example.kz/verify/KZ-RP-2026-00042"


def test_long_goods_list_flows_onto_more_pages_with_header_repeated():
    goods = sample_permit().goods * 30
    text = text_of(render_permit(sample_permit(goods=goods)))
    assert text.count("9. Бақылау") >= 2  # header row repeated on each page
    assert text.count("8525893000") == 30


def test_refusal_spells_out_chosen_grounds_in_both_languages():
    refusal = Refusal(
        number="KZ-RF-2026-00003", issued_on="2026-11-25",
        addressee=Applicant(full_name="ТОО «Альфа»", bin="123456789012", legal_address="Астана"),
        application_number="IN-2026-077", application_date="2026-10-01",
        grounds=[RefusalGround.negative_risk_assessment, RefusalGround.unreliable_documents],
        details="Гарантийное обязательство не подтверждено МИД.", signer_position="Төраға / Председатель",
        signer_name="Әбдірахманов Қ. С.")
    text = " ".join(text_of(render_refusal(refusal)).split())
    assert "Отрицательное решение по результатам оценки рисков" in text
    assert "Тәуекелдерді бағалау нәтижелері бойынша теріс шешім" in text
    assert "недостоверности документов" in text
    assert "IN-2026-077" in text and "01.10.2026" in text
    assert "Нарушение международных обязательств" not in text  # a ground not chosen


def test_receipt_lists_missing_documents():
    receipt = AcceptanceRefusalReceipt(
        branch="Астана қ. №1 филиалы", missing_documents=[RequiredDocument.end_use_guarantee, RequiredDocument.info_form],
        clerk_name="Иванова А.", executor_name="Сейітов Б.", executor_phone="+7 7172 00 00 00",
        applicant_name="Нұрланов Ә.", issued_on="2026-11-25")
    text = " ".join(text_of(render_receipt(receipt, "KZ-SC-2026-00001")).split())
    assert "Гарантийное обязательство о конечном использовании" in text
    assert "Форма сведений" in text
    assert "Внешнеторговый договор" not in text


@pytest.mark.parametrize("value, printed", [("1250000.00", "1\u00a0250\u00a0000,00"), ("0.5", "0,50"),
                                            ("999", "999,00")])
def test_money_is_printed_the_local_way(value, printed):
    assert money(value) == printed


def test_validity_is_a_year_capped_by_the_documents():
    issued = dt.date(2026, 11, 25)
    assert permit_validity(issued, []) == dt.date(2027, 11, 25)
    assert permit_validity(issued, [dt.date(2027, 3, 31), dt.date(2027, 6, 1), None]) == dt.date(2027, 3, 31)
    assert permit_validity(dt.date(2028, 2, 29), []) == dt.date(2029, 2, 28)
