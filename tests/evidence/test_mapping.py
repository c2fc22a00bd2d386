"""The mapping YAML: shape, preset, line-numbered problems."""

from __future__ import annotations

import pytest

from journeytools.errors import ValidationError
from journeytools.evidence import parse_mapping

KNOWN = ["home", "cart", "checkout"]


def test_ga4_preset_and_overrides():
    m = parse_mapping("preset: ga4\ncolumns: {segment: platform}\ntouchpoints: {cart: add_to_cart}\n")
    assert (m.user, m.event, m.timestamp, m.timestamp_unit) == (
        "user_pseudo_id", "event_name", "event_timestamp", "us")
    assert m.segment == "platform"
    assert m.replace(min_users=10).privacy.min_users == 10 and m.privacy.min_users == 5


def test_several_events_per_touchpoint_and_issues():
    m = parse_mapping("touchpoints:\n  cart: [add_to_cart, view_cart]\nissues: {cart: cart_error}\n",
                      KNOWN)
    assert m.event_map() == {"add_to_cart": ("cart", True), "view_cart": ("cart", True),
                             "cart_error": ("cart", False)}


@pytest.mark.parametrize("text, where, words", [
    ("touchpoints:\n  cart: add\n  home: add\n", "m.yml:3: touchpoints.home:", "already mapped"),
    ("touchpoints: {cart: add}\nfunnel: [cart, cart]\n", "m.yml:2: funnel.1:", "twice"),
    ("touchpoints: {cart: add}\nprivacy: {min_users: 0}\n", "m.yml:2: privacy.min_users:", "1 or more"),
    ("touchpoints: {cart: add}\npreset: ga5\n", "m.yml:2: preset:", "known: ga4"),
    ("touchpoints: {cart: add}\ntimestamp_unit: days\n", "m.yml:2: timestamp_unit:", "auto"),
    ("touchpoints: {cart: add}\ncolums: {}\n", "m.yml:2: colums:", "unknown key"),
    ("events: x.csv\n", "m.yml:1:", "'touchpoints:' is required"),
    ("touchpoints: [cart]\n", "m.yml:1: touchpoints:", "map touchpoint ids"),
    ("touchpoints: {cart: add\n", "m.yml:", "not valid YAML"),
])
def test_problems_have_lines(text, where, words):
    with pytest.raises(ValidationError) as e:
        parse_mapping(text, KNOWN, file="m.yml")
    assert where in str(e.value) and words in str(e.value)
