from extractors.certification import PageMarks, certification_failures, from_result, pages_to_certify


def _marks(*pages):
    return {p.page: p for p in pages}


def test_every_page_must_be_certified_by_default():
    marks = _marks(PageMarks(1, True, True), PageMarks(2, True, False), PageMarks(3, False, True))
    fails = certification_failures([[1, 2, 3]], marks, has_seal=True)
    assert [(f.page, f.missing) for f in fails] == [(2, ["seal"]), (3, ["signature"])]
    assert fails[0].text("ru") == "стр. 2: нет печати"
    assert fails[1].text("kk") == "бет 3: қолы жоқ"


def test_an_applicant_without_a_seal_needs_only_signatures():
    marks = _marks(PageMarks(1, True, False), PageMarks(2, False, False))
    fails = certification_failures([[1, 2]], marks, has_seal=False)
    assert [(f.page, f.missing) for f in fails] == [(2, ["signature"])]


def test_a_bound_copy_needs_only_the_last_page_of_each_document():
    assert pages_to_certify([[1, 2, 3], [4, 5]], bound=True) == [3, 5]
    marks = _marks(PageMarks(1, False, False), PageMarks(3, True, True), PageMarks(5, False, True))
    fails = certification_failures([[1, 2, 3], [4, 5]], marks, has_seal=True, bound=True)
    assert [(f.page, f.missing) for f in fails] == [(5, ["signature"])]


def test_rule_on_an_extraction_result_counts_unclaimed_and_unread_pages():
    result = {"documents": [{"pages": [1, 2]}],
              "pages": [{"page": 1, "seal": {"present": True}, "signature": {"present": True}},
                        {"page": 2, "seal": {"present": True}, "signature": {"present": True}},
                        {"page": 3, "seal": {"present": False}, "signature": {"present": True}}]}
    assert [(f.page, f.missing) for f in from_result(result, has_seal=True)] == [(3, ["seal"])]
    assert from_result(result, has_seal=False) == []
