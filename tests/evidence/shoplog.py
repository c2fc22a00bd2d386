"""A realistic e-commerce event log with a planted story: checkout errors on mobile.

Desktop and mobile users walk page_view → view_item → add_to_cart → begin_checkout →
purchase with realistic drop-offs; on mobile, ~45 % of checkouts hit ``checkout_error`` and
most of those users never buy. Some users return days later (out-of-order first visits).
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

START = datetime(2026, 9, 1, tzinfo=UTC)
STEPS = [("page_view", 1.0), ("view_item", 0.75), ("add_to_cart", 0.35),
         ("begin_checkout", 0.70), ("purchase", 0.80)]


def generate(users: int = 2400, seed: int = 7) -> list[tuple[str, str, str, str]]:
    """Rows of (user_pseudo_id, event_name, ISO timestamp, device_category)."""
    rnd = random.Random(seed)
    rows = []
    for i in range(users):
        uid = f"{rnd.randrange(10**9, 10**10)}.{1700000000 + i}"
        device = "mobile" if rnd.random() < 0.6 else "desktop"
        t = START + timedelta(seconds=rnd.randrange(0, 60 * 86400))
        rows.append((uid, "session_start", t, device))
        for event, p in STEPS:
            if event == "purchase" and device == "mobile" and rnd.random() < 0.45:
                rows.append((uid, "checkout_error", t + timedelta(seconds=20), device))
                if rnd.random() < 0.85:
                    break
            if rnd.random() > p:
                break
            t += timedelta(seconds=rnd.expovariate(1 / 90))
            rows.append((uid, event, t, device))
            if event == "view_item" and rnd.random() < 0.3:
                rows.append((uid, "scroll", t + timedelta(seconds=5), device))
    rows.sort(key=lambda r: r[2])
    return [(u, e, t.strftime("%Y-%m-%dT%H:%M:%S.%fZ"), d) for u, e, t, d in rows]


def write_csv(path, rows) -> None:
    import csv

    with open(path, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["user_pseudo_id", "event_name", "event_timestamp", "device_category"])
        w.writerows(rows)


def evidence_files(folder: Path) -> list[str]:
    """The files in a workshop's evidence/ folder (none when it has none)."""
    ev = folder / "evidence"
    return sorted(p.name for p in ev.iterdir()) if ev.exists() else []
