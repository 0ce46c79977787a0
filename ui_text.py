"""Every Danish text that users see, in one place: the Streamlit app and the Excel export."""

PAGE_TITLE = "pulje – indsatskataloger"
INTRO = (
    "De medfølgende kataloger over indsatser, læst fra kildedokumenterne. "
    "Tal, som dokumenterne ikke angiver, vises som »mangler« – de er aldrig sat til 0. "
    "Selve optimeringen kommer i en senere version."
)

# Keyed like app.CATALOGS: the name shown for each catalog and the title of its source document.
CATALOG_NAMES = {
    "fb2021": "Frederiksberg, handleplan 2021-2022",
    "fb2019": "Frederiksberg, handleplan 2019",
    "kk2019": "Københavns bruttokatalog 2019-2022",
}
SOURCE_TITLES = {
    "fb2021": "Frederiksberg Kommune: Integrationspolitikens handleplan 2021-2022 (maj 2021)",
    "fb2019": "Frederiksberg Kommune: Integrationspolitikkens handleplan 2019 (webudskrift; beløbene er gået tabt)",
    "kk2019": (
        "Københavns Kommune: Bilag 2, Bruttokatalog over mulige fokusområder i Integrationshandleplanen (2019-22)"
    ),
}

MISSING = "mangler"
NOT_STATED = "ikke angivet"
FIXED_LINE = "fast post (optimeres ikke)"
REACH_AT_LEAST = "min. {low}"
REACH_RANGE = "{low}-{high}"
REACH_AT_MOST = "op til {high}"

COUNT = "Antal indsatser: {indsatser}"
FIXED_COUNT = " (desuden faste poster, der ikke optimeres: {fixed})"
UDVALG = "Udvalg: {udvalg}"
SOURCE = "Kilde: {title} (fil: {files})"
LOAD_FAILED = "Kataloget »{name}« kunne ikke indlæses:"

COLUMNS = {
    "id": "id",
    "name": "Navn",
    "udvalg": "Udvalg",
    "goals": "Målsætninger",
    "cost": "Omkostning pr. år",
    "reach": "Rækkevidde pr. år",
}

# --- the Excel workbooks (scenarios/export.py, scenarios/workbook.py) ---
EXCEL = {
    "sheet_summary": "Resumé",
    "sheet_allocation": "Fordeling",
    "sheet_udvalg": "Udvalg",
    "sheet_goals": "Målsætninger",
    "sheet_assumptions": "Antagelser",
    "sheet_constraints": "Begrænsninger",
    "sheet_comparison": "Sammenligning",
    "sheet_notes": "Bemærkninger",
    "sheet_sweep": "Budgetforløb",
    "sheet_entries": "Indtræden",
    "sheet_points": "Punkter",
    "sheet_amounts": "Beløb",
    "sheet_robustness": "Robusthed",
    "sheet_catalog": "indsatser",  # the catalog format's own sheet names, so the file loads again
    "sheet_catalog_goals": "målsætninger",
    "summary_head": "Scenarie til udvalgsbehandling",
    "sweep_head": "Værdi mod pulje: samme scenarie løst for en række puljer",
    "frontier_head": "Afvejning mellem to målsætninger",
    "robustness_head": "Robusthed: hvor sikkert er hver indsats med, når vægte og rækkevidde er usikre?",
    "scenario": "Scenarie",
    "description": "Beskrivelse",
    "catalog": "Katalog",
    "catalog_in_memory": "(tabel givet direkte, ikke en fil)",
    "status": "Status",
    "status_optimal": "Optimal: ingen fordeling inden for begrænsningerne giver mere værdi",
    "status_feasible": "Gyldig fordeling, men tidsgrænsen blev nået før den var bevist optimal",
    "status_infeasible": "Ingen fordeling opfylder alle begrænsninger: de modsiger hinanden",
    "status_not_solved": "Løseren gav intet svar",
    "status_evaluated": "Given fordeling, værdisat med samme værdifunktion (ikke optimeret)",
    "conflict": "Modstrid",
    "objective": "Samlet værdi",
    "pulje": "Pulje",
    "fixed_lines": "Faste poster",
    "allocated": "Fordelt",
    "unused": "Ikke fordelt",
    "next_100k": "100.000 kr. mere i puljen giver (løst igen)",
    "rate_per_100k": "Værdi pr. 100.000 kr. ved marginen (skyggepris)",
    "shadow_note": "Note",
    "shadow_relaxation": (
        "Skyggepriserne (værdien ved marginen) er beregnet på LP-relaksationen, da modellen har alt-eller-intet-"
        "valg; hvad 100.000 kr. mere faktisk giver, er fundet ved at løse modellen igen."
    ),
    "warning": "Advarsel",
    "id": "Id",
    "name": "Indsats",
    "udvalg": "Udvalg",
    "goals": "Målsætninger",
    "goal": "Målsætning",
    "goal_title": "Titel",
    "weight": "Vægt",
    "cost_kr": "Omkostning (fuld skala, pr. år)",
    "amount_kr": "Tilskud",
    "ask_kr": "Ansøgt {year}",
    "goal_amount_kr": "Tilskud til målsætningens indsatser",
    "funded_share": "Finansieret andel",
    "reach_used": "Rækkevidde brugt (pr. år)",
    "reach_unit": "Enhed",
    "reached": "Nået (forventet)",
    "stars": "Stjerner",
    "value": "Værdi",
    "value_per_100k": "Værdi pr. 100.000 kr.",
    "total": "I alt",
    "per_goal_note": (
        "En indsats tæller med under hver målsætning, den tjener: beløbene summer derfor til mere end det "
        "samlede tilskud. Værdien er delt mellem målsætningerne efter deres vægt og summer til den samlede værdi."
    ),
    "per_udvalg_note": "En indsats under flere udvalg (fx SU/KFU) tæller med sin andel under hvert udvalg.",
    "assumptions_head": "Antagelser bag tallene",
    "constraints_head": "Begrænsninger i scenariet",
    "constraint_text": "Begrænsning",
    "constraint_file": "I scenariefilen",
    "binding_head": "Bindende begrænsninger: hvad det giver at løsne dem",
    "binding_note": (
        "Løsnet 100.000 kr. giver: hvor meget den samlede værdi stiger, når grænsen alene løsnes med 100.000 kr. "
        "(et loft hæves, et minimum sænkes, en låsning må flytte sig), fundet ved at løse modellen igen. "
        "Positivt betyder, at det hjælper at løsne grænsen. Skyggeprisen er den samme værdi ved marginen."
    ),
    "binding_gain": "Løsnet 100.000 kr. giver",
    "binding_rate": "Skyggepris pr. 100.000 kr.",
    "constraint": "Begrænsning (navn i modellen)",
    "about": "Betydning",
    "bound": "Grænse",
    "per_100k_kr": "Værdi af 100.000 kr. mere",
    "shadow_price_col": "Skyggepris (pr. enhed af grænsen)",
    "none": "Ingen",
    "replaced_characters": (
        "{count} tegn, som Excel ikke kan gemme (kontroltegn, fx fra PDF eller Word), er erstattet: "
        "linjeskift-tegn med linjeskift, andre med �."
    ),
    "page": "Side &P af &N",
    # comparison
    "label": "Kolonne",
    "run": "Scenarie",
    "compare_runs_head": "Scenarierne: kolonnerne A, B … og deres samlede værdi",
    "compare_indsats_head": "Tilskud pr. indsats",
    "compare_udvalg_head": "Tilskud pr. udvalg",
    "compare_goal_head": "Tilskud pr. målsætning",
    "change": "Ændring ({last} − {first})",
    "weights_differ": (
        "Scenarierne er værdisat med forskellige vægte, så deres værdier kan ikke sammenlignes direkte "
        "(kun beløbene kan): {differences}."
    ),
    "evidence_weight": "evidensvægt",
    "goal_weight": "vægt for {goal}",
    "status_short_optimal": "optimal",
    "status_short_feasible": "gyldig, ikke bevist optimal",
    "status_short_infeasible": "ingen gyldig fordeling",
    "status_short_not_solved": "ikke løst",
    "status_short_evaluated": "værdisat (ikke optimeret)",
    # sweep
    "budget_per_year_kr": "Pulje pr. år",
    "next_100k_value": "100.000 kr. mere pr. år giver",
    "allocated_kr": "Fordelt i alt",
    "entered": "Kommer med",
    "left": "Falder ud",
    "enters_at_kr": "Finansieres fra pulje pr. år",
    "never_entered": "Tom: indsatsen finansieres ikke ved nogen af puljerne i forløbet.",
    "best_step": "Hvor 100.000 kr. mere giver mest",
    "best_step_text": "ved en pulje på {budget} pr. år: {value} i værdi",
    "sweep_years": "År",
    "sweep_years_text": "puljen gælder hvert af årene {years}; værdi og beløb er i alt over årene",
    "budgets": "Puljer",
    "budgets_text": "{first} til {last} pr. år, {count} trin",
    # frontier
    "goal_a": "Målsætning A (maksimeres)",
    "goal_b": "Målsætning B (skal mindst nå kravet)",
    "frontier_method": "Metode",
    "frontier_method_text": (
        "Værdien for A maksimeres, mens B skal nå et stigende krav (ε). Hvert punkt er en fordeling, "
        "hvor den ene målsætning ikke kan få mere uden at den anden får mindre."
    ),
    "point": "Punkt",
    "point_label": "Punkt {point}",
    "epsilon": "Krav til {goal} (ε)",
    "value_for": "Værdi for {goal}",
    # robustness
    "draws": "Trækninger",
    "seed": "Startværdi (seed)",
    "drawn": "Usikkert (trukket)",
    "nothing_drawn": "intet (ingen usikkerhed angivet)",
    "objective_mean": "Bedste værdi, gennemsnit over trækningerne",
    "objective_interval": "Bedste værdi, 5 %- og 95 %-fraktil",
    "expected_value": "Forventningsplanens forventede værdi",
    "expected_plan_cvar": "Forventningsplanens gennemsnit i de 10 % dårligste trækninger",
    "robust_cvar": "Den robuste plans gennemsnit i de 10 % dårligste trækninger",
    "robust_note": (
        "Kerneindeks: andelen af trækningerne, hvor indsatsen får penge. Forventningsplanen giver den højeste "
        "forventede værdi (med de eksakte middelværdier). Den robuste plan giver det højeste gennemsnit i de "
        "10 % dårligste trækninger (CVaR), beregnet eksakt for op til 2.000 af trækningerne."
    ),
    "core_index": "Kerneindeks",
    "mean_kr": "Gennemsnit",
    "sd_kr": "Spredning",
    "p05_kr": "5 %-fraktil",
    "p50_kr": "Median",
    "p95_kr": "95 %-fraktil",
    "expected_kr": "Forventningsplan",
    "robust_kr": "Robust plan (CVaR 10 %)",
}

# What a binding limit means ("Betydning"), one template per kind of row (scenarios/export.py fills them in).
BINDING = {
    "budget": "Hele puljen{year} er fordelt ({bound} efter faste poster)",
    "udvalg_max": "Højst {bound} til udvalget {label}{year}",
    "udvalg_min": "Mindst {bound} til udvalget {label}{year}",
    "goal_min": "Mindst {bound} til indsatser under målsætningen {label}{year}",
    "lock": "{label} er låst til {bound}{year}",
    "exclude": "{label} er udelukket{year}",
    "continuity": "{label} beholder mindst sin andel af sidste års ansøgning{year}",
    "requires": "{later} kun i det omfang, {first} finansieres{year} (katalogets eller scenariets krav)",
    "exclusive": "Højst én af {ids} finansieres{year}",
    "goal_value_min": "Værdien for målsætningen {label} mindst {bound}",
}

# The assumptions behind a result in Danish: one template per key of optimizer/notes.py (same fields).
NOTES = {
    "range_read": "Rækkevidden for {id} er læst som {value} ({policy} af det angivne {stated}).",
    "assumed_reach": "Antaget rækkevidde for {id}: {value} om året (brugerens antagelse{why}).",
    "assumed_cost": "Antaget omkostning for {id}: {kr} om året (brugerens antagelse{why}).",
    "assumed_intensity": (
        "Intensitet for {id}: {value}; én nået person tæller {value} gange (brugerens antagelse{why})."
    ),
    "udvalg_split": "Udvalgsfordeling for {id}: {parts} (brugerens antagelse).",
    "extended_ask": (
        "{id} kan få op til {kr} i {year}, ud over sin ansøgning det år ({ask}) (brugerens antagelse: udvid{why})."
    ),
    "asks_by_year": (
        "{count} indsats(er) angiver, hvad de søger om hvert år: hver får højst sin ansøgning i et år og intet i et "
        "år, hvor den ikke søger (fordelingen viser ansøgningerne)."
    ),
    "prerequisite_only": "{id} når ingen i sig selv: den værdisættes gennem det, der forudsætter den.",
    "unstated_scalable": (
        "Det er ikke angivet, om {count} indsats(er) ({ids}) kan finansieres delvist: hver finansieres fuldt "
        "eller slet ikke. Scalable(id) (CLI: --scalable ID) tillader delvis finansiering."
    ),
    "scalable_all": "Alle indsatser kan finansieres delvist (Scalable for alle): rækkevidden følger beløbet.",
    "fixed_line": "Fast post {name}: {kr} trækkes fra puljen, før der fordeles.",
    "no_goals_file": "Ingen fil med målsætninger: hver målsætnings nøgle er sin egen titel.",
    "over_budget": "Fordelingen{year} bruger {spent}, mere end puljen på {pulje}.",
    "drawn_weights": "målsætningernes vægte × en lognormal faktor med middelværdi 1 og relativ spredning {sd}",
    "drawn_reach": (
        "rækkevidden trukket fra en trekantfordeling inden for det angivne eller antagne interval for {count} "
        "indsats(er), med toppunkt i den værdi, scenariet læser"
    ),
}
# Words inside the notes' figures that are English in the core.
NOTE_WORDS = {"low": "den lave ende", "mid": "midten", "high": "den høje ende"}

# The constraints of a scenario in words, one template per kind (scenarios/export.py fills them in).
CONSTRAINTS = {
    "udvalg_min": "Mindst {limit} til udvalget {udvalg}{year}",
    "udvalg_max": "Højst {limit} til udvalget {udvalg}{year}",
    "goal_min": "Mindst {limit} til indsatser under målsætningen {goal}{year}",
    "lock": "{id} får præcis {kr}{year}",
    "exclude": "{id} får intet{year}",
    "continuity": "{ids} beholder mindst {share} af sidste års beløb",
    "requires": "{id} kun i det omfang, {prerequisite} finansieres",
    "exclusive": "Højst én af {ids} finansieres",
    "fixed_line": "Fast post »{name}«: {kr} trækkes fra puljen{year}",
    "all_or_nothing": "{id}: fuld finansiering eller intet",
    "min_funding": "{id}: 0 kr. eller mindst {kr}",
    "max_funding": "{id}: højst {kr} om året",
    "scalable": "{id} kan finansieres delvist",
    "setup_cost": "{id}: {kr} ekstra det første år (etablering)",
    "goal_value_min": "Værdien for målsætningen {goal} mindst {value}",
}
CONSTRAINT_WORDS = {
    "every_indsats": "Alle indsatser",
    "share_of_pulje": "{share} af puljen",
    "year": " i {year}",
}
