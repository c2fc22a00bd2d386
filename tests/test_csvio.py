"""The CSV reader/writer: any table of strings survives write → parse in every dialect."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from journeytools.model import csvio

cell = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12)
dialects = st.builds(csvio.Dialect, st.sampled_from([",", ";", "\t"]), st.booleans(),
                     st.sampled_from(["\n", "\r\n"]))


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 4).flatmap(lambda n: st.tuples(
    st.lists(st.text("abcxyz_", min_size=1, max_size=5), min_size=n, max_size=n, unique=True),
    st.lists(st.lists(cell, min_size=n, max_size=n).filter(lambda r: any(r)), max_size=5))), dialects)
def test_write_parse_roundtrip(table, dialect):
    header, rows = table
    data = csvio.write(header, rows, dialect)
    raw, problems = csvio.parse(data.decode("utf-8"), "t.csv")
    assert not problems
    assert raw is not None
    assert raw.header == header
    assert raw.rows == rows
    assert raw.dialect == dialect or len(header) == 1  # one column: no delimiter to sniff


def test_lines_count_multiline_records():
    raw, _ = csvio.parse('a,b\n1,"x\ny"\n\n2,z\n', "t.csv")
    assert raw.lines == [2, 5]


def test_decode_reports_line_of_bad_bytes():
    text, problems = csvio.decode(b"a,b\n1,2\n3,\xe9t\xe9\n", "t.csv")
    assert text is None and problems[0].line == 3 and "UTF-8" in problems[0].message
