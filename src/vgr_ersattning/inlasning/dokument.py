"""Datafilerna (uppdraget och priserna): YAML med positioner → validerad modell, ett `Dokument`.

Filerna tolkas och valideras vid varje körning. Vilken fil som läses avgör `datakatalog`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vgr_ersattning.inlasning.kallor import las_text
from vgr_ersattning.inlasning.pydanticfel import validera
from vgr_ersattning.inlasning.yamlpos import Positioner, las_yaml_text
from vgr_ersattning.modell import Priser, Uppdrag


@dataclass(frozen=True)
class Dokument:
    """En validerad modell och var i filen varje värde står."""

    modell: Any
    positioner: Positioner


def las_dokument(sokvag: Path, modell: type) -> Dokument:
    """En datafil som modellen `modell` (`Uppdrag` eller `Priser`); `Inlasningsfel` med en rad per
    fel."""
    namn, text = las_text(sokvag)
    data, pos = las_yaml_text(text, namn)
    return Dokument(validera(modell, data, pos), pos)


def las_uppdrag(sokvag: Path) -> Dokument:
    return las_dokument(sokvag, Uppdrag)


def las_priser(sokvag: Path) -> Dokument:
    return las_dokument(sokvag, Priser)
