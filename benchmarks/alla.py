"""Alla prestandamål i en körning: uppstarten, CSV-läsaren och scenariobatcherna (issue 17).

Kör de tre skripten efter varandra mot samma installation och skriver ut deras siffror och till
sist varje mål med uppnått / EJ uppnått. Slutkoden är 0 när alla mål nås, annars 1.

    python benchmarks/alla.py [--snabb]

`--snabb` kör färre varv (för att se att skripten fungerar; siffrorna blir brusigare). Kör mot en
vanlig installation (`pip install .`), inte en redigerbar: se README, Prestanda.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HAR = Path(__file__).resolve().parent


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--snabb", action="store_true", help="färre varv")
    args = p.parse_args()
    skript = [
        ("uppstart", ["uppstart.py", "--varv", "5" if args.snabb else "21"]),
        ("CSV-läsaren", ["utfall_csv.py"] + (["--varv", "1"] if args.snabb else [])),
        ("CSV från stdin", ["utfall_stdin.py"] + (["--varv", "1"] if args.snabb else [])),
        ("CSV distinkta", ["utfall_distinkta.py"] + (["--varv", "1"] if args.snabb else [])),
        ("scenarier", ["scenarier.py"] + (["--varv", "1"] if args.snabb else [])),
        ("xlsx-läsaren", ["utfall_xlsx.py"] + (["--varv", "1"] if args.snabb else [])),
    ]
    mal: list[tuple[str, str]] = []
    start = time.perf_counter()
    for namn, argv in skript:
        print(f"== {namn}: python benchmarks/{' '.join(argv)}", flush=True)
        res = subprocess.run([sys.executable, str(HAR / argv[0]), *argv[1:]], capture_output=True, text=True)
        sys.stdout.write(res.stdout)
        if res.returncode != 0:
            sys.stdout.write(res.stderr)
            mal.append((namn, f"EJ uppnått skriptet avslutades med slutkod {res.returncode}"))
            continue
        for rad in res.stdout.splitlines():
            text = rad.strip()
            if text.startswith(("uppnått", "EJ uppnått")):
                mal.append((namn, text))
        print(flush=True)
    print(f"== alla mål ({time.perf_counter() - start:.0f} s)")
    for namn, text in mal:
        print(f"  {namn:12s} {text}")
    ej = sum(1 for _, text in mal if text.startswith("EJ"))
    print(f"{len(mal) - ej} av {len(mal)} mål uppnådda")
    return 0 if mal and not ej else 1


if __name__ == "__main__":
    sys.exit(main())
