"""Beslut under året (`--beslut FIL`, regelboken §18): inläsningens omvandlande steg.

YAML → `Beslutsfil` (pydantic, positioner kvar) → kontroller mot uppdraget: samma år och en känd
utförare, datum inom giltigheten, kända rader, fält, priskategorier och poster, och ett
delegationsbeslut över delegationsgränsen vägras. Varje problem blir en rad `fil:rad:kolumn`.
Vad besluten ger för varje månad räknar kärnan ut (`kalkyl.beslut`).

`utkast` skriver åt andra hållet: ett scenario som ett utkast till en beslutsfil.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vgr_ersattning.inlasning.fel import Fel, Inlasningsfel, Plats, sokvag_text
from vgr_ersattning.inlasning.pydanticfel import validera
from vgr_ersattning.inlasning.yamlpos import Positioner, las_yaml
from vgr_ersattning.kalkyl.beslut import granska
from vgr_ersattning.modell_indata import Beslutsfil


@dataclass
class Beslutslista:
    """Alla beslut per utförare, med var varje beslut står (för fel och förklaringar)."""

    per_utforare: dict[str, list[Any]] = field(default_factory=dict)
    platser: dict[tuple[str, int], tuple[Positioner, tuple]] = field(default_factory=dict)
    filer: list[tuple[str, Positioner]] = field(default_factory=list)     # (utförare, filens positioner)

    def kontrollera_utforare(self, uid: str) -> None:
        """En beslutsfil för en annan utförare än beräkningens vägras (den skulle annars tyst inte gälla)."""
        fel = [Fel(pos.plats(("utforare",)), "utforare", f"beslutsfilen gäller {u}, beräkningen {uid}")
               for u, pos in self.filer if u != uid]
        if fel:
            raise Inlasningsfel(fel)

    def for_utforare(self, uid: str) -> list[Any]:
        return self.per_utforare.get(uid, [])

    def plats(self, uid: str, index: int, *vag) -> Plats:
        pos, bas = self.platser[(uid, index)]
        return pos.plats(bas + tuple(vag))


def las_beslut(filer: list[Path], uppdrag, priser) -> Beslutslista:
    """Läser och granskar alla beslutsfiler; `Inlasningsfel` med en rad per problem."""
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
        ut.filer.append((uid, pos))
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


def utkast(uid: str, ar: int, namnd: str, scenarier, resultat, fran: str, datum: str) -> str:
    """Ett scenario som ett utkast till beslut (`scenario --som-beslut FIL`): en beslutsfil med ett
    beslut per scenario, organ ur delegationskontrollen (§11): delegation när förändringen vid full
    leverans ryms i delegationsgränsen, annars nämnden. Texten går att ge direkt med `--beslut`."""
    def q(text: str) -> str:
        return json.dumps(text, ensure_ascii=False)

    rader = ["# Utkast till beslut, skrivet av `ersattning scenario --som-beslut` (regelboken §11, §18).",
             "# Granska organ, datum och källa innan filen används med --beslut.",
             f"utforare: {uid}", f"ar: {ar}", "beslut:"]
    for (s, _), r in zip(scenarier, resultat):
        organ = namnd if r.kraver_namndbeslut else "delegation"
        rader += [f"  - organ: {q(organ)}", f"    datum: {datum}", f"    fran: {fran}",
                  f"    kalla: {q(f'Utkast ur scenariot {s.namn}: förändring vid full leverans {r.forandring_plan_kr} kr')}",
                  "    andringar:"]
        for a in s.andringar:
            if a.falt == "pris":
                rader.append(f"      - {{pris: {a.id}, satt: {a.satt}}}")
            elif a.satt is not None:
                rader.append(f"      - {{id: {a.id}, falt: {a.falt}, satt: {a.satt}}}")
            else:
                rader.append(f"      - {{id: {a.id}, falt: {a.falt}, andra: {a.andra}}}")
    return "\n".join(rader) + "\n"
