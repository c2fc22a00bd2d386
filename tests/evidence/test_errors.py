"""Every bad input: a clear error naming file, column and example values; nothing written."""

from __future__ import annotations

import gzip

import pytest

from journeytools.errors import ValidationError
from journeytools.evidence import update_evidence

from shoplog import evidence_files


def fails(shop, events, mapping="tiny_mapping.yml", **kw) -> str:
    before = evidence_files(shop)
    with pytest.raises(ValidationError) as e:
        update_evidence(shop, shop / events, shop / mapping, **kw)
    assert evidence_files(shop) == before, "nothing may be written on failure"
    return str(e.value)


def test_missing_columns_named_with_examples(shop):
    text = (shop / "tiny_events.csv").read_text().replace("user_id,", "uid,", 1)
    (shop / "e.csv").write_text(text)
    msg = fails(shop, "e.csv")
    assert "e.csv:1: user_id:" in msg and "Did you mean 'uid'?" in msg
    assert "uid (e.g. 'u1'" in msg and "columns.user" in msg


def test_missing_segment_column(shop):
    msg = fails(shop, "tiny_events.csv", segment="device")
    assert "segment column 'device'" in msg and "platform (e.g. 'desktop'" in msg


def test_unparseable_timestamps(shop):
    text = (shop / "tiny_events.csv").read_text()
    text = text.replace("2026-10-01T13:04:00Z", "yesterday").replace("2026-10-01T14:00:00Z", "31/02/2026")
    (shop / "e.csv").write_text(text)
    msg = fails(shop, "e.csv")
    assert "e.csv: timestamp:" in msg and "2 of 24 rows" in msg
    assert "'yesterday'" in msg and "'31/02/2026'" in msg


def test_not_csv_or_parquet(shop):
    (shop / "events.xlsx").write_bytes(b"PK\x03\x04" + bytes(range(256)) * 4)
    msg = fails(shop, "events.xlsx")
    assert "events.xlsx" in msg and "neither CSV" in msg and "ZIP/Excel" in msg
    (shop / "e.parquet").write_text("user_id,event\n")
    assert "not a Parquet file" in fails(shop, "e.parquet")
    (shop / "e.json").write_text('[{"user_id": "u1"}]')
    assert "JSON" in fails(shop, "e.json")
    (shop / "bin.csv.gz").write_bytes(gzip.compress(bytes(range(256))))
    assert "does not hold CSV" in fails(shop, "bin.csv.gz")


def test_missing_file(shop):
    assert "event log not found" in fails(shop, "nope.csv")


def test_mapping_to_unknown_touchpoint(shop):
    text = (shop / "tiny_mapping.yml").read_text().replace("  cart: [add_to_cart, view_cart]",
                                                           "  cartt: [add_to_cart, view_cart]")
    (shop / "bad.yml").write_text(text)
    msg = fails(shop, "tiny_events.csv", "bad.yml")
    assert "bad.yml:7: touchpoints.cartt:" in msg and "did you mean 'cart'?" in msg
    assert "funnel step 'cart' has no events" in msg


def test_no_mapped_events(shop):
    (shop / "m.yml").write_text("touchpoints: {cart: add_to_basket}\n")
    msg = fails(shop, "tiny_events.csv", "m.yml")
    assert "none of the mapped event names occur in column 'event'" in msg and "'view_item'" in msg


def test_old_evidence_kept_on_failure(shop):
    update_evidence(shop, shop / "tiny_events.csv", shop / "tiny_mapping.yml")
    old = (shop / "evidence" / "funnel.csv").read_bytes()
    (shop / "e.csv").write_text("user_id,event,timestamp\nu1,view_item,never\n")
    fails(shop, "e.csv")
    assert (shop / "evidence" / "funnel.csv").read_bytes() == old


def test_events_folder_url_and_unreadable(shop):
    (shop / "logs").mkdir()
    assert "logs: is a folder; expected the event log file" in fails(shop, "logs")
    before = evidence_files(shop)
    for url in ("s3://bucket/events.parquet", "https://example.com/e.csv"):
        with pytest.raises(ValidationError, match="the event log must be a local file, not a URL"):
            update_evidence(shop, url, shop / "tiny_mapping.yml")
    assert evidence_files(shop) == before


def test_unreadable_event_log(shop, tmp_path):
    from pathlib import Path

    from journeytools.evidence.readers import detect

    class Locked(type(Path())):
        def open(self, *args, **kwargs):
            raise PermissionError(13, "Permission denied", str(self))

    with pytest.raises(ValidationError, match="e.csv: cannot read the event log: Permission denied"):
        detect(Locked(tmp_path / "e.csv"))


def test_url_in_the_mapping_names_the_mapping(shop):
    text = (shop / "tiny_mapping.yml").read_text().replace("events: tiny_events.csv",
                                                          "events: gs://bucket/events.csv")
    (shop / "remote.yml").write_text(text)
    with pytest.raises(ValidationError) as e:
        update_evidence(shop, None, shop / "remote.yml")
    assert "remote.yml: events: the event log must be a local file, not a URL" in str(e.value)


def test_truncated_gzip(shop):
    data = gzip.compress((shop / "tiny_events.csv").read_bytes() * 50)
    (shop / "cut.csv.gz").write_bytes(data[:40])
    msg = fails(shop, "cut.csv.gz")
    assert "cut.csv.gz" in msg and "gzip" in msg


def test_survey_columns_any_case_and_suggested(shop, tmp_path):
    import journeytools as jt
    from journeytools.evidence import read_survey

    ws = jt.load(shop)
    ok = tmp_path / "s.csv"
    ok.write_text("Respondent,TouchPoint,SCORE\nr1,checkout,4\n")
    assert read_survey(ok, ws).responses == 1
    bad = tmp_path / "b.csv"
    bad.write_text("respondent,touchpoint,scores\nr1,checkout,4\n")
    with pytest.raises(ValidationError, match=r"b.csv:1: score: column 'score' is missing "
                                              r"\(did you mean 'scores'\?\)"):
        read_survey(bad, ws)
    with pytest.raises(ValidationError, match="is a folder; expected the survey CSV file"):
        read_survey(tmp_path, ws)
