"""Document texts: contracts and end-use guarantees in Russian, Kazakh and English,
in several layouts, as blocks for the layouter with every field value tagged."""
from __future__ import annotations

import random

from samplegen import formats as F
from samplegen.content import Contract, Guarantee
from samplegen.layout import KeyValue, Para, Rule, Space, Table, Title

L = {
    "contract_title": {"ru": ["КОНТРАКТ", "ДОГОВОР ПОСТАВКИ", "ВНЕШНЕТОРГОВЫЙ КОНТРАКТ"], "kk": ["КЕЛІСІМШАРТ", "ЖЕТКІЗУ ШАРТЫ"],
                       "en": ["CONTRACT", "SALES CONTRACT", "SUPPLY CONTRACT"]},
    "no": {"ru": ["№"], "kk": ["№"], "en": ["No.", "No", "#"]},
    "city": {"ru": "г. {city}", "kk": "{city} қ.", "en": "{city}"},
    "seller": {"ru": "Продавец", "kk": "Сатушы", "en": "Seller"},
    "buyer": {"ru": "Покупатель", "kk": "Сатып алушы", "en": "Buyer"},
    "sender_country": {"ru": ["Страна отправления", "Страна отправителя"], "kk": ["Жөнелтуші ел", "Жөнелту елі"],
                       "en": ["Country of dispatch", "Sender country", "Country of shipment"]},
    "recipient_country": {"ru": ["Страна назначения", "Страна получателя"], "kk": ["Алушы ел", "Межелі ел"],
                          "en": ["Country of destination", "Recipient country"]},
    "end_user": {"ru": ["Конечный пользователь"], "kk": ["Соңғы пайдаланушы"], "en": ["End user", "End-user"]},
    "address": {"ru": "адрес", "kk": "мекенжайы", "en": "address"},
    "currency": {"ru": "Валюта контракта", "kk": "Келісімшарт валютасы", "en": "Contract currency"},
    "total": {"ru": ["Общая сумма контракта", "Итого", "Общая стоимость"], "kk": ["Келісімшарттың жалпы сомасы", "Барлығы"],
              "en": ["Total contract value", "Total amount", "TOTAL"]},
    "valid": {"ru": "Контракт действует до", "kk": "Келісімшарт мына күнге дейін қолданылады:", "en": "This Contract is valid until"},
    "date": {"ru": "Дата", "kk": "Күні", "en": "Date"},
    "number": {"ru": "Номер контракта", "kk": "Келісімшарт нөмірі", "en": "Contract number"},
    "subject": {"ru": "1. ПРЕДМЕТ КОНТРАКТА", "kk": "1. КЕЛІСІМШАРТТЫҢ МӘНІ", "en": "1. SUBJECT OF THE CONTRACT"},
    "subject_text": {
        "ru": "Продавец обязуется поставить, а Покупатель принять и оплатить следующие товары:",
        "kk": "Сатушы төменде көрсетілген тауарларды жеткізуге, ал Сатып алушы оларды қабылдауға және төлеуге міндеттенеді:",
        "en": "The Seller shall deliver and the Buyer shall accept and pay for the following goods:"},
    "price_section": {"ru": "2. ЦЕНА И ОБЩАЯ СУММА", "kk": "2. БАҒАСЫ ЖӘНЕ ЖАЛПЫ СОМАСЫ", "en": "2. PRICE AND TOTAL VALUE"},
    "delivery": {"ru": "3. УСЛОВИЯ ПОСТАВКИ", "kk": "3. ЖЕТКІЗУ ШАРТТАРЫ", "en": "3. DELIVERY"},
    "bank": {"ru": "4. РЕКВИЗИТЫ СТОРОН", "kk": "4. ТАРАПТАРДЫҢ ДЕРЕКТЕМЕЛЕРІ", "en": "4. BANK DETAILS OF THE PARTIES"},
    "headers": {
        "ru": ["№", "Наименование товара", "Код ТН ВЭД ЕАЭС", "Код по списку контроля", "Ед. изм.", "Кол-во", "Цена за ед.", "Сумма"],
        "kk": ["№", "Тауардың атауы", "ЕАЭО СЭҚ ТН коды", "Бақылау тізімі коды", "Өлш. бірл.", "Саны", "Бірлік бағасы", "Сомасы"],
        "en": ["No.", "Description of goods", "HS code (TN VED EAEU)", "Control list No.", "Unit", "Qty", "Unit price", "Amount"]},
}


def pick(rng: random.Random, v):
    return rng.choice(v) if isinstance(v, list) else v


def _parties_prose(rng, c: Contract) -> Para:
    lang = c.language
    buyer_country = F.country_text(rng, c.buyer[0], lang)
    if lang == "ru":
        segs = [(c.seller_name, "seller_name"), ("(Республика Казахстан), именуемое в дальнейшем «Продавец», в лице директора, действующего на основании Устава, с одной стороны, и", None),
                (c.buyer[1], "buyer_name"), (f"({buyer_country}), именуемое в дальнейшем «Покупатель», с другой стороны, заключили настоящий Контракт о нижеследующем:", None)]
    elif lang == "kk":
        segs = [(c.seller_name, "seller_name"), ("(Қазақстан Республикасы), бұдан әрі «Сатушы» деп аталатын, Жарғы негізінде әрекет ететін директор атынан, бір тараптан, және", None),
                (c.buyer[1], "buyer_name"), (f"({buyer_country}), бұдан әрі «Сатып алушы» деп аталатын, екінші тараптан, төмендегілер туралы осы Келісімшартты жасасты:", None)]
    else:
        segs = [(c.seller_name, "seller_name"), ("(Republic of Kazakhstan), hereinafter referred to as the \"Seller\", represented by its Director, on the one part, and", None),
                (c.buyer[1], "buyer_name"), (f"({buyer_country}), hereinafter referred to as the \"Buyer\", on the other part, have concluded this Contract as follows:", None)]
    return Para(segs, align="left")


def _goods_table(rng, c: Contract, cols: str) -> Table:
    lang = c.language
    h = L["headers"][lang]
    rows = []
    for i, g in enumerate(c.goods):
        t = f"goods.{i}."
        full = [[(str(i + 1), None)], [(g.name(lang), t + "name")], [(F.tnved_text(rng, g.tnved_code), t + "tnved_code")],
                [(g.control_code, t + "control_list_code")], [(F.unit_text(rng, g.unit_code, lang), t + "unit_code")],
                [(F.quantity_text(rng, g.quantity, lang), t + "quantity")], [(F.money_text(rng, g.unit_price, lang), None)],
                [(F.money_text(rng, g.value, lang), t + "value")]]
        rows.append(full)
    widths = [0.05, 0.27, 0.15, 0.13, 0.07, 0.08, 0.12, 0.13]
    if cols == "no_price":  # some contracts leave the unit price out
        keep = [0, 1, 2, 3, 4, 5, 7]
        h = [h[k] for k in keep]
        rows = [[r[k] for k in keep] for r in rows]
        widths = [0.05, 0.33, 0.16, 0.14, 0.08, 0.09, 0.15]
    return Table(h, rows, widths)


def _goods_prose(rng, c: Contract) -> list[Para]:
    lang = c.language
    out = []
    for i, g in enumerate(c.goods):
        t = f"goods.{i}."
        q = F.quantity_text(rng, g.quantity, lang)
        u = F.unit_text(rng, g.unit_code, lang)
        code = F.tnved_text(rng, g.tnved_code)
        val = F.money_text(rng, g.value, lang)
        cur = F.currency_words(rng, c.currency, lang)
        if lang == "ru":
            segs = [(f"1.{i + 1}.", None), (g.name(lang), t + "name"), ("(код ТН ВЭД ЕАЭС", None), (code, t + "tnved_code"),
                    ("; код по списку контроля", None), (g.control_code, t + "control_list_code"), (") в количестве", None),
                    (q, t + "quantity"), (u, t + "unit_code"), ("на сумму", None), (val, t + "value"), (f"{cur}.", None)]
        elif lang == "kk":
            segs = [(f"1.{i + 1}.", None), (g.name(lang), t + "name"), ("(ЕАЭО СЭҚ ТН коды", None), (code, t + "tnved_code"),
                    ("; бақылау тізімі бойынша коды", None), (g.control_code, t + "control_list_code"), (")", None),
                    (q, t + "quantity"), (u, t + "unit_code"), (", сомасы", None), (val, t + "value"), (f"{cur}.", None)]
        else:
            segs = [(f"1.{i + 1}.", None), (q, t + "quantity"), (u, t + "unit_code"), ("of", None), (g.name(lang), t + "name"),
                    ("(HS code", None), (code, t + "tnved_code"), (", control list entry", None), (g.control_code, t + "control_list_code"),
                    ("), for the amount of", None), (val, t + "value"), (f"{cur}.", None)]
        out.append(Para(segs))
    return out


def _bank_noise(rng, lang) -> list[Para]:
    iban = "KZ" + "".join(str(rng.randint(0, 9)) for _ in range(18))
    bin_ = "".join(str(rng.randint(0, 9)) for _ in range(12))
    phone = f"+7 (727) {rng.randint(200, 399)}-{rng.randint(10, 99)}-{rng.randint(10, 99)}"
    swift = rng.choice(["HSBKKZKX", "KCJBKZKX", "CASPKZKA"])
    if lang == "en":
        text = f"Seller: BIN {bin_}, IBAN {iban}, SWIFT {swift}, tel. {phone}. Account No. {rng.randint(10**9, 10**10 - 1)}."
    elif lang == "kk":
        text = f"Сатушы: БСН {bin_}, ЖСК {iban}, БСК {swift}, тел. {phone}. Шот № {rng.randint(10**9, 10**10 - 1)}."
    else:
        text = f"Продавец: БИН {bin_}, ИИК {iban}, БИК {swift}, тел. {phone}. Расчетный счет № {rng.randint(10**9, 10**10 - 1)}."
    return [Para([(text, None)], size=9)]


def _signature_lines(lang) -> Para:
    s, b = L["seller"][lang], L["buyer"][lang]
    return Para([(f"{s}: ____________________        {b}: ____________________", None)], size=10)


def contract_blocks(rng: random.Random, c: Contract, layout: str) -> list:
    lang = c.language
    title = pick(rng, L["contract_title"][lang])
    no = pick(rng, L["no"][lang])
    date_s = F.date_text(rng, c.date, lang)
    blocks: list = []
    sc, rc = L["sender_country"][lang], L["recipient_country"][lang]
    eu_label = pick(rng, L["end_user"][lang])
    total_s = F.money_text(rng, c.total, lang)
    cur_words = F.currency_words(rng, c.currency, lang)

    if layout == "form":
        blocks += [Title(f"{title}", 15), Space(6)]
        rows = [
            (L["number"][lang], [(c.number, "contract_number")]),
            (L["date"][lang], [(date_s, "contract_date")]),
            (L["seller"][lang], [(c.seller_name, "seller_name")]),
            (L["buyer"][lang], [(c.buyer[1], "buyer_name"), (", " + c.buyer[2], None)]),
            (pick(rng, sc), [(F.country_text(rng, c.sender_country, lang), "sender_country")]),
            (pick(rng, rc), [(F.country_text(rng, c.recipient_country, lang), "recipient_country")]),
            (eu_label, [(c.end_user_name, "end_user_name")]),
            (L["address"][lang].capitalize(), [(c.end_user_address, "end_user_address")]),
            (L["currency"][lang], [(rng.choice([c.currency, cur_words]), "currency")]),
        ]
        if c.valid_until:
            label = {"ru": "Срок действия до", "kk": "Қолданылу мерзімі", "en": "Valid until"}[lang]
            rows.append((label, [(F.date_text(rng, c.valid_until, lang), "contract_valid_until")]))
        blocks += [KeyValue(rows), Space(8), Para([(L["subject_text"][lang], None)]), _goods_table(rng, c, rng.choice(["full", "no_price"]))]
        blocks += [Para([(pick(rng, L["total"][lang]) + ":", None), (total_s, "total_value"), (c.currency, None)], bold=True, align="right")]
        blocks += _bank_noise(rng, lang) + [Space(10), _signature_lines(lang)]
        return blocks

    # "classic" and "prose" share the heading and the parties' preamble
    blocks += [Title(f"{title} {no}", 15, align="center"), Title(c.number, 14, tag="contract_number")]
    city = L["city"][lang].format(city=c.city)
    blocks += [Para([(city + " " * 6, None), (date_s, "contract_date")], align="right"), Space(4)]
    blocks += [_parties_prose(rng, c), Para([(L["subject"][lang], None)], bold=True), Para([(L["subject_text"][lang], None)])]
    if layout == "classic":
        blocks.append(_goods_table(rng, c, rng.choice(["full", "full", "no_price"])))
    else:
        blocks += _goods_prose(rng, c)
    blocks.append(Para([(L["price_section"][lang], None)], bold=True))
    if lang == "ru":
        blocks.append(Para([(f"2.1. {pick(rng, L['total'][lang])} составляет", None), (total_s, "total_value"), (f"{cur_words}.", None),
                            ("Валюта контракта —", None), (c.currency, "currency"), (".", None)]))
    elif lang == "kk":
        blocks.append(Para([(f"2.1. {pick(rng, L['total'][lang])}", None), (total_s, "total_value"), (f"{cur_words} құрайды.", None),
                            ("Келісімшарт валютасы —", None), (c.currency, "currency"), (".", None)]))
    else:
        blocks.append(Para([(f"2.1. The {pick(rng, L['total'][lang]).lower()} is", None), (total_s, "total_value"), (f"{cur_words}.", None),
                            ("Currency of the Contract:", None), (c.currency, "currency"), (".", None)]))
    blocks.append(Para([(L["delivery"][lang], None)], bold=True))
    s_name, r_name = F.country_text(rng, c.sender_country, lang), F.country_text(rng, c.recipient_country, lang)
    blocks.append(Para([(f"3.1. {pick(rng, sc)}:", None), (s_name, "sender_country"), (f". {pick(rng, rc)}:", None), (r_name, "recipient_country"), (".", None)]))
    addr = L["address"][lang]
    blocks.append(Para([(f"3.2. {eu_label}:", None), (c.end_user_name, "end_user_name"), (f", {addr}:", None), (c.end_user_address, "end_user_address"), (".", None)]))
    if c.valid_until:
        blocks.append(Para([(f"3.3. {L['valid'][lang]}", None), (F.date_text(rng, c.valid_until, lang), "contract_valid_until"), (".", None)]))
    blocks.append(Para([(L["bank"][lang], None)], bold=True))
    blocks += _bank_noise(rng, lang) + [Space(10), _signature_lines(lang)]
    return blocks


G = {
    "title": {"ru": ["ГАРАНТИЙНОЕ ОБЯЗАТЕЛЬСТВО", "СЕРТИФИКАТ КОНЕЧНОГО ПОЛЬЗОВАТЕЛЯ (ГАРАНТИЙНОЕ ОБЯЗАТЕЛЬСТВО)"],
              "kk": ["КЕПІЛДІК МІНДЕТТЕМЕ", "СОҢҒЫ ПАЙДАЛАНУ ТУРАЛЫ КЕПІЛДІК МІНДЕТТЕМЕ"],
              "en": ["END-USE GUARANTEE", "END-USER CERTIFICATE", "END-USE CERTIFICATE AND GUARANTEE"]},
}


def guarantee_blocks(rng: random.Random, g: Guarantee, layout: str) -> list:
    lang = g.language
    c = g.contract
    date_s = F.date_text(rng, g.date, lang)
    c_date_s = F.date_text(rng, c.date, lang)
    blocks: list = [Title(g.authority, 12, tag="issuing_authority", align="center"),
                    Para([(F.country_text(rng, g.country, lang), "issuing_country")], align="center", size=10), Rule(), Space(4)]
    no = "No." if lang == "en" else "№"
    date_word = {"ru": "от", "kk": "", "en": "dated"}[lang]
    if lang == "kk":
        blocks.append(Para([(date_s, "guarantee_date"), (f"{no}", None), (g.number, "guarantee_number")]))
    else:
        blocks.append(Para([(f"{no}", None), (g.number, "guarantee_number"), (date_word, None), (date_s, "guarantee_date")]))
    blocks += [Space(6), Title(pick(rng, G["title"][lang]), 13), Space(4)]
    purpose = g.purpose
    if lang == "ru":
        body = [(g.authority, None), ("настоящим гарантирует, что товары, поставляемые по контракту №", None), (c.number, "contract_number"),
                ("от", None), (c_date_s, "contract_date"), (", предназначены для конечного пользователя", None),
                (g.end_user_name, "end_user_name"), (f"({g.end_user_address})", None),
                ("и будут использоваться исключительно для заявленных целей:" if g.end_use_commitment else "для следующих целей:", None),
                (purpose, "declared_end_use"), (".", None)]
        commit = ("Конечный пользователь обязуется использовать товары только в заявленных целях.",
                  "Товары не будут реэкспортированы в третьи страны без согласия уполномоченного органа Республики Казахстан.")
        valid = "Настоящее гарантийное обязательство действительно до"
    elif lang == "kk":
        body = [(g.authority, None), ("осы арқылы", None), (c_date_s, "contract_date"), ("№", None), (c.number, "contract_number"),
                ("келісімшарт бойынша жеткізілетін тауарлар соңғы пайдаланушыға —", None), (g.end_user_name, "end_user_name"),
                (f"({g.end_user_address})", None),
                ("арналғанына және тек мәлімделген мақсатта:" if g.end_use_commitment else "арналғанына кепілдік береді. Пайдалану мақсаты:", None),
                (purpose, "declared_end_use"), ("пайдаланылатынына кепілдік береді." if g.end_use_commitment else ".", None)]
        commit = ("Соңғы пайдаланушы тауарларды тек мәлімделген мақсатта пайдалануға міндеттенеді.",
                  "Тауарлар Қазақстан Республикасының уәкілетті органының келісімінсіз үшінші елдерге қайта экспортталмайды.")
        valid = "Осы кепілдік міндеттеме мына күнге дейін жарамды:"
    else:
        body = [("The", None), (g.authority, None), ("hereby certifies that the goods supplied under Contract No.", None), (c.number, "contract_number"),
                ("dated", None), (c_date_s, "contract_date"), ("are intended for the end user", None), (g.end_user_name, "end_user_name"),
                (f"({g.end_user_address})", None), ("and will be used solely for" if g.end_use_commitment else "for the purpose of", None),
                (purpose, "declared_end_use"), (".", None)]
        commit = ("The end user undertakes to use the goods only for the declared purpose.",
                  "The goods will not be re-exported to third countries without the consent of the authorised body of the Republic of Kazakhstan.")
        valid = "This guarantee is valid until"
    blocks.append(Para(body))
    if g.list_goods:
        h = L["headers"][lang]
        rows = []
        for i, gl in enumerate(c.goods):
            t = f"goods.{i}."
            rows.append([[(str(i + 1), None)], [(gl.name(lang), t + "name")], [(F.tnved_text(rng, gl.tnved_code), t + "tnved_code")],
                         [(gl.control_code, t + "control_list_code")], [(F.unit_text(rng, gl.unit_code, lang), t + "unit_code")],
                         [(F.quantity_text(rng, gl.quantity, lang), t + "quantity")]])
        blocks.append(Table(h[:6], rows, [0.06, 0.38, 0.18, 0.16, 0.1, 0.12]))
    said = " ".join(text for text, given in zip(commit, (g.end_use_commitment, g.no_reexport_commitment)) if given)
    if said:
        blocks.append(Para([(said, None)]))
    if g.valid_until:
        blocks.append(Para([(valid, None), (F.date_text(rng, g.valid_until, lang), "guarantee_valid_until"), (".", None)]))
    sign = {"ru": "Уполномоченное лицо: ____________________", "kk": "Уәкілетті тұлға: ____________________", "en": "Authorised official: ____________________"}[lang]
    blocks += [Space(14), Para([(sign, None)])]
    return blocks
