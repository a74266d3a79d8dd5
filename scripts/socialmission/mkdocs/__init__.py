"""The adapter between MkDocs (or ProperDocs) and the site generator: the plugin, the page
class for pages written as HTML, and the atomic build. The only package that imports the
engine; another engine would need only another adapter like this one."""
