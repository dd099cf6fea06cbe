"""Underlaget för en beräkning: en pipeline som alltid validerar (regelboken §12).

filer och år (`datakatalog`, regelboken §24) → modeller med positioner (`dokument`) → kontroller
över filerna (samma år, giltighet, priser för varje rad) och konsistenskontrollerna (§3, §8) → en
beräkning får bara räkna på data vars kontroller håller. En underkänd kontroll som rör det kommandot
räknar på stoppar det (`Kontrollfel`, slutkod 1); en som inte rör dess siffror blir en varning.

Ett utkast (`utkast: true`) har luckor att fylla i: kontrollerna av värden i en lucka görs inte (de
skulle pröva platshållare), luckorna listas (`utkastets_kontroller`, `utkastets_rader`) och en
beräkning vägrar utkastet. Bryggan över åren (§8, antagande A8) prövas mot förra årets filer i
datakatalogen, som läses först när en kontroll frågar efter den (`arsovergang`).

Här översätts också kärnans källor (`resultat.Kalla`) till fil:rad:kolumn och dokumentnamn.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from vgr_ersattning.inlasning import datakatalog as dk
from vgr_ersattning.inlasning.datakatalog import Datafiler, datafilens_namn, datafiler, filnamn
from vgr_ersattning.inlasning.dokument import Dokument, las_priser, las_uppdrag, luckornas_grupper
from vgr_ersattning.inlasning.fel import (
    Anvandningsfel,
    Fel,
    Inlasningsfel,
    Kontrollfel,
    Plats,
)
from vgr_ersattning.inlasning.kallor import visningsnamn
from vgr_ersattning.inlasning.utfallsar import utfallets_ar
from vgr_ersattning.kalkyl.arsovergang import kontrollera_arsovergang, ram_vid_arets_slut
from vgr_ersattning.kalkyl.kontroll import blockerande, kontrollera_allt
from vgr_ersattning.kalkyl.resultat import BESLUT, PRISER, UPPDRAG, UTFALL, Kalla, Kontroll
from vgr_ersattning.pengar import svensk

UTKASTETS_ID = "utkast.att_fylla_i"


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
    filer: Optional[Datafiler] = None
    _arsovergang: Optional[list[Kontroll]] = field(default=None, repr=False)

    @property
    def ar(self) -> int:
        return self.uppdrag.modell.ar

    @property
    def utkast(self) -> bool:
        """Ett utkast med värden kvar att fylla i (regelboken §24)."""
        return bool(self.uppdrag.luckor or self.priser.luckor)

    def utkastets_kontroller(self) -> list[Kontroll]:
        """Det som återstår att fylla i ett utkast, en underkänd kontroll per block (`kontrollera`)."""
        ut = []
        for fil, doc in ((UPPDRAG, self.uppdrag), (PRISER, self.priser)):
            for vag, text, _ in luckornas_grupper(doc):
                ut.append(Kontroll(id=UTKASTETS_ID, namn=f"Utkast {doc.modell.ar}: kvar att fylla i", ok=False,
                                   meddelande=f"att fylla i: {text}", sokvag=vag, fil=fil,
                                   plats=str(self.plats(fil, vag))))
            if doc.utkast and not doc.luckor:
                ut.append(Kontroll(id=UTKASTETS_ID, namn=f"Utkast {doc.modell.ar}: kvar att fylla i", ok=True,
                                   meddelande="inget; ta bort raden `utkast: true` när året är beslutat",
                                   sokvag=("utkast",), fil=fil, plats=str(self.plats(fil, ("utkast",)))))
        return ut

    def utkastets_rader(self, kommando: str) -> list[str]:
        """Raderna när ett räknande kommando vägrar ett utkast: vad som återstår, block för block."""
        antal = len(self.uppdrag.luckor) + len(self.priser.luckor)
        filer = " och ".join(namn for namn, doc in ((self.uppdrag_namn, self.uppdrag), (self.priser_namn, self.priser))
                             if doc.luckor)
        return ([f"ersattning {kommando}: räknar inte: {filer} är ett utkast för {self.ar} (utkast: true) med "
                 f"{antal} värden kvar att fylla i:"]
                + [f"{k.plats}: {k.meddelande}" for k in self.utkastets_kontroller() if not k.ok]
                + [f"ersattning {kommando}: fyll i värdena ur nämndens beslut; `ersattning kontrollera --ar {self.ar}` "
                   "listar det som återstår"])

    def arsovergang(self) -> list[Kontroll]:
        """Regelboken §8 och §24, antagande A8: varje utförares brygga mot förra årets ram vid årets
        slut, när datakatalogen har förra årets uppdrag (läst när den här frågan ställs första gången)."""
        if self._arsovergang is None:
            self._arsovergang = _arsovergang(self)
        return self._arsovergang

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


def las_underlag(uppdrag_fil: Path | None, priser_fil: Path | None, data: Path | None = None, *,
                 ar: Optional[int] = None, utfall: Sequence[Path | str] = (), blad: Optional[str] = None) -> Underlag:
    """Läser och validerar båda datafilerna (båda, så att en trasig fil aldrig passerar tyst) och
    kör alla kontroller. Inläsningsfel i någon av dem är `Inlasningsfel` (slutkod 2).

    Filerna väljs av `datakatalog.datafiler`: en angiven fil, annars den i datakatalogen `data`
    (`--data`) eller i `VGR_ERSATTNING_DATA`, annars den medföljande; året är `ar` (`--ar`), annars
    den angivna filens år, annars året i utfallets månader (`utfall`), annars katalogens senaste."""
    fel: list = []
    dokument: dict[str, Dokument] = {}
    lasta: set[str] = set()
    angivet_ar = None
    for slag, fil, las in ((dk.UPPDRAG, uppdrag_fil, las_uppdrag), (dk.PRISER, priser_fil, las_priser)):
        if fil and not (uppdrag_fil and priser_fil):      # en angiven fil föreslår året för den andra
            lasta.add(slag)
            try:
                dokument[slag] = las(Path(fil))
            except Inlasningsfel as e:
                fel += e.fel
            if angivet_ar is None and slag in dokument:
                angivet_ar = dokument[slag].modell.ar
    try:
        filer = datafiler(uppdrag_fil, priser_fil, data, ar=ar, foreslaget=angivet_ar,
                          utfallets_ar=(lambda: utfallets_ar(utfall, blad)) if utfall else None)
    except Inlasningsfel as e:
        raise Inlasningsfel(fel + e.fel) from None
    for slag, fil, las in ((dk.UPPDRAG, filer.uppdrag, las_uppdrag), (dk.PRISER, filer.priser, las_priser)):
        if slag not in lasta:
            try:
                dokument[slag] = las(fil)
            except Inlasningsfel as e:
                fel += e.fel
    if fel:
        raise Inlasningsfel(fel)
    uppdrag, priser = dokument[dk.UPPDRAG], dokument[dk.PRISER]
    if ar is not None and uppdrag.modell.ar != ar:
        raise Anvandningsfel(f"--ar {ar}: uppdragsfilen {uppdrag.positioner.fil} gäller {uppdrag.modell.ar}")
    u = Underlag(uppdrag, priser, datafilens_namn(filer.uppdrag, uppdrag.positioner.fil),
                 datafilens_namn(filer.priser, priser.positioner.fil), [], filer)
    kontroller = kontrollera_allt(uppdrag.modell, priser.modell)
    if uppdrag.luckor or priser.luckor:
        kontroller = [k for k in kontroller if not _i_lucka(k, uppdrag.luckor, priser.luckor)]
    u.kontroller = [k._replace(plats=str(u.plats(k.fil, k.sokvag))) for k in kontroller]
    return u


def _i_lucka(k: Kontroll, uppdrag: tuple, priser: tuple) -> bool:
    """Om kontrollen prövar ett värde i en lucka (eller ett block med en lucka): den skulle pröva en
    platshållare."""
    luckor = priser if k.fil == PRISER else uppdrag
    n = len(k.sokvag)
    return any(v[:n] == k.sokvag or k.sokvag[:len(v)] == v for v in luckor)


# --- bryggan över åren -------------------------------------------------------------------------------


def _arsovergang(u: Underlag) -> list[Kontroll]:
    """Bryggorna mot förra årets ram vid årets slut: förra årets uppdrag ändrat av besluten i
    datakatalogens `beslut_ÅÅÅÅ.yaml` för det året, när filen finns (antagande A8)."""
    med_brygga = [(uid, utf) for uid, utf in u.uppdrag.modell.utforare.items() if utf.brygga is not None]
    forra = u.ar - 1
    uppdrag_fil = u.filer.fil(dk.UPPDRAG, forra) if u.filer is not None else None
    if not med_brygga or uppdrag_fil is None:
        return []
    priser_fil, beslut_fil = u.filer.fil(dk.PRISER, forra), u.filer.fil(dk.BESLUT, forra)
    beslut = None
    try:
        fu = las_uppdrag(uppdrag_fil)
        if priser_fil is None:
            raise Inlasningsfel([Fel(Plats(visningsnamn(u.filer.katalog), 0, 0), "",
                                     f"datakatalogen saknar {filnamn(dk.PRISER, forra)}")])
        fp = las_priser(priser_fil)
        if beslut_fil is not None:
            # Beslutsfilens modeller (~6 ms) importeras bara när förra årets beslut behövs.
            from vgr_ersattning.inlasning.beslut import las_beslut

            beslut = las_beslut([beslut_fil], fu.modell, fp.modell)
    except Inlasningsfel as e:
        orsak = f"{forra} års filer kan inte läsas ({e.fel[0]})"
        return [_placera(u, kontrollera_arsovergang(uid, utf.brygga, forra, None, orsak)) for uid, utf in med_brygga]
    ut = []
    for uid, utf in med_brygga:
        fore = fu.modell.utforare.get(uid)
        beslutade = beslut.for_utforare(uid) if beslut is not None else []
        if fore is None or fore.ersattningsram is None:
            orsak = f"{visningsnamn(uppdrag_fil)} har ingen ersättningsram för {uid}"
            ut.append(_placera(u, kontrollera_arsovergang(uid, utf.brygga, forra, None, orsak)))
            continue
        ramens_vag = ("utforare", uid, "ersattningsram", "belopp_tkr")
        if ramens_vag in fu.luckor:
            orsak = f"{fu.positioner.plats(ramens_vag)}: {forra} är ett utkast och ramen är inte ifylld"
            ut.append(_placera(u, kontrollera_arsovergang(uid, utf.brygga, forra, None, orsak)))
            continue
        ram = ram_vid_arets_slut(fore, fp.modell, uid, forra, beslutade)
        ut.append(_placera(u, kontrollera_arsovergang(uid, utf.brygga, forra, ram.varde,
                                                      _ramens_kalla(ram, fu, fore, beslut, uid))))
    return ut


def _placera(u: Underlag, k: Kontroll) -> Kontroll:
    return k._replace(plats=str(u.plats(UPPDRAG, k.sokvag)))


def _ramens_kalla(ram, fu: Dokument, fore, beslut, uid: str) -> str:
    """Var förra årets ram vid årets slut står: uppdragets rad och beslutet om uppdraget, eller
    beslutet som satte den (med uppdragets ram)."""
    def organ(b) -> str:
        return " ".join(x for x in (b.organ, b.datum, b.paragraf) if x)

    if ram.kalla is not None and ram.kalla.dokument == BESLUT and beslut is not None:
        _, index, *vag = ram.kalla.sokvag
        b = beslut.for_utforare(uid)[index]
        return (f"{beslut.plats(uid, index, *vag)}, {organ(b)}; uppdragets ram "
                f"{svensk(fore.ersattningsram.belopp_tkr)} tkr")
    text = str(fu.positioner.plats(("utforare", uid, "ersattningsram", "belopp_tkr")))
    return f"{text}, {organ(fore.beslut)}" if fore.beslut is not None else text
