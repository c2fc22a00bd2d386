"""Generate the luggage store's sample event log and survey (reproducible: seed 2026).

    python workshops/luggage-store/evidence/make_events.py

Writes ``events.csv.gz`` (GA4-like web analytics, 1 Oct – 14 Nov 2026) and ``survey.csv``
next to this script. The planted story is the map's top pain point: on mobile, almost half of
``add_to_cart`` attempts end in ``cart_error`` and most of those shoppers never reach
checkout; desktop is barely affected. Camera shoppers rarely buy (no video review).
"""

from __future__ import annotations

import csv
import gzip
import io
import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

HERE = Path(__file__).parent
SEED = 2026
START = datetime(2026, 10, 1, tzinfo=timezone.utc)
DAYS = 45
SOURCES = [("instagram_referral", 0.3), ("paid_social_click", 0.2), ("search_ad_click", 0.2),
           (None, 0.3)]


def _pick(rnd: random.Random, options: list[tuple]) -> str | None:
    x, acc = rnd.random(), 0.0
    for value, p in options:
        acc += p
        if x < acc:
            return value
    return options[-1][0]


def visitor(rnd: random.Random, uid: str) -> list[tuple[str, str, datetime, str]]:
    """One visitor's events: (user, event, time, platform)."""
    platform = "mobile" if rnd.random() < 0.62 else "desktop"
    t = START + timedelta(seconds=rnd.randrange(DAYS * 86400))
    out = []

    def emit(event: str, gap: float = 40.0) -> None:
        nonlocal t
        t += timedelta(seconds=max(1.0, rnd.expovariate(1 / gap)))
        out.append((uid, event, t, platform))

    emit("session_start", 1)
    src = _pick(rnd, SOURCES)
    if src:
        emit(src, 5)
    camera = rnd.random() < 0.25
    if camera:
        emit("view_camera", 30)
        if rnd.random() < 0.15:
            emit("add_to_cart", 200)
            emit("begin_checkout", 90)
            if rnd.random() < 0.8:
                emit("purchase", 180)
        return out
    emit("view_item", 20)
    for _ in range(rnd.randrange(3)):
        emit("page_view", 30)
    if rnd.random() < 0.6:
        emit("select_colour", 25)
    if rnd.random() > 0.45:
        return out
    emit("add_to_cart", 60)
    error_rate = 0.45 if platform == "mobile" else 0.04
    if rnd.random() < error_rate:
        emit("cart_error", 2)
        if rnd.random() < 0.3:
            emit("chat_start", 60)
        if rnd.random() < 0.8:
            return out
        emit("add_to_cart", 120)
    emit("view_cart", 20)
    if rnd.random() < 0.2:
        emit("checkout_abandon", 200)
        return out
    emit("begin_checkout", 60)
    if rnd.random() < 0.85:
        emit("add_payment_info", 90)
        emit("purchase", 40)
        if rnd.random() < 0.2:
            out.append((uid, "app_open", t + timedelta(days=rnd.randrange(3, 20)), platform))
    return out


def survey(rnd: random.Random) -> list[list[str]]:
    comments = {
        "cart": ["Add to cart just showed 'Unknown error' on my phone",
                 "Had to switch to my laptop to order", "", "", "Cart worked fine"],
        "checkout": ["Klarna was easy", "", "Quick checkout", ""],
        "courier-delivery": ["Arrived next day, great", "", "Missed the courier twice", ""],
        "unboxing": ["Beautiful packaging", "", "Love the dust bag", ""],
    }
    rows = []
    for i in range(1, 261):
        r = f"R{i:04d}"
        tp = rnd.choice(["cart", "checkout", "courier-delivery", "unboxing", "advocacy"])
        if tp == "advocacy":
            score = rnd.choices(range(11), weights=[1, 1, 1, 1, 2, 2, 3, 6, 10, 16, 15])[0]
            rows.append([r, "", "advocacy", "nps", str(score),
                         rnd.choice(["", "", "Will buy the check-in size next", "Please make it in pink"])])
            continue
        weights = [9, 10, 8, 5, 3] if tp == "cart" else [1, 1, 3, 12, 16]
        score = rnd.choices([1, 2, 3, 4, 5], weights=weights)[0]
        rows.append([r, tp, "", "csat", str(score), rnd.choice(comments[tp])])
    return rows


def main() -> None:
    rnd = random.Random(SEED)
    events = []
    for i in range(2600):
        events += visitor(rnd, f"{rnd.randrange(10**8, 10**9)}.{1790000000 + i}")
    events.sort(key=lambda e: e[2])
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["user_id", "event", "timestamp", "platform"])
    w.writerows((u, e, t.strftime("%Y-%m-%dT%H:%M:%SZ"), p) for u, e, t, p in events)
    with gzip.GzipFile(HERE / "events.csv.gz", "wb", mtime=0) as fh:  # mtime=0: same bytes each run
        fh.write(buf.getvalue().encode("utf-8"))
    with open(HERE / "survey.csv", "w", newline="", encoding="utf-8") as fh:
        s = csv.writer(fh, lineterminator="\n")
        s.writerow(["respondent", "touchpoint", "stage", "kind", "score", "comment"])
        s.writerows(survey(rnd))
    print(f"wrote {len(events):,} events and the survey to {HERE}")


if __name__ == "__main__":
    main()
