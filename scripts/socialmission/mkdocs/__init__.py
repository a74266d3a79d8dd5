"""The site engines (MkDocs, ProperDocs, Zensical) and the build around them: which engine
and how it runs (`engine.py`), the build (generate, run the engine, fill, publish
atomically: `publish.py`), the up-to-date check that skips it (`uptodate.py`) and the
preview (`serve.py`). The only package that runs an engine, each in a process of its
own."""
