"""Inläsning av beslut under året (`--beslut FIL`, regelboken §18).

YAML → `Beslutsfil` (pydantic, positioner kvar) → kontroller mot uppdraget: samma år och en känd
utförare, datum inom giltigheten, kända rader, fält, priskategorier och poster, och ett
delegationsbeslut över delegationsgränsen vägras. Varje problem blir en rad `fil:rad:kolumn`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vgr_ersattning.laddning import Fel, Inlasningsfel, Plats, Positioner, las_yaml, sokvag_text, validera


@dataclass
class Beslutslista:
    """Alla beslut per utförare, med var varje beslut står (för fel och förklaringar)."""

    per_utforare: dict[str, list[Any]] = field(default_factory=dict)
    platser: dict[tuple[str, int], tuple[Positioner, tuple]] = field(default_factory=dict)

    def for_utforare(self, uid: str) -> list[Any]:
        return self.per_utforare.get(uid, [])

    def plats(self, uid: str, index: int, *vag) -> Plats:
        pos, bas = self.platser[(uid, index)]
        return pos.plats(bas + tuple(vag))


def las_beslut(filer: list[Path], uppdrag, priser) -> Beslutslista:
    """Läser och granskar alla beslutsfiler; `Inlasningsfel` med en rad per problem."""
    from vgr_ersattning.kalkyl.beslut import granska
    from vgr_ersattning.modell import Beslutsfil

    ut = Beslutslista()
    fel: list[Fel] = []
    for sokvag in filer:
        try:
            data, pos = las_yaml(Path(sokvag))
            fil = validera(Beslutsfil, data, pos)
        except Inlasningsfel as e:
            fel += e.fel
            continue
        uid = fil.utforare.upper()
        if uid not in uppdrag.utforare:
            fel.append(Fel(pos.plats(("utforare",)), "utforare", f"okänd utförare {fil.utforare!r}"))
            continue
        if fil.ar != uppdrag.ar:
            fel.append(Fel(pos.plats(("ar",)), "ar", f"beslutsfilen gäller {fil.ar}, uppdraget {uppdrag.ar}"))
            continue
        lista = ut.per_utforare.setdefault(uid, [])
        for i, b in enumerate(fil.beslut):
            ut.platser[(uid, len(lista))] = (pos, ("beslut", i))
            lista.append(b)
    if fel:
        raise Inlasningsfel(fel)
    for uid, lista in ut.per_utforare.items():
        for e in granska(uppdrag.utforare[uid], priser, uid, uppdrag.ar, lista):
            vag = (("andringar", e.andring) if e.andring is not None else ()) + ((e.falt,) if e.falt else ())
            pos, bas = ut.platser[(uid, e.beslut)]
            fel.append(Fel(pos.plats(bas + vag), sokvag_text(bas + vag), str(e)))
    if fel:
        raise Inlasningsfel(fel)
    return ut
