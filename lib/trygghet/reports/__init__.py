"""Stage 3, reports: one package per report.

Each package splits its work in ``analysis`` (numbers, as dataclasses), ``text``
(Swedish sentences), ``tables`` (display tables) and ``figures`` (charts and
maps), and exports what its notebook and other reports use from its
``__init__``. A report may use another report only through that package
interface (the follow-up and the national overview do), never its submodules.
"""
