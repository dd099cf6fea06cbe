"""Aggregering av ett radnivåuttag: 1 000 000 rader CSV (en rad per utförd prestation).

Mäter (1) inläsningen och aggregeringen i processen och (2) `ersattning berakna --utfall FIL
--format json` från början till slut, och jämför resultatet med samma produktion som månadsfil.
Mål (issue 4): 1 000 000 rader aggregeras på under 3 s på den här 2-kärniga maskinen.

    python benchmarks/utfall_csv.py [--rader 1000000]
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
import time
import resource
from pathlib import Path


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rader", type=int, default=1_000_000)
    args = p.parse_args()

    from vgr_ersattning.laddning import las_uppdrag, standardfil
    from vgr_ersattning.utfall import Utfall, las_csv

    uppdrag = las_uppdrag(standardfil("uppdrag_2026.yaml")).modell
    rader = list(uppdrag.utforare["SV"].volymer.rader)
    rng = random.Random(2026)
    with tempfile.TemporaryDirectory() as d:
        stor = Path(d) / "radniva.csv"
        summor: dict[tuple[str, int], int] = {}
        with open(stor, "w", encoding="utf-8") as f:
            f.write("utforare,rad,manad,antal\n")
            for _ in range(args.rader):
                r, m = rng.choice(rader), rng.randint(1, 8)
                f.write(f"SV,{r},2026-{m:02d},1\n")
                summor[(r, m)] = summor.get((r, m), 0) + 1
        manad = Path(d) / "manad.csv"
        manad.write_text("utforare,rad,manad,antal\n" + "".join(
            f"SV,{r},2026-{m:02d},{n}\n" for (r, m), n in sorted(summor.items())), encoding="utf-8")
        storlek = stor.stat().st_size

        tider = []
        for _ in range(3):
            start = time.perf_counter()
            ut = Utfall(uppdrag.ar)
            las_csv(stor, uppdrag, ut)
            tider.append(time.perf_counter() - start)
        tid_las = min(tider)
        assert sum(sum(v) for v in ut.produktion["SV"].values()) == args.rader

        ersattning = shutil.which("ersattning") or str(Path(sys.executable).parent / "ersattning")
        jmf = subprocess.run([ersattning, "berakna", "--utfall", str(manad), "--format", "json"],
                             capture_output=True, text=True, check=True)
        rss_liten = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        start = time.perf_counter()
        hel = subprocess.run([ersattning, "berakna", "--utfall", str(stor), "--format", "json"],
                             capture_output=True, text=True, check=True)
        tid_hel = time.perf_counter() - start
        rss_stor = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(f"rader: {args.rader:,}".replace(",", " ") + f" ({storlek / 1e6:.1f} MB)")
    print(f"inläsning och aggregering: {tid_las:.2f} s, bästa av 3 ({args.rader / tid_las / 1e6:.2f} miljoner rader/s; "
          "mål < 3 s)")
    print(f"minne (maxrss): {rss_stor / 1024:.0f} MB med radnivåfilen, {rss_liten / 1024:.0f} MB med månadsfilen "
          "(raderna hålls inte i minnet)")
    print(f"ersattning berakna --utfall (hela processen, JSON): {tid_hel:.2f} s")
    print(f"samma JSON som månadsfilen: {'ja' if hel.stdout == jmf.stdout else 'NEJ'}")


if __name__ == "__main__":
    main()
