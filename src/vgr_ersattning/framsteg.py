"""Förloppsindikatorer på standard fel för långt arbete, bara i en terminal (rich importeras först
när en visas): en stor utfallsfil som läses, och en lång scenariobatch."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Callable, Optional

from vgr_ersattning.inlasning.kallor import visbar

Rapport = Callable[[int, int], None]

# En fil från den här storleken får en förloppsindikator (mindre läses på ett ögonblick).
FIL_BYTE = 8 * 1024 * 1024
# Scenarier: från så många i en lista, eller så många byte i en strömmad fil (ungefär lika många).
SCENARIER = 20000
SCENARIER_BYTE = 2 * 1024 * 1024


def _progress(*kolumner):
    from rich.console import Console
    from rich.progress import Progress

    return Progress(*kolumner, console=Console(stderr=True), transient=True)


def for_fil() -> Optional[Callable[[Path], Optional[Rapport]]]:
    """En fabrik: sökväg → rapportfunktion (klart, totalt) för en stor fil, annars None."""
    if not sys.stderr.isatty():
        return None

    def for_sokvag(sokvag: Path) -> Optional[Rapport]:
        try:
            storlek = os.stat(sokvag).st_size
        except (OSError, ValueError):
            return None
        if storlek < FIL_BYTE:
            return None
        from rich.progress import BarColumn, DownloadColumn, TextColumn, TimeRemainingColumn

        progress = _progress(TextColumn(f"Läser {visbar(Path(sokvag).name)}"), BarColumn(), DownloadColumn(),
                             TimeRemainingColumn())
        uppgift = progress.add_task("läser", total=storlek)
        progress.start()

        def rapport(klart: int, totalt: int) -> None:
            progress.update(uppgift, completed=klart)
            if klart >= totalt:
                progress.stop()
        return rapport
    return for_sokvag


def for_scenarier(antal: int, byte: bool = False) -> Optional[Rapport]:
    """`antal` scenarier (från `SCENARIER`), eller med `byte` en strömmad scenariofil på `antal`
    byte (från `SCENARIER_BYTE`)."""
    if not sys.stderr.isatty() or antal < (SCENARIER_BYTE if byte else SCENARIER):
        return None
    from rich.progress import BarColumn, DownloadColumn, TextColumn, TimeRemainingColumn

    if byte:
        progress = _progress(TextColumn("Scenarier"), BarColumn(), DownloadColumn(), TimeRemainingColumn())
    else:
        progress = _progress()
    uppgift = progress.add_task("Scenarier", total=antal)
    progress.start()
    stoppad = False

    def rapport(klart: int, totalt: int) -> None:
        nonlocal stoppad
        if stoppad:
            return
        if byte or klart % 2000 == 0 or klart >= totalt:
            progress.update(uppgift, completed=klart)
        if klart >= totalt:
            stoppad = True
            progress.stop()
    return rapport
