"""HTML-rapportens stil (CSS i filen): läsbar på en skärm och utskriven på A4.

Utskriften: A4 stående med 12 mm marginal (186 mm bred text), ett avsnitt per sida, tabellhuvudet
överst på varje sida en tabell fortsätter på, ingen tabellrad och inget diagram delat mellan sidor,
förklaringarna stängda. Tal är högerställda och bryts aldrig; text bryts var som helst hellre än att
en tabell blir bredare än sidan.
"""

STIL = """\
:root { --text: #1a1a1a; --svag: #555; --linje: #c8c8c8; --grupp: #f2f2f2; --negativ: #b00020; --lank: #0b4f8a; }
* { box-sizing: border-box; }
html { font-family: "Segoe UI", "Liberation Sans", "DejaVu Sans", Arial, sans-serif; color: var(--text);
       font-size: 15px; line-height: 1.35; }
body { margin: 0; background: #fafafa; }
main { max-width: 64rem; margin: 0 auto; padding: 1.5rem 1.25rem 3rem; background: #fff; }
h1 { font-size: 1.45rem; margin: 0 0 1rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 .6rem; padding-bottom: .2rem; border-bottom: 2px solid var(--text); }
h3 { font-size: 1rem; margin: 1.2rem 0 .4rem; }
section.avsnitt { margin-bottom: 1.5rem; }
.inledning { margin: .2rem 0 .6rem; }
.tabell { margin: .8rem 0 1.2rem; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 600; padding: .2rem 0 .35rem; caption-side: top; }
th, td { padding: .18rem .45rem; border-bottom: 1px solid var(--linje); vertical-align: top; text-align: left;
         overflow-wrap: break-word; }
th { font-weight: 600; border-bottom: 2px solid var(--text); vertical-align: bottom; hyphens: auto; }
th.tal { text-align: right; }
td.tal { text-align: right; white-space: nowrap; }
td.id { overflow-wrap: anywhere; font-size: .92em; }
td.kort { white-space: nowrap; }
tr.grupp td { background: var(--grupp); font-weight: 600; }
tr.fet td { font-weight: 700; }
tr.summa.sektion td { border-top: 2px solid var(--text); }
tr.grupp.sektion td { border-top: 1px solid var(--text); }
td.n1 { padding-left: 1.2rem; } td.n2 { padding-left: 2rem; } td.n3 { padding-left: 2.8rem; }
td.negativ { color: var(--negativ); }
.not { color: var(--svag); font-size: .9rem; margin: .25rem 0; }
dl.fakta { display: grid; grid-template-columns: max-content auto; gap: .1rem 1rem; margin: .5rem 0; }
dl.fakta dt { font-weight: 600; } dl.fakta dd { margin: 0; font-variant-numeric: tabular-nums; }
dl.antaganden dt { font-weight: 700; float: left; width: 2.5rem; }
dl.antaganden dd { margin: 0 0 .5rem 2.5rem; }
.kalla { color: var(--svag); font-size: .85rem; }
figure { margin: .4rem 0 .8rem; }
figcaption { color: var(--svag); font-size: .85rem; }
svg.bild { width: 100%; height: auto; display: block; font-size: 11px; }
svg .axel { fill: var(--svag); } svg .forklaring { fill: var(--text); }
svg .rutnat { stroke: #e3e3e3; stroke-width: 1; } svg .hundra { stroke: var(--text); stroke-dasharray: 4 3; }
details.figur { display: inline-block; position: relative; }
details.figur > summary { cursor: pointer; list-style: none; color: var(--lank);
                          text-decoration: underline dotted; text-underline-offset: 2px; }
details.figur > summary::-webkit-details-marker { display: none; }
details.figur[open] > summary { font-weight: 700; }
details.figur > .forklaring { position: absolute; right: 0; top: 1.5em; z-index: 10; width: min(40rem, 86vw);
  background: #fff; border: 1px solid #888; box-shadow: 0 4px 14px rgba(0, 0, 0, .18); padding: .5rem .8rem;
  text-align: left; white-space: normal; font-weight: 400; font-size: .85rem; line-height: 1.3;
  max-height: 70vh; overflow: auto; }
ul.trad, ul.trad ul { list-style: none; margin: 0; padding-left: 1rem; border-left: 1px solid var(--linje); }
ul.trad { padding-left: 0; border-left: 0; }
ul.trad li { margin: .2rem 0; }
.nodnamn { font-weight: 600; } .regel { color: var(--svag); } .formel { font-family: monospace; }
.antagande { color: #7a5a00; }
.kallnr { color: var(--svag); font-size: .85em; }
ol.kallor { margin: .5rem 0 0; padding-left: 1.6rem; color: var(--svag); font-size: .9em; }
table.kalltabell td:first-child { width: 60%; }
@page { size: A4 portrait; margin: 12mm; }
@media print {
  html { font-size: 8pt; line-height: 1.22; }
  body { background: #fff; }
  main { max-width: none; padding: 0; }
  h1 { font-size: 14pt; margin-bottom: 4mm; }
  h2 { font-size: 12pt; margin-top: 0; }
  section.avsnitt { break-before: page; margin: 0; }
  section.avsnitt:first-of-type { break-before: auto; }
  thead { display: table-header-group; }
  tr, figure, dl.fakta, dd { break-inside: avoid; }
  tr.grupp { break-after: avoid; }
  h2, h3, caption, figure { break-after: avoid; }
  details.figur > summary { color: inherit; text-decoration: none; }
  details.figur > .forklaring { display: none; }
  th, td { padding: .5mm 1.2mm; }
  svg.bild { max-height: 95mm; }
}
"""
