"""Regelboken §18 och §11 – beslut under året granskade mot uppdraget.

Varje beslut ska ligga inom uppdragets giltighet och gå att tillämpa (`parametrar.tillampa`); ett
delegationsbeslut vars förändring av tilläggsersättningen vid full leverans överstiger
delegationsgränsen som gäller vägras (det kräver nämnden, §11). Vad besluten ger för varje månad är
`parametrar.i_kraft`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from vgr_ersattning.kalkyl.parametrar import Beslutsfel, Parametrar, fran_manad, i_kraft, tillampa, utgangslage
from vgr_ersattning.kalkyl.period import Periodfel
from vgr_ersattning.kalkyl.plan import profil_for
from vgr_ersattning.kalkyl.tillagg import STANDARD_BASMODELL, berakna_rad
from vgr_ersattning.modell import Priser, Utforare
from vgr_ersattning.pengar import svensk

if TYPE_CHECKING:     # bara för typerna: beslutsfilens modeller importeras när en beslutsfil läses
    from vgr_ersattning.modell_indata import Arsbeslut

__all__ = ["Beslutsfel", "ar_delegation", "forandring_vid_full_leverans", "fran_manad", "granska", "i_kraft",
           "inom_giltighet", "tillampa", "utgangslage"]


def ar_delegation(organ: str) -> bool:
    return organ.strip().lower().startswith("delegation")


def inom_giltighet(b: Arsbeslut, utf: Utforare, ar: int, index: int) -> None:
    """Ett beslut daterat utanför uppdragets giltighet, eller som gäller ett annat år, vägras."""
    try:
        d = date.fromisoformat(str(b.datum))
    except ValueError:
        raise Beslutsfel(f"datum {b.datum!r} är inte ett datum ÅÅÅÅ-MM-DD", index, falt="datum") from None
    try:
        fran_manad(b, ar)
    except Periodfel as e:
        raise Beslutsfel(f"fran: {e}", index, falt="fran") from None
    g = utf.giltighet
    if g is not None and not (date.fromisoformat(g.fran) <= d <= date.fromisoformat(g.till)):
        raise Beslutsfel(f"beslutet är daterat {d} utanför uppdragets giltighet {g.fran}–{g.till}", index,
                         falt="datum")


def forandring_vid_full_leverans(utf: Utforare, fore: Parametrar, efter: Parametrar) -> Decimal:
    """Förändringen i tilläggsersättning vid full leverans (planen för året, med värdena som gäller varje
    månad) mellan två lägen, med §4:s funktion på raderna som ändrats."""
    summa = Decimal(0)
    regler = utf.tillagg
    basmodell = regler.basmodell if regler else STANDARD_BASMODELL
    for rid, f in fore.rader.items():
        e = efter.rader[rid]
        if (f.bas.manader, f.tillagg.manader, f.pris.manader) == (e.bas.manader, e.tillagg.manader, e.pris.manader):
            continue
        profil = profil_for(utf.volymer, rid)
        for lage, tecken in ((e, 1), (f, -1)):
            summa += tecken * berakna_rad(lage, profil, None, True, 12, basmodell, manadsvis=False).belopp_kr
    return summa


def granska(utf: Utforare, priser: Priser, uid: str, ar: int, beslut: Sequence[Arsbeslut]) -> list[Beslutsfel]:
    """Regelboken §18: varje beslut inom giltigheten och tillämpbart; ett delegationsbeslut vars
    förändring vid full leverans överstiger delegationsgränsen som gäller vägras (det kräver nämnden, §11)."""
    fel: list[Beslutsfel] = []
    lage = utgangslage(utf, priser, uid, ar)
    for i in sorted(range(len(beslut)), key=lambda i: (beslut[i].datum, i)):
        b = beslut[i]
        try:
            inom_giltighet(b, utf, ar, i)
            efter = tillampa(lage, utf, priser, uid, ar, b, i)
        except Beslutsfel as e:
            fel.append(e)
            continue
        if ar_delegation(b.organ) and utf.volymer is not None:
            m = fran_manad(b, ar)
            grans = lage.delegation_kr.i(m).varde if lage.delegation_kr is not None else Decimal(0)
            delta = forandring_vid_full_leverans(utf, lage, efter)
            if abs(delta) > grans:
                fel.append(Beslutsfel(
                    f"förändringen vid full leverans är {svensk(delta)} kr, över delegationsgränsen "
                    f"{svensk(grans)} kr: beslutet kräver nämnden (organ), inte delegation", i, falt="organ"))
                continue
        lage = efter
    return fel
