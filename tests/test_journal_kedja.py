"""Journalens kedja och kvittens (regelboken §21), förhandsvisningens kontroll (§22), beslut som
inte får ändras, och de små dörrarna: låset som väntar och inte följer en länk, en skrivskyddad
journal, filnamn som inte är UTF-8.

En ändring för hand som håller ihop (ett belopp och månadens summa ändrade tillsammans, pengar
flyttade mellan komponenter, en rad borttagen eller flyttad) hittas av kedjan; ett block borttaget
sist, eller en gammal kopia tillbakalagd, hittas med kvittensen."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import threading
import time
from decimal import Decimal as D
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vgr_ersattning import journal as journalmodul
from vgr_ersattning.inlasning.fel import Inlasningsfel
from vgr_ersattning.journal import (
    TITEL,
    UPPGRADERA_KOMMANDO,
    Bokforing,
    Journal,
    Journalfel,
    Post,
    bokfor,
    bokford,
    format_bokforing,
    format_journal,
    journalproblem,
    kedja_fore_januari,
    kedjevarden,
    kontrollera_indata,
    kontrollera_journal,
    kvitterad_manad,
    las_journal,
    las_journal_text,
    problem_infor,
    skapa_bokforing,
    uppgradera,
)

fcntl = pytest.importorskip("fcntl")

SHA = "ab" * 32
BESLUT_SHA = "cd" * 32
OP = "tillagg:somatik.operation.allman_kirurgi"
IDAG = dt.date(2026, 12, 7)


def bok(nr: int, belopp: dict[str, str] | None = None, indata=(("produktion_2026.csv", SHA),)) -> Bokforing:
    manad = f"2026-{nr:02d}"
    belopp = belopp if belopp is not None else {"anslag": "276488917", OP: "0", "avrakning:lakemedel": "-1250.50"}
    poster = tuple(Post(manad, k, D(v)) for k, v in belopp.items())
    return Bokforing(manad, f"2026-{nr:02d}-25", poster, sum((p.belopp_kr for p in poster), D(0)), tuple(indata))


@pytest.fixture
def fil(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path / "journal.txt"


def bokfor_manader(fil: Path, *manader: int) -> list[str]:
    """Bokför månaderna och ger kvittensen efter var och en."""
    return [bokfor(fil, "SV", 2026, bok(nr)).kvittens() for nr in manader]


def problem(fil: Path, **k) -> list[str]:
    return kontrollera_journal(las_journal(fil), idag=IDAG, **k)


def andra(fil: Path, gammalt: str, nytt: str) -> None:
    text = fil.read_text(encoding="utf-8")
    assert text.count(gammalt) >= 1, gammalt
    fil.write_text(text.replace(gammalt, nytt, 1), encoding="utf-8")


def lockfiler(katalog: Path) -> list[str]:
    return sorted(n for n in os.listdir(katalog) if n.endswith(".las"))


# --- kedjan ----------------------------------------------------------------------------------------


def test_kedjan_ar_sha256_over_foregaende_och_manadens_rader(fil):
    """Oberoende av koden: januaris föregående värde är SHA-256 av huvudet, och varje månads värde
    SHA-256 av föregående värde, en radbrytning och månadens rader från `manad:` till `summa:`."""
    kvittenser = bokfor_manader(fil, 1, 2, 3)
    text = fil.read_text(encoding="utf-8")
    huvud, *block = text.split("\n\n")
    varde = hashlib.sha256((huvud + "\n").encode()).hexdigest()
    assert varde == kedja_fore_januari("SV", 2026)
    sparade = []
    for b in block:
        rader = b.rstrip("\n").split("\n")
        assert rader[-1].startswith("  kedja: ") and rader[-2].startswith("  summa: ")
        varde = hashlib.sha256(f"{varde}\n" .encode() + ("\n".join(rader[:-1]) + "\n").encode()).hexdigest()
        assert rader[-1] == f"  kedja: {varde}"
        sparade.append(varde)
    assert sparade == kvittenser == kedjevarden(las_journal(fil))
    assert las_journal(fil).kvittens() == kvittenser[-1]
    assert problem(fil) == [] and problem(fil, kvittens=kvittenser[-1]) == []


def test_kvittensen_ar_den_sista_manadens_varde_och_ingen_for_en_tom_journal():
    assert Journal("SV", 2026, ()).kvittens() is None
    j = Journal("SV", 2026, (bok(1),))
    assert j.kvittens() == kedjevarden(j)[0]
    assert format_journal(j).endswith(f"  kedja: {j.kvittens()}\n")
    assert format_bokforing(bok(1), kedja_fore_januari("SV", 2026)).endswith(f"  kedja: {j.kvittens()}\n")


@pytest.mark.parametrize("gammalt, nytt", [
    # Ett belopp och månadens summa ändrade tillsammans: summan stämmer, kedjan inte.
    ("  anslag: 276488917\n  tillagg:somatik.operation.allman_kirurgi: 0\n  avrakning:lakemedel: -1250.50\n"
     "  summa: 276487666.50\n",
     "  anslag: 276488000\n  tillagg:somatik.operation.allman_kirurgi: 0\n  avrakning:lakemedel: -1250.50\n"
     "  summa: 276486749.50\n"),
    # Pengar flyttade mellan komponenter: summan är densamma.
    ("  anslag: 276488917\n  tillagg:somatik.operation.allman_kirurgi: 0\n",
     "  anslag: 276488817\n  tillagg:somatik.operation.allman_kirurgi: 100\n"),
    # En nollrad borttagen.
    ("  tillagg:somatik.operation.allman_kirurgi: 0\n", ""),
    # Raden om indata borttagen.
    (f"  indata: produktion_2026.csv sha256:{SHA}\n", ""),
    # Två komponentrader i bytt ordning.
    ("  anslag: 276488917\n  tillagg:somatik.operation.allman_kirurgi: 0\n",
     "  tillagg:somatik.operation.allman_kirurgi: 0\n  anslag: 276488917\n"),
    # Körningens datum ändrat.
    ("  korning: 2026-02-25\n", "  korning: 2026-02-24\n"),
    # Samma belopp skrivet på ett annat sätt.
    ("  anslag: 276488917\n", "  anslag: 276488917.00\n"),
])
def test_en_andring_som_haller_ihop_hittas_av_kedjan(fil, gammalt, nytt):
    bokfor_manader(fil, 1, 2, 3)
    text = fil.read_text(encoding="utf-8")
    start = text.index("manad: 2026-02")
    fil.write_text(text[:start] + text[start:].replace(gammalt, nytt, 1), encoding="utf-8")
    assert fil.read_text(encoding="utf-8") != text
    rad = text[:start].count("\n") + 1
    assert problem(fil) == [
        f"journal.txt:{rad}:1: 2026-02: kedjan bryts här: månadens rader eller månaden före har ändrats, eller en "
        "månad har tagits bort eller lagts till, efter bokföringen (kedjevärdet stämmer inte)"]
    # Och bokföringen vägrar den.
    fore = fil.read_bytes()
    with pytest.raises(Journalfel, match="bokför inte 2026-04: journalen håller inte ihop"):
        bokfor(fil, "SV", 2026, bok(4))
    assert fil.read_bytes() == fore


def test_andrat_huvud_bryter_kedjan_i_januari(fil):
    bokfor_manader(fil, 1, 2)
    andra(fil, "# utförare: SV", "# utförare: SU")
    assert problem(fil) == ["journal.txt:5:1: 2026-01: kedjan bryts här: huvudet eller månadens rader har ändrats, "
                            "eller en månad har tagits bort eller lagts till, efter bokföringen (kedjevärdet stämmer inte)"]


def test_andrat_kedjevarde_hittas(fil):
    kvittenser = bokfor_manader(fil, 1, 2)
    andra(fil, kvittenser[0], "0" * 64)
    assert [p.split(": ", 2)[1] for p in problem(fil)] == ["2026-01"]


def test_en_manad_som_inte_haller_ihop_namns_en_gang():
    """En summa som inte stämmer bryter också kedjan; felet nämns en gång, som summan."""
    text = format_journal(Journal("SV", 2026, (bok(1), bok(2))))
    text = text.replace("  summa: 276487666.50\n", "  summa: 1\n", 1)
    p = kontrollera_journal(las_journal_text(text, "j.txt"), idag=IDAG)
    assert len(p) == 1 and "2026-01: summan 1 stämmer inte" in p[0]


def test_forsta_blocket_borttaget_ger_lucka(fil):
    bokfor_manader(fil, 1, 2, 3)
    text = fil.read_text(encoding="utf-8")
    huvud, forsta, *resten = text.split("\n\n")
    fil.write_text("\n\n".join([huvud, *resten]), encoding="utf-8")
    p = problem(fil)
    assert p[0].startswith("journal.txt:5:1: 2026-02: lucka: 2026-01 saknas")
    assert len(p) == 1          # kedjans brott i samma månad är samma fel


def test_ett_block_i_mitten_borttaget(fil):
    bokfor_manader(fil, 1, 2, 3)
    huvud, *block = fil.read_text(encoding="utf-8").split("\n\n")
    fil.write_text("\n\n".join([huvud, block[0], block[2]]), encoding="utf-8")
    assert [p.split(": ", 2)[2][:5] for p in problem(fil)] == ["lucka"]


def test_en_dubblerad_manad_hittas(fil):
    bokfor_manader(fil, 1, 2)
    text = fil.read_text(encoding="utf-8")
    block = "\n" + text.split("\n\n")[-1]
    fil.write_text(text + block, encoding="utf-8")
    assert any("2026-02: månaden är bokförd två gånger" in p for p in problem(fil))


def test_sista_blocket_borttaget_hittas_med_kvittensen(fil):
    kvittenser = bokfor_manader(fil, 1, 2, 3)
    huvud, *block = fil.read_text(encoding="utf-8").split("\n\n")
    fil.write_text("\n\n".join([huvud, *block[:2]]) + "\n", encoding="utf-8")
    assert problem(fil) == []                         # utan kvittens syns ett avkortat slut inte
    assert problem(fil, kvittens=kvittenser[1]) == []
    assert problem(fil, kvittens=kvittenser[2]) == [
        f"journal.txt: kvittensen {kvittenser[2][:12]}… hör inte till någon bokförd månad i journalen: journalen "
        "har kortats av eller återställts till före den kvitterade månaden, ändrats, eller är en annan journal"]


def test_en_aterstalld_kopia_hittas_med_kvittensen(fil, tmp_path):
    bokfor_manader(fil, 1, 2)
    kopia = fil.read_bytes()
    h3 = bokfor(fil, "SV", 2026, bok(3)).kvittens()
    h4 = bokfor(fil, "SV", 2026, bok(4)).kvittens()
    assert problem(fil, kvittens=h3) == [] and problem(fil, kvittens=h4) == []
    assert kvitterad_manad(las_journal(fil), h3) == "2026-03"
    fil.write_bytes(kopia)
    assert problem(fil) == []
    assert len(problem(fil, kvittens=h3)) == 1 and "hör inte till någon bokförd månad" in problem(fil, kvittens=h3)[0]
    assert kvitterad_manad(las_journal(fil), h3) is None
    # En annan journal med samma månader (en annan utförare) har andra kedjevärden.
    annan = tmp_path / "annan.txt"
    bokfor(annan, "SU", 2026, bok(1))
    assert problem(annan, kvittens=h3) != []


def test_kvittensen_med_versaler_och_ogiltig_kvittens(fil):
    [h] = bokfor_manader(fil, 1)
    assert problem(fil, kvittens=h.upper()) == []
    for fel in ["", "xyz", h[:-1], h + "0"]:
        with pytest.raises(Inlasningsfel, match="^--kvittens: ogiltig kvittens"):
            problem(fil, kvittens=fel)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_varje_andring_av_ett_tecken_hittas(data):
    """Vilket tecken som helst i en bokförd journal, bytt mot vilket annat som helst av de tecken
    journalen består av: läsningen eller kontrollen säger nej."""
    j = Journal("SV", 2026, (bok(1), bok(2, {"anslag": "10", OP: "-0.50"})))
    text = format_journal(j)
    i = data.draw(st.integers(0, len(text) - 1))
    tecken = data.draw(st.sampled_from("0123456789abcdef-.: \nSV#åkrgnt"))
    nytt = text[:i] + tecken + text[i + 1:]
    if nytt == text:
        return
    try:
        ny = las_journal_text(nytt, "j.txt")
    except Inlasningsfel:
        return
    assert kontrollera_journal(ny, idag=IDAG) != [], (i, tecken)


# --- innehållet ------------------------------------------------------------------------------------


def med_kedja(text: str) -> str:
    return format_journal(las_journal_text(text))


def test_okand_komponent_hittas_och_bokfors_inte(fil):
    j = Journal("SV", 2026, (bok(1, {"anslag": "1", "tillag:x": "2", "avrakning:Stor": "0"}),))
    p = kontrollera_journal(las_journal_text(format_journal(j), "j.txt"), idag=IDAG)
    assert [x.split(": ", 2)[2] for x in p] == [
        "okänd komponent 'tillag:x' (en utbetalning har anslag, tillagg:RAD, avrakning:POST eller malrelaterad:ÅÅÅÅ-QN)",
        "okänd komponent 'avrakning:Stor' (en utbetalning har anslag, tillagg:RAD, avrakning:POST eller "
        "malrelaterad:ÅÅÅÅ-QN)"]
    assert p[0].startswith("j.txt:9:1: 2026-01: ")
    with pytest.raises(Journalfel, match=r"2026-01: okänd komponent 'x'.*; journalen är oförändrad"):
        bokfor(fil, "SV", 2026, bok(1, {"x": "1"}))
    assert not fil.exists() and lockfiler(fil.parent) == []


def test_kanda_komponenter():
    j = Journal("SV", 2026, (bok(1, {"anslag": "1", OP: "2", "avrakning:lakemedel_leveranser": "3",
                                     "malrelaterad:2026-Q1": "4"}),))
    assert kontrollera_journal(j, idag=IDAG) == []


def test_korning_efter_i_dag(fil):
    j = Journal("SV", 2026, (bok(1),))
    assert kontrollera_journal(j, idag=dt.date(2026, 1, 25)) == []
    assert kontrollera_journal(j, idag=dt.date(2026, 1, 24)) == [
        "journal: 2026-01: körningens datum 2026-01-25 ligger efter i dag (2026-01-24)"]
    with pytest.raises(Journalfel) as e:
        bokfor(fil, "SV", 2026, bok(1), idag=dt.date(2026, 1, 24))
    assert str(e.value) == ("journal.txt: 2026-01: körningens datum 2026-01-25 ligger efter i dag (2026-01-24); "
                            "journalen är oförändrad")
    assert not fil.exists()


# --- en journal skriven före kedjan ------------------------------------------------------------------


GAMMAL = f"""\
{TITEL}
# utförare: SV
# år: 2026

manad: 2026-01
  korning: 2026-01-25
  indata: data/produktion_2026.csv sha256:{SHA}
  anslag: 276488917
  summa: 276488917

manad: 2026-02
  korning: 2026-02-25
  anslag: 276488917
  tillagg:somatik.operation.allman_kirurgi: 35795
  summa: 276524712
"""


def test_en_journal_utan_kedja_vagras_med_en_rad_om_uppgraderingen(fil):
    fil.write_text(GAMMAL, encoding="utf-8")
    j = las_journal(fil)
    assert not j.kedjad
    utan = ("journal.txt: journalen har inga kedjevärden (den är skriven före kedjan) och godtas inte; uppgradera "
            "den med `ersattning uppgradera-journal FIL --ut NY_FIL`, som prövar den och skriver en ny journal med kedja")
    assert UPPGRADERA_KOMMANDO == "ersattning uppgradera-journal FIL --ut NY_FIL"
    assert problem(fil) == [utan]
    with pytest.raises(Journalfel) as e:
        bokfor(fil, "SV", 2026, bok(3))
    assert [str(f) for f in e.value.fel] == [
        utan, "journal.txt: bokför inte 2026-03: journalen håller inte ihop (se ovan); den är oförändrad"]
    assert fil.read_text(encoding="utf-8") == GAMMAL
    assert lockfiler(fil.parent) == []
    # En kvittens kan inte höra till en journal utan kedja.
    h = format_journal(las_journal_text(GAMMAL)).split("kedja: ")[-1].strip()
    assert any("hör inte till någon bokförd månad" in p for p in problem(fil, kvittens=h))


def test_uppgradera_ger_samma_rader_med_kedja(fil):
    ny = uppgradera(las_journal_text(GAMMAL, "gammal.txt"), idag=IDAG).decode("utf-8")
    assert [r for r in ny.split("\n") if not r.startswith("  kedja: ")] == GAMMAL.split("\n")
    assert ny.count("  kedja: ") == 2
    j = las_journal_text(ny)
    assert j == las_journal_text(GAMMAL) and j.kedjad
    assert kontrollera_journal(j, idag=IDAG) == []
    fil.write_text(ny, encoding="utf-8")
    h = bokfor(fil, "SV", 2026, bok(3)).kvittens()
    assert problem(fil, kvittens=h) == []
    with pytest.raises(Journalfel, match="^gammal.txt: journalen har redan kedjevärden"):
        uppgradera(las_journal_text(ny, "gammal.txt"))


def test_uppgradera_provar_den_gamla_journalen_forst():
    trasig = GAMMAL.replace("  summa: 276524712\n", "  summa: 276524713\n")
    with pytest.raises(Journalfel) as e:
        uppgradera(las_journal_text(trasig, "gammal.txt"), idag=IDAG)
    assert [str(f) for f in e.value.fel] == [
        "gammal.txt:15:1: 2026-02: summan 276524713 stämmer inte med komponenterna, som summerar till 276524712 "
        "(skillnad 1)",
        "gammal.txt: uppgraderar inte: journalen håller inte ihop (se ovan); rätta den först"]
    with pytest.raises(Journalfel, match="okänd komponent"):
        uppgradera(las_journal_text(GAMMAL.replace("tillagg:somatik", "tilläg:somatik"), "gammal.txt"), idag=IDAG)
    with pytest.raises(Journalfel, match="ligger efter i dag"):
        uppgradera(las_journal_text(GAMMAL, "gammal.txt"), idag=dt.date(2026, 2, 1))


def test_en_journal_dar_bara_nagra_block_har_kedja_ar_ett_formatfel():
    text = med_kedja(GAMMAL)
    rader = text.split("\n")
    forsta_kedjan = next(i for i, r in enumerate(rader) if r.startswith("  kedja: "))
    del rader[forsta_kedjan]
    with pytest.raises(Inlasningsfel) as e:
        las_journal_text("\n".join(rader), "j.txt")
    assert [str(f) for f in e.value.fel] == ["j.txt:9:1: 2026-01: `kedja:` saknas sist i månaden (efter `summa:`)"]


@pytest.mark.parametrize("andring, vantat", [
    (lambda t: t.replace("  summa: 276488917\n  kedja:", "  kedja:", 1), "j.txt:8:1: 2026-01: `summa:` saknas"),
    (lambda t: t.replace("\n  kedja: ", "\n  kedja: x", 1), "j.txt:10:10: ogiltigt kedjevärde"),
    (lambda t: t.replace("\n\nmanad: 2026-02", "\n  anslag: 1\n\nmanad: 2026-02", 1), "j.txt:11:3: `kedja:` är den sista"),
])
def test_kedjeraden_star_sist(andring, vantat):
    text = andring(med_kedja(GAMMAL))
    with pytest.raises(Inlasningsfel) as e:
        las_journal_text(text, "j.txt")
    assert any(str(f).startswith(vantat) for f in e.value.fel), e.value.fel


# --- förhandsvisningen ------------------------------------------------------------------------------


def test_problem_infor_och_bokford(fil):
    bokfor_manader(fil, 1, 2, 3)
    j = las_journal(fil)
    assert problem_infor(j, "SV", 2026, 4, idag=IDAG) == []
    assert problem_infor(j, "sv", 2026, "2026-02", idag=IDAG) == []          # en bokförd månad: inget problem
    assert bokford(j, "2026-02") == bok(2) and bokford(j, 2) == bok(2)
    assert bokford(j, 4) is None and bokford(None, 1) is None
    assert [str(f) for f in problem_infor(j, "SV", 2026, 6, idag=IDAG)] == [
        "journal.txt: journalen är bokförd t.o.m. 2026-03; 2026-06 kan räknas först när månaderna före är bokförda"]
    assert [str(f) for f in problem_infor(Journal("SV", 2026, (), "ny.txt"), "SV", 2026, 2)] == [
        "ny.txt: journalen är bokförd t.o.m. ingen månad; 2026-02 kan räknas först när månaderna före är bokförda"]
    assert [str(f) for f in problem_infor(j, "RH", 2027, 1, idag=IDAG)] == [
        "journal.txt:2:1: journalen gäller utförare SV, inte RH", "journal.txt:3:1: journalen gäller år 2026, inte 2027"]


def test_problem_infor_ar_bokforingens_kontroller(fil):
    """Det som gör att bokföringen vägrar gör att förhandsvisningen vägrar: kedjan, summorna, en
    journal utan kedja."""
    bokfor_manader(fil, 1, 2)
    andra(fil, "  anslag: 276488917\n  tillagg:somatik.operation.allman_kirurgi: 0\n",
          "  anslag: 276488817\n  tillagg:somatik.operation.allman_kirurgi: 100\n")
    fel = problem_infor(las_journal(fil), "SV", 2026, 3, idag=IDAG)
    assert len(fel) == 1 and "2026-01: kedjan bryts här" in str(fel[0])
    with pytest.raises(Journalfel) as e:
        bokfor(fil, "SV", 2026, bok(3))
    assert [str(f) for f in e.value.fel[:-1]] == [str(f) for f in fel]
    assert journalproblem(las_journal_text(GAMMAL), idag=IDAG)[0].meddelande.startswith("journalen har inga kedjevärden")
    with pytest.raises(ValueError):
        problem_infor(las_journal(fil), "SV", 2026, "2025-01")


# --- indata ------------------------------------------------------------------------------------------


def test_indata_bokfors_med_namn_aldrig_absolut_sokvag(fil, tmp_path):
    katalog = tmp_path / "data"
    katalog.mkdir()
    (katalog / "beslut_2026.yaml").write_text("beslut: []\n", encoding="utf-8")
    b = skapa_bokforing("2026-01", {"anslag": D(1)}, [katalog / "beslut_2026.yaml", "data/beslut_2026.yaml"])
    sha = hashlib.sha256(b"beslut: []\n").hexdigest()
    assert b.indata == (("beslut_2026.yaml", sha), ("beslut_2026.yaml", sha))
    bokfor(fil, "SV", 2026, b)
    assert str(tmp_path) not in fil.read_text(encoding="utf-8")


def test_ett_beslut_som_anvants_far_inte_andras(fil):
    bokfor(fil, "SV", 2026, bok(1, indata=(("produktion_2026.csv", SHA), ("beslut_2026.yaml", BESLUT_SHA))))
    bokfor(fil, "SV", 2026, bok(2, indata=(("produktion_2026.csv", "ef" * 32), ("beslut_2026.yaml", BESLUT_SHA))))
    j = las_journal(fil)
    assert kontrollera_indata(j, [("beslut_2026.yaml", BESLUT_SHA)]) == []
    assert kontrollera_indata(j, [("data/beslut_2026.yaml", BESLUT_SHA)]) == []
    assert kontrollera_indata(j, [("beslut_2027.yaml", "00" * 32)]) == []          # inte använt
    [fel] = kontrollera_indata(j, [("data/beslut_2026.yaml", "00" * 32)])
    assert str(fel) == ("data/beslut_2026.yaml: beslutsfilen har ändrats sedan den användes i bokföringen av "
                        f"2026-01 (journal.txt:8: sha256:{BESLUT_SHA[:12]}…, filen nu sha256:{'00' * 6}…); ett "
                        "beslut som använts ändras aldrig – lägg en ändring i ett nytt beslut")
    assert fil.read_text(encoding="utf-8").split("\n")[7] == f"  indata: beslut_2026.yaml sha256:{BESLUT_SHA}"


# --- de små dörrarna --------------------------------------------------------------------------------


def test_lockfilen_tas_bort_efter_bokforingen_och_efter_en_vagran(fil):
    bokfor_manader(fil, 1)
    assert lockfiler(fil.parent) == []
    with pytest.raises(Journalfel, match="redan bokförd"):
        bokfor(fil, "SV", 2026, bok(1))
    assert lockfiler(fil.parent) == []


def test_lockfilen_foljer_inte_en_symbolisk_lank(fil, tmp_path):
    bokfor_manader(fil, 1)
    offer = tmp_path / "offer.txt"
    offer.write_text("orörd")
    os.symlink(offer, str(fil) + ".las")
    fore = fil.read_bytes()
    with pytest.raises(Journalfel) as e:
        bokfor(fil, "SV", 2026, bok(2))
    assert str(e.value) == ("journal.txt: kan inte låsa journalen: låsfilen journal.txt.las är en symbolisk länk "
                            "(låset följer aldrig en länk; ta bort den); journalen är oförändrad")
    assert fil.read_bytes() == fore and offer.read_text() == "orörd"


def hall_laset(fil: Path, sekunder: float, ta_bort: bool = False) -> threading.Thread:
    """Tar låset som en annan körning och släpper det efter `sekunder` (och tar bort låsfilen, som
    bokföringen gör, med `ta_bort`)."""
    fd = os.open(str(fil) + ".las", os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def slapp():
        time.sleep(sekunder)
        if ta_bort:
            os.unlink(str(fil) + ".las")
        os.close(fd)

    t = threading.Thread(target=slapp)
    t.start()
    return t


@pytest.mark.parametrize("ta_bort", [False, True], ids=["kvar", "borttagen"])
def test_laset_vantar_pa_en_annan_korning(fil, monkeypatch, capsys, ta_bort):
    monkeypatch.setattr(journalmodul, "LOCK_MEDDELA_EFTER_S", 0.1)
    bokfor_manader(fil, 1)
    t = hall_laset(fil, 0.5, ta_bort)
    start = time.monotonic()
    j = bokfor(fil, "SV", 2026, bok(2))
    t.join()
    assert time.monotonic() - start >= 0.4
    assert j.sista_manad() == 2 and las_journal(fil) == j
    assert capsys.readouterr().err == ("journal.txt: väntar på journalens lås (journal.txt.las; en annan körning "
                                       "bokför just nu) …\n")
    assert lockfiler(fil.parent) == []


def test_en_kort_vantan_sags_inte(fil, capsys):
    bokfor_manader(fil, 1)
    t = hall_laset(fil, 0.2)
    bokfor(fil, "SV", 2026, bok(2))
    t.join()
    assert capsys.readouterr().err == ""


def test_laset_ger_upp_efter_vantetiden(fil, monkeypatch, capsys):
    monkeypatch.setattr(journalmodul, "LOCK_MEDDELA_EFTER_S", 0.05)
    bokfor_manader(fil, 1)
    fore = fil.read_bytes()
    t = hall_laset(fil, 1.0)
    try:
        with pytest.raises(Journalfel) as e:
            bokfor(fil, "SV", 2026, bok(2), vantetid=0.3)
    finally:
        t.join()
    assert str(e.value) == ("journal.txt: bokförs av en annan körning just nu (låset journal.txt.las är taget); "
                            "väntade 0.3 s; journalen är oförändrad, försök igen när den körningen är klar")
    assert capsys.readouterr().err.count("väntar på journalens lås") == 1
    assert fil.read_bytes() == fore
    assert journalmodul.LOCK_VANTETID_S == 5.0


def test_en_skrivskyddad_journal_vagras(fil):
    bokfor_manader(fil, 1)
    fore = fil.read_bytes()
    os.chmod(fil, 0o444)
    try:
        with pytest.raises(Journalfel) as e:
            bokfor(fil, "SV", 2026, bok(2))
    finally:
        os.chmod(fil, 0o644)
    assert str(e.value) == ("journal.txt: journalen är skrivskyddad (-r--r--r--); bokför inte 2026-02 – ge "
                            "skrivrättighet (t.ex. `chmod u+w`) om månaden ska bokföras i den; journalen är oförändrad")
    assert fil.read_bytes() == fore
    assert lockfiler(fil.parent) == []


@pytest.mark.skipif(os.name != "posix", reason="filnamn som byte")
def test_filnamn_som_inte_ar_utf8_visas_med_escape(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    namn = os.fsdecode(b"journal\xe5.txt")
    utfall = os.fsdecode(b"utfall\xe5.csv")
    Path(utfall).write_bytes(b"rad,manad,antal\n")
    b = skapa_bokforing("2026-01", {"anslag": D(1)}, [utfall], "2026-01-25")
    assert b.indata[0][0] == "utfall\\xe5.csv"
    j = bokfor(namn, "SV", 2026, b)
    assert j.namn == "journal\\xe5.txt"
    assert sorted(os.listdir(os.fsencode(tmp_path))) == [b"journal\xe5.txt", b"utfall\xe5.csv"]
    with pytest.raises(Journalfel) as e:
        bokfor(namn, "SV", 2026, b)
    text = str(e.value)
    text.encode("utf-8")                       # går att skriva ut
    assert text.startswith("journal\\xe5.txt: 2026-01 är redan bokförd")
    with pytest.raises(Journalfel) as e:
        bokfor(os.path.join(os.fsdecode(b"saknas\xe5"), "j.txt"), "SV", 2026, b)
    assert str(e.value) == "saknas\\xe5/j.txt: katalogen saknas\\xe5 finns inte; skapa den först"
    with pytest.raises(Inlasningsfel) as e:
        las_journal(os.fsdecode(b"finns_inte\xe5.txt"))
    assert str(e.value).startswith("finns_inte\\xe5.txt: journalen finns inte")
    assert sorted(n for n in os.listdir(os.fsencode(tmp_path)) if n.endswith(b".las")) == []


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="ingen mkfifo")
def test_en_pipe_som_indata_vagras_utan_att_vanta(fil):
    os.mkfifo("ror")
    with pytest.raises(Journalfel, match="^ror: är inte en vanlig fil"):
        skapa_bokforing("2026-01", {"anslag": D(1)}, ["ror"])
