"""Tabeller för terminalen, svenskt talformat. Importeras bara när tabell är formatet.

Ett tal visas alltid helt (regelboken §13): talkolumner får den bredd deras längsta tal behöver och
bryts aldrig; textkolumner radbryts. Räcker bredden inte ens då (ett smalt fönster), visas
tabellen staplad: en rad i taget, ett värde per rad. Noter radbryts vid ordgränser men aldrig inne
i ett tal (`263 497 958`).

Texten ritas av `visning.terminal` (bara standardbiblioteket): rich importeras inte här, så att
tabellformatet startar snabbt (issue 17).
"""

from __future__ import annotations

from decimal import Decimal
from itertools import groupby
from typing import Optional

from vgr_ersattning.pengar import HUNDRA, svensk, svensk_procent
from vgr_ersattning.visning.terminal import Kolumn, Konsol, Text, Trad, krymp, tabellbredd

MANADER = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
           "november", "december")
MIN_TEXTBREDD = 8


def _konsol(rapport) -> Konsol:
    return Konsol(rapport.bredd or 120, rapport.farg)


def _text(console: Konsol) -> str:
    return console.text()


class Tabell:
    """En tabell som vet sina rader innan den visas, så den kan välja en layout där inget tal kapas."""

    def __init__(self, titel: str, *kolumner: tuple[str, str]):
        self.titel = titel
        self.kolumner = list(kolumner)
        self.rader: list[tuple[tuple, Optional[str], bool]] = []   # (celler, stil, ny sektion före)
        self._sektion = False

    def rad(self, *celler, stil: Optional[str] = None) -> None:
        celler = tuple(celler) + ("",) * (len(self.kolumner) - len(celler))
        self.rader.append((celler, stil, self._sektion))
        self._sektion = False

    def sektion(self) -> None:
        self._sektion = bool(self.rader)

    def _bredder(self) -> list[int]:
        ut = []
        for i, (namn, _) in enumerate(self.kolumner):
            langst = max((len(line) for celler, _, _ in self.rader for line in str(_ren(celler[i])).split("\n")),
                         default=0)
            ut.append(max(langst, len(namn)))
        return ut

    def visa(self, console: Konsol) -> None:
        bredder = self._bredder()
        if tabellbredd(bredder) > console.bredd:
            # Textkolumnerna radbryts (de bredaste först, ned till MIN_TEXTBREDD); talkolumnerna
            # behåller sin bredd. Räcker det inte, staplas tabellen.
            minsta = [b if j == "right" else min(b, MIN_TEXTBREDD) for (_, j), b in zip(self.kolumner, bredder)]
            if tabellbredd(minsta) > console.bredd:
                self._stapla(console)
                return
            bredder = krymp(bredder, minsta, console.bredd - (tabellbredd(bredder) - sum(bredder)))
        console.tabell(self.titel, [Kolumn(namn, just, b) for (namn, just), b in zip(self.kolumner, bredder)],
                       self.rader)

    def _stapla(self, console: Konsol) -> None:
        """Smalt fönster: en post i taget, ett värde per rad, så att inget tal kapas."""
        console.skriv(Text(self.titel, style="bold"))
        for celler, stil, sektion in self.rader:
            if sektion:
                console.skriv()
            rubrik = " ".join(str(_ren(c)).strip() for (_, j), c in zip(self.kolumner, celler)
                              if j != "right" and str(_ren(c)).strip())
            if rubrik:
                console.skriv(Text(rubrik, style=stil or "bold"))
            for (namn, just), c in zip(self.kolumner, celler):
                if just == "right" and str(_ren(c)).strip():
                    console.skriv(Text(f"  {namn}: ", style="dim") + Text(str(_ren(c)), style=stil or ""), bryt=False)


def _ren(c) -> str:
    return c.plain if isinstance(c, Text) else str(c)


def _tkr(v: Decimal) -> str:
    """tkr med de decimaler värdet har, högst tre (ett utfall kan ha decimaler, en nivå sällan)."""
    for d in (0, 1, 2):
        if v == round(v, d):
            return svensk(v, d)
    return svensk(v, 3)


def _tal(v) -> str:
    """Ett antal eller belopp: heltal som heltal, bråk (planens tolftedelar) med två decimaler."""
    if v is None:
        return "–"
    d = Decimal(v)
    return svensk(d, 0 if d == d.to_integral_value() else 2)


def _procent(andel: Decimal | None) -> str:
    return svensk_procent(andel * HUNDRA, 1) if andel is not None else "–"


def _not(console: Konsol, text: str, stil: str = "dim") -> None:
    """En not under en tabell, radbruten i konsolens bredd (aldrig inne i ett tal)."""
    console.skriv(Text(text, style=stil))


def antaganden_not(console: Konsol, antaganden) -> None:
    """De antaganden siffrorna beror på, med texten ur uppdragets data."""
    for a, t in antaganden.items():
        _not(console, f"Antagande {a}: {t.text}")


# --- kontrollera -------------------------------------------------------------------------------


def kontrollera(rapport) -> str:
    console = _konsol(rapport)
    r = rapport.resultat
    t = Tabell("Kontroller", ("Kontroll", "left"), ("", "left"), ("Värde", "right"), ("Differens", "right"),
               ("Meddelande", "left"))
    for k in r.kontroller:
        enhet = f" {k.enhet}" if k.enhet and k.enhet != "antal" else ""
        t.rad(k.namn, Text("✓", style="green") if k.ok else Text("✗", style="bold red"),
              svensk(k.varde) + enhet if k.varde is not None else "",
              svensk(k.differens) + enhet if k.differens is not None else "",
              k.meddelande if k.ok else f"{k.meddelande}\n[{k.plats}]")
    t.visa(console)
    fel = sum(1 for k in r.kontroller if not k.ok)
    if fel:
        _not(console, f"{fel} av {len(r.kontroller)} kontroller underkända", "bold red")
    else:
        _not(console, f"Alla {len(r.kontroller)} kontroller godkända", "bold green")
    for uid, a in r.anmarkningar:
        _not(console, f"Anmärkning {uid}: {a.text} ({a.kalla})")
    return _text(console)


# --- berakna -----------------------------------------------------------------------------------


def berakna(rapport) -> str:
    console = _konsol(rapport)
    b = rapport.resultat
    tillagg, anslag, utbetalning = b.tillagg, b.anslag, b.utbetalning
    ar = b.ar
    plan = tillagg.ar_plan and tillagg.till_och_med == 12
    if plan:
        # Planen: utfall = uppdrag, ersatta = tillägg och måluppfyllelse 100 % på varje rad, så de
        # kolumnerna visas inte.
        rubrik = f"{b.namn} ({b.utforare}) – plan {ar}, produktion = uppdrag"
        kolumner = (("Rad", "left"), ("Bas", "right"), ("Tillägg", "right"), ("Uppdrag", "right"),
                    ("Pris kr", "right"), ("Belopp kr", "right"))
    else:
        rubrik = (f"{b.namn} ({b.utforare}) – "
                  + ("plan" if tillagg.ar_plan else "utfall") + f" till och med {MANADER[tillagg.till_och_med - 1]} {ar}")
        kolumner = (("Rad", "left"), ("Bas", "right"), ("Tillägg", "right"), ("Utfall", "right"),
                    ("Ersatta", "right"), ("Pris kr", "right"), ("Belopp kr", "right"), ("Måluppf.", "right"))
    t = Tabell(f"Tilläggsersättning: {rubrik}", *kolumner)

    def rad(etikett, g, pris="") -> tuple:
        if plan:
            return (etikett, _tal(g.bas), _tal(g.tillagg), _tal(g.utfall), pris, _tal(g.belopp_kr))
        return (etikett, _tal(g.bas), _tal(g.tillagg), _tal(g.utfall), _tal(g.ersatta), pris, _tal(g.belopp_kr),
                _procent(g.maluppfyllelse))

    grupper = {g.id: g for g in tillagg.grupper}
    for v, vrader in groupby(tillagg.rader, key=lambda r: r.id.split(".")[0]):
        t.sektion()
        t.rad(grupper[v].namn, stil="bold")
        for kat, krader in groupby(vrader, key=lambda r: r.id.rsplit(".", 1)[0]):
            t.rad("  " + grupper[kat].namn, stil="bold")
            for r in krader:
                markering = f" ({r.antagande})" if r.antagande else ""
                t.rad(*rad(f"    {r.namn}{markering}", r, _tal(r.pris_kr)))
            t.rad(*rad(f"  Summa {grupper[kat].namn.lower()}", grupper[kat]), stil="italic")
        t.rad(*rad(f"Summa {grupper[v].namn.lower()}", grupper[v]), stil="bold")
    t.sektion()
    t.rad(*rad("Totalt", tillagg.total), stil="bold")
    t.visa(console)

    visad = utbetalning.avrundad(0)
    kolumner = [("Månad", "left"), ("Anslag", "right"), ("Tillägg", "right")]
    if utbetalning.med_avrakning:
        kolumner.append(("Avräkning", "right"))
    m = Tabell("Utbetalning per månad (kr)", *kolumner, ("Summa", "right"))
    for u in visad.manader:
        celler = [MANADER[u.manad - 1], svensk(u.anslag_kr), svensk(u.tillagg_kr)]
        if utbetalning.med_avrakning:
            celler.append(svensk(u.avrakning_kr) if u.avrakning_kr is not None else "")
        celler.append(svensk(u.summa_kr))
        # En kreditering (negativ utbetalning) syns i rött.
        m.rad(*celler, stil="red" if u.tillagg_kr < 0 else None)
    m.sektion()
    celler = ["Summa", svensk(visad.anslag_kr), svensk(visad.tillagg_kr)]
    if utbetalning.med_avrakning:
        celler.append(svensk(visad.avrakning_kr))
    m.rad(*celler, svensk(visad.summa_kr), stil="bold")
    m.visa(console)
    if not utbetalning.ar_hela_kronor:
        _not(console, "Månadsbeloppen är avrundade till hela kronor så att varje kolumn summerar till sin "
                      "summarad (avrundning av den kumulativa summan, half up); de exakta beloppen är bråk.")
    _not(console, f"Ersättningsram {svensk(anslag.ram_tkr)} tkr, anslag {svensk_procent(anslag.fast_andel_procent, 0)} "
                  "fast, betalt månadsvis (januari–november ram/12 avrundat, december resten).", "")
    if tillagg.ar_plan:
        _not(console, f"Tilläggsersättning vid full leverans: {svensk(tillagg.summa_kr)} kr", "bold")
    if b.manader_utan_data:
        _not(console, "Utfallet har ingen produktion för " + ", ".join(MANADER[m - 1] for m in b.manader_utan_data)
             + f" {ar}: de månaderna räknas som 0. `ersattning prognos` ger en prognos för dem.", "bold yellow")
    antaganden_not(console, b.antaganden)
    return _text(console)


# --- avrakning ---------------------------------------------------------------------------------


def avrakning(rapport) -> str:
    console = _konsol(rapport)
    r = rapport.resultat
    res, ar = r.resultat, r.ar
    t = Tabell("Avräkning (tkr)", ("Post", "left"), ("Tillfälle", "left"), ("Nivå", "right"),
               ("Utfall hittills", "right"), ("Tak", "right"), ("Utbetalt", "right"), ("Reglerat hittills", "right"),
               ("Reglering", "right"))
    for p in res.poster:
        t.sektion()
        for i, tf in enumerate(p.tillfallen):
            t.rad(p.namn if i == 0 else "", f"{MANADER[tf.manad - 1]} {ar}", _tkr(p.niva_tkr),
                  _tkr(tf.utfall_tkr), _tkr(tf.tak_tkr), _tkr(tf.utbetalt_tkr), _tkr(tf.reglerat_hittills_tkr),
                  Text(_tkr(tf.reglering_tkr), style="red" if tf.reglering_tkr < 0 else ""))
        if not p.tillfallen:
            t.rad(p.namn, "saknar utfall" if p.saknar_utfall else "inget avräkningstillfälle ännu", _tkr(p.niva_tkr))
    t.sektion()
    t.rad("Summa reglering", "", "", "", "", "", "", _tkr(res.summa_reglering_tkr), stil="bold")
    t.visa(console)
    _not(console, "Negativ reglering betyder pengar tillbaka till regionen.")
    antaganden_not(console, r.antaganden)
    return _text(console)


# --- brygga ------------------------------------------------------------------------------------


def brygga(rapport) -> str:
    console = _konsol(rapport)
    r, b = rapport.resultat.resultat, rapport.resultat.brygga
    t = Tabell("Förändringar jämfört med föregående uppdrag (tkr)", ("Rad", "left"), ("Belopp", "right"))
    t.rad(b.fran.namn, svensk(r.fran_tkr))
    t.rad(f"{b.index.namn} (räknat {svensk(r.upprakning_tkr, 3)})", svensk(r.upprakning_tryckt_tkr))
    t.rad(b.delsumma.namn, svensk(r.delsumma.angiven_tkr), stil="bold")
    for j in b.justeringar:
        t.rad(j.namn + (" *" if j.anmarkning else ""), svensk(j.belopp_tkr))
    t.sektion()
    t.rad(b.till.namn, svensk(r.total.angiven_tkr), stil="bold")
    t.visa(console)
    _not(console, f"Källa: {b.kalla}", "")
    for steg in (r.delsumma, r.total):
        d, tol = steg.differens_tkr, steg.tolerans_tkr
        text = (f"{steg.namn}: " + ("stämmer inom avrundning" if steg.stammer else "stämmer inte")
                + f": differens {svensk(d)} tkr, tolerans {svensk(tol)} tkr (summa av tryckta termer "
                f"{svensk(steg.summa_tkr)})")
        _not(console, text, "green" if steg.stammer else "bold red")
    if not r.upprakning_stammer:
        _not(console, f"Uppräkningen stämmer inte: {svensk(r.index_procent, 1)} % av {svensk(r.fran_tkr)} = "
                      f"{svensk(r.upprakning_tkr, 3)} tkr, tryckt {svensk(r.upprakning_tryckt_tkr)} tkr", "bold red")
    for ledtrad in r.ledtradar:
        _not(console, f"Ledtråd: {ledtrad}", "yellow")
    for j in b.justeringar:
        if j.anmarkning:
            _not(console, f"* {j.namn}: {j.anmarkning}")
    return _text(console)


# --- malrelaterad ------------------------------------------------------------------------------


def malrelaterad(rapport) -> str:
    console = _konsol(rapport)
    m = rapport.resultat
    res, ar = m.resultat, m.ar
    t = Tabell("1177 målrelaterad ersättning", ("Kvartal", "left"), ("Andel inom 8 min", "right"),
               ("Utbetalning", "right"), ("Belopp kr", "right"))
    for k in res.kvartal:
        t.rad(f"{ar}-Q{k.kvartal}", svensk_procent(k.andel_procent, 2), svensk_procent(k.utbetalning_procent, 0),
              svensk(k.belopp_kr))
    t.sektion()
    t.rad("Summa", "", "", svensk(res.summa_kr), stil="bold")
    t.visa(console)
    _not(console, f"Ett kvartals belopp vid 100 %: {svensk(res.kvartalsbelopp_kr)} kr", "")
    antaganden_not(console, m.antaganden)
    return _text(console)


# --- uppfoljning -------------------------------------------------------------------------------

_STATUS = {"uppfyllt": ("✓", "green"), "ej_uppfyllt": ("✗", "bold red"), "saknar_utfall": ("–", "yellow"),
           "ej_bedombart": ("?", "yellow"), "information": ("i", "dim")}
_STATUSTEXT = {"uppfyllt": "uppfyllt", "ej_uppfyllt": "ej uppfyllt", "saknar_utfall": "saknar utfall",
               "ej_bedombart": "ej bedömbart", "information": "information"}


def _indvarde(v, enhet) -> str:
    if v is None:
        return ""
    if isinstance(v, str):
        return v
    text = svensk(v, 2 if v != v.to_integral_value() else 0)
    return f"{text} %" if enhet == "procent" else (f"{text} min" if enhet == "minuter" else text)


def uppfoljning(rapport) -> str:
    console = _konsol(rapport)
    r = rapport.resultat
    t = Tabell(f"Uppföljning {r.period}", ("", "left"), ("Indikator", "left"), ("Målvärde", "left"),
               ("Utfall", "right"), ("Föregående", "right"), ("Status", "left"))
    omrade = None
    for b in sorted(r.bedomningar, key=lambda b: b.indikator.omrade):
        if b.indikator.omrade != omrade:
            t.sektion()
            omrade = b.indikator.omrade
            t.rad("", omrade, stil="bold")
        tecken, stil = _STATUS[b.status]
        t.rad(Text(tecken, style=stil), f"{b.indikator.namn} [{b.id}]", b.indikator.malvarde_text or "",
              _indvarde(b.utfall, b.indikator.enhet), _indvarde(b.foregaende, b.indikator.enhet),
              Text(_STATUSTEXT[b.status], style=stil))
    t.visa(console)
    bedomda = [b for b in r.bedomningar if b.status != "information"]
    upp = sum(1 for b in bedomda if b.status == "uppfyllt")
    saknar = sum(1 for b in bedomda if b.status == "saknar_utfall")
    rad = f"{upp} av {len(bedomda)} uppfyllda"
    if saknar:
        rad += f", {saknar} saknar utfall"
    ejb = sum(1 for b in bedomda if b.status == "ej_bedombart")
    if ejb:
        rad += f", {ejb} ej bedömbar" + ("a" if ejb > 1 else "")
    _not(console, rad, "bold")
    return _text(console)


def kalender(rapport) -> str:
    console = _konsol(rapport)
    r = rapport.resultat
    t = Tabell("Uppföljningskalender", ("Tillfälle", "left"), ("Indikator", "left"), ("Uppgiftslämnare", "left"))
    for p, ider in r.tillfallen:
        if not ider:
            continue
        t.sektion()
        for i, iid in enumerate(ider):
            ind = r.indikatorer[iid]
            redovisas = f" (redovisas: {ind.redovisas})" if getattr(ind, "redovisas", None) else ""
            t.rad(str(p) if i == 0 else "", f"{ind.namn} [{iid}]{redovisas}", ind.uppgiftslamnare or "")
    t.visa(console)
    return _text(console)


# --- scenario ----------------------------------------------------------------------------------


def scenario(rapport) -> str:
    console = _konsol(rapport)
    s = rapport.resultat
    for r in s.resultat:
        t = Tabell(f"Scenario: {r.namn}", ("Rad/kategori", "left"), ("Fält", "left"), ("Från", "right"),
                   ("Till", "right"))
        for a in r.andringar:
            t.rad(a.id, "tillägg" if a.falt == "tillagg" else a.falt, svensk(a.fran), svensk(a.till))
        t.visa(console)
        _not(console, f"Förändring av tilläggsersättning vid full leverans: {svensk(r.forandring_plan_kr)} kr", "bold")
        if s.med_utfall and r.forandring_utfall_kr is not None:
            _not(console, f"Förändring vid faktiskt utfall: {svensk(r.forandring_utfall_kr)} kr", "")
        if r.kraver_namndbeslut:
            _not(console, f"Kräver beslut i nämnden (över delegationen {svensk(s.delegation_kr)} kr)", "bold red")
        else:
            _not(console, f"Inom delegationen ({svensk(s.delegation_kr)} kr)", "green")
    if len(s.resultat) > 1:
        total = sum((r.forandring_plan_kr for r in s.resultat), Decimal(0))
        _not(console, f"{len(s.resultat)} scenarier, summa av förändringarna vid plan {svensk(total)} kr", "bold")
    return _text(console)


# --- forklara och antaganden -----------------------------------------------------------------------


def _nodvarde(n) -> str:
    v = n.varde
    if v is None:
        return "–"
    if isinstance(v, str):
        return v
    if n.enhet == "procent":
        return svensk_procent(Decimal(v), 2 if Decimal(v) != Decimal(v).to_integral_value() else 0)
    text = _tkr(Decimal(v)) if n.enhet == "tkr" else _tal(v)
    return f"{text} {n.enhet}" if n.enhet in ("kr", "tkr") else text


def forklara(rapport) -> str:
    console = _konsol(rapport)
    r = rapport.resultat
    if hasattr(r, "figurer"):
        t = Tabell("Siffror som kan förklaras", ("Figur", "left"), ("Vad", "left"))
        for f, b in r.figurer:
            t.rad(f, b)
        t.visa(console)
        return _text(console)

    def etikett(n) -> Text:
        # Hela etiketten är fet (namnet, värdet, formeln; regeln fet och dim, källan fet cyan), som
        # den alltid har visats: i rich gav `Text(namn, style="bold") + ...` hela texten den stilen.
        text = Text(f"{n.namn}: ") + Text(_nodvarde(n))
        if n.regel:
            text += Text(f"  ({n.regel})", style="dim")
        if n.formel:
            text += Text(f"\n{n.formel}")
        if n.plats or n.dokument:
            text += Text("\n" + " – ".join(x for x in (n.plats, n.dokument) if x), style="cyan")
        if n.antaganden:
            text += Text("\nBygger på antagande " + ", ".join(n.antaganden), style="yellow")
        return text.stilad("bold")

    def bygg(n, gren) -> None:
        for d in n.delar:
            bygg(d, gren.add(etikett(d)))

    trad = Trad(etikett(r.nod))
    bygg(r.nod, trad)
    console.trad(trad)
    antaganden_not(console, r.antaganden)
    return _text(console)


def antaganden(rapport) -> str:
    console = _konsol(rapport)
    r = rapport.resultat
    t = Tabell("Antaganden (där dokumenten är tysta)", ("Id", "left"), ("Antagande", "left"), ("Källa", "left"),
               ("Verkar i", "left"))
    for a, text in r.antaganden.items():
        t.rad(a, text.text, text.kalla, "\n".join(r.anvandning.get(a, [])) or "–")
    t.visa(console)
    _not(console, "Antagandena är data i uppdragsfilen (`antaganden` och `antagande: An` där de verkar) och "
                  "ändras där, inte i koden.")
    return _text(console)


# --- prognos och jamfor ----------------------------------------------------------------------------

_ATTONDELAR = " ▏▎▍▌▋▊▉█"


def _stapel(andel: Optional[Decimal], bredd: int = 10, skala: Decimal = Decimal("1.25"), tecken: str = "█") -> str:
    """En stapel av text: `bredd` tecken motsvarar `skala` (125 %); │ markerar 100 %. Läsbar utan färg."""
    if andel is None:
        return "–".ljust(bredd)
    attondelar = int(min(max(andel, Decimal(0)), skala) / skala * bredd * 8)
    hela, rest = divmod(attondelar, 8)
    text = tecken * hela + (_ATTONDELAR[rest] if rest and tecken == "█" else ("▒" if rest else ""))
    text = text.ljust(bredd)
    hundra = int(bredd / skala)
    if hundra < bredd and text[hundra] == " ":
        text = text[:hundra] + "│" + text[hundra + 1:]
    return text


def prognos(rapport) -> str:
    console = _konsol(rapport)
    r = rapport.resultat
    p, ar = r.resultat, r.ar
    sista = MANADER[p.till_och_med - 1]
    rest = (f"{MANADER[p.till_och_med]}–december" if p.till_och_med < 11 else "december") if p.till_och_med < 12 else ""
    rubrik = (f"PROGNOS {ar}: {r.namn} ({p.utforare}) – utfall januari–{sista}"
              + (f", prognos {rest}" if rest else ""))
    t = Tabell(rubrik, ("Rad", "left"), ("Utfall", "right"), ("Mot plan hittills", "right"), ("Prognos", "right"),
               ("Bas", "right"), ("Tillägg", "right"), ("Prognos kr", "right"))
    for v, vrader in groupby(p.rader, key=lambda x: x.id.split(".")[0]):
        t.sektion()
        t.rad(r.grupper.get(v, v), stil="bold")
        for kat, krader in groupby(vrader, key=lambda x: x.id.rsplit(".", 1)[0]):
            t.rad("  " + r.grupper.get(kat, kat), stil="bold")
            for x in krader:
                andel = x.takt if x.plan_hittills else None
                t.rad(f"    {x.namn}", _tal(x.utfall), f"{_stapel(andel, 8)} {_procent(andel)}", _tal(x.prognos_antal),
                      _tal(x.bas), _tal(x.tillagg), _tal(x.belopp_kr))
    t.sektion()
    t.rad("Summa", _tal(sum(x.utfall for x in p.rader)), "", _tal(sum(x.prognos_antal for x in p.rader)),
          _tal(sum(x.bas for x in p.rader)), _tal(sum(x.tillagg for x in p.rader)), _tal(p.tillagg_kr), stil="bold")
    t.visa(console)
    _not(console, f"Prognos för tilläggsersättningen {ar}: {svensk(p.tillagg_kr)} kr (utfall t.o.m. {sista}, "
                  "prognos därefter). Stapeln: utfall mot plan hittills, │ = 100 %.", "bold")
    if p.nar_inte_basen:
        _not(console, "Når inte basen (inget tillägg i prognosen): "
             + ", ".join(f"{x.namn} ({x.id}) {_tal(x.prognos_antal)} ≤ bas {_tal(x.bas)}" for x in p.nar_inte_basen), "yellow")
    if p.nar_taket_tidigt:
        _not(console, "Når taket (bas + tillägg) före december: "
             + ", ".join(f"{x.namn} ({x.id}) i {MANADER[x.tak_manad - 1]}" for x in p.nar_taket_tidigt), "yellow")
    if p.utan_ersattning:
        _not(console, "Produktion utan ersättning (över bas + tillägg): "
             + ", ".join(f"{x.namn} ({x.id}) {_tal(x.utan_ersattning)}" for x in p.utan_ersattning), "yellow")
    hela_aret = p.plan_per_manad[11] or Decimal(1)
    m = Tabell("Produktion hittills mot plan per månad (alla rader; █ utfall, ▒ prognos, │ = årets plan)",
               ("Månad", "left"), ("Plan", "right"), ("Utfall/prognos", "right"), ("", "right"))
    for i in range(12):
        ar_prognos = i >= p.till_och_med
        v = p.prognos_per_manad[i]
        m.rad(MANADER[i] + (" (prognos)" if ar_prognos else ""), _tal(avrunda_heltal(p.plan_per_manad[i])),
              _tal(avrunda_heltal(v)), _stapel(v / hela_aret, 20, Decimal("1.25"), "▒" if ar_prognos else "█"))
    m.visa(console)
    antaganden_not(console, r.antaganden)
    return _text(console)


def avrunda_heltal(v: Decimal) -> Decimal:
    from vgr_ersattning.pengar import avrunda

    return avrunda(Decimal(v))


def jamfor(rapport) -> str:
    console = _konsol(rapport)
    r = rapport.resultat
    j, ar = r.resultat, r.ar
    a, b = MANADER[j.fore_till_och_med - 1], MANADER[j.efter_till_och_med - 1]
    t = Tabell(f"Förändring av tilläggsersättningen hittills: uttaget t.o.m. {a} mot t.o.m. {b} {ar} (kr)",
               ("Rad", "left"), ("Revision", "right"), ("Nya månader", "right"), ("Förändring", "right"),
               ("Korsar", "left"))
    andrade = [x for x in j.rader if x.forandring_kr or x.revision_kr]
    for x in andrade:
        t.rad(f"{x.namn} ({x.id})", _tal(x.revision_kr), _tal(x.nya_manader_kr), _tal(x.forandring_kr),
              Text(" och ".join(x.korsar), style="bold yellow") if x.korsar else "")
    t.sektion()
    t.rad("Summa", _tal(j.revision_kr), _tal(j.nya_manader_kr), _tal(j.forandring_kr), stil="bold")
    t.visa(console)
    _not(console, f"Revision: ändrade värden för januari–{a}; nya månader: det bara det senare uttaget täcker. "
                  "Revision + nya månader = förändringen, exakt.", "")
    if len(andrade) < len(j.rader):
        _not(console, f"{len(j.rader) - len(andrade)} rader är oförändrade (alla rader står i JSON och CSV).")
    korsar = [x for x in j.rader if x.korsar]
    if korsar:
        _not(console, "Rader där revisionen korsar basen eller taket, där en liten revision flyttar ett stort belopp: "
             + ", ".join(f"{x.namn} ({x.id}): {' och '.join(x.korsar)}" for x in korsar), "yellow")
    antaganden_not(console, r.antaganden)
    return _text(console)


# --- utbetala ----------------------------------------------------------------------------------------


def utbetala(rapport) -> str:
    console = _konsol(rapport)
    r = rapport.resultat
    u = r.resultat
    manad = f"{MANADER[u.manad - 1]} {u.ar}"
    t = Tabell(f"Utbetalning {manad}: {u.namn} ({u.utforare}) (kr)", ("Komponent", "left"),
               ("Rätt hittills", "right"), ("Betalt före", "right"), ("Månadens belopp", "right"))
    visade = 0
    for k in u.komponenter:
        if not (k.ratt_kr or k.betalt_kr):
            continue
        visade += 1
        namn = k.komponent.replace("tillagg:", "tillägg ").replace("avrakning:", "avräkning ")
        t.rad(namn + (" (kreditering)" if k.kreditering else ""), _tal(k.ratt_kr), _tal(k.betalt_kr),
              _tal(k.belopp_kr), stil="red" if k.kreditering else None)
    t.sektion()
    t.rad("Anslag", "", "", _tal(u.anslag_kr))
    t.rad("Tillägg", "", "", _tal(u.tillagg_kr))
    if u.avrakning_kr:
        t.rad("Avräkning", "", "", _tal(u.avrakning_kr))
    t.rad(f"Att betala {manad}", "", "", _tal(u.summa_kr), stil="bold")
    t.visa(console)
    if len(u.komponenter) > visade:
        _not(console, f"{len(u.komponenter) - visade} komponenter utan rätt och utan betalning visas inte "
                      "(alla står i JSON och CSV).")
    if u.betalt_ur_journal:
        _not(console, "Betalt före: det som bokförts i utbetalningsjournalen för månaderna före.", "")
    else:
        _not(console, "Ingen journal: \"betalt före\" är rätten t.o.m. månaden före, räknad ur samma utfall "
                      "(ange --journal FIL för det som faktiskt betalats).", "yellow")
    if r.bokford:
        _not(console, f"Bokförd i journalen: {manad}.", "bold green")
    krediteringar = [k for k in u.komponenter if k.kreditering]
    if krediteringar:
        _not(console, f"{len(krediteringar)} kreditering(ar): rätten hittills har sjunkit sedan det som betalats "
                      "(en revision av utfallet).", "bold red")
    antaganden_not(console, r.antaganden)
    return _text(console)


# --- priser ------------------------------------------------------------------------------------------


def priser(rapport) -> str:
    console = _konsol(rapport)
    r = rapport.resultat
    utforare = [p.utforare for p in r.rader[0].priser] if r.rader else []
    t = Tabell("Priser 2026 (kr) och avståndet till det kalkylerade priset", ("Rad", "left"),
               *((u, "right") for u in utforare), ("Kalkylerat", "right"))
    for grupp, rader in groupby(r.rader, key=lambda x: x.grupp):
        t.sektion()
        t.rad(grupp, stil="bold")
        for x in rader:
            t.rad(f"  {x.namn}", *(_tal(p.pris_kr) if p.pris_kr is not None else "–" for p in x.priser),
                  _tal(x.kalkylerat_kr) if x.kalkylerat_kr is not None else "–")
            if x.kalkylerat_kr is not None and any(p.andel is not None for p in x.priser):
                t.rad("    mot kalkylerat", *(_procent_tecken(p.andel) for p in x.priser), "", stil="dim")
    t.visa(console)
    _not(console, f"Källa: {r.kalla}", "")
    _not(console, "\"–\" är inget pris i tabellen. Tabellen visas för jämförelse; tilläggsersättningen räknas med "
                  "priskategorierna i prisfilen (regelboken §4).")
    return _text(console)


def _procent_tecken(andel) -> str:
    if andel is None:
        return "–"
    return ("+" if andel > 0 else "") + _procent(andel)
