"""One ComponentResource per area of the platform; each takes typed args and never reads config."""
