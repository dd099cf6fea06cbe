"""Fientlig indata: tid och minne för de fall som issue 22 mätte (mål: varje fil upp till
storleksgränsen vägras eller läses på högst 10 s och 500 MB). Filerna byggs som i
`tests/test_granser.py`; varje fall körs som en egen process och mäts med dess högsta RSS.

    python benchmarks/fientlig_indata.py

Kör mot en vanlig installation (`pip install .`). Skriptet skriver tid, minne, slutkod och
uppnått / EJ uppnått per fall.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

HAR = Path(__file__).resolve().parent
sys.path.insert(0, str(HAR.parent / "tests"))

from test_granser import arbetsbok  # noqa: E402  (filbyggaren delas med testerna)

MAL_S, MAL_MB = 10.0, 500.0

MATARE = """
import json, resource, subprocess, sys, time
start = time.monotonic()
res = subprocess.run(sys.argv[1:], capture_output=True, cwd=None)
sekunder = time.monotonic() - start
mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps({"kod": res.returncode, "s": sekunder, "mb": mb, "fel": res.stderr.decode()[:200]}))
"""


def mat(katalog: Path, *args: str) -> dict:
    res = subprocess.run([sys.executable, "-c", MATARE, sys.executable, "-m", "vgr_ersattning", *args],
                         capture_output=True, text=True, cwd=katalog, check=True)
    return json.loads(res.stdout)


def main() -> int:
    ej = 0
    with tempfile.TemporaryDirectory() as d:
        katalog = Path(d)
        (katalog / "komma.csv").write_text("utforare,rad,manad,antal" + "," * 10_000 + "\n", encoding="utf-8")
        (katalog / "lista.yaml").write_text("- 1\n" * 2_000_000, encoding="utf-8")
        arbetsbok(katalog / "tomma.xlsx", [("<row/>", 20_000_000)])
        fall = [
            ("CSV-rubrik med 10 000 kommatecken", ("berakna", "--utfall", "komma.csv")),
            ("YAML-scenariofil med 2 M rader", ("scenario", "--scenariofil", "lista.yaml")),
            ("xlsx med 20 M tomma rader", ("berakna", "--utfall", "tomma.xlsx")),
        ]
        for namn, args in fall:
            m = mat(katalog, *args)
            ok = m["s"] <= MAL_S and m["mb"] <= MAL_MB and m["kod"] in (0, 2)
            ej += not ok
            print(f"{namn:38s} {m['s']:6.2f} s {m['mb']:7.1f} MB  slutkod {m['kod']}  "
                  f"{'uppnått' if ok else 'EJ uppnått'} ≤ {MAL_S:g} s, ≤ {MAL_MB:g} MB")
            if m["fel"]:
                print(f"    {m['fel'].strip().splitlines()[0]}")
    return 1 if ej else 0


if __name__ == "__main__":
    sys.exit(main())
