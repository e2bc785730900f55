"""Goods-line rules on rows laid out as a reader would deliver them (words with boxes)."""
from extractors.fields.goods import goods_lines, line_sum
from extractors.text import Text, Word, group_rows


def _text(lines: list[str]) -> Text:
    """Rows of words; three spaces in a line mark a cell gap; "_" is an empty cell of one character."""
    words, y = [], 0.0
    for ln in lines:
        x = 40.0
        for cell in ln.split("   "):
            for t in cell.split():
                box = (x, y, x + 5 * len(t), y + 9)
                if t != "_":
                    words.append(Word(t, box, 0.95, box))
                x += 5 * len(t) + 4
            x += 40  # a gap wider than a word space: the next cell
        y += 14
    return Text(group_rows(1, words))


def _values(lines):
    return [{k: h.value for k, h in ln.items()} for ln in lines]


def test_table_row_with_wrapped_name_and_grouped_amount():
    t = _text(["№   Наименование товара   Код ТН ВЭД   Код по списку   Ед. изм.   Кол-во   Сумма",
               "1   Тепловизионная камера   8525 89 300 0   6A003.b.4   шт.   12   1 250 000,00",
               "_   TX-300",
               "2   Углеродное волокно   6815.11.000.0   1C010.b   кг   2,5   3 000,00"])
    got = _values(goods_lines(t, "ru"))
    assert got[0] == {"tnved_code": "8525893000", "control_list_code": "6A003.b.4", "unit_code": "796", "quantity": "12",
                      "value": "1250000.00", "name": "Тепловизионная камера TX-300"}
    assert got[1]["quantity"] == "2.5" and got[1]["unit_code"] == "166" and got[1]["value"] == "3000.00"
    assert line_sum(goods_lines(t, "ru")) == "1253000.00"


def test_table_with_the_code_before_the_name():
    t = _text(["HS code   Description   Unit   Qty   Amount",
               "8471 50 000 0   Computing server Q4   pcs   3   45,000.00"])
    got = _values(goods_lines(t, "en"))
    assert got[0]["name"] == "Computing server Q4" and got[0]["quantity"] == "3" and got[0]["value"] == "45000.00"


def test_prose_clauses_in_english_and_russian():
    t = _text(["1.1. 5 units of Hunting carbine X2 (HS code 9303300000, control list entry ML1.a), for the amount of",
               "94,504.95 EUR.",
               "1.2. Лазерный дальномер Q4 (код ТН ВЭД ЕАЭС 9013 80 000 0; код по списку контроля 6A005.a) в количестве",
               "24 шт. на сумму 1 250 000,00 евро."])
    got = _values(goods_lines(t, "en"))
    assert got[0] == {"tnved_code": "9303300000", "control_list_code": "ML1.a", "quantity": "5", "unit_code": "796",
                      "value": "94504.95", "name": "Hunting carbine X2"}
    assert got[1]["name"] == "Лазерный дальномер Q4" and got[1]["quantity"] == "24" and got[1]["value"] == "1250000.00"


def test_bank_numbers_are_not_goods():
    t = _text(["Продавец: БИН 180340012345, ИИК KZ123456789012345678, тел. +7 727 3434343, Расчетный счет № 1473031834."])
    assert goods_lines(t, "ru") == []
