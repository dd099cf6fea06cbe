"""`ersattning kontrollera`: alla konsistenskontroller av uppdrags- och prisfilen (REGLER §3, §8).

Varje kontroll bor i sitt avsnitts modul; här samlas de i den ordning tabellen visar dem.
"""

from __future__ import annotations

from decimal import Decimal

from vgr_ersattning.kalkyl.brygga import kontrollera_brygga
from vgr_ersattning.kalkyl.resultat import Kontroll
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
        namn=f"{utf_id}: varav-poster ≤ ersättningsramen", ok=ok,
        meddelande=(f"poster med avräkning {svensk(summa)} tkr " + ("≤" if ok else ">")
                    + f" ersättningsramen {svensk(ram)} tkr"),
        sokvag=("utforare", utf_id, "avrakning", "poster"), varde=summa,
        differens=None if ok else summa - ram, enhet="tkr")]


def kontrollera_at(uppdrag: Uppdrag) -> list[Kontroll]:
    """AT-fördelningen: sjukhusens platser summerar till det tryckta totalet (292 för 2026)."""
    if uppdrag.at_fordelning is None:
        return []
    platser = {uid: u.at_platser for uid, u in uppdrag.utforare.items() if u.at_platser is not None}
    summa = sum(platser.values())
    totalt = uppdrag.at_fordelning.totalt
    delar = " + ".join(f"{uid} {n}" for uid, n in platser.items())
    return [Kontroll(
        namn="AT-platser totalt", ok=summa == totalt,
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
                namn=f"{utf_id}: pris för {rid}", ok=False,
                meddelande=f"{rid}: priskategorin {rad.priskategori!r} finns inte i prisfilen",
                sokvag=("utforare", utf_id, "volymer", "rader", rid, "priskategori")))
        elif pris_for(priser, rad.priskategori, utf_id) is None:
            fel.append(Kontroll(
                namn=f"{utf_id}: pris för {rid}", ok=False,
                meddelande=f"{rid}: priskategorin {rad.priskategori!r} har inget pris för {utf_id}",
                sokvag=("tillagg", rad.priskategori), fil="priser"))
    if fel:
        return fel
    kategorier = sorted({r.priskategori for r in utf.volymer.rader.values()})
    return [Kontroll(
        namn=f"{utf_id}: priser för alla rader", ok=True,
        meddelande=f"{len(utf.volymer.rader)} rader, kategorierna {', '.join(kategorier)} har pris för {utf_id}",
        sokvag=("utforare", utf_id, "volymer", "rader"))]


def kontrollera_allt(uppdrag: Uppdrag, priser: Priser) -> list[Kontroll]:
    """Alla kontroller, utförare för utförare, sedan de gemensamma."""
    ut: list[Kontroll] = []
    for uid, utf in uppdrag.utforare.items():
        bas = ("utforare", uid)
        if utf.volymer is not None:
            for k in kontrollera_rader(utf.volymer, bas + ("volymer",)) + kontrollera_totaler(utf.volymer, bas + ("volymer",)):
                ut.append(_med_prefix(k, uid))
        if utf.brygga is not None:
            ram = utf.ersattningsram.belopp_tkr if utf.ersattningsram else None
            ut += [_med_prefix(k, uid) for k in kontrollera_brygga(utf.brygga, ram, bas + ("brygga",))]
        ut += kontrollera_varav(uid, utf)
        ut += kontrollera_priser(uid, utf, priser)
    ut += kontrollera_at(uppdrag)
    return ut


def _med_prefix(k: Kontroll, uid: str) -> Kontroll:
    from dataclasses import replace

    return replace(k, namn=f"{uid}: {k.namn}")
