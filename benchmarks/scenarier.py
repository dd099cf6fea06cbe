"""Scenariobatchar: 10 000, 100 000 och 1 000 000 scenarier i en CSV-fil, vart och ett ändrar 1–5 rader i SV:s tabell.

Mäter hela processen `ersattning scenario --scenariofil FIL --format json` (uppstart och JSON-utdata
inräknade; resultaten strömmas och en stor fil räknas i en process per processor) och toppminnet i den
största processen (maxrss för den största av verktygets processer, ur getrusage i en mellanprocess
som bara startar verktyget), och kontrollerar att texten är exakt densamma som när varje scenario
utvärderas ensamt (ny motor per scenario) och renderas av `jsonformat.scenario`. Vid en miljon
jämförs hela texten strömmande med en motor som utvärderar scenarierna i ordning, och vart hundrade
scenario utvärderas dessutom ensamt med en ny motor (att räkna en miljon motorer tar för lång tid).

Mål: issue 26 (en miljon scenarier med ≥ 200 000 scenarier/s och den största processen ≤ 100 MB),
issue 17 (100 000 scenarier på ≤ 2 s, linjär kostnad från 10 000 till 100 000) och samma utdata som
varje scenario ensamt vid varje storlek. Med `--fore ERSATTNING` (en annan installation, t.ex. före
en ändring) mäts samma filer med den i samma körning och kvoten skrivs ut (issue 25: inte
långsammare).

Körs mot en vanlig installation (`pip install .`), eftersom maskinen är delad: bästa av `--varv`.

    python benchmarks/scenarier.py [--scenarier 10000 100000 1000000] [--varv 3] [--fore PATH]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

# Startar verktyget med standard ut till en fil och skriver (sekunder, största processens maxrss i kB):
# getrusage(RUSAGE_CHILDREN) är den största av alla avslutade efterkommande processer (verktyget och
# dess arbetare, som verktyget väntar in).
_MELLAN = """
import json, resource, subprocess, sys, time
with open(sys.argv[1], "wb") as ut:
    start = time.perf_counter()
    p = subprocess.run(sys.argv[3:], stdout=ut, stderr=subprocess.PIPE)
    tid = time.perf_counter() - start
with open(sys.argv[2], "w") as f:
    json.dump({"tid": tid, "maxrss": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
               "kod": p.returncode, "fel": p.stderr.decode("utf-8", "replace")[-2000:]}, f)
"""

STEG = 100        # vid en miljon utvärderas vart STEG:e scenario också ensamt


def kor(argv: list[str], utfil: Path) -> tuple[float, float]:
    """(sekunder, största processens toppminne i MB) för en hel körning; standard ut till `utfil`."""
    with tempfile.NamedTemporaryFile(suffix=".json") as matt:
        subprocess.run([sys.executable, "-c", _MELLAN, str(utfil), matt.name, *argv], check=True)
        svar = json.loads(Path(matt.name).read_text())
    if svar["kod"] != 0:
        raise SystemExit(f"{argv[:3]} misslyckades ({svar['kod']}): {svar['fel']}")
    return svar["tid"], svar["maxrss"] / 1024


def bast(argv: list[str], utfil: Path, varv: int) -> tuple[float, float]:
    """Den snabbaste av `varv` körningar och det största toppminnet av dem (utdata från den sista)."""
    korningar = [kor(argv, utfil) for _ in range(varv)]
    return min(k[0] for k in korningar), max(k[1] for k in korningar)


def sek(t: float) -> str:
    return f"{t:.2f}".replace(".", ",")


def tal(n: float) -> str:
    return f"{n:,.0f}".replace(",", " ")


def scenarier(n: int, sv, rader: list[str]):
    """De n scenarierna (samma slump varje gång): (namn, [(rad, fält, ändring)])."""
    rng = random.Random(7)
    for i in range(n):
        andringar = []
        for rid in rng.sample(rader, rng.randint(1, 5)):
            falt = rng.choice(["bas", "tillagg"])
            andringar.append((rid, falt, rng.randint(-getattr(sv.volymer.rader[rid], falt), 300)))
        yield f"s{i}", andringar


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scenarier", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    p.add_argument("--varv", type=int, default=3, help="körningar per mätning (bästa räknas)")
    p.add_argument("--fore", help="en annan installations `ersattning`, mätt med samma filer i samma körning")
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

    def motor():
        return Scenariomotor(sv.volymer, priser, "SV", sv.delegation.grans_kr, regler=sv.tillagg)

    def scenario(namn, andringar):
        return Scenario(namn, tuple(Andring(rid, falt, andra=k) for rid, falt, k in andringar))

    def text(resultat) -> str:
        return jsonformat.scenario(Rapport(Scenariorapport("SV", resultat, sv.delegation.grans_kr, False)))

    borjan, slut = '{"scenarier": [', "]}\n"

    def samma_text(n: int, utfil: Path) -> bool:
        """Utdata = varje scenario ensamt (n ≤ 100 000), eller i ordning med en motor och vart STEG:e
        ensamt (större), renderat av jsonformat i block om 1 000 och jämfört medan filen läses."""
        en = motor()
        with open(utfil, encoding="utf-8") as f:
            if f.read(len(borjan)) != borjan:
                return False
            block, forsta = [], True
            for i, (namn, andringar) in enumerate(scenarier(n, sv, rader)):
                s = scenario(namn, andringar)
                r = motor().utvardera(s) if n <= 100_000 else en.utvardera(s)
                if n > 100_000 and i % STEG == 0 and motor().utvardera(s) != r:
                    return False
                block.append(r)
                if len(block) == 1000 or i == n - 1:
                    inre = text(block)[len(borjan):-len(slut)]
                    if not forsta:
                        inre = ", " + inre
                    forsta = False
                    if f.read(len(inre)) != inre:
                        return False
                    block = []
            return f.read() == slut

    uppstart, uppstart_mb = bast([ersattning, "scenario", "--andra", f"{rader[0]}.tillagg=+1", "--format", "json"],
                                 Path(tempfile.gettempdir()) / "uppstart.json", varv)
    print(f"python {sys.version.split()[0]}; bästa av {varv}")
    print(f"uppstart (ett scenario på kommandoraden, --format json): {sek(uppstart)} s, största processen "
          f"{uppstart_mb:.0f} MB")
    matt: dict[int, tuple[float, float, bool]] = {}
    fore: dict[int, float] = {}
    for n in args.scenarier:
        with tempfile.TemporaryDirectory() as d:
            fil, utfil = Path(d) / "scenarier.csv", Path(d) / "ut.json"
            antal_rader = 0
            with open(fil, "w", encoding="utf-8") as f:
                f.write("namn,id,falt,satt,andra\n")
                for namn, andringar in scenarier(n, sv, rader):
                    f.writelines(f"{namn},{rid},{falt},,{k:+d}\n" for rid, falt, k in andringar)
                    antal_rader += len(andringar)
            argv = ["scenario", "--scenariofil", str(fil), "--format", "json"]
            if args.fore:
                fore[n], _ = bast([args.fore, *argv], utfil, varv)
            t, mb = bast([ersattning, *argv], utfil, varv)
            lika = samma_text(n, utfil)
        matt[n] = (t, mb, lika)
        print(f"\n== {tal(n)} scenarier ({tal(antal_rader)} ändringsrader) ==")
        per_scenario = f"{(t - uppstart) / n * 1e6:.1f}".replace(".", ",")
        print(f"  hela processen: {sek(t)} s = {tal(n / t)} scenarier/s, {per_scenario} µs per scenario utöver "
              f"uppstarten; största processen {mb:.0f} MB")
        if n in fore:
            print(f"  {args.fore}: {sek(fore[n])} s (kvot {sek(t / fore[n])})")
        kontroll = "varje scenario ensamt" if n <= 100_000 else f"en motor i ordning, vart {STEG}:e också ensamt"
        print(f"  samma JSON som {kontroll}: {'ja' if lika else 'NEJ'}")

    mal = []
    if 1_000_000 in matt:
        t, mb, _ = matt[1_000_000]
        mal.append((f"1 000 000 scenarier med ≥ 200 000 scenarier/s, hela processen: {tal(1_000_000 / t)}/s "
                    f"({sek(t)} s)", 1_000_000 / t >= 200_000))
        mal.append((f"största processen ≤ 100 MB vid 1 000 000 scenarier: {mb:.0f} MB", mb <= 100))
    if 100_000 in matt:
        t, mb, _ = matt[100_000]
        mal.append((f"100 000 scenarier på ≤ 2 s, hela processen (≥ 50 000/s): {sek(t)} s", t <= 2.0))
        if 100_000 in fore:
            mal.append((f"100 000 scenarier inte långsammare än {args.fore}: {sek(t)} s mot {sek(fore[100_000])} s",
                        t <= fore[100_000]))
    if 10_000 in matt and 100_000 in matt:
        per = {n: (matt[n][0] - uppstart) / n for n in (10_000, 100_000)}
        kvot = per[100_000] / per[10_000]
        kvot_text = f"{kvot:.2f}".replace(".", ",")
        mal.append((f"linjärt från 10 000 till 100 000: kostnad per scenario utöver uppstarten 100k/10k = "
                    f"{kvot_text} (≤ 1,2); största processen {matt[10_000][1]:.0f} → {matt[100_000][1]:.0f} MB",
                    kvot <= 1.2))
    mal.append(("samma resultat som varje scenario ensamt: " + ", ".join(tal(n) for n in matt),
                all(lika for _, _, lika in matt.values())))
    print("\nmål:")
    for text_, ok in mal:
        print(f"  {'uppnått' if ok else 'EJ uppnått':10s} {text_}")


if __name__ == "__main__":
    main()
