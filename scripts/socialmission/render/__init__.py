"""The badges: the design (templates, palette, fonts), shaping and layout, SVG, PNG,
baking the Open Badges assertion in, and the incremental badge cache. Imports `model` and
`errors` only, never `check`."""
