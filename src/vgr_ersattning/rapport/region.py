"""Regionens vy av `berakna`, `prognos` och `utbetala` (`-u alla`): ett avsnitt per utförare med utförarens egen rapport, och
sist regionens avsnitt med en rad per utförare och summan. Utförarnas tabeller står inte i CSV (deras
rader säger inte vilken utförare de gäller); CSV har regionens tabell, en rad per utförare, och
summorna som `post,varde` med JSON:s nyckelnamn."""

from __future__ import annotations

from dataclasses import replace

from vgr_ersattning.kalkyl.resultat import antagandeordning
from vgr_ersattning.rapport import prognos, utbetalning
from vgr_ersattning.rapport.modell import (
    CSV,
    ID,
    KR,
    MASKIN,
    NAMN,
    SUMMA,
    Avsnitt,
    Kallrad,
    Kolumn,
    Manad,
    Redovisning,
    Tabell,
    rad,
)

_REGION = (Kolumn("utforare", "Utförare", ID), Kolumn("namn", "Namn", NAMN),
           Kolumn("till_och_med", "T.o.m.", kort="T.o.m."),
           Kolumn("tillagg_kr", "Tilläggsersättning", KR), Kolumn("anslag_kr", "Anslag utbetalt", KR),
           Kolumn("avrakning_kr", "Avräkning", KR, tom="–"), Kolumn("summa_kr", "Summa utbetalt", KR))


def utforarens_rapport(rapport, k):
    """Utförarens rapport som skrivarna får den med `-u ID`: samma format, hennes källor och plan."""
    return replace(rapport, resultat=k.korning.resultat, kalla=k.korning.kalla, arsplan=k.korning.arsplan)


def _utforarens_avsnitt(rapport, k, byggare=utbetalning.berakna) -> tuple[Avsnitt, tuple[Kallrad, ...], dict]:
    red = byggare(utforarens_rapport(rapport, k))
    b = k.korning.resultat
    namn = b.namn if hasattr(b, "namn") else b.resultat.namn      # utbetala: namnet står i månadens resultat
    # Bladens och ankarnas namn får utförarens id först, så att de skiljs åt i arbetsboken.
    tabeller = tuple(replace(t, namn=f"{k.id} {t.namn}", visas=t.visas - {CSV}) for t in red.tabeller)
    kallor = tuple(c._replace(tabell=f"{k.id} {c.tabell}") for c in red.kallor)
    return Avsnitt(f"{namn} ({k.id})", tabeller), kallor, dict(red.antaganden)


def regiontabell(r) -> Tabell:
    rader = []
    for k in r.utforare:
        b = k.korning.resultat
        rader.append(rad(_REGION, {
            "utforare": k.id, "namn": b.namn, "till_och_med": str(Manad(b.ar, b.tillagg.till_och_med)),
            "tillagg_kr": b.tillagg.summa_kr, "anslag_kr": b.anslag.utbetalt_kr,
            "avrakning_kr": b.utbetalning.avrakning_kr if b.avrakning is not None else None,
            "summa_kr": b.summa_kr}))
    rader.append(rad(_REGION, {"utforare": "Regionen", "namn": f"{len(r.utforare)} utförare",
                               "tillagg_kr": r.tillagg_kr, "anslag_kr": r.anslag_kr,
                               "avrakning_kr": r.avrakning_kr, "summa_kr": r.summa_kr}, roll=SUMMA))
    return Tabell("Regionen", f"Regionen {r.ar}: tilläggsersättning, anslag och utbetalning per utförare",
                  _REGION, tuple(rader))


def _utforarnas_avsnitt(rapport, byggare) -> tuple[list[Avsnitt], list[Kallrad], dict]:
    avsnitt, kallor, antaganden = [], [], {}
    for k in rapport.resultat.utforare:
        a, c, ant = _utforarens_avsnitt(rapport, k, byggare)
        avsnitt.append(a)
        kallor += c
        antaganden.update(ant)
    return avsnitt, kallor, {a: antaganden[a] for a in sorted(antaganden, key=antagandeordning)}


def berakna_region(rapport) -> Redovisning:
    r = rapport.resultat
    avsnitt, kallor, antaganden = _utforarnas_avsnitt(rapport, utbetalning.berakna)
    summor = [("tillagg_kr", r.tillagg_kr, KR), ("anslag_kr", r.anslag_kr, KR)]
    if r.avrakning_kr is not None:
        summor.append(("avrakning_kr", r.avrakning_kr, KR))
    summor.append(("summa_kr", r.summa_kr, KR))
    avsnitt.append(Avsnitt("Regionen", (regiontabell(r), utbetalning.summortabell(summor))))
    return Redovisning(f"Regionen {r.ar}: tilläggsersättning, anslag och utbetalning per utförare", tuple(avsnitt),
                       antaganden=antaganden, kallor=tuple(kallor))


_PROGNOS = (Kolumn("utforare", "Utförare", ID), Kolumn("namn", "Namn", NAMN),
            Kolumn("till_och_med", "Utfall t.o.m.", kort="T.o.m."),
            Kolumn("tillagg_kr", "Tilläggsersättning, prognos för året", KR, kort="Tillägg, prognos"))


def prognos_region(rapport) -> Redovisning:
    r = rapport.resultat
    avsnitt, kallor, antaganden = _utforarnas_avsnitt(rapport, prognos.prognos)
    rader = [rad(_PROGNOS, {"utforare": k.id, "namn": k.korning.resultat.namn,
                            "till_och_med": str(Manad(r.ar, k.korning.resultat.resultat.till_och_med)),
                            "tillagg_kr": k.korning.resultat.resultat.tillagg_kr}) for k in r.utforare]
    rader.append(rad(_PROGNOS, {"utforare": "Regionen", "namn": f"{len(r.utforare)} utförare",
                                "tillagg_kr": r.tillagg_kr}, roll=SUMMA))
    titel = f"Regionen {r.ar}: prognos för tilläggsersättningen per utförare"
    avsnitt.append(Avsnitt("Regionen", (Tabell("Regionen", titel, _PROGNOS, tuple(rader)),
                                        utbetalning.summortabell([("tillagg_kr", r.tillagg_kr, KR)]))))
    return Redovisning(titel, tuple(avsnitt), antaganden=antaganden, kallor=tuple(kallor))


# Ett slag som en utförares uppdrag inte har (anslag för en utförare med bara 1177) är "–"; 1177-kolumnen
# står för människor när någon utförare har 1177, i CSV och arbetsboken alltid.
_UTBETALA = (Kolumn("utforare", "Utförare", ID), Kolumn("namn", "Namn", NAMN),
             Kolumn("anslag_kr", "Anslag", KR, tom="–"), Kolumn("tillagg_kr", "Tilläggsersättning", KR, tom="–"),
             Kolumn("avrakning_kr", "Avräkning", KR, tom="–"),
             Kolumn("malrelaterad_kr", "Målrelaterad 1177", KR, tom="–"),
             Kolumn("efterreglering_kr", "Därav efterreglering", KR), Kolumn("summa_kr", "Summa", KR))
_UTBETALA_SUMMOR = ("anslag_kr", "tillagg_kr", "avrakning_kr", "malrelaterad_kr", "efterreglering_kr", "summa_kr")


def utbetala_region(rapport) -> Redovisning:
    r = rapport.resultat
    if r.malrelaterad_kr is None:
        kolumner = tuple(replace(k, visas=MASKIN) if k.nyckel == "malrelaterad_kr" else k for k in _UTBETALA)
    else:
        kolumner = _UTBETALA
    avsnitt, kallor, antaganden = _utforarnas_avsnitt(rapport, utbetalning.utbetala)
    rader = []
    for k in r.utforare:
        u = k.korning.resultat.resultat
        rader.append(rad(kolumner, {"utforare": k.id, "namn": u.namn, **{f: getattr(u, f) for f in _UTBETALA_SUMMOR}}))
    rader.append(rad(kolumner, {"utforare": "Regionen", "namn": f"{len(r.utforare)} utförare",
                                **{f: getattr(r, f) for f in _UTBETALA_SUMMOR}}, roll=SUMMA))
    titel = f"Regionen: utbetalning {Manad(r.ar, r.manad).lang} per utförare (förhandsvisning, kr)"
    avsnitt.append(Avsnitt("Regionen", (Tabell("Regionen", titel, kolumner, tuple(rader)),
                                        utbetalning.summortabell([(f, getattr(r, f), KR) for f in _UTBETALA_SUMMOR]))))
    return Redovisning(titel, tuple(avsnitt), antaganden=antaganden, kallor=tuple(kallor))
