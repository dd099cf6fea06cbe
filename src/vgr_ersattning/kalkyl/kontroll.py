"""`ersattning kontrollera`: alla konsistenskontroller av uppdrags- och prisfilen (regelboken §3, §8).

Varje kontroll bor i sitt avsnitts modul; här samlas de i den ordning tabellen visar dem.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from vgr_ersattning.kalkyl.brygga import kontrollera_brygga
from vgr_ersattning.kalkyl.resultat import (
    AR,
    AT,
    AVRAKNING,
    BRYGGA,
    PRISER,
    RAM,
    VOLYMER,
    Kontroll,
)
from vgr_ersattning.kalkyl.tillagg import pris_for
from vgr_ersattning.kalkyl.volymer import kontrollera_rader, kontrollera_totaler
from vgr_ersattning.modell import Priser, Uppdrag, Utforare
from vgr_ersattning.pengar import svensk


def kontrollera_varav(utf_id: str, utf: Utforare) -> list[Kontroll]:
    """Posterna "varav uppdrag med avräkning" ryms i ersättningsramen."""
    if utf.avrakning is None or utf.ersattningsram is None:
        return []
    summa = sum((p.niva_tkr for p in utf.avrakning.poster.values()), Decimal(0))
    ram = utf.ersattningsram.belopp_tkr
    ok = summa <= ram
    return [Kontroll(
        id="avrakning.varav_inom_ram", namn=f"{utf_id}: varav-poster ≤ ersättningsramen", ok=ok,
        meddelande=(f"poster med avräkning {svensk(summa)} tkr " + ("≤" if ok else ">")
                    + f" ersättningsramen {svensk(ram)} tkr"),
        sokvag=("utforare", utf_id, "avrakning", "poster"), varde=summa,
        differens=None if ok else summa - ram, enhet="tkr")]


def kontrollera_at(uppdrag: Uppdrag) -> list[Kontroll]:
    """AT-fördelningen: sjukhusens platser summerar till det tryckta totalet (i uppdragets tabell)."""
    if uppdrag.at_fordelning is None:
        return []
    platser = {uid: u.at_platser for uid, u in uppdrag.utforare.items() if u.at_platser is not None}
    summa = sum(platser.values())
    totalt = uppdrag.at_fordelning.totalt
    delar = " + ".join(f"{uid} {n}" for uid, n in platser.items())
    return [Kontroll(
        id="at.totalt", namn="AT-platser totalt", ok=summa == totalt,
        meddelande=f"{delar} = {summa}" + (" = " if summa == totalt else " ≠ ") + f"tryckt totalt {totalt}",
        sokvag=("at_fordelning", "totalt"), varde=Decimal(totalt), differens=Decimal(totalt - summa), enhet="antal")]


def kontrollera_priser(utf_id: str, utf: Utforare, priser: Priser) -> list[Kontroll]:
    """Varje priskategori som en rad använder har ett pris för utföraren."""
    if utf.volymer is None:
        return []
    fel = []
    for rid, rad in utf.volymer.rader.items():
        if rad.priskategori not in priser.tillagg:
            fel.append(Kontroll(
                id="priser.rader", namn=f"{utf_id}: pris för {rid}", ok=False,
                meddelande=f"{rid}: priskategorin {rad.priskategori!r} finns inte i prisfilen",
                sokvag=("utforare", utf_id, "volymer", "rader", rid, "priskategori")))
        elif pris_for(priser, rad.priskategori, utf_id) is None:
            fel.append(Kontroll(
                id="priser.rader", namn=f"{utf_id}: pris för {rid}", ok=False,
                meddelande=f"{rid}: priskategorin {rad.priskategori!r} har inget pris för {utf_id}",
                sokvag=("tillagg", rad.priskategori), fil="priser"))
    if fel:
        return fel
    kategorier = sorted({r.priskategori for r in utf.volymer.rader.values()})
    return [Kontroll(
        id="priser.rader", namn=f"{utf_id}: priser för alla rader", ok=True,
        meddelande=f"{len(utf.volymer.rader)} rader, kategorierna {', '.join(kategorier)} har pris för {utf_id}",
        sokvag=("utforare", utf_id, "volymer", "rader"))]


def kontrollera_ar(uppdrag: Uppdrag, priser: Priser) -> list[Kontroll]:
    """Samma år i uppdrags- och prisfilen: en prisfil för ett annat år ger andra års priser."""
    ok = priser.ar == uppdrag.ar
    return [Kontroll(
        id="ar.prisfil", namn="Prisfilens år = uppdragsåret", ok=ok,
        meddelande=f"prisfilen gäller {priser.ar}" + (" = " if ok else " ≠ ") + f"uppdragsåret {uppdrag.ar}",
        sokvag=("ar",), varde=Decimal(priser.ar), differens=Decimal(priser.ar - uppdrag.ar), fil="priser",
        omraden=(AR,))]


def _ar_i(datum: str) -> int | None:
    try:
        return date.fromisoformat(str(datum)).year
    except ValueError:
        return None


def kontrollera_giltighet(utf_id: str, utf: Utforare, ar: int) -> list[Kontroll]:
    """Uppdragets giltighetstid omfattar uppdragsåret: en beräkning för ett år utanför den vägras."""
    g = utf.giltighet
    if g is None:
        return []
    fran, till = _ar_i(g.fran), _ar_i(g.till)
    if fran is None or till is None:
        return [Kontroll(id="giltighet.datum", namn=f"{utf_id}: giltighet", ok=False, utforare=utf_id, omraden=(AR,),
                         meddelande=f"giltigheten {g.fran}–{g.till} är inte två datum ÅÅÅÅ-MM-DD",
                         sokvag=("utforare", utf_id, "giltighet", "fran" if fran is None else "till"))]
    ok = fran <= ar <= till
    return [Kontroll(
        id="giltighet.ar", namn=f"{utf_id}: giltigheten omfattar {ar}", ok=ok, utforare=utf_id, omraden=(AR,),
        meddelande=f"uppdraget gäller {g.fran}–{g.till}, " + ("som omfattar" if ok else "som inte omfattar")
        + f" uppdragsåret {ar}",
        sokvag=("utforare", utf_id, "giltighet"))]


def kontrollera_allt(uppdrag: Uppdrag, priser: Priser) -> list[Kontroll]:
    """Alla kontroller: de gemensamma över filerna, sedan utförare för utförare. Varje kontroll
    märks med vad den rör (`omraden`) och vems data (`utforare`), så en beräkning kan vägra just
    de data den bygger på."""
    ut: list[Kontroll] = list(kontrollera_ar(uppdrag, priser))
    for uid, utf in uppdrag.utforare.items():
        bas = ("utforare", uid)
        egna: list[Kontroll] = list(kontrollera_giltighet(uid, utf, uppdrag.ar))
        if utf.volymer is not None:
            v = bas + ("volymer",)
            egna += [_markera(k, uid, VOLYMER) for k in kontrollera_rader(utf.volymer, v) + kontrollera_totaler(utf.volymer, v)]
        if utf.brygga is not None:
            ram = utf.ersattningsram.belopp_tkr if utf.ersattningsram else None
            for k in kontrollera_brygga(utf.brygga, ram, bas + ("brygga",)):
                # Bryggans sista rad mot ramen rör också anslaget; stegen inne i bryggan bara bryggan.
                sista = k.id == "brygga.sista_rad"
                egna.append(_markera(k, uid, BRYGGA, RAM) if sista else _markera(k, uid, BRYGGA))
        egna += [k._replace(utforare=uid, omraden=(AVRAKNING, RAM)) for k in kontrollera_varav(uid, utf)]
        egna += [k._replace(utforare=uid, omraden=(PRISER,)) for k in kontrollera_priser(uid, utf, priser)]
        ut += egna
    ut += [k._replace(omraden=(AT,)) for k in kontrollera_at(uppdrag)]
    return ut


def _markera(k: Kontroll, uid: str, *omraden: str) -> Kontroll:
    return k._replace(namn=f"{uid}: {k.namn}", utforare=uid, omraden=omraden)


def blockerande(kontroller: list[Kontroll], utforare: str, omraden: set[str]) -> list[Kontroll]:
    """De underkända kontroller som rör det en beräkning för `utforare` bygger på: kontroller av
    utförarens data inom `omraden`, och gemensamma kontroller av året."""
    return [k for k in kontroller if not k.ok
            and (k.utforare == utforare or k.utforare is None)
            and (set(k.omraden) & (omraden | {AR}))]
