"""The version of breach-sim, in a module of its own so that any module can read it without
importing the package (which imports the engine)."""
__version__ = "0.1.0"
