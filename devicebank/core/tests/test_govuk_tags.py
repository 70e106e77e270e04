"""The GOV.UK template tags and page templates render GOV.UK Frontend 6 markup. No database needed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django import forms
from django.contrib import messages
from django.contrib.messages.storage.base import Message
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.template import Context, Template
from django.template.loader import render_to_string
from django.urls import path

from devicebank.core.templatetags.govuk import govuk_page_range


def _sign_out(request: HttpRequest) -> HttpResponse:
    return HttpResponse()


# A tiny URLconf so base.html's {% url 'sign-out' %} resolves without the project's URLs.
urlpatterns = [
    path("sign-out/", _sign_out, name="sign-out"),
    path("account/", _sign_out, name="account"),
]

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates"


class DeviceForm(forms.Form):
    asset_tag = forms.CharField(label="Asset tag", max_length=20, help_text="On the sticker, like DB-00042")
    email = forms.EmailField(label="Contact email", required=False)
    ram_gb = forms.DecimalField(label="Memory (GB)", min_value=0, max_value=4096)
    units = forms.IntegerField(label="Units", min_value=1)
    password = forms.CharField(label="Password", widget=forms.PasswordInput)
    notes = forms.CharField(label="Notes", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    reason = forms.CharField(label="Why (optional)", required=False)
    device_type = forms.ChoiceField(
        label="Type", choices=[("", "Choose a type"), ("laptop", "Laptop"), ("tablet", "Tablet")]
    )
    grade = forms.ChoiceField(
        label="Grade",
        choices=[("a", "Grade A"), ("b", "Grade B"), ("c", "Grade C")],
        widget=forms.RadioSelect,
        help_text="How it looks, not how it works.",
    )
    accessories = forms.MultipleChoiceField(
        label="Accessories",
        choices=[("charger", "Charger"), ("mouse", "Mouse"), ("bag", "Bag")],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    confirm = forms.BooleanField(label="I have checked the serial number")
    photo = forms.FileField(label="Photo", required=False)
    received_on = forms.DateField(label="Received on", required=False)
    expected_state = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("units") == 13:
            raise forms.ValidationError("Someone else changed this device. Check it and try again.")
        return cleaned


VALID = {
    "asset_tag": "DB-00042",
    "ram_gb": "8",
    "units": "1",
    "password": "secret",
    "device_type": "laptop",
    "grade": "b",
    "confirm": "on",
}


def render(source: str, **context: Any) -> str:
    return Template("{% load govuk %}" + source).render(Context(context))


def field_html(form: forms.Form, name: str, **kwargs: str) -> str:
    options = "".join(f' {key}="{value}"' for key, value in kwargs.items())
    return render(f"{{% govuk_field form.{name}{options} %}}", form=form)


def squash(html: str) -> str:
    return re.sub(r"\s+", " ", html)


# Text inputs ---------------------------------------------------------------------------------------------


def test_a_text_input_has_a_label_hint_and_no_error_when_unbound() -> None:
    html = squash(field_html(DeviceForm(), "asset_tag"))

    assert '<div class="govuk-form-group">' in html
    assert '<label class="govuk-label" for="id_asset_tag">Asset tag</label>' in html
    assert '<div id="id_asset_tag-hint" class="govuk-hint">On the sticker, like DB-00042</div>' in html
    assert (
        '<input class="govuk-input" id="id_asset_tag" name="asset_tag" type="text" '
        'aria-describedby="id_asset_tag-hint">'
    ) in html
    assert "govuk-error-message" not in html


def test_a_field_in_error_gets_error_classes_a_message_and_keeps_what_was_typed() -> None:
    form = DeviceForm(data={**VALID, "asset_tag": "x" * 21 + "<b>"})
    html = squash(field_html(form, "asset_tag"))

    assert 'class="govuk-form-group govuk-form-group--error"' in html
    assert (
        '<p id="id_asset_tag-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> '
        "Ensure this value has at most 20 characters (it has 24).</p>"
    ) in html
    assert 'class="govuk-input govuk-input--error"' in html
    assert 'aria-describedby="id_asset_tag-hint id_asset_tag-error"' in html
    assert f'value="{"x" * 21}&lt;b&gt;"' in html


def test_required_fields_are_not_marked_and_optional_ones_say_so_once() -> None:
    form = DeviceForm()

    assert ">Asset tag</label>" in field_html(form, "asset_tag")
    assert ">Contact email (optional)</label>" in field_html(form, "email")
    assert ">Why (optional)</label>" in field_html(form, "reason")
    assert "*" not in field_html(form, "asset_tag")


def test_a_form_or_a_field_can_opt_out_of_the_optional_marker() -> None:
    class FilterForm(forms.Form):
        govuk_mark_optional = False
        q = forms.CharField(label="Search", required=False)

    assert ">Search</label>" in field_html(FilterForm(), "q")
    assert ">Contact email</label>" in render(
        "{% govuk_field form.email mark_optional=False %}", form=DeviceForm()
    )


def test_inputs_leave_validation_to_the_server() -> None:
    html = field_html(DeviceForm(), "asset_tag")

    assert "required" not in html
    assert "maxlength" not in html


def test_numbers_are_text_inputs_with_a_numeric_keyboard() -> None:
    decimal = squash(field_html(DeviceForm(), "ram_gb"))
    whole = squash(field_html(DeviceForm(), "units"))

    assert 'type="text" inputmode="decimal"' in decimal
    assert 'type="text" inputmode="numeric"' in whole
    for html in (decimal, whole):
        assert 'type="number"' not in html
        assert "min=" not in html
        assert "max=" not in html
        assert "step=" not in html
        assert 'spellcheck="false"' in html


def test_email_inputs_have_the_email_type_and_no_spellcheck() -> None:
    html = field_html(DeviceForm(data={**VALID, "email": "ann@example.org"}), "email")

    assert 'type="email"' in html
    assert 'value="ann@example.org"' in html
    assert 'spellcheck="false"' in html


def test_a_password_is_not_sent_back_to_the_browser() -> None:
    html = field_html(DeviceForm(data={**VALID, "units": "x"}), "password")

    assert 'type="password"' in html
    assert "secret" not in html
    assert "value=" not in html


def test_a_date_input_keeps_what_was_typed() -> None:
    html = field_html(DeviceForm(data={**VALID, "received_on": "31/02/2025"}), "received_on")

    assert 'value="31/02/2025"' in html
    assert "govuk-input--error" in html


def test_classes_label_size_and_page_heading_options() -> None:
    html = squash(
        render(
            '{% govuk_field form.asset_tag classes="govuk-input--width-10" is_page_heading=True %}',
            form=DeviceForm(),
        )
    )

    assert 'class="govuk-input govuk-input--width-10"' in html
    assert (
        '<h1 class="govuk-label-wrapper"><label class="govuk-label govuk-label--l" for="id_asset_tag">'
        "Asset tag</label></h1>"
    ) in html
    assert "govuk-label--m" in render('{% govuk_field form.asset_tag label_size="m" %}', form=DeviceForm())


def test_an_unknown_label_size_is_a_template_error() -> None:
    from django.template import TemplateSyntaxError

    with pytest.raises(TemplateSyntaxError):
        render('{% govuk_field form.asset_tag label_size="huge" %}', form=DeviceForm())


def test_the_autocomplete_option_is_passed_to_the_input() -> None:
    assert 'autocomplete="email"' in render(
        '{% govuk_field form.email autocomplete="email" %}', form=DeviceForm()
    )


def test_a_prefixed_form_uses_prefixed_ids_and_names() -> None:
    html = field_html(DeviceForm(prefix="device"), "asset_tag")

    assert 'id="id_device-asset_tag"' in html
    assert 'name="device-asset_tag"' in html
    assert 'id="id_device-asset_tag-hint"' in html


# Textarea, select, radios, checkboxes, file upload, hidden -----------------------------------------------


def test_a_textarea_keeps_its_text_and_rows() -> None:
    html = field_html(DeviceForm(data={**VALID, "notes": "Cracked\nhinge & dent"}), "notes")

    assert '<textarea class="govuk-textarea" id="id_notes" name="notes" rows="3">' in html
    assert "Cracked\nhinge &amp; dent</textarea>" in html
    assert "cols=" not in html


def test_a_select_keeps_the_chosen_option() -> None:
    html = squash(
        field_html(DeviceForm(data={**VALID, "device_type": "tablet", "units": "x"}), "device_type")
    )

    assert '<select class="govuk-select" id="id_device_type" name="device_type">' in html
    assert '<option value="tablet" selected>Tablet</option>' in html
    assert '<option value="laptop">Laptop</option>' in html


def test_a_select_in_error() -> None:
    html = field_html(DeviceForm(data={**VALID, "device_type": ""}), "device_type")

    assert 'class="govuk-select govuk-select--error"' in html
    assert 'aria-describedby="id_device_type-error"' in html


def test_a_select_with_groups_renders_optgroups() -> None:
    class Form(forms.Form):
        where = forms.ChoiceField(
            label="Where",
            choices=[("North", [("leeds", "Leeds"), ("york", "York")]), ("South", [("bath", "Bath")])],
        )

    html = squash(field_html(Form(), "where"))

    assert '<optgroup label="North"> <option value="leeds">Leeds</option>' in html
    assert '<optgroup label="South"> <option value="bath">Bath</option> </optgroup>' in html


def test_radios_are_a_fieldset_whose_first_input_has_the_field_id() -> None:
    html = squash(field_html(DeviceForm(data={**VALID, "grade": "c", "units": "x"}), "grade"))

    assert '<fieldset class="govuk-fieldset" aria-describedby="id_grade-hint">' in html
    assert '<legend class="govuk-fieldset__legend">Grade</legend>' in html
    assert '<div class="govuk-radios" data-module="govuk-radios">' in html
    assert 'id="id_grade" name="grade" type="radio" value="a">' in html
    assert '<label class="govuk-label govuk-radios__label" for="id_grade">Grade A</label>' in html
    assert 'id="id_grade-2" name="grade" type="radio" value="b">' in html
    assert 'id="id_grade-3" name="grade" type="radio" value="c" checked>' in html


def test_radios_in_error_describe_the_fieldset_and_can_be_the_page_heading() -> None:
    form = DeviceForm(data={**VALID, "grade": ""})
    html = squash(
        render('{% govuk_field form.grade is_page_heading=True classes="govuk-radios--inline" %}', form=form)
    )

    assert "govuk-form-group--error" in html
    assert 'aria-describedby="id_grade-hint id_grade-error"' in html
    assert (
        '<legend class="govuk-fieldset__legend govuk-fieldset__legend--l">'
        '<h1 class="govuk-fieldset__heading">Grade</h1></legend>'
    ) in html
    assert 'class="govuk-radios govuk-radios--inline"' in html


def test_checkboxes_keep_every_ticked_value() -> None:
    html = squash(field_html(DeviceForm(data={**VALID, "accessories": ["charger", "bag"]}), "accessories"))

    assert '<legend class="govuk-fieldset__legend">Accessories (optional)</legend>' in html
    assert '<div class="govuk-checkboxes" data-module="govuk-checkboxes">' in html
    assert 'id="id_accessories" name="accessories" type="checkbox" value="charger" checked>' in html
    assert 'id="id_accessories-2" name="accessories" type="checkbox" value="mouse">' in html
    assert 'id="id_accessories-3" name="accessories" type="checkbox" value="bag" checked>' in html


def test_a_single_checkbox_uses_the_field_label_and_keeps_its_tick() -> None:
    ticked = squash(field_html(DeviceForm(data={**VALID, "units": "x"}), "confirm"))
    missing = squash(field_html(DeviceForm(data={**VALID, "confirm": ""}), "confirm"))

    assert 'id="id_confirm" name="confirm" type="checkbox" checked>' in ticked
    assert (
        '<label class="govuk-label govuk-checkboxes__label" for="id_confirm">I have checked the serial number</label>'
    ) in ticked
    assert "(optional)" not in ticked
    assert "govuk-form-group--error" in missing
    assert 'aria-describedby="id_confirm-error"' in missing
    assert "checked>" not in missing


def test_a_file_upload() -> None:
    class Form(forms.Form):
        photo = forms.FileField(label="Photo")

    unbound = squash(field_html(Form(), "photo"))
    in_error = squash(field_html(Form(data={}, files={}), "photo"))

    assert '<input class="govuk-file-upload" id="id_photo" name="photo" type="file">' in unbound
    assert 'class="govuk-file-upload govuk-file-upload--error"' in in_error
    assert 'aria-describedby="id_photo-error"' in in_error


def test_a_hidden_field_is_just_a_hidden_input() -> None:
    html = field_html(DeviceForm(data={**VALID, "expected_state": "ready"}), "expected_state")

    assert html.strip() == '<input type="hidden" name="expected_state" value="ready" id="id_expected_state">'


# Error summary -----------------------------------------------------------------------------------------


def test_there_is_no_error_summary_for_an_unbound_or_valid_form() -> None:
    valid = DeviceForm(data=VALID)
    assert valid.is_valid(), valid.errors

    assert render("{% govuk_error_summary form %}", form=DeviceForm()) == ""
    assert render("{% govuk_error_summary form %}", form=valid) == ""
    assert render("{% govuk_error_summary form %}", form=None) == ""


def test_the_error_summary_links_to_each_field_in_form_order() -> None:
    form = DeviceForm(data={**VALID, "asset_tag": "", "grade": "", "accessories": ["nope"], "units": "13"})
    html = squash(render("{% govuk_error_summary form %}", form=form))

    assert '<div class="govuk-error-summary" data-module="govuk-error-summary"> <div role="alert">' in html
    assert '<h2 class="govuk-error-summary__title">There is a problem</h2>' in html
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', html)
    assert links == [
        ("#id_asset_tag", "This field is required."),
        ("#id_grade", "This field is required."),
        ("#id_accessories", "Select a valid choice. nope is not one of the available choices."),
    ]


def test_non_field_errors_come_first_without_a_link() -> None:
    form = DeviceForm(data={**VALID, "units": "13"})
    html = squash(render("{% govuk_error_summary form %}", form=form))

    assert "<li>Someone else changed this device. Check it and try again.</li>" in html
    assert "<a " not in html


def test_the_error_summary_covers_several_forms_and_takes_a_title() -> None:
    first = DeviceForm(data={**VALID, "asset_tag": ""})
    second = DeviceForm(data={**VALID, "units": ""}, prefix="other")
    html = render(
        '{% govuk_error_summary first second title="Check the devices" %}', first=first, second=second
    )

    assert "Check the devices" in html
    assert 'href="#id_asset_tag"' in html
    assert 'href="#id_other-units"' in html


def test_errors_on_hidden_fields_are_listed_without_a_link() -> None:
    class Form(forms.Form):
        expected_state = forms.CharField(widget=forms.HiddenInput)

    html = render("{% govuk_error_summary form %}", form=Form(data={}))

    assert "<li>This field is required.</li>" in html
    assert "<a " not in html


# Buttons ---------------------------------------------------------------------------------------------------


def test_a_button_is_a_submit_button_with_the_govuk_module() -> None:
    assert render('{% govuk_button "Continue" %}') == (
        '<button type="submit" class="govuk-button" data-module="govuk-button">Continue</button>'
    )


def test_button_variants_name_value_and_escaping() -> None:
    assert render('{% govuk_button "Apply filters" secondary=True %}') == (
        '<button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button">'
        "Apply filters</button>"
    )
    assert render('{% govuk_button "Delete" warning=True name="action" value="delete" %}') == (
        '<button type="submit" name="action" value="delete" class="govuk-button govuk-button--warning" '
        'data-module="govuk-button">Delete</button>'
    )
    assert "&lt;b&gt;" in render("{% govuk_button text %}", text="<b>")


def test_a_button_with_href_is_a_link() -> None:
    assert render('{% govuk_button "Register a device" href="/devices/new/" %}') == (
        '<a href="/devices/new/" role="button" draggable="false" class="govuk-button" '
        'data-module="govuk-button">Register a device</a>'
    )


# Pagination ---------------------------------------------------------------------------------------------


@dataclass
class _Paginator:
    num_pages: int


@dataclass
class _Page:
    number: int
    paginator: _Paginator


@pytest.mark.parametrize(
    ("number", "pages", "expected"),
    [
        (1, 1, [1]),
        (1, 3, [1, 2, 3]),
        (5, 10, [1, None, 4, 5, 6, None, 10]),
        (2, 10, [1, 2, 3, None, 10]),
        (10, 10, [1, None, 9, 10]),
    ],
)
def test_page_range_shows_first_last_and_neighbours(
    number: int, pages: int, expected: list[int | None]
) -> None:
    assert govuk_page_range(_Page(number, _Paginator(pages))) == expected


def test_pagination_keeps_the_query_and_marks_the_current_page() -> None:
    page = Paginator(list(range(100)), 10).page(5)
    html = squash(
        render_to_string("govuk/pagination.html", {"page_obj": page, "query_string": "state=ready&q=DB"})
    )

    assert '<nav class="govuk-pagination" aria-label="Pagination">' in html
    assert 'href="?state=ready&amp;q=DB&amp;page=4" rel="prev"' in html
    assert 'href="?state=ready&amp;q=DB&amp;page=6" rel="next"' in html
    assert 'href="?state=ready&amp;q=DB&amp;page=5" aria-label="Page 5" aria-current="page">5</a>' in html
    assert html.count("govuk-pagination__item--ellipsis") == 2


def test_pagination_is_empty_for_one_page_and_has_no_previous_on_the_first() -> None:
    assert render_to_string("govuk/pagination.html", {"page_obj": Paginator([1], 10).page(1)}).strip() == ""
    first = render_to_string("govuk/pagination.html", {"page_obj": Paginator(list(range(30)), 10).page(1)})
    assert 'rel="prev"' not in first
    assert 'href="?page=2" rel="next"' in first


# Includes --------------------------------------------------------------------------------------------------


def test_summary_list_tag_back_link_and_notification_banner_includes() -> None:
    rows = [
        {"key": "Serial number", "value": "", "href": "/edit/", "hidden": "serial number"},
        {"key": "Memory", "value": "8 GiB"},
    ]
    summary = squash(render_to_string("govuk/summary_list.html", {"rows": rows}))
    assert '<dt class="govuk-summary-list__key">Serial number</dt>' in summary
    assert '<dd class="govuk-summary-list__value">Not known</dd>' in summary
    assert 'href="/edit/">Change<span class="govuk-visually-hidden"> serial number</span></a>' in summary

    tag = render_to_string("govuk/tag.html", {"text": "Ready", "colour": "green"})
    assert tag == '<strong class="govuk-tag govuk-tag--green">Ready</strong>\n'

    back = render_to_string("govuk/back_link.html", {"href": "/devices/"})
    assert back == '<a href="/devices/" class="govuk-back-link">Back</a>\n'

    banner = squash(render_to_string("govuk/notification_banner.html", {"text": "Saved.", "type": "success"}))
    assert 'class="govuk-notification-banner govuk-notification-banner--success" role="alert"' in banner
    assert (
        '<h2 class="govuk-notification-banner__title" id="govuk-notification-banner-title">Success</h2>'
        in banner
    )
    assert '<p class="govuk-notification-banner__heading">Saved.</p>' in banner


# The page template -------------------------------------------------------------------------------------------


@dataclass
class _User:
    full_name: str
    email: str
    is_authenticated: bool = True

    def get_full_name(self) -> str:
        return self.full_name

    def get_username(self) -> str:
        return self.email


@dataclass
class _NavItem:
    label: str
    url: str
    active: bool


def test_every_error_page_renders_without_any_context() -> None:
    for status, heading in [
        (400, "Sorry, there is a problem with your request"),
        (403, "You do not have permission to see this page"),
        (404, "Page not found"),
        (500, "Sorry, there is a problem with the service"),
    ]:
        html = render_to_string(f"{status}.html")
        assert f"<title>{heading} – devicebank</title>" in html
        assert f'<h1 class="govuk-heading-l">{heading}</h1>' in html
        assert "Sign out" not in html
        assert html.count("<h1") == 1


def test_base_page_structure_without_gov_uk_branding() -> None:
    html = render_to_string("404.html", {"service_name": "devicebank"})

    assert '<html lang="en-GB" class="govuk-template">' in html
    assert '<body class="govuk-template__body">' in html
    assert '<a href="#main-content" class="govuk-skip-link" data-module="govuk-skip-link">' in html
    assert '<main class="govuk-main-wrapper" id="main-content">' in html
    assert '<a href="/" class="govuk-service-navigation__link">devicebank</a>' in html
    assert '<a class="govuk-footer__link" href="/accessibility/">Accessibility</a>' in html
    assert '<a class="govuk-footer__link" href="/api/docs/">API documentation</a>' in html
    assert '<script type="module" src="/static/devicebank/app.js"></script>' in html
    assert 'href="/static/govuk/govuk-frontend.css"' in html
    for branding in (
        "govuk-header__logotype",
        "govuk-footer__crown",
        "GOV.UK</title>",
        "Crown copyright",
        "crest",
    ):
        assert branding not in html


def test_signed_in_people_see_navigation_their_name_and_sign_out(settings: Any) -> None:
    settings.ROOT_URLCONF = __name__
    navigation = [_NavItem("Home", "/", False), _NavItem("Devices", "/devices/", True)]
    html = squash(
        render_to_string(
            "404.html",
            {
                "service_name": "devicebank",
                "navigation": navigation,
                "user": _User("Ann Lee", "ann@example.org"),
                "csrf_token": "token123",
            },
        )
    )

    assert '<nav aria-label="Menu" class="govuk-service-navigation__wrapper">' in html
    assert '<a class="govuk-service-navigation__link" href="/"> Home </a>' in html
    assert (
        '<li class="govuk-service-navigation__item govuk-service-navigation__item--active"> '
        '<a class="govuk-service-navigation__link" href="/devices/" aria-current="true"> '
        '<strong class="govuk-service-navigation__active-fallback">Devices</strong>'
    ) in html
    assert (
        '<a class="govuk-link app-account__name" href="/account/">Ann Lee'
        '<span class="govuk-visually-hidden">: your account</span></a>'
    ) in html
    assert '<form class="app-account__form" method="post" action="/sign-out/">' in html
    assert 'name="csrfmiddlewaretoken" value="token123"' in html
    assert '<button type="submit" class="app-link-button">Sign out</button>' in html


def test_messages_are_notification_banners() -> None:
    html = squash(
        render_to_string(
            "404.html",
            {
                "messages": [
                    Message(messages.SUCCESS, "DB-00042 is now ready."),
                    Message(messages.INFO, "Note"),
                ]
            },
        )
    )

    assert (
        'class="govuk-notification-banner govuk-notification-banner--success" role="alert" '
        'aria-labelledby="govuk-notification-banner-title-1"'
    ) in html
    assert '<p class="govuk-notification-banner__heading">DB-00042 is now ready.</p>' in html
    assert (
        'class="govuk-notification-banner" role="region" aria-labelledby="govuk-notification-banner-title-2"'
        in html
    )
    assert 'id="govuk-notification-banner-title-2">Important</h2>' in html


def test_no_template_has_inline_scripts_or_styles() -> None:
    """The Content Security Policy allows scripts and styles from our origin only."""
    for template in TEMPLATES_DIR.rglob("*.html"):
        source = template.read_text()
        assert "<style" not in source, template
        assert not re.search(r"\sstyle=", source), template
        assert not re.search(r"<script(?![^>]*\bsrc=)", source), template
        assert not re.search(r"\son[a-z]+=", source), template


def test_the_committed_front_end_has_no_gov_uk_font_or_images() -> None:
    """scripts/build-frontend.sh output: Arial, no GDS Transport, no crown or crest files to serve."""
    static = TEMPLATES_DIR.parent / "static"
    css = (static / "govuk" / "govuk-frontend.css").read_text(encoding="utf-8-sig")
    app_js = (static / "devicebank" / "app.js").read_text()

    assert "@font-face" not in css
    assert "GDS Transport" not in css
    assert "arial" in css
    assert all(url.startswith('url("data:') for url in re.findall(r"url\([^)]*\)", css))
    assert ".app-link-button" in css
    assert 'classList.add("js-enabled", "govuk-frontend-supported")' in app_js
    assert "initAll()" in app_js
    assert (static / "govuk" / "govuk-frontend.min.js").read_text().count("initAll") >= 1
