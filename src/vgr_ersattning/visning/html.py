"""HTML (regelboken §25): vilken rapport som helst (`rapport.modell`) som en fil som inte behöver något
annat: CSS och SVG i filen, inget skript, inget från nätet, `lang="sv"`.

- På skärmen: tabellerna med rubrikerna och talen som i terminalen (svenskt talformat), rader för
  människor (grupper och summor), noter och fakta under tabellen och tabellens bild som SVG.
- Varje siffra som kan förklaras (`Cell.figur` med ett träd i `Redovisning.forklaringar`) öppnar
  sin förklaring (`<details>`): regeln, formeln med värdena, källorna och antagandena (§15).
- Utskrivet på A4: ett avsnitt per sida (sidbrytning före varje avsnitt), kolumnrubrikerna överst
  på varje sida en tabell fortsätter på, ingen rad delad mellan två sidor, förklaringarna stängda.
- Maskinläsbart: varje talcell har sitt värde i JSON:s form (`data-varde`) och sin nyckel
  (`data-nyckel`), och varje rad med ett id har det (`data-id`), så att en fil går att pröva mot
  `--format json`.
"""

from __future__ import annotations

import re
from decimal import Decimal
from html import escape
from typing import Any

from vgr_ersattning import __version__
from vgr_ersattning.rapport.byggare import KOMMANDON, bygg
from vgr_ersattning.rapport.modell import GRUPP, HTML, ID, SUMMA, Redovisning, Tabell
from vgr_ersattning.visning import celler
from vgr_ersattning.visning.html_bild import svg
from vgr_ersattning.visning.html_stil import STIL

__all__ = ("forklara", "skriv")


def skriv(red: Redovisning, rapport=None) -> str:
    """Rapporten som ett HTML-dokument."""
    delar = [_borjan(red.titel)]
    flera = len(red.avsnitt) > 1
    for i, avsnitt in enumerate(red.avsnitt):
        tabeller = [t for t in avsnitt.tabeller if HTML in t.visas]
        if not tabeller and not avsnitt.inledning:
            continue
        delar.append(f'<section class="avsnitt" id="avsnitt-{i + 1}">')
        if flera and avsnitt.rubrik:
            delar.append(f"<h2>{escape(avsnitt.rubrik)}</h2>")
        delar += [f'<p class="inledning">{escape(t)}</p>' for t in avsnitt.inledning]
        for t in tabeller:
            delar.append(tabell(t, red.forklaringar))
        delar.append("</section>")
    delar.append(kallor(red))
    delar.append("</main>\n</body>\n</html>\n")
    return "\n".join(delar)


def _borjan(titel: str) -> str:
    return ("<!DOCTYPE html>\n<html lang=\"sv\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<meta name=\"generator\" content=\"ersattning {escape(__version__)}\">\n"
            f"<title>{escape(titel)}</title>\n<style>\n{STIL}</style>\n</head>\n<body>\n<main>\n"
            f"<h1>{escape(titel)}</h1>")


def tabell(t: Tabell, forklaringar) -> str:
    kolumner = t.kolumner_i(HTML)
    id_kolumn = next((i for i, k in enumerate(t.kolumner) if k.nyckel == "id"),
                     next((i for i, k in enumerate(t.kolumner) if k.slag == ID), None))
    delar = [f'<div class="tabell" id="{_ankare(t.namn)}">']
    if t.bild is not None and HTML in t.bild.visas:
        delar.append(f'<figure>{svg(t, t.bild)}<figcaption>{escape(t.bild.titel)}</figcaption></figure>')
    if kolumner:
        delar.append(f'<table data-tabell="{escape(t.namn)}"><caption>{escape(t.titel)}</caption><thead><tr>')
        for _, k in kolumner:
            klass = ' class="tal"' if k.hogerstalld else ""
            delar.append(f'<th scope="col"{klass}>{escape(k.med_enhet if k.rubrik else "")}</th>')
        delar.append("</tr></thead><tbody>")
        for r in t.rader_i(HTML):
            klass = {GRUPP: "grupp", SUMMA: "summa"}.get(r.roll, "rad") + (" sektion" if r.sektion else "") + (
                " fet" if r.stil and "bold" in r.stil.split() else "")
            rid = celler.som_cell(r.celler[id_kolumn]).varde if id_kolumn is not None else None
            data = f' data-id="{escape(str(rid))}"' if isinstance(rid, str) and rid and r.roll != SUMMA else ""
            delar.append(f'<tr class="{klass}"{data}>')
            for j, (i, k) in enumerate(kolumner):
                delar.append(_cell(r.celler[i] if i < len(r.celler) else None, k, r.niva if j == 0 else 0,
                                   forklaringar))
            delar.append("</tr>")
        delar.append("</tbody></table>")
    fakta = [f for f in t.fakta if HTML in f.visas]
    if fakta:
        delar.append('<dl class="fakta">')
        for f in fakta:
            v = celler.maskinvarde(f.varde, f.slag)
            data = f' data-varde="{escape(v)}"' if v is not None and celler.ar_tal(f.varde, f.slag) else ""
            delar.append(f"<dt>{escape(f.etikett)}</dt><dd{data}>{escape(celler.for_manniskor(f.varde, f.slag))}</dd>")
        delar.append("</dl>")
    delar += [f'<p class="not">{escape(n.text)}</p>' for n in t.noter if HTML in n.visas]
    delar.append("</div>")
    return "".join(delar)


def _cell(v: Any, kolumn, niva: int, forklaringar) -> str:
    c = celler.som_cell(v)
    if c.visas is not None and HTML not in c.visas:
        return "<td></td>"
    s = celler.slag(kolumn, c)
    text = escape(celler.text(kolumn, c)).replace("\n", "<br>")
    attribut = [f'data-nyckel="{escape(kolumn.nyckel)}"']
    klasser = []
    if celler.ar_tal(c.varde, s):
        attribut.append(f'data-varde="{escape(celler.maskinvarde(c.varde, s))}"')
    if kolumn.hogerstalld:
        klasser.append("tal")
    elif s == ID:
        klasser.append("id")
    elif len(text) <= 16 and text.count(" ") <= 1:
        klasser.append("kort")          # ett eller två korta ord: bryts inte
    if niva:
        klasser.append(f"n{min(niva, 3)}")
    if c.stil and ("red" in c.stil.split()):
        klasser.append("negativ")
    if klasser:
        attribut.append(f'class="{" ".join(klasser)}"')
    nod = forklaringar.get(c.figur) if c.figur else None
    if nod is not None:
        text = (f'<details class="figur"><summary>{text}</summary><div class="forklaring">'
                f"{trad(nod)}</div></details>")
    return f"<td {' '.join(attribut)}>{text}</td>"


# --- förklaringar -----------------------------------------------------------------------------------------


def _nodvarde(n) -> str:
    v = getattr(n, "varde", None)
    if v is None:
        return "–"
    if isinstance(v, str):
        return v
    enhet = getattr(n, "enhet", "") or ""
    if enhet == "procent":
        return f"{celler.for_manniskor(Decimal(v), 'procent')}"
    if enhet == "tkr":
        return f"{celler.tkr_text(Decimal(v))} tkr"
    text = celler.tal_text(v)
    return f"{text} {enhet}" if enhet in ("kr", "mnkr") else text


def trad(n) -> str:
    """Ett förklaringsträd (`ersattning forklara`) som nästlade listor: namnet och värdet, regeln,
    formeln, källans nummer och antagandena för varje nod, och nodens delar under den; källorna
    (platsen och dokumentet) en gång var, numrerade, under trädet."""
    kallor: dict[tuple[str, str], int] = {}
    trad_ = f'<ul class="trad">{_nod(n, kallor)}</ul>'
    if not kallor:
        return trad_
    lista = "".join(f"<li>{escape(' – '.join(x for x in k if x))}</li>" for k in kallor)
    return f'{trad_}<ol class="kallor">{lista}</ol>'


def _nod(n, kallor: dict) -> str:
    delar = [f'<li><span class="nodnamn">{escape(str(getattr(n, "namn", n)))}</span>: '
             f'<span class="nodvarde">{escape(_nodvarde(n))}</span>']
    regel = getattr(n, "regel", "")
    if regel:
        delar.append(f' <span class="regel">({escape(str(regel))})</span>')
    kalla = (str(getattr(n, "plats", "") or ""), str(getattr(n, "dokument", "") or ""))
    if any(kalla):
        nummer = kallor.setdefault(kalla, len(kallor) + 1)
        delar.append(f' <span class="kallnr">[{nummer}]</span>')
    formel = getattr(n, "formel", "")
    if formel:
        delar.append(f'<div class="formel">{escape(str(formel))}</div>')
    antaganden = getattr(n, "antaganden", ())
    if antaganden:
        delar.append(f'<div class="antagande">Bygger på antagande {escape(", ".join(antaganden))}</div>')
    barn = tuple(getattr(n, "delar", ()) or ())
    if barn:
        delar.append('<ul>' + "".join(_nod(d, kallor) for d in barn) + "</ul>")
    delar.append("</li>")
    return "".join(delar)


# --- källor och antaganden --------------------------------------------------------------------------------

_PLATS = re.compile(r"^(?P<fil>.+?):(?P<rad>\d+)(?::\d+)?$")


def kallor(red: Redovisning) -> str:
    """Avsnittet Källor och antaganden: antagandena siffrorna bygger på, och dokumenten siffrorna
    kommer ur med filerna och raderna (varje siffras egen plats står i arbetsboken och förklaringen)."""
    delar = ['<section class="avsnitt kallor" id="kallor"><h2>Källor och antaganden</h2>']
    if red.antaganden:
        delar.append('<h3>Antaganden</h3><dl class="antaganden">')
        for a, t in red.antaganden.items():
            delar.append(f'<dt id="antagande-{escape(a)}">{escape(a)}</dt><dd>{escape(t.text)}'
                         f'<div class="kalla">{escape(t.kalla)}</div></dd>')
        delar.append("</dl>")
    else:
        delar.append(f'<p class="not">{escape(red.om_antaganden or "Siffrorna bygger inte på något antagande.")}</p>')
    per_dokument: dict[str, dict[str, list[int]]] = {}
    for k in red.kallor:
        filer = per_dokument.setdefault(k.dokument, {})
        for plats in (k.plats or "").split(", "):
            m = _PLATS.match(plats)
            if m:
                filer.setdefault(m["fil"], []).append(int(m["rad"]))
            elif plats:
                filer.setdefault(plats, [])
    if per_dokument:
        delar.append('<h3>Källor</h3><table class="kalltabell"><thead><tr><th scope="col">Dokument</th>'
                     '<th scope="col">Filer och rader</th></tr></thead><tbody>')
        for dokument, filer in per_dokument.items():
            platser = "; ".join(_filrader(f, r) for f, r in filer.items())
            delar.append(f"<tr><td>{escape(dokument or '–')}</td><td>{escape(platser)}</td></tr>")
        delar.append("</tbody></table>")
        delar.append('<p class="not">Varje siffras egen plats (fil:rad:kolumn) står i arbetsboken (--format xlsx), '
                     "bladet Källor och antaganden, och i förklaringen av siffran.</p>")
    delar.append("</section>")
    return "".join(delar)


def _filrader(fil: str, rader: list[int]) -> str:
    if not rader:
        return fil
    unika = sorted(set(rader))
    if len(unika) == 1:
        return f"{fil} rad {unika[0]}"
    return f"{fil} rad {unika[0]}–{unika[-1]} ({len(unika)} rader)"


def _ankare(namn: str) -> str:
    return "t-" + re.sub(r"[^a-z0-9]+", "-", namn.lower().translate(str.maketrans("åäö", "aao"))).strip("-")


# --- forklara ---------------------------------------------------------------------------------------------


def forklara(rapport) -> str:
    """`forklara` som HTML: trädet (eller listan över siffror som kan förklaras) och antagandena."""
    r = rapport.resultat
    if hasattr(r, "figurer"):
        rader = "".join(f"<tr><td>{escape(f)}</td><td>{escape(b)}</td></tr>" for f, b in r.figurer)
        kropp = ('<table><caption>Siffror som kan förklaras</caption><thead><tr><th scope="col">Figur</th>'
                 f'<th scope="col">Vad</th></tr></thead><tbody>{rader}</tbody></table>')
        return f"{_borjan('Siffror som kan förklaras')}\n{kropp}\n</main>\n</body>\n</html>\n"
    antaganden = "".join(f"<dt>{escape(a)}</dt><dd>{escape(t.text)}</dd>"
                         for a, t in getattr(r, "antaganden", {}).items())
    kropp = f'<section class="avsnitt">{trad(r.nod)}' + (
        f'<h3>Antaganden</h3><dl class="antaganden">{antaganden}</dl>' if antaganden else "") + "</section>"
    return f"{_borjan(f'Förklaring av {r.figur}')}\n{kropp}\n</main>\n</body>\n</html>\n"


def __getattr__(namn: str):
    """`html.<kommando>(rapport)` för varje kommando med en byggare."""
    if namn in KOMMANDON:
        return lambda rapport: skriv(bygg(namn, rapport), rapport)
    raise AttributeError(f"module {__name__!r} has no attribute {namn!r}")
