"""One vocabulary: scale words, faces, the id rule, cut text, atomic writes and figure → PNG
each live in one place (``vocab``, ``fsutil``, ``charts.export``), and the room, the widgets
and the reports show the same words.

The source checks read the package's code, so a second copy fails here when it is written,
not when a client notices that severity 3 reads differently on the projector and in the PDF.
"""

from __future__ import annotations

import ast
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from journeytools import vocab
from journeytools.fsutil import write_produced
from journeytools.vocab import (
    ELLIPSIS,
    EMOTION_FACES,
    EMOTION_WORDS,
    FREQUENCY,
    IMPACT_VALUES,
    IMPACT_WORDS,
    NOT_SURE,
    SEVERITY,
    SLUG,
    SLUG_PATTERN,
    labelled,
    one_line,
    shorten,
)

PKG = Path(vocab.__file__).resolve().parent

# Files that still hold a copy and are being moved over by whoever owns them right now.
# Take a file off its list once it uses vocab / charts.export: the checks then cover it.
NOT_YET: dict[str, set[str]] = {
    "png": {"export/pptx.py", "report/zygote.py"},
}


def _sources() -> Iterator[tuple[str, str, ast.Module]]:
    """(path relative to the package, text, syntax tree) of every module but vocab.py."""
    for path in sorted(PKG.rglob("*.py")):
        rel = path.relative_to(PKG).as_posix()
        if rel == "vocab.py" or "resources" in path.relative_to(PKG).parts:
            continue
        text = path.read_text(encoding="utf-8")
        yield rel, text, ast.parse(text)


def _docstrings(tree: ast.Module) -> set[int]:
    """ids of the docstring constants of a module, its classes and functions."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                    and isinstance(body[0].value.value, str):
                out.add(id(body[0].value))
    return out


def _strings(tree: ast.Module, docstrings: bool = False) -> Iterator[tuple[int, str]]:
    """(line, text) of every string constant, f-string pieces included."""
    skip = set() if docstrings else _docstrings(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            yield node.lineno, node.value


def _number(node: ast.expr | None) -> float | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) \
            and not isinstance(node.value, bool):
        return float(node.value)
    return None


def _offenders(check: str, found: list[str]) -> list[str]:
    return [f for f in found if f.split(":")[0] not in NOT_YET.get(check, set())]


# -- nothing but vocab.py spells the vocabulary out -----------------------------------------
SCALES = {frozenset(float(v) for v in range(1, 6)), frozenset(IMPACT_VALUES)}


def test_no_second_table_of_scale_words() -> None:
    """A dict literal from 1–5 (or the impact values) to words is a copy of a vocab scale."""
    found = []
    for rel, _, tree in _sources():
        for node in ast.walk(tree):
            if isinstance(node, ast.Dict) and node.keys:
                keys = frozenset(_number(k) for k in node.keys)
                texts = all(isinstance(v, (ast.Constant, ast.JoinedStr))
                            and not isinstance(getattr(v, "value", ""), (int, float)) for v in node.values)
                if keys in SCALES and texts:
                    found.append(f"{rel}:{node.lineno}")
            if isinstance(node, (ast.Tuple, ast.List)) and len(node.elts) == len(IMPACT_VALUES) \
                    and tuple(_number(e) for e in node.elts) == IMPACT_VALUES:
                found.append(f"{rel}:{node.lineno} (the impact values)")
    assert not _offenders("scales", found), found


SCALE_PHRASES = sorted({*(w for w in [*SEVERITY.values(), *FREQUENCY.values()] if " " in w),
                        # earlier wordings, so they do not creep back in
                        "slows them down", "blocks the journey", "(almost) always", "minor annoyance"})


def test_scale_words_are_spelt_only_in_vocab() -> None:
    found = [f"{rel}:{line} {phrase!r}"
             for rel, _, tree in _sources() for line, text in _strings(tree)
             for phrase in SCALE_PHRASES if phrase in text]
    assert not _offenders("scales", found), found


def _is_face(ch: str) -> bool:
    return 0x1F600 <= ord(ch) <= 0x1F64F or ch in "☹☺"


def test_faces_come_only_from_vocab() -> None:
    assert all(_is_face(f) for f in EMOTION_FACES.values())
    found = [f"{rel}:{line} {text!r}" for rel, _, tree in _sources()
             for line, text in _strings(tree, docstrings=True) if any(_is_face(ch) for ch in text)]
    assert not _offenders("faces", found), found


def test_slug_rule_is_written_once() -> None:
    found = [rel for rel, text, _ in _sources() if SLUG_PATTERN in text or "a-z0-9][" in text]
    assert not found, found


def test_cutting_text_is_done_by_vocab() -> None:
    """An ellipsis literal of its own, or a function named like shorten that does not call
    ``vocab.shorten``, is a copy of it (chart labels are cut at word boundaries by
    ``charts._text.shorten``)."""
    found = []
    for rel, _, tree in _sources():
        found += [f"{rel}:{line}" for line, text in _strings(tree) if text == ELLIPSIS]
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and rel != "charts/_text.py" \
                    and node.name.lstrip("_") in ("short", "shorten", "truncate", "ellipsize") \
                    and not any(isinstance(n, ast.Name) and n.id == "shorten" for n in ast.walk(node)):
                found.append(f"{rel}:{node.lineno} def {node.name}")
    assert not _offenders("cut", found), found


def test_files_are_renamed_into_place_only_by_fsutil() -> None:
    found = []
    for rel, _, tree in _sources():
        if rel == "fsutil.py":
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                owner = node.func.value
                name = node.func.attr
                if isinstance(owner, ast.Name) and owner.id in ("os", "shutil") \
                        and name in ("replace", "rename", "renames", "move"):
                    found.append(f"{rel}:{node.lineno} {owner.id}.{name}")
                elif name in ("rename", "replace") and len(node.args) == 1 and not node.keywords:
                    # Path.rename(target) / Path.replace(target); str.replace takes two arguments,
                    # datetime.replace and dataclasses.replace keywords
                    found.append(f"{rel}:{node.lineno} .{name}()")
    assert not _offenders("writes", found), found


def test_figures_become_png_only_in_charts_export() -> None:
    found = []
    for rel, _, tree in _sources():
        if rel == "charts/export.py":
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and node.func.attr in ("savefig", "print_png", "print_figure"):
                found.append(f"{rel}:{node.lineno}")
    assert not _offenders("png", found), found


def test_the_source_checks_see_a_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The checks themselves: a module with its own words, face, ellipsis and rename fails them.

    The probe goes into a copy of the package: other tests read the real one at the same time."""
    import sys

    from helpers import package_copy

    copy = package_copy(PKG, tmp_path)
    monkeypatch.setattr(sys.modules[__name__], "PKG", copy)
    fake = copy / "widgets" / "_vocab_probe.py"
    fake.write_text('WORDS = {1: "meh", 2: "bad", 3: "slow", 4: "worse", 5: "awful"}\n'
                    'FACE = "😀"\n'
                    'def short(t):\n    return t[:9] + "…"\n'
                    'import os\nos.replace("a", "b")\n'
                    'def png(fig):\n    fig.savefig("x.png")\n', encoding="utf-8")
    try:
        for check in (test_no_second_table_of_scale_words, test_faces_come_only_from_vocab,
                      test_cutting_text_is_done_by_vocab, test_files_are_renamed_into_place_only_by_fsutil,
                      test_figures_become_png_only_in_charts_export):
            with pytest.raises(AssertionError, match="_vocab_probe"):
                check()
    finally:
        fake.unlink()


# -- the room and the widgets say the same thing --------------------------------------------
def test_room_pickers_use_the_vocabulary() -> None:
    from journeytools.room import _data as room

    assert room.SEVERITY_LABELS == {v: f"{v} · {SEVERITY[v]}" for v in range(1, 6)}
    assert room.SEVERITY_LABELS[3] == "3 · costs time or money"
    assert room.FREQUENCY_LABELS == {v: labelled(FREQUENCY, v) for v in range(1, 6)}
    assert room.IMPACT_LABELS[0] == ("", NOT_SURE)
    assert [label for _, label in room.IMPACT_LABELS[1:]] == [
        "0.25 · minimal", "0.5 · low", "1 · medium", "2 · high", "3 · massive"]


def test_room_and_widgets_agree(luggage: Path) -> None:
    from journeytools.room import _data as room
    from journeytools.widgets import grids, sliders
    from journeytools.widgets.forms import OpportunityForm, PainPointForm

    form = PainPointForm(luggage)
    for v in range(1, 6):
        form.severity.value = v
        form.frequency.value = v
        assert form._hint("severity") == room.SEVERITY_LABELS[v]
        assert form._hint("frequency").startswith(room.FREQUENCY_LABELS[v] + " — ")
        text = sliders.PainScoreSliders._score_text(v, v)
        assert SEVERITY[v] in text and FREQUENCY[v] in text
        assert sliders.FACES[v] == f"{EMOTION_FACES[v]} {EMOTION_WORDS[v]}"

    idea = OpportunityForm(luggage)
    assert [(value, label) for label, value in idea.impact.options] == list(room.IMPACT_LABELS)
    ws = form.ws
    assert [label for label, _ in grids._impacts(ws)[1:]] == [label for _, label in room.IMPACT_LABELS[1:]]


def test_notebook_tables_show_the_vocabulary_faces(luggage: Path) -> None:
    import journeytools as jt
    from journeytools.views import tables as view

    shown = view.journey_steps(jt.load(luggage), "mia").data["Emotion"]
    rated = [s for s in shown if s != "—"]
    assert rated and all(s.split(" ")[1] == EMOTION_FACES[int(s.split(" ")[0])] for s in rated)


# -- the helpers ------------------------------------------------------------------------------
def test_labelled_face_one_line_and_shorten() -> None:
    assert labelled(IMPACT_WORDS, 0.25) == "0.25 · minimal" and labelled(IMPACT_WORDS, 1.0) == "1 · medium"
    assert vocab.face(5) == "😄" and vocab.face(5.0) == "😄" and vocab.face(None) == ""
    assert vocab.face(float("nan")) == "" and vocab.face(9) == ""
    assert one_line(" a\n\tb  c ") == "a b c" and one_line(None) == "" and one_line(float("nan")) == ""
    assert shorten("abcdef", 6) == "abcdef" and shorten("abc def", 5) == "abc" + ELLIPSIS
    assert shorten(" a  b ", 20) == " a  b " and shorten(None, 5) == ""  # error messages quote exactly
    assert shorten(one_line(" lost\n  luggage "), 20) == "lost luggage"
    assert len(shorten("x" * 100, 10)) == 10
    assert SLUG.match("cart-error") and not SLUG.match("Cart") and not SLUG.match("-x")


# -- one way to write a file atomically -------------------------------------------------------
def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.skipif(os.name != "posix", reason="permission bits are POSIX")
def test_write_produced_follows_the_umask_and_keeps_modes(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        target = tmp_path / "out" / "report.pdf"
        write_produced(target, lambda p: p.write_bytes(b"%PDF one"))
        assert target.read_bytes() == b"%PDF one" and _mode(target) == 0o640

        def recreate(p: Path) -> None:  # an engine that deletes and recreates its output
            p.unlink()
            fd = os.open(p, os.O_WRONLY | os.O_CREAT, 0o600)
            os.write(fd, b"%PDF two")
            os.close(fd)

        target.chmod(0o644)
        write_produced(target, recreate)
        assert target.read_bytes() == b"%PDF two" and _mode(target) == 0o644  # kept
    finally:
        os.umask(old)
    assert sorted(p.name for p in target.parent.iterdir()) == ["report.pdf"]


def test_write_produced_failure_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "report.pdf"
    target.write_bytes(b"old")

    def fail(p: Path) -> None:
        p.write_bytes(b"half")
        raise RuntimeError("engine crashed")

    with pytest.raises(RuntimeError, match="engine crashed"):
        write_produced(target, fail)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.pdf"]
