"""Regelboken §3 – volymer och deras integritet (uppdraget, avsnittet Produktionsvolymerna egen regi)."""

from __future__ import annotations

from vgr_ersattning.kalkyl.resultat import Kontroll
from vgr_ersattning.modell import Summa, Volymer
from vgr_ersattning.pengar import svensk

FALT = ("uppdrag", "bas", "tillagg")
_FALTNAMN = {"uppdrag": "uppdrag", "bas": "bas", "tillagg": "tillägg"}


def rader_i_grupp(volymer: Volymer, grupp: str) -> list[str]:
    """Regelboken §2: en grupps rader är de vars id börjar med gruppens id och en punkt."""
    prefix = grupp + "."
    return [rid for rid in volymer.rader if rid.startswith(prefix)]


def summera(volymer: Volymer, rad_ider: list[str]) -> dict[str, int]:
    """Summan av uppdrag, bas och tillägg över raderna."""
    return {f: sum(getattr(volymer.rader[r], f) for r in rad_ider) for f in FALT}


def kontrollera_rader(volymer: Volymer, sokvag: tuple) -> list[Kontroll]:
    """Regelboken §3: uppdrag = bas + tillägg på varje rad."""
    fel = []
    for rid, rad in volymer.rader.items():
        if rad.bas + rad.tillagg != rad.uppdrag:
            fel.append(Kontroll(
                id="volymer.rader",
                namn=f"Rad {rid}: bas + tillägg = uppdrag",
                ok=False,
                meddelande=f"{rid}: bas + tillägg ({svensk(rad.bas + rad.tillagg)}) ≠ uppdrag ({svensk(rad.uppdrag)})",
                sokvag=sokvag + ("rader", rid, "bas"),
                varde=rad.uppdrag,
                differens=rad.bas + rad.tillagg - rad.uppdrag,
            ))
    if fel:
        return fel
    return [Kontroll(
        id="volymer.rader",
        namn="Rader: bas + tillägg = uppdrag",
        ok=True,
        meddelande=f"alla {len(volymer.rader)} rader stämmer",
        sokvag=sokvag + ("rader",),
        varde=sum(r.uppdrag for r in volymer.rader.values()),
    )]


def _jamfor_summa(id: str, namn: str, etikett: str, angiven: Summa, beraknad: dict[str, int],
                  sokvag: tuple) -> Kontroll:
    avvikelser = [
        f"{_FALTNAMN[f]} tryckt {svensk(getattr(angiven, f))}, radernas summa {svensk(beraknad[f])}"
        for f in FALT if getattr(angiven, f) != beraknad[f]
    ]
    if avvikelser:
        forsta = next(f for f in FALT if getattr(angiven, f) != beraknad[f])
        return Kontroll(
            id=id, namn=namn, ok=False,
            meddelande=f"{etikett}: " + "; ".join(avvikelser),
            sokvag=sokvag + (forsta,),
            varde=angiven.uppdrag,
            differens=getattr(angiven, forsta) - beraknad[forsta],
        )
    return Kontroll(
        id=id, namn=namn, ok=True,
        meddelande=f"{etikett}: {svensk(angiven.uppdrag)} = {svensk(angiven.bas)} + {svensk(angiven.tillagg)}",
        sokvag=sokvag, varde=angiven.uppdrag, differens=0,
    )


def kontrollera_totaler(volymer: Volymer, sokvag: tuple) -> list[Kontroll]:
    """Regelboken §3: varje tryckt gruppsumma och Totalsumma är summan av sina rader."""
    ut = []
    for grupp, angiven in volymer.totaler.items():
        rader = rader_i_grupp(volymer, grupp)
        if not rader:
            ut.append(Kontroll(
                id="volymer.summa", namn=f"Summa {grupp}", ok=False,
                meddelande=f"{grupp}: gruppen har inga rader i volymtabellen",
                sokvag=sokvag + ("totaler", grupp),
            ))
            continue
        ut.append(_jamfor_summa("volymer.summa", f"Summa {grupp}", grupp, angiven, summera(volymer, rader),
                                sokvag + ("totaler", grupp)))
    ut.append(_jamfor_summa("volymer.totalsumma", "Totalsumma", "Totalsumma", volymer.totalsumma,
                            summera(volymer, list(volymer.rader)), sokvag + ("totalsumma",)))
    return ut
