import pytest

from extractors import normalise as N


@pytest.mark.parametrize("text,iso", [
    ("«12» марта 2025 года", "2025-03-12"), ("12 марта 2025 г.", "2025-03-12"), ("1 мая 2024 г.", "2024-05-01"),
    ("2025 жылғы 3 наурыз", "2025-03-03"), ("2025 ж. «05» қазан", "2025-10-05"), ("2024 жылғы «28» желтоқсан", "2024-12-28"),
    ("March 4, 2025", "2025-03-04"), ("4th March 2025", None), ("04 Mar 2025", "2025-03-04"), ("12.03.2025", "2025-03-12"),
    ("12/03/2025", "2025-03-12"), ("2025-03-12", "2025-03-12"), ("31.02.2025", None), ("dated 05.09.25", "2025-09-05"),
])
def test_dates(text, iso):
    assert N.parse_date(text) == iso


@pytest.mark.parametrize("text,value", [
    ("1 250 000,00", "1250000.00"), ("1,250,000.00", "1250000.00"), ("1.250.000,00", "1250000.00"),
    ("1250000.00", "1250000.00"), ("1 250 000", "1250000.00"), ("1\u00a0250\u00a0000,50", "1250000.50"),
    ("12,50", "12.50"), ("1,250", "1250.00"), ("250'000.00", "250000.00"), ("2520 019.80", "2520019.80"),
])
def test_money(text, value):
    assert N.money(text) == value


@pytest.mark.parametrize("text,value", [("3,5", "3.5"), ("1 000", "1000"), ("12", "12"), ("2.750", "2750"), ("0,25", "0.25")])
def test_quantities(text, value):
    assert N.quantity(text) == value


@pytest.mark.parametrize("text", ["1,2,3", "abc", "", "12,34,56.7"])
def test_not_numbers(text):
    assert N.parse_number(text) is None


@pytest.mark.parametrize("text,code", [
    ("8526 91 200 0", "8526912000"), ("8526.91.200.0", "8526912000"), ("8526912000", "8526912000"),
    ("8526 91 2000", "8526912000"), ("852691200O", "8526912000"), ("код 8526-91-200-0;", "8526912000"),
])
def test_tnved(text, code):
    assert N.tnved(text) == code


def test_tnved_not_inside_longer_numbers():
    assert N.tnved("IBAN KZ123456789012345678") is None
    assert N.tnved("12345678901") is None


@pytest.mark.parametrize("text,code", [
    ("2В001", "2B001"), ("6A003.b.4.", "6A003.b.4"), ("ML 8.a", "ML8.a"), ("1С350", "1C350"), ("5A002.a.1", "5A002.a.1"),
    ("МL10", "ML10"), ("3А001.а.7", "3A001.a.7"),
])
def test_control_codes(text, code):
    assert N.control_code(text) == code


@pytest.mark.parametrize("text,code", [
    ("шт.", "796"), ("шт", "796"), ("дана", "796"), ("pcs", "796"), ("кг", "166"), ("т", "168"), ("кв. м", "055"),
    ("м²", "055"), ("пар", "715"), ("тыс. шт.", "798"), ("796", "796"), ("bananas", None),
])
def test_units(text, code):
    assert N.unit_code(text) == code


@pytest.mark.parametrize("text,code", [
    ("долларов США", "USD"), ("долл. США", "USD"), ("US dollars", "USD"), ("$", "USD"), ("АҚШ доллары", "USD"),
    ("евро", "EUR"), ("€", "EUR"), ("тенге", "KZT"), ("теңге", "KZT"), ("₸", "KZT"), ("российских рублей", "RUB"),
    ("руб.", "RUB"), ("китайских юаней", "CNY"), ("Chinese yuan", "CNY"), ("CHF", "CHF"),
])
def test_currencies(text, code):
    assert N.currency(text) == code


@pytest.mark.parametrize("text,code", [
    ("Объединенных Арабских Эмиратов", "AE"), ("ОАЭ", "AE"), ("Біріккен Араб Әмірліктерінің", "AE"), ("UAE", "AE"),
    ("Германии", "DE"), ("ФРГ", "DE"), ("Federal Republic of Germany", "DE"), ("Турецкой Республики", "TR"),
    ("Republic of Türkiye", "TR"), ("Үндістанның", "IN"), ("Кыргызская Республика", "KG"), ("Қырғыз Республикасының", "KG"),
    ("Австралии", "AU"), ("Австрия", "AT"), ("Малайзии", "MY"),
])
def test_countries_in_three_languages(text, code):
    assert N.country(text) == code
