"""Inläsning av scenarier: `--satt/--andra/--pris` på kommandoraden och `--scenariofil`.

Scenariofiler är YAML eller JSON (handskrivna: en lista `{namn, andringar: [...]}`, validerad mot
`modell.Scenariolista`) eller CSV (genererade: kolumnerna `namn,id,falt,satt,andra`, en ändring
per rad; rader med samma namn bildar ett scenario). Formatet känns igen på innehållet, inte på
filändelsen, och `-` är standard in. Varje ändring bär sin plats i filen, så ett fel pekar ut
raden; varje problem blir ett eget fel (högst `MAX_FEL`, sedan "… och N fel till").
"""

from __future__ import annotations

from pathlib import Path

from vgr_ersattning.kalkyl.scenario import Andring, Scenario
from vgr_ersattning.laddning import (CSV, CsvRader, Fel, Felsamlare, Inlasningsfel, Plats, avkoda, begransa,
                                     csv_fel, csv_lasare, csv_rubrik, heltal_ur_text, kanna_igen, las_borjan, las_byte,
                                     las_yaml_text, oppna, tom_csv_rad, utan_foljdfel, validera, visa)
from vgr_ersattning.modell import Scenariolista, Scenariosamling

CSV_KOLUMNER = ("namn", "id", "falt", "satt", "andra")
MAX_CSV_BYTE = 256 * 1024 * 1024
MAX_YAML_BYTE = 8 * 1024 * 1024


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
        data = las_byte(kalla, MAX_CSV_BYTE if format == CSV else MAX_YAML_BYTE, borjan)
    finally:
        kalla.strom.close()
    if format == CSV:
        return _las_csv(kalla.namn, data)
    return _las_yaml(kalla.namn, avkoda(kalla.namn, data), format)


def _snabb_plats(rader, namn: str, nr: int, rad: list[str], i: int) -> Plats:
    """Var fält `i` börjar: en rad utan citattecken räknas direkt (en batch med hundratusen ändringar
    behöver en plats per rad), annars som `CsvRader.plats` (citat, radbrytningar i fält)."""
    radtext = rader.rad(nr)
    if radtext is not None and '"' not in radtext and "\r" not in radtext:
        return Plats(namn, nr, 1 + sum(map(len, rad[:i])) + i)
    return rader.plats(nr, rad, i)


def _las_csv(namn: str, data: bytes) -> list[tuple[Scenario, list[Plats]]]:
    import csv
    import io

    rader = CsvRader(namn, io.BytesIO(data))
    lasare = csv_lasare(rader)
    fel = Felsamlare()
    scenarier: dict[str, tuple[list[Andring], list[Plats]]] = {}
    try:
        (i_namn, i_id, i_falt, i_satt, i_andra), ncol = csv_rubrik(lasare, namn, CSV_KOLUMNER, rader)
        for rad in lasare:
            nr = lasare.line_num
            if tom_csv_rad(rad):
                continue
            if len(rad) != ncol:
                fel(rader.plats(nr, rad), "", f"raden har {len(rad)} kolumner, rubriken {ncol}")
                continue
            satt_text, andra_text = rad[i_satt].strip(), rad[i_andra].strip()
            problem = []
            if bool(satt_text) == bool(andra_text):
                problem.append((i_satt, "satt/andra", "ange exakt en av satt och andra"))
            varden = {}
            for i, kolumn, text in ((i_satt, "satt", satt_text), (i_andra, "andra", andra_text)):
                if text:
                    v, medd = heltal_ur_text(text, tillat_negativa=True, vad="värdet")
                    if v is None:
                        problem.append((i, kolumn, medd))
                    varden[kolumn] = v
            if problem:
                for i, kolumn, medd in sorted(problem):
                    fel(rader.plats(nr, rad, i), kolumn, medd)
                continue
            falt, id_ = rad[i_falt].strip(), rad[i_id].strip()
            a = Andring(id_, falt, **varden)
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

