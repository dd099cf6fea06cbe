"""Renderare: en modul per format med samma funktionsnamn (`berakna`, `kontrollera`, `avrakning`,
`brygga`, `malrelaterad`, `uppfoljning`, `kalender`, `scenario`, `forklara`, `antaganden`). Varje
funktion tar en `Rapport` och ger texten. Ett nytt format är en ny modul i `FORMAT`.

Renderarna formaterar bara: varje siffra är räknad i kärnan.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any, Callable, Optional

FORMAT = {"tabell": "vgr_ersattning.visning.tabell", "json": "vgr_ersattning.visning.jsonformat",
          "csv": "vgr_ersattning.visning.csvformat"}


@dataclass(frozen=True)
class Rapport:
    """Ett resultat att visa. `kalla` översätter kärnans källor till (fil:rad:kolumn, dokument);
    `bredd` och `farg` gäller tabeller i en terminal."""

    resultat: Any
    kalla: Callable[[Any], tuple[str, str]] = lambda k: ("", "")
    bredd: Optional[int] = None
    farg: bool = False


def renderare(format: str):
    """Formatets modul (tabell importerar rich, de andra inte)."""
    return importlib.import_module(FORMAT[format])


def rendera(format: str, kommando: str, rapport: Rapport) -> str:
    return getattr(renderare(format), kommando)(rapport)
