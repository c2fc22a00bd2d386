"""Generate the benchmark workshop: 200 personas, 2,000 touchpoints, 20,000 pain points,
5,000 opportunities (reproducible seed)."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import journeytools as jt

CHANNELS = ["web", "app", "store", "phone", "email", "social", "ads", "review-site", "chat"]
WORDS = ("slow confusing missing broken late unclear expensive hidden long error rude lost "
         "delivery checkout payment login search filter review refund basket voucher").split()


def sentence(rnd: random.Random, n: int = 9) -> str:
    return " ".join(rnd.choice(WORDS) for _ in range(n)).capitalize() + "."


def generate(folder: Path, personas: int = 200, stages: int = 8, touchpoints: int = 2000,
             steps: int = 10_000, pains: int = 20_000, opps: int = 5_000, seed: int = 7) -> Path:
    rnd = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    stage_ids = [f"stage-{i}" for i in range(stages)]
    (folder / "workshop.yml").write_text(
        "title: Benchmark map\nreviewed: 2026-11-01\nstages:\n"
        + "".join(f"  - {{id: {s}, name: Stage {i}}}\n" for i, s in enumerate(stage_ids)), encoding="utf-8")
    pids = [f"persona-{i}" for i in range(personas)]
    tids = [f"tp-{i}" for i in range(touchpoints)]
    ppids = [f"pain-{i}" for i in range(pains)]

    def write(name: str, header: str, rows: list[str]) -> None:
        (folder / name).write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")

    write("personas.csv", "id,name,segment,channels,weight",
          [f"{p},Persona {i},Segment {i % 7},{rnd.choice(CHANNELS)};{rnd.choice(CHANNELS)},{rnd.choice([0.5, 1, 1.5, 2])}"
           for i, p in enumerate(pids)])
    write("touchpoints.csv", "id,stage,name,channel,kind,owner",
          [f"{t},{rnd.choice(stage_ids)},Touchpoint {i},{rnd.choice(CHANNELS)},{rnd.choice(['online', 'offline'])},Team {i % 13}"
           for i, t in enumerate(tids)])
    write("steps.csv", "persona,touchpoint,order,action,thought,emotion",
          [f"{rnd.choice(pids)},{rnd.choice(tids)},{i % 20},\"{sentence(rnd)}\",\"{sentence(rnd, 6)}\",{rnd.randint(1, 5)}"
           for i in range(steps)])
    write("pain_points.csv", "id,persona,touchpoint,description,severity,frequency,evidence,source",
          [f"{pp},{rnd.choice(pids + ['*'])},{rnd.choice(tids)},\"{sentence(rnd)}\",{rnd.randint(1, 5)},{rnd.randint(1, 5)},"
           f"\"Ticket sample {i}\",{rnd.choice(['analytics', 'survey', 'assumption'])}" for i, pp in enumerate(ppids)])
    write("opportunities.csv", "id,title,addresses,reach,impact,confidence,effort,ease,status",
          [f"opp-{i},\"{sentence(rnd, 4)}\",{';'.join(rnd.sample(ppids, 3))},{rnd.randint(10, 50_000)},"
           f"{rnd.choice([0.25, 0.5, 1, 2, 3])},{rnd.choice([0.5, 0.8, 1])},{rnd.choice([0.5, 1, 2, 5])},{rnd.randint(1, 10)},idea"
           for i in range(opps)])
    write("votes.csv", "voter,item,votes", [f"voter-{i % 300},{rnd.choice(ppids)},1" for i in range(1000)])
    jt.load(folder)  # must be valid
    return folder


if __name__ == "__main__":
    print(generate(Path(sys.argv[1] if len(sys.argv) > 1 else "benchmarks/data/big-workshop")))
