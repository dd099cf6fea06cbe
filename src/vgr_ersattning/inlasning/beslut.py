"""Beslut under året (`--beslut FIL`, regelboken §18): inläsningens omvandlande steg.

YAML → `Beslutsfil` (pydantic, positioner kvar; talen med datafilernas gränser: inget negativt
pris eller volym, ramen större än noll) → kontroller av besluten som data (regelboken §23): samma
fil två gånger (också en kopia med samma innehåll), samma värde två gånger i ett beslut, första
månaden (`fran`) inom uppdragets giltighet → kontroller mot uppdraget: samma år och en känd
utförare, datum inom giltigheten, kända rader, fält, priskategorier och poster, och ett
delegationsbeslut över delegationsgränsen vägras. Varje problem blir en rad `fil:rad:kolumn`.
Vad besluten ger för varje månad räknar kärnan ut (`kalkyl.parametrar`).

`utkast` skriver åt andra hållet: ett scenario som ett utkast till en beslutsfil.
"""

from __future__ import annotations

import calendar
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from vgr_ersattning.inlasning.fel import Fel, Inlasningsfel, Plats, sokvag_text
from vgr_ersattning.inlasning.kallor import samma_fil_tva_ganger
from vgr_ersattning.inlasning.pydanticfel import validera
from vgr_ersattning.inlasning.yamlpos import Positioner, las_yaml
from vgr_ersattning.kalkyl.beslut import granska
from vgr_ersattning.kalkyl.period import MANAD, Periodfel, tolka
from vgr_ersattning.modell import Utforare
from vgr_ersattning.modell_indata import Arsbeslut, Beslutsandring, Beslutsfil


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
    dubbletter = samma_fil_tva_ganger(list(filer), "--beslut", "beslutsfil", innehall=True)
    if dubbletter:
        raise Inlasningsfel(dubbletter)
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
        for i, b in enumerate(fil.beslut):
            fel += _som_data(b, uppdrag.utforare[uid], uppdrag.ar, pos, ("beslut", i))
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
        filordning = {pos.fil: i for i, (_, pos) in enumerate(ut.filer)}
        raise Inlasningsfel(sorted(fel, key=lambda f: (filordning.get(f.plats.fil, 0), f.plats.rad,
                                                       f.plats.kolumn)))
    return ut


def _vad(a: Beslutsandring) -> str:
    """Värdet en ändring sätter, som det står i felen."""
    if a.slag == "volym":
        return f"{a.id}.{a.falt}"
    if a.slag == "pris":
        return f"priset {a.pris}"
    if a.slag == "avrakning":
        return f"avräkningsnivån för {a.avrakning}"
    if a.slag == "malvarde":
        return f"målvärdet för {a.indikator}"
    return {"ram": "årets ram (ram_tkr)", "delegation": "delegationsgränsen (delegation_kr)"}[a.slag]


def _krockar(a: Beslutsandring, b: Beslutsandring) -> bool:
    """Om två ändringar i samma beslut sätter samma värde. Ett pris för en kategori (`besok`)
    ändrar också varje utförares pris i den (`besok.SV`)."""
    if a.slag != b.slag:
        return False
    if a.slag == "volym":
        return (a.id, a.falt) == (b.id, b.falt)
    if a.slag == "pris":
        (ka, _, ea), (kb, _, eb) = a.pris.partition("."), b.pris.partition(".")
        return ka == kb and (ea == eb or not ea or not eb)
    if a.slag == "avrakning":
        return a.avrakning == b.avrakning
    if a.slag == "malvarde":
        return a.indikator == b.indikator
    return True


def _som_data(b: Arsbeslut, utf: Utforare, ar: int, pos: Positioner, bas: tuple) -> list[Fel]:
    """Regelboken §23: ett beslut ändrar varje värde en gång, och dess första månad ligger inom
    uppdragets giltighet (att den ligger i året och att datumet gör det granskar `kalkyl.beslut`)."""
    fel: list[Fel] = []
    for j, a in enumerate(b.andringar):
        k = next((k for k in range(j) if _krockar(b.andringar[k], a)), None)
        if k is not None:
            vag = bas + ("andringar", j)
            fel.append(Fel(pos.plats(vag), sokvag_text(vag),
                           f"{_vad(a)} ändras redan av andringar[{k}] i samma beslut; ett beslut ändrar "
                           "varje värde en gång"))
    g = utf.giltighet
    try:
        m = tolka(b.fran, slag=(MANAD,), ar=ar).nummer
    except Periodfel:
        return fel        # granskas med sitt fel i `kalkyl.beslut`
    if g is not None:
        forsta, sista = date(ar, m, 1), date(ar, m, calendar.monthrange(ar, m)[1])
        try:
            utanfor = sista < date.fromisoformat(g.fran) or forsta > date.fromisoformat(g.till)
        except ValueError:
            utanfor = False
        if utanfor:
            fel.append(Fel(pos.plats(bas + ("fran",)), sokvag_text(bas + ("fran",)),
                           f"månaden {b.fran} ligger utanför uppdragets giltighet {g.fran}–{g.till}"))
    return fel


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
