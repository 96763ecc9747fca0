"""Drawing for a terminal: which view is drawn how (draw.py), at which width and colour.

- layout.py: styled lines without rich's console (a grid of wrapped cells, aligned
  facts, paragraphs), with rich's width and colour rules: the cheap path;
- plain_views.py: the views drawn with layout.py — compare, about, and the trial and
  reference blocks the rich views reuse;
- rich_views.py: the views drawn as rich tables (mechanism, cite, treatment, search …);
- pictures.py: the pathway tree, the comparison chart, the evidence map (rich);
- streams.py: stdout and stderr — inert text (`safe`), encoding fallbacks, rich's Console.
"""
