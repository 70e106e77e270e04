from __future__ import annotations

import pytest
from django import forms
from hypothesis import given
from hypothesis import strategies as st

from devicebank.places.postcodes import (
    InvalidPostcode,
    PostcodeField,
    format_postcode,
    is_postcode_district,
    is_valid_postcode,
    normalise_postcode,
    postcode_district,
    postcode_key,
)


@pytest.mark.parametrize(
    ("typed", "letter_form"),
    [
        ("SW1A 1AA", "SW1A 1AA"),
        ("sw1a1aa", "SW1A 1AA"),
        ("  w10   5ef ", "W10 5EF"),
        ("M1 1AE", "M1 1AE"),
        ("B33 8TH", "B33 8TH"),
        ("CR2 6XH", "CR2 6XH"),
        ("DN55 1PT", "DN55 1PT"),
        ("EC1A 1BB", "EC1A 1BB"),
        ("W1A 0AX", "W1A 0AX"),
        ("GIR 0AA", "GIR 0AA"),
        ("GY1 1AA", "GY1 1AA"),
        ("n11\u00a01np", "N11 1NP"),  # a no-break space pasted from a web page
    ],
)
def test_it_accepts_every_uk_format_and_writes_it_as_on_a_letter(typed: str, letter_form: str) -> None:
    assert format_postcode(typed) == letter_form
    assert postcode_key(typed) == letter_form.replace(" ", "")


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "SW1A",
        "SW1A 1A",
        "12345",
        "SW1A 1AO",
        "QA1 1AA",
        "AI1 1AA",
        "W1I 1AA",
        "SW1A 1AAA",
        "BFPO 1234",
        "SWIA 1AA",
        "E1 1CA",
    ],
)
def test_it_refuses_what_is_not_a_uk_postcode(typed: str) -> None:
    assert postcode_key(typed) is None
    assert not is_valid_postcode(typed)
    with pytest.raises(InvalidPostcode):
        format_postcode(typed)


def test_the_district_is_the_outward_code() -> None:
    assert postcode_district("w10 5ef") == "W10"
    assert postcode_district("SW1A1AA") == "SW1A"
    assert is_postcode_district("sw1a")
    assert is_postcode_district("N11")
    assert not is_postcode_district("N11 1NP")


def test_the_form_field_cleans_to_the_letter_form_and_says_what_to_enter() -> None:
    class Form(forms.Form):
        postcode = PostcodeField()

    form = Form({"postcode": "n111np"})
    assert form.is_valid()
    assert form.cleaned_data["postcode"] == "N11 1NP"
    form = Form({"postcode": "N11 1NO"})
    assert not form.is_valid()
    assert form.errors["postcode"] == ["Enter a full UK postcode, like SW1A 1AA"]
    assert Form({"postcode": ""}).errors["postcode"] == ["Enter a postcode"]


@given(st.text(max_size=20))
def test_checking_any_text_never_fails_and_a_key_always_formats(text: str) -> None:
    key = postcode_key(text)
    if key is not None:
        assert key == normalise_postcode(key)
        assert format_postcode(key).replace(" ", "") == key


FIRST, SECOND = "ABCDEFGHIJKLMNOPRSTUWYZ", "ABCDEFGHKLMNOPQRSTUVWXY"  # no Q, V, X first; no I, J, Z second


@st.composite
def outward_codes(draw: st.DrawFn) -> str:
    shape = draw(st.sampled_from(["A9", "A99", "AA9", "AA99", "A9A", "AA9A"]))
    digit = st.sampled_from("0123456789")
    code = draw(st.sampled_from(FIRST))
    for position, kind in enumerate(shape[1:], start=1):
        if kind == "9":
            code += draw(digit)
        elif position == 1:
            code += draw(st.sampled_from(SECOND))
        elif shape == "A9A":
            code += draw(st.sampled_from("ABCDEFGHJKPSTUW"))
        else:
            code += draw(st.sampled_from("ABEHMNPRVWXY"))
    return code


@given(
    outward_codes(),
    st.sampled_from("0123456789"),
    st.text(alphabet="ABDEFGHJLNPQRSTUWXYZ", min_size=2, max_size=2),
)
def test_every_shape_of_postcode_with_allowed_letters_is_accepted(
    outward: str, digit: str, letters: str
) -> None:
    postcode = f"{outward} {digit}{letters}"
    assert format_postcode(postcode.lower().replace(" ", "")) == postcode
    assert postcode_district(postcode) == outward
