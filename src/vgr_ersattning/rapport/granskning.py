"""Rapporterna för granskningen av underlaget: `kontrollera` (med AT- och ST-A-platserna), `brygga`,
`uppfoljning`, `kalender`, `priser` och `antaganden` (regelboken §3, §8, §10, §14)."""

from __future__ import annotations

from itertools import groupby

from vgr_ersattning.pengar import svensk
from vgr_ersattning.rapport.modell import (
    ALLA,
    ANDEL,
    ANTAL,
    AR,
    BOK,
    CSV,
    GRUPP,
    HTML,
    ID,
    JANEJ,
    KR,
    MASKIN,
    NAMN,
    PROCENT,
    SKARM,
    SUMMA,
    TABELL,
    TAL,
    TEXT,
    TKR,
    XLSX,
    Cell,
    Fakta,
    Kallor,
    Kolumn,
    Not,
    Redovisning,
    Tabell,
    en_del,
    rad,
)
from vgr_ersattning.visning.celler import procent_text

# --- kontrollera ---------------------------------------------------------------------------------------

_KONTROLLER = (
    Kolumn("id", "Id", ID, visas=BOK),
    Kolumn("namn", "Kontroll", TEXT),
    Kolumn("ok", "OK", JANEJ, kort=""),
    Kolumn("varde", "Värde", TAL),
    Kolumn("differens", "Differens", TAL),
    Kolumn("enhet", "Enhet", TEXT, visas=MASKIN),
    Kolumn("meddelande", "Meddelande", TEXT),
    Kolumn("plats", "Plats (fil:rad:kolumn)", TEXT, visas=MASKIN | {HTML}),
)
KONTROLLER_CSV = ("namn", "ok", "meddelande", "plats", "varde", "differens", "enhet")
_ENHETENS_SLAG = {"tkr": TKR, "kr": KR}


def _kontrollvarde(k, v, ar: bool = False):
    """Ett värde i kontrollens enhet; `ar`: ett år (kontrollerna av år, `ar.*`), skrivet som ett år (ÅÅÅÅ), utan tusentalsavgränsare."""
    if v is None:
        return None
    if ar:
        return Cell(v, slag=AR, text=str(int(v)))
    enhet = f" {k.enhet}" if k.enhet and k.enhet != "antal" else ""
    return Cell(v, slag=_ENHETENS_SLAG.get(k.enhet, ANTAL), text=svensk(v) + enhet)


def kontrollera(rapport) -> Redovisning:
    r = rapport.resultat
    kallor = Kallor(rapport.kalla)
    kontroller = list(r.kontroller)
    rader = []
    for k in kontroller:
        rader.append(rad(_KONTROLLER, {
            "id": k.id, "namn": k.namn,
            "ok": Cell(k.ok, text="✓" if k.ok else "✗", stil="green" if k.ok else "bold red"),
            "varde": _kontrollvarde(k, k.varde, k.id.startswith("ar.")), "differens": _kontrollvarde(k, k.differens), "enhet": k.enhet,
            "meddelande": Cell(k.meddelande, text=k.meddelande if k.ok else f"{k.meddelande}\n[{k.plats}]"),
            "plats": k.plats}))
        kallor("Kontroller", k.namn, "värdet som kontrolleras", k.fil, k.sokvag)
    fel = sum(1 for k in kontroller if not k.ok)
    noter = [Not(f"{fel} av {len(kontroller)} kontroller underkända", "bold red", visas=SKARM) if fel else
             Not(f"Alla {len(kontroller)} kontroller godkända", "bold green", visas=SKARM)]
    anmarkningar = list(getattr(r, "anmarkningar", ()))
    noter += [Not(f"Anmärkning {uid}: {a.text} ({a.kalla})", visas=frozenset({TABELL})) for uid, a in anmarkningar]
    tabeller = [Tabell("Kontroller", "Kontroller", _KONTROLLER,
                       tuple(rader), noter=tuple(noter), csv_ordning=KONTROLLER_CSV, talformat_per_cell=True)]
    platser = getattr(r, "platser", None)
    if platser:
        tabeller.append(platstabell(platser))
    anm = (Kolumn("utforare", "Utförare", ID), Kolumn("text", "Anmärkning", TEXT), Kolumn("kalla", "Källa", TEXT))
    tabeller.append(Tabell("Anmärkningar", "Kända fel i dokumenten (regelboken §14)", anm,
                           tuple(rad(anm, {"utforare": uid, "text": a.text, "kalla": a.kalla})
                                 for uid, a in anmarkningar), visas=BOK))
    for uid, a in anmarkningar:
        kallor.plats("Anmärkningar", uid, a.text[:60], "", a.kalla)
    return en_del("Kontroller av uppdraget och priserna", *tabeller, om_antaganden="Kontrollerna bygger inte på något "
                  "antagande.", kallor=tuple(kallor.rader))


_PLATSER = (Kolumn("utforare", "Id", ID, visas=MASKIN | {HTML}), Kolumn("namn", "Utförare", NAMN),
            Kolumn("at_platser", "AT-platser", ANTAL), Kolumn("st_a_platser", "ST-A-platser", ANTAL),
            Kolumn("st_a_per_specialitet", "ST-A per specialitet", TEXT))


def platstabell(platser) -> Tabell:
    """AT-platserna per sjukhus och ST-A-platserna (sidotjänstgöring i allmänmedicin) bredvid dem,
    som uppdraget listar dem."""
    rader, at_summa, st_summa = [], 0, 0
    for p in platser:
        st = sum(p.st_a.values()) if p.st_a else None
        at_summa += p.at or 0
        st_summa += st or 0
        rader.append(rad(_PLATSER, {"utforare": p.utforare, "namn": Cell(p.namn, text=f"{p.namn} ({p.utforare})"),
                                    "at_platser": p.at, "st_a_platser": st,
                                    "st_a_per_specialitet": ", ".join(f"{s} {n}" for s, n in p.st_a.items())}))
    rader.append(rad(_PLATSER, {"utforare": "Totalt", "namn": Cell("Totalt", visas=SKARM), "at_platser": at_summa,
                                "st_a_platser": st_summa}, roll=SUMMA, stil="bold", sektion=True))
    kallor = sorted({k for p in platser for k in (p.kalla_at, p.kalla_st_a) if k})
    return Tabell("Platser", "AT- och ST-A-platser", _PLATSER, tuple(rader), visas=SKARM | {XLSX}, noter=tuple(
        [Not("AT: allmäntjänstgöring; ST-A: sidotjänstgöringsplatser i specialisttjänstgöringen i allmänmedicin "
             "(obligatoriska specialiteter).")] + [Not(f"Källa: {k}") for k in kallor]))


# --- brygga --------------------------------------------------------------------------------------------

_BRYGGA = (
    Kolumn("slag", "Slag", ID, visas=frozenset({CSV})),
    Kolumn("rad", "Rad", TEXT, visas=SKARM | {XLSX}),
    Kolumn("namn", "Namn", TEXT, visas=frozenset({CSV})),
    Kolumn("belopp_tkr", "Belopp", TKR),
    Kolumn("raknat_tkr", "Räknat", TKR, visas=frozenset({XLSX})),
    Kolumn("index", "Index", ANDEL, visas=frozenset({XLSX})),
    Kolumn("anmarkning", "Anmärkning", TEXT, visas=frozenset({XLSX})),
)
_AVSTAMNING = (
    Kolumn("steg", "Steg", TEXT), Kolumn("angiven_tkr", "Angiven", TKR),
    Kolumn("summa_tkr", "Summa av tryckta termer", TKR), Kolumn("differens_tkr", "Differens", TKR),
    Kolumn("tolerans_tkr", "Tolerans", TKR), Kolumn("antal_termer", "Avrundade termer", ANTAL),
    Kolumn("stammer", "Stämmer", JANEJ),
)


def brygga(rapport) -> Redovisning:
    r, m, uid = rapport.resultat.resultat, rapport.resultat.brygga, rapport.resultat.utforare
    kallor = Kallor(rapport.kalla)
    bv = ("utforare", uid, "brygga")
    rader = [
        rad(_BRYGGA, {"slag": "fran", "rad": m.fran.namn, "namn": "", "belopp_tkr": r.fran_tkr,
                      "anmarkning": m.fran.anmarkning or ""}),
        rad(_BRYGGA, {"slag": "index", "rad": Cell(m.index.namn, text=f"{m.index.namn} (räknat "
                                                                    f"{svensk(r.upprakning_tkr, 3)})"),
                      "namn": "", "belopp_tkr": r.upprakning_tryckt_tkr, "raknat_tkr": r.upprakning_tkr,
                      "index": r.index, "anmarkning": ""}),
        rad(_BRYGGA, {"slag": "delsumma", "rad": m.delsumma.namn, "namn": "", "belopp_tkr": r.delsumma.angiven_tkr,
                      "anmarkning": m.delsumma.anmarkning or ""}, stil="bold")]
    for (namn, belopp), j in zip(r.justeringar, m.justeringar):
        rader.append(rad(_BRYGGA, {"slag": "justering", "rad": Cell(namn, text=namn + (" *" if j.anmarkning else "")),
                                   "namn": namn, "belopp_tkr": belopp, "anmarkning": j.anmarkning or ""}))
    rader.append(rad(_BRYGGA, {"slag": "till", "rad": m.till.namn, "namn": "", "belopp_tkr": r.total.angiven_tkr,
                               "anmarkning": m.till.anmarkning or ""}, roll=SUMMA, stil="bold", sektion=True,
                     visas=ALLA))
    kallor("Brygga", m.fran.namn, "belopp", "uppdrag", bv + ("fran", "belopp_tkr"))
    kallor("Brygga", m.index.namn, "index och uppräkning", "uppdrag", bv + ("index",))
    kallor("Brygga", m.delsumma.namn, "belopp", "uppdrag", bv + ("delsumma", "belopp_tkr"))
    for i, j in enumerate(m.justeringar):
        kallor("Brygga", j.namn, "belopp", "uppdrag", bv + ("justeringar", i, "belopp_tkr"))
    kallor("Brygga", m.till.namn, "belopp", "uppdrag", bv + ("till", "belopp_tkr"))
    noter = [Not(f"Källa: {m.kalla}", "", visas=SKARM)]
    for steg in (r.delsumma, r.total):
        noter.append(Not(f"{steg.namn}: " + ("stämmer inom avrundning" if steg.stammer else "stämmer inte")
                         + f": differens {svensk(steg.differens_tkr)} tkr, tolerans {svensk(steg.tolerans_tkr)} tkr "
                         f"(summa av tryckta termer {svensk(steg.summa_tkr)})",
                         "green" if steg.stammer else "bold red", visas=SKARM))
    if not r.upprakning_stammer:
        noter.append(Not(f"Uppräkningen stämmer inte: {svensk(r.index_procent, 1)} % av {svensk(r.fran_tkr)} = "
                         f"{svensk(r.upprakning_tkr, 3)} tkr, tryckt {svensk(r.upprakning_tryckt_tkr)} tkr", "bold red",
                         visas=SKARM))
    noter += [Not(f"Ledtråd: {x}", "yellow") for x in r.ledtradar]
    noter += [Not(f"* {j.namn}: {j.anmarkning}", visas=SKARM) for j in m.justeringar if j.anmarkning]
    t = Tabell("Brygga", "Förändringar jämfört med föregående uppdrag (tkr)", _BRYGGA, tuple(rader),
               noter=tuple(noter))
    avst = Tabell("Avstämning", "Bryggan stämd av i två steg: tryckt belopp mot summan av de tryckta termerna",
                  _AVSTAMNING, tuple(rad(_AVSTAMNING, {
                      "steg": s.namn, "angiven_tkr": s.angiven_tkr, "summa_tkr": s.summa_tkr,
                      "differens_tkr": s.differens_tkr, "tolerans_tkr": s.tolerans_tkr, "antal_termer": s.antal_termer,
                      "stammer": s.stammer}) for s in (r.delsumma, r.total)),
                  fakta=(Fakta("Bryggan stämmer", r.stammer, JANEJ),), visas=BOK,
                  noter=(Not("Dokumentets siffror är avrundade till hela tkr var för sig: ett tryckt belopp godtas när "
                             "det skiljer högst 0,5 tkr per avrundad term från summan av termerna.", visas=BOK),))
    return en_del(f"Förändringar jämfört med föregående uppdrag (regelboken §8): {uid}", t, avst,
                  om_antaganden="Bryggan bygger inte på något antagande.", kallor=tuple(kallor.rader))


# --- uppfoljning och kalender --------------------------------------------------------------------------

_STATUS = {"uppfyllt": ("✓", "green"), "ej_uppfyllt": ("✗", "bold red"), "saknar_utfall": ("–", "yellow"),
           "ej_bedombart": ("?", "yellow"), "information": ("i", "dim")}
STATUSTEXT = {"uppfyllt": "uppfyllt", "ej_uppfyllt": "ej uppfyllt", "saknar_utfall": "saknar utfall",
              "ej_bedombart": "ej bedömbart", "information": "information"}

_INDIKATORER = (
    Kolumn("tecken", "", TEXT, visas=SKARM),
    Kolumn("omrade", "Område", TEXT, visas=frozenset({XLSX})),
    Kolumn("id", "Id", ID, visas=MASKIN),
    Kolumn("namn", "Indikator", NAMN),
    Kolumn("period", "Period", ID, visas=MASKIN),
    Kolumn("typ", "Typ", ID, visas=MASKIN),
    Kolumn("malvarde", "Målvärde", TAL, hoger=False),
    Kolumn("utfall", "Utfall", TAL),
    Kolumn("foregaende", "Föregående", TAL, visas=SKARM | {XLSX}),
    Kolumn("enhet", "Enhet", TEXT, visas=frozenset({XLSX})),
    Kolumn("status", "Status", TEXT),
)
UPPFOLJNING_CSV = ("id", "namn", "period", "typ", "malvarde", "utfall", "status")


def _indikatorvarde(v, enhet):
    """Ett indikatorvärde: text som den är, tal i indikatorns enhet (procent som andel i arbetsboken)."""
    if v is None or isinstance(v, str):
        return v
    text = svensk(v, 2 if v != v.to_integral_value() else 0)
    text = f"{text} %" if enhet == "procent" else (f"{text} min" if enhet == "minuter" else text)
    return Cell(v, slag=PROCENT if enhet == "procent" else TAL, text=text)


def indikatorrad(b, **egenskaper):
    ind = b.indikator
    tecken, stil = _STATUS[b.status]
    malvarde = _indikatorvarde(ind.malvarde, ind.enhet)
    return rad(_INDIKATORER, {
        "tecken": Cell(tecken, stil=stil), "omrade": ind.omrade, "id": b.id,
        "namn": Cell(ind.namn, text=f"{ind.namn} [{b.id}]"), "period": str(b.period), "typ": ind.typ,
        "malvarde": Cell(malvarde.varde if isinstance(malvarde, Cell) else malvarde,
                         slag=malvarde.slag if isinstance(malvarde, Cell) else None, text=ind.malvarde_text or ""),
        "utfall": _indikatorvarde(b.utfall, ind.enhet), "foregaende": _indikatorvarde(b.foregaende, ind.enhet),
        "enhet": ind.enhet or "", "status": Cell(b.status, etikett=STATUSTEXT[b.status], stil=stil)}, **egenskaper)


def indikatortabell(titel: str, bedomningar, kallor: Kallor, uid: str, namn: str = "Indikatorer") -> Tabell:
    """Indikatorerna: för människor grupperade per område, för maskiner i uppdragets ordning."""
    rader = [indikatorrad(b, visas=MASKIN) for b in bedomningar]
    omrade = None
    for b in sorted(bedomningar, key=lambda b: b.indikator.omrade):
        if b.indikator.omrade != omrade:
            omrade = b.indikator.omrade
            rader.append(rad(_INDIKATORER, {"namn": omrade}, roll=GRUPP, stil="bold", sektion=True))
        rader.append(indikatorrad(b, visas=SKARM))
    for b in bedomningar:
        kallor(namn, b.id, "indikator och målvärde", "uppdrag", ("utforare", uid, "indikatorer", "lista", b.id))
        if not b.indikator.berakning:
            kallor(namn, b.id, "utfall", "utfall", ("indikatorer", uid, b.id, str(b.period)))
    bedomda = [b for b in bedomningar if b.status != "information"]
    upp = sum(1 for b in bedomda if b.status == "uppfyllt")
    saknar = sum(1 for b in bedomda if b.status == "saknar_utfall")
    summering = f"{upp} av {len(bedomda)} uppfyllda"
    if saknar:
        summering += f", {saknar} saknar utfall"
    ejb = sum(1 for b in bedomda if b.status == "ej_bedombart")
    if ejb:
        summering += f", {ejb} ej bedömbar" + ("a" if ejb > 1 else "")
    return Tabell(namn, titel, _INDIKATORER, tuple(rader), csv_ordning=UPPFOLJNING_CSV, talformat_per_cell=True,
                  fakta=(Fakta("Uppfyllda", upp, ANTAL), Fakta("Bedömda", len(bedomda), ANTAL)),
                  noter=(Not(summering, "bold", visas=SKARM),
                         Not("Värden i procent står som andelar (84,7 % = 0,847); andra i indikatorns enhet.",
                             visas=frozenset({XLSX}))))


def uppfoljning(rapport) -> Redovisning:
    r = rapport.resultat
    kallor = Kallor(rapport.kalla)
    t = indikatortabell(f"Uppföljning {r.period}", r.bedomningar, kallor, r.utforare)
    return en_del(f"Uppföljning {r.period} (regelboken §10): {r.utforare}", t,
                  om_antaganden="Bedömningen bygger inte på något antagande.", kallor=tuple(kallor.rader))


_KALENDER = (Kolumn("period", "Tillfälle", ID), Kolumn("id", "Id", ID, visas=MASKIN),
             Kolumn("namn", "Indikator", NAMN), Kolumn("uppgiftslamnare", "Uppgiftslämnare", TEXT),
             Kolumn("utforare", "Utförare", ID, visas=MASKIN))


def kalender(rapport) -> Redovisning:
    r = rapport.resultat
    kallor = Kallor(rapport.kalla)
    rader = []
    for p, ider in r.tillfallen:
        for i, iid in enumerate(ider):
            ind = r.indikatorer[iid]
            redovisas = f" (redovisas: {ind.redovisas})" if getattr(ind, "redovisas", None) else ""
            rader.append(rad(_KALENDER, {
                "period": Cell(str(p), text="" if i else None), "id": r.indikator_id(iid),
                "namn": Cell(ind.namn, text=f"{ind.namn} [{iid}]{redovisas}"),
                "uppgiftslamnare": ind.uppgiftslamnare or "", "utforare": r.agare.get(iid, r.utforare)},
                sektion=i == 0))
    for i in r.indikatorer:
        kallor("Kalender", i, "indikatorn och dess tillfällen", "uppdrag",
               ("utforare", r.agare.get(i, r.utforare), "indikatorer", "lista", r.indikator_id(i)))
    t = Tabell("Kalender", "Uppföljningskalender", _KALENDER, tuple(rader))
    return en_del(f"Uppföljningskalender: {r.utforare}", t, om_antaganden="Kalendern bygger inte på något antagande.",
                  kallor=tuple(kallor.rader))


# --- priser och antaganden -----------------------------------------------------------------------------

_PRISER = (Kolumn("grupp", "Grupp", TEXT), Kolumn("namn", "Rad", NAMN), Kolumn("utforare", "Utförare", ID),
           Kolumn("pris_kr", "Pris", KR), Kolumn("kalkylerat_kr", "Kalkylerat", KR),
           Kolumn("differens_kr", "Differens", KR), Kolumn("andel", "Mot kalkylerat", ANDEL, enhet="andel"),
           Kolumn("id", "Id", ID))
PRISER_CSV = ("id", "grupp", "namn", "utforare", "pris_kr", "kalkylerat_kr", "differens_kr", "andel")


def priser(rapport) -> Redovisning:
    r = rapport.resultat
    kallor = Kallor(rapport.kalla)
    utforare = [p.utforare for p in r.rader[0].priser] if r.rader else []
    bred = (Kolumn("id", "Id", ID, visas=MASKIN), Kolumn("namn", "Rad", NAMN)) + tuple(
        Kolumn(u, u, KR, tom="–") for u in utforare) + (Kolumn("kalkylerat_kr", "Kalkylerat", KR, tom="–"),)
    rader = []
    for grupp, grader in groupby(r.rader, key=lambda x: x.grupp):
        rader.append(rad(bred, {"namn": grupp}, roll=GRUPP, stil="bold", sektion=True))
        for x in grader:
            rader.append(rad(bred, {"id": x.id, "namn": x.namn, "kalkylerat_kr": x.kalkylerat_kr,
                                    **{p.utforare: p.pris_kr for p in x.priser}}, niva=1))
            if x.kalkylerat_kr is not None and any(p.andel is not None for p in x.priser):
                rader.append(rad(bred, {"namn": "mot kalkylerat", "kalkylerat_kr": Cell(None, text=""), **{p.utforare: Cell(
                    p.andel, slag=ANDEL, text=_procent_tecken(p.andel)) for p in x.priser}},
                    roll=GRUPP, niva=2, stil="dim"))
    noter = (Not(f"Källa: {r.kalla}", ""),
             Not("\"–\" är inget pris i tabellen. Tabellen visas för jämförelse; tilläggsersättningen räknas med "
                 "priskategorierna i prisfilen (regelboken §4)."))
    per_sjukhus = Tabell("Priser", f"Priser {r.ar} (kr) och avståndet till det kalkylerade priset", bred, tuple(rader),
                         noter=noter, visas=SKARM)
    lang = []
    for x in r.rader:
        for p in x.priser:
            lang.append(rad(_PRISER, {"id": x.id, "grupp": x.grupp, "namn": x.namn, "utforare": p.utforare,
                                      "pris_kr": p.pris_kr, "kalkylerat_kr": x.kalkylerat_kr,
                                      "differens_kr": p.differens_kr, "andel": p.andel}))
        kallor("Priser", x.id, f"raden i tabellen Priser {r.ar}", "priser", ("priser", "rader", x.id))
    lang_tabell = Tabell("Priser", f"Priser {r.ar} och avståndet till det kalkylerade priset", _PRISER, tuple(lang),
                         visas=MASKIN, csv_ordning=PRISER_CSV, noter=(Not("Ett tomt pris är \"-\" i tabellen (inget pris). Tabellen visas för "
                                                  "jämförelse; tilläggsersättningen räknas med priskategorierna i "
                                                  "prisfilen (regelboken §4).", visas=frozenset({XLSX})),))
    return en_del(f"Priser {r.ar}", per_sjukhus, lang_tabell, om_antaganden="Tabellen bygger inte på något antagande.",
                  kallor=tuple(kallor.rader))


def _procent_tecken(andel) -> str:
    if andel is None:
        return "–"
    return ("+" if andel > 0 else "") + procent_text(andel)


_ANTAGANDEN = (Kolumn("id", "Id", ID), Kolumn("text", "Antagande", TEXT), Kolumn("kalla", "Källa", TEXT),
               Kolumn("platser", "Verkar i", TEXT))


def antaganden(rapport) -> Redovisning:
    r = rapport.resultat
    kallor = Kallor(rapport.kalla)
    rader = []
    for a, t in r.antaganden.items():
        platser = tuple(r.anvandning.get(a, []))
        rader.append(rad(_ANTAGANDEN, {"id": a, "text": t.text, "kalla": t.kalla,
                                       "platser": Cell(platser, etikett="\n".join(platser),
                                                       text="\n".join(platser) or "–")}))
        for p in platser:
            kallor.plats("Antaganden", a, "där antagandet verkar", p, "")
    t = Tabell("Antaganden", "Antaganden (där dokumenten är tysta)", _ANTAGANDEN, tuple(rader), noter=(
        Not("Antagandena är data i uppdragsfilen (`antaganden` och `antagande: An` där de verkar) och ändras där, "
            "inte i koden."),))
    return en_del("Antaganden där dokumenten är tysta", t, antaganden=r.antaganden, antaganden_som_not=False,
                  kallor=tuple(kallor.rader))

