"""Regelboken §15 – förklaring av en siffra (`ersattning forklara`).

Varje siffra förklaras som ett träd av noder: regeln, formeln med värdena insatta och, för varje
indata, var det kommer ifrån (`Kalla`: en nyckelväg i uppdrags- eller prisfilen, eller en post i
utfallet) och de antaganden siffran beror på. Träden byggs av resultatobjektens egna värden (de
värden regeln räknades med), inte genom en andra beräkning. Kärnan känner inga filer: inläsningen
översätter en `Kalla` till fil:rad:kolumn och dokumentets namn.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from vgr_ersattning.kalkyl.period import MANADSNAMN

# Källorna bor i resultat.py, som varje körning ändå importerar (inläsningen översätter dem); själva
# förklaringsträden importeras bara av `forklara`.
from vgr_ersattning.kalkyl.resultat import BESLUT, PRISER, UPPDRAG, UTFALL, Kalla
from vgr_ersattning.pengar import HUNDRA, svensk, tkr_till_kr


@dataclass(frozen=True)
class Nod:
    """En siffra och hur den kom till. `plats` och `dokument` fylls i av inläsningen (`los_upp`)."""

    namn: str
    varde: Any
    enhet: str = ""
    regel: str = ""
    formel: str = ""
    kalla: Kalla | None = None
    antaganden: tuple[str, ...] = ()
    delar: tuple[Nod, ...] = ()
    plats: str = ""
    dokument: str = ""

    def alla_antaganden(self) -> tuple[str, ...]:
        ider = set(self.antaganden)
        for d in self.delar:
            ider.update(d.alla_antaganden())
        return tuple(sorted(a for a in ider if a))


def los_upp(nod: Nod, upplosare: Callable[[Kalla], tuple[str, str]]) -> Nod:
    """Trädet med `plats` och `dokument` ifyllda för varje nod som har en källa."""
    delar = tuple(los_upp(d, upplosare) for d in nod.delar)
    if nod.kalla is None:
        return replace(nod, delar=delar)
    plats, dokument = upplosare(nod.kalla)
    return replace(nod, delar=delar, plats=plats, dokument=dokument)


def _s(v, dec: int = 0) -> str:
    if isinstance(v, Decimal) and v != v.to_integral_value() and dec == 0:
        return svensk(v, 2)
    return svensk(v, dec)


def _data(utf: str, *vag) -> Kalla:
    return Kalla(UPPDRAG, ("utforare", utf) + tuple(vag))


# --- §4 tilläggsersättning ---------------------------------------------------------------------


def beslut_noder(ikraft, utforare: str, *nycklar: tuple) -> tuple[Nod, ...]:
    """Besluten under året (§18) som ändrat värdena bakom en siffra, med källan till varje beslut."""
    if ikraft is None:
        return ()
    ut = []
    for nyckel in nycklar:
        for manad, index in ikraft.andrat_av.get(nyckel, ()):
            vad = " ".join(str(n) for n in nyckel)
            ut.append(Nod(f"Beslut: {vad} från {MANADSNAMN[manad - 1]}", "ändrat", "", "regelboken §18",
                          kalla=Kalla(BESLUT, (utforare, index))))
    return tuple(ut)


def rad(r, utforare: str, till_och_med: int, basmodell: str, basmodell_antagande: str | None,
        ikraft=None) -> Nod:
    """En rads tilläggsersättning hittills: belopp = ersatta × pris."""
    rv = ("volymer", "rader", r.id)
    if r.ar_plan:
        andel = r.plan / r.uppdrag * HUNDRA if r.uppdrag else Decimal(0)
        utfall = Nod(f"Planerad produktion t.o.m. {MANADSNAMN[till_och_med - 1]}", r.utfall, "antal", "regelboken §5",
                     f"uppdrag × kumulativ andel = {_s(r.uppdrag)} × {svensk(andel, 2)} % = {_s(r.utfall)}",
                     delar=(Nod("Uppdrag", r.uppdrag, "antal", kalla=_data(utforare, *rv, "uppdrag")),))
    else:
        utfall = Nod(f"Produktion hittills t.o.m. {MANADSNAMN[till_och_med - 1]}", r.utfall, "antal",
                     kalla=Kalla(UTFALL, ("produktion", utforare, r.id)))
    bas = Nod("Basvolym", r.bas, "antal", kalla=_data(utforare, *rv, "bas"))
    if r.bas_hittills != r.bas:
        bas = Nod("Bas hittills (periodiserad)", r.bas_hittills, "antal", "regelboken §4",
                  f"basvolym × kumulativ profilandel = {_s(r.bas_hittills)}", delar=(bas,))
    ersatta = Nod("Ersatta enheter", r.ersatta, "antal", "regelboken §4",
                  f"ersatta = min(max({_s(r.utfall)} − {_s(r.bas_hittills)}, 0), {_s(r.tillagg)}) = {_s(r.ersatta)}",
                  antaganden=(basmodell_antagande,) if basmodell_antagande else (),
                  delar=(utfall, bas, Nod("Tilläggsvolym", r.tillagg, "antal", kalla=_data(utforare, *rv, "tillagg"))))
    pris = Nod(f"Pris ({r.priskategori})", r.pris_kr, "kr", kalla=Kalla(PRISER, r.pris_sokvag),
               antaganden=(r.antagande,) if r.antagande else ())
    beslut = beslut_noder(ikraft, utforare, ("volym", r.id, "bas"), ("volym", r.id, "tillagg"), ("pris", r.id))
    if beslut:
        return Nod(f"Tilläggsersättning {r.namn} ({r.id})", r.belopp_kr, "kr", "regelboken §4, §18",
                   "belopp hittills = Σ månad för månad (ersatta(t) − ersatta(t−1)) × priset i månad t, med bas, "
                   f"tillägg och pris som gäller varje månad efter besluten; t.o.m. {MANADSNAMN[till_och_med - 1]}: "
                   f"{_s(r.ersatta)} ersatta, senaste pris {_s(r.pris_kr)} kr",
                   kalla=_data(utforare, *rv), delar=(ersatta, pris) + beslut)
    return Nod(f"Tilläggsersättning {r.namn} ({r.id})", r.belopp_kr, "kr", "regelboken §4",
               f"belopp = ersatta × pris = {_s(r.ersatta)} × {_s(r.pris_kr)} kr = {_s(r.belopp_kr)} kr",
               kalla=_data(utforare, *rv), delar=(ersatta, pris))


def tillagg(res) -> Nod:
    """Tilläggsersättningen hittills: summan av radernas belopp."""
    med = [r for r in res.rader if r.belopp_kr]
    delar = tuple(rad(r, res.utforare, res.till_och_med, res.basmodell, res.basmodell_antagande) for r in med)
    termer = " + ".join(_s(r.belopp_kr) for r in med) or "0"
    return Nod(f"Tilläggsersättning t.o.m. {MANADSNAMN[res.till_och_med - 1]}" + (" (plan)" if res.ar_plan else ""),
               res.summa_kr, "kr", "regelboken §4",
               f"Σ radernas belopp = {termer} = {_s(res.summa_kr)} kr ({len(res.rader) - len(med)} rader med 0 kr)",
               kalla=_data(res.utforare, "volymer"), delar=delar)


def tillagg_manad(res, manad: int) -> Nod:
    """Månadens tillägg: beloppet hittills t.o.m. månaden − t.o.m. månaden före, rad för rad."""
    delar = []
    for r in res.rader:
        nu = r.kumulativt_kr[manad - 1]
        fore = r.kumulativt_kr[manad - 2] if manad > 1 else Decimal(0)
        if nu != fore:
            delar.append(Nod(f"{r.namn} ({r.id})", nu - fore, "kr", "regelboken §4",
                             f"belopp hittills {_s(nu)} − föregående månad {_s(fore)} = {_s(nu - fore)} kr",
                             kalla=_data(res.utforare, "volymer", "rader", r.id)))
    return Nod(f"Tillägg {MANADSNAMN[manad - 1]}", res.manader[manad - 1], "kr", "regelboken §4",
               "belopp hittills t.o.m. månaden − belopp hittills t.o.m. månaden före, summerat över raderna"
               + (" (negativt: en kreditering)" if res.manader[manad - 1] < 0 else ""),
               antaganden=(res.basmodell_antagande,) if res.basmodell_antagande else (), delar=tuple(delar))


# --- §6 anslag ---------------------------------------------------------------------------------


def anslag_manad(a, utforare: str, manad: int, ikraft=None) -> Nod:
    ram = Nod("Ersättningsram", a.ram_tkr, "tkr", kalla=_data(utforare, "ersattningsram", "belopp_tkr"))
    andel = Nod("Fast andel", a.fast_andel_procent, "procent", kalla=_data(utforare, "anslag", "fast_andel_procent"))
    ar_kr = a.arsbelopp_kr
    if ikraft is not None and ikraft.ram_ar_daterad():
        formel = ("ramen ändrad under året (§18): till den första ändrade månaden ram/12; därefter "
                  "avrunda half up((ramen som gäller − betalt före månaden) / månader kvar), december resten")
    elif manad < 12:
        formel = (f"avrunda half up(ram × fast andel / 12) = avrunda({_s(tkr_till_kr(a.ram_tkr))} kr × "
                  f"{_s(a.fast_andel_procent)} % / 12) = {_s(a.manader[manad - 1])} kr")
    else:
        formel = (f"årsbelopp − januari–november = {_s(ar_kr)} − 11 × {_s(a.manader[0])} = {_s(a.manader[11])} kr "
                  "(december tar resten, så de tolv månaderna summerar exakt till ramen)")
    return Nod(f"Anslag {MANADSNAMN[manad - 1]}", a.manader[manad - 1], "kr", "regelboken §6", formel,
               delar=(ram, andel) + beslut_noder(ikraft, utforare, ("ram",)))


def anslag(a, utforare: str, ikraft=None) -> Nod:
    delar = tuple(anslag_manad(a, utforare, m, ikraft) for m in range(1, a.till_och_med + 1))
    return Nod(f"Anslag utbetalt t.o.m. {MANADSNAMN[a.till_och_med - 1]}", a.utbetalt_kr, "kr", "regelboken §6",
               f"Σ månadernas anslag = {_s(a.utbetalt_kr)} kr", delar=delar)


# --- §7 avräkning ------------------------------------------------------------------------------


def avrakning(post, tillfalle, foregaende, utforare: str, antagande: str | None) -> Nod:
    m = tillfalle.manad
    niva = Nod("Nivå", post.niva_tkr, "tkr", kalla=_data(utforare, "avrakning", "poster", post.id, "niva_tkr"))
    utfall = Nod(f"Utfall hittills t.o.m. {MANADSNAMN[m - 1]}", tillfalle.utfall_tkr, "tkr",
                 kalla=Kalla(UTFALL, ("avrakning", utforare, post.id)))
    tak_formel = (f"nivå = {_s(post.niva_tkr)}" if tillfalle.tak_tkr == post.niva_tkr else
                  f"nivå × {m}/12 = {_s(post.niva_tkr)} × {m}/12 = {_s(tillfalle.tak_tkr, 3)}")
    tak = Nod("Tak", tillfalle.tak_tkr, "tkr", "regelboken §7", tak_formel,
              antaganden=(antagande,) if antagande else (), kalla=_data(utforare, "avrakning", "tak_fore_december"))
    betalt = Nod("Utbetalt hittills", tillfalle.utbetalt_tkr, "tkr", "regelboken §7",
                 f"nivå × {m}/12 = {_s(tillfalle.utbetalt_tkr, 3)}")
    reglerat = Nod("Reglerat hittills", tillfalle.reglerat_hittills_tkr, "tkr", "regelboken §7",
                   f"min(utfall, tak) − utbetalt = min({_s(tillfalle.utfall_tkr, 3)}, {_s(tillfalle.tak_tkr, 3)}) − "
                   f"{_s(tillfalle.utbetalt_tkr, 3)} = {_s(tillfalle.reglerat_hittills_tkr, 3)}",
                   delar=(utfall, tak, betalt, niva))
    fore = foregaende.reglerat_hittills_tkr if foregaende is not None else Decimal(0)
    return Nod(f"Avräkning {post.namn}, {MANADSNAMN[m - 1]}", tillfalle.reglering_tkr, "tkr", "regelboken §7",
               f"reglerat hittills − vid föregående tillfälle = {_s(tillfalle.reglerat_hittills_tkr, 3)} − "
               f"{_s(fore, 3)} = {_s(tillfalle.reglering_tkr, 3)} tkr", delar=(reglerat,))


def avrakning_manad(res, utforare: str, manad: int) -> Nod | None:
    delar = []
    for p in res.poster:
        fore = None
        for t in p.tillfallen:
            if t.manad == manad:
                delar.append(avrakning(p, t, fore, utforare, res.antagande))
            fore = t
    if not delar:
        return None
    summa = sum((d.varde for d in delar), Decimal(0))
    return Nod(f"Avräkning {MANADSNAMN[manad - 1]}", tkr_till_kr(summa), "kr", "regelboken §7",
               f"Σ postningarna = {_s(summa, 3)} tkr = {_s(tkr_till_kr(summa))} kr", delar=tuple(delar))


# --- utbetalning och summa -----------------------------------------------------------------------


def utbetalning_manad(b, manad: int) -> Nod:
    """En månads utbetalning i `berakna`: anslag + tillägg + avräkningens postning."""
    mu = b.utbetalning.manader[manad - 1]
    delar = [anslag_manad(b.anslag, b.utforare, manad, b.ikraft), tillagg_manad(b.tillagg, manad)]
    avr = avrakning_manad(b.avrakning, b.utforare, manad) if b.avrakning is not None else None
    if avr is not None:
        delar.append(avr)
    termer = " + ".join(_s(d.varde) for d in delar)
    return Nod(f"Utbetalning {MANADSNAMN[manad - 1]} {b.ar}", mu.summa_kr, "kr", "regelboken §4, §6, §7",
               "anslag + tillägg" + (" + avräkning" if avr is not None else "") + f" = {termer} = {_s(mu.summa_kr)} kr",
               delar=tuple(delar))


def summa(b) -> Nod:
    delar = [anslag(b.anslag, b.utforare, b.ikraft), tillagg(b.tillagg)]
    if b.avrakning is not None:
        manader = sorted({t.manad for p in b.avrakning.poster for t in p.tillfallen})
        avr = [n for m in manader if (n := avrakning_manad(b.avrakning, b.utforare, m)) is not None]
        delar.append(Nod("Avräkning hittills", b.utbetalning.avrakning_kr, "kr", "regelboken §7",
                         "Σ postningarna vid avräkningstillfällena", delar=tuple(avr)))
    termer = " + ".join(_s(d.varde) for d in delar)
    return Nod(f"Summa utbetalt t.o.m. {MANADSNAMN[b.tillagg.till_och_med - 1]} {b.ar}", b.summa_kr, "kr",
               "regelboken §4, §6, §7", "anslag + tillägg" + (" + avräkning" if b.avrakning else "")
               + f" = {termer} = {_s(b.summa_kr)} kr", delar=tuple(delar))


# --- §8 budgetbryggan --------------------------------------------------------------------------


def brygga(r, b, utforare: str) -> Nod:
    bv = ("brygga",)
    upp = Nod("Uppräkning", r.upprakning_tryckt_tkr, "tkr", "regelboken §8",
              f"föregående ram × index = {_s(r.fran_tkr)} × {svensk(r.index_procent, 1)} % = "
              f"{svensk(r.upprakning_tkr, 3)} tkr, tryckt {_s(r.upprakning_tryckt_tkr)} tkr",
              kalla=_data(utforare, *bv, "index", "belopp_tkr"),
              delar=(Nod(b.fran.namn, r.fran_tkr, "tkr", kalla=_data(utforare, *bv, "fran", "belopp_tkr")),
                     Nod("Index", r.index_procent, "procent", kalla=_data(utforare, *bv, "index", "procent"))))
    ds = r.delsumma
    delsumma = Nod(ds.namn, ds.angiven_tkr, "tkr", "regelboken §8",
                   f"tryckt {_s(ds.angiven_tkr)} − (föregående ram + uppräkning = {_s(ds.summa_tkr)}) = "
                   f"differens {_s(ds.differens_tkr)} tkr, tolerans {_s(ds.tolerans_tkr)} tkr "
                   f"({ds.antal_termer} avrundade termer × 0,5)", kalla=_data(utforare, *bv, "delsumma", "belopp_tkr"),
                   delar=(upp,))
    just = tuple(Nod(namn, belopp, "tkr", kalla=_data(utforare, *bv, "justeringar", i, "belopp_tkr"))
                 for i, (namn, belopp) in enumerate(r.justeringar))
    t = r.total
    return Nod(f"Budgetbryggan: {t.namn}", t.differens_tkr, "tkr", "regelboken §8",
               f"differens = tryckt {_s(t.angiven_tkr)} − (Delsumma 1 + Σ justeringar = {_s(t.summa_tkr)}) = "
               f"{_s(t.differens_tkr)} tkr, tolerans {_s(t.tolerans_tkr)} tkr → "
               + ("stämmer inom avrundning" if r.stammer else "stämmer inte"),
               kalla=_data(utforare, *bv, "till", "belopp_tkr"), delar=(delsumma,) + just)


# --- §9 1177 -----------------------------------------------------------------------------------


def malrelaterad_kvartal(res, k, m, ar: int, utforare: str) -> Nod:
    mv = ("malrelaterad_1177",)
    steg_index = next(i for i, s in enumerate(m.trappa) if s is k.steg)
    andel = Nod(f"Andel besvarade inom 8 minuter {ar}-Q{k.kvartal}", k.andel_procent, "procent",
                kalla=Kalla(UTFALL, ("malrelaterad_1177", utforare, k.kvartal)))
    steg = Nod("Trappsteg", k.utbetalning_procent, "procent", "regelboken §9",
               f"{svensk(k.andel_procent, 2)} % ≥ {svensk(k.steg.fran_procent, 0)} % → {svensk(k.utbetalning_procent, 0)} % "
               "(halvöppna intervall på den oavrundade andelen)",
               kalla=_data(utforare, *mv, "trappa", steg_index),
               antaganden=(k.steg.antagande,) if k.steg.antagande else ())
    bas = Nod("Kvartalets belopp vid 100 %", res.kvartalsbelopp_kr, "kr", "regelboken §9",
              f"{svensk(m.belopp_mnkr, 2)} mnkr / {m.kvartal_per_belopp} = {_s(res.kvartalsbelopp_kr)} kr",
              kalla=_data(utforare, *mv, "belopp_mnkr"), antaganden=(m.antagande,) if m.antagande else ())
    return Nod(f"Målrelaterad ersättning 1177 {ar}-Q{k.kvartal}", k.belopp_kr, "kr", "regelboken §9",
               f"kvartalsbelopp × utbetalningsandel = {_s(res.kvartalsbelopp_kr)} × {svensk(k.utbetalning_procent, 0)} % = "
               f"{_s(k.belopp_kr)} kr", delar=(andel, steg, bas))


# --- §10 uppföljning ---------------------------------------------------------------------------

_JAMFOR = {"minst": "≥", "hogst": "≤", "exakt": "="}
_STATUS = {"uppfyllt": "uppfyllt", "ej_uppfyllt": "ej uppfyllt", "saknar_utfall": "saknar utfall",
           "ej_bedombart": "ej bedömbart", "information": "information"}


def indikator(b, utforare: str) -> Nod:
    ind = b.indikator
    iv = ("indikatorer", "lista", b.id)
    kalla_utfall = None if ind.berakning else Kalla(UTFALL, ("indikatorer", utforare, b.id, str(b.period)))
    utfall = Nod(f"Utfall {b.period}", b.utfall, ind.enhet or "", "regelboken §5" if ind.berakning else "",
                 "utfall hittills / plan hittills (ur produktionen)" if ind.berakning else "", kalla=kalla_utfall)
    delar = [utfall]
    if ind.typ in _JAMFOR:
        formel = f"utfall {_iv(b.utfall)} {_JAMFOR[ind.typ]} målvärde {_iv(ind.malvarde)}?"
        delar.append(Nod("Målvärde", ind.malvarde, ind.enhet or "", kalla=_data(utforare, *iv, "malvarde")))
    elif ind.typ == "ja_nej":
        formel = f"utfall {_iv(b.utfall)} = {ind.malvarde}?"
        delar.append(Nod("Målvärde", ind.malvarde, "", kalla=_data(utforare, *iv, "malvarde")))
    elif ind.typ in ("ska_oka", "ska_minska"):
        formel = (f"utfall {_iv(b.utfall)} {'>' if ind.typ == 'ska_oka' else '<'} föregående period "
                  f"{_iv(b.foregaende)}?")
        delar.append(Nod(f"Utfall {b.period.foregaende()}", b.foregaende, ind.enhet or "",
                         kalla=None if ind.berakning else Kalla(UTFALL, ("indikatorer", utforare, b.id,
                                                                         str(b.period.foregaende())))))
    else:
        formel = "rapporteras, bedöms inte"
    return Nod(ind.namn, _STATUS[b.status], "", "regelboken §10", f"{formel} → {_STATUS[b.status]}",
               kalla=_data(utforare, *iv), delar=tuple(delar))


def _iv(v) -> str:
    if v is None:
        return "–"
    if isinstance(v, str):
        return v
    return _s(v, 2 if v != v.to_integral_value() else 0)


# --- §16 prognos ---------------------------------------------------------------------------------


def prognosrad(p, utforare: str, till_och_med: int, antagande: str | None, basmodell_antagande: str | None) -> Nod:
    """En rads prognostiserade tilläggsersättning för året: §4 på årets prognos (antagande A7)."""
    r = p.resultat
    rv = ("volymer", "rader", p.id)
    utfall = Nod(f"Utfall t.o.m. {MANADSNAMN[till_och_med - 1]}", p.utfall, "antal",
                 kalla=Kalla(UTFALL, ("produktion", utforare, p.id)))
    plan = Nod(f"Plan t.o.m. {MANADSNAMN[till_och_med - 1]}", p.plan_hittills, "antal", "regelboken §5",
               "uppdrag × kumulativ profilandel", delar=(Nod("Uppdrag", r.uppdrag, "antal", kalla=_data(utforare, *rv, "uppdrag")),))
    takt = Nod("Takt mot planen", p.takt, "", "regelboken §16",
               f"utfall / plan hittills = {_s(p.utfall)} / {_s(p.plan_hittills)} = {svensk(p.takt, 4)}"
               if p.plan_hittills else "planen hittills är 0: takten är 1", antaganden=(antagande,) if antagande else (),
               delar=(utfall, plan))
    antal = Nod("Prognos för året", p.prognos_antal, "antal", "regelboken §16",
                f"avrunda half up(utfall + plan för resten av året × takt) = avrunda({_s(p.utfall)} + "
                f"{_s(p.plan_resten)} × {svensk(p.takt, 4)}) = {_s(p.prognos_antal)}",
                antaganden=(antagande,) if antagande else (),
                delar=(takt, Nod("Plan för resten av året", p.plan_resten, "antal", "regelboken §5",
                                 "uppdrag × (1 − kumulativ andel hittills)")))
    ersatta = Nod("Ersatta enheter (prognos)", r.ersatta, "antal", "regelboken §4",
                  f"ersatta = min(max({_s(p.prognos_antal)} − {_s(r.bas_hittills)}, 0), {_s(r.tillagg)}) = {_s(r.ersatta)}",
                  antaganden=(basmodell_antagande,) if basmodell_antagande else (),
                  delar=(antal, Nod("Basvolym", r.bas, "antal", kalla=_data(utforare, *rv, "bas")),
                         Nod("Tilläggsvolym", r.tillagg, "antal", kalla=_data(utforare, *rv, "tillagg"))))
    pris = Nod(f"Pris ({r.priskategori})", r.pris_kr, "kr", kalla=Kalla(PRISER, r.pris_sokvag),
               antaganden=(r.antagande,) if r.antagande else ())
    return Nod(f"Prognos: tilläggsersättning {p.namn} ({p.id}) för året", r.belopp_kr, "kr", "regelboken §4, §16",
               f"PROGNOS: ersatta × pris = {_s(r.ersatta)} × {_s(r.pris_kr)} kr = {_s(r.belopp_kr)} kr "
               f"(utfall t.o.m. {MANADSNAMN[till_och_med - 1]}, prognos därefter)",
               kalla=_data(utforare, *rv), delar=(ersatta, pris))
