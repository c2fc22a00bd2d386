"""What changed between two versions of a workshop: compute a :class:`Diff`, then render it.

>>> from journeytools.diff import diff, to_text      # doctest: +SKIP
>>> print(to_text(diff(old, new)))                    # doctest: +SKIP

The modules depend one way, each only on those above it (``tests/test_diff.py`` checks that
no module here imports another in a cycle):

``changes``  the immutable result (:class:`Diff`, :class:`TableDiff`, :class:`RowChange`...)
             and shared constants; imports no sibling
``compute``  :func:`diff`, comparing two loaded workshops          (uses ``changes``)
``counts``   :func:`summary`, one sentence counting the changes    (uses ``changes``)
``as_json``  :func:`to_dict`, :func:`to_json`                      (``changes``, ``counts``)
``render``   :func:`to_text`, :func:`to_markdown`                  (``changes``, ``counts``)
``portfolio`` :func:`portfolio_diff`: a portfolio's journeys, each summarised (all of the above)
"""

from __future__ import annotations

from .as_json import to_dict, to_json
from .changes import (
                      NOUNS,
                      SCHEMA_VERSION,
                      SECTION_ORDER,
                      SUMMARY_FIELDS,
                      Diff,
                      EmotionChange,
                      FieldChange,
                      KpiMove,
                      MetaChange,
                      OpportunityMove,
                      PainMove,
                      RowChange,
                      StageChange,
                      TableDiff,
)
from .compute import diff
from .counts import summary
from .render import to_markdown, to_text

__all__ = [
    "diff", "Diff", "to_text", "to_markdown", "to_json", "to_dict", "summary",
    "TableDiff", "RowChange", "FieldChange", "MetaChange", "StageChange", "EmotionChange",
    "PainMove", "OpportunityMove", "KpiMove",
    "SCHEMA_VERSION", "SECTION_ORDER", "NOUNS", "SUMMARY_FIELDS",
]
