"""utbetala: månadens utbetalning per komponent mot det som betalats (§19), med 1177-kvartalen för en
utförare med 1177-data (§9, antagande A10), förhandsvisad på samma villkor som en bokföring (§22); med
--bokfor är bokföringen en effekt som körningen utför sist.
uppgradera-journal: en journal utan kedja skriven på nytt med kedjan (§21)."""

from __future__ import annotations

import os

from vgr_ersattning import journal as journalen
from vgr_ersattning.inlasning.fel import Anvandningsfel, Fel, Inlasningsfel, Plats
from vgr_ersattning.kalkyl.utbetalning import med_malrelaterad, ratt_hittills
from vgr_ersattning.kalkyl.utbetalning import utbetala as utbetala_karna
from vgr_ersattning.kommandon.berakning import BARA_1177, UTBETALNINGENS_KRAV, berakna_for_utbetalning
from vgr_ersattning.kommandon.gemensamt import Korning, Sammanhang, Stopp, manad, valj_utforare
from vgr_ersattning.kommandon.rapporter import Utbetalningsrapport
from vgr_ersattning.pengar import svensk
from vgr_ersattning.visning import Text


class Bokforing:
    """Effekten: månaden bokförd i journalen (atomiskt, bara i ordning). `kvittens` är kedjevärdet
    som bokföringen ger; det räknas ut i förväg, så att rapporten kan visa det innan något skrivs."""

    def __init__(self, fil, utforare: str, ar: int, bokforing, kvittens: str):
        self.fil, self.utforare, self.ar, self.bokforing, self.kvittens = fil, utforare, ar, bokforing, kvittens
        self.beskrivning = f"bokföringen av {bokforing.manad} i {journalen.visat_namn(os.fspath(fil))}"

    def forbered(self) -> None:
        pass

    def utfor(self) -> None:
        bokford = journalen.bokfor(self.fil, self.utforare, self.ar, self.bokforing)
        if bokford.kvittens() != self.kvittens:      # bokfor läser tillbaka det den skrev; kan inte hända
            raise RuntimeError("kvittensen blev en annan än den som visades")

    def kasta(self) -> None:
        pass


def bygg_utbetala(s: Sammanhang) -> Korning:
    data, utfall, uid = s.underlag, s.utfall, s.utforare
    manad_text, bokfor = s.argument["manad"], s.argument["bokfor"]
    journal_fil = s.val.journal
    m = manad(manad_text, data.ar, "--manad")
    uid = valj_utforare(data, uid, *UTBETALNINGENS_KRAV, utfall=utfall, eller=BARA_1177)
    if utfall is not None:
        # En utförare med bara 1177 har ingen produktion; ett kvartal utan resultat väntar (antagande A10).
        sista = utfall.sista_manad(uid)
        if sista is not None and sista < m:
            raise Anvandningsfel(f"--manad {manad_text}: utfallet har produktion t.o.m. {data.ar}-{sista:02d}; "
                                 "månadens utbetalning kräver ett uttag som täcker månaden")
    if bokfor and journal_fil is None:
        raise Anvandningsfel("--bokfor kräver --journal FIL")
    k = berakna_for_utbetalning(data, uid, utfall, manad_text, s.beslut)
    b = _med_1177(k.resultat, s)
    journal = None
    if journal_fil is not None:
        journal = journalen.las_journal(journal_fil, saknas_ok=bokfor)
        if journal is None and m != 1:
            raise Anvandningsfel(f"{journal_fil}: journalen finns inte; en ny journal börjar med januari")
    if journal is not None:
        _kontrollera_journalen(journal, b.utforare, data.ar, m, s)
    tidigare = _utan_nya_beslut(journal, m, s, k) if journal is not None and s.val.beslut else None
    res = utbetala_karna(b, m, journal.betalt_fore(m) if journal is not None else (
        {} if journal_fil is not None else None), tidigare=tidigare)
    if journal is not None:
        _kvartal_utan_resultat(journal, res, m)
    redan = journalen.bokford(journal, m)
    effekter, kvittens = [], None
    bokfort = bokfort_kr = differens_kr = None
    if redan is not None:
        bokfort = {p.komponent: p.belopp_kr for p in redan.poster}
        bokfort_kr = redan.summa_kr
        differens_kr = res.summa_kr - redan.summa_kr
        kvittens = journalen.kedjevarden(journal)[journal.bokforingar.index(redan)]
    if bokfor:
        # En månad som redan är bokförd vägras av bokföringen själv, med journalen orörd.
        indata = list(s.val.utfall) + list(s.val.beslut)
        bokforing = journalen.skapa_bokforing(manad_text, res.belopp_per_komponent(), indata)
        foregaende = (journal.kvittens() if journal is not None else None) or \
            journalen.kedja_fore_januari(b.utforare, data.ar)
        ny_kvittens = journalen.kedjevarde(foregaende, bokforing)
        effekter.append(Bokforing(journal_fil, b.utforare, data.ar, bokforing, ny_kvittens))
        kvittens = kvittens or ny_kvittens
    return Korning(Utbetalningsrapport(res, bokfor or redan is not None, b.antaganden, kvittens, bokfort, bokfort_kr,
                                       differens_kr),
                   data, utfall, k.varningar, s.beslut, effekter=effekter)


def _kontrollera_journalen(journal, utforare: str, ar: int, m: int, s: Sammanhang) -> None:
    """Regelboken §22: varje kontroll som en bokföring gör av journalen (ordning, luckor,
    dubbletter, summor, kedjan, år, utförare); en förhandsvisning ur en journal som inte håller
    ihop vägras med problemet och ingen siffra (slutkod 1). En månad som inte är nästa i en hel
    journal, och en beslutsfil som ändrats sedan den användes i en bokföring, är fel indata
    (slutkod 2)."""
    problem = journalen.journalproblem(journal, utforare, ar)
    if problem:
        raise Stopp([str(p) for p in problem]
                    + [f"ersattning utbetala: räknar inte {ar}-{m:02d}: journalen {journal.namn} håller inte ihop; "
                       "förhandsvisningen gör samma kontroller som bokföringen"])
    fel = journalen.problem_infor(journal, utforare, ar, m)
    if fel:
        raise Inlasningsfel(fel)
    fel = journalen.kontrollera_indata(journal, [(os.fspath(f), journalen.hash_fil(f)) for f in s.val.beslut])
    if fel:
        raise Inlasningsfel(fel)


def _med_1177(b, s: Sammanhang):
    """Beräkningen med utförarens 1177-kvartal i uttaget (regelboken §9, §19, antagande A10)."""
    andelar = s.utfall.malrelaterad.get(b.utforare) if s.utfall is not None else None
    return med_malrelaterad(b, s.underlag.uppdrag.modell, andelar)


def _kvartal_utan_resultat(journal, res, m: int) -> None:
    """Ett 1177-kvartal som betalats men inte har något resultat i uttaget vägras (slutkod 2): rätten
    skulle bli 0 och hela kvartalet krediteras, fast det är uttaget som saknar resultatet. Felet pekar
    på den senaste bokföringen av kvartalet i journalen."""
    fel, ratt = [], ratt_hittills(res.berakning, m)
    for k in res.komponenter:
        if not k.komponent.startswith("malrelaterad:") or not k.betalt_kr or k.komponent in ratt:
            continue
        rad = max((p.rad for b in journal.bokforingar if 0 < b.nummer < m for p in b.poster
                   if p.komponent == k.komponent), default=0)
        kvartal = k.komponent.partition(":")[2]
        fel.append(Fel(Plats(journal.namn, rad, 3 if rad else 0), "",
                       f"{k.komponent} är betald med {_kr(k.betalt_kr)} kr, men uttaget har inget resultat för "
                       f"{kvartal}: ange utfallsfilen med avsnittet malrelaterad_1177 (utan resultatet skulle hela "
                       "kvartalet krediteras)"))
    if fel:
        raise Inlasningsfel(fel)


def _kr(v) -> str:
    return svensk(v, 0 if v == v.to_integral_value() else 2)


def _utan_nya_beslut(journal, m: int, s: Sammanhang, k: Korning):
    """Beräkningen med bara de beslut som fanns med när månaderna före bokfördes (regelboken §23):
    skillnaden mot beräkningen med alla beslut är efterregleringen av de bokförda månaderna. None
    när inget beslut är nytt."""
    kanda = {(os.path.basename(namn), sha) for b in journal.bokforingar if 0 < b.nummer < m for namn, sha in b.indata}
    gamla = [f for f in s.val.beslut if (os.path.basename(os.fspath(f)), journalen.hash_fil(f)) in kanda]
    if len(gamla) == len(s.val.beslut):
        return None
    beslut = s.las_beslut(gamla) if gamla else None
    return _med_1177(berakna_for_utbetalning(s.underlag, k.resultat.utforare, s.utfall, f"{s.underlag.ar}-{m:02d}",
                                             beslut).resultat, s)


def bygg_uppgradera_journal(s: Sammanhang) -> Korning:
    """En journal utan kedja, kontrollerad och skriven på nytt med kedjan (regelboken §21)."""
    journal = journalen.las_journal(s.argument["journal"])
    return Korning(Text(journalen.uppgradera(journal).decode("utf-8")))
