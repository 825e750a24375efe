"""Write N realistic plans, deterministic from a seed: the sample's structure with other
provinces, years, numbers, dates, row counts, coordinators and timelines.

    python benchmarks/generate_corpus.py 100 /tmp/corpus-100 --seed 1
"""
from __future__ import annotations

import argparse
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "samples" / "hanoi-2023-101-KH-UBND.txt"
PROVINCES = ["Hà Nội", "Lào Cai", "Hà Tĩnh", "Trà Vinh", "Tuyên Quang", "Cà Mau", "Đà Nẵng", "Cần Thơ",
             "Quảng Ninh", "Nghệ An", "Thừa Thiên Huế", "Khánh Hòa", "Lâm Đồng", "Bình Dương", "An Giang"]
TIMELINES = ["Trong năm {y}", "Quý I/{y}", "Quý II/{y}", "Quý III/{y}", "Quý IV/{y}", "Tháng 3/{y}",
             "Tháng 9/{y}", "Hàng tháng", "Hàng quý", "Thường xuyên", "Định kỳ hoặc đột xuất"]


def plan(i: int, rnd: random.Random, lines: list[str]) -> str:
    year = rnd.randint(2019, 2025)
    province = rnd.choice(PROVINCES)
    number = rnd.randint(1, 400)
    month, day = rnd.randint(1, 12), rnd.randint(1, 28)
    out = []
    for no, line in enumerate(lines, 1):
        if line.startswith("Số: 101 /KH-UBND"):
            line = f"Số: {number} /KH-UBND"
        elif "ngày 23 tháng 3 năm 2023" in line:
            line = line.replace("ngày 23 tháng 3 năm 2023", f"ngày {day} tháng {month} năm {year}")
        if province != "Hà Nội":
            line = (line.replace("thành phố Hà Nội", f"tỉnh {province}").replace("Thành phố Hà Nội", f"tỉnh {province}")
                    .replace("UBND Thành phố", "UBND tỉnh").replace("Hà Nội", province))
        line = line.replace("năm 2023", f"năm {year}").replace("/2023", f"/{year}")
        if "\t" in line and re.match(r"^\d+\t", line):
            cells = line.split("\t")
            if len(cells) >= 5 and rnd.random() < 0.3:
                cells[2] = rnd.choice(TIMELINES).format(y=year)
            if len(cells) >= 5 and rnd.random() < 0.2:
                parts = [p.strip() for p in cells[4].split(",") if p.strip()]
                rnd.shuffle(parts)
                cells[4] = ", ".join(parts)
            if rnd.random() < 0.1:  # a row more (repeated) or fewer
                continue
            line = "\t".join(cells)
        out.append(line)
    return "\n".join(out)


def generate(n: int, target: Path, seed: int = 1) -> list[Path]:
    rnd = random.Random(seed)
    lines = SAMPLE.read_text(encoding="utf-8").split("\n")
    target.mkdir(parents=True, exist_ok=True)
    files = []
    for i in range(n):
        f = target / f"plan-{i:05}.txt"
        f.write_text(plan(i, rnd, lines), encoding="utf-8")
        files.append(f)
    return files


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("n", type=int)
    ap.add_argument("target", type=Path)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    print(f"wrote {len(generate(a.n, a.target, a.seed))} plans to {a.target}")
