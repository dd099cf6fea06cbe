"""Regelboken §8 och §24, antagande A8 – bryggan över åren.

Årets brygga börjar från förra årets ram som den gällde i slutet av förra året: förra årets uppdrag
ändrat av förra årets beslut om ramen (i datumordning, regelboken §18). När datakatalogen har båda
åren prövas bryggans första rad mot den ramen, med samma tolerans som en avrundad term i bryggan
(0,5 tkr), och båda siffrorna namnges när de skiljer sig.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Optional, Sequence

from vgr_ersattning.kalkyl.brygga import HALV_TKR
from vgr_ersattning.kalkyl.parametrar import Varde, i_kraft
from vgr_ersattning.kalkyl.period import ANTAL_MANADER
from vgr_ersattning.kalkyl.resultat import BRYGGA, Kontroll
from vgr_ersattning.modell import Brygga, Priser, Utforare
from vgr_ersattning.pengar import svensk

if TYPE_CHECKING:     # bara för typerna: beslutsfilens modeller importeras när en beslutsfil läses
    from vgr_ersattning.modell_indata import Arsbeslut

ID = "brygga.forra_arets_ram"
ANTAGANDE = "A8"


def ram_vid_arets_slut(utf: Utforare, priser: Priser, uid: str, ar: int,
                       beslut: Sequence[Arsbeslut] = ()) -> Optional[Varde]:
    """Ramen som gällde i december året `ar`, med sin källa (uppdraget eller beslutet som satte den
    och värdet före); None när utföraren inte har någon ram."""
    if utf.ersattningsram is None:
        return None
    ram = i_kraft(utf, priser, uid, ar, beslut).ram_tkr
    return None if ram is None else ram.i(ANTAL_MANADER)


def bryggans_vag(uid: str) -> tuple:
    """Var bryggans första rad står i uppdragsfilen."""
    return ("utforare", uid, "brygga", "fran", "belopp_tkr")


def kontrollera_arsovergang(uid: str, brygga: Brygga, forra_ar: int, ram_tkr: Optional[Decimal],
                            kalla: str) -> Kontroll:
    """Bryggans första rad mot förra årets ram vid årets slut (`ram_tkr`, None när den inte finns;
    `kalla` säger då varför). `kalla` namnger var förra årets ram står."""
    fran = brygga.fran.belopp_tkr
    namn = f"{uid}: bryggans första rad = {forra_ar} års ram vid årets slut"
    bas = dict(sokvag=bryggans_vag(uid), varde=fran, enhet="tkr", utforare=uid, omraden=(BRYGGA,))
    if ram_tkr is None:
        return Kontroll(ID, namn, False, f"bryggans första rad {svensk(fran)} tkr kan inte prövas mot {forra_ar} "
                                         f"års ram: {kalla} (antagande {ANTAGANDE})", **bas)
    differens = fran - ram_tkr
    ok = abs(differens) <= HALV_TKR
    if differens == 0:
        text = f"bryggans första rad {svensk(fran)} tkr = {forra_ar} års ram vid årets slut {svensk(ram_tkr)} tkr"
    elif ok:
        text = (f"bryggans första rad {svensk(fran)} tkr = {forra_ar} års ram vid årets slut {svensk(ram_tkr, 1)} "
                f"tkr inom avrundning (differens {svensk(differens, 1)} tkr, tolerans 0,5 tkr)")
    else:
        text = (f"bryggans första rad {svensk(fran)} tkr ≠ {forra_ar} års ram vid årets slut {svensk(ram_tkr)} tkr: "
                f"differens {svensk(differens)} tkr")
    return Kontroll(ID, namn, ok, f"{text} ({kalla}; antagande {ANTAGANDE})", differens=differens, **bas)
