"""One ComponentResource per area of the platform (a `component.Component`); each takes typed
args and never reads config."""
