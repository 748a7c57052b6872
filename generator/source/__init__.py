"""Reading inputs: YAML with locations, Jinja2 rendering, file includes."""
