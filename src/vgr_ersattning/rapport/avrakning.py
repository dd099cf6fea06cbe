"""Rapporterna för avräkningen (regelboken §7) och 1177:s målrelaterade ersättning (§9)."""

from __future__ import annotations

from vgr_ersattning import pengar
from vgr_ersattning.rapport.modell import (
    ALLA,
    ID,
    KR,
    MANAD,
    MASKIN,
    NAMN,
    PROCENT,
    SKARM,
    SUMMA,
    TABELL,
    TEXT,
    TKR,
    XLSX,
    Cell,
    Fakta,
    Kallor,
    Kolumn,
    Manad,
    Not,
    Redovisning,
    Tabell,
    en_del,
    rad,
)

_BOK_OCH_TERMINAL = SKARM | {XLSX}

_AVRAKNING = (
    Kolumn("id", "Id", ID, visas=MASKIN),
    Kolumn("namn", "Post", NAMN, visas=_BOK_OCH_TERMINAL),
    Kolumn("manad", "Tillfälle", MANAD),
    Kolumn("niva_tkr", "Nivå", TKR),
    Kolumn("utfall_tkr", "Utfall hittills", TKR),
    Kolumn("tak_tkr", "Tak", TKR),
    Kolumn("utbetalt_tkr", "Utbetalt hittills", TKR, kort="Utbetalt"),
    Kolumn("reglerat_hittills_tkr", "Reglerat hittills", TKR),
    Kolumn("reglering_tkr", "Reglering", TKR),
    Kolumn("anmarkning", "Anmärkning", TEXT, visas=frozenset({XLSX})),
)


def avrakningstabell(res, ar: int, uid: str, kallor: Kallor, visas: frozenset = ALLA) -> Tabell:
    """Regelboken §7: varje post med avräkning per tillfälle, och summan av regleringarna."""
    rader = []
    for p in res.poster:
        for i, tf in enumerate(p.tillfallen):
            rader.append(rad(_AVRAKNING, {
                "id": p.id, "namn": Cell(p.namn, text="" if i else None), "manad": Manad(ar, tf.manad),
                "niva_tkr": p.niva_tkr, "utfall_tkr": tf.utfall_tkr, "tak_tkr": tf.tak_tkr,
                "utbetalt_tkr": tf.utbetalt_tkr, "reglerat_hittills_tkr": tf.reglerat_hittills_tkr,
                "reglering_tkr": Cell(tf.reglering_tkr, stil="red" if tf.reglering_tkr < 0 else None,
                                      figur=f"avrakning.{p.id}.{ar}-{tf.manad:02d}"),
                "anmarkning": ""}, sektion=i == 0))
        if not p.tillfallen:
            orsak = "saknar utfall" if p.saknar_utfall else "inget avräkningstillfälle ännu"
            rader.append(rad(_AVRAKNING, {"id": p.id, "namn": p.namn, "manad": Cell(None, text=orsak),
                                          "niva_tkr": p.niva_tkr, "anmarkning": orsak},
                             sektion=True, visas=_BOK_OCH_TERMINAL))
        kallor("Avräkning", p.id, "nivå", "uppdrag", ("utforare", uid, "avrakning", "poster", p.id, "niva_tkr"))
        kallor("Avräkning", p.id, "utfall", "utfall", ("avrakning", uid, p.id))
    rader.append(rad(_AVRAKNING, {"id": "Summa reglering", "namn": Cell("Summa reglering", visas=SKARM),
                                  "reglering_tkr": res.summa_reglering_tkr}, roll=SUMMA, stil="bold", sektion=True))
    kallor("Avräkning", "Tak", "tak före december", "uppdrag", ("utforare", uid, "avrakning", "tak_fore_december"))
    return Tabell("Avräkning", "Avräkning (tkr)", _AVRAKNING, tuple(rader),
                  noter=(Not("Negativ reglering betyder pengar tillbaka till regionen."),), visas=visas)


def avrakning(rapport) -> Redovisning:
    r = rapport.resultat
    kallor = Kallor(rapport.kalla)
    t = avrakningstabell(r.resultat, r.ar, r.utforare, kallor)
    return en_del(f"Avräkning (regelboken §7): {r.utforare} {r.ar}", t, antaganden=r.antaganden,
                  kallor=tuple(kallor.rader))


# --- malrelaterad ------------------------------------------------------------------------------------

_KVARTAL = (
    Kolumn("kvartal", "Kvartal", ID),
    Kolumn("andel_procent", "Andel inom 8 min", PROCENT, decimaler=2),
    Kolumn("utbetalning_procent", "Utbetalning", PROCENT, decimaler=0),
    Kolumn("belopp_kr", "Belopp", KR, kort="Belopp kr"),
)


def malrelaterad(rapport) -> Redovisning:
    m = rapport.resultat
    res, ar, uid = m.resultat, m.ar, m.utforare
    kallor = Kallor(rapport.kalla)
    rader = []
    for k in res.kvartal:
        rader.append(rad(_KVARTAL, {"kvartal": f"{ar}-Q{k.kvartal}", "andel_procent": k.andel_procent,
                                    "utbetalning_procent": k.utbetalning_procent,
                                    "belopp_kr": Cell(k.belopp_kr, figur=f"malrelaterad.{ar}-Q{k.kvartal}")}))
        kallor("Kvartal", f"{ar}-Q{k.kvartal}", "andel besvarade inom 8 minuter", "utfall",
               ("malrelaterad_1177", uid, k.kvartal))
    rader.append(rad(_KVARTAL, {"kvartal": "Summa", "belopp_kr": res.summa_kr}, roll=SUMMA, stil="bold",
                     sektion=True))
    kallor("Kvartal", "Kvartalsbelopp", "belopp (mnkr) och kvartal per belopp", "uppdrag",
           ("utforare", uid, "malrelaterad_1177", "belopp_mnkr"))
    kallor("Kvartal", "Trappa", "utbetalningsandel per andel besvarade", "uppdrag",
           ("utforare", uid, "malrelaterad_1177", "trappa"))
    t = Tabell("Kvartal", "1177 målrelaterad ersättning", _KVARTAL, tuple(rader),
               fakta=(Fakta("Ett kvartals belopp vid 100 % (kr)", res.kvartalsbelopp_kr, KR),),
               noter=(Not(f"Ett kvartals belopp vid 100 %: {pengar.svensk(res.kvartalsbelopp_kr)} kr", "",
                          visas=frozenset({TABELL})),))
    return en_del(f"1177 målrelaterad ersättning (regelboken §9): {uid} {ar}", t, antaganden=m.antaganden,
                  kallor=tuple(kallor.rader))


