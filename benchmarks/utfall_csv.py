"""Inläsning av ett radnivåuttag (en rad per utförd prestation): 1 000 000 och 10 000 000 rader CSV.

Skriver i en körning, för varje storlek (filerna skapas deterministiskt, seed 2026, SV:s rader och
månaderna 2026-01 … 2026-08, slumpad ordning):

- verktygets läsare i processen (`las_csv`): snabbvägen över distinkta rader (bästa av 5), i en
  process och som den körs (en process per processor från 8 MiB, `parallell.arbetare()`), och hela
  CSV-läsaren (`snabb=False`), och att produktionen och källornas platser är identiska;
- `ersattning berakna --utfall FIL --format json` som hel process (bästa av 5), med snabbvägen och
  med hela CSV-läsaren (samma JSON krävs), och uppstarten (samma kommando utan --utfall), så att
  läsarens del av hela processen syns; från 10 M rader också med en och två arbetare
  (VGR_ERSATTNING_ARBETARE=1 och 2);
- jämförelser som hela processer: stdlib `Counter` över råa rader (en process, som i issue 17),
  stdlib `csv` + `Counter` (per nyckel), och polars och duckdb om de går att importera (de är inga
  beroenden); polars och duckdb lika många gånger som verktyget (bästa av dem);
- rader/s och toppminnet (maxrss, via /usr/bin/time) för varje process.

Målen i issue 17: 10 M rader ≥ 10 M rader/s hela vägen och minst lika snabbt som polars i samma
körning, 1 M rader ≤ 0,25 s hela vägen, toppminne ≤ 100 MB, samma resultat som hela CSV-läsaren.
Maskinen är delad och brusig: bästa av flera körningar, och kvoterna inom en körning.
Kör mot en vanlig (inte redigerbar) installation:

    python -m venv /tmp/venv-17 && . /tmp/venv-17/bin/activate && pip install /work/main
    python benchmarks/utfall_csv.py [--rader 1000000 10000000] [--utan-langsam] [--varv 5]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RADER_COUNTER = r"""
import sys
from collections import Counter
c, rest = Counter(), b""
with open(sys.argv[1], "rb", buffering=0) as f:
    f.readline()
    while True:
        data = f.read(1 << 16)
        if not data:
            break
        rader = data.split(b"\n")
        rader[0] = rest + rader[0]
        rest = rader.pop()
        c.update(rader)
if rest:
    c[rest] += 1
summa = 0
for rad, n in c.items():
    summa += int(rad.decode().split(",")[3]) * n
print(summa)
"""
BAS_CSV = r"""
import csv, sys
from collections import Counter
c = Counter()
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    r = csv.reader(f)
    next(r)
    for u, rad, m, a in r:
        c[(u, rad, m)] += int(a)
print(sum(c.values()))
"""
POLARS = r"""
import sys, polars as pl
df = pl.scan_csv(sys.argv[1]).group_by(["utforare", "rad", "manad"]).agg(pl.col("antal").sum()).collect()
print(df["antal"].sum())
"""
DUCKDB = r"""
import sys, duckdb
r = duckdb.sql("select utforare, rad, manad, sum(antal) as antal "
               f"from read_csv('{sys.argv[1]}') group by all").fetchall()
print(sum(x[3] for x in r))
"""
LANGSAM_CLI = r"""
import sys
import vgr_ersattning.inlasning.utfall.csv as u
u.SNABB_CSV = False
from vgr_ersattning.cli import main
sys.argv = ["ersattning"] + sys.argv[1:]
main()
"""


def kor(argv: list[str], arbetare: int | None = None) -> tuple[float, float, str]:
    """(sekunder, toppminne i MB, standard ut) för en hel process. Minnet är maxrss ur /usr/bin/time
    (GNU time): ett barn som startas direkt härifrån ärver den här processens maxrss vid exec. Med
    flera processer (snabbvägen för filer från 8 MiB) är det den största processens topp. `arbetare`:
    VGR_ERSATTNING_ARBETARE för processen."""
    with tempfile.TemporaryDirectory() as d:
        matt = Path(d) / "rss"
        tid_argv = ["/usr/bin/time", "-f", "%M", "-o", str(matt)] if Path("/usr/bin/time").exists() else []
        start = time.perf_counter()
        miljo = dict(os.environ)
        if arbetare is not None:
            miljo["VGR_ERSATTNING_ARBETARE"] = str(arbetare)
        p = subprocess.run(tid_argv + argv, capture_output=True, env=miljo)
        tid = time.perf_counter() - start
        if p.returncode != 0:
            raise SystemExit(f"{argv[:3]} misslyckades ({p.returncode}): {p.stderr.decode()[-2000:]}")
        mb = int(matt.read_text().split()[-1]) / 1024 if tid_argv else float("nan")
        return tid, mb, p.stdout.decode()


def importerbar(modul: str) -> bool:
    return subprocess.run([sys.executable, "-c", f"import {modul}"], capture_output=True).returncode == 0


def skapa(fil: Path, n: int, rader: list[str]) -> None:
    rng = random.Random(2026)
    pool = [f"SV,{r},2026-{m:02d},1\n" for r in rader for m in range(1, 9)]
    with open(fil, "w", encoding="utf-8") as f:
        f.write("utforare,rad,manad,antal\n")
        for i in range(0, n, 100_000):
            f.write("".join(rng.choices(pool, k=min(100_000, n - i))))


def sek(t: float) -> str:
    return f"{t:.2f}".replace(".", ",") if t >= 0.1 else f"{t:.3f}".replace(".", ",")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rader", type=int, nargs="+", default=[1_000_000, 10_000_000])
    p.add_argument("--utan-langsam", action="store_true", help="hoppa över hela CSV-läsaren (tar ~1 µs per rad)")
    p.add_argument("--varv", type=int, default=5, help="körningar per mätning (bästa räknas)")
    args = p.parse_args()
    varv = max(1, args.varv)

    import vgr_ersattning
    import vgr_ersattning.inlasning.utfall.snabb as utfall_mod
    from vgr_ersattning import parallell as parallell_mod
    from vgr_ersattning.inlasning.datakatalog import standardfil
    from vgr_ersattning.inlasning.dokument import las_uppdrag
    from vgr_ersattning.inlasning.utfall.csv import las_csv
    from vgr_ersattning.inlasning.utfall.filer import Utfall

    parallell = utfall_mod._SNABB_PARALLELL_BYTE

    if "site-packages" not in vgr_ersattning.__file__:
        print(f"obs: vgr_ersattning importeras från {vgr_ersattning.__file__} (inte en vanlig installation)")
    uppdrag = las_uppdrag(standardfil("uppdrag_2026.yaml")).modell
    rader = list(uppdrag.utforare["SV"].volymer.rader)
    ersattning = shutil.which("ersattning") or str(Path(sys.executable).parent / "ersattning")
    jamforelser = [("stdlib Counter över råa rader", RADER_COUNTER), ("stdlib csv + Counter", BAS_CSV)]
    for modul, kod in (("polars", POLARS), ("duckdb", DUCKDB)):
        if importerbar(modul):
            jamforelser.append((modul, kod))
        else:
            print(f"({modul} går inte att importera: hoppas över)")
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} kärnor; {parallell_mod.arbetare()} arbetare från "
          f"{parallell // 1024 // 1024} MiB; bästa av {varv}")
    mal = []
    with tempfile.TemporaryDirectory() as d:
        for n in args.rader:
            fil = Path(d) / f"radniva_{n}.csv"
            skapa(fil, n, rader)
            mb = fil.stat().st_size / 1e6
            m = f"{n // 1_000_000} M" if n >= 1_000_000 else f"{n:,}".replace(",", " ")
            print(f"\n== {n:,} rader ({mb:.0f} MB, {len(rader) * 8} distinkta rader) ==".replace(",", " "))

            def i_processen(snabb: bool, en_process: bool = False, fil: Path = fil) -> tuple[float, Utfall]:
                start = time.perf_counter()
                ut = Utfall(uppdrag.ar)
                if en_process:
                    utfall_mod._SNABB_PARALLELL_BYTE = 1 << 62
                try:
                    las_csv(fil, uppdrag, ut, snabb=snabb)
                finally:
                    utfall_mod._SNABB_PARALLELL_BYTE = parallell
                return time.perf_counter() - start, ut

            tider, tider1 = [], []
            for _ in range(varv):       # omväxlande: samma brus för båda
                t, ut = i_processen(True)
                tider.append(t)
                tider1.append(i_processen(True, en_process=True)[0])
            tid, tid1 = min(tider), min(tider1)
            assert sum(sum(v) for v in ut.produktion["SV"].values()) == n
            print(f"  läsaren i processen, en process:  {sek(tid1):>6s} s  {n / tid1 / 1e6:5.1f} M rader/s")
            rad = f"  läsaren i processen, snabbvägen:  {sek(tid):>6s} s  {n / tid / 1e6:5.1f} M rader/s"
            if fil.stat().st_size >= parallell:
                rad += f" ({parallell_mod.arbetare()} arbetare, {tid1 / tid:.2f}× en process)"
            if not args.utan_langsam:
                tl, ul = i_processen(False)
                lika = ul.produktion == ut.produktion and ul._kallor == ut._kallor
                rad += f"; hela CSV-läsaren {sek(tl)} s ({tl / tid:.0f}×); samma produktion och källor: " \
                       f"{'ja' if lika else 'NEJ'}"
                mal.append((f"{m} rader: samma produktion och källor som hela CSV-läsaren (i processen)", lika))
            print(rad)

            # Verktyget och jämförelserna omväxlande, varv för varv: brus på den delade maskinen drabbar
            # alla lika. stdlib csv tar sekunder per miljon rader: en gång räcker för kvoten.
            hel = [ersattning, "berakna", "--utfall", str(fil), "--format", "json"]
            korningar: dict[str, list[tuple[float, float, str]]] = {"verktyget": [], "uppstart": []}
            for varvet in range(varv):
                korningar["verktyget"].append(kor(hel))
                if n >= 10_000_000:
                    for a in (1, 2):
                        korningar.setdefault(f"arbetare={a}", []).append(kor(hel, a))
                korningar["uppstart"].append(kor([ersattning, "berakna", "--format", "json"]))
                for namn, kod in jamforelser:
                    if namn != "stdlib csv + Counter" or varvet == 0 or n <= 1_000_000:
                        korningar.setdefault(namn, []).append(kor([sys.executable, "-c", kod, str(fil)]))

            def basta(namn: str, korningar: dict = korningar) -> tuple[float, float, str]:
                t, _, ut = min(korningar[namn])
                return t, max(m for _, m, _ in korningar[namn]), ut

            th, mh, json_snabb = basta("verktyget")
            uppstart, um, _ = basta("uppstart")
            print(f"  uppstarten (samma utan --utfall):  {sek(uppstart):>6s} s                  {um:5.0f} MB")
            print(f"  ersattning berakna --format json:  {sek(th):>6s} s  {n / th / 1e6:5.1f} M rader/s  "
                  f"{mh:5.0f} MB  (utan uppstarten {sek(th - uppstart)} s)")
            for a in (1, 2):
                if f"arbetare={a}" in korningar:
                    ta, ma, json_a = basta(f"arbetare={a}")
                    print(f"  … VGR_ERSATTNING_ARBETARE={a}:         {sek(ta):>6s} s  {n / ta / 1e6:5.1f} M rader/s  "
                          f"{ma:5.0f} MB; samma JSON: {'ja' if json.loads(json_a) == json.loads(json_snabb) else 'NEJ'}")
            if n == 1_000_000:
                mal.append(("1 M rader ≤ 0,25 s (hela processen)", th <= 0.25))
            if n >= 10_000_000:
                mal.append((f"{m} rader ≥ 10 M rader/s hela vägen", n / th >= 10e6))
            mal.append((f"{m} rader: toppminne ≤ 100 MB", mh <= 100))
            if not args.utan_langsam:
                tl, ml, json_langsam = kor([sys.executable, "-c", LANGSAM_CLI, "berakna", "--utfall", str(fil),
                                            "--format", "json"])
                lika = json.loads(json_langsam) == json.loads(json_snabb)
                print(f"  … med hela CSV-läsaren:            {sek(tl):>6s} s  {n / tl / 1e6:5.1f} M rader/s  "
                      f"{ml:5.0f} MB; samma JSON: {'ja' if lika else 'NEJ'}")
                mal.append((f"{m} rader: samma JSON som hela CSV-läsaren", lika))
            for namn, _ in jamforelser:
                t, mj, ut_text = basta(namn)
                ok = int(float(ut_text.strip())) == n
                print(f"  {namn + ':':34s} {sek(t):>6s} s  {n / t / 1e6:5.1f} M rader/s  {mj:5.0f} MB"
                      f"{'' if ok else '  (FEL SUMMA)'}; verktyget {t / th:.2f}× så snabbt")
                if namn == "polars" and n >= 10_000_000:
                    mal.append((f"{m} rader minst lika snabbt som polars i samma körning", th <= t))
            fil.unlink()
    print("\nmål:")
    for text, ok in mal:
        print(f"  {'uppnått' if ok else 'EJ uppnått':10s} {text}")


if __name__ == "__main__":
    main()
