"""utbetala: månadens utbetalning per komponent mot det som betalats (§16), förhandsvisad på samma
villkor som en bokföring (§22); med --bokfor är bokföringen en effekt som körningen utför sist."""

from __future__ import annotations

from vgr_ersattning import journal as journalen
from vgr_ersattning.inlasning.fel import Anvandningsfel
from vgr_ersattning.kalkyl.utbetalning import utbetala as utbetala_karna
from vgr_ersattning.kommandon.berakning import berakna
from vgr_ersattning.kommandon.gemensamt import Korning, Sammanhang, manad, valj_utforare
from vgr_ersattning.kommandon.rapporter import Utbetalningsrapport
from vgr_ersattning.visning import Text


class Bokforing:
    """Effekten: månaden bokförd i journalen (atomiskt, bara i ordning)."""

    def __init__(self, fil, utforare: str, ar: int, bokforing):
        self.fil, self.utforare, self.ar, self.bokforing = fil, utforare, ar, bokforing
        self.beskrivning = f"bokföringen av {bokforing.manad} i {fil}"

    def forbered(self) -> None:
        pass

    def utfor(self) -> None:
        journalen.bokfor(self.fil, self.utforare, self.ar, self.bokforing)

    def kasta(self) -> None:
        pass


def bygg_utbetala(s: Sammanhang) -> Korning:
    data, utfall, uid = s.underlag, s.utfall, s.utforare
    manad_text, bokfor = s.argument["manad"], s.argument["bokfor"]
    journal_fil = s.val.journal
    m = manad(manad_text, data.ar, "--manad")
    if utfall is not None:
        sista = utfall.sista_manad(valj_utforare(data, uid, "volymer", "ersattningsram", utfall=utfall))
        if sista is not None and sista < m:
            raise Anvandningsfel(f"--manad {manad_text}: utfallet har produktion t.o.m. {data.ar}-{sista:02d}; "
                                 "månadens utbetalning kräver ett uttag som täcker månaden")
    if bokfor and journal_fil is None:
        raise Anvandningsfel("--bokfor kräver --journal FIL")
    k = berakna(data, uid, utfall, manad_text, s.beslut)
    b = k.resultat
    journal = None
    if journal_fil is not None:
        journal = journalen.las_journal(journal_fil, saknas_ok=bokfor)
        if journal is not None:
            if journal.utforare.upper() != b.utforare or journal.ar != data.ar:
                raise Anvandningsfel(f"{journal.namn}: journalen gäller {journal.utforare} {journal.ar}, "
                                     f"beräkningen {b.utforare} {data.ar}")
            sista = journal.sista_manad() or 0
            if sista < m - 1:
                raise Anvandningsfel(f"{journal.namn}: journalen är bokförd t.o.m. "
                                     + (f"{data.ar}-{sista:02d}" if sista else "ingen månad")
                                     + f"; {manad_text} kan räknas först när månaderna före är bokförda")
        elif m != 1:
            raise Anvandningsfel(f"{journal_fil}: journalen finns inte; en ny journal börjar med januari")
    res = utbetala_karna(b, m, journal.betalt_fore(m) if journal is not None else (
        {} if journal_fil is not None else None))
    effekter = []
    if bokfor:
        indata = list(s.val.utfall) + list(s.val.beslut)
        effekter.append(Bokforing(journal_fil, b.utforare, data.ar,
                                  journalen.skapa_bokforing(manad_text, res.belopp_per_komponent(), indata)))
    return Korning(Utbetalningsrapport(res, bokfor, b.antaganden),
                   data, utfall, k.varningar, s.beslut, effekter=effekter)


def bygg_uppgradera_journal(s: Sammanhang) -> Korning:
    """En journal utan kedja, kontrollerad och skriven på nytt med kedjan (regelboken §21)."""
    text = journalen.uppgradera(journalen.las_journal(s.argument["journal"], utan_kedja=True))
    return Korning(Text(text.decode("utf-8") if isinstance(text, bytes) else text))
