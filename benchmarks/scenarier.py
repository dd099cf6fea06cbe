"""Scenariobatch: 10 000 scenarier i en CSV-fil, var och en ändrar 1–5 rader i SV:s tabell.

Mäter hela processen `ersattning scenario --scenariofil FIL --format json` (uppstart och
JSON-utdata inräknade) och kontrollerar att varje scenarios resultat är detsamma som när det
utvärderas ensamt (ny motor per scenario). Mål (issue 7): ≥ 10 000 scenarier/s, dvs. < 1 s.

    python benchmarks/scenarier.py [--scenarier 10000]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scenarier", type=int, default=10_000)
    p.add_argument("--varv", type=int, default=5)
    args = p.parse_args()

    from vgr_ersattning.kalkyl.scenario import Andring, Scenario, Scenariomotor
    from vgr_ersattning.laddning import las_priser, las_uppdrag, standardfil
    from vgr_ersattning.kommandon import Scenariorapport
    from vgr_ersattning.visning import Rapport, jsonformat

    uppdrag = las_uppdrag(standardfil("uppdrag_2026.yaml")).modell
    priser = las_priser(standardfil("priser_2026.yaml")).modell
    sv = uppdrag.utforare["SV"]
    rader = [rid for rid, r in sv.volymer.rader.items() if r.tillagg > 0]
    rng = random.Random(7)
    scenarier = []
    csv_rader = ["namn,id,falt,satt,andra"]
    for i in range(args.scenarier):
        andringar = []
        for rid in rng.sample(rader, rng.randint(1, 5)):
            falt = rng.choice(["bas", "tillagg"])
            n = rng.randint(-getattr(sv.volymer.rader[rid], falt), 300)
            andringar.append(Andring(rid, falt, andra=n))
            csv_rader.append(f"s{i},{rid},{falt},,{n:+d}")
        scenarier.append(Scenario(f"s{i}", tuple(andringar)))
    ensamma = [Scenariomotor(sv.volymer, priser, "SV", sv.delegation.grans_kr, regler=sv.tillagg).utvardera(s)
               for s in scenarier]
    forvantat = json.loads(jsonformat.scenario(Rapport(Scenariorapport("SV", ensamma, sv.delegation.grans_kr, False))))

    ersattning = shutil.which("ersattning") or str(Path(sys.executable).parent / "ersattning")
    with tempfile.TemporaryDirectory() as d:
        fil = Path(d) / "scenarier.csv"
        fil.write_text("\n".join(csv_rader) + "\n", encoding="utf-8")
        tider = []
        for _ in range(args.varv):
            start = time.perf_counter()
            res = subprocess.run([ersattning, "scenario", "--scenariofil", str(fil), "--format", "json"],
                                 capture_output=True, text=True, check=True)
            tider.append(time.perf_counter() - start)
    lika = json.loads(res.stdout) == forvantat
    t = statistics.median(tider)
    print(f"scenarier: {args.scenarier} ({len(csv_rader) - 1} ändringsrader)")
    print(f"hela processen, median av {args.varv}: {t:.2f} s = " + f"{args.scenarier / t:,.0f}".replace(",", " ") + " scenarier/s"
          + " (mål ≥ 10 000/s)")
    print(f"samma resultat som varje scenario ensamt: {'ja' if lika else 'NEJ'}")


if __name__ == "__main__":
    main()
