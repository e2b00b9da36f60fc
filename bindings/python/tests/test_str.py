"""``str(payment)``: one short line without personal data; ``repr`` keeps every field."""

from __future__ import annotations

import ovo

NAME = "Budi Santoso"
PHONE = "081211111111"


def paid() -> ovo.Payment:
    return ovo.Payment(
        outcome=ovo.Outcome.PAID,
        result=ovo.Result.OK,
        status="SUCCESS",
        response_code="00",
        response_code_info=ovo.describe_code("00"),
        request_id="1b4e28ba-2fa1-11d2-883f-0016d3cca427",
        http_status=200,
        client_id="MCH-0001-10791114622547",
        invoice_number="INV-20240101-0001",
        amount=10000,
        ovo_id=PHONE,
        account_name=NAME,
        approval_code="A1B2C3",
        raw_body=f'{{"ovo_info": {{"ovo_id": "{PHONE}", "ovo_account_name": "{NAME}"}}}}'.encode(),
        raw={"ovo_info": {"ovo_id": PHONE, "ovo_account_name": NAME}},
    )


def test_str_is_one_short_line_without_personal_data() -> None:
    text = str(paid())
    assert text == (
        "Payment PAID (SUCCESS 00), invoice INV-20240101-0001, amount 10000, "
        "request-id 1b4e28ba-2fa1-11d2-883f-0016d3cca427"
    )
    assert NAME not in text and PHONE not in text and "\n" not in text
    assert f"{paid()}" == text


def test_repr_keeps_the_detail() -> None:
    detail = repr(paid())
    assert NAME in detail and PHONE in detail and "A1B2C3" in detail


def test_str_of_a_partial_payment_names_the_result() -> None:
    partial = ovo.Payment(
        outcome=ovo.Outcome.UNKNOWN,
        result=ovo.Result.OUTCOME_UNKNOWN,
        status=None,
        response_code=None,
        response_code_info=None,
        request_id="1b4e28ba-2fa1-11d2-883f-0016d3cca427",
        http_status=None,
    )
    assert str(partial) == (
        "Payment UNKNOWN (OUTCOME_UNKNOWN), request-id 1b4e28ba-2fa1-11d2-883f-0016d3cca427"
    )
    nothing_sent = ovo.Payment(ovo.Outcome.NOT_PAID, ovo.Result.NOT_SENT, None, None, None, None, None)
    assert str(nothing_sent) == "Payment NOT_PAID (NOT_SENT), request-id -"
