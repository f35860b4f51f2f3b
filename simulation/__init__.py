"""A community that has lived: `manage.py seed_demo` replays six months of simulated owners through the
real services, with the clock moved to each moment (see `simulation.history`)."""
