"""Utfall i xlsx (issue 26, punkt 3): en arbetsbok med 200 000 rader mot python-calamine ensamt.

Bygger arbetsboken deterministiskt (xlsxwriter, seed 2026, SV:s rader och månaderna 2026-01 …
2026-08, ett blad med delade texter som Excel sparar det) och samma rader som CSV, och mäter i en
körning, omväxlande varv för varv (bästa av N), som hela processer:

- `ersattning berakna --utfall F.xlsx --format json` (med processorerna den får, och i en process:
  `VGR_ERSATTNING_ARBETARE=1`, där granskningen och calamine inte går samtidigt);
- ett pythonskript som öppnar samma blad med python-calamine och räknar raderna per nyckel.

Skriver kvoten och målet "inom 1,2× av python-calamine ensamt" (uppnått / EJ uppnått), och att
JSON:en är densamma som från samma rader i CSV. Kör mot en vanlig installation:

    python -m venv /tmp/bench_x && /tmp/bench_x/bin/pip install /work/main
    /tmp/bench_x/bin/python benchmarks/utfall_xlsx.py [--rader 200000] [--varv 5]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CALAMINE = r"""
import sys
from collections import Counter
from python_calamine import CalamineWorkbook
rader = CalamineWorkbook.from_path(sys.argv[1]).get_sheet_by_index(0).iter_rows()
next(rader)
c = Counter()
for u, rad, m, a in rader:
    c[(u, rad, m)] += int(a)
print(sum(c.values()))
"""


def kor(argv: list[str], env: dict[str, str] | None = None) -> tuple[float, str]:
    start = time.perf_counter()
    p = subprocess.run(argv, capture_output=True, env=env)
    tid = time.perf_counter() - start
    if p.returncode != 0:
        raise SystemExit(f"{argv[:3]} misslyckades ({p.returncode}): {p.stderr.decode()[-2000:]}")
    return tid, p.stdout.decode()


def skapa(xlsx: Path, csv: Path, n: int, rader: list[str]) -> None:
    import xlsxwriter

    rng = random.Random(2026)
    pool = [("SV", r, f"2026-{m:02d}", 1) for r in rader for m in range(1, 9)]
    valda = rng.choices(pool, k=n)
    wb = xlsxwriter.Workbook(str(xlsx))
    ws = wb.add_worksheet("Uttag")
    ws.write_row(0, 0, ["utforare", "rad", "manad", "antal"])
    for i, rad in enumerate(valda, 1):
        ws.write_row(i, 0, rad)
    wb.close()
    csv.write_text("utforare,rad,manad,antal\n" + "".join(f"{u},{r},{m},{a}\n" for u, r, m, a in valda),
                   encoding="utf-8")


def sek(t: float) -> str:
    return f"{t:.2f}".replace(".", ",")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rader", type=int, default=200_000)
    p.add_argument("--varv", type=int, default=5)
    args = p.parse_args()
    from vgr_ersattning.inlasning.datakatalog import standardfil
    from vgr_ersattning.inlasning.dokument import las_uppdrag

    uppdrag = las_uppdrag(standardfil("uppdrag_2026.yaml")).modell
    rader = list(uppdrag.utforare["SV"].volymer.rader)
    ersattning = shutil.which("ersattning") or str(Path(sys.executable).parent / "ersattning")
    with tempfile.TemporaryDirectory() as d:
        xlsx, csv = Path(d) / "uttag.xlsx", Path(d) / "uttag.csv"
        skapa(xlsx, csv, args.rader, rader)
        print(f"{args.rader:,} rader: {xlsx.stat().st_size / 1e6:.1f} MB xlsx; bästa av {args.varv}".replace(",", " "))
        en_process = {**os.environ, "VGR_ERSATTNING_ARBETARE": "1"}
        verktyget, sekventiellt, peer = [], [], []
        for _ in range(max(1, args.varv)):
            verktyget.append(kor([ersattning, "berakna", "--utfall", str(xlsx), "--format", "json"]))
            peer.append(kor([sys.executable, "-c", CALAMINE, str(xlsx)]))
            sekventiellt.append(kor([ersattning, "berakna", "--utfall", str(xlsx), "--format", "json"], en_process))
        tv, json_xlsx = min(verktyget)
        ts, json_en = min(sekventiellt)
        tp, summa = min(peer)
        _, json_csv = kor([ersattning, "berakna", "--utfall", str(csv), "--format", "json"])
    lika = json_xlsx == json_csv == json_en
    kvot = tv / tp
    print(f"  ersattning berakna --format json: {sek(tv):>6s} s  " + f"{args.rader / tv:9,.0f}".replace(",", " ")
          + " rader/s")
    print(f"  samma i en process:               {sek(ts):>6s} s  (kvot {ts / tp:.2f}×)".replace(".", ","))
    print(f"  python-calamine ensamt:           {sek(tp):>6s} s  (summa {summa.strip()})")
    print(f"  kvot {kvot:.2f}×; samma JSON som samma rader i CSV (och i en process): {'ja' if lika else 'NEJ'}"
          .replace(".", ","))
    print("\nmål:")
    for text, ok in ((f"{args.rader // 1000} 000 rader xlsx inom 1,2× av python-calamine ensamt", kvot <= 1.2),
                     ("samma JSON som samma rader i CSV och i en process", lika)):
        print(f"  {'uppnått' if ok else 'EJ uppnått':10s} {text}")


if __name__ == "__main__":
    main()
