"""Tools for the people who write fixture files, each module owning its ``parley`` commands.

    reference.py  the fixture format as a JSON Schema and as a table of required fields,
                  both generated from schemas/fixtures.py (`parley fixtures schema`)
    scaffold.py   a new round's file to fill in (`parley fixtures new round`)
    diff.py       what a change does to the record (`parley fixtures diff`)
    reload.py     tell this server, and only it, to serve the changed files (`parley reload`)
"""
