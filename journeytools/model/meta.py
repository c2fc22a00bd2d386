"""``workshop.yml``: what the map is about. Parsed with line numbers for every key."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from ..errors import Problem, quote
from ..vocab import SLUG
from .schema import STATES, WORKSHOP_FILE

COLOR = re.compile(r"#[0-9a-fA-F]{6}\Z")

DEFAULT_REVIEW_MONTHS = 6
DEFAULT_DOTS = 5


@dataclass(frozen=True)
class Stage:
    """One column of the journey map."""

    id: str
    name: str
    goal: str = ""
    extra: dict[str, Any] = field(default_factory=dict, compare=False)


def key_lines(node: yaml.Node, path: tuple = ()) -> dict[tuple, int]:
    """Map each key path (keys and list indexes) of a composed YAML document to its 1-based
    line, e.g. ``{("stages", 0, "id"): 7}``: to report problems where they are."""
    out: dict[tuple, int] = {path: node.start_mark.line + 1}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            sub = path + (key.value,)
            out.update(key_lines(value, sub))
            out[sub] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            out.update(key_lines(item, path + (i,)))
    return out


def parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def load_meta(text: str) -> tuple[dict[str, Any] | None, list[Problem]]:
    """Parse and check ``workshop.yml``; returns the mapping (normalised) and every problem."""
    f = WORKSHOP_FILE
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        what = getattr(exc, "problem", None) or str(exc)
        return None, [Problem(f, line, None, None, f"not valid YAML: {what}")]
    if not isinstance(data, dict) or node is None:
        return None, [Problem(f, 1, None, quote(data),
                              "expected a mapping of keys such as 'title:' and 'stages:'")]
    lines = key_lines(node)
    problems: list[Problem] = []

    def bad(path: tuple, value: Any, message: str) -> None:
        line = lines.get(path) or lines.get(path[:1])
        problems.append(Problem(f, line, ".".join(str(p) for p in path),
                                None if value is None else quote(value), message))

    meta = dict(data)
    title = meta.get("title")
    if title is None or (isinstance(title, str) and not title.strip()):
        bad(("title",), title, "a title is required, e.g. 'title: Online store — purchase journey'")
    elif not isinstance(title, str):
        meta["title"] = str(title)

    for key in ("date", "reviewed"):
        if key in meta and meta[key] is not None and parse_date(meta[key]) is None:
            bad((key,), meta[key], f"expected an ISO date (YYYY-MM-DD), got {quote(meta[key])}")

    months = meta.get("review_every_months", DEFAULT_REVIEW_MONTHS)
    if not isinstance(months, int) or isinstance(months, bool) or months < 1:
        bad(("review_every_months",), months,
            f"expected a whole number of months, 1 or more, got {quote(months)}")

    dots = meta.get("dots_per_voter", DEFAULT_DOTS)
    if not isinstance(dots, int) or isinstance(dots, bool) or dots < 1:
        bad(("dots_per_voter",), dots, f"expected a whole number of dots, 1 or more, got {quote(dots)}")

    state = meta.get("state", "current")
    if state not in STATES:
        bad(("state",), state, f"expected one of {', '.join(STATES)}, got {quote(state)}")

    facilitators = meta.get("facilitators")
    if facilitators is not None and not isinstance(facilitators, (list, str)):
        bad(("facilitators",), facilitators, "expected a list of names")

    branding = meta.get("branding")
    if branding is not None:
        if not isinstance(branding, dict):
            bad(("branding",), branding, "expected a mapping with company, primary_color, logo")
        else:
            color = branding.get("primary_color")
            if color is not None and not (isinstance(color, str) and COLOR.match(color)):
                bad(("branding", "primary_color"), color,
                    f"expected a CSS hex colour like \"#C2185B\" (quote it in YAML), got {quote(color)}")

    stages = meta.get("stages")
    if not isinstance(stages, list) or not stages:
        bad(("stages",), None if stages is None else stages,
            "at least one stage is required: 'stages: [{id: awareness, name: Awareness}, ...]'")
    else:
        seen: dict[str, int] = {}
        clean = []
        for i, item in enumerate(stages):
            path = ("stages", i)
            if isinstance(item, str):
                item = {"id": item}
            if not isinstance(item, dict):
                bad(path, item, "expected a stage like {id: awareness, name: Awareness}")
                continue
            item = dict(item)
            raw = item.get("id")
            sid = str(raw).strip().lower() if raw is not None else ""
            if not sid:
                bad(path + ("id",), raw, "every stage needs an id (a slug such as 'awareness')")
            elif not SLUG.match(sid):
                bad(path + ("id",), raw,
                    f"stage id {quote(raw)} is not a slug; expected lower-case letters, digits, '-' or '_'")
            elif sid in seen:
                bad(path + ("id",), raw, f"duplicate stage id {quote(sid)} (first on line {seen[sid]})")
            else:
                seen[sid] = lines.get(path + ("id",), 0)
            item["id"] = sid
            clean.append(item)
        meta["stages"] = clean
    return meta, problems


def stages_of(meta: dict[str, Any]) -> list[Stage]:
    out = []
    for item in meta.get("stages") or []:
        extra = {k: v for k, v in item.items() if k not in ("id", "name", "goal")}
        sid = item["id"]
        name = item.get("name") or sid.replace("-", " ").replace("_", " ").capitalize()
        out.append(Stage(sid, str(name), str(item.get("goal") or ""), extra))
    return out


class _Dumper(yaml.SafeDumper):
    """Readable YAML that still round-trips every string exactly."""


_LINE_BREAKS = set("\x85\u2028\u2029")


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # YAML folds NEL and the Unicode line/paragraph separators, and control characters need
    # escapes: double quotes keep such strings exact. Everything else stays plain or quoted.
    if any(ch in _LINE_BREAKS or (ch < " " and ch not in "\n") or ch == "\x7f" for ch in value):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')
    return dumper.represent_str(value)


_Dumper.add_representer(str, _str)


def dump_meta(meta: dict[str, Any]) -> str:
    """YAML text for a metadata mapping; deterministic (key order kept)."""
    return yaml.dump(meta, Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                     default_flow_style=False, width=100)
