"""Personal data warnings (issue 17, ethics): found in tables and evidence files, never shown."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from journeytools.model.personal import personal_data
from journeytools.store.folder import validate

from helpers import write_workshop

SECRET_MAIL = "claire.h@example.org"
SECRET_PHONE = "07700 900461"
SECRET_CARD = "4539 1488 0343 6467"


def test_validate_warns_about_personal_data_without_printing_it(tmp_path):
    folder = write_workshop(
        tmp_path / "ws",
        personas=("id,name,quote\n"
                  f"commuter,Carla the commuter,\"Ring me on {SECRET_MAIL} or so\"\n"
                  "racer,Ravi the racer,Fast please\n"))
    (folder / "evidence").mkdir()
    (folder / "evidence" / "interview-notes.md").write_text(
        "# Interview 3\n\nBooked on 2026-11-02 for £4,000 (n=8,400).\n"
        f"She gave her number, {SECRET_PHONE}, and paid with {SECRET_CARD}.\n", encoding="utf-8")
    report = validate(folder)
    assert report.ok
    found = [w for w in report.warnings if "not shown" in w.message]
    where = sorted((w.file, w.line, w.column) for w in found)
    assert where == [("evidence/interview-notes.md", 4, None), ("personas.csv", 2, "quote")]
    notes = next(w for w in found if w.file.startswith("evidence"))
    assert "phone number" in notes.message and "payment card number" in notes.message
    text = "\n".join(str(w) + repr(w.value) for w in report.warnings)
    for secret in (SECRET_MAIL, SECRET_PHONE, SECRET_CARD, "900461", "6467"):
        assert secret not in text


def test_ordinary_numbers_are_not_personal_data():
    for text in ("Booked on 2026-11-02", "£4,000 budget", "n=8,400 survey", "order 12345678",
                 "ISBN 978-3-16-148410-0", "30 % of 12000 users", "v1.2.3", "0.25 confidence",
                 "2026-11-02T10:15:00Z", "reach 150000 per quarter"):
        assert personal_data(text) == [], text


@given(st.from_regex(r"[a-z]{1,8}\.[a-z]{1,8}@[a-z]{2,8}\.(com|org|co\.uk)", fullmatch=True),
       st.text(alphabet="abc ,.;", max_size=20))
def test_any_email_in_any_sentence_is_found(mail, around):
    assert "email" in personal_data(f"{around} {mail} {around}")
