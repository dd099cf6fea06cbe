"""Strömmad utdata för scenariobatchar: varje scenarios resultat formateras och skrivs när
det är räknat, så att minnet inte växer med batchen.

Texten är byte för byte densamma som renderarna `jsonformat.scenario` och `csvformat.scenario` ger
för hela listan (`tests/test_scenario_strom.py` prövar det): JSON är samma dokument på en rad,
`{"scenarier": [...]}`, skrivet ett element i taget; CSV samma rubrik och rader i båda dialekterna.
Resultatet går till `utskrift.Strommad`: en temporär fil som blir `--ut` eller kopieras till
standard ut först när hela indata är granskad och allt är räknat.
"""

from __future__ import annotations

import io
import itertools
import json
import operator
import os

from vgr_ersattning.filer import kopiera
from vgr_ersattning.pengar import maskin
from vgr_ersattning.visning import csvformat

# Samma strängkodning som json.dumps(..., ensure_ascii=False) använder.
_STRANG = json.encoder.encode_basestring   # type: ignore[attr-defined]

# Så många resultat samlas innan de skrivs (en skrivning per block, inte per scenario).
BLOCK = 512

JSON_BORJAN = '{"scenarier": ['
JSON_SLUT = "]}\n"


# Texten före värdet "till" för varje (id, falt, fran) i `json_scenario`: den beror bara på dem.
_BORJAN: dict[tuple, str] = {}
MAX_BORJAN = 4096


def _text(v) -> str:
    """Ett tal som `maskin` skriver det: ett heltal (int eller Decimal) utan decimaler, annars `maskin`."""
    if type(v) is int:
        return str(v)
    i = int(v)
    return str(i) if i == v else maskin(v)


def _andringens_borjan(id_: str, falt: str, fran) -> str:
    """En ändrings text i `json_scenario` fram till värdet "till"."""
    return f'{{"id": {_STRANG(id_)}, "falt": {_STRANG(falt)}, "fran": "{_text(fran)}", "till": "'


def json_scenario(r) -> str:
    """Ett scenarios objekt i `jsonformat.scenario`, som json.dumps skriver det."""
    borjan = _BORJAN
    delar = []
    for a in r.andringar:
        b = borjan.get(a[:3])
        if b is None:
            if len(borjan) >= MAX_BORJAN:
                borjan.clear()
            b = borjan[a[:3]] = _andringens_borjan(a.id, a.falt, a.fran)
        till = a.till
        delar.append(f'{b}{till if type(till) is int else _text(till)}"}}')
    utfall = r.forandring_utfall_kr
    return (f'{{"namn": {_STRANG(r.namn)}, "andringar": [{", ".join(delar)}], '
            f'"forandring_plan_kr": "{_text(r.forandring_plan_kr)}", '
            f'"forandring_utfall_kr": {"null" if utfall is None else chr(34) + _text(utfall) + chr(34)}, '
            f'"kraver_namndbeslut": {"true" if r.kraver_namndbeslut else "false"}}}')


_SANT = {True: "true", False: "false"}.__getitem__


def _texter(tal: list) -> list[str]:
    """`_text` för varje tal (int eller Decimal), heltal som int i ett svep."""
    if set(map(type, tal)) <= {int}:
        return list(map(str, tal))
    return list(map(_text, tal))


class _Andringstexter:
    """Texten för varje ändring i ett `Resultatblock` (som i `json_scenario`): texten före volymen
    "till" minns per kod för blockens ordbok (en motor: koderna betyder samma sak i hela batchen).
    Texten efter den byggs om varje gång: det går fortare än att hämta hundratusentals sparade texter
    ur minnet."""

    def __init__(self):
        self.ordbok = None
        self.borjan: list = []

    def __call__(self, rb) -> tuple[list[str], list[str]]:
        """(texten före volymen, volymen som text) för varje ändring."""
        if rb.ordbok is not self.ordbok or len(rb.ordbok) != len(self.borjan):
            self.ordbok, self.borjan = rb.ordbok, [None] * len(rb.ordbok)
        borjan = self.borjan
        delar = list(map(borjan.__getitem__, rb.kod))
        if None in delar:
            for i, k in enumerate(rb.kod):
                if delar[i] is None:
                    if borjan[k] is None:
                        borjan[k] = _andringens_borjan(*rb.ordbok[k])
                    delar[i] = borjan[k]
        return delar, _texter(rb.till)


_UTAN_UTFALL = {True: '", "forandring_utfall_kr": null, "kraver_namndbeslut": true}',
                False: '", "forandring_utfall_kr": null, "kraver_namndbeslut": false}'}.__getitem__


def json_block(rb, forst: bool, andringstexter: _Andringstexter | None = None) -> str:
    """Scenarierna i ett `Resultatblock` som `json_scenario` skriver dem, åtskilda av ", " (och ett ", "
    före det första när `forst` är falskt)."""
    borjan, till = (andringstexter or _Andringstexter())(rb)
    g = rb.granser
    upprepa, plus = itertools.repeat, operator.add
    plan = _texter(rb.plan)
    if all(map(operator.is_, rb.utfall, upprepa(None))):
        slut = map(plus, plan, map(_UTAN_UTFALL, rb.kraver_namndbeslut))
    else:
        slut = [f'{p}", "forandring_utfall_kr": {"null" if u is None else chr(34) + _text(u) + chr(34)}, '
                f'"kraver_namndbeslut": {_SANT(k)}}}' for p, u, k in zip(plan, rb.utfall, rb.kraver_namndbeslut)]
    namn = list(map(_STRANG, rb.namn))
    if not namn:
        return ""
    if g[0] == 0 and all(map(operator.lt, g, g[1:])):
        # Varje scenario har ändringar (som i läsarens block): texten är ändringarna efter varandra, var
        # och en följd av ", " inom sitt scenario och den sista av scenariots slut och nästa scenarios
        # början.
        efter = ['"}, '] * len(borjan)
        nasta = itertools.chain(map(plus, map(plus, upprepa(', {"namn": '), namn[1:]), upprepa(', "andringar": [')),
                                ("",))
        list(map(efter.__setitem__, map(operator.sub, g[1:], upprepa(1)),
                 map(plus, map(plus, upprepa('"}], "forandring_plan_kr": "'), slut), nasta)))
        text = f'{"" if forst else ", "}{{"namn": {namn[0]}, "andringar": [' + "".join(
            itertools.chain.from_iterable(zip(borjan, till, efter)))
        return text
    texter = list(map(plus, map(plus, borjan, till), upprepa('"}')))
    andringar = map(", ".join, map(texter.__getitem__, map(slice, g, g[1:])))
    text = "".join(itertools.chain.from_iterable(zip(
        upprepa(', {"namn": '), namn, upprepa(', "andringar": ['), andringar,
        upprepa('], "forandring_plan_kr": "'), slut)))
    return text[2:] if forst else text


class Scenarioskrivare:
    """Skriver scenariernas resultat i `format` (json eller csv, i CSV-dialekten `dialekt`) till `fil`
    (en `utskrift.Utdata`, eller en vanlig binär fil) medan de räknas:

        skrivare = Scenarioskrivare("json", "maskin", fil)
        for r in resultaten:
            skrivare.skriv(r)
        skrivare.klar()

    `borja_om()` kastar det som skrivits (när en scenariofil måste läsas om)."""

    def __init__(self, format: str, dialekt: str, fil):
        if format not in ("json", "csv"):
            raise ValueError(f"{format} strömmas inte")
        self.format, self.dialekt, self._fil = format, dialekt, fil
        self._andringstexter = _Andringstexter()
        self._borja()

    def _borja(self) -> None:
        self._block: list[str] = []
        self._forsta = True
        if self.format == "json":
            self._fil.write(JSON_BORJAN.encode("utf-8"))
            return
        self._buf = io.StringIO()
        self._csv = csvformat.scenario_skrivare(self._buf, self.dialekt)
        self._tom()

    def skriv(self, r) -> None:
        """Ett scenarios resultat."""
        if self.format == "json":
            self._block.append(json_scenario(r))
        else:
            self._csv(r)
            self._block.append("")
        if len(self._block) >= BLOCK:
            self._tom()

    def skriv_block(self, rb) -> None:
        """Ett `Resultatblock`: samma text som dess resultat ett i taget (`skriv`)."""
        if self.format != "json":
            for r in rb.resultat():
                self.skriv(r)
            return
        if not rb.namn:
            return
        self._tom()
        self._fil.write(json_block(rb, self._forsta, self._andringstexter).encode("utf-8"))
        self._forsta = False

    def klar(self) -> None:
        """Allt är räknat: resten och dokumentets slut."""
        self._tom()
        if self.format == "json":
            self._fil.write(JSON_SLUT.encode("utf-8"))

    def borja_om(self) -> None:
        self._fil.borja_om()
        self._borja()

    def lagg_till(self, fil) -> None:
        """En annan skrivares hela dokument i samma format och dialekt (`fil`, binärt) läggs efter det
        som skrivits här, utan dess början (JSON:s `{"scenarier": [`, CSV:s BOM och rubrik) och slut:
        texten blir densamma som om alla resultat skrivits här (scenarier räknade i två processer)."""
        self._tom()
        if self.format == "json":
            borjan, slut = JSON_BORJAN.encode("utf-8"), JSON_SLUT.encode("utf-8")
        else:
            buf = io.StringIO()
            csvformat.scenario_skrivare(buf, self.dialekt)
            borjan, slut = buf.getvalue().encode("utf-8"), b""
        kvar = os.fstat(fil.fileno()).st_size - len(borjan) - len(slut)
        if fil.read(len(borjan)) != borjan or kvar < 0:
            raise ValueError("dokumentet är inte en scenarioskrivares")
        if kvar and self.format == "json":
            if not self._forsta:
                self._fil.write(b", ")
            self._forsta = False
        lagg_till_fil = getattr(self._fil, "lagg_till_fil", None)
        if lagg_till_fil is not None:       # en `Utdata`: utan att byten går genom Python
            lagg_till_fil(fil, kvar)
        else:
            kopiera(fil, kvar, self._fil.write)

    def _tom(self) -> None:
        if self.format == "json":
            if not self._block:
                return
            text = ", ".join(self._block)
            if not self._forsta:
                text = ", " + text
            self._forsta = False
        else:
            text = self._buf.getvalue()
            self._buf.seek(0)
            self._buf.truncate()
        self._block.clear()
        if text:
            self._fil.write(text.encode("utf-8"))


def skriv_strom(rapport, format: str, dialekt: str, fil) -> None:
    """Det strömmande formatets förmåga: rapportens ström (`rapport.strom.skriv_till(skrivare)`)
    räknar och lämnar varje resultat till en skrivare i `format`, som skriver till `fil`."""
    skrivare = Scenarioskrivare(format, dialekt, fil)
    rapport.strom.skriv_till(skrivare)
    skrivare.klar()
