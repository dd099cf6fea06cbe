"""Underlaget för en beräkning: en pipeline som alltid validerar (regelboken §12).

filer (`datakatalog`) → modeller med positioner (`dokument`) → kontroller över filerna (samma år,
giltighet, priser för varje rad) och konsistenskontrollerna (§3, §8) → en beräkning får bara räkna
på data vars kontroller håller. En underkänd kontroll som rör det kommandot räknar på stoppar det
(`Kontrollfel`, slutkod 1); en som inte rör dess siffror blir en varning.

Här översätts också kärnans källor (`resultat.Kalla`) till fil:rad:kolumn och dokumentnamn.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vgr_ersattning.inlasning.datakatalog import datafilens_namn, datafiler
from vgr_ersattning.inlasning.dokument import Dokument, las_priser, las_uppdrag
from vgr_ersattning.inlasning.fel import (
    Anvandningsfel,
    Inlasningsfel,
    Kontrollfel,
    Plats,
)
from vgr_ersattning.kalkyl.kontroll import blockerande, kontrollera_allt
from vgr_ersattning.kalkyl.resultat import PRISER, UPPDRAG, UTFALL, Kalla, Kontroll


def narmaste_kalla(modell: Any, sokvag: tuple) -> str:
    """Den närmaste `kalla` längs nyckelvägen i en modell: dokumentet och avsnittet värdet kommer ur."""
    kalla = ""
    obj = modell
    for steg in sokvag:
        k = getattr(obj, "kalla", None)
        if isinstance(k, str):
            kalla = k
        if isinstance(obj, dict):
            obj = obj.get(steg)
        elif isinstance(obj, (list, tuple)) and isinstance(steg, int) and 0 <= steg < len(obj):
            obj = obj[steg]
        else:
            obj = getattr(obj, str(steg), None)
        if obj is None:
            break
    k = getattr(obj, "kalla", None)
    return k if isinstance(k, str) else kalla


@dataclass
class Underlag:
    """Uppdrags- och prisfilen, validerade, och alla kontroller av dem (med fil:rad:kolumn)."""

    uppdrag: Dokument
    priser: Dokument
    uppdrag_namn: str
    priser_namn: str
    kontroller: list[Kontroll]

    @property
    def ar(self) -> int:
        return self.uppdrag.modell.ar

    def plats(self, fil: str, sokvag: tuple) -> Plats:
        doc, namn = (self.priser, self.priser_namn) if fil == PRISER else (self.uppdrag, self.uppdrag_namn)
        p = doc.positioner.plats(sokvag)
        return Plats(namn, p.rad, p.kolumn)

    def utforare(self, uid: str, *krav: str):
        """Utförarens modell; fel användning om den inte finns eller saknar något kommandot kräver."""
        u = self.uppdrag.modell.utforare.get(uid.upper()) if uid else None
        if u is None:
            raise Anvandningsfel(f"okänd utförare {uid!r} (utförare med data för kommandot: "
                                 f"{', '.join(self.med_data(*krav))})")
        for k in krav:
            if getattr(u, k) is None:
                raise Anvandningsfel(f"{uid.upper()} saknar {k} i {self.uppdrag_namn} "
                                     f"(utförare med data för kommandot: {', '.join(self.med_data(*krav)) or 'inga'})")
        return u

    def med_data(self, *krav: str) -> list[str]:
        """Utförare som har allt kommandot kräver (för -u i hjälpen och felraderna)."""
        return [k for k, v in self.uppdrag.modell.utforare.items() if all(getattr(v, x) is not None for x in krav)]

    def grind(self, uid: str, omraden: set[str]) -> list[Kontroll]:
        """Regelboken §12: kontrollerna som rör beräkningens data måste hålla (annars `Kontrollfel`);
        returnerar de underkända kontroller som inte rör den, som varningar."""
        stopp = blockerande(self.kontroller, uid, omraden)
        if stopp:
            raise Kontrollfel(stopp)
        return [k for k in self.kontroller if not k.ok]

    def los_upp(self, kalla: Kalla, utfall: Any = None) -> tuple[str, str]:
        """En källa → (fil:rad:kolumn, dokumentet som en controller hittar det)."""
        if kalla.dokument in (UPPDRAG, PRISER):
            modell = self.priser.modell if kalla.dokument == PRISER else self.uppdrag.modell
            return str(self.plats(kalla.dokument, kalla.sokvag)), narmaste_kalla(modell, kalla.sokvag)
        if kalla.dokument == UTFALL and utfall is not None:
            platser = utfall.kallor(*kalla.sokvag[:3]) if hasattr(utfall, "kallor") else {}
            if len(kalla.sokvag) > 3:   # en enskild period
                platser = {k: v for k, v in platser.items() if str(k) == str(kalla.sokvag[3])}
            text = ", ".join(str(p) for p in list(platser.values())[:12])
            return text, "utfallsfilen" + ("" if text else " (inget utfall)")
        return "", ""


def las_underlag(uppdrag_fil: Path | None, priser_fil: Path | None, data: Path | None = None) -> Underlag:
    """Läser och validerar båda datafilerna (båda, så att en trasig fil aldrig passerar tyst) och
    kör alla kontroller. Inläsningsfel i någon av dem är `Inlasningsfel` (slutkod 2).

    Filerna väljs av `datakatalog.datafiler`: en angiven fil, annars den i datakatalogen `data`
    (`--data`) eller i `VGR_ERSATTNING_DATA`, annars den medföljande."""
    uppdrag_fil, priser_fil = datafiler(uppdrag_fil, priser_fil, data)
    fel = []
    uppdrag = priser = None
    try:
        uppdrag = las_uppdrag(uppdrag_fil)
    except Inlasningsfel as e:
        fel += e.fel
    try:
        priser = las_priser(priser_fil)
    except Inlasningsfel as e:
        fel += e.fel
    if fel:
        raise Inlasningsfel(fel)
    u = Underlag(uppdrag, priser, datafilens_namn(uppdrag_fil, uppdrag.positioner.fil),
                 datafilens_namn(priser_fil, priser.positioner.fil), [])
    u.kontroller = [k._replace(plats=str(u.plats(k.fil, k.sokvag))) for k in kontrollera_allt(uppdrag.modell, priser.modell)]
    return u
