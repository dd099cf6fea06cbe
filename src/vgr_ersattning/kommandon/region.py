"""Regionens vy (`-u alla`): kommandot körs för varje utförare vars uppdrag har data för det, var och
en med sin egen priskolumn och sina egna siffror, och summorna räknas här, på ett ställe.

`berakna`, `prognos` och `utbetala` (förhandsvisningen, utan journal: en journal gäller en utförare)
har regionens vy; för andra kommandon vägras `-u alla` med en rad (slutkod 2) som namnger kommandona
som har den."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Callable, NamedTuple, Optional

from vgr_ersattning.inlasning.fel import Anvandningsfel, Fel, Inlasningsfel
from vgr_ersattning.kommandon.berakning import BARA_1177, UTBETALNINGENS_KRAV, bara_1177, berakna, prognos
from vgr_ersattning.kommandon.gemensamt import Korning, Sammanhang, manad, med_data
from vgr_ersattning.kommandon.utbetalning import bygg_utbetala

# Kommandona med regionens vy. Resultatet säger att det är regionens (`regionens_vy`): skrivarna
# visar det under kommandots namn med regionens byggare (`rapport/region.py`).
REGIONENS_KOMMANDON = ("berakna", "prognos", "utbetala")


class Utforarresultat(NamedTuple):
    """En utförares körning i regionens vy."""

    id: str
    korning: Korning


class Regionresultat(NamedTuple):
    """Regionens vy av `berakna`: varje utförares körning och summorna över dem (kr). `avrakning_kr`
    är None när ingen utförare har avräkning i uttaget."""

    regionens_vy = True

    ar: int
    utforare: tuple[Utforarresultat, ...]
    tillagg_kr: Decimal
    anslag_kr: Decimal
    avrakning_kr: Decimal | None
    summa_kr: Decimal
    utan_produktion: tuple[str, ...] = ()


class Regionprognos(NamedTuple):
    """Regionens vy av `prognos`: varje utförares prognos och summan av årets prognos för
    tilläggsersättningen (kr)."""

    regionens_vy = True

    ar: int
    utforare: tuple[Utforarresultat, ...]
    tillagg_kr: Decimal
    utan_produktion: tuple[str, ...] = ()


class Regionutbetalning(NamedTuple):
    """Regionens vy av `utbetala`: varje utförares förhandsvisning av månaden och summorna (kr). En
    summa per slag (anslag, tillägg, avräkning, 1177-kvartalen) är summan över utförarna som har
    slaget, None när ingen har det; slagen summerar till `summa_kr` per utförare och för regionen."""

    regionens_vy = True

    ar: int
    manad: int
    utforare: tuple[Utforarresultat, ...]
    anslag_kr: Optional[Decimal]
    tillagg_kr: Optional[Decimal]
    avrakning_kr: Optional[Decimal]
    efterreglering_kr: Decimal
    summa_kr: Decimal
    utan_produktion: tuple[str, ...] = ()
    malrelaterad_kr: Optional[Decimal] = None


def kontrollera(kommando: str, journal=None) -> None:
    """Vägra `-u alla` för ett kommando utan regionens vy, och med en journal, innan något läses."""
    if kommando not in REGIONENS_KOMMANDON:
        raise Anvandningsfel(f"-u alla (regionens vy) finns för {', '.join(REGIONENS_KOMMANDON)}, inte för "
                             f"{kommando}; ange en utförare med --utforare/-u")
    if journal is not None:
        raise Anvandningsfel(f"{kommando} -u alla: en journal gäller en utförare och ett år; regionens vy "
                             "förhandsvisar utan --journal (bokför med -u ID och utförarens journal)")


def byggsteg(kommando: str) -> Callable[[Sammanhang], Korning]:
    """Kommandots byggsteg för regionens vy."""
    kontrollera(kommando)
    return {"berakna": bygg_berakna_region, "prognos": bygg_prognos_region,
            "utbetala": bygg_utbetala_region}[kommando]


def utforare_med_data(data, utfall, till_och_med, *krav: str) -> tuple[list[str], list[str]]:
    """Utförarna vars uppdrag har det kommandot kräver; med ett utfall och utan --till-och-med bara de
    som har produktion i det. Ger (med, utan produktion)."""
    finns = data.med_data(*krav)
    if utfall is None or till_och_med is not None:
        return finns, []
    return [u for u in finns if u in utfall.produktion], [u for u in finns if u not in utfall.produktion]


def _utan_produktion(utan: list[str]) -> list[str]:
    return [f"-u alla: {uid} har data i uppdraget men ingen produktion i utfallet och är inte med "
            "(ange --till-och-med för att räkna den ändå)" for uid in utan]


def _ingen(med: list[str], utan: list[str], vad: str = "produktion") -> None:
    if not med:
        raise Anvandningsfel(f"-u alla: ingen utförare har både data i uppdraget och {vad} i utfallet "
                             f"(utförare med data för kommandot: {', '.join(utan) or 'inga'})")


def beslut_for(beslut, uid: str):
    """Beslutsfilerna för utföraren (en beslutsfil gäller en utförare), None när den inte har någon."""
    if beslut is None or not any(u == uid for u, _ in beslut.filer):
        return None
    return replace(beslut, filer=[(u, pos) for u, pos in beslut.filer if u == uid])


def _beslut_utan_utforare(beslut, med: list[str]) -> None:
    """En beslutsfil för en utförare som inte är med i regionens vy vägras (den skulle tyst inte gälla)."""
    fel = [Fel(pos.plats(("utforare",)), "utforare", f"beslutsfilen gäller {u}, som inte är med i regionens vy "
               f"({', '.join(med)})") for u, pos in (beslut.filer if beslut is not None else ()) if u not in med]
    if fel:
        raise Inlasningsfel(fel)


def _varningar(korningar) -> list:
    varningar: list = []
    for k in korningar:
        varningar += [v for v in k.korning.varningar if v not in varningar]
    return varningar


def berakna_region(data, utfall=None, till_och_med=None, beslut=None) -> Korning:
    """`berakna` för varje utförare med data, och regionens summor."""
    manad(till_och_med, data.ar)
    med, utan = utforare_med_data(data, utfall, till_och_med, "volymer", "ersattningsram")
    _ingen(med, utan)
    _beslut_utan_utforare(beslut, med)
    korningar = tuple(Utforarresultat(uid, berakna(data, uid, utfall, till_och_med, beslut_for(beslut, uid)))
                      for uid in med)
    resultat = [k.korning.resultat for k in korningar]
    avrakningar = [b.utbetalning.avrakning_kr for b in resultat if b.avrakning is not None]
    region = Regionresultat(
        ar=data.ar,
        utforare=korningar,
        tillagg_kr=sum((b.tillagg.summa_kr for b in resultat), Decimal(0)),
        anslag_kr=sum((b.anslag.utbetalt_kr for b in resultat), Decimal(0)),
        avrakning_kr=sum(avrakningar, Decimal(0)) if avrakningar else None,
        summa_kr=sum((b.summa_kr for b in resultat), Decimal(0)),
        utan_produktion=tuple(utan),
    )
    return Korning(region, data, utfall, _varningar(korningar), beslut, meddelanden=_utan_produktion(utan))


def bygg_berakna_region(s: Sammanhang) -> Korning:
    return berakna_region(s.underlag, s.utfall, s.val.till_och_med, s.beslut)


def prognos_region(data, utfall, till_och_med=None, beslut=None) -> Korning:
    """`prognos` för varje utförare med volymer och produktion i utfallet, och regionens summa."""
    manad(till_och_med, data.ar)
    med, utan = utforare_med_data(data, utfall, None, "volymer")
    _ingen(med, utan)
    _beslut_utan_utforare(beslut, med)
    korningar = tuple(Utforarresultat(uid, prognos(data, uid, utfall, till_och_med, beslut_for(beslut, uid)))
                      for uid in med)
    region = Regionprognos(data.ar, korningar,
                           sum((k.korning.resultat.resultat.tillagg_kr for k in korningar), Decimal(0)), tuple(utan))
    meddelanden = [f"-u alla: {uid} har volymer i uppdraget men ingen produktion i utfallet och är inte med "
                   "(en prognos bygger på utfallet hittills)" for uid in utan]
    return Korning(region, data, utfall, _varningar(korningar), beslut, meddelanden=meddelanden)


def bygg_prognos_region(s: Sammanhang) -> Korning:
    return prognos_region(s.underlag, s.utfall, s.val.till_och_med, s.beslut)


def bygg_utbetala_region(s: Sammanhang) -> Korning:
    """`utbetala` (förhandsvisningen) för varje utförare med volymer, ram och produktion, och för varje
    utförare med bara 1177 och ett 1177-resultat i utfallet (§9, antagande A10), och summorna."""
    data = s.underlag
    m = manad(s.argument["manad"], data.ar, "--manad")
    med, utan, utan_1177 = [], [], []
    for uid in med_data(data, UTBETALNINGENS_KRAV, BARA_1177):
        if bara_1177(data, uid):
            (med if s.utfall is None or uid in s.utfall.malrelaterad else utan_1177).append(uid)
        else:
            (med if s.utfall is None or uid in s.utfall.produktion else utan).append(uid)
    _ingen(med, utan + utan_1177, "produktion (eller ett 1177-resultat)")
    _beslut_utan_utforare(s.beslut, med)
    korningar = tuple(Utforarresultat(uid, bygg_utbetala(replace(s, val=s.val._replace(utforare=uid),
                                                                 beslut=beslut_for(s.beslut, uid))))
                      for uid in med)
    u = [k.korning.resultat.resultat for k in korningar]

    def summa(falt: str) -> Optional[Decimal]:
        varden = [getattr(x, falt) for x in u if getattr(x, falt) is not None]
        return sum(varden, Decimal(0)) if varden else None
    region = Regionutbetalning(data.ar, m, korningar, summa("anslag_kr"), summa("tillagg_kr"), summa("avrakning_kr"),
                               sum((x.efterreglering_kr for x in u), Decimal(0)), sum((x.summa_kr for x in u), Decimal(0)),
                               tuple(utan + utan_1177), summa("malrelaterad_kr"))
    meddelanden = _utan_produktion(utan) + [
        f"-u alla: {uid} har bara målrelaterad ersättning 1177 i uppdraget men inget 1177-resultat i utfallet och "
        "är inte med" for uid in utan_1177]
    return Korning(region, data, s.utfall, _varningar(korningar), s.beslut,
                   meddelanden=meddelanden if s.utfall is not None else [])
