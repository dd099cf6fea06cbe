"""Utfallsfilerna (`--utfall`) in i ett `Utfall`: formatet känns igen och varje fil läses av sin
läsare (se paketets text); samma nyckel i två filer och samma fil två gånger vägras."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from vgr_ersattning.inlasning.fel import Fel, Felsamlare, Inlasningsfel, Plats, sla_ihop
from vgr_ersattning.inlasning.kallor import (
    CSV,
    STDIN,
    XLSX,
    filfel,
    fortsatt,
    kanna_igen,
    las_borjan,
    oppna,
    samma_fil_tva_ganger,
    visningsnamn,
)
from vgr_ersattning.inlasning.tal import visa
from vgr_ersattning.inlasning.utfall.csv import las_csv_kalla
from vgr_ersattning.inlasning.utfall.kontroll import (
    AVRAKNING,
    INDIKATORER,
    MALRELATERAD,
    PRODUKTION,
)
from vgr_ersattning.inlasning.utfall.tabell import CSV_KOLUMNER
from vgr_ersattning.inlasning.utfall.xlsx import las_xlsx
from vgr_ersattning.inlasning.utfall.yaml import las_yaml_kalla
from vgr_ersattning.kalkyl.period import KVARTAL, Periodfel, tolka
from vgr_ersattning.modell import Uppdrag


@dataclass
class Utfall:
    """Allt utfall, per utförare. Månader är 1–12 i uppdragsåret."""

    ar: int
    produktion: dict[str, dict[str, list[int]]] = field(default_factory=dict)
    produktionsmanader: dict[str, set[int]] = field(default_factory=dict)
    avrakning: dict[str, dict[str, dict[int, Decimal]]] = field(default_factory=dict)
    indikatorer: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    malrelaterad: dict[str, dict[int, Decimal]] = field(default_factory=dict)
    # (avsnitt, utförare, id, period) → första platsen; för malrelaterad_1177 är id None.
    _kallor: dict[tuple, Plats] = field(default_factory=dict, repr=False)
    # (avsnitt, utförare, id) → period → plats: samma sak, uppslagen per id (för `kallor`).
    _per_id: dict[tuple, dict[Any, Plats]] = field(default_factory=dict, repr=False)

    def sista_manad(self, utforare: str) -> int | None:
        """Den sista månaden med produktion för utföraren."""
        m = self.produktionsmanader.get(utforare)
        return max(m) if m else None

    def kallor(self, avsnitt: str, utforare: str, id: Any = None) -> dict[Any, Plats]:
        """Var utfallet kommer ifrån: för varje period den första platsen (fil:rad:kolumn, filen
        som den visas i fel, relativt arbetskatalogen) där det står.

        - `kallor("produktion", "SV", rad_id)` och `kallor("avrakning", "SV", post)`: månad 1–12 → plats
          (för en CSV-fil den första raden med den utföraren, raden och månaden);
        - `kallor("indikatorer", "SV", indikator)`: period som text (`2026-08`, `2026-T2`, `2026`) → plats;
        - `kallor("malrelaterad_1177", "RH", kvartal)`: {kvartal: plats}; utan kvartal alla kvartal.
          Kvartalet kan anges som 2, "2", "Q2" eller "2026-Q2".
        """
        if avsnitt in ("malrelaterad", MALRELATERAD):
            alla = self._per_id.get((MALRELATERAD, utforare, None), {})
            if id is None:
                return dict(sorted(alla.items()))
            kvartal = _kvartalsnummer(id)
            return {kvartal: alla[kvartal]} if kvartal in alla else {}
        return dict(sorted(self._per_id.get((avsnitt, utforare, str(id)), {}).items()))


    def registrera(self, nyckel: tuple, plats: Plats, fel: Felsamlare, sokvag: str) -> bool:
        """Samma nyckel i två filer är ett fel; returnerar False då. `nyckel` är (avsnitt, utförare,
        id, period); för malrelaterad_1177 är id None och perioden kvartalet."""
        forst = self._kallor.get(nyckel)
        if forst is not None and forst.fil != plats.fil:
            fel(plats, sokvag, f"finns redan i {forst} (samma nyckel i två utfallsfiler)")
            return False
        if forst is None:
            self._kallor[nyckel] = plats
            self._per_id.setdefault(nyckel[:3], {})[nyckel[3]] = plats
        return True

    def lagg_till_produktion(self, utf: str, rid: str, manad: int, antal: int) -> None:
        rader = self.produktion.setdefault(utf, {})
        v = rader.get(rid)
        if v is None:
            v = rader[rid] = [0] * 12
        v[manad - 1] += antal
        self.produktionsmanader.setdefault(utf, set()).add(manad)

    def lagg_in(self, nyckel: tuple, varde: Any) -> None:
        """Ett värde ur en YAML- eller JSON-fil, under sin nyckel (som för `registrera`)."""
        avsnitt, utf, id_, period = nyckel
        if avsnitt == PRODUKTION:
            self.lagg_till_produktion(utf, id_, period, varde)
        elif avsnitt == AVRAKNING:
            self.avrakning.setdefault(utf, {}).setdefault(id_, {})[period] = varde
        elif avsnitt == INDIKATORER:
            self.indikatorer.setdefault(utf, {}).setdefault(id_, {})[period] = varde
        else:
            self.malrelaterad.setdefault(utf, {})[period] = varde


def _kvartalsnummer(id: Any) -> int | None:
    if isinstance(id, int):
        return id
    text = str(id).strip().upper()
    if text.isdigit():
        return int(text)
    if text.startswith("Q") and text[1:].isdigit():
        return int(text[1:])
    try:
        return tolka(text, slag=(KVARTAL,)).nummer
    except Periodfel:
        return None


def las_utfall(filer: list[Path], uppdrag: Uppdrag, framsteg_for: Callable[[Path], Any] | None = None,
               blad: str | None = None) -> Utfall:
    """Läser alla `--utfall`-filer (CSV, xlsx, YAML eller JSON efter innehållet; `-` är standard in)
    till ett `Utfall`. `blad` är bladet i arbetsböckerna (standard: det första). Samma fil två
    gånger vägras innan något läses."""
    dubbletter = samma_fil_tva_ganger(list(filer), "--utfall", "utfallsfil")
    if dubbletter:
        raise Inlasningsfel(dubbletter)
    ut = Utfall(uppdrag.ar)
    alla_fel: list[Inlasningsfel] = []
    arbetsbocker = 0
    for sokvag in filer:
        try:
            kalla = oppna(sokvag)
            try:
                borjan = las_borjan(kalla)
                format = kanna_igen(borjan, sokvag, CSV_KOLUMNER, xlsx=True)
                if format == XLSX:
                    arbetsbocker += 1
                    las_xlsx(kalla, borjan, blad, uppdrag, ut)
                elif format == CSV:
                    framsteg = framsteg_for(Path(sokvag)) if framsteg_for and str(sokvag) != STDIN else None
                    las_csv_kalla(kalla, fortsatt(kalla, borjan), uppdrag, ut, framsteg)
                else:
                    las_yaml_kalla(kalla, borjan, format, uppdrag, ut)
            finally:
                kalla.strom.close()
        except Inlasningsfel as e:
            alla_fel.append(e)
        except OSError as e:     # ett läsfel mitt i filen
            alla_fel.append(filfel(visningsnamn(sokvag), e))
    if blad is not None and filer and not arbetsbocker and not alla_fel:
        alla_fel.append(Inlasningsfel([Fel(Plats("--blad", 0, 0), "", f"{visa(blad)}: bladet gäller utfallsfiler "
                                           "i xlsx, och ingen av utfallsfilerna är en arbetsbok")]))
    if alla_fel:
        raise sla_ihop(alla_fel)
    return ut
