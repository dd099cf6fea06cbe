"""Pydantic-modeller av datafilerna `data/uppdrag_*.yaml` och `data/priser_*.yaml`. Indatafilernas
modeller (utfall, scenarier, beslut) bor i `modell_indata`.

Strikta: okända nycklar vägras, volymer är icke-negativa heltal, belopp är `Decimal` (heltal
eller decimaltal ur YAML, aldrig float eller text), id har regelbokens §2:s form.
"""



import re
from decimal import Decimal
from typing import Annotated, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, PlainValidator, StringConstraints, model_validator

from vgr_ersattning.inlasning.tal import MAX_TALTEXT, talfel

_DECIMALTEXT = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")


def _till_decimal(v: object) -> Decimal:
    """Regelboken §1: belopp ur YAML som tal (int/Decimal från inläsningen) eller som text ("2503.10"),
    inom gränserna för tal som räknas exakt (`tal.talfel`): aldrig ett tyst avrundat belopp."""
    if isinstance(v, str) and len(v.strip()) <= MAX_TALTEXT and _DECIMALTEXT.match(v.strip()):
        v = Decimal(v.strip())
    elif isinstance(v, bool) or not isinstance(v, (int, Decimal)):
        raise ValueError("ska vara ett tal (heltal eller decimaltal med punkt)")
    medd = talfel(v)
    if medd:
        raise ValueError(medd)
    return Decimal(v)


def _till_icke_negativ(v: object) -> Decimal:
    d = _till_decimal(v)
    if d < 0:
        raise ValueError("får inte vara negativt")
    return d


Belopp = Annotated[Decimal, PlainValidator(_till_decimal)]
Pris = Annotated[Decimal, PlainValidator(_till_icke_negativ)]
# En volym per år och rad: högst tio miljoner (samma gräns som tal.MAX_ANTAL per månad), så att
# volym × pris alltid räknas exakt.
Antal = Annotated[int, Field(strict=True, ge=0, le=10_000_000)]
Manad = Annotated[int, Field(strict=True, ge=1, le=12)]
Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]+$")]
RadId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]+\.[a-z0-9_]+\.[a-z0-9_]+$")]
GruppId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]+(\.[a-z0-9_]+)?$")]
UtforareId = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2,6}$")]
Antagande = Annotated[str, StringConstraints(pattern=r"^A[0-9]+$")]
Period = Literal["manad", "T1", "T2", "T3", "ar"]
Indikatortyp = Literal["minst", "hogst", "exakt", "ja_nej", "ska_oka", "ska_minska", "information"]


class Modell(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


# --- uppdrag ---------------------------------------------------------------------------------


class Antagandetext(Modell):
    text: str
    kalla: str


class AtFordelning(Modell):
    kalla: str
    totalt: Antal


class Beslut(Modell):
    organ: str
    datum: str
    paragraf: str
    kalla: str


class Giltighet(Modell):
    fran: str
    till: str
    kalla: str


class Ersattningsram(Modell):
    belopp_tkr: Pris
    kalla: str


class Anslag(Modell):
    fast_andel_procent: Pris
    kalla: str


class Avrakningspost(Modell):
    namn: str
    niva_tkr: Pris


class Avrakning(Modell):
    kalla: str
    manader: list[Manad]
    tak_fore_december: Literal["pro_rata", "helt"]
    antagande: Optional[Antagande] = None
    poster: dict[Id, Avrakningspost]


class Tillaggsregler(Modell):
    basmodell: Literal["arsbas", "periodiserad"]
    antagande: Optional[Antagande] = None
    kalla: str


def _kontrollera_profil(profil: Optional[list[Decimal]]) -> Optional[list[Decimal]]:
    if profil is None:
        return None
    if len(profil) != 12:
        raise ValueError(f"en profil har tolv andelar, inte {len(profil)}")
    if any(a < 0 for a in profil):
        raise ValueError("en profilandel får inte vara negativ")
    if sum(profil) != 1:
        raise ValueError(f"profilens andelar summerar till {sum(profil)}, inte exakt 1")
    return profil


class Delegation(Modell):
    grans_kr: Pris
    kalla: str


class Volymrad(Modell):
    namn: str
    uppdrag: Antal
    bas: Antal
    tillagg: Antal
    priskategori: Id
    antagande: Optional[Antagande] = None
    profil: Optional[list[Pris]] = None

    @model_validator(mode="after")
    def _profil(self):
        _kontrollera_profil(self.profil)
        return self


class Summa(Modell):
    uppdrag: Antal
    bas: Antal
    tillagg: Antal


class Volymer(Modell):
    kalla: str
    totaler: dict[GruppId, Summa]
    totalsumma: Summa
    grupper: dict[GruppId, str]
    rader: dict[RadId, Volymrad]
    profiler: dict[GruppId, list[Pris]] = {}

    @model_validator(mode="after")
    def _profiler(self):
        for p in self.profiler.values():
            _kontrollera_profil(p)
        return self


class Bryggrad(Modell):
    namn: str
    belopp_tkr: Belopp
    anmarkning: Optional[str] = None


class Indexrad(Modell):
    namn: str
    procent: Belopp
    belopp_tkr: Belopp


class Brygga(Modell):
    kalla: str
    fran: Bryggrad
    index: Indexrad
    delsumma: Bryggrad
    justeringar: list[Bryggrad]
    till: Bryggrad


class StAPlatser(Modell):
    kalla: str
    platser: dict[Id, Antal]


class Anmarkning(Modell):
    text: str
    kalla: str


class Indikator(Modell):
    namn: str
    omrade: str
    uppdrag: Optional[str] = None
    typ: Indikatortyp
    malvarde: Optional[Belopp | str] = None
    enhet: Optional[Literal["procent", "antal", "minuter"]] = None
    malvarde_text: Optional[str] = None
    datakalla: Optional[str] = None
    uppgiftslamnare: Optional[str] = None
    tillfallen: list[Period]
    # Regelboken §10: månaderna (1–12) som ett månadsvis tillfälle gäller när dokumentet inte menar varje
    # månad (ST-A:s lägesrapport september–november, antagande A9); utan dem gäller varje månad.
    manader: Optional[list[Annotated[int, Field(strict=True, ge=1, le=12)]]] = None
    berakning: Optional[Literal["produktion"]] = None
    # Regelboken §10: källan när raden kommer ur ett annat dokument än blockets (t.ex. ett uppdrag
    # utan ersättning), målvärdet för hela regionen ("VGR: 140 SV: 14"), om jämförelsen (≥, ≤) eller
    # tillfällena är härledda och inte utskrivna, när i tillfället det redovisas ("Mitten av
    # augusti") och id:n på indikatorer eller volymrader som raden hänger ihop med.
    kalla: Optional[str] = None
    regionalt_malvarde: Optional[Belopp] = None
    harledd_jamforelse: bool = False
    harledda_tillfallen: bool = False
    redovisas: Optional[str] = None
    kopplad_till: list[Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]+(\.[a-z0-9_]+)*$")]] = []

    @model_validator(mode="after")
    def _malvarde(self):
        if self.typ in ("minst", "hogst", "exakt") and not isinstance(self.malvarde, Decimal):
            raise ValueError(f"typen {self.typ} kräver ett målvärde som är ett tal")
        if self.typ == "ja_nej" and self.malvarde not in ("Ja", "Nej"):
            raise ValueError("typen ja_nej kräver målvärdet Ja eller Nej")
        if not self.tillfallen:
            raise ValueError("minst ett uppföljningstillfälle krävs")
        if self.manader is not None and ("manad" not in self.tillfallen or not self.manader):
            raise ValueError("manader anger vilka månader tillfället manad gäller och kräver det bland tillfallen")
        if self.harledd_jamforelse and self.typ in ("ja_nej", "information"):
            raise ValueError(f"typen {self.typ} har ingen jämförelse som kan vara härledd")
        if self.harledd_jamforelse and any(t in (self.malvarde_text or "") for t in "≥≤<>"):
            raise ValueError("harledd_jamforelse: målvärdestexten skriver redan ut jämförelsen")
        return self


class Indikatorer(Modell):
    kalla: str
    lista: dict[Id, Indikator]


class Trappsteg(Modell):
    fran_procent: Pris
    utbetalning_procent: Pris
    antagande: Optional[Antagande] = None


class Malrelaterad(Modell):
    kalla: str
    belopp_mnkr: Pris
    kvartal_per_belopp: Annotated[int, Field(strict=True, ge=1)]
    antagande: Optional[Antagande] = None
    trappa: list[Trappsteg]

    @model_validator(mode="after")
    def _trappa(self):
        grans = [s.fran_procent for s in self.trappa]
        if not grans or grans != sorted(grans, reverse=True) or len(set(grans)) != len(grans):
            raise ValueError("trappans steg ska stå med fallande fran_procent, utan dubbletter")
        if grans[-1] != 0:
            raise ValueError("trappans lägsta steg ska börja på 0 procent (se antagande A3)")
        return self


class Utforare(Modell):
    namn: str
    at_platser: Optional[Antal] = None
    beslut: Optional[Beslut] = None
    giltighet: Optional[Giltighet] = None
    ersattningsram: Optional[Ersattningsram] = None
    anslag: Optional[Anslag] = None
    avrakning: Optional[Avrakning] = None
    tillagg: Optional[Tillaggsregler] = None
    delegation: Optional[Delegation] = None
    volymer: Optional[Volymer] = None
    brygga: Optional[Brygga] = None
    st_a_platser: Optional[StAPlatser] = None
    anmarkningar: list[Anmarkning] = []
    indikatorer: Optional[Indikatorer] = None
    malrelaterad_1177: Optional[Malrelaterad] = None


class Prognosregler(Modell):
    """Regelboken §16: hur årets prognos görs (antagande A7: planen för resten av året i radens takt)."""

    metod: Literal["takt"]
    antagande: Optional[Antagande] = None
    kalla: str


class Beslutsregler(Modell):
    """Regelboken §18: hur ett pris som ändras under året tillämpas (antagande A6)."""

    prismodell: Literal["manadens_pris"]
    antagande: Optional[Antagande] = None
    kalla: str


class Uppdrag(Modell):
    ar: Annotated[int, Field(strict=True, ge=2000, le=2100)]
    antaganden: dict[Antagande, Antagandetext]
    at_fordelning: Optional[AtFordelning] = None
    utforare: dict[UtforareId, Utforare]
    prognos: Optional[Prognosregler] = None
    beslutsregler: Optional[Beslutsregler] = None
    # Regelboken §10: regionens egna indikatorer (information), utanför utförarnas kalendrar.
    regionala_indikatorer: Optional[Indikatorer] = None


# --- priser ----------------------------------------------------------------------------------


class Priskategori(Modell):
    namn: str
    pris_kr: Optional[Pris] = None
    per_utforare: Optional[dict[UtforareId, Pris]] = None
    kalla: str

    @model_validator(mode="after")
    def _ett_pris(self):
        if (self.pris_kr is None) == (self.per_utforare is None):
            raise ValueError("ange antingen pris_kr eller per_utforare")
        return self


class Prisrad(Modell):
    grupp: str
    namn: str
    pris_kr: dict[Annotated[str, StringConstraints(pattern=r"^([A-Z]{2,6}|kalkylerat)$")], Optional[Pris]]


class Pristabell(Modell):
    kalla: str
    rader: dict[Id, Prisrad]


class Priser(Modell):
    ar: Annotated[int, Field(strict=True, ge=2000, le=2100)]
    tillagg: dict[Id, Priskategori]
    priser: Optional[Pristabell] = None
