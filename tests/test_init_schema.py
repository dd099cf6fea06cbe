"""`ersattning init` (en egen datakatalog), `--data` och VGR_ERSATTNING_DATA, och `ersattning schema`
(JSON Schema för indatafilerna, som de medföljande filerna validerar mot)."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest

from conftest import PRISER_FIL, ROT, UPPDRAG_FIL
from vgr_ersattning import initiering, schema
from vgr_ersattning.inlasning import datakatalog
from vgr_ersattning.inlasning.yamlpos import las_yaml_text

DATA = ["beslut_2026.yaml", "priser_2026.yaml", "uppdrag_2026.yaml"]
EXEMPEL = sorted(p.name for p in (ROT / "examples").iterdir() if p.is_file())
SCHEMAN = ["uppdrag", "priser", "utfall", "scenario", "beslut"]
ALLA = DATA + [f"examples/{n}" for n in EXEMPEL] + [f"schema/{s}.json" for s in SCHEMAN]


@pytest.fixture(autouse=True)
def _utan_miljovariabel(monkeypatch):
    monkeypatch.delenv(datakatalog.MILJOVARIABEL, raising=False)


def filer_i(katalog: Path) -> set[str]:
    return {p.relative_to(katalog).as_posix() for p in katalog.rglob("*") if p.is_file()}


def summa(kor, *args) -> tuple[str, str]:
    k = kor("berakna", "-f", "json", *args)
    assert k.kod == 0, k
    d = json.loads(k.ut)
    return d["anslag"]["ram_tkr"], d["summa_kr"]


def andra_ramen(katalog: Path) -> None:
    """Ramen 3 317 867 → 3 317 999 tkr i kopians ersättningsram och i bryggans slutrad."""
    fil = katalog / "uppdrag_2026.yaml"
    text = fil.read_text(encoding="utf-8")
    assert text.count("belopp_tkr: 3317867") == 2
    fil.write_text(text.replace("belopp_tkr: 3317867", "belopp_tkr: 3317999"), encoding="utf-8")


# --- init ------------------------------------------------------------------------------------


def test_init_kopierar_data_exempel_och_scheman(tmp_path, kor):
    mal = tmp_path / "mina-data"
    k = kor("init", mal)
    assert k.kod == 0, k
    assert filer_i(mal) == set(ALLA)
    for rel in ALLA:
        assert str(mal / rel) in k.ut
    assert "--data" in k.ut and "VGR_ERSATTNING_DATA=" in k.ut
    # Datan och exemplen som de levereras, med schemaraden sist i YAML-filerna: radnumren är desamma.
    for namn, kalla in (("uppdrag_2026.yaml", UPPDRAG_FIL), ("priser_2026.yaml", PRISER_FIL)):
        kopia = (mal / namn).read_text(encoding="utf-8")
        assert kopia.startswith(kalla.read_text(encoding="utf-8"))
        assert kopia.rstrip("\n").splitlines()[-1] == initiering.modeline(namn.split("_")[0], 0)
    for namn in EXEMPEL:
        original = (ROT / "examples" / namn).read_bytes()
        kopia = (mal / "examples" / namn).read_bytes()
        assert kopia.startswith(original)
        if namn.endswith(".yaml"):
            assert b"# yaml-language-server: $schema=../schema/" in kopia
        else:
            assert kopia == original
    # Schemaraden pekar på en fil som finns, relativt YAML-filen.
    for fil in list(mal.glob("*.yaml")) + list(mal.glob("examples/*.yaml")):
        rad = fil.read_text(encoding="utf-8").rstrip("\n").splitlines()[-1]
        assert (fil.parent / rad.split("$schema=")[1]).resolve().is_file(), fil
    for s in SCHEMAN:
        assert json.loads((mal / "schema" / f"{s}.json").read_text(encoding="utf-8")) == schema.generera(s)


def test_init_utan_katalog_skapar_ersattning_data(tmp_path, kor, monkeypatch):
    monkeypatch.chdir(tmp_path)
    k = kor("init")
    assert k.kod == 0, k
    assert filer_i(tmp_path / "ersattning-data") == set(ALLA)
    assert [p.name for p in tmp_path.iterdir()] == ["ersattning-data"]   # ingen temporär katalog kvar


def test_init_i_befintlig_katalog_med_andra_filer(tmp_path, kor):
    (tmp_path / "anteckningar.txt").write_text("mina", encoding="utf-8")
    (tmp_path / "examples").mkdir()
    k = kor("init", tmp_path)
    assert k.kod == 0, k
    assert filer_i(tmp_path) == set(ALLA) | {"anteckningar.txt"}
    assert (tmp_path / "anteckningar.txt").read_text(encoding="utf-8") == "mina"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_init_skriver_aldrig_over_och_kopierar_da_ingenting(tmp_path, kor):
    mal = tmp_path / "d"
    (mal / "examples").mkdir(parents=True)
    (mal / "examples" / "rh_2026.yaml").write_text("min egen\n", encoding="utf-8")
    k = kor("init", mal)
    assert k.kod == 2, k
    assert k.ut == ""
    rad = k.fel.strip()
    assert "\n" not in rad
    assert f"{os.path.join(str(mal), 'examples', 'rh_2026.yaml')} finns redan" in rad
    assert "inget kopierades" in rad
    assert filer_i(mal) == {"examples/rh_2026.yaml"}
    assert (mal / "examples" / "rh_2026.yaml").read_text(encoding="utf-8") == "min egen\n"


def test_init_en_andra_gang_vagrar(tmp_path, kor):
    mal = tmp_path / "d"
    assert kor("init", mal).kod == 0
    fore = {p: (mal / p).read_bytes() for p in filer_i(mal)}
    k = kor("init", mal)
    assert k.kod == 2 and "finns redan (och 18 fil(er) till); inget kopierades" in k.fel, k
    assert {p: (mal / p).read_bytes() for p in filer_i(mal)} == fore


def test_init_pa_en_fil_vagrar(tmp_path, kor):
    fil = tmp_path / "fil"
    fil.write_text("x", encoding="utf-8")
    k = kor("init", fil)
    assert k.kod == 2 and "är inte en katalog" in k.fel, k
    k = kor("init", fil / "under")
    assert k.kod == 2 and f"ersattning init: {fil} är inte en katalog; inget kopierades" in k.fel, k
    assert fil.read_text(encoding="utf-8") == "x"
    assert list(tmp_path.iterdir()) == [fil]


def test_init_lamnar_ingen_halv_kopia_i_ny_katalog(tmp_path, kor, monkeypatch):
    """Disken blir full mitt i: ingen katalog, ingen temporär katalog kvar."""
    skrivna = []
    original = initiering._skriv_alla

    def halvvags(rot, filer):
        delar = dict(list(filer.items())[:5])
        original(rot, delar)
        skrivna.extend(delar)
        raise OSError(errno.ENOSPC, "No space left on device", str(rot / "examples"))

    monkeypatch.setattr(initiering, "_skriv_alla", halvvags)
    k = kor("init", tmp_path / "d")
    assert k.kod == 2 and "disken är full" in k.fel and "inget kopierades" in k.fel, k
    assert len(skrivna) == 5
    assert list(tmp_path.iterdir()) == []


def test_init_lamnar_ingen_halv_kopia_i_befintlig_katalog(tmp_path, kor, monkeypatch):
    """Fel när den sjätte filen länkas in: de fem första tas bort igen, liksom nya underkataloger."""
    (tmp_path / "anteckningar.txt").write_text("mina", encoding="utf-8")
    lankade = []
    original = os.link

    def link(src, dst, *a, **kw):
        if len(lankade) == 5:
            raise OSError(errno.EIO, "Input/output error", str(dst))
        original(src, dst, *a, **kw)
        lankade.append(dst)

    monkeypatch.setattr(initiering.os, "link", link)
    k = kor("init", tmp_path)
    assert k.kod == 2 and "inget kopierades" in k.fel, k
    assert len(lankade) == 5
    assert sorted(p.name for p in tmp_path.iterdir()) == ["anteckningar.txt"]


# --- --data och VGR_ERSATTNING_DATA ----------------------------------------------------------------


@pytest.fixture
def kopia(tmp_path, kor):
    mal = tmp_path / "data"
    assert kor("init", mal).kod == 0
    return mal


def test_kopian_ger_samma_siffror_som_de_medfoljande(kopia, kor):
    medfoljande = summa(kor)
    assert medfoljande[0] == "3317867"
    assert summa(kor, "--data", kopia) == medfoljande


def test_data_valjer_kopian(kopia, kor):
    fore = summa(kor)
    andra_ramen(kopia)
    ram, tot = summa(kor, "--data", kopia)
    assert ram == "3317999"
    assert int(tot) - int(fore[1]) == 132_000
    assert summa(kor) == fore                       # de medföljande filerna är orörda


def test_miljovariabeln_valjer_kopian(kopia, kor, monkeypatch):
    andra_ramen(kopia)
    monkeypatch.setenv(datakatalog.MILJOVARIABEL, str(kopia))
    assert summa(kor)[0] == "3317999"
    for kommando in (["kontrollera"], ["brygga"], ["antaganden"], ["forklara", "anslag"],
                     ["avrakning", "--utfall", ROT / "examples" / "utfall_2026.yaml"]):
        k = kor(*kommando, "-f", "json")
        assert k.kod in (0, 1), k
        assert str(kopia / "uppdrag_2026.yaml") in k.ut + k.fel or "3317999" in k.ut, kommando


def test_ordningen_fil_data_miljovariabel(kopia, kor, monkeypatch, tmp_path):
    andra_ramen(kopia)
    # --data går före miljövariabeln (som här pekar på en katalog som inte finns).
    monkeypatch.setenv(datakatalog.MILJOVARIABEL, str(tmp_path / "finns-inte"))
    assert summa(kor, "--data", kopia)[0] == "3317999"
    # --uppdrag går före --data.
    assert summa(kor, "--data", kopia, "--uppdrag", UPPDRAG_FIL)[0] == "3317867"
    # Båda filerna angivna: datakatalogen används inte alls.
    assert summa(kor, "--uppdrag", UPPDRAG_FIL, "--priser", PRISER_FIL)[0] == "3317867"
    # En tom miljövariabel är ingen datakatalog.
    monkeypatch.setenv(datakatalog.MILJOVARIABEL, "")
    assert summa(kor)[0] == "3317867"


def test_platserna_visas_relativt_arbetskatalogen(kopia, kor, monkeypatch):
    monkeypatch.chdir(kopia.parent)
    k = kor("forklara", "anslag.2026-12", "--data", "data", "-f", "json")
    assert k.kod == 0, k
    assert '"data/uppdrag_2026.yaml:57:7"' in k.ut   # samma rad som i de medföljande filerna
    monkeypatch.chdir(kopia)
    k = kor("forklara", "anslag.2026-12", "--data", ".", "-f", "json")
    assert '"uppdrag_2026.yaml:57:7"' in k.ut, k
    andra_ramen(kopia)
    with open(kopia / "uppdrag_2026.yaml", "a", encoding="utf-8") as f:
        f.write("okand_nyckel: 1\n")
    k = kor("berakna", "--data", ".")
    assert k.kod == 2 and k.fel.startswith("uppdrag_2026.yaml:"), k


@pytest.mark.parametrize("val", ["--data", "miljövariabel"])
def test_katalog_utan_datafiler_ar_ett_fel(tmp_path, kor, monkeypatch, val):
    tom = tmp_path / "tom"
    tom.mkdir()
    (tom / "priser_2026.yaml").write_bytes(PRISER_FIL.read_bytes())
    monkeypatch.chdir(tmp_path)
    args = ["--data", "tom"] if val == "--data" else []
    if val != "--data":
        monkeypatch.setenv(datakatalog.MILJOVARIABEL, "tom")
    k = kor("berakna", *args)
    assert k.kod == 2, k
    fran = "--data" if val == "--data" else "VGR_ERSATTNING_DATA"
    assert k.fel.strip() == (f"tom: datakatalogen saknar uppdrag_2026.yaml ({fran}; en datakatalog har "
                             "uppdrag_2026.yaml och priser_2026.yaml, som `ersattning init` kopierar dit)")
    # Med --uppdrag behövs bara prisfilen i katalogen.
    assert kor("berakna", *args, "--uppdrag", UPPDRAG_FIL).kod == 0


def test_katalog_som_inte_finns_och_fil_som_katalog(tmp_path, kor):
    k = kor("kontrollera", "--data", tmp_path / "saknas")
    assert k.kod == 2 and "datakatalogen finns inte (--data; skapa den med `ersattning init" in k.fel, k
    fil = tmp_path / "fil.yaml"
    fil.write_text("ar: 2026\n", encoding="utf-8")
    k = kor("brygga", "--data", fil)
    assert k.kod == 2 and "är inte en katalog" in k.fel, k
    assert "Traceback" not in k.fel


def test_hjalpen_namner_data_och_miljovariabeln(kor):
    k = kor("berakna", "--help")
    assert k.kod == 0
    text = " ".join(k.ut.split())
    assert "--data KATALOG" in text and "VGR_ERSATTNING_DATA" in text


def test_hjalpens_antaganden_las_ur_miljovariabelns_katalog(kopia, kor, monkeypatch):
    fil = kopia / "uppdrag_2026.yaml"
    text = fil.read_text(encoding="utf-8")
    fil.write_text(text.replace("A2:\n    text: \"", "A2:\n    text: \"ÄNDRAD "), encoding="utf-8")
    assert "ÄNDRAD" in fil.read_text(encoding="utf-8")
    monkeypatch.setenv(datakatalog.MILJOVARIABEL, str(kopia))
    assert "A2: ÄNDRAD" in kor("berakna", "--help").ut
    monkeypatch.delenv(datakatalog.MILJOVARIABEL)
    assert "ÄNDRAD" not in kor("berakna", "--help").ut


# --- schema -----------------------------------------------------------------------------------


def test_schema_listar_slagen(kor):
    k = kor("schema")
    assert k.kod == 0, k
    for s in SCHEMAN:
        assert f"  {s} " in k.ut
    assert "finns inte ännu" not in k.ut
    assert "# yaml-language-server: $schema=./schema/uppdrag.json" in k.ut


def _otypade(s, vag="") -> list[str]:
    """Nyckelvägar i schemat där ett värde kan vara vad som helst ({} eller true)."""
    ut = []
    if isinstance(s, dict):
        for nyckel in ("items", "additionalProperties"):
            if s.get(nyckel) == {} or (nyckel == "items" and s.get(nyckel) is True):
                ut.append(f"{vag}/{nyckel}")
        for nyckel in ("properties", "patternProperties", "$defs"):
            for namn, del_ in s.get(nyckel, {}).items():
                if del_ == {}:
                    ut.append(f"{vag}/{nyckel}/{namn}")
        for nyckel in ("anyOf", "oneOf", "allOf"):
            if any(d == {} for d in s.get(nyckel, [])):
                ut.append(f"{vag}/{nyckel}")
        for nyckel, v in s.items():
            ut += _otypade(v, f"{vag}/{nyckel}")
    elif isinstance(s, list):
        for i, v in enumerate(s):
            ut += _otypade(v, f"{vag}/{i}")
    return ut


@pytest.mark.parametrize("slag", SCHEMAN)
def test_schemat_ar_json_med_typade_belopp(kor, slag):
    k = kor("schema", slag)
    assert k.kod == 0, k
    s = json.loads(k.ut)
    assert s["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert s["$id"] == f"urn:vgr-ersattning:schema:{slag}"
    assert s["title"] and s["description"]
    assert _otypade(s) == []
    # Inga nyckelord som VS Code:s YAML-tillägg (draft-07) inte förstår.
    for ord_ in ("prefixItems", "unevaluatedProperties", "$dynamicRef", "dependentSchemas"):
        assert ord_ not in k.ut


def test_beloppen_ar_tal_eller_decimaltext():
    defs = schema.generera("uppdrag")["$defs"]
    belopp = defs["Ersattningsram"]["properties"]["belopp_tkr"]
    assert {"type": "number", "minimum": 0} in belopp["anyOf"]
    assert {"type": "string", "pattern": r"^[0-9]+(\.[0-9]+)?$"} in belopp["anyOf"]
    brygga = defs["Bryggrad"]["properties"]["belopp_tkr"]      # får vara negativt
    assert {"type": "number"} in brygga["anyOf"]
    assert {"type": "string", "pattern": r"^-?[0-9]+(\.[0-9]+)?$"} in brygga["anyOf"]
    utfall = schema.generera("utfall")["properties"]
    assert utfall["produktion"]["anyOf"][0]["additionalProperties"]["additionalProperties"]["type"] == "integer"
    assert utfall["avrakning"]["anyOf"][0]["additionalProperties"]["additionalProperties"]["type"] == "number"
    satt = schema.generera("scenario")["$defs"]["Andringspost"]["properties"]["satt"]
    assert satt["anyOf"][0]["type"] == "integer" and satt["anyOf"][0]["minimum"] < 0


def test_schema_beslut_och_okant_slag(kor):
    k = kor("schema", "beslut")
    assert k.kod == 0, k
    assert json.loads(k.ut)["$id"].endswith("beslut")
    k = kor("schema", "uppdrg")
    assert k.kod == 2 and "okänt slag 'uppdrg'; välj uppdrag, priser, utfall, scenario eller beslut" in k.fel, k


def test_schema_ut_skriver_en_ny_fil_och_aldrig_over(tmp_path, kor):
    mal = tmp_path / "uppdrag.json"
    k = kor("schema", "uppdrag", "--ut", mal)
    assert k.kod == 0 and k.ut == "", k
    assert json.loads(mal.read_text(encoding="utf-8")) == schema.generera("uppdrag")
    k = kor("schema", "priser", "--ut", mal)
    assert k.kod == 2 and "finns redan" in k.fel, k
    assert json.loads(mal.read_text(encoding="utf-8"))["$id"].endswith(":uppdrag")


# --- de medföljande filerna validerar mot schemana ----------------------------------------------------


def _som_editorn(fil: Path, nycklar_som_text: bool):
    """Filen som verktyget läser den (tal som int/Decimal), med nycklarna som text som i JSON."""
    data, _ = las_yaml_text(fil.read_text(encoding="utf-8"), str(fil), nycklar_som_text=nycklar_som_text,
                            tal_som_yaml12=nycklar_som_text)

    def text(x):
        if isinstance(x, dict):
            return {str(k): text(v) for k, v in x.items()}
        if isinstance(x, list):
            return [text(v) for v in x]
        return x
    return text(data)


FILER = [("uppdrag", UPPDRAG_FIL, False), ("priser", PRISER_FIL, False),
         ("beslut", ROT / "data" / "beslut_2026.yaml", True)] + [
    ("scenario" if n.startswith("scenarier") else "beslut" if n.startswith("beslut") else "utfall",
     ROT / "examples" / n, True)
    for n in EXEMPEL if n.endswith(".yaml")]


@pytest.mark.parametrize("slag,fil,nycklar_som_text", FILER, ids=[f.name for _, f, _ in FILER])
@pytest.mark.parametrize("utkast", ["Draft202012Validator", "Draft7Validator"])
def test_medfoljande_filer_validerar_mot_schemat(slag, fil, nycklar_som_text, utkast):
    jsonschema = pytest.importorskip("jsonschema")
    validator = getattr(jsonschema, utkast)
    s = schema.generera(slag)
    validator.check_schema(s)
    fel = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator(s).iter_errors(
        _som_editorn(fil, nycklar_som_text))]
    assert fel == []


def test_schemat_fangar_fel_typ():
    jsonschema = pytest.importorskip("jsonschema")
    data = _som_editorn(UPPDRAG_FIL, False)
    v = jsonschema.Draft202012Validator(schema.generera("uppdrag"))
    assert not list(v.iter_errors(data))

    def med(andring, godkand=False):
        d = _som_editorn(UPPDRAG_FIL, False)
        andring(d["utforare"]["SV"])
        assert bool(list(v.iter_errors(d))) is not godkand

    med(lambda sv: sv["ersattningsram"].update(belopp_tkr="tre miljoner"))
    med(lambda sv: sv["ersattningsram"].update(belopp_tkr=-1))
    med(lambda sv: sv["ersattningsram"].update(okand=1))
    med(lambda sv: sv["volymer"]["rader"]["somatik.forstabesok.hud"].update(bas=1.5))
    med(lambda sv: sv["ersattningsram"].update(belopp_tkr="3317867.5"), godkand=True)   # text med decimalpunkt
    med(lambda sv: sv["brygga"]["justeringar"][0].update(belopp_tkr=-4396), godkand=True)


def test_schemaraden_efter_filens_namn():
    """Schemat för en YAML-fil som init skriver står i filens namn, för varje år."""
    for namn, slag in (("uppdrag_2026.yaml", "uppdrag"), ("priser_2031.yaml", "priser"), ("beslut_2027.yaml", "beslut"),
                       ("utfall_2026.yaml", "utfall"), ("produktion_2027.yaml", "utfall"), ("rh_2026.yaml", "utfall"),
                       ("scenarier.yaml", "scenario"), ("produktion_2026.csv", None), ("README.md", None),
                       ("annat.yaml", None)):
        assert initiering.schema_for(namn) == slag, namn


def test_init_ar_skriver_utkastet_med_schemaraden_och_aldrig_over(tmp_path, kor):
    mal = tmp_path / "d"
    k = kor("init", "--ar", "2027", mal)
    assert k.kod == 0, k
    assert filer_i(mal) == set(ALLA) | {"uppdrag_2027.yaml", "priser_2027.yaml", "beslut_2027.yaml"}
    for namn in ("uppdrag_2027.yaml", "priser_2027.yaml", "beslut_2027.yaml"):
        rad = (mal / namn).read_text(encoding="utf-8").rstrip("\n").splitlines()[-1]
        assert rad == initiering.modeline(namn.split("_")[0], 0), namn
    fore = {p: (mal / p).read_bytes() for p in filer_i(mal)}
    (mal / "uppdrag_2027.yaml").unlink()
    k = kor("init", "--ar", "2027", mal)        # priser_2027.yaml finns kvar: inget skrivs
    assert k.kod == 2 and k.fel.strip() == (f"ersattning init --ar 2027: {mal} har redan 2027 (priser_2027.yaml, "
                                            "beslut_2027.yaml); inget skrevs (befintliga filer skrivs aldrig över)"), k
    assert {p: (mal / p).read_bytes() for p in filer_i(mal)} == {p: b for p, b in fore.items()
                                                                  if p != "uppdrag_2027.yaml"}
