"""Inläsning av scenarier: `--satt/--andra/--pris` på kommandoraden och `--scenariofil`.

Scenariofiler är YAML eller JSON (handskrivna: en lista `{namn, andringar: [...]}`) eller CSV
(genererade: kolumnerna `namn,id,falt,satt,andra`, en ändring per rad; rader med samma namn
bildar ett scenario). Varje ändring bär sin plats i filen, så ett fel pekar ut raden.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Optional

from vgr_ersattning.kalkyl.scenario import Andring, Scenario
from vgr_ersattning.laddning import (Fel, Inlasningsfel, Plats, csv_kolumn, csv_rubrik, las_text, las_yaml,
                                     sokvag_text, tom_csv_rad, visningsnamn)

_HELTAL = re.compile(r"^[+-]?[0-9]+$")
MAX_FEL = 50


def _heltal(text: str) -> Optional[int]:
    t = text.strip().replace("\u2212", "-")
    return int(t) if _HELTAL.match(t) else None


def tolka_argument(satt: list[str], andra: list[str], pris: list[str]) -> tuple[Scenario, list[Plats]]:
    """`ID.FALT=VÄRDE`, `ID.FALT=±N` och `KATEGORI=KR` från kommandoraden till ett scenario."""
    andringar, platser, fel = [], [], []
    for flagga, lista in (("--satt", satt), ("--andra", andra), ("--pris", pris)):
        for arg in lista:
            plats = Plats(flagga, 0, 0)
            nyckel, lika, varde_text = arg.partition("=")
            v = _heltal(varde_text)
            if not lika or v is None:
                fel.append(Fel(plats, arg, "värdet ska vara ett heltal efter '=' (t.ex. "
                               + ("besok=2600)" if flagga == "--pris" else "somatik.operation.urologi.tillagg=+100)")))
                continue
            if flagga == "--pris":
                andringar.append(Andring(nyckel.strip(), "pris", satt=v))
            else:
                rid, _, falt = nyckel.strip().rpartition(".")
                if not rid:
                    fel.append(Fel(plats, arg, "ska ha formen RAD-ID.FALT=VÄRDE, FALT är bas eller tillagg"))
                    continue
                if flagga == "--satt":
                    andringar.append(Andring(rid, falt, satt=v))
                else:
                    andringar.append(Andring(rid, falt, andra=v))
            platser.append(plats)
    if fel:
        raise Inlasningsfel(fel)
    return Scenario("kommandoraden", tuple(andringar)), platser


def las_scenariofil(sokvag: Path) -> list[tuple[Scenario, list[Plats]]]:
    if sokvag.suffix.lower() == ".csv":
        return _las_csv(sokvag)
    return _las_yaml(sokvag)


def _las_csv(sokvag: Path) -> list[tuple[Scenario, list[Plats]]]:
    namn = visningsnamn(sokvag)
    _, text = las_text(sokvag, 256 * 1024 * 1024)
    lasare = csv.reader(text.splitlines())
    fel: list[Fel] = []
    (i_namn, i_id, i_falt, i_satt, i_andra), ncol = csv_rubrik(lasare, namn, ("namn", "id", "falt", "satt", "andra"))
    scenarier: dict[str, tuple[list[Andring], list[Plats]]] = {}
    for rad in lasare:
        nr = lasare.line_num
        if tom_csv_rad(rad):
            continue
        if len(rad) != ncol:
            fel.append(Fel(Plats(namn, nr, 1), "", f"raden har {len(rad)} kolumner, rubriken {ncol}"))
            continue
        satt_text, andra_text = rad[i_satt].strip(), rad[i_andra].strip()
        if bool(satt_text) == bool(andra_text):
            kol = csv_kolumn(rad, i_satt)
            fel.append(Fel(Plats(namn, nr, kol), "satt/andra", "ange exakt en av satt och andra"))
            continue
        v = _heltal(satt_text or andra_text)
        if v is None:
            kol = csv_kolumn(rad, i_satt if satt_text else i_andra)
            fel.append(Fel(Plats(namn, nr, kol), "satt" if satt_text else "andra",
                           f"{satt_text or andra_text!r} är inte ett heltal"))
            continue
        falt = rad[i_falt].strip()
        a = Andring(rad[i_id].strip(), falt, satt=v) if satt_text else Andring(rad[i_id].strip(), falt, andra=v)
        lista = scenarier.setdefault(rad[i_namn], ([], []))
        lista[0].append(a)
        lista[1].append(Plats(namn, nr, csv_kolumn(rad, i_id)))
        if len(fel) >= MAX_FEL:
            break
    if fel:
        raise Inlasningsfel(fel)
    return [(Scenario(n, tuple(a)), p) for n, (a, p) in scenarier.items()]


def _las_yaml(sokvag: Path) -> list[tuple[Scenario, list[Plats]]]:
    data, pos = las_yaml(sokvag)
    fel: list[Fel] = []

    def f(vag: tuple, medd: str) -> None:
        fel.append(Fel(pos.plats(vag), sokvag_text(vag), medd))

    if isinstance(data, dict) and "scenarier" in data and len(data) == 1:
        data, bas = data["scenarier"], ("scenarier",)
    else:
        bas = ()
    if not isinstance(data, list):
        raise Inlasningsfel([Fel(pos.plats(bas), sokvag_text(bas), "ska vara en lista av scenarier {namn, andringar}")])
    ut = []
    for i, s in enumerate(data):
        vag = bas + (i,)
        if not isinstance(s, dict) or not isinstance(s.get("namn"), str) or not isinstance(s.get("andringar"), list):
            f(vag, "ett scenario ska ha namn (text) och andringar (lista)")
            continue
        okanda = [k for k in s if k not in ("namn", "andringar")]
        if okanda:
            f(vag + (okanda[0],), "okänd nyckel (tillåtna: namn, andringar)")
            continue
        andringar, platser = [], []
        for j, a in enumerate(s["andringar"]):
            av = vag + ("andringar", j)
            if not isinstance(a, dict):
                f(av, "en ändring ska vara en mappning")
                continue
            okanda = [k for k in a if k not in ("id", "falt", "satt", "andra", "pris")]
            if okanda:
                f(av + (okanda[0],), "okänd nyckel (tillåtna: id, falt, satt, andra, pris)")
                continue
            if ("satt" in a) == ("andra" in a):
                f(av, "ange exakt en av satt och andra")
                continue
            nyckel = "satt" if "satt" in a else "andra"
            v = a[nyckel]
            if not isinstance(v, int) or isinstance(v, bool):
                f(av + (nyckel,), f"{v!r} är inte ett heltal")
                continue
            if "pris" in a:
                if "id" in a or "falt" in a or nyckel != "satt":
                    f(av, "en prisändring är {pris: KATEGORI, satt: KR}")
                    continue
                andringar.append(Andring(str(a["pris"]), "pris", satt=v))
            else:
                if not isinstance(a.get("id"), str) or not isinstance(a.get("falt"), str):
                    f(av, "en volymändring har id och falt (bas eller tillagg)")
                    continue
                andringar.append(Andring(a["id"], a["falt"], **{nyckel: v}))
            platser.append(pos.plats(av))
        ut.append((Scenario(s["namn"], tuple(andringar)), platser))
    if fel:
        raise Inlasningsfel(fel)
    return ut
