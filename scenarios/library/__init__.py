"""The scenario library: saved scenario versions in a database (a SQLite file, or PostgreSQL for a team).

    >>> from scenarios.library.store import Library
    >>> library = Library.from_env()
    >>> library.save("scenarios/examples/frederiksberg_max_reach.toml", name="Max reach", author="Kim")
    >>> library.list()                         # name, version, author, created_at, objective, ...
    >>> library.open("Max reach", version=1)   # a Scenario, to run with scenarios.run

Modules: store (the API), records (the frozen records it returns), errors, config (where the database
and the file cache live), schema (the tables), engine (connections and migrations), core (every call
into the scenario core), file_cache, transfer (export and import of a whole library), cli
(`pulje library ...`). Nothing is imported here, so that `pulje` starts without the database layer.
"""
