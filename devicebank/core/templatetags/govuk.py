"""GOV.UK Design System form rendering and small formatting filters.

Django forms rendered as GOV.UK Frontend 6 components, ported from the Nunjucks templates in
node_modules/govuk-frontend/dist/govuk/components/*/template.njk. Usage::

    {% load govuk %}
    {% govuk_error_summary form %}
    {% govuk_field form.email classes="govuk-!-width-one-half" %}
    {% govuk_field form.reason label_size="l" is_page_heading=True %}
    {% govuk_button "Continue" %}

GOV.UK conventions this follows:
- required fields are not marked; optional ones get "(optional)" after the label. A form can opt out, for
  example a search or filter form where every field is optional, with ``govuk_mark_optional = False``;
- no ``required``, ``maxlength``, ``min``/``max`` attributes: the server validates and the error message says
  what to do, instead of the browser refusing silently or truncating what was pasted;
- numbers use ``type="text"`` with ``inputmode`` rather than ``type="number"``;
- the first radio or checkbox gets the field's id (``id_<name>``), so the error summary can link to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms, template
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.forms.utils import flatatt
from django.forms.widgets import Input
from django.template.loader import get_template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()

# Django's own widget templates, whatever FORM_RENDERER says: TemplatesSetting needs "django.forms" in
# INSTALLED_APPS to find them, and hidden inputs must render either way.
_DJANGO_WIDGETS = DjangoTemplates()

NOT_KNOWN = "Not known"
LABEL_SIZES = frozenset({"s", "m", "l", "xl"})

# Attributes the GOV.UK markup sets itself, or that GOV.UK asks services not to use (see the module docstring).
_DROPPED_ATTRS = frozenset({"id", "class", "required", "maxlength", "aria-invalid", "aria-describedby"})
_DROPPED_NUMBER_ATTRS = frozenset({"min", "max", "step"})


@dataclass(frozen=True)
class ErrorLink:
    """One line of the error summary; ``href`` is empty when there is nothing to link to."""

    text: str
    href: str


@dataclass(frozen=True)
class ChoiceItem:
    """A radio, checkbox or select option, ready for the templates."""

    id: str
    value: str
    label: str
    selected: bool
    group: str | None = None


def _field_id(bound_field: BoundField) -> str:
    # GOV.UK uses the name when there is no id; Django gives "" when the form has auto_id=False.
    return bound_field.auto_id or bound_field.html_name


def _mark_optional(bound_field: BoundField) -> bool:
    if bound_field.field.required or isinstance(bound_field.field.widget, forms.CheckboxInput):
        return False
    if not getattr(bound_field.form, "govuk_mark_optional", True):
        return False
    return "(optional)" not in str(bound_field.label).lower()


def _label_text(bound_field: BoundField, mark_optional: bool | None) -> str:
    label = str(bound_field.label or "")
    if mark_optional is None:
        mark_optional = _mark_optional(bound_field)
    return f"{label} (optional)" if mark_optional and label else label


def _widget_context(bound_field: BoundField, attrs: dict[str, Any]) -> dict[str, Any]:
    widget = bound_field.field.widget
    if bound_field.field.localize:
        widget.is_localized = True
    built = bound_field.build_widget_attrs(attrs, widget)
    context: dict[str, Any] = widget.get_context(bound_field.html_name, bound_field.value(), built)["widget"]
    return context


def _render_django_widget(bound_field: BoundField, attrs: dict[str, Any]) -> SafeString:
    widget = bound_field.field.widget
    built = bound_field.build_widget_attrs(attrs, widget)
    built.pop("aria-invalid", None)
    if bound_field.auto_id and "id" not in widget.attrs:
        built.setdefault("id", bound_field.auto_id)
    return SafeString(
        widget.render(bound_field.html_name, bound_field.value(), built, renderer=_DJANGO_WIDGETS)
    )


def _extra_attrs(attrs: dict[str, Any], drop: frozenset[str]) -> SafeString:
    return flatatt({key: value for key, value in attrs.items() if key not in drop})


def _choices(widget_context: dict[str, Any], field_id: str) -> list[ChoiceItem]:
    items: list[ChoiceItem] = []
    for group_name, options, _index in widget_context["optgroups"]:
        for option in options:
            number = len(items) + 1
            items.append(
                ChoiceItem(
                    id=field_id if number == 1 else f"{field_id}-{number}",
                    value="" if option["value"] is None else str(option["value"]),
                    label=str(option["label"]),
                    selected=bool(option["selected"]),
                    group=str(group_name) if group_name else None,
                )
            )
    return items


def _select_groups(items: list[ChoiceItem]) -> list[tuple[str | None, list[ChoiceItem]]]:
    groups: list[tuple[str | None, list[ChoiceItem]]] = []
    for item in items:
        if groups and groups[-1][0] == item.group:
            groups[-1][1].append(item)
        else:
            groups.append((item.group, [item]))
    return groups


def _template_for(widget: forms.Widget) -> str:
    # Order matters: CheckboxSelectMultiple is a RadioSelect, and most widgets are Inputs.
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.FileInput):
        return "file_upload"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, Input):
        return "input"
    return "other"


@register.simple_tag
def govuk_field(
    bound_field: BoundField,
    *,
    classes: str = "",
    label_size: str = "",
    is_page_heading: bool = False,
    mark_optional: bool | None = None,
    hint: str = "",
    autocomplete: str = "",
) -> SafeString:
    """Render a form field as the matching GOV.UK component, with its label, hint and error message.

    Args:
        bound_field: ``form.<name>``.
        classes: extra classes for the input, select, textarea or the radios/checkboxes container
            (e.g. ``govuk-input--width-10``, ``govuk-radios--inline``).
        label_size: ``s``, ``m``, ``l`` or ``xl``: the label or legend size (``l`` when it is the page heading).
        is_page_heading: wrap the label or legend in the page's ``<h1>``.
        mark_optional: force "(optional)" on or off; by default it follows ``field.required``.
        hint: hint text to use instead of the field's ``help_text``.
        autocomplete: an ``autocomplete`` token for inputs (e.g. ``email``, ``name``).
    """
    widget = bound_field.field.widget
    if widget.is_hidden:
        return _render_django_widget(bound_field, {})

    field_id = _field_id(bound_field)
    hint_text = hint or bound_field.help_text
    errors = [str(error) for error in bound_field.errors] if bound_field.form.is_bound else []
    hint_id = f"{field_id}-hint" if hint_text else ""
    error_id = f"{field_id}-error" if errors else ""
    described_by = " ".join(filter(None, [str(widget.attrs.get("aria-describedby", "")), hint_id, error_id]))

    if is_page_heading and not label_size:
        label_size = "l"
    if label_size and label_size not in LABEL_SIZES:
        raise template.TemplateSyntaxError(f"govuk_field label_size must be one of {sorted(LABEL_SIZES)}")

    kind = _template_for(widget)
    widget_context = _widget_context(bound_field, {})
    attrs: dict[str, Any] = dict(widget_context["attrs"])
    drop = _DROPPED_ATTRS
    input_type = widget_context.get("type", "")
    inputmode = ""
    if kind == "input" and input_type == "number":
        # GOV.UK: type="number" misbehaves (scroll wheel, rounding, "e"); use text with a numeric keyboard.
        input_type = "text"
        # DecimalField and FloatField are IntegerField subclasses, hence the second test.
        whole = isinstance(bound_field.field, forms.IntegerField) and not isinstance(
            bound_field.field, forms.DecimalField | forms.FloatField
        )
        inputmode = "numeric" if whole else "decimal"
        drop = drop | _DROPPED_NUMBER_ATTRS
        attrs.setdefault("spellcheck", "false")
    if kind == "input" and input_type in {"email", "url"}:
        attrs.setdefault("spellcheck", "false")
    if autocomplete:
        attrs["autocomplete"] = autocomplete
    if kind == "textarea":
        drop = drop | {"cols", "rows"}
    if kind == "file_upload":
        drop = drop | {"checked"}
    if kind == "checkbox":
        drop = drop | {"checked", "value"}

    items = _choices(widget_context, field_id) if "optgroups" in widget_context else []
    context = {
        "field": bound_field,
        "id": field_id,
        "name": bound_field.html_name,
        "label": _label_text(bound_field, mark_optional),
        "label_for": bound_field.id_for_label if kind == "other" else field_id,
        "label_size": label_size,
        "is_page_heading": is_page_heading,
        "hint": hint_text,
        "hint_id": hint_id,
        "errors": errors,
        "error_id": error_id,
        "described_by": described_by,
        "classes": " ".join(filter(None, [str(attrs.get("class", "")), classes])),
        "widget": widget_context,
        "value": widget_context.get("value"),
        "input_type": input_type or "text",
        "inputmode": inputmode,
        "rows": attrs.get("rows", 5),
        "checked": bool(attrs.get("checked")),
        "items": items,
        "groups": _select_groups(items) if kind == "select" else [],
        "attrs": _extra_attrs(attrs, drop),
        "widget_html": _render_django_widget(
            bound_field, {"aria-describedby": described_by} if described_by else {}
        )
        if kind == "other"
        else "",
    }
    return SafeString(get_template(f"govuk/fields/{kind}.html").render(context))


def _error_links(form: forms.BaseForm) -> list[ErrorLink]:
    links = [ErrorLink(text=str(error), href="") for error in form.non_field_errors()]
    for bound_field in form:
        for error in bound_field.errors:
            href = "" if bound_field.is_hidden else f"#{_field_id(bound_field)}"
            links.append(ErrorLink(text=str(error), href=href))
    return links


@register.simple_tag
def govuk_error_summary(*forms_: forms.BaseForm | None, title: str = "There is a problem") -> SafeString:
    """The "There is a problem" box linking to each field in error; nothing for unbound or valid forms.

    Takes one form or several (``{% govuk_error_summary form address_form %}``). Put it at the top of the
    main column, above the ``<h1>``, and prefix the page title with "Error: " when it shows.
    """
    links: list[ErrorLink] = []
    for form in forms_:
        if form is not None and form.is_bound and form.errors:
            links.extend(_error_links(form))
    if not links:
        return SafeString("")
    return SafeString(get_template("govuk/error_summary.html").render({"title": title, "errors": links}))


@register.simple_tag
def govuk_button(
    text: str,
    *,
    secondary: bool = False,
    warning: bool = False,
    inverse: bool = False,
    name: str = "",
    value: str = "",
    href: str = "",
    classes: str = "",
    button_type: str = "submit",
    prevent_double_click: bool = False,
) -> SafeString:
    """A GOV.UK button: ``<button type="submit" class="govuk-button" data-module="govuk-button">``.

    With ``href`` it is a link styled as a button (for "Start" or "Add another" journeys).
    """
    class_names = " ".join(
        filter(
            None,
            [
                "govuk-button",
                "govuk-button--secondary" if secondary else "",
                "govuk-button--warning" if warning else "",
                "govuk-button--inverse" if inverse else "",
                classes,
            ],
        )
    )
    if href:
        return format_html(
            '<a href="{}" role="button" draggable="false" class="{}" data-module="govuk-button">{}</a>',
            href,
            class_names,
            text,
        )
    # Attributes in the order GOV.UK Frontend writes them (flatatt would sort them).
    return format_html(
        '<button type="{}"{}{} class="{}" data-module="govuk-button"{}>{}</button>',
        button_type,
        format_html(' name="{}"', name) if name else "",
        format_html(' value="{}"', value) if value else "",
        class_names,
        SafeString(' data-prevent-double-click="true"') if prevent_double_click else "",
        text,
    )


@register.simple_tag
def govuk_page_range(page_obj: Any) -> list[int | None]:
    """Page numbers for the Pagination component: first, last, current and its neighbours; None = ellipsis."""
    current = int(page_obj.number)
    last = int(page_obj.paginator.num_pages)
    wanted = sorted({1, last, current - 1, current, current + 1} & set(range(1, last + 1)))
    pages: list[int | None] = []
    for number in wanted:
        if pages and number - (pages[-1] or 0) > 1:
            pages.append(None)
        pages.append(number)
    return pages
