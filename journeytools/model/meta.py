"""``workshop.yml``: what the map is about. Parsed with line numbers for every key.

Workshop folders come from outside, so their YAML is read by :func:`parse_yaml`, which
refuses what the format never needs and an attacker would use: anchors and aliases ("billion
laughs"), nesting deeper than :data:`MAX_YAML_DEPTH`, files larger than :data:`MAX_YAML_BYTES`.
Every refusal is a ``file:line`` problem, found within milliseconds.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from ..errors import Problem, quote
from ..vocab import SLUG
from .paths import shape_problem
from .schema import STATES, WORKSHOP_FILE

COLOR = re.compile(r"#[0-9a-fA-F]{6}\Z")

DEFAULT_REVIEW_MONTHS = 6
DEFAULT_DOTS = 5

MAX_YAML_BYTES = 1_000_000
"""The largest YAML text read (``workshop.yml``, an evidence mapping): 1 MB."""
MAX_YAML_DEPTH = 20
"""The deepest nesting of lists and mappings in a YAML file (``stages`` needs 3)."""


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
            if not isinstance(key, yaml.ScalarNode):
                continue  # a list or mapping as a key: no path names it
            sub = path + (key.value,)
            out.update(key_lines(value, sub))
            out[sub] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            out.update(key_lines(item, path + (i,)))
    return out


# -- reading untrusted YAML -----------------------------------------------------------------

_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML has it


class SafeYamlLoader(_Base):
    """``yaml.SafeLoader`` (libyaml when available) whose dates and integers never raise: a
    value that looks like one but is not (``2026-13-45``, a 5,000-digit number) stays text,
    for the checks to report with its line. Use it through :func:`parse_yaml`, which also
    refuses anchors, aliases, deep nesting and large files before composing anything."""


def _lenient(construct: Any) -> Any:
    def build(loader: Any, node: yaml.ScalarNode) -> Any:
        try:
            return construct(loader, node)
        except (ValueError, OverflowError):
            return loader.construct_scalar(node)

    return build


SafeYamlLoader.add_constructor("tag:yaml.org,2002:timestamp",
                               _lenient(yaml.SafeLoader.construct_yaml_timestamp))
SafeYamlLoader.add_constructor("tag:yaml.org,2002:int", _lenient(yaml.SafeLoader.construct_yaml_int))


def _line(event: Any) -> int | None:
    mark = getattr(event, "start_mark", None)
    return mark.line + 1 if mark is not None else None


def _guard(text: str, file: str) -> Problem | None:
    """The first anchor, alias or too-deep collection in ``text``, from its event stream (no
    node is composed, so nothing is expanded or recursed into)."""
    loader = SafeYamlLoader(text)
    depth = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.AliasEvent):
                return Problem(file, _line(event), None, quote(f"*{event.anchor}"),
                               "YAML aliases (*name) are not allowed in this file: write the "
                               "value out in full")
            anchor = getattr(event, "anchor", None)
            if anchor is not None:
                return Problem(file, _line(event), None, quote(f"&{anchor}"),
                               "YAML anchors (&name) are not allowed in this file: write the "
                               "value out in full")
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_YAML_DEPTH:
                    return Problem(file, _line(event), None, None,
                                   f"lists and mappings are nested more than {MAX_YAML_DEPTH} "
                                   "levels deep here; the format needs no more than a few")
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    finally:
        loader.dispose()
    return None


def _yaml_problem(exc: yaml.YAMLError, file: str) -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    what = getattr(exc, "problem", None) or str(exc)
    return Problem(file, mark.line + 1 if mark else None, None, None, f"not valid YAML: {what}")


def parse_yaml(text: str, file: str) -> tuple[Any, dict[tuple, int], list[Problem]]:
    """Read YAML that came from outside: ``(data, key lines, problems)``.

    ``data`` is what ``yaml.safe_load`` gives (``None`` when there is a problem, or for an
    empty file); ``key lines`` maps key paths to lines as :func:`key_lines` does. Refused,
    each as one ``file:line`` problem: more than :data:`MAX_YAML_BYTES`, anchors and aliases,
    nesting deeper than :data:`MAX_YAML_DEPTH`, and whatever is not valid YAML. Never raises
    for bad text.

    >>> parse_yaml("a: &x [1]\\nb: *x\\n", "m.yml")[2][0].message
    'YAML anchors (&name) are not allowed in this file: write the value out in full'
    """
    size = len(text) if len(text) > MAX_YAML_BYTES else len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_YAML_BYTES:
        cut = text.encode("utf-8", "surrogatepass")[:MAX_YAML_BYTES].decode("utf-8", "ignore")
        return None, {}, [Problem(file, cut.count("\n") + 1, None, None,
                                  f"the file is larger than {MAX_YAML_BYTES / 1e6:g} MB "
                                  "(the limit is reached on this line); is it the right file?")]
    try:
        refused = _guard(text, file)
        if refused is not None:
            return None, {}, [refused]
        loader = SafeYamlLoader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        return None, {}, [_yaml_problem(exc, file)]
    except (ValueError, TypeError, OverflowError, RecursionError) as exc:  # pragma: no cover
        return None, {}, [Problem(file, None, None, None, f"cannot read this YAML: {exc}")]
    return data, (key_lines(node) if node is not None else {}), []


def safe_yaml(text: str, file: str) -> tuple[Any, list[Problem]]:
    """``(data, problems)`` of :func:`parse_yaml`, for callers that need no line numbers."""
    data, _, problems = parse_yaml(text, file)
    return data, problems


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
    data, lines, refused = parse_yaml(text, f)
    if refused:
        return None, refused
    if not isinstance(data, dict):
        return None, [Problem(f, 1, None, quote(data),
                              "expected a mapping of keys such as 'title:' and 'stages:'")]
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
            bad((key,), meta[key], f"expected an ISO date YYYY-MM-DD (such as 2026-11-22), got "
                                   f"{quote(meta[key])}")

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
            logo = branding.get("logo")
            reason = shape_problem(logo, "logo") if logo not in (None, "") else None
            if reason:
                bad(("branding", "logo"), logo, reason)

    based_on = meta.get("based_on")
    if based_on is not None:
        reason = shape_problem(based_on, "based_on workshop", allow_parent=True,
                               example="../luggage-store-current")
        if reason:
            bad(("based_on",), based_on, reason)

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
    """Readable YAML that still round-trips every string exactly; never anchors and aliases
    (which :func:`parse_yaml` refuses), even for a value used twice."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


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
