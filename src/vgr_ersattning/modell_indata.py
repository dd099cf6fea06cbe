"""Pydantic-modeller av indatafilerna: utfallsfiler (YAML/JSON, `Utfallsfil`), scenariofiler
(YAML/JSON, `Scenariolista` och `Scenariosamling`) och beslutsfiler (`Beslutsfil`).

De bor inte i `modell` (datafilerna uppdrag och priser), eftersom varje kommando läser datafilerna
men bara några läser de här: att skapa en pydantic-modell kostar vid importen (uppstarten).
Samma regler som i `modell`: strikta, okända nycklar vägras, belopp är `Decimal`.
"""

from decimal import Decimal
from typing import Annotated, Optional

from pydantic import ConfigDict, Field, PlainValidator, RootModel, model_validator

from vgr_ersattning.inlasning.tal import antalsfel, talfel, visa
from vgr_ersattning.modell import Modell

# --- utfall (`--utfall`, YAML eller JSON) -----------------------------------------------------------
#
# Strukturen: typer, obligatoriska och okända nycklar, icke-negativa heltal, belopp som Decimal och
# gränserna för tal (tal.MAX_ANTAL m.fl.). Det som kräver uppdraget – känd utförare, rad-id,
# avräkningsposter, indikatorer och deras perioder, året – kontrolleras efteråt, i
# `inlasning.utfall.kontroll`.


def _utfallsantal(v: object) -> int:
    medd = antalsfel(v)
    if medd:
        raise ValueError(medd)
    return v  # type: ignore[return-value]


def _utfallstal(v: object, *, negativa: bool, vad: str) -> Decimal:
    if isinstance(v, bool) or not isinstance(v, (int, Decimal)):
        raise ValueError(f"{vad} {visa(v)} är inte ett tal" if v is not None else f"{vad} saknas")
    medd = talfel(v)
    if medd:
        raise ValueError(f"{vad} {medd}")
    if v < 0 and not negativa:
        raise ValueError(f"{vad} {visa(v)} är negativt")
    return Decimal(v)


def _utfallsbelopp(v: object) -> Decimal:
    return _utfallstal(v, negativa=False, vad="utfallet")


def _procent(v: object) -> Decimal:
    d = _utfallstal(v, negativa=False, vad="andelen")
    if d > 100:
        raise ValueError(f"andelen {visa(d)} ska vara ett tal mellan 0 och 100")
    return d


def _indikatorvarde(v: object) -> Decimal | str:
    """Ett tal (med gränserna) eller en text (Ja, Nej eller fritext för typen information); vilket
    som gäller för indikatorn avgörs mot uppdraget."""
    if isinstance(v, str):
        if not v.strip():
            raise ValueError("värdet är tomt")
        return v
    if isinstance(v, bool) or not isinstance(v, (int, Decimal)):
        raise ValueError("värdet saknas" if v is None else "värdet ska vara ett tal, Ja eller Nej")
    medd = talfel(v)
    if medd:
        raise ValueError(medd)
    return Decimal(v)


Utfallsantal = Annotated[int, PlainValidator(_utfallsantal)]
Utfallsbelopp = Annotated[Decimal, PlainValidator(_utfallsbelopp)]
Procent = Annotated[Decimal, PlainValidator(_procent)]
Indikatorvarde = Annotated[Decimal | str, PlainValidator(_indikatorvarde)]


class Kvartalsutfall1177(Modell):
    """Ett kvartal i `malrelaterad_1177`: antalen, eller andelen i procent."""

    besvarade_inom_8_min: Optional[Utfallsantal] = None
    samtal: Optional[Utfallsantal] = None
    andel_procent: Optional[Procent] = None

    @model_validator(mode="after")
    def _antal_eller_andel(self):
        har_antal = self.besvarade_inom_8_min is not None or self.samtal is not None
        if har_antal and self.andel_procent is not None:
            raise ValueError("ange antingen antal (besvarade_inom_8_min, samtal) eller andel_procent, inte båda")
        if self.andel_procent is not None:
            return self
        if self.besvarade_inom_8_min is None or self.samtal is None:
            raise ValueError("både besvarade_inom_8_min och samtal behövs (eller andel_procent)")
        if self.samtal == 0:
            raise ValueError("antalet samtal är 0")
        if self.besvarade_inom_8_min > self.samtal:
            raise ValueError(f"fler besvarade ({self.besvarade_inom_8_min}) än samtal ({self.samtal})")
        return self


class Utfallsfil(Modell):
    """En YAML- eller JSON-fil med utfall för en utförare och ett år. Nycklarna under avsnitten är
    id (rad, post, indikator) och perioder (`ÅÅÅÅ-MM`, `ÅÅÅÅ-T2`, `ÅÅÅÅ`, `ÅÅÅÅ-Q1`) som text."""

    utforare: str
    ar: Annotated[int, Field(strict=True)]
    produktion: Optional[dict[str, dict[str, Utfallsantal]]] = None
    avrakning: Optional[dict[str, dict[str, Utfallsbelopp]]] = None
    indikatorer: Optional[dict[str, dict[str, Indikatorvarde]]] = None
    malrelaterad_1177: Optional[dict[str, Kvartalsutfall1177]] = None


# --- scenarier (`--scenariofil`, YAML eller JSON) ---------------------------------------------------


def _scenariotal(v: object) -> int:
    medd = antalsfel(v, tillat_negativa=True, vad="värdet")
    if medd:
        raise ValueError(medd)
    return v  # type: ignore[return-value]


Scenariotal = Annotated[int, PlainValidator(_scenariotal)]


class Andringspost(Modell):
    """En ändring: `{id, falt, satt|andra}` för en volym eller `{pris, satt}` för ett pris."""

    id: Optional[str] = None
    falt: Optional[str] = None
    pris: Optional[str] = None
    satt: Optional[Scenariotal] = None
    andra: Optional[Scenariotal] = None

    @model_validator(mode="after")
    def _form(self):
        if (self.satt is None) == (self.andra is None):
            raise ValueError("ange exakt en av satt och andra")
        if self.pris is not None:
            if self.id is not None or self.falt is not None or self.satt is None:
                raise ValueError("en prisändring är {pris: KATEGORI, satt: KR}")
        elif self.id is None or self.falt is None:
            raise ValueError("en volymändring har id och falt (bas eller tillagg)")
        return self


class Scenariopost(Modell):
    namn: str
    andringar: list[Andringspost]


class Scenariolista(RootModel[list[Scenariopost]]):
    """En scenariofil: en lista av scenarier."""

    model_config = ConfigDict(frozen=True, defer_build=True)


class Scenariosamling(Modell):
    """En scenariofil med listan under nyckeln `scenarier`."""

    scenarier: list[Scenariopost]


# --- beslut under året (`--beslut`, regelboken §18) ---------------------------------------------------


def _belopp_ur_fil(v: object) -> Decimal:
    return _utfallstal(v, negativa=False, vad="beloppet")


def _ram_ur_fil(v: object) -> Decimal:
    d = _utfallstal(v, negativa=True, vad="ramen")
    if d <= 0:
        raise ValueError(f"ramen {visa(d)} tkr ska vara större än noll")
    return d


def _beslutstal(v: object) -> int:
    """Ett värde som ett beslut sätter (`satt`: en volym eller ett pris i kr): ett heltal
    0…MAX_ANTAL, som i utfallet. En ändring (`andra`) får vara negativ."""
    medd = antalsfel(v, vad="värdet")
    if medd:
        raise ValueError(medd)
    return v  # type: ignore[return-value]


Beslutsbelopp = Annotated[Decimal, PlainValidator(_belopp_ur_fil)]
Beslutsram = Annotated[Decimal, PlainValidator(_ram_ur_fil)]
Beslutstal = Annotated[int, PlainValidator(_beslutstal)]


class Beslutsandring(Modell):
    """En ändring i ett beslut: en volym `{id, falt, satt|andra}`, ett pris `{pris, satt}` (kategori
    eller `kategori.UTFÖRARE`), årets ram `{ram_tkr}`, en avräkningsnivå `{avrakning, niva_tkr}`,
    delegationsgränsen `{delegation_kr}` eller en indikators målvärde `{indikator, malvarde}` (ett tal,
    eller Ja/Nej). Gränserna är datafilernas (`inlasning.tal`): ett satt
    värde, en nivå och en gräns är aldrig negativa, och ramen är större än noll; bara en ändring
    `andra` får vara negativ."""

    id: Optional[str] = None
    falt: Optional[str] = None
    pris: Optional[str] = None
    satt: Optional[Beslutstal] = None
    andra: Optional[Scenariotal] = None
    ram_tkr: Optional[Beslutsram] = None
    avrakning: Optional[str] = None
    niva_tkr: Optional[Beslutsbelopp] = None
    delegation_kr: Optional[Beslutsbelopp] = None
    indikator: Optional[str] = None
    malvarde: Optional[Indikatorvarde] = None

    @property
    def slag(self) -> str:
        if self.indikator is not None or self.malvarde is not None:
            return "malvarde"
        if self.ram_tkr is not None:
            return "ram"
        if self.avrakning is not None:
            return "avrakning"
        if self.delegation_kr is not None:
            return "delegation"
        return "pris" if self.pris is not None else "volym"

    @model_validator(mode="after")
    def _form(self):
        slag = [self.ram_tkr is not None, self.avrakning is not None or self.niva_tkr is not None,
                self.delegation_kr is not None, self.pris is not None, self.id is not None or self.falt is not None,
                self.indikator is not None or self.malvarde is not None]
        if sum(slag) != 1:
            raise ValueError("en ändring är en av {id, falt, satt|andra}, {pris, satt}, {ram_tkr}, "
                             "{avrakning, niva_tkr}, {delegation_kr} och {indikator, malvarde}")
        if self.slag == "malvarde" and (self.indikator is None or self.malvarde is None
                                        or self.satt is not None or self.andra is not None):
            raise ValueError("ett ändrat målvärde är {indikator: ID, malvarde: VÄRDE}")
        if self.slag in ("ram", "avrakning", "delegation") and (self.satt is not None or self.andra is not None):
            raise ValueError("ram_tkr, niva_tkr och delegation_kr anger det nya värdet; satt och andra hör till volymer och priser")
        if self.slag == "avrakning" and (self.avrakning is None or self.niva_tkr is None):
            raise ValueError("en ändrad avräkningsnivå är {avrakning: POST, niva_tkr: TKR}")
        if self.slag == "pris" and (self.satt is None or self.andra is not None):
            raise ValueError("en prisändring är {pris: KATEGORI, satt: KR}")
        if self.slag == "volym":
            if self.id is None or self.falt is None:
                raise ValueError("en volymändring har id och falt (bas eller tillagg)")
            if (self.satt is None) == (self.andra is None):
                raise ValueError("ange exakt en av satt och andra")
        return self


class Arsbeslut(Modell):
    """Ett beslut under året: organ, datum, första månad det gäller (`fran`), källa och ändringar."""

    organ: str
    datum: str
    paragraf: Optional[str] = None
    fran: str
    kalla: str
    andringar: Annotated[list[Beslutsandring], Field(min_length=1)]


class Beslutsfil(Modell):
    """En fil med beslut för en utförare och ett år (regelboken §18)."""

    utforare: str
    ar: Annotated[int, Field(strict=True)]
    beslut: list[Arsbeslut] = []
