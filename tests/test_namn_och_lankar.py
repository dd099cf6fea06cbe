"""Små dörrar: `init` skriver aldrig genom en symbolisk länk, och ett filnamn som inte är UTF-8 visas
med sina byte (`\\xe5`) i varje felrad, utan traceback."""

from __future__ import annotations

import os

import pytest

HUD = "somatik.forstabesok.hud"


@pytest.fixture(autouse=True)
def _i_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


# --- init och symboliska länkar ----------------------------------------------------------------------


def test_init_skriver_inte_genom_en_lankad_katalog(kor, tmp_path):
    (tmp_path / "riktig").mkdir()
    (tmp_path / "lank").symlink_to("riktig")
    k = kor("init", "lank")
    assert k.kod == 2 and k.ut == ""
    assert k.fel.strip() == ("ersattning init: lank är en symbolisk länk till en katalog; init skriver inte genom en "
                             "länk (ange katalogen den pekar på); inget kopierades")
    assert list((tmp_path / "riktig").iterdir()) == []


def test_init_skriver_inte_genom_en_lankad_underkatalog(kor, tmp_path):
    (tmp_path / "annan").mkdir()
    (tmp_path / "mal").mkdir()
    (tmp_path / "mal" / "examples").symlink_to("../annan")
    k = kor("init", "mal")
    assert k.kod == 2 and k.fel.strip() == ("ersattning init: mal/examples är en symbolisk länk; init skriver inte "
                                            "genom en länk; inget kopierades")
    assert list((tmp_path / "annan").iterdir()) == []
    assert sorted(p.name for p in (tmp_path / "mal").iterdir()) == ["examples"]
    # En länk som pekar på ingenting vägras också (där skulle en ny katalog annars ha skapats).
    (tmp_path / "mal2").mkdir()
    (tmp_path / "mal2" / "schema").symlink_to("../finns_inte")
    k = kor("init", "mal2")
    assert k.kod == 2 and "mal2/schema är en symbolisk länk" in k.fel
    assert not (tmp_path / "finns_inte").exists()


def test_init_i_en_vanlig_ny_katalog_fungerar_som_forut(kor, tmp_path):
    k = kor("init", "ny")
    assert k.kod == 0, k
    assert (tmp_path / "ny" / "uppdrag_2026.yaml").is_file()


# --- filnamn som inte är UTF-8 ----------------------------------------------------------------------

_NAMN = b"utfall_\xe5\xe4\xf6.csv"


def _fil(namn: bytes, text: str) -> str:
    """Filen på disken med namnet som byte; som Python ser namnet på kommandoraden (surrogatescape)."""
    with open(namn, "wb") as f:
        f.write(text.encode("utf-8"))
    return os.fsdecode(namn)


def test_ett_filnamn_som_inte_ar_utf8_visas_med_sina_byte(kor):
    namn = _fil(_NAMN, "utforare,rad,manad,antal\nSV,x,2026-13,1\n")
    k = kor("berakna", "--utfall", namn)
    assert k.kod == 2
    assert k.fel.splitlines() == [
        "utfall_\\xe5\\xe4\\xf6.csv:2:4: rad: okänt rad-id 'x' för SV",
        "utfall_\\xe5\\xe4\\xf6.csv:2:6: manad: 2026-13 finns inte (ange ÅÅÅÅ-MM)"]


@pytest.mark.parametrize("args,rad", [
    (("berakna", "--utfall", b"saknas_\xe5.csv"), "saknas_\\xe5.csv: filen finns inte"),
    (("berakna", "--utfall", _NAMN, "--utfall", _NAMN),
     "utfall_\\xe5\\xe4\\xf6.csv: anges två gånger med --utfall; varje utfallsfil ska anges en gång"),
    (("berakna", "--beslut", b"beslut_\xe5.yaml"), "beslut_\\xe5.yaml:2:1: ar: beslutsfilen gäller 2027, uppdraget 2026"),
    (("scenario", "--scenariofil", b"s_\xe5.yaml"), "s_\\xe5.yaml:1:3: [0].andringar: saknas"),
    (("berakna", "--uppdrag", b"u_\xe5.yaml"), "u_\\xe5.yaml:1:1: filen är tom"),
])
def test_varje_felrad_visar_namnet_med_sina_byte(kor, args, rad):
    _fil(_NAMN, f"utforare,rad,manad,antal\nSV,{HUD},2026-01,1\n")
    _fil(b"beslut_\xe5.yaml", "utforare: SV\nar: 2027\nbeslut: []\n")
    _fil(b"s_\xe5.yaml", "- {namn: a}\n")
    _fil(b"u_\xe5.yaml", "")
    k = kor(*(os.fsdecode(a) if isinstance(a, bytes) else a for a in args))
    assert k.kod == 2 and k.fel.strip() == rad
