"""Utfall i CSV från standard in (issue 26, punkt 1): en pipe och en omdirigerad fil mot sökvägen och polars.

Skriver i en körning, för varje storlek (radnivåuttaget ur `utfall_csv.py`: seed 2026, SV:s rader,
månaderna 2026-01 … 2026-08), som hela processer omväxlande varv för varv (bästa av `--varv`):

- `ersattning berakna --utfall FIL --format json` (sökvägen);
- `ersattning berakna --utfall - --format json < FIL` (en omdirigerad fil: läses som sökvägen);
- `cat FIL | ersattning berakna --utfall - --format json` (en pipe);
- polars från samma pipe (`cat FIL | python -c …`: `pl.read_csv(sys.stdin.buffer)`, group_by på
  utforare, rad och manad och summan av antal – det verktyget räknar), och duckdb från samma pipe
  (`read_csv('/dev/stdin')` med kolumnerna angivna: en pipe går inte att läsa två gånger) som
  jämförelse; de är inga beroenden och hoppas över om de saknas;
- toppminnet (maxrss, /usr/bin/time, den största processen i pipen) och att JSON:en från pipen och
  den omdirigerade filen är byte för byte densamma som från sökvägen och som hela CSV-läsarens
  (`SNABB_CSV = False`; för den minsta storleken, eller alla med `--langsam-alla`).

Mål (issue 26): en pipe minst lika snabb som polars från samma pipe i samma körning; `< FIL` inom
1,1× sökvägen; toppminne ≤ 100 MB; samma JSON. Kör mot en vanlig (inte redigerbar) installation:

    python benchmarks/utfall_stdin.py [--rader 3000000 10000000] [--varv 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from utfall_csv import LANGSAM_CLI, importerbar, kor, sek, skapa  # noqa: E402

POLARS_PIPE = r"""
import sys, polars as pl
df = pl.read_csv(sys.stdin.buffer).group_by(["utforare", "rad", "manad"]).agg(pl.col("antal").sum())
print(df["antal"].sum())
"""
DUCKDB_PIPE = r"""
import duckdb
duckdb.sql("set enable_progress_bar = false")
r = duckdb.sql("select utforare, rad, manad, sum(antal) as antal from read_csv('/dev/stdin', header=true, "
               "auto_detect=false, delim=',', columns={'utforare': 'VARCHAR', 'rad': 'VARCHAR', "
               "'manad': 'VARCHAR', 'antal': 'BIGINT'}) group by all").fetchall()
print(sum(x[3] for x in r))
"""


def kor_pipe(argv: list[str], fil: Path) -> tuple[float, float, str]:
    """(sekunder, toppminne i MB, standard ut) för `cat FIL | argv`, från cat:s start till att båda
    är klara. Minnet är den största processens maxrss ur /usr/bin/time (`argv`; cat är liten)."""
    with tempfile.TemporaryDirectory() as d:
        matt = Path(d) / "rss"
        tid_argv = ["/usr/bin/time", "-f", "%M", "-o", str(matt)] if Path("/usr/bin/time").exists() else []
        start = time.perf_counter()
        cat = subprocess.Popen(["cat", str(fil)], stdout=subprocess.PIPE)
        p = subprocess.Popen(tid_argv + argv, stdin=cat.stdout, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert cat.stdout is not None
        cat.stdout.close()
        ut, fel = p.communicate()
        cat.wait()
        tid = time.perf_counter() - start
        if p.returncode != 0:
            raise SystemExit(f"{argv[:3]} misslyckades ({p.returncode}): {fel.decode()[-2000:]}")
        mb = int(matt.read_text().split()[-1]) / 1024 if tid_argv else float("nan")
        return tid, mb, ut.decode()


def kor_omdirigerad(argv: list[str], fil: Path) -> tuple[float, float, str]:
    """Som `kor`, med filen som standard in (`< FIL`)."""
    with tempfile.TemporaryDirectory() as d, open(fil, "rb") as f:
        matt = Path(d) / "rss"
        tid_argv = ["/usr/bin/time", "-f", "%M", "-o", str(matt)] if Path("/usr/bin/time").exists() else []
        start = time.perf_counter()
        p = subprocess.run(tid_argv + argv, stdin=f, capture_output=True)
        tid = time.perf_counter() - start
        if p.returncode != 0:
            raise SystemExit(f"{argv[:3]} misslyckades ({p.returncode}): {p.stderr.decode()[-2000:]}")
        mb = int(matt.read_text().split()[-1]) / 1024 if tid_argv else float("nan")
        return tid, mb, p.stdout.decode()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rader", type=int, nargs="+", default=[3_000_000, 10_000_000])
    p.add_argument("--varv", type=int, default=3, help="körningar per mätning (bästa räknas)")
    p.add_argument("--langsam-alla", action="store_true", help="hela CSV-läsaren för varje storlek")
    args = p.parse_args()
    varv = max(1, args.varv)

    import vgr_ersattning
    from vgr_ersattning.inlasning.datakatalog import standardfil
    from vgr_ersattning.inlasning.dokument import las_uppdrag

    if "site-packages" not in vgr_ersattning.__file__:
        print(f"obs: vgr_ersattning importeras från {vgr_ersattning.__file__} (inte en vanlig installation)")
    uppdrag = las_uppdrag(standardfil("uppdrag_2026.yaml")).modell
    rader = list(uppdrag.utforare["SV"].volymer.rader)
    ersattning = shutil.which("ersattning") or str(Path(sys.executable).parent / "ersattning")
    jamforelser = [(m, kod) for m, kod in (("polars", POLARS_PIPE), ("duckdb", DUCKDB_PIPE)) if importerbar(m)]
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} kärnor; bästa av {varv}; jämförelser från samma "
          f"pipe: {', '.join(m for m, _ in jamforelser) or 'inga'}")
    mal: list[tuple[str, bool]] = []
    with tempfile.TemporaryDirectory() as d:
        for nummer, n in enumerate(sorted(args.rader)):
            fil = Path(d) / f"radniva_{n}.csv"
            skapa(fil, n, rader)
            m = f"{n // 1_000_000} M" if n >= 1_000_000 else f"{n:,}".replace(",", " ")
            print(f"\n== {n:,} rader ({fil.stat().st_size / 1e6:.0f} MB) ==".replace(",", " "))
            argv = [ersattning, "berakna", "--format", "json", "--utfall"]
            korningar: dict[str, list[tuple[float, float, str]]] = {}
            for _ in range(varv):       # omväxlande: samma brus för alla
                korningar.setdefault("sökvägen", []).append(kor(argv + [str(fil)]))
                korningar.setdefault("< FIL", []).append(kor_omdirigerad(argv + ["-"], fil))
                korningar.setdefault("cat FIL |", []).append(kor_pipe(argv + ["-"], fil))
                for namn, kod in jamforelser:
                    korningar.setdefault(f"{namn} från pipen", []).append(kor_pipe([sys.executable, "-c", kod], fil))

            def basta(namn: str, korningar: dict = korningar) -> tuple[float, float, str]:
                t, _, ut = min(korningar[namn])
                return t, max(mb for _, mb, _ in korningar[namn]), ut

            tv, mv, json_sokvag = basta("sökvägen")
            for namn in korningar:
                t, mb, ut = basta(namn)
                extra = ""
                if namn in ("< FIL", "cat FIL |"):
                    extra = f"; samma JSON som sökvägen: {'ja' if ut == json_sokvag else 'NEJ'}"
                elif namn != "sökvägen":
                    extra = f"; summan {'rätt' if int(float(ut.split()[-1])) == n else 'FEL'}"
                print(f"  {namn + ':':20s} {sek(t):>6s} s  {n / t / 1e6:5.1f} M rader/s  {mb:5.0f} MB  "
                      f"({t / tv:.2f}× sökvägen){extra}")
            tr, _, json_r = basta("< FIL")
            tp, mp, json_p = basta("cat FIL |")
            mal.append((f"{m} rader: `< FIL` inom 1,1× sökvägen ({tr / tv:.2f}×)", tr <= 1.1 * tv))
            for namn, _ in jamforelser:
                if namn == "polars":
                    tj = basta("polars från pipen")[0]
                    mal.append((f"{m} rader: pipen minst lika snabb som polars från samma pipe "
                                f"({sek(tp)} s mot {sek(tj)} s, {tj / tp:.2f}×)", tp <= tj))
            mal.append((f"{m} rader: toppminne ≤ 100 MB från pipen ({mp:.0f} MB)", mp <= 100))
            lika = json_r == json_sokvag and json_p == json_sokvag
            if nummer == 0 or args.langsam_alla:
                tl, _, json_l = kor([sys.executable, "-c", LANGSAM_CLI, "berakna", "--format", "json", "--utfall",
                                     str(fil)])
                print(f"  hela CSV-läsaren (sökvägen): {sek(tl)} s; samma JSON: {'ja' if json_l == json_sokvag else 'NEJ'}")
                lika = lika and json_l == json_sokvag
                mal.append((f"{m} rader: samma JSON byte för byte från pipen, `< FIL`, sökvägen och hela CSV-läsaren",
                            lika))
            else:
                mal.append((f"{m} rader: samma JSON byte för byte från pipen, `< FIL` och sökvägen", lika))
            fil.unlink()
    print("\nmål:")
    for text, ok in mal:
        print(f"  {'uppnått' if ok else 'EJ uppnått':10s} {text}")


if __name__ == "__main__":
    main()
