"""Uppstartstid: `ersattning --help` och `ersattning berakna` mot en minimal Typer-app.

Måttstocken är en Typer-app med samma kommandonamn och inget arbete, tidtagen sida vid sida i
samma körning (maskinen är delad och brusig, så bara kvoterna inom en körning jämförs).
Mål (issue 7): --help ≤ 1,2 × appens --help; berakna (planen som tabell, medföljande data)
≤ 1,5 × appens tomma kommando. Skriptet skriver ut medianer och kvoter; det avgör inget självt.

    python benchmarks/uppstart.py [--varv 21]

Kör den mot en vanlig installation (`pip install .`): pip kompilerar paketets .pyc-filer vid
installationen. En redigerbar installation med PYTHONDONTWRITEBYTECODE=1 kompilerar om
källkoden vid varje start och mäter fel sak.
"""

from __future__ import annotations

import argparse
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


def tid(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
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
            "python -c pass": [sys.executable, "-c", "pass"],
            "minimal --help": [sys.executable, str(app), "--help"],
            "minimal berakna": [sys.executable, str(app), "berakna"],
            "ersattning --help": [ersattning, "--help"],
            "ersattning berakna": [ersattning, "berakna"],
            "berakna utan cache": ["env", "VGR_ERSATTNING_CACHE=av", ersattning, "berakna"],
        }
        for argv in fall.values():      # uppvärmning (filcache, .pyc)
            tid(argv)
        matt: dict[str, list[float]] = {k: [] for k in fall}
        for _ in range(args.varv):      # varvade körningar: brus drabbar alla lika
            for namn, argv in fall.items():
                matt[namn].append(tid(argv))
    med = {k: statistics.median(v) * 1000 for k, v in matt.items()}
    for k, v in med.items():
        print(f"{k:22s} {v:7.1f} ms (median av {args.varv})")
    print(f"kvot --help:   {med['ersattning --help'] / med['minimal --help']:.2f} (mål ≤ 1,2)")
    print(f"kvot berakna:  {med['ersattning berakna'] / med['minimal berakna']:.2f} (mål ≤ 1,5)")
    print(f"kvot berakna utan cache: {med['berakna utan cache'] / med['minimal berakna']:.2f} (första körningen "
          "med en ny datafil; `env` lägger till några ms)")
    print(f"minimal Typer-app / python -c pass: {med['minimal berakna'] / med['python -c pass']:.1f}")


if __name__ == "__main__":
    main()
