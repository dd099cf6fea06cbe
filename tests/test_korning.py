"""Körningen med effekterna sist (korning.py) och förhandsvisningen som hålls till bokföringens
kontroller (regelboken §19, §21, §22).

- Kan rapporten inte skrivas bokförs ingenting: journalen är byte för byte densamma (eller skapas inte).
- Misslyckas en effekt publiceras ingen utdata, och raden säger vad som inte gjordes.
- En förhandsvisning ur en trasig journal vägras med slutkod 1 och ingen siffra; en förhandsvisning
  av en bokförd månad säger det, med det bokförda beloppet och skillnaden mot uttaget.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import ROT

EX = ROT / "examples"
AUG = EX / "produktion_2026.csv"
SEP = EX / "produktion_2026_september.csv"


def _boka(kor, journal: Path, utfall: Path, *manader: int) -> list[dict]:
    ut = []
    for m in manader:
        k = kor("utbetala", "--manad", f"2026-{m:02d}", "--utfall", utfall, "--journal", journal, "--bokfor",
                "-f", "json")
        assert k.kod == 0, k
        ut.append(json.loads(k.ut))
    return ut


def _filer(katalog: Path) -> list[str]:
    return sorted(p.name for p in katalog.iterdir())


# --- effekterna sist ---------------------------------------------------------------------------------


@pytest.mark.parametrize("format,ut", [
    ("json", "/proc/rapport.json"),            # kan inte skapas (inte ens av root)
    ("tabell", "saknas/rapport.txt"),          # katalogen finns inte
    ("xlsx", "/proc/rapport.xlsx"),
    ("xlsx", "saknas/rapport.xlsx"),
])
def test_bokfor_inte_nar_rapporten_inte_kan_skrivas_ny_journal(kor, tmp_path, monkeypatch, format, ut):
    monkeypatch.chdir(tmp_path)
    journal = tmp_path / "journal.txt"
    k = kor("utbetala", "--manad", "2026-01", "--utfall", AUG, "--journal", journal, "--bokfor",
            "--format", format, "--ut", ut)
    assert k.kod == 2, k
    assert not journal.exists() and _filer(tmp_path) == []
    assert len(k.fel.strip().splitlines()) == 1 and k.fel.startswith("ersattning: "), k


@pytest.mark.parametrize("format,andelse", [("json", "json"), ("xlsx", "xlsx")])
def test_bokfor_inte_nar_rapporten_inte_kan_skrivas_befintlig_journal(kor, tmp_path, format, andelse):
    journal = tmp_path / "journal.txt"
    _boka(kor, journal, AUG, 1, 2)
    fore = journal.read_bytes()
    (tmp_path / f"finns.{andelse}").write_text("min egen")
    for ut in (f"/proc/rapport.{andelse}", tmp_path / f"finns.{andelse}"):
        k = kor("utbetala", "--manad", "2026-03", "--utfall", AUG, "--journal", journal, "--bokfor",
                "--format", format, "--ut", ut)
        assert k.kod == 2, k
        assert journal.read_bytes() == fore
    assert (tmp_path / f"finns.{andelse}").read_text() == "min egen"
    # och utan fel bokförs mars, med rapporten skriven
    k = kor("utbetala", "--manad", "2026-03", "--utfall", AUG, "--journal", journal, "--bokfor",
            "--format", format, "--ut", tmp_path / f"ny.{andelse}")
    assert k.kod == 0, k
    assert journal.read_bytes() != fore and (tmp_path / f"ny.{andelse}").exists()


def test_en_bokforing_som_misslyckas_publicerar_ingen_utdata(kor, tmp_path):
    """Februari före januari: bokföringen vägras; rapportfilen skrivs inte och raden säger det."""
    journal = tmp_path / "journal.txt"
    _boka(kor, journal, AUG, 1)
    fore = journal.read_bytes()
    _boka(kor, journal, AUG, 2)
    journal.write_bytes(fore)             # tillbaka till januari
    (tmp_path / "lås").mkdir()
    k = kor("utbetala", "--manad", "2026-01", "--utfall", AUG, "--journal", journal, "--bokfor", "-f", "json",
            "--ut", tmp_path / "r.json")
    assert k.kod == 2, k
    assert not (tmp_path / "r.json").exists() and journal.read_bytes() == fore
    assert f"bokföringen av 2026-01 i {journal} gjordes inte; ingen utdata skrevs" in k.fel, k


def test_ut_streck_ar_standard_ut(kor, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    k = kor("berakna", "-f", "json", "--ut", "-")
    assert k.kod == 0 and json.loads(k.ut)["summa_kr"], k
    assert _filer(tmp_path) == []


def test_scenario_som_beslut_skrivs_inte_nar_rapporten_inte_kan_skrivas(kor, tmp_path):
    utkast = tmp_path / "utkast.yaml"
    k = kor("scenario", "--andra", "somatik.operation.allman_kirurgi.tillagg=+80", "--som-beslut", utkast,
            "--fran", "2026-09", "--ut", "/proc/rapport.txt")
    assert k.kod == 2, k
    assert not utkast.exists() and _filer(tmp_path) == []


# --- förhandsvisningen hålls till bokföringens kontroller (§22) ---------------------------------------


def _trasig(journal: Path, manad: str, hur: str) -> None:
    """Journalen med månaden `manad` borttagen eller dubblerad (ett helt block, vid en blockgräns)."""
    delar = journal.read_text(encoding="utf-8").split("\n\nmanad: ")
    huvud, block = delar[0], [b.rstrip("\n") for b in delar[1:]]
    i = next(j for j, b in enumerate(block) if b.startswith(manad))
    if hur == "bort":
        del block[i]
    else:
        block.append(block[i])
    journal.write_text("\n\nmanad: ".join([huvud, *block]) + "\n", encoding="utf-8")


@pytest.mark.parametrize("manad,hur", [("2026-03", "bort"), ("2026-08", "dubbel")])
def test_forhandsvisning_ur_trasig_journal_vagras_utan_siffra(kor, tmp_path, manad, hur):
    journal = tmp_path / "journal.txt"
    _boka(kor, journal, AUG, *range(1, 9))
    text = journal.read_text(encoding="utf-8")
    assert text.count("\n\nmanad: ") == 8, text[:400]
    _trasig(journal, manad, hur)
    for format in ("tabell", "json"):
        k = kor("utbetala", "--manad", "2026-09", "--utfall", SEP, "--journal", journal, "-f", format)
        assert k.kod == 1, k
        assert k.ut == "", k
        assert "håller inte ihop" in k.fel, k


def test_forhandsvisning_av_bokford_manad_sager_det(kor, tmp_path):
    """Augusti bokförd ur augustiuttaget; septemberuttaget ger augusti ett annat belopp."""
    journal = tmp_path / "journal.txt"
    bokningar = _boka(kor, journal, AUG, *range(1, 9))
    aug = bokningar[-1]
    k = kor("utbetala", "--manad", "2026-08", "--utfall", SEP, "--journal", journal, "-f", "json")
    assert k.kod == 0, k
    j = json.loads(k.ut)
    assert j["bokford"] is True
    assert j["bokfort_kr"] == aug["summa_kr"]
    assert int(j["differens_kr"]) == int(j["summa_kr"]) - int(aug["summa_kr"])
    assert j["kvittens"] == aug["kvittens"]


def test_bokforingen_ger_kvittens_som_kontrollera_godtar(kor, tmp_path):
    journal = tmp_path / "journal.txt"
    bokningar = _boka(kor, journal, AUG, 1, 2, 3)
    kvittenser = [b["kvittens"] for b in bokningar]
    assert all(isinstance(h, str) and len(h) == 64 for h in kvittenser) and len(set(kvittenser)) == 3
    k = kor("kontrollera", "--journal", journal, "--kvittens", kvittenser[-1])
    assert k.kod == 0, k
    # avkortad efter mars: den kvitterade månaden finns inte längre
    _trasig(journal, "2026-03", "bort")
    k = kor("kontrollera", "--journal", journal, "--kvittens", kvittenser[-1])
    assert k.kod == 1 and "kvittensen" in k.fel, k
    assert kor("kontrollera", "--journal", journal, "--kvittens", kvittenser[1]).kod == 0


def test_ett_belopp_andrat_med_sin_summa_hittas(kor, tmp_path):
    """Februaris anslag och summa höjda med 1 000 tillsammans: summan stämmer, kedjan inte."""
    journal = tmp_path / "journal.txt"
    _boka(kor, journal, AUG, 1, 2, 3)
    rader = journal.read_text(encoding="utf-8").splitlines(keepends=True)
    i = next(j for j, r in enumerate(rader) if r.startswith("manad: 2026-02"))
    for j in range(i, len(rader)):
        for nyckel in ("  anslag: ", "  summa: "):
            if rader[j].startswith(nyckel):
                tal = int(rader[j][len(nyckel):].strip())
                rader[j] = f"{nyckel}{tal + 1000}\n"
        if rader[j].startswith("  summa: "):
            break
    journal.write_text("".join(rader), encoding="utf-8")
    k = kor("kontrollera", "--journal", journal)
    assert k.kod == 1 and "2026-02" in k.fel and "kedjan" in k.fel, k
    k = kor("utbetala", "--manad", "2026-04", "--utfall", AUG, "--journal", journal, "-f", "json")
    assert k.kod == 1 and k.ut == "", k
