"""Utfall (`--utfall`): CSV eller xlsx med månadsproduktion, eller YAML/JSON med alla slags utfall.

Formatet känns igen på innehållet, inte på filändelsen: en zip-fil är en arbetsbok (xlsx), en fil
vars första rad (som inte är tom) är en rubrikrad med kolumnerna `utforare,rad,manad,antal` (i
valfritt skiftläge) är CSV, annat är YAML (eller JSON). Så fungerar också standard in
(`--utfall -`), `<( … )` och en CSV sparad som .txt.

- `csv` (och `snabb`, `tabell`): rader med samma nyckel adderas, strömmande;
- `xlsx`: det första bladet (eller `--blad NAMN`) med samma kolumner; felen namnger blad och cell
  (`utfall.xlsx:Blad1!D17`);
- `yaml`: en fil per utförare och år med avsnitten `produktion`, `avrakning`, `indikatorer` och
  `malrelaterad_1177`, validerad mot `modell_indata.Utfallsfil`;
- `kontroll`: det som kräver uppdraget.

Samma nyckel i två filer är ett fel, och samma fil två gånger (också via en annan sökväg eller en
hård länk) vägras. Alla fel blir `Fel` med fil:rad:kolumn (regelboken §12), ett per problem.

Paketet självt importerar ingenting: `filer` har `Utfall` och `las_utfall`, och de andra modulerna
får utfallet som argument. Så kan `csvdelar` och `xlsxblad` (det förstarten räknar, `forstart`)
importeras utan kärnan.
"""

