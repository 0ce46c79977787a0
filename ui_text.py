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

# --- the Excel workbook for a committee paper (scenarios/export.py) ---
EXCEL = {
    "sheet_summary": "Resumé",
    "sheet_allocation": "Fordeling",
    "sheet_udvalg": "Udvalg",
    "sheet_goals": "Målsætninger",
    "sheet_assumptions": "Antagelser",
    "sheet_constraints": "Begrænsninger",
    "sheet_comparison": "Sammenligning",
    "summary_head": "Scenarie til udvalgsbehandling",
    "scenario": "Scenarie",
    "description": "Beskrivelse",
    "catalog": "Katalog",
    "status": "Status",
    "status_optimal": "Optimal: ingen fordeling inden for begrænsningerne giver mere værdi",
    "status_feasible": "Gyldig fordeling, men tidsgrænsen blev nået før den var bevist optimal",
    "status_infeasible": "Ingen fordeling opfylder alle begrænsninger: de modsiger hinanden",
    "status_not_solved": "Løseren gav intet svar",
    "status_evaluated": "Given fordeling, værdisat med samme værdifunktion (ikke optimeret)",
    "objective": "Samlet værdi",
    "pulje": "Pulje",
    "fixed_lines": "Faste poster",
    "allocated": "Fordelt",
    "unused": "Ikke fordelt",
    "shadow_price": "Værdi af 100.000 kr. mere i puljen",
    "shadow_note": "Note",
    "shadow_relaxation": "Skyggeprisen er beregnet på LP-relaksationen, da modellen har alt-eller-intet-valg.",
    "id": "Id",
    "name": "Indsats",
    "udvalg": "Udvalg",
    "goals": "Målsætninger",
    "goal": "Målsætning",
    "goal_title": "Titel",
    "weight": "Vægt",
    "cost_kr": "Omkostning (fuld skala)",
    "amount_kr": "Tilskud",
    "funded_share": "Finansieret andel",
    "reach_used": "Rækkevidde brugt",
    "reach_unit": "Enhed",
    "reached": "Nået (forventet)",
    "stars": "Stjerner",
    "value": "Værdi",
    "value_per_100k": "Værdi pr. 100.000 kr.",
    "total": "I alt",
    "assumptions_head": "Antagelser bag tallene",
    "constraints_head": "Begrænsninger i scenariet",
    "binding_head": "Bindende begrænsninger og skyggepriser",
    "constraint": "Begrænsning",
    "about": "Betydning",
    "bound": "Grænse",
    "shadow_price_col": "Skyggepris",
    "change": "Ændring",
    "none": "Ingen",
}
