"""Fientlig indata: varje läsare håller minne och tid i proportion till det den godtar, och vägrar
tidigt det den inte tar. Minnet prövas här (en process med högst 1 GB adressrymd måste sluta med en
rad och slutkod 2); tiden mäts av `benchmarks/fientlig_indata.py` (mål ≤ 10 s), aldrig här.

De stora filerna byggs här, små på disken (packade eller upprepade); där minnet spelar roll körs
verktyget i en egen process med ett tak för adressrymden (1 GB), och ska sluta med slutkod 2 och en
rad, aldrig med MemoryError eller en traceback."""

from __future__ import annotations

import io
import json
import resource
import subprocess
import sys
import time
import zipfile

import pytest

from conftest import ROT
from vgr_ersattning.inlasning.csvlasare import faltets_borjan
from vgr_ersattning.inlasning.tal import MAX_YAML_NODER
from vgr_ersattning.inlasning.yamlpos import las_yaml

HUD = "somatik.forstabesok.hud"
GB = 1024 ** 3


def kor_med_tak(*args, cwd, tak: int = GB) -> tuple[int, str, float]:
    """Verktyget i en egen process med högst `tak` byte adressrymd: (slutkod, standard fel, sekunder).
    Sekunderna skrivs inte under med ett villkor här (maskinen är delad); de är till för
    `benchmarks/fientlig_indata.py`."""
    def begransa() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (tak, tak))

    start = time.monotonic()
    res = subprocess.run([sys.executable, "-m", "vgr_ersattning", *map(str, args)], capture_output=True,
                         text=True, cwd=cwd, preexec_fn=begransa, timeout=120, check=False)
    return res.returncode, res.stderr, time.monotonic() - start


def en_rad(fel: str) -> str:
    assert "Traceback" not in fel and "MemoryError" not in fel, fel[-2000:]
    rader = fel.strip().splitlines()
    assert len(rader) == 1, rader[:5]
    return rader[0]


# --- xlsx ------------------------------------------------------------------------------------------

_INNEHALL = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
             'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
             'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>')
_PAKET = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
          '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
          'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
_BOK = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
        '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
        '<sheet name="Blad1" sheetId="1" r:id="rId1"/></sheets></workbook>')
_BOKENS_RELATIONER = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
    '</Relationships>')
_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _upprepat(f, bit: str, antal: int) -> None:
    if antal >= 100_000:
        block = bit.encode() * 100_000
        for _ in range(antal // 100_000):
            f.write(block)
    f.write(bit.encode() * (antal % 100_000))


def arbetsbok(sokvag, rader: list[tuple[str, int]], texter: list[tuple[str, int]] = (),
              fore: str = "", zip64: bool = True) -> None:
    """En arbetsbok byggd för hand: bladets `<sheetData>` är bitarna i `rader` (text, antal gånger),
    de delade texterna bitarna i `texter`. Packad är den liten, uppackad kan den vara mycket stor."""
    with zipfile.ZipFile(sokvag, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", _INNEHALL)
        z.writestr("_rels/.rels", _PAKET)
        z.writestr("xl/workbook.xml", _BOK)
        z.writestr("xl/_rels/workbook.xml.rels", _BOKENS_RELATIONER)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=zip64) as f:
            f.write(f'<?xml version="1.0" encoding="UTF-8"?>{fore}<worksheet {_NS}><sheetData>'.encode())
            for bit, antal in rader:
                _upprepat(f, bit, antal)
            f.write(b"</sheetData></worksheet>")
        with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as f:
            f.write(f'<?xml version="1.0" encoding="UTF-8"?><sst {_NS}>'.encode())
            for bit, antal in texter:
                _upprepat(f, bit, antal)
            f.write(b"</sst>")


def _cell(r: str, text: str) -> str:
    return f'<c r="{r}" t="inlineStr"><is><t>{text}</t></is></c>'


RUBRIK = "<row>" + "".join(_cell(f"{k}1", t) for k, t in zip("ABCD", ("utforare", "rad", "manad", "antal"))) + "</row>"


def test_xlsx_med_tjugo_miljoner_tomma_rader_ar_ett_tomt_blad(tmp_path):
    """100 miljoner `<row/>` i 148 KB tog 2,9 GB och 33 s med openpyxl; calamine hoppar över tomma
    rader (inga celler, inget rutnät), så bladet är tomt och vägras som en tom fil."""
    p = tmp_path / "tomma.xlsx"
    arbetsbok(p, [("<row/>", 20_000_000)])
    assert p.stat().st_size < 1024 * 1024
    kod, fel, sekunder = kor_med_tak("berakna", "--utfall", p.name, cwd=tmp_path)
    assert kod == 2 and en_rad(fel) == ("tomma.xlsx:Blad1:1:1: filen är tom (rubrikraden utforare,rad,manad,antal "
                                        "saknas)")


def test_xlsx_med_celler_langt_bort_vagras_vid_cellgransen(tmp_path):
    """calamine bygger ett tätt rutnät fram till den sista cellen: rubriken i A1:D1 och en cell i
    XFD1048576 vore 1 048 576 × 16 384 celler (17 miljarder). Bladets dimension saknas, så det läses
    cell för cell före calamine och vägras vid den cell som gör rutnätet för stort."""
    p = tmp_path / "bred.xlsx"
    arbetsbok(p, [(RUBRIK, 1), ('<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>', 1)])
    kod, fel, sekunder = kor_med_tak("berakna", "--utfall", p.name, cwd=tmp_path)
    assert kod == 2 and en_rad(fel) == ("bred.xlsx:Blad1!A1048576: bladet har fler än 2 000 000 celler (raderna "
                                        "gånger kolumnerna fram till den sista cellen); spara bladet som CSV (CSV "
                                        "läses i alla storlekar)")


def test_xlsx_med_samma_cell_en_miljon_ganger_haller_minnet(tmp_path):
    """En miljon celler i XFD2: calamine skriver över samma plats, rutnätet är 2 × 16 384 celler; raden
    har då 16 384 kolumner mot rubrikens 4."""
    p = tmp_path / "samma.xlsx"
    arbetsbok(p, [(RUBRIK, 1), ('<row><c r="XFD2"><v>1</v></c></row>', 1_000_000)])
    kod, fel, sekunder = kor_med_tak("berakna", "--utfall", p.name, cwd=tmp_path)
    assert kod == 2 and en_rad(fel) == ("samma.xlsx:Blad1!A2: raden har 16384 kolumner, rubriken 4 (en kolumn saknas "
                                        "eller är för mycket)")


def test_xlsx_bortom_kolumn_xfd_och_trasig_referens(kor, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    arbetsbok(tmp_path / "xfe.xlsx", [(RUBRIK, 1), ('<row><c r="XFE2"><v>1</v></c></row>', 1)])
    k = kor("berakna", "--utfall", "xfe.xlsx")
    assert k.kod == 2 and k.fel.strip() == "xfe.xlsx:Blad1!A2: en cell ligger bortom kolumn XFD (16 384), Excels sista"
    arbetsbok(tmp_path / "ref.xlsx", [(RUBRIK, 1), ('<row><c r="A-1"><v>1</v></c></row>', 1)])
    k = kor("berakna", "--utfall", "ref.xlsx")
    assert k.kod == 2 and k.fel.strip() == "ref.xlsx:Blad1!A2: cellen har en ogiltig referens 'A-1'"


def test_xlsx_med_miljontals_delade_texter_vagras(tmp_path):
    """Delade texter på 488 KB tog 1,8 GB; fler än en miljon vägras nu medan de läses."""
    p = tmp_path / "texter.xlsx"
    arbetsbok(p, [(RUBRIK, 1)], [("<si><t/></si>", 20_000_000)])
    kod, fel, sekunder = kor_med_tak("berakna", "--utfall", p.name, cwd=tmp_path)
    assert kod == 2 and en_rad(fel) == "texter.xlsx:1:1: arbetsboken har fler än 1 000 000 delade texter; spara bladet som CSV"


def test_xlsx_med_langa_delade_texter_vagras(tmp_path):
    p = tmp_path / "langa.xlsx"
    arbetsbok(p, [(RUBRIK, 1)], [("<si><t>" + "x" * 100_000 + "</t></si>", 700)])
    kod, fel, _ = kor_med_tak("berakna", "--utfall", p.name, cwd=tmp_path)
    assert kod == 2 and en_rad(fel) == ("langa.xlsx:1:1: xl/sharedStrings.xml packas upp till mer än 67 108 864 "
                                        "byte; spara bladet som CSV")


def test_xlsx_med_miljontals_andra_element_vagras(tmp_path):
    """Element som inte är celler (som openpyxl samlade i minnet) hoppar calamine över: bladet har bara
    rubriken, och minnet håller."""
    p = tmp_path / "skrap.xlsx"
    arbetsbok(p, [(RUBRIK, 1), ("<x/>", 10_000_000)])
    kod, fel, sekunder = kor_med_tak("berakna", "--utfall", p.name, cwd=tmp_path)
    assert kod == 2 and en_rad(fel) == ("ersattning: utfallet har ingen produktion för SV; ange --till-och-med för "
                                        "att räkna ändå")


def test_xlsx_med_en_lang_rad_vagras(kor, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    arbetsbok(tmp_path / "lang.xlsx", [(RUBRIK, 1), ("<row>" + _cell("A2", "x" * 600_000) + _cell("B2", "y" * 600_000)
                                                     + "</row>", 1)])
    k = kor("berakna", "--utfall", "lang.xlsx")
    assert k.kod == 2 and k.fel.splitlines()[0] == ("lang.xlsx:Blad1!A2: utforare: okänd utförare "
                                                    "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…' (600000 tecken) (med volymer: SV)")


def test_xlsx_med_dtd_vagras(kor, tmp_path, monkeypatch):
    """En DTD kan definiera entiteter som växer (en entitetsbomb); en xlsx-fil har aldrig någon."""
    monkeypatch.chdir(tmp_path)
    arbetsbok(tmp_path / "dtd.xlsx", [(RUBRIK, 1)], fore='<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">]>')
    k = kor("berakna", "--utfall", "dtd.xlsx")
    assert k.kod == 2 and k.fel.strip() == ("dtd.xlsx:Blad1!A1: arbetsboken innehåller en DTD (<!DOCTYPE>), som "
                                            "en xlsx-fil aldrig har")


def _andra_storlek(data: bytes, del_: str, storlek: int) -> bytes:
    """Zip-filen med en annan angiven uppackad storlek för `del_` (i katalogen i slutet)."""
    i = 0
    while True:
        i = data.index(b"PK\x01\x02", i)
        namnlangd = int.from_bytes(data[i + 28:i + 30], "little")
        if data[i + 46:i + 46 + namnlangd] == del_.encode():
            return data[:i + 24] + storlek.to_bytes(4, "little") + data[i + 28:]
        i += 4


def test_xlsx_angiven_och_verklig_uppackad_storlek(kor, tmp_path, monkeypatch):
    """Den angivna storleken (summan av delarna) vägras före läsningen; en del som packas upp till mer
    än den anger vägras när den läses (zipfile ger aldrig mer än den angivna storleken)."""
    monkeypatch.chdir(tmp_path)
    buf = io.BytesIO()
    arbetsbok(buf, [(RUBRIK, 1), ("<row/>", 1000)], zip64=False)
    data = buf.getvalue()
    (tmp_path / "stor.xlsx").write_bytes(_andra_storlek(data, "xl/worksheets/sheet1.xml", 0xFFFF0000))
    k = kor("berakna", "--utfall", "stor.xlsx")
    assert k.kod == 2 and "stor.xlsx:1:1: arbetsboken är för stor uppackad (" in k.fel
    (tmp_path / "liten.xlsx").write_bytes(_andra_storlek(data, "xl/worksheets/sheet1.xml", 100))
    k = kor("berakna", "--utfall", "liten.xlsx")
    assert k.kod == 2 and k.fel.strip().startswith("liten.xlsx:")
    assert "xl/worksheets/sheet1.xml" in k.fel and len(k.fel.strip().splitlines()) == 1


def test_en_vanlig_arbetsbok_lases_inom_gransen(kor, tmp_path, monkeypatch):
    """Ett uttag på 100 000 rader (400 000 celler, en femtedel av gränsen) läses, och ger samma summa
    som samma uttag i CSV."""
    monkeypatch.chdir(tmp_path)
    arbetsbok(tmp_path / "uttag.xlsx", [(RUBRIK, 1), ('<row><c t="inlineStr"><is><t>SV</t></is></c><c t="inlineStr">'
                                                      f'<is><t>{HUD}</t></is></c><c t="inlineStr"><is><t>2026-01</t>'
                                                      '</is></c><c><v>1</v></c></row>', 100_000)])
    k = kor("berakna", "--utfall", "uttag.xlsx", "-f", "json")
    assert k.kod == 0, k
    rad = next(r for r in json.loads(k.ut)["tillagg"]["rader"] if r["id"] == HUD)
    assert rad["utfall"] == "100000"


# --- CSV -------------------------------------------------------------------------------------------


def test_csv_rubrik_med_tiotusen_kommatecken_vagras_direkt(kor, tmp_path, monkeypatch):
    """Rubriken följd av 10 000 kommatecken tog 35 s (varje felaktig kolumns plats letades från
    radens början); nu en rad, direkt."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "komma.csv").write_text("utforare,rad,manad,antal" + "," * 10_000 + "\n", encoding="utf-8")
    k = kor("berakna", "--utfall", "komma.csv")
    assert k.kod == 2 and k.fel.strip() == ("komma.csv:1:1: rubrikraden har 10 004 kolumner (högst 64); kolumnerna "
                                            "är utforare,rad,manad,antal")


def test_csv_rubrik_med_langa_felaktiga_kolumner_far_sina_platser_i_en_genomlasning(kor, tmp_path, monkeypatch):
    """60 okända kolumner på 16 000 tecken var (en rad på en MiB): platserna räknas i en genomläsning
    av raden, inte en per kolumn."""
    monkeypatch.chdir(tmp_path)
    kolumner = [f"k{i}" + "x" * 16_000 for i in range(60)]
    (tmp_path / "bred.csv").write_text("utforare,rad,manad,antal," + ",".join(kolumner) + "\n", encoding="utf-8")
    k = kor("berakna", "--utfall", "bred.csv")
    rader = k.fel.strip().splitlines()
    assert k.kod == 2 and len(rader) == 51 and rader[-1].endswith("… och 10 fel till")
    assert rader[0].startswith("bred.csv:1:26: okänd kolumn 'k0xxxxx")
    assert rader[1].startswith(f"bred.csv:1:{26 + len(kolumner[0]) + 1}: okänd kolumn 'k1xxxxx")


def test_csv_rad_langre_an_en_mib_ar_ett_fel_en_gang(kor, tmp_path, monkeypatch):
    """En rad på 1,1 MiB i en fil med två rader gav 17 fel på raderna 2–18 (raden delades i block om
    64 KiB); nu ett fel, på rad 2."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "lang.csv").write_text("utforare,rad,manad,antal\nSV," + "x" * (1100 * 1024) + ",2026-01,1\n",
                                       encoding="utf-8")
    k = kor("berakna", "--utfall", "lang.csv")
    assert k.kod == 2 and k.fel.strip() == ("lang.csv:2:1: raden är längre än 1 048 576 byte; en rad i en CSV-fil "
                                            "har några få fält (är filen CSV?)")


def test_csv_rad_pa_hundra_kib_delas_inte(kor, tmp_path, monkeypatch):
    """En rad längre än ett block (64 KiB) men inom gränsen är en rad, med sitt fel på sin plats."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "u.csv").write_text(f"utforare,rad,manad,antal\nSV,{HUD},2026-01,1\nSV," + "x" * 100_000
                                    + ",2026-01,1\n" + f"SV,{HUD},2026-01,2\n", encoding="utf-8")
    k = kor("berakna", "--utfall", "u.csv")
    assert k.kod == 2 and len(k.fel.strip().splitlines()) == 1
    assert k.fel.startswith("u.csv:3:4: rad: okänt rad-id 'xxxxx")


def test_csv_scenariofil_med_en_for_lang_rad(kor, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "s.csv").write_text("namn,id,falt,satt,andra\na," + "x" * (1100 * 1024) + ",bas,1,\n",
                                    encoding="utf-8")
    k = kor("scenario", "--scenariofil", "s.csv")
    assert k.kod == 2 and k.fel.strip() == ("s.csv:2:1: raden är längre än 1 048 576 byte; en rad i en CSV-fil "
                                            "har några få fält (är filen CSV?)")


def test_csv_scenariofil_med_manga_langa_rader_med_fel(tmp_path):
    """30 rader på en MB, var och en med ett fel i fjärde fältet: platsen letades tecken för tecken
    (0,3 s per rad) och hela filen hölls två gånger i minnet; nu strömmande, och platsen i C."""
    p = tmp_path / "s.csv"
    p.write_text("namn,id,falt,satt,andra\n" + "".join(f"a{i}," + "x" * 1_000_000 + ",bas,q,\n" for i in range(30)),
                 encoding="utf-8")
    kod, fel, sekunder = kor_med_tak("scenario", "--scenariofil", p.name, cwd=tmp_path)
    rader = fel.strip().splitlines()
    assert kod == 2 and "Traceback" not in fel and len(rader) == 30
    assert rader[0] == "s.csv:2:1000009: satt: värdet 'q' är inte ett tal; ska vara ett heltal"


def test_faltets_plats_pa_en_lang_rad_raknas_i_c():
    for rad in ("SV," + "x" * 1_000_000 + ",bas,q\n", 'SV,"' + "x" * 1_000_000 + '",bas,q\n'):
        assert faltets_borjan(rad, 3) == (0, len(rad) - 1)


# --- YAML och JSON ---------------------------------------------------------------------------------


def test_yaml_lista_med_tva_miljoner_rader_som_scenariofil(tmp_path):
    """`- 1` två miljoner gånger tog 3,9 GB och slutade med slutkod 134 under ett minnestak; nu
    vägras filen vid värde 250 001, innan resten läses."""
    p = tmp_path / "lista.yaml"
    p.write_bytes(b"- 1\n" * 2_000_000)
    kod, fel, sekunder = kor_med_tak("scenario", "--scenariofil", p.name, cwd=tmp_path)
    assert kod == 2 and en_rad(fel) == ("lista.yaml:250000:3: filen har fler än 250 000 nycklar och värden; en så "
                                        "stor YAML-fil läses inte")


def test_json_lista_pa_en_rad(tmp_path):
    p = tmp_path / "lista.json"
    p.write_bytes(b"[" + b"1," * 3_000_000 + b"1]\n")
    kod, fel, _ = kor_med_tak("scenario", "--scenariofil", p.name, cwd=tmp_path)
    assert kod == 2 and en_rad(fel) == ("lista.json:1:500000: filen har fler än 250 000 nycklar och värden; en så "
                                        "stor JSON-fil läses inte")


@pytest.mark.parametrize("flagga,namn,borjan", [
    ("--uppdrag", "uppdrag.yaml", "ar: 2026\nutforare:\n"),
    ("--priser", "priser.yaml", "ar: 2026\ntillagg:\n"),
    ("--utfall", "utfall.yaml", "utforare: SV\nar: 2026\nproduktion:\n"),
    ("--beslut", "beslut.yaml", "utforare: SV\nar: 2026\nbeslut:\n"),
])
def test_varje_yaml_lasare_har_gransen(kor, tmp_path, monkeypatch, flagga, namn, borjan):
    monkeypatch.chdir(tmp_path)
    (tmp_path / namn).write_text(borjan + "  - 1\n" * 250_001, encoding="utf-8")
    k = kor("berakna", flagga, namn)
    assert k.kod == 2 and len(k.fel.strip().splitlines()) == 1
    assert k.fel.startswith(f"{namn}:2499")
    assert k.fel.strip().endswith(":5: filen har fler än 250 000 nycklar och värden; en så stor YAML-fil läses inte")


def test_yaml_dar_varje_varde_har_flera_fel_haller_minnet(tmp_path):
    """250 000 tomma scenarier har två fel var: felen hämtas ur en början av filen, inte alla en halv
    miljon (pydantic håller varje fel i minnet)."""
    p = tmp_path / "tomma.yaml"
    p.write_bytes(b"[" + b"{}," * 249_000 + b"{}]\n")
    kod, fel, sekunder = kor_med_tak("scenario", "--scenariofil", p.name, cwd=tmp_path, tak=GB // 2 + GB // 4)
    assert "Traceback" not in fel and "MemoryError" not in fel
    rader = fel.strip().splitlines()
    assert kod == 2 and len(rader) == 50
    assert rader[:3] == ["tomma.yaml:1:2: [0].namn: saknas", "tomma.yaml:1:2: [0].andringar: saknas",
                         "tomma.yaml:1:5: [1].namn: saknas"]
    assert rader[-1].startswith("tomma.yaml:1:74: … och fler fel (minst ")
    assert rader[-1].endswith(" till; en så stor fil granskas bara tills 50 fel har hittats)")


def test_en_stor_giltig_scenariofil_i_yaml_lases(kor, tmp_path, monkeypatch):
    """20 000 scenarier (240 000 nycklar och värden) ryms under gränsen och läses hela."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "manga.yaml").write_text("".join(
        f"- namn: s{i}\n  andringar:\n    - {{id: {HUD}, falt: tillagg, andra: {i % 50}}}\n" for i in range(20_000)),
        encoding="utf-8")
    k = kor("scenario", "--scenariofil", "manga.yaml", "-f", "csv")
    assert k.kod == 0, k
    assert k.ut.count("\n") > 20_000


def test_de_medfoljande_datafilerna_ar_langt_under_gransen():
    for fil in (ROT / "data").glob("*.yaml"):
        data, pos = las_yaml(fil)
        assert len(pos.karta) < MAX_YAML_NODER // 20, fil
