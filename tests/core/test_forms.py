"""Forms as data: what `Form.validate` accepts, cleans and refuses, and the JSON Schema it publishes.

Every channel (portal, API, email) goes through `Form.validate`, so these are
the rules a requester meets and a plugin author relies on when reading
`ticket.form_data`.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from polydesk.core import Form, FormField, ValidationFailed, VisibleWhen
from polydesk.core.forms import FIELD_TYPES, MAX_TEXT


def form(*fields: FormField) -> Form:
    return Form(tuple(fields))


def refused(f: Form, data: dict[str, Any]) -> dict[str, str]:
    """The per-field messages of a refused submission."""
    with pytest.raises(ValidationFailed) as info:
        f.validate(data)
    return info.value.fields


COLOURS = (("red", "Red"), ("green", "Green"), ("blue", "Blue"))


# -- text-like fields ---------------------------------------------------------


@pytest.mark.parametrize("kind", ["text", "textarea", "person", "file"])
def test_text_like_fields_strip_whitespace(kind):
    f = form(FormField("value", kind, "Value"))
    assert f.validate({"value": "  hello world \n"}) == {"value": "hello world"}


@pytest.mark.parametrize("kind", ["text", "textarea", "email", "person", "file"])
def test_text_like_fields_refuse_non_text(kind):
    f = form(FormField("value", kind, "Value"))
    assert refused(f, {"value": 42}) == {"value": "Expected text."}


def test_text_max_length_counts_after_stripping():
    f = form(FormField("code", "text", "Code", max_length=5))
    assert f.validate({"code": "  abcde  "}) == {"code": "abcde"}
    assert refused(f, {"code": "abcdef"}) == {"code": "At most 5 characters."}


def test_text_without_max_length_is_capped_at_max_text():
    f = form(FormField("story", "textarea", "Story"))
    assert f.validate({"story": "x" * MAX_TEXT}) == {"story": "x" * MAX_TEXT}
    assert refused(f, {"story": "x" * (MAX_TEXT + 1)}) == {
        "story": f"At most {MAX_TEXT} characters."
    }


def test_text_pattern_must_match_the_whole_value():
    f = form(FormField("asset", "text", "Asset tag", pattern=r"[A-Z]{2}-\d{4}", example="AB-1234"))
    assert f.validate({"asset": "LT-0042"}) == {"asset": "LT-0042"}
    messages = refused(f, {"asset": "xLT-0042x"})
    assert messages == {"asset": "This value does not have the expected format."}


def test_required_text_of_only_whitespace_is_missing():
    f = form(FormField("title", "text", "Title", required=True))
    assert refused(f, {"title": "   "}) == {"title": "This field is required."}


def test_email_accepts_an_address_and_refuses_anything_else():
    f = form(FormField("email", "email", "Email"))
    assert f.validate({"email": " anna@example.org "}) == {"email": "anna@example.org"}
    for bad in ("anna", "anna@example", "an na@example.org", "@example.org"):
        assert refused(f, {"email": bad}) == {
            "email": "Enter an email address such as name@example.org."
        }, bad


# -- numbers and money ----------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [("42", 42), (42, 42), (" 7 ", 7), ("2.5", 2.5), (2.5, 2.5), ("-3", -3), ("1e3", 1000)],
)
def test_number_is_cleaned_to_int_or_float(raw, cleaned):
    result = form(FormField("n", "number", "N")).validate({"n": raw})
    assert result == {"n": cleaned}
    assert type(result["n"]) is type(cleaned)


@pytest.mark.parametrize("raw", ["abc", "12,5", "NaN", "Infinity", True, False, "1 2"])
def test_number_refuses_what_is_not_a_finite_number(raw):
    assert refused(form(FormField("n", "number", "N")), {"n": raw}) == {"n": "Expected a number."}


def test_number_min_and_max_are_inclusive():
    f = form(FormField("seats", "number", "Seats", min=1, max=10))
    assert f.validate({"seats": "1"}) == {"seats": 1}
    assert f.validate({"seats": "10"}) == {"seats": 10}
    assert refused(f, {"seats": "0"}) == {"seats": "Must be at least 1."}
    assert refused(f, {"seats": "10.5"}) == {"seats": "Must be at most 10."}


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [("12.5", "12.50"), (12.5, "12.50"), ("12", "12.00"), (12, "12.00"), ("0.07", "0.07")],
)
def test_money_is_cleaned_to_a_two_decimal_string(raw, cleaned):
    assert form(FormField("amount", "money", "Amount")).validate({"amount": raw}) == {
        "amount": cleaned
    }


def test_money_refuses_fractions_of_a_cent_and_non_numbers():
    f = form(FormField("amount", "money", "Amount"))
    assert refused(f, {"amount": "12.345"}) == {"amount": "At most two decimal places."}
    assert refused(f, {"amount": "twelve"}) == {"amount": "Expected a number."}
    assert refused(f, {"amount": True}) == {"amount": "Expected a number."}


def test_money_range_is_checked():
    f = form(FormField("amount", "money", "Amount", min=0.01, max=5000))
    assert f.validate({"amount": "5000"}) == {"amount": "5000.00"}
    assert refused(f, {"amount": "0"}) == {"amount": "Must be at least 0.01."}
    assert refused(f, {"amount": "5000.01"}) == {"amount": "Must be at most 5000."}


# -- dates ------------------------------------------------------------------------


def test_date_is_cleaned_to_iso_format():
    import datetime as dt

    f = form(FormField("start", "date", "Start"))
    assert f.validate({"start": "2024-02-29"}) == {"start": "2024-02-29"}
    assert f.validate({"start": " 2024-03-01 "}) == {"start": "2024-03-01"}
    assert f.validate({"start": dt.date(2025, 1, 6)}) == {"start": "2025-01-06"}


@pytest.mark.parametrize("raw", ["2023-02-29", "2024-13-01", "next monday", "01/02/2024"])
def test_date_refuses_impossible_or_non_iso_dates(raw):
    assert refused(form(FormField("start", "date", "Start")), {"start": raw}) == {
        "start": "Enter a date as YYYY-MM-DD."
    }


# -- choices ----------------------------------------------------------------------


def test_select_accepts_a_choice_value_only():
    f = form(FormField("colour", "select", "Colour", choices=COLOURS))
    assert f.validate({"colour": "green"}) == {"colour": "green"}
    # The label is not the value.
    assert refused(f, {"colour": "Green"}) == {"colour": "Choose one of: blue, green, red."}


def test_multiselect_cleans_to_a_list_without_duplicates_in_order():
    f = form(FormField("colours", "multiselect", "Colours", choices=COLOURS))
    assert f.validate({"colours": ["blue", "red", "blue"]}) == {"colours": ["blue", "red"]}
    # A single value (one checked box in an HTML form) becomes a list of one.
    assert f.validate({"colours": "green"}) == {"colours": ["green"]}


def test_multiselect_refuses_unknown_choices_and_non_lists():
    f = form(FormField("colours", "multiselect", "Colours", choices=COLOURS))
    assert refused(f, {"colours": ["red", "pink", "grey"]}) == {
        "colours": "Not a choice: pink, grey."
    }
    assert refused(f, {"colours": {"red": True}}) == {"colours": "Expected a list of choices."}


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        (True, True),
        ("on", True),
        ("TRUE", True),
        ("1", True),
        ("yes", True),
        (False, False),
        ("off", False),
        ("false", False),
        ("0", False),
        ("No", False),
    ],
)
def test_checkbox_is_cleaned_to_a_boolean(raw, cleaned):
    assert form(FormField("ok", "checkbox", "OK")).validate({"ok": raw}) == {"ok": cleaned}


def test_checkbox_left_out_is_false_and_nonsense_is_refused():
    f = form(FormField("ok", "checkbox", "OK"))
    assert f.validate({}) == {"ok": False}
    assert refused(f, {"ok": "maybe"}) == {"ok": "Expected true or false."}


def test_every_field_type_is_covered_here():
    # When a field type is added, this module must learn about it.
    assert set(FIELD_TYPES) == {
        "text",
        "textarea",
        "number",
        "money",
        "date",
        "select",
        "multiselect",
        "checkbox",
        "email",
        "person",
        "file",
    }


# -- required, unknown keys, all errors at once -------------------------------------


@pytest.mark.parametrize("kind", [k for k in FIELD_TYPES if k != "checkbox"])
@pytest.mark.parametrize("missing", [{}, {"value": None}, {"value": ""}, {"value": []}])
def test_required_field_missing_or_empty_is_refused(kind, missing):
    f = form(FormField("value", kind, "Value", required=True, choices=COLOURS))
    assert refused(f, missing) == {"value": "This field is required."}


def test_required_checkbox_left_out_is_refused():
    f = form(FormField("agree", "checkbox", "I agree", required=True))
    assert refused(f, {}) == {"agree": "This field is required."}


@pytest.mark.parametrize("kind", [k for k in FIELD_TYPES if k != "checkbox"])
def test_optional_field_left_out_is_not_stored(kind):
    f = form(FormField("value", kind, "Value", choices=COLOURS))
    assert f.validate({}) == {}
    assert f.validate({"value": ""}) == {}
    assert f.validate(None) == {}


def test_unknown_keys_are_refused_by_name():
    f = form(FormField("title", "text", "Title"))
    assert refused(f, {"title": "Printer", "is_admin": "1"}) == {
        "is_admin": "This field is not part of the form."
    }


def test_every_bad_field_gets_its_own_message_in_one_go():
    f = form(
        FormField("title", "text", "Title", required=True),
        FormField("amount", "money", "Amount"),
        FormField("colour", "select", "Colour", choices=COLOURS),
        FormField("ok", "text", "Fine"),
    )
    messages = refused(f, {"amount": "1.234", "colour": "pink", "ok": "fine", "extra": "x"})
    assert set(messages) == {"title", "amount", "colour", "extra"}
    assert all(isinstance(m, str) and m for m in messages.values())


def test_validation_failed_is_a_polydesk_error_with_a_general_message():
    from polydesk.core import PolydeskError

    with pytest.raises(PolydeskError, match="Some fields are not valid"):
        form(FormField("n", "number", "N")).validate({"n": "x"})


# -- visible_when -------------------------------------------------------------------

LEAVE = form(
    FormField(
        "kind",
        "select",
        "Kind",
        required=True,
        choices=(("annual", "Annual"), ("occasional", "Occasional"), ("sick", "Sick")),
    ),
    FormField(
        "occasion",
        "text",
        "Occasion",
        required=True,
        visible_when=VisibleWhen("kind", ("occasional", "sick")),
    ),
    FormField(
        "days",
        "number",
        "Days",
        min=1,
        visible_when=VisibleWhen("kind", ("annual",)),
    ),
)


def test_visible_field_is_required_and_stored():
    assert refused(LEAVE, {"kind": "occasional"}) == {"occasion": "This field is required."}
    assert LEAVE.validate({"kind": "sick", "occasion": " flu "}) == {
        "kind": "sick",
        "occasion": "flu",
    }


def test_hidden_field_is_not_required():
    assert LEAVE.validate({"kind": "annual"}) == {"kind": "annual"}


def test_hidden_field_sent_anyway_is_ignored_not_stored_nor_checked():
    # The browser may still post the value of a field it hid; it must not land on the ticket.
    cleaned = LEAVE.validate({"kind": "annual", "occasion": "wedding", "days": "3"})
    assert cleaned == {"kind": "annual", "days": 3}
    # Even an invalid value for a hidden field is not an error.
    assert LEAVE.validate({"kind": "sick", "occasion": "flu", "days": "-5"}) == {
        "kind": "sick",
        "occasion": "flu",
    }


def test_field_is_hidden_while_its_controller_is_missing_or_invalid():
    assert refused(LEAVE, {"occasion": "wedding"}) == {"kind": "This field is required."}
    assert refused(LEAVE, {"kind": "gap-year", "occasion": "x"}) == {
        "kind": "Choose one of: annual, occasional, sick."
    }


def test_visible_when_sees_the_cleaned_value_of_its_controller():
    f = form(
        FormField("urgent", "checkbox", "Urgent"),
        FormField(
            "reason", "text", "Why", required=True, visible_when=VisibleWhen("urgent", (True,))
        ),
    )
    # "on" is cleaned to True before `reason` is looked at.
    assert refused(f, {"urgent": "on"}) == {"reason": "This field is required."}
    assert f.validate({"urgent": "off", "reason": "ignored"}) == {"urgent": False}
    assert f.is_visible(f.field("reason"), {"urgent": True})
    assert not f.is_visible(f.field("reason"), {"urgent": False})


# -- JSON Schema --------------------------------------------------------------------

EVERYTHING = form(
    FormField("title", "text", "Title", help="One line.", required=True, max_length=80),
    FormField("body", "textarea", "Body"),
    FormField("code", "text", "Code", pattern=r"[A-Z]{3}", example="ABC"),
    FormField("seats", "number", "Seats", min=1, max=10),
    FormField("amount", "money", "Amount", min=0),
    FormField("start", "date", "Start", required=True),
    FormField("colour", "select", "Colour", choices=COLOURS, required=True),
    FormField("colours", "multiselect", "Colours", choices=COLOURS),
    FormField("ok", "checkbox", "OK"),
    FormField("email", "email", "Email"),
    FormField("manager", "person", "Manager"),
    FormField("attachment", "file", "Attachment"),
    FormField(
        "why",
        "textarea",
        "Why red?",
        required=True,
        visible_when=VisibleWhen("colour", ("red",)),
    ),
)


def test_json_schema_is_a_closed_object_in_draft_2020_12():
    schema = EVERYTHING.json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["type"] == "object"
    assert schema["additionalProperties"] is False
    assert list(schema["properties"]) == [f.key for f in EVERYTHING.fields]


def test_json_schema_required_lists_required_fields_that_are_always_visible():
    # `why` is required only while visible, so a static schema cannot require it.
    assert EVERYTHING.json_schema()["required"] == ["title", "start", "colour"]


def test_json_schema_property_types():
    props = EVERYTHING.json_schema()["properties"]
    assert props["title"] == {
        "title": "Title",
        "description": "One line.",
        "type": "string",
        "maxLength": 80,
    }
    assert props["body"] == {"title": "Body", "type": "string", "maxLength": MAX_TEXT}
    assert (
        "pattern" in props["code"]
    )  # its meaning: test_json_schema_pattern_means_what_validate_means
    assert props["seats"] == {"title": "Seats", "type": "number", "minimum": 1, "maximum": 10}
    assert props["amount"] == {
        "title": "Amount",
        "type": ["number", "string"],
        "format": "decimal",
        "minimum": 0,
    }
    assert props["start"] == {"title": "Start", "type": "string", "format": "date"}
    assert props["colour"] == {
        "title": "Colour",
        "type": "string",
        "enum": ["red", "green", "blue"],
    }
    assert props["colours"] == {
        "title": "Colours",
        "type": "array",
        "items": {"type": "string", "enum": ["red", "green", "blue"]},
        "uniqueItems": True,
    }
    assert props["ok"] == {"title": "OK", "type": "boolean"}
    assert props["email"] == {"title": "Email", "type": "string", "format": "email"}
    assert props["manager"]["type"] == "string"
    assert props["attachment"]["type"] == "string"


def test_json_schema_carries_visible_when():
    props = EVERYTHING.json_schema()["properties"]
    assert props["why"]["x-visible-when"] == {"field": "colour", "values": ["red"]}
    assert all("x-visible-when" not in p for key, p in props.items() if key != "why")


_JSON_TYPES = {"string": str, "number": (int, float), "boolean": bool, "array": list}


def _conforms(value: Any, prop: dict[str, Any]) -> bool:
    types = prop["type"] if isinstance(prop["type"], list) else [prop["type"]]
    if not any(isinstance(value, _JSON_TYPES[t]) for t in types):
        return False
    if "enum" in prop and value not in prop["enum"]:
        return False
    if "items" in prop:
        return all(_conforms(v, prop["items"]) for v in value)
    return True


def test_cleaned_values_conform_to_the_published_schema():
    """What the API stores is what the schema it publishes describes."""
    cleaned = EVERYTHING.validate(
        {
            "title": "New chair",
            "body": "Mine broke.",
            "code": "ABC",
            "seats": "2",
            "amount": "99.9",
            "start": "2025-05-01",
            "colour": "red",
            "colours": ["blue"],
            "ok": "on",
            "email": "anna@example.org",
            "manager": "bob",
            "attachment": "quote.pdf",
            "why": "It matches.",
        }
    )
    assert set(cleaned) == {f.key for f in EVERYTHING.fields}
    props = EVERYTHING.json_schema()["properties"]
    for key, value in cleaned.items():
        assert _conforms(value, props[key]), (key, value, props[key])


@pytest.mark.parametrize(
    ("pattern", "values"),
    [(r"[A-Z]{3}", ("ABC", "xABCx", "ABCD", "ab")), (r"AB|CD", ("AB", "CD", "ABx", "xCD", "ABCD"))],
)
def test_json_schema_pattern_means_what_validate_means(pattern, values):
    """JSON Schema `pattern` is a search, `validate` a full match: an API client
    checking input against the published schema accepts exactly what the server
    accepts."""
    f = form(FormField("code", "text", "Code", pattern=pattern, example=values[0]))
    published = f.json_schema()["properties"]["code"]["pattern"]
    for value in values:
        schema_accepts = re.search(published, value) is not None
        try:
            f.validate({"code": value})
            server_accepts = True
        except ValidationFailed:
            server_accepts = False
        assert schema_accepts == server_accepts, value


# -- building forms: mistakes a plugin author makes ------------------------------------


def test_unknown_field_type_is_refused():
    with pytest.raises(ValueError, match="unknown type 'dropdown'"):
        FormField("colour", "dropdown", "Colour")


@pytest.mark.parametrize("kind", ["select", "multiselect"])
def test_choice_fields_need_choices(kind):
    with pytest.raises(ValueError, match=f"a {kind} needs choices"):
        FormField("colour", kind, "Colour")


def test_duplicate_field_keys_are_refused():
    with pytest.raises(ValueError, match="duplicate field keys"):
        form(FormField("title", "text", "Title"), FormField("title", "textarea", "Title again"))


def test_visible_when_on_an_unknown_field_is_refused():
    with pytest.raises(ValueError, match="depends on unknown field 'kind'"):
        form(FormField("occasion", "text", "Occasion", visible_when=VisibleWhen("kind", ("x",))))


def test_field_lookup_by_key():
    assert LEAVE.field("days").type == "number"
    with pytest.raises(KeyError):
        LEAVE.field("nope")


def test_a_pattern_needs_an_example_that_matches_it():
    """Plugin authors learn at startup, not from a confused requester."""
    with pytest.raises(ValueError, match="needs an example"):
        FormField("po", "text", "PO number", pattern=r"PO-\d{6}")
    with pytest.raises(ValueError, match="does not match"):
        FormField("po", "text", "PO number", pattern=r"PO-\d{6}", example="PO-12")
    schema = Form(
        (FormField("po", "text", "PO number", pattern=r"PO-\d{6}", example="PO-204518"),)
    ).json_schema()
    assert schema["properties"]["po"]["examples"] == ["PO-204518"]
