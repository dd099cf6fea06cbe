"""Scenariobatchar: 10 000 och 100 000 scenarier i en CSV-fil, vart och ett ändrar 1–5 rader i SV:s tabell.

Mäter hela processen `ersattning scenario --scenariofil FIL --format json` (uppstart och JSON-utdata
inräknade; resultaten strömmas och en stor fil räknas i en process per processor) och toppminnet
(summan av processernas PSS), och kontrollerar att texten är exakt
densamma som när varje scenario utvärderas ensamt (ny motor per scenario) och renderas på en gång.
Mål (issue 17): 100 000 scenarier på ≤ 2 s (≥ 50 000/s), linjär kostnad från 10 000 till 100 000
(kostnaden per scenario utöver uppstarten högst 1,2 gånger så stor), toppminne ≤ 100 MB.

Körs mot en vanlig installation (`pip install .`), eftersom maskinen är delad: bästa av `--varv`.

    python benchmarks/scenarier.py [--scenarier 10000 100000] [--varv 3]
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _minne(pid: int) -> tuple[int, int]:
    """(RSS, PSS) i kB för processen och dess barn (en stor fil räknas i flera processer), ur /proc."""
    rss = pss = 0
    pider = [pid]
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            pider += [int(x) for x in f.read().split()]
    except OSError:
        pass
    for p in pider:
        try:
            with open(f"/proc/{p}/smaps_rollup") as f:
                for rad in f:
                    if rad.startswith("Rss:"):
                        rss += int(rad.split()[1])
                    elif rad.startswith("Pss:"):
                        pss += int(rad.split()[1])
        except (OSError, ValueError):
            pass
    return rss, pss


def kor(argv: list[str]) -> tuple[float, float, bytes]:
    """(sekunder, toppminne i MB, standard ut) för en hel process. Toppminnet är den största summan av
    processernas PSS (delade sidor delas lika, så två processer som delar tolken räknas en gång),
    avläst var 5:e ms ur /proc; utan /proc maxrss ur getrusage (den största processens)."""
    import resource

    with tempfile.TemporaryFile() as utfil:
        fore = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        start = time.perf_counter()
        p = subprocess.Popen(argv, stdout=utfil, stderr=subprocess.PIPE)
        topp = 0
        har_proc = Path("/proc/self/smaps_rollup").exists()
        while p.poll() is None:
            if har_proc:
                topp = max(topp, _minne(p.pid)[1])
            time.sleep(0.005)
        tid = time.perf_counter() - start
        fel = p.stderr.read() if p.stderr else b""
        if p.returncode != 0:
            raise SystemExit(f"{argv[:3]} misslyckades ({p.returncode}): {fel.decode()[-2000:]}")
        if not har_proc:
            topp = max(fore, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
        utfil.seek(0)
        return tid, topp / 1024, utfil.read()


def bast(argv: list[str], varv: int) -> tuple[float, float, bytes]:
    """Den snabbaste av `varv` körningar (och det största toppminnet av dem)."""
    korningar = [kor(argv) for _ in range(varv)]
    t = min(k[0] for k in korningar)
    return t, max(k[1] for k in korningar), korningar[0][2]


def sek(t: float) -> str:
    return f"{t:.2f}".replace(".", ",")


def tal(n: float) -> str:
    return f"{n:,.0f}".replace(",", " ")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scenarier", type=int, nargs="+", default=[10_000, 100_000])
    p.add_argument("--varv", type=int, default=3, help="körningar per mätning (bästa räknas)")
    args = p.parse_args()
    varv = max(1, args.varv)

    import vgr_ersattning
    from vgr_ersattning.inlasning.datakatalog import standardfil
    from vgr_ersattning.inlasning.dokument import las_priser, las_uppdrag
    from vgr_ersattning.kalkyl.scenario import Andring, Scenario, Scenariomotor
    from vgr_ersattning.kommandon.rapporter import Scenariorapport
    from vgr_ersattning.visning import Rapport, jsonformat

    if "site-packages" not in vgr_ersattning.__file__:
        print(f"obs: vgr_ersattning importeras från {vgr_ersattning.__file__} (inte en vanlig installation)")
    uppdrag = las_uppdrag(standardfil("uppdrag_2026.yaml")).modell
    priser = las_priser(standardfil("priser_2026.yaml")).modell
    sv = uppdrag.utforare["SV"]
    rader = [rid for rid, r in sv.volymer.rader.items() if r.tillagg > 0]
    ersattning = shutil.which("ersattning") or str(Path(sys.executable).parent / "ersattning")

    uppstart, uppstart_mb, _ = bast([ersattning, "scenario", "--andra", f"{rader[0]}.tillagg=+1", "--format", "json"],
                                    varv)
    print(f"python {sys.version.split()[0]}; bästa av {varv}")
    print(f"uppstart (ett scenario på kommandoraden, --format json): {sek(uppstart)} s  {uppstart_mb:.0f} MB")
    matt: dict[int, tuple[float, float, bool]] = {}
    for n in args.scenarier:
        rng = random.Random(7)
        scenarier = []
        csv_rader = ["namn,id,falt,satt,andra"]
        for i in range(n):
            andringar = []
            for rid in rng.sample(rader, rng.randint(1, 5)):
                falt = rng.choice(["bas", "tillagg"])
                k = rng.randint(-getattr(sv.volymer.rader[rid], falt), 300)
                andringar.append(Andring(rid, falt, andra=k))
                csv_rader.append(f"s{i},{rid},{falt},,{k:+d}")
            scenarier.append(Scenario(f"s{i}", tuple(andringar)))
        with tempfile.TemporaryDirectory() as d:
            fil = Path(d) / "scenarier.csv"
            fil.write_text("\n".join(csv_rader) + "\n", encoding="utf-8")
            t, mb, ut = bast([ersattning, "scenario", "--scenariofil", str(fil), "--format", "json"], varv)
        ensamma = [Scenariomotor(sv.volymer, priser, "SV", sv.delegation.grans_kr, regler=sv.tillagg).utvardera(s)
                   for s in scenarier]
        forvantat = jsonformat.scenario(Rapport(Scenariorapport("SV", ensamma, sv.delegation.grans_kr, False)))
        lika = ut.decode("utf-8") == forvantat
        del ensamma, forvantat, scenarier
        matt[n] = (t, mb, lika)
        print(f"\n== {tal(n)} scenarier ({tal(len(csv_rader) - 1)} ändringsrader) ==")
        per_scenario = f"{(t - uppstart) / n * 1e6:.1f}".replace(".", ",")
        print(f"  hela processen: {sek(t)} s = {tal(n / t)} scenarier/s, {per_scenario} µs per scenario utöver "
              f"uppstarten, toppminne {mb:.0f} MB")
        print(f"  samma JSON som varje scenario räknat ensamt: {'ja' if lika else 'NEJ'}")

    mal = []
    if 100_000 in matt:
        t, mb, _ = matt[100_000]
        mal.append((f"100 000 scenarier på ≤ 2 s, hela processen (≥ 50 000/s): {sek(t)} s", t <= 2.0))
        mal.append((f"toppminne ≤ 100 MB vid 100 000 scenarier: {mb:.0f} MB", mb <= 100))
    if 10_000 in matt and 100_000 in matt:
        per = {n: (matt[n][0] - uppstart) / n for n in (10_000, 100_000)}
        kvot = per[100_000] / per[10_000]
        kvot_text = f"{kvot:.2f}".replace(".", ",")
        mal.append((f"linjärt från 10 000 till 100 000: kostnad per scenario utöver uppstarten 100k/10k = "
                    f"{kvot_text} (≤ 1,2); toppminne {matt[10_000][1]:.0f} → {matt[100_000][1]:.0f} MB", kvot <= 1.2))
    mal.append(("samma resultat som varje scenario ensamt: " + ", ".join(tal(n) for n in matt),
                all(lika for _, _, lika in matt.values())))
    print("\nmål:")
    for text, ok in mal:
        print(f"  {'uppnått' if ok else 'EJ uppnått':10s} {text}")


if __name__ == "__main__":
    main()
