"""Regelboken §18 – beslut under året: de värden som gäller varje månad.

Uppdraget som det beslutades före året plus besluten i datumordning ger, för varje månad, de värden
som gäller: en rads bas och tillägg, priserna, årets ram, avräkningsnivåerna och delegationsgränsen.
Ett beslut gäller från sin första månad (`fran`); månaderna före behåller det som gällde. `andra`
ändrar värdet som gällde den första månaden.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from vgr_ersattning.kalkyl.period import ANTAL_MANADER, MANAD, Periodfel, tolka
from vgr_ersattning.kalkyl.tillagg import pris_for
from vgr_ersattning.modell import Priser, Utforare
from vgr_ersattning.modell_indata import Arsbeslut


class Beslutsfel(ValueError):
    """Ett beslut som inte går att tillämpa. `beslut` och `andring` är index (för positionen)."""

    def __init__(self, meddelande: str, beslut: int, andring: int | None = None, falt: str | None = None):
        super().__init__(meddelande)
        self.beslut, self.andring, self.falt = beslut, andring, falt


@dataclass
class Ikraft:
    """Värdena som gäller per månad (index 0 = januari) för en utförare, och vilka beslut som
    ändrade dem (nyckel → [(första månad, beslutets index)])."""

    bas: dict[str, list[int]]
    tillagg: dict[str, list[int]]
    pris: dict[str, list[Decimal]]          # per rad: priset för radens kategori hos utföraren
    ram_tkr: list[Decimal]
    niva_tkr: dict[str, list[Decimal]]
    delegation_kr: list[Decimal]
    andrat_av: dict[tuple, list[tuple[int, int]]] = field(default_factory=dict)

    def rad_ar_daterad(self, rid: str) -> bool:
        return any(k[:2] in (("volym", rid), ("pris", rid)) for k in self.andrat_av)

    def pris_ar_daterat(self, rid: str) -> bool:
        return ("pris", rid) in self.andrat_av

    def ram_ar_daterad(self) -> bool:
        return ("ram",) in self.andrat_av


def fran_manad(b: Arsbeslut, ar: int) -> int:
    return tolka(b.fran, slag=(MANAD,), ar=ar).nummer


def utgangslage(utf: Utforare, priser: Priser, uid: str) -> Ikraft:
    """Värdena före besluten: uppdraget och priserna, samma varje månad."""
    rader = utf.volymer.rader if utf.volymer else {}
    return Ikraft(
        bas={rid: [r.bas] * ANTAL_MANADER for rid, r in rader.items()},
        tillagg={rid: [r.tillagg] * ANTAL_MANADER for rid, r in rader.items()},
        pris={rid: [pris_for(priser, r.priskategori, uid) or Decimal(0)] * ANTAL_MANADER for rid, r in rader.items()},
        ram_tkr=[utf.ersattningsram.belopp_tkr if utf.ersattningsram else Decimal(0)] * ANTAL_MANADER,
        niva_tkr={pid: [p.niva_tkr] * ANTAL_MANADER for pid, p in (utf.avrakning.poster.items() if utf.avrakning else ())},
        delegation_kr=[utf.delegation.grans_kr if utf.delegation else Decimal(0)] * ANTAL_MANADER,
    )


def i_kraft(utf: Utforare, priser: Priser, uid: str, ar: int, beslut: Sequence[Arsbeslut]) -> Ikraft:
    """Regelboken §18: värdena som gäller varje månad efter besluten, i datumordning."""
    v = utgangslage(utf, priser, uid)
    ordning = sorted(range(len(beslut)), key=lambda i: (beslut[i].datum, i))
    for i in ordning:
        tillampa(v, utf, priser, uid, ar, beslut[i], i)
    return v


def tillampa(v: Ikraft, utf: Utforare, priser: Priser, uid: str, ar: int, b: Arsbeslut, index: int) -> None:
    """Ett besluts ändringar från dess första månad."""
    try:
        m = fran_manad(b, ar)
    except Periodfel as e:
        raise Beslutsfel(f"fran: {e}", index, falt="fran") from None
    rader = utf.volymer.rader if utf.volymer else {}
    for j, a in enumerate(b.andringar):
        def fel(text: str, falt: str | None = None, andring: int = j):
            return Beslutsfel(text, index, andring, falt)
        if a.slag == "volym":
            if a.id not in rader:
                raise fel(f"okänt rad-id {a.id!r} för {uid}", "id")
            if a.falt not in ("bas", "tillagg"):
                raise fel(f"okänt fält {a.falt!r} (bas eller tillagg)", "falt")
            serie = (v.bas if a.falt == "bas" else v.tillagg)[a.id]
            ny = a.satt if a.satt is not None else serie[m - 1] + a.andra
            if ny < 0:
                raise fel(f"{a.id}.{a.falt} blir negativt ({ny})", "andra" if a.andra is not None else "satt")
            serie[m - 1:] = [ny] * (ANTAL_MANADER - m + 1)
            v.andrat_av.setdefault(("volym", a.id, a.falt), []).append((m, index))
        elif a.slag == "pris":
            kategori, _, egen = a.pris.partition(".")
            k = priser.tillagg.get(kategori)
            if k is None:
                raise fel(f"okänd priskategori {kategori!r} (finns: {', '.join(priser.tillagg)})", "pris")
            if egen and (k.per_utforare is None or egen not in k.per_utforare):
                raise fel(f"priskategorin {kategori!r} har inget pris per utförare för {egen}", "pris")
            if egen and egen != uid:
                continue          # ett annat sjukhus pris rör inte den här utföraren
            for rid, r in rader.items():
                if r.priskategori == kategori:
                    v.pris[rid][m - 1:] = [Decimal(a.satt)] * (ANTAL_MANADER - m + 1)
                    v.andrat_av.setdefault(("pris", rid), []).append((m, index))
        elif a.slag == "ram":
            v.ram_tkr[m - 1:] = [a.ram_tkr] * (ANTAL_MANADER - m + 1)
            v.andrat_av.setdefault(("ram",), []).append((m, index))
        elif a.slag == "avrakning":
            if a.avrakning not in v.niva_tkr:
                raise fel(f"okänd post med avräkning {a.avrakning!r} (finns: {', '.join(v.niva_tkr) or 'inga'})",
                          "avrakning")
            v.niva_tkr[a.avrakning][m - 1:] = [a.niva_tkr] * (ANTAL_MANADER - m + 1)
            v.andrat_av.setdefault(("avrakning", a.avrakning), []).append((m, index))
        else:
            v.delegation_kr[m - 1:] = [a.delegation_kr] * (ANTAL_MANADER - m + 1)
            v.andrat_av.setdefault(("delegation",), []).append((m, index))


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


def forandring_vid_full_leverans(utf: Utforare, priser: Priser, uid: str, fore: Ikraft, efter: Ikraft) -> Decimal:
    """Förändringen i tilläggsersättning vid full leverans (planen för året) mellan två lägen, med §4:s
    funktion på raderna som ändrats."""
    from vgr_ersattning.kalkyl.plan import profil_for
    from vgr_ersattning.kalkyl.tillagg import berakna_rad, prisets_sokvag

    summa = Decimal(0)
    for rid, rad in utf.volymer.rader.items():
        if (fore.bas[rid], fore.tillagg[rid], fore.pris[rid]) == (efter.bas[rid], efter.tillagg[rid], efter.pris[rid]):
            continue
        sokvag = prisets_sokvag(priser, rad.priskategori, uid) or ()
        profil = profil_for(utf.volymer, rid)
        for lage, tecken in ((efter, 1), (fore, -1)):
            r = berakna_rad(rid, rad, lage.pris[rid][11], sokvag, profil, None, True, 12,
                            daterat=(lage.bas[rid], lage.tillagg[rid], lage.pris[rid]))
            summa += tecken * r.belopp_kr
    return summa


def granska(utf: Utforare, priser: Priser, uid: str, ar: int, beslut: Sequence[Arsbeslut]) -> list[Beslutsfel]:
    """Regelboken §18: varje beslut inom giltigheten och tillämpbart; ett delegationsbeslut vars
    förändring vid full leverans överstiger delegationsgränsen som gäller vägras (det kräver nämnden, §11)."""
    fel: list[Beslutsfel] = []
    lage = utgangslage(utf, priser, uid)
    for i in sorted(range(len(beslut)), key=lambda i: (beslut[i].datum, i)):
        b = beslut[i]
        try:
            inom_giltighet(b, utf, ar, i)
            import copy

            efter = copy.deepcopy(lage)
            tillampa(efter, utf, priser, uid, ar, b, i)
        except Beslutsfel as e:
            fel.append(e)
            continue
        if ar_delegation(b.organ) and utf.volymer is not None:
            m = fran_manad(b, ar)
            grans = lage.delegation_kr[m - 1]
            delta = forandring_vid_full_leverans(utf, priser, uid, lage, efter)
            if abs(delta) > grans:
                from vgr_ersattning.pengar import svensk

                fel.append(Beslutsfel(
                    f"förändringen vid full leverans är {svensk(delta)} kr, över delegationsgränsen "
                    f"{svensk(grans)} kr: beslutet kräver nämnden (organ), inte delegation", i, falt="organ"))
                continue
        lage = efter
    return fel
