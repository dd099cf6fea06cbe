"""Uppstartstid: `ersattning --help` och `ersattning berakna` mot en minimal Typer-app.

Måttstocken är en Typer-app med samma kommandonamn och inget arbete, tidtagen sida vid sida i
samma körning (maskinen är delad och brusig, så bara kvoterna inom en körning jämförs).
Mål: --help ≤ 1,1 × appens --help; berakna (planen som tabell, medföljande data, som tolkas och
valideras vid varje körning) ≤ 1,45 × appens tomma kommando. Skriptet skriver ut medianer, kvoter
och vilka mål som nås.

    python benchmarks/uppstart.py [--varv 21]

Kör den mot en vanlig installation (`pip install .`): pip kompilerar paketets .pyc-filer vid
installationen. En redigerbar installation med PYTHONDONTWRITEBYTECODE=1 kompilerar om
källkoden vid varje start och mäter fel sak.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

KOMMANDON = ["berakna", "kontrollera", "avrakning", "brygga", "malrelaterad", "uppfoljning", "scenario"]

MINIMAL = "import typer\napp = typer.Typer()\n" + "".join(
    f"\n@app.command()\ndef {k}(utforare: str = 'SV'):\n    \"\"\"{k}\"\"\"\n" for k in KOMMANDON) + "\napp()\n"


def tid(argv: list[str], miljo: dict[str, str] | None = None) -> float:
    env = dict(os.environ, **miljo) if miljo else None
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, env=env)
    return time.perf_counter() - start


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--varv", type=int, default=21)
    args = p.parse_args()
    ersattning = shutil.which("ersattning") or str(Path(sys.executable).parent / "ersattning")
    with tempfile.TemporaryDirectory() as d:
        app = Path(d) / "minimal.py"
        app.write_text(MINIMAL)
        fall = {
            "python -c pass": ([sys.executable, "-c", "pass"], None),
            "minimal --help": ([sys.executable, str(app), "--help"], None),
            "minimal berakna": ([sys.executable, str(app), "berakna"], None),
            "ersattning --help": ([ersattning, "--help"], None),
            "ersattning berakna": ([ersattning, "berakna"], None),
        }
        for argv, miljo in fall.values():      # uppvärmning (filcache, .pyc)
            tid(argv, miljo() if miljo else None)
        matt: dict[str, list[float]] = {k: [] for k in fall}
        for _ in range(args.varv):      # varvade körningar: brus drabbar alla lika
            for namn, (argv, miljo) in fall.items():
                matt[namn].append(tid(argv, miljo() if miljo else None))
    med = {k: statistics.median(v) * 1000 for k, v in matt.items()}
    for k, v in med.items():
        print(f"{k:27s} {v:7.1f} ms (median av {args.varv})")
    print(f"minimal Typer-app / python -c pass: {med['minimal berakna'] / med['python -c pass']:.1f}")
    mal = [
        ("--help", med["ersattning --help"] / med["minimal --help"], 1.1),
        ("berakna", med["ersattning berakna"] / med["minimal berakna"], 1.45),
    ]
    print("mål:")
    for namn, kvot, grans in mal:
        print(f"  {'uppnått   ' if kvot <= grans else 'EJ uppnått'} {namn}: {kvot:.2f} × minimal (mål ≤ "
              f"{str(grans).replace('.', ',')})")


if __name__ == "__main__":
    main()
