"""Inläsning av scenarier: `--satt/--andra/--pris` på kommandoraden och `--scenariofil`.

Scenariofiler är YAML eller JSON (handskrivna: en lista `{namn, andringar: [...]}`, validerad mot
`modell_indata.Scenariolista`) eller CSV (genererade: kolumnerna `namn,id,falt,satt,andra`, en ändring
per rad; rader med samma namn bildar ett scenario). Formatet känns igen på innehållet, inte på
filändelsen, och `-` är standard in. Varje ändring bär sin plats i filen, så ett fel pekar ut
raden; varje problem blir ett eget fel (högst `MAX_FEL`, sedan "… och N fel till").

`las_scenariofil` ger alla scenarier på en gång. `Scenarioflode` ger dem ett i taget medan en
CSV-fil läses (en batch med en miljon scenarier hålls aldrig i minnet): ett scenario är
klart när raden med nästa namn kommer. Ett namn som återkommer efter ett annat scenario bildar ändå
ett scenario med alla sina rader (README:n), på platsen där namnet först står; det kan en strömmande
läsning inte ge, och läsaren säger då `Omstart` när filen är läst, och filen läses om i minnet
(`Scenarioflode.alla`). Vilka namn som redan inlett ett scenario minns läsaren i en `Namnlogg`, som
inte växer i minnet med batchen. YAML och JSON tolkas som ett dokument och hålls i minnet.
"""

from __future__ import annotations

import csv
import itertools
import operator
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple

from vgr_ersattning.inlasning.csvlasare import (
    CsvRader,
    csv_fel,
    csv_lasare,
    csv_rubrik,
    med_avgransare,
    rader_i,
    tom_csv_rad,
)
from vgr_ersattning.inlasning.fel import (
    Fel,
    Felsamlare,
    Inlasningsfel,
    Plats,
    begransa,
    utan_foljdfel,
)
from vgr_ersattning.inlasning.kallor import (
    CSV,
    STDIN,
    Begransad,
    avkoda,
    fortsatt,
    kanna_igen,
    las_borjan,
    las_byte,
    oppna,
)
from vgr_ersattning.inlasning.pydanticfel import validera
from vgr_ersattning.inlasning.scenariodelar import CSV_KOLUMNER, FACK, MAX_CSV_BYTE, Delstrom, Namnlogg
from vgr_ersattning.inlasning.tal import heltal_ur_text, visa
from vgr_ersattning.inlasning.yamlpos import las_yaml_text
from vgr_ersattning.kalkyl.scenario import Andring, Scenario, Scenarioblock
from vgr_ersattning.modell_indata import Scenariolista, Scenariosamling

MAX_YAML_BYTE = 8 * 1024 * 1024
# Högst så många olika värden (satt, andra som text) minns den strömmande läsaren: ett värde som redan
# granskats är redan granskat (granskningen beror bara på texten).
MAX_RADMINNE = 1 << 16


def _argumentplats(flagga: str, arg: str) -> Plats:
    """Platsen för ett värde på kommandoraden: `--satt somatik.x.bas=1` (utan rad och kolumn)."""
    return Plats(f"{flagga} {visa(arg, citat=False, max_tecken=80)}", 0, 0)


def tolka_argument(satt: list[str], andra: list[str], pris: list[str]) -> tuple[Scenario, list[Plats]]:
    """`ID.FALT=VÄRDE`, `ID.FALT=±N` och `KATEGORI=KR` från kommandoraden till ett scenario.

    Varje felaktigt värde blir ett eget fel (`--satt somatik.x.bas=1e40: …`). Platsen för en
    ändring är `Plats("--satt ID.FALT=VÄRDE", 0, 0)`: den visas som flaggan och värdet."""
    andringar, platser, fel = [], [], []
    for flagga, lista in (("--satt", satt), ("--andra", andra), ("--pris", pris)):
        exempel = "besok=2600" if flagga == "--pris" else (
            "somatik.operation.urologi.tillagg=+100" if flagga == "--andra" else "somatik.operation.urologi.bas=500")
        for arg in lista:
            plats = _argumentplats(flagga, arg)
            nyckel, lika, varde_text = arg.partition("=")
            nyckel = nyckel.strip()
            problem = []
            if not lika:
                problem.append(f"saknar '=' och ett värde (t.ex. {exempel})")
                v = None
            else:
                v, medd = heltal_ur_text(varde_text, tillat_negativa=True, vad="värdet")
                if v is None:
                    problem.append(medd)
            rid, _, falt = nyckel.rpartition(".")
            if flagga != "--pris" and (not rid or not falt):
                problem.append("ska ha formen RAD-ID.FALT=VÄRDE, där FALT är bas eller tillagg")
            elif flagga == "--pris" and not nyckel:
                problem.append("ska ha formen KATEGORI=KR (t.ex. besok=2600 eller kologastro.SV=4500)")
            if problem:
                fel += [Fel(plats, "", p) for p in problem]
                continue
            if flagga == "--pris":
                andringar.append(Andring(nyckel, "pris", satt=v))
            elif flagga == "--satt":
                andringar.append(Andring(rid, falt, satt=v))
            else:
                andringar.append(Andring(rid, falt, andra=v))
            platser.append(plats)
    if fel:
        raise begransa(fel)
    return Scenario("kommandoraden", tuple(andringar)), platser


def las_scenariofil(sokvag: Path) -> list[tuple[Scenario, list[Plats]]]:
    """En scenariofil (CSV, YAML eller JSON efter innehållet; `-` är standard in) → (scenario,
    ändringarnas platser) för varje scenario i filens ordning."""
    kalla = oppna(sokvag)
    try:
        borjan = las_borjan(kalla)
        format = kanna_igen(borjan, sokvag, CSV_KOLUMNER)
        if format == CSV:
            # Strömmande: i minnet hålls scenarierna, inte filen.
            if kalla.storlek is not None and kalla.storlek > MAX_CSV_BYTE:
                las_byte(kalla, MAX_CSV_BYTE)             # "filen är för stor", med storleken
            return _las_csv(kalla.namn, Begransad(fortsatt(kalla, borjan), MAX_CSV_BYTE, kalla.namn))
        data = las_byte(kalla, MAX_YAML_BYTE, borjan)
    finally:
        kalla.strom.close()
    return _las_yaml(kalla.namn, avkoda(kalla.namn, data), format)


def _snabb_plats(rader, namn: str, nr: int, rad: list[str], i: int) -> Plats:
    """Var fält `i` börjar: en rad utan citattecken räknas direkt (en batch med hundratusen ändringar
    behöver en plats per rad), annars som `CsvRader.plats` (citat, radbrytningar i fält)."""
    radtext = rader.rad(nr)
    if radtext is not None and '"' not in radtext and "\r" not in radtext:
        return Plats(namn, nr, 1 + sum(map(len, rad[:i])) + i)
    return rader.plats(nr, rad, i)


def _csv_andring(fel: Felsamlare, rader: CsvRader, nr: int, rad: list[str], index: tuple[int, ...],
                 ncol: int) -> Andring | None:
    """En ändringsrad granskad: ändringen, eller None när raden har fel (felen läggs i `fel`, ett per
    problem, i kolumnordning)."""
    _, i_id, i_falt, i_satt, i_andra = index
    if len(rad) != ncol:
        fel(rader.plats(nr, rad), "", f"raden har {len(rad)} kolumner, rubriken {ncol}")
        return None
    satt, andra, problem = _varden(rad[i_satt], rad[i_andra])
    if problem:
        kolumner = {"satt": i_satt, "satt/andra": i_satt, "andra": i_andra}
        for i, kolumn, medd in sorted((kolumner[k], k, m) for k, m in problem):
            fel(rader.plats(nr, rad, i), kolumn, medd)
        return None
    return Andring(rad[i_id].strip(), rad[i_falt].strip(), satt, andra)


def _varden(satt_text: str, andra_text: str) -> tuple[int | None, int | None, list[tuple[str, str]]]:
    """Kolumnerna satt och andra granskade: (satt, andra, problemen som (kolumn, fel)); exakt en av dem
    är ett heltal."""
    satt_text, andra_text = satt_text.strip(), andra_text.strip()
    problem = []
    if bool(satt_text) == bool(andra_text):
        problem.append(("satt/andra", "ange exakt en av satt och andra"))
    varden: dict[str, int | None] = {"satt": None, "andra": None}
    for kolumn, text in (("satt", satt_text), ("andra", andra_text)):
        if text:
            v, medd = heltal_ur_text(text, tillat_negativa=True, vad="värdet")
            if v is None:
                problem.append((kolumn, medd))
            varden[kolumn] = v
    return varden["satt"], varden["andra"], problem


def _las_csv(namn: str, strom) -> list[tuple[Scenario, list[Plats]]]:
    rader = CsvRader(namn, strom)
    lasare = csv_lasare(rader)
    fel = Felsamlare()
    scenarier: dict[str, tuple[list[Andring], list[Plats]]] = {}
    try:
        index, ncol = csv_rubrik(lasare, namn, CSV_KOLUMNER, rader)
        i_namn, i_id = index[0], index[1]
        for rad in lasare:
            if tom_csv_rad(rad):
                continue
            nr = lasare.line_num
            a = _csv_andring(fel, rader, nr, rad, index, ncol)
            if a is None:
                continue
            lista = scenarier.setdefault(rad[i_namn], ([], []))
            lista[0].append(a)
            lista[1].append(_snabb_plats(rader, namn, nr, rad, i_id))
    except Inlasningsfel as e:
        for f in e.visade:
            fel.lagg_till(f)
    except csv.Error as e:
        fel(Plats(namn, rader.trasig_posts_forsta_rad(lasare.line_num), 1), "", csv_fel(e))
    fel.kasta_om_fel(sortera=True)
    return [(Scenario(n, tuple(a)), p) for n, (a, p) in scenarier.items()]


# --- strömmande läsning ------------------------------------------------------------------------


class Omstart(Exception):
    """Ett scenarionamn i en CSV-fil återkommer efter ett annat scenario (rader med samma namn bildar
    ett scenario, var de än står). Det som redan räknats och skrivits ska kastas, och scenarierna
    läsas om med `Scenarioflode.alla()`."""


class CsvPlatser:
    """Ändringarnas platser i ett scenario ur en CSV-fil (en sekvens av `Plats`), räknade först när
    en plats ska visas: en batch med hundratusentals ändringar visar sällan någon. En rad utan sina
    fält (None, läst utan csv-modulen: inga citattecken; `rad` None: alla rader) har id:t direkt efter
    scenariots namn."""

    __slots__ = ("_i", "_namn", "_nr", "_rad", "_rader", "_scenario")

    def __init__(self, rader: CsvRader, namn: str, i: int, nr: list[int], rad: list[list[str] | None] | None,
                 scenario: str = ""):
        self._rader, self._namn, self._i, self._nr, self._rad = rader, namn, i, nr, rad
        self._scenario = scenario

    def __len__(self) -> int:
        return len(self._nr)

    def __getitem__(self, k: int) -> Plats:
        rad = None if self._rad is None else self._rad[k]
        if rad is None:
            return Plats(self._namn, self._nr[k], len(self._scenario) + 2)
        return _snabb_plats(self._rader, self._namn, self._nr[k], rad, self._i)

    def __iter__(self) -> Iterator[Plats]:
        return (self[k] for k in range(len(self)))


class _Kopierande:
    """En binär ström som läses och samtidigt kopieras till en temporär fil (standard in och pipes
    går inte att läsa två gånger; kopian behövs bara vid en `Omstart`)."""

    def __init__(self, strom, kopia):
        self._strom, self._kopia = strom, kopia

    def read(self, n: int = -1) -> bytes:
        data = self._strom.read(n)
        self._kopia.write(data)
        return data

    def readline(self, n: int = -1) -> bytes:
        data = self._strom.readline(n)
        self._kopia.write(data)
        return data


Framsteg = Callable[[int, bool], Callable[[int, int], None] | None]

_CSV_LASARE = type(csv.reader(()))


def _csv_lasare(rader: CsvRader):
    """Som `csv_lasare`, och också radernas iterator som csv-modulen läser ur: efter rubriken kan
    raderna läsas vidare som text."""
    kalla = med_avgransare(rader)
    return kalla, csv.reader(kalla, delimiter=rader.avgransare)


# En text med ett scenario som är längre än så (ett scenario med tiotusentals ändringar) läses en rad i
# taget.
MAX_BLOCKTEXT = 4 * 1024 * 1024


class Blockpost(NamedTuple):
    """Scenarier ur en CSV-fil som ett block (`Scenarioflode(…, block=True)`): `block` och var dess
    rader står (scenariots ändring i är rad `forsta_rad + i` i filen, id:t direkt efter namnet)."""

    block: Scenarioblock
    rader: CsvRader
    namn: str
    forsta_rad: int

    def platser(self, k: int) -> CsvPlatser:
        """Ändringarnas platser i scenario k."""
        g, forsta = self.block.granser, self.forsta_rad
        return CsvPlatser(self.rader, self.namn, 1, range(forsta + g[k], forsta + g[k + 1]), None,
                          self.block.namn[k])

    def scenarier(self) -> Iterator[tuple[Scenario, CsvPlatser]]:
        """Scenarierna ett i taget, som `Scenarioflode` ger dem utan block."""
        for k, scenario in enumerate(self.block.scenarier()):
            yield scenario, self.platser(k)


def _block(text: str, n: int, varden: dict) -> tuple[Scenarioblock, int, int] | None:
    """Hela rader i maskinformatet (`text`, som slutar med ett radslut) som ett block: (blocket med de
    scenarier som slutar i texten, antalet rader de har, och var nästa scenario börjar i texten). Det
    sista scenariot kan fortsätta efter texten och är inte med. `n` är antalet rader (radslut) i
    texten. None när någon rad inte är en enkel ändringsrad som klarar granskningen (citattecken,
    NUL, \r, fel antal kolumner, en tom rad, mellanslag kring id eller fält, ett fel i satt eller
    andra): då läses raderna en i taget, med felen på sina platser. `varden` minns granskade (satt,
    andra) som text, och andra-texter när satt är tom (högst MAX_RADMINNE)."""
    if '"' in text or "\0" in text or "\r" in text or not text.endswith("\n"):
        return None
    # Varje radslut blir ett eget fält "\0" (NUL finns inte i texten): raden har fem fält precis när
    # vart sjätte fält är radslutet.
    falt = text.replace("\n", ",\0,").split(",")
    if len(falt) != 6 * n + 1 or falt[5::6].count("\0") != n:
        return None
    namn = falt[0:6 * n:6]
    starter = [0, *itertools.compress(range(1, n), map(operator.ne, namn[1:], namn))]
    m = starter[-1]
    if m == 0:
        return Scenarioblock([], [0], [], [], [], []), 0, 0
    # Där rad m börjar: efter radslutet n - m + 1 från slutet (raderna m … n - 1 är det sista scenariot).
    borjan = len(text)
    for _ in range(n - m + 1):
        borjan = text.rfind("\n", 0, borjan)
    borjan += 1
    ids, falts = falt[1:6 * m:6], falt[2:6 * m:6]
    if any(x != x.strip() for x in {*ids, *falts}):
        return None
    satt_text, andra_text = falt[3:6 * m:6], falt[4:6 * m:6]
    # (satt, andra) som text → värdena, granskade en gång per text (`varden`); med bara andra ifyllt
    # räcker andra-texten som nyckel (`("", text)` i `varden` som `andra:text`).
    bara_andra = satt_text.count("") == m
    andra = list(map(varden.get, andra_text)) if bara_andra else [None]
    if None in andra:
        nycklar = list(zip(satt_text, andra_text))
        v = list(map(varden.get, nycklar))
        if None in v:
            for i, x in enumerate(v):
                if x is None:
                    satt, andra_i, problem = _varden(*nycklar[i])
                    if problem:
                        return None
                    v[i] = (satt, andra_i)
                    if len(varden) < MAX_RADMINNE:
                        varden[nycklar[i]] = v[i]
                        if satt is None and not nycklar[i][0]:
                            varden[nycklar[i][1]] = andra_i
        andra = [x[1] for x in v]
    satt = [None] * m if bara_andra else [x[0] for x in v]
    return Scenarioblock(list(map(namn.__getitem__, starter[:-1])), starter, ids, falts, satt, andra), m, borjan


class Scenarioflode:
    """Scenarierna i en scenariofil, ett i taget, som (scenario, ändringarnas platser).

    CSV läses strömmande: ett scenario ges när raden med nästa namn (eller filens slut) kommer, och
    varje rad granskas med samma regler och felrader som `las_scenariofil`. Efter det första felet
    ges inga fler scenarier, men resten av filen granskas; när filen är slut kastas alla fel som
    ett `Inlasningsfel` (högst `MAX_FEL`, i filens ordning). Den som räknar kastar då det den räknat.
    Ett namn som återkommer efter ett annat scenario ger `Omstart` när filen är läst (se modulen).

    Med `namnlogg` läggs namnen där och ingen `Omstart` ges: den som delat filen
    (`kommandon.scenario`) prövar loggarna från alla delar tillsammans. `intervall` (rubrik, start,
    slut) läser bara den delen av filen (`Delstrom`).

    `framsteg(totalt, byte)` ger en förloppsrapport `rapport(klart, totalt)` eller None: för CSV i
    byte (filens storlek, när den är känd), för YAML och JSON i antal scenarier."""

    def __init__(self, sokvag: Path, framsteg: Framsteg | None = None, namnlogg: Namnlogg | None = None,
                 intervall: tuple[bytes, int, int] | None = None, block: bool = False):
        self.sokvag, self.framsteg = sokvag, framsteg
        self.namn = str(sokvag)
        self.namnlogg, self.intervall = namnlogg, intervall
        self.block = block
        self._kopia = None
        # Efter en läst CSV-fil: om ett citattecken fanns någonstans, och kodningen (`CsvRader`).
        self.citat = False
        self.kodning: str | None = None

    def __iter__(self) -> Iterator[tuple[Scenario, CsvPlatser | list[Plats]]]:
        if self.intervall is not None:
            rubrik, start, slut = self.intervall
            with open(self.sokvag, "rb") as f:
                yield from self._csv(self.namn, Delstrom(f, rubrik, start, slut), len(rubrik) + slut - start)
            return
        kalla = oppna(self.sokvag)
        self.namn = kalla.namn
        try:
            borjan = las_borjan(kalla)
            format = kanna_igen(borjan, self.sokvag, CSV_KOLUMNER)
            if format != CSV:
                lista = _las_yaml(kalla.namn, avkoda(kalla.namn, las_byte(kalla, MAX_YAML_BYTE, borjan)), format)
                kalla.strom.close()
                rapport = self.framsteg(len(lista), False) if self.framsteg is not None else None
                for i, post in enumerate(lista):
                    yield post
                    if rapport is not None:
                        rapport(i + 1, len(lista))
                return
            strom = fortsatt(kalla, borjan)
            if str(self.sokvag) == STDIN or kalla.storlek is None:
                self._kopia = tempfile.TemporaryFile()     # noqa: SIM115 - stängs i `alla` eller när flödet tas bort
                strom = _Kopierande(strom, self._kopia)
            yield from self._csv(kalla.namn, strom, kalla.storlek)
        finally:
            kalla.strom.close()

    def _csv(self, namn: str, strom, storlek: int | None) -> Iterator[tuple[Scenario, CsvPlatser]]:
        rapport = self.framsteg(storlek, True) if self.framsteg is not None and storlek else None
        rader = CsvRader(namn, strom, None if rapport is None else (lambda n: rapport(min(n, storlek), storlek)))
        fel = Felsamlare()
        fel_finns = False
        logg = self.namnlogg if self.namnlogg is not None else Namnlogg()
        fack, fack_mask, i_minnet, hogst = [a.append for a in logg.fack], FACK - 1, logg.i_minnet, logg.hogst
        # (satt, andra) som text → värdena, för rader som klarat granskningen: den beror bara på texten.
        varden: dict[tuple[str, str], tuple] = {}
        ny_andring = tuple.__new__        # Andring(...) utan NamedTuple.__new__ (en rad i taget räknas)
        aktuellt: str | None = None
        andringar: list[Andring] = []
        nummer: list[int] = []
        radlista: list[list[str] | None] = []
        lasare, forskjutning = None, 0       # csv-modulens läsare och raderna före den
        i_id = 1

        def granska(rad: list[str], nr: int) -> Andring | None:
            """En rad med rubrikens antal kolumner: ändringen, eller None (felen i `fel`)."""
            v = varden.get((rad[i_satt], rad[i_andra]))
            if v is None:
                a = _csv_andring(fel, rader, nr, rad, index, ncol)
                if a is not None and len(varden) < MAX_RADMINNE:
                    varden[(rad[i_satt], rad[i_andra])] = (a.satt, a.andra)
                return a
            return ny_andring(Andring, (rad[i_id].strip(), rad[i_falt].strip(), v[0], v[1]))

        try:
            kalla, lasare = _csv_lasare(rader)
            index, ncol = csv_rubrik(lasare, namn, CSV_KOLUMNER, rader)
            i_namn, i_id, i_falt, i_satt, i_andra = index
            nr = lasare.line_num
            resten = None        # raden där csv-modulen tar över från snabbläsningen
            if index == tuple(range(5)) and ncol == 5 and rader.avgransare == ",":
                if self.block:
                    # Resten av rubrikens block rad för rad, sedan varje block som en text (`som_text`),
                    # läst i ett svep (`_block`) så länge varje rad är en enkel ändringsrad; ett scenario
                    # som fortsätter efter blocket läses med nästa. Det sista scenariot i filen, och allt
                    # från ett block som inte går, läses en rad i taget nedan.
                    start, blockets = rader.senaste_block()
                    kvar_rader = max(0, start + len(blockets) - nr)
                    kvar = "".join(itertools.islice(kalla, kvar_rader))
                    rader.som_text = True
                    for bit in kalla:
                        text = kvar + bit if kvar else bit
                        n = kvar_rader + rader.senaste_block()[1].antal    # bitens rader (en _Blocktext)
                        post = _block(text, n, varden)
                        if post is None or len(text) > MAX_BLOCKTEXT:
                            kvar = text
                            break
                        blk, m, borjan = post
                        kvar, kvar_rader = text[borjan:], n - m
                        if blk.namn:
                            logg.lagg_till_alla(blk.namn)
                            yield Blockpost(blk, rader, namn, nr + 1)
                            nr += m
                    i_minnet = logg.i_minnet
                    kalla = itertools.chain(rader_i(kvar), itertools.chain.from_iterable(map(rader_i, kalla)))
                # Maskinformatet: raderna läses som text och delas vid komman. En rad med citattecken
                # (ett fält kan gå över flera rader) eller NUL läses av csv-modulen, liksom resten av
                # filen.
                for text in kalla:
                    nr += 1
                    if '"' in text or "\0" in text:
                        resten = text
                        nr -= 1
                        break
                    rad = text.rstrip("\r\n").split(",")
                    if len(rad) != 5:
                        if not tom_csv_rad(rad):
                            _csv_andring(fel, rader, nr, rad, index, ncol)
                            fel_finns = True
                        continue
                    s_namn, rid, f, satt, andra = rad
                    v = varden.get((satt, andra))
                    if v is None:
                        a = granska(rad, nr)
                        if a is None:
                            fel_finns = True
                            continue
                    else:
                        a = ny_andring(Andring, (rid.strip(), f.strip(), v[0], v[1]))
                    if fel_finns:
                        continue            # efter ett fel granskas bara resten av raderna
                    if s_namn != aktuellt:
                        if aktuellt is not None:
                            yield (Scenario(aktuellt, tuple(andringar)),
                                   CsvPlatser(rader, namn, i_id, nummer, None, aktuellt))
                            andringar, nummer = [], []
                        h = hash(s_namn)
                        fack[h & fack_mask](h)
                        i_minnet += 1
                        if i_minnet >= hogst:
                            logg.tom()
                            i_minnet = 0
                        aktuellt = s_namn
                    andringar.append(a)
                    nummer.append(nr)
                # Raderna hittills lästes utan sina fält (None i CsvPlatser).
                radlista = [None] * len(nummer)
                if resten is not None:
                    forskjutning = nr
                    lasare = csv.reader(itertools.chain((resten,), kalla), delimiter=",")
                else:
                    lasare = ()
            for rad in lasare:
                nr = forskjutning + lasare.line_num      # type: ignore[union-attr]
                if len(rad) != ncol:
                    if not tom_csv_rad(rad):
                        _csv_andring(fel, rader, nr, rad, index, ncol)
                        fel_finns = True
                    continue
                a = granska(rad, nr)
                if a is None:
                    fel_finns = True
                    continue
                if fel_finns:
                    continue            # efter ett fel granskas bara resten av raderna
                s_namn = rad[i_namn]
                if s_namn != aktuellt:
                    if aktuellt is not None:
                        yield (Scenario(aktuellt, tuple(andringar)),
                               CsvPlatser(rader, namn, i_id, nummer, radlista, aktuellt))
                        andringar, nummer, radlista = [], [], []
                    h = hash(s_namn)
                    fack[h & fack_mask](h)
                    i_minnet += 1
                    if i_minnet >= hogst:
                        logg.tom()
                        i_minnet = 0
                    aktuellt = s_namn
                andringar.append(a)
                nummer.append(nr)
                radlista.append(rad)
        except Inlasningsfel as e:
            for f in e.visade:
                fel.lagg_till(f)
        except csv.Error as e:
            trasig = forskjutning + (lasare.line_num if isinstance(lasare, _CSV_LASARE) else 0)
            fel(Plats(namn, rader.trasig_posts_forsta_rad(trasig), 1), "", csv_fel(e))
        finally:
            self.citat, self.kodning = rader.citat, rader.kodning
            if rapport is not None:
                rapport(storlek, storlek)
        if self.namnlogg is None and logg.aterkommer():
            raise Omstart(namn)
        fel.kasta_om_fel(sortera=True)
        if aktuellt is not None:
            yield Scenario(aktuellt, tuple(andringar)), CsvPlatser(rader, namn, i_id, nummer, radlista, aktuellt)

    def alla(self) -> list[tuple[Scenario, list[Plats]]]:
        """Alla scenarier i minnet, som `las_scenariofil` (efter en `Omstart`): filen läses om, eller
        kopian av standard in."""
        if self._kopia is not None:
            kopia, self._kopia = self._kopia, None
            try:
                kopia.seek(0)
                return _las_csv(self.namn, Begransad(kopia, MAX_CSV_BYTE, self.namn))
            finally:
                kopia.close()
        return las_scenariofil(self.sokvag)


def _las_yaml(namn: str, text: str, format: str) -> list[tuple[Scenario, list[Plats]]]:
    varden_fel: list[Fel] = []
    data, pos = las_yaml_text(text, namn, format=format if format != CSV else "YAML", nycklar_som_text=True,
                              tal_som_yaml12=True, fel_ut=varden_fel)
    if not isinstance(data, (dict, list)):
        raise Inlasningsfel(varden_fel or [Fel(pos.plats(()), "", "ska vara en lista av scenarier {namn, andringar} "
                                               f"(eller en CSV-fil med rubrikraden {','.join(CSV_KOLUMNER)})")])
    try:
        if isinstance(data, dict):
            poster, bas = validera(Scenariosamling, data, pos).scenarier, ("scenarier",)
        else:
            poster, bas = validera(Scenariolista, data, pos).root, ()
    except Inlasningsfel as e:
        # Ett värde som redan fått ett fel vid inläsningen (None i datan) får inte ett till.
        fel = sorted(varden_fel + utan_foljdfel(e.visade, varden_fel), key=lambda f: (f.plats.rad, f.plats.kolumn))
        raise begransa(fel, e.fler) from None
    if varden_fel:
        raise begransa(varden_fel)
    ut = []
    for i, s in enumerate(poster):
        andringar, platser = [], []
        for j, a in enumerate(s.andringar):
            if a.pris is not None:
                andringar.append(Andring(a.pris, "pris", satt=a.satt))
            else:
                andringar.append(Andring(a.id, a.falt, satt=a.satt, andra=a.andra))
            platser.append(pos.plats(bas + (i, "andringar", j)))
        ut.append((Scenario(s.namn, tuple(andringar)), platser))
    return ut
