"""The journey map as a document: full texts, cards that say how a number is made, empty
stages that say so, and an inline SVG with real, escaped, deterministic text of ≥ 7 pt."""

from __future__ import annotations

import re
from html import unescape

import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

import journeytools as jt
from journeytools.charts import journey_map
from journeytools.charts.export import SVG_FONTS, svg_inline
from journeytools.vocab import ELLIPSIS

from helpers import XSS_PAYLOADS, write_workshop

LONG_ACTION = ("Compares the express slot with the standard one, reads the small print about "
               "parts that may need ordering, checks the bus timetable home and finally decides "
               "to book the express repair slot for Friday morning.")
assert len(LONG_ACTION) >= 200

PERSONAS = """\
id,name,segment,channels,weight
commuter,Carla the commuter,Daily riders,web;phone,1.5
racer,Ravi the racer,Club cyclists,web,1
"""
STEPS = f"""\
persona,touchpoint,order,action,thought,emotion,feeling,expectation
commuter,flat-tyre,1,Pushes the bike home,I'll be late again,2,annoyed,
commuter,booking-form,2,"{LONG_ACTION}",Is there anything today?,3,hopeful,A slot today
commuter,workshop-visit,3,Drops the bike off,Will it be ready tonight?,4,relieved,
racer,booking-form,,Books a service,Easy enough,4,calm,
"""
PAIN_POINTS = """\
id,persona,touchpoint,description,severity,frequency,evidence,source
no-same-day,commuter,booking-form,No same-day slots shown,4,3,12 support calls in October,support
phone-wait,*,phone-line,Phone rings out at lunchtime,3,2,,assumption
no-update,*,workshop-visit,Nobody says when the bike is ready,2,4,,assumption
racer-own,racer,workshop-visit,Mechanic ignores the race setup notes,3,3,,interview
"""
VOTES = """\
voter,item,votes
ann,no-same-day,2
bob,phone-wait,1
bob,no-update,3
"""


@pytest.fixture(scope="module")
def bike(tmp_path_factory) -> jt.Workshop:
    folder = write_workshop(tmp_path_factory.mktemp("bike") / "ws", personas=PERSONAS, steps=STEPS,
                            pain_points=PAIN_POINTS, votes=VOTES)
    return jt.load(folder)


def gid_texts(fig: Figure, prefix: str) -> dict[str, str]:
    return {str(t.get_gid()): " ".join(t.get_text().split()) for t in fig.findobj(Text)
            if str(t.get_gid() or "").startswith(prefix)}


def svg_lines(svg: str) -> list[str]:
    """The texts of an inline SVG's <text> elements, unescaped, in document order."""
    return [unescape(t) for t in re.findall(r"<text\b[^>]*>([^<]*)</text>", svg)]


def test_cards_hold_the_full_text(bike):
    fig = journey_map(bike, "commuter")
    bodies = gid_texts(fig, "doing:")
    assert bodies["doing:2:body"] == LONG_ACTION
    drawn = [t.get_text() for t in fig.findobj(Text)]
    assert not [t for t in drawn if ELLIPSIS in t]


def test_pain_cards_show_how_the_number_is_made(bike):
    fig = journey_map(bike, "commuter")
    heads = gid_texts(fig, "pain:")
    # own pain point: 4 × 3 × 1.5 + 2 votes = 20
    assert heads["pain:no-same-day:head"] == "Pain 20 = 4 sev × 3 freq × 1.5 weight + 2 votes"
    # a '*' one in the persona view: 3 × 2 × 1.5 + 1 vote × (1.5 / 2.5) = 9.6
    assert heads["pain:phone-wait:head"] == ("Pain 9.6 = 3 sev × 2 freq × 1.5 weight + 1 vote "
                                             "× 0.6 share · all personas")
    racer = gid_texts(journey_map(bike, "racer"), "pain:")
    # weight 1 and no votes: left out of the sentence
    assert racer["pain:racer-own:head"] == "Pain 9 = 3 sev × 3 freq"


def test_shared_pain_points_only_where_the_persona_has_steps(bike):
    fig = journey_map(bike, "racer")  # one step, in Booking
    data = fig._jt_data
    assert set(data["pains"]["id"]) == {"phone-wait", "racer-own"}  # own ones stay
    assert list(data["pains_not_drawn"]["id"]) == ["no-update"]
    assert "pain:no-update" not in {str(a.get_gid()) for a in fig.findobj()}
    assert "1 pain point shared by all personas is not drawn" in fig._jt_alt
    commuter = journey_map(bike, "commuter")  # walks every stage: all drawn
    assert not len(commuter._jt_data["pains_not_drawn"])
    assert "pain:no-update" in {str(a.get_gid()) for a in commuter.findobj()}


def test_stages_without_steps_say_so(bike):
    notes = gid_texts(journey_map(bike, "racer"), "doing-note:")
    assert notes == {"doing-note:need": "No step yet: the journey starts at Booking",
                     "doing-note:repair": "No step: the journey ends at Booking"}
    ws = bike.copy()
    ws.steps = ws.steps[~((ws.steps["persona"] == "commuter") & (ws.steps["touchpoint"] == "booking-form"))]
    assert gid_texts(journey_map(ws, "commuter"), "doing-note:") == {
        "doing-note:booking": "No step in this stage"}
    assert gid_texts(journey_map(bike, "commuter"), "doing-note:") == {}


def test_type_is_at_least_7_pt(bike):
    fig = journey_map(bike, "commuter")
    sizes = {t.get_text(): t.get_fontsize() for t in fig.findobj(Text) if t.get_text()}
    assert min(sizes.values()) >= 7, sorted(sizes.items(), key=lambda kv: kv[1])[:3]


def test_inline_svg_has_real_escaped_text_and_is_deterministic(bike):
    fig = journey_map(bike, "commuter")
    svg = svg_inline(fig, 'Map of <Carla> & "co"', "Long <desc>")
    assert svg.startswith("<svg ") and svg.rstrip().endswith("</svg>") and "<?xml" not in svg
    assert 'role="img"' in svg and 'aria-label="Map of &lt;Carla&gt; &amp; &#34;co&#34;"' in svg
    assert "<title>Map of &lt;Carla&gt; &amp; &#34;co&#34;</title>" in svg and "<desc>Long &lt;desc&gt;</desc>" in svg
    assert "*{" not in svg and "<metadata" not in svg  # nothing that styles the page around it
    text = " ".join(svg_lines(svg))
    assert LONG_ACTION in " ".join(text.split())  # wrapped lines join back to the full text
    assert f"font-family: {SVG_FONTS}" in svg
    sizes = [float(s) for s in re.findall(r"font-size: ([\d.]+)px", svg)]
    viewbox = re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg)
    width = re.search(r'width="([\d.]+)pt"', svg)
    assert viewbox and width and float(viewbox.group(1)) == pytest.approx(float(width.group(1)))
    assert min(sizes) >= 7  # user units are points: 7 pt at 100 %
    assert svg == svg_inline(journey_map(bike, "commuter"), 'Map of <Carla> & "co"', "Long <desc>")


@pytest.mark.parametrize("payload", XSS_PAYLOADS, ids=["script", "attribute"])
def test_inline_svg_escapes_user_text(bike, payload):
    ws = bike.copy()
    st = ws.steps.copy()
    st.loc[st["persona"] == "commuter", "action"] = payload
    ws.steps = st
    svg = svg_inline(journey_map(ws, "commuter"), payload)
    assert payload not in svg and "<script" not in svg and "<img" not in svg
    assert payload in svg_lines(svg)
