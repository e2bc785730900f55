"""The outgoing forms as A4 PDFs in Kazakh and Russian: the permit (Appendix 4), the motivated
refusal (Appendix 3) and the State Corporation's receipt of refusal to accept documents
(Appendix 2 to the rules)."""
from __future__ import annotations

import io
from decimal import Decimal

from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table

from models.case import RequiredDocument
from models.outgoing import REFUSAL_GROUND_TEXT, AcceptanceRefusalReceipt, Permit, Refusal
from signing.layout import (
    AUTHORITY,
    MARGIN,
    PAGE,
    REGULAR,
    STAMP_BAND,
    country_name,
    date_text,
    grid,
    header,
    label_table,
    para,
    unit_name,
)

DEFAULT_VERIFY_URL = "http://127.0.0.1:8000/verify"

DOCUMENT_NAMES = {
    RequiredDocument.application: ("Өтініш", "Заявление"),
    RequiredDocument.info_form: ("Мәліметтер нысаны", "Форма сведений"),
    RequiredDocument.end_use_guarantee: ("Түпкілікті пайдалану туралы кепілдік міндеттеме",
                                         "Гарантийное обязательство о конечном использовании"),
    RequiredDocument.contract: ("Сыртқы сауда шарты (келісімшарт)", "Внешнеторговый договор (контракт)"),
}


def money(value: str) -> str:
    """'1250000.00' → '1 250 000,00' (the way Kazakh and Russian documents print amounts)."""
    d = Decimal(value)
    whole, _, frac = f"{d:,.2f}".partition(".")
    return whole.replace(",", "\u00a0") + "," + frac


def qr_payload(kind: str, number: str, verify_url: str) -> str:
    return f"{kind.upper()} {number}\n{verify_url.rstrip('/')}/{number}"


def _build(story: list, title: str) -> bytes:
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                            bottomMargin=STAMP_BAND, title=title, author=AUTHORITY["ru"],
                            creator="reexport", invariant=True,
                            # else the canvas starts in Helvetica: referenced, not embedded, no Kazakh letters
                            initialFontName=REGULAR)
    doc.build(story)
    return buf.getvalue()


def render_permit(permit: Permit, verify_url: str = DEFAULT_VERIFY_URL) -> bytes:
    p = permit
    a = p.applicant
    applicant = "\n".join(x for x in (
        a.full_name, f"{'ЖСН / ИИН' if a.is_individual else 'БСН / БИН'}: {a.identifier}",
        a.legal_address and f"Заңды мекенжайы / Юридический адрес: {a.legal_address}",
        a.actual_address and f"Нақты мекенжайы / Фактический адрес: {a.actual_address}",
        a.phone and f"Тел.: {a.phone}") if x)
    end_user = "\n".join(x for x in (p.end_user.name, p.end_user.address, p.end_user.phone and f"Тел.: {p.end_user.phone}") if x)
    story = [
        header(p.number, date_text(p.issued_on), qr_payload("permit", p.number, verify_url)),
        para("ӨЗІНДІК ЕРЕКШЕЛІКТЕРІ БАР ТАУАРЛАРДЫ ЭКСАУМАҚТЫҚ КЕРІ ЭКСПОРТТАУҒА РҰҚСАТ", "title"),
        para("РАЗРЕШЕНИЕ НА ЭКСТЕРРИТОРИАЛЬНЫЙ РЕЭКСПОРТ ТОВАРОВ, ОБЛАДАЮЩИХ СПЕЦИФИЧЕСКИМИ ХАРАКТЕРИСТИКАМИ", "title"),
        label_table([
            ("1", "Рұқсат нөмірі / Номер разрешения", p.number),
            ("2", "Өтініш беруші / Заявитель", applicant),
            ("3", "Жіберуші ел / Страна отправления", country_name(p.sender_country)),
            ("4", "Алушы ел / Страна получения", country_name(p.recipient_country)),
            ("5", "Түпкі пайдаланушы / Конечный пользователь", end_user),
            ("6", "Негіздеме: шарт нөмірі мен күні / Основание: номер и дата контракта",
             f"№ {p.contract_number} от {date_text(p.contract_date)}"),
            ("12", "Шарт валютасы / Валюта контракта", p.currency),
        ]),
        Spacer(1, 4 * mm),
        _goods_table(p),
        Spacer(1, 4 * mm),
        label_table([
            ("14", "Келісілді / Согласовано", "; ".join(p.agreed_with) or "—"),
            ("15", "Уәкілетті орган, басшы / Уполномоченный орган, руководитель",
             f"{p.authority_name}\n{p.head_name}"),
            ("15", "Берілген күні / Дата выдачи", date_text(p.issued_on)),
            ("15", "Жарамдылық мерзімі / Действительно до", date_text(p.valid_until)),
            ("16", "Дербес деректерді өңдеуге келісім / Согласие на обработку персональных данных",
             "Бар / Имеется" if p.personal_data_consent else "Жоқ / Отсутствует"),
            ("17", "Ерекше шарттар / Особые условия", p.special_conditions or "—"),
        ]),
    ]
    return _build(story, f"Разрешение № {p.number}")


def _goods_table(p: Permit) -> Table:
    head = ["№", "7. Тауардың атауы / Наименование товара", "8. ЕАЭО СЭҚ ТН коды / Код ТН ВЭД ЕАЭС",
            "9. Бақылау тізімі коды / Код по списку контроля", "10. Өлшем бірлігі / Ед. изм.",
            "11. Саны / Количество", f"13. Құны / Стоимость, {p.currency}"]
    rows: list[list] = [[para(h, "cellhead") for h in head]]
    total = Decimal(0)
    for i, g in enumerate(p.goods, 1):
        units = unit_name(g.unit_code) + (f" / {unit_name(g.additional_unit_code)}" if g.additional_unit_code else "")
        rows.append([para(str(i), "cell"), para(g.name, "cell"), para(g.tnved_code, "cell"),
                     para(g.control_list_code or "—", "cell"), para(units, "cell"),
                     para(g.quantity, "cell"), para(money(g.value), "cell")])
        total += Decimal(g.value)
    rows.append(["", para("Барлығы / Итого", "cellhead"), "", "", "", "", para(money(str(total)), "cellhead")])
    width = PAGE[0] - 2 * MARGIN
    cols = [7 * mm, None, 22 * mm, 22 * mm, 20 * mm, 21 * mm, 26 * mm]
    fixed = sum(c for c in cols if c)
    cols[1] = width - fixed
    t = Table(rows, colWidths=cols, repeatRows=1)
    t.setStyle(grid())
    return t


def render_refusal(refusal: Refusal, verify_url: str = DEFAULT_VERIFY_URL) -> bytes:
    r = refusal
    a = r.addressee
    ident = f"{'ЖСН / ИИН' if a.is_individual else 'БСН / БИН'}: {a.identifier}"
    grounds: list[Paragraph] = []
    for i, g in enumerate(r.grounds, 1):
        text = REFUSAL_GROUND_TEXT[g]
        grounds.append(para(f"{i}) {text['kk']}.", "body"))
        grounds.append(para(f"    {text['ru']}.", "body"))
    story = [
        header(r.number, date_text(r.issued_on), qr_payload("refusal", r.number, verify_url)),
        Spacer(1, 3 * mm),
        para("\n".join(x for x in (a.full_name, a.legal_address, ident) if x), "body"),
        para("ДӘЛЕЛДІ БАС ТАРТУ / МОТИВИРОВАННЫЙ ОТКАЗ", "title"),
        para(f"Сіздің {date_text(r.application_date)} № {r.application_number} өтінішіңізді қарап, "
             "Өнеркәсіпті дамыту комитеті мынадай негіздер бойынша рұқсат беруден бас тартатынын хабарлайды:"),
        Spacer(1, 1 * mm),
        para(f"Рассмотрев Ваше заявление № {r.application_number} от {date_text(r.application_date)}, "
             "Комитет индустриального развития сообщает об отказе в выдаче разрешения по следующим основаниям:"),
        Spacer(1, 2 * mm),
        *grounds,
    ]
    if r.details:
        story += [Spacer(1, 2 * mm), para("Негіздеме / Обоснование:", "label"), para(r.details)]
    story += [Spacer(1, 6 * mm), para(f"{r.signer_position}    {r.signer_name}")]
    return _build(story, f"Мотивированный отказ № {r.number}")


def render_receipt(receipt: AcceptanceRefusalReceipt, number: str, verify_url: str = DEFAULT_VERIFY_URL) -> bytes:
    r = receipt
    missing = [para(f"{i}) {kk} / {ru}") for i, d in enumerate(r.missing_documents, 1)
               for kk, ru in [DOCUMENT_NAMES[d]]]
    story = [
        header(number, date_text(r.issued_on), qr_payload("receipt", number, verify_url)),
        para("ҚҰЖАТТАРДЫ ҚАБЫЛДАУДАН БАС ТАРТУ ТУРАЛЫ ҚОЛХАТ", "title"),
        para("РАСПИСКА ОБ ОТКАЗЕ В ПРИЕМЕ ДОКУМЕНТОВ", "title"),
        para(f"«Азаматтарға арналған үкімет» мемлекеттік корпорациясының филиалы / Филиал Государственной "
             f"корпорации «Правительство для граждан»: {r.branch}"),
        Spacer(1, 2 * mm),
        para("Мемлекеттік көрсетілетін қызметтің атауы / Наименование государственной услуги:", "label"),
        para(r.service_name),
        Spacer(1, 2 * mm),
        para("Толық емес құжаттар топтамасына байланысты құжаттарды қабылдаудан бас тартылды, атап айтқанда "
             "мына құжаттар жоқ / В приеме документов отказано ввиду неполного пакета, а именно отсутствуют:"),
        *missing,
        Spacer(1, 3 * mm),
        para(f"Қолхат {r.copies} данада жасалды / Расписка составлена в {r.copies} экземплярах, "
             "по одному для каждой стороны."),
        Spacer(1, 4 * mm),
        label_table([
            ("", "Қызметкер / Работник Госкорпорации", f"{r.clerk_name}    ____________"),
            ("", "Орындаушы / Исполнитель", f"{r.executor_name}, тел. {r.executor_phone}"),
            ("", "Алдым / Получил", f"{r.applicant_name}    ____________"),
            ("", "Күні / Дата", date_text(r.issued_on)),
        ]),
    ]
    return _build(story, f"Расписка № {number}")
