"""The service blueprint section of a persona report (SPEC §8)."""

from __future__ import annotations

from bs4 import BeautifulSoup

from journeytools.report import sections as S

from helpers import XSS_PAYLOADS, assert_escaped, write_workshop

BLUEPRINT = """\
touchpoint,lane,text,persona,owner,system,fails,causes
booking-form,evidence,Booking confirmation e-mail,*,Digital,Mailer,,
booking-form,frontstage,Slot picker shows the next 14 days,*,Digital,Web shop,,
booking-form,backstage,Workshop calendar synced nightly,*,Workshop,Calendar,true,no-same-day
phone-line,support,Front desk rota,*,Front desk,Rota sheet,yes,phone-wait
"""


def test_blueprint_section_shows_lanes_lines_failures_and_root_causes(tmp_path):
    folder = write_workshop(tmp_path / "ws", blueprint=BLUEPRINT)
    html = str(S.blueprint(S.context(folder, "commuter", "2026-11-25")))
    page = BeautifulSoup(html, "html.parser")
    rows = [tr.find("th").get_text(" ", strip=True) for tr in page.select("table.jt-blueprint tbody tr")]
    assert rows == ["Physical evidence", "Customer actions", "Line of interaction", "Frontstage",
                    "Line of visibility", "Backstage", "Line of internal interaction", "Support processes"]
    assert "⚠ Fails: Workshop calendar synced nightly" in page.get_text(" ", strip=True)
    assert "→ causes: No same-day slots shown" in page.get_text(" ", strip=True)
    roots = [[td.get_text(" ", strip=True) for td in tr.find_all("td")]
             for tr in page.select("table.jt-roots tbody tr")]
    assert roots[0][1:] == ["No same-day slots shown", "24", "⚠ Workshop calendar synced nightly",
                            "Backstage", "Workshop", "Calendar"]
    assert "Pain by owning team" in html


def test_no_blueprint_no_section_and_text_is_escaped(tmp_path):
    plain = write_workshop(tmp_path / "plain")
    assert str(S.blueprint(S.context(plain, "commuter", "2026-11-25"))) == ""
    evil = BLUEPRINT.replace("Front desk rota", XSS_PAYLOADS[0].replace(",", " "))
    folder = write_workshop(tmp_path / "ws", blueprint=evil)
    assert_escaped(str(S.blueprint(S.context(folder, "commuter", "2026-11-25"))), XSS_PAYLOADS[0], images=False)


def _overview(folder, tmp_path, compare=None) -> BeautifulSoup:
    import journeytools as jt
    from journeytools.report import index
    from journeytools.report.build import PersonaResult
    from journeytools.report.render import branding

    ws = jt.load(folder)
    people = [PersonaResult(p, n, True, html=tmp_path / f"{p}.html")
              for p, n in zip(ws.personas["id"], ws.personas["name"])]
    return BeautifulSoup(index.render(ws, people, tmp_path, branding(ws), "2026-11-25", compare), "html.parser")


def test_overview_shows_pain_by_owning_team_and_the_future_difference(tmp_path):
    from journeytools.store.future import new_future

    folder = write_workshop(tmp_path / "ws", blueprint=BLUEPRINT)
    page = _overview(folder, tmp_path)
    teams = page.find(id="teams").find_next("table")
    rows = {tr.find("th").get_text(strip=True): [td.get_text(strip=True) for td in tr.find_all("td")]
            for tr in teams.select("tbody tr")}
    # no-same-day is Carla's (weight 2): 4×3×2 = 24; phone-wait (3×2, everyone's) counts with
    # each persona's weight: 12 for Carla, 6 for Ravi
    assert rows == {"Workshop": ["24", "0", "24"], "Front desk": ["12", "6", "18"]}
    assert page.find(id="difference") is None
    future = new_future(tmp_path / "future", folder)
    (future / "pain_points.csv").write_text((future / "pain_points.csv").read_text(encoding="utf-8")
                                            .replace("phone-line,Phone rings out at lunchtime,3,2",
                                                     "phone-line,Phone rings out at lunchtime,1,2"),
                                            encoding="utf-8")
    diff = _overview(future, tmp_path).find(id="difference").find_next("table")
    cells = {tr.find("th").get_text(strip=True): [td.get_text(strip=True) for td in tr.find_all("td")]
             for tr in diff.select("tbody tr")}
    assert cells["Carla the commuter"] == ["0", "-8", "0"]   # (1 - 3) × 2 × her weight 2
    assert cells["Ravi the racer"] == ["0", "-4", "0"]
