"""Utbetalningsjournalens kontroll (regelboken §19, §21, §22): att innehållet hänger ihop och att
kedjan håller, det som en bokföring och en förhandsvisning prövar, och uppgraderingen av en
journal som är skriven före kedjan.

- `journalproblem` (som `Fel`) och `kontrollera_journal` (som rader): månaderna i ordning från
  januari utan luckor och dubbletter, varje månad i journalens år, kända komponenter, ingen
  komponent två gånger, varje månads komponenter summerar till dess summa, ingen körning efter i
  dag, och kedjan: den första månaden där den bryts namnges. Med `kvittens` också att journalen
  fortfarande når den månad som kvittensen gäller. En journal utan kedja godtas aldrig.
- `problem_infor` är allt som en bokföring av månaden prövar, för en förhandsvisning;
  `bokford` ger en redan bokförd månad.
- `kontrollera_indata`: ett beslut som använts i en bokföring ändras aldrig.
- `uppgradera` prövar en journal utan kedja och ger dess text med kedjan.

Modulen läser och skriver inga filer.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
from dataclasses import replace
from decimal import Decimal
from typing import Iterable, Optional, Union

from vgr_ersattning.inlasning.fel import Fel, Inlasningsfel, Plats
from vgr_ersattning.journal_format import (
    MANAD,
    SHA256,
    Bokforing,
    Journal,
    Journalfel,
    format_journal,
    giltigt_datum,
    kedja_fore_januari,
    kedjevarde,
    summa,
    visat_namn,
)

UPPGRADERA_KOMMANDO = "ersattning uppgradera-journal FIL --ut NY_FIL"
UTAN_KEDJA = ("journalen har inga kedjevärden (den är skriven före kedjan) och godtas inte; uppgradera den "
              f"med `{UPPGRADERA_KOMMANDO}`, som prövar den och skriver en ny journal med kedja")

# Komponenterna som en bokföring skriver (kalkyl.utbetalning: anslaget, tillägget per rad,
# avräkningen per post) och 1177-kvartalet (malrelaterad).
KOMPONENTER = re.compile(r"anslag|(tillagg|avrakning):[a-z0-9_]+(\.[a-z0-9_]+)*|malrelaterad:[0-9]{4}-Q[1-4]")
_KOMPONENTER_TEXT = "anslag, tillagg:RAD, avrakning:POST eller malrelaterad:ÅÅÅÅ-QN"


def kand_komponent(komponent: str) -> bool:
    return isinstance(komponent, str) and KOMPONENTER.fullmatch(komponent) is not None


def framtida_korning(korning: str, idag: Optional[_dt.date] = None) -> bool:
    """Att körningens datum ligger efter `idag` (i dag om inget anges)."""
    return giltigt_datum(korning) and _dt.date.fromisoformat(korning) > (idag or _dt.date.today())


def las_kvittens(kvittens: str, namn: str = "--kvittens") -> str:
    """Kvittensen som 64 gemena hexsiffror, eller `Inlasningsfel` (fel användning, slutkod 2)."""
    text = kvittens.strip().lower() if isinstance(kvittens, str) else ""
    if not SHA256.fullmatch(text):
        raise Inlasningsfel([Fel(Plats(namn, 0, 0), "", f"ogiltig kvittens {visat_namn(str(kvittens))[:80]!r} "
                                                          "(64 hexsiffror, som `utbetala --bokfor` gav)")])
    return text


# --- kontrollen -----------------------------------------------------------------------------------


def _sparade_kedjevarden(journal: Journal) -> list[Optional[str]]:
    """Kedjevärdet per månad som det står i filen; för en bokföring utan (en journal i minnet)
    uträknat ur föregående. None där det inte går att räkna ut (belopp som inte är tal)."""
    ut: list[Optional[str]] = []
    fore: Optional[str] = kedja_fore_januari(journal.utforare, journal.ar)
    for b in journal.bokforingar:
        if b.kedja is not None:
            varde: Optional[str] = b.kedja
        else:
            try:
                varde = kedjevarde(fore, b) if fore is not None else None
            except Journalfel:
                varde = None
        ut.append(varde)
        fore = varde
    return ut


def kvitterad_manad(journal: Journal, kvittens: str) -> Optional[str]:
    """Månaden ("ÅÅÅÅ-MM") vars kedjevärde är `kvittens`, None om ingen."""
    if not journal.kedjad:
        return None
    h = las_kvittens(kvittens)
    for b, varde in zip(journal.bokforingar, _sparade_kedjevarden(journal)):
        if varde == h:
            return b.manad
    return None


def journalproblem(journal: Journal, utforare: Optional[str] = None, ar: Optional[int] = None,
                   kvittens: Optional[str] = None, idag: Optional[_dt.date] = None) -> list[Fel]:
    """Journalens problem som `Fel` (se `kontrollera_journal`). En ogiltig `kvittens` är ett
    `Inlasningsfel`."""
    namn = journal.namn
    ut: list[Fel] = []
    if not journal.kedjad:
        ut.append(Fel(Plats(namn, 0, 0), "", UTAN_KEDJA))
    if utforare is not None and journal.utforare.casefold() != utforare.casefold():
        ut.append(Fel(Plats(namn, 2, 1), "", f"journalen gäller utförare {journal.utforare}, inte {utforare}"))
    if ar is not None and journal.ar != ar:
        ut.append(Fel(Plats(namn, 3, 1), "", f"journalen gäller år {journal.ar}, inte {ar}"))
    med_problem: set[int] = set()
    forvantad = 1
    sedda: dict[str, int] = {}
    for index, b in enumerate(journal.bokforingar):
        plats = Plats(namn, b.rad, 1)

        def problem(text: str, plats: Plats = plats, b: Bokforing = b, index: int = index) -> None:
            ut.append(Fel(plats, "", f"{b.manad}: {text}"))
            med_problem.add(index)

        if b.nummer == 0 or not 1 <= b.nummer <= 12:
            problem("inte en månad (ÅÅÅÅ-MM)")
            continue
        if b.ar != journal.ar:
            problem(f"månaden hör inte till journalens år {journal.ar}")
            continue
        if b.manad in sedda:
            problem("månaden är bokförd två gånger" + (f" (första gången på rad {sedda[b.manad]})" if sedda[b.manad] else ""))
            continue
        sedda[b.manad] = b.rad
        if b.nummer < forvantad:
            problem(f"i fel ordning: står efter {journal.ar}-{forvantad - 1:02d}")
        elif b.nummer > forvantad:
            saknas = f"{journal.ar}-{forvantad:02d}"
            if b.nummer - 1 > forvantad:
                saknas += f" – {journal.ar}-{b.nummer - 1:02d}"
            problem(f"lucka: {saknas} saknas före månaden")
            forvantad = b.nummer + 1
        else:
            forvantad = b.nummer + 1
        if not giltigt_datum(b.korning):
            problem(f"ogiltigt datum för körningen {b.korning!r}")
        elif framtida_korning(b.korning, idag):
            problem(f"körningens datum {b.korning} ligger efter i dag ({(idag or _dt.date.today()).isoformat()})")
        _problem_i_posterna(b, namn, plats, problem)
    ut += _kedjans_problem(journal, med_problem)
    if kvittens is not None:
        h = las_kvittens(kvittens)
        if h not in _sparade_kedjevarden(journal) or not journal.kedjad:
            ut.append(Fel(Plats(namn, 0, 0), "", f"kvittensen {h[:12]}… hör inte till någon bokförd månad i "
                                                 "journalen: journalen har kortats av eller återställts till före "
                                                 "den kvitterade månaden, ändrats, eller är en annan journal"))
    return ut


def _problem_i_posterna(b: Bokforing, namn: str, plats: Plats, problem) -> None:
    komponenter: dict[str, int] = {}
    belopp_ok = True
    for p in b.poster:
        pplats = Plats(namn, p.rad, 1) if p.rad else plats
        if p.komponent in komponenter:
            problem(f"komponenten {p.komponent} finns två gånger"
                    + (f" (första gången på rad {komponenter[p.komponent]})" if komponenter[p.komponent] else ""), pplats)
        else:
            komponenter[p.komponent] = p.rad
        if not kand_komponent(p.komponent):
            problem(f"okänd komponent {visat_namn(str(p.komponent))[:80]!r} (en utbetalning har {_KOMPONENTER_TEXT})", pplats)
        if p.manad != b.manad:
            problem(f"posten {p.komponent} gäller månaden {p.manad}", pplats)
        if not isinstance(p.belopp_kr, Decimal) or not p.belopp_kr.is_finite():
            problem(f"{p.komponent}: beloppet {p.belopp_kr!r} är inte ett tal", pplats)
            belopp_ok = False
    if not isinstance(b.summa_kr, Decimal) or not b.summa_kr.is_finite():
        problem(f"summan {b.summa_kr!r} är inte ett tal")
    elif belopp_ok:
        s = summa(p.belopp_kr for p in b.poster)
        if s != b.summa_kr:
            rad = b.rad + 1 + 1 + len(b.indata) + len(b.poster) if b.rad else 0
            problem(f"summan {b.summa_kr} stämmer inte med komponenterna, som summerar till {s} "
                    f"(skillnad {b.summa_kr - s})", Plats(namn, rad, 1))


def _kedjans_problem(journal: Journal, med_problem: set[int]) -> list[Fel]:
    """Den första månaden där kedjan bryts: vars sparade kedjevärde inte är det som föregående
    månads sparade värde och månadens rader ger. En månad som redan har ett problem (en summa som
    inte stämmer, en dubblett …) bryter förstås också kedjan; den nämns inte två gånger."""
    if not journal.kedjad:
        return []
    fore = kedja_fore_januari(journal.utforare, journal.ar)
    for index, b in enumerate(journal.bokforingar):
        if b.kedja is None:                       # en journal i minnet: inget sparat att pröva
            try:
                fore = kedjevarde(fore, b)
            except Journalfel:
                return []
            continue
        try:
            vantat: Optional[str] = kedjevarde(fore, b)
        except Journalfel:
            vantat = None
        if vantat != b.kedja and index not in med_problem:
            forsta = "huvudet eller månadens rader" if index == 0 else "månadens rader eller månaden före"
            return [Fel(Plats(journal.namn, b.rad, 1), "", f"{b.manad}: kedjan bryts här: {forsta} har ändrats, "
                                                           "eller en månad har tagits bort eller lagts till, efter "
                                                           "bokföringen (kedjevärdet stämmer inte)")]
        fore = b.kedja
    return []


def kontrollera_journal(journal: Journal, utforare: Optional[str] = None, ar: Optional[int] = None,
                        kvittens: Optional[str] = None, idag: Optional[_dt.date] = None) -> list[str]:
    """Journalens problem, en svensk rad per problem (`fil:rad:kolumn: ÅÅÅÅ-MM: …`), tom om den
    håller ihop: kedjevärden finns (annars raden om `uppgradera`), månaderna i ordning från januari
    utan luckor och dubbletter, varje månad i journalens år, kända komponenter, ingen komponent två
    gånger i en månad, varje månads komponenter summerar till dess summa, ingen körning efter
    `idag`, och kedjan håller (den första månaden där den bryts namnges). Med `utforare`/`ar` också
    att huvudet gäller dem (utföraren utan hänsyn till versaler); med `kvittens` (hex, som
    bokföringen gav) att journalen fortfarande når den månad som kvittensen gäller."""
    return [str(f) for f in journalproblem(journal, utforare, ar, kvittens, idag)]


# --- förhandsvisningen ------------------------------------------------------------------------------


def _manadsnummer(manad: Union[int, str], ar: int) -> int:
    if isinstance(manad, int) and not isinstance(manad, bool):
        nummer = manad
    else:
        m = MANAD.fullmatch(manad) if isinstance(manad, str) else None
        if not m or int(m.group(1)) != ar:
            raise ValueError(f"månaden {manad!r} är inte en månad i {ar}")
        nummer = int(m.group(2))
    if not 1 <= nummer <= 12:
        raise ValueError(f"månaden {manad!r} är inte en månad 1–12")
    return nummer


def problem_infor(journal: Journal, utforare: str, ar: int, manad: Union[int, str],
                  idag: Optional[_dt.date] = None) -> list[Fel]:
    """Allt som en bokföring av `manad` (nummer eller "ÅÅÅÅ-MM") prövar i journalen, för en
    förhandsvisning: journalens problem (ordning, luckor, dubbletter, summor, kedjan, år,
    utförare) och att månaderna före `manad` är bokförda. En redan bokförd månad är inget problem
    (se `bokford`). Tom lista: förhandsvisningen räknar på samma journal som en bokföring skulle."""
    ut = journalproblem(journal, utforare, ar, idag=idag)
    nummer = _manadsnummer(manad, ar)
    if journal.bokforing(nummer) is None:
        sista = journal.sista_manad() or 0
        if sista < nummer - 1:
            ut.append(Fel(Plats(journal.namn, 0, 0), "", "journalen är bokförd t.o.m. "
                          + (f"{journal.ar}-{sista:02d}" if sista else "ingen månad")
                          + f"; {ar}-{nummer:02d} kan räknas först när månaderna före är bokförda"))
    return ut


def bokford(journal: Optional[Journal], manad: Union[int, str]) -> Optional[Bokforing]:
    """Bokföringen av `manad` (nummer i journalens år eller "ÅÅÅÅ-MM"), None om den inte är bokförd."""
    return journal.bokforing(manad) if journal is not None else None


# --- indata ----------------------------------------------------------------------------------------


def kontrollera_indata(journal: Journal, filer: Iterable[tuple[str, str]]) -> list[Fel]:
    """Beslutsfilerna (namn eller sökväg, sha256 hex) som en körning använder, mot journalen: en
    fil vars namn står i en tidigare bokföring med ett annat fingeravtryck vägras – ett beslut
    ändras aldrig efter att det använts (ett nytt beslut är en ny fil). Ge bara beslutsfiler:
    utfallet får nya uttag med samma namn. Namnen jämförs utan katalog."""
    sedda: dict[str, tuple[str, str, int]] = {}
    for b in journal.bokforingar:
        for i, (filnamn, hex_) in enumerate(b.indata):
            rad = b.rad + 2 + i if b.rad else 0
            sedda.setdefault(_filnamn(filnamn), (hex_, b.manad, rad))
    ut: list[Fel] = []
    for namn, sha in filer:
        visat = visat_namn(namn)
        tidigare = sedda.get(_filnamn(visat))
        if tidigare is None or tidigare[0] == sha:
            continue
        hex_, manad, rad = tidigare
        var = f"{journal.namn}:{rad}" if rad else journal.namn
        ut.append(Fel(Plats(visat, 0, 0), "", f"beslutsfilen har ändrats sedan den användes i bokföringen av {manad} "
                                              f"({var}: sha256:{hex_[:12]}…, filen nu sha256:{str(sha)[:12]}…); "
                                              "ett beslut som använts ändras aldrig – lägg en ändring i ett nytt beslut"))
    return ut


def _filnamn(text: str) -> str:
    """Namnet utan katalog (journaler skrivna före kedjan kan ha en relativ sökväg)."""
    for sep in {"/", os.sep}:
        text = text.rsplit(sep, 1)[-1]
    return text


# --- uppgraderingen --------------------------------------------------------------------------------


def uppgradera(journal: Journal, idag: Optional[_dt.date] = None) -> bytes:
    """Texten (UTF-8) för en journal skriven före kedjan, med kedjan: samma rader och ett
    `kedja:`-värde sist i varje månad. Journalen prövas först helt (som `kontrollera_journal`);
    håller den inte ihop, eller har den redan kedja, kastas `Journalfel`."""
    if journal.kedjad:
        raise Journalfel(journal.namn, "journalen har redan kedjevärden; den behöver inte uppgraderas")
    problem = [f for f in journalproblem(replace(journal, kedjad=True), idag=idag)]
    if problem:
        raise Journalfel(journal.namn, "uppgraderar inte: journalen håller inte ihop (se ovan); rätta den först", problem)
    return format_journal(replace(journal, kedjad=True)).encode("utf-8")
