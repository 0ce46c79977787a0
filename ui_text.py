"""Every Danish text that users see, in one place: the Streamlit app (app.py, ui/ and the Danish explanations
of scenarios/why.py, danish.py, share.py) and the Excel export."""

# --- the app: page and catalogs ---------------------------------------------------------------------------
APP = {
    "title": "pulje",
    "page_title": "pulje – fordel puljen",
    "catalog": "Katalog",
    "catalog_help": "De medfølgende kataloger er læst fra kildedokumenterne; eller upload jeres eget.",
    "upload_choice": "Upload eget katalog …",
    "upload_label": "Katalog (CSV eller Excel)",
    "upload_help": (
        "Én række pr. indsats i pulje-formatet (se data/README.md): id, name, udvalg, goals, cost_kr … "
        "Danske tal som 1.234.567 og 0,5 mio. kan bruges. En Excel-fil kan have målsætningerne i et ark »goals«."
    ),
    "upload_drop": "Træk en fil hertil",
    "upload_browse": "Vælg fil",
    "upload_ok": "Kataloget »{file}« er indlæst: {count} indsatser.",
    "upload_kept": "Det hidtidige katalog og alle dine indstillinger er bevaret.",
    "upload_gone": "Linket peger på et uploadet katalog, som biblioteket ikke har: upload filen igen.",
    "upload_unsaved": "Kataloget »{file}« kunne ikke gemmes i biblioteket, så det er ikke åbnet.",
    "uploaded_name": "Uploadet: {file}",
    "saved_name": "Fra biblioteket: {file}",
    "catalog_failed": "Kataloget »{file}« kunne ikke læses:",
    "encoding": (
        "Bemærk: »{file}« er ikke gemt som UTF-8 og er læst som {encoding}. Tjek at æ, ø og å er kommet rigtigt med."
    ),
    "committee_toggle": "Udvalgsvisning",
    "committee_help": "Skjuler knapperne og viser tre nøgletal og fordelingen i stor, tydelig skrift.",
    "committee_exit": "Afslut udvalgsvisning",
    "reset": "Start forfra",
    "reset_help": "Tilbage til katalogets startindstillinger (puljen og antagelserne, det åbnede med).",
    "unexpected": (
        "Der skete en uventet fejl, så denne del af siden kunne ikke tegnes. Dine indstillinger er bevaret; "
        "prøv en anden indstilling, eller start forfra på kataloget."
    ),
    "counts": "{indsatser} indsatser · {udvalg} udvalg · {goals} målsætninger",
    "fixed_count": " · {fixed} fast post trækkes fra puljen",
    "fixed_counts": " · {fixed} faste poster trækkes fra puljen",
    "source": "Kilde: {title}",
    "link_head": "Linket indeholdt indstillinger, der ikke kunne bruges; de er sprunget over, resten er brugt:",
    "no_catalog": "Vælg et katalog i menuen til venstre.",
}
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
# Where each catalog's pulje comes from (shown under the catalog's name).
PULJE_NOTES = {
    "fb2021": "Puljen er summen af handleplanens pulje-tabel: 722.000 kr. i 2021 og 700.000 kr. i 2022.",
    "fb2019": (
        "Puljen på 1,7 mio. kr. står i handleplanen for 2019. Beløbene pr. indsats er gået tabt i kilden, "
        "så omkostningerne skal antages, før der kan fordeles."
    ),
    "kk2019": (
        "Bruttokataloget angiver ingen pulje: de 10 mio. kr. om året er en antagelse fra eksempelscenariet. "
        "Ret den til jeres egen pulje."
    ),
    "upload": (
        "Filen angiver ingen pulje: den er sat til halvdelen af det samlede ansøgte beløb. Ret den til jeres pulje."
    ),
}
# The example scenarios' reasons for their assumptions, in Danish (the files hold them in English).
START_REASONS = {
    "fb2021": {
        "fb21-farvel-til-farvede-forventninger": (
            "Illustrativt: planen nævner fem skoler, men ikke hvor mange der deltager; vi antager 8 lærere og "
            "ledere pr. skole."
        ),
        "fb21-aaben-raadgivning": (
            "Illustrativt: planen angiver mindst 25 flygtninge om ugen; vi antager 250 forskellige personer om "
            "året, mange af dem kommer igen."
        ),
    },
    "kk2019": {"kk-vaekstprogram": "Kataloget angiver ingen målgruppe: beløbet går til at udvikle konceptet."},
}

# --- the app: the controls ---------------------------------------------------------------------------------
CONTROLS = {
    "head": "Indstillinger",
    "pulje": "Pulje pr. år",
    "pulje_year": "Pulje {year}",
    "pulje_help": "Flyt skyderen, eller skriv beløbet i feltet: 700.000, 700000 og 0,7 mio. virker alle.",
    "box": "{label}, beløb",
    "weights": "Vægte",
    "weights_help": "Hvor meget hver målsætning tæller: 1 er neutral, 2 tæller dobbelt, 0 tæller ikke.",
    "evidence": "Evidensvægt",
    "evidence_help": "En indsats med evidensstjerner tæller (1 + vægt × stjerner) gange. 0 ser bort fra evidens.",
    "udvalg": "Udvalg: mindst og højst pr. år",
    "udvalg_help": "Skyderen helt til højre: ingen grænse. Skriv »ingen« i feltet for at fjerne en grænse.",
    "udvalg_min": "{udvalg}: mindst",
    "udvalg_max": "{udvalg}: højst",
    "goals": "Målsætninger: mindst pr. år",
    "goals_help": "Mindst så meget til indsatser, der tjener målsætningen (en indsats tæller under hver, den tjener).",
    "goal_min": "{title}: mindst",
    "no_limit": "ingen grænse",
    "no_minimum": "intet minimum",
    "none_words": ("ingen", "ingen grænse", "intet", "intet minimum", "-", "–"),
    "not_a_number": "»{text}« kan ikke læses som et beløb – skriv fx 700.000, 700000 eller 0,7 mio. Intet er ændret.",
    "not_a_weight": "»{text}« kan ikke læses som en vægt – skriv fx 1,5. Intet er ændret.",
    "out_of_range": "»{text}« ligger uden for det tilladte (0 til {high}). Intet er ændret.",
    "extra_head": "Øvrige begrænsninger fra scenariefilen",
    "extra_help": "Knapperne ændrer ikke disse; upload en ny scenariefil for at ændre dem.",
}

# --- the app: results -------------------------------------------------------------------------------------
RESULTS = {
    "budget_line": "Pulje{year} {pulje}: fordelt {allocated} · ikke fordelt {unused}",
    "budget_line_fixed": "Pulje{year} {pulje}: faste poster {fixed} · fordelt {allocated} · ikke fordelt {unused}",
    "value": "Samlet værdi",
    "value_help": "Rækkevidde × vægtet målopfyldelse × evidens, lagt sammen over indsatserne og årene.",
    "funded": "Finansierede indsatser",
    "moved": "Ændret fra referencen",
    "moved_help": "Summen af ændringerne pr. indsats, op og ned, i forhold til referencen.",
    "changed_one": "1 indsats ændret",
    "changed_many": "{count} indsatser ændret",
    "allocated": "Fordelt",
    "not_proven": "Løseren nåede sin tidsgrænse: fordelingen er gyldig, men ikke bevist den bedste.",
    "no_answer": "Løseren gav intet svar: {detail}",
    "tabs": ("Fordeling", "Hvorfor", "Afvejninger", "Antagelser", "Del og gem", "Bibliotek"),
    "sort": "Sortér efter",
    "sort_options": {
        "udvalg": "udvalg",
        "value_per_100k": "værdi pr. 100.000 kr.",
        "change_kr": "ændring",
        "amount_kr": "beløb",
    },
    "table_caption": (
        "Beløb i kr. (i alt over årene); værdi som i »Samlet værdi«. Klik på en overskrift for at sortere."
    ),
    "per_udvalg": "Pr. udvalg",
    "per_year": "Pr. år: beløb nu og ansøgt (en indsats får højst sit ansøgte beløb i et år, medmindre det udvides)",
    "per_goal": "Pr. målsætning",
    "per_goal_note": (
        "En indsats tæller under hver målsætning, den tjener, så beløbene summer til mere end det fordelte; "
        "værdien er delt mellem målsætningerne og summer til den samlede værdi."
    ),
    "chart_alt": (
        "Søjlediagram: beløb pr. indsats nu, med referencens beløb markeret med en sort streg. Tallene står i tabellen."
    ),
    "chart_note": "Søjlen er beløbet nu, den sorte streg referencen. Tallene bag figuren står i tabellen ovenfor.",
}
COLUMNS = {
    "name": "Indsats",
    "udvalg": "Udvalg",
    "status": "Status",
    "reason": "Hvorfor",
    "reference_kr": "Reference",
    "amount_kr": "Nu",
    "change_kr": "Ændring, kr.",
    "reference_value": "Værdi, reference",
    "value": "Værdi nu",
    "change_value": "Ændring, værdi",
    "value_per_100k": "Værdi pr. 100.000 kr.",
    "cost_kr": "Ansøgt pr. år",
    "funded_share": "Andel af ansøgt",
    "amount_year": "Nu {year}",
    "ask_year": "Ansøgt {year}",
    "goal": "Målsætning",
    "spent_kr": "Brugt",
    "min_kr": "Mindst",
    "max_kr": "Højst",
    "room_kr": "Plads tilbage",
    "year": "År",
    "what": "Grænse for",
    "limit_name": "Navn",
}
STATUS = {
    "funded": "finansieret",
    "partly": "delvist",
    "not_afforded": "ikke råd",
    "blocked_udvalg": "blokeret af udvalgsloft",
    "locked": "låst",
    "excluded": "udelukket",
}
REFERENCE = {
    "decided": "Referencen er den vedtagne fordeling (handleplanens tilskud).",
    "first": "Referencen er det første optimum på dette katalog; den står i linket.",
    "pinned": "Referencen er en fordeling, der er fastholdt; den står i linket.",
    "none": "Der er ingen reference endnu: den sættes, når der findes en første fordeling.",
    "pin": "Fasthold som reference",
    "pin_help": "Gør den viste fordeling til referencen, som ændringerne sammenlignes med.",
    "unpin": "Tilbage til den vedtagne fordeling",
    "problem": "Referencen kan ikke værdisættes med de nuværende indstillinger, så ændringerne vises ikke. ({detail})",
}

# --- the app: the editable table ---------------------------------------------------------------------------
EDITOR = {
    "head": "Ret pr. indsats: lås et beløb, udeluk, tillad delvis finansiering, brug egne tal",
    "help": (
        "Hver ændring vises som en antagelse med din begrundelse. Beløb skrives som 150.000 eller 0,15 mio.; "
        "et tomt felt fjerner ændringen."
    ),
    "name": "Indsats",
    "catalog_cost": "Katalog: ansøgt pr. år",
    "catalog_reach": "Katalog: rækkevidde pr. år",
    "lock": "Lås (kr. pr. år)",
    "lock_year": "Lås {year} (kr.)",
    "exclude": "Udeluk",
    "partial": "Delvis finansiering",
    "partial_options": {"katalog": "som kataloget", "ja": "ja", "nej": "nej (alt eller intet)"},
    "cost": "Egen omkostning (kr. pr. år)",
    "reach": "Egen rækkevidde pr. år",
    "extend_year": "Udvid {year} (kr.)",
    "reason": "Begrundelse",
    "fixed_suffix": " (fast post)",
    "missing": "mangler",
    "reach_at_least": "min. {low}",
    "reach_at_most": "op til {high}",
    "bad_value": "{name}, kolonnen »{column}«: »{text}« kan ikke læses som et tal. Intet er ændret i den celle.",
    "fixed_only_cost": "{name} er en fast post: kun dens omkostning kan ændres.",
    "cost_zero": "{name}: en omkostning skal være over 0 (udeluk indsatsen, hvis den ikke skal have penge).",
    "missing_head": "Der mangler tal, før der kan fordeles:",
    "missing_cost": "Omkostningen er ikke angivet for {count}: {names}",
    "missing_reach": "Rækkevidden er ikke angivet for {count}: {names}",
    "missing_help": (
        "Skriv en antaget værdi i kolonnen »Egen omkostning« eller »Egen rækkevidde« i tabellen nedenfor, med en "
        "begrundelse – eller udeluk indsatsen. Tallene bliver aldrig sat til 0 i det stille."
    ),
}

# --- the app: explanations -----------------------------------------------------------------------------
EXPLAIN = {
    "next_head": "Hvis puljen var 100.000 kr. større",
    "next_line": (
        "100.000 kr. mere i puljen{year} ville give {gain} i værdi (værdi ved marginen: {rate} pr. 100.000 kr.)."
    ),
    "next_goes": "Pengene ville gå til: {goes}.",
    "next_relaxation": (
        "Værdien ved marginen er en tilnærmelse: nogle indsatser kan kun finansieres helt eller slet ikke, så den "
        "er regnet, som om de kunne deles. Hvad 100.000 kr. mere giver, er regnet præcist (modellen løst igen)."
    ),
    "binding_head": "Grænser, der binder",
    "binding_none": (
        "Ingen grænse er udnyttet helt. En indsats, der ikke kan deles, kan alligevel være blokeret, når den ikke "
        "passer ind i pladsen under en grænse (se nedenfor)."
    ),
    "binding_text": "Grænse",
    "binding_gain": "100.000 kr. løsere giver",
    "binding_rate": "Værdi ved marginen",
    "binding_note": (
        "»100.000 kr. løsere giver« er fundet ved at løse igen med grænsen alene løsnet (et loft hævet, et "
        "minimum sænket)."
    ),
    "binding_blank": (
        "Et tomt felt: grænsen er ikke et beløb, der kan løsnes med 100.000 kr. (en forudsætning i kataloget, "
        "»kræver«, eller en grænse for værdi eller antal)."
    ),
    "rooms_head": "Plads under udvalgenes og målsætningernes grænser",
    "rooms_none": "Ingen grænser er sat for udvalg eller målsætninger.",
    "unfunded_head": "Hvorfor indsatserne uden penge ikke får",
    "unfunded_none": "Alle indsatser får penge.",
    "unfunded_line": "**{name}** – {status}: {reason}",
    "conflict_head": "Indstillingerne modsiger hinanden – ingen fordeling kan opfylde dem alle",
    "conflict_set": "Disse grænser kan ikke holde samtidig:",
    "conflict_single": (
        "Denne grænse kan ikke holde, heller ikke alene: den strider mod indsatsens egne tal (alt eller intet til "
        "det ansøgte, mindste eller største beløb, eller at den intet søger det år – se »Udvid« i tabellen):"
    ),
    "conflict_n": "Modstrid {n}: {text}",
    "conflict_fix": "Den mindste ændring, der løser det ({total} i alt):",
    "conflict_apply": "Foretag den mindste ændring",
    "conflict_apply_help": "Ændrer knapperne, så alle grænser kan holde (du kan fortryde ved at flytte dem tilbage).",
    "conflict_manual": "Ændringen gælder en grænse fra scenariefilen: ret den der.",
    "problems_head": "Indstillingerne passer ikke til kataloget:",
}
REASONS = {
    "locked": "låst til {amount}",
    "excluded": "udelukket",
    "because": " – {reason}",
    "partly": "får {share} af det ansøgte",
    "partly_year": "{year}: {got} af {ask}",
    "partly_udvalg": "; loftet for udvalget {udvalg} er nået",
    "partly_budget": "; puljen er brugt",
    "blocked_udvalg": "{limit} – uden den grænse ville den få penge",
    "needs_value": "mangler {missing} i værdi pr. 100.000 kr. (skal have {need})",
    "tied": "står lige med det valgte: ved en anelse mere værdi får den penge (ved lige værdi går laveste id forrest)",
    "cannot_enter": "kan ikke få penge inden for de nuværende grænser",
}
CONFLICT = {"budget": "Puljen{year}: {bound} efter faste poster"}
FIXES = {
    "budget.raise": "hæv puljen{year} med {amount}",
    "udvalg_min.lower": "sænk minimum for udvalget {label}{year} med {amount}",
    "udvalg_max.raise": "hæv loftet for udvalget {label}{year} med {amount}",
    "goal_min.lower": "sænk minimum for målsætningen {label}{year} med {amount}",
    "lock.raise": "hæv det låste beløb for {label}{year} med {amount}",
    "lock.lower": "sænk det låste beløb for {label}{year} med {amount}",
    "exclude.raise": "tillad {label}{year} op til {amount} i stedet for at udelukke den",
    "other": "løsn {name} med {amount}",
}
WORDS = {
    "in_year": " i {year}",
    "move": "{name} ({change})",
    "nowhere": "ingen indsats (beløbet ville ikke blive brugt)",
    "row": "række {row}",
    "column": "kolonne {column}",
    "problem": "problem",
    "problems": "problemer",
}

# --- the app: trade-offs ---------------------------------------------------------------------------------
TRADEOFFS = {
    "value_for_money": "Værdi for pengene",
    "value_for_money_help": (
        "Hver prik er en indsats: hvad den søger i alt, og hvad den giver ved fuld finansiering. Den stiplede linje "
        "er værdien ved marginen: over linjen giver en krone mere end den sidste krone, der blev brugt."
    ),
    "funded": "finansieret",
    "partly_funded": "delvist finansieret",
    "not_funded": "ikke finansieret",
    "sweep": "Værdi mod pulje",
    "sweep_help": "Samme indstillinger løst for puljer fra 0 til det dobbelte; den stiplede linje er puljen nu.",
    "sweep_entries": "Hvornår hver indsats kommer med",
    "frontier": "Afvejning mellem to målsætninger",
    "frontier_help": (
        "Hvert punkt er en fordeling, hvor den ene målsætning ikke kan få mere uden at den anden får mindre. "
        "Ruden er fordelingen nu."
    ),
    "goal_a": "Målsætning op ad",
    "goal_b": "Målsætning hen ad",
    "same_goal": "Vælg to forskellige målsætninger.",
    "one_goal": "Kataloget har kun én målsætning, så der er ingen afvejning at vise.",
    "robustness": "Robusthed",
    "robustness_help": (
        "Vægtene trækkes omkring de valgte (relativ spredning 20 %), og rækkevidden inden for de angivne "
        "intervaller. Kerneindekset er andelen af trækningerne, hvor indsatsen får penge."
    ),
    "draws": "Antal trækninger",
    "run_robustness": "Beregn robusthed",
    "robustness_running": "Beregner {done} af {total} trækninger …",
    "robustness_done": "{draws} trækninger (startværdi {seed}).",
    "evidence": "Pris for evidens",
    "evidence_help": (
        "Hvor meget værdi (målt uden evidens) der gives op for at prioritere indsatser med stjerner, når "
        "evidensvægten øges; og hvor stor en del af pengene der går til indsatser med stjerner."
    ),
    "no_stars": "Kataloget angiver ingen evidensstjerner, så evidensvægten ændrer intet.",
    "table": "Tallene bag figuren",
    "needs_result": "Afvejningerne vises, når der er en gyldig fordeling.",
}
CHARTS = {
    "indsats": "Indsats",
    "now_kr": "Beløb nu (kr.)",
    "reference_kr": "Reference (kr.)",
    "status": "Status",
    "allocation_title": "Fordelingen nu (søjler) og referencen (sorte streger)",
    "ask_kr": "Ansøgt i alt (kr.)",
    "full_value": "Værdi ved fuld finansiering (logaritmisk akse)",
    "value_per_100k": "Værdi pr. 100.000 kr.",
    "funded": "Finansieret",
    "value_for_money_title": "Hvad hver indsats koster, og hvad den giver",
    "pulje": "Pulje (kr.)",
    "pulje_per_year": "Pulje pr. år (kr.)",
    "value": "Samlet værdi",
    "entered": "Kommer med",
    "sweep_title": "Samlet værdi mod puljens størrelse",
    "value_for": "Værdi for {goal}",
    "frontier_title": "Afvejning mellem to målsætninger",
    "evidence_weight": "Evidensvægt",
    "given_up": "Værdi givet op (uden evidens)",
    "starred_share": "Andel til indsatser med stjerner (%)",
    "evidence_title": "Pris for evidens",
    "core_index": "Kerneindeks (%)",
    "robustness_title": "Hvor ofte hver indsats får penge",
}
TRADEOFF_COLUMNS = {
    "name": "Indsats",
    "ask_kr": "Ansøgt i alt",
    "full_value": "Værdi ved fuld finansiering",
    "value_per_100k": "Værdi pr. 100.000 kr.",
    "funded_text": "Finansieret",
    "budget_per_year_kr": "Pulje",
    "objective": "Samlet værdi",
    "next_100k_value": "100.000 kr. mere giver",
    "entered_text": "Kommer med",
    "enters_at_kr": "Kommer med ved pulje",
    "value_a": "Værdi op ad",
    "value_b": "Værdi hen ad",
    "evidence_weight": "Evidensvægt",
    "value_without_evidence": "Værdi uden evidens",
    "given_up": "Værdi givet op",
    "starred_share": "Andel til stjerner",
    "core_index": "Kerneindeks",
    "mean_kr": "Gennemsnit",
    "p05_kr": "5 %-fraktil",
    "p95_kr": "95 %-fraktil",
}

# --- the app: assumptions, sharing, the committee view --------------------------------------------------
ASSUMPTIONS = {
    "head": "Antagelser bag tallene",
    "changes_head": "Jeres ændringer",
    "core_head": "Antagelser i modellen",
    "reason": "{text} – begrundelse: {reason}",
    "none": "Ingen ændringer i forhold til kataloget.",
    "pulje": "Pulje: {pulje}",
}
SHARE = {
    "link_head": "Del præcis det, der er på skærmen",
    "link_help": "Linket gemmer alle indstillinger og referencen; den, der åbner det, ser de samme tal.",
    "link_upload": "Det uploadede katalog ligger i biblioteket, så linket virker overalt, hvor appen bruger det.",
    "committee_link": "Link til udvalgsvisningen (til projektoren)",
    "downloads_head": "Gem",
    "toml": "Hent scenariet (TOML)",
    "toml_help": "Kan køres med »pulje run« og uploades her igen for at fortsætte.",
    "excel": "Hent arbejdsbog til udvalget (Excel)",
    "excel_help": "Resumé, fordeling, udvalg, målsætninger, antagelser og begrænsninger – på dansk.",
    "upload_head": "Fortsæt fra en scenariefil",
    "upload_label": "Scenariefil (TOML)",
    "upload_ok": "Scenariet »{name}« er indlæst.",
    "upload_failed": "Scenariefilen »{file}« kunne ikke bruges ({count} {noun}); dine indstillinger er bevaret:",
    "upload_catalog": "Scenariet bruger kataloget »{file}«, som ikke findes her: upload kataloget først.",
    "scenario_name": "pulje-appen: {catalog}",
    "file_stem": "pulje-{catalog}",
}
# The tab "Bibliotek": saved scenarios and their versions (ui/library.py, scenarios/saved.py).
LIBRARY = {
    "save_head": "Gem i biblioteket",
    "save_help": (
        "Biblioteket deles af alle, der bruger appen her. Gemmer du under et navn, der findes, bliver det en ny "
        "version; intet overskrives eller slettes."
    ),
    "name": "Scenariets navn",
    "name_help": "Fx »Forslag B: arbejdsmarked først«. Samme navn igen giver en ny version.",
    "author": "Dit navn",
    "author_help": "Gemmes ved hver version, så andre kan se, hvem der gemte den. Der gemmes intet andet om dig.",
    "note": "Note (valgfri)",
    "save": "Gem",
    "saved": "Gemt som »{name}«, version {version}. Adressen peger nu på denne version.",
    "nothing_to_save": "Der er ingen fordeling at gemme endnu: ret først det, der står ovenfor.",
    "text_needed": "Skriv {what} (én linje, højst {length} tegn).",
    "what_name": "scenariets navn",
    "what_author": "dit navn",
    "list_head": "Gemte scenarier",
    "empty": "Biblioteket er tomt: gem det første scenarie ovenfor.",
    "columns": {
        "name": "Navn",
        "version": "Version",
        "author": "Gemt af",
        "saved": "Gemt",
        "objective": "Samlet værdi",
        "status": "Status",
        "note": "Note",
    },
    "time": "{date} kl. {clock}",
    "choose_name": "Scenarie",
    "choose_version": "Version",
    "version_label": "Version {version} · {author} · {time}",
    "open": "Åbn",
    "open_help": "Appens indstillinger bliver versionens; kataloget læses fra de filer, versionen blev gemt med.",
    "restore": "Gendan som nyeste version",
    "restore_help": "Gemmer versionens indhold igen som den nyeste version af navnet; intet slettes.",
    "opened": "»{name}«, version {version}, er åbnet.",
    "restored": "Version {old} af »{name}« er gendannet som version {version} og åbnet.",
    "version_link": "Link til den valgte version",
    "on_version": "Åbnet fra biblioteket: »{name}«, version {version}, gemt af {author} {time}.",
    "compare_head": "Sammenlign versioner",
    "compare_label": "Vælg to eller flere versioner",
    "compare_none": "Ingen valgt endnu",
    "compare_help": "Hver version regnes igen ud fra de filer og indstillinger, den blev gemt med.",
    "compare_legend": "Kolonne {label}: »{name}«, version {version}",
    "compare_objective": "Samlet værdi og fordelt beløb",
    "compare_indsats": "Beløb pr. indsats",
    "compare_udvalg": "Beløb pr. udvalg",
    "compare_same": "Versionerne fordeler de samme beløb og giver samme værdi.",
    "compare_columns": {
        "label": "Kolonne",
        "run": "Version",
        "objective": "Samlet værdi",
        "status": "Status",
        "allocated_kr": "Fordelt i alt",
        "name": "Indsats",
        "udvalg": "Udvalg",
    },
    "change": "Ændring ({last} − {first})",
    "bad_url": (
        "Bibliotekets databaseadresse (PULJE_DATABASE_URL) kan ikke bruges, så biblioteket er ikke til rådighed. "
        "Dine indstillinger er bevaret. Bed den, der driver appen, om at rette adressen."
    ),
    "unreachable": (
        "Biblioteket kan ikke nås lige nu: databasen svarer ikke eller kan ikke åbnes. Dine indstillinger er "
        "bevaret; prøv igen om lidt."
    ),
    "busy": "Biblioteket er optaget af andre, der gemmer lige nu. Dine indstillinger er bevaret; prøv igen om lidt.",
    "no_name": "Biblioteket har intet scenarie ved navn »{name}«.",
    "did_you_mean": " Mente du {names}?",
    "no_version": "»{name}« har ingen version {version}; den har version {first} til {last}.",
    "file_gone": "Biblioteket har ikke den fil, der blev spurgt efter.",
    "failed": "Biblioteket kunne ikke gøre det, der blev bedt om. Dine indstillinger er bevaret.",
    "technical": "Teknisk besked (engelsk): {detail}",
    "open_failed": "»{name}«, version {version}, kunne ikke åbnes: {detail}",
    "link_failed": "Linket peger på et scenarie i biblioteket, som ikke kan åbnes. Det første katalog vises i stedet.",
    "bad_version": "»{value}« under »version« i linket er ikke et versionsnummer; den nyeste version åbnes i stedet.",
}
COMMITTEE = {
    "value": "Samlet værdi",
    "funded": "Finansierede indsatser",
    "moved": "Ændret fra referencen",
    "of": "af {count}",
    "table": "Fordelingen",
}
# Why a link's item was skipped (scenarios/share.py).
LINK = {
    "unknown_key": "»{key}« er ikke en indstilling, appen kender",
    "not_number": "»{value}« under »{key}« er ikke et tal",
    "out_of_range": "»{value}« under »{key}« ligger uden for det tilladte",
    "unknown_id": "indsatsen »{name}« (under »{key}«) findes ikke i kataloget",
    "unknown_udvalg": "udvalget »{name}« (under »{key}«) findes ikke i kataloget",
    "unknown_goal": "målsætningen »{name}« (under »{key}«) findes ikke i kataloget",
    "unknown_year": "året »{year}« (under »{key}«) er ikke et af puljens år ({years})",
    "bad_choice": "»{value}« under »{key}« skal være en af: {choices}",
    "bad_extra": "de øvrige begrænsninger under »{key}« kunne ikke læses",
    "bad_reference": "referencen kunne ikke læses (»{item}«)",
    "unknown_catalog": "Linket nævner kataloget »{key}«, som ikke findes; det første katalog vises i stedet.",
}
# A problem of an uploaded file (scenarios/danish.py: the core's English wording recognised, said in Danish).
PROBLEMS = {
    "file_head": "Filen »{file}« kan ikke bruges ({count} {noun}):",
    "english": "{detail} (detalje på engelsk)",
    "missing_column_hint": "kolonnen »{name}« mangler (er »{hint}« ment som »{name}«?)",
    "missing_column": "kolonnen »{name}« mangler",
    "unknown_column": "kolonnen »{name}« kendes ikke – mente du »{hint}«?",
    "columns_same_name": (
        "kolonnerne {a} og {b} hedder begge »{name}« (store og små bogstaver tæller ikke): omdøb eller fjern den ene"
    ),
    "duplicate_id": "id »{id}« findes også i række {row}",
    "empty_id": "tomt id: hver indsats skal have sit eget id",
    "empty_name": "tomt navn",
    "unknown_goal": "målsætningen »{key}« kendes ikke (kendte: {known})",
    "no_goals": "ingen målsætninger: en indsats skal tjene mindst én (kun faste poster må være uden)",
    "cost_zero": "omkostningen er 0: den skal være positiv (lad feltet stå tomt, hvis den ikke kendes)",
    "not_whole": "{value} er ikke hele kroner",
    "not_a_number": "{value} er ikke et tal (skriv fx 150000, 150.000, 150.000 kr. eller 0,15 mio.)",
    "english_number": "{value} ser engelsk formateret ud: skriv det på dansk (1.234,50) eller uden skilletegn (1234.5)",
    "negative": "{value} er negativ: {column} kan ikke være under 0",
    "too_high": "{value} er for stor: {column} må højst være {high}",
    "too_large": "{value} er for stort til at regne med",
    "not_yes_no": "»{value}« er ikke ja/nej (skriv true/false, ja/nej eller 1/0)",
    "empty_entry": "{value} har en tom del (delene adskilles med »{sep}«)",
    "stars": "{value} er ikke et antal stjerner (0-3, eller *, **, ***)",
    "min_above_cost": "min_kr {low} er over cost_kr {cost} (max_kr er tom, så den er cost_kr)",
    "min_above_max": "min_kr {low} er over max_kr {high}",
    "fixed_size": "scalable er false (alt eller intet til {cost}): lad {column} stå tom",
    "reach_range": "reach_min {low} er over reach_max {high}",
    "reach_outside": "reach {value} ligger uden for intervallet (grænse {bound})",
    "requires_unknown": "forudsætter et ukendt id »{id}«",
    "requires_itself": "en indsats kan ikke forudsætte sig selv",
    "requires_cycle": "forudsætningerne går i ring: {cycle}",
    "empty_file": "filen er tom: den skal have en overskriftsrække og én række pr. indsats",
    "no_rows": "filen har overskrifter, men ingen rækker",
    "file_type": "filtypen »{suffix}« kan ikke læses: brug .csv eller .xlsx",
    "workbook_as_csv": "filen er en Excel-projektmappe, ikke en CSV-tekstfil: omdøb den til .xlsx",
    "old_excel": "filen er en gammel Excel-fil (.xls): åbn den, og gem den som .xlsx",
    "encrypted": "projektmappen er beskyttet med adgangskode: gem den uden adgangskode",
    "pdf": "filen er et PDF-dokument, ikke et katalog",
    "merged": "arket »{sheet}« har flettede celler ({ranges}): ophæv fletningen, og udfyld hver celle",
    "formula": (
        "cellen {cell} indeholder en formel, hvis værdi aldrig er beregnet: åbn filen i Excel eller "
        "LibreOffice, og gem den"
    ),
    "encoding": "filen er ikke tekst i en tegnkodning, pulje kan læse: gem den som UTF-8",
    "sheets": "projektmappen har flere ark ({names}): kald katalogets ark »{sheet}«",
    "id_not_in_catalog": "id »{id}« findes ikke i kataloget",
    "unknown_id": "indsatsen »{id}« findes ikke i kataloget",
    "unknown_udvalg": "udvalget »{name}« findes ikke i kataloget",
    "unknown_goal_name": "målsætningen »{name}« findes ikke i kataloget",
    "unknown_year": "{year} er ikke et af puljens år",
    "given_twice": "{name} er angivet to gange",
    "reach_missing": "rækkevidden er ikke angivet for: {ids}",
    "cost_missing": "omkostningen er ikke angivet for: {ids}",
    "years_differ": "referencen dækker andre år end puljen",
}
TOML = {
    "description": "Gemt fra pulje-appen.",
    "reason_line": "Begrundelse for {id}: {reason}",
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
    "status_time_limit": "Intet svar: løseren nåede sin tidsgrænse, før den fandt en gyldig fordeling",
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
    "status_short_time_limit": "tidsgrænse nået",
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
        "{id} kan få op til {kr} i {year}, regnet som fuld finansiering det år, i stedet for sin ansøgning ({ask}) "
        "(brugerens antagelse: udvid{why})."
    ),
    "asks_by_year": (
        "{count} indsats(er) angiver, hvad de søger om hvert år: hver får højst sin ansøgning i et år og intet i et "
        "år, hvor den ikke søger (fordelingen viser ansøgningerne)."
    ),
    "prerequisite_only": "{id} når ingen i sig selv: den værdisættes gennem det, der forudsætter den.",
    "unstated_scalable": (
        "Det er ikke angivet, om {count} indsats(er) ({ids}) kan finansieres delvist: hver finansieres fuldt "
        "eller slet ikke, medmindre delvis finansiering antages (i appen: »Delvis finansiering« i tabellen)."
    ),
    "scalable_all": "Alle indsatser kan finansieres delvist (en antagelse): rækkevidden følger beløbet.",
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
