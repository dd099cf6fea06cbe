"""Tabeller för terminalen (rich), svenskt talformat. Importeras bara när tabell är formatet."""

from __future__ import annotations

from decimal import Decimal
from itertools import groupby

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from vgr_ersattning.pengar import HUNDRA, svensk, svensk_procent

MANADER = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
           "november", "december")


def _tabell(titel: str, *kolumner: tuple[str, str]) -> Table:
    t = Table(title=titel, box=box.SIMPLE_HEAVY, title_justify="left", title_style="bold")
    for i, (namn, just) in enumerate(kolumner):
        t.add_column(namn, justify=just, no_wrap=(just == "right"), min_width=24 if i == 0 and just == "left" else None,
                     overflow="fold")
    return t


def _block(t: Table, rader: list[tuple[tuple[str, ...], str | None]]) -> None:
    """Lägger många tabellrader som EN rad med flerradiga celler.

    Tabellen ser likadan ut, men rich renderar en cell med tio rader ungefär dubbelt så fort som
    tio celler (uppmätt i benchmarks/uppstart.py: planens tabell är det mesta av `berakna`:s tid
    efter importerna). Kolumnerna får inte radbrytas (`no_wrap`), annars glider raderna isär.
    """
    kolumner = []
    for i in range(len(t.columns)):
        cell = Text()
        for j, (varden, stil) in enumerate(rader):
            if j:
                cell.append("\n")
            cell.append(varden[i] if i < len(varden) else "", style=stil or "")
        kolumner.append(cell)
    t.add_row(*kolumner)


def _tkr(v: Decimal) -> str:
    """tkr med de decimaler värdet har, högst tre (ett utfall kan ha decimaler, en nivå sällan)."""
    for d in (0, 1, 2):
        if v == round(v, d):
            return svensk(v, d)
    return svensk(v, 3)


def _procent(andel: Decimal | None) -> str:
    return svensk_procent(andel * HUNDRA, 1) if andel is not None else "–"


def antaganden_not(console: Console, ider, antaganden) -> None:
    for a in ider:
        if a in antaganden:
            console.print(Text(f"Antagande {a}: {antaganden[a].text}", style="dim"), soft_wrap=True)


def kontroller(console: Console, kontroller, plats_for) -> None:
    t = _tabell("Kontroller", ("Kontroll", "left"), ("", "center"), ("Värde", "right"), ("Differens", "right"),
                ("Meddelande", "left"))
    for k in kontroller:
        enhet = f" {k.enhet}" if k.enhet and k.enhet != "antal" else ""
        t.add_row(k.namn, Text("✓", style="green") if k.ok else Text("✗", style="bold red"),
                  svensk(k.varde) + enhet if k.varde is not None else "",
                  svensk(k.differens) + enhet if k.differens is not None else "",
                  k.meddelande if k.ok else f"{k.meddelande}\n[{plats_for(k)}]")
    console.print(t)
    fel = sum(1 for k in kontroller if not k.ok)
    if fel:
        console.print(Text(f"{fel} av {len(kontroller)} kontroller underkända", style="bold red"))
    else:
        console.print(Text(f"Alla {len(kontroller)} kontroller godkända", style="bold green"))


def anmarkningar(console: Console, utforare) -> None:
    """REGLER §14: kända fel i dokumenten visas, de döljs inte."""
    for uid, u in utforare.items():
        for a in u.anmarkningar:
            console.print(Text(f"Anmärkning {uid}: {a.text} ({a.kalla})", style="dim"), soft_wrap=True)


def berakna(console: Console, ar: int, namn: str, tillagg, anslag, avrakning, utbetalning, grupper,
            antaganden) -> None:
    plan = tillagg.ar_plan and tillagg.till_och_med == 12
    if plan:
        # Planen: utfall = uppdrag, ersatta = tillägg och måluppfyllelse 100 % på varje rad, så de
        # kolumnerna visas inte.
        rubrik = f"{namn} ({tillagg.utforare}) – plan {ar}, produktion = uppdrag"
        kolumner = (("Rad", "left"), ("Bas", "right"), ("Tillägg", "right"), ("Uppdrag", "right"),
                    ("Pris kr", "right"), ("Belopp kr", "right"))
    else:
        rubrik = (f"{namn} ({tillagg.utforare}) – "
                  + (f"plan till och med {MANADER[tillagg.till_och_med - 1]} {ar}" if tillagg.ar_plan else
                     f"utfall till och med {MANADER[tillagg.till_och_med - 1]} {ar}"))
        kolumner = (("Rad", "left"), ("Bas", "right"), ("Tillägg", "right"), ("Utfall", "right"),
                    ("Ersatta", "right"), ("Pris kr", "right"), ("Belopp kr", "right"), ("Måluppf.", "right"))
    t = _tabell(f"Tilläggsersättning: {rubrik}", *kolumner)
    for kol in t.columns:
        kol.no_wrap, kol.overflow = True, "ellipsis"
    summor: dict[str, list[Decimal]] = {}
    for r in tillagg.rader:
        v, k, _ = r.id.split(".")
        for g in (v, f"{v}.{k}"):
            s = summor.setdefault(g, [Decimal(0)] * 6)
            s[0] += r.utfall
            s[1] += r.ersatta
            s[2] += r.belopp_kr
            s[3] += r.plan
            s[4] += r.bas
            s[5] += r.tillagg

    def rad(etikett, bas, till, utfall, ersatta, pris, belopp, andel) -> tuple[str, ...]:
        if plan:
            return (etikett, bas, till, utfall, pris, belopp)
        return (etikett, bas, till, utfall, ersatta, pris, belopp, andel)

    def summarad(g: str) -> tuple[str, ...]:
        s = summor[g]
        return rad(f"Summa {grupper.get(g, g).lower()}", svensk(s[4]), svensk(s[5]), svensk(s[0]), svensk(s[1]), "",
                   svensk(s[2]), _procent(s[0] / s[3] if s[3] else None))

    for i, (v, vrader) in enumerate(groupby(tillagg.rader, key=lambda r: r.id.split(".")[0])):
        if i:
            t.add_section()
        block: list[tuple[tuple[str, ...], str | None]] = [((grupper.get(v, v),), "bold")]
        for kat, krader in groupby(vrader, key=lambda r: r.id.rsplit(".", 1)[0]):
            block.append((("  " + grupper.get(kat, kat),), "bold"))
            for r in krader:
                markering = f" ({r.antagande})" if r.antagande else ""
                block.append((rad(f"    {r.namn}{markering}", svensk(r.bas), svensk(r.tillagg), svensk(r.utfall),
                                  svensk(r.ersatta), svensk(r.pris_kr), svensk(r.belopp_kr),
                                  _procent(r.maluppfyllelse)), None))
            block.append((summarad(kat), "italic"))
        block.append((summarad(v), "bold"))
        _block(t, block)
    t.add_section()
    t.add_row(*rad("Totalt", svensk(sum(r.bas for r in tillagg.rader)), svensk(sum(r.tillagg for r in tillagg.rader)),
                   svensk(tillagg.utfall), svensk(sum((Decimal(r.ersatta) for r in tillagg.rader), Decimal(0))), "",
                   svensk(tillagg.summa_kr), _procent(tillagg.maluppfyllelse)), style="bold")
    console.print(t)

    kolumner = [("Månad", "left"), ("Anslag", "right"), ("Tillägg", "right")]
    if utbetalning.med_avrakning:
        kolumner.append(("Avräkning", "right"))
    m = _tabell("Utbetalning per månad (kr)", *kolumner, ("Summa", "right"))
    manadsrader: list[tuple[tuple[str, ...], str | None]] = []
    for u in utbetalning.manader:
        celler = [MANADER[u.manad - 1], svensk(u.anslag_kr), svensk(u.tillagg_kr)]
        if utbetalning.med_avrakning:
            celler.append(svensk(u.avrakning_kr) if u.avrakning_kr is not None else "")
        celler.append(svensk(u.summa_kr))
        # En kreditering (negativ utbetalning) syns i rött.
        manadsrader.append((tuple(celler), "red" if u.tillagg_kr < 0 else None))
    for kol in m.columns:
        kol.no_wrap = True
    _block(m, manadsrader)
    m.add_section()
    celler = ["Summa", svensk(utbetalning.anslag_kr), svensk(utbetalning.tillagg_kr)]
    if utbetalning.med_avrakning:
        celler.append(svensk(utbetalning.avrakning_kr))
    m.add_row(*celler, svensk(utbetalning.summa_kr), style="bold")
    console.print(m)
    console.print(f"Ersättningsram {svensk(anslag.ram_tkr)} tkr, anslag {svensk_procent(anslag.fast_andel_procent, 0)} "
                  f"fast, betalt månadsvis (januari–november ram/12 avrundat, december resten).", soft_wrap=True)
    if tillagg.ar_plan:
        console.print(Text(f"Tilläggsersättning vid full leverans: {svensk(tillagg.summa_kr)} kr", style="bold"))
    antaganden_not(console, tillagg.antaganden + (("A5",) if avrakning is not None else ()), antaganden)
    if not plan:
        antaganden_not(console, ("A2",), antaganden)


def avrakning(console: Console, ar: int, res, antaganden) -> None:
    t = _tabell("Avräkning (tkr)", ("Post", "left"), ("Tillfälle", "left"), ("Nivå", "right"), ("Utfall hittills", "right"),
                ("Tak", "right"), ("Utbetalt", "right"), ("Reglerat hittills", "right"), ("Reglering", "right"))
    for p in res.poster:
        for i, tf in enumerate(p.tillfallen):
            t.add_row(p.namn if i == 0 else "", f"{MANADER[tf.manad - 1]} {ar}", _tkr(p.niva_tkr),
                      _tkr(tf.utfall_tkr), _tkr(tf.tak_tkr), _tkr(tf.utbetalt_tkr),
                      _tkr(tf.reglerat_hittills_tkr),
                      Text(_tkr(tf.reglering_tkr), style="red" if tf.reglering_tkr < 0 else ""))
        if not p.tillfallen:
            t.add_row(p.namn, "saknar utfall" if p.saknar_utfall else "inget avräkningstillfälle ännu", _tkr(p.niva_tkr))
        t.add_section()
    t.add_row(Text("Summa reglering", style="bold"), "", "", "", "", "", "",
              Text(_tkr(res.summa_reglering_tkr), style="bold"))
    console.print(t)
    console.print(Text("Negativ reglering betyder pengar tillbaka till regionen.", style="dim"), soft_wrap=True)
    antaganden_not(console, (res.antagande,) if res.antagande else (), antaganden)


def brygga(console: Console, r, b) -> None:
    t = _tabell("Förändringar jämfört med föregående uppdrag (tkr)", ("Rad", "left"), ("Belopp", "right"))
    t.add_row(b.fran.namn, svensk(r.fran_tkr))
    t.add_row(f"{b.index.namn} (räknat {svensk(r.upprakning_tkr, 3)})", svensk(r.upprakning_tryckt_tkr))
    t.add_row(Text(b.delsumma.namn, style="bold"), Text(svensk(r.delsumma.angiven_tkr), style="bold"))
    for j in b.justeringar:
        t.add_row(j.namn + (" *" if j.anmarkning else ""), svensk(j.belopp_tkr))
    t.add_section()
    t.add_row(Text(b.till.namn, style="bold"), Text(svensk(r.total.angiven_tkr), style="bold"))
    console.print(t)
    console.print(f"Källa: {b.kalla}")
    for steg in (r.delsumma, r.total):
        d, tol = steg.differens_tkr, steg.tolerans_tkr
        if steg.stammer:
            console.print(Text((f"{steg.namn}: stämmer inom avrundning: differens {svensk(d)} tkr, tolerans {svensk(tol)} tkr"
                               f" (summa av tryckta termer {svensk(steg.summa_tkr)})"), style="green"), soft_wrap=True)
        else:
            console.print(Text((f"{steg.namn}: stämmer inte: differens {svensk(d)} tkr, tolerans {svensk(tol)} tkr "
                               f"(summa av tryckta termer {svensk(steg.summa_tkr)})"), style="bold red"), soft_wrap=True)
    for ledtrad in r.ledtradar:
        console.print(Text((f"Ledtråd: {ledtrad}"), style="yellow"), soft_wrap=True)
    for j in b.justeringar:
        if j.anmarkning:
            console.print(Text(f"* {j.namn}: {j.anmarkning}", style="dim"), soft_wrap=True)


def malrelaterad(console: Console, ar: int, res, antaganden) -> None:
    t = _tabell("1177 målrelaterad ersättning", ("Kvartal", "left"), ("Andel inom 8 min", "right"),
                ("Utbetalning", "right"), ("Belopp kr", "right"))
    for k in res.kvartal:
        t.add_row(f"{ar}-Q{k.kvartal}", svensk_procent(k.andel_procent, 2), svensk_procent(k.utbetalning_procent, 0),
                  svensk(k.belopp_kr))
    t.add_section()
    t.add_row(Text("Summa", style="bold"), "", "", Text(svensk(res.summa_kr), style="bold"))
    console.print(t)
    console.print(f"Ett kvartals belopp vid 100 %: {svensk(res.kvartalsbelopp_kr)} kr")
    antaganden_not(console, res.antaganden, antaganden)


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


def uppfoljning(console: Console, period, bedomningar) -> None:
    t = _tabell(f"Uppföljning {period}", ("", "center"), ("Indikator", "left"), ("Målvärde", "left"),
                ("Utfall", "right"), ("Föregående", "right"), ("Status", "left"))
    omrade = None
    for b in sorted(bedomningar, key=lambda b: b.indikator.omrade):
        if b.indikator.omrade != omrade:
            if omrade is not None:
                t.add_section()
            omrade = b.indikator.omrade
            t.add_row("", Text(omrade, style="bold"))
        tecken, stil = _STATUS[b.status]
        t.add_row(Text(tecken, style=stil), f"{b.indikator.namn} [{b.id}]", b.indikator.malvarde_text or "",
                  _indvarde(b.utfall, b.indikator.enhet), _indvarde(b.foregaende, b.indikator.enhet),
                  Text(_STATUSTEXT[b.status], style=stil))
    console.print(t)
    bedomda = [b for b in bedomningar if b.status != "information"]
    upp = sum(1 for b in bedomda if b.status == "uppfyllt")
    saknar = sum(1 for b in bedomda if b.status == "saknar_utfall")
    rad = f"{upp} av {len(bedomda)} uppfyllda"
    if saknar:
        rad += f", {saknar} saknar utfall"
    ejb = sum(1 for b in bedomda if b.status == "ej_bedombart")
    if ejb:
        rad += f", {ejb} ej bedömbar" + ("a" if ejb > 1 else "")
    console.print(Text(rad, style="bold"))


def kalender(console: Console, kal, indikatorer) -> None:
    t = _tabell("Uppföljningskalender", ("Tillfälle", "left"), ("Indikator", "left"), ("Uppgiftslämnare", "left"))
    for p, ider in kal:
        if not ider:
            continue
        for i, iid in enumerate(ider):
            t.add_row(str(p) if i == 0 else "", f"{indikatorer[iid].namn} [{iid}]", indikatorer[iid].uppgiftslamnare or "")
        t.add_section()
    console.print(t)


def scenario(console: Console, resultat, delegation_kr, med_utfall: bool) -> None:
    for r in resultat:
        t = _tabell(f"Scenario: {r.namn}", ("Rad/kategori", "left"), ("Fält", "left"), ("Från", "right"),
                    ("Till", "right"))
        for a in r.andringar:
            t.add_row(a.id, "tillägg" if a.falt == "tillagg" else a.falt, svensk(a.fran), svensk(a.till))
        console.print(t)
        console.print(Text(f"Förändring av tilläggsersättning vid full leverans: {svensk(r.forandring_plan_kr)} kr",
                           style="bold"))
        if med_utfall and r.forandring_utfall_kr is not None:
            console.print(f"Förändring vid faktiskt utfall: {svensk(r.forandring_utfall_kr)} kr")
        if r.kraver_namndbeslut:
            console.print(Text(f"Kräver beslut i nämnden (över delegationen {svensk(delegation_kr)} kr)", style="bold red"))
        else:
            console.print(Text(f"Inom delegationen ({svensk(delegation_kr)} kr)", style="green"))
    if len(resultat) > 1:
        total = sum((r.forandring_plan_kr for r in resultat), Decimal(0))
        console.print(Text(f"{len(resultat)} scenarier, summa av förändringarna vid plan {svensk(total)} kr", style="bold"))
