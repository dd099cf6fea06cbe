"""Regelboken §18 – värdena som gäller varje månad (som OpenFiscas parametrar).

Steget efter inläsningen: uppdraget och priserna, och besluten under året i datumordning, blir för
varje månad de värden som gäller – varje rads uppdrag, bas och tillägg, varje pris, årets ram och den
fasta andelen, varje avräkningsnivå, delegationsgränsen och varje indikators målvärde. Varje värde bär
sin källa: nyckelvägen i uppdrags- eller prisfilen, eller beslutet som satte det, med värdet före. Ett
år utan beslut är tolv lika värden. Ett beslut gäller från sin första månad (`fran`); månaderna före
behåller det som gällde, och `andra` ändrar värdet som gällde den första månaden.

Reglerna läser värdena för en månad (`Serie.varden[m - 1]`); där ett värde inte har någon månad (årets
plan, ett målvärde för ett tertial) säger regeln vilken månad den läser.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Mapping, NamedTuple, Optional, Sequence

from vgr_ersattning.kalkyl.period import ANTAL_MANADER, MANAD, Periodfel, tolka
from vgr_ersattning.kalkyl.resultat import BESLUT, PRISER, UPPDRAG, Kalla
from vgr_ersattning.modell import Priser, Utforare, Volymer
from vgr_ersattning.pengar import HUNDRA

if TYPE_CHECKING:       # besluten läses bara när de ges: modellen importeras inte vid uppstarten
    from vgr_ersattning.modell_indata import Arsbeslut

NOLL = Decimal(0)


class Varde(NamedTuple):
    """Ett värde som gäller från månaden `fran`: källan (None: regelbokens standard) och, när ett beslut
    satte det, värdet före (`fore`); namnet och enheten det visas med i en förklaring."""

    varde: Any
    kalla: Optional[Kalla] = None
    fran: int = 1
    fore: Optional["Varde"] = None
    namn: str = ""
    enhet: str = ""


def _beslutat(fore: Varde, varde: Any, kalla: Kalla, fran: int) -> Varde:
    """Värdet ett beslut sätter från månaden `fran`, med värdet före och samma namn och enhet."""
    return Varde(varde, kalla, fran, fore, fore.namn, fore.enhet)


class Serie(NamedTuple):
    """Ett värde per månad (`varden`, tolv, januari först) och månaderna (2–12) då värdet byts."""

    varden: tuple[Varde, ...]
    byten: tuple[int, ...] = ()

    def i(self, manad: int) -> Varde:
        return self.varden[manad - 1]

    @property
    def manader(self) -> tuple[Any, ...]:
        """De tolv värdena."""
        return tuple(v.varde for v in self.varden)

    @property
    def beslutade(self) -> tuple[Varde, ...]:
        """Värdena som ett beslut satt, i månadsordning (vart och ett en gång)."""
        ut: list[Varde] = []
        for v in self.varden:
            if v.kalla is not None and v.kalla.dokument == BESLUT and (not ut or ut[-1] is not v):
                ut.append(v)
        return tuple(ut)


def konstant(v: Varde) -> Serie:
    """Samma värde alla tolv månader."""
    return Serie((v,) * ANTAL_MANADER)


def serie(varden: Sequence[Any], kalla: Optional[Kalla] = None, namn: str = "", enhet: str = "") -> Serie:
    """En serie ur tolv tal (tester och exempel): ett nytt `Varde` där talet byts."""
    ut: list[Varde] = []
    for m, x in enumerate(varden, start=1):
        ut.append(ut[-1] if ut and ut[-1].varde == x else Varde(x, kalla, m, ut[-1] if ut else None, namn, enhet))
    return _med_byten(tuple(ut))


def _med_byten(varden: tuple[Varde, ...]) -> Serie:
    return Serie(varden, tuple(m for m in range(2, len(varden) + 1) if varden[m - 1].varde != varden[m - 2].varde))


def fran_och_med(s: Serie, manad: int, v: Varde) -> Serie:
    """Serien med värdet `v` från `manad` till december."""
    return _med_byten(s.varden[:manad - 1] + (v,) * (ANTAL_MANADER - manad + 1))


class Radvarden(NamedTuple):
    """En rads värden per månad. `pris_sokvag` är var radens pris står i prisfilen (uppdragets, före besluten)."""

    id: str
    namn: str
    priskategori: str
    antagande: Optional[str]
    uppdrag: Serie
    bas: Serie
    tillagg: Serie
    pris: Serie
    pris_sokvag: tuple = ()


class SaknatPris(ValueError):
    """En rads priskategori har inget pris för utföraren."""

    def __init__(self, rad_id: str, kategori: str, utforare: str):
        super().__init__(f"{rad_id}: priskategorin {kategori!r} har inget pris för {utforare}")
        self.rad_id, self.kategori, self.utforare = rad_id, kategori, utforare


@dataclass(frozen=True)
class Parametrar:
    """En utförares värden per månad. `volymer` är tabellens form (namn, grupper, profiler), som inga
    beslut ändrar; `saknade_priser` är rader vars kategori inget pris har för utföraren."""

    utforare: str
    ar: int = 0
    volymer: Optional[Volymer] = None
    rader: dict[str, Radvarden] = field(default_factory=dict)
    ram_tkr: Optional[Serie] = None
    fast_andel_procent: Varde = Varde(HUNDRA)
    niva_tkr: dict[str, Serie] = field(default_factory=dict)
    delegation_kr: Optional[Serie] = None
    malvarde: dict[str, Serie] = field(default_factory=dict)
    saknade_priser: tuple[SaknatPris, ...] = ()

    def kraver_priser(self) -> None:
        """§4 räknar inte med en rad utan pris: `SaknatPris` för den första."""
        if self.saknade_priser:
            raise self.saknade_priser[0]

    def serier(self):
        """Varje serie med en nyckel: `("uppdrag"|"bas"|"tillagg"|"pris", rad)`, `("ram",)`,
        `("avrakning", post)`, `("delegation",)`, `("malvarde", indikator)`."""
        for rid, r in self.rader.items():
            yield ("uppdrag", rid), r.uppdrag
            yield ("bas", rid), r.bas
            yield ("tillagg", rid), r.tillagg
            yield ("pris", rid), r.pris
        if self.ram_tkr is not None:
            yield ("ram",), self.ram_tkr
        for pid, s in self.niva_tkr.items():
            yield ("avrakning", pid), s
        if self.delegation_kr is not None:
            yield ("delegation",), self.delegation_kr
        for iid, s in self.malvarde.items():
            yield ("malvarde", iid), s

    @property
    def har_beslut(self) -> bool:
        return any(s.beslutade for _, s in self.serier())

    @property
    def pris_beslutat(self) -> bool:
        return any(r.pris.beslutade for r in self.rader.values())


# --- uppdraget som värden per månad ------------------------------------------------------------------


def _uppdrag(uid: str, *vag: Any) -> Kalla:
    return Kalla(UPPDRAG, ("utforare", uid) + vag)


def prisets_sokvag(priser: Priser, kategori: str, utforare: str) -> Optional[tuple]:
    """Var i prisfilen priset för kategorin hos utföraren står, eller None om det saknas."""
    k = priser.tillagg.get(kategori)
    if k is None:
        return None
    if k.pris_kr is not None:
        return ("tillagg", kategori, "pris_kr")
    if (k.per_utforare or {}).get(utforare) is None:
        return None
    return ("tillagg", kategori, "per_utforare", utforare)


def pris_for(priser: Priser, kategori: str, utforare: str) -> Optional[Decimal]:
    """Priset i kronor för en priskategori hos en utförare, eller None om det saknas."""
    k = priser.tillagg.get(kategori)
    if k is None:
        return None
    if k.pris_kr is not None:
        return k.pris_kr
    return (k.per_utforare or {}).get(utforare)


def radernas_varden(volymer: Volymer, priser: Priser, uid: str) -> tuple[dict[str, Radvarden], tuple[SaknatPris, ...]]:
    """Volymtabellens rader med uppdragets och prisfilens värden, samma alla månader."""
    rader, saknade = {}, []
    for rid, r in volymer.rader.items():
        v = ("volymer", "rader", rid)
        sokvag = prisets_sokvag(priser, r.priskategori, uid)
        prisnamn = f"Pris ({r.priskategori})"
        if sokvag is None:
            saknade.append(SaknatPris(rid, r.priskategori, uid))
            pris = Varde(NOLL, namn=prisnamn, enhet="kr")
        else:
            pris = Varde(pris_for(priser, r.priskategori, uid), Kalla(PRISER, sokvag), namn=prisnamn, enhet="kr")
        rader[rid] = Radvarden(
            rid, r.namn, r.priskategori, r.antagande,
            konstant(Varde(r.uppdrag, _uppdrag(uid, *v, "uppdrag"), namn="Uppdrag", enhet="antal")),
            konstant(Varde(r.bas, _uppdrag(uid, *v, "bas"), namn="Basvolym", enhet="antal")),
            konstant(Varde(r.tillagg, _uppdrag(uid, *v, "tillagg"), namn="Tilläggsvolym", enhet="antal")),
            konstant(pris), sokvag or ())
    return rader, tuple(saknade)


def for_tabell(volymer: Volymer, priser: Priser, uid: str, ar: int = 0) -> Parametrar:
    """Bara volymtabellens värden (för §4 och §11 med en tabell utan resten av uppdraget)."""
    rader, saknade = radernas_varden(volymer, priser, uid)
    return Parametrar(uid, ar, volymer, rader, saknade_priser=saknade)


RAM, ANDEL, DELEGATION = "Ersättningsram", "Fast andel", "Delegationsgräns"


def utgangslage(utf: Utforare, priser: Priser, uid: str, ar: int = 0) -> Parametrar:
    """Värdena före besluten: uppdraget och priserna, samma varje månad."""
    rader, saknade = radernas_varden(utf.volymer, priser, uid) if utf.volymer else ({}, ())
    ram = utf.ersattningsram
    andel = utf.anslag
    avr = utf.avrakning.poster.items() if utf.avrakning else ()
    ind = utf.indikatorer.lista.items() if utf.indikatorer else ()
    return Parametrar(
        uid, ar, utf.volymer, rader,
        konstant(Varde(ram.belopp_tkr, _uppdrag(uid, "ersattningsram", "belopp_tkr"), namn=RAM, enhet="tkr"))
        if ram else None,
        Varde(andel.fast_andel_procent, _uppdrag(uid, "anslag", "fast_andel_procent"), namn=ANDEL, enhet="procent")
        if andel else Varde(HUNDRA, namn=ANDEL, enhet="procent"),
        {pid: konstant(Varde(p.niva_tkr, _uppdrag(uid, "avrakning", "poster", pid, "niva_tkr"), namn=f"Nivå ({p.namn})",
                             enhet="tkr")) for pid, p in avr},
        konstant(Varde(utf.delegation.grans_kr, _uppdrag(uid, "delegation", "grans_kr"), namn=DELEGATION, enhet="kr"))
        if utf.delegation else None,
        {iid: konstant(Varde(i.malvarde, _uppdrag(uid, "indikatorer", "lista", iid, "malvarde"), namn="Målvärde",
                             enhet=i.enhet or "")) for iid, i in ind},
        saknade)


# --- besluten ------------------------------------------------------------------------------------------


class Beslutsfel(ValueError):
    """Ett beslut som inte går att tillämpa. `beslut` och `andring` är index (för positionen)."""

    def __init__(self, meddelande: str, beslut: int, andring: int | None = None, falt: str | None = None):
        super().__init__(meddelande)
        self.beslut, self.andring, self.falt = beslut, andring, falt


def fran_manad(b: Arsbeslut, ar: int) -> int:
    return tolka(b.fran, slag=(MANAD,), ar=ar).nummer


def i_kraft(utf: Utforare, priser: Priser, uid: str, ar: int, beslut: Sequence[Arsbeslut] = ()) -> Parametrar:
    """Regelboken §18: värdena som gäller varje månad efter besluten, i datumordning."""
    p = utgangslage(utf, priser, uid, ar)
    for i in sorted(range(len(beslut)), key=lambda i: (beslut[i].datum, i)):
        p = tillampa(p, utf, priser, uid, ar, beslut[i], i)
    return p


_MALTYPER = ("minst", "hogst", "exakt", "ja_nej")


def tillampa(p: Parametrar, utf: Utforare, priser: Priser, uid: str, ar: int, b: Arsbeslut, index: int) -> Parametrar:
    """Ett besluts ändringar från dess första månad: värdena efter beslutet (`p` ändras inte)."""
    try:
        m = fran_manad(b, ar)
    except Periodfel as e:
        raise Beslutsfel(f"fran: {e}", index, falt="fran") from None
    rader, niva, malvarde = dict(p.rader), dict(p.niva_tkr), dict(p.malvarde)
    ram, delegation = p.ram_tkr, p.delegation_kr
    for j, a in enumerate(b.andringar):
        def fel(text: str, falt: str | None = None, andring: int = j) -> Beslutsfel:
            return Beslutsfel(text, index, andring, falt)

        def kalla(falt: str, andring: int = j) -> Kalla:
            return Kalla(BESLUT, (uid, index, "andringar", andring, falt))

        if a.slag == "volym":
            if a.id not in rader:
                raise fel(f"okänt rad-id {a.id!r} för {uid}", "id")
            if a.falt not in ("bas", "tillagg"):
                raise fel(f"okänt fält {a.falt!r} (bas eller tillagg)", "falt")
            r = rader[a.id]
            gammal = getattr(r, a.falt).i(m)
            ny = a.satt if a.satt is not None else gammal.varde + a.andra
            if ny < 0:
                raise fel(f"{a.id}.{a.falt} blir negativt ({ny})", "andra" if a.andra is not None else "satt")
            k = kalla("satt" if a.satt is not None else "andra")
            upp = r.uppdrag.i(m)
            rader[a.id] = r._replace(**{
                a.falt: fran_och_med(getattr(r, a.falt), m, _beslutat(gammal, ny, k, m)),
                "uppdrag": fran_och_med(r.uppdrag, m, _beslutat(upp, upp.varde + ny - gammal.varde, k, m))})
        elif a.slag == "pris":
            kategori, _, egen = a.pris.partition(".")
            kat = priser.tillagg.get(kategori)
            if kat is None:
                raise fel(f"okänd priskategori {kategori!r} (finns: {', '.join(priser.tillagg)})", "pris")
            if egen and (kat.per_utforare is None or egen not in kat.per_utforare):
                raise fel(f"priskategorin {kategori!r} har inget pris per utförare för {egen}", "pris")
            if egen and egen != uid:
                continue          # ett annat sjukhus pris rör inte den här utföraren
            for rid, r in rader.items():
                if r.priskategori == kategori:
                    rader[rid] = r._replace(pris=fran_och_med(r.pris, m, _beslutat(r.pris.i(m), Decimal(a.satt),
                                                                                   kalla("satt"), m)))
        elif a.slag == "ram":
            fore = ram.i(m) if ram is not None else Varde(NOLL, namn=RAM, enhet="tkr")
            ram = fran_och_med(ram or konstant(fore), m, _beslutat(fore, a.ram_tkr, kalla("ram_tkr"), m))
        elif a.slag == "avrakning":
            if a.avrakning not in niva:
                raise fel(f"okänd post med avräkning {a.avrakning!r} (finns: {', '.join(niva) or 'inga'})",
                          "avrakning")
            s = niva[a.avrakning]
            niva[a.avrakning] = fran_och_med(s, m, _beslutat(s.i(m), a.niva_tkr, kalla("niva_tkr"), m))
        elif a.slag == "malvarde":
            malvarde[a.indikator] = _malvarde(utf, uid, a, m, malvarde, fel, kalla("malvarde"))
        else:
            fore = delegation.i(m) if delegation is not None else Varde(NOLL, namn=DELEGATION, enhet="kr")
            delegation = fran_och_med(delegation or konstant(fore), m,
                                      _beslutat(fore, a.delegation_kr, kalla("delegation_kr"), m))
    return replace(p, rader=rader, ram_tkr=ram, niva_tkr=niva, delegation_kr=delegation, malvarde=malvarde)


def _malvarde(utf: Utforare, uid: str, a, m: int, malvarde: Mapping[str, Serie], fel, k: Kalla) -> Serie:
    """Regelboken §10 och §18: ett nytt målvärde för en indikator från månaden, av det slag indikatorn har
    (ett tal för minst, högst och exakt; Ja eller Nej för ja_nej)."""
    lista = utf.indikatorer.lista if utf.indikatorer else {}
    ind = lista.get(a.indikator)
    if ind is None:
        raise fel(f"okänd indikator {a.indikator!r} för {uid}", "indikator")
    if ind.typ not in _MALTYPER:
        raise fel(f"indikatorn {a.indikator} är av typen {ind.typ}, som inget målvärde har", "malvarde")
    if ind.typ == "ja_nej" and a.malvarde not in ("Ja", "Nej"):
        raise fel("en indikator av typen ja_nej har målvärdet Ja eller Nej", "malvarde")
    if ind.typ != "ja_nej" and not isinstance(a.malvarde, Decimal):
        raise fel(f"en indikator av typen {ind.typ} har ett tal som målvärde", "malvarde")
    s = malvarde[a.indikator]
    return fran_och_med(s, m, _beslutat(s.i(m), a.malvarde, k, m))
