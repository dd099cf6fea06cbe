"""Utfall i CSV där raderna skiljer sig (issue 26, punkt 2): 1 M rader med antal 1…1000, ~360 000 distinkta rader.

Ett uttag med ett antal per klinik och dag: SV:s rader och månaderna 2026-01 … 2026-08 (seed 2026)
med ett antal dragt ur 1…1000, så att ungefär 360 000 av en miljon rader är distinkta. Skriver i en
körning, som hela processer omväxlande varv för varv (bästa av `--varv`):

- `ersattning berakna --utfall FIL --format json` (snabbvägen, som den körs);
- polars `scan_csv` med group_by på utforare, rad och manad och summan av antal (det verktyget
  räknar), och duckdb; de är inga beroenden och hoppas över om de saknas;
- toppminnet (maxrss, /usr/bin/time; den största processen), och att JSON:en är byte för byte
  densamma som hela CSV-läsarens (`SNABB_CSV = False`), också från en pipe.

Mål (issue 26): minst lika snabbt som polars scan_csv i samma körning, toppminne ≤ 100 MB, samma
JSON. Kör mot en vanlig (inte redigerbar) installation:

    python benchmarks/utfall_distinkta.py [--rader 1000000] [--varv 5]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from utfall_csv import DUCKDB, LANGSAM_CLI, POLARS, importerbar, kor, sek  # noqa: E402
from utfall_stdin import kor_pipe  # noqa: E402


def skapa(fil: Path, n: int, rader: list[str], hogst: int = 1000) -> None:
    rng = random.Random(2026)
    pool = [f"SV,{r},2026-{m:02d}," for r in rader for m in range(1, 9)]
    antal = range(1, hogst + 1)
    with open(fil, "w", encoding="utf-8") as f:
        f.write("utforare,rad,manad,antal\n")
        for i in range(0, n, 100_000):
            k = min(100_000, n - i)
            f.write("".join(f"{p}{a}\n" for p, a in zip(rng.choices(pool, k=k), rng.choices(antal, k=k))))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rader", type=int, default=1_000_000)
    p.add_argument("--varv", type=int, default=5, help="körningar per mätning (bästa räknas)")
    args = p.parse_args()
    varv, n = max(1, args.varv), args.rader

    import vgr_ersattning
    from vgr_ersattning.inlasning.datakatalog import standardfil
    from vgr_ersattning.inlasning.dokument import las_uppdrag

    if "site-packages" not in vgr_ersattning.__file__:
        print(f"obs: vgr_ersattning importeras från {vgr_ersattning.__file__} (inte en vanlig installation)")
    uppdrag = las_uppdrag(standardfil("uppdrag_2026.yaml")).modell
    rader = list(uppdrag.utforare["SV"].volymer.rader)
    ersattning = shutil.which("ersattning") or str(Path(sys.executable).parent / "ersattning")
    jamforelser = [(m, kod) for m, kod in (("polars scan_csv", POLARS), ("duckdb", DUCKDB))
                   if importerbar(m.split()[0])]
    mal: list[tuple[str, bool]] = []
    with tempfile.TemporaryDirectory() as d:
        fil = Path(d) / "distinkta.csv"
        skapa(fil, n, rader)
        with open(fil, "rb") as f:
            f.readline()
            distinkta = len(set(f))
        summa = sum(int(r.rsplit(b",", 1)[1]) for r in fil.read_bytes().splitlines()[1:])
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} kärnor; bästa av {varv}")
        print(f"== {n:_} rader ({fil.stat().st_size / 1e6:.0f} MB), {distinkta:_} distinkta rader, "
              f"{len(rader) * 8} nycklar ==".replace("_", " "))
        hel = [ersattning, "berakna", "--utfall", str(fil), "--format", "json"]
        korningar: dict[str, list[tuple[float, float, str]]] = {}
        for _ in range(varv):       # omväxlande: samma brus för alla
            korningar.setdefault("verktyget", []).append(kor(hel))
            for namn, kod in jamforelser:
                korningar.setdefault(namn, []).append(kor([sys.executable, "-c", kod, str(fil)]))

        def basta(namn: str) -> tuple[float, float, str]:
            t, _, ut = min(korningar[namn])
            return t, max(mb for _, mb, _ in korningar[namn]), ut

        tv, mv, json_snabb = basta("verktyget")
        print(f"  ersattning berakna --format json:  {sek(tv):>6s} s  {n / tv / 1e6:5.1f} M rader/s  {mv:5.0f} MB")
        for namn, _ in jamforelser:
            t, mb, ut = basta(namn)
            ok = int(float(ut.split()[-1])) == summa
            print(f"  {namn + ':':34s} {sek(t):>6s} s  {n / t / 1e6:5.1f} M rader/s  {mb:5.0f} MB"
                  f"{'' if ok else '  (FEL SUMMA)'}; verktyget {t / tv:.2f}× så snabbt")
            if namn == "polars scan_csv":
                mal.append((f"{n // 1_000_000} M rader / {distinkta // 1000} 000 distinkta minst lika snabbt som "
                            f"polars scan_csv ({sek(tv)} s mot {sek(t)} s)", tv <= t))
        mal.append((f"toppminne ≤ 100 MB ({mv:.0f} MB)", mv <= 100))
        tp, mp, json_pipe = kor_pipe([ersattning, "berakna", "--format", "json", "--utfall", "-"], fil)
        tl, ml, json_langsam = kor([sys.executable, "-c", LANGSAM_CLI] + hel[1:])
        print(f"  från en pipe:                      {sek(tp):>6s} s  {n / tp / 1e6:5.1f} M rader/s  {mp:5.0f} MB")
        print(f"  hela CSV-läsaren:                  {sek(tl):>6s} s  {n / tl / 1e6:5.1f} M rader/s  {ml:5.0f} MB")
        lika = json_snabb == json_langsam == json_pipe
        print(f"  samma JSON byte för byte (sökvägen, pipen, hela CSV-läsaren): {'ja' if lika else 'NEJ'}")
        mal.append(("samma JSON byte för byte som hela CSV-läsaren (sökvägen och pipen)", lika))
        mal.append((f"toppminne ≤ 100 MB från en pipe ({mp:.0f} MB)", mp <= 100))
    print("\nmål:")
    for text, ok in mal:
        print(f"  {'uppnått' if ok else 'EJ uppnått':10s} {text}")


if __name__ == "__main__":
    main()
