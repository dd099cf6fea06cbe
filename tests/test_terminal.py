"""visning.terminal: tabeller, noter och träd för terminalen utan rich.

Förväntad utdata är handskriven: titel, kolumnrubriker, linjen `━` under dem, två mellanslag mellan
kolumnerna, tal högerställda, en tom rad före en sektion; textkolumner radbryts utan att ett tal
delas; staplad vy när inte ens det ryms; styrkoder bara med färg.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from vgr_ersattning.visning.tabellbas import Tabell, notera
from vgr_ersattning.visning.terminal import Konsol, Text, Trad, krymp, radbryt, sgr

ESC = "\x1b"


def _priser() -> Tabell:
    t = Tabell("Priser (kr)", ("Rad", "left"), ("SV", "right"), ("Kalkylerat", "right"))
    t.rad("Besök", stil="bold")
    t.rad("  Hud", "2 503", "2 600")
    t.rad("  Ortopedi", "12 345", "–")
    t.sektion()
    t.rad("Summa", "14 848", "2 600", stil="bold")
    return t


def _kontroller() -> Tabell:
    t = Tabell("Kontroller", ("Kontroll", "left"), ("Värde", "right"), ("Meddelande", "left"))
    t.rad("Summa somatik", "77 190", "somatik: 77 190 = 56 502 + 20 688")
    t.rad("Totalsumma", "81 739", "Totalsumma: 81 739 = 59 297 + 22 442")
    return t


def _visa(tabell: Tabell, bredd: int, farg: bool = False) -> str:
    k = Konsol(bredd, farg)
    tabell.visa(k)
    return k.text()


def test_liten_tabell_med_sektion():
    assert _visa(_priser(), 80) == (
        "Priser (kr)\n"
        "Rad             SV  Kalkylerat\n"
        "━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━\n"
        "Besök\n"
        "  Hud        2 503       2 600\n"
        "  Ortopedi  12 345           –\n"
        "\n"
        "Summa       14 848       2 600\n"
    )


def test_textkolumnen_radbryts_och_inget_tal_delas():
    # 40 tecken: Meddelande krymper till 17; talkolumnen behåller sin bredd och varje tal är helt.
    assert _visa(_kontroller(), 40) == (
        "Kontroller\n"
        "Kontroll        Värde  Meddelande\n"
        "━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━\n"
        "Summa somatik  77 190  somatik: 77 190 =\n"
        "                       56 502 + 20 688\n"
        "Totalsumma     81 739  Totalsumma:\n"
        "                       81 739 = 59 297 +\n"
        "                       22 442\n"
    )


def test_staplad_vy_i_ett_smalt_fonster():
    assert _visa(_kontroller(), 20) == (
        "Kontroller\n"
        "Summa somatik\n"
        "somatik: 77 190 =\n"
        "56 502 + 20 688\n"
        "  Värde: 77 190\n"
        "Totalsumma\n"
        "Totalsumma: 81 739 =\n"
        "59 297 + 22 442\n"
        "  Värde: 81 739\n"
    )
    # En sektion är en tom rad också staplad; ett talvärde bryts aldrig, inte ens i 12 tecken.
    text = _visa(_priser(), 12)
    assert text.splitlines()[-4:] == ["", "Summa", "  SV: 14 848", "  Kalkylerat: 2 600"]


@pytest.mark.parametrize("bredd", [60, 80, 120])
def test_rader_ryms_i_bredden(bredd):
    t = Tabell("En lång rubrik " * 6, ("Text", "left"), ("Belopp", "right"), ("Mer text", "left"))
    for i in range(5):
        t.rad("ord " * (10 + i), f"{i} 234 567 89{i}", "ännu mer text " * (3 + i))
    text = _visa(t, bredd)
    assert all(len(rad) <= bredd for rad in text.splitlines())
    for i in range(5):
        assert f"{i} 234 567 89{i}" in text
    assert not any(rad.endswith(" ") for rad in text.splitlines())


def test_rubrikerna_star_nederst_nar_en_rubrik_radbryts():
    t = Tabell("K", ("Tillfälle", "left"), ("Uppgiftslämnare", "left"))
    t.rad("2026-T2", "ordet " * 10)
    rader = _visa(t, 20).splitlines()
    assert rader[1:4] == ["           Uppgiftsl", "Tillfälle  ämnare", "━" * 20]


def test_utan_farg_inga_styrkoder():
    for bredd in (12, 40, 80):
        assert ESC not in _visa(_priser(), bredd) + _visa(_kontroller(), bredd)
    k = Konsol(40)
    notera(k, "Underkänd", "bold red")
    assert k.text() == "Underkänd\n"


def test_med_farg_styrkoder_per_stil():
    text = _visa(_priser(), 80, farg=True)
    rader = text.splitlines()
    assert rader[0] == f"{ESC}[1mPriser (kr){ESC}[0m"
    assert rader[1] == f"{ESC}[1mRad{ESC}[0m             {ESC}[1mSV{ESC}[0m  {ESC}[1mKalkylerat{ESC}[0m"
    assert rader[2] == "━" * 30
    assert rader[3] == f"{ESC}[1mBesök{ESC}[0m"
    assert rader[4] == "  Hud        2 503       2 600"      # rad utan stil: inga koder
    assert rader[7] == f"{ESC}[1mSumma{ESC}[0m       {ESC}[1m14 848{ESC}[0m       {ESC}[1m2 600{ESC}[0m"
    # En cells egen stil ovanpå radens: attributen läggs ihop, cellens färg vinner.
    t = Tabell("T", ("A", "left"), ("B", "left"))
    t.rad(Text("✓", style="green"), Text("x", style="bold red"), stil="italic")
    assert _visa(t, 40, farg=True).splitlines()[-1] == f"{ESC}[3;32m✓{ESC}[0m  {ESC}[1;3;31mx{ESC}[0m"
    assert [sgr(s) for s in ("", "bold", "dim", "italic", "red", "green", "yellow", "cyan")] == [
        "", f"{ESC}[1m", f"{ESC}[2m", f"{ESC}[3m", f"{ESC}[31m", f"{ESC}[32m", f"{ESC}[33m", f"{ESC}[36m"]
    assert [sgr(s) for s in ("bold red", "bold yellow", "bold green", "bold dim")] == [
        f"{ESC}[1;31m", f"{ESC}[1;33m", f"{ESC}[1;32m", f"{ESC}[1;2m"]
    with pytest.raises(ValueError):
        sgr("fet")


def test_noten_bryts_inte_inne_i_ett_tal():
    k = Konsol(30)
    notera(k, "Tilläggsersättning vid full leverans: 1 234 567 kr")
    # rich bröt "… leverans: 1" / "234 567 kr"
    assert k.text() == "Tilläggsersättning vid full\nleverans: 1 234 567 kr\n"
    k = Konsol(60)
    notera(k, "Delsumma 1, inkl uppräkningsfaktor: stämmer inom avrundning (summa av tryckta termer 3 193 906)")
    assert k.text().splitlines() == ["Delsumma 1, inkl uppräkningsfaktor: stämmer inom avrundning",
                                     "(summa av tryckta termer 3 193 906)"]
    # Ett tal som är längre än raden bryts vid sina mellanrum hellre än inne i en siffergrupp.
    assert [r.plain for r in radbryt("belopp 263 497 958 kr", 8)] == ["belopp", "263 497", "958 kr"]
    # Bara siffra–mellanslag–tre siffror är hårt: "§ 293" bryts som vanligt.
    assert [r.plain for r in radbryt("x = 12 345 och § 293", 7)] == ["x =", "12 345", "och §", "293"]


def test_radbrytning_som_rich_for_text_utan_tal():
    rich_text = pytest.importorskip("rich.text")
    rich_console = pytest.importorskip("rich.console")
    import io

    konsol = rich_console.Console(file=io.StringIO(), width=200)
    texter = [("Antagande A5: Avräkning i april och augusti har taket pro rata (fastställd nivå × månad/12), "
              "i december hela nivån; uppdraget säger bara maximalt upp till den fastställda nivån."),
              "    BUP (A1) och en mycket_lång_identifierare_som_viks.och.fortsätter [barnlogopedi_samverkan]",
              "första raden\nandra raden är lite längre än den första\n\nefter en tom rad"]
    for text in texter:
        for bredd in (7, 12, 20, 33, 60):
            vantat = [r.plain.rstrip() for r in rich_text.Text(text).wrap(konsol, bredd)]
            assert [r.plain for r in radbryt(text, bredd)] == vantat, (text, bredd)


def test_krymp_bredaste_forst():
    assert krymp([10, 5, 30, 20], [8, 5, 8, 8], 65) == [10, 5, 30, 20]
    assert krymp([10, 5, 30, 20], [8, 5, 8, 8], 55) == [10, 5, 20, 20]
    assert krymp([10, 5, 30, 20], [8, 5, 8, 8], 46) == [10, 5, 15, 16]
    assert krymp([10, 5, 30, 20], [10, 5, 8, 8], 20) == [10, 5, 8, 8]


def test_trad():
    rot = Trad(Text("Summa: 3 kr", style="bold"))
    a = rot.add("a: 1 kr\nformel a")
    a.add("a1: 1")
    a.add("a2: 0")
    rot.add("b: 2 kr")
    k = Konsol(40)
    k.trad(rot)
    assert k.text() == (
        "Summa: 3 kr\n"
        "├── a: 1 kr\n"
        "│   formel a\n"
        "│   ├── a1: 1\n"
        "│   └── a2: 0\n"
        "└── b: 2 kr\n"
    )
    # En lång etikett radbryts inom sin gren, under sin linje.
    rot = Trad("r")
    rot.add("ett två tre fyra fem sex sju")
    rot.add("x").add("åtta nio tio elva tolv")
    k = Konsol(16)
    k.trad(rot)
    assert k.text().splitlines() == ["r", "├── ett två tre", "│   fyra fem sex", "│   sju", "└── x",
                                     "    └── åtta nio", "        tio elva", "        tolv"]


def test_text_som_rich():
    t = Text("a", style="bold") + Text("b")
    t += " c"
    t.append("d", style="red")
    t.append_text(Text("e", style="dim"))
    assert t.plain == "ab cde" and len(t) == 6
    assert t.ansi(False) == "ab cde"
    assert t.ansi(True) == f"{ESC}[1ma{ESC}[0mb c{ESC}[31md{ESC}[0m{ESC}[2me{ESC}[0m"


def test_tabellformatet_importerar_inte_rich():
    kod = "import vgr_ersattning.visning.tabell, sys; print('rich' in sys.modules)"
    ut = subprocess.run([sys.executable, "-c", kod], capture_output=True, text=True, check=True)
    assert ut.stdout.strip() == "False"


def test_forklara_och_berakna_utan_rich(tmp_path):
    """Hela kommandot i tabellformat (inte bara modulen) importerar inte rich."""
    kod = ("import sys\nfrom vgr_ersattning.cli import app\n"
           "for argv in (['berakna'], ['forklara', 'anslag.2026-12'], ['kontrollera']):\n"
           "    try:\n        app(argv)\n    except SystemExit:\n        pass\n"
           "print('rich' in sys.modules, file=sys.stderr)")
    ut = subprocess.run([sys.executable, "-c", kod], capture_output=True, text=True, cwd=tmp_path, check=False,
                        env={"COLUMNS": "100", "PATH": "", "VGR_ERSATTNING_CACHE": "av"})
    assert ut.stderr.strip().splitlines()[-1] == "False", ut.stderr
    assert "━━━" in ut.stdout and "└── " in ut.stdout and not re.search(r"\x1b\[", ut.stdout)


def test_rubriken_bryts_i_konsolens_bredd_och_inte_i_tabellens():
    t = Tabell("En rubrik som är längre än tabellen men kortare än konsolen", ("A", "left"), ("B", "right"))
    t.rad("x", "1")
    assert _visa(t, 80).splitlines()[:2] == ["En rubrik som är längre än tabellen men kortare än konsolen", "A  B"]
    assert all(len(r) <= 30 for r in _visa(t, 30).splitlines())


# --- rapportmodellen i terminalen ---------------------------------------------------------------------------


def _modell():
    from decimal import Decimal

    from vgr_ersattning.rapport import modell as m

    k = (m.Kolumn("id", "Id", m.ID, visas=m.MASKIN), m.Kolumn("namn", "Rad", m.NAMN),
         m.Kolumn("belopp_kr", "Belopp", m.KR, kort="Belopp kr"), m.Kolumn("andel", "Andel", m.ANDEL, tom="–"),
         m.Kolumn("manad", "Månad", m.MANAD))
    rader = (m.rad(k, {"namn": "Grupp"}, roll=m.GRUPP, stil="bold"),
             m.rad(k, {"id": "a.b.c", "namn": "Rad ett", "belopp_kr": Decimal("1234567.5"), "andel": Decimal("0.855"),
                       "manad": m.Manad(2026, 8)}, niva=1),
             m.rad(k, {"id": "a.b.d", "namn": "Bara i maskinerna", "belopp_kr": 1}, visas=m.MASKIN),
             m.rad(k, {"id": "Totalt", "namn": m.Cell("Totalt", visas=m.SKARM), "belopp_kr": Decimal("1234567.5"),
                       "andel": None}, roll=m.SUMMA, sektion=True))
    t = m.Tabell("Rader", "Tabellen (kr)", k, rader, noter=(m.Not("En not.", ""), m.Not("Bara i arbetsboken.",
                                                                                        visas=frozenset({m.XLSX}))),
                 fakta=(m.Fakta("En uppgift", Decimal(2026), m.AR, visas=m.ALLA),))
    return m.en_del("Titel", t, antaganden={})


def test_rapportmodellen_i_terminalen():
    from types import SimpleNamespace

    from vgr_ersattning.visning.tabell import skriv

    assert skriv(_modell(), SimpleNamespace(bredd=80, farg=False)) == (
        "Tabellen (kr)\n"
        "Rad           Belopp kr   Andel  Månad\n"
        "━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━\n"
        "Grupp\n"
        "  Rad ett  1 234 567,50  85,5 %  augusti 2026\n"
        "\n"
        "Totalt     1 234 567,50       –\n"
        "En uppgift: 2026\n"
        "En not.\n"
    )


def test_rapportmodellen_i_csv():
    from types import SimpleNamespace

    from vgr_ersattning.visning.csvformat import skriv

    # Bara posterna (rollen RAD) och kolumnerna som står i CSV, tal i maskinformat.
    assert skriv(_modell(), SimpleNamespace(csv_dialekt="maskin")) == (
        "id,namn,belopp_kr,andel,manad\n"
        "a.b.c,Rad ett,1234567.5,0.855,2026-08\n"
        "a.b.d,Bara i maskinerna,1,,\n")
    assert skriv(_modell(), SimpleNamespace(csv_dialekt="excel")).startswith(
        "\ufeffid;namn;belopp_kr;andel;manad\r\na.b.c;Rad ett;1234567,5;0,855;2026-08\r\n")
