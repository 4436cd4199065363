"""Stage 4, presentation: the way to the page.

Swedish number formats, the chart style and captions, page header, banners and
summaries, and maps. Reports hand their numbers, sentences and tables to this
layer; it imports ``stats``, ``sources`` and the house, never a report.
"""
